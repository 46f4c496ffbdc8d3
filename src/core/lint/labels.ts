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

/** `\eqref{name}` or `\ref{name}`, the name in group 1. */
export function referencePattern(name: string): RegExp {
  return new RegExp(`\\\\(?:eq)?ref\\s*\\{\\s*(${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})\\s*\\}`, 'g');
}

/** A name the index below reads as `referencePattern` does: no brace, backslash or space at its ends, not too long. */
const INDEXED_NAME = /^[^{}\\\s](?:[^{}\\]{0,200}[^{}\\\s])?$/;
const ANY_REFERENCE = /\\(?:eq)?ref\s*\{\s*([^{}\\\s](?:[^{}\\]{0,200}?[^{}\\\s])?)\s*\}/g;

/**
 * A post's references by name, from one pass over its text [from, to): duplicate-label searched
 * each duplicate's stretch with the name's own expression, which ran on past the stretch to the
 * next match or the end of the note (a 10-million-character note of repeated posts: ~1 s of each
 * lint). Names the pass cannot read (braces, backslashes, space at an end) are searched by name.
 */
export class ReferenceIndex {
  private byName?: Map<string, Array<{ at: number; name: number }>>;

  constructor(
    private readonly text: string,
    private readonly from: number,
    private readonly to: number,
  ) {}

  /** Offsets of the name in each `\eqref{name}` / `\ref{name}` that starts in [from, until). */
  of(name: string, from: number, until: number): number[] {
    if (!INDEXED_NAME.test(name)) return referencesTo(this.text, name, from, until);
    const found = this.index().get(name) ?? [];
    let lo = 0;
    let hi = found.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (found[mid].at < from) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < found.length && found[i].at < until; i++) out.push(found[i].name);
    return out;
  }

  private index(): Map<string, Array<{ at: number; name: number }>> {
    if (this.byName) return this.byName;
    const byName = (this.byName = new Map());
    const stretch = this.text.slice(this.from, this.to);
    const re = new RegExp(ANY_REFERENCE);
    for (let m = re.exec(stretch); m; m = re.exec(stretch)) {
      const at = this.from + m.index;
      const list = byName.get(m[1]) ?? [];
      if (!list.length) byName.set(m[1], list);
      list.push({ at, name: at + m[0].indexOf(m[1], m[0].indexOf('{')) });
      re.lastIndex = m.index + 1; // every start, as each name's own search finds them
    }
    return byName;
  }
}

/** Offsets of the label name in each `\eqref{name}` / `\ref{name}` that starts in [from, until). */
function referencesTo(text: string, name: string, from: number, until: number): number[] {
  const re = referencePattern(name);
  re.lastIndex = from;
  const out: number[] = [];
  for (let m = re.exec(text); m && m.index < until; m = re.exec(text)) out.push(m.index + m[0].indexOf(m[1], m[0].indexOf('{')));
  return out;
}
