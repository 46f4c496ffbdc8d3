// A workspace macro file: JSON (`{"\\R": "\\mathbb{R}"}`) or TeX definitions (\newcommand,
// \def, \DeclareMathOperator, one after another, `%` comments allowed), as a blog's page header has.

import { extractMacroDefinitions } from './macros';

export interface MacroFile {
  macros: Record<string, string>;
  /** Problems, each a sentence for the user; the usable definitions are still returned. */
  problems: string[];
}

export function parseMacroFile(text: string, fileName: string): MacroFile {
  const problems: string[] = [];
  const macros: Record<string, string> = {};
  if (/\.json$/i.test(fileName)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      return { macros, problems: [`${fileName}: not valid JSON (${(err as Error).message})`] };
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) return { macros, problems: [`${fileName}: expected an object of macro names to definitions`] };
    for (const [name, body] of Object.entries(data as Record<string, unknown>)) {
      if (typeof body !== 'string') {
        problems.push(`${fileName}: the definition of ${name} is not a string`);
        continue;
      }
      macros[name.startsWith('\\') ? name : '\\' + name] = body;
    }
    return { macros, problems };
  }
  const uncommented = text.replace(/(^|[^\\])%.*$/gm, '$1');
  for (const d of extractMacroDefinitions(uncommented).definitions) macros[d.name] = d.body;
  if (Object.keys(macros).length === 0 && uncommented.trim() !== '') problems.push(`${fileName}: no \\newcommand, \\def or \\DeclareMathOperator found`);
  return { macros, problems };
}
