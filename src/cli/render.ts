// `mathnotes render`: notes → standalone HTML documents, and per-post stats as JSON.
import { readFileSync } from 'node:fs';
import { say, sayError, sayText } from './locale';
import { printDocument, printErr, printJson, printProgress, progressShown, visible } from './terminal';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseMacroFile } from '../core/math/macroFile';
import type { PostReport } from '../core/render/renderNote';
import { sharedAssetFiles } from '../node/assets';
import type { PageInput, PageResult, PageSettings } from './renderPage';
import { jobsOption, runJobs, threadsFor } from './workerPool';
import { isDirectory, listInputs } from './noteInputs';
import { ASSETS_FOLDER, writeOutputAssets, writeOutputPage } from './outputFiles';
import { usageError } from './usage';

export async function renderCommand(args: string[]): Promise<number> {
  const inputs: string[] = [];
  let out: string | undefined;
  let json = false;
  let macroFile: string | undefined;
  let selfContained = false;
  let jobs: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '--out') out = args[++i];
    else if (a === '--json') json = true;
    else if (a === '--self-contained') selfContained = true;
    else if (a === '--macros') macroFile = args[++i];
    else if (a === '-j' || a === '--jobs' || /^(?:-j|--jobs=)\d+$/.test(a)) {
      const n = jobsOption(a, args[i + 1]);
      if (n === undefined) return usageError('render', say('-j needs a number of threads, 1 or more'));
      if (!/\d$/.test(a)) i++;
      jobs = n;
    } else if (a.startsWith('-')) return usageError('render', say("unknown option '{0}'", a));
    else inputs.push(a);
  }
  if (inputs.length === 0) return usageError('render', say('no notes given'));
  if (out === undefined && (args.includes('-o') || args.includes('--out'))) return usageError('render', say('-o needs a path'));

  const listed = listInputs(inputs, 'mathnotes render');
  if (!listed) return 2;
  const files: PageInput[] = listed.map((n) => ({
    path: n.path,
    outName: n.inFolder !== undefined ? n.inFolder.replace(/\.[^./]+$/, '.html') : basename(n.path, extname(n.path)) + '.html',
  }));
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
  const settings: PageSettings = {
    macros,
    documents: out !== undefined || !json,
    sharedAssets: shared,
    pages: folderExport ? files.map((f) => [resolve(f.path), f.outName]) : undefined,
    extensionRoot,
    outFolder: folderExport ? out : undefined,
  };
  const stats: Array<{ file: string; encoding: string; posts: PostReport[] } | undefined> = [];
  let failures = 0;
  let errors = 0;
  let formulas = 0;
  let finished = 0;
  const started = Date.now();
  const take = (k: number, result: PageResult): void => {
    const f = files[k];
    finished++;
    if (!result.ok) {
      printErr(`mathnotes: ${result.message}`);
      failures++;
    } else {
      errors += result.errors;
      formulas += result.formulas;
      stats[k] = { file: f.path, encoding: result.encoding, posts: result.posts };
      if (result.writeError !== undefined) {
        printErr(`mathnotes: ${result.writeError}`);
        failures++;
      } else if (result.document !== undefined) {
        if (out === undefined) printDocument(result.document);
        else {
          // -o naming an existing folder works for one note too.
          const [folder, name] = many || isDirectory(out) ? [out, f.outName] : [dirname(out), basename(out)];
          try {
            writeOutputPage(folder, name, result.document);
          } catch (err) {
            printErr(`mathnotes: ${say("cannot write '{0}': {1}", join(folder, name), sayError(err))}`);
            failures++;
          }
        }
      }
    }
    if (many) printProgress(say('rendered {0}/{1}', finished, files.length));
  };
  try {
    await runJobs('render', settings, files, threadsFor(files.length, jobs), take);
  } catch (err) {
    const index = (err as { index?: number }).index;
    printErr(
      `mathnotes: ${index !== undefined && files[index] ? say("cannot render '{0}': {1}", files[index].path, sayError(err)) : sayError(err)}`,
    );
    return 1;
  }
  if (json) printJson(stats.filter((s) => s !== undefined));
  if (many || out !== undefined) {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    printErr(
      `${many && progressShown() ? '\n' : ''}mathnotes: ${say('rendered {0} note(s), {1} formulas, {2} KaTeX error(s) in {3} s', files.length - failures, formulas, errors, secs)}${out ? ` → ${visible(out, 'oneLine')}` : ''}`,
    );
  }
  return failures > 0 ? 1 : 0;
}

function fail(message: string): number {
  printErr(`mathnotes render: ${message}`);
  return 2;
}
