// Reads a note from disk and decodes it: UTF-8 (with or without BOM), UTF-16 with BOM, and
// GB18030/GBK as a fallback, saying so; never mojibake presented silently as text.

import { readFileSync } from 'node:fs';

export interface DecodedNote {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';
  warning?: string;
}

export function decodeNote(bytes: Uint8Array): DecodedNote {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  if (bytes.subarray(0, 8192).includes(0)) throw new Error('This is a binary file, not a text note.');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const text = new TextDecoder('gb18030').decode(bytes);
    return { text, encoding: 'gb18030', warning: 'The file is not valid UTF-8; it was decoded as GB18030 (GBK).' };
  }
}

export function readNoteFile(path: string): DecodedNote {
  return decodeNote(readFileSync(path));
}
