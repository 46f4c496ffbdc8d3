// The runnable snippets of a note: fenced Python or JavaScript blocks, with attributes in the info
// string (`python {timeout=5}`, `js {file=snippets/topk.js}`, `{skip}`, `{tolerance=1e-6}`), the
// `output` block right after one as its expected output, and Python `>>>` lines as doctests.
// Pure: finding snippets never runs anything.

import { postBlockTokens } from '../markdown/postParse';
import { parseNote } from '../note/parseNote';
import { fenceInfo, parseInfo, type SnippetAttributes, type SnippetLanguage } from './snippetInfo';

export { parseInfo, type SnippetAttributes, type SnippetLanguage };

export interface Snippet {
  /** Its place among the note's snippets (0-based). */
  index: number;
  /** The post it belongs to. */
  post: number;
  language: SnippetLanguage;
  /** The info string as written. */
  info: string;
  attributes: SnippetAttributes;
  /** Attributes the info string has that we do not know (shown to the author, never guessed). */
  unknownAttributes: string[];
  /** 0-based source lines: the opening fence and the closing fence (the last line if unclosed). */
  fenceLine: number;
  endLine: number;
  /** The block's own text (for `file=`, the host reads the file instead). */
  code: string;
  /** Source line of the code's first line (tracebacks map through it). */
  codeLine: number;
  /** The `output` block right after it. */
  expected?: { text: string; fenceLine: number; endLine: number };
  /** Python whose lines start with `>>>`: run as a doctest. */
  doctest: boolean;
}

/**
 * The note's snippets, in order. They are the `fence` tokens of the page's own parse
 * (`postBlockTokens`), in any container (list items, quotes): the code that runs is byte for byte
 * the code the page shows, and a fence the page does not show cannot run.
 */
export function findSnippets(text: string, fileName: string): Snippet[] {
  // A note without a fence marker has no snippet (the parse decides everything else).
  if (!text.includes('```') && !text.includes('~~~')) return [];
  const note = parseNote(text, fileName);
  if (note.format !== 'markdown') return []; // listings have no fences
  const out: Snippet[] = [];
  for (const post of note.posts) {
    const line = (bodyLine: number) => post.bodyLineMap[Math.min(bodyLine, post.bodyLineMap.length - 1)];
    const tokens = postBlockTokens(note.format, post.body);
    for (let k = 0; k < tokens.length; k++) {
      const fence = tokens[k];
      if (fence.type !== 'fence' || !fence.map) continue;
      const info = fenceInfo(fence.info);
      const parsed = parseInfo(info);
      if (!parsed.language) continue;
      const [first, end] = fence.map; // end: the line after the closing fence (or the container's end)
      const snippet: Snippet = {
        index: out.length,
        post: post.index,
        language: parsed.language,
        info,
        attributes: parsed.attributes,
        unknownAttributes: parsed.unknown,
        fenceLine: line(first),
        endLine: line(end - 1),
        code: codeOf(fence),
        codeLine: line(first + 1),
        doctest: parsed.language === 'python' && /^\s*>>> /m.test(fence.content),
      };
      // The expected output: an `output` fence that is the very next block, in the same container.
      const next = tokens[k + 1];
      if (next?.type === 'fence' && next.map && fenceInfo(next.info).toLowerCase().split(/\s/)[0] === 'output') {
        snippet.expected = { text: codeOf(next), fenceLine: line(next.map[0]), endLine: line(next.map[1] - 1) };
        k++;
      }
      out.push(snippet);
    }
  }
  return out;
}

/** A fence's text as the page shows it, without the newline that ends its last line. */
const codeOf = (fence: { content: string }) => (fence.content.endsWith('\n') ? fence.content.slice(0, -1) : fence.content);

/**
 * An error text with the snippet's own line numbers turned into the note's (`File "snippet.py",
 * line 2` → `File "note.md", line 41`; `snippet.js:2:6` → `note.md:41:6`), so the author lands on
 * the right line. Lines past the block's end (an attached file) stay as they are.
 */
export function mapErrorLines(
  text: string,
  snippet: Pick<Snippet, 'codeLine' | 'language'> & { lines?: number },
  noteLabel: string,
): string {
  const toNote = (n: number) => snippet.codeLine + n; // 1-based snippet line → 1-based note line
  return text
    .replace(/File "snippet\.(?:py|txt)", line (\d+)/g, (_, n: string) => `File "${noteLabel}", line ${toNote(Number(n))}`)
    .replace(/snippet\.js:(\d+)(?::(\d+))?/g, (_, n: string, c?: string) => `${noteLabel}:${toNote(Number(n))}${c ? `:${c}` : ''}`);
}
