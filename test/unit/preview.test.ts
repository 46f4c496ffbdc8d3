// The preview's data path in plain Node: rendered sections → keyed page updates, and the render
// worker behind the extension host (coalescing, resets, a hung render replaced).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pageUpdate } from '../../src/core/preview/keyedUpdate';
import type { PageUpdate } from '../../src/core/preview/protocol';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote } from '../../src/core/render/renderNote';
import { Worker } from 'node:worker_threads';
import { RenderService } from '../../src/core/preview/renderService';
import { sharedPath } from '../support/shared';

const root = join(__dirname, '../../..');
const example = readFileSync(join(root, 'examples/光滑近似漫谈（一）：从最大值到Softmax.md'), 'utf8');
const seed = readFileSync(sharedPath('seeds', '000_54c0bddacf9bba72.txt'), 'utf8');
const withHtml = (p: PageUpdate) => p.sections.flatMap((s) => s.blocks.filter((b) => b.html !== undefined));

test('sections joined are exactly the page: shells wrap their blocks', () => {
  for (const [text, name] of [
    [example, 'a.md'],
    [seed, 'seed.txt'],
  ]) {
    const r = renderNote(text, name, { cache: new RenderCache() });
    const joined = r.sections.map((s) => s.open + s.blocks.join('') + s.close).join('');
    assert.equal(joined, r.html);
    for (const s of r.sections) if (s.open) assert.match(s.open, /<div class="mn-post-body">$/);
  }
  assert.equal(renderNote(seed, 'seed.txt').sections.length, 8);
});

test('a one-character edit sends one block; everything else is reused by key', () => {
  const cache = new RenderCache();
  const first = pageUpdate(renderNote(example, 'a.md', { cache }).sections, new Map());
  assert.equal(first.page.changedBlocks, first.page.totalBlocks);
  assert.ok(first.page.totalBlocks > 5);
  const again = pageUpdate(renderNote(example, 'a.md', { cache }).sections, first.known);
  assert.equal(again.page.changedBlocks, 0);
  assert.ok(again.page.sections.every((s) => s.shell === undefined));
  const edited = example.replace('\\tau\\log\\sum_{i=1}^n', '\\tau\\log\\sum_{i=0}^n');
  assert.notEqual(edited, example);
  const next = pageUpdate(renderNote(edited, 'a.md', { cache }).sections, again.known);
  const sent = withHtml(next.page);
  assert.equal(sent.length, 1);
  assert.match(sent[0].html!, /i=0/);
});

test('an inserted equation renumbers the blocks after it, and only those are sent', () => {
  const cache = new RenderCache();
  const first = pageUpdate(renderNote(example, 'a.md', { cache }).sections, new Map());
  const at = example.indexOf('\\begin{equation}');
  const inserted = example.slice(0, at) + '\\begin{equation}x=1\\end{equation}\n\n' + example.slice(at);
  const next = pageUpdate(renderNote(inserted, 'a.md', { cache }).sections, first.known);
  const sent = withHtml(next.page);
  assert.ok(sent.length >= 2 && sent.length < next.page.totalBlocks, `${sent.length} of ${next.page.totalBlocks}`);
  assert.ok(sent.some((b) => /x=1/.test(b.html!)));
});

test('a line break typed moves the blocks below it: only their line travels, their HTML is neither rendered nor sent again', () => {
  const cache = new RenderCache();
  const paragraphs = Array.from({ length: 60 }, (_, k) =>
    k % 3 === 0 ? `$$\\int_0^{${k}} f_${k}(x)\\,dx\\tag{${k}}$$` : `段落${k}：$x_{${k}}$ 与 $y^{${k}}$。\n第二行，\\eqref{eq:none}。`,
  );
  const text = `# 标题\n\n${paragraphs.join('\n\n')}\n`;
  const first = pageUpdate(renderNote(text, 'a.md', { cache }).sections, new Map());
  const at = text.indexOf('段落31');
  for (const typed of ['\n', '\n\n\n']) {
    const edited = text.slice(0, at) + typed + text.slice(at);
    const misses = cache.misses;
    const rendered = renderNote(edited, 'a.md', { cache });
    const next = pageUpdate(rendered.sections, first.known);
    // Stamped with the lines a fresh render gives (the page counts them from each block's line).
    assert.equal(rendered.html, renderNote(edited, 'a.md', { cache: new RenderCache() }).html);
    assert.equal(cache.misses, misses, 'no formula rendered again');
    const blocks = next.page.sections.flatMap((s) => s.blocks);
    const moved = blocks.filter((b) => b.html === undefined && b.line !== undefined);
    // The block above the edit takes the new blank lines into its text: at most it is sent again.
    assert.ok(withHtml(next.page).length <= 1, `${withHtml(next.page).length} blocks sent`);
    assert.ok(moved.length >= 25, `${moved.length} blocks moved`);
    const lines = typed.length;
    for (const b of moved) assert.equal(b.line, first.known.get(b.key)! + lines, b.key);
  }
  // Stamps in sent HTML count from the block's line: the first block at the note's line 2.
  const firstBlock = first.page.sections[0].blocks.find((b) => /段落1：/.test(b.html ?? ''))!;
  assert.ok(firstBlock.line! > 2);
  assert.match(firstBlock.html!, /data-line="0"/);
});

test('identical blocks get distinct keys, also after a line break above them moves them', () => {
  const text = '# T\n\n$$a=b$$\n\nsame\n\nsame\n\n$$a=b$$\n\nsame\n';
  const cache = new RenderCache();
  const first = pageUpdate(renderNote(text, 'a.md', { cache }).sections, new Map());
  const edited = text.replace('# T\n', '# T\n\n');
  const next = pageUpdate(renderNote(edited, 'a.md', { cache }).sections, first.known);
  for (const page of [first.page, next.page]) {
    const keys = page.sections.flatMap((s) => s.blocks.map((b) => b.key));
    assert.equal(new Set(keys).size, keys.length);
  }
  assert.equal(renderNote(edited, 'a.md', { cache }).html, renderNote(edited, 'a.md', { cache: new RenderCache() }).html);
});

test('identical blocks get distinct keys', () => {
  const text = '# T\n\n$$a=b$$\n\nsame\n\nsame\n\n$$a=b$$\n';
  const { page } = pageUpdate(renderNote(text, 'a.md').sections, new Map());
  const keys = page.sections.flatMap((s) => s.blocks.map((b) => b.key));
  assert.equal(new Set(keys).size, keys.length);
});

const workerPath = join(root, 'dist/renderWorker.js');

test('render worker: full page first, then only changes; a reset sends everything again', async () => {
  const service = new RenderService(() => new Worker(workerPath));
  try {
    const req = { channel: 'c1', text: example, fileName: 'a.md', macros: {}, reset: false };
    const a = await service.render(req);
    assert.ok('page' in a);
    assert.equal(a.page.changedBlocks, a.page.totalBlocks);
    assert.ok(a.stats.formulas > 10 && a.stats.katexErrors === 0);
    const b = await service.render(req);
    assert.ok('page' in b && b.page.changedBlocks === 0);
    const c = await service.render({ ...req, reset: true });
    assert.ok('page' in c && c.page.changedBlocks === c.page.totalBlocks);
    // Another channel (another webview) has its own page.
    const d = await service.render({ ...req, channel: 'c2' });
    assert.ok('page' in d && d.page.changedBlocks === d.page.totalBlocks);
  } finally {
    service.dispose();
  }
});

test('render worker: typing fast renders only the newest text', async () => {
  const service = new RenderService(() => new Worker(workerPath));
  try {
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        service.render({ channel: 'c', text: `${example}\n\nedit ${n}\n`, fileName: 'a.md', macros: {}, reset: false }),
      ),
    );
    // The first is already in flight; the second and third are replaced by the fourth.
    assert.deepEqual(
      results.map((r) => ('superseded' in r ? 'superseded' : 'ok')),
      ['ok', 'superseded', 'superseded', 'ok'],
    );
  } finally {
    service.dispose();
  }
});

test('render worker: a preview page waiting to render overtakes lint asked for before it', async () => {
  const service = new RenderService(() => new Worker(workerPath));
  try {
    const order: string[] = [];
    const note = (n: number) => `${example}\n\n第${n}段。\n`;
    const started = service.lint('lint-a', note(1), 'a.md', {}).then(() => order.push('lint a (already running)'));
    const lint = service.lint('lint-b', note(2), 'b.md', {}).then(() => order.push('lint b'));
    const summary = service.summarize('sum-c', 'c', note(3), 'c.md').then(() => order.push('summary c'));
    const page = service
      .render({ channel: 'page-d', text: note(4), fileName: 'd.md', macros: {}, reset: true })
      .then(() => order.push('page d'));
    await Promise.all([started, lint, summary, page]);
    assert.deepEqual(order, ['lint a (already running)', 'page d', 'lint b', 'summary c']);
  } finally {
    service.dispose();
  }
});

test('render worker: a render past the time limit is stopped with a message, and the next one works', async () => {
  const service = new RenderService(() => new Worker(workerPath), 1);
  try {
    const big = Array.from({ length: 400 }, (_, i) => `$$\\sum_{k=${i}}^n \\frac{a_k}{b_k}$$`).join('\n\n');
    const r = await service.render({ channel: 'c', text: big, fileName: 'big.md', macros: {}, reset: false });
    assert.ok('ok' in r && !r.ok);
    assert.match(r.message, /longer than/);
  } finally {
    service.dispose();
  }
  const patient = new RenderService(() => new Worker(workerPath));
  try {
    const r = await patient.render({ channel: 'c', text: example, fileName: 'a.md', macros: {}, reset: false });
    assert.ok('ok' in r && r.ok);
  } finally {
    patient.dispose();
  }
});

test('render worker: a large page travels as JSON chunks of ~250 000 characters of block HTML, then the keys', async () => {
  const service = new RenderService(() => new Worker(workerPath));
  try {
    const big = Array.from({ length: 1500 }, (_, i) => `段落${i}：$$\\sum_{k=${i}}^n \\frac{a_k}{b_k} = \\int_0^1 f_{${i}}(x)\\,dx$$`).join(
      '\n\n',
    );
    const r = await service.render({ channel: 'c', text: big, fileName: 'big.md', macros: {}, reset: false });
    assert.ok('page' in r);
    const chunks = r.chunks.map((c) => JSON.parse(c) as Record<string, string>);
    assert.ok(chunks.length >= 4, `${chunks.length} chunks`);
    const page = JSON.parse(r.pageJson) as PageUpdate;
    const keys = page.sections.flatMap((s) => s.blocks.map((b) => b.key));
    assert.equal(keys.length, r.page.totalBlocks);
    const chunked = new Set(chunks.flatMap((c) => Object.keys(c)));
    assert.equal(page.sections.flatMap((s) => s.blocks).filter((b) => b.html !== undefined).length, 0);
    assert.ok(keys.every((k) => chunked.has(k)));
    for (const c of chunks.slice(0, -1)) assert.ok(Object.values(c).join('').length < 300_000);
    // The HTML is the page's: joined in order, the same blocks a direct render gives.
    const direct = pageUpdate(renderNote(big, 'big.md').sections, new Map()).page;
    const all = Object.assign({}, ...chunks) as Record<string, string>;
    assert.deepEqual(
      keys.map((k) => all[k]),
      direct.sections.flatMap((s) => s.blocks.map((b) => b.html)),
    );
  } finally {
    service.dispose();
  }
});

test('render worker: export renders the whole fragment, the same as renderNote', async () => {
  const service = new RenderService(() => new Worker(workerPath));
  try {
    const r = await service.renderHtml(example, 'a.md', {});
    assert.ok(r.ok);
    if (r.ok) {
      assert.equal(r.html, renderNote(example, 'a.md', { cache: new RenderCache() }).html);
      assert.match(r.title ?? '', /光滑近似漫谈/);
    }
  } finally {
    service.dispose();
  }
});

test('render worker: the render that hangs fails alone; another page waiting behind it is rendered afresh', async () => {
  const service = new RenderService(() => new Worker(workerPath), 2000);
  try {
    // Far over the 2 s limit: 6 000 formulas render in ~1.5 s on a quiet machine, and passed only under load.
    const slow = Array.from(
      { length: 15000 },
      (_, i) => `$$\\int_0^{${i}} \\frac{x^{${i}}}{1+x^2}\\,dx + \\sum_{k=1}^{${i}} \\binom{${i}}{k}$$`,
    ).join('\n\n');
    const [a, b] = await Promise.all([
      service.render({ channel: 'slow', text: slow, fileName: 'slow.md', macros: {}, reset: false }),
      service.render({ channel: 'fast', text: example, fileName: 'a.md', macros: {}, reset: false }),
    ]);
    assert.ok('ok' in a && !a.ok && a.reason === 'timeout', JSON.stringify(a).slice(0, 200));
    assert.ok('page' in b, JSON.stringify(b).slice(0, 200));
    assert.equal(b.page.changedBlocks, b.page.totalBlocks, 'the new worker sends the whole page');
  } finally {
    service.dispose();
  }
});
