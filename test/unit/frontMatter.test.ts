// The front matter fast path (plain `key: value` lines, read without the YAML parser) must read
// exactly what the parser reads, on every corpus note it accepts; anything else goes to the parser.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { readFrontMatter, simpleFrontMatter } from '../../src/core/note/frontMatter';
import { format } from '../../src/core/l10n/message';
import { sharedPath } from '../support/shared';

const corpus = sharedPath('corpus', 'kexue-md');

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
  assert.deepEqual(simpleFrontMatter(lines('title: 名（二十）：副\ndate: 2024-01-26\npart: 20\nok: true\nnone:'), 6), {
    title: '名（二十）：副',
    date: '2024-01-26',
    part: 20,
    ok: true,
    none: null,
  });
  // Either way, the meta is the same.
  assert.deepEqual(readFrontMatter(lines('title: "名：副"\npart: 3')).meta, { title: '名：副', part: 3 });
});

// Deep nesting in front matter (issue #16, finding 1): the YAML parser recursed once per level, a
// value ~1 000 deep overflowed its stack, and a few overflows in one thread made V8 abort the whole
// process. Every shape of nesting YAML has is refused before the parser, with a notice on the post.
const deepFrontMatter: Record<string, string> = {
  // (Each under the size bound, so that the depth bound is what refuses it; all overflowed the parser.)
  'flow sequences': 'tags: ' + '['.repeat(6000) + ']'.repeat(6000),
  'flow maps in sequences': 'title: ' + '[{'.repeat(3000) + '}]'.repeat(3000),
  'flow maps with keys': 'a: ' + '{b: '.repeat(2000) + '1' + '}'.repeat(2000),
  'flow across lines': Array.from({ length: 400 }, () => 'x: [[[[[[[[').join('\n'),
  'compact sequences': 'a:\n  ' + '- '.repeat(3000) + 'x',
  'complex keys': 'a:\n  ' + '? '.repeat(600) + 'x',
  'block indentation': Array.from({ length: 150 }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n'),
  'brackets in a quoted value': 'title: "' + '['.repeat(5000) + '"',
  // Closing brackets in comments and quotes close nothing: 29 levels a line, 170 lines deep.
  'closed only in comments':
    'v:\n' + Array.from({ length: 170 }, () => ' ' + '['.repeat(29) + ' #' + ']'.repeat(29)).join('\n') + '\n 0' + ']'.repeat(29 * 170),
  'closed only in quotes': 'v: ' + "[']',".repeat(1000) + '0' + ']'.repeat(1000),
  // Compact levels carried into the lines indented under them.
  'compact levels carried on': 'a:\n' + Array.from({ length: 40 }, (_, i) => ' '.repeat(2 + 2 * i) + '- - x').join('\n'),
};

test('deeply nested front matter is refused before the YAML parser, with a notice', () => {
  for (const [shape, yaml] of Object.entries(deepFrontMatter)) {
    const fm = readFrontMatter(['---', ...yaml.split('\n'), '---', '# body']);
    assert.match(fm.warning ? format(fm.warning, 'en') : '', /nested too deeply/, shape);
    assert.deepEqual(fm.meta, {}, shape);
    assert.equal(fm.lineCount, yaml.split('\n').length + 2, shape);
  }
  const big = readFrontMatter(['---', 'title: x', ...Array.from({ length: 300 }, (_, i) => `k${i}: "${'x'.repeat(300)}"`), '---']);
  assert.match(big.warning ? format(big.warning, 'zh-cn') : '', /文件头.*太大/);
  // Real front matter still reads: nesting a few levels deep, brackets in moderation.
  assert.deepEqual(readFrontMatter(['---', 'title: "a [b] {c}"', 'tags: [x, [y, {z: 1}]]', 'series:', '  name:', '    - s', '---']).meta, {
    title: 'a [b] {c}',
    tags: ['x'],
  });
});

test('deep front matter cannot abort the process: parsed again and again in one thread, then rendered and linted', () => {
  // In a child process: what failed was the process itself (exit 134), after a few parses.
  const script = `
    const { renderNote } = require('./out/src/core/render/renderNote');
    const { lintNote } = require('./out/src/core/lint/lintNote');
    const shapes = ${JSON.stringify(Object.values(deepFrontMatter))};
    let notices = 0;
    for (let round = 0; round < 6; round++)
      for (const yaml of shapes) {
        const text = '---\\n' + yaml + '\\n---\\n\\n# Body\\n\\n$$x^2$$\\n';
        if (renderNote(text, 'deep.md').html.includes('nested too deeply')) notices++;
        lintNote(text, 'deep.md');
      }
    console.log('notices', notices);`;
  const r = spawnSync(process.execPath, ['-'], { input: script, cwd: resolve(__dirname, '../../..'), encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  assert.equal(r.stdout.trim(), `notices ${6 * Object.keys(deepFrontMatter).length}`);
  assert.doesNotMatch(r.stderr, /Warning/); // the parser's warnings never reach a console
});

test('the CLI lints the same deep note four times over and exits normally', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mn-fm-'));
  const file = join(dir, 'deep.md');
  writeFileSync(file, '---\ntitle: ' + '[{'.repeat(15000) + '}]'.repeat(15000) + '\n---\n\n$$x$$\n');
  const r = spawnSync(process.execPath, [resolve(__dirname, '../../../bin/mathnotes.js'), 'lint', file, file, file, file], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr.slice(-1000)}`);
  assert.doesNotMatch(r.stderr, /Allocation failed|FATAL/);
});
