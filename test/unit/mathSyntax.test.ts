import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawTexLeft, render, visibleText } from '../support/render';

const formulas = (md: string) => render(md).posts[0].mathSegments;
const clean = (md: string) => {
  const out = render(md);
  assert.deepEqual(rawTexLeft(out.html), [], 'raw TeX left on the page');
  assert.equal(out.posts[0].errors.length, 0, JSON.stringify(out.posts[0].errors));
  return out;
};

test('all delimiters: $ $$ \\( \\[ and bare environments', () => {
  const md = '行内$a$与$b$。\n\n$$c$$\n\n\\begin{align*}e&=f\\end{align*}';
  assert.equal(formulas(md), 4);
  clean(md);
  const brackets = '行内\\(a\\)与\\(b\\)。\n\n\\[c\\]\n\n\\begin{align*}e&=f\\end{align*}';
  assert.equal(formulas(brackets), 4);
  clean(brackets);
});

test('in a note that writes math with $, \\( and \\[ are Markdown escapes (html2text writes \\(1\\))', () => {
  const out = render('设$x$为变量，见图\\(1\\)与\\[0, 1\\]区间。');
  assert.equal(out.posts[0].mathSegments, 1);
  assert.match(visibleText(out.html), /见图\(1\)与\[0, 1\]区间/);
  // Blog exports always use them as math.
  assert.equal(render('设$x$为变量，\\(y\\)也是。', 'n.txt').posts[0].mathSegments, 2);
});

test('a display right after a prose line, no blank line (the usual kexue layout)', () => {
  for (const display of [
    '\\begin{equation}x=1\\end{equation}',
    '\\begin{align*}x&=1\\end{align*}',
    '$$x=1$$',
    '\\[x=1\\]',
    '\\begin{gather*}\nx=1\n\\end{gather*}',
  ]) {
    const inline = display.startsWith('\\[') ? '\\(x\\)' : '$x$';
    const out = clean(`我们有\n${display}\n其中${inline}是变量。`);
    assert.equal(out.posts[0].mathSegments, 2, display);
    assert.match(out.html, /<div class="mn-display[^"]*"[^>]* data-line="1"/, display);
  }
});

test('starred environments are display math', () => {
  for (const env of ['equation*', 'align*', 'gather*', 'multline*', 'alignat*', 'eqnarray*']) {
    const body = env.startsWith('alignat') ? '{1}a&=b' : env.startsWith('eqnarray') ? 'a&=&b' : 'a=b';
    clean(`文字\n\\begin{${env}}${body}\\end{${env}}`);
  }
});

test('display math inside lists and blockquotes', () => {
  const out = clean(
    '- 第一项\n  $$a=1$$\n- 第二项\n  \\begin{equation}b=2\\end{equation}\n\n> 引用\n> $$c=3$$\n> \\begin{align}\n> d&=4\n> \\end{align}',
  );
  assert.equal(out.posts[0].mathSegments, 4);
  assert.match(out.html, /<li[^>]*>[\s\S]*mn-display/);
  assert.match(out.html, /<blockquote[^>]*>[\s\S]*mn-display[\s\S]*<\/blockquote>/);
});

test('an environment in the middle of a line, and \\[ … \\] inside a paragraph (seed 003 layout)', () => {
  const out = clean('目标函数 \\[L=\\mathbb{E}[f(z)]\\tag{1}\\] 这样的目标，以及 \\begin{equation}y=x\\end{equation} 之后。');
  assert.equal(out.posts[0].mathSegments, 2);
  assert.match(out.html, /mn-display-inline/);
});

test('$ that is not math stays text (pandoc rule)', () => {
  for (const text of ['价格是$5和$6元', '花了 $ 10 和 $ 20', '变量$ x$不是公式', 'cost: $3.50', '转义\\$a$不是']) {
    const out = render(text);
    assert.equal(out.posts[0].mathSegments, 0, text);
    assert.ok(visibleText(out.html).includes('$'), text);
  }
  assert.equal(formulas('价格是$5和$6元，而$x$是公式'), 1);
});

test('inline math may span a line break inside a paragraph', () => {
  const out = clean('设$a +\nb$为和。');
  assert.equal(out.posts[0].mathSegments, 1);
});

test('text after a display on the same line stays in the page', () => {
  const out = clean('$$a=1$$ 其中 $a$ 是常数。');
  assert.match(visibleText(out.html), /其中/);
});

test('unclosed delimiters do not swallow the note', () => {
  const out = render('开头\n\n$$a=1\n\n第二段\n\n\\begin{equation}x\n\n第三段');
  assert.match(visibleText(out.html), /第二段[\s\S]*第三段/);
});

test('block elements carry their source line; front matter offsets are kept', () => {
  const out = render('---\ntitle: 测试\n---\n\n# 测试\n\n段落\n\n$$x$$\n');
  assert.match(out.html, /<h1 data-line="4">/);
  assert.match(out.html, /<p data-line="6">/);
  assert.match(out.html, /mn-display[^>]*data-line="8"/);
});

test('raw HTML in a note goes through the allowlist: no script, no handler (test/unit/rawHtml.test.ts has the rest)', () => {
  const out = render('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>');
  assert.doesNotMatch(out.html, /<script|alert|onerror/);
  assert.match(out.html, /<img src="x" \/>/);
});

test('a | inside $…$ in a table row stays in the formula', () => {
  const out = clean('| 项 | 值 |\n| --- | --- |\n| 编码器 | $q(z|x)$ |\n| 解码器 | $p(x|z)$ |');
  assert.equal(out.posts[0].mathSegments, 2);
  assert.equal((out.html.match(/<td/g) ?? []).length, 4);
  assert.match(out.html, /<annotation encoding="application\/x-tex">q\(z\|x\)<\/annotation>/);
});

test('pipes are protected only in table rows, only inside math', () => {
  const md = '| a | b |\n| - | - |\n| $5 | $6 |\n| $p(x|z)$ | `$a$` |\n\n```\n$a|b$\n```\n\n正文$x|y$。';
  const out = render(md);
  assert.ok(!out.html.includes('\uE000'), 'no placeholder left anywhere');
  assert.equal((out.html.match(/<td/g) ?? []).length, 4);
  assert.match(out.html, /<td>\$5<\/td>\n<td>\$6<\/td>/);
  assert.match(out.html, /<code data-line="5">\$a\|b\$\n<\/code>/);
  assert.match(out.html, /<annotation encoding="application\/x-tex">p\(x\|z\)<\/annotation>/);
});

// ---- MathJax's rules: displays across blank lines, openers that never swallow the note ----------

const segments = (md: string, file = 'note.md') => render(md, file).posts[0].mathSegments;

test('a display continues across blank lines to its closer: at a line start, mid-paragraph, in lists and quotes', () => {
  const shapes = [
    // The converted-blog shape: an environment's rows separated by blank lines.
    '我们有\n\\begin{equation}\\begin{aligned}\na &= 1\\\\\n\nb &= 2\n\\end{aligned}\\end{equation}\n其中$a$是常数。',
    '\\begin{align}\na &= 1\\\\\n\nb &= 2\\\\\n\n\nc &= 3\n\\end{align}\n\n后文$a$。',
    '$$\n\\begin{aligned}\na &= 1\\\\\n\nb &= 2\n\\end{aligned}\n$$\n\n后文$a$。',
    '其中 \\begin{equation}a = 1\n\n+ 2\\end{equation} 成立，且$a$是常数。',
    '由\n$$a\n\n= b$$ 可知$a$。',
    '- 第一项\n  $$\n  a = 1\n\n  b = 2\n  $$\n- 第二项$a$',
    '> 引用\n> \\begin{align}\n> a &= 1\\\\\n>\n> b &= 2\n> \\end{align}\n> 之后$a$',
    '\\[\na = 1\n\n\\]\n\n后文\\(a\\)。',
  ];
  for (const md of shapes) {
    const out = clean(md);
    assert.equal(out.posts[0].mathSegments, 2, md);
  }
  // Numbering goes on after such a block, as MathJax numbers it.
  const numbered = clean(
    '\\begin{align}\na &= 1\\\\\n\nb &= 2\n\\end{align}\n\n\\begin{equation}c\\label{c}\\end{equation}\n\n见\\eqref{c}。',
  );
  assert.match(visibleText(numbered.html), /见\(3\)/);
});

test('an unclosed opener shows as text from its line on and never swallows what follows', () => {
  const cases: Array<[string, number]> = [
    // A typo'd `$$`, then a proper display: the display still renders.
    ['$$ a = b\n\n$$\nc = d\n$$\n\n尾$x$', 2],
    ['$$ a = b\n\nSome English prose about the formula here.\n\n$$c = d$$', 1],
    ['\\begin{equation}x\\end{align}\n\n中间的一段文字说明\n\n\\begin{equation}y\\end{equation}', 1],
    ['\\begin{equation}x\n\n这是一大段中文正文而不是公式\n\n\\end{equation}', 0],
    ['$$x\n\n# 标题\n\n$$', 0],
    ['开头$\\alpha还在继续\n\n第二段$x$', 1],
    ['\\[x\n\n```\n\\]\n```', 0],
  ];
  for (const [md, n] of cases) {
    const out = render(md);
    assert.equal(out.posts[0].mathSegments, n, md);
    const text = visibleText(out.html);
    for (const word of ['English', '中间', '中文正文', '标题', '第二段', '尾'])
      if (md.includes(word)) assert.ok(text.includes(word), `${word} stays on the page: ${md}`);
  }
});

test('closers count at brace depth 0, with \\x skipped, as MathJax finds them', () => {
  // A `$` inside \text{…} belongs to the text.
  assert.equal(segments('价格$\\text{cost: $5}+x$元'), 1);
  // `\$` inside math is a dollar sign, not the closer.
  assert.equal(segments('设$a\\$b$为'), 1);
  // A brace left open: the formula ends at its `$` and shows KaTeX's message (MathJax would show
  // the `$` as text and pair the next two); the rest of the paragraph is not disturbed.
  const open = render('分式$\\frac{a}{b$，后文$x$。');
  assert.equal(open.posts[0].mathSegments, 2);
  assert.equal(open.posts[0].errors.length, 1);
  // html2text's and kramdown's `\\{ … \\}` are the author's `\{ … \}`.
  assert.equal(segments('集合$\\\\{x \\mid x>0\\\\}$非空'), 1);
  // Spaces inside `$ … $` around plain TeX (Typora), prose stays prose.
  assert.equal(segments('若 $ \\alpha + \\beta $ 为和，价格是$5和$6元'), 1);
});
