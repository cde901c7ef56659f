// The start of a text for a preview: cut at a word boundary, with "…" where it was cut.

const ELLIPSIS = '…';
/** A word longer than this share of the room is cut inside rather than dropped whole. */
const MIN_KEPT_SHARE = 0.6;

/**
 * `text` without surrounding whitespace when it has at most `max` characters; otherwise its longest start of at most
 * `max - 1` characters that ends at a word boundary (trailing spaces and punctuation that would dangle before the
 * mark are dropped), followed by "…". A single word too long to keep whole is cut inside.
 */
export function excerpt(text: string, max: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  if (max < 1) return '';
  const room = trimmed.slice(0, max - 1);
  // The cut falls between words when the next character is whitespace; otherwise back up to the last whitespace.
  const atBoundary = /\s/.test(trimmed.charAt(max - 1));
  let kept = atBoundary ? room : room.replace(/\S*$/, '');
  if (kept.trim().length < room.length * MIN_KEPT_SHARE) kept = room;
  kept = kept.replace(/[\s,;:\-–—]+$/u, '');
  return kept + ELLIPSIS;
}
