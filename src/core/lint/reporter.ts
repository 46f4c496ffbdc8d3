// Where lint findings go, whatever rule made them: the enabled rules at their severity (the
// options', else the rule's default), minus what the note's `mathnotes-disable` comments turn off
// (suppressions.ts, from the parse), in the reader's language, in the document's offsets (a leading
// BOM counted back in). lintNote and lintCitations share it, so citations obey the same settings
// and comments as every rule.

import { format, type Text } from '../l10n/message';
import type { LintOptions } from './lintNote';
import { NoteText } from './noteText';
import type { FixDraft } from './rule';
import type { Suppressed } from './suppressions';
import type { LintDiagnostic, LintFix, RuleId, Severity } from './types';

export type Reporter = (rule: RuleId, start: number, end: number, message: Text, drafts?: FixDraft[]) => void;

/**
 * A reporter for one note. `rules`: the rules this run may report and their default severities
 * (the options' `rules` narrow them further). `suppressed`: what the note's comments turn off.
 * `found` gives the findings sorted by place.
 */
export function reporter(
  text: string,
  options: Pick<LintOptions, 'rules' | 'severity' | 'locale'>,
  rules: ReadonlyArray<{ id: RuleId; defaultSeverity: Severity }>,
  suppressed: Suppressed = () => false,
): { doc: NoteText; report: Reporter; enabled: ReadonlySet<RuleId>; found: () => LintDiagnostic[] } {
  const { bom, doc } = preparedText(text);
  const defaults = new Map(rules.map((r) => [r.id, r.defaultSeverity]));
  const enabled = new Set((options.rules ?? [...defaults.keys()]).filter((id) => defaults.has(id)));
  const out: LintDiagnostic[] = [];
  const report: Reporter = (rule, start, end, message, drafts = []) => {
    if (!enabled.has(rule)) return;
    const severity = options.severity?.[rule] ?? defaults.get(rule)!;
    if (severity === 'off' || suppressed(rule, doc.positionAt(start).line)) return;
    const fixes: LintFix[] = drafts.map((f) => ({
      title: format(f.title, options.locale),
      edits: bom ? f.edits.map((e) => ({ ...e, start: e.start + bom, end: e.end + bom })) : f.edits,
      ...(f.safe ? { safe: true } : {}),
    }));
    out.push({ rule, severity, message: format(message, options.locale), start: start + bom, end: Math.max(end, start) + bom, fixes });
  };
  return { doc, report, enabled, found: () => out.sort((a, b) => a.start - b.start || a.end - b.end || a.rule.localeCompare(b.rule)) };
}

let latest: { text: string; bom: number; doc: NoteText } | undefined;

/**
 * The note's lines, for the latest text again: the host checks an open note's citations a few
 * posts per task, each task a reporter for the same text (10 million characters: a scan of it,
 * once instead of per task — and in a task of its own, `citationDiagnostics.ts`). `lineStarts`: the
 * text's, found already (the render worker's equation analysis), so not found again.
 */
export function preparedText(text: string, lineStarts?: ArrayLike<number>): NonNullable<typeof latest> {
  if (latest?.text === text) return latest;
  // renderNote drops a leading BOM: offsets are counted in the text it parsed, then shifted back.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const doc = bom ? new NoteText(text.slice(1)) : new NoteText(text, lineStarts);
  return (latest = { text, bom, doc });
}
