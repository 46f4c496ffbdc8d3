// What the preview shows about series for one note: per post a navigation bar (series, 第 n 篇,
// previous / next, every part with gaps) and the posts that cite it; per citation where it leads
// or why it leads nowhere. Targets are numbered: the page names a target by its number and the host
// opens only targets it handed out.

import { citationKey, type Citation } from './citations';
import type { PostSummary } from './noteSummary';
import type { ResolvedBy, SeriesIndex, UnresolvedReason } from './seriesIndex';
import { normalizeTitle } from './titleGrammar';
import { normalizeLink } from '../markdown/normalizeLink';

export interface SeriesTarget {
  id: number;
  file: string;
  /** 0-based line to open at. */
  line: number;
  title: string;
  date?: string;
  firstSentence?: string;
  /** Where it is, for people (a workspace-relative path). */
  where: string;
}

export interface SeriesBar {
  name: string;
  /** This post's number in the series. */
  number: number;
  previous?: number;
  next?: number;
  /** Every part in order: a target id, or none for a gap. */
  parts: Array<{ number: number; target?: number; current?: boolean }>;
}

export interface PostSeriesInfo {
  /** The post's index in the note (`data-post`). */
  post: number;
  bar?: SeriesBar;
  /** Targets of the posts that cite this one (at the citing line). */
  citedBy: number[];
}

export interface CitationInfo {
  post: number;
  /** The mark's key (markKey): the cited text or `#n`, and the link's URL if it has one. */
  key: string;
  target?: number;
  how?: ResolvedBy;
  reason?: UnresolvedReason;
  /** Resolved, but the text is not the post's title as written (a renamed post, a typo). */
  inexact?: boolean;
}

export interface SeriesPageInfo {
  /** Which table of targets this is: the page names it back when it opens one. */
  generation: number;
  posts: PostSeriesInfo[];
  citations: CitationInfo[];
  targets: SeriesTarget[];
}

/**
 * The key a citation mark has on the page: its text (or `#n`), and for `[《…》](url)` the link's
 * URL as the renderer writes it into `href` (`normalizeLink`: markdown-it's) — two links with one
 * text may lead to two posts.
 */
export function markKey(c: Pick<Citation, 'text' | 'part' | 'url'>): string {
  return c.url === undefined ? citationKey(c) : `${citationKey(c)}\n${normalizeLink(c.url)}`;
}

export interface SeriesPageOptions {
  /** A workspace-relative path for people. */
  where(file: string): string;
  generation?: number;
}

export function seriesPageInfo(index: SeriesIndex, posts: readonly PostSummary[], options: SeriesPageOptions): SeriesPageInfo {
  const steps = seriesPageSteps(index, posts, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Citations resolved between two steps of seriesPageSteps. */
const CITATIONS_PER_STEP = 200;

/**
 * seriesPageInfo a step at a time, for a host that must not spend one long task on it: a note of
 * 10 million characters cites thousands of times (~57 ms of the extension host's thread at once).
 */
export function* seriesPageSteps(
  index: SeriesIndex,
  posts: readonly PostSummary[],
  options: SeriesPageOptions,
): Generator<void, SeriesPageInfo, void> {
  const { where, generation = 0 } = options;
  let resolved = 0;
  const targets: SeriesTarget[] = [];
  const ids = new Map<string, number>();
  const target = (p: PostSummary, line = p.titleLine ?? p.line): number => {
    const key = `${p.file}\n${line}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = targets.length;
      ids.set(key, id);
      targets.push({
        id,
        file: p.file,
        line,
        title: p.title,
        ...(p.date ? { date: p.date } : {}),
        ...(p.firstSentence ? { firstSentence: p.firstSentence } : {}),
        where: where(p.file),
      });
    }
    return id;
  };
  const out: SeriesPageInfo = { generation, posts: [], citations: [], targets };
  for (const p of posts) {
    const info: PostSeriesInfo = { post: p.index, citedBy: [] };
    const around = p.title ? index.neighbours(p) : undefined;
    if (around) {
      const self = normalizeTitle(p.title);
      info.bar = {
        name: around.series.name,
        number: around.number,
        ...(around.previous ? { previous: target(around.previous) } : {}),
        ...(around.next ? { next: target(around.next) } : {}),
        parts: around.series.parts.map((part) =>
          part.post && normalizeTitle(part.post.title) === self
            ? { number: part.number, current: true }
            : { number: part.number, ...(part.post ? { target: target(part.post) } : {}) },
        ),
      };
    }
    if (p.title) {
      const seen = new Set<string>();
      for (const b of index.backlinks(p)) {
        // One entry per citing post: five citations in it, or two copies of it (a full post and a
        // listing's excerpt), are one backlink, at its home.
        const home = b.from.title ? (index.postTitled(b.from.title) ?? b.from) : b.from;
        const key = b.from.title ? `t\n${normalizeTitle(b.from.title)}` : `f\n${b.from.file}\n${b.from.index}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // At the citing line (in the home copy, if it has the same citation).
        const citation = home === b.from ? b.citation : home.citations.find((c) => c.text === b.citation.text);
        info.citedBy.push(target(home, citation?.line));
      }
    }
    out.posts.push(info);
    const marked = new Set<string>();
    for (const c of p.citations) {
      const key = markKey(c);
      if (marked.has(key)) continue; // the page marks by text (and URL): the first such citation speaks for all
      marked.add(key);
      if (++resolved % CITATIONS_PER_STEP === 0) yield;
      const r = index.resolve(c, p);
      if (r.post) {
        const inexact = c.part === undefined && normalizeTitle(c.text) !== normalizeTitle(r.post.title);
        out.citations.push({ post: p.index, key, target: target(r.post), how: r.how, ...(inexact ? { inexact } : {}) });
      } else {
        out.citations.push({ post: p.index, key, reason: r.reason });
      }
    }
  }
  return out;
}
