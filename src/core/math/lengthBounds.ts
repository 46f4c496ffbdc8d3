// Spacing and shifting lengths a formula may use. KaTeX's maxSize caps a length from above only,
// so `\kern-1e6em` or `\raisebox{-1e6em}` went to the page unchanged and moved the formula over
// the text before it (or made the page a mile long). Lengths written out are clamped here, in the
// formula and in macro bodies; what a macro assembles at expansion time is left to the page's CSS,
// which clips each formula box (media/preview.css).

import type { Replacement } from './editedString';

/** The most a kern, skip or shift may move content, in em (a legitimate one is a few em at most). */
export const MAX_SHIFT_EM = 10;

/** em per unit (TeX's units at KaTeX's 10pt em; mu is 1/18 em). */
const EM_PER_UNIT: Record<string, number> = {
  em: 1,
  ex: 0.431,
  mu: 1 / 18,
  pt: 0.1,
  px: 0.1,
  bp: 0.1004,
  pc: 1.2,
  dd: 0.107,
  cc: 1.284,
  nd: 0.107,
  nc: 1.284,
  sp: 0.1 / 65536,
  mm: 0.2845,
  cm: 2.845,
  in: 7.227,
};

// `\kern-5em`, `\hspace{-5em}`, `\mkern-90mu`, `\raisebox{-9em}`, `\rule[-9em]`, `\\[-9em]`, `\hskip-3in`…
// (also `999.em`, `{{-9em}}` and `%` comments between the parts, as TeX reads them; no two
// repeated groups can take the same spaces, or a long run of them backtracks quadratically)
const SHIFTS =
  /(\\(?:kern|mkern|hskip|mskip|hspace\*?|mspace|raisebox|lower|raise|moveleft|moveright|vspace\*?)(?:\s|%.*\n|\{)*|\\rule(?:\s|%.*\n)*\[(?:\s|%.*\n|\{)*|\\\\(?:\s|%.*\n)*\[(?:\s|%.*\n|\{)*)(?:([-+])(?:\s|%.*\n)*)?(\d*\.?\d+|\d+\.)(?:\s|%.*\n)*(em|ex|mu|pt|px|bp|pc|dd|cc|nd|nc|sp|mm|cm|in)/g;

/** Edits that bring every written-out shift within ±MAX_SHIFT_EM (in its own unit). */
export function shiftBoundEdits(tex: string): Replacement[] {
  if (!/\\(?:kern|mkern|hskip|mskip|hspace|mspace|raisebox|lower|raise|move|vspace|rule)|\\\\\s*\[/.test(tex)) return [];
  const edits: Replacement[] = [];
  for (const m of tex.matchAll(SHIFTS)) {
    const [whole, lead, sign = '', number, unit] = m;
    const perUnit = EM_PER_UNIT[unit];
    const limit = MAX_SHIFT_EM / perUnit;
    if (Number(number) <= limit) continue;
    const start = m.index! + lead.length;
    edits.push({ start, end: m.index! + whole.length, text: `${sign}${Number(limit.toPrecision(4))}${unit}` });
  }
  return edits;
}

/** The same bound on a macro's body (settings, macro file, a note's \newcommand). */
export function boundShifts(tex: string): string {
  const edits = shiftBoundEdits(tex);
  if (!edits.length) return tex;
  let out = '';
  let pos = 0;
  for (const e of edits) {
    out += tex.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + tex.slice(pos);
}
