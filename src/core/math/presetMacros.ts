// Operators kexue-style posts use without defining them (MathJax's physics package and the blog's
// own page-level macros provide them there). Measured on shared/corpus: see test/unit/corpus.
export const PRESET_MACROS: Readonly<Record<string, string>> = {
  '\\tr': '\\operatorname{tr}',
  '\\sign': '\\operatorname{sign}',
  '\\msign': '\\operatorname{msign}',
  '\\diag': '\\operatorname{diag}',
  '\\rank': '\\operatorname{rank}',
  '\\softmax': '\\operatorname{softmax}',
  '\\argmax': '\\operatorname*{arg\\,max}',
  '\\argmin': '\\operatorname*{arg\\,min}',
};
