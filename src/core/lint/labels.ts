// Labels and references as the label rules (duplicate-label, unused-label, label-unnumbered,
// undefined-ref) and the editor's equation features read them. Ranges are the label's name.

import { msg, type Message } from '../l10n/message';
import { nearestNames } from './suggest';
import type { PostAnalysis } from './postAnalysis';

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
export function labelsIn(formulas: ReadonlyArray<{ source: string; line: number; toDocument(o: number): number }>): LocatedLabel[] {
  const out: LocatedLabel[] = [];
  for (const f of formulas) {
    for (const m of f.source.matchAll(LABEL)) {
      const nameStart = m.index + m[0].indexOf(m[1], m[0].indexOf('{'));
      out.push({ name: m[1], start: f.toDocument(nameStart), end: f.toDocument(nameStart + m[1].length), formulaLine: f.line });
    }
  }
  return out;
}

/** The labels in formulas that get no number, as `name\0line` (label-unnumbered reports them; no other label rule counts them). */
export function unnumberedKeys(post: PostAnalysis): Set<string> {
  return new Set(post.math.unnumberedLabels.map((u) => labelKey(u.name, u.line)));
}

export const labelKey = (name: string, formulaLine: number) => `${name}\u0000${formulaLine}`;

/**
 * The numbered labels in order, each with `first` (no numbered label of its name before it) and
 * `nth` (its place among all the name's labels): what duplicate-label and unused-label walk.
 */
export function* numberedLabels(post: PostAnalysis): Generator<{ label: LocatedLabel; first: boolean; nth: number }> {
  const unnumbered = unnumberedKeys(post);
  const seen = new Set<string>();
  const count = new Map<string, number>();
  for (const label of post.labels) {
    const nth = count.get(label.name) ?? 0;
    count.set(label.name, nth + 1);
    if (unnumbered.has(labelKey(label.name, label.formulaLine))) continue;
    yield { label, first: !seen.has(label.name), nth };
    seen.add(label.name);
  }
}

/** What an unresolved reference is told, with the post's nearest label names. */
export function undefinedReferenceMessage(label: string, known: readonly string[], near = nearestNames(label, known)): Message {
  return near.length
    ? msg('No `\\label{{0}}` in this post: the reference shows as (??). Did you mean {1}?', label, near.map((n) => `\`${n}\``).join(', '))
    : msg('No `\\label{{0}}` in this post: the reference shows as (??).', label);
}
