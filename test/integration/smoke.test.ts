/// <reference types="mocha" />
// The extension loads in a real extension host and registers its command.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'mathnotes.math-notes';

suite('smoke', () => {
  test('the extension is present and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  test('mathNotes.exportHtml is registered', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('mathNotes.exportHtml'), 'mathNotes.exportHtml is not among the commands');
  });
});
