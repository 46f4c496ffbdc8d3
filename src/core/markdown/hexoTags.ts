// Hexo's `{% raw %}` and `{% endraw %}` tags are not shown: Hexo's Nunjucks pass removes them and
// keeps what they wrap as written, which is why Hexo authors wrap their formulas in them (to keep
// Markdown's `_` and `*` out of the TeX). Our math finder already keeps Markdown out of math, so
// the wrapped text renders as on the site; prose inside is still read as Markdown, a difference
// only for Markdown syntax an author wrapped on purpose. Other tags (`{% asset_img %}`, …) stay
// text: what they draw depends on the site's plugins.
import type { Markdown } from './engine';

/** A raw/endraw tag, with Nunjucks' whitespace-control dashes. */
const RAW_TAG = /\{%-?[ \t]*(?:end)?raw[ \t]*-?%\}/y;
/** A line holding nothing but such tags. */
const RAW_TAG_LINE = /^[ \t]*(?:\{%-?[ \t]*(?:end)?raw[ \t]*-?%\}[ \t]*)+$/;

export const HEXO_TAG = 'mn_hexo_tag';

export function hexoTags(md: Markdown): void {
  // A line of tags alone leaves no empty paragraph behind; it may end a paragraph, as Hexo removes
  // it before Markdown sees the text.
  md.block.ruler.before(
    'paragraph',
    HEXO_TAG,
    (state, startLine, _endLine, silent) => {
      if (state.sCount[startLine] - state.blkIndent >= 4) return false;
      const line = state.src.slice(state.bMarks[startLine] + state.tShift[startLine], state.eMarks[startLine]);
      if (!line.startsWith('{%') || !RAW_TAG_LINE.test(line)) return false;
      if (silent) return true;
      const token = state.push(HEXO_TAG, '', 0);
      token.map = [startLine, startLine + 1];
      token.hidden = true;
      state.line = startLine + 1;
      return true;
    },
    { alt: ['paragraph'] },
  );
  md.inline.ruler.before('escape', HEXO_TAG, (state, silent) => {
    if (state.src.charCodeAt(state.pos) !== 0x7b /* { */ || state.src.charCodeAt(state.pos + 1) !== 0x25 /* % */) return false;
    RAW_TAG.lastIndex = state.pos;
    const m = RAW_TAG.exec(state.src);
    if (!m) return false;
    if (!silent) state.push(HEXO_TAG, '', 0).hidden = true;
    state.pos += m[0].length;
    return true;
  });
  md.renderer.rules[HEXO_TAG] = () => '';
}
