// Whole-body tests that run on every render, by `indexOf` instead of a multiline regular
// expression: V8 runs `/^…/m` and `/…$/m` by trying every position of a 50 KB note (tens of
// microseconds each, several per keystroke); the needle is rare, so a search for it is not.
// Each says exactly what the regular expression in its comment says (`test/unit/lineTests.test.ts`).

/** Where JavaScript's `^` and `$` in multiline mode see a line end. */
const isLineEnd = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** `/^ {0,3}</m.exec(text)?.index`: the first `<` at a line start after at most three spaces. */
export function firstIndentedLt(text: string): number | undefined {
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    let j = i;
    while (j > 0 && i - j < 3 && text.charCodeAt(j - 1) === 32) j--;
    if (j === 0 || isLineEnd(text.charCodeAt(j - 1))) return j;
  }
  return undefined;
}

/** `/<needle>[ \t]*$/m.test(text)`: `needle` with nothing but spaces and tabs after it on its line. */
export function endsSomeLine(text: string, needle: string): boolean {
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
    let j = i + needle.length;
    while (j < text.length && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    if (j === text.length || isLineEnd(text.charCodeAt(j))) return true;
  }
  return false;
}

/** `text.split('\n').length`, without making the strings. */
export function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** `text.split('\n', n)`, reading only as far as those lines: V8's split with a limit reads the whole string (22 ms on 4 MB). */
export function firstLines(text: string, n: number): string[] {
  const lines: string[] = [];
  let at = 0;
  while (lines.length < n) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) {
      lines.push(text.slice(at));
      break;
    }
    lines.push(text.slice(at, nl));
    at = nl + 1;
  }
  return lines;
}
