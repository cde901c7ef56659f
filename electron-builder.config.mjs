// Packaging (`npm run dist`): electron-builder, with Electron's fuses flipped before signing. Kept as data so
// scripts/packaging.test.ts can check it without electron-builder or an Electron binary.
//
// Natives: electron-builder rebuilds production native dependencies for Electron's ABI (`npmRebuild`), which
// better-sqlite3 needs (it is built on V8's C++ API); node-pty is an N-API addon and loads unchanged
// (scripts/native-abi.test.ts). Native binaries and the Claude Code plugin live outside app.asar: other processes
// (Claude Code, the plugin hook) and dlopen cannot read inside the archive.

/** Fuses (https://www.electronjs.org/docs/latest/tutorial/fuses): everything Paige does not use is off. */
export const FUSES = Object.freeze({
  // `ELECTRON_RUN_AS_NODE` would turn the signed app into a plain Node runtime; the plugin hook finds a system Node.
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  // The renderer is served from app://paige, never file://.
  grantFileProtocolExtraPrivileges: false,
});

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'dev.paige.app',
  productName: 'Paige',
  copyright: 'Paige',
  directories: { output: 'dist', buildResources: 'resources/icons' },
  // The build output only: sources, tests and dev tooling stay out of the archive.
  files: ['out/**', 'package.json', '!out/**/*.map'],
  extraResources: [{ from: 'resources/claude-plugin', to: 'claude-plugin' }],
  asar: true,
  // The embedded Chroma server runs in a Node process of its own, which cannot read inside app.asar.
  asarUnpack: [
    '**/*.node',
    'node_modules/chromadb/**',
    'node_modules/chromadb-js-bindings-*/**',
    'node_modules/semver/**',
  ],
  npmRebuild: true,
  electronFuses: FUSES,
  icon: 'resources/icons/icon.png',
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    executableName: 'paige',
    maintainer: 'Paige',
  },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools' },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false },
};

export default config;
