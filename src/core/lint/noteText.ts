// A document's text with its line starts: offsets ↔ (line, character), as VS Code counts them.

export class NoteText {
  readonly lineStarts: ArrayLike<number>;

  readonly text: string;

  /** `lineStarts`: as another NoteText of the same text found them (the render worker's, sent along). */
  constructor(text: string, lineStarts?: ArrayLike<number>) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
      this.text = text.includes('\u0000') ? text.replace(/\u0000/g, '\ufffd') : text;
      return;
    }
    // markdown-it reads U+0000 as U+FFFD (CommonMark): so do we, or a formula holding one is never
    // found where the page typesets it. One character for one: offsets stay the note's.
    // Found in the pass over the lines, not by a scan of its own (10 million characters: 9 ms).
    const starts = [0];
    let nul = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 0) nul = true;
    }
    this.lineStarts = starts;
    this.text = nul ? text.replace(/\u0000/g, '\ufffd') : text;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** End of the line's text, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    let end = this.lineStarts[line + 1] - 1;
    if (this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  positionAt(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.lineStarts[lo] };
  }
}
