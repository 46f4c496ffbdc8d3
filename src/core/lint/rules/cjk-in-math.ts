// cjk-in-math: full-width punctuation or CJK text in math outside \text{…} (KaTeX sets it as
// math symbols, or not at all). Text arguments (\text, \label, \tag …) are skipped whole.

import { msg } from '../../l10n/message';
import { TEXT_COMMANDS } from '../../math/mathjaxCompat';
import { readArgument } from '../../math/texScanner';
import type { TexToken } from '../../math/texScanner';
import { defineRule, type FixDraft } from '../rule';

/** Commands whose argument is text or a name, not math: CJK there is fine. */
const TEXT_ARGUMENT = new Set([
  ...TEXT_COMMANDS,
  '\\label',
  '\\tag',
  '\\eqref',
  '\\ref',
  '\\href',
  '\\url',
  '\\operatorname',
  '\\textcolor',
  '\\color',
  '\\htmlClass',
]);

const FULL_WIDTH_TO_ASCII: Readonly<Record<string, string>> = {
  '，': ',',
  '。': '.',
  '：': ':',
  '；': ';',
  '！': '!',
  '？': '?',
  '（': '(',
  '）': ')',
  '【': '[',
  '】': ']',
  '、': ',',
  '＋': '+',
  '－': '-',
  '＝': '=',
  '＜': '<',
  '＞': '>',
  '｜': '|',
  '　': ' ',
  '／': '/',
  '＊': '*',
  '［': '[',
  '］': ']',
};
const FULL_WIDTH_PUNCTUATION = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d]/;
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/;

export const cjkInMath = defineRule({
  id: 'cjk-in-math',
  defaultSeverity: 'warning',
  description: 'Full-width punctuation (`，` `：` `（`) or CJK text in math, outside `\\text{…}`.',
  checkFormula(formula, report) {
    const src = formula.source;
    if (!FULL_WIDTH_PUNCTUATION.test(src) && !CJK.test(src)) return;
    const tokens: TexToken[] = formula.sourceTokens;
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
      const asAscii = [...text].map((c) => FULL_WIDTH_TO_ASCII[c] ?? c).join('');
      const fixes: FixDraft[] = [];
      if (ascii) fixes.push({ title: msg('Replace with `{0}`', asAscii), edits: [{ start, end: stop, text: asAscii }] });
      fixes.push({ title: msg('Wrap in `\\text{…}`'), edits: [{ start, end: stop, text: `\\text{${text}}` }] });
      const message = CJK.test(text)
        ? msg('CJK text `{0}` in math, outside `\\text{}`.', text)
        : ascii
          ? msg('Full-width punctuation `{0}` in math, outside `\\text{}`: write `{1}`.', text, asAscii)
          : msg('Full-width punctuation `{0}` in math, outside `\\text{}`.', text);
      report(start, stop, message, fixes);
      run = [];
    };
    for (const t of tokens) {
      const isWide = t.kind === 'char' && (CJK.test(t.text) || FULL_WIDTH_PUNCTUATION.test(t.text)) && !skipped(t.start);
      if (isWide) run.push(t);
      else if (!(t.kind === 'space' && run.length && !t.text.includes('\n'))) flush();
    }
    flush();
  },
});
