// What the series features share: a document's citations and titled posts (from its posts as of
// its current text: WorkspaceIndex.documentPosts), where a post lives, and the localized words for
// how a citation resolved or why it did not.
import * as vscode from 'vscode';
import type { Citation } from '../../core/series/citations';
import type { PostSummary } from '../../core/series/noteSummary';
import type { ResolvedBy, SeriesIndex } from '../../core/series/seriesIndex';
import { normalizeTitle } from '../../core/series/titleGrammar';

/** Notes: Markdown, and `.txt` blog-listing exports whatever language mode they are in. */
export const NOTE_SELECTOR: vscode.DocumentSelector = [{ language: 'markdown' }, { pattern: '**/*.txt' }];

export function isNoteDocument(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(NOTE_SELECTOR, doc) > 0;
}

export interface CitationInDocument {
  citation: Citation;
  /** The citing post (part references resolve within its series). */
  from: PostSummary;
  range: vscode.Range;
}

export function citationRange(c: Pick<Citation, 'line' | 'col' | 'length'>): vscode.Range {
  return new vscode.Range(c.line, c.col, c.line, c.col + c.length);
}

/** Every citation of a document's posts, with its range. */
export function citationsOf(posts: readonly PostSummary[]): CitationInDocument[] {
  return posts.flatMap((from) => from.citations.map((citation) => ({ citation, from, range: citationRange(citation) })));
}

/** The citation under the cursor (its ends included, as a word's are). */
export function citationAt(posts: readonly PostSummary[], position: vscode.Position): CitationInDocument | undefined {
  for (const from of posts) {
    if (position.line < from.line || position.line >= from.endLine) continue;
    for (const citation of from.citations) {
      if (citation.line === position.line && position.character >= citation.col && position.character <= citation.col + citation.length) {
        return { citation, from, range: citationRange(citation) };
      }
    }
  }
  return undefined;
}

/** The post whose title is on this line: a listing's title line, a Markdown H1 or front matter `title:`. */
export function postTitledOnLine(doc: vscode.TextDocument, posts: readonly PostSummary[], line: number): PostSummary | undefined {
  for (const post of posts) {
    if (!post.title || line < post.line || line >= post.endLine) continue;
    if (post.titleLine === line) return post;
    // A Markdown note names its title twice (front matter and H1); either line counts.
    if (line - post.line > 80) return undefined;
    const written = titleWrittenOn(doc.lineAt(line).text);
    return written !== undefined && normalizeTitle(written) === normalizeTitle(post.title) ? post : undefined;
  }
  return undefined;
}

/**
 * The title an H1 or a front matter `title:` line spells out. Linear on any line: trailing blanks
 * go first and the closing `###` is cut by hand, because a lazy group followed by optional
 * blanks (`(.*?)(?:\s+#+)?\s*$`) backtracks quadratically over a long run of spaces (hover froze
 * for a second on 20 000 of them). `s`: `.` also takes U+2028/9, so `.*$` never backtracks.
 */
function titleWrittenOn(lineText: string): string | undefined {
  const text = lineText.trimEnd();
  const h1 = /^#\s+(.*)$/s.exec(text)?.[1];
  if (h1 !== undefined) {
    // `# Title ##`: a closing run of `#` after a blank is not part of the title (`# ###` is).
    let end = h1.length;
    while (end > 0 && h1[end - 1] === '#') end--;
    return end < h1.length && end > 0 && /\s/.test(h1[end - 1]) ? h1.slice(0, end).trimEnd() : h1;
  }
  return /^title\s*:\s*(.*)$/s.exec(text)?.[1]?.replace(/^(["'])(.*)\1$/s, '$2');
}

/** The canonical copy of a post (a listing's excerpt defers to the full post), if the index has it. */
export function homeOf(index: SeriesIndex, post: PostSummary): PostSummary {
  return (post.title && index.postTitled(post.title)) || post;
}

export function postUri(post: PostSummary): vscode.Uri {
  return vscode.Uri.parse(post.file);
}

/** Where a post is shown: its title line, else where it starts. */
export function postLine(post: PostSummary): number {
  return post.titleLine ?? post.line;
}

export function postLocation(post: PostSummary): vscode.Location {
  return new vscode.Location(postUri(post), new vscode.Position(postLine(post), 0));
}

/** The post's file as the workspace names it. */
export function relativePath(post: PostSummary): string {
  return vscode.workspace.asRelativePath(postUri(post), false);
}

/** The part number a post shows (`第 n 篇`): for 上/中/下 series, its place in order. */
export function partNumber(index: SeriesIndex, post: PostSummary): number | undefined {
  return index.neighbours(post)?.number ?? post.part;
}

export function partLabel(n: number): string {
  return vscode.l10n.t('Part {0}', n);
}

/** A gap reads like the parts beside it ("Part 16 — not in this workspace"), not in the title's numerals. */
export function gapLabel(n: number): string {
  return vscode.l10n.t('Part {0} — not in this workspace', n);
}

/** How a resolved citation found its post, for hovers. */
export function howResolved(how: ResolvedBy, post: PostSummary, citation: Citation, index: SeriesIndex): string {
  switch (how) {
    case 'url':
      return vscode.l10n.t('Found by the link’s URL.');
    case 'exact':
      return vscode.l10n.t('Exact title.');
    case 'series':
      return vscode.l10n.t('The same part of a series cited under a slightly different name.');
    case 'fuzzy':
      return vscode.l10n.t('A close title: the cited text differs from the post’s title.');
    case 'part':
      return vscode.l10n.t('{0} of this series ({1}).', partLabel(partNumber(index, post) ?? citation.part ?? 0), post.series ?? '');
  }
}

const numberCache = new WeakMap<SeriesIndex, { version: number; numbers: Map<PostSummary, number> }>();

/** Every series post's shown number, from one pass over the series (completion lists them all). */
export function partNumbers(index: SeriesIndex): ReadonlyMap<PostSummary, number> {
  const cached = numberCache.get(index);
  if (cached?.version === index.version) return cached.numbers;
  const numbers = new Map<PostSummary, number>();
  for (const view of index.series()) for (const part of view.parts) if (part.post) numbers.set(part.post, part.number);
  numberCache.set(index, { version: index.version, numbers });
  return numbers;
}
