// Stands in for postcss in our bundles. sanitize-html loads it to parse `style` attributes; we
// render with `parseStyleAttributes: false` (src/core/markdown/rawHtml.ts filters style itself),
// so it is never called, and the real one would add ~55 KB (and Node's path/fs/url) to every bundle.
// If a change ever calls it, sanitize-html catches the error and drops the attribute.
'use strict';
function parse() {
  throw new Error('postcss is not bundled: rawHtml.ts filters style attributes itself');
}
module.exports = { parse };
