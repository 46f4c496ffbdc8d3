// A workspace macro file: JSON (`{"\\R": "\\mathbb{R}"}`) or TeX definitions (\newcommand,
// \def, \DeclareMathOperator, one after another, `%` comments allowed), as a blog's page header has.

import { extractMacroDefinitions } from './macros';
import { msg, type Message } from '../l10n/message';

export interface MacroFile {
  macros: Record<string, string>;
  /** Problems, each a sentence for the user; the usable definitions are still returned. */
  problems: Message[];
}

export function parseMacroFile(text: string, fileName: string): MacroFile {
  const problems: Message[] = [];
  const macros: Record<string, string> = {};
  if (/\.json$/i.test(fileName)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      return { macros, problems: [msg('{0}: not valid JSON ({1})', fileName, (err as Error).message)] };
    }
    if (!data || typeof data !== 'object' || Array.isArray(data))
      return { macros, problems: [msg('{0}: expected an object of macro names to definitions', fileName)] };
    for (const [name, body] of Object.entries(data as Record<string, unknown>)) {
      if (typeof body !== 'string') {
        problems.push(msg('{0}: the definition of {1} is not a string', fileName, name));
        continue;
      }
      macros[name.startsWith('\\') ? name : '\\' + name] = body;
    }
    return { macros, problems };
  }
  const uncommented = text.replace(/(^|[^\\])%.*$/gm, '$1');
  for (const d of extractMacroDefinitions(uncommented).definitions) macros[d.name] = d.body;
  if (Object.keys(macros).length === 0 && uncommented.trim() !== '')
    problems.push(msg('{0}: no \\newcommand, \\def or \\DeclareMathOperator found', fileName));
  return { macros, problems };
}
