// The render worker's requests and responses, and what it does with them: note text → keyed page
// updates (chunked), export HTML, lint diagnostics or series summaries, all with one set of caches.
// Pure: the host decides where it runs (a worker thread on the desktop, in-process on the web).

import { pageUpdate, type KnownBlocks } from './keyedUpdate';
import type { PageCounts, PageUpdate, RenderStats } from './protocol';
import { RenderCache } from '../math/katexRenderer';
import { renderNote, type RenderedNote } from '../render/renderNote';
import { firstScreen, firstScreenPrefix, usesWindow } from '../render/firstScreen';
import { lintNote, type LintOptions } from '../lint/lintNote';
import type { LintDiagnostic } from '../lint/types';
import { mostSevere } from '../lint/shownDiagnostics';
import type { Locale } from '../l10n/message';
import { summarizeText, type PostSummary } from '../series/noteSummary';
import { equationsToData, type EquationsData } from '../editor/equationsData';
import { findSnippets, type Snippet } from '../snippets/snippets';
import { noteEquations } from '../editor/noteEquations';
import type { FormulaSvg, FormulaSvgOptions } from '../math/formulaSvg';
import { MirrorReceiver, type MirroredText } from '../text/textMirror';

/** The formula drawer (MathJax, ~1.8 MB of script): loaded by the host of the handler on first use. */
export type LoadFormulaSvg = () => Promise<{
  formulaSvg: (tex: string, options: FormulaSvgOptions) => FormulaSvg;
  forHover: (drawn: FormulaSvg, locale?: Locale) => FormulaSvg;
}>;

export interface RenderRequest {
  id: number;
  /** One per webview: the keys it holds are tracked per channel. */
  channel: string;
  text: string;
  fileName: string;
  macros: Record<string, string>;
  /** The webview lost its page (reload): send every block. */
  reset: boolean;
  /**
   * 'html': the whole fragment as one string (export), not a page update; 'lint': diagnostics;
   * 'summary': the note's posts for the series index (a large open note, off the host's thread);
   * 'equations': the editor's equation analysis as data (core/editor/equationsData.ts); 'draw': a
   * formula as an SVG image (MathJax: up to ~0.8 s for the longest formulas it draws, off the host);
   * 'snippets': the note's runnable snippets (a long note's parse, off the host).
   */
  mode?: 'page' | 'html' | 'lint' | 'summary' | 'equations' | 'draw' | 'snippets';
  /** For 'draw': a formula to draw as an image (core/math/formulaSvg.ts), for a hover. */
  draw?: FormulaSvgOptions & { tex: string };
  /** For 'summary': the key the index files the note under. */
  key?: string;
  /** Shown above the first post (the note was cut to the size limit …). */
  warnings?: string[];
  /**
   * The source lines the reader sees (0-based). A long note's new page renders that screen first,
   * and a very long note every time (firstScreen.ts); `stats.pending` says how many blocks wait.
   */
  view?: { line: number; lastLine: number };
  /** Severity per lint rule ('off' turns one off), for mode 'lint'. */
  severity?: LintOptions['severity'];
  /** The language of lint messages and of the messages in rendered HTML. */
  locale?: Locale;
  /** Set by RenderService for a worker thread: `text` is an edit of a text the worker keeps (core/text/textMirror.ts). */
  mirror?: MirroredText;
}

export type RenderResponse =
  /** Block HTML ahead of the result (see splitHtml). */
  | { id: number; chunk: string }
  | { id: number; ok: true; page: PageCounts; pageJson: string; stats: RenderStats }
  | { id: number; ok: true; html: string; title: string | undefined; stats: RenderStats }
  | { id: number; ok: true; diagnostics: LintDiagnostic[]; omitted: number; milliseconds: number }
  | { id: number; ok: true; posts: PostSummary[] }
  | { id: number; ok: true; equations: EquationsData }
  | { id: number; ok: true; drawn: FormulaSvg }
  | { id: number; ok: true; snippets: Snippet[] }
  | { id: number; ok: false; message: string; /** The worker lacked the text an edit applied to: send it whole. */ resend?: true };

/**
 * The most HTML one message carries: the host passes each on to the webview, and VS Code
 * serializes a message on the host's thread (about 10 ms for this much, measured in the test bed).
 */
export const CHUNK_CHARS = 250_000;

/**
 * Moves block HTML out of a large update into chunks of about CHUNK_CHARS: each message is then
 * cheap to receive (the extension host deserializes messages on its main thread).
 */
function splitHtml(page: PageUpdate): string[] {
  const chunks: string[] = [];
  let total = 0;
  for (const section of page.sections) for (const block of section.blocks) total += block.html?.length ?? 0;
  if (total < CHUNK_CHARS) return chunks; // an edit's few blocks: one message, no extra hop
  let chunk: Record<string, string> = {};
  let chars = 0;
  for (const section of page.sections) {
    for (const block of section.blocks) {
      if (block.html === undefined) continue;
      chunk[block.key] = block.html;
      chars += block.html.length;
      delete block.html;
      if (chars >= CHUNK_CHARS) {
        chunks.push(JSON.stringify(chunk));
        chunk = {};
        chars = 0;
      }
    }
  }
  if (chars) chunks.push(JSON.stringify(chunk));
  return chunks;
}

export type WorkerMessage = RenderRequest | { id: number; dispose: string };

/** One memo per language of the messages in the HTML (in practice one: VS Code's display language). */
const caches = new Map<Locale, RenderCache>();
function cacheFor(locale: Locale = 'en'): RenderCache {
  let cache = caches.get(locale);
  if (!cache) caches.set(locale, (cache = new RenderCache(undefined, locale)));
  return cache;
}

/** The calling thread's time so far on a core and waiting for one, in ms (Linux's schedstat: see src/node/renderWorker.ts). */
export type ThreadClock = () => { run: number; waited: number } | undefined;

function statsOf(rendered: RenderedNote, t0: number, c0?: ReturnType<ThreadClock>, clock?: ThreadClock): RenderStats {
  const c1 = c0 && clock?.();
  return {
    posts: rendered.posts.length,
    formulas: rendered.posts.reduce((n, p) => n + p.mathSegments, 0),
    katexErrors: rendered.posts.reduce((n, p) => n + p.errors.length, 0),
    milliseconds: Math.round(performance.now() - t0),
    pending: rendered.pending,
    renderedBlocks: rendered.renderedBlocks,
    // A render that took long on a busy machine: was it work, or a wait for a core?
    ...(c0 && c1 ? { onCpu: Math.round(c1.run - c0.run), waited: Math.round(c1.waited - c0.waited) } : {}),
  };
}

/**
 * What the render worker does with each message; `post` sends a response back. The same handler
 * runs in a worker thread (desktop: src/node/renderWorker.ts) or in the web extension host's own
 * worker (src/web/inProcessRenderWorker.ts).
 */
export function createRenderHandler(
  post: (response: RenderResponse) => void,
  loadFormulaSvg?: LoadFormulaSvg,
  clock?: ThreadClock,
): (msg: WorkerMessage) => void {
  /** Per channel (webview): the keys of the blocks its page holds. */
  const known = new Map<string, KnownBlocks>();
  /** The text each of the latest few notes was last rendered from whole (not from a first part). */
  const lastWhole = new Map<string, string>();
  const rememberWhole = (fileName: string, text: string) => {
    lastWhole.delete(fileName);
    lastWhole.set(fileName, text);
    if (lastWhole.size > 2) lastWhole.delete(lastWhole.keys().next().value!);
  };
  const stableMacros = macroKeeper();
  const texts = new MirrorReceiver();
  return (msg: WorkerMessage) => {
    if ('dispose' in msg) {
      known.delete(msg.dispose);
      return;
    }
    try {
      msg.text = texts.decode(msg.text, msg.mirror);
    } catch (err) {
      post({ id: msg.id, ok: false, message: (err as Error).message, resend: true } satisfies RenderResponse);
      return;
    }
    try {
      const t0 = performance.now();
      const c0 = clock?.();
      if (msg.mode === 'summary') {
        post({ id: msg.id, ok: true, posts: summarizeText(msg.key ?? msg.fileName, msg.fileName, msg.text) } satisfies RenderResponse);
        return;
      }
      if (msg.mode === 'snippets') {
        post({ id: msg.id, ok: true, snippets: findSnippets(msg.text, msg.fileName) } satisfies RenderResponse);
        return;
      }
      if (msg.mode === 'draw') {
        const d = msg.draw;
        if (!d || !loadFormulaSvg) throw new Error('no formula drawer here');
        const { tex, ...options } = d;
        loadFormulaSvg().then(
          (svg) =>
            post({
              id: msg.id,
              ok: true,
              drawn: svg.forHover(svg.formulaSvg(tex, { ...options, locale: msg.locale }), msg.locale),
            } satisfies RenderResponse),
          (err: unknown) => post({ id: msg.id, ok: false, message: err instanceof Error ? err.message : String(err) }),
        );
        return;
      }
      if (msg.mode === 'equations') {
        // Lint's caches (the checking memo): lint and the analysis ask of the same versions in the
        // same worker (the desktop's background one), so each block is parsed, and held, once — a
        // 5 MB note's worker heap 332 → 224 MB.
        const equations = equationsToData(
          noteEquations(msg.text, msg.fileName, { macros: stableMacros(msg.macros), cache: cacheFor(msg.locale).checking }),
        );
        post({ id: msg.id, ok: true, equations } satisfies RenderResponse);
        return;
      }
      if (msg.mode === 'lint') {
        // The checking sibling of this language's memo (lintNote): formulas built, no HTML written.
        const diagnostics = lintNote(msg.text, msg.fileName, {
          macros: stableMacros(msg.macros),
          cache: cacheFor(msg.locale),
          severity: msg.severity,
          locale: msg.locale,
        });
        const { shown, omitted } = mostSevere(diagnostics);
        post({
          id: msg.id,
          ok: true,
          diagnostics: shown,
          omitted,
          milliseconds: Math.round(performance.now() - t0),
        } satisfies RenderResponse);
        return;
      }
      const held: KnownBlocks = (!msg.reset && known.get(msg.channel)) || new Map();
      const window =
        msg.mode !== 'html' && msg.view && usesWindow(msg.text.length, msg.reset)
          ? { ...firstScreen(msg.text, msg.view.line, msg.view.lastLine), held: (id: string) => held.has(id) }
          : undefined;
      // A new page's first screen from the note's first part only (firstScreenPrefix): the rest, and
      // what it changes, comes with the whole note's render the host asks for next.
      // Not when the worker rendered this very text whole last (the page reloaded, another preview):
      // that render's blocks are all at hand, and a prefix's render would let them go.
      const prefix = window && msg.reset && lastWhole.get(msg.fileName) !== msg.text ? firstScreenPrefix(msg.text, window) : undefined;
      const rendered = renderNote(prefix ?? msg.text, msg.fileName, {
        macros: stableMacros(msg.macros),
        cache: cacheFor(msg.locale),
        warnings: msg.warnings,
        window,
        partial: prefix !== undefined,
      });
      if (msg.mode === 'html') {
        const title = rendered.posts.find((p) => p.title)?.title;
        post({ id: msg.id, ok: true, html: rendered.html, title, stats: statsOf(rendered, t0, c0, clock) } satisfies RenderResponse);
        return;
      }
      const update = pageUpdate(rendered.sections, held);
      known.set(msg.channel, update.known);
      const stats = { ...statsOf(rendered, t0, c0, clock), ...(prefix !== undefined ? { partial: true } : {}) };
      if (prefix === undefined) rememberWhole(msg.fileName, msg.text);
      for (const chunk of splitHtml(update.page)) post({ id: msg.id, chunk } satisfies RenderResponse);
      const { changedBlocks, totalBlocks } = update.page;
      post({
        id: msg.id,
        ok: true,
        page: { changedBlocks, totalBlocks },
        pageJson: JSON.stringify(update.page),
        stats,
      } satisfies RenderResponse);
    } catch (err) {
      known.delete(msg.channel);
      post({ id: msg.id, ok: false, message: (err as Error).message } satisfies RenderResponse);
    }
  };
}

/**
 * The settings' macros arrive as a new object with every request: while they are the same, the
 * first object stands for them, so what the renderer reads from a table once (MacroTable) stays read.
 */
function macroKeeper(): (macros: Readonly<Record<string, string>> | undefined) => Readonly<Record<string, string>> | undefined {
  let last: { json: string; table: Readonly<Record<string, string>> } | undefined;
  return (macros) => {
    if (!macros) return macros;
    const json = JSON.stringify(macros);
    if (last?.json !== json) last = { json, table: macros };
    return last.table;
  };
}
