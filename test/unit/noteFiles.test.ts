// Which files are notes: the filter the file events use, and the worker's walk that lists a
// workspace folder with it, on a real folder tree (excluded folders, dot folders, a link cycle).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { enabledGlobs, noteFileFilter } from '../../src/core/series/noteFiles';
import { listNotes } from '../../src/node/indexWorker';

const rules = { include: '**/*.{md,markdown,txt}', exclude: ['**/.git', '**/node_modules', 'drafts/**', '*.tmp.md'] };

test('the filter: include glob, excludes on the file or any folder above it', () => {
  const f = noteFileFilter(rules);
  const notes = ['a.md', 'x/y/b.txt', 'c.markdown', '.notes/d.md', 'x/drafts/e.md', 'x/a.tmp.md'];
  const not = ['a.mdx', 'a.MD.bak', 'node_modules/pkg/README.md', 'a/node_modules/b.md', '.git/x.md', 'drafts/e.md', 'b.tmp.md', 'x.png'];
  for (const p of notes) assert.ok(f.isNote(p), `${p} is a note`);
  for (const p of not) assert.ok(!f.isNote(p), `${p} is not a note`);
  assert.ok(f.isExcludedFolder('node_modules') && f.isExcludedFolder('drafts') && !f.isExcludedFolder('x'));
  // A broken glob matches nothing rather than throwing on every file event.
  assert.ok(noteFileFilter({ include: '**/*.md', exclude: ['[[[', '{a'] }).isNote('a.md'));
});

test('enabled globs: true only (false and `when` clauses are not excludes)', () => {
  assert.deepEqual(enabledGlobs({ '**/.git': true, '**/x': false, '**/*.js': { when: '$(basename).ts' } }), ['**/.git']);
  assert.deepEqual(enabledGlobs(undefined), []);
});

test('the walk: every note, nothing under excluded folders, a link cycle ends, a broken link skipped', () => {
  const root = mkdtempSync(join(tmpdir(), 'mn-list-'));
  try {
    const files = ['a.md', 'x/y/b.txt', '.notes/d.md', 'x/drafts/e.md', 'node_modules/pkg/README.md', 'drafts/f.md', 'b.tmp.md', 'x/c.js'];
    for (const f of files) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), '# t\n');
    }
    symlinkSync(root, join(root, 'x', 'loop')); // a cycle back to the root
    symlinkSync(join(root, 'nowhere'), join(root, 'broken.md'));
    const listed = listNotes(root, rules)
      .map((p) => relative(root, p))
      .sort();
    assert.deepEqual(listed, ['.notes/d.md', 'a.md', 'x/drafts/e.md', 'x/y/b.txt']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
