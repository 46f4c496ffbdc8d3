// A fence's info string as a snippet reads it: its language word and `{…}` attributes
// (`python {timeout=5}`, `js {file=snippets/topk.js}`, `{skip}`, `{tolerance=1e-6}`). Shared by the
// snippet finder and the page (which says when ▶ Run runs an attached file).

import MarkdownIt = require('markdown-it');

let utils: InstanceType<typeof MarkdownIt>['utils'] | undefined;

export type SnippetLanguage = 'python' | 'javascript';

export interface SnippetAttributes {
  /** Seconds before the run is killed. */
  timeout?: number;
  /** A file (relative to the note) whose text is the snippet. */
  file?: string;
  skip?: boolean;
  /** Relative tolerance for numbers in the expected output (default 1e-9). */
  tolerance?: number;
}

const LANGUAGES: Record<string, SnippetLanguage> = {
  python: 'python',
  py: 'python',
  python3: 'python',
  js: 'javascript',
  javascript: 'javascript',
};

/**
 * A fence's info string as the page reads it: markdown-it decodes entities and backslash escapes
 * before it takes the language for the block's class (`&#112;ython` is Python there too).
 */
export function fenceInfo(raw: string): string {
  return (utils ??= new MarkdownIt().utils).unescapeAll(raw).trim();
}

/** Splits an info string into its language word and `{…}` attributes. */
export function parseInfo(info: string): { language?: SnippetLanguage; attributes: SnippetAttributes; unknown: string[] } {
  const word = /^([A-Za-z0-9_+-]+)/.exec(info.trim())?.[1]?.toLowerCase() ?? '';
  const attributes: SnippetAttributes = {};
  const unknown: string[] = [];
  for (const group of info.matchAll(/\{([^{}]*)\}/g)) {
    for (const item of group[1].split(/[\s,]+/).filter(Boolean)) {
      const [key, ...rest] = item.replace(/^\./, '').split('=');
      const value = rest.join('=').replace(/^["']|["']$/g, '');
      if (key === 'skip' && !rest.length) attributes.skip = true;
      else if (key === 'timeout' && Number(value) > 0) attributes.timeout = Math.min(Number(value), 3600);
      else if ((key === 'tolerance' || key === 'rtol') && Number(value) >= 0) attributes.tolerance = Number(value);
      else if (key === 'file' && value) attributes.file = value;
      else unknown.push(item);
    }
  }
  return { language: LANGUAGES[word], attributes, unknown };
}
