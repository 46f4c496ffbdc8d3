import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numberDisplay } from '../../src/core/math/numbering';
import { render, tagTexts } from '../support/render';

const numbersOf = (md: string) => tagTexts(render(md).html);

test('equation gets one number; starred, $$ and \\[ none', () => {
  const md = [
    '\\begin{equation}a=1\\end{equation}',
    '',
    '\\begin{equation*}b=2\\end{equation*}',
    '',
    '$$c=3$$',
    '',
    '\\[d=4\\]',
    '',
    '\\begin{equation}e=5\\end{equation}',
  ].join('\n');
  assert.deepEqual(numbersOf(md), ['(1)', '(2)']);
});

test('align numbers each row; \\nonumber and \\notag skip; \\tag wins without advancing', () => {
  const md = [
    '\\begin{align}',
    'a &= 1 \\\\',
    'b &= 2 \\nonumber \\\\',
    'c &= 3 \\tag{★} \\\\',
    'd &= 4 \\notag \\\\',
    'e &= 5',
    '\\end{align}',
  ].join('\n');
  assert.deepEqual(numbersOf(md), ['(1)', '(★)', '(2)']);
});

test('gather, alignat, flalign and eqnarray rows; multline once', () => {
  const md = [
    '\\begin{gather}a\\\\b\\end{gather}',
    '',
    '\\begin{alignat}{2}x&=1&y&=2\\\\z&=3&w&=4\\end{alignat}',
    '',
    '\\begin{eqnarray}a&=&b\\\\c&=&d\\end{eqnarray}',
    '',
    '\\begin{multline}a+b\\\\+c\\end{multline}',
    '',
    '\\begin{flalign}a&=b\\end{flalign}',
  ].join('\n');
  assert.deepEqual(numbersOf(md), ['(1)', '(2)', '(3)', '(4)', '(5)', '(6)', '(7)', '(8)']);
});

test('a trailing \\\\ does not make an empty numbered row', () => {
  assert.deepEqual(numbersOf('\\begin{align}a&=1\\\\b&=2\\\\\n\\end{align}'), ['(1)', '(2)']);
});

test('equation wrapping aligned gets one number; $$ around equation is numbered', () => {
  const md =
    '$$\\begin{equation}\\begin{aligned}a&=1\\\\b&=2\\end{aligned}\\end{equation}$$\n\n\\begin{equation}\\begin{split}x&=y\\\\&=z\\end{split}\\end{equation}';
  assert.deepEqual(numbersOf(md), ['(1)', '(2)']);
});

test('$$ with \\tag is tagged; \\tag inside aligned is accepted (MathJax is lenient)', () => {
  assert.deepEqual(numbersOf('$$x=1\\tag{A}$$'), ['(A)']);
  const out = render('$$\\begin{aligned}x&=1\\tag{3}\\end{aligned}$$');
  assert.equal(out.posts[0].errors.length, 0);
  assert.deepEqual(tagTexts(out.html), ['(3)']);
});

test('numbers count per post in a listing with several posts', () => {
  const listing = [
    '第一篇',
    'By 作者甲 | 2024-01-02 | 10位读者 | 引用第一段文字，其中有公式。',
    '\\begin{equation}a\\end{equation}',
    '\\begin{equation}b\\end{equation}',
    '第二篇',
    'By 作者甲 | 2024-02-03 | 20位读者 | 引用第二段文字，也有公式。',
    '\\begin{equation}c\\end{equation}',
  ].join('\n');
  const out = render(listing, 'listing.txt');
  assert.equal(out.posts.length, 2);
  assert.deepEqual(tagTexts(out.html), ['(1)', '(2)', '(1)']);
});

test('numbers are real text, not CSS counters', () => {
  const { html } = render('\\begin{equation}a\\end{equation}');
  assert.doesNotMatch(html, /class="eqn-num"/);
  assert.match(html, /<span class="katex-tag">/);
});

test('labels name the row they are in', () => {
  const n = { v: 0 };
  const r = numberDisplay('\\begin{align}a\\label{x}\\\\b\\nonumber\\label{y}\\\\c\\label{z}\\end{align}', () => ++n.v);
  const byName = Object.fromEntries(r.labels.map((l) => [l.name, l.row?.text]));
  assert.deepEqual(byName, { x: '1', y: undefined, z: '2' });
});

test('\\label and \\tag in inline math: accepted as MathJax does, no number', () => {
  const out = render('设$x\\label{a}$与$y\\tag{1}$，见\\eqref{a}。');
  assert.deepEqual(out.posts[0].errors, []);
  assert.deepEqual(
    out.posts[0].unnumberedLabels.map((l) => l.label),
    ['a'],
  );
  assert.deepEqual(tagTexts(out.html), []);
});
