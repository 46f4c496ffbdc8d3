// AMS equation numbering as MathJax does it (tags: 'ams'): `equation` and `multline` get one
// number, each row of `align`, `gather`, `alignat`, `flalign`, `eqnarray` gets one; starred forms,
// \nonumber and \notag get none; \tag{…} sets the text without advancing the counter. We hand
// KaTeX the starred environment with an explicit \tag{n}, so the number is real text in the page
// (not a CSS counter) and counts per post, not per page.

import type { Replacement } from './editedString';
import { environmentName, readArgument, readOptionalArgument, scanTex, skipSpaces, type TexToken } from './texScanner';

export interface EquationRow {
  /** The automatic number, when the row got one. */
  number?: number;
  /** The text a reference shows: `3` for (3), `★` for \tag{★}. */
  text?: string;
  labels: string[];
}

export interface LabelDefinition {
  name: string;
  /** Offsets of `\label{…}` in the formula. */
  start: number;
  end: number;
  /** The row it names; undefined for a label in a display that gets no number. */
  row?: EquationRow;
}

export interface NumberedDisplay {
  /** Rows that carry a number or a tag, in order. */
  rows: EquationRow[];
  labels: LabelDefinition[];
  edits: Replacement[];
}

const SINGLE = new Set(['equation', 'multline']);
const ROWS = new Set(['align', 'gather', 'alignat', 'flalign', 'eqnarray', 'xalignat', 'xxalignat']);

/** `equation`, `align*` …: the environments AMS numbering knows (numbered unless starred). */
export function isNumberingEnvironment(name: string): boolean {
  const base = name.endsWith('*') ? name.slice(0, -1) : name;
  return SINGLE.has(base) || ROWS.has(base);
}
/** What KaTeX gets instead (starred: we add the tags ourselves). */
const KATEX_ENV: Record<string, string> = {
  equation: 'equation*',
  multline: 'gather*',
  align: 'align*',
  gather: 'gather*',
  alignat: 'alignat*',
  flalign: 'align*',
  eqnarray: 'align*',
  xalignat: 'alignat*',
  xxalignat: 'alignat*',
};

interface Row {
  labels: LabelDefinition[];
  tag?: string;
  nonumber: boolean;
  contentStart: number;
  /** Offset where a \tag{n} goes: before the row's `\\` or the environment's `\end`. */
  end: number;
}

interface Group {
  base: string;
  starred: boolean;
  /** Environment-stack depth and brace depth inside the group's environment. */
  envLevel: number;
  braceDepth: number;
  rows: Row[];
  ampersands: number;
}

/** A row with nothing to typeset: spaces, comments, \label — MathJax gives a trailing one no number. */
const isEmptyRow = (text: string) =>
  text
    .replace(/%[^\n]*/g, '')
    .replace(/\\label\s*\{[^{}]*\}/g, '')
    .trim() === '';

const newRow = (contentStart: number): Row => ({ labels: [], nonumber: false, contentStart, end: contentStart });

export function numberDisplay(tex: string, nextNumber: () => number): NumberedDisplay {
  if (!/\\(?:begin|label|tag|nonumber|notag)/.test(tex)) return { rows: [], labels: [], edits: [] };
  // Step 1: the rows of each numbered environment, with their labels, tags and \nonumber.
  const scan = new RowScanner(tex);
  scan.run();
  // Step 2: a number (or the tag) for each row that gets one, in order, and each label's row.
  const { rows, labels } = settleRows(tex, scan.groups, scan.outside, nextNumber, scan.edits);
  return { rows, labels, edits: scan.edits };
}

/** Reads a display's TeX once, environment by environment and row by row (numberDisplay's step 1). */
class RowScanner {
  readonly edits: Replacement[] = [];
  /** Labels and tags not inside a numbered environment. */
  readonly outside: Row = newRow(0);
  readonly groups: Group[] = [];
  private readonly tokens: TexToken[];
  private readonly envStack: string[] = [];
  private depth = 0;
  private group: Group | undefined;

  constructor(private readonly tex: string) {
    this.tokens = scanTex(tex);
  }

  private row(): Row {
    return this.group ? this.group.rows[this.group.rows.length - 1] : this.outside;
  }

  /** Whether the scan is at the numbered environment's own level (not inside a nested one or a group). */
  private atGroupLevel(g: Group): boolean {
    return this.envStack.length === g.envLevel && this.depth === g.braceDepth;
  }

  run(): void {
    const tokens = this.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.kind === 'open') this.depth++;
      else if (t.kind === 'close') this.depth--;
      if (t.kind === 'char' && t.text === '&' && this.group?.base === 'eqnarray' && this.atGroupLevel(this.group)) {
        // eqnarray is `rcl`; as align (`rl`) the relation joins the right-hand side.
        if (++this.group.ampersands === 2) this.edits.push({ start: t.start, end: t.end, text: '' });
        continue;
      }
      if (t.kind !== 'cs') continue;
      switch (t.text) {
        case '\\begin':
          i = this.begin(i);
          break;
        case '\\end':
          i = this.end(i);
          break;
        case '\\cr':
        case '\\\\':
          this.rowBreak(i);
          break;
        case '\\label':
          i = this.label(i);
          break;
        case '\\tag':
          i = this.tag(i);
          break;
        case '\\nonumber':
        case '\\notag':
          this.row().nonumber = true;
          this.edits.push({ start: t.start, end: t.end, text: '' });
          break;
      }
    }
  }

  /** `\begin{name}`: a numbered environment opens a group (its name made KaTeX's); returns the token to go on after. */
  private begin(i: number): number {
    const { tokens, tex } = this;
    const name = environmentName(tokens, i, tex);
    const arg = readArgument(tokens, i + 1);
    if (name === undefined || !arg) return i;
    this.envStack.push(name);
    const base = name.replace(/\*$/, '');
    if (!this.group && (SINGLE.has(base) || ROWS.has(base))) {
      const group: Group = {
        base,
        starred: name.endsWith('*'),
        envLevel: this.envStack.length,
        braceDepth: this.depth,
        rows: [],
        ampersands: 0,
      };
      let contentStart = tokens[arg.last].end;
      if (base === 'alignat' || base === 'xalignat' || base === 'xxalignat') {
        const cols = readArgument(tokens, arg.last + 1); // \begin{alignat}{2}
        if (cols) contentStart = tokens[cols.last].end;
      }
      group.rows.push(newRow(contentStart));
      this.groups.push(group);
      this.group = group;
      this.edits.push({ start: arg.contentStart, end: arg.contentEnd, text: KATEX_ENV[base] });
    }
    return arg.last;
  }

  /** `\end{name}`: the group's last row ends here. */
  private end(i: number): number {
    const { tokens, tex } = this;
    const name = environmentName(tokens, i, tex);
    const arg = readArgument(tokens, i + 1);
    if (name === undefined || !arg) return i;
    if (this.group && this.envStack.length === this.group.envLevel) {
      this.row().end = tokens[i].start;
      this.edits.push({ start: arg.contentStart, end: arg.contentEnd, text: KATEX_ENV[this.group.base] });
      this.group = undefined;
    }
    if (this.envStack[this.envStack.length - 1] === name) this.envStack.pop();
    return arg.last;
  }

  /** `\\` or `\cr` at the group's level of a rows environment: a new row. */
  private rowBreak(i: number): void {
    const { tokens, group } = this;
    if (!group || !ROWS.has(group.base) || !this.atGroupLevel(group)) return;
    this.row().end = tokens[i].start;
    // `\\[5pt]` and `\\*`: the spacing belongs to the break, not to the next row.
    let next = i + 1;
    if (tokens[next]?.kind === 'char' && tokens[next].text === '*') next++;
    const spacing = readOptionalArgument(tokens, next);
    const contentStart = spacing ? tokens[spacing.last].end : tokens[next - 1].end;
    group.rows.push(newRow(contentStart));
    group.ampersands = 0;
  }

  /** `\label{name}`: the row's; removed from the TeX (the number carries it). */
  private label(i: number): number {
    const { tokens, tex } = this;
    const arg = readArgument(tokens, i + 1);
    if (!arg) return i;
    const end = tokens[arg.last].end;
    this.row().labels.push({ name: tex.slice(arg.contentStart, arg.contentEnd).trim(), start: tokens[i].start, end });
    this.edits.push({ start: tokens[i].start, end, text: '' });
    return arg.last;
  }

  /** `\tag{…}` or `\tag*{…}`: the row shows it instead of a number. */
  private tag(i: number): number {
    const { tokens, tex } = this;
    let j = skipSpaces(tokens, i + 1);
    if (tokens[j]?.kind === 'char' && tokens[j].text === '*') j++;
    const arg = readArgument(tokens, j);
    if (!arg) return i;
    this.row().tag = tex.slice(arg.contentStart, arg.contentEnd);
    return arg.last;
  }
}

/**
 * numberDisplay's step 2: each row's number (the next one, a `\tag{n}` inserted where KaTeX shows
 * it) or its tag, and where each label points. A single-number environment numbers its rows as
 * one; a trailing empty row gets none, as in MathJax.
 */
function settleRows(
  tex: string,
  groups: readonly Group[],
  outside: Row,
  nextNumber: () => number,
  edits: Replacement[],
): { rows: EquationRow[]; labels: LabelDefinition[] } {
  const rows: EquationRow[] = [];
  const labels: LabelDefinition[] = [];
  const settle = (r: Row, numbered: boolean, insertAt: number) => {
    let out: EquationRow | undefined;
    if (r.tag !== undefined) out = { text: r.tag, labels: [] };
    else if (numbered && !r.nonumber) {
      const n = nextNumber();
      out = { number: n, text: String(n), labels: [] };
      edits.push({ start: insertAt, end: insertAt, text: `\\tag{${n}}` });
    }
    for (const l of r.labels) {
      labels.push({ ...l, row: out });
      out?.labels.push(l.name);
    }
    if (out) rows.push(out);
  };
  for (const g of groups) {
    if (SINGLE.has(g.base)) {
      // One number for the whole environment, whatever its rows.
      const merged: Row = newRow(g.rows[0].contentStart);
      for (const r of g.rows) {
        merged.labels.push(...r.labels);
        if (r.tag !== undefined) merged.tag = r.tag;
        merged.nonumber ||= r.nonumber;
      }
      settle(merged, !g.starred, g.rows[g.rows.length - 1].end);
    } else {
      g.rows.forEach((r, k) => {
        const isEmptyLast = k === g.rows.length - 1 && k > 0 && isEmptyRow(tex.slice(r.contentStart, r.end));
        settle(r, !g.starred && !isEmptyLast, r.end);
      });
    }
  }
  settle(outside, false, tex.length);
  return { rows, labels };
}

const INNER_ROWS: Record<string, string> = { aligned: 'align*', gathered: 'gather*', alignedat: 'alignat*' };

/**
 * MathJax rejects several \tag in one `aligned`, but the intent is plain: a tag per row. Such an
 * `aligned` becomes `align*` (and a wrapping `equation` goes), so each row keeps its own tag.
 */
export function taggedAlignedEdits(tex: string): Replacement[] {
  const tagCount = tex.split('\\tag').length - 1;
  if (tagCount < 2 || !/\\begin\s*\{(?:aligned|gathered|alignedat)\}/.test(tex)) return [];
  const tokens = scanTex(tex);
  const edits: Replacement[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const name = environmentName(tokens, i, tex);
    if (name === undefined) continue;
    const arg = readArgument(tokens, i + 1)!;
    if (name in INNER_ROWS) edits.push({ start: arg.contentStart, end: arg.contentEnd, text: INNER_ROWS[name] });
    else if (name === 'equation' || name === 'equation*') edits.push({ start: tokens[i].start, end: tokens[arg.last].end, text: '' });
    i = arg.last;
  }
  return edits;
}

/**
 * Inline math gets no number; MathJax still accepts \label (a label with no number), \tag,
 * \nonumber and \notag there and shows none of them. We take them out the same way.
 */
export function inlineNumberingEdits(tex: string): { edits: Replacement[]; labels: string[] } {
  const edits: Replacement[] = [];
  const labels: string[] = [];
  if (!/\\(?:label|tag|nonumber|notag)/.test(tex)) return { edits, labels };
  const tokens = scanTex(tex);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'cs') continue;
    if (t.text === '\\nonumber' || t.text === '\\notag') edits.push({ start: t.start, end: t.end, text: '' });
    if (t.text !== '\\label' && t.text !== '\\tag') continue;
    let j = i + 1;
    if (t.text === '\\tag') {
      const s = skipSpaces(tokens, j);
      if (tokens[s]?.kind === 'char' && tokens[s].text === '*') j = s + 1;
    }
    const arg = readArgument(tokens, j);
    if (!arg) continue;
    if (t.text === '\\label') labels.push(tex.slice(arg.contentStart, arg.contentEnd).trim());
    edits.push({ start: t.start, end: tokens[arg.last].end, text: '' });
    i = arg.last;
  }
  return { edits, labels };
}
