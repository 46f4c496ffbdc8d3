// Rewrites what MathJax accepts and KaTeX does not into KaTeX's equivalent, as edits on the
// formula (so positions still map back to the note). Each case is one MathJax reads (its source:
// node_modules/mathjax-full/js/input/tex/) and a real note wrote, or the linter was asked not to
// call an error; test/unit/mathjaxOracle.test.ts finds what is still missing on the corpus. Environments and numbering are done in
// numbering.ts; macro definitions in macros.ts.

import { bboxOptionsToCss, sanitizeFormulaCss } from './cssAllowlist';
import type { Replacement } from './editedString';
import { environmentName, readArgument, readOptionalArgument, scanTex, skipSpaces, type TexToken } from './texScanner';

/** Commands MathJax accepts and KaTeX lacks that only carry metadata: dropped with their argument. */
const DROP_WITH_ARGUMENT = new Set(['\\require', '\\uproot', '\\leftroot']);
/** Commands whose first argument is an id or class: dropped, the second argument stays. */
const UNWRAP_SECOND = new Set(['\\cssId', '\\class']);
/** Text-mode commands, where MathJax shows `_` and `^` literally (and CJK is text, cjk-in-math). */
export const TEXT_COMMANDS: ReadonlySet<string> = new Set([
  '\\text',
  '\\textrm',
  '\\textit',
  '\\textbf',
  '\\textsf',
  '\\texttt',
  '\\textup',
  '\\textnormal',
  '\\mbox',
  '\\hbox',
]);
/** Arity of commands that MathJax allows as an unbraced sub/superscript (`\min_\boldsymbol{B}`). */
const ARITY: Record<string, number> = {
  '\\frac': 2,
  '\\dfrac': 2,
  '\\tfrac': 2,
  '\\binom': 2,
  '\\dbinom': 2,
  '\\tbinom': 2,
  '\\overset': 2,
  '\\underset': 2,
  '\\stackrel': 2,
};
for (const name of [
  'boldsymbol',
  'bm',
  'pmb',
  'mathbf',
  'mathrm',
  'mathit',
  'mathcal',
  'mathbb',
  'mathfrak',
  'mathscr',
  'mathsf',
  'mathtt',
  'mathnormal',
  'text',
  'textrm',
  'textbf',
  'textit',
  'operatorname',
  'hat',
  'widehat',
  'tilde',
  'widetilde',
  'bar',
  'overline',
  'underline',
  'vec',
  'dot',
  'ddot',
  'check',
  'breve',
  'acute',
  'grave',
  'mathring',
  'overrightarrow',
  'overleftarrow',
  'sqrt',
  'boxed',
  'color',
  'mbox',
])
  ARITY['\\' + name] = 1;

const SPACING = new Set(['\\,', '\\;', '\\:', '\\!', '\\>', '\\ ', '\\quad', '\\qquad', '\\enspace', '\\thinspace']);

export function mathjaxCompatEdits(tex: string): Replacement[] {
  if (!needsCompat(tex)) return [];
  const tokens = scanTex(tex);
  const edits: Replacement[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'cs') {
      const next = fixCommand(tex, tokens, i, edits);
      if (next !== undefined) i = next;
    } else if (t.kind === 'char' && (t.text === '_' || t.text === '^')) {
      braceCommandScript(tokens, i, edits);
    }
  }
  return edits;
}

/** Cheap pre-check: most formulas need none of this. */
function needsCompat(tex: string): boolean {
  return /\\(?:text|mbox|hbox|require|uproot|leftroot|cssId|class|style|bbox|unicode)|[_^]\s*\\[A-Za-z,;:!> ]|\\begin\s*\{array\}\s*(?:\[[^\]]*\]\s*)?[^\s{[]/.test(
    tex,
  );
}

/** Handles the command at tokens[i]; returns the last token index consumed, if it consumed any. */
function fixCommand(tex: string, tokens: TexToken[], i: number, edits: Replacement[]): number | undefined {
  const t = tokens[i];
  const name = t.text;
  if (DROP_WITH_ARGUMENT.has(name)) {
    const arg = readArgument(tokens, i + 1);
    edits.push({ start: t.start, end: arg ? tokens[arg.last].end : t.end, text: '' });
    return arg?.last;
  }
  if (UNWRAP_SECOND.has(name)) {
    const first = readArgument(tokens, i + 1);
    if (!first) return undefined;
    edits.push({ start: t.start, end: tokens[first.last].end, text: '' });
    return first.last;
  }
  if (name === '\\style') {
    const css = readArgument(tokens, i + 1);
    if (!css) return undefined;
    const written = tex.slice(css.contentStart, css.contentEnd).replace(/\\%/g, '%'); // `%` was escaped before tokenizing
    edits.push({ start: t.start, end: tokens[css.last].end, text: htmlStyle(sanitizeFormulaCss(written)) });
    return css.last;
  }
  if (name === '\\bbox') {
    const opts = readOptionalArgument(tokens, i + 1);
    const end = opts ? tokens[opts.last].end : t.end;
    edits.push({ start: t.start, end, text: htmlStyle(opts ? bboxOptionsToCss(tex.slice(opts.contentStart, opts.contentEnd)) : '') });
    return opts?.last;
  }
  if (name === '\\unicode') return unicodeChar(tex, tokens, i, edits);
  if (name === '\\begin') return columnlessArray(tex, tokens, i, edits);
  if (TEXT_COMMANDS.has(name)) {
    if (name === '\\mbox' || name === '\\hbox') edits.push({ start: t.start, end: t.end, text: '\\text' });
    const arg = readArgument(tokens, i + 1);
    if (!arg || !arg.braced) return undefined;
    escapeScriptsInText(tokens, arg.first + 1, arg.last, edits);
    return arg.last;
  }
  return undefined;
}

/**
 * MathJax's `\unicode[font]{x2124}` (or `{8484}`): the character, as KaTeX's `\char"2124`. A
 * code KaTeX cannot draw as a character (not a scalar value) is left for KaTeX to call undefined.
 */
function unicodeChar(tex: string, tokens: TexToken[], i: number, edits: Replacement[]): number | undefined {
  const font = readOptionalArgument(tokens, i + 1);
  const arg = readArgument(tokens, font ? font.last + 1 : i + 1);
  if (!arg || !arg.braced) return undefined;
  const code = tex.slice(arg.contentStart, arg.contentEnd).trim();
  const value = /^x[0-9a-f]{1,6}$/i.test(code) ? parseInt(code.slice(1), 16) : /^\d{1,7}$/.test(code) ? parseInt(code, 10) : NaN;
  if (!(value > 0 && value <= 0x10ffff) || (value >= 0xd800 && value <= 0xdfff)) return undefined;
  edits.push({ start: tokens[i].start, end: tokens[arg.last].end, text: `{\\char"${value.toString(16).toUpperCase()}}` });
  return arg.last;
}

/** A text command (or \style, whose first argument is CSS) and its opening brace. */
const TEXT_ARGUMENT = new RegExp(`\\\\(?:${[...TEXT_COMMANDS, '\\style'].map((c) => c.slice(1)).join('|')})\\s*\\{`, 'g');

/**
 * MathJax 2 (the blog's engine) shows `%` inside \text{…} literally (`\textbf{69.79%}`); in TeX it
 * starts a comment that swallows the closing brace. Escape a `%` whose text group closes on its line.
 */
export function textPercentEdits(tex: string): Replacement[] {
  if (!tex.includes('%')) return [];
  const edits: Replacement[] = [];
  for (const m of tex.matchAll(TEXT_ARGUMENT)) {
    let depth = 1;
    const pending: number[] = [];
    const limit = Math.min(tex.length, m.index! + m[0].length + 2000); // a text argument is short
    for (let k = m.index! + m[0].length; k < limit && depth > 0; k++) {
      const c = tex[k];
      if (c === '\\') k++;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === '%') pending.push(k);
      else if (c === '\n') break;
    }
    if (depth === 0) for (const k of pending) edits.push({ start: k, end: k, text: '\\' });
  }
  return edits;
}

/** `\htmlStyle{css}` (its body argument follows in the source); no CSS left means a plain group. */
function htmlStyle(css: string): string {
  return css ? `\\htmlStyle{${css}}` : '';
}

/** Inside \text{…}: `_` and `^` are literal characters (outside nested `$…$`). */
function escapeScriptsInText(tokens: TexToken[], from: number, to: number, edits: Replacement[]): void {
  let inMath = false;
  for (let k = from; k < to; k++) {
    const t = tokens[k];
    if (t.kind !== 'char') continue;
    if (t.text === '$') inMath = !inMath;
    else if (!inMath && t.text === '_') edits.push({ start: t.start, end: t.end, text: '\\_' });
    else if (!inMath && t.text === '^') edits.push({ start: t.start, end: t.end, text: '\\^{}' });
  }
}

/**
 * `\begin{array} l …`: MathJax takes the next token, whatever it is, as the column spec (keeping its
 * `c`, `l`, `r`, `|`, `:`; a command counts by its name's letters), where KaTeX wants a group and
 * refuses other letters. The token becomes the group MathJax reads (`{l}`, `{}`).
 */
function columnlessArray(tex: string, tokens: TexToken[], i: number, edits: Replacement[]): number | undefined {
  if (environmentName(tokens, i, tex) !== 'array') return undefined;
  let last = readArgument(tokens, i + 1)!.last;
  const position = readOptionalArgument(tokens, last + 1);
  if (position) last = position.last;
  const spec = readArgument(tokens, last + 1);
  if (!spec || spec.braced) return undefined;
  const t = tokens[spec.first];
  edits.push({ start: t.start, end: t.end, text: `{${t.text.replace(/[^clr|:]/g, '')}}` });
  return spec.last;
}

/** `x_\boldsymbol{B}` → `x_{\boldsymbol{B}}`: KaTeX wants a group when the script is a command with arguments. */
function braceCommandScript(tokens: TexToken[], i: number, edits: Replacement[]): void {
  const j = skipSpaces(tokens, i + 1);
  const cmd = tokens[j];
  if (cmd?.kind !== 'cs') return;
  if (cmd.text === '\\limits' || cmd.text === '\\nolimits') {
    // `\lim_\limits{x}`: MathJax applies \limits to the operator under the script; KaTeX reads it
    // as the script. It moves before the `_`.
    edits.push({ start: tokens[i].start, end: tokens[i].start, text: cmd.text });
    edits.push({ start: cmd.start, end: cmd.end, text: '' });
    return;
  }
  if (SPACING.has(cmd.text)) {
    // `^\,`: KaTeX's spacing commands are macros of several tokens, so they need a group.
    edits.push({ start: cmd.start, end: cmd.start, text: '{' });
    edits.push({ start: cmd.end, end: cmd.end, text: '}' });
    return;
  }
  const arity = ARITY[cmd.text];
  if (!arity) return;
  let last = j;
  if (cmd.text === '\\sqrt') {
    const opt = readOptionalArgument(tokens, last + 1);
    if (opt) last = opt.last;
  }
  for (let a = 0; a < arity; a++) {
    const arg = readArgument(tokens, last + 1);
    if (!arg) return;
    last = arg.last;
  }
  edits.push({ start: cmd.start, end: cmd.start, text: '{' });
  edits.push({ start: tokens[last].end, end: tokens[last].end, text: '}' });
}
