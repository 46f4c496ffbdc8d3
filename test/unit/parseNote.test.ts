// Structure from the one parse: table cells split around formulas (markdown/tableMath.ts), the
// post title as the page's first top-level H1 (markdown/postParse.ts firstHeading), and parses of
// a prefix of a note (a part, a re-parsed region) that read on when an HTML block is still open.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from '../support/render';

/** The TeX of every formula on the page, in order. */
const texOf = (html: string) => [...html.matchAll(/<annotation encoding="application\/x-tex">([^<]*)<\/annotation>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
const cells = (html: string) => (html.match(/<t[dh][ >]/g) ?? []).length;

// ---- tables -------------------------------------------------------------------------------------

test('a | inside a formula does not split its cell, in a quote and in a list item too', () => {
  const row = '| $|x|$ | $p(z|x)$ |';
  for (const [name, md] of [
    ['top level', `| a | b |\n|---|---|\n${row}`],
    ['quote', `> | a | b |\n> |---|---|\n> ${row}`],
    ['nested quote', `> > | a | b |\n> > |---|---|\n> > ${row}`],
    ['list item', `- 列表\n\n  | a | b |\n  |---|---|\n  ${row}`],
    ['ordered list item', `1. 列表\n   | a | b |\n   |---|---|\n   ${row}`],
  ]) {
    const out = render(md);
    assert.equal(cells(out.html), 4, name);
    assert.deepEqual(texOf(out.html), ['|x|', 'p(z|x)'], name);
  }
});

test('a | inside a formula in the header row: the row has as many cells as the delimiter row', () => {
  const out = render('| $a|b$ | c |\n| --- | --- |\n| 1 | 2 |');
  assert.match(out.html, /<table/);
  assert.equal(cells(out.html), 4);
  assert.deepEqual(texOf(out.html), ['a|b']);
});

test('\\| inside table math is TeX’s \\| (GitHub would unescape it); \\| outside math escapes a pipe', () => {
  const out = render('| a | b |\n|---|---|\n| $\\|v\\|$ | x \\| y |');
  assert.equal(cells(out.html), 4);
  assert.deepEqual(texOf(out.html), ['\\|v\\|']);
  assert.match(out.html, /<td>x \| y<\/td>/);
});

test('pipes split cells outside formulas: prices, code spans, math that is not math', () => {
  const out = render('| a | b | c |\n|---|---|---|\n| $5 | $6 | `$x|` |');
  assert.equal(cells(out.html), 6);
  assert.match(out.html, /<td>`\$x<\/td>/, 'the code span is split, as GFM splits it');
  assert.match(out.html, /<td>\$5<\/td>\n<td>\$6<\/td>/);
});

test('the placeholder the table rule reads is no character of the note', () => {
  const out = render('| a | b |\n|---|---|\n| \uE000 $|x|$ | $\\text{\uE000}$ |');
  assert.equal(cells(out.html), 4);
  assert.deepEqual(texOf(out.html), ['|x|']);
  assert.ok(out.html.includes('\\text{\uE000}') && !out.html.includes('\\text{|}'), 'a placeholder-like character in a formula stays');
  assert.ok(out.html.includes('<td>\uE000 '), 'the note’s own character stays');
});

test('a display formula that ends a table keeps its own text (answers read while the table rule ran are not kept)', () => {
  const display = '$$\n\\left| y \\right| \\text{$u|v$}\n$$';
  const out = render(`| a | b |\n|---|---|\n| $x$ | 1 |\n${display}\n\n${display}`);
  assert.ok(!out.html.includes('\uE000'), 'no placeholder on the page');
  const shown = [...out.html.matchAll(/data-tex="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(shown.length, 2);
  assert.equal(shown[0], shown[1]);
  assert.match(shown[0], /\{\$u\|v\$\}/);
});
