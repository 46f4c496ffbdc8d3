// The notes a command was given, for every command (render, index, run, lint): a file as named, a
// folder walked for notes by extension (.md, .markdown, .txt; past dot folders and node_modules)
// by the one walk of src/node/noteWalk.ts; what the walk leaves out (a link loop, a broken link,
// an unreadable folder) is said on standard error, not thrown. A path that names nothing is a
// usage error: said, and the command exits 2 before doing anything.
import { statSync } from 'node:fs';
import { extname, relative, sep } from 'node:path';
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

export interface NoteInput {
  /** The note's path (a folder's notes: the folder's path joined with theirs). */
  path: string;
  /** Its `/`-separated path below the folder that was named; none for a file named itself. */
  inFolder?: string;
}

/**
 * Each input as a note, or the notes of the folder it names, in order; undefined (said on standard
 * error, after `prefix`) when an input names nothing that can be looked at.
 */
export function listInputs(inputs: string[], prefix: string): NoteInput[] | undefined {
  const out: NoteInput[] = [];
  for (const p of inputs) {
    let folder: boolean;
    try {
      folder = statSync(p).isDirectory();
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? say('no such file or folder') : sayError(err);
      printErr(`${prefix}: ${say("cannot read '{0}': {1}", p, reason)}`);
      return undefined;
    }
    if (folder) for (const f of listNotes(p, prefix)) out.push({ path: f, inFolder: relative(p, f).split(sep).join('/') });
    else out.push({ path: p });
  }
  return out;
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
