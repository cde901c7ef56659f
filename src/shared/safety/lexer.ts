// Shell-aware parser for the safety validator: one left-to-right pass over the command text that builds
// pipelines of simple commands, keeping quotes, escapes, substitutions, redirections and heredocs apart. Linear time.
import { decodeEscapes } from './escapes';

export interface Redirect {
  /** `>`, `>>`, `>|`, `&>`, `&>>`, `>&`, `<`, `<>`, `<&`, `<<`, `<<-`, `<<<`. */
  op: string;
  fd: number | null;
  target: string;
  /** Body of a heredoc (`<<`), once its lines have been read. */
  body?: string;
}

export interface Word {
  /** The word with quotes and escapes removed; substitutions kept as their source text. */
  text: string;
  /** Scripts inside `$(…)`, backticks, `<(…)`, `>(…)` and parentheses within the word. */
  substs: Script[];
}

export interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
  /** `( … )` run as the command itself. */
  subshell: Script | null;
  /** Name of a function this command defines (`name() …`). */
  funcDef: string | null;
}

interface Pipeline {
  commands: SimpleCommand[];
  /** Ended by `&`. */
  background: boolean;
}

export interface Script {
  pipelines: Pipeline[];
}

interface ParseResult {
  script: Script;
  /** An unterminated quote, substitution, `${…}` or a stray `)`. */
  unbalanced: boolean;
  /** Parentheses or substitutions nested deeper than the parser follows. */
  tooDeep: boolean;
}

/** How deep `( … )` and `$( … )` may nest before the parser stops following them (protects the stack). */
const MAX_PARSE_NESTING = 16;

const SPACE = 32;
const TAB = 9;
const NL = 10;
const CR = 13;
const SEMI = 59;
const AMP = 38;
const PIPE = 124;
const LPAREN = 40;
const RPAREN = 41;
const LT = 60;
const GT = 62;
const HASH = 35;
const BSLASH = 92;
const SQUOTE = 39;
const DQUOTE = 34;
const DOLLAR = 36;
const BTICK = 96;
const LBRACE = 123;
const RBRACE = 125;
const DASH = 45;
const ZERO = 48;
const NINE = 57;

interface PendingHeredoc {
  delim: string;
  stripTabs: boolean;
  redirect: Redirect;
}

class Parser {
  i = 0;
  readonly n: number;
  unbalanced = false;
  tooDeep = false;
  pending: PendingHeredoc[] = [];

  constructor(readonly src: string) {
    this.n = src.length;
  }

  code(at: number): number {
    return at < this.n ? this.src.charCodeAt(at) : -1;
  }
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

/** Characters that end an unquoted word. */
function isMeta(c: number): boolean {
  return (
    c === SPACE ||
    c === TAB ||
    c === NL ||
    c === CR ||
    c === SEMI ||
    c === AMP ||
    c === PIPE ||
    c === LPAREN ||
    c === RPAREN ||
    c === LT ||
    c === GT
  );
}

function newCommand(): SimpleCommand {
  return { words: [], redirects: [], subshell: null, funcDef: null };
}

function isEmptyCommand(c: SimpleCommand): boolean {
  return c.words.length === 0 && c.redirects.length === 0 && c.subshell === null && c.funcDef === null;
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

export function parseShell(src: string): ParseResult {
  const p = new Parser(src);
  const script = parseList(p, 0, -1);
  return { script, unbalanced: p.unbalanced, tooDeep: p.tooDeep };
}

/** Parses commands until EOF or the closing character `closer` (consumed). */
function parseList(p: Parser, nest: number, closer: number): Script {
  const script: Script = { pipelines: [] };
  let pipeline: Pipeline = { commands: [], background: false };
  let cmd = newCommand();

  const endCommand = (): void => {
    if (!isEmptyCommand(cmd)) pipeline.commands.push(cmd);
    cmd = newCommand();
  };
  const endPipeline = (background: boolean): void => {
    endCommand();
    if (pipeline.commands.length > 0) {
      pipeline.background = background;
      script.pipelines.push(pipeline);
    }
    pipeline = { commands: [], background: false };
  };

  while (p.i < p.n) {
    const c = p.src.charCodeAt(p.i);
    if (isBlank(c)) {
      p.i++;
      continue;
    }
    if (c === BSLASH && p.code(p.i + 1) === NL) {
      p.i += 2;
      continue;
    }
    if (c === NL) {
      p.i++;
      endPipeline(false);
      readHeredocBodies(p);
      continue;
    }
    if (c === closer) {
      p.i++;
      endPipeline(false);
      return script;
    }
    if (c === HASH) {
      const nl = p.src.indexOf('\n', p.i);
      p.i = nl === -1 ? p.n : nl;
      continue;
    }
    if (c === SEMI) {
      p.i += p.code(p.i + 1) === SEMI ? 2 : 1;
      endPipeline(false);
      continue;
    }
    if (c === AMP) {
      const next = p.code(p.i + 1);
      if (next === AMP) {
        p.i += 2;
        endPipeline(false);
        continue;
      }
      if (next === GT) {
        readRedirect(p, cmd, null, nest);
        continue;
      }
      p.i++;
      endPipeline(true);
      continue;
    }
    if (c === PIPE) {
      if (p.code(p.i + 1) === PIPE) {
        p.i += 2;
        endPipeline(false);
        continue;
      }
      p.i += p.code(p.i + 1) === AMP ? 2 : 1;
      endCommand();
      continue;
    }
    if (c === LPAREN) {
      if (isEmptyCommand(cmd) && p.code(p.i + 1) === LPAREN) {
        // `(( expr ))`: arithmetic, not commands; its `>` is a comparison, not a redirection.
        skipBalanced(p, p.i + 2, 2);
        continue;
      }
      p.i++;
      const inner = parseNested(p, nest, RPAREN);
      if (cmd.words.length === 1 && cmd.subshell === null && inner.pipelines.length === 0) {
        cmd.funcDef = cmd.words[0]?.text ?? null;
        endCommand();
      } else if (isEmptyCommand(cmd)) {
        cmd.subshell = inner;
      } else {
        // Parentheses inside a command (PowerShell `iex (iwr …)`, or a syntax error): analyse what they hold.
        cmd.words.push({ text: '(…)', substs: [inner] });
      }
      continue;
    }
    if (c === RPAREN) {
      p.unbalanced = true;
      p.i++;
      continue;
    }
    if (c === LT || c === GT) {
      if (p.code(p.i + 1) === LPAREN) {
        // Process substitution `<(…)` / `>(…)` is an argument word.
        const start = p.i;
        p.i += 2;
        const inner = parseNested(p, nest, RPAREN);
        cmd.words.push({ text: p.src.slice(start, p.i), substs: [inner] });
        continue;
      }
      readRedirect(p, cmd, null, nest);
      continue;
    }
    const word = readWord(p, nest);
    const after = p.code(p.i);
    if ((after === LT || after === GT) && isDigits(word.text) && word.substs.length === 0) {
      readRedirect(p, cmd, Number(word.text), nest);
      continue;
    }
    cmd.words.push(word);
  }
  if (closer !== -1) p.unbalanced = true;
  endPipeline(false);
  return script;
}

function parseNested(p: Parser, nest: number, closer: number): Script {
  if (nest + 1 > MAX_PARSE_NESTING) {
    p.tooDeep = true;
    skipBalanced(p, p.i, 1);
    return { pipelines: [] };
  }
  return parseList(p, nest + 1, closer);
}

/** Skips to the `)` that closes `depth` open parentheses, starting at `from`; marks unbalanced at EOF. */
function skipBalanced(p: Parser, from: number, depth: number): void {
  let d = depth;
  let k = from;
  while (k < p.n) {
    const c = p.src.charCodeAt(k);
    if (c === LPAREN) d++;
    else if (c === RPAREN) {
      d--;
      if (d === 0) {
        p.i = k + 1;
        return;
      }
    }
    k++;
  }
  p.i = p.n;
  p.unbalanced = true;
}

function readRedirect(p: Parser, cmd: SimpleCommand, fd: number | null, nest: number): void {
  const c = p.code(p.i);
  const c1 = p.code(p.i + 1);
  const c2 = p.code(p.i + 2);
  let op: string;
  if (c === AMP) {
    // `&>` / `&>>`: stdout and stderr to a file.
    op = c2 === GT ? '&>>' : '&>';
  } else if (c === GT) {
    op = c1 === GT ? '>>' : c1 === PIPE ? '>|' : c1 === AMP ? '>&' : '>';
  } else if (c1 === LT) {
    op = c2 === LT ? '<<<' : c2 === DASH ? '<<-' : '<<';
  } else {
    op = c1 === AMP ? '<&' : c1 === GT ? '<>' : '<';
  }
  p.i += op.length;
  while (p.i < p.n && isBlank(p.src.charCodeAt(p.i))) p.i++;
  const target = p.i < p.n && !isMeta(p.src.charCodeAt(p.i)) ? readWord(p, nest) : null;
  if (target === null) {
    // `>` with nothing after it is a shell syntax error; treat it as unanalysable.
    p.unbalanced = true;
    return;
  }
  const redirect: Redirect = { op, fd, target: target.text };
  cmd.redirects.push(redirect);
  // A target built from a substitution (`> $(cmd)`) runs that command.
  if (target.substs.length > 0) cmd.words.push({ text: '', substs: target.substs });
  if (op === '<<' || op === '<<-') p.pending.push({ delim: target.text, stripTabs: op === '<<-', redirect });
}

/** After a newline: reads the bodies of the heredocs opened on the line just ended. */
function readHeredocBodies(p: Parser): void {
  if (p.pending.length === 0) return;
  const pending = p.pending;
  p.pending = [];
  for (const h of pending) {
    const start = p.i;
    let bodyEnd = p.n;
    while (p.i < p.n) {
      const nl = p.src.indexOf('\n', p.i);
      const lineEnd = nl === -1 ? p.n : nl;
      let lineStart = p.i;
      if (h.stripTabs) while (lineStart < lineEnd && p.src.charCodeAt(lineStart) === TAB) lineStart++;
      const isDelim = lineEnd - lineStart === h.delim.length && p.src.startsWith(h.delim, lineStart);
      p.i = nl === -1 ? p.n : nl + 1;
      if (isDelim) {
        bodyEnd = lineStart;
        break;
      }
    }
    h.redirect.body = p.src.slice(start, Math.max(start, bodyEnd));
  }
}

/** Reads one word up to an unquoted metacharacter, removing quotes and escapes. */
function readWord(p: Parser, nest: number): Word {
  const word: Word = { text: '', substs: [] };
  let text = '';
  while (p.i < p.n) {
    const c = p.src.charCodeAt(p.i);
    if (isMeta(c)) break;
    if (c === BSLASH) {
      if (p.i + 1 >= p.n) {
        p.i++;
        break;
      }
      if (p.src.charCodeAt(p.i + 1) !== NL) text += p.src[p.i + 1];
      p.i += 2;
      continue;
    }
    if (c === SQUOTE) {
      const end = p.src.indexOf("'", p.i + 1);
      if (end === -1) {
        p.unbalanced = true;
        text += p.src.slice(p.i + 1);
        p.i = p.n;
        break;
      }
      text += p.src.slice(p.i + 1, end);
      p.i = end + 1;
      continue;
    }
    if (c === DQUOTE) {
      text += readDoubleQuoted(p, word, nest);
      continue;
    }
    if (c === DOLLAR) {
      text += readDollar(p, word, nest);
      continue;
    }
    if (c === BTICK) {
      text += readBacktick(p, word, nest);
      continue;
    }
    text += p.src[p.i];
    p.i++;
  }
  word.text = text;
  return word;
}

/** At `"`: returns the unquoted content; substitutions inside are parsed into `word.substs`. */
function readDoubleQuoted(p: Parser, word: Word, nest: number): string {
  p.i++;
  let text = '';
  while (p.i < p.n) {
    const c = p.src.charCodeAt(p.i);
    if (c === DQUOTE) {
      p.i++;
      return text;
    }
    if (c === BSLASH) {
      const next = p.code(p.i + 1);
      if (next === DOLLAR || next === BTICK || next === DQUOTE || next === BSLASH) {
        text += p.src[p.i + 1];
        p.i += 2;
        continue;
      }
      if (next === NL) {
        p.i += 2;
        continue;
      }
      text += '\\';
      p.i++;
      continue;
    }
    if (c === DOLLAR) {
      text += readDollar(p, word, nest);
      continue;
    }
    if (c === BTICK) {
      text += readBacktick(p, word, nest);
      continue;
    }
    text += p.src[p.i];
    p.i++;
  }
  p.unbalanced = true;
  return text;
}

/** At `$`: `$(…)`, `$((…))`, `${…}`, `$'…'` or a plain `$`. Returns the text to keep in the word. */
function readDollar(p: Parser, word: Word, nest: number): string {
  const start = p.i;
  const next = p.code(p.i + 1);
  if (next === LPAREN) {
    if (p.code(p.i + 2) === LPAREN) {
      skipBalanced(p, p.i + 3, 2);
      return p.src.slice(start, p.i);
    }
    p.i += 2;
    word.substs.push(parseNested(p, nest, RPAREN));
    return p.src.slice(start, p.i);
  }
  if (next === LBRACE) {
    let depth = 1;
    let k = p.i + 2;
    while (k < p.n && depth > 0) {
      const c = p.src.charCodeAt(k);
      if (c === LBRACE) depth++;
      else if (c === RBRACE) depth--;
      k++;
    }
    if (depth > 0) p.unbalanced = true;
    p.i = k;
    return p.src.slice(start, k);
  }
  if (next === SQUOTE) {
    // ANSI-C quoting: the escapes are expanded, so `$'\x72\x6d'` reads as `rm`.
    let k = p.i + 2;
    while (k < p.n) {
      const c = p.src.charCodeAt(k);
      if (c === BSLASH && k + 1 < p.n) {
        k += 2;
        continue;
      }
      if (c === SQUOTE) break;
      k++;
    }
    if (k >= p.n) p.unbalanced = true;
    const raw = p.src.slice(p.i + 2, Math.min(k, p.n));
    p.i = Math.min(p.n, k + 1);
    return decodeEscapes(raw);
  }
  p.i++;
  return '$';
}

/** At a backtick: parses the content up to the next unescaped backtick as a nested script. */
function readBacktick(p: Parser, word: Word, nest: number): string {
  const start = p.i;
  let k = p.i + 1;
  let inner = '';
  while (k < p.n) {
    const c = p.src.charCodeAt(k);
    if (c === BSLASH && k + 1 < p.n) {
      inner += p.src.slice(k, k + 2);
      k += 2;
      continue;
    }
    if (c === BTICK) break;
    inner += p.src[k];
    k++;
  }
  if (k >= p.n) {
    p.unbalanced = true;
    p.i = p.n;
  } else {
    p.i = k + 1;
  }
  if (nest + 1 > MAX_PARSE_NESTING) {
    p.tooDeep = true;
  } else {
    const sub = new Parser(inner);
    word.substs.push(parseList(sub, nest + 1, -1));
    if (sub.unbalanced) p.unbalanced = true;
    if (sub.tooDeep) p.tooDeep = true;
  }
  return p.src.slice(start, p.i);
}
