// Every command as people use CLIs (the bundled CLI in a child process): the same inputs (files and
// folders) everywhere, and what a missing one does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'bin/mathnotes.js');
const mathnotes = (args: string[], options: { cwd?: string; lang?: string } = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: options.cwd ?? ROOT, env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: options.lang ?? 'C' }, timeout: 120_000 });
const tmp = () => mkdtempSync(join(tmpdir(), 'mn-cmd-'));

test('a path that names nothing: every command says so and exits 2 before doing anything', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'good.md'), '# 好\n\n$a$\n');
  for (const command of ['render', 'index', 'lint']) {
    const r = mathnotes([command, join(dir, 'good.md'), join(dir, 'gone.md')]);
    assert.equal(r.status, 2, `${command}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^mathnotes ${command}: cannot read '.*gone\\.md': no such file or folder$`, 'm'), command);
    assert.equal(r.stdout, '', `${command} did nothing`);
  }
});

test('folders wherever files are accepted: .md, .markdown and .txt below it, dot folders skipped', () => {
  const dir = tmp();
  mkdirSync(join(dir, 'sub'));
  mkdirSync(join(dir, '.hidden'));
  writeFileSync(join(dir, 'a.md'), '# A\n\n$\\frac{1}{$\n');
  writeFileSync(join(dir, 'sub/b.markdown'), '# B\n\n$\\frac{1}{$\n');
  writeFileSync(join(dir, 'sub/c.txt'), '# C\n\n$\\frac{1}{$\n');
  writeFileSync(join(dir, '.hidden/d.md'), '# D\n\n$\\frac{1}{$\n');
  writeFileSync(join(dir, 'e.html'), '<p>$\\frac{1}{$</p>\n');
  const lint = mathnotes(['lint', '.'], { cwd: dir });
  assert.deepEqual(lint.stdout.split('\n').filter(Boolean).map((l) => l.split(':')[0]), ['a.md', 'sub/b.markdown', 'sub/c.txt']);
});
