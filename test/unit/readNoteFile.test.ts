// Decoding notes read from disk: the fast UTF-8 path gives exactly what a fatal TextDecoder gives
// (on every corpus note and on the awkward cases), and anything else is decoded as it says.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { format } from '../../src/core/l10n/message';
import { decodeNote as decodePortable, misreadEncoding } from '../../src/core/note/decodeNote';
import { decodeNote } from '../../src/node/readNoteFile';
import { sharedPath } from '../support/shared';

const reference = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
const utf8 = (s: string) => new TextEncoder().encode(s);

test('UTF-8 notes decode exactly as a fatal TextDecoder decodes them (corpus and seeds)', () => {
  let n = 0;
  for (const dir of [sharedPath('corpus', 'kexue-md'), sharedPath('seeds')]) {
    for (const f of readdirSync(dir)) {
      if (!/\.(md|txt)$/.test(f)) continue;
      const bytes = readFileSync(join(dir, f));
      const decoded = decodeNote(bytes);
      assert.equal(decoded.encoding, 'utf-8', f);
      assert.ok(decoded.text === reference(bytes), `${f} decodes as TextDecoder does`);
      n++;
    }
  }
  assert.ok(n > 300, `${n} notes`);
});

test('BOM dropped, astral characters and an empty file kept, UTF-16 by BOM, invalid UTF-8 as GB18030', () => {
  assert.equal(decodeNote(Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8('# 标题 𝔸'))).text, '# 标题 𝔸');
  assert.equal(decodeNote(utf8('\ufeff\ufeffx')).text, '\ufeffx', 'only the first BOM is the BOM');
  assert.equal(decodeNote(new Uint8Array(0)).text, '');
  assert.equal(decodeNote(Uint8Array.of(0xff, 0xfe, 0x2d, 0x4e)).text, '中');
  assert.equal(decodeNote(Uint8Array.of(0xfe, 0xff, 0x4e, 0x2d)).text, '中');
  const gbk = decodeNote(Uint8Array.of(0xd6, 0xd0, 0xce, 0xc4)); // 中文 in GBK
  assert.deepEqual([gbk.text, gbk.encoding], ['中文', 'gb18030']);
  // The portable decoder (web extension host: TextDecoder only) agrees with Node's fast path.
  for (const bytes of [
    Uint8Array.of(0xd6, 0xd0, 0xce, 0xc4),
    Uint8Array.of(0xef, 0xbb, 0xbf, 0xe4, 0xb8, 0xad, 0x24),
    Uint8Array.of(0x61, 0xed, 0xa0, 0x80),
    new TextEncoder().encode('公式 $x$'),
  ]) {
    const [fast, portable] = [decodeNote(bytes), decodePortable(bytes)];
    assert.deepEqual([portable.text, portable.encoding], [fast.text, fast.encoding]);
  }
  assert.match(format(gbk.warning ?? ''), /GB18030/);
  assert.match(format(gbk.warning ?? '', 'zh-cn'), /已按 GB18030（GBK）解码/);
  // A lone surrogate encoded in UTF-8 (CESU) is not UTF-8.
  assert.equal(decodeNote(Uint8Array.of(0x61, 0xed, 0xa0, 0x80)).encoding, 'gb18030');
  assert.throws(() => decodeNote(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0, 0, 0)), /binary/);
});

test('misread text is told from text that holds U+FFFD: GBK read as UTF-8, NUL bytes, a real U+FFFD', () => {
  const gbk = Uint8Array.of(0x23, 0x20, 0xd6, 0xd0, 0xce, 0xc4); // # 中文
  const asUtf8 = new TextDecoder('utf-8').decode(gbk); // what an editor reading UTF-8 shows
  assert.equal(misreadEncoding(asUtf8, gbk), 'gb18030');
  const utf16NoBom = Uint8Array.of(0x2d, 0x4e, 0x87, 0x65); // 中文 in UTF-16LE, no BOM
  assert.equal(misreadEncoding('-N\u0000e', Uint8Array.of(0x2d, 0x4e, 0, 0x65)), 'binary');
  assert.equal(
    misreadEncoding(new TextDecoder().decode(utf16NoBom), utf16NoBom),
    'gb18030',
    'without NUL, GB18030 reads anything: said as not UTF-8',
  );
  const real = utf8('真的有 \ufffd 字符');
  assert.equal(misreadEncoding(new TextDecoder().decode(real), real), undefined);
  assert.equal(misreadEncoding('没有问题', utf8('没有问题')), undefined);
});
