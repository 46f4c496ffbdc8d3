// The linter on ../shared/corpus: a reviewed snapshot of every diagnostic (file:line:col rule, no
// note text); its errors are exactly the notes' reviewed defects (the KaTeX errors the corpus test
// keeps in test/fixtures/corpus-errors.json, each one MathJax rejects too). UPDATE_LINT_SNAPSHOT=1 rewrites the snapshot (review the diff).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { test } from 'node:test';
import { listNotes } from '../../src/cli/noteInputs';
import { lintNote } from '../../src/core/lint/lintNote';
import { NoteText } from '../../src/core/lint/noteText';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { readNoteFile } from '../../src/node/readNoteFile';
import { sharedPath } from '../support/shared';

const CORPUS = sharedPath('corpus');
const SNAPSHOT = resolve(__dirname, '../../../test/fixtures/lint-corpus.snapshot');
/**
 * The corpora the snapshot was reviewed on. `notes-zh` joined with issue #17 (lint calls an error
 * only what MathJax rejects too): its errors are undefined commands and one mdBook/kramdown escape,
 * each reviewed in corpus-errors.json.
 */
const REVIEWED = ['kexue-md', 'pumpkin-book', 'notes-zh'];

test('corpus lint: the reviewed snapshot, counts per rule, no errors', () => {
  const cache = new RenderCache();
  const lines: string[] = [];
  const counts = new Map<string, number>();
  const started = Date.now();
  const files = REVIEWED.flatMap((dir) => listNotes(resolve(CORPUS, dir))).sort();
  for (const path of files) {
    const text = readNoteFile(path).text;
    const doc = new NoteText(text);
    for (const d of lintNote(text, path, { cache })) {
      const p = doc.positionAt(d.start);
      lines.push(`${relative(CORPUS, path)}:${p.line + 1}:${p.character + 1} ${d.severity} ${d.rule}`);
      counts.set(`${d.severity} ${d.rule}`, (counts.get(`${d.severity} ${d.rule}`) ?? 0) + 1);
    }
  }
  console.log(
    `      ${files.length} notes in ${Date.now() - started} ms: ${[...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}`,
  );
  const actual = lines.join('\n') + '\n';
  if (process.env.UPDATE_LINT_SNAPSHOT) writeFileSync(SNAPSHOT, actual);
  // Errors: exactly the notes' reviewed defects (test/fixtures/corpus-errors.json, which MathJax rejects too).
  const reviewed = (
    JSON.parse(readFileSync(resolve(__dirname, '../../../test/fixtures/corpus-errors.json'), 'utf8')) as { errors: Array<{ at: string }> }
  ).errors.map((e) => e.at);
  const errors = lines.filter((l) => / error /.test(l));
  const isReviewed = (l: string) =>
    reviewed.some((at) => {
      const [file, line] = [at.slice(0, at.lastIndexOf(':')), Number(at.slice(at.lastIndexOf(':') + 1))];
      const m = /^(.*):(\d+):\d+ /.exec(l)!;
      return m[1] === file && Number(m[2]) >= line && Number(m[2]) <= line + 50;
    });
  assert.deepEqual(
    errors.filter((l) => !isReviewed(l)),
    [],
    'every error is a reviewed defect of its note',
  );
  assert.equal(errors.length, reviewed.length, 'and each reviewed defect is reported');
  const expected = readFileSync(SNAPSHOT, 'utf8');
  if (actual !== expected) {
    const a = new Set(lines);
    const e = new Set(expected.trim().split('\n'));
    assert.fail(
      `the corpus diagnostics changed (UPDATE_LINT_SNAPSHOT=1 to accept after review):\n${[...e]
        .filter((l) => !a.has(l))
        .slice(0, 20)
        .map((l) => `- ${l}`)
        .join('\n')}\n${lines
        .filter((l) => !e.has(l))
        .slice(0, 20)
        .map((l) => `+ ${l}`)
        .join('\n')}`,
    );
  }
});
