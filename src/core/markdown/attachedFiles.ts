// A snippet that runs an attached file (`python {file=x.py}`) says so on the page: what ▶ Run runs
// must be what the reader sees, and the block's own text is not it.
import type { Markdown } from './engine';
import type { RenderEnv } from './mathRendering';
import { escapeHtml } from '../html';
import { format, msg } from '../l10n/message';
import { fenceInfo, parseInfo } from '../snippets/snippetInfo';

export function attachedFiles(md: Markdown): void {
  const base = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const html = base(tokens, idx, options, env, self);
    const info = parseInfo(fenceInfo(tokens[idx].info));
    if (!info.language || info.attributes.file === undefined) return html;
    const note = msg('▶ Run runs the file {0}, not the text below.', info.attributes.file);
    return `<div class="mn-snippet-file">${escapeHtml(format(note, (env as RenderEnv).math?.locale ?? 'en'))}</div>\n${html}`;
  };
}
