// Where a key falls in a list sorted by it: the cut list of the block parse, the citation candidates
// of a note summary.

/** The index of the first item whose key is `key` or more, in `items` sorted by `keyOf`. */
export function firstAtOrAfter<T>(items: readonly T[], key: number, keyOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyOf(items[mid]) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
