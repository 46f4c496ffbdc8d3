// Macros from the settings: `mathNotes.macros` plus the definitions in `mathNotes.macroFile`.
import * as vscode from 'vscode';
import { format, localeOf } from '../core/l10n/message';
import { parseMacroFile } from '../core/math/macroFile';

/**
 * A setting as it applies here: in Restricted Mode only the user's own value (a folder's settings
 * could otherwise redefine `\le` as `\ge`, or plant a macro bomb in every formula). VS Code drops
 * workspace values of the manifest's restricted settings itself; this holds whatever it does.
 */
function trustedSetting<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  if (vscode.workspace.isTrusted) return config.get<T>(key);
  const seen = config.inspect<T>(key);
  return seen?.globalValue ?? seen?.defaultValue;
}

/** `mathNotes.macros` plus the definitions of `mathNotes.macroFile` (workspace-relative). */
export async function configuredMacros(uri: vscode.Uri): Promise<Record<string, string>> {
  const config = vscode.workspace.getConfiguration('mathNotes', uri);
  const macros = { ...(trustedSetting<Record<string, string>>(config, 'macros') ?? {}) };
  const file = trustedSetting<string>(config, 'macroFile');
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (file && folder) {
    const fileUri = vscode.Uri.joinPath(folder.uri, file);
    try {
      const parsed = parseMacroFile(new TextDecoder().decode(await vscode.workspace.fs.readFile(fileUri)), file);
      for (const p of parsed.problems) void vscode.window.showWarningMessage(format(p, localeOf(vscode.env.language)));
      Object.assign(macros, parsed.macros);
    } catch {
      void vscode.window.showWarningMessage(vscode.l10n.t('Cannot read the macro file {0}', file));
    }
  }
  return macros;
}

/**
 * configuredMacros, remembered per workspace folder until the settings or the macro file change,
 * so that a keystroke does not read the macro file again.
 */
export class MacroSettings implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<Record<string, string>>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const clear = () => this.cache.clear();
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mathNotes.macros') || e.affectsConfiguration('mathNotes.macroFile')) clear();
      }),
      // Trust granted: the workspace's own macros apply from now on.
      vscode.workspace.onDidGrantWorkspaceTrust(clear),
      vscode.workspace.onDidSaveTextDocument((d) => {
        const file = vscode.workspace.getConfiguration('mathNotes', d.uri).get<string>('macroFile');
        if (file && d.uri.path.endsWith(file.replace(/^\.?\//, ''))) clear();
      }),
    ];
  }

  get(uri: vscode.Uri): Promise<Record<string, string>> {
    const key = vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() ?? uri.toString();
    let macros = this.cache.get(key);
    if (!macros) this.cache.set(key, (macros = configuredMacros(uri)));
    return macros;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
