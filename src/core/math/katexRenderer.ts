// The one place that calls KaTeX: safe options, bounded work, errors caught and shown in place,
// and a bounded memo so that re-rendering after an edit only pays for the formulas that changed.

import katex from 'katex';
import { escapeHtml } from '../html';
import { format, msg, type Locale } from '../l10n/message';
import { sanitizeFormulaCss } from './cssAllowlist';

export interface KatexResult {
  html: string;
  error?: { message: string; position?: number; length?: number };
}

/** Hrefs a formula may link to: our own equation anchors and ordinary web links. */
const SAFE_HREF = /^(?:#mn-|https?:\/\/|mailto:)/i;

const trust = (context: { command: string; url?: string; class?: string; style?: string }): boolean => {
  switch (context.command) {
    case '\\href':
    case '\\url':
      return context.url !== undefined && SAFE_HREF.test(context.url);
    case '\\htmlClass':
      return context.class !== undefined && /^mn-[a-z-]+$/.test(context.class);
    case '\\htmlStyle':
      // Only CSS the allowlist keeps whole (what \style and \bbox became, or the same written directly).
      return context.style !== undefined && sanitizeFormulaCss(context.style) === context.style.trim().replace(/\s*;\s*$/, '');
    default:
      return false; // \htmlId, \htmlData, \includegraphics
  }
};

export const KATEX_LIMITS = { maxSize: 50, maxExpand: 1000 } as const;

/** KaTeX's time grows faster than linearly with formula size; the corpus's longest is ~7 000 characters. */
export const MAX_FORMULA_LENGTH = 16000;

/**
 * `error.message` stays English (lint classifies it and words it per reader); the element's title,
 * which the page shows, is in `locale`.
 */
export function renderKatex(tex: string, displayMode: boolean, macros: Record<string, string>, locale: Locale = 'en'): KatexResult {
  if (tex.length > MAX_FORMULA_LENGTH) {
    const limit = msg('Formula too long to render ({0} characters; the limit is {1})', tex.length, MAX_FORMULA_LENGTH);
    return errorResult(tex, displayMode, format(limit), format(limit, locale));
  }
  try {
    const html = katex.renderToString(tex, {
      displayMode,
      throwOnError: true,
      strict: 'ignore',
      trust,
      macros,
      maxSize: KATEX_LIMITS.maxSize,
      maxExpand: KATEX_LIMITS.maxExpand,
      output: 'htmlAndMathml',
      // The blog runs MathJax 2, where \color{c}{x} colours only x.
      colorIsTextColor: true,
    });
    return { html };
  } catch (err) {
    const e = err as { message?: string; position?: number; length?: number; rawMessage?: string };
    // A stack overflow inside KaTeX says nothing to an author: say what causes one.
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      const nested = msg('Too deeply nested or recursive to render (a macro that calls itself?)');
      return errorResult(tex, displayMode, format(nested), format(nested, locale));
    }
    const message = String(e.rawMessage ?? e.message ?? err);
    // KaTeX's own wording is kept (it names the command and position); a Chinese reader gets a Chinese lead.
    const title = locale === 'en' ? message : format(msg('KaTeX cannot render this formula: {0}', message), locale);
    return errorResult(tex, displayMode, message, title, e.position, e.length);
  }
}

function errorResult(tex: string, displayMode: boolean, message: string, title: string, position?: number, length?: number): KatexResult {
  const tag = displayMode ? 'div' : 'span';
  const html = `<${tag} class="katex-error" title="${escapeHtml(title)}">${escapeHtml(tex)}</${tag}>`;
  return { html, error: { message, position, length } };
}

const knownCommands = new Map<string, boolean>();

/** Whether KaTeX defines a control sequence (probed once per name: KaTeX has no public table). */
export function isKatexCommand(name: string): boolean {
  let known = knownCommands.get(name);
  if (known === undefined) {
    try {
      katex.renderToString(name, { throwOnError: true, strict: 'ignore' });
      known = true;
    } catch (err) {
      known = !/^KaTeX parse error: Undefined control sequence/.test(String((err as Error).message));
    }
    if (knownCommands.size < 10000) knownCommands.set(name, known);
  }
  return known;
}

/** A size-bounded LRU (Map keeps insertion order; a hit moves the entry to the end). */
export class RenderCache {
  private readonly entries = new Map<string, KatexResult>();
  private size = 0;
  hits = 0;
  misses = 0;

  // Enough for the notes being edited (a 150-equation note is ~2 M characters of HTML); a larger
  // memo costs more in garbage-collection time than it saves. `locale`: the language of the messages
  // the HTML carries (error titles, notices), so everything cached with this memo is in one language.
  constructor(
    private readonly maxChars = 4 * 1024 * 1024,
    readonly locale: Locale = 'en',
  ) {}

  render(tex: string, displayMode: boolean, macrosKey: string, macros: () => Record<string, string>): KatexResult {
    const key = `${displayMode ? 'D' : 'I'}${macrosKey}\u0000${tex}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    this.misses++;
    const result = renderKatex(tex, displayMode, macros(), this.locale);
    this.entries.set(key, result);
    this.size += key.length + result.html.length;
    while (this.size > this.maxChars && this.entries.size > 1) {
      const [oldKey, old] = this.entries.entries().next().value as [string, KatexResult];
      this.entries.delete(oldKey);
      this.size -= oldKey.length + old.html.length;
    }
    return result;
  }

  clear(): void {
    this.entries.clear();
    this.size = 0;
  }
}
