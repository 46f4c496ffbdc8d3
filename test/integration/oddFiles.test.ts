/// <reference types="mocha" />
// Odd files in the real extension host (issue #8): a GBK note VS Code opens as UTF-8, UTF-16,
// a binary file named .md, lone CR line ends, and a note deleted, recreated or renamed while its
// preview is open. Each is shown as it is or said clearly; none breaks the preview.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeEditorsAndPreviews, waitFor } from './waitFor';
import type { MathNotesApi } from '../../src/extension/extension';
import type { PreviewReport } from '../../src/extension/preview/previewObserver';
import { renderNote } from '../../src/core/render/renderNote';

let api: MathNotesApi;
const folder = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'odd-files');
const previewOf = (uri: vscode.Uri): PreviewReport | undefined => api.observer!.reports().find((r) => r.resource === uri.toString());
const utf8 = (s: string) => new TextEncoder().encode(s);

/** `# 中文笔记` and a formula, in GBK: 中 D6D0, 文 CEC4, 笔 B1CA, 记 BCC7. */
const GBK_NOTE = Uint8Array.of(...utf8('# '), 0xd6, 0xd0, 0xce, 0xc4, 0xb1, 0xca, 0xbc, 0xc7, ...utf8('\n\n$$a^2+b^2=c^2$$\n'));

async function write(name: string, bytes: Uint8Array): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(folder(), name);
  await vscode.workspace.fs.writeFile(uri, bytes);
  return uri;
}

/** Opens a locked preview of `uri` with no editor left open on it. */
async function lockedPreview(uri: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand('mathNotes.showLockedPreviewToSide', uri);
  await waitFor('the preview', () => previewOf(uri));
}

const closeAll = () => closeEditorsAndPreviews(api);

suite('odd files', () => {
  suiteSetup(async () => {
    api = (await vscode.extensions.getExtension('mathnotes.math-notes')!.activate()) as MathNotesApi;
    await vscode.workspace.fs.createDirectory(folder());
  });
  teardown(closeAll);
  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(folder(), { recursive: true, useTrash: false });
  });

  test('a GBK note opened as UTF-8: the preview and the linter say it is GB18030 and how to reopen it', async () => {
    const uri = await write('gbk.md', GBK_NOTE);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // Without files.autoGuessEncoding, VS Code reads it as UTF-8: replacement characters.
    assert.ok(doc.getText().includes('\ufffd'), 'VS Code shows the GBK bytes as U+FFFD');
    await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
    const p = await waitFor('the preview', () => previewOf(uri)?.report && previewOf(uri));
    assert.equal(p.report!.formulas, 1, 'the formula still renders');
    assert.ok(
      p.report!.warnings.some((w) => w.includes('GB18030') && w.includes('Reopen with Encoding')),
      p.report!.warnings.join(' | '),
    );
    const said = await waitFor('the lint warning', () => api.lint.collection.get(uri)?.find((d) => d.code === 'encoding'));
    assert.equal(said.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(said.message.includes('GB18030'));
    // Said once, and the mojibake is not linted as if it were the note.
    assert.deepEqual(
      api.lint.collection.get(uri)?.map((d) => d.code),
      ['encoding'],
    );
  });

  test('a UTF-8 note that really holds U+FFFD is not misreported', async () => {
    const uri = await write('replacement.md', utf8('# 替换字符\n\n这里有一个 \ufffd 字符。$x$\n'));
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
    const p = await waitFor('the preview', () => previewOf(uri)?.report && previewOf(uri)).catch((e) => {
      throw new Error(`${e.message}: ${JSON.stringify(api.observer!.reports())}`);
    });
    assert.deepEqual(p.report!.warnings, []);
  });

  test('UTF-16 with a BOM, and lone CR line ends, render as their text says', async () => {
    const text = '# 十六位\r\r\\begin{equation}e^{i\\pi}+1=0\\label{eq:e}\\end{equation}\r由\\eqref{eq:e}与$x^2$可知。\r';
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) new DataView(le.buffer).setUint16(2 + i * 2, text.charCodeAt(i), true);
    const expected = renderNote(text, 'x.md').posts.reduce((n, p) => n + p.mathSegments, 0);
    for (const uri of [await write('utf16.md', le), await write('lone-cr.md', utf8(text))]) {
      await lockedPreview(uri);
      const p = await waitFor(`${uri.path} rendered`, () => previewOf(uri)?.report && previewOf(uri)).catch((e) => {
        throw new Error(`${e.message}: ${JSON.stringify(api.observer!.reports())}`);
      });
      assert.equal(p.report!.formulas, expected, uri.path);
      assert.equal(p.report!.katexErrors, 0);
      assert.deepEqual(p.report!.warnings, []);
      assert.equal(p.failure, undefined);
      await closeAll();
    }
  });

  test('a binary file named .md: the preview says it cannot read it, and nothing is rendered', async () => {
    const uri = await write(
      'image.md',
      Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, ...new Uint8Array(200)),
    );
    await lockedPreview(uri);
    const p = await waitFor('the failure', () => (previewOf(uri)?.failure ? previewOf(uri) : undefined));
    assert.match(p.failure!, /Cannot read .*image\.md/);
    assert.equal(p.report, undefined, 'no page rendered from binary bytes');
  });

  test('deleted with its preview open: the preview says so and keeps the last text; written again, it renders again', async () => {
    const uri = await write('deleted.md', utf8('# 将被删除\n\n$$a+b$$\n'));
    await lockedPreview(uri);
    await waitFor('rendered', () => previewOf(uri)?.report);
    await vscode.workspace.fs.delete(uri);
    const gone = await waitFor('the deletion said', () => (previewOf(uri)?.failure ? previewOf(uri) : undefined));
    assert.match(gone.failure!, /deleted\.md was deleted or moved outside VS Code/);
    assert.equal(gone.report!.formulas, 1, 'the last page stays');
    await vscode.workspace.fs.writeFile(uri, utf8('# 又回来了\n\n$$a+b$$ 与 $c$\n'));
    const back = await waitFor('rendered again', () => previewOf(uri)?.report?.formulas === 2 && previewOf(uri));
    assert.equal(back.failure, undefined);
  });

  test('renamed in the workbench with a locked preview open: the preview follows the note', async () => {
    const uri = await write('before-rename.md', utf8('# 改名\n\n$$x$$\n'));
    await lockedPreview(uri);
    await waitFor('rendered', () => previewOf(uri)?.report);
    const renamed = vscode.Uri.joinPath(folder(), 'after-rename.md');
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(uri, renamed);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const p = await waitFor('the preview on the new name', () => previewOf(renamed)?.report && previewOf(renamed));
    assert.equal(p.locked, true);
    assert.match(p.title, /after-rename\.md/);
    // The old path's deletion is not reported as the note being gone.
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(previewOf(renamed)!.failure, undefined);
  });
});
