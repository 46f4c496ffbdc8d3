// Operators kexue-style posts use as commands. The blog's own posts define them, each as
// `\mathop{\text{name}}` (measured over shared/corpus/kexue-md: sign 14 notes, msign 13, tr 11,
// mcsgn 5, …); listing exports and excerpts (the seeds) lose those definitions, so we ship the
// author's own definitions as a preset. A note's \newcommand overrides them.
const OPERATORS = ['sign', 'msign', 'tr', 'mcsgn', 'csgn', 'clip', 'mclip', 'diag', 'softsign', 'relu', 'erf', 'step', 'mstep'];

/**
 * Commands of MathJax 3's default TeX input (base and AMS) that KaTeX lacks, as KaTeX draws them
 * nearest (`src/core/lint/mathjaxCommands.ts` lists MathJax's; lint calls these `mathjax-only`).
 */
export const MATHJAX_BASE: Readonly<Record<string, string>> = {
  '\\mit': '\\it', // a switch to math italic, as `\it` is in KaTeX
  '\\oldstyle': '', // old-style figures: KaTeX has no such font; the digits stay
  '\\Tiny': '\\tiny',
  '\\strut': '\\vphantom{(}',
  '\\mspace': '\\mskip{#1}',
  '\\shoveleft': '#1',
  '\\shoveright': '#1',
  '\\iiiint': '\\mathop{\\int\\kern-0.5em\\int\\kern-0.5em\\int\\kern-0.5em\\int}\\nolimits',
  '\\idotsint': '\\mathop{\\int\\kern-0.2em\\cdots\\kern-0.2em\\int}\\nolimits',
  '\\eqalign': '\\begin{aligned}#1\\end{aligned}',
  '\\overparen': '\\overgroup{#1}',
  '\\underparen': '\\undergroup{#1}',
  '\\cancelto': '\\cancel{#2}^{\\,#1}',
};

export const PRESET_MACROS: Readonly<Record<string, string>> = Object.freeze({
  ...MATHJAX_BASE,
  ...Object.fromEntries(OPERATORS.map((name) => [`\\${name}`, `\\mathop{\\text{${name}}}`])),
  '\\proj': '\\mathop{\\mathcal{P}}',
});
