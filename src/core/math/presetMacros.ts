// Operators kexue-style posts use as commands. The blog's own posts define them, each as
// `\mathop{\text{name}}` (measured over shared/corpus/kexue-md: sign 14 notes, msign 13, tr 11,
// mcsgn 5, …); listing exports and excerpts (the seeds) lose those definitions, so we ship the
// author's own definitions as a preset. A note's \newcommand overrides them.
const OPERATORS = ['sign', 'msign', 'tr', 'mcsgn', 'csgn', 'clip', 'mclip', 'diag', 'softsign', 'relu', 'erf', 'step', 'mstep'];

export const PRESET_MACROS: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(OPERATORS.map((name) => [`\\${name}`, `\\mathop{\\text{${name}}}`])),
  '\\proj': '\\mathop{\\mathcal{P}}',
});
