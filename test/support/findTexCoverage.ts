// Which formulas MathJax finds in a note that our page does not typeset (by TeX, in order).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RenderCache } from '../../src/core/math/katexRenderer';
import { renderNote } from '../../src/core/render/renderNote';
import { comparableTex, findTexInNote, type FoundMath } from './findTex';

export interface Missed {
  file: string;
  line: number;
  found: FoundMath;
}

export interface CoverageOptions {
  /** The author's text, as the page MathJax ran on had it (e.g. a converter's escapes undone). */
  authors?: (text: string) => string;
}

export function missedFormulas(
  text: string,
  file: string,
  cache: RenderCache,
  options: CoverageOptions = {},
): { found: number; missed: Missed[]; ours: number } {
  const authors = options.authors ?? ((s: string) => s);
  const out = renderNote(text, file, { cache });
  const ours: Array<{ tex: string; first: number; last: number; used: boolean }> = [];
  for (const m of out.math)
    for (const f of m.formulas) {
      ours.push({
        tex: comparableTex(authors(f.source)),
        first: f.line + 1,
        last: f.line + 1 + f.source.split('\n').length + 1,
        used: false,
      });
    }
  const byTex = new Map<string, number[]>();
  ours.forEach((o, i) => byTex.set(o.tex, [...(byTex.get(o.tex) ?? []), i]));
  const authorsText = authors(text);
  const found = findTexInNote(authorsText);
  const missed: Missed[] = [];
  for (const f of found) {
    const k = comparableTex(f.tex);
    const line = authorsText.slice(0, f.start).split('\n').length;
    const same = byTex.get(k)?.find((i) => !ours[i].used);
    if (same !== undefined) {
      ours[same].used = true;
      continue;
    }
    // Part of a formula of ours (MathJax found an inner piece where an artefact hid the outer one).
    if (ours.some((o) => o.first <= line + 1 && o.last >= line && o.tex.includes(k))) continue;
    missed.push({ file, line, found: f });
  }
  return { found: found.length, missed, ours: ours.length };
}

export function notesIn(folder: string, ext = /\.(md|txt)$/): string[] {
  return readdirSync(folder)
    .filter((f) => ext.test(f))
    .sort()
    .map((f) => join(folder, f));
}

export const read = (p: string) => readFileSync(p, 'utf8');
