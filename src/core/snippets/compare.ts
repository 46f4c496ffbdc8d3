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
  const out = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
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

/** Do two lines say the same, numbers within `tolerance`? */
export function sameLine(expected: string, actual: string, tolerance: number): boolean {
  const e = expected.replace(/\s+/g, ' ').trim();
  const a = actual.replace(/\s+/g, ' ').trim();
  if (e === a) return true;
  const eNums = e.match(NUMBER) ?? [];
  const aNums = a.match(NUMBER) ?? [];
  if (eNums.length !== aNums.length || eNums.length === 0) return false;
  if (e.split(NUMBER).join('\u0000') !== a.split(NUMBER).join('\u0000')) return false;
  return eNums.every((n, i) => numbersClose(n, aNums[i], tolerance));
}

export function compareOutput(expected: string, actual: string, tolerance = DEFAULT_TOLERANCE): Comparison {
  const e = lines(expected);
  const a = lines(actual);
  const diff = diffLines(e, a, (x, y) => sameLine(x, y, tolerance));
  return { pass: diff.every((d) => d.kind === ' '), diff };
}

/** Longest-common-subsequence line diff (outputs are short; capped so a flood stays cheap). */
function diffLines(e: string[], a: string[], same: (x: string, y: string) => boolean): DiffLine[] {
  const MAX = 400;
  if (e.length > MAX || a.length > MAX) {
    const out: DiffLine[] = [];
    for (let i = 0; i < Math.max(e.length, a.length); i++) {
      if (i < e.length && i < a.length && same(e[i], a[i])) out.push({ kind: ' ', text: a[i] });
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
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = same(e[i], a[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same(e[i], a[j])) {
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
