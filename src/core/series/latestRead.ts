// Which of several reads of one file goes into the index: the one started last. Reads of a note
// overlap (a build's in the workers, a file event's here, a burst's re-read) and finish in any
// order; an older read finishing last would put back text the file no longer has — or a note it
// had just before it was deleted — and no event would come to correct it.

export class LatestRead {
  private started = 0;
  /** Per file, the ticket of the read (or removal, or typed text) that went in last. */
  private readonly applied = new Map<string, number>();

  /** A ticket for a read, removal or typed text starting now (one ticket may serve many files). */
  start(): number {
    return ++this.started;
  }

  /**
   * Whether what the read with this ticket found for `key` may go into the index: nothing started
   * later went in first. Records it when so.
   */
  admit(key: string, ticket: number): boolean {
    if ((this.applied.get(key) ?? 0) > ticket) return false;
    this.applied.set(key, ticket);
    return true;
  }
}
