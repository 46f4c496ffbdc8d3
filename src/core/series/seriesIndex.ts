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
  /** No post among the notes indexed has this title (a paper, a book, a post not here). */
  | 'not-found'
  /** Several posts fit equally well. */
  | 'ambiguous'
  /** A part reference in a post that is not in a series. */
  | 'no-series'
  /** A part reference to a part that is not in the workspace. */
  | 'missing-part'
  /** A part reference to the citing post itself (`作为第一篇文章`). */
  | 'self';

export type Resolution =
  { post: PostSummary; how: ResolvedBy; reason?: undefined } | { post?: undefined; how?: undefined; reason: UnresolvedReason };

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

interface PendingPost {
  from: PostSummary;
  retired?: boolean;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, item: V): void {
  let bag = map.get(key);
  if (!bag) map.set(key, (bag = new Set()));
  bag.add(item);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, post: V): void {
  const bag = map.get(key);
  if (!bag) return;
  bag.delete(post);
  if (bag.size === 0) map.delete(key);
}

/** The distinct pairs of adjacent UTF-16 units of `s`, each as one number (no strings to hash). */
function bigrams(s: string): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.charCodeAt(i) * 0x10000 + s.charCodeAt(i + 1));
  return out;
}

/** How many of `grams` the set `of` holds. */
function sharedCount(grams: Set<number>, of: Set<number>): number {
  let n = 0;
  for (const g of of) if (grams.has(g)) n++;
  return n;
}

/**
 * What resolving titles has cost so far, counted rather than timed (tests bound it: a hostile note
 * must not make close-title matching compare every citation with every series).
 */
export interface ResolutionWork {
  /** Titles resolved (memo misses). */
  titles: number;
  /** Series names and posts examined as close candidates. */
  candidates: number;
  /** Edit distances computed (each bounded: it stops once past the bound). */
  distances: number;
}

/**
 * Per citation, on hostile input only: the entries of the bigram bags it may look at, and the edit
 * distances it may compute. Past either it is ambiguous (no link) rather than a long task on the
 * host. The corpus stays far below: at most 149 candidates and 3 distances for one citation; ten
 * near-identical copies of it (4 750 notes, every title ten times): 1 480 and 21.
 */
const MAX_CANDIDATES = 5000;
/** Posts a file may bring that are filed into the bigram indexes one by one; past it they are built again. */
const MAX_POSTS_FILED_INTO_BIGRAMS = 100;
const MAX_DISTANCES = 100;

/** Thrown inside one resolution when it reaches a bound above. */
class TooManyCandidates extends Error {}

export class SeriesIndex {
  private readonly byFile = new Map<string, readonly PostSummary[]>();
  private readonly byTitle = new Map<string, Bag>();
  private readonly byArchive = new Map<string, Bag>();
  /** series key → part → copies. */
  private readonly bySeries = new Map<string, Map<number, Bag>>();
  /** Title bigram → posts, for close-title matching: built on the first such query, then kept up to date. */
  private byBigram?: Map<number, Bag>;
  /** Shorter names a post is cited by: its title without a trailing `（…）` note, a series part's subtitle. */
  private readonly byShortName = new Map<string, Bag>();
  /** What other files' citations resolve against changed: memo and backlinks are stale. */
  private identityGeneration = 0;
  /** citation → the cited title's key (its home is looked up each time: copies come and go). */
  private memo = new Map<string, { key: string; how: ResolvedBy } | { reason: UnresolvedReason }>();
  private memoGeneration = -1;
  /** Cited title key → the citations that lead there; undefined = to be rebuilt when asked. */
  private backlinkIndex?: Map<string, Map<PostSummary, Citation[]>>;
  /**
   * Citations still to add to a backlink index built in slices (warmBacklinks): of the posts from
   * `post` on, and of that one from `citation` on; a post replaced meanwhile is marked `retired`.
   */
  private backlinkPending?: { posts: PendingPost[]; post: number; citation: number };
  /** A post's entry in backlinkPending. */
  private pendingEntry = new WeakMap<PostSummary, PendingPost>();
  /** Bigram of a series name → series keys, for near names (renamed series): built on first use, then kept up to date. */
  private bySeriesBigram?: Map<number, Set<string>>;
  /** Series keys per length: names a citation's series name contains are looked up only at lengths there are. */
  private readonly seriesLengths = new Map<number, number>();
  /** Per series key: its bigrams and signature (what near-name matching compares). */
  private readonly seriesNames = new Map<string, { grams: Set<number>; signature: string }>();
  /** Per bag, as of `version`: its home and, for bags of several titles, the one chosen (see chosen). */
  private bagCache = new WeakMap<Bag, { home?: PostSummary; titles?: Map<string, Bag>; first?: string }>();
  /** Edit distances left for the resolution in progress. */
  private distancesLeft = 0;
  /** Bumped on every change: views (tree, preview) compare it to know when to refresh. */
  version = 0;
  /** What resolution has cost so far (see ResolutionWork). */
  readonly work: ResolutionWork = { titles: 0, candidates: 0, distances: 0 };
  /** Posts filed into or out of the maps so far (what setting a file costs; tests read it). */
  filings = 0;

  setFile(file: string, posts: readonly PostSummary[]): void {
    const old = this.byFile.get(file);
    const sameIdentity = old !== undefined && identity(old) === identity(posts);
    // Typing changes a note's citations, not what others resolve to: move only its own backlinks.
    const incremental = sameIdentity && this.backlinkIndex !== undefined;
    if (incremental && old) {
      // (Taking out is memo lookups: the resolutions are those made when they went in.) Its posts
      // still waiting in a slice-built index are skipped there.
      for (const p of old) {
        for (const c of p.citations) this.backlink(p, c, -1);
        const waiting = this.pendingEntry.get(p);
        if (waiting) waiting.retired = true;
      }
    }
    posts = this.keepFiled(old, posts);
    const filed = old ? new Set(old) : undefined;
    const staying = old ? new Set(posts) : undefined;
    if (old) for (const p of old) if (!staying!.has(p)) this.unlink(p);
    this.byFile.set(file, posts);
    const linking = posts.filter((p) => !filed?.has(p));
    // Many posts at once (a listing written or pasted): the bigram indexes are built again, in
    // slices (warmBacklinks), rather than kept up to date here: an 800-post listing filed into them
    // was one task of 44-108 ms.
    if (linking.length > MAX_POSTS_FILED_INTO_BIGRAMS) this.byBigram = this.bySeriesBigram = this.derivedSteps = undefined;
    for (const p of linking) this.link(p);
    this.changed(!sameIdentity);
    if (incremental) {
      // Citations resolved before go in now; one that needs resolving waits for the next slice
      // (warmBacklinks): a file with thousands of new ones must not be one long task.
      if (!this.backlinkPending && posts.every((p) => p.citations.every((c) => this.memoised(c)))) {
        for (const p of posts) for (const c of p.citations) this.backlink(p, c, +1);
      } else {
        this.backlinkPending ??= { posts: [], post: 0, citation: 0 };
        for (const from of posts) this.backlinkPending.posts.push(this.pending(from));
      }
    }
  }

  /**
   * `posts`, where each post filed under the same keys as the old post at its place is that old
   * post, brought up to date in place: filing a post in and out of every map costs ~100 set
   * operations, and a keystroke in an 800-post listing re-filed all of them (a 60 ms host task).
   * The array itself is updated too, so that its holder (the open document's summary, which the
   * editor features pass back as `from`) holds the index's own objects.
   */
  private keepFiled(old: readonly PostSummary[] | undefined, posts: readonly PostSummary[]): readonly PostSummary[] {
    if (!old) return posts;
    const out = posts as PostSummary[];
    for (let i = 0; i < out.length && i < old.length; i++) {
      const was = old[i];
      const now = out[i];
      if (was === now || filingKey(was) !== filingKey(now)) continue;
      for (const k of Object.keys(was) as Array<keyof PostSummary>) if (!(k in now)) delete was[k];
      Object.assign(was, now);
      out[i] = was;
    }
    return out;
  }

  /**
   * Many files are about to be set (a rebuild): building the backlink and title-bigram indexes
   * again when next asked is cheaper than moving each file's entries (measured: 5 000 files set
   * into a warm index 350 ms, into one without them 80 ms).
   */
  dropDerivedIndexes(): void {
    this.backlinkIndex = this.backlinkPending = undefined;
    this.byBigram = undefined;
    this.bySeriesBigram = undefined;
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
    this.setFile(
      to,
      posts.map((p) => ({ ...p, file: to })),
    );
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

  /** The files whose key starts with `prefix` (a folder's, with its trailing `/`), without copying every key. */
  filesUnder(prefix: string): string[] {
    const out: string[] = [];
    for (const f of this.byFile.keys()) if (f.startsWith(prefix)) out.push(f);
    return out;
  }

  get fileCount(): number {
    return this.byFile.size;
  }

  /** Every titled post once, at its home. */
  get posts(): PostSummary[] {
    return [...this.byTitle.values()].map((b) => this.home(b)!);
  }

  /** The home of the post with this title, if it is in the index. */
  postTitled(title: string): PostSummary | undefined {
    return this.home(this.byTitle.get(normalizeTitle(title)));
  }

  /** The post of `file` containing 0-based `line`. */
  postAt(file: string, line: number): PostSummary | undefined {
    return this.byFile.get(file)?.find((p) => line >= p.line && line < p.endLine);
  }

  /**
   * Of posts filed under one archive id or one series part, the one meant: the cited title if it is
   * among them, else a title that is not cut short (`…`), else the first title in order — never by
   * length, which changes as people type — and of that title's copies, its home. Worked out once
   * per bag and version (a part reference per citing line must not sort the bag each time).
   */
  private chosen(bag: Bag | undefined, cited?: string): PostSummary | undefined {
    if (!bag || bag.size <= 1) return this.home(bag);
    const cache = this.cacheOf(bag);
    if (!cache.titles) {
      const titles = new Map<string, Bag>();
      for (const p of bag) addTo(titles, titleKey(p), p);
      // (Normalised keys lose a trailing `...`: ask the titles as written.)
      const cut = (key: string) => Number(/(\.\.\.|…)\s*$/.test(titles.get(key)!.values().next().value!.title));
      let first: string | undefined;
      let firstCut = 0;
      for (const key of titles.keys()) {
        const c = cut(key);
        if (first === undefined || c < firstCut || (c === firstCut && key < first)) [first, firstCut] = [key, c];
      }
      cache.titles = titles;
      cache.first = first;
    }
    if (cache.titles.size === 1) return this.home(bag);
    const pick = cited !== undefined && cache.titles.has(cited) ? cited : cache.first!;
    return this.home(cache.titles.get(pick));
  }

  /** Of the copies of one post, its home: the longest (a full post beats a listing's excerpt). */
  private home(bag: Bag | undefined): PostSummary | undefined {
    if (!bag || bag.size === 0) return undefined;
    if (bag.size === 1) return bag.values().next().value;
    const cache = this.cacheOf(bag);
    if (!cache.home) {
      let best: PostSummary | undefined;
      for (const p of bag) if (!best || p.size > best.size || (p.size === best.size && p.file < best.file)) best = p;
      cache.home = best;
    }
    return cache.home;
  }

  private cacheOf(bag: Bag): { home?: PostSummary; titles?: Map<string, Bag>; first?: string } {
    let cache = this.bagCache.get(bag);
    if (!cache) this.bagCache.set(bag, (cache = {}));
    return cache;
  }

  private link(p: PostSummary): void {
    this.file(p, addTo);
  }

  private unlink(p: PostSummary): void {
    this.file(p, removeFrom);
  }

  /** Files a post in (addTo) or out of (removeFrom) every map that finds it. */
  private file(p: PostSummary, op: <K>(map: Map<K, Bag>, key: K, post: PostSummary) => void): void {
    this.filings++;
    if (p.archive) op(this.byArchive, p.archive, p);
    if (!p.title) return;
    const key = titleKey(p);
    op(this.byTitle, key, p);
    if (this.byBigram) for (const g of bigramsOf(p)) op(this.byBigram, g, p);
    for (const n of shortNames(p)) op(this.byShortName, n, p);
    if (p.series !== undefined && p.part !== undefined) {
      const s = seriesKey(p);
      let parts = this.bySeries.get(s);
      if (!parts) {
        this.bySeries.set(s, (parts = new Map()));
        this.seriesLengths.set(s.length, (this.seriesLengths.get(s.length) ?? 0) + 1);
        if (this.bySeriesBigram) for (const g of this.seriesName(s).grams) addTo(this.bySeriesBigram, g, s);
      }
      op(parts, partKey(p), p);
      if (parts.size === 0) {
        this.bySeries.delete(s);
        if (this.bySeriesBigram) for (const g of this.seriesName(s).grams) removeFrom(this.bySeriesBigram, g, s);
        this.seriesNames.delete(s);
        const left = this.seriesLengths.get(s.length)! - 1;
        if (left > 0) this.seriesLengths.set(s.length, left);
        else this.seriesLengths.delete(s.length);
      }
    }
  }

  private changed(identityChanged: boolean): void {
    this.version++;
    this.bagCache = new WeakMap();
    if (identityChanged) {
      this.identityGeneration++;
      this.backlinkIndex = undefined;
      this.backlinkPending = undefined;
    }
  }

  private pending(from: PostSummary): PendingPost {
    const entry = { from };
    this.pendingEntry.set(from, entry);
    return entry;
  }

  /** Adds (+1) or removes (-1) one citation in the backlink index. */
  private backlink(from: PostSummary, citation: Citation, sign: 1 | -1): void {
    // Whatever went in was resolved (and memoised) since the index was started: one that is not
    // memoised never went in.
    if (sign < 0 && !this.memoised(citation)) return;
    const backlinks = this.backlinkIndex!;
    const r = this.resolve(citation, from);
    if (!r.post || sameTitle(r.post, from)) return;
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
      this.work.titles++;
      this.distancesLeft = MAX_DISTANCES;
      let found: Resolution;
      try {
        found = this.resolveTitle(citation.text, citation.url);
      } catch (e) {
        if (!(e instanceof TooManyCandidates)) throw e;
        found = { reason: 'ambiguous' };
      }
      r = found.post ? { key: titleKey(found.post), how: found.how } : { reason: found.reason };
      this.memo.set(key, r);
    }
    if ('reason' in r) return { reason: r.reason };
    const post = this.home(this.byTitle.get(r.key));
    return post ? { post, how: r.how } : { reason: 'not-found' };
  }

  /** Whether resolving this citation is a lookup (part references always are). */
  private memoised(citation: Pick<Citation, 'text' | 'url' | 'part'>): boolean {
    return (
      citation.part !== undefined ||
      (this.memoGeneration === this.identityGeneration && this.memo.has(`${citation.url ?? ''}\n${citation.text}`))
    );
  }

  private resolvePart(part: number, from: PostSummary | undefined): Resolution {
    if (from?.series === undefined) return { reason: 'no-series' };
    if (!from.relative && part === from.part) return { reason: 'self' };
    const target = this.chosen(this.bySeries.get(seriesKey(from))?.get(part));
    return target ? { post: target, how: 'part' } : { reason: 'missing-part' };
  }

  private resolveTitle(text: string, url: string | undefined): Resolution {
    const key = normalizeTitle(text);
    const archive = blogArchiveId(url);
    const byUrl = archive ? this.chosen(this.byArchive.get(archive), key) : undefined;
    if (byUrl?.title) return { post: byUrl, how: 'url' };
    const exact = this.home(this.byTitle.get(key));
    if (exact) return { post: exact, how: 'exact' };
    const cited = parseSeriesTitle(text);
    // A renamed series: the same part under a near name, when the subtitles do not contradict it
    // (`（五）：一般框架之ODE篇` is not `（五）：一般框架之SDE篇`; the blog's author slipped).
    if (cited) {
      const name = normalizeTitle(cited.series);
      const part = cited.relative ? -cited.part : cited.part;
      const fits = (parts: Map<number, Bag>) => {
        const target = this.chosen(parts.get(part));
        const theirs = target && parseSeriesTitle(target.title)?.subtitle;
        return target !== undefined && (!cited.subtitle || !theirs || normalizeTitle(cited.subtitle) === normalizeTitle(theirs));
      };
      const candidates = this.nearSeries(name, (parts) => parts.has(part), fits);
      if (candidates.length === 1) return { post: this.chosen(candidates[0].get(part))!, how: 'series' };
      // Two series that both fit: ambiguous, so no link.
      if (candidates.length > 1) return { reason: 'ambiguous' };
    }
    return this.resolveFuzzy(key, cited);
  }

  /**
   * The parts of series whose names are near `name` (nearName) and pass `cheap` then `fits`: none,
   * one, or two (it stops there: two is ambiguous). Candidates come from the series-name bigram index
   * and from the names `name` contains, never from every series.
   */
  private nearSeries(
    name: string,
    cheap: (parts: Map<number, Bag>) => boolean,
    fits: (parts: Map<number, Bag>) => boolean,
  ): Array<Map<number, Bag>> {
    const found: Array<Map<number, Bag>> = [];
    const consider = (parts: Map<number, Bag> | undefined) => parts !== undefined && cheap(parts) && fits(parts) && found.push(parts) > 1;
    if (consider(this.bySeries.get(name)) || name.length < 4) return found;
    const candidates = new Set<string>();
    // Names `name` contains, up to the length difference nearName allows (a shorter name is no
    // nearer through its bigrams: a short one may share few of them).
    for (let length = name.length - 1; length >= 4 && name.length - length <= Math.max(2, length / 3); length--) {
      if (!this.seriesLengths.has(length)) continue;
      for (let at = 0; at + length <= name.length; at++) {
        const inner = name.slice(at, at + length);
        if (this.bySeries.has(inner)) candidates.add(inner);
      }
    }
    // Any other near name is within k = ⌊shorter/5⌋ ≤ ⌊|name|/5⌋ edits, and an edit changes at most two
    // bigrams: it holds all but 2k of the name's bigrams, so one of any 2k + 1 of them. The rarest.
    const grams = bigrams(name);
    const k = Math.floor(name.length / 5);
    const byBigram = this.seriesBigramIndex();
    const bags = [...grams].map((g) => byBigram.get(g)?.size ?? 0);
    const rarest = [...grams]
      .map((g, i) => ({ g, size: bags[i] }))
      .sort((a, b) => a.size - b.size)
      .slice(0, Math.min(grams.size, 2 * k + 1));
    if (rarest.reduce((n, r) => n + r.size, 0) > MAX_CANDIDATES) throw new TooManyCandidates();
    for (const { g } of rarest) for (const s of byBigram.get(g) ?? []) candidates.add(s);
    candidates.delete(name);
    const mine = { key: name, grams, signature: signature(name) };
    for (const s of candidates) {
      this.work.candidates++;
      const parts = this.bySeries.get(s)!;
      if (cheap(parts) && this.nearName(mine, s) && fits(parts) && found.push(parts) > 1) break;
    }
    return found;
  }

  /** The same series renamed a little: one name contains the other, or few edits apart. */
  private nearName(a: { key: string; grams: Set<number>; signature: string }, key: string): boolean {
    const b = this.seriesName(key);
    // MoD is not MoE, 最大熵 is not 最小熵: names that differ in a Latin word, a number or an
    // opposite are other series.
    if (a.signature !== b.signature) return false;
    const shorter = Math.min(a.key.length, key.length);
    if (shorter < 4) return false;
    const apart = Math.abs(a.key.length - key.length);
    if (a.key.includes(key) || key.includes(a.key)) return apart <= Math.max(2, shorter / 3);
    const k = Math.floor(shorter / 5);
    if (apart > k || sharedCount(a.grams, b.grams) < a.grams.size - 2 * k) return false;
    return this.editDistanceWithin(a.key, key, k) <= k;
  }

  private seriesName(key: string): { grams: Set<number>; signature: string } {
    let name = this.seriesNames.get(key);
    if (!name) this.seriesNames.set(key, (name = { grams: bigrams(key), signature: signature(key) }));
    return name;
  }

  private seriesBigramIndex(): Map<number, Set<string>> {
    if (!this.bySeriesBigram) for (const _ of this.buildSeriesBigrams());
    return this.bySeriesBigram!;
  }

  /** Builds bySeriesBigram a series at a time (a step per yield); an index changed meanwhile is built again when asked. */
  private *buildSeriesBigrams(): Generator<void> {
    const version = this.version;
    const map = new Map<number, Set<string>>();
    for (const s of [...this.bySeries.keys()]) {
      for (const g of this.seriesName(s).grams) addTo(map, g, s);
      yield;
      if (this.version !== version) return;
    }
    this.bySeriesBigram = map;
  }

  /** boundedEditDistance, counted against this resolution's allowance. */
  private editDistanceWithin(a: string, b: string, bound: number): number {
    if (--this.distancesLeft < 0) throw new TooManyCandidates();
    this.work.distances++;
    return boundedEditDistance(a, b, bound);
  }

  /** A close title: most of its bigrams shared, few edits apart, clearly the best, same part. */
  private resolveFuzzy(key: string, cited: ReturnType<typeof parseSeriesTitle>): Resolution {
    if (key.length < 6) return { reason: 'not-found' };
    // `《现在可以用Keras玩中文GPT2了》` for `…了（GPT2_ML）`, `《从几何视角来理解VAE的尝试》` for
    // `变分自编码器（六）：从几何视角来理解VAE的尝试`: one post only, or none.
    const short = this.byShortName.get(key);
    if (short) {
      let title: string | undefined;
      for (const p of short) {
        if (title === undefined) title = titleKey(p);
        else if (titleKey(p) !== title) return { reason: 'ambiguous' };
      }
      return { post: this.home(short)!, how: 'fuzzy' };
    }
    const grams = bigrams(key);
    const marks = signature(key);
    // A close title shares ≥ 60% of the bigrams, so it holds one of the rarest 40% + 1 of them:
    // only their posts are candidates (a common bigram like 模型 would bring in half the index).
    const need = Math.ceil(grams.size * 0.6);
    const byBigram = this.bigramIndex();
    const rarest = [...grams]
      .map((g) => byBigram.get(g))
      .filter((b): b is Bag => b !== undefined)
      .sort((a, b) => a.size - b.size)
      .slice(0, grams.size - need + 1);
    if (rarest.reduce((n, bag) => n + bag.size, 0) > MAX_CANDIDATES) return { reason: 'ambiguous' };
    const candidates = new Set<PostSummary>();
    for (const bag of rarest) for (const p of bag) candidates.add(p);
    const scored: Array<{ post: PostSummary; score: number }> = [];
    for (const p of candidates) {
      this.work.candidates++;
      const other = titleKey(p);
      const longer = Math.max(key.length, other.length);
      if (Math.abs(other.length - key.length) > longer * 0.2) continue;
      if (signatureOf(p) !== marks) continue;
      // A different part of a series is a different post, however alike the titles.
      if (cited && p.part !== undefined && (p.part !== cited.part || !p.relative !== !cited.relative)) continue;
      if (!cited && p.part !== undefined) continue;
      if (sharedCount(grams, bigramsOf(p)) < need) continue;
      // A score of 0.8 is at most ⌊longer/5⌋ edits: no need to count further.
      const bound = Math.floor(longer / 5);
      const score = 1 - this.editDistanceWithin(key, other, bound) / longer;
      if (score < 0.8) continue;
      scored.push({ post: p, score });
    }
    if (scored.length === 0) return { reason: 'not-found' };
    scored.sort((a, b) => b.score - a.score);
    const best = scored[0];
    const rival = scored.find((s) => titleKey(s.post) !== titleKey(best.post));
    if (rival && rival.score > best.score - 0.1) return { reason: 'ambiguous' };
    return { post: this.home(this.byTitle.get(titleKey(best.post)))!, how: 'fuzzy' };
  }

  private bigramIndex(): Map<number, Bag> {
    if (!this.byBigram) for (const _ of this.buildTitleBigrams());
    return this.byBigram!;
  }

  /** Builds byBigram a title at a time, like buildSeriesBigrams. */
  private *buildTitleBigrams(): Generator<void> {
    const version = this.version;
    const map = new Map<number, Bag>();
    for (const bag of [...this.byTitle.values()]) {
      for (const p of bag) for (const g of bigramsOf(p)) addTo(map, g, p);
      yield;
      if (this.version !== version) return;
    }
    this.byBigram = map;
  }

  /** The near-name and close-title indexes a resolution may need, built in steps by warmBacklinks. */
  private derivedSteps?: { version: number; steps: Generator<void> };

  private *buildDerived(): Generator<void> {
    if (!this.bySeriesBigram) yield* this.buildSeriesBigrams();
    if (!this.byBigram) yield* this.buildTitleBigrams();
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
    const homes = [...parts.entries()].sort((a, b) => order(a[0]) - order(b[0])).map(([n, bag]) => ({ n, post: this.chosen(bag)! }));
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
    const before = series.parts
      .slice(0, at)
      .reverse()
      .find((p) => p.post);
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
    if (this.backlinkIndex && !this.backlinkPending && this.bySeriesBigram && this.byBigram) return true;
    const started = Date.now();
    // First the indexes resolutions look names up in, in steps too: built at once, those of an
    // 800-post listing took two tasks of 35 and 23 ms (59 ms in the extension host, cold).
    while (!this.bySeriesBigram || !this.byBigram) {
      if (this.derivedSteps?.version !== this.version) this.derivedSteps = { version: this.version, steps: this.buildDerived() };
      if (this.derivedSteps.steps.next().done) {
        this.derivedSteps = undefined;
        this.seriesBigramIndex(); // (built by then; at once if not)
        this.bigramIndex();
      }
      if (Date.now() - started > budgetMs) return false;
    }
    if (!this.backlinkIndex) {
      this.backlinkIndex = new Map();
      this.pendingEntry = new WeakMap();
      this.backlinkPending = { posts: [...this.byFile.values()].flat().map((from) => this.pending(from)), post: 0, citation: 0 };
    }
    const pending = this.backlinkPending;
    if (!pending) return true;
    // The clock is read after every citation, not every file: one post may hold thousands, each a
    // resolution (bounded: see MAX_CANDIDATES).
    for (; pending.post < pending.posts.length; pending.post++, pending.citation = 0) {
      const { from, retired } = pending.posts[pending.post];
      if (retired) continue;
      while (pending.citation < from.citations.length) {
        this.backlink(from, from.citations[pending.citation++], +1);
        if (Date.now() - started > budgetMs) return false;
      }
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
  return (
    key.match(/[a-z]+|\d+|[零〇一二两三四五六七八九十百]+|[上中下大小高低前后正反多少长短增减左右内外升降深浅强弱快慢新旧]/gu) ?? []
  ).join(' ');
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

const titleBigrams = new WeakMap<PostSummary, Set<number>>();

function bigramsOf(p: PostSummary): Set<number> {
  let grams = titleBigrams.get(p);
  if (grams === undefined) titleBigrams.set(p, (grams = bigrams(titleKey(p))));
  return grams;
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
/** What decides where a post is filed (the maps of file(), the per-post caches of its keys). */
function filingKey(p: PostSummary): string {
  return `${p.file}\u0000${p.title}\u0000${p.series ?? ''}\u0000${p.part ?? ''}\u0000${p.relative ? 1 : 0}\u0000${p.archive ?? ''}`;
}

function identity(posts: readonly PostSummary[]): string {
  return posts.map((p) => `${p.title}\u0000${p.series ?? ''}\u0000${p.part ?? ''}\u0000${p.archive ?? ''}`).join('\u0001');
}

/**
 * The Levenshtein distance of `a` and `b` if it is at most `bound`, else `bound + 1`. Only the band
 * of cells within `bound` of the diagonal is computed (the others are further), and it stops at the
 * first row whose band is all past the bound: O(length × bound) at most, usually far less.
 */
export function boundedEditDistance(a: string, b: string, bound: number): number {
  const over = bound + 1;
  if (Math.abs(a.length - b.length) > bound) return over;
  if (a.length === 0 || b.length === 0) return Math.max(a.length, b.length);
  let prev = new Array<number>(b.length + 1);
  let row = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = Math.min(j, over);
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - bound);
    const to = Math.min(b.length, i + bound);
    row[from - 1] = from === 1 ? Math.min(i, over) : over;
    let least = row[from - 1];
    for (let j = from; j <= to; j++) {
      const d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      row[j] = d > over ? over : d;
      if (row[j] < least) least = row[j];
    }
    if (to < b.length) row[to + 1] = over;
    if (least > bound) return over;
    [prev, row] = [row, prev];
  }
  return prev[b.length];
}
