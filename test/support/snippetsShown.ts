// The page's runnable code blocks beside the snippet list: a snippet must run exactly what the
// page shows (test/unit/snippetsAsShown.test.ts, and a fuzz property).
import { renderNote } from '../../src/core/render/renderNote';
import { findSnippets } from '../../src/core/snippets/snippets';
import { decodeEntities } from './render';

// What the page's script puts a ▶ Run button on (src/webview/snippets.ts).
const RUNNABLE = /\blanguage-(python|py|python3|js|javascript)\b/;

/** The page's runnable code blocks: source line → the text shown. */
export function shownCode(text: string, file: string): Map<number, string> {
  const shown = new Map<number, string>();
  for (const m of renderNote(text, file).html.matchAll(/<pre><code data-line="(\d+)"( class="[^"]*")?>([\s\S]*?)<\/code><\/pre>/g)) {
    // The text shown is the block's text without the highlighter's spans (code's own `<` is escaped);
    // bidirectional controls are shown as ⟦U+202E⟧ (core/markdown/codeBidi.ts): read them back.
    if (RUNNABLE.test(m[2] ?? ''))
      shown.set(
        Number(m[1]),
        decodeEntities(m[3].replace(/<[^>]*>/g, '')).replace(/⟦U\+([0-9A-F]{4})⟧/g, (_, hex: string) =>
          String.fromCharCode(parseInt(hex, 16)),
        ),
      );
  }
  return shown;
}

/** Where the snippet list and the page disagree (empty when every snippet runs what is shown). */
export function snippetsNotAsShown(text: string, file: string): string[] {
  const shown = shownCode(text, file);
  const problems: string[] = [];
  const runs = new Map(findSnippets(text, file).map((s) => [s.fenceLine, s.code] as const));
  for (const [line, code] of runs) {
    const page = shown.get(line);
    if (page === undefined) problems.push(`line ${line + 1}: a snippet the page shows no runnable block for`);
    else if (page !== code + '\n' && page !== code)
      problems.push(`line ${line + 1}: runs ${JSON.stringify(code)} but the page shows ${JSON.stringify(page)}`);
  }
  for (const line of shown.keys()) if (!runs.has(line)) problems.push(`line ${line + 1}: a runnable block on the page that is no snippet`);
  return problems;
}
