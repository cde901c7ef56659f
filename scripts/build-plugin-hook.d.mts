// Types for scripts/build-plugin-hook.mjs (imported by src/plugin-hook/bundle.test.ts).
export function buildPluginHook(): Promise<{ file: string; text: string }[]>;
export function stalePluginHookFiles(): Promise<string[]>;
