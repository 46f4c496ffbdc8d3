// The webview's page: a strict Content-Security-Policy (scripts only by nonce, nothing remote —
// https images only when mathNotes.preview.allowRemoteImages is on in a trusted workspace), KaTeX's
// CSS and our own from media/, and the preview script.
import * as vscode from 'vscode';
import { previewSetting } from './previewSettings';

/** Remote (https) images: only when the setting is on and the workspace is trusted (a note from the web could track its reader). */
export function allowRemoteImages(resource: vscode.Uri): boolean {
  return vscode.workspace.isTrusted && previewSetting(resource, 'allowRemoteImages');
}

export function previewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, remoteImages = false): string {
  // Web Crypto: the same on the desktop and in the browser's extension host.
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const media = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...p)).toString();
  // KaTeX positions glyphs with style attributes: those are allowed; <style> elements only by nonce.
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:${remoteImages ? ' https:' : ''}`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `style-src-elem ${webview.cspSource} 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "form-action 'none'",
    "base-uri 'self' " + webview.cspSource,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<base href="${media()}/">
<link rel="stylesheet" href="${media('katex', 'katex.min.css')}">
<link rel="stylesheet" href="${media('preview.css')}">
<link rel="stylesheet" href="${media('webview.css')}">
</head>
<body class="mn-preview">
<div id="mn-status" class="mn-status" role="status" aria-live="polite" hidden></div>
<main class="mn-note" id="mn-root"></main>
<script nonce="${nonce}" src="${media('dist', 'preview.js')}"></script>
</body>
</html>`;
}
