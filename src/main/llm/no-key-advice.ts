// The "no API key" error text. Where a key can be stored (the desktop app with an OS keychain) it points to
// Settings → AI; where it cannot (`paige serve`, the CLI, no keyring) it points only to the environment variable,
// because Settings there refuses to store one.

/** `purpose` completes "… to <purpose>." (e.g. "chat with Paige"). */
export function noKeyAdvice(keyStorable: boolean, purpose: string): string {
  return keyStorable
    ? `No Anthropic API key: add one in Settings → AI, or set ANTHROPIC_API_KEY, to ${purpose}.`
    : `No Anthropic API key: this Paige cannot store one, so start it with ANTHROPIC_API_KEY set ` +
        `(for example ANTHROPIC_API_KEY=sk-ant-… paige serve) to ${purpose}.`;
}
