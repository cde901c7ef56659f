// The project tree: expand state kept across live updates, icons by file type, hint glows from coaching.
import type { TreeNode } from '../../../../shared/domain/workspace';
import type { HintStyle } from '../../views/ide/ide-controller';
import { fileIcon } from './file-icons';

interface FileExplorerProps {
  root: TreeNode | null;
  truncated: boolean;
  expanded: ReadonlySet<string>;
  active: string | null;
  hints: Readonly<Record<string, HintStyle>>;
  onToggle(path: string): void;
  onOpen(path: string): void;
}

/** When hints of several styles meet in one folder, the most urgent one shows. */
const SEVERITY: Readonly<Record<HintStyle, number>> = { suggested: 1, warning: 2, error: 3 };

/** A folder glows when a hinted path sits below it, so the learner can find it collapsed. */
function dirHint(path: string, hints: Readonly<Record<string, HintStyle>>): HintStyle | undefined {
  const prefix = `${path}/`;
  let best: HintStyle | undefined;
  for (const [p, style] of Object.entries(hints)) {
    if (p.startsWith(prefix) && (best === undefined || SEVERITY[style] > SEVERITY[best])) best = style;
  }
  return best;
}

function Node({ node, depth, props }: { node: TreeNode; depth: number; props: FileExplorerProps }) {
  const isDir = node.type === 'directory';
  const open = isDir && props.expanded.has(node.path);
  const icon = fileIcon(node.name, { directory: isDir, open, ...(node.symlink ? { symlink: true } : {}) });
  const own = props.hints[node.path];
  const below = isDir ? dirHint(node.path, props.hints) : undefined;
  const hint = own !== undefined && (below === undefined || SEVERITY[own] >= SEVERITY[below]) ? own : below;
  const className = [
    'tree-row',
    isDir ? 'tree-dir' : 'tree-file',
    node.path === props.active ? 'tree-active' : '',
    hint ? `hint-glow hint-glow-${hint}` : '',
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
