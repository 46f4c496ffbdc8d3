// File events the index must never lose (the integration tests twice missed a note): a file
// re-written in the clock tick it was read in is read again, never skipped by its stamp; and of
// overlapping reads of one file the one started last goes in, whatever order they finish in.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LatestRead } from '../../src/core/series/latestRead';
import { fileStamp, RACY_MS, summarizeFile } from '../../src/node/indexWorker';

test('a file read within RACY_MS of its change gets no stamp: the next event reads it again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mn-fresh-'));
  try {
    const path = join(dir, 'a.md');
    writeFileSync(path, '');
    // Read while still empty (a watcher's create event comes before the content)...
    const first = summarizeFile({ key: 'a', path });
    assert.equal(first.stamp, undefined, 'read right after its change: racy');
    // ...then written in the same clock tick: same modification time as the read saw.
    const { atime, mtime } = statSync(path);
    writeFileSync(path, '# 同一时刻写下的笔记\n\n正文。\n');
    utimesSync(path, atime, mtime);
    const again = summarizeFile({ key: 'a', path, stamp: first.stamp });
    assert.equal(again.unchanged, undefined);
    assert.equal(again.posts?.[0].title, '同一时刻写下的笔记');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stamp read long after the change skips the file until it changes; size and change time count', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mn-fresh-'));
  try {
    const path = join(dir, 'b.md');
    writeFileSync(path, '# 旧\n');
    const later = () => Date.now() + RACY_MS + 1;
    const read = summarizeFile({ key: 'b', path }, later);
    assert.ok(read.stamp);
    assert.equal(summarizeFile({ key: 'b', path, stamp: read.stamp }).unchanged, true);
    // The same modification time set back by a tool (touch -d, unzip): the size and change time differ.
    const { atime, mtime } = statSync(path);
    writeFileSync(path, '# 新的标题\n');
    utimesSync(path, atime, mtime);
    assert.equal(summarizeFile({ key: 'b', path, stamp: read.stamp }).posts?.[0].title, '新的标题');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fileStamp: none within RACY_MS of the later of modification and change time', () => {
  assert.equal(fileStamp({ mtimeMs: 1000, ctimeMs: 1000, size: 3 }, 1000 + RACY_MS - 1), undefined);
  assert.equal(fileStamp({ mtimeMs: 0, ctimeMs: 1000, size: 3 }, 1000 + RACY_MS - 1), undefined);
  assert.equal(fileStamp({ mtimeMs: 1000, ctimeMs: 1000, size: 3 }, 1000 + RACY_MS), '1000:1000:3');
});

test('LatestRead: a read started earlier that finishes later does not go in; removals count', () => {
  const reads = new LatestRead();
  const build = reads.start(); // a build's read of a.md, in a worker
  const event = reads.start(); // a file event's re-read of a.md, here
  assert.equal(reads.admit('a.md', event), true);
  assert.equal(reads.admit('a.md', build), false, 'the older text would come back');
  assert.equal(reads.admit('b.md', build), true, 'other files are not held back');
  const read = reads.start();
  const removal = reads.start();
  assert.equal(reads.admit('c.md', removal), true);
  assert.equal(reads.admit('c.md', read), false, 'a deleted note would come back');
  assert.equal(reads.admit('c.md', reads.start()), true, 'a later read does');
});
