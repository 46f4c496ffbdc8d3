// Snippet running on a Node host (desktop or remote extension host): child processes in a sandbox.
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { runSnippet } from './snippetRunner';

/** What running snippets needs from the host: processes (desktop, remote). The web extension host has none. */
export interface SnippetHost {
  run: typeof runSnippet;
  /** The JavaScript sandbox's script (dist/jsSandbox.js). */
  sandboxScript: string;
  /** A link inside the note's folder that leads out of it (`snippets/x.py -> /etc/passwd`). */
  escapesThroughLink(notePath: string, targetPath: string): boolean;
}

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
