// The formula drawer for hovers (src/core/math/formulaSvg.ts, MathJax's SVG output), loaded on first
// use: MathJax is ~1.8 MB of script, which activation must not pay (scripts/bench/activation.mjs).
// dist/formulaSvg.js is read through workspace.fs and run as the web host runs extension code, so
// the desktop (Node) and web (worker) hosts load it the same way.
import * as vscode from 'vscode';
import type * as FormulaSvgModule from '../core/math/formulaSvg';
import { runCommonJsBundle } from '../core/commonJsBundle';

export type FormulaSvgApi = typeof FormulaSvgModule;

/** A loader that reads the bundle once; a failed read is tried again on the next call. */
export function formulaSvgLoader(extensionUri: vscode.Uri): () => Promise<FormulaSvgApi> {
  let loading: Promise<FormulaSvgApi> | undefined;
  return () =>
    (loading ??= (async () => {
      const uri = vscode.Uri.joinPath(extensionUri, 'dist', 'formulaSvg.js');
      const source = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      return runCommonJsBundle<FormulaSvgApi>(source, uri.toString(true));
    })().catch((err: unknown) => {
      loading = undefined;
      throw err;
    }));
}

/**
 * The colour a formula image is drawn in, per theme kind: the themes' default editor foreground
 * (an extension cannot read a theme's colour values, and an image cannot inherit them).
 */
export function formulaColor(kind: vscode.ColorThemeKind): string {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return '#3b3b3b';
    case vscode.ColorThemeKind.HighContrast:
      return '#ffffff';
    case vscode.ColorThemeKind.HighContrastLight:
      return '#000000';
    default:
      return '#cccccc';
  }
}
