// Preload (sandboxed, bundled by electron-vite): exposes `window.paige` for contract channels only (docs/ipc.md).
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './bindings';

// `version` is the app version main passes via additionalArguments; a sandboxed preload cannot read package.json.
const VERSION_ARG = '--paige-version=';
const versionArg = process.argv.find((arg) => arg.startsWith(VERSION_ARG));

contextBridge.exposeInMainWorld(
  'paige',
  createPreloadApi(
    {
      invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
      on: (channel, listener) => {
        ipcRenderer.on(channel, listener);
      },
      removeListener: (channel, listener) => {
        ipcRenderer.removeListener(channel, listener);
      },
    },
    { platform: process.platform, version: versionArg ? versionArg.slice(VERSION_ARG.length) : '0.0.0' },
  ),
);
