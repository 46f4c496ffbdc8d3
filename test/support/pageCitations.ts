// The citations a page marks and the ones the series index keeps, side by side: per post, in
// document order, each as its key (title or part number) and the text it stands on (the page's
// marked text; the index's source range, read from the note).
import MarkdownIt = require('markdown-it');
import type { PostSummary } from '../../src/core/series/noteSummary';
import { decodeEntities } from './render';

export interface SeenCitation {
  key: string;
  text: string;
}

const MARK = /<span class="mn-cite" data-(cite|part)="([^"]*)">([^<]*)<\/span>/g;

/** Per post index, the citations the page marks (preamble posts, which the index leaves out, left out). */
export function pageCitations(html: string): Map<number, SeenCitation[]> {
  const out = new Map<number, SeenCitation[]>();
  for (const article of html.split(/(?=<article )/)) {
    const open = /^<article class="([^"]*)"[^>]*data-post="(\d+)"/.exec(article);
    if (!open || open[1].includes('mn-preamble')) continue;
    out.set(
      Number(open[2]),
      [...article.matchAll(MARK)].map((m) => ({ key: m[1] === 'part' ? `#${m[2]}` : decodeEntities(m[2]), text: decodeEntities(m[3]) })),
    );
  }
  return out;
}

const { unescapeAll } = new MarkdownIt().utils;

/** Per post index, the citations the index keeps, with the text at their source range. */
export function indexCitations(text: string, posts: readonly PostSummary[]): Map<number, SeenCitation[]> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out = new Map<number, SeenCitation[]>();
  for (const p of posts) {
    const sorted = [...p.citations].sort((a, b) => a.line - b.line || a.col - b.col);
    out.set(
      p.index,
      sorted.map((c) => {
        const source = (lines[c.line] ?? '').substr(c.col, c.length);
        return { key: c.part !== undefined ? `#${c.part}` : c.text, text: source };
      }),
    );
  }
  return out;
}

/** Where the index and the page disagree (empty when they keep the same citations at the same places). */
export function citationDifferences(name: string, text: string, html: string, posts: readonly PostSummary[]): string[] {
  const page = pageCitations(html);
  const index = indexCitations(text, posts);
  const out: string[] = [];
  for (const [post, marks] of page) {
    const kept = index.get(post) ?? [];
    const show = (cs: SeenCitation[]) => cs.map((c) => `${c.key}@${c.text}`).join(' | ');
    // The source under the index's range is the marked text, up to the escapes and entities the page reads.
    const same =
      kept.length === marks.length &&
      kept.every((c, i) => c.key === marks[i].key && (c.text === marks[i].text || unescapeAll(c.text) === marks[i].text));
    if (!same) out.push(`${name} post ${post}:\n  page:  ${show(marks)}\n  index: ${show(kept)}`);
  }
  for (const post of index.keys())
    if (!page.has(post) && index.get(post)!.length) out.push(`${name} post ${post}: in the index, not on the page`);
  return out;
}
