// Hostile notes (issue #8): every case of test/fixtures/hostile/*.cases, rendered through the core
// as written and inside a list item, a blockquote, a table cell and a blog-listing export, must give
// HTML that — parsed as a browser parses it — has no executable element, no event handler, no URL
// outside the allowed schemes, no CSS outside the allowlist, no id outside our namespace or twice,
// no `name`, and no block that leaks out of its place in the preview's page. A note renders or says
// why; it never throws.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { lintNote } from '../../src/core/lint/lintNote';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote, type RenderedSection } from '../../src/core/render/renderNote';
import { findSnippets } from '../../src/core/snippets/snippets';
import { blockLeaks, htmlProblems } from '../support/htmlProblems';
import { snippetsNotAsShown } from '../support/snippetsShown';

const DIR = resolve(__dirname, '../../../test/fixtures/hostile');

interface Case {
  id: string;
  guarantee: string;
  text: string;
}

export function hostileCases(): Case[] {
  const cases: Case[] = [];
  for (const file of readdirSync(DIR)
    .filter((f) => f.endsWith('.cases'))
    .sort()) {
    const blocks = readFileSync(join(DIR, file), 'utf8').split(/^### /m).slice(1);
    for (const block of blocks) {
      const [id, guaranteeLine, ...rest] = block.split('\n');
      assert.match(guaranteeLine, /^> \S/, `${file}: case ${id} states its guarantee`);
      cases.push({
        id: id.trim(),
        guarantee: guaranteeLine.slice(2),
        text:
          rest
            .join('\n')
            .trim()
            .replace(/\\u0000/g, '\u0000') + '\n',
      });
    }
  }
  return cases;
}

/** The same text in other places a note can put it. */
const CONTEXTS: Array<{ name: string; file: string; wrap: (t: string) => string }> = [
  { name: 'as written', file: 'note.md', wrap: (t) => `# 标题\n\n${t}` },
  {
    name: 'in a list item',
    file: 'note.md',
    wrap: (t) =>
      `# 标题\n\n${t
        .split('\n')
        .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))
        .join('\n')}`,
  },
  {
    name: 'in a blockquote',
    file: 'note.md',
    wrap: (t) =>
      `# 标题\n\n${t
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n')}`,
  },
  {
    name: 'in a table cell',
    file: 'note.md',
    wrap: (t) => `# 标题\n\n| 列 |\n| --- |\n| ${t.trim().replace(/\n/g, ' ').replace(/\|/g, '\\|')} |\n`,
  },
  { name: 'in a blog listing', file: 'listing.txt', wrap: (t) => `敌意测试（一）：标题\nBy 作者 | 2024-01-01 | 3位读者 | 引用${t}\n` },
];

const cases = hostileCases();

test('the hostile corpus: at least 200 cases with their contexts, each stating its guarantee', () => {
  const ids = cases.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, 'unique ids');
  console.log(
    `      ${cases.length} hostile notes × ${CONTEXTS.length} contexts = ${cases.length * CONTEXTS.length} cases; by category: ${[...Object.entries(cases.reduce<Record<string, number>>((m, c) => ((m[c.id.split('/')[0]] = (m[c.id.split('/')[0]] ?? 0) + 1), m), {}))].map(([k, n]) => `${k} ${n}`).join(', ')}`,
  );
  assert.ok(cases.length * CONTEXTS.length >= 200);
});

test('the checker itself catches what it must (a check that cannot fail proves nothing)', () => {
  assert.deepEqual(htmlProblems('<p>ok <a href="https://x">x</a> <span style="height:1em;position:relative">y</span></p>'), []);
  assert.notDeepEqual(htmlProblems('<img name="body" src="a.png">'), []);
  const section = (blocks: string[]) => [{ open: '', close: '', ids: blocks.map(() => ''), bases: blocks.map(() => 0), blocks }];
  assert.deepEqual(blockLeaks(section(['<p>a</p>', '<div><span>b</span></div>', '<ul><li>c</li></ul>'])), []);
  for (const leaking of [
    ['<div>a', '<p>b</p>'],
    ['<p>a</p></div><p>x</p>', '<p>b</p>'],
    ['<ul><li><div>a<li>b</li></div></li></ul><p>x</p>', '<p>c</p>'],
    ['<p><b>a</p>', '<p>b</p>'],
  ]) {
    assert.notDeepEqual(blockLeaks(section(leaking)), [], leaking.join(' | '));
  }
  for (const bad of [
    '<script>x</script>',
    '<img src=x onerror=y>',
    '<a href="javascript:x">x</a>',
    '<a href=" java\tscript:x">x</a>',
    '<span style="position:fixed">x</span>',
    '<span style="background:url(x)">x</span>',
    '<div id="mn-root"></div>',
    '<i id="mn-p0-a"></i><b id="mn-p0-a"></b>',
    '<svg><foreignObject></foreignObject></svg>',
    '<img src="data:image/svg+xml,x">',
    '<style>x</style>',
    '<span class="katex"><span class="enclosing mn-back">x</span></span>',
    '<span class="katex"><span class="mn-eq-card">x</span></span>',
    '<span class="katex"><span class="mspace" style="margin-right:-1000em;"></span></span>',
  ])
    assert.notDeepEqual(htmlProblems(bad), [], bad);
  // KaTeX's own classes and small negative kerns (\!) are what formulas are made of.
  assert.deepEqual(
    htmlProblems('<span class="katex"><span class="katex-html"><span class="mspace" style="margin-right:-0.1667em;"></span></span></span>'),
    [],
  );
});

for (const context of CONTEXTS) {
  test(`hostile notes ${context.name}: no script, handler, foreign URL scheme, stray CSS, id or name, no leaking block; the guarantee holds`, () => {
    const cache = new RenderCache();
    const failures: string[] = [];
    for (const c of cases) {
      let html: string;
      let sections: RenderedSection[];
      const text = context.wrap(c.text);
      try {
        ({ html, sections } = renderNote(text, context.file, { cache }));
      } catch (err) {
        failures.push(`${c.id}: render threw ${(err as Error).message}`);
        continue;
      }
      const problems = [...htmlProblems(html), ...blockLeaks(sections)];
      if (problems.length) failures.push(`${c.id} (${c.guarantee}): ${problems.join('; ')}`);
      try {
        lintNote(text, context.file, { cache });
      } catch (err) {
        failures.push(`${c.id}: lint threw ${(err as Error).message}`);
      }
    }
    assert.deepEqual(failures, []);
  });
}

test('hostile snippet attributes: shell metacharacters stay text, files that climb out are flagged as such', () => {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const [shell] = findSnippets(byId.get('snippets/info-shell')!.text, 'n.md');
  assert.equal(shell.attributes.file, '$(touch');
  const [climb] = findSnippets(byId.get('snippets/file-climb')!.text, 'n.md');
  assert.equal(climb.attributes.file, '../../../../etc/passwd'); // the runner refuses it (test/integration/snippets.test.ts)
});

test('in every hostile note and context, a snippet runs exactly the code the page shows', () => {
  for (const c of cases) {
    for (const ctx of CONTEXTS) {
      const text = ctx.wrap(c.text);
      assert.deepEqual(snippetsNotAsShown(text, ctx.file), [], `${c.id} ${ctx.name}`);
    }
  }
  const [hidden, ...more] = findSnippets(cases.find((c) => c.id === 'snippets/list-closing-fence')!.text, 'n.md');
  assert.equal(hidden.code, '>>> 1 + 1\n2');
  assert.equal(more.length, 0);
});

test('deeply nested front matter is refused with a notice on the post', () => {
  for (const id of ['front-matter/deep-flow', 'front-matter/deep-dashes']) {
    const r = renderNote(cases.find((c) => c.id === id)!.text, 'n.md', { cache: new RenderCache() });
    assert.match(r.html, /mn-warning[^>]*>Front matter is nested too deeply/, id);
    assert.equal(r.math[0].formulas.length, 1, `${id}: the body renders`);
  }
});

test('a YAML alias bomb in front matter is refused quickly with a message', () => {
  const bomb = cases.find((c) => c.id === 'front-matter/billion-laughs')!;
  const t0 = Date.now();
  const r = renderNote(bomb.text, 'n.md', { cache: new RenderCache() });
  assert.ok(Date.now() - t0 < 1000, `${Date.now() - t0} ms`);
  assert.match(r.html, /mn-warning/);
});
