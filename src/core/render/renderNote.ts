// Note → HTML fragment: one <article> per post, each rendered with its own math scope.
// The preview, the CLI and export all call this; nothing else renders notes.

import { markdownEngine } from '../markdown/engine';
import { usesDollarMath } from '../markdown/mathSyntax';
import { protectTablePipes } from '../markdown/tablePipes';
import type { RenderEnv } from '../markdown/mathRendering';
import { escapeHtml, RenderCache } from '../math/katexRenderer';
import { PostMath } from '../math/postMath';
import { PRESET_MACROS } from '../math/presetMacros';
import { parseNote } from '../note/parseNote';
import type { Note, Post } from '../note/types';

export interface RenderOptions {
  /** Macros added to the preset (settings, a workspace macro file). */
  macros?: Readonly<Record<string, string>>;
  /** Shared across renders so that an edit re-renders only the changed formulas. */
  cache?: RenderCache;
  /** Problems the host met reading the file (encoding …), shown above the first post. */
  warnings?: readonly string[];
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

export interface RenderedNote {
  html: string;
  note: Note;
  posts: PostReport[];
  /** Per-post math scopes (formulas as prepared, labels): for lint, tests and tools. */
  math: PostMath[];
}

const defaultCache = new RenderCache();

export function renderNote(text: string, fileName: string, options: RenderOptions = {}): RenderedNote {
  const note = parseNote(text, fileName);
  const macros = options.macros ? { ...PRESET_MACROS, ...options.macros } : PRESET_MACROS;
  const cache = options.cache ?? defaultCache;
  const md = markdownEngine(note.format);
  const parts: string[] = [];
  const reports: PostReport[] = [];
  const scopes: PostMath[] = [];
  for (const w of [...(options.warnings ?? []), ...note.warnings]) parts.push(`<div class="mn-warning" role="alert">${escapeHtml(w)}</div>`);
  for (const post of note.posts) {
    const math = new PostMath(post.index, macros, cache);
    const bracketDelimiters = note.format === 'blog-export' || !usesDollarMath(post.body);
    const env: RenderEnv = { math, lineMap: post.bodyLineMap, bracketDelimiters };
    let body: string;
    try {
      const source = note.format === 'markdown' ? protectTablePipes(post.body) : post.body;
      body = md.render(source, env as unknown as Record<string, unknown>);
    } catch (err) {
      // Nothing escapes the renderer: a post that fails shows its source and the reason.
      body = `<div class="mn-warning" role="alert">${escapeHtml(`This post could not be rendered: ${(err as Error).message}`)}</div><pre>${escapeHtml(post.body)}</pre>`;
    }
    parts.push(renderPost(post, note.format, body));
    reports.push(report(post, math));
    scopes.push(math);
  }
  return { html: parts.join('\n'), note, posts: reports, math: scopes };
}

function renderPost(post: Post, format: Note['format'], body: string): string {
  const m = post.meta;
  const classes = ['mn-post'];
  if (m.excerpt) classes.push('mn-excerpt');
  if (m.preamble) classes.push('mn-preamble');
  const header: string[] = [];
  // Markdown notes usually repeat the title as their first H1: show it once.
  const bodyHasTitle = format === 'markdown' && /^<h1[ >]/.test(body.trimStart());
  if (m.title && !bodyHasTitle) {
    header.push(`<h1 class="mn-post-title"${post.titleLine !== undefined ? ` data-line="${post.titleLine}"` : ''}>${escapeHtml(m.title)}</h1>`);
  }
  const byline: string[] = [];
  if (m.author) byline.push(`<span class="mn-author">${escapeHtml(m.author)}</span>`);
  if (m.date) byline.push(`<time class="mn-date">${escapeHtml(m.date)}</time>`);
  if (m.readers !== undefined) byline.push(`<span class="mn-readers">${m.readers} 位读者</span>`);
  if (m.tags?.length) byline.push(`<span class="mn-tags">${m.tags.map((t) => `<span class="mn-tag">${escapeHtml(t)}</span>`).join('')}</span>`);
  if (byline.length) {
    header.push(`<p class="mn-byline"${post.bylineLine !== undefined ? ` data-line="${post.bylineLine}"` : ''}>${byline.join('<span class="mn-sep"> | </span>')}</p>`);
  }
  const head = header.length ? `<header class="mn-post-header">${header.join('')}</header>` : '';
  const more = m.truncated ? `<p class="mn-truncated">点击阅读全文…</p>` : '';
  return `<article class="${classes.join(' ')}" id="mn-p${post.index}" data-post="${post.index}" data-line="${post.startLine}">${head}<div class="mn-post-body">${body}</div>${more}</article>`;
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
    unresolvedReferences: math.references.filter((r) => !r.resolved).map((r) => ({ label: r.label, line: r.line + 1 })),
    duplicateLabels: math.duplicateLabels.map((d) => ({ label: d.name, line: d.line + 1 })),
    unnumberedLabels: math.unnumberedLabels.map((d) => ({ label: d.name, line: d.line + 1 })),
  };
}
