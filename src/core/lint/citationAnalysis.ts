// A note's citations as the citation rules read them: its posts as the series index summarises
// them (each with its citations, by line and column), and a resolver — the index, in the editor
// the workspace's and on the command line the notes given. Without a resolver there is nothing to
// resolve against, and the citation rules stay quiet.

import { msg, type Message } from '../l10n/message';
import type { Citation } from '../series/citations';
import type { PostSummary } from '../series/noteSummary';
import type { Resolution, UnresolvedReason } from '../series/seriesIndex';
import type { NoteText } from './noteText';

/** What a citation leads to (SeriesIndex.resolve). */
export interface CitationResolver {
  resolve(citation: Citation, from: PostSummary): Resolution;
}

export interface CitationAnalysis {
  posts: readonly PostSummary[];
  doc: NoteText;
  resolver: CitationResolver;
}

export interface PlacedCitation {
  citation: Citation;
  from: PostSummary;
  /** Document range, the brackets included. */
  start: number;
  end: number;
  resolution: Resolution;
}

const placedByNote = new WeakMap<CitationAnalysis, PlacedCitation[]>();

/** Each citation of the note with its post, document range and where it leads: resolved once for all the citation rules. */
export function citationsIn(note: CitationAnalysis): readonly PlacedCitation[] {
  let placed = placedByNote.get(note);
  if (!placed) {
    placed = [];
    for (const from of note.posts) {
      for (const citation of from.citations) {
        if (citation.line >= note.doc.lineCount) continue;
        const start = note.doc.lineStart(citation.line) + citation.col;
        placed.push({ citation, from, start, end: start + citation.length, resolution: note.resolver.resolve(citation, from) });
      }
    }
    placedByNote.set(note, placed);
  }
  return placed;
}

/** Why a citation leads nowhere, in words (the diagnostic, and the editor's hover). */
export function unresolvedMessage(reason: UnresolvedReason, citation: Citation, from: PostSummary): Message {
  switch (reason) {
    case 'not-found':
      return msg('No post among your notes has this title.');
    case 'ambiguous':
      return msg('Several posts fit this citation equally well, so it is not linked.');
    case 'no-series':
      return msg('This post is not in a series, so a part reference has nothing to refer to.');
    case 'missing-part':
      return msg('Part {0} of {1} is not among your notes.', citation.part ?? 0, from.series ?? '');
    case 'self':
      return msg('This refers to the citing post itself.');
  }
}
