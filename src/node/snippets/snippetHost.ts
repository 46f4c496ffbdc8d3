// Snippet running on a Node host (desktop or remote extension host): child processes in a sandbox.
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import type { SnippetHost } from '../../extension/snippets/snippetRuns';
import { runSnippet } from './snippetRunner';

export function nodeSnippetHost(extensionPath: string): SnippetHost {
  return {
    run: runSnippet,
    sandboxScript: path.join(extensionPath, 'dist', 'jsSandbox.js'),
    escapesThroughLink(notePath, targetPath) {
      try {
        const rel = path.relative(realpathSync(path.dirname(notePath)), realpathSync(targetPath));
        return rel.startsWith('..') || path.isAbsolute(rel);
      } catch {
        return false; // missing: reading it will say so
      }
    },
  };
}
