// A long note's text crosses to a worker thread once; after that a request carries only what
// changed since the text last sent for that note. Posting a message copies its strings on the
// sender's thread (a 5 MB note: ~28 ms on the test VM, per request, on the extension host's thread,
// and a preview, lint, equations and a series summary each ask per edit); one comparison of the two
// texts costs a few milliseconds. Both ends keep the same texts: the sender says what to keep and
// what to drop, and the receiver checks every edit's result against the length it was told.

import { commonPrefix, commonSuffix } from './sharedEnds';

/** Texts shorter than this go whole: copying them costs less than keeping them. */
export const MIRROR_MIN_CHARS = 64 * 1024;
/** Texts kept per worker: the long notes open at once (each kept once more by the worker's parse caches anyway). */
export const MAX_MIRRORS = 4;

/** How a request's text travels: whole (kept under `key` when long), or as an edit of the text kept under `key`. */
export interface MirroredText {
  key: string;
  /** The kept text's [start, end) replaced by `insert`, giving a text of `length` characters. */
  edit?: { start: number; end: number; insert: string; length: number };
  /** Keys the sender no longer keeps. */
  forget?: string[];
}

export class MirrorSender {
  /** What the receiver keeps, by key, least recently used first. */
  private readonly kept = new Map<string, string>();

  /** The text to put in the message (maybe '') and how it travels; `key` names the note (its file). */
  encode(key: string, text: string): { text: string; mirror?: MirroredText } {
    const old = this.kept.get(key);
    if (text.length < MIRROR_MIN_CHARS) {
      if (old === undefined) return { text };
      this.kept.delete(key);
      return { text, mirror: { key: '', forget: [key] } };
    }
    this.kept.delete(key);
    this.kept.set(key, text);
    const forget: string[] = [];
    while (this.kept.size > MAX_MIRRORS) {
      const oldest = this.kept.keys().next().value as string;
      this.kept.delete(oldest);
      forget.push(oldest);
    }
    const extra = forget.length ? { forget } : {};
    if (old === undefined) return { text, mirror: { key, ...extra } };
    if (old === text) return { text: '', mirror: { key, edit: { start: 0, end: 0, insert: '', length: text.length }, ...extra } };
    const prefix = commonPrefix(old, text);
    const suffix = Math.min(commonSuffix(old, text), old.length - prefix, text.length - prefix);
    // Most of the note replaced: whole.
    if (prefix + suffix < text.length / 2) return { text, mirror: { key, ...extra } };
    const edit = { start: prefix, end: old.length - suffix, insert: text.slice(prefix, text.length - suffix), length: text.length };
    return { text: '', mirror: { key, edit, ...extra } };
  }

  /** The receiver is new (a worker replaced): it keeps nothing. */
  reset(): void {
    this.kept.clear();
  }

  /** The receiver dropped this text (an edit it could not apply): the next request sends it whole. */
  drop(key: string): void {
    this.kept.delete(key);
  }
}

export class MirrorReceiver {
  private readonly kept = new Map<string, string>();

  /** The request's whole text; throws when an edit does not fit what is kept (the sender then starts afresh). */
  decode(text: string, mirror: MirroredText | undefined): string {
    if (!mirror) return text;
    for (const key of mirror.forget ?? []) this.kept.delete(key);
    if (!mirror.key) return text;
    let whole = text;
    if (mirror.edit) {
      const old = this.kept.get(mirror.key);
      const { start, end, insert, length } = mirror.edit;
      if (old === undefined || end > old.length || start > end || old.length - (end - start) + insert.length !== length) {
        this.kept.delete(mirror.key);
        throw new MirrorMismatch();
      }
      whole = old.slice(0, start) + insert + old.slice(end);
    }
    this.kept.set(mirror.key, whole);
    return whole;
  }

  get size(): number {
    return this.kept.size;
  }
}

/** An edit of a text the receiver does not keep (it was replaced, or the two ends disagree). */
export class MirrorMismatch extends Error {
  constructor() {
    super('The worker does not have the text this edit applies to.');
  }
}
