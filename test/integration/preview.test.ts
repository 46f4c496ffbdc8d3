/// <reference types="mocha" />
// The preview inside a real extension host: commands, a seed note rendered in the real webview
// (the page counts what it shows), edits patched in, the preview following or locked, links.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { closeEditorsAndPreviews, waitFor } from './waitFor';
import type { MathNotesApi } from '../../src/extension/extension';
import type { PreviewReport } from '../../src/extension/preview/previewObserver';
import { resolveLink } from '../../src/extension/preview/links';
import { renderNote } from '../../src/core/render/renderNote';
import { sharedPath } from '../support/shared';

const seedPath = sharedPath('seeds', '000_54c0bddacf9bba72.txt');
const EXAMPLE_1 = '光滑近似漫谈（一）：从最大值到Softmax.md';
const EXAMPLE_2 = '光滑近似漫谈（二）：Top-k的光滑近似.md';

let api: MathNotesApi;
const workspace = () => vscode.workspace.workspaceFolders![0].uri;

const previewOf = (uri: vscode.Uri): PreviewReport | undefined => api.observer!.reports().find((r) => r.resource === uri.toString());

// With the pause before closing: a webview closed right after it opened can stall the next one ~30 s.
const closeAll = (): Promise<void> => closeEditorsAndPreviews(api);

suite('preview', () => {
  suiteSetup(async () => {
    api = (await vscode.extensions.getExtension('mathnotes.math-notes')!.activate()) as MathNotesApi;
  });
  teardown(closeAll);

  test('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of [
      'showPreview',
      'showPreviewToSide',
      'showLockedPreviewToSide',
      'togglePreviewLock',
      'refreshPreview',
      'showSource',
      'exportHtml',
    ]) {
      assert.ok(commands.includes(`mathNotes.${c}`), `mathNotes.${c}`);
    }
  });

  test('a seed note: every formula on the page, none failed, as many as the core renders', async () => {
    const uri = vscode.Uri.file(seedPath);
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
    const p = await waitFor('the seed preview to report', () => previewOf(uri)?.report && previewOf(uri));
    const core = renderNote(readFileSync(seedPath, 'utf8'), seedPath);
    const formulas = core.posts.reduce((n, post) => n + post.mathSegments, 0);
    assert.ok(formulas >= 20);
    assert.equal(p.report!.formulas, formulas, 'KaTeX formulas in the webview DOM');
    assert.equal(p.report!.katexErrors, 0);
    assert.equal(p.report!.displays, (core.html.match(/class="mn-display/g) ?? []).length);
    assert.ok(p.report!.displays >= 5);
    assert.match(p.title, /000_54c0bddacf9bba72\.txt/);
  });

  test('a new preview finds its first render done: the worker rendered it while the webview was built', async () => {
    // A note no render has seen (its own text): every block's HTML is new to the worker.
    const uri = vscode.Uri.joinPath(workspace(), `ahead-${Date.now()}.md`);
    const paragraphs = Array.from({ length: 12 }, (_, i) => `第${i}段 ${Date.now()}：$x_{${i}} + y^{${i}}$\n\n$$\sum_{k=${i}}^n k$$\n`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`# 先行\n\n${paragraphs.join('\n')}`));
    try {
      await vscode.window.showTextDocument(uri);
      await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
      const p = await waitFor('the new note on the page', () => previewOf(uri)?.report && previewOf(uri));
      assert.equal(p.report!.formulas, 24);
      assert.ok(p.update!.totalBlocks >= 12, `${p.update!.totalBlocks} blocks`);
      // The page's own render made no block's HTML: the render ahead had made them all.
      assert.equal(p.stats!.renderedBlocks, 0);
    } finally {
      await closeAll();
      await vscode.workspace.fs.delete(uri);
    }
  });

  test('an edit reaches the page, as a patch of the changed block only', async () => {
    const uri = vscode.Uri.joinPath(workspace(), EXAMPLE_1);
    const editor = await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
    const before = await waitFor('first render', () => previewOf(uri)?.report && previewOf(uri));
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    assert.ok(await editor.edit((e) => e.insert(end, '\n\n$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$\n')));
    const after = await waitFor('the edit on the page', () => {
      const p = previewOf(uri);
      return p?.report && p.report.version > before.report!.version && p;
    });
    assert.equal(after.report!.formulas, before.report!.formulas + 1);
    assert.ok(after.update!.changedBlocks <= 2, `sent ${after.update!.changedBlocks} of ${after.update!.totalBlocks} blocks`);
    assert.ok(after.update!.totalBlocks > 10);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('an unlocked preview follows the active note; a locked one stays', async () => {
    const one = vscode.Uri.joinPath(workspace(), EXAMPLE_1);
    const two = vscode.Uri.joinPath(workspace(), EXAMPLE_2);
    await vscode.window.showTextDocument(one);
    await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
    await waitFor('preview of one', () => previewOf(one)?.report);
    await vscode.window.showTextDocument(two, { viewColumn: vscode.ViewColumn.One });
    const followed = await waitFor('preview to follow two', () => previewOf(two)?.report && previewOf(two));
    assert.equal(followed.locked, false);
    assert.equal(previewOf(one), undefined);
    await vscode.commands.executeCommand('mathNotes.togglePreviewLock');
    await waitFor('lock', () => previewOf(two)?.locked);
    assert.match(previewOf(two)!.title, /\[/);
    await vscode.window.showTextDocument(one, { viewColumn: vscode.ViewColumn.One });
    await new Promise((r) => setTimeout(r, 800));
    assert.ok(previewOf(two), 'the locked preview still shows two');
    assert.equal(previewOf(one), undefined);
  });

  test('a change made on disk by another program reaches a locked preview', async () => {
    const uri = vscode.Uri.joinPath(workspace(), EXAMPLE_2);
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('mathNotes.showLockedPreviewToSide');
    const before = await waitFor('first render', () => previewOf(uri)?.report && previewOf(uri));
    assert.equal(before.locked, true);
    await vscode.commands.executeCommand('workbench.action.closeEditorsInGroup', { groupId: undefined });
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text + '\n\n$$e^{i\\pi}+1=0$$\n'));
    const after = await waitFor('the disk change on the page', () => {
      const p = previewOf(uri);
      return p?.report && p.report.formulas === before.report!.formulas + 1 && p;
    });
    assert.ok(after);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  });

  test('an untitled Markdown note previews too', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: '# 草稿\n\n\\begin{equation}a^2+b^2=c^2\\label{eq:p}\\end{equation}\n由\\eqref{eq:p}可知。\n',
    });
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
    const p = await waitFor('the untitled preview', () => previewOf(doc.uri)?.report && previewOf(doc.uri));
    assert.equal(p.report!.formulas, 1); // the \eqref in prose is a link, not a formula
    assert.equal(p.report!.displays, 1);
    assert.equal(p.report!.katexErrors, 0);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('settings apply live, without a reload: a macro added in mathNotes.macros renders at once', async () => {
    const uri = vscode.Uri.joinPath(workspace(), 'live-settings.md');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('# 设置\n\n$\\RRR^n$ 与 $x$\n'));
    try {
      await vscode.window.showTextDocument(uri);
      await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
      await waitFor('the unknown macro to fail', () => previewOf(uri)?.report?.katexErrors === 1 || undefined);
      await vscode.workspace
        .getConfiguration('mathNotes')
        .update('macros', { '\\RRR': '\\mathbb{R}' }, vscode.ConfigurationTarget.Workspace);
      const p = await waitFor('the macro to apply', () => (previewOf(uri)?.report?.katexErrors === 0 ? previewOf(uri) : undefined));
      assert.equal(p.report!.formulas, 2);
    } finally {
      await vscode.workspace.getConfiguration('mathNotes').update('macros', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
  });

  test('links: web links go outside, notes open, paths out of the workspace are refused', () => {
    const note = vscode.Uri.joinPath(workspace(), EXAMPLE_2);
    assert.equal(resolveLink('https://kexue.fm/archives/9662', note).kind, 'external');
    assert.equal(resolveLink('javascript:alert(1)', note).kind, 'refused');
    assert.equal(resolveLink('../../etc/passwd', note).kind, 'refused');
    assert.equal(resolveLink('%2e%2e/%2e%2e/etc/passwd', note).kind, 'refused');
    assert.equal(resolveLink('..%5C..%5Cetc%5Cpasswd', note).kind, 'refused');
    assert.equal(resolveLink('vscode://settings', note).kind, 'refused');
    const file = resolveLink(encodeURIComponent(EXAMPLE_1) + '#L3', note);
    assert.equal(file.kind, 'file');
    if (file.kind === 'file') {
      assert.equal(file.uri.toString(), vscode.Uri.joinPath(workspace(), EXAMPLE_1).toString());
      assert.equal(file.fragment, 'L3');
    }
  });
});
