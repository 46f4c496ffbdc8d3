// `mathnotes index <file|folder>... [--json]`: the posts of a set of notes, their series (parts in
// order, missing parts) and where each citation leads. Issue #5's CLI; fuzzy and URL matching
// are still to come, so `how` is `exact` or `series` today.
import { relative } from 'node:path';
import { parseNote } from '../core/note/parseNote';
import { findCitations } from '../core/series/citations';
import { PostIndex } from '../core/series/postIndex';
import { normalizeTitle } from '../core/series/titleGrammar';
import type { Note } from '../core/note/types';
import { readNoteFile } from '../node/readNoteFile';
import { isDirectory, listNotes } from './render';

export function indexCommand(args: string[]): number {
  const json = args.includes('--json');
  const inputs = args.filter((a) => a !== '--json');
  if (inputs.length === 0 || inputs.some((a) => a.startsWith('-'))) {
    console.error('usage: mathnotes index <file|folder>... [--json]');
    return 2;
  }
  const files = inputs.flatMap((p) => (isDirectory(p) ? listNotes(p) : [p]));
  const index = new PostIndex();
  const notes: Array<{ file: string; note: Note }> = [];
  let failures = 0;
  for (const path of files) {
    const file = relative(process.cwd(), path) || path;
    try {
      const note = parseNote(readNoteFile(path).text, path);
      index.add(file, note);
      notes.push({ file, note });
    } catch (err) {
      console.error(`mathnotes index: cannot read '${path}': ${(err as Error).message}`);
      failures++;
    }
  }
  const posts = index.posts.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const seriesMap = new Map<string, { name: string; parts: typeof posts }>();
  for (const p of posts) {
    if (!p.series || p.part === undefined) continue;
    const key = normalizeTitle(p.series);
    if (!seriesMap.has(key)) seriesMap.set(key, { name: p.series, parts: [] });
    seriesMap.get(key)!.parts.push(p);
  }
  const series = [...seriesMap.values()].map((s) => {
    const parts = s.parts.sort((a, b) => a.part! - b.part!);
    // 上/下 (and 中) are an order: number them 1, 2, … as they come, with no gaps.
    const ordinal = parts.every((p) => p.relative);
    const numbered = parts.map((p, i) => ({ part: ordinal ? i + 1 : p.part!, file: p.file, line: p.line + 1, title: p.title }));
    const have = new Set(numbered.map((p) => p.part));
    const missing = Array.from({ length: numbered[numbered.length - 1].part }, (_, i) => i + 1).filter((n) => !have.has(n));
    return { name: s.name, parts: numbered, missing };
  });
  const citations = notes.flatMap(({ file, note }) =>
    note.posts.flatMap((post) =>
      findCitations(post.body, post.bodyLineMap).map((c) => {
        const r = index.resolve(c);
        return { file, line: c.line + 1, text: c.text, target: r ? { file: r.post.file, line: r.post.line + 1, title: r.post.title } : null, how: r?.how ?? null };
      }),
    ),
  );
  if (json) {
    console.log(JSON.stringify({ posts: posts.map((p) => ({ file: p.file, line: p.line + 1, title: p.title, series: p.series ?? null, part: p.part ?? null })), series, citations }, null, 2));
  } else {
    for (const s of series.sort((a, b) => b.parts.length - a.parts.length)) {
      console.log(`${s.name}: ${s.parts.length} part(s)${s.missing.length ? `, missing ${s.missing.join(', ')}` : ''}`);
    }
    const linked = citations.filter((c) => c.target).length;
    console.log(`${posts.length} post(s) in ${notes.length} note(s), ${series.length} series, ${linked} of ${citations.length} citation(s) resolved`);
  }
  return failures > 0 ? 1 : 0;
}
