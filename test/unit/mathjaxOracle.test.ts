// MathJax 3 is the blog's engine: whatever it accepts we render, and where it numbers, our numbers
// and labels agree. Run over every post of ../shared/corpus (one MathJax document per post).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote } from '../../src/core/render/renderNote';
import { authorsTex, mathjaxOracle } from '../support/mathjaxOracle';
import { sharedPath } from '../support/shared';

const CORPUS = sharedPath('corpus');

test('MathJax oracle on the corpus: acceptance, equation numbers, labels', () => {
  const cache = new RenderCache();
  const weRejectOnly: string[] = [];
  const numberMismatch: string[] = [];
  const labelMismatch: string[] = [];
  let compared = 0;
  let numbered = 0;
  for (const folder of ['kexue-md', 'pumpkin-book', 'notes-zh']) {
    for (const name of readdirSync(join(CORPUS, folder))
      .filter((f) => f.endsWith('.md'))
      .sort()) {
      const out = renderNote(readFileSync(join(CORPUS, folder, name), 'utf8'), name, { cache });
      for (const math of out.math) {
        // MathJax reads the TeX as the author wrote it (the blog's page), not html2text's artefacts.
        // A note written for a Markdown site (mdBook, kramdown) is read as the site hands it over.
        const oracle = mathjaxOracle(
          math.formulas.map((f) => ({
            tex: f.unescaped ? f.source.replace(/\\([!-/:-@[-`{-~])/g, '$1') : authorsTex(f.source),
            display: f.display,
          })),
        );
        math.formulas.forEach((f, i) => {
          compared++;
          const ours = math.errors.find((e) => e.line === f.line && e.source === f.source);
          if (!oracle.errors[i] && ours) weRejectOnly.push(`${folder}/${name}:${f.line + 1} ${ours.message}`);
        });
        if (oracle.errors.some((e) => e)) continue; // numbering is only comparable where MathJax accepts every formula
        const ourCount = math.formulas.reduce((n, f) => n + f.rows.filter((r) => r.number !== undefined).length, 0);
        numbered += ourCount;
        if (ourCount !== oracle.counter)
          numberMismatch.push(`${folder}/${name} post ${math.postIndex}: ours ${ourCount}, MathJax ${oracle.counter}`);
        for (const [label, tag] of Object.entries(oracle.labels)) {
          if (tag === '???') {
            if (!math.unnumberedLabels.some((u) => u.name === label)) labelMismatch.push(`${name} ${label}: MathJax unnumbered`);
          } else if (math.labels.get(label)?.text !== tag) {
            labelMismatch.push(`${name} ${label}: ours ${math.labels.get(label)?.text}, MathJax ${tag}`);
          }
        }
      }
    }
  }
  assert.ok(compared > 40000, `compared ${compared} formulas`);
  assert.ok(numbered > 3000, `compared ${numbered} equation numbers`);
  assert.deepEqual(weRejectOnly, [], 'formulas MathJax renders and we do not');
  assert.deepEqual(numberMismatch, []);
  assert.deepEqual(labelMismatch, []);
});
