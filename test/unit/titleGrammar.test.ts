// The series title grammar (issue #5, part 1): series and part from kexue-style titles.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseNote } from '../../src/core/note/parseNote';
import { normalizeTitle, parseNumeral, parseSeriesTitle, seriesOfPost } from '../../src/core/series/titleGrammar';
import { sharedPath } from '../support/shared';

const shared = sharedPath();

test('Chinese and Arabic numerals', () => {
  const cases: Array<[string, number | undefined]> = [
    ['一', 1],
    ['九', 9],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['二十一', 21],
    ['九十九', 99],
    ['一百', 100],
    ['一百零三', 103],
    ['一百一十', 110],
    ['两', 2],
    ['16', 16],
    ['１６', 16],
    ['', undefined],
    ['二三', undefined],
    ['十十', undefined],
    ['附', undefined],
    ['Scaling Law', undefined],
    ['零', undefined],
  ];
  for (const [text, n] of cases) assert.equal(parseNumeral(text), n, text);
});

test('series titles in every written form', () => {
  const cases: Array<[string, string, number, string | undefined]> = [
    ['生成扩散模型漫谈（二十）：从ReFlow到WGAN-GP', '生成扩散模型漫谈', 20, '从ReFlow到WGAN-GP'],
    ['生成扩散模型漫谈(20):从ReFlow到WGAN-GP', '生成扩散模型漫谈', 20, '从ReFlow到WGAN-GP'],
    ['Transformer升级之路：16、“复盘”长度外推技术', 'Transformer升级之路', 16, '"复盘"长度外推技术'],
    ['Transformer升级之路:16、“复盘”长度外推技术', 'Transformer升级之路', 16, '"复盘"长度外推技术'],
    ['对齐全量微调！这是我看过最精彩的LoRA（一）', '对齐全量微调!这是我看过最精彩的LoRA', 1, undefined],
    ['重温SSM（二）：HiPPO的一些遗留问题', '重温SSM', 2, 'HiPPO的一些遗留问题'],
    ['“闭门造车”之多模态思路浅谈（一）：无损输入', '“闭门造车”之多模态思路浅谈', 1, '无损输入'],
    ['生成扩散模型漫谈（一百零三）：某某', '生成扩散模型漫谈', 103, '某某'],
    ['Transformer升级之路：20、MLA好在哪里?（上）', 'Transformer升级之路', 20, 'MLA好在哪里?(上)'],
  ];
  for (const [title, series, part, subtitle] of cases) {
    const p = parseSeriesTitle(title);
    assert.ok(p, title);
    assert.equal(normalizeTitle(p.series), normalizeTitle(series), title);
    assert.equal(p.part, part, title);
    if (subtitle) assert.equal(normalizeTitle(p.subtitle ?? ''), normalizeTitle(subtitle), title);
    else assert.equal(p.subtitle, undefined, title);
  }
  const half = parseSeriesTitle('AdamW的Weight RMS的渐近估计（上）');
  assert.equal(half?.part, 1);
  assert.equal(half?.relative, true);
});

test('not a series', () => {
  for (const title of [
    'Transformer中的尺度定律(Scaling Law)',
    'VQ的旋转技巧：梯度直通估计的一般推广',
    '第1000篇文章',
    'AdaFactor优化器浅析（附开源实现）',
    'BERT-of-Theseus：基于模块替换的模型压缩方法',
    '（一）',
    'bert4keras在手，baseline我有：CLUE基准代码',
  ]) {
    assert.equal(parseSeriesTitle(title), undefined, title);
  }
});

test('front matter series/part override the title', () => {
  assert.deepEqual(seriesOfPost({ title: '随便一个标题', series: '光滑近似漫谈', part: 3 }), { series: '光滑近似漫谈', part: 3 });
  assert.equal(seriesOfPost({ title: '重温SSM（二）：HiPPO的一些遗留问题', series: '重温状态空间模型' })?.series, '重温状态空间模型');
  assert.equal(seriesOfPost({ title: '重温SSM（二）：HiPPO的一些遗留问题', series: '重温状态空间模型' })?.part, 2);
});

test('normalised titles: widths, quotes, spaces, trailing punctuation', () => {
  assert.equal(normalizeTitle('“闭门造车”之多模态思路浅谈（一）：无损输入'), normalizeTitle('"闭门造车"之多模态思路浅谈(一):无损输入'));
  assert.equal(normalizeTitle('MoE环游记：1、从几何意义出发 '), normalizeTitle('MoE环游记:1、从几何意义出发。'));
  assert.notEqual(normalizeTitle('重温SSM（二）'), normalizeTitle('重温SSM（三）'));
});

test('seed posts: the series the blog shows', () => {
  const found = new Map<string, number[]>();
  for (const f of readdirSync(join(shared, 'seeds')).filter((n) => n.endsWith('.txt'))) {
    for (const post of parseNote(readFileSync(join(shared, 'seeds', f), 'utf8'), f).posts) {
      const s = post.meta.title ? parseSeriesTitle(post.meta.title) : undefined;
      if (s) found.set(normalizeTitle(s.series), [...(found.get(normalizeTitle(s.series)) ?? []), s.part]);
    }
  }
  assert.ok(found.get(normalizeTitle('重温SSM'))?.length, [...found.keys()].join(' | '));
  assert.ok(found.get(normalizeTitle('“闭门造车”之多模态思路浅谈'))?.length);
  assert.ok(found.get(normalizeTitle('生成扩散模型漫谈'))?.includes(21));
  assert.ok(found.get(normalizeTitle('Transformer升级之路'))?.includes(16));
});

test('corpus titles: the long series come out whole', () => {
  const parts = new Map<string, Set<number>>();
  const dir = join(shared, 'corpus/kexue-md');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.md'))) {
    const title = /^title: (.*)$/m.exec(readFileSync(join(dir, f), 'utf8'))?.[1]?.replace(/^['"]|['"]$/g, '');
    const s = title ? parseSeriesTitle(title) : undefined;
    if (s) parts.set(normalizeTitle(s.series), (parts.get(normalizeTitle(s.series)) ?? new Set()).add(s.part));
  }
  assert.equal(parts.get(normalizeTitle('生成扩散模型漫谈'))?.size, 31);
  assert.ok((parts.get(normalizeTitle('Transformer升级之路'))?.size ?? 0) >= 19);
  // `Transformer升级之路：20、MLA好在哪里?（上）` is part 20 of that series, not a series of its own.
  assert.ok(![...parts.keys()].some((k) => k.startsWith(normalizeTitle('Transformer升级之路:'))));
});
