// A `|` inside `$…$` in a Markdown table row would split the cell (GFM splits rows before inline
// parsing). Such pipes are swapped for a private-use placeholder of the same length (offsets and
// lines stay true) and restored inside the math token. Only rows of real tables are touched,
// never code, and only `$…$` pairs that the inline math rule would take.

import { fenceEnd } from './fences';

export const PIPE_PLACEHOLDER = '\uE000';

/** Somewhere a line that may be a table's delimiter row (a run of dashes beside a pipe): most notes have none. */
const MAY_HAVE_DELIMITER_ROW = /-[ \t]*\||\|[ \t]*:?-/;
const DELIMITER_ROW = /^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

export function protectTablePipes(markdown: string): string {
  if (!markdown.includes('|') || !markdown.includes('$') || !MAY_HAVE_DELIMITER_ROW.test(markdown)) return markdown;
  const lines = markdown.split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = fenceEnd(lines, i);
    if (fence !== undefined) {
      i = fence;
      continue;
    }
    // A table: a header row with a pipe, then a delimiter row with one; rows run to a blank line.
    if (!line.includes('|') || !DELIMITER_ROW.test(lines[i + 1] ?? '') || !(lines[i + 1] ?? '').includes('|')) continue;
    const header = i;
    let j = header;
    for (; j < lines.length && lines[j].trim() !== ''; j++) {
      if (j === header + 1) continue; // the delimiter row
      const protectedRow = protectRow(lines[j]);
      if (protectedRow !== lines[j]) {
        lines[j] = protectedRow;
        changed = true;
      }
    }
    i = j - 1;
  }
  return changed ? lines.join('\n') : markdown;
}

/** Pipes inside `$…$` (pandoc's pairing: no space inside the dollars, no digit after) and outside code spans. */
function protectRow(line: string): string {
  let out = '';
  let k = 0;
  while (k < line.length) {
    const c = line[k];
    if (c === '\\') {
      out += line.slice(k, k + 2);
      k += 2;
      continue;
    }
    if (c === '`') {
      const end = line.indexOf('`', k + 1);
      const stop = end < 0 ? line.length : end + 1;
      out += line.slice(k, stop);
      k = stop;
      continue;
    }
    if (c === '$' && line[k + 1] !== '$' && line[k + 1] !== undefined && !/\s/.test(line[k + 1])) {
      const close = line.indexOf('$', k + 1);
      if (close > k + 1 && !/\s/.test(line[close - 1]) && !/\d/.test(line[close + 1] ?? '')) {
        out += line.slice(k, close + 1).replace(/\|/g, PIPE_PLACEHOLDER);
        k = close + 1;
        continue;
      }
    }
    out += c;
    k++;
  }
  return out;
}

export function restoreTablePipes(tex: string): string {
  return tex.includes(PIPE_PLACEHOLDER) ? tex.replaceAll(PIPE_PLACEHOLDER, '|') : tex;
}
