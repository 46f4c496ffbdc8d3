// Formula images for hovers (issue #19): MathJax's SVG drawing of every formula of the corpus note
// with the most formulas, cold (loading dist/formulaSvg.js as the extension host does, then the
// first drawing) and warm, beside that note's render time in the preview's pipeline.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as FormulaSvgModule from '../core/math/formulaSvg';
import { RenderCache } from '../core/math/katexRenderer';
import { renderNote } from '../core/render/renderNote';
import { runCommonJsBundle } from '../core/commonJsBundle';

interface Note {
  name: string;
  text: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `bundle`: dist/formulaSvg.js, beside dist/bench.js. */
export function formulaSvgBench(notes: readonly Note[], bundle = join(__dirname, 'formulaSvg.js')): void {
  const counted = notes.map((n) => ({
    n,
    formulas: renderNote(n.text, n.name, { cache: new RenderCache() }).math.flatMap((m) => m.formulas),
  }));
  const { n: note, formulas } = counted.sort((a, b) => b.formulas.length - a.formulas.length)[0];
  // The bundle the extension ships, read and run as src/extension/formulaSvgLoader.ts does.
  const t0 = performance.now();
  const drawer = runCommonJsBundle<typeof FormulaSvgModule>(readFileSync(bundle, 'utf8'), 'formulaSvg.js');
  const loaded = performance.now() - t0;
  const draw = (f: (typeof formulas)[number]) =>
    drawer.formulaSvg(f.tex.text, { display: f.display, macros: f.macros, fontSizePx: 14, color: '#cccccc' });
  draw(formulas[0]);
  const firstDrawing = performance.now() - t0;
  const cold: number[] = [];
  let errors = 0;
  for (const f of formulas) {
    const t = performance.now();
    if ('error' in draw(f)) errors++;
    cold.push(performance.now() - t);
  }
  const warm: number[] = [];
  for (const f of formulas) {
    const t = performance.now();
    draw(f);
    warm.push(performance.now() - t);
  }
  const renders: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    renderNote(note.text, note.name, { cache: new RenderCache() });
    renders.push(performance.now() - t);
  }
  const render = Math.min(...renders);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  console.log(`\nFormula images for hovers (MathJax SVG), "${note.name}": ${formulas.length} formulas, ${errors} refused. ms:`);
  console.log(
    `  cold: load dist/formulaSvg.js ${loaded.toFixed(0)}, + first drawing ${firstDrawing.toFixed(0)}  (ratio to the note's render ${(firstDrawing / render).toFixed(2)}×)`,
  );
  console.log(
    `  first pass over the note: median ${median(cold).toFixed(2)}, max ${Math.max(...cold).toFixed(1)} per formula, ${sum(cold).toFixed(0)} in all`,
  );
  console.log(
    `  warm: median ${median(warm).toFixed(2)}, max ${Math.max(...warm).toFixed(1)} per formula, ${sum(warm).toFixed(0)} in all  (ratio to the note's render ${(sum(warm) / render).toFixed(2)}×)`,
  );
  console.log(
    `  the note's render (parse, number, KaTeX; cold cache) ${render.toFixed(0)}: one hover (warm median) is ${((median(warm) / render) * 100).toFixed(2)}% of it`,
  );
}
