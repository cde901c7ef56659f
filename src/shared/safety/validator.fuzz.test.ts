// Seeded fuzzing of the validator: random shell-ish input, including 10 000-character strings and pathological
// nesting, must never throw, must always produce a schema-valid result, and must stay under 50 ms.
import { describe, expect, it } from 'vitest';
import { MAX_COMMAND_LENGTH, validateCommand } from './validator';
import { ValidateCommandOutputSchema } from './schema';
import { rng } from '../testing/rng';

/** Validation stays under 50 ms even at 10 000 characters (docs/safety.md). */
const MAX_CALL_MS = 50;
const RANDOM_CASES = 1_500;
const SEED = 0x5eed_1234;

const ALPHABET = ` \t\n;&|()<>'"\\$\`{}[]*?!#=~-/.:@+%,0123456789abcdefghijklmnopqrstuvwxyzABCXYZ`;
const TOKENS = [
  'rm',
  '-rf',
  '/',
  '~',
  'sudo',
  'env',
  'xargs',
  'bash',
  '-c',
  'sh',
  'curl',
  'wget',
  '|',
  '||',
  '&&',
  ';',
  '&',
  '$(',
  ')',
  '`',
  '"',
  "'",
  '<<EOF\n',
  '\nEOF\n',
  '<(',
  '>(',
  '>',
  '>>',
  '2>&1',
  '&>',
  'git',
  'push',
  '--force',
  'cat',
  '.env',
  '~/.ssh/id_rsa',
  'nc',
  'dd',
  'of=/dev/sda',
  ':(){',
  ':|:&',
  '};:',
  'while',
  'true;',
  'do',
  'done',
  'f()',
  '{',
  '}',
  '${HOME',
  '$((',
  '))',
  'eval',
  'iex',
  '(iwr',
  'find',
  '-delete',
  '-exec',
  '\\;',
  'npm',
  'install',
  'tee',
  'sed',
  '-i',
  'FOO=1',
  'timeout',
  '10',
  'nohup',
  '#',
  '\\\n',
  "$'",
  '\\',
  'x',
];

function randomChars(next: () => number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
}

function randomTokens(next: () => number, maxLen: number): string {
  let s = '';
  while (s.length < maxLen) {
    s += TOKENS[Math.floor(next() * TOKENS.length)];
    if (next() < 0.7) s += ' ';
  }
  return s.slice(0, maxLen);
}

function timed(command: string): { ms: number; ok: boolean } {
  const t0 = performance.now();
  const result = validateCommand(command, { mode: 'read_only' });
  const ms = performance.now() - t0;
  // validateCommand guards itself with a catch that reports analysis.internal_error; the analysis must never need it.
  const clean = !result.matched_rules.some((m) => m.id === 'analysis.internal_error');
  return { ms, ok: clean && ValidateCommandOutputSchema.safeParse(result).success };
}

/** Best of three, so a garbage-collection pause on a busy machine is not mistaken for super-linear work. */
function bestMs(command: string): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) best = Math.min(best, timed(command).ms);
  return best;
}

describe('validateCommand fuzz', () => {
  it(`never throws and stays under ${MAX_CALL_MS} ms on ${RANDOM_CASES} seeded random inputs`, () => {
    const next = rng(SEED);
    let worst = 0;
    for (let i = 0; i < RANDOM_CASES; i++) {
      const len = i % 50 === 0 ? MAX_COMMAND_LENGTH : Math.floor(next() * 400);
      const command = next() < 0.5 ? randomChars(next, len) : randomTokens(next, len);
      let r = { ms: 0, ok: false };
      expect(() => {
        r = timed(command);
      }).not.toThrow();
      expect(r.ok).toBe(true);
      const ms = r.ms > MAX_CALL_MS ? bestMs(command) : r.ms;
      worst = Math.max(worst, ms);
      expect(ms, `input #${i} (${command.length} chars)`).toBeLessThan(MAX_CALL_MS);
    }
    expect(worst).toBeLessThan(MAX_CALL_MS);
  });

  const N = MAX_COMMAND_LENGTH;
  const pathological: [string, string][] = [
    ['open parentheses', '('.repeat(N)],
    ['command substitutions', '$('.repeat(N / 2)],
    ['quoted substitutions', '"$('.repeat(3_333)],
    ['backticks', '`'.repeat(N)],
    ['single quotes', "'".repeat(N)],
    ['heredocs', 'cat <<A\n'.repeat(N / 8)],
    ['parameter expansions', '${'.repeat(N / 2)],
    ['pipes', 'a|'.repeat(N / 2)],
    ['nested bash -c', 'bash -c "'.repeat(1_111)],
    ['backslashes', '\\'.repeat(N)],
    ['redirections', '>a '.repeat(3_333)],
    ['fork bombs', 'f(){ f|f& };'.repeat(833)],
    ['process substitutions', '<('.repeat(N / 2)],
    ['arithmetic', '$(('.repeat(3_333)],
    ['ANSI-C quotes', "$'".repeat(N / 2)],
    ['many commands', 'rm -rf x; '.repeat(1_000)],
    ['one long word', 'x'.repeat(N)],
    ['past the limit', 'x'.repeat(N + 1)],
  ];
  it.each(pathological)('handles %s within the bound', (_name, command) => {
    expect(timed(command).ok).toBe(true);
    expect(bestMs(command)).toBeLessThan(MAX_CALL_MS);
  });
});
