// The VS Code adapter: wiring only. Everything it shows comes from src/core.
import * as vscode from 'vscode';
import { renderNote } from '../core/render/renderNote';
import { standaloneDocument } from '../core/render/standalone';
import { loadStandaloneAssets } from '../node/assets';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('mathNotes.exportHtml', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Open a note to export it.'));
        return;
      }
      const doc = editor.document;
      const macros = vscode.workspace.getConfiguration('mathNotes').get<Record<string, string>>('macros') ?? {};
      const rendered = renderNote(doc.getText(), doc.fileName, { macros });
      const title = rendered.posts.find((p) => p.title)?.title ?? doc.fileName;
      const html = standaloneDocument(rendered.html, title, loadStandaloneAssets(context.extensionPath));
      const target = await vscode.window.showSaveDialog({
        defaultUri: doc.uri.with({ path: doc.uri.path.replace(/\.[^./]+$/, '') + '.html' }),
        filters: { HTML: ['html'] },
      });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(html));
      void vscode.window.showInformationMessage(vscode.l10n.t('Exported to {0}', target.fsPath));
    }),
  );
}

export function deactivate(): void {}
