// Citations through the linter: the citation rules run with a series index (the editor's, or the
// notes given to `mathnotes lint`), with the same severities, suppressions, languages and fixes as
// every other rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintNote } from '../../src/core/lint/lintNote';
import { citationBatches, lintCitations } from '../../src/core/lint/citationRules';
import { reporter } from '../../src/core/lint/reporter';
import { applyEdits } from '../../src/core/lint/fixAll';
import { SeriesIndex } from '../../src/core/series/seriesIndex';
import { summarizeText } from '../../src/core/series/noteSummary';
import { hostileSeriesListing } from '../../src/bench/hostileSeries';

function workspace(): SeriesIndex {
  const index = new SeriesIndex();
  const one = '---\ntitle: 向量检索漫谈（一）：分桶\nsource: /archives/4242\n---\n\n正文。\n';
  const two = '# 向量检索漫谈（二）：图索引\n\n正文。\n';
  index.setFile('one.md', summarizeText('one.md', 'one.md', one));
  index.setFile('two.md', summarizeText('two.md', 'two.md', two));
  return index;
}

const NOTE = [
  '# 向量检索漫谈（三）：量化', // 0
  '',
  '见[《向量检索漫谈：分桶》](/archives/4242)与《向量检索漫谈（二）：图索引》。', // 2: inexact, exact
  '',
  '《向量检索漫谈（九）：未写》和本系列的（七），还有《红楼梦》。', // 4: unresolved, missing part, a book
  '',
].join('\n');

test('unresolved and inexact citations are reported where they are, books never', () => {
  const found = lintNote(NOTE, 'three.md', { citations: workspace() });
  const at = (d: { start: number; end: number }) => NOTE.slice(d.start, d.end);
  assert.deepEqual(
    found.map((d) => [d.rule, d.severity, at(d)]),
    [
      ['inexact-citation', 'information', '《向量检索漫谈：分桶》'],
      ['unresolved-citation', 'information', '《向量检索漫谈（九）：未写》'],
      ['unresolved-citation', 'information', '（七）'],
    ],
  );
  assert.match(found[0].message, /Cites 《向量检索漫谈：分桶》, but the post is titled 《向量检索漫谈（一）：分桶》/);
  assert.match(found[2].message, /Part 7 of 向量检索漫谈 is not among your notes/);
  // The fix: the exact title between the brackets; the link stays.
  assert.equal(found[0].fixes[0].title, 'Change to the exact title 《向量检索漫谈（一）：分桶》');
  assert.match(applyEdits(NOTE, found[0].fixes[0].edits), /见\[《向量检索漫谈（一）：分桶》\]\(\/archives\/4242\)与/);
  // Without an index, nothing to resolve against: the rules stay quiet.
  assert.deepEqual(
    lintNote(NOTE, 'three.md').filter((d) => d.rule.endsWith('-citation')),
    [],
  );
});

test('citation rules take severities, suppressions, --rule and the reader’s language like any rule', () => {
  const index = workspace();
  const warned = lintNote(NOTE, 'three.md', {
    citations: index,
    severity: { 'unresolved-citation': 'warning', 'inexact-citation': 'off' },
  });
  assert.deepEqual(
    warned.map((d) => [d.rule, d.severity]),
    [
      ['unresolved-citation', 'warning'],
      ['unresolved-citation', 'warning'],
    ],
  );
  const quiet = NOTE.replace('《向量检索漫谈（九）', '<!-- mathnotes-disable-line unresolved-citation -->《向量检索漫谈（九）');
  assert.deepEqual(
    lintNote(quiet, 'three.md', { citations: index }).map((d) => d.rule),
    ['inexact-citation'],
  );
  assert.deepEqual(
    lintNote(NOTE, 'three.md', { citations: index, rules: ['inexact-citation'] }).map((d) => d.rule),
    ['inexact-citation'],
  );
  const zh = lintNote(NOTE, 'three.md', { citations: index, locale: 'zh-cn' });
  assert.equal(zh[0].message, '引用的是《向量检索漫谈：分桶》，但文章的标题是《向量检索漫谈（一）：分桶》。');
  assert.equal(zh[0].fixes[0].title, '改为准确标题《向量检索漫谈（一）：分桶》');
});

test('lintCitations (the editor: posts from the index, no render) finds what lintNote finds', () => {
  const index = workspace();
  const all = lintNote(NOTE, 'three.md', { citations: index }).filter((d) => d.rule.endsWith('-citation'));
  assert.deepEqual(lintCitations(NOTE, summarizeText('three.md', 'three.md', NOTE), index), all);
  // A BOM before the note: offsets stay the document's.
  const bom = `\uFEFF${NOTE}`;
  const withBom = lintCitations(bom, summarizeText('three.md', 'three.md', bom), index);
  assert.deepEqual(
    withBom.map((d) => bom.slice(d.start, d.end)),
    all.map((d) => NOTE.slice(d.start, d.end)),
  );
});

test('mathnotes lint resolves citations against the notes it is given, in one thread or several', () => {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const { mkdtempSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
  const { tmpdir } = require('node:os') as typeof import('node:os');
  const { join, resolve } = require('node:path') as typeof import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'mn-cite-'));
  writeFileSync(join(dir, 'one.md'), '---\ntitle: 向量检索漫谈（一）：分桶\nsource: /archives/4242\n---\n\n正文。\n');
  writeFileSync(join(dir, 'two.md'), '# 向量检索漫谈（二）：图索引\n\n正文。\n');
  writeFileSync(join(dir, 'three.md'), NOTE);
  // More notes, so that -j 2 really takes two threads (a few notes take one).
  for (let i = 0; i < 8; i++) writeFileSync(join(dir, `other${i}.md`), `# 别的（${i}）\n\n正文。\n`);
  const cli = resolve(__dirname, '../../../bin/mathnotes.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'lint', '--lang', 'en', ...args], { encoding: 'utf8', cwd: dir });
  const lines = (out: string) => out.split('\n').filter((l) => l.includes('-citation'));
  const one = run('.', '-j', '1');
  assert.deepEqual(lines(one.stdout), [
    'three.md:3:3: information inexact-citation Cites 《向量检索漫谈：分桶》, but the post is titled 《向量检索漫谈（一）：分桶》.',
    'three.md:5:1: information unresolved-citation No post among your notes has this title.',
    'three.md:5:20: information unresolved-citation Part 7 of 向量检索漫谈 is not among your notes.',
  ]);
  assert.equal(one.status, 0, 'information is not an error');
  assert.deepEqual(run('.', '-j', '2').stdout, one.stdout);
  // Alone, a note's citations to the others lead nowhere; a rule not asked for is not run.
  assert.equal(lines(run('three.md').stdout).filter((l) => l.includes('inexact')).length, 0);
  assert.deepEqual(lines(run('.', '--rule', 'katex-parse').stdout), []);
});

test('a note checked a few posts at a time (the editor: one task each) gives what it gives whole', () => {
  const listing = hostileSeriesListing();
  const posts = summarizeText('listing.txt', 'listing.txt', listing.text);
  const index = new SeriesIndex();
  index.setFile('listing.txt', posts);
  const whole = lintCitations(listing.text, posts, index);
  assert.ok(whole.length >= 800, `${whole.length} findings`);
  const parts = [];
  for (let i = 0; i < posts.length; i += 100) parts.push(...lintCitations(listing.text, posts.slice(i, i + 100), index));
  assert.deepEqual(parts, whole);
});

test('the citation checks of one text, a few posts at a time, read its lines once', () => {
  // The host checks an open note's citations a few posts per task: each task used to scan the
  // whole text again for its lines and suppression comments (10 million characters: ~40 ms a task).
  const text = '# 甲\n\n见《乙》。\n\n# 丙\n\n见《丁》。\n';
  const first = reporter(text, {}, []).doc;
  assert.equal(reporter(text, {}, []).doc, first);
  assert.equal(reporter(text.slice(0, -1) + '\n', {}, []).doc, first, 'an equal text, another string');
  assert.notEqual(reporter(text + 'x', {}, []).doc, first);
});

test('checked in batches of citations, a long post split: the same findings as at once', () => {
  // One post citing many times (a listing exported whole is one post), and a post with none.
  const many = Array.from({ length: 7 }, () => NOTE.split('\n').slice(2).join('\n')).join('\n');
  const text = `# 向量检索漫谈（三）：量化\n\n${many}\n# 另一篇\n\n无引用。\n`;
  const posts = summarizeText('three.md', 'three.md', text);
  const index = workspace();
  const whole = lintCitations(text, posts, index);
  const batches = citationBatches(posts, 4);
  assert.ok(batches.length >= 7, `${batches.length} batches`);
  for (const b of batches) assert.ok(b.reduce((n, p) => n + p.citations.length, 0) <= 4);
  assert.equal(
    batches.flat().reduce((n, p) => n + p.citations.length, 0),
    posts.reduce((n, p) => n + p.citations.length, 0),
  );
  assert.ok(whole.length >= 21, `${whole.length} findings`);
  assert.deepEqual(
    batches.flatMap((b) => lintCitations(text, b, index)),
    whole,
  );
});
