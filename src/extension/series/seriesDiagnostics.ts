// Diagnostics for citations in open notes: one that looks like a post but leads nowhere
// (`unresolved-citation`), and one that leads to a post under another title (`inexact-citation`,
// with a quick fix to the exact title). Books and papers (`《红楼梦》`) are citations too, but not
// of posts: they are never reported. Recomputed after typing and after the index changes, in the
// background and a document at a time.
import * as vscode from 'vscode';
import { archiveIdOf } from '../../core/series/noteSummary';
import { normalizeTitle, parseSeriesTitle } from '../../core/series/titleGrammar';
import type { SeriesIndex } from '../../core/series/seriesIndex';
import type { PostSummary } from '../../core/series/noteSummary';
import { citationsOf, isNoteDocument, NOTE_SELECTOR, whyUnresolved } from './seriesDocument';
import type { WorkspaceIndex } from './workspaceIndex';

export const DIAGNOSTIC_SOURCE = 'Math Notes';
export const UNRESOLVED_CITATION = 'unresolved-citation';
export const INEXACT_CITATION = 'inexact-citation';

const SEVERITIES: Record<string, vscode.DiagnosticSeverity | undefined> = {
  off: undefined,
  hint: vscode.DiagnosticSeverity.Hint,
  information: vscode.DiagnosticSeverity.Information,
  warning: vscode.DiagnosticSeverity.Warning,
};
/** Quiet time after a keystroke or an index change before recomputing. */
const DEBOUNCE_MS = 250;
/** Documents whose citations are diagnosed: not diff views' `git:` copies and the like. */
const DIAGNOSED_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-test-web']);

function severity(doc: vscode.TextDocument, setting: 'unresolvedCitations' | 'inexactCitations'): vscode.DiagnosticSeverity | undefined {
  return SEVERITIES[vscode.workspace.getConfiguration('mathNotes.series', doc.uri).get<string>(setting) ?? 'information'];
}

/** The diagnostics of one document, as of its posts (its current text) and the index. */
export function citationDiagnostics(doc: vscode.TextDocument, posts: readonly PostSummary[], index: SeriesIndex): vscode.Diagnostic[] {
  const unresolvedSeverity = severity(doc, 'unresolvedCitations');
  const inexactSeverity = severity(doc, 'inexactCitations');
  if (unresolvedSeverity === undefined && inexactSeverity === undefined) return [];
  const out: vscode.Diagnostic[] = [];
  for (const { citation, from, range } of citationsOf(posts)) {
    const r = index.resolve(citation, from);
    if (r.post) {
      if (inexactSeverity === undefined || citation.part !== undefined) continue;
      // Renamed series, close titles, and links whose URL found the post but whose text is off.
      if (normalizeTitle(citation.text) === normalizeTitle(r.post.title)) continue;
      const d = new vscode.Diagnostic(range, vscode.l10n.t('Cites 《{0}》, but the post is titled 《{1}》.', citation.text, r.post.title), inexactSeverity);
      d.code = INEXACT_CITATION;
      d.source = DIAGNOSTIC_SOURCE;
      out.push(d);
    } else if (unresolvedSeverity !== undefined) {
      // Only what looks like a post: a series title, a blog URL, a part of this series.
      const looksLikePost =
        citation.part !== undefined ? r.reason === 'missing-part' : parseSeriesTitle(citation.text) !== undefined || archiveIdOf(citation.url) !== undefined;
      if (!looksLikePost) continue;
      const d = new vscode.Diagnostic(range, whyUnresolved(r.reason, citation, from), unresolvedSeverity);
      d.code = UNRESOLVED_CITATION;
      d.source = DIAGNOSTIC_SOURCE;
      out.push(d);
    }
  }
  return out;
}

export class SeriesDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mathNotes.series');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly pending = new Set<vscode.TextDocument>();
  private timer?: ReturnType<typeof setTimeout>;
  private running = false;
  private disposed = false;

  constructor(private readonly workspaceIndex: WorkspaceIndex) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule([doc])),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.schedule([e.document]);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.pending.delete(doc);
        this.collection.delete(doc.uri);
      }),
      // What citations resolve to changed: every open note may read differently.
      workspaceIndex.onDidChange(() => this.schedule(vscode.workspace.textDocuments)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mathNotes.series')) this.schedule(vscode.workspace.textDocuments);
      }),
      vscode.languages.registerCodeActionsProvider(NOTE_SELECTOR, new ExactTitleFix(workspaceIndex), {
        providedCodeActionKinds: ExactTitleFix.kinds,
      }),
    );
    this.schedule(vscode.workspace.textDocuments);
  }

  private schedule(docs: readonly vscode.TextDocument[]): void {
    for (const doc of docs) if (isNoteDocument(doc) && DIAGNOSED_SCHEMES.has(doc.uri.scheme)) this.pending.add(doc);
    if (this.pending.size === 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), DEBOUNCE_MS);
  }

  /** A document at a time, yielding between them so typing elsewhere is never held up. */
  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.running) return;
    this.running = true;
    try {
      const index = await this.workspaceIndex.ready();
      for (const doc of this.pending) {
        if (this.disposed) return;
        this.pending.delete(doc);
        if (doc.isClosed) continue;
        const version = doc.version;
        const posts = await this.workspaceIndex.documentPosts(doc);
        // Typed meanwhile: that change scheduled this document again.
        if (!doc.isClosed && doc.version === version) this.collection.set(doc.uri, citationDiagnostics(doc, posts, index));
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    } finally {
      this.running = false;
      // Documents that came in while this ran.
      if (this.pending.size && !this.timer && !this.disposed) this.timer = setTimeout(() => void this.run(), DEBOUNCE_MS);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** Quick fix for an inexact citation: the post's exact title between the brackets. */
class ExactTitleFix implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly workspaceIndex: WorkspaceIndex) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    if (!context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE && codeOf(d) === INEXACT_CITATION)) return actions;
    const citations = citationsOf(await this.workspaceIndex.documentPosts(doc));
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || codeOf(diagnostic) !== INEXACT_CITATION) continue;
      // Diagnostics carry no data: find the citation at the reported range again.
      const at = citations.find(({ range }) => range.isEqual(diagnostic.range));
      const post = at && this.workspaceIndex.index.resolve(at.citation, at.from).post;
      if (!at || !post || at.citation.part !== undefined) continue;
      const action = new vscode.CodeAction(vscode.l10n.t('Change to the exact title 《{0}》', post.title), vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      // Inside the brackets only: a link around them (`[《…》](url)`) stays as it is.
      action.edit.replace(doc.uri, new vscode.Range(at.range.start.translate(0, 1), at.range.end.translate(0, -1)), post.title);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}
