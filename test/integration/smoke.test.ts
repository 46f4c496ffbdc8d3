/// <reference types="mocha" />
// The extension loads in a real extension host and registers its command.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'mathnotes.math-notes';

suite('smoke', () => {
  test('the extension is present and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    const api = (await ext.activate()) as import('../../src/extension/extension').MathNotesApi;
    assert.equal(ext.isActive, true);
    // Measured, not bounded here (timings belong in the bench): loading the bundle, then activate().
    console.log(`      activation: bundle loaded in ${api.activation.loadMs} ms, activate() ${api.activation.activateMs} ms`);
    assert.ok(api.activation.loadMs > 0 && api.activation.activateMs >= 0);
  });

  test('mathNotes.exportHtml is registered', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('mathNotes.exportHtml'), 'mathNotes.exportHtml is not among the commands');
  });
});
