// markdown-it rules for math, built on the finder (`mathFinder.ts`, the one place that says where
// math starts and ends): display blocks at a line's start (interrupting a paragraph, inside lists
// and quotes, across blank lines to their closer), paragraphs that continue to the closer of a
// display opened in them, the inline rule for every delimiter, openers shown as text (marked for
// lint), and bare `\eqref` in prose.

import MarkdownIt = require('markdown-it');
import { isNumberingEnvironment } from '../math/numbering';
import type { MathDialect } from './mathDialect';
import {
  BLANK_LINE,
  MAX_DISPLAY_LINES,
  blankCodeSpans,
  bracketsHoldProse,
  displayOpenerAt,
  findClosing,
  formulaAt,
  inlineOpenerAt,
  mayCrossBlankLines,
  meantAsOpener,
  openDisplayAtEnd,
  scanBudget,
  type Closing,
  type FinderOptions,
  type Opener,
  type ScanBudget,
} from './mathFinder';

export { DISPLAY_ENVIRONMENTS } from './mathFinder';

export type Markdown = InstanceType<typeof MarkdownIt>;

type StateBlock = MarkdownIt.StateBlock;
type StateInline = MarkdownIt.StateInline;

export const TOKEN = {
  block: 'mn_math_block',
  inline: 'mn_math_inline',
  inlineDisplay: 'mn_math_inline_display',
  ref: 'mn_eqref',
  /** An opener shown as text because nothing closes it (meta.kind says which; lint reports it). */
  unclosed: 'mn_unclosed_math',
  /**
   * Raw inline HTML the page drops (a comment, a refused tag): it shows nothing, but keeps its
   * line breaks (meta.newlines) and, for a comment, its text (lint reads its directives).
   */
  hiddenHtml: 'mn_hidden_html',
} as const;

/**
 * `\(` and `\[` are math delimiters in blog exports and in notes written that way; in a note that
 * writes its math with `$`, they are Markdown's escaped brackets (html2text writes `\(1\)`).
 */
export function finderOptions(env: unknown): FinderOptions {
  const e = env as { bracketDelimiters?: boolean; dialect?: MathDialect } | undefined;
  return { brackets: e?.bracketDelimiters !== false, escapedBrackets: !!e?.dialect?.escapedBrackets };
}

/** What one parse keeps (markdown-it passes the same env to every rule of a parse). */
interface ParseMemo {
  /** The scanning budget of the parse. */
  budget: ScanBudget;
  /** Displays' closings found, by first line (closeInContainer). */
  closings: Map<number, ClosingAnswer[]>;
}
/**
 * Kept on the env itself, under a symbol, not enumerable: JSON.stringify (which keys the block
 * parse cache) and `{ ...env }` (an env made from another for a new parse) do not see it. The rules
 * ask for it per line and per `$`, and a WeakMap entry per block parse showed in profiles.
 */
const MEMO = Symbol('mathParseMemo');

function parseMemo(env: unknown, size: number): ParseMemo {
  const holder = (env ?? {}) as { [MEMO]?: ParseMemo };
  let memo = holder[MEMO] ?? frozenEnvs.get(holder);
  if (!memo) {
    memo = { budget: scanBudget(size), closings: new Map() };
    if (Object.isExtensible(holder)) Object.defineProperty(holder, MEMO, { value: memo, enumerable: false });
    else frozenEnvs.set(holder, memo);
  }
  return memo;
}

/** The memos of envs a caller froze. */
const frozenEnvs = new WeakMap<object, ParseMemo>();

/** One scanning budget per parse. */
export function budgetOf(env: unknown, size: number): ScanBudget {
  return parseMemo(env, size).budget;
}

export function usesDollarMath(markdown: string): boolean {
  return /(^|[^\\$])\$[^\s$][^$\n]*\$/m.test(markdown);
}

// ---- block rules --------------------------------------------------------------------------------

/**
 * The text of this container's lines from `startLine` (the first from `from`), as far as a display
 * may run: `>` and indentation left out, a line that leaves the container ends it.
 */
function containerText(
  state: StateBlock,
  startLine: number,
  endLine: number,
  from: number,
  maxLines = MAX_DISPLAY_LINES,
): { text: string; lineStarts: number[]; columns: number[]; complete: boolean; reachedEnd: boolean } {
  const parts: string[] = [];
  const lineStarts: number[] = [];
  const columns: number[] = []; // where each line's text starts in its source line
  let offset = 0;
  let line = startLine;
  for (; line < endLine && line - startLine < maxLines; line++) {
    const lineStart = line === startLine ? from : state.bMarks[line] + state.tShift[line];
    const lineEnd = state.eMarks[line];
    if (line > startLine && lineStart < lineEnd && state.sCount[line] < state.blkIndent) break; // left the container
    const text = state.src.slice(lineStart, lineEnd);
    lineStarts.push(offset);
    columns.push(lineStart - (line === 0 ? 0 : state.eMarks[line - 1] + 1));
    parts.push(text);
    offset += text.length + 1;
  }
  // `reachedEnd`: read to `endLine`, not stopped by a line that left the container.
  return { text: parts.join('\n'), lineStarts, columns, complete: line - startLine < maxLines, reachedEnd: line >= endLine };
}

/**
 * The closer of the display `opener` (offsets relative to `from`) in this container's lines,
 * read in growing windows so that a formula of three lines costs three lines, not a thousand.
 * A closer is accepted once the window also holds as many lines after it as before it (what
 * `mayCrossBlankLines` looks at after the closer).
 */
function closeInContainer(state: StateBlock, startLine: number, endLine: number, from: number, opener: Opener, budget: ScanBudget) {
  // markdown-it asks a block rule the same question again and again (is this line a display that
  // ends the paragraph, the list item, the quote? then, for real): answer each once per parse.
  const memo = parseMemo(state.env, state.src.length).closings;
  const blkIndent = state.blkIndent;
  const asked = memo.get(startLine);
  const same = asked?.find(
    (a) => a.endLine === endLine && a.from === from && a.blkIndent === blkIndent && a.kind === opener.kind && a.start === opener.start,
  );
  if (same) return same.found;
  const found = closeInWindows(state, startLine, endLine, from, opener, budget);
  // An answer read from an altered source (tableMath.ts) holds its text: not kept for the real parse.
  if (sourceAltered === 0) {
    const answer: ClosingAnswer = { endLine, from, blkIndent, kind: opener.kind, start: opener.start, found };
    if (asked) asked.push(answer);
    else memo.set(startLine, [answer]);
  }
  return found;
}

/** A question closeInContainer answered, and its answer. */
interface ClosingAnswer {
  endLine: number;
  from: number;
  blkIndent: number;
  kind: Opener['kind'];
  start: number;
  found: ReturnType<typeof closeInWindows>;
}

let sourceAltered = 0;

/**
 * Runs `fn` while `state.src` is an altered copy of the source (the same length, only `|` inside
 * formulas replaced: tableMath.ts). Where displays close does not depend on a `|`, but the text a
 * display's memoised answer carries does: none is kept meanwhile.
 */
export function whileSourceAltered<T>(fn: () => T): T {
  sourceAltered++;
  try {
    return fn();
  } finally {
    sourceAltered--;
  }
}

function closeInWindows(state: StateBlock, startLine: number, endLine: number, from: number, opener: Opener, budget: ScanBudget) {
  const options = finderOptions(state.env);
  for (let lines = 8; budget.left > 0; lines *= 8) {
    const window = containerText(state, startLine, endLine, from, Math.min(lines, MAX_DISPLAY_LINES));
    const final = window.complete || lines >= MAX_DISPLAY_LINES;
    const closing = closeDisplay(window.text, opener, options, budget);
    // An answer that more text after the input's end could change: no closer yet, or one across
    // blank lines (judged by what follows it). A parse of part of a note must know (blockParse.ts).
    // Not when a line that left the container ended the window: what follows that line is never
    // read (a `$$` in a list item, its TeX unindented below, made every later edit of a 1 MB note
    // parse it whole).
    if (
      window.complete &&
      window.reachedEnd &&
      endLine >= state.lineMax &&
      (!closing || BLANK_LINE.test(window.text.slice(opener.contentStart, closing.contentEnd)))
    ) {
      const env = state.env as { readToEnd?: number };
      env.readToEnd = Math.min(env.readToEnd ?? Infinity, startLine);
    }
    if (closing) {
      const last = lineOf(window.lineStarts, closing.end - 1);
      if (final || 2 * (last + 1) <= window.lineStarts.length)
        return { closing, last, horizon: startLine + lineOf(window.lineStarts, Math.max(0, closing.horizon - 1)), ...window };
      continue;
    }
    // Reading the lines is most of a failed search's cost: it counts against the parse's budget.
    budget.left -= window.text.length;
    if (final || nestsItself(window.text, opener) || budget.left <= 0) {
      // No closer in the lines read: a closer typed there later would change this block.
      lookedAt(state, startLine, startLine + window.lineStarts.length - 1);
      return undefined;
    }
  }
  return undefined;
}

/**
 * Lines a failed search read, past the line it started from (a parse of part of a note must not
 * cut inside them: blockParse.ts gives the block there that horizon). Not while the source is an
 * altered copy (tableMath.ts): the real parse of those lines asks again.
 */
function lookedAt(state: StateBlock, line: number, last: number): void {
  if (sourceAltered > 0 || last <= line) return;
  const env = state.env as { looked?: Array<[number, number]> };
  (env.looked ??= []).push([line, last]);
}

/** The index of the line holding `offset`, given each line's start offset. */
export function lineOf(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A numbered environment opened again before it closed: no window, however long, closes the first. */
function nestsItself(text: string, opener: Opener): boolean {
  if (opener.kind !== 'env' || !isNumberingEnvironment(opener.env!)) return false;
  return text.indexOf(`\\begin{${opener.env}}`, opener.openerEnd) >= 0;
}

function closeDisplay(
  text: string,
  opener: Opener,
  options: FinderOptions,
  budget: ScanBudget,
): (Closing & { horizon: number }) | undefined {
  const closing = findClosing(text, opener, text.length, budget);
  if (!closing) return undefined;
  const spanned = text.slice(opener.contentStart, closing.contentEnd);
  if (!BLANK_LINE.test(spanned)) return { ...closing, horizon: closing.end };
  const looked = mayCrossBlankLines(spanned, text.slice(closing.end), options, budget);
  return looked === undefined ? undefined : { ...closing, horizon: closing.end + looked };
}

/**
 * The last line a block's making looked at, past its own lines (a display that crossed blank
 * lines checked what follows its closer): the block cutter does not cut before it.
 */
function setHorizon(token: MarkdownIt.Token, line: number): void {
  token.meta = { ...(token.meta ?? {}), horizon: line };
}

/** A display formula starting a line, ending on a line with nothing after it. */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false; // indented code
  const options = finderOptions(state.env);
  const start = state.bMarks[startLine] + state.tShift[startLine];
  const first = displayOpenerAt(state.src, start, options);
  if (!first) return false;
  const opener: Opener = { ...first, start: 0, contentStart: first.contentStart - start, openerEnd: first.openerEnd - start };
  const found = closeInContainer(state, startLine, endLine, start, opener, budgetOf(state.env, state.src.length));
  if (!found) return false;
  const { text, lineStarts, closing, last } = found;
  const lineEnd = last + 1 < lineStarts.length ? lineStarts[last + 1] - 1 : text.length;
  if (text.slice(closing.end, lineEnd).trim() !== '') return false; // text follows on the line: the paragraph takes it
  if (first.kind === 'brackets' && bracketsHoldProse(text.slice(opener.contentStart, closing.contentEnd))) return false;
  if (silent) return true;
  const token = state.push(TOKEN.block, 'math', 0);
  token.block = true;
  token.content = text.slice(opener.contentStart, closing.contentEnd);
  token.markup = first.kind;
  token.map = [startLine, startLine + last + 1];
  token.meta = { pieces: displayPieces(found, opener.contentStart, closing.contentEnd) };
  setHorizon(token, found.horizon);
  state.line = startLine + last + 1;
  return true;
}

/**
 * Where a display's TeX (`text.slice(start, end)` of its container lines) stands in the source:
 * one piece per line as [offset in the TeX, line after the token's first, column, length].
 */
function displayPieces(found: { text: string; lineStarts: number[]; columns: number[] }, start: number, end: number): FormulaPiece[] {
  return formulaPieces(found.lineStarts, found.text.length, found.columns, start, end)!;
}

/**
 * The pieces of `text.slice(start, end)`, for a text made of lines (starting at `lineStarts`,
 * joined by `\n`) that stand in the source at `columns`: [offset in the slice, line index, column,
 * length] per line it touches; undefined when one of those lines has no known column.
 */
export function formulaPieces(
  lineStarts: readonly number[],
  textLength: number,
  columns: ReadonlyArray<number | undefined>,
  start: number,
  end: number,
): FormulaPiece[] | undefined {
  const pieces: FormulaPiece[] = [];
  for (let i = lineOf(lineStarts, start); i < lineStarts.length && lineStarts[i] <= end; i++) {
    const lineEnd = i + 1 < lineStarts.length ? lineStarts[i + 1] - 1 : textLength;
    const from = Math.max(start, lineStarts[i]);
    const to = Math.min(end, lineEnd);
    if (to <= from && pieces.length) continue;
    const column = columns[i];
    if (column === undefined) return undefined;
    pieces.push([from - start, i, column + (from - lineStarts[i]), Math.max(0, to - from)]);
  }
  return pieces;
}

/** A piece of a formula's TeX in the source: [offset in the TeX, line (after the token's first), column, length]. */
export type FormulaPiece = [number, number, number, number];

/** Cheap test before the paragraph rule's work: can these lines open a display at all? */
const MAY_OPEN_DISPLAY = /\$\$|\\\[|\\begin/;

/**
 * markdown-it's paragraph, continued past its blank line (or the line that would interrupt it)
 * when a display opened in it closes further on: MathJax sees the formula whole, so do we.
 */
function mathParagraph(state: StateBlock, startLine: number, endLine: number): boolean {
  const options = finderOptions(state.env);
  // The paragraph ends at its first blank line at the latest: most hold no opener, and need not
  // ask every block rule where they end (what paragraphEnd does).
  let blank = startLine + 1;
  while (blank < endLine && !state.isEmpty(blank)) blank++;
  if (!MAY_OPEN_DISPLAY.test(state.src.slice(state.bMarks[startLine], state.eMarks[blank - 1]))) return false;
  // Most such paragraphs are followed by a display block on their next lines: when the first line
  // that may open one is such a block, it ends the paragraph with nothing before it to continue.
  if (displayBlockEndsBefore(state, startLine, blank, endLine)) return false;
  let end = paragraphEnd(state, startLine, endLine);
  if (!MAY_OPEN_DISPLAY.test(state.src.slice(state.bMarks[startLine], state.eMarks[end - 1]))) return false;
  let extended = false;
  let horizon = startLine;
  const budget = budgetOf(state.env, state.src.length);
  const from = state.bMarks[startLine] + state.tShift[startLine];
  for (let guard = 0; end < endLine && guard < MAX_DISPLAY_LINES; guard++) {
    const content = state.getLines(startLine, end, state.blkIndent, false);
    const open = openDisplayAtEnd(content, options, budget);
    if (!open) break;
    // The same lines as the container gives them (code spans blanked): where the opener is there.
    const head = containerText(state, startLine, endLine, from, end - startLine);
    const at = locate(blankCodeSpans(head.text), content, open.start);
    if (at === undefined) break;
    const opener: Opener = {
      ...open,
      start: at,
      contentStart: at + (open.contentStart - open.start),
      openerEnd: at + (open.openerEnd - open.start),
    };
    const found = closeInContainer(state, startLine, endLine, from, opener, budget);
    if (!found) break;
    const closeLine = startLine + found.last;
    if (closeLine < end) break;
    end = paragraphEnd(state, closeLine, endLine);
    horizon = Math.max(horizon, found.horizon);
    extended = true;
  }
  if (!extended) return false;
  const token = state.push('paragraph_open', 'p', 1);
  token.map = [startLine, end];
  setHorizon(token, horizon);
  const inline = state.push('inline', '', 0);
  inline.content = state.getLines(startLine, end, state.blkIndent, false).trim();
  inline.map = [startLine, end];
  inline.children = [];
  state.push('paragraph_close', 'p', -1);
  state.line = end;
  return true;
}

/**
 * Whether the first line after `startLine` (before `blank`) that may open a display is a display
 * block (the paragraph's terminator, as paragraphEnd would ask it), with no such line before it:
 * the paragraph ends there or earlier, holding no opener to continue past its end.
 */
function displayBlockEndsBefore(state: StateBlock, startLine: number, blank: number, endLine: number): boolean {
  if (MAY_OPEN_DISPLAY.test(state.src.slice(state.bMarks[startLine], state.eMarks[startLine]))) return false;
  for (let line = startLine + 1; line < blank; line++) {
    if (!MAY_OPEN_DISPLAY.test(state.src.slice(state.bMarks[line], state.eMarks[line]))) continue;
    if (state.sCount[line] < 0 || state.sCount[line] - state.blkIndent > 3) return false;
    const oldParentType = state.parentType;
    state.parentType = 'paragraph';
    const ends = mathBlock(state, line, endLine, true);
    state.parentType = oldParentType;
    return ends;
  }
  return false;
}

/** The offset in `text` (container lines) of `offset` in `content` (the same lines as getLines joins them). */
function locate(text: string, content: string, offset: number): number | undefined {
  // Both are the same lines; only leading indentation may differ. Walk line by line.
  const contentLines = content.slice(0, offset).split('\n');
  const textLines = text.split('\n');
  if (contentLines.length > textLines.length) return undefined;
  let at = 0;
  for (let i = 0; i < contentLines.length - 1; i++) at += textLines[i].length + 1;
  const lastContent = content.split('\n')[contentLines.length - 1];
  const lastText = textLines[contentLines.length - 1];
  const shift = lastText.length - lastContent.length;
  const col = contentLines[contentLines.length - 1].length + shift;
  return col >= 0 && col <= lastText.length ? at + col : undefined;
}

/** Where markdown-it's paragraph starting at `startLine` ends (exclusive): an empty line or an interrupting block. */
function paragraphEnd(state: StateBlock, startLine: number, endLine: number): number {
  const terminatorRules = state.md.block.ruler.getRules('paragraph');
  const oldParentType = state.parentType;
  state.parentType = 'paragraph';
  let nextLine = startLine + 1;
  for (; nextLine < endLine && !state.isEmpty(nextLine); nextLine++) {
    if (state.sCount[nextLine] - state.blkIndent > 3) continue;
    if (state.sCount[nextLine] < 0) continue;
    if (terminatorRules.some((rule) => rule(state, nextLine, endLine, true))) break;
  }
  state.parentType = oldParentType;
  return nextLine;
}

// ---- inline rules -------------------------------------------------------------------------------

/** Every delimiter at once: the finder says whether a formula starts here and where it ends. */
function mathInline(state: StateInline, silent: boolean): boolean {
  const c = state.src.charCodeAt(state.pos);
  if (c !== 0x24 && c !== 0x5c) return false;
  const found = formulaAt(state.src, state.pos, state.posMax, finderOptions(state.env), budgetOf(state.env, state.src.length));
  if (!found) return false;
  if (!silent) {
    const token = state.push(found.display ? TOKEN.inlineDisplay : TOKEN.inline, 'math', 0);
    token.content = state.src.slice(found.opener.contentStart, found.closing.contentEnd);
    token.markup = found.opener.kind;
    token.meta = { offset: found.opener.contentStart }; // in the inline content: mathRendering.ts places it
  }
  state.pos = found.closing.end;
  return true;
}

/** An opener nothing closes: shown as the text it is, from its own line on (marked when TeX follows it). */
function unclosedOpener(state: StateInline, silent: boolean): boolean {
  const options = finderOptions(state.env);
  const opener = displayOpenerAt(state.src, state.pos, options) ?? inlineOpenerAt(state.src, state.pos, options);
  if (!opener) return false;
  if (!silent) {
    const token = state.push(TOKEN.unclosed, '', 0);
    token.content = state.src.slice(opener.start, opener.openerEnd);
    token.markup = opener.kind;
    token.meta = { meant: meantAsOpener(state.src, opener), offset: opener.start };
  }
  state.pos = opener.openerEnd;
  return true;
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
    token.meta = { offset: state.pos, length: m[0].length }; // in the inline content: mathRendering.ts places it
  }
  state.pos += m[0].length;
  return true;
}

/** Adds the math rules to a markdown-it instance (token types in TOKEN; rendering is elsewhere). */
export function mathSyntax(md: Markdown): void {
  md.block.ruler.before('fence', TOKEN.block, mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.block.ruler.before('lheading', 'mn_math_paragraph', mathParagraph);
  md.inline.ruler.before('escape', 'mn_math', mathInline);
  md.inline.ruler.before('escape', 'mn_eqref', proseRef);
  md.inline.ruler.before('escape', TOKEN.unclosed, unclosedOpener);
  md.renderer.rules[TOKEN.unclosed] = (tokens, idx) => md.utils.escapeHtml(tokens[idx].content);
}
