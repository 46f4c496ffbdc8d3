// First use: the Getting Started walkthrough's actions. The example notes ship in the extension;
// "Open the example notes" copies them into the extension's own storage (never into the user's
// folders) and opens that copy as a folder, so the series view, links and snippets have a workspace.
import * as vscode from 'vscode';
import { LINT_SOURCE } from './lint/lintFeatures';

export const WALKTHROUGH_ID = 'mathnotes.math-notes#mathNotes.gettingStarted';

/** examples/ as shipped (listed: on the web an extension's folder cannot be read as a directory). */
export const EXAMPLE_FILES = [
  '光滑近似漫谈（一）：从最大值到Softmax.md',
  '光滑近似漫谈（二）：Top-k的光滑近似.md',
  '光滑近似的数值验证.md',
  '博客列表导出示例.txt',
  'snippets/softmax_jacobian.py',
];
/** Marks the copy as our examples folder: its `workspaceContains` activation opens the first note. */
export const EXAMPLES_MARKER = '.mathnotes-examples';
/**
 * The copy's workspace settings. VS Code's start-up editor (the Welcome page, on a user's first day
 * VS Code's own walkthrough) would take the new window's first tab before our note opens; the
 * marker and this file are bookkeeping, kept out of the Explorer.
 */
export const EXAMPLES_SETTINGS_FILE = '.vscode/settings.json';
export const EXAMPLES_SETTINGS = {
  'workbench.startupEditor': 'none',
  'files.exclude': { [EXAMPLES_MARKER]: true, '.vscode': true },
};
/** Files written with the copy, not copied from the extension. */
const WRITTEN_FILES: Record<string, string> = {
  [EXAMPLES_MARKER]: 'Math Notes examples\n',
  [EXAMPLES_SETTINGS_FILE]: JSON.stringify(EXAMPLES_SETTINGS, null, 2) + '\n',
};
export const MAIN_EXAMPLE = '光滑近似漫谈（二）：Top-k的光滑近似.md';
export const SNIPPET_EXAMPLE = '光滑近似的数值验证.md';
const PENDING_KEY = 'mathNotes.examplesJustOpened';
const GREETED_KEY = 'mathNotes.greeted';

/** A practice note with typical mistakes, opened untitled (nothing on disk) for the lint step. */
function practiceNote(): string {
  return [
    `# ${vscode.l10n.t('Checking formulas')}`,
    '',
    vscode.l10n.t(
      'This untitled note is for practice. Hover a squiggle to read the problem; press Ctrl+. (Cmd+. on macOS) for its quick fixes.',
    ),
    '',
    '$$\\sigam(x) = \\frac{1}{1+e^{-x}}\\label{eq:sigmoid}$$',
    '',
    '其中$x，y$是实数，由$\\eqref{eq:sigmoid}$可知……',
    '',
  ].join('\n');
}

export function examplesFolder(context: vscode.ExtensionContext): vscode.Uri {
  return vscode.Uri.joinPath(context.globalStorageUri, 'examples');
}

function openExamplesFolder(context: vscode.ExtensionContext): vscode.WorkspaceFolder | undefined {
  const target = examplesFolder(context).toString();
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === target);
}

/** Copies the shipped examples into storage; files already there (perhaps edited) are kept, and a copy made by an older version gets the files it lacks. */
export async function copyExamples(context: vscode.ExtensionContext): Promise<vscode.Uri> {
  const folder = examplesFolder(context);
  for (const name of [...EXAMPLE_FILES, ...Object.keys(WRITTEN_FILES)]) {
    const target = vscode.Uri.joinPath(folder, name);
    try {
      await vscode.workspace.fs.stat(target);
      continue;
    } catch {
      // not there yet
    }
    const written = WRITTEN_FILES[name];
    const bytes =
      written !== undefined
        ? new TextEncoder().encode(written)
        : await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'examples', name));
    await vscode.workspace.fs.writeFile(target, bytes);
  }
  return folder;
}

/** The first lint problem in a document (by position), once lint has reported it (undefined after `timeoutMs`). */
function firstLintProblem(uri: vscode.Uri, timeoutMs: number): Promise<vscode.Diagnostic | undefined> {
  const found = () =>
    vscode.languages
      .getDiagnostics(uri)
      .filter((d) => d.source === LINT_SOURCE)
      .sort((a, b) => a.range.start.compareTo(b.range.start))[0];
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve(found());
    };
    const timer = setTimeout(done, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && found()) done();
    });
    if (found()) done();
  });
}

async function showExample(context: vscode.ExtensionContext, name: string): Promise<vscode.TextEditor | undefined> {
  const folder = openExamplesFolder(context);
  if (!folder) return undefined;
  return vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, name), { viewColumn: vscode.ViewColumn.One });
}

/** Registers the walkthrough's commands; says whether this activation greeted with the walkthrough. */
export function registerWalkthrough(context: vscode.ExtensionContext): { greeted: boolean } {
  const openExamples = async (): Promise<boolean> => {
    if (openExamplesFolder(context)) return true;
    if (examplesFolder(context).scheme !== 'file') {
      // In the browser (vscode.dev) the extension's storage is not a folder a window can open: the
      // main example opens as an untitled note instead (preview and lint work; series need a folder).
      const text = new TextDecoder().decode(
        await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'examples', MAIN_EXAMPLE)),
      );
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: text }), {
        viewColumn: vscode.ViewColumn.One,
      });
      return true;
    }
    const folder = await copyExamples(context);
    const inWorkspace = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
    if (inWorkspace) {
      const open = vscode.l10n.t('Open in New Window');
      const answer = await vscode.window.showInformationMessage(
        vscode.l10n.t('The example notes open as a folder of their own.'),
        { modal: true },
        open,
      );
      if (answer !== open) return false;
    }
    await context.globalState.update(PENDING_KEY, folder.toString());
    await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: inWorkspace });
    return false;
  };
  /** The note a step acts on: the examples' note when they are open, else the user's own active note. */
  const noteForStep = async (example: string): Promise<boolean> => {
    if (await showExample(context, example)) return true;
    const editor = vscode.window.activeTextEditor;
    if (editor && (editor.document.languageId === 'markdown' || editor.document.uri.path.endsWith('.txt'))) return true;
    return openExamples();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('mathNotes.walkthrough.openExamples', async () => {
      if ((await openExamples()) && openExamplesFolder(context)) await showExample(context, MAIN_EXAMPLE);
    }),
    vscode.commands.registerCommand('mathNotes.walkthrough.openPreview', async () => {
      if (await noteForStep(MAIN_EXAMPLE)) await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
    }),
    // Only the examples' snippets: a link that says "the example's" never runs the user's own code.
    vscode.commands.registerCommand('mathNotes.walkthrough.runSnippets', async () => {
      if ((await showExample(context, SNIPPET_EXAMPLE)) || (await openExamples()))
        await vscode.commands.executeCommand('mathNotes.snippets.runAll');
    }),
    vscode.commands.registerCommand('mathNotes.walkthrough.tryLintFix', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: practiceNote() });
      const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
      // Put the cursor on the first problem once lint has run, and offer its fixes.
      const first = await firstLintProblem(doc.uri, 5000);
      if (!first || vscode.window.activeTextEditor !== editor) return;
      editor.selection = new vscode.Selection(first.range.start, first.range.start);
      editor.revealRange(first.range);
      await vscode.commands.executeCommand('editor.action.quickFix');
    }),
  );

  // First activation after install (a note opened, or a command): the walkthrough, beside the note and
  // without taking focus. VS Code itself no longer opens an installed extension's walkthrough.
  // Not for development and test runs (the tests' workbench layout stays as they set it).
  const greeted = !context.globalState.get(GREETED_KEY) && context.extensionMode === vscode.ExtensionMode.Production;
  if (greeted) {
    void context.globalState.update(GREETED_KEY, true);
    void vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, { toSide: true, inactive: true });
  }

  // The window the examples were just opened in: show the first note, its preview, and the walkthrough.
  const pending = context.globalState.get<string>(PENDING_KEY);
  const here = openExamplesFolder(context);
  if (pending && here && pending === here.uri.toString()) {
    void context.globalState.update(PENDING_KEY, undefined);
    void (async () => {
      // VS Code's start-up editor (its Welcome page) may be here first: in a remote window (code-server,
      // SSH, WSL) the folder's settings that turn it off load after it has looked. Nothing else can
      // be open yet in this new window, so its editors that the API cannot name (the Welcome page,
      // or our walkthrough restored by VS Code) make way; ours opens again beside the preview.
      const startup = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input === undefined);
      if (startup.length) await vscode.window.tabGroups.close(startup, true);
      await showExample(context, MAIN_EXAMPLE);
      await vscode.commands.executeCommand('mathNotes.showPreviewToSide');
      // Behind the preview, in its group: the reader sees the preview, the walkthrough is a tab away.
      await vscode.commands.executeCommand(
        'workbench.action.openWalkthrough',
        { category: WALKTHROUGH_ID, step: 'series' },
        { toSide: true, inactive: true },
      );
    })();
  }
  return { greeted };
}
