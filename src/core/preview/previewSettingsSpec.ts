// Every `mathNotes.preview.*` setting once: its default and range, as package.json declares them
// (test/unit/previewSettingsSpec.test.ts holds the two together). The extension reads each through
// settingValue, which keeps a value from a hand-edited settings.json within the declared range.

interface SettingSpec {
  default: number | string | boolean;
  minimum?: number;
  maximum?: number;
}

export const PREVIEW_SETTINGS = {
  fontSize: { default: 16, minimum: 8, maximum: 48 },
  lineHeight: { default: 1.8, minimum: 1, maximum: 3 },
  maxWidth: { default: '52rem' },
  debounceMs: { default: 0, minimum: 0, maximum: 5000 },
  scrollPreviewWithEditor: { default: true },
  scrollEditorWithPreview: { default: true },
  doubleClickToSwitchToEditor: { default: true },
  seriesBar: { default: true },
  backlinks: { default: true },
  allowRemoteImages: { default: false },
  maxNoteSizeMB: { default: 10, minimum: 0.1, maximum: 50 },
} as const satisfies Record<string, SettingSpec>;

export type PreviewSettingKey = keyof typeof PREVIEW_SETTINGS;

type Widened<T> = T extends number ? number : T extends boolean ? boolean : string;
export type PreviewSettingValue<K extends PreviewSettingKey> = Widened<(typeof PREVIEW_SETTINGS)[K]['default']>;

/** The value to use for `configured`: within the range, else clamped; of another type (or not a finite number), the default. */
export function settingValue<K extends PreviewSettingKey>(key: K, configured: unknown): PreviewSettingValue<K> {
  const spec: SettingSpec = PREVIEW_SETTINGS[key];
  if (typeof configured !== typeof spec.default) return spec.default as PreviewSettingValue<K>;
  if (typeof configured !== 'number') return configured as PreviewSettingValue<K>;
  if (!Number.isFinite(configured)) return spec.default as PreviewSettingValue<K>;
  return Math.min(spec.maximum ?? Infinity, Math.max(spec.minimum ?? -Infinity, configured)) as PreviewSettingValue<K>;
}
