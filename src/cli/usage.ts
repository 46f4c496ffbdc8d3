// The CLI's usage and help texts (English keys of the message catalog, like every CLI message;
// their 简体中文 is in core/l10n/zh-cn.ts). `mathnotes --help` gives the commands; `mathnotes
// <command> --help` that command's options and exit status.
import { say } from './locale';
import { printErr } from './terminal';

export type CommandName = 'render' | 'index' | 'run' | 'lint';

export const USAGE = `Usage: mathnotes <command> <file|folder>... [options]

Commands:
  render   Renders notes to standalone HTML documents.
  index    Lists the notes' posts, their series and where each citation leads.
  run      Runs the notes' Python and JavaScript snippets.
  lint     Checks the math of notes as the preview renders it; --fix repairs what is safe.

A folder stands for the notes below it (.md, .markdown, .txt; dot folders and node_modules
skipped). Every command takes --lang zh-cn|en (default: from LC_ALL, LC_MESSAGES or LANG).

  mathnotes <command> --help   The command's options and exit status.
  mathnotes --version          The version.`;

/** One line per command, said after a usage error with a pointer to its --help. */
export const SYNOPSIS: Readonly<Record<CommandName, string>> = {
  render: 'usage: mathnotes render <file|folder>... [-o FILE|DIR] [--self-contained] [--json] [--macros FILE] [-j N]',
  index: 'usage: mathnotes index <file|folder>... [--json]',
  run: 'usage: mathnotes run <file|folder>... [--check] [--json] [--python PATH]',
  lint: 'usage: mathnotes lint <file|folder>... [--fix [--dry-run]] [--format text|json] [--rule id]... [--macros FILE] [-j N]',
};

/** Each command's --help; the lint one has a slot for the rule names. */
export const HELP: Readonly<Record<CommandName, string>> = {
  render: `Usage: mathnotes render <file|folder>... [options]

Renders notes (.md, .markdown, .txt; a folder: the notes below it) to HTML documents with no
script. One note: a standalone document, KaTeX's CSS and fonts inlined. Several notes or a folder
into -o DIR: the pages share one copy of the stylesheets and fonts (DIR/mathnotes-assets/), and a
link from one note to another exported with it leads to that note's page.

Options:
  -o, --out FILE|DIR   One note: the document's file (default: standard output). Several notes or
                       a folder: a folder that gets one .html per note, named as below the folder.
  --json               Per-post stats as JSON (title, line, formulas, KaTeX errors with their
                       lines, labels, unresolved references); with -o, the documents are written too.
  --self-contained     With -o DIR: each page inlines the stylesheets and fonts (~380 KB a page).
  --macros FILE        TeX definitions (.tex) or a JSON object (.json) available in every note.
  -j, --jobs N         Render in N threads (default: one per core; a few notes take one). The
                       output is the same as with one.
  --lang zh-cn|en      The language of messages (default: from LC_ALL, LC_MESSAGES or LANG).
  -h, --help           This help.

Exit status: 0 when every note was rendered; 1 when a note could not be read or written; 2 for a
usage error or a path that names nothing.`,

  index: `Usage: mathnotes index <file|folder>... [options]

The posts of the notes, their series (parts in order, missing parts) and where each 《citation》
leads: a link to the post (url), the exact title (exact), the same part of a renamed series
(series), a close title (fuzzy), a part of this series (part); or why it leads nowhere
(not-found, ambiguous, no-series, missing-part, self).

Without --json: each series with its parts (number, title, file:line), then one line per
citation, \`file:line:col: 《title》 → file:line (how)\` or \`✗ reason\`, then the counts.

Options:
  --json               Posts, series and citations (file, line, column, target, how or reason).
  --lang zh-cn|en      The language of messages (default: from LC_ALL, LC_MESSAGES or LANG).
  -h, --help           This help.

Exit status: 0; 1 when a note could not be read; 2 for a usage error or a path that names nothing.`,

  run: `Usage: mathnotes run <file|folder>... [options]

Runs the Python and JavaScript snippets of each note in order, each in its own sandboxed child
process, and prints what they print. A traceback starts at the note's snippet, with the note's
line numbers (an attached file's own, under its name). A folder's notes without snippets pass in
silence; the counts go to standard error.

Options:
  --check              Also compares each output with the \`output\` block after its snippet
                       (numbers within 1e-9 relative, or the snippet's {tolerance=…}): a
                       difference fails the run too.
  --json               The results as JSON: one note named, its object; several, an array.
  --python PATH        The Python interpreter (default: python3).
  --lang zh-cn|en      The language of messages (default: from LC_ALL, LC_MESSAGES or LANG).
  -h, --help           This help.

Exit status: 0 when every snippet ran to its end (and, with --check, printed what its \`output\`
block says); 1 when one failed, timed out, ran out of memory or found no interpreter, (with
--check) printed something else, or a note could not be read; 2 for a usage error or a path that
names nothing.`,

  lint: `Usage: mathnotes lint <file|folder>... [options]

Checks the math of notes as the preview renders it (the same parse, so they never disagree), and
their 《citations》 against the posts of the notes given (unresolved-citation, inexact-citation): one
line per problem, \`file:line:col: severity rule message\`; the counts go to standard error.

Options:
  --fix                Applies the fixes that are safe unattended — those that make the note say
                       what the preview already shows (conversion-artefact) — until none is left,
                       writes each note that changed (UTF-8 or UTF-16, as it was; a GB18030 note is
                       left as it is, said), and reports the problems left.
  --dry-run            With --fix: says how many it would fix, and what would be left; writes nothing.
  --format text|json   JSON: each note's problems with their ranges and fixes as text edits (a fix
                       that --fix applies says "safe": true); with --fix, how many were fixed.
  --rule ID            Only this rule (again for more): {0}.
  --macros FILE        TeX definitions (.tex) or a JSON object (.json) available in every note.
  -j, --jobs N         Check in N threads (default: one per core; a few notes take one). The
                       output is the same as with one.
  --lang zh-cn|en      The language of messages (default: from LC_ALL, LC_MESSAGES or LANG).
  -h, --help           This help.

Exit status: 0 when no error is found (or, with --fix, left); 1 when one is, or a note could not
be read or written; 2 for a usage error or a path that names nothing.`,
};

/** A usage error: the problem, the command's synopsis and where its options are; exit status 2. */
export function usageError(command: CommandName, problem: string): number {
  printErr(`mathnotes ${command}: ${problem}\n${say(SYNOPSIS[command])}\n${say("Run 'mathnotes {0} --help' for the options.", command)}`);
  return 2;
}
