// The five seed documents the product was conceived from must render as the blog shows them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { rawTexLeft, render, tagTexts, visibleText } from '../support/render';
import { sharedPath } from '../support/shared';

const SEEDS = sharedPath('seeds');
const seed = (prefix: string) => {
  const name = readdirSync(SEEDS).find((f) => f.startsWith(prefix))!;
  return render(readFileSync(resolve(SEEDS, name), 'utf8'), name);
};
/** The HTML of post k (articles are emitted one per post, in order). */
const postHtml = (html: string, k: number) => html.split(/(?=<article )/)[k];

for (const prefix of ['000', '001', '002', '003', '004']) {
  test(`seed ${prefix}: no KaTeX error, no raw TeX on the page, every display rendered`, () => {
    const out = seed(prefix);
    assert.equal(out.note.format, 'blog-export');
    assert.deepEqual(
      out.posts.flatMap((p) => p.errors),
      [],
    );
    assert.deepEqual(rawTexLeft(out.html), []);
    const displays = out.posts.reduce((n, p) => n + p.mathSegments, 0);
    assert.ok(displays > 0 || prefix === '004');
    // Every labelled equation has an anchor on the page.
    for (const p of out.posts)
      for (const l of p.labels) assert.match(out.html, new RegExp(`id="mn-p${p.index}-l-${l.replace(/:/g, '\\.3a\\.')}"`));
  });
}

test('seed 000: posts, titles, bylines, headings and equation numbers', () => {
  const out = seed('000');
  assert.equal(out.posts.length, 8);
  assert.equal(out.posts[0].title, '生成扩散模型漫谈(二十):从ReFlow到WGAN-GP');
  assert.equal(out.posts[7].title, '对齐全量微调!这是我看过最精彩的LoRA改进(二)');
  const first = postHtml(out.html, 0);
  assert.match(first, /<h1 class="mn-post-title" data-line="0">生成扩散模型漫谈\(二十\):从ReFlow到WGAN-GP<\/h1>/);
  assert.match(first, /<span class="mn-author">苏剑林<\/span>.*<time class="mn-date">2023-06-28<\/time>.*24444 位读者/);
  assert.match(first, /<h2 data-line="[0-9]+">理论回顾<\/h2>/);
  // The byline is glued to the first paragraph: the paragraph starts right after "引用".
  assert.match(visibleText(first), /位读者上一篇文章《生成扩散模型漫谈\(十九\)/);
  assert.doesNotMatch(visibleText(first), /By 苏剑林|\| 引用/);
  // Numbers restart in each post: (二十一) has one labelled equation, 重温SSM(二) an align with two.
  assert.deepEqual(tagTexts(postHtml(out.html, 1)), ['(1)']);
  assert.deepEqual(out.posts[1].labels, ['eq:dm-ode']);
  assert.deepEqual(tagTexts(postHtml(out.html, 4)), ['(1)', '(2)']);
  assert.deepEqual(out.posts[4].labels, ['eq:legt-ode', 'eq:legs-ode']);
  assert.doesNotMatch(out.html, /最近评论/);
});

test('seed 001: \\style boxes render with their colours; multi-line Top-k definition numbered', () => {
  const out = seed('001');
  assert.equal(out.posts.length, 8);
  assert.match(out.html, /border: ?1px solid #6C8EBF/i);
  assert.deepEqual(tagTexts(postHtml(out.html, 0)), ['(1)']);
});

test('seed 002 and 004: date-line posts, truncated posts say so, the untitled post renders', () => {
  const s2 = seed('002');
  assert.equal(s2.posts.length, 8);
  assert.equal(s2.posts[0].title, '如何度量数据的稀疏程度?');
  assert.match(postHtml(s2.html, 0), /<time class="mn-date">5 May<\/time>/);
  assert.equal((s2.html.match(/class="mn-truncated"/g) ?? []).length, 8);
  assert.deepEqual(s2.posts[6].labels, ['eq:rope']);
  const s4 = seed('004');
  const untitled = s4.posts.find((p) => p.line === 51)!;
  assert.equal(untitled.title, undefined);
  assert.match(visibleText(postHtml(s4.html, untitled.index)), /^1 May今天我们分享一下论文/);
});

test('seed 003: a list of excerpts with \\( \\) and \\[ \\] math, tags as written', () => {
  const out = seed('003');
  assert.equal(out.posts.length, 11);
  assert.ok(out.posts.slice(1).every((p) => out.note.posts[p.index].meta.excerpt));
  assert.deepEqual(tagTexts(postHtml(out.html, 1)), ['(1)', '(2)']);
  assert.ok(out.posts.reduce((n, p) => n + p.mathSegments, 0) >= 24);
});
