// conversion-artefact: a leftover of HTML-to-Markdown conversion (`\left\\{`, `\\{`, a third
// backslash after a row end, an escaped list marker, a doubled row end). The preview repairs
// each (FormulaAnalysis.artefacts); the fix is that same repair, so it is safe unattended.

import { msg } from '../../l10n/message';
import type { ArtefactRepair } from '../../math/conversionArtefacts';
import { defineRule } from '../rule';

export const ARTEFACT_MESSAGE: Readonly<Record<ArtefactRepair['kind'], string>> = {
  'escaped-delimiter': 'A doubled backslash before a delimiter (`\\left\\\\{`): a conversion leftover for `\\left\\{`.',
  'escaped-set-brace': 'A doubled backslash before a brace (`\\\\{`): a conversion leftover for `\\{`.',
  'stray-backslash': 'A third backslash after a row end (`\\\\\\`): a conversion leftover.',
  'escaped-list-marker': 'An escaped `+`/`-` (`\\+`): a Markdown list-marker escape left by conversion.',
  'doubled-row-end': 'A doubled row end (`\\\\\\\\`): a conversion leftover that adds an empty row.',
};

export const conversionArtefact = defineRule({
  id: 'conversion-artefact',
  defaultSeverity: 'warning',
  description:
    'A leftover of HTML-to-Markdown conversion: `\\left\\\\{`, `\\\\{`, a third backslash after a row end, an escaped list marker `\\+`, a doubled row end.',
  checkFormula(formula, report) {
    const tex = formula.typeset;
    for (const r of formula.artefacts) {
      const start = tex.toSource(r.start);
      const stop = tex.toSource(r.end);
      // Safe: the edit is the preview's own repair, so the page stays as it was. (The repairs of a
      // formula's `\\{`…`\\}` pair hold only together: Fix all and --fix apply all of a note's.)
      report(start, Math.max(stop, start + 1), msg('{0} The preview repairs it; the note still has it.', msg(ARTEFACT_MESSAGE[r.kind])), [
        {
          title: r.text ? msg('Replace with `{0}`', r.text) : msg('Remove `{0}`', tex.text.slice(r.start, r.end)),
          edits: [{ start, end: stop, text: r.text }],
          safe: true,
        },
      ]);
    }
  },
});
