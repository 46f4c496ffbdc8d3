// What the preview gets about series: the renderer marks citations with the index's own grammar, and
// seriesPageInfo says per post its bar (with gaps) and backlinks, per citation its target or reason.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseNote } from '../../src/core/note/parseNote';
import { renderNote } from '../../src/core/render/renderNote';
import { summarizeNote } from '../../src/core/series/noteSummary';
import { markdownEngine } from '../../src/core/markdown/engine';
import { seriesPageInfo, seriesPageSteps } from '../../src/core/series/pageSeries';
import { SeriesIndex } from '../../src/core/series/seriesIndex';

const examples = join(__dirname, '../../../examples');
const options = { where: (f: string) => f };
const add = (index: SeriesIndex, file: string, text: string) => index.setFile(file, summarizeNote(file, text, parseNote(text, file)));

test('render marks citations and part references, escaped, in Markdown and listing notes', () => {
  // `&lt;b&gt;`: a title that holds markup characters (a bare `<b>` is HTML, rendered as bold).
  const md = renderNote('# T（三）：x\n\n见[《A&lt;b&gt;》](/archives/1)与《B "q"》，本系列的(一)、(二)，第一篇论文。\n', 't.md').html;
  assert.match(md, /<a href="\/archives\/1"><span class="mn-cite" data-cite="A&lt;b&gt;">《A&lt;b&gt;》<\/span><\/a>/);
  assert.match(md, /<span class="mn-cite" data-cite="B &quot;q&quot;">《B &quot;q&quot;》<\/span>/);
  assert.match(md, /<span class="mn-cite" data-part="1">\(一\)<\/span>、<span class="mn-cite" data-part="2">\(二\)<\/span>/);
  assert.doesNotMatch(md, /data-part="1">第一篇/);
  const txt = renderNote(readFileSync(join(examples, '博客列表导出示例.txt'), 'utf8'), 'x.txt').html;
  assert.match(txt, /<span class="mn-cite" data-cite="光滑近似漫谈（一）：从最大值到Softmax">/);
});

test('a part reference right before a linked title is not marked: the title that follows is the citation', () => {
  const html = renderNote('# T（三）：x\n\n本系列第二篇[《T（二）：y》](/archives/2)说过，本系列第一篇文章也说过。\n', 't.md').html;
  assert.doesNotMatch(html, /data-part="2"/);
  assert.match(html, /data-cite="T（二）：y"/);
  assert.match(html, /<span class="mn-cite" data-part="1">本系列第一篇文章<\/span>/);
});

test('seriesPageInfo: bar with gaps and neighbours, backlinks once per citing post, citations with reasons', () => {
  const index = new SeriesIndex();
  for (const f of readdirSync(examples).filter((f) => /\.(md|txt)$/.test(f))) add(index, f, readFileSync(join(examples, f), 'utf8'));
  add(
    index,
    'four.md',
    '# 光滑近似漫谈（四）：排序\n\n本系列的(一)、(三)；又见《光滑近似漫谈（一）：从最大值到Softmax》和《Attention Is All You Need》。\n',
  );
  const one = index.postTitled('光滑近似漫谈（一）：从最大值到Softmax')!;
  const info = seriesPageInfo(index, index.postsOf(one.file), options);
  const bar = info.posts[0].bar!;
  assert.equal(bar.name, '光滑近似漫谈');
  assert.equal(bar.number, 1);
  assert.equal(bar.previous, undefined);
  assert.equal(info.targets[bar.next!].title, '光滑近似漫谈（二）：Top-k的光滑近似');
  assert.deepEqual(
    bar.parts.map((p) => (p.current ? 'here' : p.target === undefined ? 'gap' : 'link')),
    ['here', 'link', 'gap', 'link'],
  );
  const citing = info.posts[0].citedBy.map((id) => info.targets[id].where).sort();
  // Part 2 cites it from its own note and from the listing's excerpt of it: one backlink, at its home.
  // The snippets note cites it too.
  assert.deepEqual(citing, ['four.md', '光滑近似漫谈（二）：Top-k的光滑近似.md', '光滑近似的数值验证.md']);
  const four = seriesPageInfo(index, index.postsOf('four.md'), options);
  assert.deepEqual(
    four.citations.map((c) => [c.key, c.how ?? c.reason]),
    [
      ['#1', 'part'],
      ['#3', 'missing-part'],
      ['光滑近似漫谈（一）：从最大值到Softmax', 'exact'],
      ['Attention Is All You Need', 'not-found'],
    ],
  );
  assert.equal(four.posts[0].bar?.next, undefined);
});

test('seriesPageInfo: two links with one text are two marks (keyed by their href as rendered)', () => {
  const index = new SeriesIndex();
  add(index, 'a.md', '---\ntitle: 甲\nsource: https://kexue.fm/archives/1\n---\n正文\n');
  add(index, 'b.md', '---\ntitle: 乙\nsource: https://kexue.fm/archives/2\n---\n正文\n');
  add(index, 'c.md', '# 丙\n\n[《上一篇》](/archives/1)，[《上一篇》](/archives/2)，[《上一篇》](/archives/中文)\n');
  const info = seriesPageInfo(index, index.postsOf('c.md'), options);
  assert.deepEqual(
    info.citations.map((c) => [c.key, c.target === undefined ? null : info.targets[c.target].file]),
    [
      ['上一篇\n/archives/1', 'a.md'],
      ['上一篇\n/archives/2', 'b.md'],
      ['上一篇\n/archives/%E4%B8%AD%E6%96%87', null],
    ],
  );
  // The page's hrefs are the same strings.
  const html = renderNote(readFileSync(join(__dirname, '../../../examples', '博客列表导出示例.txt'), 'utf8'), 'x.txt').html;
  assert.ok(html.length > 0);
  assert.match(renderNote('[《上一篇》](/archives/中文)', 'c.md').html, /href="\/archives\/%E4%B8%AD%E6%96%87"/);
});

test('normalizeLink without the engine writes the hrefs the engine writes (the host matches the page by them)', async () => {
  const { normalizeLink } = await import('../../src/core/markdown/normalizeLink');
  for (const url of [
    '/archives/9662',
    'https://kexue.fm/archives/9662#评论',
    '../笔记 一.md',
    'http://例子.中国/路径?q=一 二',
    'mailto:a@b.c',
    '%E4%B8%80',
    'a b<c>"d',
  ]) {
    assert.equal(normalizeLink(url), markdownEngine('markdown').normalizeLink(url), url);
  }
});

test('seriesPageSteps: a note citing thousands of times is resolved a step at a time, to the same info', () => {
  const index = new SeriesIndex();
  for (const f of readdirSync(examples).filter((f) => /\.(md|txt)$/.test(f))) add(index, f, readFileSync(join(examples, f), 'utf8'));
  // Distinct citations (the page marks one per text): some resolve, some do not.
  const lines = Array.from({ length: 1000 }, (_, i) => `见《光滑近似漫谈（一）：从最大值到Softmax》与《未写的文章${i}》。`);
  add(index, 'many.md', `# 很多引用\n\n${lines.join('\n\n')}\n`);
  const steps = seriesPageSteps(index, index.postsOf('many.md'), options);
  let yields = 0;
  let step = steps.next();
  for (; !step.done; step = steps.next()) yields++;
  assert.ok(yields >= 4, `${yields} steps`);
  assert.equal(step.value.citations.length, 1001);
  assert.deepEqual(step.value, seriesPageInfo(index, index.postsOf('many.md'), options));
});
