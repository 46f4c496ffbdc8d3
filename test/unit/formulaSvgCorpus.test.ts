// Formula images over the corpus (issue #19): how many formulas MathJax's SVG draws where the
// preview renders them, and how long each takes (printed; no timing is asserted).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formulaSvg } from '../../src/core/math/formulaSvg';
import { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote } from '../../src/core/render/renderNote';
import { sharedPath } from '../support/shared';

const CORPUS = sharedPath('corpus');

test('the corpus: how many formulas MathJax draws where the preview renders, and how fast', () => {
  const cache = new RenderCache();
  let formulas = 0;
  let drawn = 0;
  let bothRefuse = 0;
  let ms = 0;
  let slowest = 0;
  let bytes = 0;
  const onlyMathJaxRefuses: string[] = [];
  const files: string[] = [];
  (function walk(dir: string) {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.md')) files.push(join(dir, e.name));
    }
  })(CORPUS);
  for (const file of files.sort()) {
    const out = renderNote(readFileSync(file, 'utf8'), file, { cache });
    for (const math of out.math) {
      const katexRefuses = new Set(math.errors.filter((e) => !e.undefinedCommands).map((e) => `${e.line}\u0000${e.source}`));
      for (const f of math.formulas) {
        formulas++;
        const t = performance.now();
        const r = formulaSvg(f.tex.text, { display: f.display, macros: f.macros, fontSizePx: 14 });
        const dt = performance.now() - t;
        ms += dt;
        slowest = Math.max(slowest, dt);
        if (!('error' in r)) {
          drawn++;
          bytes += r.dataUri.length;
        } else if (katexRefuses.has(`${f.line}\u0000${f.source}`)) bothRefuse++;
        else onlyMathJaxRefuses.push(`${file.slice(CORPUS.length + 1)}:${f.line + 1} ${r.error}`);
      }
    }
  }
  console.log(
    `      ${files.length} notes, ${formulas} formulas: ${drawn} drawn, ${bothRefuse} refused by both engines, ${onlyMathJaxRefuses.length} by MathJax only`,
  );
  console.log(
    `      ${(ms / formulas).toFixed(2)} ms per formula (slowest ${slowest.toFixed(0)} ms), ${(bytes / Math.max(1, drawn) / 1024).toFixed(1)} KB per data URI`,
  );
  if (onlyMathJaxRefuses.length)
    console.log(
      onlyMathJaxRefuses
        .slice(0, 10)
        .map((s) => `        ${s}`)
        .join('\n'),
    );
  assert.ok(formulas > 40000, `${formulas} formulas`);
  // Reviewed (MathJax, the blog's engine, refuses them too): a stray `}` after a group KaTeX
  // forgives, and `\sqrt \text{…}`, where KaTeX takes \text with its group as \sqrt's argument.
  assert.ok(onlyMathJaxRefuses.length <= 3, onlyMathJaxRefuses.join('\n'));
});
