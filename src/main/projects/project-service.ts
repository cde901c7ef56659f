// The open project and the recent-projects list (docs/workspace.md, the open project).
import fs from 'node:fs';
import path from 'node:path';
import { PaigeError } from '../../shared/ipc/errors';
import type { RecentProject } from '../../shared/domain/project';
import type { PaigeDatabase } from '../db/database';

/** How many recent projects the landing page lists. */
const RECENT_LIMIT = 10;

export type ProjectListener = (projectDir: string | null) => void;

export class ProjectService {
  private current: string | null = null;
  private readonly listeners = new Set<ProjectListener>();

  constructor(
    private readonly db: PaigeDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get projectDir(): string | null {
    return this.current;
  }

  onDidChangeProject(listener: ProjectListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves a directory the user named; missing or not a directory → PROJECT_NOT_FOUND naming the path. */
  static resolveProjectDir(input: string): string {
    if (input.includes('\0')) throw new PaigeError('INVALID_PATH', 'The project path contains a NUL byte.');
    const abs = path.resolve(input.startsWith('~') ? path.join(process.env.HOME ?? '', input.slice(1)) : input);
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      throw new PaigeError('PROJECT_NOT_FOUND', `Project folder not found: ${abs}`, { path: abs });
    }
    if (!fs.statSync(real).isDirectory()) {
      throw new PaigeError('PROJECT_NOT_FOUND', `Not a folder: ${abs}`, { path: abs });
    }
    try {
      fs.accessSync(real, fs.constants.R_OK | fs.constants.X_OK);
    } catch {
      throw new PaigeError('PERMISSION_DENIED', `Paige cannot read the folder ${abs}.`, { path: abs });
    }
    return real;
  }

  open(input: string): { projectDir: string; cloned: false } {
    const dir = ProjectService.resolveProjectDir(input);
    const ts = this.now().toISOString();
    this.db.run(
      this.db.qb
        .insertInto('projects')
        .values({ path: dir, name: path.basename(dir) || dir, last_opened_at: ts })
        .onConflict((oc) => oc.column('path').doUpdateSet({ last_opened_at: ts })),
    );
    const changed = dir !== this.current;
    this.current = dir;
    if (changed) for (const l of [...this.listeners]) l(dir);
    return { projectDir: dir, cloned: false };
  }

  /** The most recently opened project that still exists, if any (the `projectDir` default). */
  lastOpened(): string | null {
    for (const p of this.recent()) {
      try {
        if (fs.statSync(p.path).isDirectory()) return p.path;
      } catch {
        // Moved or deleted since; try the next one.
      }
    }
    return null;
  }

  recent(): RecentProject[] {
    const rows = this.db.all(
      this.db.qb
        .selectFrom('projects')
        .selectAll()
        .orderBy('last_opened_at', 'desc')
        .orderBy('id', 'desc')
        .limit(RECENT_LIMIT),
    );
    return rows.map((r) => ({
      path: r.path,
      name: r.name,
      lastOpenedAt: r.last_opened_at,
      ...(r.owner !== null ? { owner: r.owner } : {}),
      ...(r.repo !== null ? { repo: r.repo } : {}),
    }));
  }
}
