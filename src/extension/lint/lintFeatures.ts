// Lint in the editor: diagnostics as you type (debounced, computed in the render worker so the
// editor never waits), quick fixes from the rules' own edits (each one undoable edit), "Fix all
// <rule> problems in this note" for a rule whose fixes are safe unattended (the ones `mathnotes
// lint --fix` applies, chosen by core/lint/fixAll.ts; all of them one undoable edit), and a
// command that lints every note of the workspace with progress and Cancel.
import * as vscode from 'vscode';
import { mostSevere } from '../../core/lint/shownDiagnostics';
import { format, localeOf } from '../../core/l10n/message';
import type { LintOptions } from '../../core/lint/lintNote';
import { decodeNote, type DecodedNote } from '../../core/note/decodeNote';
import { safeFixes } from '../../core/lint/fixAll';
import { NoteText } from '../../core/lint/noteText';
import type { LintDiagnostic, LintFix, RuleId, Severity, TextEdit } from '../../core/lint/types';
import { isRuleLevel } from '../../core/lint/severity';
import type { RenderService } from '../../core/preview/renderService';
import type { MacroSettings } from '../macros';
import { encodingWarning } from '../noteEncoding';
import { maxNoteChars } from '../noteSize';
import { isNoteDocument, NOTE_SELECTOR } from '../series/seriesDocument';
import type { WorkspaceIndex } from '../series/workspaceIndex';
import { CitationDiagnostics } from './citationDiagnostics';
import type { EquationDocuments } from '../editor/equationDocuments';
import { documentText } from '../documentText';

export const LINT_SOURCE = 'Math Notes lint';
const DEBOUNCE_MS = 250;

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** What the quick-fix provider needs of a diagnostic it is shown (VS Code hands back copies). */
interface Fixable {
  range: vscode.Range;
  rule: RuleId;
  message: string;
  fixes: LintFix[];
  version: number;
}

export interface LintReport {
  notes: number;
  diagnostics: number;
  cancelled: boolean;
}

/** What one note shows: the worker's findings (math) and the citation rules' (from the series index), each replaced on its own. */
interface Shown {
  math: { diagnostics: vscode.Diagnostic[]; fixable: Fixable[] };
  citations: { diagnostics: vscode.Diagnostic[]; fixable: Fixable[] };
}

const NOTHING = () => ({ diagnostics: [], fixable: [] });

export class NoteLinter implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mathNotes.lint');
  private readonly shown = new Map<string, Shown>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** A note's diagnostics were replaced (tests wait on this). */
  readonly onDidLint = this.changed.event;

  constructor(
    private readonly renderer: RenderService,
    private readonly macros: MacroSettings,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          e.affectsConfiguration('mathNotes.lint') ||
          e.affectsConfiguration('mathNotes.macros') ||
          e.affectsConfiguration('mathNotes.macroFile')
        ) {
          for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
        }
      }),
      // Trust granted: the workspace's macros now apply, so formulas may lint differently.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
      }),
      vscode.languages.registerCodeActionsProvider(
        NOTE_SELECTOR,
        { provideCodeActions: (doc, range, context) => this.codeActions(doc, range, context) },
        { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
      ),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  private enabled(uri: vscode.Uri): boolean {
    return vscode.workspace.getConfiguration('mathNotes.lint', uri).get<boolean>('enabled', true);
  }

  /**
   * Severity per rule from `mathNotes.lint.rules`; for the citation rules not named there, the
   * series settings they had before they were lint rules (`mathNotes.series.unresolvedCitations`, `.inexactCitations`).
   */
  severities(uri: vscode.Uri): NonNullable<LintOptions['severity']> {
    const configured = vscode.workspace.getConfiguration('mathNotes.lint', uri).get<Record<string, string>>('rules', {});
    const out: NonNullable<LintOptions['severity']> = {};
    // Any name with a valid level: the linter looks up only its own rules (the registry stays out
    // of the extension host's bundle, which needs none of the rules but the citation ones).
    for (const [rule, level] of Object.entries(configured ?? {})) {
      if (isRuleLevel(level)) out[rule as RuleId] = level;
    }
    const series = vscode.workspace.getConfiguration('mathNotes.series', uri);
    for (const [rule, setting] of [
      ['unresolved-citation', 'unresolvedCitations'],
      ['inexact-citation', 'inexactCitations'],
    ] as const) {
      const level = series.get<string>(setting);
      // These two settings never offered `error`: a citation is a lead, not a broken note.
      if (out[rule] === undefined && isRuleLevel(level) && level !== 'error') out[rule] = level;
    }
    return out;
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isNoteDocument(doc) || doc.uri.scheme === 'git' || doc.uri.scheme === 'output') return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.lintDocument(doc);
      }, delay),
    );
  }

  /** Lints an open document now; its diagnostics replace the old ones if the text is still current. */
  async lintDocument(doc: vscode.TextDocument): Promise<number | undefined> {
    if (!this.enabled(doc.uri)) {
      this.forgetMath(doc.uri);
      return 0;
    }
    const version = doc.version;
    const text = documentText(doc);
    if (text.length > maxNoteChars(doc.uri)) {
      const info = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, 0),
        vscode.l10n.t(
          'This note is too large to check as you type ({0} MB; mathNotes.preview.maxNoteSizeMB). Run `mathnotes lint` on it instead.',
          (text.length / 1_000_000).toFixed(1),
        ),
        vscode.DiagnosticSeverity.Information,
      );
      info.source = LINT_SOURCE;
      this.set(doc.uri, [], [info]);
      return 0;
    }
    // Mojibake (a GBK file read as UTF-8) is said once, not linted as if it were the note.
    const encoding = await encodingWarning(text, doc.uri);
    if (doc.isClosed || doc.version !== version) return undefined;
    if (encoding) {
      this.show(doc.uri, version, [], () => new vscode.Range(0, 0, 0, 0), encoding);
      return 0;
    }
    const result = await this.renderer.lint(
      `lint:${doc.uri.toString()}`,
      text,
      doc.uri.path,
      await this.macros.get(doc.uri),
      this.severities(doc.uri),
    );
    if ('superseded' in result) return undefined;
    if (doc.isClosed || doc.version !== version) return undefined; // a newer request is on its way
    if (!result.ok) {
      // The note itself broke the worker (or it was killed): say so once, on the first line.
      this.set(
        doc.uri,
        [],
        [
          new vscode.Diagnostic(
            new vscode.Range(0, 0, 0, 0),
            vscode.l10n.t('Math Notes could not lint this note: {0}', result.message),
            vscode.DiagnosticSeverity.Information,
          ),
        ],
      );
      return undefined;
    }
    const at = (o: number) => doc.positionAt(o);
    this.show(doc.uri, version, result.diagnostics, (d) => new vscode.Range(at(d.start), at(d.end)), undefined, result.omitted);
    return result.diagnostics.length + result.omitted;
  }

  private show(
    uri: vscode.Uri,
    version: number,
    found: LintDiagnostic[],
    rangeOf: (d: LintDiagnostic) => vscode.Range,
    encoding?: string,
    omitted = 0,
  ): void {
    const { diagnostics, fixable } = toDiagnostics(found, rangeOf, version);
    if (omitted > 0) {
      // The worker sent the most severe (VS Code would show no more): say that there are others.
      const message = vscode.l10n.t(
        '{0} more problems in this note are not shown (at most {1} are). Run `mathnotes lint` on it to see them all.',
        omitted,
        diagnostics.length,
      );
      diagnostics.unshift(aboutNote(message, vscode.DiagnosticSeverity.Information, 'not-shown'));
    }
    if (encoding) diagnostics.unshift(aboutNote(encoding, vscode.DiagnosticSeverity.Warning, 'encoding'));
    this.set(uri, fixable, diagnostics);
  }

  /**
   * The citation rules' findings for an open note (citationDiagnostics.ts runs them against the
   * series index): the most severe MAX_SHOWN_DIAGNOSTICS, as for the rest of lint. VS Code takes a
   * note's diagnostics in one task of the host's thread: a 10-million-character note's 2 500
   * unresolved citations beside its 1 000 other findings took ~40 ms of it per edit.
   */
  showCitations(doc: vscode.TextDocument, all: LintDiagnostic[]): void {
    const { shown, omitted } = mostSevere(all);
    const found = toDiagnostics(shown, (d) => new vscode.Range(doc.positionAt(d.start), doc.positionAt(d.end)), doc.version);
    if (omitted > 0) {
      const message = vscode.l10n.t(
        '{0} more citation problems in this note are not shown (at most {1} are). Run `mathnotes lint` on it with the notes it cites to see them all.',
        omitted,
        shown.length,
      );
      found.diagnostics.unshift(aboutNote(message, vscode.DiagnosticSeverity.Information, 'not-shown-citations'));
    }
    this.publish(doc.uri, 'citations', found);
  }

  private set(uri: vscode.Uri, fixable: Fixable[], diagnostics: vscode.Diagnostic[]): void {
    this.publish(uri, 'math', { diagnostics, fixable });
  }

  private publish(uri: vscode.Uri, part: keyof Shown, found: Shown[keyof Shown]): void {
    const key = uri.toString();
    const shown = this.shown.get(key) ?? { math: NOTHING(), citations: NOTHING() };
    shown[part] = found;
    this.shown.set(key, shown);
    this.collection.set(uri, [...shown.math.diagnostics, ...shown.citations.diagnostics]);
    this.changed.fire(uri);
  }

  /** Lint turned off for the note: its math findings go (citations follow their own severities). */
  private forgetMath(uri: vscode.Uri): void {
    clearTimeout(this.timers.get(uri.toString()));
    this.timers.delete(uri.toString());
    if (this.shown.has(uri.toString())) this.publish(uri, 'math', NOTHING());
  }

  private forget(uri: vscode.Uri): void {
    clearTimeout(this.timers.get(uri.toString()));
    this.timers.delete(uri.toString());
    this.shown.delete(uri.toString());
    this.collection.delete(uri);
  }

  private codeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const shown = this.shown.get(doc.uri.toString());
    const known = shown ? [...shown.math.fixable, ...shown.citations.fixable] : [];
    const actions: vscode.CodeAction[] = [];
    const fixAllOffered = new Set<RuleId>();
    for (const shown of context.diagnostics) {
      if (shown.source !== LINT_SOURCE) continue;
      const f = known.find((k) => k.rule === shown.code && k.message === shown.message && k.range.isEqual(shown.range));
      if (!f || f.version !== doc.version) continue;
      f.fixes.forEach((fix, i) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [shown];
        action.isPreferred = i === 0;
        action.edit = this.editOf(doc, fix.edits);
        actions.push(action);
      });
      // Every safe fix of this rule in the note, when there is more than this one: one edit, one undo.
      if (!fixAllOffered.has(f.rule) && f.fixes.some((fix) => fix.safe)) {
        fixAllOffered.add(f.rule);
        const chosen = safeFixes(known, f.rule);
        if (chosen.length > 1) {
          const action = new vscode.CodeAction(
            vscode.l10n.t('Fix all {0} problems in this note ({1})', f.rule, chosen.length),
            vscode.CodeActionKind.QuickFix,
          );
          action.diagnostics = [shown];
          action.edit = this.editOf(
            doc,
            chosen.flatMap((c) => c.fix.edits),
          );
          actions.push(action);
        }
      }
    }
    return actions;
  }

  /** Text edits (offsets into the document's current text) as one workspace edit. */
  private editOf(doc: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.text);
    return edit;
  }

  /** Lints every note of the workspace (open ones from their editors), with progress and Cancel. */
  async lintWorkspace(index: WorkspaceIndex): Promise<LintReport> {
    const uris = index.index.files().map((f) => vscode.Uri.parse(f));
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Math Notes: linting {0} notes', uris.length),
        cancellable: true,
      },
      async (progress, token) => {
        let diagnostics = 0;
        let done = 0;
        for (const uri of uris) {
          if (token.isCancellationRequested) return { notes: done, diagnostics, cancelled: true };
          progress.report({ message: vscode.workspace.asRelativePath(uri), increment: 100 / Math.max(1, uris.length) });
          const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
          if (open) {
            diagnostics += (await this.lintDocument(open)) ?? 0;
          } else if (this.enabled(uri)) {
            // Decoded as the index and the CLI decode notes: GBK read as such (and said), binary skipped.
            let decoded: DecodedNote;
            try {
              decoded = decodeNote(await vscode.workspace.fs.readFile(uri));
            } catch {
              continue;
            }
            const { text } = decoded;
            if (text.length > maxNoteChars(uri) * 10) continue; // `mathnotes lint` is the tool for such a note
            const result = await this.renderer.lint(
              `lint-all:${uri.toString()}`,
              text,
              uri.path,
              await this.macros.get(uri),
              this.severities(uri),
            );
            this.renderer.disposeChannel(`lint-all:${uri.toString()}`);
            if ('superseded' in result || !result.ok) continue;
            const placed = new NoteText(text);
            const pos = (o: number) => {
              const p = placed.positionAt(o);
              return new vscode.Position(p.line, p.character);
            };
            const encoding = decoded.warning && format(decoded.warning, localeOf(vscode.env.language));
            this.show(uri, -1, result.diagnostics, (d) => new vscode.Range(pos(d.start), pos(d.end)), encoding);
            diagnostics += result.diagnostics.length;
          }
          done++;
        }
        return { notes: done, diagnostics, cancelled: false };
      },
    );
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    this.collection.dispose();
    this.changed.dispose();
  }
}

/** Findings as VS Code diagnostics (source, rule as code), with what the quick-fix provider needs of those that have fixes. */
function toDiagnostics(found: readonly LintDiagnostic[], rangeOf: (d: LintDiagnostic) => vscode.Range, version: number): Shown['math'] {
  const fixable: Fixable[] = [];
  const diagnostics = found.map((d) => {
    const range = rangeOf(d);
    const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
    diagnostic.source = LINT_SOURCE;
    diagnostic.code = d.rule;
    if (d.rule === 'unused-label') diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
    if (d.fixes.length) fixable.push({ range, rule: d.rule, message: d.message, fixes: d.fixes, version });
    return diagnostic;
  });
  return { diagnostics, fixable };
}

export function registerLintFeatures(
  context: vscode.ExtensionContext,
  renderer: RenderService,
  macros: MacroSettings,
  series: WorkspaceIndex,
  equations: EquationDocuments,
): NoteLinter {
  const linter = new NoteLinter(renderer, macros);
  context.subscriptions.push(
    linter,
    new CitationDiagnostics(series, linter, equations),
    vscode.commands.registerCommand('mathNotes.lint.workspace', async () => {
      const report = await linter.lintWorkspace(series);
      const message = report.cancelled
        ? vscode.l10n.t('Math Notes: lint cancelled after {0} notes ({1} problems so far).', report.notes, report.diagnostics)
        : vscode.l10n.t('Math Notes: linted {0} notes, {1} problems.', report.notes, report.diagnostics);
      void vscode.window.showInformationMessage(message);
      return report;
    }),
  );
  return linter;
}

/** A finding about the whole note (findings left out, its encoding), on its first line. */
function aboutNote(message: string, severity: vscode.DiagnosticSeverity, code: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, severity);
  d.source = LINT_SOURCE;
  d.code = code;
  return d;
}
