// Incremental rendering: a post body is cut into top-level blocks at blank lines where cutting
// cannot change what markdown-it produces, and each block's HTML is cached with the math state it
// started from (equation counter, macros, labels so far). After an edit only the blocks whose text
// or starting state changed are parsed again; the rest replay their effects and reuse their HTML.

import type MarkdownIt = require('markdown-it');
import type { Markdown } from '../markdown/engine';
import { blockTokens, copyToken, cutsOf, definesReferences, knownCuts, lineStartsOf, PREPARSED, type BlockReuse } from './blockParse';
import { countLines } from '../markdown/lineTests';
import { flat } from '../html';
import { shiftedEntry, tokensOf, type BlockAtLines } from './movedBlock';
export { shiftLineStamps } from './movedBlock';
import type { MathDialect } from '../markdown/mathDialect';
import type { RenderEnv } from '../markdown/mathRendering';
import type { MathMark, PostMath } from '../math/postMath';

type Token = MarkdownIt.Token;

export interface Block {
  /** First body line of the block, and its text (lines joined with \n). */
  start: number;
  text: string;
  /** Its number of lines, when known from the cuts (else counted in `text`). */
  lines?: number;
  /** Its block tokens in the body's parse (`tokens.slice(from, to)`, lines counted from the body's start). */
  from?: number;
  to?: number;
}

/**
 * Reference-style link definitions, also inside quotes and list items; a label may hold a `]` its
 * backslash escapes (`[a\]b]: /x`, which markdown-it defines) and no other.
 */
export const REFERENCE_DEFINITION = /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?\[(?:[^\]\\]|\\[^])+\]:/m;
/** What may stand before a definition's `[` on its line. */
const BEFORE_DEFINITION = /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?$/;

/** The latest answer: the title and the page ask of the same body, one after the other. */
let lastDefinitionCheck: { text: string; has: boolean } | undefined;

/** Whether the text has a link reference definition (`]:` first: the expression tries every line). */
export function hasReferenceDefinition(text: string): boolean {
  if (lastDefinitionCheck?.text === text) return lastDefinitionCheck.has;
  // REFERENCE_DEFINITION from each `]:` back (the multiline expression tried every line of a long
  // note): its `[` is the first of a line (nothing but the prefix before it), after the `]` before
  // the `]:` — each line between is looked at once.
  let has = false;
  for (let at = text.indexOf(']:'); at >= 0 && !has; at = text.indexOf(']:', at + 2)) {
    if (escaped(text, at)) continue;
    // The label holds no `]` but escaped ones: the `[` comes after the last unescaped one.
    let after = at > 0 ? text.lastIndexOf(']', at - 1) : -1;
    while (after > 0 && escaped(text, after)) after = text.lastIndexOf(']', after - 1);
    let stop = at - 1; // the `[` comes before this, with a label between
    while (!has && stop > after) {
      // A line that starts at or before the `]` has it in the prefix: no definition.
      const start = lineStartBefore(text, stop, after);
      if (start <= after) break;
      const open = text.indexOf('[', start);
      if (open > after && open < stop) has = BEFORE_DEFINITION.test(text.slice(start, open));
      stop = start - 1;
    }
  }
  lastDefinitionCheck = { text, has };
  return has;
}

/** Whether text[at] follows an odd run of backslashes (which escapes it). */
function escaped(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && text.charCodeAt(i) === 92) i--;
  return (at - 1 - i) % 2 === 1;
}

/** Where the line holding text[at - 1] starts, as `^` in a multiline expression reads lines (`floor`, a non-terminator, when not after it). */
function lineStartBefore(text: string, at: number, floor: number): number {
  let i = at - 1;
  while (i > floor && !isLineTerminator(text.charCodeAt(i))) i--;
  return i > floor ? i + 1 : Math.max(floor, 0);
}

const isLineTerminator = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** U+0000 as markdown-it reads it (U+FFFD); the replace itself copies the body, so only when there is one. */
const withoutNul = (body: string) => {
  // The page and the dialect reading ask of the same body in turn: one search of a long note.
  if (lastNulCheck?.body !== body) lastNulCheck = { body, clean: body.includes('\0') ? body.replace(/\0/g, '\uFFFD') : body };
  return lastNulCheck.clean;
};
let lastNulCheck: { body: string; clean: string } | undefined;

/** The block tokens of a whole post body (what every cut is taken from), with the parse's input as markdown-it normalises it. */
export function bodyBlockTokens(md: Markdown, body: string, env: object): Token[] {
  // Shared with other callers and reused across edits (blockParse.ts): read only.
  return blockTokens(md, withoutNul(body), env);
}

/** The same parse into `env` itself, which keeps what the parse gathers (link references) for inline parses after it. */
export function parseBlocks(md: Markdown, body: string, env: object): Token[] {
  const tokens: Token[] = [];
  md.block.parse(withoutNul(body), md, env, tokens);
  return tokens;
}

/**
 * Cuts a post body where the parse itself starts a top-level block (a paragraph, a heading, a
 * list, a fence, a formula …) after a blank line: rendering the pieces one by one then gives what
 * rendering the body whole gives, and no formula, fence or list is ever split, because the parse
 * that finds them made the cuts. (No rule looks past the blank line that ends its block, except a
 * display looking for its closer — the closer is inside the block it makes — and, when that display
 * crossed blank lines, at what follows its closer: its token's `meta.horizon`, which no cut precedes.)
 * Nor is a wrapper cut from its closer: an HTML block that leaves a `<details>` or `<div>` open,
 * the HTML block that closes it and the Markdown between are one block (`wrapperGroups`).
 * A note with reference-style link definitions is one block (they act across the note).
 */
export function splitBlocks(md: Markdown, body: string, env: object, tokens = bodyBlockTokens(md, body, env)): Block[] {
  // Whether the note defines link references, as its parse found them (not a search of the text).
  if (definesReferences(md, withoutNul(body), env, tokens)) return [{ start: 0, text: body }];
  // The cuts come from one rule (blockParse.ts cutsOf); the reused parse kept them with its tokens.
  const known = knownCuts(tokens);
  if (known?.split?.body === body) return known.split.blocks as Block[];
  const lineStarts = known?.lineStarts ?? lineStartsOf(body);
  const cuts = known?.cuts ?? cutsOf(tokens, body, lineStarts);
  const blocks = blocksAt(body, cuts, lineStarts, tokens.length, known?.reuse);
  if (known) {
    known.split = { body, blocks };
    known.reuse = undefined; // the previous parse's blocks are not kept alive by this one
  }
  return blocks;
}

/** The blocks between `cuts`, their text sliced from the body by its line starts. */
function blocksAt(
  body: string,
  cuts: ReadonlyArray<{ line: number; token: number }>,
  lineStarts: readonly number[],
  tokenCount: number,
  reuse?: BlockReuse,
): Block[] {
  const blocks: Block[] = [];
  const count = cuts.length + 1;
  const old = reuse?.blocks as readonly Block[] | undefined;
  // A block the edit left as it was is the previous cut's Block (at lines moved by the edit): its
  // text is that string again, which the block cache compares by identity, not character by character.
  const kept = (start: number, lines: number | undefined, from: number, to: number): Block | undefined => {
    if (!reuse || !old) return undefined;
    if (to <= reuse.keep) {
      const b = old[blocks.length];
      return b && b.start === start && b.lines === lines && b.from === from && b.to === to ? b : undefined;
    }
    if (from < reuse.resume + reuse.tokenShift) return undefined;
    const b = old[blocks.length + old.length - count];
    if (
      !b ||
      b.start + reuse.lines !== start ||
      b.lines !== lines ||
      b.from! + reuse.tokenShift !== from ||
      b.to! + reuse.tokenShift !== to
    )
      return undefined;
    if (reuse.lines === 0 && reuse.tokenShift === 0) return b;
    return lines === undefined ? { start, text: b.text, from, to } : { start, text: b.text, lines, from, to };
  };
  let start = 0;
  let from = 0;
  for (const cut of cuts) {
    const lines = cut.line - start;
    blocks.push(
      kept(start, lines, from, cut.token) ?? {
        start,
        text: body.slice(lineStarts[start], lineStarts[cut.line] - 1),
        lines,
        from,
        to: cut.token,
      },
    );
    start = cut.line;
    from = cut.token;
  }
  blocks.push(kept(start, undefined, from, tokenCount) ?? { start, text: body.slice(lineStarts[start]), from, to: tokenCount });
  return blocks;
}

/**
 * A block's tokens from the body's parse, as its own parse would make them: lines counted from the
 * block's start, and copies (the core rules that follow write children, attributes and meta).
 */
function blockTokensOf(all: readonly Token[], b: Block): Token[] {
  const out: Token[] = [];
  for (let i = b.from!; i < b.to!; i++) {
    const t = all[i];
    const c = copyToken(t);
    if (t.map) c.map = [t.map[0] - b.start, t.map[1] - b.start];
    const looked = (t.meta as { horizon?: number } | null)?.horizon;
    if (looked !== undefined) (c.meta as { horizon: number }).horizon = looked - b.start;
    if (t.children) c.children = t.type === 'inline' ? [] : t.children.slice();
    out.push(c);
  }
  return out;
}

/** A block's cache entry: its tokens, effects and HTML at its lines (movedBlock.ts), and the cache's own marks. */
interface CachedBlock extends BlockAtLines {
  /** Whether `html` has been flattened (see flat()). */
  flat?: boolean;
  /** Whether `html` shows nothing (a comment, a link definition): known once a window asked. */
  blank?: boolean;
  /** The render (BlockCache's generation) that last used it as a block of its page. */
  usedIn?: number;
  /** The render that last took it for a block an edit moved (BlockCache.movedFrom). */
  takenIn?: number;
}

/**
 * Block results: every block of the latest render of each recently rendered note is kept (however
 * long the note: an edit to a 5 000-block note must not re-render it all), plus up to `max` others
 * in LRU order. A keystroke in a long note costs what it changes here too: entries are stamped with
 * the render that used them (no set of the page's keys is built per render), and only the blocks
 * that differ from the note's previous render are looked at when it ends.
 */
export class BlockCache {
  /** Entries some recent note's latest render used. */
  private readonly pinned = new Map<string, CachedBlock>();
  /** The other entries, least recently used first. */
  private readonly loose = new Map<string, CachedBlock>();
  private generation = 0;
  private currentNote: string | undefined;
  /** Per recent note (most recent last), per body scope: its latest render's blocks (see BlockRecord). */
  private readonly latestBlocks = new Map<string, Map<string, BlockRecord[]>>();
  private currentBlocks: Map<string, BlockRecord[]> | undefined;
  // A few notes' worth: blocks keep their tokens, and a larger cache costs more in GC than it saves.
  constructor(
    private readonly max = 400,
    private readonly maxNotes = 2,
  ) {}

  /** Starts a render of `note`: the keys it uses from now on replace its previous ones at the end. */
  beginRender(note: string): void {
    if (this.currentNote !== undefined) this.endRender(); // one that threw: what it recorded stands
    this.generation++;
    this.currentNote = note;
    this.currentBlocks = new Map();
  }

  /** The blocks the latest render of the note being rendered had in this scope. */
  latest(scope: string): readonly BlockRecord[] | undefined {
    return this.currentNote === undefined ? undefined : this.latestBlocks.get(this.currentNote)?.get(scope);
  }

  /** This render's blocks in a scope (kept for the note's next render). */
  record(scope: string, blocks: BlockRecord[]): void {
    this.currentBlocks?.set(scope, blocks);
  }

  /** Ends a render: what the note's previous render used and this one did not is unpinned; then the loose entries beyond `max` go (LRU first). */
  endRender(): void {
    const note = this.currentNote;
    if (note !== undefined) {
      const previous = this.latestBlocks.get(note);
      this.latestBlocks.delete(note);
      this.latestBlocks.set(note, this.currentBlocks!);
      if (previous) for (const [scope, records] of previous) this.unpinUnused(records, this.currentBlocks!.get(scope));
      if (this.latestBlocks.size > this.maxNotes) {
        const [dropped, blocks] = this.latestBlocks.entries().next().value as [string, Map<string, BlockRecord[]>];
        this.latestBlocks.delete(dropped);
        for (const records of blocks.values()) this.unpinUnused(records, undefined);
      }
    }
    this.currentNote = undefined;
    this.currentBlocks = undefined;
    this.trim();
  }

  /** Moves the entries of `before` that this render did not use to the loose ones; `after`'s equal start and end are skipped unread. */
  private unpinUnused(before: readonly BlockRecord[], after: readonly BlockRecord[] | undefined): void {
    let from = 0;
    let to = before.length;
    if (after) {
      while (from < to && from < after.length && before[from].key === after[from].key) from++;
      let end = 0; // equal records at the end
      while (to - end > from && after.length - end > from && before[to - end - 1].key === after[after.length - end - 1].key) end++;
      to -= end;
    }
    for (let i = from; i < to; i++) {
      const key = before[i].key;
      const entry = this.pinned.get(key);
      if (!entry || entry.usedIn === this.generation) continue;
      this.pinned.delete(key);
      this.loose.set(key, entry);
    }
  }

  private trim(): void {
    let excess = this.loose.size - this.max;
    if (excess <= 0) return;
    for (const key of this.loose.keys()) {
      if (excess-- <= 0) break;
      this.loose.delete(key);
    }
  }

  /**
   * The entry of `record` (the latest render's block, at other lines) for a block an edit moved,
   * unless the render under way uses it or gave it to another block already (two blocks of one page
   * must not share an entry). The caller makes a copy of it at the new lines.
   */
  movedFrom(record: BlockRecord): CachedBlock | undefined {
    const hit = record.entry ?? this.pinned.get(record.key) ?? this.loose.get(record.key);
    if (!hit || hit.line === undefined || hit.usedIn === this.generation || hit.takenIn === this.generation) return undefined;
    hit.takenIn = this.generation;
    return hit;
  }

  /**
   * The entry of a block the note's latest render had (its BlockRecord's): pinned since that render,
   * so it is taken without looking up its key (a lookup per block was a tenth of a keystroke on a
   * 30 000-block note).
   */
  reuse(entry: CachedBlock): CachedBlock {
    if (this.currentNote !== undefined) entry.usedIn = this.generation;
    return entry;
  }

  get(key: string): CachedBlock | undefined {
    const inRender = this.currentNote !== undefined;
    let hit = this.pinned.get(key);
    if (!hit) {
      hit = this.loose.get(key);
      if (!hit) return undefined;
      // Used by a render: pinned from now on; outside one, moved to the end of the LRU order.
      this.loose.delete(key);
      (inRender ? this.pinned : this.loose).set(key, hit);
    }
    if (inRender) hit.usedIn = this.generation;
    return hit;
  }

  set(key: string, value: CachedBlock): void {
    if (this.currentNote !== undefined) {
      this.loose.delete(key);
      this.pinned.set(key, value);
      value.usedIn = this.generation;
      return;
    }
    // Outside a render (direct use), stay bounded at once.
    if (!this.pinned.has(key)) this.loose.set(key, value);
    else this.pinned.set(key, value);
    this.trim();
  }

  /** How many entries it holds, pinned and loose: its memory bound (tested). */
  get size(): { pinned: number; loose: number } {
    return { pinned: this.pinned.size, loose: this.loose.size };
  }
}

/**
 * A block as a render last saw it: a re-render finds the same block (same text, state and lines)
 * by position — at the same index before an edit, counted from the end after it — and takes its
 * key from here, instead of hashing its text into a new one (that hashing was a fifth of a keystroke).
 */
export interface BlockRecord {
  text: string;
  state: string;
  lines: string;
  key: string;
  /** Its cache entry (pinned while this record is among the note's latest). */
  entry?: CachedBlock;
}

/** The latest render's record for block `i` of `count`, if it is this block unchanged. */
function sameAsLatest(
  latest: readonly BlockRecord[] | undefined,
  i: number,
  count: number,
  text: string,
  state: string,
  lines: string,
): BlockRecord | undefined {
  if (!latest) return undefined;
  const same = (r: BlockRecord | undefined): r is BlockRecord =>
    r !== undefined && r.state === state && r.lines === lines && r.text === text;
  const before = latest[i];
  if (same(before)) return before;
  const after = latest[i + latest.length - count];
  return same(after) ? after : undefined;
}

/**
 * The latest render's record for block `i` of `count`, counted from the end, if it is this block at
 * other lines: an edit above it moved it (a line break typed). Found by position, like
 * sameAsLatest: no block's text is hashed into a key to find it.
 */
function movedSinceLatest(
  latest: readonly BlockRecord[] | undefined,
  i: number,
  count: number,
  text: string,
  state: string,
): BlockRecord | undefined {
  const after = latest?.[i + latest.length - count];
  return after !== undefined && after.state === state && after.text === text ? after : undefined;
}

export interface BodyRenderContext {
  md: Markdown;
  /** The options HTML is made with, when not the engine's (renderNote.ts: fences highlighted). */
  renderOptions?: Markdown['options'];
  /**
   * false: a checking render (lint's, `RenderCache.checking`): each block is rendered for its math
   * state, its HTML dropped at once — cached, it would be ~30 rope pieces a paragraph held for nothing.
   */
  markup?: boolean;
  math: PostMath;
  lineMap: readonly number[];
  bracketDelimiters: boolean;
  dialect: MathDialect;
  /** Everything outside the block that its HTML depends on (format, post index …). */
  scope: string;
  /** false: the whole body is one block (the reference the block split is tested against). */
  split: boolean;
  /**
   * Source lines [from, to) to render now (the reader's screen of a note just opened): a block
   * wholly outside, unless its HTML is cached, becomes a placeholder (see pendingBlock).
   */
  window?: SourceWindow;
}

export interface SourceWindow {
  from: number;
  to: number;
  /**
   * Which blocks the page holds (by id). One outside the window whose HTML is cached is sent only
   * if the page holds it (as its key); otherwise it waits too. Without this, a note rendered before
   * had every block cached, and a new page's first update was the whole page (1.8 MB for a
   * 60 000-character note: four times the first screen's time to carry and build), as was a very
   * long note's next view of every block cached from an earlier page.
   */
  held?: (id: string) => boolean;
}

/** The source lines a block maps to, compactly: `@12` when they run on one by one from 12. */
function lineSignature(map: readonly number[]): string {
  for (let i = 1; i < map.length; i++) if (map[i] !== map[0] + i) return map.join(',');
  return `@${map[0]}`;
}

/** How many blocks were parsed (not found in a block cache): what a test of cache sharing reads. */
export const blockCounters = { parsed: 0 };

/** Renders a post body block by block, reusing cached blocks whose inputs did not change. */
let renderSerial = 0;
/** Ids from this process only: a restarted render worker must not reuse a page's ids. */
const idPrefix = `b${Math.floor(Math.random() * 36 ** 4).toString(36)}.`;

export interface RenderedBlocks {
  html: string[];
  /** Per block, an id that changes whenever its HTML is rendered anew (see CachedBlock.id). */
  ids: string[];
  /** Per block, the source line it starts at (the page counts a block's line stamps from it). */
  bases: number[];
  /** Blocks left for later (outside `window`), shown as placeholders. */
  pending: number;
  /** Blocks whose HTML this render made (the others came from the cache). */
  rendered: number;
}

/** Source lines a block spans, first and last. */
function spanOf(it: PreparedBlock): { first: number; last: number } {
  // The block's map holds one entry past its last line (where the next block starts).
  const end = Math.min(it.lineFrom + it.lineCount, it.lineMap.length);
  return { first: it.lineMap[it.lineFrom], last: it.lineMap[Math.max(it.lineFrom, end - 2)] };
}

/** The render env of a block, made when it is parsed or rendered (a reused block needs none). */
function envOf(it: PreparedBlock, ctx: BodyRenderContext): RenderEnv & { [PREPARSED]?: Token[] } {
  // PREPARSED is there from the start, and cleared, not deleted: a deleted property turns the
  // env into a slow dictionary object for every rule and renderer that reads it afterwards.
  return (it.env ??= {
    math: ctx.math,
    lineMap: it.lineMap.slice(it.lineFrom, it.lineFrom + it.lineCount),
    bracketDelimiters: ctx.bracketDelimiters,
    dialect: ctx.dialect,
    [PREPARSED]: undefined,
  });
}

/** Whether a line map runs on one by one (a Markdown note's does): then a block's lines are named by its first. */
function runsOn(map: readonly number[]): boolean {
  if (lastRunsOn?.map === map) return lastRunsOn.is;
  let is = true;
  for (let i = 1; i < map.length && is; i++) is = map[i] === map[0] + i;
  lastRunsOn = { map, is };
  return is;
}
let lastRunsOn: { map: readonly number[]; is: boolean } | undefined;

/**
 * A stand-in for blocks not rendered yet: as tall as their text may be (scrolling stays about
 * right; the page keeps the reader's place when the real blocks replace it) and stamped with the
 * first source line, so scroll sync reaches into it. Its HTML names its lines: its own key.
 */
function pendingBlock(first: number, last: number, chars: number): string {
  const lines = last - first + 1;
  // About 45 characters of prose per rendered line, 1.7em each: rough, and only until it renders.
  const em = Math.max(lines, Math.ceil(chars / 45)) * 1.7;
  return `<div class="mn-pending" data-line="${first}" data-last-line="${last}" style="height:${em.toFixed(1)}em" aria-busy="true"></div>\n`;
}

/** A block after phase 1: its tokens, prepared (numbers, labels, macros), not yet rendered. */
interface PreparedBlock {
  key: string;
  entry: CachedBlock;
  /** The post's line map, where the block's lines start in it, and how many entries it takes (its lines and one past). */
  lineMap: readonly number[];
  lineFrom: number;
  lineCount: number;
  env?: RenderEnv & { [PREPARSED]?: Token[] };
  /** Parsed by this render (its HTML, if any, is not this render's to reuse). */
  fresh: boolean;
  /** Length of the block's text (a placeholder's height is guessed from it). */
  chars: number;
}

/**
 * Phase 1 alone, in document order: numbers, labels and macros, with the blocks the preview
 * caches (so the editor's language features and the page share every prepared block). KaTeX is not called.
 */
export function prepareBlocks(body: string, ctx: BodyRenderContext, cache: BlockCache): Token[][] {
  return prepareBlockItems(body, ctx, cache).map((it) => tokensOf(it.entry));
}

function prepareBlockItems(body: string, ctx: BodyRenderContext, cache: BlockCache): PreparedBlock[] {
  const parseOptions = { bracketDelimiters: ctx.bracketDelimiters, dialect: ctx.dialect };
  const all = ctx.split ? bodyBlockTokens(ctx.md, body, parseOptions) : undefined;
  const blocks: Block[] = all ? splitBlocks(ctx.md, body, parseOptions, all) : [{ start: 0, text: body }];
  const items: PreparedBlock[] = [];
  const latest = cache.latest(ctx.scope);
  const records: BlockRecord[] = [];
  // Phase 1, in document order: numbers, labels and macros.
  try {
    // A block's lines by its first when they run on (no slice of the map per block and keystroke).
    const consecutive = runsOn(ctx.lineMap);
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i];
      const lineCount = (b.lines ?? countLines(b.text)) + 1;
      const state = ctx.math.key;
      const lines =
        consecutive && b.start + lineCount <= ctx.lineMap.length
          ? `@${ctx.lineMap[b.start]}`
          : lineSignature(ctx.lineMap.slice(b.start, b.start + lineCount));
      const same = sameAsLatest(latest, i, blocks.length, b.text, state, lines);
      const key = same?.key ?? `${ctx.scope}\u0000${state}\u0000${lines}\u0000${b.text}`;
      // The latest render's record when the block is that one (no new record per block and keystroke).
      const record: BlockRecord = same ?? { text: b.text, state, lines, key };
      records.push(record);
      const item: PreparedBlock = {
        key,
        entry: undefined!,
        lineMap: ctx.lineMap,
        lineFrom: b.start,
        lineCount,
        fresh: false,
        chars: b.text.length,
      };
      let entry = same?.entry ? cache.reuse(same.entry) : undefined;
      /** A copy of the block's entry at its old lines, when an edit above moved it. */
      let moved: CachedBlock | undefined;
      /** The source line the block starts at, where lines run on (what a moved copy is shifted by). */
      const first = consecutive ? ctx.lineMap[b.start] : undefined;
      if (!entry) {
        // A block an edit above moved (a line break typed: every block below it has new lines) is
        // a copy of its entry at the old lines, shifted, where lines run on: ~20 times cheaper than
        // parsing it again, and its tokens are made only if it is rendered. Found by position
        // before any lookup by key, which would hash the block's text into the key's hash.
        const was = first !== undefined ? movedSinceLatest(latest, i, blocks.length, b.text, state) : undefined;
        const from = was && cache.movedFrom(was);
        if (from) moved = shiftedEntry(from, first! - from.line!);
        else entry = cache.get(key);
      }
      if (entry) {
        ctx.math.replayPrepared(entry.prepared);
        item.entry = entry;
      } else if (moved) {
        // Not stored under its key: its record holds it, and the next render finds it by position
        // (hashing every moved block's text into a new key was a tenth of a line break's cost on
        // a note of 20 000 blocks).
        item.entry = moved;
        ctx.math.replayPrepared(moved.prepared);
      } else {
        // The block rules already ran on the whole body (that parse made the cuts): the page takes
        // its block tokens from it and runs only the rules after (inline, math, source lines …).
        const mark: MathMark = ctx.math.mark();
        const env = envOf(item, ctx);
        env[PREPARSED] = all && b.from !== undefined ? blockTokensOf(all, b) : undefined;
        const tokens = ctx.md.parse(b.text, env);
        blockCounters.parsed++;
        env[PREPARSED] = undefined;
        item.entry = { tokens, prepared: ctx.math.preparedSince(mark), line: first };
        item.fresh = true;
        cache.set(key, item.entry);
      }
      record.entry = item.entry;
      items.push(item);
    }
  } finally {
    // Even when a block throws: what the cache pinned for this render is listed, to be unpinned by the next.
    cache.record(ctx.scope, records);
  }
  return items;
}

export function renderBlocks(body: string, ctx: BodyRenderContext, cache: BlockCache): RenderedBlocks {
  const items = prepareBlockItems(body, ctx, cache);
  // Phase 2: HTML, now that every label of the post is known.
  const html: string[] = [];
  const ids: string[] = [];
  const bases: number[] = [];
  let pending = 0;
  let made = 0;
  /** The run of placeholders being gathered: one block on the page for each run. */
  let run: { first: number; last: number; chars: number } | undefined;
  const endRun = () => {
    if (!run) return;
    html.push(pendingBlock(run.first, run.last, run.chars));
    ids.push('');
    bases.push(run.first);
    run = undefined;
  };
  // The post's first block with content always renders: whether it is the title (an H1) decides
  // where the byline goes, and so the post's shell, which must not change when the rest comes.
  let leading = true;
  /** A rendered block onto the page, after the run of placeholders before it. */
  const emit = (e: CachedBlock, base: number) => {
    endRun();
    // Only while it matters: the check flattens the renderer's string (a copy of the block's HTML).
    if (leading && e.html!.trim() !== '') leading = false;
    html.push(e.html!);
    ids.push(e.id!);
    bases.push(base);
  };
  // Lines of the window that show nothing (a long front matter, comments) do not count: the
  // window reaches that much further.
  let windowEnd = ctx.window?.to ?? 0;
  /** A block outside the window waits, as a placeholder (not the post's first with content: see `leading`). */
  const waits = (it: PreparedBlock): boolean => {
    if (!ctx.window || leading) return false;
    const { first, last } = spanOf(it);
    if (last >= ctx.window.from && first < windowEnd) return false;
    pending++;
    if (run) ((run.last = last), (run.chars += it.chars));
    else run = { first, last, chars: it.chars };
    return true;
  };
  /** A block of the window that shows nothing: the window reaches as many lines further (cached or not). */
  const growPastBlank = (it: PreparedBlock, e: CachedBlock) => {
    e.blank ??= e.html!.trim() === '';
    if (!e.blank) return;
    const { first, last } = spanOf(it);
    if (last >= ctx.window!.from && first < windowEnd) windowEnd += last - first + 1;
  };
  for (const it of items) {
    const e = it.entry;
    const base = spanOf(it).first;
    if (!it.fresh && e.html !== undefined && e.rendered && ctx.math.canReuseRendered(e.rendered)) {
      if (ctx.window?.held && !ctx.window.held(e.id!) && waits(it)) continue;
      ctx.math.replayRendered(e.rendered);
      if (!e.flat) {
        e.html = flat(e.html); // joined on every re-render, reused at least twice: worth one copy
        e.flat = true;
      }
      if (ctx.window) growPastBlank(it, e);
      emit(e, base);
      continue;
    }
    if (waits(it)) continue;
    endRun();
    const mark = ctx.math.mark();
    e.html = ctx.md.renderer.render(tokensOf(e), ctx.renderOptions ?? ctx.md.options, envOf(it, ctx) as unknown as Record<string, unknown>);
    made++;
    e.flat = false;
    e.blank = undefined;
    e.rendered = ctx.math.renderedSince(mark);
    e.id = idPrefix + (++renderSerial).toString(36);
    e.base = base;
    if (ctx.window) growPastBlank(it, e);
    if (ctx.markup === false) e.html = '';
    emit(e, base);
  }
  endRun();
  return { html, ids, bases, pending, rendered: made };
}
