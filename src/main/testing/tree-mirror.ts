// Test and benchmark support: the tree a client keeps from fs:tree + fs:tree_update, as a set of `d path` / `f path`
// entries to compare with a scan of the disk, and the latency of one /healthz request.
import http from 'node:http';
import type { TreeChange, TreeNode } from '../../shared/domain/workspace';

export function treePaths(node: TreeNode, out = new Set<string>()): Set<string> {
  for (const c of node.children ?? []) {
    out.add(`${c.type === 'directory' ? 'd' : 'f'} ${c.path}`);
    treePaths(c, out);
  }
  return out;
}

/** Applies tree updates as the explorer does: a removed folder takes everything under it. */
export function applyTreeChanges(tree: Set<string>, changes: readonly TreeChange[]): void {
  for (const c of changes) {
    if (c.action === 'add') tree.add(`f ${c.path}`);
    else if (c.action === 'addDir') tree.add(`d ${c.path}`);
    else if (c.action === 'unlink') tree.delete(`f ${c.path}`);
    else if (c.action === 'unlinkDir') {
      for (const p of tree) if (p === `d ${c.path}` || p.slice(2).startsWith(c.path + '/')) tree.delete(p);
    }
  }
}

/** Milliseconds for one GET /healthz on 127.0.0.1:port, body included. */
export function healthzLatency(port: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - t0));
      })
      .on('error', reject);
  });
}
