// The front matter fast path (plain `key: value` lines, read without the YAML parser) must read
// exactly what the parser reads, on every corpus note it accepts; anything else goes to the parser.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { readFrontMatter, simpleFrontMatter } from '../../src/core/note/frontMatter';

const corpus = join(__dirname, '../../../../shared/corpus/kexue-md');

test('fast path = YAML parser on every corpus note it accepts (and it accepts nearly all)', () => {
  let accepted = 0;
  let total = 0;
  for (const f of readdirSync(corpus).filter((n) => n.endsWith('.md'))) {
    const lines = readFileSync(join(corpus, f), 'utf8').split(/\r\n|\r|\n/);
    if (lines[0] !== '---') continue;
    const end = lines.indexOf('---', 1);
    total++;
    const fast = simpleFrontMatter(lines, end);
    if (!fast) continue;
    accepted++;
    assert.deepEqual(fast, parse(lines.slice(1, end).join('\n')), f);
  }
  assert.ok(accepted >= total * 0.95, `${accepted} of ${total}`);
});

test('fast path declines what only the parser reads right', () => {
  const lines = (yaml: string) => ['---', ...yaml.split('\n'), '---'];
  for (const y of ['title: "引号"', 'tags: [a, b]', 'tags:\n  - a', 'title: a: b', 'x: 1.5', 'a: &x 1', 'title: a #c', 'a: 1\na: 2']) {
    assert.equal(simpleFrontMatter(lines(y), y.split('\n').length + 1), undefined, y);
  }
  assert.deepEqual(simpleFrontMatter(lines('title: 名（二十）：副\ndate: 2024-01-26\npart: 20\nok: true\nnone:'), 6), { title: '名（二十）：副', date: '2024-01-26', part: 20, ok: true, none: null });
  // Either way, the meta is the same.
  assert.deepEqual(readFrontMatter(lines('title: "名：副"\npart: 3')).meta, { title: '名：副', part: 3 });
});
