// The citation rules (core/lint/rules/unresolved-citation.ts, inexact-citation.ts) for open notes:
// run on the extension host, where the series index lives, against the posts the index keeps
// for each open note; shown with the note's other lint findings (NoteLinter.showCitations), with
// their severities, suppression comments (from the worker's parse, with the note's equations) and
// quick fixes. Recomputed after typing and after the index changes, in the background and a
// document at a time.
import * as vscode from 'vscode';
import { localeOf } from '../../core/l10n/message';
import type { LintDiagnostic } from '../../core/lint/types';
import { preparedText } from '../../core/lint/reporter';
import { citationBatches, lintCitations } from '../../core/lint/citationRules';
import { isNoteDocument } from '../series/seriesDocument';
import type { WorkspaceIndex } from '../series/workspaceIndex';
import type { NoteLinter } from './lintFeatures';
import { documentText } from '../documentText';
import type { EquationDocuments } from '../editor/equationDocuments';
import { maxNoteChars } from '../noteSize';
import type { LintDirective } from '../../core/lint/suppressions';

/**
 * Citations checked in one task of the host's thread (a post of a 10-million-character note held
 * thousands: 75 ms of the thread checked at once; 300 of them, resolved cold, 58 ms).
 */
const CITATIONS_PER_TASK = 100;
const yieldToHost = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Quiet time after a keystroke or an index change before recomputing. */
const DEBOUNCE_MS = 250;
/** Documents whose citations are diagnosed: not diff views' `git:` copies and the like. */
const DIAGNOSED_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-test-web']);

export class CitationDiagnostics implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Set<vscode.TextDocument>();
  private timer?: ReturnType<typeof setTimeout>;
  private running = false;
  private disposed = false;

  constructor(
    private readonly workspaceIndex: WorkspaceIndex,
    private readonly linter: NoteLinter,
    private readonly equations: EquationDocuments,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule([doc])),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.schedule([e.document]);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.pending.delete(doc)),
      // What citations resolve to changed: every open note may read differently.
      workspaceIndex.onDidChange(() => this.schedule(vscode.workspace.textDocuments)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mathNotes.series') || e.affectsConfiguration('mathNotes.lint'))
          this.schedule(vscode.workspace.textDocuments);
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
        const current = () => !doc.isClosed && doc.version === version;
        if (!current()) continue;
        // As lint: a note too large to check as you type is checked by `mathnotes lint` (its
        // directives, below, would not be known).
        if (documentText(doc).length > maxNoteChars(doc.uri)) {
          this.linter.showCitations(doc, []);
          continue;
        }
        // Nothing to check, nothing to prepare (a long note's lines take tens of ms of this thread).
        if (!posts.some((p) => p.citations.length)) {
          this.linter.showCitations(doc, []);
          continue;
        }
        // What the note's `mathnotes-disable` comments turn off, from the render worker's parse
        // (a comment in a code fence turns nothing off), and the note's lines as it found them.
        const equations = await this.equations.of(doc);
        if (!current()) continue;
        const directives: LintDirective[] = equations?.directives ?? [];
        // The text's lines, in a task of their own when not found already.
        preparedText(documentText(doc), equations?.doc.lineStarts);
        await yieldToHost();
        if (!current()) continue;
        const options = { severity: this.linter.severities(doc.uri), locale: localeOf(vscode.env.language) };
        // A hundred citations per task: an 800-post listing's citations resolved at once took
        // up to 48 ms of the host's thread (JIT cold).
        const found: LintDiagnostic[] = [];
        for (const batch of citationBatches(posts, CITATIONS_PER_TASK)) {
          if (!current()) break;
          for (const d of lintCitations(documentText(doc), batch, index, options, directives)) found.push(d);
          await yieldToHost();
        }
        if (current()) this.linter.showCitations(doc, found);
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
