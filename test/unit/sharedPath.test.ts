// The tests' one way to the real notes in ../shared: found from the repository, whatever the
// working directory, and a clear message when a path is not there.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SHARED_ROOT, sharedPath } from '../support/shared';

test('sharedPath finds ../shared beside the repository and says what to do when a path is missing', () => {
  assert.ok(existsSync(join(SHARED_ROOT, 'seeds')), SHARED_ROOT);
  assert.equal(sharedPath('seeds'), join(SHARED_ROOT, 'seeds'));
  assert.throws(() => sharedPath('corpus', 'no-such-folder'), /no-such-folder is missing: these tests read the real notes in \.\.\/shared/);
});
