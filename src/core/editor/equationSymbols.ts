// Document symbols for numbered equations: one per number the page prints, named as the reader
// sees it with its labels (`(3) eq:loss`), so the Outline, breadcrumbs and Ctrl+Shift+O list them.

import type { FormulaSite, LabelSite, NoteEquations } from './noteEquations';

export interface EquationSymbol {
  /** `(3) eq:loss`; `(★)` for a `\tag{★}` row. */
  name: string;
  /** The formula's first line of TeX, shortened. */
  detail: string;
  /** The whole formula, and where to put the cursor: the row's label, or the formula's start. */
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
  /** The post's title when the note holds several posts. */
  container?: string;
}

/**
 * The most numbered equations a note lists. VS Code asks again after every edit (breadcrumbs) and
 * serialises the answer on the extension host, in one task: 5 000 symbols of a 10-million-character
 * note took ~0.1 s of its thread per request on the test bed (13 400: ~0.14 s), so a long note
 * could not be typed in without the host stalling. The first 2 000 are listed.
 */
export const MAX_EQUATION_SYMBOLS = 2000;

export function equationSymbols(eq: NoteEquations, max = MAX_EQUATION_SYMBOLS): EquationSymbol[] {
  const out: EquationSymbol[] = [];
  const several = eq.posts.length > 1;
  for (const p of eq.posts) {
    // Each formula's labels at hand: a search of the post's labels per row was quadratic in a post
    // of thousands of equations (the Outline of a long note is built on the extension host).
    const labelsOf = new Map<FormulaSite, LabelSite[]>();
    for (const l of p.labels) {
      const list = labelsOf.get(l.formula);
      if (list) list.push(l);
      else labelsOf.set(l.formula, [l]);
    }
    for (const site of p.formulas) {
      const { rows, source } = site.formula;
      if (!rows.length) continue;
      const detail = shorten(source);
      for (const row of rows) {
        if (out.length >= max) return out;
        const label = labelsOf.get(site)?.find((l) => row.labels.includes(l.name));
        out.push({
          name: `(${row.text ?? ''})${row.labels.length ? ' ' + row.labels.join(', ') : ''}`,
          detail,
          start: site.start,
          end: site.end,
          selectionStart: label ? label.start : site.start,
          selectionEnd: label ? label.end : site.start,
          ...(several && p.post.meta.title ? { container: p.post.meta.title } : {}),
        });
      }
    }
  }
  return out;
}

function shorten(tex: string): string {
  const line =
    tex
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !/^\\(?:begin|end)\s*\{/.test(l)) ?? tex.trim();
  return line.length > 60 ? line.slice(0, 59) + '…' : line;
}
