// A `|` inside `$…$` in a Markdown table row would split the cell (GFM splits rows before inline
// parsing). Such pipes are swapped for a private-use placeholder of the same length (offsets and
// lines stay true) and restored inside the math token.

export const PIPE_PLACEHOLDER = '\uE000';

const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$/m;

export function protectTablePipes(markdown: string): string {
  if (!markdown.includes('|') || !DELIMITER_ROW.test(markdown)) return markdown;
  return markdown
    .split('\n')
    .map((line) => (line.includes('|') && line.includes('$') ? protectLine(line) : line))
    .join('\n');
}

function protectLine(line: string): string {
  let out = '';
  let inMath = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      out += line.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '$') inMath = !inMath;
    out += inMath && c === '|' ? PIPE_PLACEHOLDER : c;
  }
  // An unpaired `$`: nothing was math, keep the line as it was.
  return inMath ? line : out;
}

export function restoreTablePipes(tex: string): string {
  return tex.includes(PIPE_PLACEHOLDER) ? tex.replaceAll(PIPE_PLACEHOLDER, '|') : tex;
}
