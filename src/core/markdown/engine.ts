// The single markdown-it configuration behind the preview, the CLI and export. Blog-listing
// exports (.txt) use the same engine with Markdown syntax they cannot contain switched off, so a
// `*` or `1.` in their prose stays text.

import MarkdownIt = require('markdown-it');

export type Markdown = InstanceType<typeof MarkdownIt>;
import type { NoteFormat } from '../note/types';
import { attachedFiles } from './attachedFiles';
import { citationMarks } from './citationMarks';
import { codeBidi } from './codeBidi';
import { hexoTags } from './hexoTags';
import { preparsedBlocks } from '../render/blockParse';
import { isAllowedLink } from './linkPolicy';
import { mathRendering, sourceLines } from './mathRendering';
import { mathSyntax } from './mathSyntax';
import { rawHtml } from './rawHtml';
import { tableMath } from './tableMath';

export { isAllowedLink };

const engines = new Map<NoteFormat, Markdown>();

export function markdownEngine(format: NoteFormat): Markdown {
  let md = engines.get(format);
  if (!md) {
    // Raw HTML in Markdown notes renders through one allowlist (rawHtml.ts): notes come from the
    // web, and the preview must never run their markup. Blog listings have no HTML.
    md = new MarkdownIt({ html: format === 'markdown', linkify: false, typographer: false });
    // Links only to the web, mail, the note's own files and anchors (and images from data:):
    // markdown-it's default refuses only a few schemes, and `<A+:>` or `command:` are not links here.
    md.validateLink = isAllowedLink;
    if (format === 'blog-export') {
      md.disable(['code', 'fence', 'blockquote', 'hr', 'list', 'reference', 'lheading', 'table', 'html_block']);
      md.disable(['emphasis', 'link', 'image', 'autolink', 'backticks', 'html_inline', 'entity', 'strikethrough']);
    } else {
      md.use(hexoTags);
    }
    md.use(preparsedBlocks)
      .use(mathSyntax)
      .use(tableMath)
      .use(mathRendering)
      .use(rawHtml)
      .use(sourceLines)
      .use(citationMarks)
      .use(attachedFiles)
      .use(codeBidi);
    engines.set(format, md);
  }
  return md;
}
