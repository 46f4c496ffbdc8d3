/// <reference types="mocha" />
// The walkthrough's actions in a real extension host (opening the examples in a new window is the
// UI test's part: test/ui/install.test.mjs).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MathNotesApi } from '../../src/extension/extension';
import { waitFor } from './waitFor';

const ours = (u: vscode.Uri) => vscode.languages.getDiagnostics(u).filter((d) => d.source === 'Math Notes lint');

suite('walkthrough', function () {
  this.timeout(60_000);
  let api: MathNotesApi;

  suiteSetup(async () => {
    api = (await vscode.extensions.getExtension('mathnotes.math-notes')!.activate()) as MathNotesApi;
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('"Try a Quick Fix" opens an untitled practice note with its cursor on the first problem; its fix applies', async () => {
    await vscode.commands.executeCommand('mathNotes.walkthrough.tryLintFix');
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.scheme, 'untitled');
    assert.equal(editor.document.languageId, 'markdown');
    const problems = ours(editor.document.uri);
    const rules = problems.map((d) => (typeof d.code === 'object' ? d.code.value : d.code));
    assert.ok(rules.includes('unknown-command') && rules.includes('cjk-in-math'), rules.join(', '));
    const first = problems.sort((a, b) => a.range.start.compareTo(b.range.start))[0];
    assert.deepEqual(editor.selection.active, first.range.start);
    assert.equal(editor.document.getText(first.range), '\\sigam');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      first.range,
    );
    const fix = actions.find((a) => a.edit && /\\sigma`/.test(a.title))!;
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    await vscode.workspace.applyEdit(fix.edit!);
    assert.match(editor.document.getText(), /\$\$\\sigma\(x\)/);
  });

  test('"Open Preview to the Side" previews the note the user has open when the examples are not open', async () => {
    const note = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '光滑近似漫谈（一）：从最大值到Softmax.md');
    await vscode.window.showTextDocument(note);
    await vscode.commands.executeCommand('mathNotes.walkthrough.openPreview');
    const shown = await waitFor(
      'the preview',
      () => api.previews.current()?.resource.toString() === note.toString() && api.previews.current(),
    );
    assert.ok(shown);
  });

  test('what the examples window relies on: the Welcome page is a tab without an API input; Mark Done is a command', async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'mathnotes.math-notes#mathNotes.gettingStarted');
    const welcome = await waitFor('the Welcome tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Welcome'),
    );
    assert.equal(welcome.input, undefined);
    assert.ok((await vscode.commands.getCommands()).includes('welcome.markStepComplete'));
  });

  test('a development or test run is not greeted with the walkthrough (an installed copy is: install.test.mjs)', () => {
    assert.equal(api.walkthrough.greeted, false);
  });
});
