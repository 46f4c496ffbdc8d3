// Incremental rendering: a post body is cut into top-level blocks at blank lines where cutting
// cannot change what markdown-it produces, and each block's HTML is cached with the math state it
// started from (equation counter, macros, labels so far). After an edit only the blocks whose text
// or starting state changed are parsed again; the rest replay their effects and reuse their HTML.

import type { Markdown } from '../markdown/engine';
import { fenceEnd } from '../markdown/fences';
import { dollarBlockEnd } from '../markdown/mathSyntax';
import type { RenderEnv } from '../markdown/mathRendering';
import type { MathMark, PostMath, PreparedEffects, RenderedEffects } from '../math/postMath';

export interface Block {
  /** First body line of the block, and its text (lines joined with \n). */
  start: number;
  text: string;
}

const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:\s|$)/;
/** Reference-style link definitions, also inside quotes and list items. */
const REFERENCE_DEFINITION = /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?\[[^\]]+\]:/m;
/** Blank as markdown-it sees it: spaces and tabs only (a line of U+3000 is text). */
const isBlank = (line: string) => /^[ \t]*$/.test(line);

/**
 * Cuts before a line that follows a blank line, starts in column 0, is not a list item (lists stay
 * whole), and is outside fenced code and `$$` blocks (found as the math block rule finds them).
 * Cutting less is always safe; the test suite checks the cuts against whole-body rendering.
 * A note with reference-style link definitions is one block (they act across the note).
 */
export function splitBlocks(body: string): Block[] {
  const lines = body.split('\n');
  if (REFERENCE_DEFINITION.test(body)) return [{ start: 0, text: body }];
  const blocks: Block[] = [];
  let start = 0;
  let prevBlank = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const blank = isBlank(line);
    if (prevBlank && !blank && i > start && !/^\s/.test(line) && !LIST_ITEM.test(line)) {
      blocks.push({ start, text: lines.slice(start, i).join('\n') });
      start = i;
    }
    prevBlank = blank;
    const fence = fenceEnd(lines, i);
    if (fence !== undefined) {
      i = fence;
      prevBlank = false;
      continue;
    }
    const dollars = dollarBlockEnd(lines, i);
    if (dollars !== undefined) {
      i = dollars;
      prevBlank = false;
    }
  }
  blocks.push({ start, text: lines.slice(start).join('\n') });
  return blocks;
}

interface CachedBlock {
  tokens: ReturnType<Markdown['parse']>;
  prepared: PreparedEffects;
  html?: string;
  /** Whether `html` has been flattened (see flat()). */
  flat?: boolean;
  rendered?: RenderedEffects;
}

/** Bounded map of block results (insertion-ordered LRU). */
export class BlockCache {
  private readonly entries = new Map<string, CachedBlock>();
  // A few notes' worth: blocks keep their tokens, and a larger cache costs more in GC than it saves.
  constructor(private readonly max = 400) {}

  get(key: string): CachedBlock | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: CachedBlock): void {
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}

export interface BodyRenderContext {
  md: Markdown;
  math: PostMath;
  lineMap: readonly number[];
  bracketDelimiters: boolean;
  /** Everything outside the block that its HTML depends on (format, post index …). */
  scope: string;
  /** false: the whole body is one block (the reference the block split is tested against). */
  split: boolean;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The source lines a block maps to, compactly: `@12` when they run on one by one from 12. */
function lineSignature(map: readonly number[]): string {
  for (let i = 1; i < map.length; i++) if (map[i] !== map[0] + i) return map.join(',');
  return `@${map[0]}`;
}

/**
 * markdown-it builds HTML by `+=`, leaving a rope that V8 copies again on every join; a cached
 * block is joined on every re-render, so store it flat once.
 */
function flat(s: string): string {
  /./.test(s);
  return s;
}

/** Renders a post body block by block, reusing cached blocks whose inputs did not change. */
export function renderBlocks(body: string, ctx: BodyRenderContext, cache: BlockCache): string[] {
  const blocks = ctx.split ? splitBlocks(body) : [{ start: 0, text: body }];
  const items: Array<{ key: string; entry: CachedBlock; env: RenderEnv; fresh: boolean }> = [];
  // Phase 1, in document order: numbers, labels and macros.
  for (const b of blocks) {
    const lineMap = ctx.lineMap.slice(b.start, b.start + countLines(b.text) + 1);
    const mark: MathMark = ctx.math.mark();
    const key = `${ctx.scope}\u0000${mark.key}\u0000${lineSignature(lineMap)}\u0000${b.text}`;
    const env: RenderEnv = { math: ctx.math, lineMap, bracketDelimiters: ctx.bracketDelimiters };
    let entry = cache.get(key);
    let fresh = false;
    if (entry) {
      ctx.math.replayPrepared(entry.prepared);
    } else {
      const tokens = ctx.md.parse(b.text, env as unknown as Record<string, unknown>);
      entry = { tokens, prepared: ctx.math.preparedSince(mark) };
      cache.set(key, entry);
      fresh = true;
    }
    items.push({ key, entry, env, fresh });
  }
  // Phase 2: HTML, now that every label of the post is known.
  const html: string[] = [];
  for (const it of items) {
    const e = it.entry;
    if (!it.fresh && e.html !== undefined && e.rendered && ctx.math.referencesUnchanged(e.rendered)) {
      ctx.math.replayRendered(e.rendered);
      if (!e.flat) {
        e.html = flat(e.html); // reused at least twice: worth one copy
        e.flat = true;
      }
      html.push(e.html);
      continue;
    }
    const mark = ctx.math.mark();
    e.html = ctx.md.renderer.render(e.tokens, ctx.md.options, it.env as unknown as Record<string, unknown>);
    e.flat = false;
    e.rendered = ctx.math.renderedSince(mark);
    html.push(e.html);
  }
  return html;
}
