// A `|` inside a formula in a table row does not split the cell. markdown-it's table rule (GFM's)
// splits a row at every unescaped `|` before any inline rule runs, so `| $|x|$ | a |` would lose its
// formula. We wrap that rule: while it runs, the `|`s inside formulas — as the math finder finds
// them on the row's line, with code spans left out — read as a placeholder of the same length (the
// rule's offsets and lines stay true), and the cells it makes get them back. The table rule itself
// decides everything else (where a table starts and ends, in quotes and list items too), so no
// scanner of ours says what a table is.
//
// GitHub and VS Code's built-in preview split `$a|b$` in a cell (GFM splits rows first, even inside
// code spans), and turn `\|` in a cell into `|` (the backslash is eaten before the math engine sees
// the TeX). We keep a formula whole, as MathJax on a page whose Markdown leaves math alone (and
// Typora, Obsidian) shows it: `$a|b$` is one cell with `a|b`, and `\|` inside a formula is TeX's
// `\|` (‖), not an escaped pipe. A `\|` outside math still escapes a pipe, as in GFM.

import type MarkdownIt = require('markdown-it');
import type { Markdown } from './engine';
import { blankCodeSpans, formulaAt } from './mathFinder';
import { budgetOf, finderOptions, whileSourceAltered } from './mathSyntax';

type StateBlock = MarkdownIt.StateBlock;
type BlockRule = (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean;

/**
 * Whether src[start, end) may be a table's delimiter row (markdown-it's own test is stricter):
 * `/^[ \t]*[|:-][-:| \t]*$/` without slicing the line (the rule is asked at every paragraph line).
 */
export function mayBeDelimiterRow(src: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && (src.charCodeAt(i) === 0x20 || src.charCodeAt(i) === 0x09)) i++;
  if (i === end) return false;
  for (; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c !== 0x7c && c !== 0x3a && c !== 0x2d && c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/** The source with the pipes inside formulas replaced, once per parse (the env is the parse's own). */
const altered = new WeakMap<object, { src: string; altered: string; placeholder: string }>();

export function tableMath(md: Markdown): void {
  const rules = (md.block.ruler as unknown as { __rules__: Array<{ name: string; fn: BlockRule; alt: string[] }> }).__rules__;
  const table = rules.find((r) => r.name === 'table');
  if (!table) return;
  const original = table.fn;
  md.block.ruler.at(
    'table',
    (state, startLine, endLine, silent) => {
      const next = startLine + 1;
      if (next >= endLine || !mayBeDelimiterRow(state.src, state.bMarks[next], state.eMarks[next]))
        return original(state, startLine, endLine, silent);
      const protectedSource = withPipesInMath(state);
      if (!protectedSource) return original(state, startLine, endLine, silent);
      const src = state.src;
      const before = state.tokens.length;
      let found: boolean;
      state.src = protectedSource.altered;
      try {
        found = whileSourceAltered(() => original(state, startLine, endLine, silent));
      } finally {
        state.src = src;
      }
      for (let i = before; i < state.tokens.length; i++) {
        const t = state.tokens[i];
        if (t.type === 'inline' && t.content.includes(protectedSource.placeholder))
          t.content = t.content.replaceAll(protectedSource.placeholder, '|');
      }
      return found;
    },
    { alt: table.alt.slice() },
  );
}

/**
 * The parse's source with every `|` inside a formula on a line that holds a `|` replaced by a
 * placeholder the source does not contain; undefined when there is no such `|`. A formula in a
 * table cell is inline and on its row's line, and what precedes a row's text on its line (`>`,
 * list indentation) opens no formula, so the line is read from its first column.
 */
function withPipesInMath(state: StateBlock): { altered: string; placeholder: string } | undefined {
  const env = (state.env ?? {}) as object;
  const src = state.src;
  let known = altered.get(env);
  if (!known || known.src !== src) {
    known = { src, ...alter(src, state) };
    altered.set(env, known);
  }
  return known.altered === src ? undefined : known;
}

function alter(src: string, state: StateBlock): { altered: string; placeholder: string } {
  if (!src.includes('|') || (!src.includes('$') && !src.includes('\\'))) return { altered: src, placeholder: '' };
  const options = finderOptions(state.env);
  const budget = budgetOf(state.env, src.length);
  let placeholder = 0xe000;
  while (src.includes(String.fromCharCode(placeholder)) && placeholder < 0xf8ff) placeholder++;
  const p = String.fromCharCode(placeholder);
  const pieces: string[] = [];
  let copied = 0;
  for (let start = 0; start < src.length;) {
    const nl = src.indexOf('\n', start);
    const end = nl < 0 ? src.length : nl;
    const line = src.slice(start, end);
    if (line.includes('|') && (line.includes('$') || line.includes('\\'))) {
      const text = blankCodeSpans(line);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c !== 0x24 && c !== 0x5c) continue;
        const found = formulaAt(text, i, text.length, options, budget);
        if (found) {
          const inside = line.slice(found.opener.start, found.closing.end);
          if (inside.includes('|')) {
            pieces.push(src.slice(copied, start + found.opener.start), inside.replaceAll('|', p));
            copied = start + found.closing.end;
          }
          i = found.closing.end - 1;
        } else if (c === 0x5c) i++;
      }
    }
    start = end + 1;
  }
  if (copied === 0) return { altered: src, placeholder: '' };
  pieces.push(src.slice(copied));
  return { altered: pieces.join(''), placeholder: p };
}
