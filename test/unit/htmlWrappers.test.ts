// HTML elements that wrap Markdown (rawHtml.ts, `wrapperGroups`): an HTML block that leaves a
// `<details>`, `<div>` or `<center>` open holds the Markdown after it up to the HTML block that
// closes it, as a browser nests the page's HTML, in the preview (block by block), export and CLI alike.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_WRAP_LINES, tagBalance } from '../../src/core/markdown/rawHtml';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { createRenderHandler, type RenderResponse } from '../../src/core/preview/renderRequests';
import { renderNote } from '../../src/core/render/renderNote';
import { blockLeaks, htmlProblems } from '../support/htmlProblems';
import { render, visibleText } from '../support/render';
import { sharedPath } from '../support/shared';

const CORPUS = sharedPath('corpus');

/** The body's blocks as the preview gets them, formulas shown as their TeX. */
function blocksOf(md: string): string[] {
  return render(`# T\n\n${md}\n`).sections[0].blocks.slice(1).map(formulasAsTex);
}
const formulasAsTex = (html: string) =>
  html.replace(
    /<span class="katex">[\s\S]*?<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>[\s\S]*?<\/span><\/span><\/span>(?:<\/span>)*/g,
    '{$1}',
  );

/** Rendering whole (as before cutting) gives the page the blocks give. */
function assertBlocksEqualWhole(note: string, cache = new RenderCache()): string {
  const blocks = renderNote(note, 'n.md', { cache }).html;
  assert.equal(blocks, renderNote(note, 'n.md', { cache: new RenderCache(), incremental: false }).html, note.slice(0, 200));
  return blocks;
}

test('a <details> wraps the Markdown between it and its closer, math and all, in one block', () => {
  const note = '<details><summary>证明</summary>\n\n由 $x^2$ 得\n\n$$y=1$$\n\n</details>\n\n后文';
  const blocks = blocksOf(note);
  assert.equal(blocks.length, 2);
  assert.match(
    blocks[0],
    /^<details><summary>证明<\/summary>\n<p data-line="4">由 \{x\^2\} 得<\/p>\n<div class="mn-display" data-line="6" data-line-end="6" data-tex="y=1">/,
  );
  assert.match(blocks[0], /<\/div>\n<\/details>\n$/);
  assert.equal(blocks[1], '<p data-line="10">后文</p>\n');
  // The kexue-md shape: <details>, <summary>, <div markdown="1">, closed by </div> and </details>.
  const shape = '<details>\n<summary>点击展开：前$r$个</summary>\n<div markdown="1">\n\n内容 $a$\n\n- 项 $b$\n\n</div>\n</details>\n\n后';
  assert.deepEqual(blocksOf(shape), [
    '<details>\n<summary>点击展开：前{r}个</summary>\n<div>\n<p data-line="6">内容 {a}</p>\n<ul data-line="8">\n<li data-line="8">项 {b}</li>\n</ul>\n</div>\n</details>\n',
    '<p data-line="13">后</p>\n',
  ]);
  // <div> and <center> alike; the page is balanced and nothing leaks out of its block.
  for (const md of [
    '<div align="center">\n\n**粗** $c$\n\n</div>',
    '<center>\n\n$$d$$\n\n</center>',
    '<blockquote>\n\n引 $e$\n\n</blockquote>',
  ]) {
    const out = render(`# T\n\n${md}\n\n尾\n`);
    assert.equal(out.sections[0].blocks.length, 3, md);
    assert.match(
      formulasAsTex(out.sections[0].blocks[1]),
      /^<(div|center|blockquote)[^>]*>\n<(p|div) [\s\S]*\{[cde]\}[\s\S]*<\/\1>\n$/,
      md,
    );
    assert.deepEqual([...htmlProblems(out.html), ...blockLeaks(out.sections)], [], md);
    assertBlocksEqualWhole(`# T\n\n${md}\n\n尾\n`);
  }
});

test('nested wrappers, a wrapper never closed, a closer without opener', () => {
  // Nested, each closer in an HTML block of its own.
  assert.deepEqual(blocksOf('<details>\n\n<div>\n\n甲 $a$\n\n</div>\n\n乙\n\n</details>\n\n丙'), [
    '<details>\n<div>\n<p data-line="6">甲 {a}</p>\n</div>\n<p data-line="10">乙</p>\n</details>\n',
    '<p data-line="14">丙</p>\n',
  ]);
  // Never closed: the opener closes its element at its own end, and the rest is cut as before.
  assert.deepEqual(blocksOf('<details><summary>s</summary>\n\n甲\n\n乙'), [
    '<details><summary>s</summary>\n</details>',
    '<p data-line="4">甲</p>\n',
    '<p data-line="6">乙</p>\n',
  ]);
  // A closer without opener closes nothing of the page.
  assert.deepEqual(blocksOf('</details>\n\n甲\n\n</div>'), ['\n', '<p data-line="4">甲</p>\n', '\n']);
  // An outer closer closes what is open inside it.
  assert.deepEqual(blocksOf('<details>\n\n<div>\n\n甲\n\n</details>\n\n乙'), [
    '<details>\n<div>\n<p data-line="6">甲</p>\n</div></details>\n',
    '<p data-line="10">乙</p>\n',
  ]);
  // What a wrapper's opener leaves open besides wrappers closes at its end (a <span> holds no paragraph).
  assert.deepEqual(blocksOf('<div><span style="color:red">红\n\n甲\n\n</div>'), [
    '<div><span style="color:red">红\n</span><p data-line="4">甲</p>\n</div>\n',
  ]);
  // Inside a list item: the wrapper is the item's.
  assert.deepEqual(blocksOf('- <details>\n\n  甲 $a$\n\n  </details>\n\n乙'), [
    '<ul data-line="2">\n<li data-line="2">\n<details>\n<p data-line="4">甲 {a}</p>\n</details>\n</li>\n</ul>\n',
    '<p data-line="8">乙</p>\n',
  ]);
});

test(`a closer more than ${MAX_WRAP_LINES} lines below its opener wraps nothing: the note stays cut`, () => {
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `第${i}段 $x_{${i}}$`).join('\n\n');
  const near = `# T\n\n<details>\n\n${filler(MAX_WRAP_LINES / 2 - 2)}\n\n</details>\n`;
  const far = `# T\n\n<details>\n\n${filler(MAX_WRAP_LINES / 2 + 1)}\n\n</details>\n`;
  assert.equal(render(near).sections[0].blocks.length, 2);
  const farBlocks = render(far).sections[0].blocks;
  assert.equal(farBlocks.length, MAX_WRAP_LINES / 2 + 4);
  assert.equal(farBlocks[1], '<details>\n</details>');
  assertBlocksEqualWhole(near);
  assertBlocksEqualWhole(far);
});

test('hostile shapes stay safe, balanced and linear: 10 000 nested, unclosed, unbalanced, seams in the text', () => {
  const N = 10_000;
  const notes: Record<string, string> = {
    'nested across blank lines': '<div>\n\n'.repeat(N) + 'x\n\n' + '</div>\n\n'.repeat(N),
    'unclosed openers': '<details>\n\n段 $a$\n\n'.repeat(N),
    'closers without openers': '</details>\n\n段\n\n'.repeat(N),
    'opened and closed out of turn': '<div>\n\n<details>\n\n段\n\n</div>\n\n'.repeat(N / 4),
    'chained reopeners': '<details>\n\n' + '段\n\n</details><details>\n\n'.repeat(N / 2) + '</details>',
    'a seam character and a seam in a comment or attribute':
      '<div title="\uFDD0">\n\n甲\uFDD0\n\n</div>\n\n<div><!--\n\n-->\n\n乙\n\n</div>\n\n<div title="a\n\n乙\n\n">\n\n</div>',
  };
  for (const [name, text] of Object.entries(notes)) {
    const note = `# T\n\n${text}\n`;
    const t0 = performance.now();
    const out = render(note);
    const ms = performance.now() - t0;
    assert.deepEqual([...htmlProblems(out.html), ...blockLeaks(out.sections)], [], name);
    for (const block of out.sections[0].blocks) {
      let depth = 0;
      for (const m of block.matchAll(/<(\/?)(div|details|center)\b[^>]*>/g))
        assert.ok((depth += m[1] ? -1 : 1) >= 0, `${name}: closes what its block did not open`);
      assert.equal(depth, 0, `${name}: balanced`);
    }
    assert.doesNotMatch(out.html, /\uFDD0[^<]*<\/?div|title="[^"]*\uFDD0/, name);
    console.log(`      ${name}: ${(note.length / 1024).toFixed(0)} KB, ${ms.toFixed(0)} ms, ${out.sections[0].blocks.length} blocks`);
    assert.ok(ms < 4000, `${name}: ${ms.toFixed(0)} ms`);
    if (note.length < 20_000) assertBlocksEqualWhole(note);
  }
  // Reading what an HTML block leaves open is linear, even in tags that never end.
  const t0 = performance.now();
  assert.deepEqual(tagBalance('<div>' + '<a '.repeat(40_000)), { closes: [], opens: ['div'], shut: '' });
  assert.ok(performance.now() - t0 < 200, `tagBalance: ${(performance.now() - t0).toFixed(0)} ms`);
  assert.deepEqual(tagBalance('</div></details><details><summary>s</summary><div><span>'), {
    closes: ['div', 'details'],
    opens: ['details', 'div'],
    shut: '</span>',
  });
  assert.equal(tagBalance('<!-- <div> --><script><div></script><p>x</p>'), undefined);
  // The seam as text stays the text it is.
  assert.match(visibleText(render('# T\n\n<div>\n\n甲\uFDD0乙\n\n</div>\n').html), /甲\uFDD0乙/);
});

test('edits that add or remove the closer re-render blocks that equal the whole render', () => {
  const cache = new RenderCache();
  const head = '# T\n\n前 $a$\n\n<details><summary>证明 $s$</summary>\n\n由 $x$ 得\n\n$$y$$\n\n';
  const tail = '后文 $b$\n\n<div>\n\n末\n\n</div>\n';
  const versions = [
    head + '</details>\n\n' + tail,
    head + tail,
    head + '</details>\n\n' + tail,
    head + '</div>\n\n' + tail,
    head + '</details>\n\n' + tail.replace('</div>', ''),
  ];
  for (const note of versions) assertBlocksEqualWhole(note, cache);
});

test('export and the CLI carry the same wrapped HTML as the preview', () => {
  const text = '# 导出\n\n<details><summary>证明</summary>\n\n内容 $x$\n\n</details>\n';
  const responses: RenderResponse[] = [];
  const handle = createRenderHandler((r) => responses.push(r));
  handle({ id: 1, channel: 'e', text, fileName: 'n.md', macros: {}, reset: true, mode: 'html' });
  let exported = '';
  for (const r of responses) if (!('chunk' in r) && r.ok && 'html' in r) exported = r.html;
  assert.match(formulasAsTex(exported), /<details><summary>证明<\/summary>\n<p data-line="4">内容 \{x\}<\/p>\n<\/details>/);
});

test('the corpus: every <details> of kexue-md holds its content', () => {
  const cache = new RenderCache();
  let details = 0;
  let holding = 0;
  const empty: string[] = [];
  const dir = join(CORPUS, 'kexue-md');
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    if (!text.includes('<details')) continue;
    const out = renderNote(text, name, { cache });
    assert.deepEqual([...htmlProblems(out.html), ...blockLeaks(out.sections)], [], name);
    for (const m of out.html.matchAll(/<details>([\s\S]*?)<\/details>/g)) {
      details++;
      // Content: a paragraph, list, fence or formula of the note inside the fold, after its summary.
      if (/<\/summary>[\s\S]*data-line="\d+"/.test(m[1])) holding++;
      else empty.push(`${name}: ${m[1].slice(0, 80)}`);
    }
  }
  console.log(`      kexue-md: ${details} <details>, ${holding} with their content inside`);
  assert.deepEqual(empty, []);
  assert.equal(details, 21);
});

test('the corpus: removing and restoring a <details> closer re-renders blocks that equal the whole render', () => {
  const dir = join(CORPUS, 'kexue-md');
  let edits = 0;
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    const closer = text.indexOf('</details>');
    if (closer < 0) continue;
    const cache = new RenderCache();
    renderNote(text, name, { cache });
    for (const edited of [
      text.slice(0, closer) + text.slice(closer + '</details>'.length),
      text,
      text.slice(0, closer) + '</details>\n\n</div>' + text.slice(closer + '</details>'.length),
    ]) {
      const blocks = renderNote(edited, name, { cache }).html;
      assert.equal(blocks, renderNote(edited, name, { cache: new RenderCache(), incremental: false }).html, name);
      edits++;
    }
  }
  assert.equal(edits, 30);
});
