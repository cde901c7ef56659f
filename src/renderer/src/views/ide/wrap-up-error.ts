// A failed wrap-up agent's message ("LLM_INVALID_OUTPUT: The model's answer does not match …") as the learner reads
// it: one sentence about what happened and what to do, with the technical text kept for a collapsed details block.

const SENTENCE: Readonly<Record<string, string>> = {
  LLM_INVALID_OUTPUT: "The model's answer could not be read. Retry usually fixes this.",
  LLM_MAX_TOKENS: 'The model ran out of room for its answer. Retry; if it happens again, the session was very long.',
  LLM_RATE_LIMITED: 'The Anthropic API is busy with too many requests. Wait a moment, then retry.',
  LLM_SERVER: 'The Anthropic API had a problem on its side. Retry in a moment.',
  LLM_NETWORK: 'The Anthropic API could not be reached. Check the connection, then retry.',
  LLM_AUTH: 'The Anthropic API rejected the API key. Replace it (Home → Settings → AI), then retry.',
  LLM_BUDGET_EXCEEDED: 'A spend limit is reached. Raise or clear it in Home → Settings → AI, then retry.',
  LLM_REFUSAL: 'The model declined to answer. Retry may help.',
  LLM_CONTENT_FILTER: 'The answer was blocked by a content filter. Retry may help.',
  LLM_BAD_REQUEST: 'The Anthropic API refused the request. Retry; if it fails again, see the details.',
  BUSY: 'This step is already running. Wait for it to finish.',
  SHUTTING_DOWN: 'Paige was shutting down. Retry after it restarts.',
  interrupted: 'Paige stopped before this step finished. Retry runs it again.',
};

interface WrapUpErrorText {
  /** What the learner reads. */
  sentence: string;
  /** The original message, for the collapsed details; null when the sentence already is the whole message. */
  detail: string | null;
}

/** Splits "CODE: message" and picks the sentence for the code. */
export function describeWrapUpError(message: string): WrapUpErrorText {
  const m = /^([A-Za-z_]+):\s*([\s\S]*)$/.exec(message);
  const code = m?.[1];
  const rest = m?.[2] ?? message;
  // The no-key message is already written for people (and says where a key can come from here).
  if (code === 'LLM_DISABLED') return { sentence: rest, detail: null };
  const sentence = code !== undefined ? SENTENCE[code] : undefined;
  return { sentence: sentence ?? 'This step failed. Retry may help; the details say why.', detail: message };
}
