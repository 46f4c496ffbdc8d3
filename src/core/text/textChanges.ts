// A text kept current from an editor's change events instead of copied out again after each edit.
// VS Code's getText joins the document's lines into a new string: ~61 ms for a 10-million-character
// note on the test VM, on the extension host's thread, per version. The changes of one event apply
// one after another, each at offsets into the text the previous one left (as LSP's incremental
// sync reads them).

export interface TextChange {
  /** Offset of the replaced range in the text before this change. */
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/** The text after `changes`; undefined when one does not fit the text (then read the document again). */
export function applyChanges(text: string, changes: readonly TextChange[]): string | undefined {
  for (const { rangeOffset: start, rangeLength, text: insert } of changes) {
    const end = start + rangeLength;
    if (start < 0 || rangeLength < 0 || end > text.length) return undefined;
    text = text.slice(0, start) + insert + text.slice(end);
  }
  return text;
}

/** Changes kept for a text nobody reads before it is let go. */
export const MAX_PENDING_CHANGES = 5000;

/**
 * One document's text at its latest version, with the changes not yet applied: an edit costs
 * nothing until a reader asks, and a burst of keystrokes is applied in one pass.
 */
export class FollowedText {
  private pending: TextChange[] = [];

  constructor(
    private text: string,
    public version: number,
  ) {}

  /** The changes that made `version` of the text. */
  change(version: number, changes: readonly TextChange[]): void {
    for (const c of changes) this.pending.push(c);
    this.version = version;
    // Nobody has read it for a long time (lint off, no preview): let the text and its changes go
    // rather than keep every keystroke; the next reader copies the document again.
    if (this.pending.length > MAX_PENDING_CHANGES) {
      this.pending = [];
      this.text = '';
      this.version = -1;
    }
  }

  /**
   * The text at `version`; undefined when that is not the version followed, or the changes did not
   * fit, or the result is not `length` long (the document's own count): then read it again.
   */
  read(version: number, length?: number): string | undefined {
    if (version !== this.version) return undefined;
    if (this.pending.length) {
      const applied = applyChanges(this.text, this.pending);
      this.pending = [];
      if (applied === undefined) {
        this.version = -1;
        return undefined;
      }
      this.text = applied;
    }
    if (length !== undefined && length !== this.text.length) {
      this.version = -1;
      return undefined;
    }
    return this.text;
  }
}
