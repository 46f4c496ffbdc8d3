import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sanitizeFormulaCss } from '../../src/core/math/cssAllowlist';
import { mathjaxOracle } from '../support/mathjaxOracle';
import { errorTexts, render, undefinedTexts } from '../support/render';

const ok = (md: string) => {
  const out = render(md);
  assert.deepEqual(out.posts[0].errors, [], md);
  return out.html;
};

test('MathJax leniencies KaTeX lacks', () => {
  ok('$\\text{a_b^c}$');
  ok('$\\min_\\boldsymbol{B} f$ 和 $x^\\frac{1}{2}$ 和 $y_\\mathbf{w}$');
  ok('$\\mbox{if } x$');
  ok('$\\require{cancel}\\cancel{x}$');
  ok('$\\sqrt[\\uproot{2}3]{x}$');
  ok('$\\bbox[5px,border:2px solid red]{x}$ $\\bbox[yellow]{y}$');
  ok('$\\cssId{myid}{x} + \\class{c}{y}$');
});

test('\\style becomes \\htmlStyle with only allowed CSS', () => {
  const html = ok(
    '$\\style{display: inline-block; width: 24ex; padding: 10ex 0; border: 1px solid #6C8EBF; background-color: #DAE8FC}{W}$',
  );
  assert.match(html, /style="[^"]*border: ?1px solid #6C8EBF/i);
  const hostile = ok('$\\style{position: fixed; top: 0; background: url(https://evil.example/x.png); color: red}{W}$');
  assert.doesNotMatch(hostile, /position|url\(|evil/);
  assert.match(hostile, /color: ?red/);
});

test('CSS allowlist', () => {
  assert.equal(sanitizeFormulaCss('color: red; position: absolute'), 'color: red');
  assert.equal(sanitizeFormulaCss('background: url(x)'), '');
  assert.equal(sanitizeFormulaCss('width: 100000px'), '');
  assert.equal(sanitizeFormulaCss('margin-left: -500px'), '');
  assert.equal(sanitizeFormulaCss('display: none'), '');
});

test('html2text artefacts: \\left\\\\{ and \\right\\\\} mean \\{ and \\}', () => {
  ok('$$f(x) = \\left\\\\{\\begin{aligned}1 \\\\ 0\\end{aligned}\\right.$$');
  ok('$$\\left\\\\{ x \\right\\\\}$$');
});

test('hostile TeX links and ids are not trusted', () => {
  const html = render(
    '$\\href{javascript:alert(1)}{x}$ $\\url{javascript:alert(2)}$ $\\htmlId{mn-p0}{y}$ $\\htmlData{foo=bar}{z}$ $\\includegraphics{https://x/y.png}$',
  ).html;
  assert.doesNotMatch(html, /href="javascript|id="mn-p0"[^>]*>[^<]*y|data-foo|<img/);
});

test('CSS that escapes the formula box is refused, written as \\style, \\bbox or \\htmlStyle', () => {
  for (const css of [
    'margin-top:-200em;transform:scale(30);z-index:9',
    'width:100vw;height:100vh;background-color:white',
    'background-image:image-set("https://evil.example/x.png" 1x)',
    'margin-top:-.8e3px;height:.8e3px',
    'height:1e5px',
  ]) {
    for (const cmd of ['\\htmlStyle', '\\style']) {
      // The source may show as text (annotation, untrusted command); what matters is the styles applied.
      const styles = [...render(`$${cmd}{${css}}{X}$`).html.matchAll(/style="([^"]*)"/g)].map((m) => m[1]).join(';');
      assert.doesNotMatch(styles, /transform|z-index|vw|vh|image-set|evil|-200em|e3px|e5px/, `${cmd}{${css}}`);
    }
  }
  assert.equal(sanitizeFormulaCss('border: 1px solid #1e5; color: #6C8EBF'), 'border: 1px solid #1e5; color: #6C8EBF');
  assert.match(render('$\\htmlStyle{color: red}{x}$').html, /style="color: ?red/);
});

test('an overlong formula is refused in place, quickly', () => {
  const t0 = Date.now();
  const out = render('$$' + 'x+'.repeat(40000) + '$$\n\n后文');
  assert.ok(Date.now() - t0 < 3000);
  assert.match(out.posts[0].errors[0].message, /too long/);
});

test('% inside \\style is CSS, not a comment', () => {
  const out = render('$\\style{width:50%}{x}$');
  assert.deepEqual(out.posts[0].errors, []);
  assert.match(out.html, /style="width: ?50%/);
});

/** What KaTeX draws (its HTML, without the MathML and the TeX it carries). */
const drawn = (md: string) =>
  ok(md)
    .replace(/<span class="katex-mathml">[\s\S]*?<\/span><span class="katex-html"/g, '<span class="katex-html"')
    .replace(/ data-tex="[^"]*"/g, '');

test('\\limits after the script sign, as MathJax applies it (to the operator under the script)', () => {
  // Two notes of notes-zh write `\lim_\limits{…}`; MathJax renders it as `\lim\limits_{…}`, KaTeX
  // took `\limits` for the script.
  assert.equal(drawn('$\\lim_\\limits{x\\to 0} f(x)$'), drawn('$\\lim\\limits_{x\\to 0} f(x)$'));
  assert.equal(drawn('$$\\sum^\\nolimits{n} _{k=1} a_k$$'), drawn('$$\\sum\\nolimits^{n} _{k=1} a_k$$'));
  assert.deepEqual(mathjaxOracle([{ tex: '\\lim_\\limits{x\\to 0} f(x)', display: false }]).errors, [undefined]);
});

test('array without a column group: MathJax reads the next token as the spec', () => {
  // MathJax's BaseMethods.Array: GetArgument, then only c, l, r, |, : of it count.
  assert.equal(drawn('$$\\begin{array} l a \\\\ bb \\end{array}$$'), drawn('$$\\begin{array}{l} a \\\\ bb \\end{array}$$'));
  assert.equal(drawn('$$\\begin{array}\\alpha x & y \\end{array}$$'), drawn('$$\\begin{array}{l} x & y \\end{array}$$'));
  assert.equal(drawn('$$\\begin{array} a x & y \\end{array}$$'), drawn('$$\\begin{array}{} x & y \\end{array}$$'));
  assert.deepEqual(
    mathjaxOracle(['\\begin{array} l a \\\\ bb \\end{array}', '\\begin{array} a x & y \\end{array}'].map((tex) => ({ tex, display: true })))
      .errors,
    [undefined, undefined],
  );
});

test("MathJax's own commands KaTeX lacks render as MathJax draws them, not in red", () => {
  const formulas = [
    '{\\mit\\Gamma x}',
    '\\unicode{x2124}',
    '\\unicode[Arial]{8484} + 1',
    '\\oldstyle 123',
    '\\iiiint_V f',
    '\\idotsint f',
    'a\\mspace{6mu}b',
    '\\eqalign{a&=b\\cr c&=d}',
    '\\overparen{AB}',
    '\\underparen{AB}',
    '\\cancelto{0}{x}',
    '\\strut x',
    '{\\Tiny x}',
  ];
  const oracle = mathjaxOracle(formulas.map((tex) => ({ tex, display: false })));
  formulas.forEach((tex, i) => {
    assert.equal(oracle.errors[i], undefined, `MathJax accepts ${tex}`);
    const html = render(`# t\n\n$${tex}$\n`).html;
    assert.deepEqual(errorTexts(html), [], tex);
    assert.deepEqual(undefinedTexts(html), [], tex);
  });
  // ℤ from its code point, in hex or decimal; a surrogate is no character: KaTeX's undefined mark.
  assert.match(render('# t\n\n$\\unicode{x2124}$\n').html, /class="mord amsrm">Z</);
  assert.deepEqual(undefinedTexts(render('# t\n\n$\\unicode{xD800}$\n').html), ['\\unicode']);
});
