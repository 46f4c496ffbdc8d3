// Entry point on a Node extension host (desktop, remote, code-server): rendering and indexing in
// worker threads, snippets in sandboxed child processes.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { localeOf } from '../core/l10n/message';
import { RenderService } from '../core/preview/renderService';
import { IndexService } from '../node/indexService';
import { renderWorkerOptions } from '../node/renderWorkerOptions';
import { WORKER_NICENESS } from '../node/threadPriority';
import { nodeSnippetHost } from '../node/snippets/snippetHost';
import { activateWith, type MathNotesApi } from './extension';

export function activate(context: vscode.ExtensionContext): MathNotesApi {
  const started = performance.now();
  const dist = (file: string) => path.join(context.extensionPath, 'dist', file);
  // Both below the host's priority, lint and summaries below the preview's (threadPriority.ts).
  const renderWorker = (niceness: number) => () => new Worker(dist('renderWorker.js'), renderWorkerOptions(niceness));
  return activateWith(
    context,
    {
      renderer: new RenderService(renderWorker(WORKER_NICENESS.preview), undefined, localeOf(vscode.env.language), true),
      background: new RenderService(renderWorker(WORKER_NICENESS.background), undefined, localeOf(vscode.env.language), true),
      indexer: new IndexService(dist('indexWorker.js')),
      snippets: nodeSnippetHost(context.extensionPath),
    },
    started,
  );
}

export function deactivate(): void {}
