// The hardened main window (docs/ipc.md): sandboxed renderer, same-origin navigation, no popups, no permissions.
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { externalHttpUrl, isAllowedNavigation } from './url-policy';

export interface MainWindowOptions {
  preloadPath: string;
  /** Origins the window may show: `app://paige`, plus the dev server in development. */
  allowedOrigins: readonly string[];
  devTools: boolean;
  /** Passed to the sandboxed preload, which cannot read package.json. */
  appVersion: string;
}

const DEFAULT_SIZE = { width: 1440, height: 900 };
/** Below this the IDE layout (tree, editor, terminal, sidebar) stops fitting. */
const MIN_SIZE = { width: 960, height: 600 };

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    ...DEFAULT_SIZE,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Paige',
    // Shown on ready-to-show so the user never sees an empty frame.
    show: false,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: opts.devTools,
      additionalArguments: [`--paige-version=${opts.appVersion}`],
    },
  });
  hardenSession(win.webContents.session);
  hardenWebContents(win.webContents, opts.allowedOrigins);
  win.once('ready-to-show', () => win.show());
  return win;
}

/** Denies every permission (camera, notifications, clipboard-read, devices…): Paige needs none of them. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export function hardenWebContents(contents: WebContents, allowedOrigins: readonly string[]): void {
  const blockForeign = (event: { url: string; preventDefault(): void }): void => {
    if (!isAllowedNavigation(event.url, allowedOrigins)) event.preventDefault();
  };
  contents.on('will-navigate', blockForeign);
  contents.on('will-redirect', blockForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links with target=_blank still reach the browser, but only http(s); the app never opens a second window.
    const external = externalHttpUrl(url);
    if (external !== null) void shell.openExternal(external).catch(() => undefined);
    return { action: 'deny' };
  });
}
