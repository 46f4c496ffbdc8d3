// Rules about a post's labels and references, from what the renderer recorded while numbering:
// duplicate-label, label-unnumbered, unused-label, undefined-ref. Ranges are the label's name.

import type { PostMath } from '../../math/postMath';
import type { NoteText } from '../noteText';
import { nearestNames } from '../suggest';
import { msg, type Message } from '../../l10n/message';
import type { Report } from './formulaRules';

export interface LocatedLabel {
  name: string;
  /** Document range of the name inside `\label{…}`. */
  start: number;
  end: number;
  /** 0-based line of the formula it is in. */
  formulaLine: number;
}

const LABEL = /\\label\s*\{\s*([^{}]*?)\s*\}/g;

/** Every `\label{…}` of the located formulas, in document order. */
export function labelsIn(formulas: Array<{ source: string; line: number; toDocument(o: number): number }>): LocatedLabel[] {
  const out: LocatedLabel[] = [];
  for (const f of formulas) {
    for (const m of f.source.matchAll(LABEL)) {
      const nameStart = m.index! + m[0].indexOf(m[1], m[0].indexOf('{'));
      out.push({ name: m[1], start: f.toDocument(nameStart), end: f.toDocument(nameStart + m[1].length), formulaLine: f.line });
    }
  }
  return out;
}

export function lintLabels(math: PostMath, labels: LocatedLabel[], doc: NoteText, postEndLine: number, report: Report): void {
  const duplicates = new Set(math.duplicateLabels.map((d) => d.name));
  const seen = new Set<string>();
  const unnumbered = new Set(math.unnumberedLabels.map((u) => `${u.name}\u0000${u.line}`));
  const referenced = new Set(math.references.map((r) => r.label));
  const taken = new Set(labels.map((l) => l.name));
  // Per name: its occurrences in order (the next definition of a duplicate in O(1)) and the next
  // free suffix (a note with thousands of duplicates stays linear).
  const occurrences = new Map<string, LocatedLabel[]>();
  for (const l of labels) {
    if (!occurrences.has(l.name)) occurrences.set(l.name, []);
    occurrences.get(l.name)!.push(l);
  }
  const nextSuffix = new Map<string, number>();
  const seenCount = new Map<string, number>();
  for (const l of labels) {
    const nth = seenCount.get(l.name) ?? 0;
    seenCount.set(l.name, nth + 1);
    if (unnumbered.has(`${l.name}\u0000${l.formulaLine}`)) {
      report('label-unnumbered', l.start, l.end, msg('`\\label{{0}}` is in a formula that gets no number (a starred environment, \\nonumber, or inline math): \\eqref{{0}} cannot point at it.', l.name));
      continue;
    }
    if (seen.has(l.name) && duplicates.has(l.name)) {
      let k = nextSuffix.get(l.name) ?? 2;
      while (taken.has(`${l.name}-${k}`)) k++;
      nextSuffix.set(l.name, k + 1);
      const renamed = `${l.name}-${k}`;
      taken.add(renamed);
      // The references written after this definition (up to the next one of the name) meant this one.
      const next = occurrences.get(l.name)![nth + 1];
      const until = next ? next.start : postEndLine < doc.lineCount ? doc.lineStart(postEndLine) : doc.text.length;
      const refs = referencesTo(doc.text, l.name, l.end, until);
      report('duplicate-label', l.start, l.end, msg('`\\label{{0}}` is defined twice in this post; references go to the first.', l.name), [
        {
          title: refs.length ? msg('Rename this one to `{0}`, with the {1} reference(s) after it', renamed, refs.length) : msg('Rename this one to `{0}`', renamed),
          edits: [{ start: l.start, end: l.end, text: renamed }, ...refs.map((r) => ({ start: r, end: r + l.name.length, text: renamed }))],
        },
      ]);
      continue;
    }
    if (!seen.has(l.name) && math.labels.has(l.name) && !referenced.has(l.name)) {
      report('unused-label', l.start, l.end, msg('`\\label{{0}}` is never referred to in this post.', l.name));
    }
    seen.add(l.name);
  }
  // Unresolved references: found on their line (the renderer knows the line, not the column).
  const reported = new Set<number>();
  const known = [...math.labels.keys()];
  for (const r of math.references) {
    if (r.resolved) continue;
    const re = new RegExp(`\\\\(?:eq)?ref\\s*\\{\\s*(${escapeRegExp(r.label)})\\s*\\}`, 'g');
    for (let line = r.line; line < Math.min(postEndLine, r.line + 50); line++) {
      const from = doc.lineStart(line);
      re.lastIndex = 0;
      const text = doc.lineText(line);
      let m: RegExpExecArray | null;
      let hit = false;
      while ((m = re.exec(text))) {
        const start = from + m.index + m[0].indexOf(m[1], m[0].indexOf('{'));
        if (reported.has(start)) continue;
        reported.add(start);
        const near = nearestNames(r.label, known);
        report('undefined-ref', start, start + r.label.length, undefinedReferenceMessage(r.label, known, near),
          near.map((n) => ({ title: msg('Change to `{0}`', n), edits: [{ start, end: start + r.label.length, text: n }] })));
        hit = true;
        break;
      }
      if (hit) break;
    }
  }
}

/** What an unresolved reference is told, with the post's nearest label names. */
export function undefinedReferenceMessage(label: string, known: readonly string[], near = nearestNames(label, known)): Message {
  return near.length ? msg('No `\\label{{0}}` in this post: the reference shows as (??). Did you mean {1}?', label, near.map((n) => `\`${n}\``).join(', ')) : msg('No `\\label{{0}}` in this post: the reference shows as (??).', label);
}

/** Offsets of the label name in each `\eqref{name}` / `\ref{name}` between two offsets. */
function referencesTo(text: string, name: string, from: number, until: number): number[] {
  const re = new RegExp(`\\\\(?:eq)?ref\\s*\\{\\s*(${escapeRegExp(name)})\\s*\\}`, 'g');
  re.lastIndex = from;
  const out: number[] = [];
  for (let m = re.exec(text); m && m.index < until; m = re.exec(text)) out.push(m.index + m[0].indexOf(m[1], m[0].indexOf('{')));
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
