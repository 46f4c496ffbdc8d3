// The index worker: a thread that reads note files and summarises them for the series index, so a
// workspace of thousands of notes is indexed off the extension host (and on more than one core).

import { readFileSync, statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { summarizeText, type PostSummary } from '../core/series/noteSummary';
import { decodeNote } from './readNoteFile';

export interface IndexRequest {
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

parentPort?.on('message', (req: IndexRequest) => {
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
