// Where the math is in a text: the one set of rules. MathJax 3's FindTeX is the specification —
// `$…$` and `\(…\)` inline, `$$…$$`, `\[…\]` and environments display; a closer counts only at
// brace depth 0 with `\x` skipped; `\$` and `\\` are escapes. Where a note is Markdown we add what
// a Markdown page needs: a `$` pair must read as math (pandoc's rule, so prices stay prices), an
// inline formula stays in its paragraph, and a display continues across blank lines only to a
// closer that cannot be another formula's opener (an unclosed delimiter never swallows the note).
// The markdown-it rules (`mathSyntax.ts`) and the block cutter are built on these functions;
// nothing else decides where math starts or ends.

import { isNumberingEnvironment } from '../math/numbering';

/** Environments typeset as display math when they stand outside delimiters (MathJax's and KaTeX's math environments). */
export const DISPLAY_ENVIRONMENTS = new Set(
  [
    'equation',
    'align',
    'gather',
    'multline',
    'flalign',
    'alignat',
    'eqnarray',
    'xalignat',
    'xxalignat',
    'aligned',
    'alignedat',
    'gathered',
    'split',
    'array',
    'darray',
    'matrix',
    'pmatrix',
    'bmatrix',
    'Bmatrix',
    'vmatrix',
    'Vmatrix',
    'smallmatrix',
    'cases',
    'dcases',
    'rcases',
    'drcases',
    'CD',
    'subarray',
    'multlined',
  ].flatMap((e) => [e, e + '*']),
);

/** How far a display may run before we call its opener unclosed (characters; lines). */
export const MAX_DISPLAY_CHARS = 2_000_000;
export const MAX_DISPLAY_LINES = 1000;
/** How far past the first candidate an inline `$` closer is looked for at brace depth 0. */
const MAX_BRACED_SCAN = 4096;

export type DisplayKind = 'dollars' | 'brackets' | 'escapedBrackets' | 'env';

export interface Opener {
  kind: DisplayKind | 'dollar' | 'paren' | 'escapedParen';
  /** Offset of the opener, and of the math content (an environment's content includes its `\begin`). */
  start: number;
  contentStart: number;
  /** After the opener's text (`\begin{x}` whole). */
  openerEnd: number;
  env?: string;
}

export interface Closing {
  /** Offset where the math content ends, and just past the closer. */
  contentEnd: number;
  end: number;
}

export interface FinderOptions {
  /** Whether `\(…\)` and `\[…\]` delimit math (else they are Markdown's escaped brackets). */
  brackets: boolean;
  /** Whether `\\(…\\)` and `\\[…\\]` do (mdBook: the site's Markdown makes them `\(…\)`, see mathDialect.ts). */
  escapedBrackets?: boolean;
}

const ENV_BEGIN = /\\begin\s*\{([A-Za-z]+\*?)\}/y;

/** The display opener at `pos` (`$$`, `\[`, a display environment's `\begin`), if any. */
export function displayOpenerAt(src: string, pos: number, options: FinderOptions): Opener | undefined {
  const c = src.charCodeAt(pos);
  if (c === 0x24) {
    if (src.charCodeAt(pos + 1) !== 0x24 || isEscaped(src, pos)) return undefined;
    return { kind: 'dollars', start: pos, contentStart: pos + 2, openerEnd: pos + 2 };
  }
  if (c !== 0x5c) return undefined;
  // The shape first, whether it is escaped after: counting the backslashes before every one of a
  // long run of them would be quadratic.
  const c2 = src.charCodeAt(pos + 1);
  if (c2 === 0x5c && options.escapedBrackets && src.charCodeAt(pos + 2) === 0x5b) {
    return isEscaped(src, pos) ? undefined : { kind: 'escapedBrackets', start: pos, contentStart: pos + 3, openerEnd: pos + 3 };
  }
  if (c2 === 0x5b)
    return options.brackets && !isEscaped(src, pos)
      ? { kind: 'brackets', start: pos, contentStart: pos + 2, openerEnd: pos + 2 }
      : undefined;
  if (c2 !== 0x62 || isEscaped(src, pos)) return undefined;
  ENV_BEGIN.lastIndex = pos;
  const m = ENV_BEGIN.exec(src);
  if (!m || !DISPLAY_ENVIRONMENTS.has(m[1])) return undefined;
  return { kind: 'env', start: pos, contentStart: pos, openerEnd: pos + m[0].length, env: m[1] };
}

/** The inline opener at `pos` (`$` alone, `\(`), if any: whether it pairs is `findClosing`'s and `dollarPairIsMath`'s to say. */
export function inlineOpenerAt(src: string, pos: number, options: FinderOptions): Opener | undefined {
  const c = src.charCodeAt(pos);
  if (c === 0x24) {
    if (src.charCodeAt(pos + 1) === 0x24 || isEscaped(src, pos)) return undefined;
    return { kind: 'dollar', start: pos, contentStart: pos + 1, openerEnd: pos + 1 };
  }
  if (c === 0x5c && src.charCodeAt(pos + 1) === 0x28 && options.brackets && !isEscaped(src, pos)) {
    return { kind: 'paren', start: pos, contentStart: pos + 2, openerEnd: pos + 2 };
  }
  if (
    c === 0x5c &&
    options.escapedBrackets &&
    src.charCodeAt(pos + 1) === 0x5c &&
    src.charCodeAt(pos + 2) === 0x28 &&
    !isEscaped(src, pos)
  ) {
    return { kind: 'escapedParen', start: pos, contentStart: pos + 3, openerEnd: pos + 3 };
  }
  return undefined;
}

/** Whether the character at `pos` is escaped by an odd run of backslashes before it. */
export function isEscaped(src: string, pos: number): boolean {
  let n = 0;
  while (pos - 1 - n >= 0 && src.charCodeAt(pos - 1 - n) === 0x5c) n++;
  return n % 2 === 1;
}

const CLOSER: Record<Exclude<Opener['kind'], 'env'>, string> = {
  dollars: '$$',
  brackets: '\\]',
  dollar: '$',
  paren: '\\)',
  escapedBrackets: '\\\\]',
  escapedParen: '\\\\)',
};

/**
 * How much failed closer-scanning one parse may do. Each scan is linear, but a paragraph of
 * openers that never close (`\begin{aligned}` or `\[{` repeated) would make them quadratic
 * together: past the budget an opener is taken as unclosed at once. Notes fail a few scans.
 */
export interface ScanBudget {
  left: number;
}
export const scanBudget = (size: number): ScanBudget => ({ left: 8 * size + 4_000_000 });
const unlimited: ScanBudget = { left: Infinity };

/**
 * The closer of `opener` before `limit`: the first one, scanning `\x` as one unit — except that a
 * `$` inside an open `\text{…}` belongs to the text, and there, as MathJax does, only a closer at
 * brace depth 0 counts. (MathJax counts braces for every closer; with a brace left open it finds
 * no closer, shows the `$` as text and pairs the next `$` with the one after: we close at the
 * first `$`, as Markdown renderers do, and show KaTeX's message where the brace is.)
 * An environment closes at its `\end{name}` with nesting of the same name counted; a numbered
 * environment cannot contain itself (a second `\begin` means the first was never closed).
 * undefined: no closer (the opener is text).
 */
export function findClosing(src: string, opener: Opener, limit: number, budget: ScanBudget = unlimited): Closing | undefined {
  if (budget.left <= 0) return undefined;
  const before = budget.left;
  const closing = closingOf(src, opener, limit, budget);
  // Only failed scans count: a found formula's text is consumed, so found scans stay linear.
  if (closing) budget.left = before;
  return closing;
}

function closingOf(src: string, opener: Opener, limit: number, budget: ScanBudget): Closing | undefined {
  const stop = Math.min(limit, src.length, opener.openerEnd + MAX_DISPLAY_CHARS);
  if (opener.kind === 'env') return findEnvironmentEnd(src, opener.openerEnd, stop, opener.env!, budget);
  const found = scanToCloser(src, opener, stop, budget);
  if (!found) return undefined;
  const end = found.at + CLOSER[opener.kind].length;
  if (
    found.braces === 0 ||
    (opener.kind !== 'dollar' && opener.kind !== 'dollars') ||
    !TEXT_GROUP_OPEN.test(src.slice(opener.contentStart, found.at))
  ) {
    return { contentEnd: found.at, end };
  }
  // `$\text{cost $5}$`: a `$` inside braces belongs to the text; MathJax looks on.
  return findDepthZeroCloser(src, opener, Math.min(stop, found.at + 1 + MAX_BRACED_SCAN), budget) ?? { contentEnd: found.at, end };
}

const TEXT_GROUP_OPEN = /\\(?:text\w*|mbox|hbox)\s*\{/;

/** The first closer at any depth, with the brace depth there. */
function scanToCloser(src: string, opener: Opener, stop: number, budget: ScanBudget): { at: number; braces: number } | undefined {
  const closer = CLOSER[opener.kind as Exclude<Opener['kind'], 'env'>];
  const first = closer.charCodeAt(0);
  let braces = 0;
  let i = opener.contentStart;
  try {
    for (; i < stop; i++) {
      const c = src.charCodeAt(i);
      if (c === first && src.startsWith(closer, i) && i + closer.length <= stop) return { at: i, braces };
      if (c === 0x5c)
        i = skipControl(src, i); // `\x`: a control symbol or the start of a control word, never a closer
      else if (c === 0x7b) braces++;
      else if (c === 0x7d && braces > 0) braces--;
    }
    return undefined;
  } finally {
    budget.left -= i - opener.contentStart;
  }
}

function findDepthZeroCloser(src: string, opener: Opener, stop: number, budget: ScanBudget): Closing | undefined {
  const closer = CLOSER[opener.kind as Exclude<Opener['kind'], 'env'>];
  let braces = 0;
  budget.left -= stop - opener.contentStart;
  for (let i = opener.contentStart; i < stop; i++) {
    const c = src.charCodeAt(i);
    if (braces === 0 && src.startsWith(closer, i) && i + closer.length <= stop) return { contentEnd: i, end: i + closer.length };
    if (c === 0x5c) i = skipControl(src, i);
    else if (c === 0x7b) braces++;
    else if (c === 0x7d && braces > 0) braces--;
  }
  return undefined;
}

/**
 * Past the `\x` at `i` (returns the index of its last character). `\\{` and `\\}` count as the
 * escaped braces the author wrote: a converter (html2text) or a Markdown site (kramdown, mdBook)
 * doubles that backslash, and the TeX pipeline reads them back as `\{` (conversionArtefacts.ts).
 */
function skipControl(src: string, i: number): number {
  if (src.charCodeAt(i + 1) === 0x5c) {
    const after = src.charCodeAt(i + 2);
    if (after === 0x7b || after === 0x7d) return i + 2;
  }
  return i + 1;
}

const ENV_MARK = /\\(begin|end)\s*\{([A-Za-z]+\*?)\}/g;

function findEnvironmentEnd(src: string, from: number, stop: number, name: string, budget: ScanBudget): Closing | undefined {
  const re = new RegExp(ENV_MARK.source, 'g');
  re.lastIndex = from;
  let depth = 1;
  let at = from;
  try {
    for (let m = re.exec(src); m && m.index + m[0].length <= stop; m = re.exec(src)) {
      at = m.index;
      if (m[2] !== name || isEscaped(src, m.index)) continue;
      if (m[1] === 'begin' && isNumberingEnvironment(name)) return undefined;
      depth += m[1] === 'begin' ? 1 : -1;
      if (depth === 0) return { contentEnd: m.index + m[0].length, end: m.index + m[0].length };
    }
    at = stop;
    return undefined;
  } finally {
    budget.left -= Math.max(0, at - from);
  }
}

// ---- Markdown's additions ----------------------------------------------------------------------

const isSpaceCode = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const LOOKS_LIKE_TEX = /\\[A-Za-z]|[_^{}=+]/;
const SPACED_TEX = /\\[A-Za-z]|[_^{}=<>]/;
const CONTROL_WORD = /\\[A-Za-z]{2,}/;
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
/** A blank line inside a paragraph's text (in a quote, a line of `>` only). */
export const BLANK_LINE = /\n[ \t>]*\n/;

/**
 * Whether a `$…$` pair is math in a Markdown note (pandoc's rule, as the blogs write it): no digit
 * right after the closer; spaces inside only around content that is plainly TeX and not prose;
 * content that starts with a digit and reads as prose (`$5和$`) is currency.
 */
export function dollarPairIsMath(src: string, opener: Opener, closing: Closing): boolean {
  if (isDigit(src.charCodeAt(closing.end))) return false;
  const content = src.slice(opener.contentStart, closing.contentEnd);
  if (content === '') return false;
  const next = src.charCodeAt(opener.contentStart);
  // Spaces inside (Typora and Obsidian allow them): math only around plain TeX — a control word
  // if prose characters are in it, so that `花了 $ 10 和 $ 20` stays prices.
  if (
    (isSpaceCode(next) || isSpaceCode(src.charCodeAt(closing.contentEnd - 1))) &&
    !(CJK.test(content) ? CONTROL_WORD.test(content) : SPACED_TEX.test(content))
  )
    return false;
  if (isDigit(next) && CJK.test(content) && !LOOKS_LIKE_TEX.test(content)) return false;
  // An inline formula stays in its paragraph.
  return !BLANK_LINE.test(content);
}

/** `\[…\]` holding `$…$` is Markdown's escaped brackets around prose, not a formula. */
export function bracketsHoldProse(tex: string): boolean {
  return /(^|[^\\])\$/.test(tex.replace(/\\(?:text|mbox|textrm|textbf)\s*\{[^{}]*\}/g, ''));
}

/** The inline formula at `pos` and where it ends, if the text there is one (`$…$`, `\(…\)`, `$$…$$`, `\[…\]`, an environment). */
export interface FoundFormula {
  opener: Opener;
  closing: Closing;
  display: boolean;
}

export function formulaAt(
  src: string,
  pos: number,
  limit: number,
  options: FinderOptions,
  budget: ScanBudget = unlimited,
): FoundFormula | undefined {
  const display = displayOpenerAt(src, pos, options);
  if (display) {
    const closing = findClosing(src, display, limit, budget);
    if (!closing) return undefined;
    if (display.kind === 'brackets' && bracketsHoldProse(src.slice(display.contentStart, closing.contentEnd))) return undefined;
    return { opener: display, closing, display: true };
  }
  const inline = inlineOpenerAt(src, pos, options);
  if (!inline) return undefined;
  const closing = findClosing(src, inline, limit, budget);
  if (!closing) return undefined;
  if (inline.kind === 'dollar' && !dollarPairIsMath(src, inline, closing)) return undefined;
  if ((inline.kind === 'paren' || inline.kind === 'escapedParen') && BLANK_LINE.test(src.slice(inline.contentStart, closing.contentEnd)))
    return undefined;
  return { opener: inline, closing, display: false };
}

/**
 * What an opener shown as text is, for lint: a delimiter that opens math the author meant (TeX
 * follows it) and that has no partner. Prices (`$5`) and `$` followed by a space are not openers.
 */
export function meantAsOpener(src: string, opener: Opener): boolean {
  if (opener.kind !== 'dollar') return true;
  const lineEnd = src.indexOf('\n', opener.contentStart);
  const rest = src.slice(opener.contentStart, Math.min(lineEnd < 0 ? src.length : lineEnd, opener.contentStart + 200));
  return rest.length > 0 && !/^\s/.test(rest) && !rest.includes('$') && /\\[A-Za-z]+|[_^]\{|[_^][A-Za-z0-9]/.test(rest);
}

// ---- Displays across blank lines ---------------------------------------------------------------

/** A line no display can run past: a fence, an ATX heading (Markdown's, not TeX's). */
const HARD_STOP = /^ {0,3}(?:`{3,}|~{3,}|#{1,6}(?:[ \t]|$))/;
export const isHardStop = (line: string): boolean => HARD_STOP.test(line);
/** Prose: four CJK ideographs in a row outside `\text{…}` and friends. */
const PROSE = /[\u3400-\u9fff]{4}/;
/** Prose in Latin script: three words of three letters or more in a row, none a control word. */
const LATIN_PROSE = /(?:^|[^\\A-Za-z])[A-Za-z]{3,}[ \t]+[A-Za-z]{3,}[ \t]+[A-Za-z]{3,}/;
const TEXT_GROUPS = /\\(?:text\w*|mbox|mathrm|operatorname\*?|tag\*?|label|hbox|intertext|shortintertext)\s*\{[^{}]*\}/g;

/**
 * Whether a display whose closer lies past a blank line may run to it: what it would swallow after
 * the first blank line must read as TeX (no `$`, no prose, no fence or heading, no other display's
 * opener), and an opener left in the rest of the closer's paragraph must close somewhere (else the
 * closer was that display's opener: `$$ a` unclosed, then a `$$ … $$` block).
 * Returns undefined when it may not, else how far into `afterCloser` the answer looked (the block
 * cutter keeps that much together with the display, see `splitBlocks`).
 */
export function mayCrossBlankLines(
  spanned: string,
  afterCloser: string,
  options: FinderOptions,
  budget: ScanBudget = unlimited,
): number | undefined {
  const blank = BLANK_LINE.exec(spanned);
  if (!blank) return 0;
  const tail = spanned.slice(blank.index);
  for (const line of tail.split('\n')) {
    const stripped = line.replace(/^[ \t>]*/, '');
    if (HARD_STOP.test(stripped)) return undefined;
  }
  const tex = tail.replace(TEXT_GROUPS, '');
  if (/(^|[^\\])\$/.test(tex) || PROSE.test(tex) || LATIN_PROSE.test(tex)) return undefined;
  if (/\\\[/.test(tex) && options.brackets) return undefined;
  const para = afterCloser.split(BLANK_LINE)[0];
  const open = openDisplayAtEnd(para, options, budget);
  if (!open) return 0;
  const closing = findClosing(afterCloser, open, afterCloser.length, budget);
  return closing ? closing.end : undefined;
}

/**
 * Whether no display can run across a blank line into this line (mayCrossBlankLines' rule): what
 * a display would swallow of it, at least up to its first `$` or `\` (where a closer could stand),
 * is prose, or the line is a hard stop. The parse of a post may start at such a line after a blank
 * one, or end before it, without changing anything on either side (postParse.ts).
 */
export function endsDisplaysAbove(line: string): boolean {
  if (isHardStop(line.replace(/^[ \t>]*/, ''))) return true;
  const head = line.slice(0, firstOf(line, '$', '\\'));
  return PROSE.test(head) || LATIN_PROSE.test(head);
}

function firstOf(s: string, a: string, b: string): number {
  const i = s.indexOf(a);
  const j = s.indexOf(b);
  return i < 0 ? (j < 0 ? s.length : j) : j < 0 ? i : Math.min(i, j);
}

/** The display opener `text` ends inside of (its closer is not in `text`), skipping code spans and escapes. */
export function openDisplayAtEnd(text: string, options: FinderOptions, budget: ScanBudget = unlimited): Opener | undefined {
  const src = blankCodeSpans(text);
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c !== 0x24 && c !== 0x5c) continue;
    const found = formulaAt(src, i, src.length, options, budget);
    if (found) {
      i = found.closing.end - 1;
      continue;
    }
    const display = displayOpenerAt(src, i, options);
    if (display) return display;
    if (c === 0x5c) i++;
  }
  return undefined;
}

/** Code spans turned into spaces (same length): no delimiter inside one counts. */
export function blankCodeSpans(text: string): string {
  if (!text.includes('`')) return text;
  return text.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, (m) => m.replace(/[^\n]/g, ' '));
}
