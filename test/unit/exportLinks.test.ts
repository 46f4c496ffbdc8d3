// Links between exported pages: only anchors to exported notes change, wherever they stand in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retargetNoteLinks } from '../../src/core/render/exportLinks';

const pages = new Map([
  ['一.md', '一.html'],
  ['sub/b c.md', 'sub/b c.html'],
  ['a&b.md', 'a&b.html'],
]);
const pageFor = (p: string) => pages.get(p);

test('anchors to exported notes lead to their pages; everything else is left as written', () => {
  const html =
    '<a href="%E4%B8%80.md">one</a><abbr title="x">A</abbr><annotation encoding="application/x-tex">a</annotation>' +
    '<p><a class="x" title="t" href="sub/b%20c.md#frag">two</a> <a href="a&amp;b.md">amp</a>' +
    '<a href="other.md">not exported</a><a href="https://example.com/%E4%B8%80.md">web</a><a name="n">no href</a><a href="%E0%A4%A.md">bad</a></p>';
  assert.equal(
    retargetNoteLinks(html, pageFor),
    '<a href="%E4%B8%80.html">one</a><abbr title="x">A</abbr><annotation encoding="application/x-tex">a</annotation>' +
      '<p><a class="x" title="t" href="sub/b%20c.html#frag">two</a> <a href="a%26b.html">amp</a>' +
      '<a href="other.md">not exported</a><a href="https://example.com/%E4%B8%80.md">web</a><a name="n">no href</a><a href="%E0%A4%A.md">bad</a></p>',
  );
});

test('a page with no link to an exported note comes back as the same string', () => {
  const html = '<p>$x$</p><a href="other.md">o</a>';
  assert.equal(retargetNoteLinks(html, pageFor), html);
  assert.equal(retargetNoteLinks('', pageFor), '');
});
