// How many of a note's findings the editor is sent. VS Code shows at most 1 000 diagnostics per
// file (extHostDiagnostics: the most severe, and "not showing N further" for the rest); a long
// note can have tens of thousands (10 MB of equations that each repeat a label: 91 743), and
// sending, placing and converting them all would cost the extension host seconds for nothing.
import { SEVERITIES } from './severity';
import type { LintDiagnostic } from './types';

export const MAX_SHOWN_DIAGNOSTICS = 1000;

/** The `max` most severe findings, in document order, and how many were left out. */
export function mostSevere(found: readonly LintDiagnostic[], max = MAX_SHOWN_DIAGNOSTICS): { shown: LintDiagnostic[]; omitted: number } {
  if (found.length <= max) return { shown: [...found], omitted: 0 };
  const rank = (d: LintDiagnostic) => SEVERITIES.indexOf(d.severity);
  const chosen = found
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d) - rank(b.d) || a.i - b.i)
    .slice(0, max)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.d);
  return { shown: chosen, omitted: found.length - max };
}
