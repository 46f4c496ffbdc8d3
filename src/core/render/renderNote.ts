// Note → HTML fragment: one <article> per post, each rendered with its own math scope.
// The preview, the CLI and export all call this; nothing else renders notes.

import { highlightingOptions } from '../markdown/codeHighlight';
import { markdownEngine } from '../markdown/engine';
import { postParseInput } from '../markdown/postParse';
import { BlockCache, prepareBlocks, renderBlocks, type SourceWindow } from './blocks';
import type MarkdownIt = require('markdown-it');
import { escapeHtml } from '../html';
import { format, msg, type Text } from '../l10n/message';
import { RenderCache } from '../math/katexRenderer';
import { PostMath } from '../math/postMath';
import { PRESET_MACROS } from '../math/presetMacros';
import { parseNote } from '../note/parseNote';
import type { Note, Post } from '../note/types';

export interface RenderOptions {
  /** Macros added to the preset (settings, a workspace macro file). */
  macros?: Readonly<Record<string, string>>;
  /** Shared across renders so that an edit re-renders only the changed formulas. */
  cache?: RenderCache;
  /** false: render each post body in one piece (no block cache). Default true. */
  incremental?: boolean;
  /** Problems the host met reading the file (encoding …), shown above the first post (in the cache's locale). */
  warnings?: readonly Text[];
  /**
   * Render only the blocks on these source lines (and those cached): the rest are placeholders
   * (`pending`), for a long note's first screen. Numbers, labels and macros are the whole note's.
   */
  window?: SourceWindow;
  /**
   * The text is the note's first part only (a new page's first screen): its last post may define
   * further on the labels it references (PostMath.labelsMayFollow).
   */
  partial?: boolean;
}

export interface PostReport {
  index: number;
  title?: string;
  /** 1-based line of the post's start. */
  line: number;
  mathSegments: number;
  equations: number;
  labels: string[];
  errors: Array<{ line: number; message: string; tex: string }>;
  unresolvedReferences: Array<{ label: string; line: number }>;
  duplicateLabels: Array<{ label: string; line: number }>;
  unnumberedLabels: Array<{ label: string; line: number }>;
}

/**
 * One post as balanced pieces: `open + close` is its `<article>` shell, and `blocks` (each balanced
 * HTML) go, in order, inside its `.mn-post-body`. Warnings above the posts form a section with no shell.
 * The preview patches blocks by these pieces.
 */
export interface RenderedSection {
  open: string;
  blocks: string[];
  /** Per block: an id that changes whenever the block is rendered anew, or '' (key it by its HTML). */
  ids: string[];
  /** Per block: the source line it starts at (the page counts a block's line stamps from it; 0 when it has none of its own). */
  bases: number[];
  close: string;
}

export interface RenderedNote {
  /** The whole fragment (joined on first read: a re-render that only needs `parts` skips it). */
  readonly html: string;
  /** The fragment in document order: post headers, body blocks, post ends. Joined, it is `html`. */
  parts: string[];
  /** The same fragment by post and block (see RenderedSection). */
  sections: RenderedSection[];
  note: Note;
  posts: PostReport[];
  /** Per-post math scopes (formulas as prepared, labels): for lint, tests and tools. */
  math: PostMath[];
  /** Blocks left as placeholders (outside `window`): 0 when the note is rendered whole. */
  pending: number;
  /** Blocks whose HTML this render made; the others were the memo's. */
  renderedBlocks: number;
}

const defaultCache = new RenderCache();
const blockCaches = new WeakMap<RenderCache, BlockCache>();

/** Block results live beside the formula memo: one cache object for callers to keep. */
export function blockCacheFor(cache: RenderCache): BlockCache {
  let blocks = blockCaches.get(cache);
  if (!blocks) blockCaches.set(cache, (blocks = new BlockCache()));
  return blocks;
}

/** The presets with a caller's macros over them: one table per settings object, so each is read once (MacroTable). */
const merged = new WeakMap<Readonly<Record<string, string>>, Readonly<Record<string, string>>>();
function withPresets(own: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
  if (!own) return PRESET_MACROS;
  let table = merged.get(own);
  if (!table) merged.set(own, (table = { ...PRESET_MACROS, ...own }));
  return table;
}

export function renderNote(text: string, fileName: string, options: RenderOptions = {}): RenderedNote {
  const note = parseNote(text, fileName);
  const macros = withPresets(options.macros);
  const cache = options.cache ?? defaultCache;
  const md = markdownEngine(note.format);
  const sections: RenderedSection[] = [];
  const reports: PostReport[] = [];
  const scopes: PostMath[] = [];
  const warnings = [...(options.warnings ?? []), ...note.warnings];
  if (warnings.length)
    sections.push({
      open: '',
      close: '',
      blocks: warnings.map((w) => `<div class="mn-warning" role="alert">${escapeHtml(format(w, cache.locale))}</div>\n`),
      ids: warnings.map(() => ''),
      bases: warnings.map(() => 0),
    });
  const blockCache = blockCacheFor(cache);
  blockCache.beginRender(fileName);
  const noteMacroTokens = { tokens: 0 };
  let pending = 0;
  let renderedBlocks = 0;
  // A window that ends above the first post's body (the reader at the top of a front matter,
  // which the page does not show) moves down to where the page starts.
  let window = options.window;
  const bodyStart = note.posts[0]?.bodyLineMap[0];
  if (window && bodyStart !== undefined && window.to <= bodyStart)
    window = { from: bodyStart, to: bodyStart + Math.max(window.to - window.from, 40) };
  for (const post of note.posts) {
    const math = new PostMath(post.index, macros, cache, noteMacroTokens);
    math.labelsMayFollow = options.partial === true && post === note.posts[note.posts.length - 1];
    const { source, bracketDelimiters, dialect } = postParseInput(note.format, post.body);
    let body: string[];
    let ids: string[];
    let bases: number[];
    try {
      const scope = blockScope(note.format, post.index, bracketDelimiters, dialect);
      const rendered = renderBlocks(
        source,
        {
          md,
          // A checking render writes no page: no fence is highlighted for it.
          renderOptions: cache.markup ? highlightingOptions(md.options) : undefined,
          markup: cache.markup,
          math,
          lineMap: post.bodyLineMap,
          bracketDelimiters,
          dialect,
          scope,
          split: options.incremental !== false,
          window,
        },
        blockCache,
      );
      ({ html: body, ids, bases } = rendered);
      pending += rendered.pending;
      renderedBlocks += rendered.rendered;
    } catch (err) {
      // Nothing escapes the renderer: a post that fails shows its source and the reason.
      body = [
        `<div class="mn-warning" role="alert">${escapeHtml(format(msg('This post could not be rendered: {0}', (err as Error).message), cache.locale))}</div><pre>${escapeHtml(post.body)}</pre>`,
      ];
      ids = [''];
      bases = [0];
    }
    // Markdown notes usually open with their title as an H1: the byline goes right under it.
    const first = body.findIndex((b) => b.trim() !== '');
    const titleInBody = note.format === 'markdown' && first >= 0 && /^<h1[ >]/.test(body[first].trimStart());
    const { open, byline, close } = renderPost(post, !titleInBody);
    if (titleInBody) {
      const cut = body[first].indexOf('</h1>') + '</h1>\n'.length;
      body[first] = body[first].slice(0, cut) + byline + body[first].slice(cut);
      ids[first] = ''; // its own HTML names it
    } else if (byline) {
      body.unshift(byline);
      ids.unshift('');
      bases.unshift(0);
    }
    sections.push({ open, blocks: body, ids, bases, close });
    reports.push(report(post, math));
    scopes.push(math);
  }
  blockCache.endRender();
  const parts: string[] = [];
  for (const s of sections) parts.push(s.open, ...s.blocks, s.close);
  let html: string | undefined;
  return {
    sections,
    get html() {
      return (html ??= parts.join(''));
    },
    parts,
    note,
    posts: reports,
    math: scopes,
    pending,
    renderedBlocks,
  };
}

/** What a cached block's HTML depends on beyond its text: the same for rendering and preparing. */
function blockScope(
  format: string,
  post: number,
  bracketDelimiters: boolean,
  dialect: { escapedBrackets: boolean; escapedDollars: boolean },
): string {
  return `${format}|${post}|${bracketDelimiters}|${+dialect.escapedBrackets}${+dialect.escapedDollars}`;
}

export interface PreparedNote {
  note: Note;
  /** Per post: its math scope, every formula prepared (numbers, labels, macros), nothing rendered. */
  math: PostMath[];
  /** Per post: its blocks' tokens as the page parses them (prose references carry their source line). */
  tokens: MarkdownIt.Token[][][];
}

/**
 * What rendering knows before it calls KaTeX — the same parse, numbering and labels as
 * renderNote's, sharing its block cache — for the editor's language features, which need numbers
 * and places, not HTML.
 */
export function prepareNote(text: string, fileName: string, options: Pick<RenderOptions, 'macros' | 'cache'> = {}): PreparedNote {
  const note = parseNote(text, fileName);
  const macros = withPresets(options.macros);
  const cache = options.cache ?? defaultCache;
  const md = markdownEngine(note.format);
  const blockCache = blockCacheFor(cache);
  const noteMacroTokens = { tokens: 0 };
  const scopes: PostMath[] = [];
  const tokens: MarkdownIt.Token[][][] = [];
  blockCache.beginRender(fileName);
  for (const post of note.posts) {
    const math = new PostMath(post.index, macros, cache, noteMacroTokens);
    const { source, bracketDelimiters, dialect } = postParseInput(note.format, post.body);
    const scope = blockScope(note.format, post.index, bracketDelimiters, dialect);
    try {
      tokens.push(
        prepareBlocks(source, { md, math, lineMap: post.bodyLineMap, bracketDelimiters, dialect, scope, split: true }, blockCache),
      );
    } catch {
      tokens.push([]); // as the page: a post that fails to parse shows no math
    }
    scopes.push(math);
  }
  blockCache.endRender();
  return { note, math: scopes, tokens };
}

/** The post's opening (article, title unless the body has it), its byline, and its closing. */
function renderPost(post: Post, showTitle: boolean): { open: string; byline: string; close: string } {
  const m = post.meta;
  const classes = ['mn-post'];
  if (m.excerpt) classes.push('mn-excerpt');
  if (m.preamble) classes.push('mn-preamble');
  const title =
    m.title && showTitle
      ? `<h1 class="mn-post-title"${post.titleLine !== undefined ? ` data-line="${post.titleLine}"` : ''}>${escapeHtml(m.title)}</h1>`
      : '';
  const items: string[] = [];
  if (m.author) items.push(`<span class="mn-author">${escapeHtml(m.author)}</span>`);
  if (m.date) items.push(`<time class="mn-date">${escapeHtml(m.date)}</time>`);
  if (m.readers !== undefined) items.push(`<span class="mn-readers">${m.readers} 位读者</span>`);
  if (m.tags?.length)
    items.push(`<span class="mn-tags">${m.tags.map((t) => `<span class="mn-tag">${escapeHtml(t)}</span>`).join('')}</span>`);
  const byline = items.length
    ? `<p class="mn-byline"${post.bylineLine !== undefined ? ` data-line="${post.bylineLine}"` : ''}>${items.join('<span class="mn-sep"> | </span>')}</p>`
    : '';
  // An excerpt already ends in its own ellipsis; a listing's cut post says so like the blog does.
  const more = m.truncated && !m.excerpt ? `<p class="mn-truncated">点击阅读全文…</p>` : '';
  return {
    open: `<article class="${classes.join(' ')}" id="mn-p${post.index}" data-post="${post.index}" data-line="${post.startLine}">${title}<div class="mn-post-body">`,
    byline,
    close: `</div>${more}</article>\n`,
  };
}

function report(post: Post, math: PostMath): PostReport {
  return {
    index: post.index,
    title: post.meta.title,
    line: post.startLine + 1,
    mathSegments: math.formulas.length,
    equations: math.formulas.reduce((n, f) => n + f.rows.length, 0),
    labels: [...math.labels.keys()],
    errors: math.errors.map((e) => ({ line: e.line + 1, message: e.message, tex: e.source })),
    unresolvedReferences: math.references.filter((r) => !r.resolved && !r.pending).map((r) => ({ label: r.label, line: r.line + 1 })),
    duplicateLabels: math.duplicateLabels.map((d) => ({ label: d.name, line: d.line + 1 })),
    unnumberedLabels: math.unnumberedLabels.map((d) => ({ label: d.name, line: d.line + 1 })),
  };
}
