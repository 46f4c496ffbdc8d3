// Resource bombs (issue #8): each finishes within its stated bound and says where it gave up.
// Bounds are generous (a shared 2-core machine); what they guard against is minutes, not
// milliseconds: macro loops, huge sizes, deep nesting, long inputs, and long runs of one character
// for every regular expression of the parser, renderer and linter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintNote } from '../../src/core/lint/lintNote';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { parseNote } from '../../src/core/note/parseNote';
import { renderNote } from '../../src/core/render/renderNote';
import { findCitations, scanCitations } from '../../src/core/series/citations';
import { summarizeNote } from '../../src/core/series/noteSummary';
import { parseSeriesTitle } from '../../src/core/series/titleGrammar';
import { findSnippets } from '../../src/core/snippets/snippets';
import { compareOutput } from '../../src/core/snippets/compare';

function within<T>(boundMs: number, what: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  console.log(`      ${what}: ${ms.toFixed(0)} ms (bound ${boundMs} ms)`);
  assert.ok(ms < boundMs, `${what} took ${ms.toFixed(0)} ms, over its bound of ${boundMs} ms`);
  return out;
}

const render = (text: string, file = 'bomb.md') => renderNote(text, file, { cache: new RenderCache() });
/** The messages the page shows for formulas that could not be rendered. */
const errorTitles = (html: string) => [...html.matchAll(/class="katex-error" title="([^"]*)"/g)].map((m) => m[1]);

test('macro expansion loops stop at KaTeX’s expansion limit, with a message, at once', () => {
  for (const tex of ['\\def\\a{\\a\\a}\\a', '\\newcommand{\\r}{\\r x}\\r', '\\def\\b#1{\\b{#1#1}}\\b{x}']) {
    const { html } = within(2000, `$${tex}$`, () => render(`# 炸弹\n\n$${tex}$\n`));
    const [message] = errorTitles(html);
    assert.match(message ?? '', /Too many expansions|recursive/i, `${tex}: ${message}`);
  }
});

test('huge sizes are clamped: \\rule{1e6em}{1e6em} draws at most 50em', () => {
  const { html } = within(2000, '\\rule{1e6em}{1e6em}', () => render('# 炸弹\n\n$$\\rule{1e6em}{1e6em}$$\n'));
  const sizes = [...html.matchAll(/(\d+(?:\.\d+)?)em/g)].map((m) => Number(m[1]));
  assert.ok(Math.max(...sizes) <= 60, `largest size ${Math.max(...sizes)}em`);
});

test('10 000-deep braces, a 1 MB formula, and 100 000 unbalanced braces: bounded, and said', () => {
  const deep = '{'.repeat(10_000) + 'x' + '}'.repeat(10_000);
  const r1 = within(5000, '10 000-deep braces', () => render(`# 炸弹\n\n$$${deep}$$\n`));
  assert.ok(r1.html.includes('katex') || r1.html.includes('mn-warning'));
  const long = '\\alpha+'.repeat(150_000) + 'x';
  const r2 = within(5000, 'a 1 MB formula', () => render(`# 炸弹\n\n$$${long}$$\n`));
  assert.match(errorTitles(r2.html)[0] ?? '', /too long to render/);
  within(5000, '100 000 unclosed braces', () => render(`# 炸弹\n\n$${'{'.repeat(100_000)}$\n`));
  within(5000, 'lint of 10 000-deep braces', () => lintNote(`# 炸弹\n\n$$${deep}$$\n`, 'bomb.md'));
});

test('a 10 MB note is read and indexed within bounds; 1 MB of dense math renders and lints within bounds; 100 000 lines of dollars too', () => {
  const paragraph = '设$x_i$为第$i$个样本，则\n\\begin{equation}L = \\sum_i \\log p(x_i)\\label{eq:l}\\end{equation}\n见\\eqref{eq:l}。《某系列（三）：标题》\n\n';
  const big = '# 大笔记\n\n' + paragraph.repeat(Math.ceil(10_000_000 / paragraph.length));
  const note = within(10_000, 'parse a 10 MB note', () => parseNote(big, 'big.md'));
  within(20_000, 'summarise a 10 MB note for the series index', () => summarizeNote('big.md', big, note));
  // The editor renders and lints at most mathNotes.preview.maxNoteSizeMB (0.5 MB by default) of a note.
  const mb = big.slice(0, big.lastIndexOf('\n', 1_000_000));
  within(30_000, 'render 1 MB of dense math (8 000 equations)', () => render(mb));
  within(30_000, 'lint 1 MB of dense math', () => lintNote(mb, 'big.md'));
  const dollars = '# 美元\n\n' + '$\n'.repeat(100_000);
  within(10_000, 'render 100 000 lines of `$`', () => render(dollars));
  within(10_000, 'lint 100 000 lines of `$`', () => lintNote(dollars, 'd.md'));
  const dollarsInline = '# 美元\n\n' + 'a $b '.repeat(100_000) + '\n';
  within(10_000, 'render 100 000 unpaired `$` in one paragraph', () => render(dollarsInline));
  within(10_000, 'lint 100 000 unpaired `$` in one paragraph', () => lintNote(dollarsInline, 'd.md'));
});

test('long runs of one character through every parser, renderer, linter and grammar entry point (no catastrophic backtracking)', () => {
  const N = 20_000;
  const runs = [' ', '\t', '\\', '$', '{', '}', '[', '(', ')', '`', '*', '_', '#', '>', '-', '|', '~', '%', '&', '^', '《', '》', '（', '）', '：', '，', '　', 'a', '1', '.', '\n', '\r', '!', '<', '=', '"', "'", '\u0000'];
  for (const c of runs) {
    for (const [name, text] of [[`${JSON.stringify(c)}×${N}`, c.repeat(N)], [`${JSON.stringify(c)}×${N} then x`, c.repeat(N) + 'x!'], [`x then ${JSON.stringify(c)}×${N}`, `# 标题\n\n$x` + c.repeat(N)]] as const) {
      const t0 = performance.now();
      for (const file of ['n.md', 'n.txt']) {
        const note = parseNote(text, file);
        renderNote(text, file, { cache: new RenderCache() });
        lintNote(text, file);
        summarizeNote(file, text, note);
      }
      scanCitations(text);
      findCitations(text, text.split('\n').map((_, i) => i));
      findSnippets(text, 'n.md');
      parseSeriesTitle(text.slice(0, 2000) + text.slice(-2000));
      compareOutput(text, text + 'y');
      const ms = performance.now() - t0;
      assert.ok(ms < 5_000, `${name}: ${ms.toFixed(0)} ms`);
    }
  }
});
