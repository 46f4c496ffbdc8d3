// Entry point on the web extension host (vscode.dev, the browser's worker): rendering in-process,
// the series index read through workspace.fs, no snippets (no processes). No Node API is
// reachable from here: scripts/build.mjs bundles it for the browser, where one would not resolve.
import * as vscode from 'vscode';
import { localeOf } from '../core/l10n/message';
import { RenderService } from '../core/preview/renderService';
import { InProcessRenderWorker } from '../web/inProcessRenderWorker';
import { activateWith, type MathNotesApi } from './extension';
import { formulaSvgLoader } from './formulaSvgLoader';

export function activate(context: vscode.ExtensionContext): MathNotesApi {
  const started = performance.now();
  const loadFormulaSvg = formulaSvgLoader(context.extensionUri);
  return activateWith(
    context,
    {
      // The web host has no worker threads: the drawer runs here, loaded as the web host loads code.
      renderer: new RenderService(() => new InProcessRenderWorker(loadFormulaSvg), Number.POSITIVE_INFINITY, localeOf(vscode.env.language)),
    },
    started,
  );
}

export function deactivate(): void {}
