// The linter (issue #7): every rule with cases that must and must not fire, exact ranges, every
// quick fix applied to the text, suppression comments, severities, and the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { lintedFormulas, lintNote, type LintOptions } from '../../src/core/lint/lintNote';
import { suggestCounters } from '../../src/core/lint/suggest';
import { KATEX_COMMANDS, KATEX_VERSION } from '../../src/core/lint/katexCommands';
import { MATHJAX_COMMANDS, MATHJAX_ENVIRONMENTS, MATHJAX_VERSION } from '../../src/core/lint/mathjaxCommands';
import type { LintDiagnostic, RuleId, TextEdit } from '../../src/core/lint/types';
import { sharedPath } from '../support/shared';
import { SeriesIndex } from '../../src/core/series/seriesIndex';
import { summarizeText } from '../../src/core/series/noteSummary';
import { MAX_SHOWN_DIAGNOSTICS, mostSevere } from '../../src/core/lint/shownDiagnostics';
import { createRenderHandler, type RenderResponse } from '../../src/core/preview/renderRequests';

const CLI = resolve(__dirname, '../../../bin/mathnotes.js');

/** The diagnostics of one rule, each as [rule, the text it covers]. */
function lint(text: string, rule?: RuleId, file = 'note.md', options: LintOptions = {}): LintDiagnostic[] {
  const all = lintNote(text, file, options);
  return rule ? all.filter((d) => d.rule === rule) : all;
}
const covered = (text: string, d: LintDiagnostic) => text.slice(d.start, d.end);
const apply = (text: string, edits: TextEdit[]) =>
  [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
const fixed = (text: string, d: LintDiagnostic, n = 0) => apply(text, d.fixes[n].edits);

test('katex-parse: KaTeX’s own error, at its position in the formula', () => {
  const text = '# T\n\n公式$a^b^c$与$a^b$。\n';
  const [d, ...rest] = lint(text, 'katex-parse');
  assert.equal(rest.length, 0);
  assert.equal(d.severity, 'error');
  assert.match(d.message, /Double superscript/);
  assert.equal(d.start, text.indexOf('^c'));
  assert.deepEqual(lint('# T\n\n$a^b$ 与 $$\\frac{1}{2}$$\n', 'katex-parse'), []);
});

test('unknown-command: did you mean, from KaTeX’s list and the note’s macros; each a fix', () => {
  const text = '# T\n\n$\\sigam(x)$\n';
  const [d] = lint(text, 'unknown-command');
  assert.equal(covered(text, d), '\\sigam');
  assert.match(d.message, /did you mean `\\sigma`/);
  assert.equal(fixed(text, d), '# T\n\n$\\sigma(x)$\n');
  const macro = '# T\n\n$\\newcommand{\\relu}{\\operatorname{ReLU}}$ $\\relu(x) + \\reluu(x)$\n';
  const [m] = lint(macro, 'unknown-command');
  assert.equal(covered(macro, m), '\\reluu');
  assert.equal(m.fixes[0].title, 'Change to `\\relu`');
  assert.deepEqual(lint('# T\n\n$\\sigma + \\relu$\n', 'unknown-command', 'n.md', { macros: { '\\relu': '\\operatorname{ReLU}' } }), []);
  // The list is the installed KaTeX's.
  assert.equal(KATEX_VERSION, require('katex/package.json').version, 'run node scripts/gen-katex-commands.mjs after upgrading katex');
  assert.ok(KATEX_COMMANDS.includes('frac') && KATEX_COMMANDS.length > 900);
});

test('katex-parse: a math command inside text (\\tag{\\heartsuit}, which MathJax rejects too) says so; the fix wraps it in $…$', () => {
  const text = '# T\n\n$$x = y \\tag{\\heartsuit}$$\n';
  const [d, ...rest] = lint(text).filter((x) => x.severity === 'error');
  assert.equal(rest.length, 0);
  assert.equal(d.rule, 'katex-parse');
  assert.equal(covered(text, d), '\\heartsuit');
  assert.match(d.message, /math command inside text/);
  assert.equal(fixed(text, d), '# T\n\n$$x = y \\tag{$\\heartsuit$}$$\n');
  assert.deepEqual(
    lint(fixed(text, d)).filter((x) => x.severity === 'error'),
    [],
  );
});

test('mathjax-only: what KaTeX cannot render and the renderer does not translate, with what to use', () => {
  const text = '# T\n\n$\\enclose{circle}{A} + \\require{cancel}\\bbox[red]{x}$\n';
  const found = lint(text).filter((d) => d.rule === 'mathjax-only' || d.rule === 'unknown-command' || d.rule === 'katex-parse');
  assert.equal(found.length, 1);
  assert.equal(found[0].rule, 'mathjax-only');
  assert.equal(covered(text, found[0]), '\\enclose');
  assert.match(found[0].message, /use \\boxed/);
});

test('lint errs only where MathJax does: its own commands and environments are warnings, never "did you mean"', () => {
  // `\sideset` is MathJax's (AMS): KaTeX lacks it, the preview shows it in red; `\sidesets` is not meant.
  const text = '# T\n\n$\\sideset{}{}\\sum x + \\begin{psmallmatrix}a&b\\end{psmallmatrix}$ 与 $\\sideset{}{}\\prod y$\n';
  const found = lint(text).filter((d) => d.rule !== 'cjk-in-math');
  assert.deepEqual(
    found.map((d) => [d.rule, d.severity, covered(text, d)]),
    [
      ['mathjax-only', 'warning', '\\sideset'],
      ['mathjax-only', 'warning', '{psmallmatrix}'],
      ['mathjax-only', 'warning', '\\sideset'],
    ],
  );
  assert.ok(
    found.every((d) => !/did you mean/.test(d.message) && d.fixes.length === 0),
    found.map((d) => d.message).join('\n'),
  );
  assert.match(found[0].message, /preview shows it in red/);
  const env = '# T\n\n$\\begin{psmallmatrix}a&b\\end{psmallmatrix}$\n';
  const [e, ...more] = lint(env);
  assert.equal(more.length, 0);
  assert.deepEqual([e.rule, e.severity], ['mathjax-only', 'warning']);
  assert.match(e.message, /`\\begin\{psmallmatrix\}` is MathJax-only/);
  // What MathJax renders and the renderer now does: no finding at all.
  assert.deepEqual(
    lint(
      '# T\n\n$\\ce{H2O}$ $\\pu{1 kJ}$ $\\lim_\\limits{x\\to 0} x$ $\\mit{x}$ $\\unicode{x41}$\n\n$$\\begin{array} l a \\\\ b \\end{array}$$\n',
    ),
    [],
  );
  // A command neither knows is still an error, each name at its first use; a control symbol gets no letters suggested.
  const both = '# T\n\n$\\sigam + \\foox{a} + \\sigam + x^\\*$\n';
  const errors = lint(both).filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => [d.rule, covered(both, d)]),
    [
      ['unknown-command', '\\sigam'],
      ['unknown-command', '\\foox'],
      ['unknown-command', '\\*'],
    ],
  );
  assert.match(errors[0].message, /did you mean `\\sigma`/);
  assert.equal(errors[2].fixes.length, 0);
  assert.doesNotMatch(errors[2].message, /did you mean/);
  // The list is the installed MathJax's (scripts/gen-mathjax-commands.mjs).
  assert.equal(
    MATHJAX_VERSION,
    require('mathjax-full/package.json').version,
    'run node scripts/gen-mathjax-commands.mjs after upgrading mathjax-full',
  );
  assert.ok(
    MATHJAX_COMMANDS.has('mit') && MATHJAX_COMMANDS.has('frac') && !MATHJAX_COMMANDS.has('part') && MATHJAX_ENVIRONMENTS.has('array'),
  );
});

test('unbalanced: braces and \\left/\\right, at the unmatched one; fixes close or open them', () => {
  const brace = '# T\n\n分式$\\frac{a}{b$。\n';
  const [b] = lint(brace, 'unbalanced');
  assert.equal(b.start, brace.indexOf('{b'));
  assert.equal(fixed(brace, b), '# T\n\n分式$\\frac{a}{b}$。\n');
  const extra = '# T\n\n$a}$\n';
  assert.equal(fixed(extra, lint(extra, 'unbalanced')[0]), '# T\n\n$a$\n');
  const left = '# T\n\n$\\left( x$\n';
  const [l] = lint(left, 'unbalanced');
  assert.equal(covered(left, l), '\\left');
  assert.equal(fixed(left, l), '# T\n\n$\\left( x\\right.$\n');
  const right = '# T\n\n$x \\right)$\n';
  assert.equal(fixed(right, lint(right, 'unbalanced')[0]), '# T\n\n$\\left.x \\right)$\n');
  // Not: escaped braces, balanced pairs, and a conversion artefact (reported as that, once).
  assert.deepEqual(lint('# T\n\n$\\{a\\} + \\left( b \\right)$\n', 'unbalanced'), []);
  const artefact = '# T\n\n$$\\left\\\\{ x \\right.$$\n';
  assert.deepEqual(
    lint(artefact).map((d) => d.rule),
    ['conversion-artefact'],
  );
});

test('unclosed-math: environments inside a formula', () => {
  const wrong = '# T\n\n$$\\begin{aligned} a &= b \\end{align}$$\n';
  const [w] = lint(wrong, 'unclosed-math');
  assert.equal(covered(wrong, w), '\\end{align}');
  assert.equal(fixed(wrong, w), '# T\n\n$$\\begin{aligned} a &= b \\end{aligned}$$\n');
  const open = '# T\n\n$$\\begin{cases} a \\\\ b$$\n';
  const [o] = lint(open, 'unclosed-math');
  assert.equal(covered(open, o), '\\begin{cases}');
  assert.equal(fixed(open, o), '# T\n\n$$\\begin{cases} a \\\\ b\\end{cases}$$\n');
  assert.deepEqual(lint('# T\n\n$$\\begin{aligned} a \\\\ \\begin{cases} b \\end{cases} \\end{aligned}$$\n', 'unclosed-math'), []);
});

test('unclosed-math: delimiters in the text; prices, code, link text and pairs are not', () => {
  const text = ['# T', '', '未闭合的 $\\alpha + \\beta 还在继续', '', '$$ a + b', ''].join('\n');
  const found = lint(text, 'unclosed-math');
  assert.deepEqual(
    found.map((d) => [covered(text, d), text.slice(0, d.start).split('\n').length]),
    [
      ['$', 3],
      ['$$', 5],
    ],
  );
  const fine = [
    '# T',
    '',
    '这本书卖$5，那本卖$6。代码 `$\\alpha` 不算。',
    '',
    '```python',
    'print("$\\\\alpha")',
    '```',
    '',
    '多行公式 $a +',
    'b$ 也没事。',
    '',
    '$$',
    'x',
    '$$',
  ].join('\n');
  assert.deepEqual(lint(fine, 'unclosed-math'), []);
  // In a note written with \(…\): an unpaired \( or \[ is unclosed; one in a link's text is not math.
  const brackets = '# T\n\n见 \\(x\\) 与 \\[y\\]，但 \\(z 没有闭合。[![按钮\\[REL\\]](a.png)](b)\n';
  const [u, ...more] = lint(brackets, 'unclosed-math');
  assert.equal(more.length, 0);
  assert.equal(u.start, brackets.indexOf('\\(z'));
});

test('labels: duplicate (fix renames it), undefined reference (did you mean), unused (hint), in an unnumbered display', () => {
  const text = [
    '# T',
    '',
    '\\begin{equation}a = b \\label{eq:a}\\end{equation}',
    '',
    '\\begin{equation}c = d \\label{eq:a}\\end{equation}',
    '',
    '\\begin{equation*}e = f \\label{eq:star}\\end{equation*}',
    '',
    '\\begin{equation}g = h \\label{eq:unused}\\end{equation}',
    '',
    '见\\eqref{eq:a}与\\eqref{eq:b}、\\eqref{eq:star}。',
    '',
  ].join('\n');
  const all = lint(text);
  const by = (rule: RuleId) => all.filter((d) => d.rule === rule);
  const [dup] = by('duplicate-label');
  assert.equal(dup.start, text.lastIndexOf('eq:a}\\end'));
  assert.equal(covered(text, dup), 'eq:a');
  assert.match(fixed(text, dup), /c = d \\label\{eq:a-2\}/);
  // With the references written after it: they meant the second one.
  const later =
    '# T\n\n\\begin{equation}a \\label{x}\\end{equation}\n\n见\\eqref{x}。\n\n\\begin{equation}b \\label{x}\\end{equation}\n\n由\\eqref{x}与$\\ref{x}$。\n';
  const [second] = lint(later, 'duplicate-label');
  assert.match(second.fixes[0].title, /with the 2 reference\(s\) after it/);
  assert.equal(
    fixed(later, second),
    later.replace('b \\label{x}', 'b \\label{x-2}').replace('由\\eqref{x}与$\\ref{x}$', '由\\eqref{x-2}与$\\ref{x-2}$'),
  );
  const undef = by('undefined-ref');
  assert.deepEqual(
    undef.map((d) => covered(text, d)),
    ['eq:b', 'eq:star'],
  );
  assert.equal(undef[0].start, text.indexOf('eq:b'));
  assert.equal(fixed(text, undef[0]), text.replace('\\eqref{eq:b}', '\\eqref{eq:a}'));
  const [unnumbered] = by('label-unnumbered');
  assert.equal(covered(text, unnumbered), 'eq:star');
  const [unused] = by('unused-label');
  assert.equal(unused.severity, 'hint');
  assert.equal(covered(text, unused), 'eq:unused');
  assert.deepEqual(by('duplicate-label').length + by('unused-label').length, 2, 'a referenced label is not unused');
});

test('label rules read references where the parse found them: not in code, not in a code span', () => {
  // Code shows `\\eqref{…}` as written: the renamed label's fix leaves it, and no reference in
  // code is reported as undefined.
  const text = [
    '# T',
    '',
    '\\begin{equation}a \\label{x}\\end{equation}',
    '',
    '\\begin{equation}b \\label{x}\\end{equation}',
    '',
    '`\\eqref{x}` 与 \\eqref{x}，`\\eqref{q}` 与 \\eqref{q}。',
    '',
    '```tex',
    '\\eqref{x} \\eqref{q}',
    '```',
    '',
    '    \\eqref{x} indented code',
    '',
    '<!-- \\eqref{x} -->',
    '',
  ].join('\n');
  const [dup] = lint(text, 'duplicate-label');
  assert.match(dup.fixes[0].title, /with the 1 reference\(s\) after it/);
  assert.equal(fixed(text, dup), text.replace('b \\label{x}', 'b \\label{x-2}').replace('与 \\eqref{x}，', '与 \\eqref{x-2}，'));
  const undef = lint(text, 'undefined-ref');
  assert.deepEqual(
    undef.map((d) => d.start),
    [text.indexOf('q}。')],
  );
});

test('an edit that leaves the labels as they were does not search for near names again', () => {
  // Many broken references in a post of many labels: each search is an edit distance to every label.
  const labels = Array.from({ length: 300 }, (_, i) => `$$\\begin{equation}x_${i}\\label{eq:${i}}\\end{equation}$$`).join('\n\n');
  const refs = Array.from({ length: 200 }, (_, i) => `见 \\eqref{eq:${i}x}。`).join('\n\n');
  const text = `# T\n\n${labels}\n\n${refs}\n`;
  const before = suggestCounters.searches;
  const first = lint(text, 'undefined-ref');
  assert.equal(first.length, 200);
  assert.equal(suggestCounters.searches - before, 200, 'one search per broken name');
  assert.match(String(first[7].message), /Did you mean `eq:7`/);
  // A character typed in prose: the same label names, so the same suggestions, searched for by none.
  const edited = text.replace('见 \\eqref{eq:5x}', '见了 \\eqref{eq:5x}');
  const again = suggestCounters.searches;
  const second = lint(edited, 'undefined-ref');
  assert.equal(suggestCounters.searches, again);
  assert.deepEqual(
    second.map((d) => [d.message, d.fixes.map((f) => f.edits[0].text)]),
    first.map((d) => [d.message, d.fixes.map((f) => f.edits[0].text)]),
  );
  // A label added: the names changed, so they are searched again, and the new one is suggested.
  const added = edited.replace(
    'x_0\\label{eq:0}\\end{equation}$$',
    'x_0\\label{eq:0}\\end{equation}$$\n\n$$\\begin{equation}y\\label{eq:7X}\\end{equation}$$',
  );
  const third = lint(added, 'undefined-ref');
  assert.ok(suggestCounters.searches > again);
  assert.match(String(third[7].message), /`eq:7X`/);
});

test('references the parse cannot place by column: found only where unambiguous, never in code or a comment', () => {
  const dup = '# T\n\n$$a\\tag{1}\\label{x}$$\n\n$$b\\tag{2}\\label{x}$$\n\n';
  // A reference split by a line break is the page's: the fix renames it.
  const split = dup + 'see \\eqref\n{x}\n';
  const [d] = lint(split, 'duplicate-label');
  assert.equal(fixed(split, d), split.replace('b\\tag{2}\\label{x}', 'b\\tag{2}\\label{x-2}').replace('{x}\n', '{x-2}\n'));
  // In an HTML block (its text went through the sanitizer: no column), beside the same command in
  // code, a comment or an attribute: which is which is not known. No rename is offered (it would
  // leave the page's reference behind); alone on its line, the reference is renamed with the label.
  for (const html of ['<p><code>\\eqref{x}</code> \\eqref{x}</p>', '<p title="\\eqref{x}">\\eqref{x}</p>']) {
    const [h] = lint(dup + html + '\n', 'duplicate-label');
    assert.deepEqual(h.fixes, [], html);
  }
  const alone = dup + '<p>\\eqref{x}</p>\n';
  const [a] = lint(alone, 'duplicate-label');
  assert.equal(fixed(alone, a), alone.replace('b\\tag{2}\\label{x}', 'b\\tag{2}\\label{x-2}').replace('<p>\\eqref{x}', '<p>\\eqref{x-2}'));
  // A listing's line the parse reflowed (its indent trimmed): the column is the body's, checked against the command there.
  const listing = '标题\n\n           $\\eqref{a}$ \\eqref{b}\n';
  assert.deepEqual(
    lint(listing, 'undefined-ref', 'n.txt').map((x) => covered(listing, x)),
    ['a', 'b'],
  );
});

test('a formula in a table cell is placed in its own cell, after a cell of code with the same text', () => {
  const row = '# T\n\n| `$\\foo$` | $\\foo$ |\n| --- | --- |\n';
  assert.deepEqual(
    lint(row, 'unknown-command').map((d) => d.start),
    [row.lastIndexOf('\\foo')],
  );
});

test('cjk-in-math: full-width punctuation (fix: ASCII or \\text) and CJK text (fix: \\text); not in \\text{}', () => {
  const text = '# T\n\n$a，b$ 与 $x为正数$ 与 $\\text{中文}\\label{中文}$\n';
  const [p, c, ...rest] = lint(text, 'cjk-in-math');
  assert.equal(rest.length, 0);
  assert.equal(covered(text, p), '，');
  assert.equal(fixed(text, p, 0), text.replace('a，b', 'a,b'));
  assert.equal(fixed(text, p, 1), text.replace('a，b', 'a\\text{，}b'));
  assert.equal(covered(text, c), '为正数');
  assert.equal(c.fixes.length, 1);
  assert.equal(fixed(text, c), text.replace('x为正数', 'x\\text{为正数}'));
});

test('conversion-artefact: each leftover at its character, the fix removes it', () => {
  const text = '# T\n\n$$\\left\\\\{ x \\right. \\\\\\\n y$$\n';
  const found = lint(text, 'conversion-artefact');
  assert.equal(found.length, 2);
  assert.equal(found[0].start, text.indexOf('\\\\{'));
  assert.equal(fixed(text, found[0]), text.replace('\\left\\\\{', '\\left\\{'));
  assert.equal(found[0].severity, 'warning');
});

test('exact ranges through a blockquote, CRLF, a BOM and a blog-listing export', () => {
  const quote = '# T\n\n> $$\n> \\frac{a}{b\n> $$\n';
  const [q] = lint(quote, 'unbalanced');
  assert.equal(q.start, quote.indexOf('{b'));
  const crlf = '# T\r\n\r\n文字$\\sigam$\r\n';
  assert.equal(covered(crlf, lint(crlf, 'unknown-command')[0]), '\\sigam');
  const bom = '\ufeff# T\n\n$\\sigam$\n';
  assert.equal(covered(bom, lint(bom, 'unknown-command')[0]), '\\sigam');
  const listing = '测试文章（一）：标题\nBy 作者 | 2024-01-02 | 100位读者 | 引用正文开头，公式 \\(\\sigam + 1\\) 在这里。\n';
  const [l] = lint(listing, 'unknown-command', 'listing.txt');
  assert.equal(covered(listing, l), '\\sigam');
});

test('a suppression comment counts where the page reads it as HTML: not shown in code, nor in a script', () => {
  const shown = [
    '```html',
    '<!-- mathnotes-disable katex-parse -->',
    '```',
    '',
    'As written: `<!-- mathnotes-disable-next-line katex-parse -->`',
    '$a^b^c$',
    '',
    '<script>',
    '// <!-- mathnotes-disable katex-parse -->',
    '</script>',
    '',
    '    <!-- mathnotes-disable katex-parse -->',
    '',
    '<div title="<!-- mathnotes-disable katex-parse -->"><style><!-- mathnotes-disable katex-parse --></style></div>',
    '',
    '<div>',
    '<!-- mathnotes-disable katex-parse',
    '',
    '$x^^$',
  ].join('\n');
  assert.deepEqual(
    lint(shown, 'katex-parse').map((d) => shown.slice(0, d.start).split('\n').length - 1),
    [5, 18],
  );
  // Read: a comment over three lines in a paragraph (the line after it ends), one in a quote's HTML block.
  const read = [
    'Text <!--',
    'mathnotes-disable-next-line katex-parse',
    '--> more',
    '$a^b^c$ and $x^^$ <!-- mathnotes-disable-line katex-parse -->',
    '',
    '> <!-- mathnotes-disable-next-line katex-parse -->',
    '> $y^^$',
    '',
    '$z^^$',
  ].join('\n');
  assert.deepEqual(
    lint(read, 'katex-parse').map((d) => read.slice(d.start - 1, d.end + 1)),
    ['z^^'],
  );
  // A comment's line is where the parse found it: a code span, a link's title or an image's text
  // before it on the paragraph may span lines the children's text no longer shows.
  for (const before of ['a `code\nspan`', 'a [l](http://x\n"title")', 'a ![l\nm](x.png)']) {
    const note = `${before} b <!-- mathnotes-disable-line katex-parse --> $x^^$\n\n$y^^$\n`;
    assert.deepEqual(
      lint(note, 'katex-parse').map((d) => note.slice(d.start - 1, d.end + 1)),
      ['y^^'],
      before,
    );
  }
});

test('suppression comments, severities from options, a rule filter', () => {
  const text = [
    '<!-- mathnotes-disable unused-label -->',
    '# T',
    '',
    '<!-- mathnotes-disable-next-line cjk-in-math -->',
    '$a，b$',
    '$c，d$ <!-- mathnotes-disable-line -->',
    '$e，f$',
    '',
    '\\begin{equation}x \\label{eq:x}\\end{equation}',
  ].join('\n');
  const found = lint(text);
  assert.deepEqual(
    found.map((d) => [d.rule, covered(text, d)]),
    [['cjk-in-math', '，']],
  );
  assert.equal(found[0].start, text.indexOf('e，f') + 1);
  assert.equal(lint(text, undefined, 'n.md', { severity: { 'cjk-in-math': 'error' } })[0].severity, 'error');
  assert.deepEqual(lint(text, undefined, 'n.md', { severity: { 'cjk-in-math': 'off' } }), []);
  assert.deepEqual(
    lint('# T\n\n$\\sigam，$\n', undefined, 'n.md', { rules: ['unknown-command'] }).map((d) => d.rule),
    ['unknown-command'],
  );
});

test('the example notes and the seeds have no errors or warnings', () => {
  const r = spawnSync(process.execPath, [CLI, 'lint', resolve(__dirname, '../../../examples'), sharedPath('seeds')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, / (error|warning) /);
  assert.match(r.stderr, /9 note\(s\) in \d+ ms: 0 error\(s\), 0 warning\(s\)/);
});

test('CLI lint: file:line:col lines, exit 1 on errors, JSON with ranges and fixes, --rule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mn-lint-'));
  writeFileSync(join(dir, 'bad.md'), '# 坏\n\n分式$\\frac{a}{b$，逗号$a，b$。\n');
  writeFileSync(join(dir, 'good.md'), '# 好\n\n$\\frac{a}{b}$\n');
  const r = spawnSync(process.execPath, [CLI, 'lint', dir], { encoding: 'utf8', cwd: dir });
  assert.equal(r.status, 1);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'bad.md:3:12: error unbalanced `{` is never closed.',
    'bad.md:3:20: warning cjk-in-math Full-width punctuation `，` in math, outside `\\text{}`: write `,`.',
  ]);
  const json = spawnSync(process.execPath, [CLI, 'lint', join(dir, 'bad.md'), '--format', 'json', '--rule', 'cjk-in-math'], {
    encoding: 'utf8',
    cwd: dir,
  });
  assert.equal(json.status, 0, 'warnings only');
  const [file] = JSON.parse(json.stdout);
  assert.equal(file.diagnostics.length, 1);
  assert.deepEqual([file.diagnostics[0].line, file.diagnostics[0].column, file.diagnostics[0].endColumn], [3, 20, 21]);
  assert.equal(file.diagnostics[0].fixes[0].edits[0].text, ',');
  assert.equal(spawnSync(process.execPath, [CLI, 'lint', join(dir, 'good.md')], { encoding: 'utf8' }).status, 0);
  assert.equal(spawnSync(process.execPath, [CLI, 'lint', dir, '--rule', 'nope'], { encoding: 'utf8' }).status, 2);
});

test('messages and fix titles in 简体中文 when asked (the editor passes its display language; the CLI --lang or LANG)', () => {
  const text = '# 标题\n\n$$\\frac{a}{b$$ 与 $x，y$ 与 $\\dv{f}{x}$\n';
  const en = lintNote(text, 'a.md');
  const zh = lintNote(text, 'a.md', { locale: 'zh-cn' });
  assert.deepEqual(
    zh.map((d) => [d.rule, d.start, d.end]),
    en.map((d) => [d.rule, d.start, d.end]),
    'the same findings',
  );
  const brace = zh.find((d) => d.rule === 'unbalanced')!;
  assert.equal(brace.message, '`{` 没有闭合。');
  assert.equal(brace.fixes[0].title, '在公式末尾补上 `}`');
  assert.equal(zh.find((d) => d.rule === 'cjk-in-math')!.message, '数学公式中有全角标点 `，`，且不在 `\\text{}` 内：应写作 `,`。');
  assert.equal(zh.find((d) => d.rule === 'mathjax-only')!.message, '`\\dv` 只有 MathJax 支持：KaTeX 无法渲染；改用 \\frac{d}{dx}。');
  assert.equal(en.find((d) => d.rule === 'unbalanced')!.message, '`{` is never closed.');
  // The findings cache is shared across languages: English again after Chinese.
  assert.deepEqual(
    lintNote(text, 'a.md').map((d) => d.message),
    en.map((d) => d.message),
  );

  const dir = mkdtempSync(join(tmpdir(), 'mn-lint-zh-'));
  const note = join(dir, 'a.md');
  writeFileSync(note, text);
  const byOption = spawnSync(process.execPath, [CLI, 'lint', '--lang', 'zh-cn', note], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C' },
  });
  assert.match(byOption.stdout, /error unbalanced `\{` 没有闭合。/);
  assert.match(byOption.stderr, /1 篇笔记，用时 \d+ ms：\d+ 个错误/);
  const byEnv = spawnSync(process.execPath, [CLI, 'lint', note], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' },
  });
  assert.match(byEnv.stdout, /没有闭合/);
  const english = spawnSync(process.execPath, [CLI, 'lint', '--lang=en', note], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'zh_CN.UTF-8' },
  });
  assert.match(english.stdout, /`\{` is never closed\./);
  assert.match(spawnSync(process.execPath, [CLI, '--help', '--lang', 'zh-cn'], { encoding: 'utf8' }).stdout, /^用法：/);
});

/** The workspace the citation rules' examples are resolved in: one post of a series, with its address. */
function docsIndex(): SeriesIndex {
  const index = new SeriesIndex();
  const note = '---\ntitle: 向量检索漫谈（一）：分桶\nsource: https://example.com/archives/4242\n---\n\n正文。\n';
  index.setFile('one.md', summarizeText('one.md', 'one.md', note));
  return index;
}

test('every rule has a page in docs/rules/ with its default severity, and the page’s example trips it', async () => {
  const { readFileSync } = await import('node:fs');
  const { RULES, RULE_IDS } = await import('../../src/core/lint/types');
  const index = readFileSync(resolve(__dirname, '../../../docs/rules/README.md'), 'utf8');
  for (const rule of RULE_IDS) {
    const page = readFileSync(resolve(__dirname, `../../../docs/rules/${rule}.md`), 'utf8');
    assert.ok(page.startsWith(`# \`${rule}\``), rule);
    assert.ok(page.includes(`Default severity: **${RULES[rule].severity}**`), `${rule}: the page states ${RULES[rule].severity}`);
    assert.ok(index.includes(`[\`${rule}\`](${rule}.md) | ${RULES[rule].severity} |`), `${rule} in docs/rules/README.md`);
    const example = /```markdown\n([\s\S]*?)\n```/.exec(page)?.[1];
    assert.ok(example, `${rule}: an example`);
    const found = lintNote(`# 示例\n\n${example}\n`, 'example.md', { citations: docsIndex() }).map((d) => d.rule);
    assert.ok(found.includes(rule), `${rule}: its example gives ${found.join(', ') || 'nothing'}`);
  }
});

test('unclosed-math agrees with the page: an opener it reports is shown as text, one it shows as text is reported', () => {
  // The environment closed by the wrong \end, with a correct equation further down: the page
  // shows the first as text (it cannot run into the second), and lint says so at its opener.
  const mixed = '# T\n\n\\begin{equation}x\\end{align}\n\n中间的文字\n\n\\begin{equation}y\\end{equation}\n';
  const [d, ...rest] = lint(mixed, 'unclosed-math');
  assert.equal(rest.length, 0);
  assert.equal(covered(mixed, d), '\\begin{equation}');
  assert.equal(d.start, mixed.indexOf('\\begin'));
  // A display across a blank line is a formula, not an unclosed opener.
  assert.deepEqual(lint('# T\n\n\\begin{align}\na\\\\\n\nb\n\\end{align}\n', 'unclosed-math'), []);
  // Openers inside a quote and a list item are found at their own column.
  const nested = '# T\n\n> 引用 $$ a + b\n\n- 项 \\begin{cases} x\n';
  assert.deepEqual(
    lint(nested, 'unclosed-math').map((x) => covered(nested, x)),
    ['$$', '\\begin{cases}'],
  );
});

test('a formula holding U+0000 is checked where the page typesets it (markdown-it reads it as U+FFFD)', () => {
  const text = '# T\n\n$\u0000\\zqx$ 与 $y$\n';
  const found = lintNote(text, 'n.md').filter((d) => d.rule === 'unknown-command');
  assert.equal(found.length, 1);
  assert.equal(text.slice(found[0].start, found[0].end), '\\zqx');
  assert.deepEqual(lintedFormulas(text, 'n.md').unplaced, []);
});

test('a formula is checked where the parse found it, not where its TeX first occurs (a code span holding the same text)', () => {
  const text = '# T\n\n代码 `$\\zqx$` 与公式 $\\zqx$\n';
  const found = lintNote(text, 'n.md').filter((d) => d.rule === 'unknown-command');
  assert.equal(found.length, 1);
  assert.equal(found[0].start, text.lastIndexOf('\\zqx'));
});

test('math in raw HTML whose TeX the sanitizer decoded is still checked, on its line', () => {
  const text = '# T\n\n<div align="center">$a &lt; \\zqx$</div>\n';
  const found = lintNote(text, 'n.md').filter((d) => d.rule === 'unknown-command');
  assert.equal(found.length, 1);
  assert.equal(text.slice(found[0].start, found[0].end), text.split('\n')[2]);
  assert.deepEqual(found[0].fixes, [], 'no edit where the TeX is not as written');
  assert.deepEqual(lintedFormulas(text, 'n.md').unplaced, ['a < \\zqx']);
});

test('a display opened on a listing byline line is placed by its TeX, not by the empty rest of its opener line', () => {
  // The listing's body starts after the byline: the `$$` line's column there is not the document's.
  const text = 'By 作者 | 2024-01-01 | 3位读者 | 引用$$\n\\zqx\n$$\n';
  const [placed] = lintedFormulas(text, 'listing.txt').placed;
  assert.equal(text.slice(placed.start, placed.end), '\\zqx');
  const found = lintNote(text, 'listing.txt').filter((d) => d.rule === 'unknown-command');
  assert.equal(found.length, 1);
  assert.equal(found[0].start, text.indexOf('\\zqx'));
});

test('the worker sends the editor the 1 000 most severe findings of a note and counts the rest', () => {
  // 1 500 formulas of Chinese (a warning each) and one broken formula at the end (an error).
  const text = '# 多\n\n' + '$中$\n\n'.repeat(1500) + '$x^{$\n';
  const all = lintNote(text, 'many.md');
  assert.ok(all.length > 1500, `${all.length} findings`);
  const responses: RenderResponse[] = [];
  createRenderHandler((r) => responses.push(r))({
    id: 1,
    channel: 'lint:x',
    text,
    fileName: 'many.md',
    macros: {},
    reset: false,
    mode: 'lint',
  });
  const r = responses[0];
  assert.ok(r && 'diagnostics' in r, JSON.stringify(r).slice(0, 200));
  assert.equal(r.diagnostics.length, MAX_SHOWN_DIAGNOSTICS);
  assert.equal(r.omitted, all.length - MAX_SHOWN_DIAGNOSTICS);
  // The error at the end is among them, and they come in document order.
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error').length, all.filter((d) => d.severity === 'error').length);
  assert.ok(r.diagnostics.some((d) => d.severity === 'error' && d.start > text.length - 10));
  assert.deepEqual(
    r.diagnostics.map((d) => d.start),
    r.diagnostics.map((d) => d.start).sort((a, b) => a - b),
  );
  // Few findings: all of them, none counted out.
  assert.deepEqual(mostSevere(all.slice(0, 3)), { shown: all.slice(0, 3), omitted: 0 });
});
