// Where the tests find the real notes they read (`../shared`, beside the repository: seeds and
// corpora that are never copied into it). One place resolves it — from this file, so it holds
// whatever the working directory (the unit runner's, the extension host's) — and a missing folder
// fails with what to do instead of an ENOENT deep inside a test.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's root: this file is test/support/shared.ts, compiled to out/test/support/shared.js. */
const REPO_ROOT = resolve(__dirname, __dirname.includes(`${join('out', 'test')}`) ? '../../..' : '../..');

/** `../shared` beside the repository. */
export const SHARED_ROOT = resolve(REPO_ROOT, '../shared');

/** A path inside `../shared` (`sharedPath('corpus', 'kexue-md')`); throws a clear message when it is not there. */
export function sharedPath(...parts: string[]): string {
  const path = join(SHARED_ROOT, ...parts);
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: these tests read the real notes in ../shared (seeds and corpora beside the repository, never copied into it). Check out the project next to its shared folder.`,
    );
  }
  return path;
}
