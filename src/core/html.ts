// Escaping for text and attribute values in the HTML the core emits, and keeping it compact.
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * `s` made one flat string in place. HTML built by `+=` (markdown-it, KaTeX) is a rope of small
 * strings; kept as it is, every piece is an object the garbage collector copies while it lives,
 * and V8 walks the rope again on every join.
 */
export function flat(s: string): string {
  /./.test(s);
  return s;
}
