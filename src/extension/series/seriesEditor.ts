// Citations in the editor: Ctrl+click (links), Go to Definition, hover, Find All References and
// completion of titles after `《`. Every answer resolves the citation against the workspace index;
// what does not resolve gets no link (a wrong link is worse than none) but a hover saying why.
import * as vscode from 'vscode';
import { format, localeOf } from '../../core/l10n/message';
import { unresolvedMessage } from '../../core/lint/citationAnalysis';
import type { Citation } from '../../core/series/citations';
import type { PostSummary } from '../../core/series/noteSummary';
import { normalizeTitle } from '../../core/series/titleGrammar';
import {
  citationAt,
  citationRange,
  citationsOf,
  homeOf,
  howResolved,
  NOTE_SELECTOR,
  partLabel,
  partNumbers,
  postLine,
  postLocation,
  postTitledOnLine,
  postUri,
  relativePath,
} from './seriesDocument';
import type { WorkspaceIndex } from './workspaceIndex';

export function registerSeriesEditorFeatures(workspaceIndex: WorkspaceIndex): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerDocumentLinkProvider(NOTE_SELECTOR, new CitationLinks(workspaceIndex)),
    vscode.languages.registerDefinitionProvider(NOTE_SELECTOR, new CitationDefinitions(workspaceIndex)),
    vscode.languages.registerHoverProvider(NOTE_SELECTOR, new CitationHovers(workspaceIndex)),
    vscode.languages.registerReferenceProvider(NOTE_SELECTOR, new CitationReferences(workspaceIndex)),
    vscode.languages.registerCompletionItemProvider(NOTE_SELECTOR, new TitleCompletions(workspaceIndex), '《'),
  );
}

/** A file URI with a `#L<line>` fragment: the editor's link opener selects that line. */
export function postLinkTarget(post: PostSummary): vscode.Uri {
  return postUri(post).with({ fragment: `L${postLine(post) + 1}` });
}

/** The longest the link provider works on the host's thread without yielding. */
const SLICE_MS = 10;

class CitationLinks implements vscode.DocumentLinkProvider {
  constructor(private readonly workspaceIndex: WorkspaceIndex) {}

  async provideDocumentLinks(doc: vscode.TextDocument, token?: vscode.CancellationToken): Promise<vscode.DocumentLink[]> {
    const index = await this.workspaceIndex.ready();
    const links: vscode.DocumentLink[] = [];
    // VS Code asks after every edit: a long note's thousands of citations are resolved a slice at a
    // time (10 M characters: 62 ms of the host's thread at once), and a newer request cancels this one.
    let slice = performance.now();
    for (const { citation, from, range } of citationsOf(await this.workspaceIndex.documentPosts(doc))) {
      if (performance.now() - slice > SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (token?.isCancellationRequested) return [];
        slice = performance.now();
      }
      const { post } = index.resolve(citation, from);
      if (!post) continue;
      const link = new vscode.DocumentLink(range, postLinkTarget(post));
      link.tooltip = vscode.l10n.t('Go to 《{0}》', post.title);
      links.push(link);
    }
    return links;
  }
}

class CitationDefinitions implements vscode.DefinitionProvider {
  constructor(private readonly workspaceIndex: WorkspaceIndex) {}

  async provideDefinition(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.LocationLink[] | undefined> {
    const at = citationAt(await this.workspaceIndex.documentPosts(doc), position);
    if (!at) return undefined;
    const { post } = (await this.workspaceIndex.ready()).resolve(at.citation, at.from);
    if (!post) return undefined;
    const line = new vscode.Range(postLine(post), 0, postLine(post), 0);
    return [{ originSelectionRange: at.range, targetUri: postUri(post), targetRange: line, targetSelectionRange: line }];
  }
}

class CitationHovers implements vscode.HoverProvider {
  constructor(private readonly workspaceIndex: WorkspaceIndex) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const index = await this.workspaceIndex.ready();
    const posts = await this.workspaceIndex.documentPosts(doc);
    const at = citationAt(posts, position);
    if (at) {
      const r = index.resolve(at.citation, at.from);
      const md = new vscode.MarkdownString();
      if (r.post) {
        bold(md, r.post.title);
        const where = [r.post.date, relativePath(r.post)].filter(Boolean).join(' · ');
        md.appendMarkdown('\n\n').appendText(where);
        if (r.post.firstSentence) md.appendMarkdown('\n\n').appendText(r.post.firstSentence);
        md.appendMarkdown('\n\n*')
          .appendText(howResolved(r.how, r.post, at.citation, index))
          .appendMarkdown('*');
      } else {
        bold(md, at.citation.part !== undefined ? at.citation.text : `《${at.citation.text}》`);
        md.appendMarkdown('\n\n').appendText(format(unresolvedMessage(r.reason, at.citation, at.from), localeOf(vscode.env.language)));
      }
      return new vscode.Hover(md, at.range);
    }
    const titled = postTitledOnLine(doc, posts, position.line);
    if (!titled) return undefined;
    const post = homeOf(index, titled);
    const md = new vscode.MarkdownString();
    bold(md, post.title);
    const place = index.neighbours(post);
    md.appendMarkdown('\n\n').appendText(place ? `${place.series.name} · ${partLabel(place.number)}` : vscode.l10n.t('A stand-alone post'));
    const citing = new Set(index.backlinks(post).map((b) => `${b.from.file}#${b.from.index}`)).size;
    md.appendMarkdown('\n\n').appendText(citing === 1 ? vscode.l10n.t('Cited by 1 post') : vscode.l10n.t('Cited by {0} posts', citing));
    return new vscode.Hover(md, doc.lineAt(position.line).range);
  }
}

function bold(md: vscode.MarkdownString, text: string): void {
  md.appendMarkdown('**').appendText(text).appendMarkdown('**');
}

class CitationReferences implements vscode.ReferenceProvider {
  constructor(private readonly workspaceIndex: WorkspaceIndex) {}

  async provideReferences(
    doc: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.ReferenceContext,
  ): Promise<vscode.Location[] | undefined> {
    const index = await this.workspaceIndex.ready();
    const posts = await this.workspaceIndex.documentPosts(doc);
    const at = citationAt(posts, position);
    const titled = at ? undefined : postTitledOnLine(doc, posts, position.line);
    const cited = at ? index.resolve(at.citation, at.from).post : titled && homeOf(index, titled);
    if (!cited) return undefined;
    const key = doc.uri.toString();
    const sameTitle = (p: PostSummary | undefined) => p !== undefined && normalizeTitle(p.title) === normalizeTitle(cited.title);
    // This document's citations as typed; the index's copy of it may be 150 ms old.
    const here = citationsOf(posts).filter(({ citation, from }) => sameTitle(index.resolve(citation, from).post) && !sameTitle(from));
    const elsewhere = index.backlinks(cited).filter((b) => b.from.file !== key);
    const locations = [
      ...elsewhere.map((b) => citationLocation(b.from, b.citation)),
      ...here.map(({ range }) => new vscode.Location(doc.uri, range)),
    ];
    if (context.includeDeclaration) locations.unshift(postLocation(cited));
    return locations;
  }
}

function citationLocation(from: PostSummary, citation: Citation): vscode.Location {
  return new vscode.Location(postUri(from), citationRange(citation));
}

class TitleCompletions implements vscode.CompletionItemProvider {
  constructor(private readonly workspaceIndex: WorkspaceIndex) {}

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const text = doc.lineAt(position.line).text;
    const before = text.slice(0, position.character);
    const open = before.lastIndexOf('《');
    // Only inside an open `《`: not after a closed citation, not for a very long run of text.
    if (open < 0 || before.includes('》', open) || position.character - open > 121) return undefined;
    const index = await this.workspaceIndex.ready();
    const closed = text.startsWith('》', position.character);
    const range = new vscode.Range(position.line, open + 1, position.line, position.character);
    const citing = (await this.workspaceIndex.documentPosts(doc)).find((p) => position.line >= p.line && position.line < p.endLine);
    const ownSeries = citing?.series !== undefined ? normalizeTitle(citing.series) : undefined;
    const numbers = partNumbers(index);
    const items: vscode.CompletionItem[] = [];
    for (const post of index.posts) {
      if (citing?.title && normalizeTitle(post.title) === normalizeTitle(citing.title)) continue;
      const item = new vscode.CompletionItem(post.title, vscode.CompletionItemKind.Reference);
      item.insertText = closed ? post.title : `${post.title}》`;
      item.range = range;
      item.filterText = post.title;
      const number = numbers.get(post);
      item.detail = post.series !== undefined && number !== undefined ? `${post.series} · ${partLabel(number)}` : post.date;
      if (post.firstSentence) item.documentation = post.firstSentence;
      const sameSeries = ownSeries !== undefined && post.series !== undefined && normalizeTitle(post.series) === ownSeries;
      // The citing post's own series first, in part order; then everything by title.
      item.sortText = sameSeries ? `0${String(number ?? 0).padStart(4, '0')}` : `1${post.title}`;
      items.push(item);
    }
    return items;
  }
}
