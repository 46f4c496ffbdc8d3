// Fenced code as markdown-it sees it: opened by ``` or ~~~ (up to 3 spaces in), closed by a line
// of the same character, at least as long, with nothing after it; unclosed, it runs to the end.
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;

/** If lines[i] opens a fence, the index of its closing line (or the last line); else undefined. */
export function fenceEnd(lines: readonly string[], i: number): number | undefined {
  const open = FENCE_OPEN.exec(lines[i]);
  if (!open) return undefined;
  const closer = new RegExp(`^ {0,3}${open[1][0] === '`' ? '`' : '~'}{${open[1].length},}[ \\t]*$`);
  let j = i + 1;
  while (j < lines.length && !closer.test(lines[j])) j++;
  return Math.min(j, lines.length - 1);
}
