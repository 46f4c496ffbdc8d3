// MathJax 3 (the blog's engine) run in Node, as the reference for what must render and how it is
// numbered: one MathJax document per post (so \newcommand and the equation counter carry over),
// AMS numbering, all packages plus physics (which defines \tr).
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { AllPackages } from 'mathjax-full/js/input/tex/AllPackages.js';
import 'mathjax-full/js/input/tex/physics/PhysicsConfiguration.js';
import { liteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import { STATE } from 'mathjax-full/js/core/MathItem.js';

import { conversionArtefactRepairs } from '../../src/core/math/conversionArtefacts';
import { EditedString } from '../../src/core/math/editedString';
import { isKatexCommand } from '../../src/core/math/katexRenderer';

RegisterHTMLHandler(liteAdaptor());
// bussproofs needs an output jax with getBBox() (nothing in the notes uses it); noundefined would
// draw an unknown command in red instead of rejecting it, and we count that as a rejection (unless
// asked: `noundefined: true` is MathJax as a page loads it, which the preview's red marks follow).
const PACKAGES = [...AllPackages.filter((p) => p !== 'bussproofs' && p !== 'noundefined'), 'physics'];

export interface OracleFormula {
  tex: string;
  display: boolean;
}

export interface OracleResult {
  /** Per formula: undefined when MathJax accepts it, else its error message. */
  errors: Array<string | undefined>;
  /** Label → the text MathJax shows for \ref (the number or tag). */
  labels: Record<string, string>;
  /** How many automatic numbers the post used. */
  counter: number;
}

/** The TeX as the author wrote it: the corpus's HTML-to-Markdown artefacts undone (as the blog's page has it). */
export function authorsTex(tex: string): string {
  return new EditedString(tex, conversionArtefactRepairs(tex, isKatexCommand)).text;
}

export function mathjaxOracle(formulas: readonly OracleFormula[], options: { noundefined?: boolean } = {}): OracleResult {
  const packages = options.noundefined ? [...PACKAGES, 'noundefined'] : PACKAGES;
  const tex = new TeX({
    packages,
    tags: 'ams',
    formatError: (_jax: unknown, err: Error) => {
      throw err;
    },
  });
  const doc = mathjax.document('', { InputJax: tex });
  const errors = formulas.map((f) => {
    try {
      doc.convert(f.tex, { display: f.display, end: STATE.CONVERT });
      return undefined;
    } catch (err) {
      return String((err as Error).message ?? err);
    }
  });
  const tags = (tex as unknown as { parseOptions: { tags: { allLabels: Record<string, { tag: string }>; counter: number } } }).parseOptions
    .tags;
  const labels = Object.fromEntries(Object.entries(tags.allLabels).map(([k, l]) => [k, l.tag]));
  return { errors, labels, counter: tags.counter };
}
