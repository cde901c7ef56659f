// The open project and the recent-projects list (docs/workspace.md, the open project).
import fs from 'node:fs';
import path from 'node:path';
import { PaigeError } from '../../shared/ipc/errors';
import type { RecentProject } from '../../shared/domain/project';
import type { PaigeDatabase } from '../db/database';
import { Emitter, type Event } from '../../shared/lifecycle';
import type { Logger } from '../logging/logger';

/** How many recent projects the landing page lists. */
const RECENT_LIMIT = 10;

export class ProjectService {
  private current: string | null = null;
  private readonly changeEmitter: Emitter<string | null>;
  /** Fires after the open project changed (the row is already written). */
  readonly onDidChangeProject: Event<string | null>;

  constructor(
    private readonly db: PaigeDatabase,
    logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.changeEmitter = new Emitter({
      onListenerError: (err) => logger.error('a project-change listener threw', { err }),
    });
    this.onDidChangeProject = this.changeEmitter.event;
  }

  get projectDir(): string | null {
    return this.current;
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
    if (changed) this.changeEmitter.fire(dir);
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
