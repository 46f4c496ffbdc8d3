// Which files of a workspace folder are notes: the include glob, minus the exclude globs
// (files.exclude and search.exclude) on the file or on any folder above it. One filter serves the
// listing walk (in a worker thread) and the file-system events (on the extension host), so the
// two never disagree. Paths are relative to the workspace folder, `/`-separated.

import picomatch from 'picomatch/posix';

export interface NoteFileRules {
  include: string;
  exclude: string[];
}

export interface NoteFileFilter {
  /** Is this file a note? Checks the file and every folder above it against the excludes. */
  isNote(relativePath: string): boolean;
  /** Is this folder excluded (so a walk does not go into it)? */
  isExcludedFolder(relativePath: string): boolean;
  /** Does the include glob alone cover this file (the walk has checked the folders)? */
  isIncluded(relativePath: string): boolean;
}

type Matcher = (path: string) => boolean;

/** A glob as VS Code reads it (`*` and `**` match dot files too); a broken one matches nothing. */
function compile(glob: string): Matcher {
  try {
    return picomatch(glob.replace(/^\.\//, ''), { dot: true });
  } catch {
    return () => false;
  }
}

export function noteFileFilter(rules: NoteFileRules): NoteFileFilter {
  const include = compile(rules.include);
  const excludes = rules.exclude.map(compile);
  const excluded = (path: string) => excludes.some((m) => m(path));
  return {
    isIncluded: include,
    isExcludedFolder: excluded,
    isNote(path) {
      if (!include(path)) return false;
      for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
        if (excluded(path.slice(0, slash))) return false;
      }
      return !excluded(path);
    },
  };
}

/** The globs a `files.exclude`-style setting turns on (`true`; a `when` clause needs siblings: skipped). */
export function enabledGlobs(setting: Record<string, unknown> | undefined): string[] {
  return Object.entries(setting ?? {})
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
}
