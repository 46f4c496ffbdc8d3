// How big a formula may be, for every engine that draws one (KaTeX in the preview, MathJax's SVG
// in hovers): kept free of any engine so that importing a bound does not bundle one.

/** KaTeX's time grows faster than linearly with formula size; the corpus's longest is ~7 000 characters. */
export const MAX_FORMULA_LENGTH = 16000;

/**
 * Tokens that macro expansion may add to one formula. KaTeX's maxExpand counts expansions, not
 * their size: one 1 500-token macro used 1 000 times passes it and builds a tree of 1.5 M tokens
 * (minutes, gigabytes). The corpus's largest formula expands by 3 873 tokens (a big array); at the
 * limit the costliest bodies measured (nested \sqrt) take ~0.7 s and make ~3.5 MB of HTML.
 */
export const MAX_EXPANDED_TOKENS = 10000;
