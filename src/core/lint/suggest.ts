// "Did you mean": the nearest names by edit distance (adjacent swaps count as one edit).

import { KATEX_COMMANDS } from './katexCommands';

export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const cur = new Array<number>(m + 1);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[m];
}

/** How many times names were compared with every candidate (what a test of the label rules' memo reads). */
export const suggestCounters = { searches: 0 };

/** Up to `limit` names near `name` (all without backslash), nearest first. */
export function nearestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  suggestCounters.searches++;
  const max = name.length <= 3 ? 1 : 2;
  const scored: Array<[string, number]> = [];
  for (const c of candidates) {
    if (c === name) continue;
    const d = c.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name, c, max);
    if (d <= max) scored.push([c, d + (c[0] === name[0] ? 0 : 0.25)]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].length - y[0].length || x[0].localeCompare(y[0]));
  return scored.slice(0, limit).map(([c]) => c);
}

/** Commands near an unknown `\name`: KaTeX's own and the note's macros. */
export function suggestCommands(command: string, macros: Readonly<Record<string, string>>): string[] {
  const name = command.replace(/^\\/, '');
  // A control symbol (`\*`, often a Markdown escape) is near every one-letter command: none is meant.
  if (!/^[A-Za-z]+$/.test(name)) return [];
  const names = new Set<string>(KATEX_COMMANDS);
  for (const m of Object.keys(macros)) if (/^\\[A-Za-z]+$/.test(m)) names.add(m.slice(1));
  return nearestNames(name, names).map((n) => '\\' + n);
}
