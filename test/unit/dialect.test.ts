// Notes written for a site whose Markdown eats one backslash before MathJax runs (mdBook,
// kramdown, GitHub + MathJax) render as their site shows them; other notes are untouched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintNote } from '../../src/core/lint/lintNote';
import { postParseInput } from '../../src/core/markdown/postParse';

const detectMathDialect = (md: string) => postParseInput('markdown', md).dialect;
import { rawTexLeft, render } from '../support/render';

const annotations = (html: string) =>
  [...html.matchAll(/<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/g)].map((m) =>
    m[1].replace(/&#x27;/g, "'").replace(/&amp;/g, '&'),
  );

test('mdBook: \\\\( … \\\\) and \\\\[ … \\\\] are math, read as the site reads them', () => {
  const md = "# 旋转\n\n角度 \\\\(\\alpha_1\\\\) 与 \\\\(A\\times B\\\\) 之间：\n\n\\\\[\nx'=x+t_x\\\\\\\\\ny'=y+t_y\n\\\\]\n\n结束。";
  const out = render(md);
  assert.equal(out.posts[0].mathSegments, 3);
  assert.deepEqual(rawTexLeft(out.html), []);
  assert.equal(out.posts[0].errors.length, 0);
  const tex = annotations(out.html);
  assert.ok(tex.includes('\\alpha_1'), tex.join(' | '));
  assert.ok(
    tex.some((t) => t.includes("x'=x+t_x\\\\\ny'")),
    "the row break is one \\\\ after the site's Markdown",
  );
});

test("kramdown / GitHub: $ math with \\\\\\\\ rows, \\_ and \\\\{ is read with Markdown's escapes undone", () => {
  const md =
    '# 凸集\n\n集合 $S = \\\\{ x \\mid x\\_1 > 0 \\\\}$ 是凸的：\n\n$$\n\\begin{aligned}\na &= b \\\\\\\\\nc &= d\n\\end{aligned}\n$$\n\n且 $y\\_i \\geq 0$。';
  assert.deepEqual(detectMathDialect(md), { escapedBrackets: false, escapedDollars: true });
  const out = render(md);
  assert.equal(out.posts[0].errors.length, 0);
  const html = out.html;
  // x_1 is a subscript, not a literal underscore; two rows, not a row and an empty one.
  assert.doesNotMatch(html, /<mi mathvariant="normal">_<\/mi>/);
  assert.match(html, /<msub><mi>x<\/mi><mn>1<\/mn><\/msub>/);
  assert.equal((html.match(/<mtr>/g) ?? []).length, 2);
  // Lint does not call the site's escapes conversion artefacts, nor offer to break them.
  assert.deepEqual(
    lintNote(md, 'n.md').filter((d) => d.rule === 'conversion-artefact'),
    [],
  );
});

test('a note written for Typora or the blog is read as written', () => {
  for (const md of [
    '# T\n\n$$\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n$$\n\n$x_1$ 与 $\\{a\\}$',
    // html2text's artefacts (a converted blog) are repaired as artefacts, not read as a dialect.
    '# T\n\n$$\\begin{aligned}a&=1\\\\\\\nb&=2\\\\\\\\[5pt]c&=3\\end{aligned}$$\n\n$\\left\\\\{x\\right.$',
  ]) {
    assert.deepEqual(detectMathDialect(md), { escapedBrackets: false, escapedDollars: false }, md);
  }
  // A code span, fence, indented code or HTML block holding `\\(` does not make a note mdBook's.
  for (const code of ['`\\\\(a\\\\)` 与', '```\n\\\\(x\\\\)\n```', "    f('\\\\(x\\\\)')", "<script>\nx = '\\\\(a\\\\)';\n</script>"]) {
    assert.equal(detectMathDialect(`# T\n\n正文\n\n${code}\n`).escapedBrackets, false, code);
  }
});

test('Hexo: {% raw %} and {% endraw %} are not shown; the formulas they wrap render', () => {
  const md =
    '# Hexo\n\n前言\n{% raw %}\n$$\na_1 * b_2 = c_3 * d_4\n$$\n{% endraw %}\n\n行内 {%- raw -%}$x_1 * y_2${% endraw %} 结束。\n\n{% asset_img a.png 图 %}\n';
  const out = render(md);
  assert.equal(out.posts[0].errors.length, 0);
  const html = out.html;
  assert.doesNotMatch(html, /raw\s*-?%\}/, 'no raw tag on the page');
  assert.equal(annotations(html).length, 2);
  assert.ok(annotations(html).some((t) => t.includes('a_1 * b_2')));
  assert.doesNotMatch(html, /<p>\s*<\/p>/, 'a line of tags leaves no empty paragraph');
  // Tags whose output depends on the site's plugins stay text.
  assert.match(html, /\{% asset_img a\.png 图 %\}/);
  // In a code block a tag is code.
  assert.match(render('```\n{% raw %}\n```\n').html, /\{% raw %\}/);
});

test('the dialect follows edits of a long note: parts an edit changed or moved are read as they are now', () => {
  // Long enough that each version's parse reuses the previous one's tokens (blockParse.ts).
  const filler = Array.from({ length: 80 }, (_, i) => `第 ${i} 段，公式 $x_${i} + y$ 在这里。`).join('\n\n');
  const plain = `# 长笔记\n\n${filler}\n\n结尾。\n`;
  assert.deepEqual(detectMathDialect(plain), { escapedBrackets: false, escapedDollars: false });
  // Two formulas double what Markdown eats, in the middle: that part was read before, with other text.
  const kramdown = plain.replace('第 40 段，公式 $x_40 + y$ 在这里。', '第 40 段，公式 $a\\_1 \\\\\\\\ b\\_2$ 在这里。');
  assert.deepEqual(detectMathDialect(kramdown), { escapedBrackets: false, escapedDollars: true });
  // Lines added above it: the part moves (its tokens are copies now) and still counts.
  assert.deepEqual(detectMathDialect(kramdown.replace('第 3 段', '新的一段。\n\n第 3 段')), {
    escapedBrackets: false,
    escapedDollars: true,
  });
  // mdBook's \\( … \\) typed into a part far below.
  const mdbook = plain.replace('第 70 段，公式 $x_70 + y$ 在这里。', '第 70 段，角度 \\\\(a+b\\\\) 在这里。');
  assert.equal(detectMathDialect(mdbook).escapedBrackets, true);
  assert.deepEqual(detectMathDialect(plain), { escapedBrackets: false, escapedDollars: false });
});
