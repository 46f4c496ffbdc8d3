// Messages of the core (lint findings, their fixes, CLI output) in the reader's language. The
// English text is the key, with {0}-style slots, as in vscode.l10n: rules build a Message once
// (findings are cached across renders and languages) and the edge that shows it formats it.

import { ZH_CN } from './zh-cn';

export type Locale = 'en' | 'zh-cn';

/** An English message with its arguments (which may be messages themselves). */
export interface Message {
  text: string;
  args: ReadonlyArray<string | number | Message>;
}

/** A plain string is a message without arguments. */
export type Text = string | Message;

export function msg(text: string, ...args: Array<string | number | Message>): Message {
  return { text, args };
}

/** The locale for a language tag or POSIX locale: `zh`, `zh-CN`, `zh_CN.UTF-8` → zh-cn; anything else → en. */
export function localeOf(tag: string | undefined): Locale {
  return tag && /^zh(?:$|[-_])/i.test(tag.trim()) ? 'zh-cn' : 'en';
}

const CATALOGS: Record<Locale, Readonly<Record<string, string>> | undefined> = { en: undefined, 'zh-cn': ZH_CN };

/** The message in `locale` (English when it has no translation), its slots filled. */
export function format(text: Text, locale: Locale = 'en'): string {
  const m = typeof text === 'string' ? { text, args: [] } : text;
  const template = CATALOGS[locale]?.[m.text] ?? m.text;
  if (m.args.length === 0) return template;
  return template.replace(/\{(\d+)\}/g, (slot, i: string) => {
    const arg = m.args[Number(i)];
    return arg === undefined ? slot : typeof arg === 'object' ? format(arg, locale) : String(arg);
  });
}

/** An error whose message is a Message: English as an Error, any language through `errorText`. */
export class MessageError extends Error {
  constructor(readonly text: Text) {
    super(format(text));
  }
}

/** An error's message in `locale` when it is a MessageError, else as it came. */
export function errorText(err: unknown, locale: Locale = 'en'): string {
  return err instanceof MessageError ? format(err.text, locale) : err instanceof Error ? err.message : String(err);
}
