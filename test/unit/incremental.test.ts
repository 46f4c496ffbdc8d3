// Block-level incremental rendering must be invisible: for every note, rendering in blocks gives
// the HTML of rendering the body whole, a warm re-render gives the same again, and after an edit
// the result equals a fresh render of the edited text.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { markdownEngine } from '../../src/core/markdown/engine';
import { splitBlocks } from '../../src/core/render/blocks';
import { renderNote } from '../../src/core/render/renderNote';
import type { PostMath } from '../../src/core/math/postMath';
import { sharedPath } from '../support/shared';

const SHARED = sharedPath();
const notes = [
  ...readdirSync(join(SHARED, 'seeds')).map((f) => join(SHARED, 'seeds', f)),
  ...readdirSync(join(SHARED, 'corpus/kexue-md'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(SHARED, 'corpus/kexue-md', f)),
  ...readdirSync(join(SHARED, 'corpus/pumpkin-book'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(SHARED, 'corpus/pumpkin-book', f)),
];

test('block rendering equals whole-body rendering, cold and warm, on every seed and corpus note', () => {
  const cache = new RenderCache();
  const whole = new RenderCache();
  for (const path of notes) {
    const text = readFileSync(path, 'utf8');
    const reference = renderNote(text, path, { cache: whole, incremental: false }).html;
    assert.equal(renderNote(text, path, { cache }).html, reference, path);
    assert.equal(renderNote(text, path, { cache }).html, reference, `${path} (warm)`);
  }
});

test('after edits, the incremental result equals a fresh render', () => {
  const cache = new RenderCache();
  const base = [
    '# 标题',
    '',
    '式\\eqref{eq:b}在前。',
    '',
    '\\begin{equation}a=1\\label{eq:a}\\end{equation}',
    '',
    '段落$\\newcommand{\\v}{x}\\v$。',
    '',
    '\\begin{equation}b=\\v\\label{eq:b}\\end{equation}',
    '',
    '见\\eqref{eq:a}。',
  ];
  const edits: Array<(lines: string[]) => string[]> = [
    (l) => l, // warm
    (l) => l.map((x) => x.replace('a=1', 'a=2')), // a formula changes
    (l) => [...l.slice(0, 4), '\\begin{equation}z\\end{equation}', '', ...l.slice(4)], // a new equation renumbers the rest
    (l) => l.map((x) => x.replace('\\label{eq:b}', '\\label{eq:c}')), // a label disappears: (??) above
    (l) => l.map((x) => x.replace('{\\v}{x}', '{\\v}{y}')), // a macro changes meaning below
    (l) => l.filter((x) => !x.includes('段落')), // a definition disappears
  ];
  for (const edit of edits) {
    const text = edit(base).join('\n');
    assert.equal(
      renderNote(text, 'n.md', { cache }).html,
      renderNote(text, 'n.md', { cache: new RenderCache(), incremental: false }).html,
      text,
    );
  }
});

/** What a render found of a post's math, with every line in it: what lint and the editor read (`rendered`: what rendering found too). */
function mathFound(math: PostMath[], rendered = true): unknown {
  return math.map((m) => ({
    formulas: m.formulas.map((f) => [f.line, f.at, f.source, f.anchors, f.rows]),
    labels: [...m.labels],
    duplicates: m.duplicateLabels,
    unnumbered: m.unnumberedLabels,
    unclosed: m.unclosed,
    ...(rendered ? { references: m.references, errors: m.errors.map((e) => [e.line, e.message]) } : {}),
  }));
}

test('blocks that line breaks moved are their old entries shifted: HTML, lines and math as a fresh render finds them', () => {
  const cache = new RenderCache();
  const paths = notes.filter((_, k) => k % 12 === 0);
  for (const path of paths) {
    const text = readFileSync(path, 'utf8');
    // The first screen only: most blocks are prepared, not rendered, and are moved without HTML.
    const window = { from: 0, to: 20 };
    renderNote(text, path, { cache, window });
    let edited = text;
    // Line breaks typed near the top, in the middle and near the end (each moves what follows), then one taken away.
    for (const at of [0.1, 0.5, 0.9, -0.5]) {
      const i = edited.indexOf('\n', Math.floor(edited.length * Math.abs(at)));
      if (i < 0) continue;
      edited = at > 0 ? `${edited.slice(0, i)}\n${edited.slice(i)}` : `${edited.slice(0, i)}${edited.slice(i + 1)}`;
      // (Which blocks a window renders depends on what is cached: the prepared math is compared.)
      const incremental = renderNote(edited, path, { cache, window });
      const fresh = renderNote(edited, path, { cache: new RenderCache(), window });
      assert.deepEqual(mathFound(incremental.math, false), mathFound(fresh.math, false), `${path}: math after a line break at ${at}`);
    }
    // Now whole: the moved copies' tokens are made and rendered (copies of copies, some of them).
    const whole = renderNote(edited, path, { cache });
    const wholeFresh = renderNote(edited, path, { cache: new RenderCache() });
    assert.equal(whole.html, wholeFresh.html, `${path}: whole`);
    assert.deepEqual(mathFound(whole.math), mathFound(wholeFresh.math), `${path}: math whole`);
    // And moved again, with their HTML.
    const again = `\n${edited}`;
    const incremental = renderNote(again, path, { cache });
    const fresh = renderNote(again, path, { cache: new RenderCache() });
    assert.equal(incremental.html, fresh.html, `${path}: moved with HTML`);
    assert.deepEqual(mathFound(incremental.math), mathFound(fresh.math), `${path}: math moved with HTML`);
  }
});

test('blocks are cut where the parse starts a block after a blank line, never inside fences, displays or lists', () => {
  const md = markdownEngine('markdown');
  const body = ['a', '', '```', 'x', '', 'y', '```', '', '$$', 'p', '', 'q', '$$', '', '- i', '', '- j', '', 'b'].join('\n');
  assert.deepEqual(
    splitBlocks(md, body, {}).map((b) => b.start),
    [0, 2, 8, 14, 18],
  );
  // An environment whose rows are separated by blank lines, in a paragraph and at a line's start.
  const env = [
    '设',
    '\\begin{align}',
    'a&=1\\\\',
    '',
    'b&=2',
    '\\end{align}',
    '',
    '其中\\begin{equation}x',
    '',
    '=1\\end{equation}。',
    '',
    '尾',
  ].join('\n');
  assert.deepEqual(
    splitBlocks(md, env, {}).map((b) => b.start),
    [0, 7, 11],
  );
});

test('a one-character edit renders one formula again', () => {
  const cache = new RenderCache();
  const paragraphs = Array.from({ length: 50 }, (_, k) => `段落${k}：$x_${k}$`);
  renderNote(paragraphs.join('\n\n'), 'n.md', { cache });
  const before = cache.misses;
  paragraphs[25] = '段落25：$y_{25}$';
  renderNote(paragraphs.join('\n\n'), 'n.md', { cache });
  assert.equal(cache.misses - before, 1);
});

test('blocks an edit leaves as they were keep their rendering; blocks it renumbers are rendered again', () => {
  const cache = new RenderCache();
  const equation = '$$\\begin{equation}a\\label{eq:a}\\end{equation}$$';
  const parts = Array.from({ length: 40 }, (_, k) =>
    k % 10 === 5 ? equation.replace('a', `a_${k}`).replace('eq:a', `eq:${k}`) : `段落${k}：$x_${k}$，见\\eqref{eq:35}。`,
  );
  const render = (p: string[]) => renderNote(p.join('\n\n'), 'n.md', { cache }).sections.flatMap((s) => s.ids);
  const fresh = (p: string[]) => renderNote(p.join('\n\n'), 'n.md', { cache: new RenderCache(), incremental: false }).html;
  const first = render(parts);
  // A prose edit: only its own block gets a new rendering, before and after it blocks are the same.
  parts[20] = '段落20：$y_{20}$';
  const second = render(parts);
  assert.deepEqual(second.map((id, k) => (id === first[k] ? '' : k)).filter(String), [20]);
  assert.equal(renderNote(parts.join('\n\n'), 'n.md', { cache }).html, fresh(parts));
  // An equation inserted at the top: same texts after it, but every number and every \eqref moves.
  const inserted = [equation, ...parts];
  const third = render(inserted);
  assert.equal(renderNote(inserted.join('\n\n'), 'n.md', { cache }).html, fresh(inserted));
  const kept = third.slice(1).filter((id, k) => id === second[k]);
  assert.equal(kept.length, 0, 'every block shows a moved number or reference');
});

test('block cuts agree with whole-body rendering on tricky shapes', () => {
  const cases = [
    '第一行\n\u3000\u3000\n第二行',
    '- item\n\u00a0\ncontinued',
    '````\n```\n\ntext\n````\n\nafter',
    '```js\nx\n```\n\n    ```\n\ny',
    '[link][a]\n\n> [a]: https://example.com',
    '$$x \\$$\n\ny$$\n\ntext',
    '$$\n$$t\n\n$$',
    '文字\n$$\na\n\nb\n$$\n\n后文',
    '- $$\n  a\n\n  b\n  $$\n\n尾',
    '> 引用\n\n> 第二段\n\n正文',
    '\\begin{align}\na\\\\\n\nb\n\\end{align}\n\n后文',
    '文字\\begin{equation}a\n\n=b\\end{equation}后文\n\n尾',
    '$$a\n\nb$$\nc $$ d\n\n$$e$$',
    '> \\begin{align}\n> a\\\\\n>\n> b\n> \\end{align}\n\n后',
    '\\begin{equation}x\\end{align}\n\n中间\n\n\\begin{equation}y\\end{equation}',
  ];
  for (const text of cases) {
    const whole = renderNote(text, 'n.md', { cache: new RenderCache(), incremental: false }).html;
    assert.equal(renderNote(text, 'n.md', { cache: new RenderCache() }).html, whole, JSON.stringify(text));
  }
});

test('link reference definitions are the ones the parse finds: an escaped bracket in the label, a `[x]:` line in code', () => {
  const paragraphs = Array.from({ length: 30 }, (_, i) => `第${i}段 $x_${i}$。`).join('\n\n');
  // markdown-it takes `[a\]b]: …` as a definition (a search for `[^\]]+\]:` did not): the link in
  // another block resolves only if the note is not cut.
  const escaped = `# T\n\n见 [这里][a\\]b]。\n\n${paragraphs}\n\n[a\\]b]: https://example.com/x\n`;
  const split = renderNote(escaped, 'n.md', { cache: new RenderCache() }).html;
  assert.equal(split, renderNote(escaped, 'n.md', { cache: new RenderCache(), incremental: false }).html);
  assert.match(split, /<a href="https:\/\/example\.com\/x">这里<\/a>/);
  // A `[x]:` line in a fence defines nothing: the note is still cut into blocks.
  const fenced = `# T\n\n${paragraphs}\n\n\`\`\`\n[x]: not a definition\n\`\`\`\n`;
  const md = markdownEngine('markdown');
  assert.ok(splitBlocks(md, fenced, {}).length > 10);
});
