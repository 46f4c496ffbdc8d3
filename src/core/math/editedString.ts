// A string rewritten by non-overlapping replacements that remembers where every output offset
// came from, so a KaTeX error position in rewritten TeX maps back to the note (lint ranges).

export interface Replacement {
  start: number;
  end: number;
  text: string;
}

export class EditedString implements MappedText {
  readonly text: string;
  /** Segments of the output: [outStart, srcStart, srcEnd, isInserted]. */
  private readonly segments: Array<[number, number, number, boolean]>;

  constructor(
    readonly source: string,
    replacements: readonly Replacement[] = [],
  ) {
    const sorted = [...replacements].sort((a, b) => a.start - b.start || a.end - b.end);
    const parts: string[] = [];
    const segments: Array<[number, number, number, boolean]> = [];
    let out = 0;
    let pos = 0;
    for (const r of sorted) {
      if (r.start < pos) continue; // overlapping edit: the first one wins
      if (r.start > pos) {
        segments.push([out, pos, r.start, false]);
        parts.push(source.slice(pos, r.start));
        out += r.start - pos;
      }
      segments.push([out, r.start, r.end, true]);
      parts.push(r.text);
      out += r.text.length;
      pos = r.end;
    }
    if (pos < source.length) {
      segments.push([out, pos, source.length, false]);
      parts.push(source.slice(pos));
    }
    this.text = parts.join('');
    this.segments = segments;
  }

  /** Maps an offset in `text` to an offset in `source`. Inside a replacement, its source start. */
  toSource(offset: number): number {
    const segs = this.segments;
    let lo = 0;
    let hi = segs.length - 1;
    if (hi < 0) return Math.min(offset, this.source.length);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid][0] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const [outStart, srcStart, srcEnd, inserted] = segs[lo];
    if (inserted) return srcStart;
    return Math.min(srcStart + (offset - outStart), srcEnd);
  }

  /** Applies further replacements (offsets into `this.text`) and composes the source maps. */
  edit(replacements: readonly Replacement[]): MappedText {
    return composeEdits(this, replacements);
  }
}

/** Text with a map back to the offsets of the string it was derived from. */
export interface MappedText {
  readonly text: string;
  toSource(offset: number): number;
  edit(replacements: readonly Replacement[]): MappedText;
}

function composeEdits(first: MappedText, replacements: readonly Replacement[]): MappedText {
  if (replacements.length === 0) return first;
  const second = new EditedString(first.text, replacements);
  return {
    text: second.text,
    toSource: (offset) => first.toSource(second.toSource(offset)),
    edit(more) {
      return composeEdits(this, more);
    },
  };
}
