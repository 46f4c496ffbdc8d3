// What a click on a link in the preview does. The webview never navigates: web links go to the
// browser through openExternal, links to files open them in VS Code, and nothing outside the
// workspace (or the note's own folder, for a note outside any workspace) is opened.
import * as vscode from 'vscode';

export type LinkTarget =
  { kind: 'external'; uri: vscode.Uri } | { kind: 'file'; uri: vscode.Uri; fragment: string } | { kind: 'refused'; reason: string };

export function resolveLink(href: string, note: vscode.Uri): LinkTarget {
  const trimmed = href.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1].toLowerCase();
  if (scheme === 'http' || scheme === 'https' || scheme === 'mailto') {
    try {
      return { kind: 'external', uri: vscode.Uri.parse(trimmed, true) };
    } catch {
      return { kind: 'refused', reason: vscode.l10n.t('Not a valid link: {0}', trimmed) };
    }
  }
  if (scheme) return { kind: 'refused', reason: vscode.l10n.t('Links of type {0}: are not opened.', scheme) };
  const hash = trimmed.indexOf('#');
  const pathPart = decodeSafely(hash >= 0 ? trimmed.slice(0, hash) : trimmed);
  const fragment = hash >= 0 ? decodeSafely(trimmed.slice(hash + 1)) : '';
  // A backslash is a folder step on Windows that joinPath does not see: never a note link.
  if (!pathPart || pathPart.includes('\\')) return { kind: 'refused', reason: vscode.l10n.t('Not a valid link: {0}', trimmed) };
  const base = pathPart.startsWith('/') ? rootOf(note) : vscode.Uri.joinPath(note, '..');
  const uri = vscode.Uri.joinPath(base, pathPart);
  if (!isInside(uri, allowedRoots(note)))
    return { kind: 'refused', reason: vscode.l10n.t('{0} is outside the workspace: not opened.', pathPart) };
  return { kind: 'file', uri, fragment };
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function rootOf(note: vscode.Uri): vscode.Uri {
  return vscode.workspace.getWorkspaceFolder(note)?.uri ?? vscode.Uri.joinPath(note, '..');
}

function allowedRoots(note: vscode.Uri): vscode.Uri[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri);
  return vscode.workspace.getWorkspaceFolder(note) ? folders : [...folders, vscode.Uri.joinPath(note, '..')];
}

function isInside(uri: vscode.Uri, roots: readonly vscode.Uri[]): boolean {
  // joinPath normalises `..`, so a path that climbs out no longer starts with the root.
  return roots.some(
    (r) =>
      r.scheme === uri.scheme &&
      r.authority === uri.authority &&
      (uri.path === r.path || uri.path.startsWith(r.path.replace(/\/$/, '') + '/')),
  );
}
