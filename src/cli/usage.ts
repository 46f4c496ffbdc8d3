// The CLI's usage texts (English keys of the message catalog, like every CLI message).

export const USAGE = `Usage:
  mathnotes render <file|folder>... [-o out.html | -o DIR] [--json] [--macros FILE]
      Renders notes (.md, .txt) to standalone HTML. One file: -o FILE (default: stdout).
      Several files or a folder: -o DIR gets one .html per note. --json prints per-post stats.
      --macros: TeX definitions (.tex) or a JSON object (.json) available in every note.
  mathnotes index <file|folder>... [--json]
      The posts of the notes, their series (parts in order, missing parts) and where each
      《citation》 leads (exact title, or the same part of a renamed series).
  mathnotes run <note.md> [--check] [--json] [--python PATH]
      Runs the note's Python and JavaScript snippets in order, each in its own sandboxed child
      process, and prints their outputs. --check compares each with the \`output\` block after it
      (numbers within 1e-9 relative) and exits 1 on a mismatch or a failed run.
  mathnotes lint <file|folder>... [--format text|json] [--rule id]... [--macros FILE]
      Checks the math of the notes as the preview renders it: \`file:line:col: severity rule
      message\` per problem (JSON with ranges and fixes with --format json). Exits 1 on any error.
  mathnotes --help
Every command takes --lang zh-cn|en (default: from LANG).`;

export const LINT_USAGE = 'usage: mathnotes lint <file|folder>... [--fix [--dry-run]] [--format text|json] [--rule id]... [--macros FILE]';
