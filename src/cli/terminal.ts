// Everything the CLI prints goes through here (a unit test holds src/cli to it). Much of it quotes
// what a note or the disk chose — a series name, a formula KaTeX echoes, an attached file's name, a
// file name, a snippet's output — so control characters are shown, never obeyed: no clearing the
// screen, retitling the window, OSC 8 links, or a CR that hides the start of a line.

// C0 controls but tab and newline, and DEL; as caret notation (`^[` for ESC).
const C0 = /[\x00-\x08\x0b-\x1f\x7f]/g;
// The same plus newline: a quoted value must not start a line of its own (a fake `file:1:1: error`).
const C0_AND_NEWLINE = /[\x00-\x08\x0a-\x1f\x7f]/g;
// C1 controls (U+009B is CSI, U+009D OSC on terminals that read them), bidirectional controls and
// marks (text that displays in another order than it reads: embeddings, overrides, isolates, LRM,
// RLM, ALM) and the Unicode line and paragraph separators (a line break to some terminals), as
// code points.
const C1_AND_BIDI_CLASS = '[\\u0080-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
const C1_AND_BIDI = new RegExp(C1_AND_BIDI_CLASS, 'g');
// The same for JSON, with DEL (JSON.stringify escapes C0 itself).
const JSON_RAW = new RegExp(`\\u007f|${C1_AND_BIDI_CLASS}`, 'g');

const caret = (c: string) => `^${String.fromCharCode((c.charCodeAt(0) + 64) & 0x7f)}`;
const codePoint = (c: string) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`;

/**
 * Text for a terminal: controls as `^[`, `^M`, `<U+009B>`. Multi-line text (a snippet's output,
 * a message of several lines) keeps its line breaks (CRLF read as one); a value quoted into a line
 * (`oneLine`) shows them too.
 */
export function visible(text: string, shape: 'lines' | 'oneLine' = 'lines'): string {
  const controls = shape === 'lines' ? C0 : C0_AND_NEWLINE;
  return (shape === 'lines' ? text.replace(/\r\n/g, '\n') : text).replace(controls, caret).replace(C1_AND_BIDI, codePoint);
}

/** A message on standard output. */
export function printOut(text = ''): void {
  process.stdout.write(`${visible(text)}\n`);
}

/** A message on standard error. */
export function printErr(text: string): void {
  process.stderr.write(`${visible(text)}\n`);
}

/** Program output as JSON: the data exactly, with what JSON.stringify leaves raw and a terminal would obey (DEL, C1, bidi overrides) as `\uXXXX`. */
export function printJson(value: unknown): void {
  const json = JSON.stringify(value, null, 2).replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  process.stdout.write(`${json}\n`);
}

/** A document (`render` without -o): its exact bytes into a pipe or file; on a terminal, made visible like any other text. */
export function printDocument(doc: string): void {
  process.stdout.write(process.stdout.isTTY ? visible(doc) : doc);
}

/** Is someone watching standard error (so progress is worth drawing)? */
export function progressShown(): boolean {
  return process.stderr.isTTY === true;
}

/** A progress line redrawn in place on a terminal's standard error; nothing elsewhere. */
export function printProgress(text: string): void {
  if (progressShown()) process.stderr.write(`\r${visible(text, 'oneLine')}`);
}
