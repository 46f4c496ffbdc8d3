// The text the editor's features read is kept from the change events (core/text/textChanges.ts):
// an event's changes apply one after another, a missed or misfitting change is never papered over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyChanges, FollowedText, MAX_PENDING_CHANGES, type TextChange } from '../../src/core/text/textChanges';

/** A small random generator with a seed (the run is the same every time). */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

test("an event's changes apply in order, each at offsets into what the one before left", () => {
  // Two cursors typing 'x' at 1 and at 4 of 'abcdef': VS Code lists the later one first, and the
  // second change's offset is in the text the first left.
  assert.equal(
    applyChanges('abcdef', [
      { rangeOffset: 4, rangeLength: 0, text: 'x' },
      { rangeOffset: 1, rangeLength: 1, text: 'yy' },
    ]),
    'ayycdxef',
  );
  assert.equal(applyChanges('ab\r\ncd', [{ rangeOffset: 2, rangeLength: 2, text: '\n' }]), 'ab\ncd');
});

test('a change outside the text is refused, not clipped', () => {
  assert.equal(applyChanges('abc', [{ rangeOffset: 2, rangeLength: 2, text: '' }]), undefined);
  assert.equal(applyChanges('abc', [{ rangeOffset: -1, rangeLength: 0, text: 'x' }]), undefined);
});

test('a followed text equals the text edited whole, through a long run of random edits', () => {
  const next = random(11);
  let whole = 'The first line\nα = β\r\n$$x$$\n';
  const followed = new FollowedText(whole, 1);
  for (let version = 2; version < 400; version++) {
    const changes: TextChange[] = [];
    for (let k = Math.floor(next() * 3) + 1; k > 0; k--) {
      const at = Math.floor(next() * (whole.length + 1));
      const rangeLength = Math.min(Math.floor(next() * 4), whole.length - at);
      const text = ['x', '\n', '\r\n', '', '$\\eqref{a}$', '中文'][Math.floor(next() * 6)];
      changes.push({ rangeOffset: at, rangeLength, text });
      whole = whole.slice(0, at) + text + whole.slice(at + rangeLength);
    }
    followed.change(version, changes);
    // Read now and then: a burst of edits is applied at once.
    if (next() < 0.3) assert.equal(followed.read(version, whole.length), whole);
  }
  assert.equal(followed.read(399, whole.length), whole);
});

test('another version, a change that does not fit or a length that differs: read the document again', () => {
  const f = new FollowedText('abc', 1);
  assert.equal(f.read(2), undefined, 'a version not followed');
  f.change(2, [{ rangeOffset: 1, rangeLength: 0, text: 'x' }]);
  assert.equal(f.read(2, 5), undefined, 'the document says 5 characters, the changes gave 4');
  assert.equal(f.read(2, 4), undefined, 'and after a mismatch it stays unusable');
  const g = new FollowedText('abc', 1);
  g.change(2, [{ rangeOffset: 3, rangeLength: 1, text: '' }]);
  assert.equal(g.read(2), undefined, 'a change past the end');
});

test('a text nobody reads lets its changes go past a bound, and is read again', () => {
  const f = new FollowedText('abc', 1);
  for (let v = 2; v <= MAX_PENDING_CHANGES + 2; v++) f.change(v, [{ rangeOffset: 0, rangeLength: 0, text: 'x' }]);
  assert.equal(f.read(MAX_PENDING_CHANGES + 2), undefined);
});
