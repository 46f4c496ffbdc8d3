// `mathnotes index <file|folder>... [--json]`: the posts of a set of notes, their series (parts in
// order, missing parts) and where each citation leads (and how: url, exact, series, fuzzy, part)
// or why it does not.
import { relative } from 'node:path';
import { say, sayError } from './locale';
import { printErr, printJson, printOut, visible } from './terminal';
import { parseNote } from '../core/note/parseNote';
import { summarizeNote } from '../core/series/noteSummary';
import { SeriesIndex } from '../core/series/seriesIndex';
import { readNoteFile } from '../node/readNoteFile';
import { listInputs } from './noteInputs';
import { usageError } from './usage';

export function indexCommand(args: string[]): number {
  const json = args.includes('--json');
  const inputs = args.filter((a) => a !== '--json');
  const option = inputs.find((a) => a.startsWith('-'));
  if (option !== undefined) return usageError('index', say("unknown option '{0}'", option));
  if (inputs.length === 0) return usageError('index', say('no notes given'));
  const listed = listInputs(inputs, 'mathnotes index');
  if (!listed) return 2;
  const files = listed.map((n) => n.path);
  const index = new SeriesIndex();
  let failures = 0;
  for (const path of files) {
    const file = relative(process.cwd(), path) || path;
    try {
      const text = readNoteFile(path).text;
      index.setFile(file, summarizeNote(file, text, parseNote(text, path)));
    } catch (err) {
      printErr(`mathnotes index: ${say("cannot read '{0}': {1}", path, sayError(err))}`);
      failures++;
    }
  }
  const posts = index.posts.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const series = index.series().map((s) => ({
    name: s.name,
    parts: s.parts.filter((p) => p.post).map((p) => ({ part: p.number, file: p.post!.file, line: p.post!.line + 1, title: p.post!.title })),
    missing: s.parts.filter((p) => !p.post).map((p) => p.number),
  }));
  const citations = files.flatMap((path) => {
    const file = relative(process.cwd(), path) || path;
    return index.postsOf(file).flatMap((from) =>
      from.citations.map((c) => {
        const r = index.resolve(c, from);
        return {
          file,
          line: c.line + 1,
          column: c.col + 1,
          text: c.text,
          ...(c.part !== undefined ? { part: c.part } : {}),
          target: r.post ? { file: r.post.file, line: r.post.line + 1, title: r.post.title } : null,
          how: r.how ?? null,
          ...(r.reason ? { reason: r.reason } : {}),
        };
      }),
    );
  });
  if (json) {
    printJson({
      posts: posts.map((p) => ({ file: p.file, line: p.line + 1, title: p.title, series: p.series ?? null, part: p.part ?? null })),
      series,
      citations,
    });
  } else {
    // Series, longest first, each part with its title and where it is; then every citation, one
    // line each as a finding is (`file:line:col: …`), with where it leads and how, or why not.
    const byLength = [...series].sort((a, b) => b.parts.length - a.parts.length);
    for (const s of byLength) {
      printOut(
        s.missing.length
          ? say('{0}: {1} part(s), missing {2}', s.name, s.parts.length, s.missing.join(', '))
          : say('{0}: {1} part(s)', s.name, s.parts.length),
      );
      const width = String(Math.max(1, ...s.parts.map((p) => p.part))).length;
      for (const p of s.parts)
        printOut(`  ${String(p.part).padStart(width)}  ${visible(p.title, 'oneLine')}  ${visible(`${p.file}:${p.line}`, 'oneLine')}`);
    }
    if (citations.length) {
      if (series.length) printOut();
      printOut(say('Citations:'));
    }
    for (const c of citations) {
      const cited = c.part !== undefined ? say('part {0} of this series', c.part) : `《${c.text}》`;
      const where = c.target
        ? `→ ${c.target.file}:${c.target.line}${c.part !== undefined || c.target.title !== c.text ? ` 《${c.target.title}》` : ''} (${c.how})`
        : `✗ ${c.reason}`;
      printOut(`${visible(`${c.file}:${c.line}:${c.column}: ${cited} ${where}`, 'oneLine')}`);
    }
    if (series.length || citations.length) printOut();
    const linked = citations.filter((c) => c.target).length;
    printOut(
      say(
        '{0} post(s) in {1} note(s), {2} series, {3} of {4} citation(s) resolved',
        posts.length,
        index.fileCount,
        series.length,
        linked,
        citations.length,
      ),
    );
  }
  return failures > 0 ? 1 : 0;
}
