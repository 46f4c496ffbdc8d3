// Expected output against actual: line by line, runs of spaces alike (numpy pads its columns),
// numbers equal within a relative tolerance (1e-9 unless the snippet says otherwise), and a
// line diff to show where they part.

export const DEFAULT_TOLERANCE = 1e-9;

export interface DiffLine {
  kind: ' ' | '-' | '+';
  text: string;
}

export interface Comparison {
  pass: boolean;
  /** Expected (`-`) against actual (`+`), with equal lines as context (` `). */
  diff: DiffLine[];
}

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf|nan)\b/gi;

function lines(text: string): string[] {
  // trimEnd, not /\s+$/: that regular expression is quadratic on a long run of spaces.
  const out = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd());
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

function numbersClose(a: string, b: string, tolerance: number): boolean {
  const x = Number(a.replace(/inf/i, 'Infinity'));
  const y = Number(b.replace(/inf/i, 'Infinity'));
  if (Number.isNaN(x) || Number.isNaN(y)) return /nan/i.test(a) && /nan/i.test(b);
  if (x === y) return true;
  return Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y));
}

const normalize = (line: string) => line.replace(/\s+/g, ' ').trim();

/** Past this length a line is compared exactly (a flood is not checked number by number). */
const MAX_TOLERANT_LINE = 10_000;

function sameNormalized(e: string, a: string, tolerance: number): boolean {
  if (e === a) return true;
  if (e.length > MAX_TOLERANT_LINE || a.length > MAX_TOLERANT_LINE) return false;
  const eNums = e.match(NUMBER) ?? [];
  const aNums = a.match(NUMBER) ?? [];
  if (eNums.length !== aNums.length || eNums.length === 0) return false;
  if (e.split(NUMBER).join('\u0000') !== a.split(NUMBER).join('\u0000')) return false;
  return eNums.every((n, i) => numbersClose(n, aNums[i], tolerance));
}

export function compareOutput(expected: string, actual: string, tolerance = DEFAULT_TOLERANCE): Comparison {
  const e = lines(expected);
  const a = lines(actual);
  // Normalised once: the line diff compares each pair of lines.
  const en = e.map(normalize);
  const an = a.map(normalize);
  const diff = diffLines(e, a, (i, j) => sameNormalized(en[i], an[j], tolerance));
  return { pass: diff.every((d) => d.kind === ' '), diff };
}

/** Longest-common-subsequence line diff (outputs are short; capped so a flood stays cheap). */
function diffLines(e: string[], a: string[], same: (i: number, j: number) => boolean): DiffLine[] {
  const MAX = 400;
  if (e.length > MAX || a.length > MAX) {
    const out: DiffLine[] = [];
    for (let i = 0; i < Math.max(e.length, a.length); i++) {
      if (i < e.length && i < a.length && same(i, i)) out.push({ kind: ' ', text: a[i] });
      else {
        if (i < e.length) out.push({ kind: '-', text: e[i] });
        if (i < a.length) out.push({ kind: '+', text: a[i] });
      }
    }
    return out;
  }
  const n = e.length;
  const m = a.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = same(i, j) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same(i, j)) {
      out.push({ kind: ' ', text: a[j] });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ kind: '-', text: e[i++] }); // expected before actual, as diff(1) shows a change
    } else {
      out.push({ kind: '+', text: a[j++] });
    }
  }
  return out;
}
