/// <reference types="mocha" />
// Snippets in a real extension host: the CodeLenses, running through the contributed commands,
// expected-output checks with a diff, an attached file (and one outside the note's folder, refused),
// error lines mapped to the note, the time limit killing the whole process tree, a re-run replacing
// the run in progress, and maxConcurrentRuns queueing. Restricted Mode is covered by the UI test
// (it needs a workbench with trust enabled). The notes are written into a folder of the test
// workspace and removed at the end.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { waitFor as waitForAtMost } from './waitFor';
import { longestStall } from './hostStall';
import { sharedPath } from '../support/shared';

const waitFor = <T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000) => waitForAtMost(what, probe, timeoutMs);
import type { SnippetResultView } from '../../src/core/preview/protocol';
import { findSnippets } from '../../src/core/snippets/snippets';
import type { MathNotesApi } from '../../src/extension/extension';

const FOLDER = 'snippets-test';
const NOTE = `${FOLDER}/运行测试.md`;
const MARK = `mn-orphan-${process.pid}-${Date.now()}`;

// Each block is found by a marker in its fence line's neighbourhood, not by counting lines.
const NOTE_TEXT = [
  '# 运行测试',
  '',
  '```python {file=attached/square.py}',
  '```',
  '',
  '```output',
  '1 4 9',
  '```',
  '',
  '```python {file=attached/square.py}',
  '```',
  '',
  '```output',
  '1 4 10',
  '```',
  '',
  '```python',
  'x = 1',
  'y = 0',
  'print(x / y)',
  '```',
  '',
  '```python {file=../outside.py}',
  '```',
  '',
  '```python {timeout=1}',
  'import subprocess, sys',
  `subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)  # ${MARK}"])`,
  'while True: pass',
  '```',
  '',
  '```js',
  'const t = Date.now(); while (Date.now() - t < 1500) {}',
  'console.log(0.1 + 0.2)',
  '```',
  '',
  '```output',
  '0.3',
  '```',
  '',
  '```python {skip}',
  'print("never")',
  '```',
  '',
].join('\n');

let api: MathNotesApi;
const workspace = () => vscode.workspace.workspaceFolders![0].uri;
const uri = (name: string) => vscode.Uri.joinPath(workspace(), name);
const write = (name: string, text: string) => vscode.workspace.fs.writeFile(uri(name), new TextEncoder().encode(text));
let doc: vscode.TextDocument;

/** The fence line of the n-th (0-based) snippet of the note. */
const fence = (n: number) => findSnippets(doc.getText(), doc.uri.path)[n].fenceLine;
const run = (n: number) => vscode.commands.executeCommand<SnippetResultView | undefined>('mathNotes.snippets.run', doc.uri, fence(n));
const resultAt = (n: number) => api.snippets.resultsFor(doc.uri).find((r) => r.line === fence(n));
const processesWith = (text: string) =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(text));

suite('snippets', function () {
  this.timeout(60_000);

  suiteSetup(async () => {
    api = (await vscode.extensions.getExtension('mathnotes.math-notes')!.activate()) as MathNotesApi;
    assert.ok(vscode.workspace.isTrusted, 'the integration workspace is trusted');
    await write(`${FOLDER}/attached/square.py`, 'print(*[i * i for i in range(1, 4)])\n');
    await write('outside.py', 'print("should not run")\n');
    await write(NOTE, NOTE_TEXT);
    doc = await vscode.workspace.openTextDocument(uri(NOTE));
    await vscode.window.showTextDocument(doc);
  });

  suiteTeardown(async () => {
    for (const setting of ['maxConcurrentRuns', 'pythonPath'])
      await vscode.workspace.getConfiguration('mathNotes.snippets').update(setting, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const name of [FOLDER, 'outside.py'])
      await vscode.workspace.fs.delete(uri(name), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  test('CodeLenses: ▶ Run on every runnable block with its arguments, Run All on the first, skip says so', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
    const snippets = await api.snippets.snippetsOf(doc);
    assert.equal(snippets.length, 7);
    const at = (line: number) => lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title);
    assert.deepEqual(at(snippets[0].fenceLine), ['▶ Run', 'Run All']);
    for (const s of snippets.slice(1, 6)) assert.deepEqual(at(s.fenceLine), ['▶ Run']);
    assert.deepEqual(at(snippets[6].fenceLine), ['Skipped (marked skip)']);
    const second = lenses.find((l) => l.range.start.line === snippets[1].fenceLine)!;
    assert.equal(second.command!.command, 'mathNotes.snippets.run');
    assert.equal((second.command!.arguments![0] as vscode.Uri).toString(), doc.uri.toString());
    assert.equal(second.command!.arguments![1], snippets[1].fenceLine);
  });

  test('an attached file runs as the snippet: its expected output passes, a different one fails with a diff', async () => {
    const pass = await run(0);
    assert.equal(pass?.status, 'ok', pass?.stderr);
    assert.equal(pass?.stdout, '1 4 9\n');
    assert.deepEqual(pass?.check, { pass: true, diff: [], tolerance: 1e-9 });
    const fail = await run(1);
    assert.equal(fail?.status, 'ok');
    assert.equal(fail?.check?.pass, false);
    assert.deepEqual(
      fail?.check?.diff.filter((d) => d.kind !== ' ').map((d) => `${d.kind}${d.text}`),
      ['-1 4 10', '+1 4 9'],
    );
    // The results are kept for the preview and the editor's hints.
    assert.equal(resultAt(1)?.check?.pass, false);
  });

  test('a traceback points at the note’s own lines', async () => {
    const r = await run(2);
    assert.equal(r?.status, 'error');
    const divide = doc.getText().split('\n').indexOf('print(x / y)') + 1;
    assert.match(r!.stderr, new RegExp(`File "${FOLDER}/运行测试\\.md", line ${divide}`));
    assert.match(r!.stderr, /ZeroDivisionError/);
    // It starts at the snippet, as the CLI's does: no frame of the program that ran it.
    assert.doesNotMatch(r!.stderr, /File "<string>"|<frozen /);
  });

  test('an attached file outside the note’s folder is refused, not run — by path or through a link', async () => {
    const r = await run(3);
    assert.equal(r?.status, 'error');
    assert.equal(r?.stdout, '');
    assert.match(r!.message!, /outside the note’s folder/);
    // A link inside the folder that leads out of it.
    symlinkSync('/etc/hostname', join(uri(FOLDER).fsPath, 'attached', 'escape.py'));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(fence(0), 0, fence(0), 100), '```python {file=attached/escape.py}');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const linked = await run(0);
    assert.equal(linked?.status, 'error');
    assert.match(linked!.message!, /outside the note’s folder/);
    await vscode.commands.executeCommand('undo');
  });

  test('the time limit stops the snippet and every process it started', async () => {
    const r = await run(4);
    assert.equal(r?.status, 'timeout');
    assert.match(r!.message!, /Stopped after 1 s/);
    assert.ok(r!.ms < 4000, `stopped after ${r!.ms} ms`);
    // The grandchild it spawned (sleeping 120 s) is gone too.
    await waitFor('no process left behind', () => processesWith(MARK).length === 0, 5000).catch(() =>
      assert.deepEqual(processesWith(MARK), []),
    );
  });

  test('a re-run replaces the run in progress; the first one reports nothing', async () => {
    const first = run(5);
    await waitFor('the first run to start', () => resultAt(5)?.status === 'running');
    const second = run(5);
    assert.equal(await first, undefined);
    const r = await second;
    assert.equal(r?.status, 'ok');
    assert.equal(r?.check?.pass, true, 'JavaScript 0.30000000000000004 matches 0.3 within 1e-9');
    assert.equal(resultAt(5)?.status, 'ok');
  });

  test('maxConcurrentRuns = 1: a second snippet waits, says so, then runs', async () => {
    await vscode.workspace.getConfiguration('mathNotes.snippets').update('maxConcurrentRuns', 1, vscode.ConfigurationTarget.Workspace);
    const slow = run(5);
    await waitFor('the slow run to start', () => resultAt(5)?.status === 'running');
    const queued = run(0);
    await waitFor('the second run to queue', () => resultAt(0)?.status === 'queued');
    assert.equal(resultAt(5)?.status, 'running');
    assert.equal((await slow)?.status, 'ok');
    const r = await queued;
    assert.equal(r?.status, 'ok');
    assert.ok(r!.ms < 1500, 'timed from when it started, not from when it queued');
  });

  test('mathNotes.snippets.pythonPath is used; a missing interpreter says which setting to change', async () => {
    const config = vscode.workspace.getConfiguration('mathNotes.snippets');
    await config.update('pythonPath', '/no/such/python3', vscode.ConfigurationTarget.Workspace);
    try {
      const r = await run(2);
      assert.equal(r?.status, 'missing-interpreter');
      assert.match(r!.message!, /\/no\/such\/python3[^]*mathNotes\.snippets\.pythonPath/);
    } finally {
      await config.update('pythonPath', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('run at the cursor: the command finds the block around the cursor', async () => {
    const editor = await vscode.window.showTextDocument(doc);
    const inside = fence(2) + 2;
    editor.selection = new vscode.Selection(inside, 0, inside, 0);
    const r = await vscode.commands.executeCommand<SnippetResultView | undefined>('mathNotes.snippets.run');
    assert.equal(r?.line, fence(2));
    assert.equal(r?.status, 'error');
  });

  test("a long note's snippets are found off the host: its CodeLenses cost the host no long task", async function () {
    this.timeout(120_000);
    // ~1 MB of corpus notes, then a snippet of ours. Finding snippets parses the whole note: on
    // the host's thread that was a 280-680 ms task as the note opened.
    let text = '';
    const corpus = sharedPath('corpus', 'kexue-md');
    for (const f of readdirSync(corpus)
      .filter((n) => n.endsWith('.md'))
      .sort()) {
      if (text.length > 600_000) break;
      text += readFileSync(join(corpus, f), 'utf8') + '\n\n';
    }
    text += '## 验算\n\n```python\nprint(sum(range(10)))\n```\n';
    await write(`${FOLDER}/long.md`, text);
    const long = await vscode.workspace.openTextDocument(uri(`${FOLDER}/long.md`));
    await new Promise((r) => setTimeout(r, 3000)); // VS Code's own Markdown extension reads the new document first
    const {
      result: lenses,
      task,
      taskKind,
      gc,
    } = await longestStall(() =>
      Promise.resolve(vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', long.uri, 100)),
    );
    const expected = findSnippets(text, long.uri.path);
    assert.ok(expected.length >= 1);
    const runLines = lenses.filter((l) => l.command?.command === 'mathNotes.snippets.run').map((l) => l.range.start.line);
    assert.deepEqual(
      runLines,
      expected.filter((s) => !s.attributes.skip).map((s) => s.fenceLine),
      'a ▶ Run above every snippet the page shows',
    );
    console.log(
      `      ${text.length} characters, ${expected.length} snippets: longest host task ${task} ms (a ${taskKind} callback; collection ${gc} ms)`,
    );
    assert.ok(task - gc <= 50, `a task of ${task} ms on the host (collection ${gc} ms; a ${taskKind} callback)`);
  });
});
