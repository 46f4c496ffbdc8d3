// Polls until `probe` gives something truthy (the extension works asynchronously: workers, file
// events, debounces), or fails naming what it waited for.
import * as vscode from 'vscode';

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Closes every editor and preview. In the web workbench a webview closed soon after it opened can
 * keep VS Code's webview service worker busy, and the next preview then waits ~30 s to load (seen
 * here in two runs of three without the pause; never with it). Desktop VS Code gives each webview
 * its own origin and has no such wait.
 */
export async function closeEditorsAndPreviews(api: { observer: { reports(): unknown[] } | undefined }): Promise<void> {
  await new Promise((r) => setTimeout(r, 1500));
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor('previews to close', () => api.observer!.reports().length === 0 || undefined);
}
