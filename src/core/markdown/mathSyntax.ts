// markdown-it rules that find math. markdown-it-texmath supplies the `\(…\)` and inline `$$…$$`
// rules; we add what it lacks (texmath#16/#49/#54, starred environments, pandoc's `$` rule):
// display blocks that interrupt a paragraph, inside lists and quotes; `\[…\]` and bare
// environments in the middle of a line; `$` that is not math; bare `\eqref` in prose.

import MarkdownIt = require('markdown-it');
import { isNumberingEnvironment } from '../math/numbering';

export type Markdown = InstanceType<typeof MarkdownIt>;

type StateBlock = MarkdownIt.StateBlock;
type StateInline = MarkdownIt.StateInline;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const texmath = require('markdown-it-texmath') as TexmathModule;

interface TexmathRule {
  name: string;
  rex: RegExp;
  tag: string;
  pre?: (str: string, outerSpace: boolean, pos: number) => boolean;
  post?: (str: string, outerSpace: boolean, pos: number) => boolean;
}
interface TexmathModule {
  inline(rule: TexmathRule): (state: StateInline, silent: boolean) => boolean;
  rules: { brackets: { inline: TexmathRule[] }; dollars: { inline: TexmathRule[] } };
}

/** Environments that MathJax typesets as display math when they stand outside delimiters. */
export const DISPLAY_ENVIRONMENTS = new Set([
  'equation', 'align', 'gather', 'multline', 'flalign', 'alignat', 'eqnarray', 'xalignat',
  'aligned', 'alignedat', 'gathered', 'split', 'array', 'darray', 'matrix', 'pmatrix', 'bmatrix', 'Bmatrix',
  'vmatrix', 'Vmatrix', 'smallmatrix', 'cases', 'dcases', 'rcases', 'CD', 'subarray',
].flatMap((e) => [e, e + '*']));

export const TOKEN = {
  block: 'mn_math_block',
  inline: 'mn_math_inline',
  inlineDisplay: 'mn_math_inline_display',
  ref: 'mn_eqref',
} as const;

interface Closing {
  /** Offset just past the closing delimiter. */
  end: number;
  /** Offset where the math content ends. */
  contentEnd: number;
}

const ENV_BEGIN = /\\begin\s*\{([A-Za-z]+\*?)\}/y;

/** Top-level display environments cannot contain themselves: a second \begin means the first is unclosed. */
const NOT_NESTABLE = { has: isNumberingEnvironment };
/** How far an environment or `\[` may run inside a paragraph before we call it unclosed. */
const MAX_INLINE_DISPLAY = 50000;

/** Finds the `\end{name}` that closes the environment whose body starts at `from` (nesting counted). */
function findEnvironmentEnd(src: string, from: number, limit: number, name: string): Closing | undefined {
  const re = /\\(begin|end)\s*\{([A-Za-z]+\*?)\}/g;
  re.lastIndex = from;
  let depth = 1;
  const stop = Math.min(limit, from + MAX_INLINE_DISPLAY);
  for (let m = re.exec(src); m && m.index < stop; m = re.exec(src)) {
    if (m[2] !== name) continue;
    if (m[1] === 'begin' && NOT_NESTABLE.has(name)) return undefined;
    depth += m[1] === 'begin' ? 1 : -1;
    if (depth === 0) return { end: m.index + m[0].length, contentEnd: m.index + m[0].length };
  }
  return undefined;
}

/** Which display opener starts at `pos`, and where its content starts. */
function displayOpener(src: string, pos: number): { kind: 'dollars' | 'brackets' | 'env'; contentStart: number; env?: string } | undefined {
  const c = src.charCodeAt(pos);
  if (c === 0x24 && src.charCodeAt(pos + 1) === 0x24) return { kind: 'dollars', contentStart: pos + 2 };
  if (c !== 0x5c) return undefined;
  const c2 = src.charCodeAt(pos + 1);
  if (c2 === 0x5b) return { kind: 'brackets', contentStart: pos + 2 };
  if (c2 !== 0x62) return undefined;
  ENV_BEGIN.lastIndex = pos;
  const m = ENV_BEGIN.exec(src);
  if (!m || !DISPLAY_ENVIRONMENTS.has(m[1])) return undefined;
  return { kind: 'env', contentStart: pos, env: m[1] };
}

function findClosing(src: string, opener: NonNullable<ReturnType<typeof displayOpener>>, limit: number): Closing | undefined {
  if (opener.kind === 'env') {
    const bodyStart = src.indexOf('}', opener.contentStart) + 1;
    return findEnvironmentEnd(src, bodyStart, limit, opener.env!);
  }
  const delim = opener.kind === 'dollars' ? '$$' : '\\]';
  let at = opener.contentStart;
  for (;;) {
    const k = src.indexOf(delim, at);
    if (k < 0 || k >= limit || k - opener.contentStart > MAX_INLINE_DISPLAY) return undefined;
    // `\$$` is an escaped dollar followed by a math shift: not our closer.
    if (opener.kind === 'dollars' && src.charCodeAt(k - 1) === 0x5c && src.charCodeAt(k - 2) !== 0x5c) {
      at = k + 1;
      continue;
    }
    return { end: k + delim.length, contentEnd: k };
  }
}

/**
 * For the block splitter: if a `$$` display block opens on lines[i] (as mathBlock would see it at
 * top level), the index of its last line; otherwise undefined.
 */
export function dollarBlockEnd(lines: readonly string[], i: number): number | undefined {
  const first = /^ {0,3}\$\$/.exec(lines[i]);
  if (!first) return undefined;
  for (let j = i; j < lines.length && j - i < MAX_BLOCK_LINES; j++) {
    const text = j === i ? lines[i].slice(first[0].length) : lines[j].trimStart();
    const close = findClosing(text, { kind: 'dollars', contentStart: 0 }, text.length);
    if (close) return text.slice(close.end).trim() === '' ? j : undefined;
  }
  return undefined;
}

/** A display formula longer than this many lines is taken as an unclosed delimiter. */
const MAX_BLOCK_LINES = 1000;

/** Block rule: a display formula starting a line, ending on a line with nothing after it. */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false; // indented code
  const start = state.bMarks[startLine] + state.tShift[startLine];
  const opener = displayOpener(state.src, start);
  if (!opener || (opener.kind === 'brackets' && !bracketsAreMath(state.env))) return false;
  const bodyStart = opener.kind === 'env' ? state.src.indexOf('}', start) + 1 : opener.contentStart;

  // Walk the lines of this container (list item, quote), so that the `>` and indentation of the
  // following lines are not part of the formula.
  const parts: string[] = [state.src.slice(opener.contentStart, bodyStart)];
  let depth = 1;
  for (let line = startLine; line < endLine && line - startLine < MAX_BLOCK_LINES; line++) {
    const lineStart = line === startLine ? bodyStart : state.bMarks[line] + state.tShift[line];
    const lineEnd = state.eMarks[line];
    if (line > startLine) {
      if (state.sCount[line] < state.blkIndent) return false; // left the container
      if (lineStart >= lineEnd && opener.kind !== 'dollars') return false; // a blank line ends \[ and environments
    }
    const text = state.src.slice(lineStart, lineEnd);
    let close: Closing | undefined;
    if (opener.kind === 'env') {
      const re = /\\(begin|end)\s*\{([A-Za-z]+\*?)\}/g;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[2] !== opener.env) continue;
        if (m[1] === 'begin' && NOT_NESTABLE.has(m[2])) return false;
        depth += m[1] === 'begin' ? 1 : -1;
        if (depth === 0) {
          close = { end: m.index + m[0].length, contentEnd: m.index + m[0].length };
          break;
        }
      }
    } else {
      close = findClosing(text, { ...opener, contentStart: 0 }, text.length);
    }
    if (!close) {
      parts.push(text);
      continue;
    }
    const rest = text.slice(close.end).trim();
    if (rest !== '') return false; // text follows on the line: the inline rules take it, text and all
    if (silent) return true;
    parts.push(text.slice(0, close.contentEnd));
    const token = state.push(TOKEN.block, 'math', 0);
    token.block = true;
    token.content = parts[0] + parts.slice(1).join('\n');
    token.markup = opener.kind;
    token.map = [startLine, line + 1];
    state.line = line + 1;
    return true;
  }
  return false;
}

// ---- inline rules ---------------------------------------------------------------------------

/**
 * `$…$`. The closing `$` is the first unescaped one, as in MathJax (TeX cannot contain a `$`), and
 * pandoc's rule decides whether the pair is math: no space after the opening `$`, none before the
 * closing one (unless the content is plainly TeX), no digit right after it. A pair whose content
 * starts with a digit and reads as prose (`$5和$`) is currency, not math.
 */
let dollarsFor = '';
let dollars: number[] = [];
function unescapedDollars(src: string): number[] {
  if (src === dollarsFor) return dollars;
  const out: number[] = [];
  for (let k = src.indexOf('$'); k >= 0; k = src.indexOf('$', k + 1)) {
    let slashes = 0;
    while (src.charCodeAt(k - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) out.push(k);
  }
  dollarsFor = src;
  dollars = out;
  return out;
}
const isSpaceCode = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const LOOKS_LIKE_TEX = /\\[A-Za-z]|[_^{}=+]/;
const SPACED_TEX = /\\[A-Za-z]|[_^{}=<>]/;
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

function firstAfter(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length ? sorted[lo] : -1;
}

function dollarInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const pos = state.pos;
  if (src.charCodeAt(pos) !== 0x24 || src.charCodeAt(pos + 1) === 0x24) return false;
  const next = src.charCodeAt(pos + 1);
  if (Number.isNaN(next)) return false;
  const close = firstAfter(unescapedDollars(src), pos + 1);
  if (close < 0 || close >= state.posMax) return false;
  if (isDigit(src.charCodeAt(close + 1))) return false;
  const content = src.slice(pos + 1, close);
  // Pandoc wants no space inside the dollars; the blog's author writes `$ > $` and `$x $` all the
  // same. Spaced dollars are math only when what they hold is plainly TeX and not prose.
  if ((isSpaceCode(next) || isSpaceCode(src.charCodeAt(close - 1))) && !(SPACED_TEX.test(content) && !CJK.test(content))) return false;
  if (isDigit(next) && CJK.test(content) && !LOOKS_LIKE_TEX.test(content)) return false;
  if (!silent) {
    const token = state.push(TOKEN.inline, 'math', 0);
    token.content = content;
    token.markup = '$';
  }
  state.pos = close + 1;
  return true;
}

/** `\[…\]` or a bare environment in the middle of a paragraph: display math inside the line. */
function displayInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const pos = state.pos;
  if (src.charCodeAt(pos) !== 0x5c) return false;
  const opener = displayOpener(src, pos);
  if (!opener || opener.kind === 'dollars' || (opener.kind === 'brackets' && !bracketsAreMath(state.env))) return false;
  const closing = findClosing(src, opener, state.posMax);
  if (!closing) return false;
  // `\[…\]` holding `$…$` is Markdown's escaped brackets around prose, not a formula.
  if (opener.kind === 'brackets' && hasDollarOutsideText(src.slice(opener.contentStart, closing.contentEnd))) return false;
  if (!silent) {
    const token = state.push(TOKEN.inlineDisplay, 'math', 0);
    token.content = src.slice(opener.contentStart, closing.contentEnd);
    token.markup = opener.kind;
  }
  state.pos = closing.end;
  return true;
}

function hasDollarOutsideText(tex: string): boolean {
  return /(^|[^\\])\$/.test(tex.replace(/\\(?:text|mbox|textrm|textbf)\s*\{[^{}]*\}/g, ''));
}

/** `\eqref{…}` and `\ref{…}` in prose: MathJax processes them outside math too. */
const REF = /\\(eqref|ref)\s*\{([^{}\n]{1,200})\}/y;
function proseRef(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x5c) return false;
  REF.lastIndex = state.pos;
  const m = REF.exec(state.src);
  if (!m) return false;
  if (!silent) {
    const token = state.push(TOKEN.ref, '', 0);
    token.content = m[2].trim();
    token.markup = m[1];
  }
  state.pos += m[0].length;
  return true;
}

/**
 * `\(` and `\[` are math delimiters in blog exports and in notes written that way; in a note that
 * writes its math with `$`, they are Markdown's escaped brackets (html2text writes `\(1\)`).
 */
function bracketsAreMath(env: unknown): boolean {
  return (env as { bracketDelimiters?: boolean } | undefined)?.bracketDelimiters !== false;
}

export function usesDollarMath(markdown: string): boolean {
  return /(^|[^\\$])\$[^\s$][^$\n]*\$/m.test(markdown);
}

const renamed = (rule: TexmathRule, name: string): TexmathRule => ({ ...rule, name, rex: new RegExp(rule.rex.source, rule.rex.flags) });

/** Adds the math rules to a markdown-it instance (token types in TOKEN; rendering is elsewhere). */
export function mathSyntax(md: Markdown): void {
  md.block.ruler.before('fence', TOKEN.block, mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  const [doubleDollar] = texmath.rules.dollars.inline; // `$$…$$` inside a line
  const [paren] = texmath.rules.brackets.inline; // `\(…\)`
  md.inline.ruler.before('escape', 'mn_math_double_dollar', texmath.inline(renamed(doubleDollar, TOKEN.inlineDisplay)));
  const parenRule = texmath.inline(renamed(paren, TOKEN.inline));
  md.inline.ruler.before('escape', 'mn_math_paren', (state, silent) => bracketsAreMath(state.env) && parenRule(state, silent));
  md.inline.ruler.before('escape', 'mn_math_display_inline', displayInline);
  md.inline.ruler.before('escape', 'mn_math_dollar', dollarInline);
  md.inline.ruler.before('escape', 'mn_eqref', proseRef);
}
