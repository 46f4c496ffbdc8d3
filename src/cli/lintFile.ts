// One note of `mathnotes lint`: read, linted (with --fix: fixed and written over its file, in its
// own encoding), its findings placed by line and column. The same function runs in the main thread
// or in a worker (`-j N`, workerPool.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fixNote } from '../core/lint/fixNote';
import { lintNote, type LintOptions } from '../core/lint/lintNote';
import { NoteText } from '../core/lint/noteText';
import type { LintDiagnostic, RuleId } from '../core/lint/types';
import { RenderCache } from '../core/math/katexRenderer';
import type { PostSummary } from '../core/series/noteSummary';
import { SeriesIndex } from '../core/series/seriesIndex';
import type { DecodedNote } from '../core/note/decodeNote';
import { decodeNote } from '../node/readNoteFile';
import { cliLocale, say, sayError } from './locale';

/** What every note of one run shares; plain data, so a worker gets it as it is. */
export interface LintFileSettings {
  macros?: Record<string, string>;
  rules?: RuleId[];
  fix: boolean;
  dryRun: boolean;
  /** The posts of every note of the run, by path: the series index citations are resolved against (none: not checked). */
  posts?: Array<[string, PostSummary[]]>;
}

export type PlacedDiagnostic = LintDiagnostic & { line: number; column: number; endLine: number; endColumn: number };

export interface LintFileResult {
  /** The note as the report names it (relative to the working folder). */
  file: string;
  /** Undefined: the note could not be read (the reason is in `messages`). */
  diagnostics?: PlacedDiagnostic[];
  /** With --fix: problems fixed (or that would be, with --dry-run). */
  fixed?: number;
  /** Lines for standard error, in the CLI's language. */
  messages: string[];
  /** The fixed text could not be written. */
  unwritten?: boolean;
}

export function lintFileJob(settings: LintFileSettings): (path: string) => LintFileResult {
  const index = seriesIndexOf(settings.posts);
  const options: LintOptions = {
    macros: settings.macros,
    cache: new RenderCache(),
    rules: settings.rules,
    locale: cliLocale(),
    citations: index,
  };
  return (path) => {
    const file = relative(process.cwd(), path) || path;
    const messages: string[] = [];
    let bytes: Buffer;
    let decoded: DecodedNote;
    try {
      bytes = readFileSync(path);
      decoded = decodeNote(bytes);
    } catch (err) {
      return { file, messages: [say("cannot read '{0}': {1}", path, sayError(err))] };
    }
    // The findings are about the fixed text when there is one (written, or with --dry-run as it would be).
    let text = decoded.text;
    let found;
    let fixed: number | undefined;
    let unwritten = false;
    if (settings.fix) {
      const result = fixNote(text, path, options);
      found = result.diagnostics;
      fixed = result.fixed;
      if (result.stopped === 'new-errors') messages.push(say("'{0}': a pass of fixes would have added errors; it was not applied", file));
      if (result.fixed > 0) {
        const counts = Object.entries(result.byRule)
          .map(([rule, n]) => `${rule} ${n}`)
          .join(', ');
        const problem = settings.dryRun ? undefined : writeFixed(path, bytes, decoded, result.text);
        if (problem) {
          messages.push(say("'{0}': not written: {1}", file, problem));
          unwritten = true;
          found = lintNote(text, path, options);
          fixed = 0;
        } else {
          messages.push(
            settings.dryRun
              ? say("'{0}': would fix {1} problem(s) ({2})", file, result.fixed, counts)
              : say("'{0}': fixed {1} problem(s) ({2})", file, result.fixed, counts),
          );
          text = result.text;
        }
      }
    } else {
      // The text the main thread summarised: its posts are in the index already.
      found = lintNote(text, path, { ...options, citingPosts: index?.postsOf(path) });
    }
    const doc = new NoteText(text);
    const diagnostics = found.map((d) => {
      const s = doc.positionAt(d.start);
      const e = doc.positionAt(d.end);
      return { ...d, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
    });
    return { file, diagnostics, ...(settings.fix ? { fixed: fixed ?? 0 } : {}), messages, ...(unwritten ? { unwritten } : {}) };
  };
}

/**
 * Writes a fixed note over its file in the encoding it was read in (a UTF-8 BOM kept), unless the
 * file changed since it was read; the reason it was not written, if it was not.
 */
function writeFixed(path: string, read: Buffer, decoded: DecodedNote, text: string): string | undefined {
  let bytes: Buffer;
  switch (decoded.encoding) {
    case 'utf-8':
      bytes = Buffer.concat([
        read[0] === 0xef && read[1] === 0xbb && read[2] === 0xbf ? read.subarray(0, 3) : Buffer.alloc(0),
        Buffer.from(text, 'utf8'),
      ]);
      break;
    case 'utf-16le':
      bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      break;
    case 'utf-16be':
      bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
      break;
    default:
      return say('it is {0}, which mathnotes reads but does not write; convert it to UTF-8 to fix it here', decoded.encoding.toUpperCase());
  }
  try {
    if (!readFileSync(path).equals(read)) return say('it changed while it was being fixed');
    writeFileSync(path, bytes);
  } catch (err) {
    return sayError(err);
  }
  return undefined;
}

/** The run's series index, made once per thread from the posts the main thread summarised. */
function seriesIndexOf(posts: LintFileSettings['posts']): SeriesIndex | undefined {
  if (!posts) return undefined;
  const index = new SeriesIndex();
  for (const [file, summary] of posts) index.setFile(file, summary);
  return index;
}
