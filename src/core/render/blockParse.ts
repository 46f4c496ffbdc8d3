// The block parse of a post body, reused across edits. Every render cuts the body at the top-level
// blocks of its own block parse (`blocks.ts`), so a keystroke would cost a parse of the whole note
// however little it changed. A body that differs from a recent one in one region is parsed from
// the last cut before the change to the first cut after it; the tokens outside come from the
// previous parse, their lines shifted. A cut is a point where parsing anew gives what the whole
// parse gives (that is what makes it a cut), so the result is the whole parse's — checked against
// it on edits of every corpus note in `test/unit/blockParse.test.ts`.

import type MarkdownIt = require('markdown-it');
import type { Markdown } from '../markdown/engine';
import { lineOf } from '../markdown/mathSyntax';
import { HTML_READ_TO_END, wrapperGroups } from '../markdown/rawHtml';
import { commonPrefix, commonSuffix } from '../text/sharedEnds';
import { firstAtOrAfter } from '../text/sortedSearch';

type Token = MarkdownIt.Token;

interface Parsed {
  md: Markdown;
  key: string;
  source: string;
  lineStarts: number[];
  tokens: Token[];
  /** Cuts: a top-level token starting after a blank line, before which no token looked further. */
  cuts: Array<{ line: number; token: number }>;
  /** The first line of a display (or of an HTML block's opener) that read to the end of the text without an answer more text could not change. */
  readToEnd: number;
  /** Whether the parse met a link reference definition (markdown-it's `env.references`). */
  references: boolean;
  /** What a reader of the tokens remembered per token (`tokenMemo`), moved with the tokens an edit leaves as they are. */
  memo?: unknown[];
  /** The blocks cut from it (render/blocks.ts `splitBlocks`), for the body it was cut from. */
  split?: { body: string; blocks: readonly unknown[] };
  /** What of the previous parse's blocks this one keeps (until its own are cut). */
  reuse?: BlockReuse;
}

/**
 * The blocks of the parse an edit reused, and what it kept: its tokens before `keep` as they were,
 * and those from `resume` on, `tokenShift` tokens and `lines` lines further.
 */
export interface BlockReuse {
  blocks: readonly unknown[];
  keep: number;
  resume: number;
  tokenShift: number;
  lines: number;
}

/** The parses kept for reuse: the render, lint, snippets and dialect reading of the latest notes. */
const RECENT = 6;
const recent: Parsed[] = [];

/** A recent parse differing from the text in at most this many characters is the one to reuse. */
const CLOSE_ENOUGH = 256;

/** Below this, a body is parsed whole: finding what to reuse would cost as much. */
const SMALL = 4096;

export const isBlankLine = (line: string) => /^[ \t]*$/.test(line);

/**
 * The block tokens of `source` parsed with `env` (copied: rules keep per-parse state in it). The
 * tokens may be shared with other calls: read them, never change them; they are valid until the
 * next call with another text (which may change them in place).
 */
export function blockTokens(md: Markdown, source: string, env: object): Token[] {
  const key = JSON.stringify(env);
  const candidates: Parsed[] = [];
  for (const p of recent) {
    if (p.md !== md || p.key !== key) continue;
    if (p.source === source) {
      touch(p);
      return p.tokens;
    }
    candidates.push(p);
  }
  // The parse sharing the most text with this one: the text before this edit, usually — the most
  // recent one, taken at once when it differs in a few lines only (each comparison reads the note).
  let best: { old: Parsed; prefix: number; suffix: number } | undefined;
  if (source.length >= SMALL) {
    for (let i = candidates.length - 1; i >= 0; i--) {
      const old = candidates[i];
      const prefix = commonPrefix(old.source, source);
      const suffix = Math.min(commonSuffix(old.source, source), old.source.length - prefix, source.length - prefix);
      if (!best || prefix + suffix > best.prefix + best.suffix) best = { old, prefix, suffix };
      if (source.length - prefix - suffix <= CLOSE_ENOUGH) break;
    }
  }
  // Another text (another note, or most of this one replaced): parse it whole.
  if (best && best.prefix + best.suffix < source.length / 2) best = undefined;
  // Definitions leave no token: where the old parse's were, and whether the edit removed them, is
  // not known. Such a body is one block anyway (rendered whole): parse it whole.
  if (best?.old.references) best = undefined;
  // The parse an edit starts from is used up: its lists become this one's, changed in place where
  // the edit leaves their length (a keystroke within a line), so it leaves the recent ones.
  if (best) recent.splice(recent.indexOf(best.old), 1);
  // Where the region to parse again lies is read from the old line starts, before they change.
  const arounds = best ? widening(best, unchangedAround(best)) : [];
  const lineStarts = best ? lineStartsAfterEdit(best, source) : lineStartsOf(source);
  let reparsed: ReturnType<typeof reparse>;
  for (const around of arounds) if ((reparsed = reparse(md, env, best!, around, source, lineStarts))) break;
  if (reparsed) {
    remember({ md, key, source, lineStarts, ...reparsed });
    return reparsed.tokens;
  }
  const parsed = parse(md, source, env);
  remember({
    md,
    key,
    source,
    lineStarts,
    tokens: parsed.tokens,
    cuts: cutsOf(parsed.tokens, source, lineStarts),
    readToEnd: parsed.readToEnd,
    references: parsed.references,
  });
  return parsed.tokens;
}

/** A fresh parse of the whole of `source`, as blockTokens makes one (what a reused parse must equal). */
export function wholeBlockTokens(md: Markdown, source: string, env: object): Token[] {
  return parse(md, source, env).tokens;
}

function parse(md: Markdown, source: string, env: object): { tokens: Token[]; readToEnd: number; references: boolean } {
  const tokens: Token[] = [];
  const parseEnv: { readToEnd?: number; [HTML_READ_TO_END]?: number; references?: object; looked?: Array<[number, number]> } = {
    ...env,
  };
  md.block.parse(source, md, parseEnv, tokens);
  if (parseEnv.looked) lookedPast(tokens, parseEnv.looked);
  // A display, or an HTML block's closer, looked for to the end: more text could change the answer.
  const readToEnd = Math.min(parseEnv.readToEnd ?? Infinity, parseEnv[HTML_READ_TO_END] ?? Infinity);
  return { tokens, readToEnd, references: parseEnv.references !== undefined && Object.keys(parseEnv.references).length > 0 };
}

/**
 * A display opener that found no closer made its block without one, after reading lines past it:
 * the top-level block holding the opener's line gets those lines as its horizon (no cut inside
 * them), so an edit there that brings a closer parses the block again (review: a `\end{equation}`
 * typed into a quote below an unclosed `\begin{equation}` left the paragraph above as it was).
 */
function lookedPast(tokens: Token[], looked: ReadonlyArray<[number, number]>): void {
  const sorted = [...looked].sort((a, b) => a[0] - b[0]);
  let k = 0;
  for (let i = 0; i < tokens.length && k < sorted.length; i++) {
    const t = tokens[i];
    if (t.level !== 0 || t.nesting < 0 || !t.map) continue;
    while (k < sorted.length && sorted[k][0] < t.map[0]) k++;
    let horizon = -1;
    for (; k < sorted.length && sorted[k][0] < t.map[1]; k++) horizon = Math.max(horizon, sorted[k][1]);
    if (horizon < t.map[1]) continue;
    const had = (t.meta as { horizon?: number } | null)?.horizon;
    if (had === undefined || had < horizon) t.meta = { ...(t.meta as object), horizon };
  }
}

/** Whether markdown-it's parse of `source` defines link references (they act across it: no block of it renders alone). */
export function definesReferences(md: Markdown, source: string, env: object, tokens?: readonly Token[]): boolean {
  const known = tokens && parsedOf(tokens);
  return known && known.source === source ? known.references : parse(md, source, env).references;
}

function touch(p: Parsed): void {
  recent.splice(recent.indexOf(p), 1);
  recent.push(p);
}

/**
 * The cuts and line starts of a parse's tokens, for `splitBlocks` (render/blocks.ts) to cut by
 * without walking them again: a recent parse's. (Not a WeakMap by the tokens: a young key keeps
 * its entry through V8's minor collections, and every keystroke's parse was then promoted.)
 */
export function knownCuts(tokens: readonly Token[]): Pick<Parsed, 'cuts' | 'lineStarts' | 'split' | 'reuse'> | undefined {
  return parsedOf(tokens);
}

function parsedOf(tokens: readonly Token[]): Parsed | undefined {
  for (let i = recent.length - 1; i >= 0; i--) if (recent[i].tokens === tokens) return recent[i];
  return undefined;
}

/**
 * A side table for what a reader of these tokens (a recent parse's) learns about each, by token
 * index; the next parse after an edit carries the entries of the tokens it keeps, so the reader
 * reads only the tokens the edit made. (Not a WeakMap by token: see `knownCuts`.)
 */
export function tokenMemo(tokens: readonly Token[]): unknown[] | undefined {
  const p = parsedOf(tokens);
  return p ? (p.memo ??= unset(tokens.length)) : undefined;
}

function remember(p: Parsed): void {
  recent.push(p);
  if (recent.length > RECENT) recent.shift();
}

export function lineStartsOf(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The line starts of `source`, from those of a parse of a text it shares a prefix and a suffix
 * with: the lines before the change are the same, those after it move by the change in length,
 * only the changed stretch is searched. The same array, changed in place, when the edit leaves the
 * number of lines (a keystroke within a line): a note's worth of numbers is not made again per keystroke.
 */
function lineStartsAfterEdit({ old, prefix, suffix }: Edit, source: string): number[] {
  const delta = source.length - old.source.length;
  const starts = old.lineStarts;
  // Kept: starts at or before the prefix's end (the \n before each is in the prefix).
  const kept = lineOf(starts, prefix) + 1;
  // Moved: starts whose \n is in the common suffix of the old text.
  let moved = kept;
  while (moved < starts.length && starts[moved] - 1 < old.source.length - suffix) moved++;
  const middle: number[] = [];
  for (let i = source.indexOf('\n', prefix); i >= 0 && i < source.length - suffix; i = source.indexOf('\n', i + 1)) middle.push(i + 1);
  if (middle.length === moved - kept) {
    // As many lines as before: the old parse's list (used up, see blockTokens), changed in place.
    for (let i = 0; i < middle.length; i++) starts[kept + i] = middle[i];
    if (delta !== 0) for (let i = moved; i < starts.length; i++) starts[i] += delta;
    return starts;
  }
  // In bulk: a push per line of a 5 MB note was a fortieth of the keystroke.
  const after = starts.slice(moved);
  if (delta !== 0) for (let i = 0; i < after.length; i++) after[i] += delta;
  return starts.slice(0, kept).concat(middle, after);
}

function lineText(p: { source: string; lineStarts: number[] }, line: number): string {
  const end = line + 1 < p.lineStarts.length ? p.lineStarts[line + 1] - 1 : p.source.length;
  return p.source.slice(p.lineStarts[line], end);
}

/** Which top-level tokens stand inside a group of HTML blocks that wrap Markdown, after its first (no cut there). */
export function wrapped(tokens: readonly Token[]): Uint8Array {
  const inside = new Uint8Array(tokens.length);
  for (const group of wrapperGroups(tokens)) if (tokens[group[0]].level === 0) inside.fill(1, group[0] + 1, group[group.length - 1] + 1);
  return inside;
}

/** The cuts of a parse, as `splitBlocks` takes them. */
export function cutsOf(
  tokens: readonly Token[],
  source: string,
  lineStarts: number[],
  from = 0,
  to = tokens.length,
): Array<{ line: number; token: number }> {
  const cuts: Array<{ line: number; token: number }> = [];
  let horizon = -1;
  const p = { source, lineStarts };
  const inside = wrapped(from === 0 && to === tokens.length ? tokens : tokens.slice(from, to));
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.level === 0 && t.nesting >= 0 && t.map) {
      const at = t.map[0];
      if (
        at > 0 &&
        at > horizon &&
        !inside[i - from] &&
        (cuts.length === 0 || at > cuts[cuts.length - 1].line) &&
        isBlankLine(lineText(p, at - 1))
      )
        cuts.push({ line: at, token: i });
    }
    const looked = (t.meta as { horizon?: number } | null)?.horizon;
    if (looked !== undefined) horizon = Math.max(horizon, looked);
  }
  return cuts;
}

/** A text and a recent parse's: what they share at the start and at the end (characters). */
interface Edit {
  old: Parsed;
  prefix: number;
  suffix: number;
}

/** The cuts around an edit: the last one before it and the first one after it (see reparse), and where that one's line started. */
interface Around {
  first?: { line: number; token: number };
  last?: { line: number; token: number };
  lastStart: number;
}

function unchangedAround({ old, prefix, suffix }: Edit): Around {
  // The last cut whose whole line (and the line break after it) is in the common prefix.
  let first: { line: number; token: number } | undefined;
  for (const c of old.cuts) {
    // Not past a display that found no closer before the end: the change may bring one.
    if (c.line > old.readToEnd) break;
    const lineEnd = c.line + 1 < old.lineStarts.length ? old.lineStarts[c.line + 1] : Infinity;
    if (lineEnd <= prefix) first = c;
    else break;
  }
  // The first cut after it whose blank line, and the line break before that, are in the common suffix.
  const suffixStart = old.source.length - suffix;
  const last = old.cuts.find((c) => c.line > (first?.line ?? 0) && old.lineStarts[c.line - 1] - 1 >= suffixStart);
  return { first, last, lastStart: last ? old.lineStarts[last.line] : 0 };
}

/** How many more lines each wider region to parse again reaches past the change (see `widening`). */
const WIDER = [64, 1024, 16384];

/**
 * The region around an edit, then wider ones: it ends at a later unchanged cut each time. Something
 * in the region may have read to its end (a display whose blank lines are judged by what follows
 * its closer: a line break typed inside `\begin{equation}`); a region reaching further may answer
 * it as the whole body does. A 5 MB note parsed whole for each such line break (~150 ms). The
 * attempts together read less than twice what the whole parse does (a region past half the note is
 * not tried).
 */
function widening({ old }: Edit, around: Around): Around[] {
  const out = [around];
  if (!around.last) return out;
  let from = around.last.line;
  for (const more of WIDER) {
    const i = firstAtOrAfter(old.cuts, from + more, (c) => c.line);
    if (i >= old.cuts.length) break;
    const last = old.cuts[i];
    // A region of most of the note costs what the whole parse does, which follows a refusal anyway.
    if (last.line - (around.first?.line ?? 0) > old.lineStarts.length / 2) break;
    out.push({ first: around.first, last, lastStart: old.lineStarts[last.line] });
    from = last.line;
  }
  return out;
}

/**
 * `source` parsed by reusing `old`'s tokens before the last cut whose line is unchanged and before
 * the change, and from the first cut after the change whose blank line and everything after it
 * are unchanged. The region between is parsed with that cut's first line, which must start a
 * top-level token again (else something in the region reaches over it: undefined, parse whole).
 */
function reparse(
  md: Markdown,
  env: object,
  { old }: Edit,
  { first, last, lastStart }: Around,
  source: string,
  lineStarts: number[],
): Pick<Parsed, 'tokens' | 'cuts' | 'readToEnd' | 'memo' | 'reuse' | 'references'> | undefined {
  const from = first?.line ?? 0;
  const shift = source.length - old.source.length;
  const lastLine = last ? lineOf(lineStarts, lastStart + shift) : lineStarts.length;
  const regionEnd = last ? (lastLine + 1 < lineStarts.length ? lineStarts[lastLine + 1] - 1 : source.length) : source.length;
  const parsed = parse(md, source.slice(lineStarts[from], regionEnd), env);
  const region = parsed.tokens;
  const firstToken = first?.token ?? 0;
  const relLast = lastLine - from;
  /** The region's tokens, in body lines (they go at firstToken). */
  const fresh: Token[] = [];
  let i = 0;
  for (; i < region.length; i++) {
    const t = region[i];
    if (last && t.map && t.level === 0 && t.nesting >= 0 && t.map[0] >= relLast) break;
    fresh.push(shifted(t, from));
  }
  // The region's cuts (a cut is where nothing before it reaches, so what precedes the region does
  // not change them), at their places in the whole list.
  const freshCuts = cutsOf(fresh, source, lineStarts).map((c) => ({ line: c.line, token: c.token + firstToken }));
  const cutsBefore = firstAtOrAfter(old.cuts, firstToken, tokenOf);
  // HTML blocks pair into wrappers across the note (`wrapperGroups`: a `<details>` and its closer,
  // with no cut between): an edit that adds or removes one may start or end a wrapper outside the
  // region — a closer restored below an opener above it — so the cuts are then taken anew from the
  // whole list (the tokens stand).
  const htmlChanged = hasHtmlBlock(fresh, 0, fresh.length) || hasHtmlBlock(old.tokens, firstToken, last?.token ?? old.tokens.length);
  if (!last) {
    const tokens = old.tokens.slice(0, firstToken).concat(fresh);
    const memo = old.memo && spliced(old.memo, firstToken, fresh.length, old.memo.length);
    const reuse = old.split && { blocks: old.split.blocks, keep: firstToken, resume: Infinity, tokenShift: 0, lines: 0 };
    const cuts = htmlChanged ? cutsOf(tokens, source, lineStarts) : old.cuts.slice(0, cutsBefore).concat(freshCuts);
    return { tokens, cuts, memo, reuse, references: parsed.references, readToEnd: Math.min(old.readToEnd, parsed.readToEnd + from) };
  }
  // The cut's first line must start a top-level token of the region's parse, and nothing before it
  // may have reached it or looked past it (nor read to the region's end for a closer).
  if (parsed.readToEnd !== Infinity) return undefined;
  const at = region[i];
  if (!at || at.map![0] !== relLast) return undefined;
  for (let j = 0; j < i; j++) {
    const t = region[j];
    const looked = (t.meta as { horizon?: number } | null)?.horizon;
    if ((t.map && t.map[1] > relLast) || (looked !== undefined && looked >= relLast)) return undefined;
  }
  const lines = lastLine - last.line;
  const tokenShift = firstToken + fresh.length - last.token;
  const reuse = old.split && { blocks: old.split.blocks, keep: firstToken, resume: last.token, tokenShift, lines };
  const readToEnd = old.readToEnd === Infinity ? Infinity : old.readToEnd < last.line ? old.readToEnd : old.readToEnd + lines;
  const cutsAfter = firstAtOrAfter(old.cuts, last.token, tokenOf);
  if (lines === 0 && tokenShift === 0) {
    // A keystroke within a paragraph: the old parse's lists are this one's, changed where the
    // region is (blockTokens has taken the old parse out of the recent ones). New lists of a 5 MB
    // note's 300 000 tokens were a fifth of the keystroke, most of it the memory's first touch.
    const tokens = old.tokens;
    for (let j = 0; j < fresh.length; j++) tokens[firstToken + j] = fresh[j];
    if (old.memo) old.memo.fill(undefined, firstToken, last.token);
    let cuts = old.cuts;
    if (htmlChanged) cuts = cutsOf(tokens, source, lineStarts);
    else if (cutsAfter - cutsBefore === freshCuts.length) for (let j = 0; j < freshCuts.length; j++) cuts[cutsBefore + j] = freshCuts[j];
    else cuts = cuts.slice(0, cutsBefore).concat(freshCuts, cuts.slice(cutsAfter));
    return { tokens, cuts, memo: old.memo, reuse, references: parsed.references, readToEnd };
  }
  const moved = old.cuts.slice(cutsAfter).map((c) => ({ line: c.line + lines, token: c.token + tokenShift }));
  // A line break typed: the tokens after the region are the old parse's (used up), moved where
  // they are, not copied (a copy of each of a 5 MB note's 120 000 tokens below a line break).
  if (lines !== 0) for (let j = last.token; j < old.tokens.length; j++) moveLines(old.tokens[j], lines);
  const after = old.tokens.slice(last.token);
  const tokens = old.tokens.slice(0, firstToken).concat(fresh, after);
  return {
    tokens,
    cuts: htmlChanged ? cutsOf(tokens, source, lineStarts) : old.cuts.slice(0, cutsBefore).concat(freshCuts, moved),
    memo: old.memo && spliced(old.memo, firstToken, fresh.length, last.token),
    reuse,
    readToEnd,
    references: parsed.references,
  };
}

const tokenOf = (c: { token: number }) => c.token;

/** Whether tokens[from, to) hold an HTML block (one that may open or close a wrapper). */
function hasHtmlBlock(tokens: readonly Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (tokens[i].type === 'html_block') return true;
  return false;
}

/** `n` slots holding `undefined`: a packed array, not a holey one. */
function unset(n: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(undefined);
  return out;
}

/** `memo`'s entries before `keep` and from `resume` on, with `fresh` empty slots between (for the region's new tokens). */
function spliced(memo: unknown[], keep: number, fresh: number, resume: number): unknown[] {
  // Not by growing `length` (a large jump turns the array into a dictionary), nor with holes (V8
  // then copies element by element): a packed array, copied in bulk.
  return memo.slice(0, keep).concat(unset(fresh), memo.slice(resume));
}

/** A token's lines (and the line its making looked at) moved by `lines`, in the token itself (its map and meta anew: they may be shared). */
function moveLines(t: Token, lines: number): void {
  if (t.map) t.map = [t.map[0] + lines, t.map[1] + lines];
  const looked = (t.meta as { horizon?: number } | null)?.horizon;
  if (looked !== undefined) t.meta = { ...(t.meta as object), horizon: looked + lines };
}

/** A copy of a token with its lines (and the line its making looked at) moved by `lines`. */
function shifted(t: Token, lines: number): Token {
  if (lines === 0) return t;
  const c = copyToken(t);
  if (t.map) c.map = [t.map[0] + lines, t.map[1] + lines];
  const looked = (t.meta as { horizon?: number } | null)?.horizon;
  if (looked !== undefined) c.meta = { ...(t.meta as object), horizon: looked + lines };
  return c;
}

/**
 * A copy of a token made by markdown-it's own constructor (an object of another shape would make
 * every rule that reads tokens slower), with its own attribute list and meta.
 */
export function copyToken(t: Token): Token {
  const Ctor = (t as unknown as { constructor: new (type: string, tag: string, nesting: number) => Token }).constructor;
  const c = new Ctor(t.type, t.tag, t.nesting);
  c.attrs = t.attrs ? t.attrs.map((a) => [a[0], a[1]] as [string, string]) : null;
  c.map = t.map;
  c.level = t.level;
  c.children = t.children;
  c.content = t.content;
  c.markup = t.markup;
  c.info = t.info;
  c.meta = t.meta ? { ...(t.meta as object) } : t.meta;
  c.block = t.block;
  c.hidden = t.hidden;
  return c;
}

/** An env key: block tokens the core's `block` rule takes instead of parsing (see `preparsedBlocks`). */
export const PREPARSED = '\u0000mnPreparsed';

/**
 * markdown-it's core `block` rule, taking the block tokens from `env[PREPARSED]` when a caller
 * already has them from the body's parse (render/blocks.ts); else as markdown-it does it.
 */
export function preparsedBlocks(md: Markdown): void {
  md.core.ruler.at('block', (state) => {
    const env = state.env as Record<string, unknown>;
    const pre = env[PREPARSED] as Token[] | undefined;
    if (pre) {
      for (const t of pre) state.tokens.push(t);
      return;
    }
    if (state.inlineMode) {
      const token = new state.Token('inline', '', 0);
      token.content = state.src;
      token.map = [0, 1];
      token.children = [];
      state.tokens.push(token);
      return;
    }
    state.md.block.parse(state.src, state.md, state.env, state.tokens);
  });
}
