// AMS equation numbering as MathJax does it (tags: 'ams'): `equation` and `multline` get one
// number, each row of `align`, `gather`, `alignat`, `flalign`, `eqnarray` gets one; starred forms,
// \nonumber and \notag get none; \tag{…} sets the text without advancing the counter. We hand
// KaTeX the starred environment with an explicit \tag{n}, so the number is real text in the page
// (not a CSS counter) and counts per post, not per page.

import type { Replacement } from './editedString';
import { environmentName, readArgument, readOptionalArgument, scanTex, skipSpaces } from './texScanner';

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
  const edits: Replacement[] = [];
  const outside: Row = newRow(0); // labels and tags not inside a numbered environment
  const groups: Group[] = [];
  if (!/\\(?:begin|label|tag|nonumber|notag)/.test(tex)) return { rows: [], labels: [], edits };
  const tokens = scanTex(tex);
  const envStack: string[] = [];
  let depth = 0;
  let group: Group | undefined;
  const row = () => (group ? group.rows[group.rows.length - 1] : outside);

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'open') depth++;
    else if (t.kind === 'close') depth--;
    if (
      t.kind === 'char' &&
      t.text === '&' &&
      group?.base === 'eqnarray' &&
      envStack.length === group.envLevel &&
      depth === group.braceDepth
    ) {
      // eqnarray is `rcl`; as align (`rl`) the relation joins the right-hand side.
      if (++group.ampersands === 2) edits.push({ start: t.start, end: t.end, text: '' });
      continue;
    }
    if (t.kind !== 'cs') continue;
    switch (t.text) {
      case '\\begin': {
        const name = environmentName(tokens, i, tex);
        const arg = readArgument(tokens, i + 1);
        if (name === undefined || !arg) break;
        envStack.push(name);
        const base = name.replace(/\*$/, '');
        if (!group && (SINGLE.has(base) || ROWS.has(base))) {
          group = { base, starred: name.endsWith('*'), envLevel: envStack.length, braceDepth: depth, rows: [], ampersands: 0 };
          let contentStart = tokens[arg.last].end;
          if (base === 'alignat' || base === 'xalignat' || base === 'xxalignat') {
            const cols = readArgument(tokens, arg.last + 1); // \begin{alignat}{2}
            if (cols) contentStart = tokens[cols.last].end;
          }
          group.rows.push(newRow(contentStart));
          groups.push(group);
          edits.push({ start: arg.contentStart, end: arg.contentEnd, text: KATEX_ENV[base] });
        }
        i = arg.last;
        break;
      }
      case '\\end': {
        const name = environmentName(tokens, i, tex);
        const arg = readArgument(tokens, i + 1);
        if (name === undefined || !arg) break;
        if (group && envStack.length === group.envLevel) {
          row().end = t.start;
          edits.push({ start: arg.contentStart, end: arg.contentEnd, text: KATEX_ENV[group.base] });
          group = undefined;
        }
        if (envStack[envStack.length - 1] === name) envStack.pop();
        i = arg.last;
        break;
      }
      case '\\cr':
      case '\\\\': {
        if (group && ROWS.has(group.base) && envStack.length === group.envLevel && depth === group.braceDepth) {
          row().end = t.start;
          // `\\[5pt]` and `\\*`: the spacing belongs to the break, not to the next row.
          let next = i + 1;
          if (tokens[next]?.kind === 'char' && tokens[next].text === '*') next++;
          const spacing = readOptionalArgument(tokens, next);
          const contentStart = spacing ? tokens[spacing.last].end : tokens[next - 1].end;
          group.rows.push(newRow(contentStart));
          group.ampersands = 0;
        }
        break;
      }
      case '\\label': {
        const arg = readArgument(tokens, i + 1);
        if (!arg) break;
        const end = tokens[arg.last].end;
        row().labels.push({ name: tex.slice(arg.contentStart, arg.contentEnd).trim(), start: t.start, end });
        edits.push({ start: t.start, end, text: '' });
        i = arg.last;
        break;
      }
      case '\\tag': {
        let j = skipSpaces(tokens, i + 1);
        const star = tokens[j]?.kind === 'char' && tokens[j].text === '*';
        if (star) j++;
        const arg = readArgument(tokens, j);
        if (!arg) break;
        row().tag = tex.slice(arg.contentStart, arg.contentEnd);
        i = arg.last;
        break;
      }
      case '\\nonumber':
      case '\\notag':
        row().nonumber = true;
        edits.push({ start: t.start, end: t.end, text: '' });
        break;
    }
  }

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
  return { rows, labels, edits };
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
