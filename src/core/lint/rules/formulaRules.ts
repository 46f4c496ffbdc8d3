// Rules about one formula: its structure (braces, \left/\right, environments), what KaTeX said
// about it (unknown-command, mathjax-only, katex-parse), CJK in math, conversion artefacts. Every
// offset here is into the formula's TeX as written; `at` maps it into the document.

import { markdownUnescapeEdits } from '../../markdown/mathDialect';
import { conversionArtefactRepairs, type ArtefactRepair } from '../../math/conversionArtefacts';
import { EditedString, type MappedText } from '../../math/editedString';
import { textPercentEdits } from '../../math/mathjaxCompat';
import { isKatexCommand } from '../../math/katexRenderer';
import type { FormulaError } from '../../math/postMath';
import { environmentName, readArgument, scanTex, type TexToken } from '../../math/texScanner';
import type { FormulaLocation } from '../locateFormula';
import { KATEX_COMMANDS } from '../katexCommands';
import { MATHJAX_COMMANDS, MATHJAX_ENVIRONMENTS } from '../mathjaxCommands';
import { suggestCommands } from '../suggest';
import { msg, type Text } from '../../l10n/message';
import type { LintFix, RuleId } from '../types';

export interface FormulaInput {
  source: string;
  loc: FormulaLocation;
  error?: FormulaError;
  macros: Readonly<Record<string, string>>;
  /** Read with Markdown's escapes undone (the note's dialect, see markdown/mathDialect.ts): no conversion artefacts then. */
  unescaped?: boolean;
}

/** A quick fix as a rule makes it: its title in the reader's language comes later (see lintNote). */
export interface FixDraft {
  title: Text;
  edits: LintFix['edits'];
  safe?: boolean;
}

export type Report = (rule: RuleId, start: number, end: number, message: Text, fixes?: FixDraft[]) => void;

/** Commands MathJax has and KaTeX lacks (and the renderer does not translate), with what to write instead. */
export const MATHJAX_ONLY: Readonly<Record<string, string>> = {
  '\\mmlToken': 'write the symbol itself',
  '\\enclose': 'use \\boxed{…}, \\cancel{…} or \\fbox{…}',
  '\\toggle': 'drop it (an interactive MathJax extension)',
  '\\mathtip': 'drop it (an interactive MathJax extension)',
  '\\texttip': 'drop it (an interactive MathJax extension)',
  '\\qty': 'use \\left( … \\right)',
  '\\dv': 'use \\frac{d}{dx}',
  '\\pdv': 'use \\frac{\\partial}{\\partial x}',
  '\\abs': 'use \\lvert … \\rvert, or define \\abs in mathNotes.macros',
  '\\norm': 'use \\lVert … \\rVert, or define \\norm in mathNotes.macros',
  '\\eqalign': 'use \\begin{aligned} … \\end{aligned}',
  '\\eqalignno': 'use \\begin{align} … \\end{align}',
  '\\buildrel': 'use \\overset{…}{…}',
  '\\newenvironment': 'write the environment out',
  '\\shoveleft': 'drop it (multline alignment)',
  '\\shoveright': 'drop it (multline alignment)',
  '\\intertext': 'end the alignment, write the text, and start a new one',
  '\\displaylines': 'use \\begin{gathered} … \\end{gathered}',
  '\\raise': 'use \\raisebox{…}{…}',
  '\\lower': 'use \\raisebox{-…}{…}',
  '\\moveleft': 'use \\kern',
  '\\Rule': 'use \\rule{…}{…}',
  '\\Space': 'use \\kern or \\hspace',
  '\\mathbfit': 'use \\boldsymbol{…}',
  '\\strut': 'use \\mathstrut',
  '\\scr': 'use \\mathscr{…}',
};

/** Commands whose argument is text or a name, not math: CJK there is fine. */
const TEXT_ARGUMENT = new Set([
  '\\text', '\\textrm', '\\textit', '\\textbf', '\\textsf', '\\texttt', '\\textup', '\\textnormal', '\\mbox', '\\hbox',
  '\\label', '\\tag', '\\eqref', '\\ref', '\\href', '\\url', '\\operatorname', '\\textcolor', '\\color', '\\htmlClass',
]);

const FULL_WIDTH_TO_ASCII: Readonly<Record<string, string>> = {
  '，': ',', '。': '.', '：': ':', '；': ';', '！': '!', '？': '?', '（': '(', '）': ')', '【': '[', '】': ']', '、': ',',
  '＋': '+', '－': '-', '＝': '=', '＜': '<', '＞': '>', '｜': '|', '　': ' ', '／': '/', '＊': '*', '［': '[', '］': ']',
};
const FULL_WIDTH_PUNCTUATION = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d]/;
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/;

export function lintFormula(f: FormulaInput, report: Report): void {
  const at = (o: number) => f.loc.toDocument(o);
  const end = at(f.source.length);
  // Structure is checked on the TeX as the preview repairs it (`\left\\{` is one artefact, not an
  // unclosed brace), with offsets mapped back.
  // `%` in \text{…} is literal (MathJax takes text arguments raw), as the pipeline makes it.
  const base = new EditedString(f.source, f.unescaped ? markdownUnescapeEdits(f.source) : []);
  const percent = base.edit(textPercentEdits(base.text));
  const repairs = f.unescaped ? [] : artefacts(f, percent, at, report);
  const repaired = percent.edit(repairs);
  const atRepaired = (o: number) => at(repaired.toSource(o));
  const rt = scanTex(repaired.text);
  const structural = braces(rt, atRepaired, end, report) | leftRight(rt, atRepaired, end, report) | environments(repaired.text, rt, atRepaired, end, report);
  cjkInMath(f.source, scanTex(f.source), at, report);
  if (f.error && !structural) katexError(f, at, report);
}

function braces(tokens: TexToken[], at: (o: number) => number, end: number, report: Report): number {
  const open: TexToken[] = [];
  let found = 0;
  for (const t of tokens) {
    if (t.kind === 'open') open.push(t);
    else if (t.kind === 'close') {
      if (open.pop()) continue;
      report('unbalanced', at(t.start), at(t.end), msg('`}` closes no `{`.'), [{ title: msg('Remove the `}`'), edits: [{ start: at(t.start), end: at(t.end), text: '' }] }]);
      found = 1;
    }
  }
  for (const t of open) {
    report('unbalanced', at(t.start), at(t.end), msg('`{` is never closed.'), [{ title: msg('Close it with `}` at the end of the formula'), edits: [{ start: end, end, text: '}' }] }]);
    found = 1;
  }
  return found;
}

function leftRight(tokens: TexToken[], at: (o: number) => number, end: number, report: Report): number {
  const open: TexToken[] = [];
  let found = 0;
  for (const t of tokens) {
    if (t.kind !== 'cs') continue;
    if (t.text === '\\left') open.push(t);
    else if (t.text === '\\right' && !open.pop()) {
      report('unbalanced', at(t.start), at(t.end), msg('`\\right` has no `\\left` before it.'), [{ title: msg('Add `\\left.` at the start of the formula'), edits: [{ start: at(0), end: at(0), text: '\\left.' }] }]);
      found = 1;
    }
  }
  for (const t of open) {
    report('unbalanced', at(t.start), at(t.end), msg('`\\left` has no `\\right` after it.'), [{ title: msg('Add `\\right.` at the end of the formula'), edits: [{ start: end, end, text: '\\right.' }] }]);
    found = 1;
  }
  return found;
}

function environments(src: string, tokens: TexToken[], at: (o: number) => number, end: number, report: Report): number {
  const open: Array<{ name: string; start: number; end: number }> = [];
  let found = 0;
  for (let i = 0; i < tokens.length; i++) {
    const name = environmentName(tokens, i, src);
    if (name === undefined) continue;
    const arg = readArgument(tokens, i + 1)!;
    const span = { name, start: tokens[i].start, end: tokens[arg.last].end };
    if (tokens[i].text === '\\begin') {
      open.push(span);
      continue;
    }
    const top = open.pop();
    if (!top) {
      report('unclosed-math', at(span.start), at(span.end), msg('`\\end{{0}}` has no `\\begin{{0}}`.', name));
      found = 1;
    } else if (top.name !== name) {
      report('unclosed-math', at(span.start), at(span.end), msg('`\\begin{{0}}` is closed by `\\end{{1}}`.', top.name, name), [
        { title: msg('Change it to `\\end{{0}}`', top.name), edits: [{ start: at(arg.contentStart), end: at(arg.contentEnd), text: top.name }] },
      ]);
      found = 1;
    }
  }
  for (const e of open) {
    report('unclosed-math', at(e.start), at(e.end), msg('`\\begin{{0}}` has no `\\end{{0}}`.', e.name), [{ title: msg('Add `\\end{{0}}` at the end of the formula', e.name), edits: [{ start: end, end, text: `\\end{${e.name}}` }] }]);
    found = 1;
  }
  return found;
}

function cjkInMath(src: string, tokens: TexToken[], at: (o: number) => number, report: Report): void {
  if (!FULL_WIDTH_PUNCTUATION.test(src) && !CJK.test(src)) return;
  // Text arguments are skipped whole.
  const skip: Array<[number, number]> = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].kind === 'cs' && TEXT_ARGUMENT.has(tokens[i].text)) {
      const arg = readArgument(tokens, i + 1);
      if (arg) skip.push([arg.contentStart, arg.contentEnd]);
    }
  }
  const skipped = (o: number) => skip.some(([s, e]) => o >= s && o < e);
  let run: TexToken[] = [];
  const flush = () => {
    if (!run.length) return;
    const start = run[0].start;
    const stop = run[run.length - 1].end;
    const text = src.slice(start, stop);
    const ascii = [...text].every((c) => c in FULL_WIDTH_TO_ASCII || /\s/.test(c));
    const fixes: FixDraft[] = [];
    if (ascii) fixes.push({ title: msg('Replace with `{0}`', [...text].map((c) => FULL_WIDTH_TO_ASCII[c] ?? c).join('')), edits: [{ start: at(start), end: at(stop), text: [...text].map((c) => FULL_WIDTH_TO_ASCII[c] ?? c).join('') }] });
    fixes.push({ title: msg('Wrap in `\\text{…}`'), edits: [{ start: at(start), end: at(stop), text: `\\text{${text}}` }] });
    const message = CJK.test(text)
      ? msg('CJK text `{0}` in math, outside `\\text{}`.', text)
      : ascii
        ? msg('Full-width punctuation `{0}` in math, outside `\\text{}`: write `{1}`.', text, fixes[0].edits[0].text)
        : msg('Full-width punctuation `{0}` in math, outside `\\text{}`.', text);
    report('cjk-in-math', at(start), at(stop), message, fixes);
    run = [];
  };
  for (const t of tokens) {
    const isWide = t.kind === 'char' && (CJK.test(t.text) || FULL_WIDTH_PUNCTUATION.test(t.text)) && !skipped(t.start);
    if (isWide) run.push(t);
    else if (!(t.kind === 'space' && run.length && !t.text.includes('\n'))) flush();
  }
  flush();
}

export const ARTEFACT_MESSAGE: Readonly<Record<ArtefactRepair['kind'], string>> = {
  'escaped-delimiter': 'A doubled backslash before a delimiter (`\\left\\\\{`): a conversion leftover for `\\left\\{`.',
  'escaped-set-brace': 'A doubled backslash before a brace (`\\\\{`): a conversion leftover for `\\{`.',
  'stray-backslash': 'A third backslash after a row end (`\\\\\\`): a conversion leftover.',
  'escaped-list-marker': 'An escaped `+`/`-` (`\\+`): a Markdown list-marker escape left by conversion.',
  'doubled-row-end': 'A doubled row end (`\\\\\\\\`): a conversion leftover that adds an empty row.',
};

function artefacts(f: FormulaInput, tex: MappedText, at: (o: number) => number, report: Report): ArtefactRepair[] {
  const isKnown = (name: string) => name in f.macros || isKatexCommand(name);
  const repairs = conversionArtefactRepairs(tex.text, isKnown);
  for (const r of repairs) {
    const start = at(tex.toSource(r.start));
    const stop = at(tex.toSource(r.end));
    // Safe: the edit is the preview's own repair, so the page stays as it was. (The repairs of a
    // formula's `\\{`…`\\}` pair hold only together: Fix all and --fix apply all of a note's.)
    report('conversion-artefact', start, Math.max(stop, start + 1), msg('{0} The preview repairs it; the note still has it.', msg(ARTEFACT_MESSAGE[r.kind])), [
      { title: r.text ? msg('Replace with `{0}`', r.text) : msg('Remove `{0}`', tex.text.slice(r.start, r.end)), edits: [{ start, end: stop, text: r.text }], safe: true },
    ]);
  }
  return repairs;
}

function katexError(f: FormulaInput, at: (o: number) => number, report: Report): void {
  const e = f.error!;
  if (/^(?:Formula too long to render|Not rendered: )/.test(e.message)) return; // our limits, not a defect of the note
  const message = e.message.replace(/^KaTeX parse error: /, '');
  // Commands KaTeX does not know: the preview shows each in red (the formula renders around them,
  // unless something else stops it: then that is reported too).
  const marked = e.undefinedCommands ?? [];
  const tokens = marked.length ? scanTex(f.source) : [];
  for (const name of marked) {
    const first = tokens.find((t) => t.kind === 'cs' && t.text === name);
    const start = first?.start ?? (name === marked[0] && e.start !== undefined && f.source.startsWith(name, e.start) ? e.start : undefined);
    undefinedCommand(f, name, start, at, report);
  }
  const undefinedCs = /^Undefined control sequence: (\\[A-Za-z@]+|\\.)/.exec(message);
  if (undefinedCs && marked.includes(undefinedCs[1])) return;
  let start = e.start;
  let stop = e.end;
  if (undefinedCs) {
    const name = undefinedCs[1];
    if (start === undefined || !f.source.startsWith(name, start)) {
      const i = f.source.indexOf(name);
      if (i >= 0) start = i;
    }
    if (KATEX_COMMANDS.includes(name.slice(1))) {
      // KaTeX knows it, but not here: a math command inside text (`\tag{\heartsuit}`, `\text{\alpha}`).
      if (start !== undefined) stop = start + name.length; // KaTeX's token takes the spaces after it
      const s = at(start ?? 0);
      const t = at(stop ?? f.source.length);
      report('katex-parse', s, t, msg('`{0}` is a math command inside text (\\text{…}, \\tag{…}): write `${0}$`.', name), [{ title: msg('Wrap it in `$…$`'), edits: [{ start: s, end: t, text: `$${name}$` }] }]);
      return;
    }
    undefinedCommand(f, name, start, at, report);
    return;
  }
  const env = /^No such environment: (\S+)/.exec(message);
  if (env && MATHJAX_ENVIRONMENTS.has(env[1])) {
    const s = start !== undefined ? at(start) : at(0);
    const t = start !== undefined ? Math.max(at(stop ?? start), s + 1) : at(f.source.length);
    report('mathjax-only', s, t, msg('`\\begin{{0}}` is MathJax-only: KaTeX cannot render it.', env[1]));
    return;
  }
  const s = start !== undefined ? at(start) : at(0);
  const t = start !== undefined ? Math.max(at(stop ?? start), s + 1) : at(f.source.length);
  report('katex-parse', s, t, msg('KaTeX: {0}', message.replace(/ at position \d+: .*$/s, '')));
}

/**
 * A command KaTeX does not know, at `start` in the formula as written (if found there): MathJax's
 * own is a warning, with what to write if there is a KaTeX equivalent and never another command's
 * name; one that neither knows is an error, with the nearest names KaTeX and the note have.
 */
function undefinedCommand(f: FormulaInput, name: string, start: number | undefined, at: (o: number) => number, report: Report): void {
  const s = at(start ?? 0);
  const t = at(start !== undefined ? start + name.length : f.source.length);
  if (name in MATHJAX_ONLY) {
    report('mathjax-only', s, t, msg('`{0}` is MathJax-only: KaTeX cannot render it; {1}.', name, msg(MATHJAX_ONLY[name])));
    return;
  }
  if (MATHJAX_COMMANDS.has(name.slice(1))) {
    report('mathjax-only', s, t, msg('`{0}` is MathJax-only: KaTeX cannot render it (the preview shows it in red).', name));
    return;
  }
  const near = suggestCommands(name, f.macros);
  report('unknown-command', s, t, near.length ? msg('Unknown command `{0}`: did you mean {1}?', name, near.map((n) => `\`${n}\``).join(', ')) : msg('Unknown command `{0}` (define it with \\newcommand or in mathNotes.macros).', name),
    near.map((n) => ({ title: msg('Change to `{0}`', n), edits: [{ start: s, end: t, text: n }] })));
}
