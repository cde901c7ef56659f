// The project tree (docs/workspace.md): directories first, then files, by locale; no noise; symlinks listed, never
// followed; bounded by depth and entry count.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TreeNode } from '../../shared/domain/workspace';

/** Limits: depth 20, 20 000 entries; past either the result is `truncated`. */
export const TREE_MAX_DEPTH = 20;
export const TREE_MAX_ENTRIES = 20_000;

interface TreeOptions {
  isExcluded: (name: string) => boolean;
  maxDepth?: number;
  maxEntries?: number;
}

interface TreeResult {
  root: TreeNode;
  truncated: boolean;
  entries: number;
}

const byName = (a: TreeNode, b: TreeNode): number =>
  a.type !== b.type ? (a.type === 'directory' ? -1 : 1) : a.name.localeCompare(b.name);

/**
 * Breadth-first so that, when the entry cap is hit, every level near the root is complete and only the deepest
 * corners are missing.
 */
export async function scanTree(rootAbs: string, opts: TreeOptions): Promise<TreeResult> {
  const maxDepth = opts.maxDepth ?? TREE_MAX_DEPTH;
  const maxEntries = opts.maxEntries ?? TREE_MAX_ENTRIES;
  const root: TreeNode = { name: path.basename(rootAbs), path: '', type: 'directory', children: [] };
  let entries = 0;
  let capped = false;
  let depthCut = false;
  let level: { node: TreeNode; abs: string }[] = [{ node: root, abs: rootAbs }];
  for (let depth = 1; level.length > 0 && !capped; depth++) {
    const next: { node: TreeNode; abs: string }[] = [];
    for (const { node, abs } of level) {
      let dirents;
      try {
        dirents = await fs.readdir(abs, { withFileTypes: true });
      } catch {
        // Unreadable or vanished since the parent was listed: show it empty.
        continue;
      }
      const children: TreeNode[] = [];
      for (const d of dirents) {
        if (opts.isExcluded(d.name)) continue;
        if (entries >= maxEntries) {
          capped = true;
          break;
        }
        entries++;
        const rel = node.path === '' ? d.name : `${node.path}/${d.name}`;
        if (d.isSymbolicLink()) {
          children.push({ name: d.name, path: rel, type: 'file', symlink: true });
        } else if (d.isDirectory()) {
          const child: TreeNode = { name: d.name, path: rel, type: 'directory', children: [] };
          children.push(child);
          if (depth < maxDepth) next.push({ node: child, abs: path.join(abs, d.name) });
          else depthCut = true;
        } else {
          children.push({ name: d.name, path: rel, type: 'file' });
        }
      }
      node.children = children.sort(byName);
      if (capped) break;
    }
    level = next;
  }
  return { root, truncated: capped || depthCut, entries };
}
