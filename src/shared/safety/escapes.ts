// Backslash escapes as bash's $'…' quoting, `printf` and `echo -e` expand them (`\x72\x6d` is `rm`), so a command
// spelled in escapes is judged as the command it spells.

const SIMPLE: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

function isHex(c: string | undefined): boolean {
  return c !== undefined && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
}

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

/** Expands `\xHH`, `\NNN` (octal, with or without a leading 0), `\uHHHH`, `\UHHHHHHHH` and the one-letter escapes. */
export function decodeEscapes(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  let k = 0;
  while (k < s.length) {
    const c = s[k] as string;
    if (c !== '\\' || k + 1 >= s.length) {
      out += c;
      k++;
      continue;
    }
    const n = s[k + 1] as string;
    if (n === 'x' || n === 'u' || n === 'U') {
      const max = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      let j = k + 2;
      while (j < s.length && j < k + 2 + max && isHex(s[j])) j++;
      if (j === k + 2) {
        out += `\\${n}`;
        k += 2;
        continue;
      }
      const code = Number.parseInt(s.slice(k + 2, j), 16);
      out += code <= 0x10ffff ? String.fromCodePoint(code) : '';
      k = j;
      continue;
    }
    if (isOctal(n)) {
      // `\0NNN` (echo -e) and `\NNN` (printf, $'…'): up to three octal digits after an optional leading 0.
      let j = k + 1;
      if (n === '0' && isOctal(s[k + 2])) j++;
      const start = j;
      while (j < s.length && j < start + 3 && isOctal(s[j])) j++;
      out += String.fromCharCode(Number.parseInt(s.slice(start, j), 8) & 0xff);
      k = j;
      continue;
    }
    const simple = SIMPLE[n];
    out += simple ?? `\\${n}`;
    k += 2;
  }
  return out;
}
