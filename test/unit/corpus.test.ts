// The whole of ../shared/corpus renders without a throw, and every KaTeX error left is one that
// was reviewed (test/fixtures/corpus-errors.json says why the TeX itself is broken).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote } from '../../src/core/render/renderNote';
import { rawTexLeft } from '../support/render';

const CORPUS = resolve(process.cwd(), '../shared/corpus');
const reviewed = JSON.parse(readFileSync(resolve(process.cwd(), 'test/fixtures/corpus-errors.json'), 'utf8')) as {
  errors: Array<{ at: string; message: string; reason: string }>;
};

test('every corpus note renders; the KaTeX errors left are exactly the reviewed ones', () => {
  const cache = new RenderCache();
  const found: Array<{ at: string; message: string }> = [];
  let notes = 0;
  let formulas = 0;
  const rawLeft: string[] = [];
  for (const folder of ['kexue-md', 'pumpkin-book', 'notes-zh']) {
    for (const name of readdirSync(join(CORPUS, folder)).filter((f) => f.endsWith('.md')).sort()) {
      const text = readFileSync(join(CORPUS, folder, name), 'utf8');
      const out = renderNote(text, name, { cache });
      notes++;
      for (const p of out.posts) {
        formulas += p.mathSegments;
        for (const e of p.errors) found.push({ at: `${folder}/${name}:${e.line}`, message: e.message.replace(/ at position \d+.*$/s, '') });
      }
      // Environments and delimiters a reader should never see as text (mdBook notes' `\\(…\\)` included).
      for (const r of rawTexLeft(out.html)) if (/^\\(?:begin|end)|^\\[[\]()]$/.test(r)) rawLeft.push(`${folder}/${name}: ${r}`);
    }
  }
  assert.ok(notes >= 466, `read ${notes} notes`);
  assert.ok(formulas > 40000, `found ${formulas} formulas`);
  assert.deepEqual(
    found.map((f) => `${f.at} ${f.message}`).sort(),
    reviewed.errors.map((e) => `${e.at} ${e.message}`).sort(),
  );
  assert.ok(reviewed.errors.every((e) => e.reason.length > 20));
  assert.ok(found.length < 50);
  assert.deepEqual(rawLeft, []);
});
