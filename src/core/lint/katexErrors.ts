// What KaTeX's error for a formula means, for the three rules that report it: katex-parse (it
// cannot parse the formula), mathjax-only (a MathJax command KaTeX lacks), unknown-command (a
// command neither knows). Read once per formula, and not at all where unbalanced or unclosed-math
// found the structure broken: that is the cause, KaTeX's message only its echo.

import { msg } from '../l10n/message';
import type { FormulaAnalysis } from './formulaAnalysis';
import { KATEX_COMMANDS } from './katexCommands';
import { MATHJAX_COMMANDS, MATHJAX_ENVIRONMENTS } from './mathjaxCommands';
import type { RuleFinding } from './rule';
import { environmentFindings } from './rules/unclosed-math';
import { unbalancedFindings } from './rules/unbalanced';
import { suggestCommands } from './suggest';

export type KatexErrorKind = 'katex-parse' | 'mathjax-only' | 'unknown-command';

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

type KatexFinding = RuleFinding & { kind: KatexErrorKind };

/** The findings of `kind` in the formula's KaTeX error (the rule modules' check). */
export function katexErrorFindings(f: FormulaAnalysis, kind: KatexErrorKind): RuleFinding[] {
  return f.memo('katex-error', () => readError(f)).filter((x) => x.kind === kind);
}

function readError(f: FormulaAnalysis): KatexFinding[] {
  const e = f.input.error;
  if (!e || unbalancedFindings(f).length || environmentFindings(f).length) return [];
  if (/^(?:Formula too long to render|Not rendered: )/.test(e.message)) return []; // our limits, not a defect of the note
  const out: KatexFinding[] = [];
  const source = f.source;
  const message = e.message.replace(/^KaTeX parse error: /, '');
  // Commands KaTeX does not know: the preview shows each in red (the formula renders around them,
  // unless something else stops it: then that is reported too).
  const marked = e.undefinedCommands ?? [];
  const tokens = marked.length ? f.sourceTokens : [];
  for (const name of marked) {
    const first = tokens.find((t) => t.kind === 'cs' && t.text === name);
    const start = first?.start ?? (name === marked[0] && e.start !== undefined && source.startsWith(name, e.start) ? e.start : undefined);
    out.push(undefinedCommand(f, name, start));
  }
  const undefinedCs = /^Undefined control sequence: (\\[A-Za-z@]+|\\.)/.exec(message);
  if (undefinedCs && marked.includes(undefinedCs[1])) return out;
  let start = e.start;
  let stop = e.end;
  if (undefinedCs) {
    const name = undefinedCs[1];
    if (start === undefined || !source.startsWith(name, start)) {
      const i = source.indexOf(name);
      if (i >= 0) start = i;
    }
    if (KATEX_COMMANDS.includes(name.slice(1))) {
      // KaTeX knows it, but not here: a math command inside text (`\tag{\heartsuit}`, `\text{\alpha}`).
      if (start !== undefined) stop = start + name.length; // KaTeX's token takes the spaces after it
      const s = start ?? 0;
      const t = stop ?? source.length;
      out.push({
        kind: 'katex-parse',
        start: s,
        end: t,
        message: msg('`{0}` is a math command inside text (\\text{…}, \\tag{…}): write `${0}$`.', name),
        fixes: [{ title: msg('Wrap it in `$…$`'), edits: [{ start: s, end: t, text: `$${name}$` }] }],
      });
      return out;
    }
    out.push(undefinedCommand(f, name, start));
    return out;
  }
  const s = start ?? 0;
  const t = start !== undefined ? Math.max(stop ?? start, s + 1) : source.length;
  const env = /^No such environment: (\S+)/.exec(message);
  if (env && MATHJAX_ENVIRONMENTS.has(env[1])) {
    out.push({ kind: 'mathjax-only', start: s, end: t, message: msg('`\\begin{{0}}` is MathJax-only: KaTeX cannot render it.', env[1]) });
    return out;
  }
  out.push({ kind: 'katex-parse', start: s, end: t, message: msg('KaTeX: {0}', message.replace(/ at position \d+: .*$/s, '')) });
  return out;
}

/**
 * A command KaTeX does not know, at `start` in the formula as written (if found there): MathJax's
 * own is a warning, with what to write if there is a KaTeX equivalent and never another command's
 * name; one that neither knows is an error, with the nearest names KaTeX and the note have.
 */
function undefinedCommand(f: FormulaAnalysis, name: string, start: number | undefined): KatexFinding {
  const s = start ?? 0;
  const t = start !== undefined ? start + name.length : f.source.length;
  if (name in MATHJAX_ONLY)
    return {
      kind: 'mathjax-only',
      start: s,
      end: t,
      message: msg('`{0}` is MathJax-only: KaTeX cannot render it; {1}.', name, msg(MATHJAX_ONLY[name])),
    };
  if (MATHJAX_COMMANDS.has(name.slice(1)))
    return {
      kind: 'mathjax-only',
      start: s,
      end: t,
      message: msg('`{0}` is MathJax-only: KaTeX cannot render it (the preview shows it in red).', name),
    };
  const near = suggestCommands(name, f.input.macros);
  return {
    kind: 'unknown-command',
    start: s,
    end: t,
    message: near.length
      ? msg('Unknown command `{0}`: did you mean {1}?', name, near.map((n) => `\`${n}\``).join(', '))
      : msg('Unknown command `{0}` (define it with \\newcommand or in mathNotes.macros).', name),
    fixes: near.map((n) => ({ title: msg('Change to `{0}`', n), edits: [{ start: s, end: t, text: n }] })),
  };
}
