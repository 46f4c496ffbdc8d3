import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render, visibleText } from '../support/render';

const links = (html: string) => [...html.matchAll(/<a class="mn-eqref"[^>]*href="#([^"]+)"[^>]*>([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);

test('\\eqref in prose and in inline math links to the labelled equation, forward references too', () => {
  const md = [
    '见式\\eqref{eq:b}和$\\eqref{eq:a}$。',
    '\\begin{equation}a=1\\label{eq:a}\\end{equation}',
    '\\begin{equation}b=2\\label{eq:b}\\end{equation}',
    '由$\\eqref{eq:a}$得$\\ref{eq:b}$。',
  ].join('\n');
  const { html, posts } = render(md);
  assert.deepEqual(links(html), [
    ['mn-p0-l-eq.3a.b', '(2)'],
    ['mn-p0-l-eq.3a.a', '(1)'],
    ['mn-p0-l-eq.3a.a', '(1)'],
    ['mn-p0-l-eq.3a.b', '2'],
  ]);
  for (const [id] of links(html)) assert.match(html, new RegExp(`id="${id.replace(/\./g, '\\.')}"`));
  assert.deepEqual(posts[0].unresolvedReferences, []);
});

test('a reference inside a larger formula becomes a KaTeX link', () => {
  const { html, posts } = render('\\begin{equation}x\\label{k}\\end{equation}\n\n$$y = \\eqref{k} + 1$$');
  assert.equal(posts[0].errors.length, 0);
  assert.match(html, /<a href="#mn-p0-l-k">/);
});

test('an undefined reference shows (??) marked as an error', () => {
  const { html, posts } = render('见\\eqref{nope}与$x+\\eqref{nada}$。');
  assert.match(html, /mn-eqref-undefined[^>]*>\(\?\?\)<\/a>/);
  assert.match(html, /mn-eqref-undefined/);
  assert.deepEqual(
    posts[0].unresolvedReferences.map((r) => r.label),
    ['nope', 'nada'],
  );
});

test('labels are scoped per post; ids do not collide across posts', () => {
  const listing = [
    '甲文',
    'By 某 | 2024-01-02 | 1位读者 | 引用正文，有公式。',
    '\\begin{equation}a\\label{x}\\end{equation}',
    '乙文',
    'By 某 | 2024-01-03 | 1位读者 | 引用正文，见式\\eqref{x}。',
  ].join('\n');
  const { html, posts } = render(listing, 'l.txt');
  assert.equal(posts[1].unresolvedReferences.length, 1);
  assert.match(html, /id="mn-p0-l-x"/);
});

test('a label on a row of align refers to that row', () => {
  const { html } = render('\\begin{align}a&=1\\\\b&=2\\label{two}\\end{align}\n\n见\\eqref{two}');
  assert.deepEqual(links(html), [['mn-p0-l-two', '(2)']]);
});

test('a \\tag is what a reference shows', () => {
  const { html } = render('$$x\\tag{A.1}\\label{a}$$\n\n见\\eqref{a}');
  assert.deepEqual(
    links(html).map((l) => l[1]),
    ['(A.1)'],
  );
});

test('duplicate and unnumbered labels are reported, first definition wins', () => {
  const { posts, html } = render(
    '\\begin{equation}a\\label{d}\\end{equation}\n\n\\begin{equation}b\\label{d}\\end{equation}\n\n$$c\\label{u}$$\n\n\\eqref{d}',
  );
  assert.deepEqual(
    posts[0].duplicateLabels.map((d) => d.label),
    ['d'],
  );
  assert.deepEqual(
    posts[0].unnumberedLabels.map((d) => d.label),
    ['u'],
  );
  assert.match(visibleText(html), /\(1\)/);
});

test('ids are one-to-one with labels, and unique when tags repeat', () => {
  const { html } = render(
    '\\begin{equation}a\\label{x:a}\\end{equation}\n\n\\begin{equation}b\\label{x\u03aa}\\end{equation}\n\n$$c\\tag{A}$$\n\n$$d\\tag{A}$$\n\n见\\eqref{x\u03aa}',
  );
  const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, ids.join(' '));
  assert.deepEqual(links(html), [['mn-p0-l-x.3aa.', '(2)']]);
});
