import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractMacroDefinitions, MacroTable, macrosFor } from '../../src/core/math/macros';
import { PRESET_MACROS } from '../../src/core/math/presetMacros';
import { render } from '../support/render';

const errorsOf = (md: string, file = 'n.md') => render(md, file).posts.flatMap((p) => p.errors.map((e) => e.message));

test('\\newcommand holds from its formula to the end of the post', () => {
  assert.deepEqual(errorsOf('$\\newcommand{\\R}{\\mathbb{R}}x\\in\\R$，之后$y\\in\\R$\n\n$$\\R^n$$'), []);
});

test('redefinition is allowed (MathJax), and the later definition is used after it', () => {
  const { html } = render('$\\newcommand{\\v}{a}\\v$ $\\newcommand{\\v}{b}\\v$');
  assert.deepEqual(errorsOf('$\\newcommand{\\v}{a}\\v$ $\\newcommand{\\v}{b}\\v$'), []);
  const tex = [...html.matchAll(/<mi>([ab])<\/mi>/g)].map((m) => m[1]);
  assert.deepEqual(tex, ['a', 'b']);
});

test('\\renewcommand, \\def, \\DeclareMathOperator, arguments, and \\newcommand{name} without a backslash', () => {
  const md =
    '$\\def\\pair#1#2{(#1,#2)}\\pair{a}{b}$ $\\DeclareMathOperator{\\Tr}{Tr}\\Tr A$ $\\newcommand{half}{\\frac12}\\half$ $\\renewcommand{\\half}{0.5}\\half$ $\\newcommand{\\sq}[1]{#1^2}\\sq{x}$';
  assert.deepEqual(errorsOf(md), []);
});

test('a declared argument the body does not use is still consumed', () => {
  const { html } = render('$\\newcommand{\\ign}[2]{#1}\\ign{a}{b}c$');
  assert.equal(render('$\\newcommand{\\ign}[2]{#1}\\ign{a}{b}c$').posts[0].errors.length, 0);
  assert.match(html, /<mphantom>[\s\S]*<mi>b<\/mi>[\s\S]*<\/mphantom>[\s\S]*<mi>c<\/mi>/);
});

test('macros do not leak into the next post', () => {
  const listing = [
    '甲文',
    'By 某 | 2024-01-02 | 1位读者 | 引用定义$\\newcommand{\\Q}{q}\\Q$。',
    '乙文',
    'By 某 | 2024-01-03 | 1位读者 | 引用使用$\\Q$。',
  ].join('\n');
  const out = render(listing, 'l.txt');
  assert.deepEqual(
    out.posts.map((p) => p.errors.length),
    [0, 1],
  );
});

test('operator presets used without definition: \\tr, \\sign, \\msign, \\diag', () => {
  assert.deepEqual(errorsOf('$\\tr(A) + \\sign(x) + \\msign(M) + \\diag(v)$'), []);
});

test("a KaTeX call gets only the presets its formula or the note's macros name", () => {
  const table = new MacroTable(PRESET_MACROS);
  table.define({ name: '\\x', body: '\\sign x', kind: '\\newcommand' });
  table.define({ name: '\\tr', body: 'T', kind: '\\renewcommand' });
  const snapshot = table.snapshot();
  const given = macrosFor(snapshot, 'a + \\msign M');
  // The note's own macros, a redefined preset, a preset a macro names, a preset the formula names.
  assert.equal(given['\\x'], '\\sign x');
  assert.equal(given['\\tr'], 'T');
  assert.equal(given['\\sign'], '\\mathop{\\text{sign}}');
  assert.equal(given['\\msign'], '\\mathop{\\text{msign}}');
  // Presets nothing names stay out: KaTeX looks every command up in the table it is given.
  assert.equal('\\mit' in given, false);
  assert.equal('\\diag' in given, false);
  assert.ok(Object.keys(given).length < Object.keys(snapshot).length / 2);
  // The caller's table is left whole.
  assert.equal(snapshot['\\diag'], '\\mathop{\\text{diag}}');
  assert.equal(macrosFor(snapshot, '\\diag v')['\\diag'], '\\mathop{\\text{diag}}');
});

test('a preset reached through a note macro or a settings macro still renders', () => {
  const out = render('$\\newcommand{\\s}{\\sign}\\s(x)$ 与 $\\mit{x} + \\D v$', 'n.md', { macros: { '\\D': '\\diag' } });
  assert.deepEqual(out.posts[0].errors, []);
  assert.match(out.html, /sign/);
  assert.match(out.html, /diag/);
});

test('user macros from settings', () => {
  const out = render('$\\RR^n$', 'n.md', { macros: { '\\RR': '\\mathbb{R}' } });
  assert.equal(out.posts[0].errors.length, 0);
});

test('a self-referencing macro fails in place, bounded by maxExpand', () => {
  const out = render('$\\def\\a{\\a\\a}\\a$ 后文$x$');
  assert.equal(out.posts[0].errors.length, 1);
  assert.match(out.posts[0].errors[0].message, /expansion|maxExpand/i);
});

test('definitions are removed from the formula with their exact source range', () => {
  const src = 'x\\newcommand{\\a}[1]{#1}y';
  const { definitions, removals } = extractMacroDefinitions(src);
  assert.equal(definitions[0].name, '\\a');
  assert.equal(src.slice(removals[0].start, removals[0].end), '\\newcommand{\\a}[1]{#1}');
});

test('a macro file: TeX definitions or JSON, with problems reported', async () => {
  const { parseMacroFile } = await import('../../src/core/math/macroFile');
  const tex = parseMacroFile(
    '% the blog header\n\\newcommand{\\R}{\\mathbb{R}}\n\\DeclareMathOperator{\\Tr}{Tr}\n\\def\\half{\\frac12}\n',
    'm.tex',
  );
  assert.deepEqual(Object.keys(tex.macros).sort(), ['\\R', '\\Tr', '\\half']);
  assert.deepEqual(tex.problems, []);
  const json = parseMacroFile('{"RR": "\\\\mathbb{R}", "\\\\bad": 3}', 'm.json');
  assert.deepEqual(json.macros, { '\\RR': '\\mathbb{R}' });
  assert.equal(json.problems.length, 1);
  assert.equal(parseMacroFile('{oops', 'm.json').problems.length, 1);
  const out = render('$\\Tr(\\R^n)$', 'n.md', { macros: tex.macros });
  assert.equal(out.posts[0].errors.length, 0);
});
