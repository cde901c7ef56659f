// Reading the bridge token from the URL fragment (`#token=...`) and the fragment left after removing it (pure).

interface FragmentToken {
  /** The token, or null when the fragment carries none. */
  token: string | null;
  /** The fragment without the token, including the leading '#', or '' when nothing is left. */
  remainingHash: string;
}

export function parseTokenFromHash(hash: string): FragmentToken {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const params = new URLSearchParams(raw);
  const token = params.get('token');
  params.delete('token');
  const rest = params.toString();
  return {
    token: token === null || token === '' ? null : token,
    remainingHash: rest === '' ? '' : `#${rest}`,
  };
}

/** The bridge WebSocket URL for a page served from `protocol//host`. */
export function bridgeSocketUrl(protocol: string, host: string): string {
  const wsProtocol = protocol === 'https:' ? 'wss:' : 'ws:';
  return `${wsProtocol}//${host}/bridge`;
}
