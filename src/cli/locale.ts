// The CLI's language: `--lang zh-cn|en`, else the environment (LC_ALL, LC_MESSAGES, LANG, as a
// POSIX program reads it). Messages are English keys translated by the core's catalog.
import { errorText, format, localeOf, msg, type Locale, type Text } from '../core/l10n/message';
import { visible } from './terminal';

let current: Locale = localeOf(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG);

export function cliLocale(): Locale {
  return current;
}

/** Takes `--lang X` / `--lang=X` out of the arguments and follows it. */
export function takeLangOption(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--lang') current = localeOf(argv[++i]);
    else if (a.startsWith('--lang=')) current = localeOf(a.slice('--lang='.length));
    else out.push(a);
  }
  return out;
}

/** An error's message in the CLI's language (see MessageError). */
export function sayError(err: unknown): string {
  return errorText(err, current);
}

/** A message of the core (a Message or plain text) in the CLI's language. */
export function sayText(text: Text): string {
  return format(text, current);
}

/** A message of the CLI in its language; a quoted value (a path, a series name) stays on its line and shows its control characters. */
export function say(text: string, ...args: Array<string | number>): string {
  return format(msg(text, ...args.map((a) => (typeof a === 'string' ? visible(a, 'oneLine') : a))), current);
}
