// Paige's explicit development switch. Nothing development-only (the dev-server renderer URL, DevTools, output
// validation of every IPC result, event and MCP tool result) turns on in a build unless the environment asks for it:
// whether the app is packaged says nothing about who runs it.

type Env = Readonly<Record<string, string | undefined>>;

/** `PAIGE_DEV=1`: a developer's run (dev-server URL and DevTools allowed, outputs validated). */
export function isDevMode(env: Env): boolean {
  return env['PAIGE_DEV'] === '1';
}

/**
 * Whether handler results, events and MCP tool results are checked against their schemas (AppCore's
 * `validateOutput`). On in development and in tests (`PAIGE_VALIDATE_OUTPUT=1`: the e2e suite runs the production
 * build with it), off otherwise: the checks cost every call and only find bugs a test can find.
 */
export function validatesOutput(env: Env): boolean {
  return isDevMode(env) || env['PAIGE_VALIDATE_OUTPUT'] === '1';
}
