// A small, linear-time TeX tokenizer: enough structure (control sequences, groups, comments) to
// find environments, rows, labels and macro definitions without running a TeX engine.

export type TexTokenKind = 'cs' | 'open' | 'close' | 'space' | 'comment' | 'char';

export interface TexToken {
  kind: TexTokenKind;
  /** `\frac`, `\\`, `{`, `x` … (a space run or comment keeps its whole text). */
  text: string;
  start: number;
  end: number;
}

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

export function scanTex(src: string): TexToken[] {
  const tokens: TexToken[] = [];
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    const start = i;
    if (c === 92 /* \ */) {
      i++;
      if (i < n && isLetter(src.charCodeAt(i))) {
        while (i < n && isLetter(src.charCodeAt(i))) i++;
      } else if (i < n) {
        // \\ and \{ etc.; keep surrogate pairs whole.
        const cc = src.charCodeAt(i);
        i += cc >= 0xd800 && cc <= 0xdbff && i + 1 < n ? 2 : 1;
      }
      tokens.push({ kind: 'cs', text: src.slice(start, i), start, end: i });
    } else if (c === 123) {
      tokens.push({ kind: 'open', text: '{', start, end: ++i });
    } else if (c === 125) {
      tokens.push({ kind: 'close', text: '}', start, end: ++i });
    } else if (c === 37 /* % */) {
      while (i < n && src.charCodeAt(i) !== 10) i++;
      tokens.push({ kind: 'comment', text: src.slice(start, i), start, end: i });
    } else if (isSpace(c)) {
      while (i < n && isSpace(src.charCodeAt(i))) i++;
      tokens.push({ kind: 'space', text: src.slice(start, i), start, end: i });
    } else {
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      tokens.push({ kind: 'char', text: src.slice(start, i), start, end: i });
    }
  }
  return tokens;
}

/** Index of the first token at or after i that is not a space or comment. */
export function skipSpaces(tokens: readonly TexToken[], i: number): number {
  while (i < tokens.length && (tokens[i].kind === 'space' || tokens[i].kind === 'comment')) i++;
  return i;
}

const closeTables = new WeakMap<readonly TexToken[], Int32Array>();

/** Index of the `}` matching the `{` at tokens[i], or -1 when unbalanced (one pass per token list). */
export function matchingClose(tokens: readonly TexToken[], i: number): number {
  let table = closeTables.get(tokens);
  if (!table) {
    table = new Int32Array(tokens.length).fill(-1);
    const stack: number[] = [];
    for (let j = 0; j < tokens.length; j++) {
      if (tokens[j].kind === 'open') stack.push(j);
      else if (tokens[j].kind === 'close' && stack.length) table[stack.pop()!] = j;
    }
    closeTables.set(tokens, table);
  }
  return table[i] ?? -1;
}

export interface TexArgument {
  /** Token range of the whole argument, including braces: [first, last]. */
  first: number;
  last: number;
  /** Source offsets of the content (inside braces, if any). */
  contentStart: number;
  contentEnd: number;
  braced: boolean;
}

/** Reads a mandatory argument starting at or after token i (a group or a single token). */
export function readArgument(tokens: readonly TexToken[], i: number): TexArgument | undefined {
  const j = skipSpaces(tokens, i);
  const t = tokens[j];
  if (!t || t.kind === 'close') return undefined;
  if (t.kind === 'open') {
    const close = matchingClose(tokens, j);
    if (close < 0) return undefined;
    return { first: j, last: close, contentStart: t.end, contentEnd: tokens[close].start, braced: true };
  }
  return { first: j, last: j, contentStart: t.start, contentEnd: t.end, braced: false };
}

/** Reads an optional `[…]` argument at or after token i (brackets at brace depth 0). */
export function readOptionalArgument(tokens: readonly TexToken[], i: number): TexArgument | undefined {
  const j = skipSpaces(tokens, i);
  if (tokens[j]?.kind !== 'char' || tokens[j].text !== '[') return undefined;
  let depth = 0;
  for (let k = j + 1; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'open') depth++;
    else if (t.kind === 'close') depth--;
    else if (depth === 0 && t.kind === 'char' && t.text === ']') {
      return { first: j, last: k, contentStart: tokens[j].end, contentEnd: t.start, braced: true };
    }
    if (depth < 0) return undefined;
  }
  return undefined;
}

/** The environment name of `\begin{name}` / `\end{name}` at token i, if it is one. */
export function environmentName(tokens: readonly TexToken[], i: number, src: string): string | undefined {
  const t = tokens[i];
  if (t.kind !== 'cs' || (t.text !== '\\begin' && t.text !== '\\end')) return undefined;
  const arg = readArgument(tokens, i + 1);
  if (!arg || !arg.braced) return undefined;
  return src.slice(arg.contentStart, arg.contentEnd).trim();
}
