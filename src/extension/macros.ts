// Macros from the settings: `mathNotes.macros` plus the definitions in `mathNotes.macroFile`.
import * as vscode from 'vscode';
import { parseMacroFile } from '../core/math/macroFile';

/** `mathNotes.macros` plus the definitions of `mathNotes.macroFile` (workspace-relative). */
export async function configuredMacros(uri: vscode.Uri): Promise<Record<string, string>> {
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
