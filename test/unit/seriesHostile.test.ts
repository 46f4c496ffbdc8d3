// Hostile series input (security): a listing of 800 posts, each the first part of a series with a
// 70-character CJK name, and a post citing a near miss of every one. Resolution must stay correct
// and its work bounded per citation (counted: candidates examined, edit distances computed), and
// the backlink index must be built a citation at a time, not a file at a time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostileSeriesListing } from '../../src/bench/hostileSeries';
import { parseNote } from '../../src/core/note/parseNote';
import { summarizeNote, type PostSummary } from '../../src/core/series/noteSummary';
import { boundedEditDistance, SeriesIndex } from '../../src/core/series/seriesIndex';
import { normalizeTitle, parseSeriesTitle } from '../../src/core/series/titleGrammar';

const summarize = (file: string, text: string): PostSummary[] => summarizeNote(file, text, parseNote(text, file));

function hostileIndex(options: Parameters<typeof hostileSeriesListing>[0] = {}) {
  const listing = hostileSeriesListing(options);
  const posts = summarize('listing.txt', listing.text);
  const index = new SeriesIndex();
  index.setFile('listing.txt', posts);
  return { listing, posts, index, citing: posts[posts.length - 1] };
}

test('800 near-miss citations of 800 long series names: each finds its series, with a few candidates each', () => {
  const { listing, posts, index, citing } = hostileIndex();
  assert.equal(posts.length, 801);
  assert.equal(citing.citations.length, 800);
  const t0 = performance.now();
  const results = citing.citations.map((c) => index.resolve(c, citing));
  const ms = performance.now() - t0;
  // A sanity bound only (the work is counted below): before, this took 20 s and more.
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
  results.forEach((r, i) => {
    assert.equal(r.how, 'series', listing.nearMisses[i]);
    assert.equal(r.post?.title, `${listing.names[i]}（一）：起`);
  });
  // Before: every citation against every series (640 000 full edit distances of 70 × 70).
  assert.equal(index.work.titles, 800);
  assert.ok(index.work.candidates <= 800 * 200, `${index.work.candidates} candidates`);
  assert.ok(index.work.distances <= 800 * 2, `${index.work.distances} edit distances`);
});

test('names from six characters (every name shares its bigrams with every other): bounded, no wrong link', () => {
  const { listing, index, citing } = hostileIndex({ posts: 400, alphabet: '漫谈随笔思考' });
  const results = citing.citations.map((c) => index.resolve(c, citing));
  results.forEach((r, i) =>
    assert.ok(r.post === undefined || r.post.title === `${listing.names[i]}（一）：起`, `${listing.nearMisses[i]} → ${r.post?.title}`),
  );
  // At most MAX_CANDIDATES entries and MAX_DISTANCES distances per citation, whatever the index holds.
  assert.ok(index.work.candidates <= 400 * 5000, `${index.work.candidates}`);
  assert.ok(index.work.distances <= 400 * 100, `${index.work.distances}`);
});

test('the backlink index of one file with 800 citations is built in slices within it', () => {
  const { index, citing } = hostileIndex();
  // A zero budget: a slice ends after the citation that used up its millisecond (before, only
  // after a whole file: all 800 resolved in the first).
  let slices = 1;
  assert.equal(index.warmBacklinks(0), false);
  assert.ok(index.work.titles < 800, `${index.work.titles} resolved in the first slice`);
  while (!index.warmBacklinks(0)) slices++;
  assert.ok(slices > 1, 'one file, yet it was built in one go');
  const cited = index.postTitled(`${hostileSeriesListing().names[0]}（一）：起`)!;
  assert.deepEqual(
    index.backlinks(cited).map((b) => b.from),
    [citing],
  );
});

test('the indexes a resolution looks near names up in are built in slices too, before any resolution', () => {
  const { index, posts } = hostileIndex();
  // A negative budget: every slice ends after one step. Built at once, the series and title bigram
  // indexes of this listing took 35 and 23 ms in the first resolution (59 ms in the extension host).
  let slices = 1;
  assert.equal(index.warmBacklinks(-1), false);
  assert.equal(index.work.titles, 0, 'a citation was resolved before the indexes were built');
  while (!index.warmBacklinks(-1)) slices++;
  const citations = posts.reduce((n, p) => n + p.citations.length, 0);
  assert.ok(slices >= citations + posts.length, `${slices} slices for ${citations} citations and ${posts.length} posts`);
});

test('a listing of 800 posts filed into a warm index: its bigram indexes are built again in slices, not filed into post by post', () => {
  const listing = hostileSeriesListing();
  const index = new SeriesIndex();
  index.setFile('other.md', summarize('other.md', '# 其他（一）：起\n\n见《其他（二）：续》。\n'));
  // Warm: backlinks and both bigram indexes built.
  while (!index.warmBacklinks(Infinity));
  const posts = summarize('listing.txt', listing.text);
  index.setFile('listing.txt', posts);
  let slices = 1;
  assert.equal(index.warmBacklinks(-1), false);
  while (!index.warmBacklinks(-1)) slices++;
  // Filed into them one by one, the listing was one task of 44-108 ms; rebuilt, one step per post.
  const citations = posts.reduce((n, p) => n + p.citations.length, 0);
  assert.ok(slices >= citations + posts.length, `${slices} slices for ${citations} citations and ${posts.length} posts`);
  const cited = index.postTitled(`${listing.names[0]}（一）：起`)!;
  assert.equal(index.backlinks(cited).length, 1);
});

test('typing into a note with 800 new citations resolves none of them at once; backlinks still come', () => {
  const { listing, index } = hostileIndex({ posts: 200 });
  index.setFile('other.md', summarize('other.md', '# 另一篇\n\n正文。\n'));
  index.warmBacklinks(Infinity);
  const before = index.work.titles;
  // Same titles (identity), new citations: the near misses of the next names.
  const typed = summarize('other.md', `# 另一篇\n\n${listing.nearMisses.map((t) => `见《${t}》。`).join('\n')}\n`);
  index.setFile('other.md', typed);
  assert.equal(index.work.titles, before, 'resolved while setting the file');
  const first = index.postTitled(`${listing.names[0]}（一）：起`)!;
  assert.deepEqual(
    index
      .backlinks(first)
      .map((b) => b.from.file)
      .sort(),
    ['listing.txt', 'other.md'],
  );
});

test('bounded edit distance: the exact distance up to the bound, bound + 1 past it', () => {
  const full = (a: string, b: string) => {
    const d = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diag = d[0];
      d[0] = i;
      for (let j = 1; j <= b.length; j++) [diag, d[j]] = [d[j], Math.min(d[j] + 1, d[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))];
    }
    return d[b.length];
  };
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const word = () => Array.from({ length: Math.floor(next() * 12) }, () => 'abc模型'[Math.floor(next() * 5)]).join('');
  for (let n = 0; n < 3000; n++) {
    const [a, b, bound] = [word(), word(), Math.floor(next() * 6)];
    const d = full(a, b);
    assert.equal(boundedEditDistance(a, b, bound), d <= bound ? d : bound + 1, `${a} ${b} ${bound}`);
  }
});

test('part references to a part filed under 800 titles, and 800 copies of one title: no sort per citation', () => {
  const index = new SeriesIndex();
  const names = Array.from({ length: 800 }, (_, i) => `# 某漫谈（一）：第${i}个副标题\n\n正文。\n`);
  names.forEach((text, i) => index.setFile(`p${i}.md`, summarize(`p${i}.md`, text)));
  for (let i = 0; i < 800; i++) index.setFile(`copy${i}.md`, summarize(`copy${i}.md`, '# 同名文章\n\n正文。\n'));
  const refs = `# 某漫谈（二）：引用\n\n本系列的(一)${'、(一)'.repeat(799)}；${'见《同名文章》。'.repeat(800)}\n`;
  const [from] = summarize('refs.md', refs);
  assert.equal(from.citations.length, 1600);
  const t0 = performance.now();
  for (const c of from.citations) assert.ok(index.resolve(c, from).post);
  const ms = performance.now() - t0;
  assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
});

test('titles: long runs of trailing marks and long non-series titles stay linear', () => {
  const t0 = performance.now();
  assert.equal(normalizeTitle(`${'。'.repeat(40_000)}a`), `${'。'.repeat(40_000)}a`);
  assert.equal(normalizeTitle('标题。！…'), '标题');
  assert.equal(parseSeriesTitle(`${'名(一):'.repeat(40_000)}\u2028`), undefined);
  assert.equal(parseSeriesTitle('某漫谈（一）：起')?.part, 1);
  const ms = performance.now() - t0;
  assert.ok(ms < 2000, `${ms.toFixed(0)} ms (before: 2 s and 34 s)`);
});

test('a keystroke in an 800-post listing re-files only the post it changed, and the index follows it', () => {
  const { listing, index } = hostileIndex();
  index.backlinks(index.postTitled(`${listing.names[0]}（一）：起`)!); // the backlink index is built
  // Lines shift for every later post (a line added near the top), one title changes.
  const lines = listing.text.split('\n');
  const retitled = lines.findIndex((l) => l.startsWith(`${listing.names[3]}（一）`));
  lines[retitled] = `${listing.names[3]}（一）：改`;
  lines.splice(2, 0, '新的一行');
  const before = index.filings;
  const typed = summarize('listing.txt', lines.join('\n'));
  index.setFile('listing.txt', typed);
  assert.ok(index.filings - before <= 4, `${index.filings - before} posts re-filed for one changed title`);
  assert.equal(index.postTitled(`${listing.names[3]}（一）：起`), undefined);
  assert.equal(index.postTitled(`${listing.names[3]}（一）：改`)?.title, `${listing.names[3]}（一）：改`);
  // Unchanged posts are the index's own objects, brought up to date (lines moved by one).
  const first = index.postTitled(`${listing.names[0]}（一）：起`)!;
  assert.equal(
    first,
    typed.find((p) => p.title === first.title),
  );
  assert.equal(
    first.line,
    lines.findIndex((l) => l.startsWith(`${listing.names[0]}（一）`)),
  );
  const citing = typed[typed.length - 1];
  assert.equal(index.resolve(citing.citations[0], citing).post, first);
});
