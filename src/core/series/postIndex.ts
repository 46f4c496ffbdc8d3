// The index of posts across notes, and citation resolution, precise before clever: an exact title
// (after normalisation), else the same series and part under a near series name (a renamed
// series). Anything else stays unresolved: a wrong link is worse than none.

import type { Note } from '../note/types';
import type { Citation } from './citations';
import { normalizeTitle, parseSeriesTitle, seriesOfPost } from './titleGrammar';

export interface IndexedPost {
  file: string;
  /** 0-based line where the post starts. */
  line: number;
  title: string;
  series?: string;
  part?: number;
  /** The part came from 上/中/下: its number is an order, not a count (see SeriesPart). */
  relative?: boolean;
  /** Body length: of two copies of a post (full and listing excerpt) the longer is its home. */
  size: number;
}

export type Resolution = { post: IndexedPost; how: 'exact' | 'series' } | undefined;

export class PostIndex {
  private readonly byTitle = new Map<string, IndexedPost>();
  private readonly bySeries = new Map<string, Map<number, IndexedPost>>();

  add(file: string, note: Note): void {
    for (const p of note.posts) {
      if (!p.meta.title) continue;
      const s = seriesOfPost(p.meta);
      const post: IndexedPost = { file, line: p.startLine, title: p.meta.title, series: s?.series, part: s?.part, ...(s?.relative ? { relative: true } : {}), size: p.body.length };
      const key = normalizeTitle(post.title);
      const known = this.byTitle.get(key);
      if (known && known.size >= post.size) continue;
      this.byTitle.set(key, post);
      if (s) {
        const name = normalizeTitle(s.series);
        if (!this.bySeries.has(name)) this.bySeries.set(name, new Map());
        this.bySeries.get(name)!.set(s.part, post);
      }
    }
  }

  get posts(): IndexedPost[] {
    return [...this.byTitle.values()];
  }

  resolve(citation: Pick<Citation, 'text'>): Resolution {
    const exact = this.byTitle.get(normalizeTitle(citation.text));
    if (exact) return { post: exact, how: 'exact' };
    const cited = parseSeriesTitle(citation.text);
    if (!cited) return undefined;
    const name = normalizeTitle(cited.series);
    const candidates = [...this.bySeries.entries()].filter(([n, parts]) => parts.has(cited.part) && nearName(name, n));
    // Two series that both fit: ambiguous, so no link.
    return candidates.length === 1 ? { post: candidates[0][1].get(cited.part)!, how: 'series' } : undefined;
  }
}

/** The same series renamed a little: one name contains the other, or few edits apart. */
function nearName(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(a.length, b.length);
  if (shorter < 4) return false;
  if (a.includes(b) || b.includes(a)) return Math.abs(a.length - b.length) <= Math.max(2, shorter / 3);
  return editDistance(a, b) <= Math.floor(shorter / 5);
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}
