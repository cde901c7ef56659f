// The hardened main window (docs/ipc.md): sandboxed renderer, same-origin navigation, no popups, no permissions.
import { BrowserWindow, shell, type App, type Session, type WebContents } from 'electron';
import { externalHttpUrl, isAllowedNavigation, type WindowPolicy } from './url-policy';

interface MainWindowOptions {
  preloadPath: string;
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
  // Navigation, popups and webviews are guarded for every web contents by guardAllWebContents.
  win.once('ready-to-show', () => win.show());
  return win;
}

/**
 * The global guard (installed before the app is ready): every web contents, the main window's included, gets the
 * navigation/popup/webview rules and the permission-denying session; without DevTools allowed, any DevTools that
 * open anyway (a keyboard shortcut, a menu) close again.
 */
export function guardAllWebContents(app: App, policy: Pick<WindowPolicy, 'allowedOrigins' | 'devTools'>): void {
  app.on('web-contents-created', (_event, contents) => {
    hardenSession(contents.session);
    hardenWebContents(contents, policy.allowedOrigins);
    if (!policy.devTools) contents.on('devtools-opened', () => contents.closeDevTools());
  });
}

/** Denies every permission (camera, notifications, clipboard-read, devices…): Paige needs none of them. */
function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

function hardenWebContents(contents: WebContents, allowedOrigins: readonly string[]): void {
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
