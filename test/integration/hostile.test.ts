/// <reference types="mocha" />
// Hostile notes in the real extension host (issue #16): front matter nested deep enough to
// overflow a recursive parser (which, a few overflows later, made V8 abort the whole host), and a
// listing built to make close-title matching quadratic (it froze the host ~20 s). The host lives,
// says what it refused, and no task of its thread runs over 50 ms of CPU.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeEditorsAndPreviews, waitFor } from './waitFor';
import { longestStall } from './hostStall';
import type { MathNotesApi } from '../../src/extension/extension';
import type { PreviewReport } from '../../src/extension/preview/previewObserver';
import { hostileSeriesListing } from '../../src/bench/hostileSeries';

let api: MathNotesApi;
const folder = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'hostile-notes');
const previewOf = (uri: vscode.Uri): PreviewReport | undefined => api.observer!.reports().find((r) => r.resource === uri.toString());
const utf8 = (s: string) => new TextEncoder().encode(s);

const DEEP_FRONT_MATTER: Record<string, string> = {
  'deep-flow.md': 'title: ' + '[{'.repeat(15000) + '}]'.repeat(15000),
  'deep-tags.md': 'tags: ' + '['.repeat(20000) + ']'.repeat(20000),
  'deep-dashes.md': 'tags:\n  ' + '- '.repeat(8000) + 'x',
};

const closeAll = () => closeEditorsAndPreviews(api);

suite('hostile notes', () => {
  suiteSetup(async () => {
    api = (await vscode.extensions.getExtension('mathnotes.math-notes')!.activate()) as MathNotesApi;
    await api.series.ready();
    await vscode.workspace.fs.createDirectory(folder());
  });
  teardown(closeAll);
  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(folder(), { recursive: true, useTrash: false });
    for (let i = 0; i < 100 && api.series.index.files().some((f) => f.includes('/hostile-notes/')); i++)
      await new Promise((r) => setTimeout(r, 100));
  });

  test('deeply nested front matter, indexed, previewed, edited and linted again and again: the host and its workers live, the post says why', async function () {
    this.timeout(180_000);
    const uris: vscode.Uri[] = [];
    for (const [name, yaml] of Object.entries(DEEP_FRONT_MATTER)) {
      const uri = vscode.Uri.joinPath(folder(), name);
      await vscode.workspace.fs.writeFile(uri, utf8(`---\n${yaml}\n---\n\n# ${name}\n\n$$E = mc^2$$\n`));
      uris.push(uri);
    }
    // The index workers read them (the watcher brings them in).
    await waitFor('the deep notes indexed', () => uris.every((u) => api.series.index.has(u.toString())), 60_000);
    for (const uri of uris) {
      const editor = await vscode.window.showTextDocument(uri);
      await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
      let p = await waitFor('the preview', () => previewOf(uri)?.report && previewOf(uri), 60_000);
      assert.ok(
        p.report!.warnings.some((w) => w.includes('nested too deeply') || w.includes('too large')),
        p.report!.warnings.join(' | '),
      );
      assert.equal(p.report!.formulas, 1, 'the body still renders');
      // Again and again in the same render worker: what aborted V8 was the fourth or fifth overflow.
      for (let round = 0; round < 5; round++) {
        const version = editor.document.version;
        await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount - 1, 0), `$x_${round}$\n`));
        p = await waitFor('the edit rendered', () => (previewOf(uri)?.report?.formulas ?? 0) >= 2 + round && previewOf(uri), 60_000);
        assert.ok(editor.document.version > version);
      }
      await waitFor('lint to answer', () => api.lint.collection.has(uri) || undefined, 30_000);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await closeAll();
    }
    // The host answers and still renders an ordinary note.
    const plain = vscode.Uri.joinPath(folder(), 'plain.md');
    await vscode.workspace.fs.writeFile(plain, utf8('# Plain\n\n$$a^2+b^2=c^2$$\n'));
    await vscode.window.showTextDocument(plain);
    await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
    const ok = await waitFor('a plain preview', () => previewOf(plain)?.report && previewOf(plain), 60_000);
    assert.equal(ok.report!.formulas, 1);
    assert.equal(ok.report!.katexErrors, 0);
  });

  test('hovering a long formula runs no host task over 50 ms (drawn in the worker); one too wide to read says so', async function () {
    this.timeout(120_000);
    // 60 rows, ~3 000 characters: MathJax takes a few hundred ms to draw it.
    const rows = Array.from({ length: 60 }, (_, k) => `\\sum_{k=1}^{n} \\frac{x_{${k}}^2}{1+y_k} &= z_{${k}}`).join(' \\\\\n');
    const uri = vscode.Uri.joinPath(folder(), 'long-formula.md');
    await vscode.workspace.fs.writeFile(
      uri,
      utf8(`# 长公式\n\n$$\\begin{aligned}\n${rows}\n\\end{aligned}$$\n\n$$${'x+'.repeat(3950)}x$$\n`),
    );
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // The window's first hover pays a one-time cost that is not the drawing (~120 ms here, also on a
    // heading with no formula: tracked in issue #21's notes); measure the drawing after it.
    const before = await longestStall(async () =>
      vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 3)),
    );
    console.log(`      a heading hovered first: longest host task ${before.task} ms`);
    const hovered = await longestStall(async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(2, 10));
      await new Promise((r) => setTimeout(r, 500));
      return hovers;
    });
    const markdown = hovered.result.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    console.log(`      long formula hovered: longest host task ${hovered.task} ms, longest stall ${hovered.stall} ms`);
    assert.match(markdown, /data:image\/svg\+xml/, 'drawn');
    assert.ok(hovered.task < 50, `a host task ran ${hovered.task} ms of CPU while the hover drew the formula`);
    // ~7 900 characters of `x+x+…` (the drawer's bound is 8 000): 99 000 px wide, refused with its size, no 0.9 MB image.
    const wide = await longestStall(async () =>
      vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(65, 10)),
    );
    const said = wide.result.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(said, /Too large to draw in a hover|太大，无法在悬停提示中绘制/);
    assert.doesNotMatch(said, /data:image/);
    assert.ok(wide.task < 50, `a host task ran ${wide.task} ms of CPU on the wide formula's hover`);
    await closeAll();
  });

  test('a listing built to make close-title matching quadratic: indexed, opened and linked with no host task over 50 ms', async function () {
    this.timeout(240_000);
    const listing = hostileSeriesListing();
    const uri = vscode.Uri.joinPath(folder(), 'listing.txt');
    // Indexing it: the watcher's event, the workers' summary, the backlinks built in slices.
    const indexed = await longestStall(async () => {
      await vscode.workspace.fs.writeFile(uri, utf8(listing.text));
      await waitFor('the listing indexed', () => api.series.index.has(uri.toString()), 120_000);
      await api.series.ready();
      await new Promise((r) => setTimeout(r, 1000));
    });
    console.log(
      `      hostile listing indexed: longest host task ${indexed.task} ms (${indexed.taskKind}), longest stall ${indexed.stall} ms`,
    );
    // Opening it: document links (every citation resolved), diagnostics, the preview's series bar.
    const opened = await longestStall(async () => {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
      await new Promise((r) => setTimeout(r, 1000));
      return links;
    });
    console.log(
      `      hostile listing opened: ${opened.result.length} links, longest host task ${opened.task} ms (${opened.taskKind}), longest stall ${opened.stall} ms`,
    );
    const cited = opened.result.filter((l) => l.target?.scheme === 'file' && /^L\d+$/.test(l.target.fragment));
    assert.ok(cited.length >= listing.nearMisses.length, `${cited.length} citation links of ${listing.nearMisses.length}`);
    assert.ok(indexed.task < 50, `a host task (${indexed.taskKind}) ran ${indexed.task} ms of CPU while indexing the listing`);
    assert.ok(opened.task < 50, `a host task (${opened.taskKind}) ran ${opened.task} ms of CPU while opening the listing`);
  });
});
