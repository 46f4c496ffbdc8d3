// The preview's settings are described once (core/preview/previewSettingsSpec.ts); package.json
// must declare the same ones, with the same defaults and ranges.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PREVIEW_SETTINGS, settingValue } from '../../src/core/preview/previewSettingsSpec';

test('package.json declares each preview setting with the described default and range, and no other', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: { configuration: Array<{ properties: Record<string, { default: unknown; minimum?: number; maximum?: number }> }> };
  };
  const declared = Object.assign({}, ...manifest.contributes.configuration.map((c) => c.properties)) as Record<
    string,
    { default: unknown; minimum?: number; maximum?: number }
  >;
  const preview = Object.keys(declared).filter((k) => k.startsWith('mathNotes.preview.'));
  assert.deepEqual(
    preview.sort(),
    Object.keys(PREVIEW_SETTINGS)
      .map((k) => `mathNotes.preview.${k}`)
      .sort(),
  );
  for (const [key, spec] of Object.entries(PREVIEW_SETTINGS)) {
    const d = declared[`mathNotes.preview.${key}`];
    assert.deepEqual(
      { default: d.default, minimum: d.minimum, maximum: d.maximum },
      {
        default: spec.default,
        minimum: 'minimum' in spec ? spec.minimum : undefined,
        maximum: 'maximum' in spec ? spec.maximum : undefined,
      },
      key,
    );
  }
});

test('a hand-edited value is kept within the range; one of another type falls back to the default', () => {
  assert.equal(settingValue('fontSize', 20), 20);
  assert.equal(settingValue('fontSize', 400), 48);
  assert.equal(settingValue('fontSize', -1), 8);
  assert.equal(settingValue('fontSize', Number.NaN), 16);
  assert.equal(settingValue('fontSize', '20'), 16);
  assert.equal(settingValue('maxNoteSizeMB', 1e6), 50);
  assert.equal(settingValue('seriesBar', false), false);
  assert.equal(settingValue('seriesBar', 'no'), true);
  assert.equal(settingValue('maxWidth', '40em'), '40em');
});
