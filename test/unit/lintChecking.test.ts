// Lint renders with a checking memo (formulas parsed and built by KaTeX, no HTML written): it must
// find exactly what the page's render finds — the same formulas, numbers, labels and errors — on
// every real note and on broken TeX, while holding none of the page's markup.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { listNotes } from '../../src/cli/noteInputs';
import { RenderCache, renderKatex } from '../../src/core/math/katexRenderer';
import type { PostMath } from '../../src/core/math/postMath';
import { LruMap } from '../../src/core/memo/lruMap';
import { renderNote } from '../../src/core/render/renderNote';
import { lintCounters, lintNote } from '../../src/core/lint/lintNote';
import { readNoteFile } from '../../src/node/readNoteFile';
import { sharedPath } from '../support/shared';

/** What a render found of a post's math: what lint reads. */
function found(math: PostMath[]): unknown {
  return math.map((m) => ({
    formulas: m.formulas.map((f) => [f.line, f.at, f.source, f.anchors, f.rows, f.labels, f.macrosKey]),
    labels: [...m.labels],
    duplicates: m.duplicateLabels,
    unnumbered: m.unnumberedLabels,
    unclosed: m.unclosed,
    references: m.references,
    errors: m.errors.map((e) => [e.line, e.source, e.message, e.start, e.end]),
  }));
}

test("a checking render finds what the page's render finds, on every seed and corpus note", () => {
  const notes = [
    ...listNotes(sharedPath('seeds')),
    ...['kexue-md', 'pumpkin-book', 'notes-zh'].flatMap((dir) => listNotes(resolve(sharedPath('corpus'), dir))),
  ];
  assert.ok(notes.length > 400, `${notes.length} notes`);
  const page = new RenderCache();
  const checking = page.checking;
  assert.equal(checking.markup, false);
  assert.equal(checking.checking, checking);
  let formulas = 0;
  for (const path of notes) {
    const text = readNoteFile(path).text;
    const shown = renderNote(text, path, { cache: page });
    const checked = renderNote(text, path, { cache: checking });
    assert.deepEqual(found(checked.math), found(shown.math), path);
    formulas += shown.math.reduce((n, m) => n + m.formulas.length, 0);
    // No formula's markup: KaTeX's spans are what a page of this size would hold.
    if (shown.html.includes('class="katex"')) assert.ok(!checked.html.includes('class="katex"'), path);
  }
  console.log(`      ${notes.length} notes, ${formulas} formulas, the same findings`);
});

test('a checking render gives the errors, positions and undefined commands rendering gives', () => {
  const broken = [
    'x^{',
    '\\frac{a}',
    '\\kern1zz',
    '\\rule{1em}{1zz}',
    '\\char"110000',
    '\\verb|x',
    '\\sqrt[3]{x}^{^}',
    '\\begin{array}{cc}a&b&c\\end{array}',
    '\\begin{align}a\\end{aligned}',
    '\\foo + \\bar{x} + \\baz',
    '\\left( x',
    '\\def\\a{\\a}\\a',
    '\\text{$\\alpha$ \\beta}',
    '\\ce{H2O}',
    'a\\\\b',
    '\\htmlData{a b=1}{x}',
  ];
  for (const tex of broken) {
    for (const display of [false, true]) {
      const shown = renderKatex(tex, display, {});
      const checked = renderKatex(tex, display, {}, 'en', undefined, false);
      assert.deepEqual(checked.error, shown.error, tex);
      assert.equal(checked.limit, shown.limit, tex);
      if (!shown.error || shown.error.undefinedCommands) assert.equal(checked.html, '', tex);
    }
  }
});

test('the formula memo stays linear when a few formulas are hit over and over', () => {
  // The pattern of a long note ($x_i$ in every paragraph beside a new equation): V8's Map keeps a
  // deleted entry in its bucket until the table is rebuilt, so moving a hit to the end by delete
  // and set made each lookup of the hit key walk its dead copies: 90 000 rounds took ~10 s.
  const memo = new LruMap<string, number>();
  const t0 = performance.now();
  for (let i = 0; i < 90_000; i++) {
    memo.get('I\u0000x_i') ?? memo.set('I\u0000x_i', 0);
    memo.set(`D\u0000L = \\sum_i \\log p(x_i)\\tag{${i}}`, i);
  }
  const ms = performance.now() - t0;
  console.log(`      90 000 rounds: ${ms.toFixed(0)} ms (bound 1 000 ms)`);
  assert.ok(ms < 1000, `${ms} ms`);
});

test('the memo drops the least recently used first, in batches', () => {
  const memo = new LruMap<string, number>();
  for (let i = 0; i < 10; i++) memo.set(`k${i}`, i);
  memo.get('k0');
  memo.set('k1', 11); // a replaced value is a use too
  const dropped: string[] = [];
  memo.dropOldest(
    () => memo.size > 5,
    (k) => dropped.push(k),
  );
  assert.deepEqual(dropped, ['k2', 'k3', 'k4', 'k5', 'k6']);
  assert.equal(memo.get('k0'), 0);
  assert.equal(memo.get('k1'), 11);
  assert.equal(memo.get('k2'), undefined);
  memo.dropOldest(() => false);
  assert.equal(memo.size, 5);
});

test('a checking render keeps no block HTML and highlights no code', () => {
  const text = '# 题\n\n段落$x$。\n\n```python\nx = 1\n```\n\n\\begin{equation}a\\label{eq:a}\\end{equation}\n';
  const page = new RenderCache();
  const shown = renderNote(text, 'n.md', { cache: page });
  assert.match(shown.html, /<p[ >]/);
  assert.match(shown.html, /hljs/);
  const checked = renderNote(text, 'n.md', { cache: page.checking });
  assert.doesNotMatch(checked.html, /<p[ >]|hljs|katex/);
  assert.deepEqual(found(checked.math), found(shown.math));
  // Warm: the same again, from its own cached blocks.
  assert.deepEqual(found(renderNote(text, 'n.md', { cache: page.checking }).math), found(shown.math));
});

test('a note of more formulas than the findings memo holds is checked again only where it changed', () => {
  // The memo evicted as it went: past 20 000 formulas, every keystroke checked every formula again.
  const paragraphs = Array.from({ length: 21_000 }, (_, i) => `式$x_{${i}}$。`);
  const text = '# 多\n\n' + paragraphs.join('\n\n') + '\n';
  const cache = new RenderCache();
  lintNote(text, 'many.md', { cache });
  const before = lintCounters.formulasChecked;
  lintNote(text.replace('$x_{7}$', '$x_{7}+1$'), 'many.md', { cache });
  assert.equal(lintCounters.formulasChecked - before, 1);
});
