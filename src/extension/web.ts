// Entry point on the web extension host (vscode.dev, the browser's worker): rendering in-process,
// the series index read through workspace.fs, no snippets (no processes), export assets fetched
// from the extension's own files. No Node API is reachable from here (scripts/build.mjs checks).
import * as vscode from 'vscode';
import { localeOf } from '../core/l10n/message';
import { RenderService } from '../core/preview/renderService';
import { inlineKatexFonts, katexFontNames, type StandaloneAssets } from '../core/render/standalone';
import { InProcessRenderWorker } from '../web/inProcessRenderWorker';
import { activateWith, type MathNotesApi } from './extension';

export function activate(context: vscode.ExtensionContext): MathNotesApi {
  const started = performance.now();
  let assets: Promise<StandaloneAssets> | undefined;
  return activateWith(
    context,
    {
      renderer: new RenderService(() => new InProcessRenderWorker(), undefined, localeOf(vscode.env.language)),
      exportAssets: () => (assets ??= loadExportAssets(context.extensionUri)),
    },
    started,
  );
}

export function deactivate(): void {}

async function loadExportAssets(extensionUri: vscode.Uri): Promise<StandaloneAssets> {
  const read = (...path: string[]) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'media', ...path));
  const text = async (...path: string[]) => new TextDecoder().decode(await read(...path));
  const css = await text('katex', 'katex.min.css');
  const fonts = new Map(await Promise.all(katexFontNames(css).map(async (font) => [font, base64(await read('katex', 'fonts', `${font}.woff2`))] as const)));
  return { katexCss: inlineKatexFonts(css, fonts), noteCss: await text('preview.css') };
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
