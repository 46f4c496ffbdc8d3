// MathJax's tolerance (issue #17): an undefined command is drawn by name, in red, inside a formula
// that renders around it (MathJax's noundefined package), and still counts as an error of the note;
// mhchem's \ce and \pu render. Checked against MathJax itself (with noundefined, as a page loads it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_UNDEFINED_COMMANDS, RenderCache, renderKatex } from '../../src/core/math/katexRenderer';
import { mathjaxOracle } from '../support/mathjaxOracle';
import { errorTexts, render, undefinedTexts } from '../support/render';

const katexHtml = (html: string) =>
  html.replace(/<span class="katex-mathml">[\s\S]*?<\/span><span class="katex-html"/g, '<span class="katex-html"');

test('an undefined command is drawn in red inside its formula; the rest renders', () => {
  const out = render('# T\n\n前文 $x + \\foo + y$ 后文\n');
  assert.deepEqual(errorTexts(out.html), [], 'no error box');
  assert.deepEqual(undefinedTexts(out.html), ['\\foo']);
  const html = katexHtml(out.html);
  assert.match(html, /<span class="mord mathnormal">x<\/span>/);
  assert.match(html, /<span class="mord mathnormal"[^>]*>y<\/span>/);
  assert.match(
    html,
    /<span class="mbin">\+<\/span>[\s\S]*class="enclosing mnf-undefined"[\s\S]*<span class="mbin">\+<\/span>/,
    'between the two +',
  );
  // The message is kept where the error box had it: the formula's title.
  assert.match(out.html, /<span title="Undefined control sequence \(shown in red\): \\foo" class="mn-math-undefined katex">/);
  // MathML as MathJax's noundefined builds it: the name as text.
  assert.match(out.html, /<mi>x<\/mi><mo>\+<\/mo><mtext>\\foo<\/mtext><mo>\+<\/mo><mi>y<\/mi>/);
  // Still an error of the note: the post's count, the math scope's record (for lint), with the name.
  assert.equal(out.posts[0].errors.length, 1);
  assert.equal(out.posts[0].errors[0].message, 'Undefined control sequence: \\foo');
  const [e] = out.math[0].errors;
  assert.deepEqual(e.undefinedCommands, ['\\foo']);
  assert.equal(e.start, 4);
});

test('every use and every undefined name is marked; the formula parses once more per name', () => {
  const out = render('# T\n\n$$\\frac{\\part f}{\\part x} = \\zz{a}_\\zz + \\frac\\qqz x$$\n');
  assert.deepEqual(undefinedTexts(out.html), ['\\part', '\\part', '\\zz', '\\zz', '\\qqz']);
  assert.deepEqual(out.math[0].errors[0].undefinedCommands, ['\\part', '\\zz', '\\qqz']);
  assert.equal(out.posts[0].errors.length, 1, 'one formula, one error');
  assert.match(
    out.html,
    /title="Undefined control sequence \(shown in red\): \\part, \\zz, \\qqz" class="mn-math-undefined katex-display"/,
  );
  // In text too, as MathJax does (`\text{a \foo b}`).
  assert.deepEqual(undefinedTexts(render('# T\n\n$\\text{a \\foo b}$\n').html), ['\\foo']);
  // MathJax, as a page loads it (with noundefined), accepts all of these.
  assert.deepEqual(
    mathjaxOracle(
      ['x + \\foo + y', '\\frac{\\part f}{\\part x} = \\zz{a}_\\zz + \\frac\\qqz x', '\\text{a \\foo b}'].map((tex) => ({
        tex,
        display: true,
      })),
      { noundefined: true },
    ).errors,
    [undefined, undefined, undefined],
  );
});

test(`at most ${MAX_UNDEFINED_COMMANDS} distinct undefined names in one formula; past that, the error box`, () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `\\und${String.fromCharCode(97 + i)}`).join(' + ');
  const under = renderKatex(names(MAX_UNDEFINED_COMMANDS), false, {});
  assert.equal(under.error?.undefinedCommands?.length, MAX_UNDEFINED_COMMANDS);
  assert.match(under.html, /^<span title="[^"]*" class="mn-math-undefined katex">/);
  const over = renderKatex(names(MAX_UNDEFINED_COMMANDS + 1), false, {});
  assert.match(over.html, /^<span class="katex-error" title="Undefined control sequence: \\und/);
  assert.equal(over.error?.message, `Undefined control sequence: \\und${String.fromCharCode(97 + MAX_UNDEFINED_COMMANDS)}`);
  // One name used many times is one name.
  assert.equal(renderKatex('\\und '.repeat(500), false, {}).error?.undefinedCommands?.length, 1);
});

test('refused whole, as MathJax refuses them: an undefined environment, a math command in text', () => {
  const out = render('# T\n\n$$\\begin{nosuch}x\\end{nosuch}$$\n\n$\\text{\\alpha}$\n\n$$x \\tag{\\heartsuit}$$\n');
  assert.equal(errorTexts(out.html).length, 3);
  assert.deepEqual(undefinedTexts(out.html), []);
  assert.deepEqual(
    out.posts[0].errors.map((e) => e.message),
    ['No such environment: nosuch', 'Undefined control sequence: \\alpha', 'Undefined control sequence: \\heartsuit'],
  );
  const mathjax = mathjaxOracle(
    ['\\begin{nosuch}x\\end{nosuch}', '\\text{\\alpha}', 'x \\tag{\\heartsuit}'].map((tex) => ({ tex, display: true })),
    { noundefined: true },
  );
  assert.ok(
    mathjax.errors.every((e) => e !== undefined),
    String(mathjax.errors),
  );
  // Something else wrong besides: the box, with that reason; the undefined name is still recorded.
  const broken = render('# T\n\n$\\foo + \\frac{1}{$\n');
  assert.equal(errorTexts(broken.html).length, 1);
  assert.deepEqual(broken.math[0].errors[0].undefinedCommands, ['\\foo']);
  assert.doesNotMatch(broken.math[0].errors[0].message, /Undefined control sequence/);
});

test('the note’s own definitions win; the marks cost the post’s macro budget nothing', () => {
  const out = render('# T\n\n$\\newcommand{\\foo}{F}$ $\\foo + \\bar{x}$ $\\gee$\n');
  assert.deepEqual(undefinedTexts(out.html), ['\\gee']);
  assert.equal(renderKatex('\\und + '.repeat(300), false, {}).macroTokens, 0);
  // A command the note's macro uses is marked where the macro expands.
  const viaMacro = render('# T\n\n$\\newcommand{\\g}{\\undef x}$ $\\g + 1$\n');
  assert.deepEqual(undefinedTexts(viaMacro.html), ['\\undef']);
});

test('the title speaks the reader’s language; what lint reads stays English', () => {
  const note = '# T\n\n$x + \\foo$\n';
  const zh = render(note, 'n.md', { cache: new RenderCache(undefined, 'zh-cn') });
  assert.match(zh.html, /title="未定义的命令（以红色显示）：\\foo"/);
  assert.equal(zh.posts[0].errors[0].message, 'Undefined control sequence: \\foo');
});

test('mhchem: \\ce and \\pu render (KaTeX’s port of MathJax’s mhchem)', () => {
  const out = render('# 化学\n\n水 $\\ce{H2O}$，反应 $$\\ce{CO2 + C -> 2 CO}$$ 离子 $\\ce{SO4^2-}$，能量 $\\pu{123 kJ/mol}$\n');
  assert.deepEqual(out.posts[0].errors, []);
  assert.deepEqual(undefinedTexts(out.html), []);
  const html = katexHtml(out.html);
  assert.match(
    html,
    /<span class="mord mathrm">H<\/span>[\s\S]*?<span class="mord mtight">2<\/span>[\s\S]*?<span class="mord mathrm">O<\/span>/,
    'H, subscript 2, O',
  );
  assert.match(html, /→|xrightarrow|x-arrow/, 'the reaction arrow');
  assert.match(html, /kJ/);
  // MathJax (with its mhchem) accepts the same formulas.
  assert.deepEqual(
    mathjaxOracle(['\\ce{H2O}', '\\ce{CO2 + C -> 2 CO}', '\\ce{SO4^2-}', '\\pu{123 kJ/mol}'].map((tex) => ({ tex, display: false })))
      .errors,
    [undefined, undefined, undefined, undefined],
  );
});
