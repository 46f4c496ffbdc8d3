// Completion where an author types TeX: after `\eqref{`, `\ref{` the post's labels with their
// numbers, nearest first; after `\label{` the names the post refers to but never defines; in math,
// `\` + letters KaTeX's commands and the macros in force (the note's own with their definition);
// after `\begin{` the environments, as snippets that place the `\end{…}`.

import { KATEX_COMMANDS } from '../lint/katexCommands';
import type { LabelSite, NoteEquations, PostEquations } from './noteEquations';
import { formulaAt, postAt } from './siteAt';

export interface LabelCompletion {
  name: string;
  /** What the reference will show, without parentheses. */
  number: string;
  /** 0-based line of the labelled formula. */
  line: number;
  label: LabelSite;
}

export interface CommandCompletion {
  /** With the backslash: `\frac`. */
  name: string;
  /** A macro's body; undefined for KaTeX's own commands. */
  definition?: string;
  /** Defined by the note itself (not the preset nor the settings). */
  own: boolean;
}

export interface EnvironmentCompletion {
  name: string;
  /** A VS Code snippet replacing the typed name: `align}\n\t$0\n\\end{align}`. */
  snippet: string;
}

export type EquationCompletions =
  | { kind: 'reference'; command: 'eqref' | 'ref'; start: number; end: number; items: LabelCompletion[] }
  | { kind: 'label'; start: number; end: number; items: Array<{ name: string; line: number }> }
  | { kind: 'command'; start: number; end: number; items: CommandCompletion[] }
  | { kind: 'environment'; start: number; end: number; items: EnvironmentCompletion[] };

/** Environments KaTeX typesets, and the numbered ones the page numbers before KaTeX sees them. */
export const ENVIRONMENTS: readonly string[] = [
  'equation',
  'equation*',
  'align',
  'align*',
  'aligned',
  'alignat',
  'alignat*',
  'alignedat',
  'gather',
  'gather*',
  'gathered',
  'multline',
  'multline*',
  'flalign',
  'flalign*',
  'eqnarray',
  'split',
  'cases',
  'dcases',
  'rcases',
  'drcases',
  'matrix',
  'pmatrix',
  'bmatrix',
  'Bmatrix',
  'vmatrix',
  'Vmatrix',
  'smallmatrix',
  'array',
  'darray',
  'subarray',
  'CD',
];

const REFERENCE_OPEN = /\\(eqref|ref|label)\s*\{([^{}\s\\]*)$/;
const ENVIRONMENT_OPEN = /\\begin\s*\{([A-Za-z*]*)$/;
const COMMAND_OPEN = /\\([A-Za-z]*)$/;

export function equationCompletions(eq: NoteEquations, offset: number): EquationCompletions | undefined {
  const post = postAt(eq, offset);
  if (!post) return undefined;
  const { line } = eq.doc.positionAt(offset);
  const before = eq.doc.text.slice(eq.doc.lineStart(line), offset);
  const ref = REFERENCE_OPEN.exec(before);
  if (ref) {
    const start = offset - ref[2].length;
    const end = nameEnd(eq.doc.text, offset);
    if (ref[1] === 'label') return { kind: 'label', start, end, items: undefinedNames(eq, post, line) };
    return { kind: 'reference', command: ref[1] as 'eqref' | 'ref', start, end, items: nearestLabels(post, line) };
  }
  const env = ENVIRONMENT_OPEN.exec(before);
  if (env) {
    const start = offset - env[1].length;
    // A `}` already typed after the name (an editor's auto-closed brace) is replaced, not doubled.
    const end = eq.doc.text[nameEnd(eq.doc.text, offset)] === '}' ? nameEnd(eq.doc.text, offset) + 1 : offset;
    return { kind: 'environment', start, end, items: ENVIRONMENTS.map((name) => ({ name, snippet: `${name}}\n\t$0\n\\\\end{${name}}` })) };
  }
  const command = COMMAND_OPEN.exec(before);
  if (command && inMath(eq, post, offset, line)) {
    return { kind: 'command', start: offset - command[0].length, end: offset, items: commands(post, offset) };
  }
  return undefined;
}

/** Where the name being typed ends: the name's characters after the cursor, up to a brace or space. */
function nameEnd(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && !/[{}\s\\]/.test(text[end])) end++;
  return end;
}

/** The post's labels that references can lead to, nearest the cursor's line first (above before below on a tie). */
export function nearestLabels(post: PostEquations, line: number): LabelCompletion[] {
  return post.labels
    .filter((l) => l.defines)
    .map((l) => ({ name: l.name, number: l.number!, line: l.formula.line, label: l }))
    .sort((a, b) => Math.abs(a.line - line) - Math.abs(b.line - line) || a.line - b.line);
}

/** Names the post refers to without a label for them: what a new `\label{` most likely names. */
function undefinedNames(eq: NoteEquations, post: PostEquations, line: number): Array<{ name: string; line: number }> {
  const defined = new Set(post.labels.map((l) => l.name));
  const seen = new Map<string, number>();
  for (const r of post.references) {
    if (defined.has(r.name) || !r.name) continue;
    const at = eq.doc.positionAt(r.start).line;
    if (!seen.has(r.name) || Math.abs(at - line) < Math.abs(seen.get(r.name)! - line)) seen.set(r.name, at);
  }
  return [...seen].map(([name, at]) => ({ name, line: at })).sort((a, b) => Math.abs(a.line - line) - Math.abs(b.line - line));
}

/** In a formula the page found, or after an opener the page shows as text on this line (math being typed). */
function inMath(eq: NoteEquations, post: PostEquations, offset: number, line: number): boolean {
  if (formulaAt(post, offset)) return true;
  const lineStart = eq.doc.lineStart(line);
  return post.math.unclosed.some((u) => u.line === line && lineStart + u.column < offset);
}

function commands(post: PostEquations, offset: number): CommandCompletion[] {
  const f = formulaAt(post, offset);
  const macros = f ? f.formula.macros : post.math.macrosInForce;
  const own = new Set(post.math.definedMacros.map((d) => d.name));
  const out: CommandCompletion[] = [];
  const named = new Set<string>();
  for (const [name, body] of Object.entries(macros)) {
    named.add(name);
    out.push({ name, definition: body, own: own.has(name) });
  }
  for (const c of KATEX_COMMANDS) {
    const name = '\\' + c;
    if (!named.has(name) && /^[A-Za-z]+$/.test(c)) out.push({ name, own: false });
  }
  return out;
}
