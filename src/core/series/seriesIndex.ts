// The index of posts across notes, kept per file so one file's change is a small update, and
// citation resolution, precise before clever:
//   a URL naming a post (`/archives/9662`) → an exact title (normalised) → the same part of a
//   near-named series (a renamed series) → a close title (unique, same series and part if any).
// Anything else stays unresolved and says why: a wrong link is worse than none.
// A bare part reference (`本系列的(六)`) resolves within the citing post's series.

import type { Citation } from './citations';
import type { PostSummary } from './noteSummary';
import { normalizeTitle, parseSeriesTitle } from './titleGrammar';

export type ResolvedBy = 'url' | 'exact' | 'series' | 'fuzzy' | 'part';
export type UnresolvedReason =
  /** No post in the workspace has this title (a paper, a book, a post not here). */
  | 'not-found'
  /** Several posts fit equally well. */
  | 'ambiguous'
  /** A part reference in a post that is not in a series. */
  | 'no-series'
  /** A part reference to a part that is not in the workspace. */
  | 'missing-part'
  /** A part reference to the citing post itself (`作为第一篇文章`). */
  | 'self';

export type Resolution = { post: PostSummary; how: ResolvedBy; reason?: undefined } | { post?: undefined; how?: undefined; reason: UnresolvedReason };

export interface SeriesPartView {
  /** The number shown (`第 n 篇`): the part, or the order for 上/中/下 series. */
  number: number;
  /** The post, or undefined for a gap (a part not in the workspace). */
  post?: PostSummary;
}

export interface SeriesView {
  key: string;
  name: string;
  /** Parts in order, gaps included (not for 上/中/下 series, whose numbers are an order). */
  parts: SeriesPartView[];
}

export interface Backlink {
  from: PostSummary;
  citation: Citation;
}

type Bag = Set<PostSummary>;

function addTo<K>(map: Map<K, Bag>, key: K, post: PostSummary): void {
  let bag = map.get(key);
  if (!bag) map.set(key, (bag = new Set()));
  bag.add(post);
}

function removeFrom<K>(map: Map<K, Bag>, key: K, post: PostSummary): void {
  const bag = map.get(key);
  if (!bag) return;
  bag.delete(post);
  if (bag.size === 0) map.delete(key);
}

/**
 * Of posts filed under one archive id or one series part, the one meant: the cited title if it is
 * among them, else a title that is not cut short (`…`), else the first title in order — never by
 * length, which changes as people type — and of that title's copies, its home.
 */
function chosen(bag: Bag | undefined, cited?: string): PostSummary | undefined {
  if (!bag || bag.size <= 1) return home(bag);
  const byTitle = new Map<string, Bag>();
  for (const p of bag) addTo(byTitle, titleKey(p), p);
  if (byTitle.size === 1) return home(bag);
  // (Normalised keys lose a trailing `...`: ask the titles as written.)
  const cut = (key: string) => Number(/(\.\.\.|…)\s*$/.test(byTitle.get(key)!.values().next().value!.title));
  const keys = [...byTitle.keys()].sort((a, b) => cut(a) - cut(b) || (a < b ? -1 : a > b ? 1 : 0));
  const pick = cited !== undefined && byTitle.has(cited) ? cited : keys[0];
  return home(byTitle.get(pick));
}

/** Of the copies of one post, its home: the longest (a full post beats a listing's excerpt). */
function home(bag: Bag | undefined): PostSummary | undefined {
  let best: PostSummary | undefined;
  for (const p of bag ?? []) if (!best || p.size > best.size || (p.size === best.size && p.file < best.file)) best = p;
  return best;
}

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

export class SeriesIndex {
  private readonly byFile = new Map<string, readonly PostSummary[]>();
  private readonly byTitle = new Map<string, Bag>();
  private readonly byArchive = new Map<string, Bag>();
  /** series key → part → copies. */
  private readonly bySeries = new Map<string, Map<number, Bag>>();
  /** Title bigram → posts, for close-title matching: built on the first such query, then kept up to date. */
  private byBigram?: Map<string, Bag>;
  /** Shorter names a post is cited by: its title without a trailing `（…）` note, a series part's subtitle. */
  private readonly byShortName = new Map<string, Bag>();
  /** What other files' citations resolve against changed: memo and backlinks are stale. */
  private identityGeneration = 0;
  /** citation → the cited title's key (its home is looked up each time: copies come and go). */
  private memo = new Map<string, { key: string; how: ResolvedBy } | { reason: UnresolvedReason }>();
  private memoGeneration = -1;
  /** Cited title key → the citations that lead there; undefined = to be rebuilt when asked. */
  private backlinkIndex?: Map<string, Map<PostSummary, Citation[]>>;
  /** Files still to add to a backlink index built in slices (warmBacklinks). */
  private backlinkPending?: Iterator<readonly PostSummary[]>;
  /** Bumped on every change: views (tree, preview) compare it to know when to refresh. */
  version = 0;

  setFile(file: string, posts: readonly PostSummary[]): void {
    const old = this.byFile.get(file);
    const sameIdentity = old !== undefined && identity(old) === identity(posts);
    // Typing changes a note's citations, not what others resolve to: move only its own backlinks.
    const incremental = sameIdentity && this.backlinkIndex !== undefined && !this.backlinkPending;
    if (incremental) for (const p of old) this.citationsOf(p, -1);
    if (old) for (const p of old) this.unlink(p);
    this.byFile.set(file, posts);
    for (const p of posts) this.link(p);
    this.changed(!sameIdentity);
    if (incremental) for (const p of posts) this.citationsOf(p, +1);
    // Same identity but the backlink index was half built: start it again (resolutions stay memoised).
    else if (sameIdentity) this.backlinkIndex = this.backlinkPending = undefined;
  }

  /**
   * Many files are about to be set (a rebuild): building the backlink and title-bigram indexes
   * again when next asked is cheaper than moving each file's entries (measured: 5 000 files set
   * into a warm index 350 ms, into one without them 80 ms).
   */
  dropDerivedIndexes(): void {
    this.backlinkIndex = this.backlinkPending = undefined;
    this.byBigram = undefined;
  }

  removeFile(file: string): boolean {
    const old = this.byFile.get(file);
    if (!old) return false;
    for (const p of old) this.unlink(p);
    this.byFile.delete(file);
    this.changed(true);
    return true;
  }

  renameFile(from: string, to: string): void {
    const posts = this.byFile.get(from);
    if (!posts) return;
    this.removeFile(from);
    this.setFile(to, posts.map((p) => ({ ...p, file: to })));
  }

  has(file: string): boolean {
    return this.byFile.has(file);
  }

  postsOf(file: string): readonly PostSummary[] {
    return this.byFile.get(file) ?? [];
  }

  files(): string[] {
    return [...this.byFile.keys()];
  }

  get fileCount(): number {
    return this.byFile.size;
  }

  /** Every titled post once, at its home. */
  get posts(): PostSummary[] {
    return [...this.byTitle.values()].map((b) => home(b)!);
  }

  /** The home of the post with this title, if it is in the index. */
  postTitled(title: string): PostSummary | undefined {
    return home(this.byTitle.get(normalizeTitle(title)));
  }

  /** The post of `file` containing 0-based `line`. */
  postAt(file: string, line: number): PostSummary | undefined {
    return this.byFile.get(file)?.find((p) => line >= p.line && line < p.endLine);
  }

  private link(p: PostSummary): void {
    this.file(p, addTo);
  }

  private unlink(p: PostSummary): void {
    this.file(p, removeFrom);
  }

  /** Files a post in (addTo) or out of (removeFrom) every map that finds it. */
  private file(p: PostSummary, op: <K>(map: Map<K, Bag>, key: K, post: PostSummary) => void): void {
    if (p.archive) op(this.byArchive, p.archive, p);
    if (!p.title) return;
    const key = titleKey(p);
    op(this.byTitle, key, p);
    if (this.byBigram) for (const g of bigrams(key)) op(this.byBigram, g, p);
    for (const n of shortNames(p)) op(this.byShortName, n, p);
    if (p.series !== undefined && p.part !== undefined) {
      const s = seriesKey(p);
      let parts = this.bySeries.get(s);
      if (!parts) this.bySeries.set(s, (parts = new Map()));
      op(parts, partKey(p), p);
      if (parts.size === 0) this.bySeries.delete(s);
    }
  }

  private changed(identityChanged: boolean): void {
    this.version++;
    if (identityChanged) {
      this.identityGeneration++;
      this.backlinkIndex = undefined;
      this.backlinkPending = undefined;
    }
  }

  /** Adds (+1) or removes (-1) a post's citations in the backlink index. */
  private citationsOf(from: PostSummary, sign: 1 | -1): void {
    const backlinks = this.backlinkIndex!;
    for (const citation of from.citations) {
      const r = this.resolve(citation, from);
      if (!r.post || sameTitle(r.post, from)) continue;
      const key = titleKey(r.post);
      let byFrom = backlinks.get(key);
      if (sign > 0) {
        if (!byFrom) backlinks.set(key, (byFrom = new Map()));
        const list = byFrom.get(from);
        if (list) list.push(citation);
        else byFrom.set(from, [citation]);
      } else if (byFrom?.delete(from) && byFrom.size === 0) {
        backlinks.delete(key);
      }
    }
  }


  /** Where a citation leads. `from` is the citing post (needed for part references). */
  resolve(citation: Pick<Citation, 'text' | 'url' | 'part'>, from?: PostSummary): Resolution {
    if (citation.part !== undefined) return this.resolvePart(citation.part, from);
    if (this.memoGeneration !== this.identityGeneration) {
      this.memo = new Map();
      this.memoGeneration = this.identityGeneration;
    }
    const key = `${citation.url ?? ''}\n${citation.text}`;
    let r = this.memo.get(key);
    if (!r) {
      const found = this.resolveTitle(citation.text, citation.url);
      r = found.post ? { key: titleKey(found.post), how: found.how } : { reason: found.reason };
      this.memo.set(key, r);
    }
    if ('reason' in r) return { reason: r.reason };
    const post = home(this.byTitle.get(r.key));
    return post ? { post, how: r.how } : { reason: 'not-found' };
  }

  private resolvePart(part: number, from: PostSummary | undefined): Resolution {
    if (from?.series === undefined) return { reason: 'no-series' };
    if (!from.relative && part === from.part) return { reason: 'self' };
    const target = chosen(this.bySeries.get(seriesKey(from))?.get(part));
    return target ? { post: target, how: 'part' } : { reason: 'missing-part' };
  }

  private resolveTitle(text: string, url: string | undefined): Resolution {
    const key = normalizeTitle(text);
    const archive = blogArchiveId(url);
    const byUrl = archive ? chosen(this.byArchive.get(archive), key) : undefined;
    if (byUrl?.title) return { post: byUrl, how: 'url' };
    const exact = home(this.byTitle.get(key));
    if (exact) return { post: exact, how: 'exact' };
    const cited = parseSeriesTitle(text);
    // A renamed series: the same part under a near name, when the subtitles do not contradict it
    // (`（五）：一般框架之ODE篇` is not `（五）：一般框架之SDE篇`; the blog's author slipped).
    if (cited) {
      const name = normalizeTitle(cited.series);
      const part = cited.relative ? -cited.part : cited.part;
      const fits = (parts: Map<number, Bag>) => {
        const target = chosen(parts.get(part));
        const theirs = target && parseSeriesTitle(target.title)?.subtitle;
        return target !== undefined && (!cited.subtitle || !theirs || normalizeTitle(cited.subtitle) === normalizeTitle(theirs));
      };
      const candidates = [...this.bySeries.entries()].filter(([n, parts]) => parts.has(part) && nearName(name, n) && fits(parts));
      if (candidates.length === 1) return { post: chosen(candidates[0][1].get(part))!, how: 'series' };
      // Two series that both fit: ambiguous, so no link.
      if (candidates.length > 1) return { reason: 'ambiguous' };
    }
    return this.resolveFuzzy(key, cited);
  }

  /** A close title: most of its bigrams shared, few edits apart, clearly the best, same part. */
  private resolveFuzzy(key: string, cited: ReturnType<typeof parseSeriesTitle>): Resolution {
    if (key.length < 6) return { reason: 'not-found' };
    // `《现在可以用Keras玩中文GPT2了》` for `…了（GPT2_ML）`, `《从几何视角来理解VAE的尝试》` for
    // `变分自编码器（六）：从几何视角来理解VAE的尝试`: one post only, or none.
    const short = this.byShortName.get(key);
    if (short) {
      const titles = new Set([...short].map((p) => titleKey(p)));
      if (titles.size > 1) return { reason: 'ambiguous' };
      return { post: home(short)!, how: 'fuzzy' };
    }
    const grams = bigrams(key);
    const marks = signature(key);
    // A close title shares ≥ 60% of the bigrams, so it holds one of the rarest 40% + 1 of them:
    // only their posts are candidates (a common bigram like 模型 would bring in half the index).
    const need = Math.ceil(grams.size * 0.6);
    const byBigram = this.bigramIndex();
    const rarest = [...grams].map((g) => byBigram.get(g)).filter((b): b is Bag => b !== undefined).sort((a, b) => a.size - b.size).slice(0, grams.size - need + 1);
    const candidates = new Set<PostSummary>();
    for (const bag of rarest) for (const p of bag) candidates.add(p);
    const scored: Array<{ post: PostSummary; score: number }> = [];
    for (const p of candidates) {
      const other = titleKey(p);
      if (Math.abs(other.length - key.length) > Math.max(key.length, other.length) * 0.2) continue;
      if (signatureOf(p) !== marks) continue;
      let n = 0;
      for (const g of bigrams(other)) if (grams.has(g)) n++;
      if (n < need) continue;
      const score = 1 - editDistance(key, other) / Math.max(key.length, other.length);
      if (score < 0.8) continue;
      // A different part of a series is a different post, however alike the titles.
      if (cited && p.part !== undefined && (p.part !== cited.part || !p.relative !== !cited.relative)) continue;
      if (!cited && p.part !== undefined) continue;
      scored.push({ post: p, score });
    }
    if (scored.length === 0) return { reason: 'not-found' };
    scored.sort((a, b) => b.score - a.score);
    const best = scored[0];
    const rival = scored.find((s) => titleKey(s.post) !== titleKey(best.post));
    if (rival && rival.score > best.score - 0.1) return { reason: 'ambiguous' };
    return { post: home(this.byTitle.get(titleKey(best.post)))!, how: 'fuzzy' };
  }

  private bigramIndex(): Map<string, Bag> {
    if (!this.byBigram) {
      this.byBigram = new Map();
      for (const bag of this.byTitle.values()) for (const p of bag) for (const g of bigrams(titleKey(p))) addTo(this.byBigram, g, p);
    }
    return this.byBigram;
  }

  /** Every series, parts in order with gaps. */
  series(): SeriesView[] {
    return [...this.bySeries.keys()].map((k) => this.seriesView(k)!).sort((a, b) => a.name.localeCompare(b.name, 'zh'));
  }

  /** The series a post is in. */
  seriesOf(post: PostSummary): SeriesView | undefined {
    return post.series === undefined ? undefined : this.seriesView(seriesKey(post));
  }

  private seriesView(key: string): SeriesView | undefined {
    const parts = this.bySeries.get(key);
    if (!parts) return undefined;
    // Numbered parts in order, then 上, 中, 下 (filed as -1, -2, -3).
    const order = (n: number) => (n > 0 ? n : 10_000 - n);
    const homes = [...parts.entries()].sort((a, b) => order(a[0]) - order(b[0])).map(([n, bag]) => ({ n, post: chosen(bag)! }));
    // The name as most of its parts write it.
    const names = new Map<string, number>();
    for (const h of homes) names.set(h.post.series!, (names.get(h.post.series!) ?? 0) + 1);
    const name = [...names.entries()].sort((a, b) => b[1] - a[1])[0][0];
    // 上/中/下 are an order: number them 1, 2, … as they come, with no gaps.
    if (homes.every((h) => h.post.relative)) return { key, name, parts: homes.map((h, i) => ({ number: i + 1, post: h.post })) };
    const out: SeriesPartView[] = [];
    const numbered = homes.filter((h) => h.n > 0);
    const last = numbered.length ? numbered[numbered.length - 1].n : 0;
    const byNumber = new Map(numbered.map((h) => [h.n, h.post]));
    for (let n = 1; n <= last; n++) out.push({ number: n, post: byNumber.get(n) });
    // A series mixing numbers and 上/下 (rare): those come after, in order.
    homes.filter((h) => h.n < 0).forEach((h, i) => out.push({ number: last + i + 1, post: h.post }));
    return { key, name, parts: out };
  }

  /** The previous and next parts present in the index (gaps skipped), and the post's own number. */
  neighbours(post: PostSummary): { series: SeriesView; number: number; previous?: PostSummary; next?: PostSummary } | undefined {
    const series = this.seriesOf(post);
    if (!series) return undefined;
    const key = titleKey(post);
    const at = series.parts.findIndex((p) => p.post && titleKey(p.post) === key);
    if (at < 0) return undefined;
    const before = series.parts.slice(0, at).reverse().find((p) => p.post);
    const after = series.parts.slice(at + 1).find((p) => p.post);
    return { series, number: series.parts[at].number, previous: before?.post, next: after?.post };
  }

  /** Every citation, anywhere in the index, that resolves to this post (or another copy of it). */
  backlinks(post: PostSummary): Backlink[] {
    if (!post.title) return [];
    this.warmBacklinks(Infinity);
    const byFrom = this.backlinkIndex!.get(titleKey(post));
    return byFrom ? [...byFrom].flatMap(([from, citations]) => citations.map((citation) => ({ from, citation }))) : [];
  }

  /**
   * Builds the backlink index for at most `budgetMs` (hosts call it in slices after a big change,
   * so that the first backlinks() does not stall them); true when it is complete.
   */
  warmBacklinks(budgetMs: number): boolean {
    if (this.backlinkIndex && !this.backlinkPending) return true;
    if (!this.backlinkIndex) {
      this.backlinkIndex = new Map();
      this.backlinkPending = [...this.byFile.values()][Symbol.iterator]();
    }
    const started = Date.now();
    for (let next = this.backlinkPending!.next(); !next.done; next = this.backlinkPending!.next()) {
      for (const from of next.value) this.citationsOf(from, +1);
      if (Date.now() - started > budgetMs) return false;
    }
    this.backlinkPending = undefined;
    return true;
  }

  /** Titles for completion: every titled post once. */
  titles(): string[] {
    return this.posts.map((p) => p.title);
  }
}

/**
 * What a close title may not change: its Latin words and numbers (ODE ≠ SDE, GP ≠ GQ), its numerals
 * and its 上/中/下 — a one-character difference there is another post, not a typo.
 */
function signature(key: string): string {
  return (key.match(/[a-z]+|\d+|[零〇一二两三四五六七八九十百]+|[上中下大小高低前后正反多少长短增减左右内外升降深浅强弱快慢新旧]/gu) ?? []).join(' ');
}

/** The part a post is filed under: its number, or -1/-2/-3 for 上/中/下 (an order, never a count). */
function partKey(p: PostSummary): number {
  return p.relative ? -p.part! : p.part!;
}

// The blog's own addresses: a relative /archives/N, or kexue.fm / spaces.ac.cn. Another site's
// /archives/N (a WordPress blog) names some other post.
const BLOG_ARCHIVE = /^(?:\/|(?:https?:)?\/\/(?:www\.)?(?:kexue\.fm|spaces\.ac\.cn)\/)archives\/(\d+)/i;

function blogArchiveId(url: string | undefined): string | undefined {
  return url ? BLOG_ARCHIVE.exec(url.trim())?.[1] : undefined;
}

function shortNames(p: PostSummary): string[] {
  const out: string[] = [];
  const key = titleKey(p);
  const tail = /^(.{6,}?)\([^()]+\)$/u.exec(key);
  if (tail && !parseSeriesTitle(p.title)) out.push(tail[1]);
  const sub = parseSeriesTitle(p.title)?.subtitle;
  if (sub && normalizeTitle(sub).length >= 6) out.push(normalizeTitle(sub));
  return out;
}

// Normalising is the cost of every comparison: once per post summary (they are immutable).
const titleKeys = new WeakMap<PostSummary, string>();
const seriesKeys = new WeakMap<PostSummary, string>();

function titleKey(p: PostSummary): string {
  let key = titleKeys.get(p);
  if (key === undefined) titleKeys.set(p, (key = normalizeTitle(p.title)));
  return key;
}

const signatures = new WeakMap<PostSummary, string>();

function signatureOf(p: PostSummary): string {
  let sig = signatures.get(p);
  if (sig === undefined) signatures.set(p, (sig = signature(titleKey(p))));
  return sig;
}

function seriesKey(p: PostSummary): string {
  let key = seriesKeys.get(p);
  if (key === undefined) seriesKeys.set(p, (key = normalizeTitle(p.series ?? '')));
  return key;
}

function sameTitle(a: PostSummary, b: PostSummary): boolean {
  return a === b || (a.title !== '' && titleKey(a) === titleKey(b));
}

/** What other files' citations can resolve to: titles, series parts and archive ids. */
function identity(posts: readonly PostSummary[]): string {
  return posts.map((p) => `${p.title}\u0000${p.series ?? ''}\u0000${p.part ?? ''}\u0000${p.archive ?? ''}`).join('\u0001');
}

/** The same series renamed a little: one name contains the other, or few edits apart. */
function nearName(a: string, b: string): boolean {
  if (a === b) return true;
  // MoD is not MoE, 最大熵 is not 最小熵: names that differ in a Latin word, a number or an
  // opposite are other series.
  if (signature(a) !== signature(b)) return false;
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
