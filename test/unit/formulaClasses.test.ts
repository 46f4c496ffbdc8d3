// A formula wears no class the page uses (security finding 6): `\htmlClass{mn-back}{\bbox[black,
// 1600px]{…}}` covered the whole preview as the way-back button. The page's classes are found in
// its sources each run (test/support/pageClasses.ts), so a page class added later is checked too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { FORMULA_CLASSES, RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote } from '../../src/core/render/renderNote';
import { pageClasses } from '../support/pageClasses';

const classesIn = (html: string) => new Set([...html.matchAll(/class="([^"]*)"/g)].flatMap((m) => m[1].split(/\s+/)));

test('the page’s classes are found in its sources (the preview’s controls, its layout, KaTeX’s own)', () => {
  const { page } = pageClasses();
  for (const c of [
    'mn-back',
    'mn-run',
    'mn-status',
    'mn-eq-card',
    'mn-copy-tex',
    'mn-display',
    'mn-note',
    'mn-block',
    'mn-cite-card',
    'mn-eqref-undefined',
    'katex',
    'katex-display',
    'katex-html',
    'katex-base',
  ])
    assert.ok(page.has(c), `${c} not found among ${page.size} page classes`);
  console.log(`      ${page.size} page classes`);
});

test('no class the page uses is allowed on a formula, and the formula namespace is the page’s for none', () => {
  const { page, from } = pageClasses();
  for (const c of FORMULA_CLASSES) {
    assert.match(c, /^mnf-[a-z-]+$/, 'formula classes live in their own namespace');
    assert.ok(!page.has(c), `${c} is also a page class (${from.get(c)})`);
  }
  // The page's scripts never look formula classes up: a formula must not be able to reach behaviour.
  for (const file of [
    'src/webview/equations.ts',
    'src/webview/preview.ts',
    'src/webview/hoverCard.ts',
    'src/webview/series.ts',
    'src/webview/snippets.ts',
    'src/webview/scrollSync.ts',
  ]) {
    assert.doesNotMatch(readFileSync(resolve(__dirname, '../../..', file), 'utf8'), /mnf-/, file);
  }
});

test('\\htmlClass, \\class and macros cannot put any page class on a formula element', () => {
  const { page } = pageClasses();
  const names = [...page].filter((c) => /^[\w-]+$/.test(c));
  const note =
    `# 类\n\n$\\newcommand{\\wear}[2]{\\htmlClass{#1}{#2}}$\n\n` +
    names.map((c) => `$\\htmlClass{${c}}{\\bbox[black,1600px]{x}}$ $\\class{${c}}{y}$ $\\wear{${c}}{z}$`).join('\n\n') +
    '\n';
  const { html } = renderNote(note, 'n.md', { cache: new RenderCache() });
  const formulas = [...html.matchAll(/<span class="katex">[\s\S]*?<\/annotation>/g)].length;
  assert.ok(formulas >= names.length, `${formulas} formulas rendered`);
  // What the formulas put on elements: every class in the HTML that the same note without them does not have.
  const baseline = classesIn(
    renderNote(`# 类\n\n$\\bbox[black,1600px]{x}$ $y$ $z$ $\\htmlClass{x}{y}$\n`, 'n.md', { cache: new RenderCache() }).html,
  );
  const worn = [...classesIn(html)].filter((c) => !baseline.has(c) && page.has(c) && !/^(?:mord|mtight|katex-error)$/.test(c));
  assert.deepEqual(worn, []);
  assert.doesNotMatch(html, /class="[^"]*\b(?:mn-back|mn-run|mn-status|mn-eq-card)\b/);
});

test('the one formula class there is still works: an undefined reference inside a formula', () => {
  const { html } = renderNote('# 引用\n\n$x+\\eqref{nada}$\n', 'n.md', { cache: new RenderCache() });
  assert.match(html, /class="enclosing mnf-eqref-undefined"/);
});
