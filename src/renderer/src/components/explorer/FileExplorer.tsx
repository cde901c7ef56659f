// The project tree: expand state kept across live updates, icons by file type, hint glows from coaching (how strong
// and how far up the tree they reach is the hint level's call).
import type { TreeNode } from '../../../../shared/domain/workspace';
import type { HintStyle } from '../../views/ide/ide-controller';
import { fileIcon } from './file-icons';

interface FileExplorerProps {
  root: TreeNode | null;
  truncated: boolean;
  expanded: ReadonlySet<string>;
  active: string | null;
  hints: Readonly<Record<string, HintStyle>>;
  /** Folders a hint names; they glow when `glow.directories`. */
  hintDirectories: ReadonlySet<string>;
  glow: { mode: 'none' | 'subtle' | 'obvious' | 'unmissable'; directories: boolean; ancestors: boolean };
  onToggle(path: string): void;
  onOpen(path: string): void;
}

/** When hints of several styles meet in one folder, the most urgent one shows. */
const SEVERITY: Readonly<Record<HintStyle, number>> = { suggested: 1, warning: 2, error: 3 };

/** The most urgent hint below a folder. */
function dirHint(path: string, hints: Readonly<Record<string, HintStyle>>): HintStyle | undefined {
  const prefix = `${path}/`;
  let best: HintStyle | undefined;
  for (const [p, style] of Object.entries(hints)) {
    if (p.startsWith(prefix) && (best === undefined || SEVERITY[style] > SEVERITY[best])) best = style;
  }
  return best;
}

/** A file glows for its own hint; a folder when it is named (from `medium`) or holds a hinted file (at `high`). */
function hintOf(node: TreeNode, props: FileExplorerProps): HintStyle | undefined {
  const { glow, hints } = props;
  if (glow.mode === 'none') return undefined;
  if (node.type !== 'directory') return hints[node.path];
  const named = glow.directories && props.hintDirectories.has(node.path);
  if (!named && !glow.ancestors) return undefined;
  return dirHint(node.path, hints) ?? (named ? 'suggested' : undefined);
}

function Node({ node, depth, props }: { node: TreeNode; depth: number; props: FileExplorerProps }) {
  const isDir = node.type === 'directory';
  const open = isDir && props.expanded.has(node.path);
  const icon = fileIcon(node.name, { directory: isDir, open, ...(node.symlink ? { symlink: true } : {}) });
  const hint = hintOf(node, props);
  const className = [
    'tree-row',
    isDir ? 'tree-dir' : 'tree-file',
    node.path === props.active ? 'tree-active' : '',
    hint ? `hint-glow hint-glow-${hint} hint-glow-${props.glow.mode}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li role="treeitem" aria-expanded={isDir ? open : undefined} aria-selected={node.path === props.active}>
      <button
        type="button"
        className={className}
        style={{ paddingLeft: `${depth * 12 + 6}px` }}
        data-testid={`tree-item-${node.path}`}
        data-hint={hint}
        data-glow={hint ? props.glow.mode : undefined}
        title={node.symlink ? `${node.path} (symbolic link)` : node.path}
        onClick={() => (isDir ? props.onToggle(node.path) : props.onOpen(node.path))}
      >
        <span className={`file-icon file-icon-${icon.kind}`} aria-hidden="true">
          {icon.glyph}
        </span>
        <span className="tree-name">{node.name}</span>
      </button>
      {open && node.children && node.children.length > 0 ? (
        <ul role="group">
          {node.children.map((c) => (
            <Node key={c.path} node={c} depth={depth + 1} props={props} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function FileExplorer(props: FileExplorerProps) {
  const { root } = props;
  return (
    <nav className="explorer" aria-label="Project files" data-testid="file-explorer">
      <div className="pane-title">{root ? root.name : 'Files'}</div>
      {root ? (
        <ul role="tree" className="tree">
          {(root.children ?? []).map((c) => (
            <Node key={c.path} node={c} depth={0} props={props} />
          ))}
        </ul>
      ) : (
        <p className="muted">Loading files…</p>
      )}
      {props.truncated ? (
        <p className="muted tree-truncated" data-testid="tree-truncated">
          Large project: only the first 20 000 entries are listed.
        </p>
      ) : null}
    </nav>
  );
}
