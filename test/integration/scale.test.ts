/// <reference types="mocha" />
// A 1 MB note with over 2 000 formulas (built at test time from ../shared/corpus) opens in the
// preview while the extension host stays responsive (rendering runs in a worker thread), and an
// edit in it reaches the page as a one-block patch.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MathNotesApi } from '../../src/extension/extension';
import { longestStall } from './hostStall';
import { sharedPath } from '../support/shared';

const corpus = sharedPath('corpus', 'kexue-md');

/**
 * The big note's size: 1 MB of UTF-8 in CI; MATHNOTES_SCALE_MB=10 measures a note of 10 million
 * characters by hand (the unit of mathNotes.preview.maxNoteSizeMB; SECURITY.md).
 */
const SCALE_MB = Number(process.env.MATHNOTES_SCALE_MB ?? 1);
const sizeOf = (text: string) => (process.env.MATHNOTES_SCALE_MB ? text.length : Buffer.byteLength(text));

/** Whole corpus notes, one after another (again from the first if need be), until the note is SCALE_MB and has 4 000 formulas. */
function bigNote(): { text: string; formulas: number } {
  let text = '';
  let formulas = 0;
  const names = readdirSync(corpus)
    .filter((n) => n.endsWith('.md'))
    .sort();
  for (let i = 0; !(sizeOf(text) > SCALE_MB * 1_000_000 && formulas > 4_000); i++) {
    const note = readFileSync(join(corpus, names[i % names.length]), 'utf8');
    text += note + '\n\n';
    formulas += (note.match(/\\begin\{equation|\$\$|\$/g) ?? []).length;
  }
  return { text, formulas };
}

/** With MATHNOTES_PROFILE set: a CPU profile of the extension host (to find what stalls it). */
async function startProfile(): Promise<{ stop(path: string): Promise<void> } | undefined> {
  if (!process.env.MATHNOTES_PROFILE) return undefined;
  const inspector = await import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return {
    async stop(path) {
      const { profile } = await post('Profiler.stop');
      writeFileSync(path, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** A citation of one of the workspace's example notes, typed into the big note. */
const CITATION = '见《光滑近似漫谈（一）：从最大值到Softmax》。';

suite('scale', () => {
  test('a 1 MB note with 2 000+ formulas opens and takes edits without blocking the extension host', async function () {
    this.timeout(240_000 * SCALE_MB);
    const api = (await vscode.extensions.getExtension('mathnotes.math-notes')!.activate()) as MathNotesApi;
    const { text } = bigNote();
    const whole = text.length < 1_500_000;
    // A .txt note: VS Code's own Markdown extension tokenizes a .md document on the extension host
    // (measured: a 2-3 s stall on this 1 MB note, with or without us), which would hide ours.
    // MATHNOTES_SCALE_EXT=md measures that by hand (at 5 MB: 2.8 s of the host's CPU in the Markdown
    // extension, sending the text to its language server, against 0.5 s of ours).
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, `big-note.${process.env.MATHNOTES_SCALE_EXT ?? 'txt'}`);
    // Within the size limit, so that the whole note is previewed and linted.
    await vscode.workspace
      .getConfiguration('mathNotes.preview')
      .update('maxNoteSizeMB', Math.max(2, SCALE_MB + 1), vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    try {
      const editor = await vscode.window.showTextDocument(uri);
      await new Promise((r) => setTimeout(r, 2000)); // let the workbench settle after opening 1 MB
      const find = () => api.observer!.reports().find((r) => r.resource === uri.toString());
      const profiling = await startProfile();
      const open = await longestStall(async () => {
        await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
        // The whole page: a long note not yet rendered shows the reader's screen first (here lint
        // has rendered it already, in the same worker and caches, so it comes whole at once).
        // A note over 1.5 million characters is only ever rendered around the reader: its first screen.
        for (let i = 0; i < 1200 && (whole ? find()?.report?.pending !== 0 : !find()?.report); i++)
          await new Promise((r) => setTimeout(r, 100));
        return find();
      });
      assert.ok(open.result?.report, 'the big note rendered');
      if (whole) assert.ok(open.result.report.formulas > 2000, `${open.result.report.formulas} formulas on the page`);
      console.log(
        `      big note: ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, ${open.result.report.formulas} formulas, render ${open.result.stats?.milliseconds} ms in the worker, longest host stall ${open.stall} ms (timer ${open.lateness} ms late, waits for a core included; longest task ${open.task} ms of CPU, a ${open.taskKind} callback; garbage collection ${open.gc} ms)`,
      );
      const version = open.result.report.version;
      const edit = await longestStall(async () => {
        await editor.edit((e) => e.insert(new vscode.Position(5, 0), CITATION));
        for (let i = 0; i < 300 * SCALE_MB && !(find()!.report!.version > version); i++) await new Promise((r) => setTimeout(r, 20));
        return find();
      });
      assert.ok(edit.result!.report!.version > version, 'the edit reached the page');
      assert.ok(edit.result!.update!.changedBlocks <= 2, `${edit.result!.update!.changedBlocks} blocks sent`);
      console.log(
        `      edit: ${edit.result!.update!.changedBlocks} of ${edit.result!.update!.totalBlocks} blocks sent, longest host stall ${edit.stall} ms (timer ${edit.lateness} ms late; longest task ${edit.task} ms of CPU, garbage collection ${edit.gc} ms)`,
      );
      // Its citations, summarised in the worker (over 100 000 characters): links in the editor, in the index.
      // Ours lead to a note's line (other providers link the bare URLs in it).
      const links = (await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri)).filter(
        (l) => l.target?.scheme === 'file' && /^L\d+$/.test(l.target.fragment),
      );
      // The citation typed above (the corpus notes cited in it are not in this workspace).
      const typed = links.filter((l) => l.range.start.line === 5);
      assert.equal(typed.length, 1, `${links.length} citation links in the big note, ${typed.length} on the edited line`);
      assert.equal(editor.document.getText(typed[0].range), CITATION.slice(1, -1));
      assert.match(decodeURIComponent(typed[0].target!.path), /光滑近似漫谈（一）/);
      const notCitations = links
        .map((l) => editor.document.getText(l.range))
        .filter((t) => !/^《[^《》]+》$|^[（(].{1,5}[)）]$|系列.*第.+篇/.test(t));
      assert.deepEqual(notCitations.slice(0, 5), [], 'every link covers a citation: 《title》, (n) in a series list, or 本系列第n篇');
      for (let i = 0; i < 100 && !api.series.index.postsOf(uri.toString()).some((p) => p.citations.length > 100); i++)
        await new Promise((r) => setTimeout(r, 50));
      assert.ok(
        api.series.index.postsOf(uri.toString()).some((p) => p.citations.length > 100),
        'the index has the big note with its citations',
      );
      // Lint of the whole note in the worker, its diagnostics placed on the host.
      const lint = await longestStall(async () => {
        const before = api.lint.collection.get(uri);
        await api.lint.lintDocument(editor.document);
        return { before: before?.length ?? 0, after: api.lint.collection.get(uri)?.length ?? 0 };
      });
      await profiling?.stop('/tmp/mn-host-open-edit-lint.cpuprofile');
      console.log(
        `      lint of the big note: ${lint.result.after} diagnostics, longest host stall ${lint.stall} ms (timer ${lint.lateness} ms late; longest task ${lint.task} ms of CPU)`,
      );
      // No task on the host longer than 50 ms of CPU while rendering or linting (issue #8). A task's
      // CPU time includes a garbage collection V8 ran inside it (CI measured a 59 ms task beside a
      // 30 ms collection, 4-16 ms otherwise): the longest collection of the phase is not ours to bound.
      // A stall leaves out waiting for a core (hostStall.ts); the bound stays generous.
      assert.ok(
        open.task - open.gc <= 50,
        `a task of ${open.task} ms on the host while opening (collection ${open.gc} ms; a ${open.taskKind} callback)`,
      );
      assert.ok(
        edit.task - edit.gc <= 50,
        `a task of ${edit.task} ms on the host on an edit (collection ${edit.gc} ms; a ${edit.taskKind} callback)`,
      );
      assert.ok(
        lint.task - lint.gc <= 50,
        `a task of ${lint.task} ms on the host while linting (collection ${lint.gc} ms; a ${lint.taskKind} callback)`,
      );
      assert.ok(open.stall < 400, `host blocked ${open.stall} ms while opening`);
      assert.ok(edit.stall < 400, `host blocked ${edit.stall} ms on an edit`);
      assert.ok(lint.stall < 400, `host blocked ${lint.stall} ms while linting`);
    } finally {
      // Also when an assertion failed: later suites count citations of the example notes, and the
      // big note (with the one typed into it) must not be among them.
      await vscode.workspace.getConfiguration('mathNotes.preview').update('maxNoteSizeMB', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
      // Gone from the index before the next test counts its notes (also after a failure here: CI
      // once counted it among the 5 000, which then seemed one short). The deletion comes from the
      // file watcher, which a loaded CI machine once took over 5 s to report: up to 20 s.
      for (let i = 0; i < 400 && api.series.index.has(uri.toString()); i++) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(api.series.index.has(uri.toString()), false, 'the deleted big note left the index');
  });

  test("a preview does not wait for the editor's analysis of a big note's equations", async function () {
    this.timeout(240_000);
    const api = (await vscode.extensions.getExtension('mathnotes.math-notes')!.activate()) as MathNotesApi;
    // ~1 MB the workers have not seen: the corpus from its other end (the test above took it from the start).
    let big = '';
    for (const f of readdirSync(corpus)
      .filter((n) => n.endsWith('.md'))
      .sort()
      .reverse()) {
      if (Buffer.byteLength(big) > 1_000_000) break;
      big += readFileSync(join(corpus, f), 'utf8') + '\n\n';
    }
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const bigUri = vscode.Uri.joinPath(folder, 'big-equations.txt');
    const smallUri = vscode.Uri.joinPath(folder, 'small-equations.md');
    await vscode.workspace.getConfiguration('mathNotes.preview').update('maxNoteSizeMB', 2, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.writeFile(bigUri, new TextEncoder().encode(big));
    await vscode.workspace.fs.writeFile(smallUri, new TextEncoder().encode('# 小\n\n$$\na^2 + b^2 = c^2\n$$\n'));
    try {
      const editor = await vscode.window.showTextDocument(smallUri);
      await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
      const report = () => api.observer!.reports().find((r) => r.resource === smallUri.toString())?.report;
      for (let i = 0; i < 1500 && !report(); i++) await new Promise((r) => setTimeout(r, 20));
      const version = report()!.version;
      // The outline asks for the big note's equations (seconds of work), then the author types in the previewed note.
      await vscode.workspace.openTextDocument(bigUri);
      const started = Date.now();
      let symbolsAt = 0;
      const symbols = Promise.resolve(
        vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', bigUri),
      ).then((s) => ((symbolsAt = Date.now() - started), s));
      await new Promise((r) => setTimeout(r, 300));
      await editor.edit((e) => e.insert(new vscode.Position(3, 0), 'x + '));
      for (let i = 0; i < 1500 && !(report()!.version > version); i++) await new Promise((r) => setTimeout(r, 10));
      const editAt = Date.now() - started;
      assert.ok(report()!.version > version, 'the edit reached the page');
      const equations = (await symbols).flatMap((s) => [s, ...s.children]).filter((s) => /^\(\d+\)/.test(s.name));
      console.log(
        `      the edit on the page after ${editAt} ms, the big note's ${equations.length} numbered equations after ${symbolsAt} ms`,
      );
      assert.ok(equations.length > 100, `${equations.length} numbered equations in the outline`);
      // Different workers: the preview's render did not wait for the analysis.
      assert.ok(editAt < symbolsAt, `the edit came after ${editAt} ms, the equations after ${symbolsAt} ms`);
    } finally {
      await vscode.workspace.getConfiguration('mathNotes.preview').update('maxNoteSizeMB', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(bigUri);
      await vscode.workspace.fs.delete(smallUri);
    }
  });

  test('5 000 notes are indexed for series off the host thread; deleting them empties the index', async function () {
    this.timeout(240_000);
    const api = (await vscode.extensions.getExtension('mathnotes.math-notes')!.activate()) as MathNotesApi;
    await api.series.ready();
    // Counted by folder: notes of earlier tests may still come or go meanwhile (CI once saw "4 999
    // of 5 000" with all 5 000 in the index, a note of another test having left it during the count).
    const folder = join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'scale-notes');
    const prefix = `${vscode.Uri.file(folder).toString()}/`;
    const ours = () => api.series.index.filesUnder(prefix).length;
    mkdirSync(folder, { recursive: true });
    try {
      const corpusNotes = readdirSync(corpus)
        .filter((n) => n.endsWith('.md'))
        .sort()
        .map((f) => ({ f, text: readFileSync(join(corpus, f), 'utf8') }));
      for (let i = 0; i < 5000; i++) {
        const n = corpusNotes[i % corpusNotes.length];
        const copy = Math.floor(i / corpusNotes.length);
        writeFileSync(
          join(folder, `${copy}-${n.f}`),
          copy === 0 ? n.text : n.text.replace(/^title: (.*)$/m, (_, t: string) => `title: ${t}·${copy}`),
        );
      }
      // A burst of 5 000 new files: the file-system watcher brings them in (through the workers). It
      // drops some events in a burst this big (46 once here): the folders are listed again after it.
      for (let i = 0; i < 300 && ours() < 5000; i++) await new Promise((r) => setTimeout(r, 100));
      const byWatcher = ours();
      if (byWatcher !== 5000) {
        // Which note, and whether it comes in later: a lost event and a slow one fail differently.
        const missing = readdirSync(folder).filter((f) => !api.series.index.has(vscode.Uri.file(join(folder, f)).toString()));
        await new Promise((r) => setTimeout(r, 10_000));
        const later = ours();
        assert.fail(
          `the watcher (and the check after the burst) brought in ${byWatcher} of 5 000 in 30 s (${later} 10 s later); missing: ${missing.slice(0, 5).join(', ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 1000)); // let the workbench settle
      // Then the whole workspace from scratch, as when it opens.
      const build = await longestStall(() => api.series.rebuild(), false);
      const files = ours();
      console.log(
        `      series index: ${build.result.files} notes in ${build.result.ms} ms (listing them ${build.result.listMs} ms, last result at ${build.result.workersDone} ms, taking them in ${build.result.hostMs} ms on the host, at most ${build.result.longestBatchMs} ms a batch), longest host stall ${build.stall} ms (ending at ${build.at} ms; longest garbage collection ${build.gc} ms)`,
      );
      assert.equal(files, 5000, `${files} of the 5 000 indexed after the rebuild`);
      assert.ok(api.series.index.series().some((s) => s.name.startsWith('生成扩散模型漫谈') && s.parts.filter((p) => p.post).length >= 31));
      assert.ok(build.stall < 400, `host blocked ${build.stall} ms while indexing`);
    } finally {
      // Deleting the folder (also when an assertion failed: later suites must not see 5 000 notes):
      // the file-system watcher takes every note in it out of the index.
      rmSync(folder, { recursive: true, force: true });
    }
    for (let i = 0; i < 300 && ours() > 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(ours(), 0);
  });
});
