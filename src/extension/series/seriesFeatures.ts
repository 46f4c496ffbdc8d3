// Series features in the editor: links, definition, hover, references, completion, diagnostics with
// a quick fix, next/previous part and open series commands, the series tree. Wiring only: every
// answer comes from the workspace index (src/core/series).
import * as vscode from 'vscode';
import { registerSeriesCommands } from './seriesCommands';
import { registerSeriesEditorFeatures } from './seriesEditor';
import { SeriesTreeProvider, snapshotTree } from './seriesTree';
import type { WorkspaceIndex } from './workspaceIndex';

/** What the series features expose beyond VS Code's own registries (for the extension's API). */
export interface SeriesFeatures {
  tree: SeriesTreeProvider;
  treeView: vscode.TreeView<unknown>;
}

/** Internal command: the series tree as plain data (integration tests read it). */
export const TREE_SNAPSHOT_COMMAND = '_mathNotes.series.treeSnapshot';

export function registerSeriesFeatures(context: vscode.ExtensionContext, series: WorkspaceIndex): SeriesFeatures {
  const tree = new SeriesTreeProvider(series);
  const treeView = vscode.window.createTreeView('mathNotes.series', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(
    registerSeriesEditorFeatures(series),
    registerSeriesCommands(series),
    tree,
    treeView,
    vscode.commands.registerCommand(TREE_SNAPSHOT_COMMAND, () => snapshotTree(tree)),
  );
  return { tree, treeView: treeView as vscode.TreeView<unknown> };
}
