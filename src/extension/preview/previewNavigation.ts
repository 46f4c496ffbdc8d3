// Where the preview's clicks lead: a link of the note (links.ts says what it may open), a series
// target (a cited post, a backlink, a neighbouring part), the source line under a double-click.
// A note opened in an editor makes an unlocked preview follow it; the editor goes beside the
// preview, never over it.
import * as vscode from 'vscode';
import type { SeriesTarget } from '../../core/series/pageSeries';
import { resolveLink } from './links';

/** The column for an editor opened from the preview: a visible editor's other than the preview's, else the first. */
function columnBeside(previewColumn: vscode.ViewColumn | undefined): vscode.ViewColumn {
  return vscode.window.visibleTextEditors.find((e) => e.viewColumn !== previewColumn)?.viewColumn ?? vscode.ViewColumn.One;
}

/** Opens what a link of the note at `resource` leads to, or says why not. */
export async function openLink(href: string, resource: vscode.Uri, previewColumn: vscode.ViewColumn | undefined): Promise<void> {
  const target = resolveLink(href, resource);
  if (target.kind === 'refused') {
    void vscode.window.showWarningMessage(target.reason);
    return;
  }
  if (target.kind === 'external') {
    await vscode.env.openExternal(target.uri);
    return;
  }
  try {
    await vscode.workspace.fs.stat(target.uri);
  } catch {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} does not exist.', vscode.workspace.asRelativePath(target.uri)));
    return;
  }
  const line = /^L(\d+)$/i.exec(target.fragment);
  const pos = new vscode.Position(line ? Math.max(0, Number(line[1]) - 1) : 0, 0);
  await vscode.window.showTextDocument(target.uri, { viewColumn: columnBeside(previewColumn), selection: new vscode.Range(pos, pos) });
}

/** Opens a series target's note at its line. */
export async function openSeriesTarget(target: SeriesTarget, previewColumn: vscode.ViewColumn | undefined): Promise<vscode.Uri> {
  const uri = vscode.Uri.parse(target.file);
  const pos = new vscode.Position(target.line, 0);
  await vscode.window.showTextDocument(uri, { viewColumn: columnBeside(previewColumn), selection: new vscode.Range(pos, pos) });
  return uri;
}

/** The note's source at `line`: in its visible editor, else beside the preview. */
export async function openSourceAt(resource: vscode.Uri, line: number, previewColumn: vscode.ViewColumn | undefined): Promise<void> {
  const existing = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === resource.toString());
  const column = existing?.viewColumn ?? (previewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
  const pos = new vscode.Position(line, 0);
  await vscode.window.showTextDocument(resource, { viewColumn: column, selection: new vscode.Range(pos, pos) });
}
