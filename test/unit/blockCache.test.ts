// The block cache's bounds: a note's latest render keeps every block it used, an edit unpins only
// what it replaced, and everything else stays within `max` (an editing session must not grow it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlockCache, blockCounters } from '../../src/core/render/blocks';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { blockCacheFor, renderNote } from '../../src/core/render/renderNote';

type Entry = Parameters<BlockCache['set']>[1];
const entry = (): Entry => ({
  tokens: [],
  prepared: {
    counter: 0,
    unclosed: [],
    comments: [],
    formulas: [],
    duplicates: [],
    unnumbered: [],
    labels: [],
    macros: [],
    htmlIds: [],
    labelsHash: 0,
    idsHash: 0,
  },
});

/** One render of `note` using these keys in order (cached ones reused, the rest made). */
function render(cache: BlockCache, note: string, keys: string[]): void {
  cache.beginRender(note);
  for (const key of keys) if (!cache.get(key)) cache.set(key, entry());
  cache.record(
    'scope',
    keys.map((key) => ({ text: key, state: '', lines: '', key })),
  );
  cache.endRender();
}

test('a note keeps every block of its latest render; an edit unpins what it replaced', () => {
  const cache = new BlockCache(3, 2);
  const blocks = Array.from({ length: 50 }, (_, i) => `b${i}`);
  render(cache, 'a.md', blocks);
  assert.deepEqual(cache.size, { pinned: 50, loose: 0 });
  for (let k = 0; k < 20; k++) {
    const edited = blocks.slice();
    edited[25] = `b25 edit ${k}`;
    render(cache, 'a.md', edited);
    assert.equal(cache.size.pinned, 50, `after edit ${k}`);
    assert.ok(cache.size.loose <= 3, `after edit ${k}: ${cache.size.loose} loose`);
  }
  // The blocks of the page are all still there: the next render makes none.
  const made: string[] = [];
  cache.beginRender('a.md');
  for (const key of blocks) if (!cache.get(key)) made.push(key);
  cache.endRender();
  assert.deepEqual(made, ['b25']);
});

test('a block used twice by one render is not unpinned by the other place changing', () => {
  const cache = new BlockCache(0, 2);
  render(cache, 'a.md', ['x', 'y', 'x']);
  render(cache, 'a.md', ['x', 'y', 'z']);
  assert.deepEqual(cache.size, { pinned: 3, loose: 0 });
  cache.beginRender('a.md');
  assert.ok(cache.get('x') && cache.get('y') && cache.get('z'));
  cache.endRender();
});

test("beyond the recent notes, a note's blocks become loose and are bounded", () => {
  const cache = new BlockCache(5, 2);
  render(cache, 'a.md', ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']);
  render(cache, 'b.md', ['b1']);
  render(cache, 'c.md', ['c1']);
  assert.deepEqual(cache.size, { pinned: 2, loose: 5 });
});

test('a render that throws midway leaves nothing pinned for good', () => {
  const cache = new BlockCache(2, 2);
  for (let k = 0; k < 10; k++) {
    cache.beginRender('a.md');
    const keys = ['same', `new ${k}`];
    for (const key of keys) if (!cache.get(key)) cache.set(key, entry());
    cache.record(
      'scope',
      keys.map((key) => ({ text: key, state: '', lines: '', key })),
    );
    // No endRender: the next beginRender ends it.
  }
  render(cache, 'a.md', ['same']);
  assert.deepEqual(cache.size, { pinned: 1, loose: 2 });
});

test('an entry taken for a moved block is not handed out twice in one render, nor one the render uses', () => {
  const cache = new BlockCache(10, 2);
  cache.beginRender('a.md');
  for (const key of ['k1', 'k2']) {
    const e = entry();
    e.line = 1;
    cache.set(key, e);
  }
  cache.record('scope', []);
  cache.endRender();
  cache.beginRender('a.md');
  cache.get('k1'); // used as a block of this render
  const record = (key: string, e?: ReturnType<typeof entry>) => ({ text: '', state: '', lines: '', key, entry: e });
  assert.equal(cache.movedFrom(record('k1')), undefined);
  assert.equal(cache.movedFrom(record('k2'))?.line, 1);
  assert.equal(cache.movedFrom(record('k2')), undefined, 'given to a block already');
  // A record's own entry (a moved copy, which is stored under no key) is taken without a lookup.
  const copy = entry();
  copy.line = 5;
  assert.equal(cache.movedFrom(record('not-stored', copy)), copy);
  assert.equal(cache.movedFrom(record('not-stored', copy)), undefined, 'given to a block already');
  cache.endRender();
});

test('a line break moves every block below it without parsing them or storing them under new keys', () => {
  const cache = new RenderCache();
  const text = Array.from({ length: 200 }, (_, i) => `段落 ${i}，$x_{${i}}$。\n\n$$y_{${i}} = ${i}\\tag{${i + 1}}\\label{l${i}}$$`).join(
    '\n\n',
  );
  renderNote(text, 'moved.md', { cache });
  const blocks = blockCacheFor(cache);
  const parsed = blockCounters.parsed;
  const broken = renderNote('\n' + text, 'moved.md', { cache });
  // The leading blank line is a block of its own: the one parsed.
  assert.equal(blockCounters.parsed - parsed, 1, 'no block below parsed again');
  // The moved blocks are held by the render's records only: an entry stored under a key is one
  // whose text had to be hashed into it.
  assert.ok(blocks.size.pinned <= 2, `${blocks.size.pinned} entries pinned under new keys`);
  // And the page is what a fresh render of the edited note makes.
  const fresh = renderNote('\n' + text, 'moved.md', { cache: new RenderCache() });
  assert.deepEqual(
    broken.sections[0].blocks.map((b) => b.replace(/ id="[^"]*"/g, '')),
    fresh.sections[0].blocks.map((b) => b.replace(/ id="[^"]*"/g, '')),
  );
  // Typed again (a second line break): found by position once more, from the copies.
  const before = blockCounters.parsed;
  renderNote('\n\n' + text, 'moved.md', { cache });
  assert.ok(blockCounters.parsed - before <= 1, `${blockCounters.parsed - before} parsed`);
});
