// A Python snippet runs under a small program of ours (`python -c …`, which compiles the snippet and
// execs it: see node/snippets/snippetRunner.ts), so each traceback starts with that program's frame
// (`File "<string>", line 1, in <module>`, `<frozen runpy>` under runpy) before the snippet's own.
// Those frames are about us, not the note: they go, and a traceback starts at the snippet.

import { mapErrorLines, type Snippet } from './snippets';

/** A frame of the program that ran the snippet: code from `-c` or Python's own frozen modules. */
const RUNNER_FRAME = /^ {2}File "(?:<string>|<frozen [^"<>]+>)", line \d+, in /;
/** A frame's code and markers, below its `File` line. */
const FRAME_DETAIL = /^ {4}/;
/** A frame (a SyntaxError's location has no `, in …`). */
const FRAME = /^ {2}File ".*", line \d+, in /;
const HEADER = 'Traceback (most recent call last):';

/**
 * `stderr` with the runner's frames taken from the top of each traceback in it (a chained
 * exception has one per exception); frames below the snippet's first one stay, even `<string>`
 * ones (the snippet's own `exec`). A traceback left with no frame — the snippet did not compile —
 * loses its header too, as `python3 file.py` prints a SyntaxError.
 */
export function pythonTracebackFromSnippet(stderr: string): string {
  if (!stderr.includes(HEADER)) return stderr;
  const lines = stderr.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    if (lines[i] !== HEADER) continue;
    let j = i + 1;
    while (j < lines.length && RUNNER_FRAME.test(lines[j])) {
      j++;
      while (j < lines.length && FRAME_DETAIL.test(lines[j])) j++;
    }
    if (j > i + 1 && j < lines.length && !FRAME.test(lines[j])) out.pop();
    i = j - 1;
  }
  return out.join('\n');
}

/**
 * A run's stderr as the reader sees it, in the CLI and the editor alike: lines of a block in the
 * note point into the note (`noteLabel`), an attached file keeps its own lines under its name
 * (`attachedLabel`), and a Python traceback starts at the snippet.
 */
export function stderrForReader(
  stderr: string,
  snippet: Pick<Snippet, 'codeLine' | 'language'> & { lines?: number },
  noteLabel: string,
  attachedLabel?: string,
): string {
  const mapped =
    attachedLabel !== undefined
      ? mapErrorLines(stderr, { codeLine: 0, language: snippet.language }, attachedLabel)
      : mapErrorLines(stderr, snippet, noteLabel);
  return snippet.language === 'python' ? pythonTracebackFromSnippet(mapped) : mapped;
}
