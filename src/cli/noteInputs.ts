// The notes a command was given: a file as named, a folder walked for notes by extension (past dot
// folders and node_modules) by the one walk of src/node/noteWalk.ts; what the walk leaves out
// (a link loop, a broken link, an unreadable folder) is said on standard error, not thrown.
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { walkNotes, type SkippedEntry } from '../node/noteWalk';
import { say, sayError } from './locale';
import { printErr } from './terminal';

const NOTE_EXT = new Set(['.md', '.markdown', '.txt']);
const hidden = (relativePath: string) => {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  return name.startsWith('.') || name === 'node_modules';
};

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The notes under `dir`, in name order; `prefix` starts each message about what was skipped. */
export function listNotes(dir: string, prefix = 'mathnotes'): string[] {
  return walkNotes(
    dir,
    { enterFolder: (rel) => !hidden(rel), isNote: (rel) => !hidden(rel) && NOTE_EXT.has(extname(rel).toLowerCase()) },
    (skipped) => printErr(`${prefix}: ${skipMessage(skipped)}`),
  );
}

/** Each input as a note, or the notes of the folder it names. */
export function expandInputs(inputs: string[], prefix: string): string[] {
  return inputs.flatMap((p) => (isDirectory(p) ? listNotes(p, prefix) : [p]));
}

function skipMessage(s: SkippedEntry): string {
  switch (s.reason) {
    case 'loop':
      return say("skipped '{0}': a link back to a folder above it", s.path);
    case 'repeat':
      return say("skipped '{0}': the same folder as '{1}'", s.path, s.firstPath);
    case 'broken-link':
      return say("skipped '{0}': a link to nothing", s.path);
    case 'unreadable':
      return say("skipped '{0}': {1}", s.path, sayError(s.error));
  }
}
