// The stylesheets an exported note inlines (KaTeX's with its woff2 fonts, and ours), read from the
// extension's own media/ through workspace.fs: the same on the desktop and on the web.
import * as vscode from 'vscode';
import { inlineKatexFonts, katexFontNames, type StandaloneAssets } from '../core/render/standalone';

let loading: Promise<StandaloneAssets> | undefined;

export function exportAssets(extensionUri: vscode.Uri): Promise<StandaloneAssets> {
  loading ??= load(extensionUri).catch((err: unknown) => {
    loading = undefined; // the next export tries again
    throw err;
  });
  return loading;
}

async function load(extensionUri: vscode.Uri): Promise<StandaloneAssets> {
  const read = (...path: string[]) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'media', ...path));
  const text = async (...path: string[]) => new TextDecoder().decode(await read(...path));
  const css = await text('katex', 'katex.min.css');
  const fonts = new Map(
    await Promise.all(katexFontNames(css).map(async (font) => [font, base64(await read('katex', 'fonts', `${font}.woff2`))] as const)),
  );
  return { katexCss: inlineKatexFonts(css, fonts), noteCss: await text('preview.css') };
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
