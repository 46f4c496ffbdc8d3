/// <reference types="mocha" />
// Equation intelligence in a real extension host (issue #19): hover contents, completion items with
// numbers, definition, references, rename edits and their refusal, document symbols — in a Markdown
// note and in a `.txt` listing whose posts number on their own.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const FOLDER = 'equations-test';
const workspace = () => vscode.workspace.workspaceFolders![0].uri;
const uri = (name: string) => vscode.Uri.joinPath(workspace(), name);
const write = (name: string, text: string) => vscode.workspace.fs.writeFile(uri(name), new TextEncoder().encode(text));

const NOTE = [
  '# 公式',
  '',
  '见式\\eqref{eq:loss}。',
  '',
  '\\begin{equation}L = \\sum_i \\ell_i\\label{eq:grad}\\end{equation}',
  '',
  '\\begin{equation}\\mathcal{L}(\\theta) = -\\log p_\\theta(x)\\label{eq:loss}\\end{equation}',
  '',
  '由$\\eqref{eq:grad}$与$\\eqref{eq:loss}$，未定义\\eqref{eq:nope}。再看\\eqref{',
].join('\n');

/** The example listing, its second post given a label of the first post's name, and a reference to it. */
const listingText = async () =>
  new TextDecoder()
    .decode(await vscode.workspace.fs.readFile(uri('博客列表导出示例.txt')))
    .replace('最近评论', '\\begin{equation}c = 3\\label{eq:lse}\\end{equation}\n见\\eqref{eq:lse}。\n最近评论');

/** A position just inside the `nth` occurrence of `needle` (plus `shift` characters). */
function positionOf(doc: vscode.TextDocument, needle: string, shift = 0, nth = 0): vscode.Position {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = doc.getText().indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} not found`);
  return doc.positionAt(i + shift);
}
const hoverText = (hovers: vscode.Hover[]) =>
  hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n---\n');
const labelOf = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);

/** The SVG of the first `![](data:image/svg+xml;base64,…)` image of a hover's Markdown. */
function drawnSvg(markdown: string): string {
  const m = /!\[\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=%]+)(?:\|width=\d+,height=\d+)?\)/.exec(markdown);
  assert.ok(m, `an SVG image in ${markdown.slice(0, 200)}`);
  return new TextDecoder().decode(Uint8Array.from(atob(decodeURIComponent(m[1])), (c) => c.charCodeAt(0)));
}

suite('equations in the editor', function () {
  this.timeout(60_000);
  let doc: vscode.TextDocument;

  suiteSetup(async () => {
    await vscode.extensions.getExtension('mathnotes.math-notes')!.activate();
    await write(`${FOLDER}/损失.md`, NOTE);
    await write(`${FOLDER}/列表.txt`, await listingText());
    doc = await vscode.workspace.openTextDocument(uri(`${FOLDER}/损失.md`));
    await vscode.window.showTextDocument(doc);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uri(FOLDER), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  test('hover on a formula: drawn (MathJax SVG, its number in it) and its number', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      positionOf(doc, '\\mathcal{L}', 3),
    );
    const text = hoverText(hovers);
    const svg = drawnSvg(text);
    assert.match(svg, /<path /, 'glyphs drawn');
    assert.match(svg, /TEX-N-32"/, 'the equation number 2 is in the drawing');
    assert.doesNotMatch(text, /```latex/, 'the picture, not the TeX');
    assert.match(text, /(Equation|公式) \(2\) · `eq:loss`/);
  });

  test('hover on \\eqref: the equation it leads to, its number and line; undefined: the lint message', async () => {
    const text = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '\\eqref{eq:loss}', 3)),
    );
    assert.match(drawnSvg(text), /<path /);
    assert.match(text, /`\\eqref\{eq:loss\}` → \(2\), (line|第) 7/);
    const undef = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'eq:nope', 1)),
    );
    assert.match(undef, /\\label\{eq:nope\}/);
    assert.match(undef, /\(\?\?\)/);
  });

  test('completion after \\eqref{: the labels with their numbers, nearest first', async () => {
    const end = doc.positionAt(doc.getText().length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, end, '{');
    const ours = list.items.filter((i) => typeof i.label !== 'string' && /^\(\d+\)$/.test(i.label.description ?? ''));
    assert.deepEqual(
      ours.map((i) => [labelOf(i), (i.label as vscode.CompletionItemLabel).description]),
      [
        ['eq:loss', '(2)'],
        ['eq:grad', '(1)'],
      ],
    );
    const [first] = ours;
    assert.match((first.documentation as vscode.MarkdownString).value, /\\mathcal\{L\}/);
  });

  test('Go to Definition from \\eqref lands on its \\label', async () => {
    const links = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      positionOf(doc, 'eq:grad}$', 2),
    );
    const ours = links
      .map((l) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange ?? l.targetRange } : l))
      .filter((l) => l.uri.toString() === doc.uri.toString());
    assert.equal(ours.length, 1);
    assert.equal(doc.getText(ours[0].range), 'eq:grad');
    assert.equal(ours[0].range.start.line, 4);
  });

  test('Find All References of a label: the label and each reference', async () => {
    const locations = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      doc.uri,
      positionOf(doc, 'eq:loss}\\end', 1),
    );
    const lines = locations.filter((l) => doc.getText(l.range) === 'eq:loss').map((l) => l.range.start.line);
    assert.deepEqual(lines, [2, 6, 8]);
  });

  test('rename a label: the label and every reference in one edit; a used name is refused', async () => {
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      doc.uri,
      positionOf(doc, 'eq:loss}。', 1),
      'eq:nll',
    );
    const edits = edit.get(doc.uri);
    assert.equal(edits.length, 3);
    for (const e of edits) {
      assert.equal(doc.getText(e.range), 'eq:loss');
      assert.equal(e.newText, 'eq:nll');
    }
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', doc.uri, positionOf(doc, 'eq:loss}。', 1), 'eq:grad'),
      ),
    );
  });

  test('document symbols: the numbered equations as (n) label', async () => {
    const symbols = await vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation>>(
      'vscode.executeDocumentSymbolProvider',
      doc.uri,
    );
    const names = flatten(symbols).filter((n) => n.startsWith('('));
    assert.deepEqual(names, ['(1) eq:grad', '(2) eq:loss']);
    // Placed where they are, also with CRLF line breaks (the ranges come from the analysis' lines).
    await write(`${FOLDER}/crlf.md`, '\r\n\r\n' + NOTE.replace(/\n/g, '\r\n'));
    const crlf = await vscode.workspace.openTextDocument(uri(`${FOLDER}/crlf.md`));
    for (const d of [doc, crlf]) {
      const found = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', d.uri)).filter(
        (n) => n.name.startsWith('('),
      );
      assert.deepEqual(
        found.map((n) => [
          d.getText(n.selectionRange),
          d.getText(n.range).endsWith(`\\label{${d.getText(n.selectionRange)}}\\end{equation}`),
        ]),
        [
          ['eq:grad', true],
          ['eq:loss', true],
        ],
      );
    }
  });

  test('a .txt listing: each post numbers and resolves its own labels', async () => {
    const listing = await vscode.workspace.openTextDocument(uri(`${FOLDER}/列表.txt`));
    const symbols = await vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation>>(
      'vscode.executeDocumentSymbolProvider',
      listing.uri,
    );
    assert.deepEqual(
      flatten(symbols).filter((n) => n.startsWith('(')),
      ['(1) eq:lse', '(1) eq:s', '(2)', '(3) eq:lse'],
    );
    const links = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider',
      listing.uri,
      positionOf(listing, 'eq:lse}。', 1, 1),
    );
    const target = links.map((l) => ('targetUri' in l ? (l.targetSelectionRange ?? l.targetRange) : l.range))[0];
    assert.equal(
      listing.lineAt(target.start.line).text,
      '\\begin{equation}c = 3\\label{eq:lse}\\end{equation}',
      'the second post’s own eq:lse',
    );
  });
});

function flatten(symbols: Array<vscode.DocumentSymbol | vscode.SymbolInformation>): string[] {
  return symbols.flatMap((s) => [s.name, ...('children' in s ? flatten(s.children) : [])]);
}
