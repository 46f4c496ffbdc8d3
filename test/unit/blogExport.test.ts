import { test } from 'node:test';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote } from '../../src/core/render/renderNote';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isBlogExport, isHeadingLine, parseBlogExport } from '../../src/core/note/blogExport';
import type { Post } from '../../src/core/note/types';
import { sharedPath } from '../support/shared';

// Seeds live outside the repo; tests run from the repo root, the compiled file sits in out/test/unit.
const SEED_DIRS = [sharedPath('seeds')];

function seed(prefix: string): string {
  for (const dir of SEED_DIRS) {
    if (!fs.existsSync(dir)) continue;
    const name = fs.readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.txt'));
    if (name) return fs.readFileSync(path.join(dir, name), 'utf8');
  }
  throw new Error(`seed ${prefix} not found in ${SEED_DIRS.join(' or ')}`);
}

const SEEDS = ['000', '001', '002', '003', '004'];

function bodyLines(post: Post): string[] {
  return post.body.split('\n');
}

/** Checks the structural invariants every parse must satisfy, against the source text. */
function assertWellFormed(text: string, posts: Post[]): void {
  const src = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let prevEnd = 0;
  posts.forEach((post, i) => {
    assert.equal(post.index, i);
    assert.ok(post.startLine >= prevEnd, `post ${i} overlaps the previous one`);
    assert.ok(post.endLine > post.startLine, `post ${i} is empty`);
    prevEnd = post.endLine;
    const lines = bodyLines(post);
    assert.equal(post.bodyLineMap.length, lines.length, `post ${i}: map length`);
    lines.forEach((line, j) => {
      const at = post.bodyLineMap[j];
      assert.ok(at >= post.startLine && at < post.endLine, `post ${i} line ${j} maps outside the post`);
      if (j > 0) assert.ok(at >= post.bodyLineMap[j - 1], `post ${i}: map goes backwards at ${j}`);
      if (line === '') {
        assert.equal(at, post.bodyLineMap[j - 1], `post ${i}: blank line ${j} maps to the previous line`);
        return;
      }
      const content = line.replace(/^## /, '').replace(/^\\#/, '#');
      assert.ok(src[at].includes(content), `post ${i} body line ${j} not in source line ${at}: ${content}`);
    });
    for (let j = 1; j < lines.length; j++) {
      assert.ok(!(lines[j] === '' && lines[j - 1] === ''), `post ${i}: double blank line`);
    }
  });
}

test('every seed is recognised and parses into well-formed posts', () => {
  for (const id of SEEDS) {
    const text = seed(id);
    assert.equal(isBlogExport(text), true, `seed ${id}`);
    const posts = parseBlogExport(text);
    assert.ok(posts.length > 0, `seed ${id}`);
    assertWellFormed(text, posts);
    for (const post of posts) {
      assert.ok(!post.body.includes('最近评论'), `seed ${id}: sidebar marker leaked`);
      assert.ok(!post.body.includes('点击阅读全文'), `seed ${id}: read-more marker leaked`);
    }
  }
});

test('seed 000: byline layout', () => {
  const posts = parseBlogExport(seed('000'));
  assert.equal(posts.length, 8);
  const [first] = posts;
  assert.equal(first.meta.title, '生成扩散模型漫谈(二十):从ReFlow到WGAN-GP');
  assert.equal(first.meta.author, '苏剑林');
  assert.equal(first.meta.date, '2023-06-28');
  assert.equal(first.meta.readers, 24444);
  assert.equal(first.titleLine, 0);
  assert.equal(first.bylineLine, 1);
  assert.equal(first.startLine, 0);
  assert.equal(first.endLine, 5);
  assert.ok(bodyLines(first)[0].startsWith('上一篇文章'));
  assert.equal(first.bodyLineMap[0], 1);
  assert.ok(!first.body.includes(first.meta.title ?? '?'), 'title is meta, not body');
  assert.ok(!first.body.includes('By '), 'byline is meta, not body');
  assert.ok(bodyLines(first).includes('## 理论回顾'));
  assert.deepEqual(
    posts.map((p) => p.meta.date),
    ['2023-06-28', '2023-12-07', '2024-01-26', '2024-02-21', '2024-06-05', '2024-06-14', '2024-06-20', '2024-07-29'],
  );
  assert.deepEqual(
    posts.map((p) => p.meta.readers),
    [24444, 75704, 74779, 148704, 22010, 28107, 28017, 24246],
  );
  const headings = posts.flatMap((p) => bodyLines(p).filter((l) => l.startsWith('## ')));
  assert.deepEqual(headings, [
    '## 理论回顾',
    '## 欧拉方法',
    '## 问题定义',
    '## 问题背景',
    '## 离散格式',
    '## Softmax回顾',
    '## 基本框架',
    '## 对齐全量',
  ]);
  // The list ends at 最近评论 (line 53): the last post stops before it.
  assert.equal(posts[7].endLine, 53);
});

test('seed 000: multi-line display math stays one block', () => {
  const posts = parseBlogExport(seed('000'));
  const ssm = posts.find((p) => p.meta.title === '重温SSM(二):HiPPO的一些遗留问题');
  assert.ok(ssm);
  const lines = bodyLines(ssm);
  const begin = lines.indexOf('\\begin{align}');
  assert.ok(begin > 0);
  assert.equal(lines[begin - 1], '', 'the block is its own paragraph');
  assert.ok(lines[begin + 1].startsWith('&\\text{HiPPO-LegT:}'), '`\\\\[5pt]` does not split the block');
  assert.ok(lines[begin + 2].startsWith('&\\text{HiPPO-LegS:}'));
  assert.ok(lines[begin + 2].endsWith('\\end{align}'));
  assert.deepEqual(ssm.bodyLineMap.slice(begin, begin + 3), [27, 28, 29]);

  const s4 = posts.find((p) => p.meta.title === '重温SSM(三):HiPPO的高效计算(S4)');
  assert.ok(s4);
  const s4Lines = bodyLines(s4);
  const at = s4Lines.indexOf('\\begin{equation}\\begin{aligned}');
  assert.ok(at > 0);
  assert.equal(s4Lines[at + 3], '\\end{aligned}\\end{equation}');
  assert.ok(s4Lines.slice(at, at + 4).every((l) => l !== '' && !l.startsWith('## ')));
});

test('seed 001: byline layout with single-line $$ and multi-line equation', () => {
  const posts = parseBlogExport(seed('001'));
  assert.equal(posts.length, 8);
  assert.deepEqual(
    posts.map((p) => p.meta.title),
    [
      'Softmax后传:寻找Top-K的光滑近似',
      '通向最优分布之路:概率空间的最小化',
      '对齐全量微调!这是我看过最精彩的LoRA改进(二)',
      '对齐全量微调!这是我看过最精彩的LoRA改进(一)',
      '通向概率分布之路:盘点Softmax及其替代品',
      '重温SSM(二):HiPPO的一些遗留问题',
      '以蒸馏的名义:“从去噪自编码器到生成模型”重现江湖',
      '配置不同的学习率,LoRA还能再涨一点?',
    ],
  );
  assert.equal(posts[0].meta.readers, 8519);
  const lines = bodyLines(posts[0]);
  const eq = lines.indexOf('\\begin{equation}');
  assert.ok(eq > 0);
  assert.ok(lines[eq + 1].startsWith('[\\mathcal{T}_k'));
  assert.equal(lines[eq + 2], '\\end{equation}');
  // A single-line $$…$$ is a paragraph of its own and closes itself.
  const last = posts[7];
  const tail = bodyLines(last);
  assert.ok(tail[tail.length - 1].startsWith('$$\\style{'));
  assert.ok(tail.includes('## 结论简析'));
  assert.equal(last.endLine, 50);
});

test('seed 002: date-line layout with titles and read-more', () => {
  const posts = parseBlogExport(seed('002'));
  assert.equal(posts.length, 8);
  assert.deepEqual(
    posts.map((p) => p.meta.date),
    ['5 May', '12 May', '18 May', '28 Jun', '6 Jul', '14 Jul', '14 Aug', '24 Aug'],
  );
  for (const post of posts) {
    assert.equal(post.meta.truncated, true);
    assert.ok(post.meta.title);
    assert.equal(post.bylineLine, post.startLine, 'the date line starts the post');
    assert.ok(post.titleLine !== undefined && post.titleLine > post.startLine);
    assert.equal(post.meta.author, undefined);
  }
  assert.equal(posts[0].meta.title, '如何度量数据的稀疏程度?');
  assert.equal(posts[0].titleLine, 2);
  assert.ok(bodyLines(posts[0])[0].startsWith('在机器学习中'));
  assert.ok(bodyLines(posts[0]).includes('## 基本结果'));
  assert.ok(bodyLines(posts[7]).includes('## 温故'));

  // The pmatrix block follows a prose line directly; it is split off and kept whole.
  const rope = posts[6];
  const lines = bodyLines(rope);
  const begin = lines.findIndex((l) => l.startsWith('\\begin{equation}\\begin{pmatrix}'));
  assert.ok(begin > 0);
  assert.equal(lines[begin - 1], '');
  assert.ok(lines[begin - 2].startsWith('让我们不厌其烦地重温一下'));
  const end = lines.findIndex((l) => l.startsWith('\\end{pmatrix}'));
  assert.equal(end - begin, 9);
  assert.ok(lines.slice(begin, end + 1).every((l) => l !== '' && !l.startsWith('## ')));
  assert.deepEqual(rope.bodyLineMap.slice(begin, end + 1), [83, 84, 85, 86, 87, 88, 89, 90, 91, 92]);
});

test('seed 004: an untitled date-line post keeps its first paragraph', () => {
  const posts = parseBlogExport(seed('004'));
  assert.equal(posts.length, 8);
  const untitled = posts.find((p) => p.meta.date === '1 May');
  assert.ok(untitled);
  assert.equal(untitled.meta.title, undefined);
  assert.equal(untitled.titleLine, undefined);
  assert.equal(untitled.startLine, 50);
  assert.equal(untitled.bylineLine, 50);
  assert.equal(untitled.meta.truncated, true);
  assert.ok(bodyLines(untitled)[0].startsWith('今天我们分享一下论文'));
  assert.equal(untitled.bodyLineMap[0], 52);
  assert.equal(posts.filter((p) => p.meta.title !== undefined).length, 7);
  assert.equal(posts[1].meta.title, 'EMO:基于最优传输思想设计的分类损失函数');
  assert.ok(posts.every((p) => p.meta.truncated === true));
});

test('seed 003: chrome preamble then one post per excerpt', () => {
  const text = seed('003');
  const posts = parseBlogExport(text);
  assert.equal(posts.length, 11);
  const [preamble, ...excerpts] = posts;
  assert.equal(preamble.meta.preamble, true);
  assert.equal(preamble.body, '## INCOMING TRANSMISSION\n\n## LATEST UPDATES');
  assert.deepEqual(preamble.bodyLineMap, [0, 0, 2]);
  assert.equal(excerpts.length, 10);
  const src = text.split('\n');
  excerpts.forEach((post, i) => {
    assert.equal(post.meta.excerpt, true);
    assert.equal(post.meta.truncated, true);
    assert.equal(post.meta.title, undefined);
    assert.equal(post.startLine, i + 3);
    assert.equal(post.endLine, i + 4);
    assert.equal(post.body, src[i + 3].trim(), 'the excerpt is kept whole, math included');
  });
  assert.ok(excerpts[1].body.includes('\\[\\mathop{min}'));
});

test('heading rule', () => {
  for (const h of ['理论回顾', 'Softmax回顾', '温故', '一、问题背景', '1. 引言', '2.3 误差分析', 'Adapter tuning']) {
    assert.equal(isHeadingLine(h), true, h);
  }
  for (const p of [
    '这是一句话。',
    '结论如下:',
    '为什么?',
    '比如a,b',
    '$x$的定义',
    'E=mc^2',
    '\\begin{equation}',
    '28 Jun',
    '点击阅读全文...',
    '一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一',
    '',
  ]) {
    assert.equal(isHeadingLine(p), false, p);
  }
});

test('byline layout on an inline sample: headings, glued 最近评论, # escaping', () => {
  const text = [
    '某个标题',
    'By 某人 | 2020-01-02 | 12位读者 | 引用开头一段,很短。',
    '段落二,有标点。',
    '小节名',
    '#不是标题,是正文。',
    '另一个标题',
    'By 某人 | 2020-02-03 | 7位读者 | 引用第二篇的开头。',
    '结尾的一段话。最近评论',
    '侧栏里的东西',
  ].join('\n');
  assert.equal(isBlogExport(text), true);
  const posts = parseBlogExport(text);
  assert.equal(posts.length, 2);
  assert.equal(posts[0].body, '开头一段,很短。\n\n段落二,有标点。\n\n## 小节名\n\n\\#不是标题,是正文。');
  assert.deepEqual(posts[0].bodyLineMap, [1, 1, 2, 2, 3, 3, 4]);
  assert.equal(posts[0].endLine, 5);
  assert.equal(posts[1].meta.title, '另一个标题');
  assert.equal(posts[1].meta.readers, 7);
  assert.equal(posts[1].body, '第二篇的开头。\n\n结尾的一段话。');
  assert.equal(posts[1].endLine, 8);
  assertWellFormed(text, posts);
});

test('a byline without a title line, and a `|` inside the glued paragraph', () => {
  const text = 'By 某人 | 2021-3-4 | 引用设$\\left|x\\right|<1$成立。\n第二段。';
  const [post] = parseBlogExport(text);
  assert.equal(post.meta.title, undefined);
  assert.equal(post.meta.readers, undefined);
  assert.equal(post.meta.date, '2021-3-4');
  assert.equal(post.body, '设$\\left|x\\right|<1$成立。\n\n第二段。');
  assert.equal(post.startLine, 0);
});

test('display math opened at the end of a prose line, with nesting and $$ blocks', () => {
  const text = [
    '1 Jan',
    '',
    '一个题目',
    '',
    '由此可得:\\begin{equation}\\begin{cases}',
    'a = 1 \\\\[2pt]',
    '短行',
    '\\end{cases}\\end{equation}',
    '接着是另一段。',
    '$$',
    'x = y',
    '$$',
    '',
    '点击阅读全文...',
    '',
    '2 Feb',
    '',
    '第二个题目',
    '',
    '正文。',
  ].join('\n');
  const posts = parseBlogExport(text);
  assert.equal(posts.length, 2);
  assert.equal(posts[0].meta.truncated, true);
  assert.equal(
    posts[0].body,
    '由此可得:\\begin{equation}\\begin{cases}\na = 1 \\\\[2pt]\n短行\n\\end{cases}\\end{equation}\n\n接着是另一段。\n\n$$\nx = y\n$$',
  );
  assert.deepEqual(posts[0].bodyLineMap, [4, 5, 6, 7, 7, 8, 8, 9, 10, 11]);
  assert.equal(posts[0].endLine, 14);
  assert.equal(posts[1].meta.truncated, undefined);
  assertWellFormed(text, posts);
});

test("an opener nothing closes stays on its own line; the lines after it are the listing's paragraphs", () => {
  const text = ['3 Mar', '', '题目', '', '\\begin{align}', 'x = 1', '', '小节', '', '正文。', '', '4 Apr', '', '题目二'].join('\n');
  const [post] = parseBlogExport(text);
  assert.equal(post.body, '\\begin{align}\n\nx = 1\n\n## 小节\n\n正文。');
  // On the page: the opener as text on its line, nothing after it swallowed.
  const html = renderNote(text, 'l.txt', { cache: new RenderCache() }).html;
  assert.match(html, /\\begin\{align\}/);
  assert.match(html, /<h2[^>]*>小节<\/h2>/);
});

test('a display whose rows are separated by blank lines is one block, as the finder closes it', () => {
  const text = [
    '3 Mar',
    '',
    '题目',
    '',
    '由此得\\begin{align}',
    'a &= b \\\\',
    '',
    'c &= d',
    '\\end{align}然后',
    '下一段。',
    '',
    '4 Apr',
    '',
    '题目二',
  ].join('\n');
  const [post] = parseBlogExport(text);
  assert.equal(post.body, '由此得\\begin{align}\na &= b \\\\\n\nc &= d\n\\end{align}然后\n\n下一段。');
  assert.deepEqual(post.bodyLineMap, [4, 5, 5, 7, 8, 8, 9]);
  const out = renderNote(text, 'l.txt', { cache: new RenderCache() });
  assert.equal(out.posts[0].errors.length, 0);
  assert.equal((out.html.match(/class="katex-display"/g) ?? []).length, 1);
  assert.doesNotMatch(out.html.replace(/data-tex="[^"]*"|<annotation[\s\S]*?<\/annotation>/g, ''), /\\end\{align\}/, 'no TeX left as text');
  // Prose between the opener and a closer keeps them apart: the opener is text, the prose a paragraph.
  const prose = [
    '3 Mar',
    '',
    '题目',
    '',
    '\\begin{align}',
    '',
    '这是一段很长的中文叙述而不是公式的一部分。',
    '',
    '\\end{align}',
    '',
    '4 Apr',
    '',
    '题目二',
  ].join('\n');
  assert.equal(parseBlogExport(prose)[0].body.split('\n\n').length, 3);
});

test('CRLF line ends and a leading BOM', () => {
  const text = '\uFEFF标题甲\r\nBy 作者 | 2022-05-06 | 3位读者 | 引用第一段。\r\n小节\r\n第二段。\r\n最近评论\r\n';
  assert.equal(isBlogExport(text), true);
  const posts = parseBlogExport(text);
  assert.equal(posts.length, 1);
  assert.equal(posts[0].meta.title, '标题甲');
  assert.equal(posts[0].body, '第一段。\n\n## 小节\n\n第二段。');
  assert.ok(!posts[0].body.includes('\r'));
  assert.equal(posts[0].endLine, 4);
});

test('ordinary notes are not blog exports', () => {
  const notes = [
    '',
    '\uFEFF',
    '# A note\n\nSome text with $x^2$.\n\n## Section\n\nMore text.\n',
    'By the way, this note starts with By.\n\nAnd continues.',
    'By 某人 | 不是日期 | 引用什么',
    '# Diary\n\n5 May\n\nWent for a walk.',
    '5 May\n\nJust one dated entry without any listing marker.',
    'short\n\n' + 'x'.repeat(150) + '...',
    '# Title\n\n' + 'a'.repeat(150) + '...\n\n' + 'b'.repeat(150) + '...',
  ];
  for (const note of notes) {
    assert.equal(isBlogExport(note), false, JSON.stringify(note.slice(0, 40)));
    assert.deepEqual(parseBlogExport(note), []);
  }
});

test('hostile 100 000-line input completes', () => {
  const pieces = [
    'By x | 2020-01-01 | 1位读者 | 引用' + '\\begin{'.repeat(20),
    '\\begin{a}'.repeat(50),
    '\\end{b}'.repeat(50),
    '$$'.repeat(31),
    '\\[\\\\[\\]'.repeat(10),
    '5 May',
    '',
    '|'.repeat(100) + '...',
    '点击阅读全文'.repeat(5) + '.....',
    ' '.repeat(200) + '最近评论x',
  ];
  const lines: string[] = [];
  for (let i = 0; i < 100_000; i++) lines.push(pieces[i % pieces.length]);
  const text = lines.join('\n');
  assert.equal(isBlogExport(text), true);
  const posts = parseBlogExport(text);
  assert.ok(posts.length > 1000);

  const longLine = 'By ' + 'a|'.repeat(200_000) + '\n' + '\\begin{'.repeat(100_000) + '\n' + ' .'.repeat(100_000);
  assert.doesNotThrow(() => parseBlogExport(longLine));
  const diary = '# Diary\n\n' + Array.from({ length: 100_000 }, (_, i) => (i % 2 ? '' : '5 May')).join('\n');
  assert.equal(isBlogExport(diary), false);
  const excerptish = Array.from({ length: 100_000 }, () => 'y'.repeat(120) + '…').join('\n');
  assert.equal(parseBlogExport(excerptish).length, 100_000);
});
