// The Electron side of AppCore's PlatformAdapter: native folder picker and the system browser.
import { dialog, shell, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { PlatformAdapter } from '../app';
import { externalHttpUrl } from './url-policy';

export class ElectronPlatform implements PlatformAdapter {
  readonly kind = 'electron' as const;

  /** The window is looked up per call because it is created after AppCore starts and may be gone by then. */
  constructor(private readonly parentWindow: () => BrowserWindow | null) {}

  async pickFolder(): Promise<string | null> {
    const options: OpenDialogOptions = {
      title: 'Open a project folder',
      buttonLabel: 'Open project',
      properties: ['openDirectory', 'createDirectory'],
    };
    const win = this.parentWindow();
    const result =
      win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    if (result.canceled) return null;
    return result.filePaths[0] ?? null;
  }

  async openExternal(url: string): Promise<boolean> {
    // The contract already restricts the scheme; checked again because anything else would be handed to the OS.
    const safe = externalHttpUrl(url);
    if (safe === null) return false;
    try {
      await shell.openExternal(safe);
      return true;
    } catch {
      return false;
    }
  }
}
