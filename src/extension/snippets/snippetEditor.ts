// Snippets in the editor: "▶ Run" above each runnable block (CodeLens), the last result as an
// inline hint after its closing fence, and the commands (run at the cursor, run all).
import * as vscode from 'vscode';
import type { SnippetResultView } from '../../core/preview/protocol';
import type { Snippet } from '../../core/snippets/snippets';
import type { SnippetRuns } from './snippetRuns';

const NOTES: vscode.DocumentSelector = [{ language: 'markdown' }];

export function registerSnippetEditor(runs: SnippetRuns): vscode.Disposable {
  const lensesChanged = new vscode.EventEmitter<void>();
  const hint = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2ch', fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });

  const snippetAt = async (doc: vscode.TextDocument, line: number): Promise<Snippet | undefined> =>
    (await runs.snippetsOf(doc)).find((s) => line >= s.fenceLine && line <= (s.expected?.endLine ?? s.endLine));

  const decorate = (editor: vscode.TextEditor) => {
    const results = runs.resultsFor(editor.document.uri);
    editor.setDecorations(
      hint,
      results
        .filter((r) => r.endLine < editor.document.lineCount)
        .map((r) => ({
          range: new vscode.Range(r.endLine, Number.MAX_SAFE_INTEGER, r.endLine, Number.MAX_SAFE_INTEGER),
          renderOptions: {
            after: {
              contentText: hintText(r),
              color: new vscode.ThemeColor(
                r.status === 'ok' && r.check?.pass !== false
                  ? 'editorCodeLens.foreground'
                  : r.status === 'running' || r.status === 'queued'
                    ? 'editorCodeLens.foreground'
                    : 'errorForeground',
              ),
            },
          },
        })),
    );
  };

  return vscode.Disposable.from(
    lensesChanged,
    hint,
    vscode.languages.registerCodeLensProvider(NOTES, {
      onDidChangeCodeLenses: lensesChanged.event,
      async provideCodeLenses(doc) {
        const snippets = await runs.snippetsOf(doc);
        const refusal = runs.refusal();
        return snippets.flatMap((s, i) => {
          const range = new vscode.Range(s.fenceLine, 0, s.fenceLine, 0);
          if (s.attributes.skip) return [new vscode.CodeLens(range, { title: vscode.l10n.t('Skipped (marked skip)'), command: '' })];
          const lenses = [
            new vscode.CodeLens(
              range,
              refusal
                ? { title: vscode.l10n.t('▶ Run (disabled in Restricted Mode)'), tooltip: refusal, command: 'workbench.trust.manage' }
                : {
                    title: vscode.l10n.t('▶ Run'),
                    tooltip: vscode.l10n.t(
                      'Run this {0} snippet in a sandboxed process',
                      s.language === 'python' ? 'Python' : 'JavaScript',
                    ),
                    command: 'mathNotes.snippets.run',
                    arguments: [doc.uri, s.fenceLine],
                  },
            ),
          ];
          if (i === 0 && snippets.length > 1 && !refusal)
            lenses.push(
              new vscode.CodeLens(range, { title: vscode.l10n.t('Run All'), command: 'mathNotes.snippets.runAll', arguments: [doc.uri] }),
            );
          return lenses;
        });
      },
    }),
    vscode.commands.registerCommand('mathNotes.snippets.run', async (uri?: vscode.Uri, line?: number) => {
      const editor = vscode.window.activeTextEditor;
      const doc = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
      if (!doc) return undefined;
      const snippet = await snippetAt(doc, line ?? editor?.selection.active.line ?? -1);
      if (!snippet) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor in a Python or JavaScript code block to run it.'));
        return undefined;
      }
      return runs.run(doc, snippet);
    }),
    vscode.commands.registerCommand('mathNotes.snippets.runAll', async (uri?: vscode.Uri) => {
      const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (doc) await runs.runAll(doc);
    }),
    runs.onDidChange((uri) => {
      for (const e of vscode.window.visibleTextEditors) if (e.document.uri.toString() === uri.toString()) decorate(e);
    }),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach(decorate)),
    // Results belong to the text they ran: an edit that moves the blocks drops them.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (
        e.contentChanges.some((c) => c.text.includes('\n') || c.range.start.line !== c.range.end.line) &&
        runs.resultsFor(e.document.uri).length
      )
        runs.clear(e.document.uri);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lensesChanged.fire()),
  );
}

function hintText(r: SnippetResultView): string {
  if (r.status === 'running') return vscode.l10n.t('⏳ running…');
  if (r.status === 'queued') return vscode.l10n.t('⏳ waiting for a free run slot…');
  const first = (r.stdout || r.stderr).split('\n').find((l) => l.trim()) ?? '';
  const short = first.length > 60 ? first.slice(0, 59) + '…' : first;
  const verdict =
    r.status !== 'ok'
      ? `✗ ${r.status}`
      : r.check?.pass === false
        ? `✗ ${vscode.l10n.t('output differs')}`
        : r.check
          ? `✓ ${vscode.l10n.t('output matches')}`
          : '✓';
  return `${verdict} · ${r.ms} ms${short ? ' · ' + short : ''}`;
}
