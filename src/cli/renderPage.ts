// One note of `mathnotes render`: read, rendered, made a document. The same function runs in the
// main thread or in a worker (`-j N`), so the pages are the same whichever ran them.
import { basename, dirname, join, posix, resolve } from 'node:path';
import { RenderCache } from '../core/math/katexRenderer';
import { renderNote, type PostReport } from '../core/render/renderNote';
import { retargetNoteLinks } from '../core/render/exportLinks';
import { standaloneDocument, type StandaloneAssets } from '../core/render/standalone';
import { loadStandaloneAssets, sharedStylesheets } from '../node/assets';
import { readNoteFile } from '../node/readNoteFile';
import { cliLocale, say, sayError } from './locale';
import { ASSETS_FOLDER, writeOutputPage } from './outputFiles';

export interface PageInput {
  path: string;
  /** Output name relative to -o DIR. */
  outName: string;
}

/** What every page of one run shares; plain data, so a worker gets it as it is. */
export interface PageSettings {
  macros?: Record<string, string>;
  /** Make the HTML document (else only the stats, for --json alone). */
  documents: boolean;
  /** The pages link to DIR/mathnotes-assets/ instead of inlining the stylesheets and fonts. */
  sharedAssets: boolean;
  /** Links between the notes of the run lead to their pages: [absolute note path, page name]. */
  pages?: Array<[string, string]>;
  extensionRoot: string;
  /**
   * A folder export's folder: each page is written by the thread that made it, so that its HTML
   * (twice the note, and more) is not copied back to the main thread to be written there.
   */
  outFolder?: string;
}

export type PageResult =
  | {
      ok: true;
      encoding: string;
      posts: PostReport[];
      formulas: number;
      errors: number;
      /** The page, unless it was written to `outFolder`. */
      document?: string;
      /** Why the page could not be written to `outFolder`. */
      writeError?: string;
    }
  | { ok: false; message: string };

/** A renderer of pages with its caches, made once per thread. */
export function pageRenderer(settings: PageSettings): (input: PageInput) => PageResult {
  const cache = new RenderCache(undefined, cliLocale());
  const pageOf = settings.pages ? new Map(settings.pages) : undefined;
  let assets: StandaloneAssets | undefined;
  return (f) => {
    let decoded;
    try {
      decoded = readNoteFile(f.path);
    } catch (err) {
      return { ok: false, message: say("cannot read '{0}': {1}", f.path, sayError(err)) };
    }
    const rendered = renderNote(decoded.text, f.path, {
      cache,
      macros: settings.macros,
      warnings: decoded.warning ? [decoded.warning] : [],
    });
    let formulas = 0;
    let errors = 0;
    for (const p of rendered.posts) {
      errors += p.errors.length;
      formulas += p.mathSegments;
    }
    const result: PageResult = { ok: true, encoding: decoded.encoding, posts: rendered.posts, formulas, errors };
    if (!settings.documents) return result;
    const title = rendered.posts.find((p) => p.title)?.title ?? basename(f.path);
    const depth = f.outName.split('/').length - 1;
    const pageAssets: StandaloneAssets = settings.sharedAssets
      ? { stylesheets: sharedStylesheets(ASSETS_FOLDER, depth) }
      : (assets ??= loadStandaloneAssets(settings.extensionRoot));
    const html = pageOf
      ? retargetNoteLinks(rendered.html, (link) => {
          const page = pageOf.get(resolve(dirname(f.path), link));
          return page === undefined ? undefined : posix.relative(posix.dirname(f.outName), page);
        })
      : rendered.html;
    const document = standaloneDocument(html, title, pageAssets);
    if (settings.outFolder === undefined) result.document = document;
    else {
      try {
        writeOutputPage(settings.outFolder, f.outName, document);
      } catch (err) {
        result.writeError = say("cannot write '{0}': {1}", join(settings.outFolder, f.outName), sayError(err));
      }
    }
    return result;
  };
}
