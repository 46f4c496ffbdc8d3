// Small helpers for tests: render a Markdown string and read what the page shows.
import { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote, type RenderedNote, type RenderOptions } from '../../src/core/render/renderNote';

export function render(markdown: string, fileName = 'note.md', options: RenderOptions = {}): RenderedNote {
  return renderNote(markdown, fileName, { cache: new RenderCache(), ...options });
}

const VOID = new Set(['br', 'hr', 'img', 'meta', 'input', 'link', 'wbr', 'col', 'area', 'base', 'source']);

export function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Walks an HTML fragment (our renderer's well-formed output) and returns the text inside
 * elements for which `select(classAttr)` is true, or outside all of them when `invert`.
 */
function textWhere(html: string, select: (cls: string, tag: string) => boolean, invert: boolean): string[] {
  const out: string[] = [];
  const stack: boolean[] = [];
  let inside = 0;
  let current = '';
  const re = /<(\/?)([a-zA-Z][\w-]*)([^>]*)>|([^<]+)/g;
  for (const m of html.matchAll(re)) {
    if (m[4] !== undefined) {
      if (inside > 0 !== invert) current += m[4];
      continue;
    }
    const tag = m[2].toLowerCase();
    if (m[1]) {
      if (stack.pop()) {
        inside--;
        if (!invert && inside === 0) {
          out.push(decodeEntities(current));
          current = '';
        }
      }
      continue;
    }
    if (VOID.has(tag) || m[3].endsWith('/')) continue;
    const cls = /class="([^"]*)"/.exec(m[3])?.[1] ?? '';
    const sel = select(cls, tag);
    stack.push(sel);
    if (sel) inside++;
  }
  if (invert) out.push(decodeEntities(current));
  return out;
}

/** The text a reader sees outside rendered formulas (KaTeX errors count as visible). */
export function visibleText(html: string): string {
  return textWhere(html, (cls) => /(^|\s)katex(\s|$)/.test(cls), true).join('');
}

/** Equation numbers as drawn on the page, in order (one KaTeX tag column holds all rows of an align). */
export function tagTexts(html: string): string[] {
  return textWhere(html, (cls) => /(^|\s)katex-tag(\s|$)/.test(cls), false).flatMap(
    (t) => t.replace(/\u200b/g, '').match(/\([^()]*\)/g) ?? [],
  );
}

/** Text of every KaTeX error element. */
export function errorTexts(html: string): string[] {
  return textWhere(html, (cls) => /(^|\s)katex-error(\s|$)/.test(cls), false);
}

/** TeX left raw on the page (outside formulas, shown errors and code): what a reader should never see. */
export function rawTexLeft(html: string): string[] {
  const text = textWhere(html, (cls, tag) => /(^|\s)katex(-error)?(\s|$)/.test(cls) || tag === 'code' || tag === 'pre', true).join('');
  return [
    ...text.matchAll(/\\(?:begin|end)\{[^}]*\}|\\[()[\]]|\$\$?|\\(?:frac|label|eqref|ref|tag|sum|mathbb|boldsymbol|left|right)\b/g),
  ].map((m) => m[0]);
}

/** Text of every undefined command a rendered formula shows in red (MathJax's noundefined). */
export function undefinedTexts(html: string): string[] {
  return textWhere(html, (cls) => /(^|\s)mnf-undefined(\s|$)/.test(cls), false);
}
