// Moving through a series: next / previous part from the post at the cursor, a picker of series and
// their parts (gaps shown, not pickable), and openPost, which every click on a post ends in (tree,
// picker, preview).
import * as vscode from 'vscode';
import type { PostSummary } from '../../core/series/noteSummary';
import type { SeriesView } from '../../core/series/seriesIndex';
import { parseSeriesTitle } from '../../core/series/titleGrammar';
import { gapLabel, homeOf, isNoteDocument, partLabel, postLine } from './seriesDocument';
import type { WorkspaceIndex } from './workspaceIndex';

export const OPEN_POST = 'mathNotes.series.openPost';

export function registerSeriesCommands(workspaceIndex: WorkspaceIndex): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('mathNotes.series.nextPart', () => goToNeighbour(workspaceIndex, 'next')),
    vscode.commands.registerCommand('mathNotes.series.previousPart', () => goToNeighbour(workspaceIndex, 'previous')),
    vscode.commands.registerCommand('mathNotes.series.open', (seriesName?: unknown) =>
      openSeries(workspaceIndex, typeof seriesName === 'string' ? seriesName : undefined),
    ),
    vscode.commands.registerCommand(OPEN_POST, (file: unknown, line: unknown, viewColumn?: unknown) =>
      openPost(workspaceIndex, file, line, viewColumn),
    ),
  );
}

/** The arguments of an openPost command for this post (tree items, preview links). */
export function openPostCommand(post: PostSummary, title: string): vscode.Command {
  return { command: OPEN_POST, title, arguments: [post.file, postLine(post)] };
}

/** Opens a note of the index (or an open document) with the line at the top of the editor. */
async function openPost(
  workspaceIndex: WorkspaceIndex,
  file: unknown,
  line: unknown,
  viewColumn: unknown,
): Promise<vscode.TextEditor | undefined> {
  if (typeof file !== 'string') return undefined;
  // Only notes: this command is reachable from links, so it opens nothing else.
  const known = workspaceIndex.index.has(file) || vscode.workspace.textDocuments.some((d) => d.uri.toString() === file);
  if (!known) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not a note in this workspace.', file));
    return undefined;
  }
  const at = typeof line === 'number' && Number.isInteger(line) && line >= 0 ? line : 0;
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(file), {
    selection: new vscode.Range(at, 0, at, 0),
    ...(typeof viewColumn === 'number' ? { viewColumn } : {}),
  });
  editor.revealRange(new vscode.Range(at, 0, at, 0), vscode.TextEditorRevealType.AtTop);
  return editor;
}

async function goToNeighbour(workspaceIndex: WorkspaceIndex, direction: 'next' | 'previous'): Promise<vscode.TextEditor | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isNoteDocument(editor.document)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a note to move through its series.'));
    return undefined;
  }
  const index = await workspaceIndex.ready();
  const line = editor.selection.active.line;
  const here = (await workspaceIndex.documentPosts(editor.document)).find((p) => line >= p.line && line < p.endLine);
  const place = here?.title ? index.neighbours(homeOf(index, here)) : undefined;
  if (!place) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This post is not part of a series.'));
    return undefined;
  }
  const target = direction === 'next' ? place.next : place.previous;
  if (!target) {
    void vscode.window.showInformationMessage(
      direction === 'next'
        ? vscode.l10n.t('This is the last part of {0} in the workspace.', place.series.name)
        : vscode.l10n.t('This is the first part of {0} in the workspace.', place.series.name),
    );
    return undefined;
  }
  return openPost(workspaceIndex, target.file, postLine(target), undefined);
}

interface SeriesPick extends vscode.QuickPickItem {
  series: SeriesView;
}

interface PartPick extends vscode.QuickPickItem {
  post?: PostSummary;
}

/** Series, then its parts; `seriesName` skips the first step (the preview's series bar). */
async function openSeries(workspaceIndex: WorkspaceIndex, seriesName: string | undefined): Promise<void> {
  const index = await workspaceIndex.ready();
  const all = index.series();
  if (all.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No series in this workspace yet.'));
    return;
  }
  let series = seriesName !== undefined ? all.find((s) => s.name === seriesName) : undefined;
  if (!series) {
    const picked = await vscode.window.showQuickPick<SeriesPick>(
      all.map((s) => ({ label: s.name, description: partCount(s), series: s })),
      { placeHolder: vscode.l10n.t('Pick a series'), matchOnDescription: true },
    );
    if (!picked) return;
    series = picked.series;
  }
  const parts = vscode.window.createQuickPick<PartPick>();
  parts.title = series.name;
  parts.placeholder = vscode.l10n.t('Pick a part to open');
  parts.matchOnDescription = true;
  parts.items = series.parts.map(({ number, post }): PartPick =>
    post
      ? { label: partLabel(number), description: subtitleOf(post), detail: post.date, iconPath: new vscode.ThemeIcon('file-text'), post }
      : { label: gapLabel(number), iconPath: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')) },
  );
  await new Promise<void>((resolve) => {
    parts.onDidAccept(() => {
      const post = parts.selectedItems[0]?.post;
      // A gap has nothing to open: the picker stays.
      if (!post) return;
      parts.hide();
      void openPost(workspaceIndex, post.file, postLine(post), undefined);
    });
    parts.onDidHide(() => {
      parts.dispose();
      resolve();
    });
    parts.show();
  });
}

/** `3 parts`, or `1 part, 2 missing` when the workspace lacks some (singular where it is one). */
export function partCount(series: SeriesView): string {
  const present = series.parts.filter((p) => p.post).length;
  const missing = series.parts.length - present;
  const count = present === 1 ? vscode.l10n.t('1 part') : vscode.l10n.t('{0} parts', present);
  return missing ? vscode.l10n.t('{0}, {1} missing', count, missing) : count;
}

/** What tells a part apart within its series: the subtitle, else the whole title. */
export function subtitleOf(post: PostSummary): string {
  return parseSeriesTitle(post.title)?.subtitle ?? post.title;
}
