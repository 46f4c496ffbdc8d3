// The VS Code adapter: wiring only. Everything it shows comes from src/core.
import * as vscode from 'vscode';
import { parseMacroFile } from '../core/math/macroFile';
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
      const macros = await configuredMacros(doc.uri);
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

/** `mathNotes.macros` plus the definitions of `mathNotes.macroFile` (workspace-relative). */
async function configuredMacros(uri: vscode.Uri): Promise<Record<string, string>> {
  const config = vscode.workspace.getConfiguration('mathNotes', uri);
  const macros = { ...(config.get<Record<string, string>>('macros') ?? {}) };
  const file = config.get<string>('macroFile');
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (file && folder) {
    const fileUri = vscode.Uri.joinPath(folder.uri, file);
    try {
      const parsed = parseMacroFile(new TextDecoder().decode(await vscode.workspace.fs.readFile(fileUri)), file);
      for (const p of parsed.problems) void vscode.window.showWarningMessage(p);
      Object.assign(macros, parsed.macros);
    } catch {
      void vscode.window.showWarningMessage(vscode.l10n.t('Cannot read the macro file {0}', file));
    }
  }
  return macros;
}

export function deactivate(): void {}
