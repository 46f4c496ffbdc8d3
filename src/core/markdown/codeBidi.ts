// Bidirectional controls in code are shown, not obeyed. Code with an RLO or an isolate displays in
// another order than it reads ("Trojan Source"): a snippet would run other code than the reader
// sees. In code spans and blocks each one is shown as `⟦U+202E⟧` (plain text, so it is safe in the
// info string's attribute too); the snippet runs the characters as written.
import type { Markdown } from './engine';

const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const BIDI_CONTROLS = new RegExp(BIDI_CONTROL.source, 'g');

/** How a bidirectional control is shown in code. */
export const shownBidiControl = (c: string) => `⟦U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟧`;

export function codeBidi(md: Markdown): void {
  for (const rule of ['fence', 'code_block', 'code_inline'] as const) {
    const base = md.renderer.rules[rule]!;
    md.renderer.rules[rule] = (tokens, idx, options, env, self) => {
      const html = base(tokens, idx, options, env, self);
      const token = tokens[idx];
      return BIDI_CONTROL.test(token.content) || BIDI_CONTROL.test(token.info) ? html.replace(BIDI_CONTROLS, shownBidiControl) : html;
    };
  }
}
