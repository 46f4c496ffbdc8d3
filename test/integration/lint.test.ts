/// <reference types="mocha" />
// Lint in a real extension host: diagnostics on open and as you type at the exact characters,
// quick fixes as one undoable edit, Fix all (a rule's safe fixes, one edit), settings applied live,
// and "Lint All Notes in the Workspace".
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor as waitForAtMost } from './waitFor';

const waitFor = <T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000) =>
  waitForAtMost(what, probe, timeoutMs);
import type { MathNotesApi } from '../../src/extension/extension';

const FOLDER = 'lint-test';
let api: MathNotesApi;
const workspace = () => vscode.workspace.workspaceFolders![0].uri;
const uri = (name: string) => vscode.Uri.joinPath(workspace(), name);
const write = (name: string, text: string) => vscode.workspace.fs.writeFile(uri(name), new TextEncoder().encode(text));
const ours = (u: vscode.Uri) => vscode.languages.getDiagnostics(u).filter((d) => d.source === 'Math Notes lint');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
const quickFixes = (u: vscode.Uri, range: vscode.Range) =>
  vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', u, range, vscode.CodeActionKind.QuickFix.value);

suite('lint', function () {
  this.timeout(60_000);

  suiteSetup(async () => {
    api = (await vscode.extensions.getExtension('mathnotes.math-notes')!.activate()) as MathNotesApi;
  });

  suiteTeardown(async () => {
    const config = vscode.workspace.getConfiguration('mathNotes.lint');
    for (const s of ['rules', 'enabled']) await config.update(s, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uri(FOLDER), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  test('diagnostics on open, at the exact characters, with rule and source', async () => {
    await write(`${FOLDER}/打开.md`, '# 打开\n\n分式$\\frac{a}{b$，未知$\\sigam$。\n');
    const doc = await vscode.workspace.openTextDocument(uri(`${FOLDER}/打开.md`));
    await vscode.window.showTextDocument(doc);
    const found = await waitFor('diagnostics', () => ours(doc.uri).length >= 2 && ours(doc.uri));
    const byRule = new Map(found.map((d) => [codeOf(d), d]));
    const brace = byRule.get('unbalanced')!;
    assert.equal(doc.getText(brace.range), '{');
    assert.equal(brace.range.start.character, '分式$\\frac{a}'.length);
    assert.equal(brace.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(doc.getText(byRule.get('unknown-command')!.range), '\\sigam');
  });

  test('as you type: a full-width comma in math is flagged where it was typed, and goes when fixed', async () => {
    await write(`${FOLDER}/输入.md`, '# 输入\n\n公式$a + b$。\n');
    const doc = await vscode.workspace.openTextDocument(uri(`${FOLDER}/输入.md`));
    const editor = await vscode.window.showTextDocument(doc);
    await waitFor('the first lint', () => api.lint.collection.has(doc.uri));
    assert.deepEqual(ours(doc.uri), []);
    const at = new vscode.Position(2, '公式$a'.length);
    await editor.edit((e) => e.insert(at, '，'));
    const [d] = await waitFor('the comma flagged', () => ours(doc.uri).length === 1 && ours(doc.uri));
    assert.equal(codeOf(d), 'cjk-in-math');
    assert.ok(d.range.isEqual(new vscode.Range(at, at.translate(0, 1))));
    await editor.edit((e) => e.delete(new vscode.Range(at, at.translate(0, 1))));
    await waitFor('the diagnostic gone', () => ours(doc.uri).length === 0);
  });

  test('quick fixes: the rule’s fix as one edit, and undo brings the text back', async () => {
    await write(`${FOLDER}/修复.md`, '# 修复\n\n$$\\begin{aligned} a &= b \\end{align}$$\n\n$\\left( x$\n');
    const doc = await vscode.workspace.openTextDocument(uri(`${FOLDER}/修复.md`));
    await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    const env = await waitFor('the environment diagnostic', () => ours(doc.uri).find((d) => codeOf(d) === 'unclosed-math'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      env.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === 'Change it to `\\end{aligned}`');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.getText(), original.replace('\\end{align}', '\\end{aligned}'));
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original);
    // The \left fix adds \right. at the formula's end.
    // (After the undo the note is linted again: its fixes are offered for the current text only.)
    const leftRange = new vscode.Range(4, 1, 4, 6);
    let add: vscode.CodeAction | undefined;
    const t0 = Date.now();
    while (!add && Date.now() - t0 < 15_000) {
      [add] = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        leftRange,
        vscode.CodeActionKind.QuickFix.value,
      );
      if (!add) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(add?.title, 'Add `\\right.` at the end of the formula');
    assert.ok(await vscode.workspace.applyEdit(add.edit!));
    assert.match(doc.getText(), /\$\\left\( x\\right\.\$/);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original);
  });

  test('Fix all: every safe fix of the rule in the note as one edit, and one undo brings the text back', async () => {
    // Five conversion leftovers (the preview repairs each: their fixes are safe) and a full-width
    // comma, whose fix is a guess: it gets no "Fix all".
    const original = '# 全部\n\n$$\\left\\\\{ x \\right.$$\n\n集合$\\\\{a_i\\\\}$，$a \\\\\\\\ b$，$a \\+ b$，$a，b$\n';
    await write(`${FOLDER}/全部.md`, original);
    const doc = await vscode.workspace.openTextDocument(uri(`${FOLDER}/全部.md`));
    await vscode.window.showTextDocument(doc);
    const found = await waitFor('six diagnostics', () => ours(doc.uri).length === 6 && ours(doc.uri));
    const artefact = found.find((d) => codeOf(d) === 'conversion-artefact')!;
    // (The workbench hands the provider the diagnostics once they reach it, a moment after the extension host has them.)
    const all = await waitFor('Fix all offered', async () =>
      (await quickFixes(doc.uri, artefact.range)).find((a) => a.title === 'Fix all conversion-artefact problems in this note (5)'),
    );
    assert.ok(all.edit);
    assert.ok(await vscode.workspace.applyEdit(all.edit));
    assert.equal(doc.getText(), '# 全部\n\n$$\\left\\{ x \\right.$$\n\n集合$\\{a_i\\}$，$a \\\\ b$，$a + b$，$a，b$\n');
    const left = await waitFor('only the comma left', () => ours(doc.uri).length === 1 && ours(doc.uri));
    assert.equal(codeOf(left[0]), 'cjk-in-math');
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original);
    // A rule whose fixes are guesses offers no Fix all, however many there are.
    await write(`${FOLDER}/逗号.md`, '# 逗号\n\n$a，b$ 与 $c，d$\n');
    const commas = await vscode.workspace.openTextDocument(uri(`${FOLDER}/逗号.md`));
    await vscode.window.showTextDocument(commas);
    const [first] = await waitFor('two commas', () => ours(commas.uri).length === 2 && ours(commas.uri));
    const offered = await waitFor("the commas' own fixes", async () => {
      const a = await quickFixes(commas.uri, first.range);
      return a.length > 0 && a;
    });
    assert.ok(!offered.some((a) => a.title.startsWith('Fix all')), offered.map((a) => a.title).join(', '));
  });

  test('settings apply live: a rule turned off, then lint turned off', async () => {
    await write(`${FOLDER}/设置.md`, '# 设置\n\n$a，b$ 与 $\\sigam$\n');
    const doc = await vscode.workspace.openTextDocument(uri(`${FOLDER}/设置.md`));
    await vscode.window.showTextDocument(doc);
    await waitFor('two diagnostics', () => ours(doc.uri).length === 2);
    const config = vscode.workspace.getConfiguration('mathNotes.lint');
    await config.update('rules', { 'cjk-in-math': 'off', 'unknown-command': 'warning' }, vscode.ConfigurationTarget.Workspace);
    const [left] = await waitFor(
      'one diagnostic, now a warning',
      () => ours(doc.uri).length === 1 && ours(doc.uri)[0].severity === vscode.DiagnosticSeverity.Warning && ours(doc.uri),
    );
    assert.equal(codeOf(left), 'unknown-command');
    await config.update('enabled', false, vscode.ConfigurationTarget.Workspace);
    await waitFor('no diagnostics', () => ours(doc.uri).length === 0);
    await config.update('enabled', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('both back', () => ours(doc.uri).length === 2);
  });

  test('a note over mathNotes.preview.maxNoteSizeMB: the preview shows its beginning with a notice, lint says to use the CLI', async function () {
    this.timeout(180_000);
    const paragraph = '设$x_i$为第$i$个样本，则\n\\begin{equation}L = \\sum_i \\log p(x_i)\\end{equation}\n\n';
    await vscode.workspace.getConfiguration('mathNotes.preview').update('maxNoteSizeMB', 0.2, vscode.ConfigurationTarget.Workspace);
    const big = '# 大笔记\n\n' + paragraph.repeat(Math.ceil(600_000 / paragraph.length));
    const t0 = Date.now();
    await write(`${FOLDER}/大笔记.md`, big);
    const doc = await vscode.workspace.openTextDocument(uri(`${FOLDER}/大笔记.md`));
    await vscode.window.showTextDocument(doc);
    const [info] = await waitFor('the size notice', () => ours(doc.uri).length === 1 && ours(doc.uri), 30_000);
    assert.equal(info.severity, vscode.DiagnosticSeverity.Information);
    assert.match(info.message, /too large to check as you type \(0\.6 MB/);
    console.log(`      lint notice after ${Date.now() - t0} ms`);
    await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
    // The whole page (a long note shows its first screen before the rest).
    const report = await waitFor(
      'the preview',
      () => api.observer!.reports().find((r) => r.resource === doc.uri.toString() && r.report?.pending === 0)?.report,
      60_000,
    );
    console.log(`      preview after ${Date.now() - t0} ms: ${report.displays} displays`);
    assert.match(report.warnings.join(' '), /This note is 0\.6 MB: the preview shows its first 0\.2 MB/);
    assert.ok(report.displays > 1000 && report.displays < 4000, `${report.displays} displays: the first 0.2 MB`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('mathNotes.preview').update('maxNoteSizeMB', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('Lint All Notes in the Workspace fills the Problems panel for notes that are not open', async () => {
    await write(`${FOLDER}/未打开.md`, '# 未打开\n\n$x^^2$\n');
    // A GBK note: decoded as GB18030 and said, its math linted as the note says it (not as mojibake).
    const gbk = Uint8Array.of(...[0x23, 0x20, 0xd6, 0xd0, 0x0a, 0x0a, 0x24, 0x78, 0xa3, 0xac, 0x79, 0x24, 0x0a]); // "# 中\n\n$x，y$\n"
    await vscode.workspace.fs.writeFile(uri(`${FOLDER}/gbk.md`), gbk);
    await waitFor('the notes indexed', () =>
      [`${FOLDER}/未打开.md`, `${FOLDER}/gbk.md`].every((f) => api.series.index.files().includes(uri(f).toString())),
    );
    const report = await vscode.commands.executeCommand<{ notes: number; diagnostics: number; cancelled: boolean }>(
      'mathNotes.lint.workspace',
    );
    assert.equal(report.cancelled, false);
    assert.ok(report.notes >= 5, `${report.notes} notes`);
    const [d] = ours(uri(`${FOLDER}/未打开.md`));
    assert.equal(codeOf(d), 'katex-parse');
    assert.equal(d.range.start.line, 2);
    assert.ok(d.range.start.character >= 1 && d.range.end.character <= 5, 'inside $x^^2$');
    const gbkFound = ours(uri(`${FOLDER}/gbk.md`));
    assert.deepEqual(gbkFound.map(codeOf).sort(), ['cjk-in-math', 'encoding']);
    assert.match(gbkFound.find((x) => codeOf(x) === 'encoding')!.message, /GB18030/);
  });
});
