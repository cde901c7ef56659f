// Builds main (Electron entry + the plain-Node CLI), the sandboxed preload, and the React renderer.
import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    // Kysely and zod are bundled into the output chunks rather than required from node_modules: loading their few
    // hundred CommonJS files was most of a read command's start-up (`paige status` ~30 ms for kysely, ~30 ms for
    // zod). zod v4 keeps its registry on globalThis and checks instances by trait, so the MCP SDK's own zod still
    // reads these schemas: the tool list the MCP server publishes is byte-identical either way (checked by hashing it).
    plugins: [externalizeDepsPlugin({ exclude: ['kysely', 'zod'] })],
    build: {
      outDir: 'out/main',
      // Node 20 runs the CLI (`paige serve`), so the bundle must not use newer syntax than it understands.
      target: 'node20',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/electron/main.ts'),
          cli: resolve(__dirname, 'src/main/cli/index.ts'),
        },
        // Lazily loaded packages (the MCP SDK) are required like the rest: a native import() would load their ESM
        // build and a second copy of zod beside the CommonJS one.
        output: { dynamicImportInCjs: false },
      },
    },
  },
  preload: {
    // A sandboxed preload cannot require node_modules: bundle everything it uses.
    build: {
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') }, external: ['electron'] },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    base: './',
    // electron-vite's renderer preset does not minify; the browser (bridge) and the window both load this build.
    // The IDE view (Monaco, xterm) is a lazily loaded chunk; scripts/check-bundle-size.mjs keeps the entry small.
    build: {
      minify: 'esbuild',
      cssMinify: 'esbuild',
      reportCompressedSize: false,
      // Monaco's chunk is ~3 MB by nature; it loads with the IDE view, never before the first paint.
      chunkSizeWarningLimit: 4096,
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
