// Repairs what the HTML-to-Markdown conversion (html2text) did to the TeX of converted notes,
// back to what the author wrote. Kept apart from the KaTeX rewrites because it is a fact about
// the note, not about the engine: MathJax gets the repaired TeX too (test oracle), and the
// linter reports each repair as a `conversion-artefact` with this exact range.

import type { Replacement } from './editedString';
import { scanTex, skipSpaces, type TexToken } from './texScanner';

/** Whether a control sequence means something here (KaTeX's own, or a macro of the post). */
export type IsKnownCommand = (name: string) => boolean;

export interface ArtefactRepair extends Replacement {
  kind: 'escaped-delimiter' | 'escaped-set-brace' | 'stray-backslash' | 'escaped-list-marker' | 'doubled-row-end';
}

const DELIMITER_COMMANDS = /^\\(?:left|right|middle|big|Big|bigg|Bigg)[lrm]?$/;

/** Cheap pre-check: only formulas with a doubled backslash or `\+`/`\-` can need a repair. */
const MAY_NEED_REPAIR = /\\\\[\\{}|#]|\\[+-]/;

export function conversionArtefactRepairs(tex: string, isKnown: IsKnownCommand): ArtefactRepair[] {
  if (!MAY_NEED_REPAIR.test(tex)) return [];
  const tokens = scanTex(tex);
  const repairs: ArtefactRepair[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'cs') continue;
    if (t.text === '\\+' || t.text === '\\-') {
      // A line-leading `+`/`-` is a list marker in Markdown, so html2text escaped it.
      repairs.push({ kind: 'escaped-list-marker', start: t.start, end: t.start + 1, text: '' });
    } else if (DELIMITER_COMMANDS.test(t.text)) {
      // `\left\{` became `\left\\{`: `\\` cannot be a delimiter, so the author meant `\{`.
      const j = skipSpaces(tokens, i + 1);
      const d = tokens[j];
      const after = tokens[j + 1];
      if (
        d?.kind === 'cs' &&
        d.text === '\\\\' &&
        after &&
        after.start === d.end &&
        (after.kind === 'open' || after.kind === 'close' || after.text === '|')
      ) {
        repairs.push({ kind: 'escaped-delimiter', start: d.start, end: d.start + 1, text: '' });
        i = j + 1;
      }
    } else if (t.text === '\\\\') {
      const skip = rowEndRepair(tokens, i, isKnown, repairs);
      if (skip) i++;
    }
  }
  return repairs.concat(setBraceRepairs(tokens));
}

/**
 * After a row end `\\`: a third backslash (`\\\` + line break, `\\\+`, `\\\p`), a doubled row end
 * (`\\\\[5pt]`, which would add an empty numbered row), or `\\#` for `\#`.
 */
function rowEndRepair(tokens: TexToken[], i: number, isKnown: IsKnownCommand, out: ArtefactRepair[]): boolean {
  const t = tokens[i];
  const next = tokens[i + 1];
  if (!next || next.start !== t.end) return false;
  if (next.kind === 'char' && next.text === '#') {
    out.push({ kind: 'stray-backslash', start: t.start, end: t.start + 1, text: '' });
    return true;
  }
  if (next.kind !== 'cs') return false;
  if (next.text === '\\\\') {
    out.push({ kind: 'doubled-row-end', start: next.start, end: next.end, text: '' });
    return true;
  }
  const stray = /^\\[\s+-]$/.test(next.text) || (/^\\[A-Za-z]+$/.test(next.text) && !isKnown(next.text));
  if (!stray) return false;
  out.push({ kind: 'stray-backslash', start: next.start, end: next.start + 1, text: '' });
  return true;
}

/**
 * Set braces: `\{a_i\}` became `\\{a_i\\}` (a row break and a group, so the braces vanish).
 * Repaired only when the formula has both an opening and a closing one, which a row break
 * followed by a group never produces.
 */
function setBraceRepairs(tokens: TexToken[]): ArtefactRepair[] {
  const found: TexToken[] = [];
  let opens = 0;
  let closes = 0;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t.kind !== 'cs' || t.text !== '\\\\' || next.start !== t.end) continue;
    if (i > 0 && tokens[i - 1].kind === 'cs' && DELIMITER_COMMANDS.test(tokens[i - 1].text)) continue; // handled above
    if (next.kind === 'open') opens++;
    else if (next.kind === 'close') closes++;
    else continue;
    found.push(t);
  }
  if (opens === 0 || closes === 0) return [];
  return found.map((t) => ({ kind: 'escaped-set-brace' as const, start: t.start, end: t.start + 1, text: '' }));
}
