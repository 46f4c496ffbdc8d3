/// <reference types="mocha" />
// The text every feature reads is kept from VS Code's change events, not copied out again after
// each edit (src/extension/documentText.ts). Whatever the edit (several cursors, a workspace edit,
// undo and redo, line breaks of another kind), it must be the document's text exactly.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MathNotesApi } from '../../src/extension/extension';

suite('document text', () => {
  test('kept from the change events through every kind of edit, never copied again', async () => {
    const api = (await vscode.extensions.getExtension('mathnotes.math-notes')!.activate()) as MathNotesApi;
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'followed-text.md');
    const lines = Array.from({ length: 40 }, (_, i) => `第${i}行 $x_${i}$ \\eqref{eq:${i}}`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(lines.join('\r\n') + '\r\n'));
    try {
      const editor = await vscode.window.showTextDocument(uri);
      const doc = editor.document;
      const same = (what: string) => assert.equal(api.texts.read(doc), doc.getText(), what);
      same('first read');
      const copies = api.texts.copies();
      // Several cursors: one event, several changes, listed from the last.
      await editor.edit((e) => {
        for (const line of [3, 9, 20]) e.insert(new vscode.Position(line, 2), '插入');
        e.replace(new vscode.Range(30, 0, 31, 4), 'α\nβ');
        e.delete(new vscode.Range(35, 1, 35, 6));
      });
      same('several cursors');
      // A workspace edit spanning lines, and typing a line break in a CRLF note.
      const we = new vscode.WorkspaceEdit();
      we.replace(uri, new vscode.Range(1, 3, 4, 2), '$$\na\n$$');
      we.insert(uri, new vscode.Position(12, 0), '\\begin{equation}\\label{eq:new}\\end{equation}\r\n');
      await vscode.workspace.applyEdit(we);
      same('a workspace edit');
      editor.selection = new vscode.Selection(7, 3, 7, 3);
      await vscode.commands.executeCommand('type', { text: '\n' });
      await vscode.commands.executeCommand('type', { text: 'ab' });
      same('typing');
      // Edits between reads: applied together.
      for (let k = 0; k < 5; k++) await editor.edit((e) => e.insert(new vscode.Position(k, 0), `${k}`));
      same('a burst read once');
      await vscode.commands.executeCommand('undo');
      await vscode.commands.executeCommand('undo');
      same('undo');
      await vscode.commands.executeCommand('redo');
      same('redo');
      assert.equal(api.texts.copies(), copies, 'every edit above was followed, not copied');
      // Another line-break sequence changes every line without content changes: read again.
      await editor.edit((e) => e.setEndOfLine(vscode.EndOfLine.LF));
      same('line breaks changed');
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });
});
