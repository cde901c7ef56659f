// Electron main entry (electron-vite `main` input → out/main/index.js): single instance, app:// protocol, AppCore,
// the hardened window and the IPC transport, and a shutdown that runs AppCore's reverse-order teardown.
import fs from 'node:fs';
import path from 'node:path';
import { app, dialog, ipcMain, protocol, type BrowserWindow } from 'electron';
import { AppCore } from '../app';
import { validatesOutput } from '../dev-mode';
import { paigeModules } from '../app-modules';
import { electronIpcModule } from './ipc-module';
import { parseLaunchFlags } from './launch-flags';
import { ElectronPlatform } from './platform';
import { APP_HOST, APP_SCHEME, loadRendererFile } from './renderer-files';
import { windowPolicy } from './url-policy';
import { createMainWindow, guardAllWebContents } from './window';
import { electronSafeStorage } from './safe-storage';

/** Exit code after a second SIGINT (docs/reliability.md). */
const EXIT_SECOND_SIGINT = 130;

// Must run before `ready`: makes app:// a secure, standard origin so the renderer gets fetch, storage and workers.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/** `<appPath>/.native/electron-<ver>/better_sqlite3.node`, built by scripts/electron-native.mjs, when present. */
function electronSqliteBinding(): string | undefined {
  const file = path.join(app.getAppPath(), '.native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
  return fs.existsSync(file) ? file : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = await loadRendererFile(rendererDir, request.url);
    return new Response(file.body, { status: file.status, headers: file.headers });
  });
}

class PaigeElectronApp {
  private window: BrowserWindow | null = null;
  private core: Promise<AppCore | null> | null = null;
  private quitting = false;
  private sigints = 0;
  /** Dev URL, navigation origins and DevTools: development allowances only with PAIGE_DEV=1. */
  private readonly policy = windowPolicy(process.env);

  run(): void {
    // Every web contents the app ever creates (the window, a stray frame or devtools host) gets the same guards.
    guardAllWebContents(app, this.policy);
    // A second launch hands its argv to us ('second-instance') and exits; Paige has one window per data dir.
    if (!app.requestSingleInstanceLock()) {
      app.quit();
      return;
    }
    app.on('second-instance', () => this.focus());
    // AppCore is tied to one window; closing it ends the app on every platform (including macOS).
    app.on('window-all-closed', () => app.quit());
    app.on('before-quit', (event) => {
      event.preventDefault();
      void this.shutdown('quit');
    });
    process.on('SIGINT', () => {
      this.sigints += 1;
      if (this.sigints > 1) app.exit(EXIT_SECOND_SIGINT);
      else void this.shutdown('SIGINT');
    });
    process.on('SIGTERM', () => void this.shutdown('SIGTERM'));
    app.whenReady().then(
      () => this.start(),
      (err: unknown) => this.fail(err),
    );
  }

  private async start(): Promise<void> {
    const { devUrl, allowedOrigins, devTools } = this.policy;

    this.core = AppCore.start({
      appVersion: app.getVersion(),
      env: process.env,
      flags: parseLaunchFlags(process.argv.slice(1), process.cwd()),
      platform: new ElectronPlatform(() => this.window),
      sqliteNativeBinding: electronSqliteBinding(),
      validateOutput: validatesOutput(process.env),
      modules: paigeModules({
        llm: { safeStorage: electronSafeStorage() },
        extra: [electronIpcModule({ ipcMain, allowedOrigins })],
      }),
    }).catch((err: unknown) => {
      this.fail(err);
      return null;
    });
    const core = await this.core;
    if (core === null || this.quitting) return;

    serveRenderer(path.join(__dirname, '../renderer'));
    const ipc = core.get('electronIpc');

    const win = createMainWindow({
      preloadPath: path.join(__dirname, '../preload/index.js'),
      devTools,
      appVersion: app.getVersion(),
    });
    this.window = win;
    win.on('closed', () => {
      this.window = null;
    });
    ipc.addWindow(win.webContents);
    win.webContents.on('render-process-gone', (_event, details) => {
      core.logger.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
    });
    try {
      await win.loadURL(devUrl ?? `${APP_SCHEME}://${APP_HOST}/index.html`);
    } catch (err) {
      // A failed load leaves an empty window; the log says why, the window stays so DevTools can be used.
      core.logger.error('renderer failed to load', { err });
    }
    // Loaded after the window's first load, before Claude Code's first MCP request needs it.
    core.get('mcp').preload();
  }

  private focus(): void {
    const win = this.window;
    if (win === null || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  /** Startup failed before a window existed: tell the user why, then leave with 1. */
  private fail(err: unknown): void {
    console.error(err);
    dialog.showErrorBox('Paige could not start', messageOf(err));
    this.quitting = true;
    app.exit(1);
  }

  private async shutdown(reason: string): Promise<void> {
    if (this.quitting) return;
    this.quitting = true;
    // Waits for a start that is still running so its lock and database are released properly.
    const core = this.core === null ? null : await this.core;
    let code = 0;
    if (core !== null) {
      try {
        code = await core.shutdown(reason);
      } catch (err) {
        console.error('Paige shutdown failed', err);
        code = 1;
      }
    }
    // app.exit skips before-quit, so this does not loop back into shutdown().
    app.exit(code);
  }
}

new PaigeElectronApp().run();
