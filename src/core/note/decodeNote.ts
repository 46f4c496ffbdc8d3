// A note's bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM, and GB18030/GBK as a
// fallback, saying so; never mojibake presented silently as text. Pure (TextDecoder only), for
// every host; Node hosts pass a faster UTF-8 check (src/node/readNoteFile.ts).

import { MessageError, msg, type Text } from '../l10n/message';

export interface DecodedNote {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';
  warning?: Text;
}

/** Valid UTF-8 as text without its BOM; undefined when it is not valid. */
export type Utf8Decoder = (bytes: Uint8Array) => string | undefined;

const textDecoderUtf8: Utf8Decoder = (bytes) => {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
};

export function decodeNote(bytes: Uint8Array, utf8: Utf8Decoder = textDecoderUtf8): DecodedNote {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  if (bytes.subarray(0, 8192).includes(0)) throw new MessageError(msg('This is a binary file, not a text note.'));
  const text = utf8(bytes);
  if (text !== undefined) return { text, encoding: 'utf-8' };
  return {
    text: new TextDecoder('gb18030').decode(bytes),
    encoding: 'gb18030',
    warning: msg('The file is not valid UTF-8; it was decoded as GB18030 (GBK).'),
  };
}

/** Whether a text shows signs of a misread (U+FFFD, NUL): only then are its file's bytes worth reading. */
export function mayBeMisread(text: string): boolean {
  return text.includes('\ufffd') || text.includes('\0');
}

/**
 * Why an editor's text of a note shows characters it could not read (U+FFFD, NUL), judged from
 * the file's bytes: 'gb18030' (not UTF-8, but valid GB18030/GBK: reopen with that encoding),
 * 'binary' (NUL bytes: UTF-16 without a BOM, or not text at all), or undefined (the text is
 * what the file holds: those characters are really in it).
 */
export function misreadEncoding(text: string, bytes: Uint8Array): 'gb18030' | 'binary' | undefined {
  if (!mayBeMisread(text)) return undefined;
  try {
    return decodeNote(bytes).encoding === 'gb18030' ? 'gb18030' : undefined;
  } catch {
    return 'binary';
  }
}
