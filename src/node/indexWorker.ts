// The index worker: a thread that lists a workspace's notes, and reads and summarises them for the
// series index, so a workspace of thousands of notes is indexed off the extension host (and on
// more than one core).

import { readFileSync, statSync, type Stats } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { noteFileFilter, type NoteFileRules } from '../core/series/noteFiles';
import { summarizeText, type PostSummary } from '../core/series/noteSummary';
import { walkNotes } from './noteWalk';
import { decodeNote } from './readNoteFile';
import { lowerThisThread, WORKER_NICENESS } from './threadPriority';

// Indexing is background work: the host and the preview's renders come first.
lowerThisThread(WORKER_NICENESS.background);

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
  /** The key the index files it under (a URI string), the path to read, and the stamp of the copy
   * the index holds (skipped when the file still has it; see fileStamp). */
  files: Array<{ key: string; path: string; stamp?: string }>;
}

export interface IndexResponse {
  id: number;
  /** Summaries of the files done so far (several messages per request); no posts: unreadable;
   * `unchanged`: the index's copy is current; `stamp`: of what was read, when it can be trusted. */
  results: Array<{ key: string; posts?: PostSummary[]; stamp?: string; unchanged?: boolean }>;
  done: boolean;
}

const BATCH = 64;

/**
 * A file read this soon after its last change may change again with the same times: file-system
 * clocks tick coarsely (a jiffy on Linux, 1–2 s on FAT and some network shares), so a write in
 * the same tick as the read leaves modification and change times as they were.
 */
export const RACY_MS = 2000;

/**
 * What says a file is the copy that was read: modification and change times and size (a change
 * time cannot be set back, as `touch -d` or an unzip sets a modification time). Undefined when the
 * read came within RACY_MS of the change: such a copy is read again on the next event, never
 * skipped (a write in the same clock tick as the read would otherwise be lost for good).
 */
export function fileStamp(stat: Pick<Stats, 'mtimeMs' | 'ctimeMs' | 'size'>, readAt: number): string | undefined {
  if (readAt - Math.max(stat.mtimeMs, stat.ctimeMs) < RACY_MS) return undefined;
  return `${stat.mtimeMs}:${stat.ctimeMs}:${stat.size}`;
}

/** One file for the index: unchanged since `stamp`, its posts, or no posts (unreadable). */
export function summarizeFile(f: IndexRequest['files'][number], now: () => number = Date.now): IndexResponse['results'][number] {
  try {
    const before = statSync(f.path);
    const stamp = `${before.mtimeMs}:${before.ctimeMs}:${before.size}`;
    if (f.stamp !== undefined && stamp === f.stamp) return { key: f.key, unchanged: true, stamp };
    const posts = summarizeText(f.key, f.path, decodeNote(readFileSync(f.path)).text);
    // Stamped as of before the read: a write during it changes the times, so it is read again.
    return { key: f.key, posts, ...optional(fileStamp(before, now())) };
  } catch {
    return { key: f.key }; // deleted meanwhile, binary, unreadable: not a note
  }
}

function optional(stamp: string | undefined): { stamp?: string } {
  return stamp === undefined ? {} : { stamp };
}

/**
 * The notes under `root`: folders the rules exclude are not entered; linked folders are followed
 * once each (as VS Code's search follows them), so a link cycle ends (the CLI's walk, noteWalk.ts).
 */
export function listNotes(root: string, rules: NoteFileRules): string[] {
  const filter = noteFileFilter(rules);
  return walkNotes(root, {
    enterFolder: (rel) => !filter.isExcludedFolder(rel),
    isNote: (rel) => filter.isIncluded(rel) && !filter.isExcludedFolder(rel),
  });
}

parentPort?.on('message', (req: IndexRequest | ListRequest) => {
  if (req.kind === 'list') {
    parentPort!.postMessage({ id: req.id, paths: req.roots.map((r) => listNotes(r.path, r.rules)) } satisfies ListResponse);
    return;
  }
  let results: IndexResponse['results'] = [];
  for (const f of req.files) {
    results.push(summarizeFile(f));
    if (results.length >= BATCH) {
      parentPort!.postMessage({ id: req.id, results, done: false } satisfies IndexResponse);
      results = [];
    }
  }
  parentPort!.postMessage({ id: req.id, results, done: true } satisfies IndexResponse);
});
