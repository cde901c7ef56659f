// Feature module (desktop only): the contract over Electron IPC for the app's window, in place of the bridge.
import type { FeatureModule } from '../modules/feature-module';
import { ElectronIpcAdapter, type IpcMainLike } from './ipc-adapter';

declare module '../modules/feature-module' {
  interface ServiceMap {
    electronIpc: ElectronIpcAdapter;
  }
}

interface ElectronIpcModuleOptions {
  ipcMain: IpcMainLike;
  /** `app://paige`, plus the dev-server origin in development. */
  allowedOrigins: readonly string[];
}

export function electronIpcModule(opts: ElectronIpcModuleOptions): FeatureModule {
  return {
    id: 'electron-ipc',
    setup(ctx) {
      let ipc: ElectronIpcAdapter | null = null;
      return {
        start() {
          ipc = new ElectronIpcAdapter({
            ipcMain: opts.ipcMain,
            router: ctx.router,
            events: ctx.events,
            logger: ctx.logger,
            allowedOrigins: opts.allowedOrigins,
          });
          ctx.provide('electronIpc', ipc);
        },
        stopAccepting: () => ipc?.stopAccepting(),
        shutdown: () => ipc?.close(),
      };
    },
  };
}
