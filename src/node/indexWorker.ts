// The index worker: a thread that lists a workspace's notes, and reads and summarises them for the
// series index, so a workspace of thousands of notes is indexed off the extension host (and on
// more than one core).

import { readFileSync, statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { noteFileFilter, type NoteFileRules } from '../core/series/noteFiles';
import { summarizeText, type PostSummary } from '../core/series/noteSummary';
import { walkNotes } from './noteWalk';
import { decodeNote } from './readNoteFile';

/** List the notes under each root (a workspace folder on disk) by its rules. */
export interface ListRequest {
  kind: 'list';
  id: number;
  roots: Array<{ path: string; rules: NoteFileRules }>;
}

export interface ListResponse {
  id: number;
  /** Absolute paths of the notes, per root in the request's order. */
  paths: string[][];
}

export interface IndexRequest {
  kind?: 'summarize';
  id: number;
  /** The key the index files it under (a URI string), the path to read, and the modification
   * time of the copy the index holds (skipped when the file still has it). */
  files: Array<{ key: string; path: string; mtime?: number }>;
}

export interface IndexResponse {
  id: number;
  /** Summaries of the files done so far (several messages per request); no posts: unreadable;
   * `unchanged`: the index's copy is current. */
  results: Array<{ key: string; posts?: PostSummary[]; mtime?: number; unchanged?: boolean }>;
  done: boolean;
}

const BATCH = 64;

/**
 * The notes under `root`: folders the rules exclude are not entered; linked folders are followed
 * once each (as VS Code's search follows them), so a link cycle ends (the CLI's walk, noteWalk.ts).
 */
export function listNotes(root: string, rules: NoteFileRules): string[] {
  const filter = noteFileFilter(rules);
  return walkNotes(root, { enterFolder: (rel) => !filter.isExcludedFolder(rel), isNote: (rel) => filter.isIncluded(rel) && !filter.isExcludedFolder(rel) });
}

parentPort?.on('message', (req: IndexRequest | ListRequest) => {
  if (req.kind === 'list') {
    parentPort!.postMessage({ id: req.id, paths: req.roots.map((r) => listNotes(r.path, r.rules)) } satisfies ListResponse);
    return;
  }
  let results: IndexResponse['results'] = [];
  for (const f of req.files) {
    try {
      const mtime = statSync(f.path).mtimeMs;
      if (mtime === f.mtime) results.push({ key: f.key, unchanged: true, mtime });
      else results.push({ key: f.key, posts: summarizeText(f.key, f.path, decodeNote(readFileSync(f.path)).text), mtime });
    } catch {
      results.push({ key: f.key }); // deleted meanwhile, binary, unreadable: not a note
    }
    if (results.length >= BATCH) {
      parentPort!.postMessage({ id: req.id, results, done: false } satisfies IndexResponse);
      results = [];
    }
  }
  parentPort!.postMessage({ id: req.id, results, done: true } satisfies IndexResponse);
});
