// Marks citations in rendered text (`《title》`, `本系列的(六)`, `第7篇文章`) with the same grammar
// the series index uses (series/citations.ts), so the preview can link exactly what the index
// resolved. The marks carry only what the text says; where it leads is the host's business.
import type { Markdown } from './engine';
import { escapeHtml } from '../html';
import { scanCitations } from '../series/citations';

export function citationMarks(md: Markdown): void {
  md.renderer.rules.text = (tokens, idx) => {
    const text = tokens[idx].content;
    const spans = scanCitations(text);
    if (spans.length === 0) return escapeHtml(text);
    let out = '';
    let at = 0;
    for (const c of spans) {
      if (c.col < at) continue; // overlapping matches: the first wins
      const attr = c.part !== undefined ? `data-part="${c.part}"` : `data-cite="${escapeHtml(c.text)}"`;
      out += escapeHtml(text.slice(at, c.col)) + `<span class="mn-cite" ${attr}>${escapeHtml(text.slice(c.col, c.col + c.length))}</span>`;
      at = c.col + c.length;
    }
    return out + escapeHtml(text.slice(at));
  };
}
