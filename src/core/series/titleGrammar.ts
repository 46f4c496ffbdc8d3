// The title grammar of kexue-style series: which series a post belongs to and which part it is,
// read from its title (`名（二十）：副标题`, `名(20):副标题`, `名：16、副标题`, `名（一）`, `名（上）`),
// unless front matter says so. Titles are compared after normalisation (normalizeTitle).

import type { PostMeta } from '../note/types';

export interface SeriesPart {
  /** The series name, as written (trimmed). */
  series: string;
  /** 1-based part number. `上/中/下` give 1/2/3, marked `relative` (下 may be the second part). */
  part: number;
  relative?: boolean;
  subtitle?: string;
}

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const RELATIVE: Record<string, number> = { 上: 1, 中: 2, 下: 3 };

/** 一 … 九十九, 一百零三, 十二, 二十; Arabic digits (also full-width). undefined if it is not a numeral. */
export function parseNumeral(text: string): number | undefined {
  const s = text.normalize('NFKC').trim();
  if (/^\d{1,4}$/.test(s)) return Number(s);
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(s)) return undefined;
  let total = 0;
  let digit: number | undefined;
  let zeroSeen = false;
  for (const ch of s) {
    if (ch === '百') {
      if (total >= 100) return undefined;
      total += (digit ?? 1) * 100;
      digit = undefined;
    } else if (ch === '十') {
      if (total % 100 >= 10) return undefined;
      total += (digit ?? 1) * 10;
      digit = undefined;
    } else {
      if (digit !== undefined && !zeroSeen) return undefined; // 二三
      digit = DIGITS[ch];
      zeroSeen = digit === 0;
      if (zeroSeen) digit = undefined;
    }
  }
  total += digit ?? 0;
  return total > 0 ? total : undefined;
}

/**
 * For comparing titles: full-width forms folded (NFKC), quotes unified, spaces and trailing
 * punctuation dropped, Latin lower-cased.
 */
export function normalizeTitle(title: string): string {
  const folded = title
    .normalize('NFKC')
    .replace(/[“”„‟«»「」『』"]/g, '"')
    .replace(/[‘’‚‛]/g, "'")
    .replace(/\s+/g, '');
  // Trailing punctuation, found from the end: `/[。…]+$/` retries at every mark of a long run
  // that does not end the title (quadratic: 40 000 `。` before a letter took 2 s).
  let end = folded.length;
  while (end > 0 && TRAILING_MARKS.has(folded[end - 1])) end--;
  return folded.slice(0, end).toLowerCase();
}

const TRAILING_MARKS = new Set(['。', '.', '!', '！', '?', '？', '…']);

/**
 * No series title is longer (the corpus's longest title has 53 characters). The grammar's lazy
 * names retry their `.+$` ending at every `(…)`: quadratic in a title that is not a series title
 * (40 000 `名(一):` before a line separator took 34 s).
 */
const SERIES_TITLE_MAX = 300;

// After NFKC: `（` → `(`, `：` → `:`. The name must not end in an opening bracket or colon.
const PAREN_PART = /^(?<series>.*?[^\s(:])\s*\((?<num>[^()]{1,6})\)\s*(?::\s*(?<subtitle>.+))?$/u;
// `名：16、副标题`, `名：1. 副标题`; not a version number (`Python：3.6的新特性`).
const COLON_PART =
  /^(?<series>.*?[^\s:])\s*:\s*(?<num>\d{1,3}|[零〇一二两三四五六七八九十百]{1,6})\s*(?:、|[.．](?!\d))\s*(?<subtitle>.+)$/u;

/** The series and part a title names, or undefined for a stand-alone post. */
export function parseSeriesTitle(title: string): SeriesPart | undefined {
  const t = title.normalize('NFKC').trim();
  if (t.length > SERIES_TITLE_MAX) return undefined;
  // `名：20、副标题（上）` is part 20 whose subtitle ends in (上): the colon form goes first.
  const colon = COLON_PART.exec(t);
  if (colon?.groups) {
    const part = parseNumeral(colon.groups.num);
    if (part !== undefined) return { series: colon.groups.series.trim(), part, subtitle: colon.groups.subtitle.trim() };
  }
  const paren = PAREN_PART.exec(t);
  if (paren?.groups) {
    const raw = paren.groups.num.trim();
    const relative = RELATIVE[raw];
    const part = relative ?? parseNumeral(raw);
    if (part !== undefined) {
      return {
        series: paren.groups.series.trim(),
        part,
        ...(relative ? { relative: true } : {}),
        ...(paren.groups.subtitle ? { subtitle: paren.groups.subtitle.trim() } : {}),
      };
    }
  }
  return undefined;
}

/** A post's series: front matter `series`/`part` first, else its title. */
export function seriesOfPost(meta: Pick<PostMeta, 'title' | 'series' | 'part'>): SeriesPart | undefined {
  const fromTitle = meta.title ? parseSeriesTitle(meta.title) : undefined;
  if (meta.series && meta.part !== undefined)
    return { series: meta.series, part: meta.part, ...(fromTitle?.subtitle ? { subtitle: fromTitle.subtitle } : {}) };
  if (meta.series && fromTitle) return { ...fromTitle, series: meta.series };
  return fromTitle;
}
