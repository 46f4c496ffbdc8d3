// The severity words of lint findings and of the settings that set them (a module of its own: the
// extension host reads settings without loading the rule registry).

export const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A rule's level as a setting gives it: a severity, or `off`. */
export function isRuleLevel(value: unknown): value is Severity | 'off' {
  return value === 'off' || (SEVERITIES as readonly unknown[]).includes(value);
}
