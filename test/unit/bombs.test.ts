// Resource bombs (issue #8): each finishes within its stated bound and says where it gave up.
// Bounds are generous (a shared 2-core machine); what they guard against is minutes, not
// milliseconds: macro loops, huge sizes, deep nesting, long inputs, and long runs of one character
// for every regular expression of the parser, renderer and linter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintNote } from '../../src/core/lint/lintNote';
import { LruMap } from '../../src/core/memo/lruMap';
import { EXPANSION_METERED, KATEX_LIMITS, RenderCache } from '../../src/core/math/katexRenderer';
import { shiftBoundEdits } from '../../src/core/math/lengthBounds';
import { parseMacroFile } from '../../src/core/math/macroFile';
import { parseNote } from '../../src/core/note/parseNote';
import { firstScreen } from '../../src/core/render/firstScreen';
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
    assert.match(message ?? '', /Too many expansions|recursive|macros expand to more than/i, `${tex}: ${message}`);
  }
});

test('huge sizes are clamped: \\rule{1e6em}{1e6em} draws at most 50em', () => {
  const { html } = within(2000, '\\rule{1e6em}{1e6em}', () => render('# 炸弹\n\n$$\\rule{1e6em}{1e6em}$$\n'));
  const sizes = [...html.matchAll(/(\d+(?:\.\d+)?)em/g)].map((m) => Number(m[1]));
  assert.ok(Math.max(...sizes) <= 60, `largest size ${Math.max(...sizes)}em`);
});

test('kerns and shifts, written out or in a macro (note, settings), are bounded to ±10em; ordinary ones are left alone', () => {
  // (A review found `999.em`, doubled braces and a `%` comment inside a length getting past the clamp.)
  const hostile = [
    '\\kern-99999em',
    '\\mkern-999999mu',
    '\\hspace{-5000cm}',
    '\\mskip-99999mu',
    '\\hskip-999in',
    '\\kern 99999pt',
    '\\k',
    '\\s',
    '\\kern-999.em',
    '\\kern{{-999em}}',
    '\\kern-%\n999em',
  ];
  const { html } = render(
    `# 距离\n\n$\\def\\k{\\kern-9999em}$\n\n${hostile.map((k) => `$a${k}b$`).join(' ')}\n\n$$\\begin{array}{c}a\\\\[-9999em]b\\end{array}\\raisebox{-9999em}{c}\\rule[-9999em]{1em}{1em}$$\n`,
  );
  const withSettings = renderNote(`# 距离\n\n$a\\s b$\n`, 'n.md', { cache: new RenderCache(), macros: { '\\s': '\\kern-9999em' } }).html;
  for (const out of [html, withSettings]) {
    const margins = [...out.matchAll(/margin-(?:left|right|top|bottom):(-?\d*\.?\d+)em/g)].map((m) => Math.abs(Number(m[1])));
    assert.ok(Math.max(...margins) <= 10.01, `largest margin ${Math.max(...margins)}em`);
    const tops = [...out.matchAll(/top:(-?\d*\.?\d+)em/g)].map((m) => Math.abs(Number(m[1])));
    assert.ok(Math.max(...tops) <= 25, `largest vertical offset ${Math.max(...tops)}em`);
  }
  // The pattern stays linear on long runs of what may stand between its parts.
  for (const gap of [' ', '{', ' %\n']) {
    const t0 = performance.now();
    shiftBoundEdits(`\\kern${gap.repeat(40000)}x \\\\[${gap.repeat(40000)}`);
    assert.ok(performance.now() - t0 < 500, `${JSON.stringify(gap)}: ${(performance.now() - t0).toFixed(0)} ms`);
  }
  const ordinary = render('# 距离\n\n$a\\!b\\kern-1em c\\mkern-18mu d\\hspace{2cm}e\\raisebox{0.5ex}{f}$\n').html;
  for (const m of ['margin-right:-0.1667em', 'margin-right:-1em', 'margin-right:5.6906em']) assert.ok(ordinary.includes(m), m);
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

test('a 10 MB note is read, indexed, shown and linted within bounds; 1 MB of dense math renders within bounds; 100 000 lines of dollars too', () => {
  const paragraph =
    '设$x_i$为第$i$个样本，则\n\\begin{equation}L = \\sum_i \\log p(x_i)\\label{eq:l}\\end{equation}\n见\\eqref{eq:l}。《某系列（三）：标题》\n\n';
  const big = '# 大笔记\n\n' + paragraph.repeat(Math.ceil(10_000_000 / paragraph.length));
  const note = within(10_000, 'parse a 10 MB note', () => parseNote(big, 'big.md'));
  within(20_000, 'summarise a 10 MB note for the series index', () => summarizeNote('big.md', big, note));
  // The editor renders and lints at most mathNotes.preview.maxNoteSizeMB (10 million characters by
  // default) of a note; its preview renders only the stretch being read of one this long. Lint
  // keeps its whole math state: under the render worker's 2 GB of heap (SECURITY.md: ~1.6 GB).
  within(60_000, 'first screen of 10 MB of dense math (90 000 equations)', () =>
    renderNote(big, 'big.md', { window: firstScreen(big, 20_000) }),
  );
  const diagnostics = within(90_000, 'lint 10 MB of dense math', () => lintNote(big, 'big.md'));
  assert.ok(diagnostics.length > 90_000, `${diagnostics.length} findings (a duplicate label each)`);
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
  const runs = [
    ' ',
    '\t',
    '\\',
    '$',
    '{',
    '}',
    '[',
    '(',
    ')',
    '`',
    '*',
    '_',
    '#',
    '>',
    '-',
    '|',
    '~',
    '%',
    '&',
    '^',
    '《',
    '》',
    '（',
    '）',
    '：',
    '，',
    '　',
    'a',
    '1',
    '.',
    '\n',
    '\r',
    '!',
    '<',
    '=',
    '"',
    "'",
    '\u0000',
  ];
  for (const c of runs) {
    for (const [name, text] of [
      [`${JSON.stringify(c)}×${N}`, c.repeat(N)],
      [`${JSON.stringify(c)}×${N} then x`, c.repeat(N) + 'x!'],
      [`x then ${JSON.stringify(c)}×${N}`, `# 标题\n\n$x` + c.repeat(N)],
    ] as const) {
      const t0 = performance.now();
      for (const file of ['n.md', 'n.txt']) {
        const note = parseNote(text, file);
        renderNote(text, file, { cache: new RenderCache() });
        lintNote(text, file);
        summarizeNote(file, text, note);
      }
      scanCitations(text);
      findCitations(
        text,
        text.split('\n').map((_, i) => i),
      );
      findSnippets(text, 'n.md');
      parseSeriesTitle(text.slice(0, 2000) + text.slice(-2000));
      compareOutput(text, text + 'y');
      const ms = performance.now() - t0;
      assert.ok(ms < 5_000, `${name}: ${ms.toFixed(0)} ms`);
    }
  }
});

// Macro amplification (security finding 5): KaTeX's maxExpand counts expansions, not their size,
// so a note could make one formula or one post expand to millions of tokens. Each variant below
// must stop with our message, early, with little HTML, and leave ordinary formulas of the note alone.
const BIG_BODY = Array.from({ length: 250 }, (_, i) => `x_{${i}}`).join('+'); // ~1 750 tokens
const EXPANSION_LIMIT = /macros expand to more than 10000 tokens/;
const BUDGET_LIMIT = /macros of this note have expanded too far in all/;

function amplified(what: string, text: string, options: { macros?: Record<string, string>; boundMs?: number; cache?: RenderCache } = {}) {
  const out = within(options.boundMs ?? 3000, what, () =>
    renderNote(text, 'bomb.md', { cache: options.cache ?? new RenderCache(), macros: options.macros }),
  );
  console.log(`        ${(out.html.length / 1e6).toFixed(2)} MB of HTML`);
  return { ...out, titles: errorTitles(out.html) };
}

test('one big macro used many times in one formula stops at the formula’s expansion bound, before KaTeX builds it', () => {
  const { html, titles } = amplified(
    '1 750-token macro × 300 in one formula',
    `# 炸弹\n\n$$\\def\\big{${BIG_BODY}}${'\\big'.repeat(300)}$$\n\n正常：$a+b$\n`,
  );
  assert.equal(titles.length, 1);
  assert.match(titles[0], EXPANSION_LIMIT);
  assert.ok(html.length < 50_000, `${html.length} characters of HTML`);
  assert.match(html, /<span class="katex">/, 'the ordinary formula after it still renders');
});

test('every way a note can define a macro is bounded: nested, argument-doubling, settings, macro file, \\newcommand and \\renewcommand inside the formula, KaTeX-level \\def/\\edef/\\let, \\require', () => {
  const nested = Array.from(
    { length: 24 },
    (_, i) => `\\def\\m${String.fromCharCode(97 + i + 1)}{\\m${String.fromCharCode(97 + i)}\\m${String.fromCharCode(97 + i)}}`,
  ).join('');
  const macroFile = parseMacroFile(`\\newcommand{\\big}{${BIG_BODY}}\n`, 'macros.tex').macros;
  const variants: Array<[string, string, Record<string, string>?]> = [
    ['nested doubling macros (\\def\\b{\\a\\a}…)', `$$\\def\\ma{${'x+'.repeat(200)}}${nested}\\my$$`],
    ['an argument used eight times, nested', `$$\\def\\d#1{#1#1#1#1#1#1#1#1}\\d{\\d{\\d{\\d{${'x+'.repeat(150)}}}}}$$`],
    ['a macro from mathNotes.macros', `$$${'\\big'.repeat(300)}$$`, { '\\big': BIG_BODY }],
    ['a macro from the macro file', `$$${'\\big'.repeat(300)}$$`, macroFile],
    ['\\newcommand inside the formula', `$$\\newcommand{\\big}{${BIG_BODY}}${'\\big'.repeat(300)}$$`],
    ['\\renewcommand of a small macro', `$\\newcommand{\\big}{x}\\big$\n\n$$\\renewcommand{\\big}{${BIG_BODY}}${'\\big'.repeat(300)}$$`],
    ['a delimited \\def (left to KaTeX)', `$$\\def\\big.{${BIG_BODY}}${'\\big.'.repeat(300)}$$`],
    ['\\edef and \\let (left to KaTeX)', `$$\\edef\\big{${BIG_BODY}}\\let\\bag\\big${'\\big\\bag'.repeat(150)}$$`],
    ['MathJax \\require around the uses', `$$\\require{ams}\\def\\big{${BIG_BODY}}${'\\big'.repeat(300)}$$`],
    ['array rows from a macro', `$$\\def\\row{${'a&b&c&d\\\\'.repeat(60)}}\\begin{array}{cccc}${'\\row'.repeat(300)}\\end{array}$$`],
    [
      'an \\underbrace tower from a macro',
      `$$\\def\\u#1{\\underbrace{\\underbrace{#1}_{a}}_{b}}\\def\\w{${'\\u{'.repeat(40)}x${'}'.repeat(40)}}${'\\w'.repeat(300)}$$`,
    ],
    ['KaTeX’s own \\tag text redefined to fan out', `$$\\let\\df@tag\\relax\\edef\\df@tag{${'\\noexpand\\df@tag'.repeat(12)}}\\df@tag$$`],
  ];
  for (const [what, formula, macros] of variants) {
    const { html, titles } = amplified(what, `# 炸弹\n\n${formula}\n`, { macros });
    const last = titles.at(-1) ?? '';
    assert.match(last, /macros expand to more than|Too many expansions|too deeply nested/i, `${what}: ${last}`);
    assert.ok(html.length < 200_000, `${what}: ${html.length} characters of HTML`);
  }
});

test('many formulas, each under the formula’s bound, stop at the post’s budget; formulas without the note’s macros still render', () => {
  // 1 750 tokens per formula, 200 formulas, each different so that the memo cannot help: 350 000 tokens.
  const uses = Array.from({ length: 200 }, (_, i) => `$$\\big + ${i}$$\n\n正常：$a_{${i}}$\n`).join('\n');
  const { html, titles, posts } = amplified('200 formulas of 1 750 macro tokens each', `# 炸弹\n\n$\\def\\big{${BIG_BODY}}$\n\n${uses}`, {
    boundMs: 8000,
  });
  const refused = titles.filter((t) => BUDGET_LIMIT.test(t)).length;
  assert.ok(refused >= 150, `${refused} formulas refused for the post's budget`);
  assert.ok(
    titles.every((t) => BUDGET_LIMIT.test(t)),
    titles.find((t) => !BUDGET_LIMIT.test(t)),
  );
  assert.equal(
    [...html.matchAll(/<span class="katex">/g)].length,
    1 + 200 + (200 - refused),
    'the definition, the 200 ordinary inline formulas and the displays under the budget render',
  );
  assert.ok(html.length < 25_000_000, `${html.length} characters of HTML`);
  assert.equal(posts[0].errors.length, refused);
  // The same formula over and over comes from the memo, yet still spends the budget (its HTML still goes to the page).
  const same = amplified('the same formula 300 times', `# 炸弹\n\n$\\def\\big{${BIG_BODY}}$\n\n${'$\\big$\n\n'.repeat(300)}`, {
    boundMs: 8000,
  });
  assert.ok(same.titles.length >= 250 && same.titles.every((t) => BUDGET_LIMIT.test(t)), `${same.titles.length} refused`);
  assert.ok(same.html.length < 25_000_000, `${same.html.length} characters of HTML`);
  // KaTeX's own bookkeeping names (\cr, \df@tag), redefined inside each formula to fan out, are charged too.
  const bookkeeping = amplified(
    '\\cr redefined in 40 formulas',
    `# 炸弹\n\n${`$$\\def\\cr.{${'\\cr.'.repeat(12)}}\\cr.$$\n\n`.repeat(40)}`,
    { boundMs: 8000 },
  );
  assert.ok(bookkeeping.titles.filter((t) => BUDGET_LIMIT.test(t)).length >= 34, bookkeeping.titles.join('\n'));
  // \df@tag with a parameter, doubling its argument 8 deep in 200 formulas: only the one expansion a
  // \tag makes is KaTeX's (a review found the rest passing as bookkeeping, 13.7 s and 94 MB of HTML).
  const tagged = amplified(
    '\\df@tag doubling its argument in 200 formulas',
    `# 炸弹\n\n${Array.from({ length: 200 }, (_, i) => `$$\\def\\df@tag#1{#1#1}${'\\df@tag{'.repeat(8)}\\sqrt{x}_{${i}}${'}'.repeat(8)}$$\n`).join('\n')}`,
    { boundMs: 8000 },
  );
  assert.ok(tagged.titles.filter((t) => BUDGET_LIMIT.test(t)).length >= 150, `${tagged.titles.length} refused`);
  assert.ok(tagged.html.length < 25_000_000, `${tagged.html.length} characters of HTML`);
  // KaTeX's own tags still cost nothing: 1 500 numbered equations in one post all render.
  const numbered = renderNote(
    `# 编号\n\n${Array.from({ length: 1500 }, (_, i) => `\\begin{equation}x_{${i}}\\tag{${i}}\\end{equation}\n`).join('\n')}`,
    'n.md',
    { cache: new RenderCache() },
  );
  assert.equal(numbered.posts[0].errors.length, 0, numbered.posts[0].errors[0]?.message);
});

test('a blog listing of many posts stops at the note’s budget (a settings macro reaches every post)', () => {
  const post = (i: number) => `炸弹（${i + 1}）：标题\nBy 作者 | 2024-01-01 | 3位读者 | 引用\n${'$\\big$ '.repeat(20)} $\\big+${i}$\n`;
  const { titles } = amplified(
    '60 posts × 20 formulas of a 1 750-token settings macro',
    Array.from({ length: 60 }, (_, i) => post(i)).join('\n'),
    { macros: { '\\big': BIG_BODY }, boundMs: 8000 },
  );
  const refused = titles.filter((t) => BUDGET_LIMIT.test(t)).length;
  assert.ok(refused >= 60 * 21 - 100_000 / 1750 - 2, `${refused} refused`);
});

test('the budget is the same whether a block comes from the cache or is rendered anew, and said in the reader’s language', () => {
  const head = `# 炸弹\n\n$\\def\\big{${BIG_BODY}}$\n\n`;
  const body = Array.from({ length: 40 }, (_, i) => `$$\\big+${i}$$\n`).join('\n');
  const cache = new RenderCache(4 * 1024 * 1024, 'zh-cn');
  const first = renderNote(head + body, 'bomb.md', { cache });
  // Fewer uses before: later blocks, cached as refused, must now render; then back again.
  const fewer = head + body.split('\n\n').slice(10).join('\n\n');
  assert.equal(
    renderNote(fewer, 'bomb.md', { cache }).html,
    renderNote(fewer, 'bomb.md', { cache: new RenderCache(4 * 1024 * 1024, 'zh-cn') }).html,
  );
  assert.equal(renderNote(head + body, 'bomb.md', { cache }).html, first.html);
  const titles = errorTitles(first.html);
  assert.ok(titles.length > 0);
  for (const t of titles) assert.match(t, /未渲染：本笔记的宏展开总量已超出上限/);
  const one = renderNote(`# 炸弹\n\n$$\\def\\big{${BIG_BODY}}${'\\big'.repeat(10)}$$\n`, 'bomb.md', { cache });
  assert.match(errorTitles(one.html)[0], /未渲染：其中的宏展开后超过 10000 个记号/);
});

test('KaTeX’s own maxExpand is set, and our expansion meter is in place', () => {
  assert.equal(KATEX_LIMITS.maxExpand, 1000);
  assert.equal(EXPANSION_METERED, true, 'KaTeX’s expander was not found: the bound on expanded size is off');
});

test('a blog listing whose lines open displays nothing closes is read in linear time', () => {
  // Each line leaves a display open; the listing reader asks the math finder for each one's closer
  // in the lines below: its scan budget keeps 100 000 such lines from costing 1 000 lines each.
  const lines = ['By x | 2020-01-01 | 1位读者 | 引用第一段。'];
  for (let i = 0; i < 100_000; i++) lines.push(i % 2 ? '由此\\begin{align} a' : '$$ b');
  const text = lines.join('\n');
  const note = within(10_000, 'read a listing of 100 000 unclosed display openers', () => parseNote(text, 'l.txt'));
  assert.ok(note.posts[0].body.split('\n\n').length > 50_000, 'each line its own paragraph');
});

test('the formula memo stays within its bound and keeps what was used last', () => {
  const cache = new RenderCache(20_000);
  const macros = () => ({});
  for (let i = 0; i < 400; i++) {
    cache.render(`x_{${i}}`, false, 'k', macros);
    cache.render('y', false, 'k', macros); // used after every other formula: never the least recent
  }
  const held = (cache as unknown as { entries: LruMap<string, { html: string }> }).entries;
  // Each entry counts its characters and 64 for itself (a checking memo's entries have no HTML).
  const size = [...held].reduce((n, [key, r]) => n + key.length + r.html.length + 64, 0);
  assert.ok(size <= 20_000, `${size} characters held`);
  assert.ok(held.size > 10, `${held.size} entries held`);
  const misses = cache.misses;
  cache.render('y', false, 'k', macros);
  cache.render('x_{399}', false, 'k', macros);
  assert.equal(cache.misses, misses, 'the most recent formulas are still held');
  cache.render('x_{0}', false, 'k', macros);
  assert.equal(cache.misses, misses + 1, 'the oldest was dropped');
});
