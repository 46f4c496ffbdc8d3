// Marks citations in rendered text (`《title》`, `本系列的(六)`, `第7篇文章`) with the same grammar
// the series index uses (series/citations.ts), so the preview can link exactly what the index
// resolved. The marks carry only what the text says; where it leads is the host's business.
import type MarkdownIt = require('markdown-it');
import type { Markdown } from './engine';
import { escapeHtml } from '../html';
import { type CitationSpan, markedSpans, mayCite } from '../series/citations';

type Token = MarkdownIt.Token;

/** The citations marked in the text token `tokens[idx]` (the series index reads them here too). */
export function marksInText(tokens: readonly Token[], idx: number): CitationSpan[] {
  const text = tokens[idx].content;
  return mayCite(text) ? markedSpans(text, () => textAfter(tokens, idx)) : [];
}

/** What the page shows right after a text token, as far as the next text (a link's text after a `[`). */
function textAfter(tokens: readonly Token[], idx: number): string {
  let opened = '';
  for (let i = idx + 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'text') return opened + t.content;
    if (t.nesting !== 1) break;
    if (t.type === 'link_open') opened += '[';
  }
  return opened;
}

export function citationMarks(md: Markdown): void {
  md.renderer.rules.text = (tokens, idx) => {
    const text = tokens[idx].content;
    const spans = marksInText(tokens, idx);
    if (spans.length === 0) return escapeHtml(text);
    let out = '';
    let at = 0;
    for (const c of spans) {
      const attr = c.part !== undefined ? `data-part="${c.part}"` : `data-cite="${escapeHtml(c.text)}"`;
      out += escapeHtml(text.slice(at, c.col)) + `<span class="mn-cite" ${attr}>${escapeHtml(text.slice(c.col, c.col + c.length))}</span>`;
      at = c.col + c.length;
    }
    return out + escapeHtml(text.slice(at));
  };
}
