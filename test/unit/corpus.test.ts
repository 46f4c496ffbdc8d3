// The whole of ../shared/corpus renders without a throw, and every KaTeX error left is one that
// was reviewed (test/fixtures/corpus-errors.json says why the TeX itself is broken); the series
// index keeps of each note exactly the citations its page marks.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote } from '../../src/core/render/renderNote';
import { findCitations } from '../../src/core/series/citations';
import { summarizeNote } from '../../src/core/series/noteSummary';
import { citationDifferences } from '../support/pageCitations';
import { rawTexLeft } from '../support/render';
import { sharedPath } from '../support/shared';

const CORPUS = sharedPath('corpus');
const reviewed = JSON.parse(readFileSync(resolve(process.cwd(), 'test/fixtures/corpus-errors.json'), 'utf8')) as {
  errors: Array<{ at: string; message: string; reason: string }>;
};

interface CorpusRun {
  notes: number;
  formulas: number;
  found: Array<{ at: string; message: string }>;
  rawLeft: string[];
  /** Where the index and the page disagree on citations. */
  citations: string[];
  /** Citations the grammar finds in the notes' text, and those the index keeps (the page's). */
  grammar: number;
  kept: number;
}

let corpusRun: CorpusRun | undefined;

/** Renders every corpus note once (for the tests below, run together or alone). */
function renderCorpus(): CorpusRun {
  if (corpusRun) return corpusRun;
  const cache = new RenderCache();
  const run: CorpusRun = { notes: 0, formulas: 0, found: [], rawLeft: [], citations: [], grammar: 0, kept: 0 };
  for (const folder of ['kexue-md', 'pumpkin-book', 'notes-zh']) {
    for (const name of readdirSync(join(CORPUS, folder))
      .filter((f) => f.endsWith('.md'))
      .sort()) {
      const text = readFileSync(join(CORPUS, folder, name), 'utf8');
      const out = renderNote(text, name, { cache });
      run.notes++;
      for (const p of out.posts) {
        run.formulas += p.mathSegments;
        for (const e of p.errors)
          run.found.push({ at: `${folder}/${name}:${e.line}`, message: e.message.replace(/ at position \d+.*$/s, '') });
      }
      // Environments and delimiters a reader should never see as text (mdBook notes' `\\(…\\)` included).
      for (const r of rawTexLeft(out.html)) if (/^\\(?:begin|end)|^\\[[\]()]$/.test(r)) run.rawLeft.push(`${folder}/${name}: ${r}`);
      const posts = summarizeNote(name, text, out.note);
      run.citations.push(...citationDifferences(`${folder}/${name}`, text, out.html, posts));
      run.grammar += out.note.posts.filter((p) => !p.meta.preamble).reduce((n, p) => n + findCitations(p.body, p.bodyLineMap).length, 0);
      run.kept += posts.reduce((n, p) => n + p.citations.length, 0);
    }
  }
  return (corpusRun = run);
}

test('every corpus note renders; the KaTeX errors left are exactly the reviewed ones', () => {
  const { notes, formulas, found, rawLeft } = renderCorpus();
  assert.ok(notes >= 466, `read ${notes} notes`);
  assert.ok(formulas > 40000, `found ${formulas} formulas`);
  assert.deepEqual(found.map((f) => `${f.at} ${f.message}`).sort(), reviewed.errors.map((e) => `${e.at} ${e.message}`).sort());
  assert.ok(reviewed.errors.every((e) => e.reason.length > 20));
  assert.ok(found.length < 50);
  assert.deepEqual(rawLeft, []);
});

test('the series index keeps exactly the citations each page marks, at their source ranges (corpus and seeds)', () => {
  const run = renderCorpus();
  const differences = [...run.citations];
  let grammar = run.grammar;
  let kept = run.kept;
  const seeds = sharedPath('seeds');
  for (const name of readdirSync(seeds).sort()) {
    const text = readFileSync(join(seeds, name), 'utf8');
    const out = renderNote(text, name, { cache: new RenderCache() });
    const posts = summarizeNote(name, text, out.note);
    differences.push(...citationDifferences(`seeds/${name}`, text, out.html, posts));
    grammar += out.note.posts.filter((p) => !p.meta.preamble).reduce((n, p) => n + findCitations(p.body, p.bodyLineMap).length, 0);
    kept += posts.reduce((n, p) => n + p.citations.length, 0);
  }
  console.log(
    `citations the grammar finds in the text: ${grammar}; on the pages, and in the index: ${kept} (${grammar - kept} in code, math, link targets … left out)`,
  );
  assert.deepEqual(differences, []);
  assert.ok(kept > 2000, `${kept}`);
});
