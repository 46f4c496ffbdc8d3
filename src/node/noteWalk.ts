// The one walk of a notes folder, for every CLI command and the index worker. Linked folders are
// followed (as VS Code's search follows them) but each real folder (device + inode) is entered
// once, so `a -> .` ends instead of recursing until ELOOP; only regular files are listed (a FIFO
// named `x.md` would block the reader forever); a broken link or an unreadable entry is skipped
// and reported, never thrown.

import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

export interface WalkRules {
  /** Go into this folder? (`/`-separated, relative to the root) */
  enterFolder(relativePath: string): boolean;
  /** Is this regular file a note? */
  isNote(relativePath: string): boolean;
}

export type SkippedEntry =
  /** A link back to a folder above it. */
  | { path: string; reason: 'loop' }
  /** A second way into a folder already walked (at `firstPath`). */
  | { path: string; reason: 'repeat'; firstPath: string }
  /** A link whose target does not exist. */
  | { path: string; reason: 'broken-link' }
  /** Cannot be listed or examined (permissions, a link to itself, gone meanwhile). */
  | { path: string; reason: 'unreadable'; error: unknown };

/** The notes under `root`, in name order (folders depth first); `onSkip` hears what was left out. */
export function walkNotes(root: string, rules: WalkRules, onSkip: (skipped: SkippedEntry) => void = () => {}): string[] {
  const notes: string[] = [];
  const walked = new Map<string, string>(); // folder identity → the path it was first walked at
  const above = new Set<string>(); // identities of the folders being walked (the current chain)
  const walk = (dir: string, relative: string) => {
    let id: string;
    try {
      const st = statSync(dir, { bigint: true });
      id = `${st.dev}:${st.ino}`;
    } catch (error) {
      onSkip({ path: dir, reason: 'unreadable', error });
      return;
    }
    if (above.has(id)) return onSkip({ path: dir, reason: 'loop' });
    const first = walked.get(id);
    if (first !== undefined) return onSkip({ path: dir, reason: 'repeat', firstPath: first });
    walked.set(id, dir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      onSkip({ path: dir, reason: 'unreadable', error });
      return;
    }
    above.add(id);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, e.name);
      const rel = relative ? `${relative}/${e.name}` : e.name;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        if (!rules.enterFolder(rel) && !rules.isNote(rel)) continue; // not ours by name: not even looked at
        try {
          const target = statSync(path);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') onSkip({ path, reason: 'broken-link' });
          else onSkip({ path, reason: 'unreadable', error }); // ELOOP (`a -> a`), EACCES …
          continue;
        }
      }
      if (isDir) {
        if (rules.enterFolder(rel)) walk(path, rel);
      } else if (isFile && rules.isNote(rel)) notes.push(path);
    }
    above.delete(id);
  };
  walk(root, '');
  return notes;
}
