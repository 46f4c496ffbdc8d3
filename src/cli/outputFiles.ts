// Where `render -o` writes. The output folder is the user's: named on the command line, created if
// missing, followed if it is a link. Below it the names come from the notes folder and the output
// folder may hold anything (a site checked out from elsewhere), so: no name climbs out, no folder
// or file on the way is a link, and only a page this program wrote (or nothing) is replaced —
// by renaming a new file over it, so a link or hard link put there meanwhile is replaced as an
// entry, never written through.
import { closeSync, lstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeFileSync, constants, type Stats } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MessageError, msg } from '../core/l10n/message';
import { isStandaloneDocument } from '../core/render/standalone';

/** Writes `content` at `relativeName` (`/`-separated) under `outputFolder`, or throws a MessageError saying why not. */
export function writeOutputPage(outputFolder: string, relativeName: string, content: string): void {
  writeOutputFile(outputFolder, relativeName, content, (target) => {
    if (!isStandaloneDocument(fileStart(target)))
      throw new MessageError(msg("'{0}' is not a page mathnotes wrote; remove it to write there", target));
  });
}

/** The folder beside a folder export's pages that holds their shared stylesheets and fonts. */
export const ASSETS_FOLDER = 'mathnotes-assets';
/** Written into the assets folder first: its files may be replaced only where this marker was. */
const ASSETS_MARKER = '.written-by-mathnotes';

/**
 * Writes the shared assets (`/`-separated names below ASSETS_FOLDER → content). Files of an assets
 * folder that holds our marker are replaced; a file already there without it is refused (thrown).
 */
export function writeOutputAssets(outputFolder: string, files: ReadonlyMap<string, string | Uint8Array>): void {
  const ours = lstatOrNothing(join(outputFolder, ASSETS_FOLDER, ASSETS_MARKER))?.isFile() === true;
  const refuseUnlessOurs = (target: string) => {
    if (!ours) throw new MessageError(msg("'{0}' is not a file mathnotes wrote; remove it to write there", target));
  };
  writeOutputFile(
    outputFolder,
    `${ASSETS_FOLDER}/${ASSETS_MARKER}`,
    'Written by mathnotes render: the stylesheets and fonts of the pages beside this folder.\n',
    () => {},
  );
  for (const [name, content] of files) writeOutputFile(outputFolder, `${ASSETS_FOLDER}/${name}`, content, refuseUnlessOurs);
}

/**
 * Writes `content` at `relativeName` under `outputFolder`, through no link and out of no folder;
 * an existing file is replaced only when `mayReplace` (given its path) does not throw.
 */
function writeOutputFile(
  outputFolder: string,
  relativeName: string,
  content: string | Uint8Array,
  mayReplace: (target: string) => void,
): void {
  const parts = relativeName.split(/[\\/]/);
  if (isAbsolute(relativeName) || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new MessageError(msg("the name '{0}' leads out of the output folder", relativeName));
  }
  mkdirSync(outputFolder, { recursive: true });
  let folder = outputFolder;
  for (const part of parts.slice(0, -1)) {
    folder = join(folder, part);
    const st = lstatOrNothing(folder);
    if (st === undefined) mkdirSync(folder);
    else if (st.isSymbolicLink()) throw new MessageError(msg("'{0}' is a symbolic link: the output never goes through one", folder));
    else if (!st.isDirectory()) throw new MessageError(msg("'{0}' is not a folder", folder));
  }
  const target = join(folder, parts[parts.length - 1]);
  const existing = lstatOrNothing(target);
  if (existing !== undefined) {
    if (existing.isSymbolicLink()) throw new MessageError(msg("'{0}' is a symbolic link: the output never goes through one", target));
    if (!existing.isFile()) throw new MessageError(msg("'{0}' is not a file", target));
    mayReplace(target);
  }
  // `wx` is O_CREAT | O_EXCL: it fails on anything already there, a link included.
  const temporary = join(folder, `.mathnotes-${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temporary, content, { flag: 'wx' });
  try {
    renameSync(temporary, target);
  } catch (err) {
    unlinkSync(temporary);
    throw err;
  }
}

function lstatOrNothing(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The first kilobyte of a file; not through a link, never blocking (were it swapped for a FIFO). */
function fileStart(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const buffer = Buffer.alloc(1024);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    closeSync(fd);
  }
}
