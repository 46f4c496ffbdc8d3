// `mathnotes render`: notes → standalone HTML documents, and per-post stats as JSON.
import { readFileSync } from 'node:fs';
import { cliLocale, say, sayError, sayText } from './locale';
import { printDocument, printErr, printJson, printProgress, progressShown, visible } from './terminal';
import { basename, dirname, extname, join, posix, resolve } from 'node:path';
import { RenderCache } from '../core/math/katexRenderer';
import { parseMacroFile } from '../core/math/macroFile';
import { renderNote, type PostReport } from '../core/render/renderNote';
import { retargetNoteLinks } from '../core/render/exportLinks';
import { standaloneDocument, type StandaloneAssets } from '../core/render/standalone';
import { loadStandaloneAssets, sharedAssetFiles, sharedStylesheets } from '../node/assets';
import { readNoteFile } from '../node/readNoteFile';
import { isDirectory, listInputs } from './noteInputs';
import { ASSETS_FOLDER, writeOutputAssets, writeOutputPage } from './outputFiles';
import { usageError } from './usage';

interface Input {
  path: string;
  /** Output name relative to -o DIR. */
  outName: string;
}

export function renderCommand(args: string[]): number {
  const inputs: string[] = [];
  let out: string | undefined;
  let json = false;
  let macroFile: string | undefined;
  let selfContained = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '--out') out = args[++i];
    else if (a === '--json') json = true;
    else if (a === '--self-contained') selfContained = true;
    else if (a === '--macros') macroFile = args[++i];
    else if (a.startsWith('-')) return usageError('render', say("unknown option '{0}'", a));
    else inputs.push(a);
  }
  if (inputs.length === 0) return usageError('render', say('no notes given'));
  if (out === undefined && (args.includes('-o') || args.includes('--out'))) return usageError('render', say('-o needs a path'));

  const listed = listInputs(inputs, 'mathnotes render');
  if (!listed) return 2;
  const files: Input[] = listed.map((n) => ({ path: n.path, outName: n.inFolder !== undefined ? n.inFolder.replace(/\.[^./]+$/, '.html') : basename(n.path, extname(n.path)) + '.html' }));
  const many = files.length > 1 || inputs.some(isDirectory);
  if (many && out === undefined && !json) return fail(say('several notes need -o DIR'));

  let macros: Record<string, string> | undefined;
  if (macroFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(macroFile, 'utf8');
    } catch {
      return fail(say("cannot read the macro file '{0}'", macroFile));
    }
    const parsed = parseMacroFile(text, macroFile);
    for (const p of parsed.problems) printErr(`mathnotes: ${sayText(p)}`);
    macros = parsed.macros;
  }
  const extensionRoot = resolve(__dirname, '..');
  // A folder export: the pages share one copy of the stylesheets and fonts (380 KB inlined in each
  // page otherwise) and their links to each other lead to the pages, not to the notes.
  const folderExport = many && out !== undefined;
  const shared = folderExport && !selfContained;
  if (shared && out !== undefined) {
    try {
      writeOutputAssets(out, sharedAssetFiles(extensionRoot));
    } catch (err) {
      printErr(`mathnotes: ${say("cannot write '{0}': {1}", join(out, ASSETS_FOLDER), sayError(err))}`);
      return 1;
    }
  }
  const assets = (out !== undefined || !json) && !shared ? loadStandaloneAssets(extensionRoot) : undefined;
  const pageOf = new Map(files.map((f) => [resolve(f.path), f.outName]));
  const cache = new RenderCache(undefined, cliLocale());
  const stats: Array<{ file: string; encoding: string; posts: PostReport[] }> = [];
  let failures = 0;
  let errors = 0;
  let formulas = 0;
  const started = Date.now();
  for (const [k, f] of files.entries()) {
    let decoded;
    try {
      decoded = readNoteFile(f.path);
    } catch (err) {
      printErr(`mathnotes: ${say("cannot read '{0}': {1}", f.path, sayError(err))}`);
      failures++;
      continue;
    }
    const rendered = renderNote(decoded.text, f.path, { cache, macros, warnings: decoded.warning ? [decoded.warning] : [] });
    for (const p of rendered.posts) {
      errors += p.errors.length;
      formulas += p.mathSegments;
    }
    stats.push({ file: f.path, encoding: decoded.encoding, posts: rendered.posts });
    if (assets || shared) {
      const title = rendered.posts.find((p) => p.title)?.title ?? basename(f.path);
      const depth = f.outName.split('/').length - 1;
      const pageAssets: StandaloneAssets = shared ? { stylesheets: sharedStylesheets(ASSETS_FOLDER, depth) } : assets!;
      const html = folderExport
        ? retargetNoteLinks(rendered.html, (link) => {
            const page = pageOf.get(resolve(dirname(f.path), link));
            return page === undefined ? undefined : posix.relative(posix.dirname(f.outName), page);
          })
        : rendered.html;
      const doc = standaloneDocument(html, title, pageAssets);
      if (out === undefined) printDocument(doc);
      else {
        // -o naming an existing folder works for one note too.
        const [folder, name] = many || isDirectory(out) ? [out, f.outName] : [dirname(out), basename(out)];
        try {
          writeOutputPage(folder, name, doc);
        } catch (err) {
          printErr(`mathnotes: ${say("cannot write '{0}': {1}", join(folder, name), sayError(err))}`);
          failures++;
        }
      }
    }
    if (many) printProgress(say('rendered {0}/{1}', k + 1, files.length));
  }
  if (json) printJson(stats);
  if (many || out !== undefined) {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    printErr(`${many && progressShown() ? '\n' : ''}mathnotes: ${say('rendered {0} note(s), {1} formulas, {2} KaTeX error(s) in {3} s', files.length - failures, formulas, errors, secs)}${out ? ` → ${visible(out, 'oneLine')}` : ''}`);
  }
  return failures > 0 ? 1 : 0;
}

function fail(message: string): number {
  printErr(`mathnotes render: ${message}`);
  return 2;
}
