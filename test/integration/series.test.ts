/// <reference types="mocha" />
// Series and citations in the editor of a real extension host: the workspace index following the
// file system, links, definition, hover, references, completion after `《`, diagnostics with the
// exact-title quick fix, next/previous part, the series picker and the series tree. The workspace is
// a throw-away copy of examples/ (parts 1 and 2 of 光滑近似漫谈); this suite adds part 4 (part 3 is
// a gap), a stand-alone note and a few test folders, and removes them at the end.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './waitFor';
import type { MathNotesApi } from '../../src/extension/extension';
import type { SeriesTreeSnapshot } from '../../src/extension/series/seriesTree';

const EXAMPLE_1 = '光滑近似漫谈（一）：从最大值到Softmax.md';
const EXAMPLE_2 = '光滑近似漫谈（二）：Top-k的光滑近似.md';
const LISTING = '博客列表导出示例.txt';
const COMPANION = '光滑近似的数值验证.md'; // the snippets note; it cites parts 1 and 2
const TITLE_1 = '光滑近似漫谈（一）：从最大值到Softmax';
const TITLE_2 = '光滑近似漫谈（二）：Top-k的光滑近似';
const PART_4 = '光滑近似漫谈（四）：测试笔记.md';
const TITLE_4 = '光滑近似漫谈（四）：测试笔记';
const STANDALONE = '独立测试笔记.md';
const LONE_SERIES = '孤篇测试系列';
const LONE_PART_TITLE = `${LONE_SERIES}（三）：只有第三篇`;
const LONE_PART = `${LONE_PART_TITLE}.md`;
const STANDALONE_RENAMED = '独立测试笔记（改名）.md';
const STANDALONE_TITLE = '一篇独立的测试笔记';
const DELETED_OPEN = '打开着被删除的测试笔记.md';

// Part 4's lines: each citation kind once. Positions are found by text, not by counting.
const PART_4_TEXT = [
  '---',
  `title: ${TITLE_4}`,
  'date: 2026-11-22',
  '---',
  '',
  `# ${TITLE_4}`,
  '',
  `承接《${TITLE_2}》，这里讨论排序。`,
  '本系列的(一)讲了最大值。',
  '又见《光滑近似漫谈系列（二）：Top-k的光滑近似》的推导。',
  '还有《光滑近似漫谈（三）：尚未写成》与《Scaling Laws for Neural Language Models》。',
  '本系列的(三)也还没有写。',
  '',
].join('\n');
const INEXACT = '《光滑近似漫谈系列（二）：Top-k的光滑近似》';
const UNRESOLVED = '《光滑近似漫谈（三）：尚未写成》';
const PAPER = '《Scaling Laws for Neural Language Models》';

const STANDALONE_TEXT = `# ${STANDALONE_TITLE}\n\n它引用了《${TITLE_4}》。\n`;

// Folders the index tests create (each removed by its test and again at the end).
const FOLDER = 'series-test-folder';
const FOLDER_RENAMED = 'series-test-folder-renamed';
const EXCLUDED = 'series-test-excluded';
const VISIBLE = 'series-test-visible';
const BULK = 'series-test-bulk';
const SUB = 'series-test-sub';
const TEST_FOLDERS = [FOLDER, FOLDER_RENAMED, EXCLUDED, VISIBLE, BULK, SUB];
const DURING_BUILD = 'series-test-during-build.md';
const titled = (title: string) => `# ${title}\n\n一段正文。\n`;

let api: MathNotesApi;
/** Whether the workspace had its own settings before this suite changed some. */
let hadWorkspaceSettings = true;
const workspace = () => vscode.workspace.workspaceFolders![0].uri;
/** Where a note's post is shown and opened: its title line (the H1 of a Markdown note). */
const titleLineOf = (title: string) => api.series.index.postTitled(title)!.titleLine!;
const note = (name: string) => vscode.Uri.joinPath(workspace(), name);
const key = (name: string) => note(name).toString();

async function write(name: string, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(note(name), new TextEncoder().encode(text));
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

async function removeIfThere(name: string): Promise<void> {
  try {
    await vscode.workspace.fs.delete(note(name), { recursive: true, useTrash: false });
  } catch {
    // already gone
  }
}

/** Is any file at or under this workspace path in the index? */
const indexedUnder = (name: string) => api.series.index.files().some((f) => f === key(name) || f.startsWith(`${key(name)}/`));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The range of the first occurrence of `text` in the document. */
function rangeOf(doc: vscode.TextDocument, text: string): vscode.Range {
  const at = doc.getText().indexOf(text);
  assert.ok(at >= 0, `${text} is not in ${doc.uri.path}`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + text.length));
}

/** A position inside the first occurrence of `text`. */
function inside(doc: vscode.TextDocument, text: string): vscode.Position {
  return rangeOf(doc, text).start.translate(0, 2);
}

const samePath = (uri: vscode.Uri, name: string) => uri.path === note(name).path;
const targetOf = (l: vscode.Location | vscode.LocationLink) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetRange } : l);

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n')
    .replace(/&nbsp;/g, ' ')
    .replace(/\\(.)/g, '$1'); // appendText escapes Markdown punctuation
}

/** The citation rules' findings: lint's, like any rule's. */
function seriesDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Math Notes lint' && /-citation$/.test(String(codeOf(d))));
}

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

const tree = () => vscode.commands.executeCommand<SeriesTreeSnapshot[]>('_mathNotes.series.treeSnapshot');

async function activeIs(name: string): Promise<void> {
  await waitFor(`${name} to be the active editor`, () => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri !== undefined && samePath(uri, name);
  });
}

async function closeAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && !doc.isClosed) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

suite('series', () => {
  suiteSetup(async () => {
    api = (await vscode.extensions.getExtension('mathnotes.math-notes')!.activate()) as MathNotesApi;
    await api.series.ready();
    hadWorkspaceSettings = await exists(note('.vscode'));
    await write(PART_4, PART_4_TEXT);
    await waitFor('part 4 in the index', () => api.series.index.postTitled(TITLE_4));
  });

  suiteTeardown(async () => {
    await closeAll();
    const config = vscode.workspace.getConfiguration('mathNotes');
    for (const setting of ['series.unresolvedCitations', 'series.include'])
      await config.update(setting, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('files').update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    const created = [PART_4, STANDALONE, STANDALONE_RENAMED, DELETED_OPEN, DURING_BUILD, ...TEST_FOLDERS];
    for (const name of created) await removeIfThere(name);
    if (!hadWorkspaceSettings) await vscode.workspace.fs.delete(note('.vscode'), { recursive: true }).then(undefined, () => undefined);
    await waitFor('the created notes out of the index', () => !created.some(indexedUnder));
  });

  teardown(closeAll);

  test('the index holds the example notes and a note created now', () => {
    const index = api.series.index;
    const one = index.postTitled(TITLE_1);
    const two = index.postTitled(TITLE_2);
    // The Markdown notes are the posts' homes; the listing's excerpts are copies.
    assert.equal(one?.file, key(EXAMPLE_1));
    assert.equal(two?.file, key(EXAMPLE_2));
    assert.ok(index.postsOf(key(LISTING)).length >= 2);
    const series = index.series().find((s) => s.name === '光滑近似漫谈');
    assert.ok(series);
    assert.deepEqual(
      series.parts.map((p) => p.post?.title),
      [TITLE_1, TITLE_2, undefined, TITLE_4],
    );
  });

  test('the series tree: parts in order, a gap, stand-alone posts; empty when nothing is indexed', async () => {
    const roots = await tree();
    const series = roots.find((n) => n.label === '光滑近似漫谈');
    assert.ok(series, JSON.stringify(roots));
    assert.equal(series.children.length, 4);
    const [one, two, gap, four] = series.children;
    assert.deepEqual(one.command, { command: 'mathNotes.series.openPost', arguments: [key(EXAMPLE_1), titleLineOf(TITLE_1)] });
    assert.equal(titleLineOf(TITLE_1), 9, 'the H1 under the front matter');
    assert.equal(one.description, '从最大值到Softmax');
    assert.equal(two.command?.arguments?.[0], key(EXAMPLE_2));
    assert.equal(series.description, '3 parts, 1 missing');
    // A gap is named like the parts beside it (it read "（三）— …" beside "Part 4").
    assert.equal(four.label, 'Part 4');
    assert.equal(gap.label, 'Part 3 — not in this workspace');
    assert.equal(gap.icon, 'circle-slash');
    assert.equal(gap.command, undefined);
    assert.equal(four.command?.arguments?.[0], key(PART_4));
    // Stand-alone posts come last (other suites may have left some in the workspace).
    const standaloneNode = (nodes: SeriesTreeSnapshot[]) => nodes.find((n) => n.icon === 'files');
    assert.ok(!standaloneNode(roots)?.children.some((c) => c.label === STANDALONE_TITLE));

    await write(STANDALONE, STANDALONE_TEXT);
    const withStandalone = await waitFor('the stand-alone post in the tree', async () => {
      const nodes = await tree();
      const node = standaloneNode(nodes);
      return node?.children.some((c) => c.label === STANDALONE_TITLE) && nodes[nodes.length - 1] === node && node;
    });
    const post = withStandalone.children.find((c) => c.label === STANDALONE_TITLE)!;
    assert.deepEqual(post.command?.arguments, [key(STANDALONE), 0]);
    const labels = withStandalone.children.map((c) => c.label);
    assert.deepEqual(
      labels,
      [...labels].sort((a, b) => a.localeCompare(b, 'zh')),
      'sorted by title',
    );

    // One part of a series present: "1 part, 2 missing" (it said "1 parts").
    await write(LONE_PART, `# ${LONE_PART_TITLE}\n\n只有这一篇。\n`);
    try {
      const lone = await waitFor("the lone part's series in the tree", async () => (await tree()).find((n) => n.label === LONE_SERIES));
      assert.equal(lone.description, '1 part, 2 missing');
    } finally {
      await removeIfThere(LONE_PART);
    }

    // A glob that matches nothing: the index empties and the tree returns nothing (the welcome shows).
    await vscode.workspace.getConfiguration('mathNotes').update('series.include', '**/*.nothing', vscode.ConfigurationTarget.Workspace);
    await waitFor('an empty tree', async () => (await tree()).length === 0);
    await vscode.workspace.getConfiguration('mathNotes').update('series.include', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('the tree back', async () => (await tree()).some((n) => n.label === '光滑近似漫谈'));
  });

  test('renaming and deleting a note updates the index', async () => {
    await api.series.ready(); // no build still running from the test before (it changes series.include)
    if (!api.series.index.has(key(STANDALONE))) await write(STANDALONE, STANDALONE_TEXT);
    await waitFor('the stand-alone note indexed', () => api.series.index.postTitled(STANDALONE_TITLE));
    // A watcher of the test's own: whether VS Code reported the rename's new file, and later the deletion.
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(workspace(), STANDALONE_RENAMED),
      false,
      true,
      false,
    );
    let created = false;
    watcher.onDidCreate(() => (created = true));
    const rename = new vscode.WorkspaceEdit();
    rename.renameFile(note(STANDALONE), note(STANDALONE_RENAMED));
    assert.ok(await vscode.workspace.applyEdit(rename));
    await waitFor('the renamed note indexed', () => api.series.index.postTitled(STANDALONE_TITLE)?.file === key(STANDALONE_RENAMED));
    assert.equal(api.series.index.has(key(STANDALONE)), false);
    // Deleted behind the editor's back: the file watcher reports it. Not before the watcher has
    // reported the rename's new file: VS Code's watcher coalesces the events of a moment, and a
    // file created and deleted within one batch is reported as neither (CI: "deletion not reported").
    await waitFor("the rename's new file reported", () => created).catch(() => undefined);
    let reported = 'not reported';
    const deletedAt = Date.now();
    watcher.onDidDelete(() => (reported = `reported after ${Date.now() - deletedAt} ms`));
    try {
      await vscode.workspace.fs.delete(note(STANDALONE_RENAMED));
      await waitFor('the deleted note gone', () => !api.series.index.postTitled(STANDALONE_TITLE)).catch(async (e: Error) => {
        const open = vscode.workspace.textDocuments.some((d) => samePath(d.uri, STANDALONE_RENAMED));
        throw new Error(
          `${e.message} (deletion ${reported}; on disk: ${await exists(note(STANDALONE_RENAMED))}; open: ${open}; indexed as ${api.series.index.postTitled(STANDALONE_TITLE)?.file})`,
        );
      });
    } finally {
      watcher.dispose();
    }
    assert.equal(api.series.index.has(key(STANDALONE_RENAMED)), false);
  });

  test('a note deleted on disk stays out of the index while it is still open, unchanged, in an editor', async () => {
    // A rename's creation event can arrive (under a burst of file events: seconds) after the note
    // was deleted; re-reading it then took the open document's text and put the note back.
    const title = '打开着被删除的测试笔记';
    await write(DELETED_OPEN, titled(title));
    await waitFor('the note indexed', () => api.series.index.postTitled(title));
    const doc = await vscode.workspace.openTextDocument(note(DELETED_OPEN));
    assert.equal(doc.isDirty, false);
    await vscode.workspace.fs.delete(note(DELETED_OPEN));
    assert.ok(vscode.workspace.textDocuments.includes(doc) && !doc.isClosed, 'the document is still open');
    // What a late event for the file does (whether or not the watcher has reported the deletion yet).
    await api.series.refreshFile(note(DELETED_OPEN));
    assert.equal(api.series.index.postTitled(title), undefined, 'a late file event kept or brought back the deleted note');
  });

  test('renaming a folder keeps its notes indexed under the new path', async () => {
    const title = '文件夹里的测试笔记';
    await vscode.workspace.fs.createDirectory(note(FOLDER));
    await write(`${FOLDER}/note.md`, titled(title));
    await waitFor('the note in the folder indexed', () => api.series.index.postTitled(title)?.file === key(`${FOLDER}/note.md`));
    const rename = new vscode.WorkspaceEdit();
    rename.renameFile(note(FOLDER), note(FOLDER_RENAMED));
    assert.ok(await vscode.workspace.applyEdit(rename));
    await waitFor(
      'the note indexed under the new folder',
      () => api.series.index.postTitled(title)?.file === key(`${FOLDER_RENAMED}/note.md`),
    );
    assert.equal(indexedUnder(FOLDER), false);
    // The file watcher's deletion of the old folder arrives on its own time: the note must survive it.
    await sleep(1500);
    assert.equal(api.series.index.postTitled(title)?.file, key(`${FOLDER_RENAMED}/note.md`));
    await removeIfThere(FOLDER_RENAMED);
    await waitFor('the renamed folder’s note gone', () => !indexedUnder(FOLDER_RENAMED));
  });

  test('a note created in a folder files.exclude hides is not indexed', async () => {
    const files = vscode.workspace.getConfiguration('files');
    await files.update('exclude', { [`**/${EXCLUDED}`]: true }, vscode.ConfigurationTarget.Workspace);
    try {
      await api.series.rebuild(); // the one the setting starts may not have begun yet
      // The excluded note first, then one that counts: once that is in, the other's events are through.
      await write(`${EXCLUDED}/hidden.md`, titled('被排除的测试笔记'));
      await write(`${VISIBLE}/shown.md`, titled('未被排除的测试笔记'));
      await waitFor('the visible note indexed', () => api.series.index.has(key(`${VISIBLE}/shown.md`)));
      await sleep(1000);
      assert.equal(api.series.index.has(key(`${EXCLUDED}/hidden.md`)), false, 'an excluded note was indexed');
      assert.equal(api.series.index.postTitled('被排除的测试笔记'), undefined);
      // A change to it later is ignored as well.
      await write(`${EXCLUDED}/hidden.md`, titled('被排除的测试笔记（改）'));
      await sleep(1000);
      assert.equal(api.series.index.has(key(`${EXCLUDED}/hidden.md`)), false, 'an excluded note was indexed on change');
    } finally {
      for (const name of [EXCLUDED, VISIBLE]) await removeIfThere(name);
      await files.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('the test notes gone', () => !indexedUnder(EXCLUDED) && !indexedUnder(VISIBLE));
  });

  test('notes under node_modules (search.exclude by default) are not indexed, by events or a rebuild', async () => {
    try {
      await write(`${VISIBLE}/node_modules/pkg/README.md`, titled('依赖包里的自述文件'));
      await write(`${VISIBLE}/shown.md`, titled('未被排除的测试笔记'));
      await waitFor('the visible note indexed', () => api.series.index.has(key(`${VISIBLE}/shown.md`)));
      await sleep(1000);
      assert.equal(api.series.index.postTitled('依赖包里的自述文件'), undefined, 'a package README was indexed on its event');
      const build = await api.series.rebuild();
      assert.ok(build.files > 0);
      assert.ok(api.series.index.has(key(`${VISIBLE}/shown.md`)), 'the rebuild lists the note');
      assert.equal(api.series.index.postTitled('依赖包里的自述文件'), undefined, 'the rebuild listed a package README');
    } finally {
      await removeIfThere(VISIBLE);
    }
    await waitFor('the test notes gone', () => !indexedUnder(VISIBLE));
  });

  test('a note created while the index is rebuilt stays in it', async function () {
    this.timeout(180_000);
    // A rebuild long enough to write a note in the middle of it: 1 000 notes of 10 000 characters.
    const bulk = join(workspace().fsPath, BULK);
    mkdirSync(bulk, { recursive: true });
    const body = '一段足够长的正文，还有公式 $x^2$，但没有引用。\n\n'.repeat(400);
    for (let i = 0; i < 1000; i++) writeFileSync(join(bulk, `bulk-${i}.md`), `# 批量测试笔记 ${i}\n\n${body}`);
    // In (whatever the watcher makes of the burst); then quiet, so that the index changes next only
    // because of the rebuild.
    await api.series.rebuild();
    assert.equal(api.series.index.files().filter((f) => f.startsWith(`${key(BULK)}/`)).length, 1000);
    let version = -1;
    while (version !== api.series.index.version) {
      version = api.series.index.version;
      await sleep(1000);
    }

    const building = api.series.rebuild();
    let built = false;
    void building.then(() => (built = true));
    // The first results are in, so the build has listed the files: the listing misses the new note.
    while (api.series.index.version === version && !built) await sleep(1);
    const listed = !built;
    writeFileSync(join(workspace().fsPath, DURING_BUILD), titled('重建索引时写下的笔记'));
    // Whether the watcher brought it in before the build ended (the case a cleanup that forgot
    // everything unlisted got wrong).
    let inDuringBuild = false;
    while (!built) {
      inDuringBuild ||= api.series.index.has(key(DURING_BUILD));
      await sleep(10);
    }
    const report = await building;
    console.log(
      `      rebuild: ${report.files} notes in ${report.ms} ms; note written after the listing: ${listed}, indexed before the build ended: ${inDuringBuild}`,
    );
    await waitFor('the note written during the rebuild indexed', () => api.series.index.has(key(DURING_BUILD)));
    await sleep(1000);
    assert.ok(api.series.index.has(key(DURING_BUILD)), 'the note written during the rebuild was dropped');
    assert.equal(api.series.index.postTitled('重建索引时写下的笔记')?.file, key(DURING_BUILD));

    await removeIfThere(DURING_BUILD);
    await removeIfThere(BULK);
    await waitFor('the bulk notes gone', () => !indexedUnder(BULK) && !api.series.index.has(key(DURING_BUILD)), 60_000);
  });

  test('a folder-relative include glob: the watcher brings in a note created under it', async () => {
    const config = vscode.workspace.getConfiguration('mathNotes');
    await config.update('series.include', `${SUB}/**/*.md`, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('the index narrowed to the glob', () => !api.series.index.has(key(EXAMPLE_1)) && !api.series.index.has(key(PART_4)));
      await api.series.ready();
      // No rebuild from here on: only the watcher can bring it in.
      await write(`${SUB}/x.md`, titled('包含规则下的测试笔记'));
      await waitFor('the note under the glob indexed', () => api.series.index.has(key(`${SUB}/x.md`)), 15_000);
      assert.equal(api.series.index.has(key(EXAMPLE_1)), false);
    } finally {
      await config.update('series.include', undefined, vscode.ConfigurationTarget.Workspace);
      await removeIfThere(SUB);
    }
    await waitFor('the workspace’s notes back', () => api.series.index.has(key(EXAMPLE_1)) && api.series.index.has(key(PART_4)));
    await waitFor('the test note gone', () => !indexedUnder(SUB));
  });

  test('links: resolved citations open the cited note at its line; papers and missing parts get none', async () => {
    const doc = await vscode.workspace.openTextDocument(note(PART_4));
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri);
    const at = (text: string) => links.filter((l) => l.range.isEqual(rangeOf(doc, text)));
    const exact = at(`《${TITLE_2}》`);
    assert.equal(exact.length, 1);
    assert.ok(samePath(exact[0].target!, EXAMPLE_2), exact[0].target!.toString());
    assert.equal(exact[0].target!.fragment, `L${titleLineOf(TITLE_2) + 1}`);
    const part = at('(一)');
    assert.equal(part.length, 1);
    assert.ok(samePath(part[0].target!, EXAMPLE_1));
    assert.ok(samePath(at(INEXACT)[0].target!, EXAMPLE_2), 'a renamed series still links');
    for (const none of [UNRESOLVED, PAPER, '(三)']) assert.equal(at(none).length, 0, none);
  });

  test('go to definition on a citation: the cited post', async () => {
    const doc = await vscode.workspace.openTextDocument(note(PART_4));
    const found = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      inside(doc, INEXACT),
    );
    const mine = found.map(targetOf).filter((l) => samePath(l.uri, EXAMPLE_2));
    assert.equal(mine.length, 1, JSON.stringify(found));
    assert.equal(mine[0].range.start.line, titleLineOf(TITLE_2));
    const none = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      inside(doc, PAPER),
    );
    assert.equal(none.map(targetOf).filter((l) => /光滑近似/.test(l.uri.path)).length, 0);
  });

  test('hover: the cited post, why a citation leads nowhere, and who cites a post', async () => {
    const doc = await vscode.workspace.openTextDocument(note(PART_4));
    const cited = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, inside(doc, `《${TITLE_2}》`)),
    );
    assert.ok(cited.includes(`**${TITLE_2}**`), cited);
    assert.match(cited, /2026-11-08/);
    assert.ok(cited.includes(EXAMPLE_2), cited);
    assert.match(cited, /LogSumExp/); // its first sentence
    const missing = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, inside(doc, UNRESOLVED)),
    );
    assert.ok(missing.includes(UNRESOLVED), missing);
    assert.match(missing, /No post among your notes has this title|你的笔记中没有这个标题的文章/);
    const gap = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        inside(doc, '本系列的(三)').translate(0, 4),
      ),
    );
    assert.match(gap, /Part 3 of 光滑近似漫谈 is not among your notes|光滑近似漫谈的第 3 篇不在你的笔记中/);

    const one = await vscode.workspace.openTextDocument(note(EXAMPLE_1));
    const titleLine = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', one.uri, new vscode.Position(1, 3)),
    );
    assert.match(titleLine, /光滑近似漫谈 · (Part 1|第 1 篇)/);
    // Cited by part 2, the listing's part 2, the snippets note and part 4.
    assert.match(titleLine, /Cited by 4 posts|被 4 篇文章引用/);
  });

  test('find all references: every citation of the post, from a citation or from its title line', async () => {
    const doc = await vscode.workspace.openTextDocument(note(PART_4));
    const one = await vscode.workspace.openTextDocument(note(EXAMPLE_1));
    const two = await vscode.workspace.openTextDocument(note(EXAMPLE_2));
    const listing = await vscode.workspace.openTextDocument(note(LISTING));
    const companion = await vscode.workspace.openTextDocument(note(COMPANION));
    const expected = [
      `${companion.uri.path}:${rangeOf(companion, `《${TITLE_1}》`).start.line}:${rangeOf(companion, `《${TITLE_1}》`).start.character}`,
      `${one.uri.path}:${titleLineOf(TITLE_1)}:0`, // the declaration
      `${two.uri.path}:${rangeOf(two, `《${TITLE_1}》`).start.line}:${rangeOf(two, `《${TITLE_1}》`).start.character}`,
      `${listing.uri.path}:${rangeOf(listing, `《${TITLE_1}》`).start.line}:${rangeOf(listing, `《${TITLE_1}》`).start.character}`,
      `${doc.uri.path}:${rangeOf(doc, '(一)').start.line}:${rangeOf(doc, '(一)').start.character}`,
    ].sort();
    const asKeys = (locations: vscode.Location[]) =>
      locations
        .filter((l) => l.uri.path.startsWith(workspace().path))
        .map((l) => `${l.uri.path}:${l.range.start.line}:${l.range.start.character}`)
        .sort();
    const fromTitle = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      one.uri,
      new vscode.Position(1, 3),
    );
    assert.deepEqual(asKeys(fromTitle), expected);
    const fromCitation = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      doc.uri,
      inside(doc, '本系列的(一)').translate(0, 4),
    );
    assert.deepEqual(asKeys(fromCitation), expected);
  });

  test('completion after 《: every title, the citing post’s series first, closing bracket added', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: '# 光滑近似漫谈（五）：草稿\n\n正如《' });
    await vscode.window.showTextDocument(doc);
    const end = doc.lineAt(2).range.end;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, end, '《');
    const titles = new Set(api.series.index.titles());
    const ours = list.items.filter((i) => titles.has(typeof i.label === 'string' ? i.label : i.label.label));
    const labels = ours.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const t of [TITLE_1, TITLE_2, TITLE_4]) assert.ok(labels.includes(t), t);
    const sorted = [...ours].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.deepEqual(
      sorted.slice(0, 3).map((i) => i.label),
      [TITLE_1, TITLE_2, TITLE_4],
    );
    const first = sorted[0];
    assert.equal(first.insertText, `${TITLE_1}》`);
    assert.match(String(first.detail), /光滑近似漫谈 · (Part 1|第 1 篇)/);
    // Before an existing `》`, no second one.
    const closed = await vscode.workspace.openTextDocument({ language: 'markdown', content: '# 草稿\n\n见《》' });
    const inClosed = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      closed.uri,
      new vscode.Position(2, 2),
      '《',
    );
    assert.equal(inClosed.items.find((i) => i.label === TITLE_1)?.insertText, TITLE_1);
  });

  test('diagnostics: a series-looking citation that leads nowhere, an inexact one; never a paper', async () => {
    const doc = await vscode.workspace.openTextDocument(note(PART_4));
    const diagnostics = await waitFor('the series diagnostics', () => {
      const found = seriesDiagnostics(doc.uri);
      return found.length >= 3 && found;
    });
    const at = (text: string) => diagnostics.filter((d) => d.range.isEqual(rangeOf(doc, text)));
    assert.equal(codeOf(at(UNRESOLVED)[0]), 'unresolved-citation');
    assert.equal(at(UNRESOLVED)[0].severity, vscode.DiagnosticSeverity.Information);
    assert.equal(codeOf(at('(三)')[0]), 'unresolved-citation');
    assert.equal(codeOf(at(INEXACT)[0]), 'inexact-citation');
    assert.ok(at(INEXACT)[0].message.includes(TITLE_2));
    assert.equal(at(PAPER).length, 0, 'a paper is not a post');
    assert.equal(at(`《${TITLE_2}》`).length, 0, 'an exact citation is fine');
    assert.equal(diagnostics.length, 3);

    // Turned off: the unresolved ones go, the inexact one stays.
    await vscode.workspace.getConfiguration('mathNotes.series').update('unresolvedCitations', 'off', vscode.ConfigurationTarget.Workspace);
    const quieter = await waitFor('unresolved diagnostics off', () => {
      const found = seriesDiagnostics(doc.uri);
      return found.length === 1 && found;
    });
    assert.equal(codeOf(quieter[0]), 'inexact-citation');
    await vscode.workspace
      .getConfiguration('mathNotes.series')
      .update('unresolvedCitations', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('unresolved diagnostics back', () => seriesDiagnostics(doc.uri).length === 3);
  });

  test('a note citing past the bound shows its most severe citation findings and says how many are not shown', async () => {
    // 1 200 series-looking titles that lead nowhere, each a finding.
    const lines = Array.from({ length: 1200 }, (_, i) => `见《未写系列（${i + 1}）：第${i + 1}篇》。`);
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# 很多引用\n\n${lines.join('\n\n')}\n` });
    const all = await waitFor('the citation findings', () => {
      const found = vscode.languages.getDiagnostics(doc.uri).filter((d) => /citation/.test(String(codeOf(d))));
      return found.length > 1000 && found;
    });
    assert.equal(all.length, 1001);
    const notice = all.filter((d) => codeOf(d) === 'not-shown-citations');
    assert.equal(notice.length, 1);
    assert.match(notice[0].message, /200 more citation problems|另有 200 个引用问题/);
    assert.equal(all.filter((d) => codeOf(d) === 'unresolved-citation').length, 1000);
    // Closed unsaved: its 1 200 citations must not stay in the index (and diagnostics) for the tests after it.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(
      'the untitled note gone: its findings and its posts',
      () => vscode.languages.getDiagnostics(doc.uri).length === 0 && api.series.index.postsOf(doc.uri.toString()).length === 0,
    );
  });

  test('a suppression comment turns a citation finding off where the page reads it, not in a code fence', async () => {
    const editor = await vscode.window.showTextDocument(note(PART_4));
    const doc = editor.document;
    await waitFor('the series diagnostics', () => seriesDiagnostics(doc.uri).length === 3);
    const line = rangeOf(doc, UNRESOLVED).start.line;
    await editor.edit((e) => {
      e.insert(doc.lineAt(line).range.end, ' <!-- mathnotes-disable-line unresolved-citation -->');
      e.insert(doc.lineAt(doc.lineCount - 1).range.end, '\n```\n<!-- mathnotes-disable inexact-citation -->\n```\n');
    });
    const left = await waitFor('the commented line quiet', () => {
      const found = seriesDiagnostics(doc.uri);
      return found.length === 2 && found;
    });
    // The inexact citation stays: the comment that would turn it off is shown in a fence.
    assert.deepEqual(left.map(codeOf).sort(), ['inexact-citation', 'unresolved-citation']);
    assert.ok(left.every((d) => d.range.start.line !== line));
    // As it was (the next test asks for quick fixes of this version's findings).
    await vscode.commands.executeCommand('undo');
    await waitFor('the note as it was, its findings back', () => !doc.isDirty && seriesDiagnostics(doc.uri).length === 3);
  });

  test('quick fix: the exact title in one edit, and undo restores the citation', async () => {
    const editor = await vscode.window.showTextDocument(note(PART_4));
    const doc = editor.document;
    const range = rangeOf(doc, INEXACT);
    await waitFor('the inexact diagnostic', () => seriesDiagnostics(doc.uri).some((d) => codeOf(d) === 'inexact-citation'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.edit && a.title.includes(TITLE_2));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.isPreferred, true);
    assert.equal(fix.edit!.size, 1);
    const original = doc.lineAt(range.start.line).text;
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(doc.lineAt(range.start.line).text, original.replace(INEXACT, `《${TITLE_2}》`));
    await waitFor('the inexact diagnostic gone', () => !seriesDiagnostics(doc.uri).some((d) => codeOf(d) === 'inexact-citation'));
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.lineAt(range.start.line).text, original);
    await waitFor('the inexact diagnostic back', () => seriesDiagnostics(doc.uri).some((d) => codeOf(d) === 'inexact-citation'));
    await vscode.commands.executeCommand('workbench.action.files.save');
  });

  test('next / previous part open the neighbouring notes, skipping the gap', async () => {
    await vscode.window.showTextDocument(note(EXAMPLE_1));
    await vscode.commands.executeCommand('mathNotes.series.nextPart');
    await activeIs(EXAMPLE_2);
    await vscode.commands.executeCommand('mathNotes.series.nextPart');
    await activeIs(PART_4);
    assert.equal(vscode.window.activeTextEditor!.selection.active.line, titleLineOf(TITLE_4));
    // The last part: nowhere to go, the editor stays.
    await vscode.commands.executeCommand('mathNotes.series.nextPart');
    await activeIs(PART_4);
    await vscode.commands.executeCommand('mathNotes.series.previousPart');
    await activeIs(EXAMPLE_2);
    await vscode.commands.executeCommand('mathNotes.series.previousPart');
    await activeIs(EXAMPLE_1);
  });

  test('open series: the picker lists the parts and opens the one picked', async () => {
    const picking = vscode.commands.executeCommand('mathNotes.series.open', '光滑近似漫谈');
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await activeIs(EXAMPLE_2);
    await picking;
  });

  test('openPost opens a note of the index at a line, and nothing else', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('mathNotes.series.openPost', key(LISTING), 6);
    assert.ok(samePath(editor.document.uri, LISTING));
    assert.equal(editor.selection.active.line, 6);
    const refused = await vscode.commands.executeCommand(
      'mathNotes.series.openPost',
      vscode.Uri.joinPath(workspace(), 'nope.md').toString(),
      0,
    );
    assert.equal(refused, undefined);
  });
});
