/// <reference types="mocha" />
// Scroll sync in the real extension host, on long corpus notes (issue #18): moving the editor (as
// Ctrl+G does: cursor set, line revealed in the centre) scrolls the preview, and nothing the page does
// while it builds, lays out its blocks or settles on the target pulls the editor away from its cursor.
// A preview scroll that answers an editor position the page had not yet followed is dropped.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MathNotesApi } from '../../src/extension/extension';
import type { FromWebview } from '../../src/core/preview/protocol';
import type { PreviewPanel } from '../../src/extension/preview/previewPanel';
import { closeEditorsAndPreviews, waitFor } from './waitFor';
import { sharedPath } from '../support/shared';

const corpus = sharedPath('corpus');
const LONG_NOTES = [
  'notes-zh/HZyo__Note__CG__courses__MovingFrostbiteToPBR__notes__coursenotes.md',
  'kexue-md/生成扩散模型漫谈十四构建ode的一般步骤上.md',
];

let api: MathNotesApi;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The panel's private side of the traffic, for the stale-answer test. */
type PanelInternals = { onMessage(m: FromWebview): void; editorSeq: number };

async function openWithPreview(file: string): Promise<{ editor: vscode.TextEditor; panel: PreviewPanel }> {
  const uri = vscode.Uri.file(join(corpus, file));
  const editor = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One });
  await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
  await waitFor('the preview to report', () => api.observer!.reports().find((r) => r.resource === uri.toString())?.report, 90_000);
  const panel = api.previews.panelsFor(uri)[0];
  // The page of a long note is built in slices: let it finish and settle.
  await sleep(2000);
  return { editor: vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString()) ?? editor, panel };
}

/** Where Ctrl+G puts a line: the cursor on it, the line in the centre. */
function goToLine(editor: vscode.TextEditor, line: number): void {
  const pos = new vscode.Position(line, 0);
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
}

const visible = (editor: vscode.TextEditor, line: number) => editor.visibleRanges.some((r) => r.start.line <= line && line <= r.end.line);

suite('scroll sync', () => {
  suiteSetup(async () => {
    api = (await vscode.extensions.getExtension('mathnotes.math-notes')!.activate()) as MathNotesApi;
  });
  teardown(() => closeEditorsAndPreviews(api));

  for (const file of LONG_NOTES) {
    test(`Ctrl+G keeps the cursor on screen: ${file.split('/').pop()}`, async function () {
      this.timeout(120_000);
      const { editor, panel } = await openWithPreview(file);
      const lines = editor.document.lineCount;
      for (const pct of [25, 50, 75, 40]) {
        const line = Math.round((lines * pct) / 100);
        goToLine(editor, line);
        const top = await waitFor('the editor to move', () => visible(editor, line) && editor.visibleRanges[0].start.line);
        // The page scrolls, lays out what it lands among and settles: none of it may move the editor.
        await sleep(2500);
        assert.ok(
          visible(editor, line),
          `${pct} %: cursor line ${line + 1} off screen, editor shows ${editor.visibleRanges[0].start.line + 1}…`,
        );
        assert.equal(editor.visibleRanges[0].start.line, top, `${pct} %: the editor moved from ${top + 1}`);
        assert.equal(panel.state().line, top, `${pct} %: the preview's line`);
      }
    });
  }

  test('a preview scroll answering an editor position the page had not yet followed is dropped', async function () {
    this.timeout(120_000);
    const { editor, panel } = await openWithPreview(LONG_NOTES[1]);
    const internals = panel as unknown as PanelInternals;
    goToLine(editor, 500);
    const top = await waitFor('the editor to move', () => visible(editor, 500) && editor.visibleRanges[0].start.line);
    await sleep(1000);
    internals.onMessage({ type: 'revealLine', line: 20, seq: internals.editorSeq - 1 });
    await sleep(800);
    assert.equal(editor.visibleRanges[0].start.line, top, 'a stale answer moved the editor');
    // The same scroll answering the current position is the reader's: the editor follows.
    internals.onMessage({ type: 'revealLine', line: 20, seq: internals.editorSeq });
    // Line 20 goes to the top, below the sticky-scroll headers if any (the first visible line is then above it).
    const followed = () => visible(editor, 20) && editor.visibleRanges[0].start.line >= 14 && editor.visibleRanges[0].start.line <= 20;
    await waitFor('the editor to follow the preview', followed, 5000).catch(() => {
      assert.fail(`the editor shows ${editor.visibleRanges[0].start.line} after the preview asked for 20 (seq ${internals.editorSeq})`);
    });
  });
});
