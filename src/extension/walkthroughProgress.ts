// The walkthrough's steps check when the user does the thing by any route, not only by the step's
// own button. VS Code checks an `onCommand:` step only for commands its UI runs: not for those the
// extension runs itself (the preview the examples open with) nor for the preview's own buttons and
// links (webview messages). So the extension marks the step itself, with the command behind the
// walkthrough's "Mark Done". Not with a context key and `onContext:`: VS Code registers a walkthrough
// seconds after the window starts and ignores, for that session, a key that was already true then.
import * as vscode from 'vscode';
import { isNote, type PreviewManager } from './preview/previewManager';
import type { WorkspaceIndex } from './series/workspaceIndex';
import type { SnippetRuns } from './snippets/snippetRuns';
import { WALKTHROUGH_ID } from './walkthrough';

/** The step ids of package.json's walkthrough that something outside VS Code's UI completes. */
export type TrackedStep = 'preview' | 'series' | 'snippets';

export function trackWalkthroughProgress(previews: PreviewManager, series: WorkspaceIndex, snippets: SnippetRuns): vscode.Disposable {
  const done = new Set<TrackedStep>();
  const mark = (step: TrackedStep) => {
    if (done.has(step)) return;
    done.add(step);
    // Saved even before the walkthrough is registered (VS Code then reports an unknown step: ignored);
    // a VS Code without the command just leaves the step to its completion events.
    void vscode.commands.executeCommand('welcome.markStepComplete', `${WALKTHROUGH_ID}#${step}`).then(undefined, () => undefined);
  };

  // Following a series: the active note changes to another part of a series the last note was in
  // (the series bar, a citation, Next/Previous Part, the Series view, the Explorer alike).
  let last: { file: string; series: Set<string> } | undefined;
  const onActive = async (editor: vscode.TextEditor | undefined) => {
    if (!editor || !isNote(editor.document) || done.has('series')) return;
    const file = editor.document.uri.toString();
    const posts = await series.documentPosts(editor.document);
    const here = new Set(posts.flatMap((p) => (p.series ? [p.series] : [])));
    if (last && last.file !== file && [...here].some((s) => last!.series.has(s))) mark('series');
    last = { file, series: here };
  };
  void onActive(vscode.window.activeTextEditor);

  return vscode.Disposable.from(
    previews.onDidShow(() => mark('preview')),
    // Every run (CodeLens, command, the preview's ▶ Run) reports its state as it starts.
    snippets.onDidChange(() => mark('snippets')),
    vscode.window.onDidChangeActiveTextEditor((e) => void onActive(e)),
  );
}
