// Fenced code is highlighted as VS Code's own Markdown preview does it: highlight.js (core only,
// with the languages notes use registered here, so the bundles stay small), its `hljs-*` classes
// coloured by the theme in media/preview.css. Pure: the same HTML in the preview, the CLI and export
// (`renderNote` renders every block with `highlightingOptions`).
// A block too big or with too long a line for a quick highlight is shown as escaped text
// (SECURITY.md: the bounds and their measured cost); so is a language not registered here.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import go from 'highlight.js/lib/languages/go';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import julia from 'highlight.js/lib/languages/julia';
import latex from 'highlight.js/lib/languages/latex';
import matlab from 'highlight.js/lib/languages/matlab';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import type { Markdown } from './engine';

/** A block longer than this is not highlighted. */
export const MAX_HIGHLIGHT_BLOCK = 16_000;
/** Nor one with a line longer than this (minified code: slow to match, useless to colour). */
export const MAX_HIGHLIGHT_LINE = 300;

let registered = false;
/** Registers the grammars on first use (nothing runs at import: bundles that only parse drop this module). */
function highlighter(): typeof hljs {
  if (registered) return hljs;
  registered = true;
  const languages = { bash, c, cpp, go, javascript, json, julia, latex, matlab, python, rust, sql, typescript };
  for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language);
  // Names notes give their fences that the grammars above do not list.
  hljs.registerAliases(['python3', 'py3', 'sage'], { languageName: 'python' });
  hljs.registerAliases(['shell', 'console', 'shellscript'], { languageName: 'bash' });
  hljs.registerAliases(['node', 'javascriptreact'], { languageName: 'javascript' });
  hljs.registerAliases(['octave', 'm'], { languageName: 'matlab' });
  hljs.registerAliases(['c++', 'cuda'], { languageName: 'cpp' });
  hljs.registerAliases(['jsonc'], { languageName: 'json' });
  return hljs;
}

/** Every line of `code` within MAX_HIGHLIGHT_LINE (without splitting the text). */
function linesShortEnough(code: string): boolean {
  let start = 0;
  for (;;) {
    const end = code.indexOf('\n', start);
    if ((end < 0 ? code.length : end) - start > MAX_HIGHLIGHT_LINE) return false;
    if (end < 0) return true;
    start = end + 1;
  }
}

/**
 * The highlighted HTML of `code` in `language` (escaped, with `hljs-*` spans), or '' when it is not
 * highlighted (unknown language, over a bound): markdown-it then escapes it as plain text.
 */
export function highlightCode(code: string, language: string): string {
  const name = language.toLowerCase();
  const engine = highlighter();
  if (!name || !engine.getLanguage(name)) return '';
  if (code.length > MAX_HIGHLIGHT_BLOCK || !linesShortEnough(code)) return '';
  try {
    return engine.highlight(code, { language: name, ignoreIllegals: true }).value;
  } catch {
    return '';
  }
}

const withHighlight = new WeakMap<Markdown['options'], Markdown['options']>();

/**
 * The engine's options with fences highlighted: markdown-it's fence rule calls `highlight` and
 * escapes the text itself when it returns ''. Given where a note's HTML is made (`renderNote`), not
 * to the engine: parsing alone (the extension host, the index worker) does not carry the grammars.
 */
export function highlightingOptions(options: Markdown['options']): Markdown['options'] {
  let out = withHighlight.get(options);
  if (!out) withHighlight.set(options, (out = { ...options, highlight: (code, language) => highlightCode(code, language) }));
  return out;
}
