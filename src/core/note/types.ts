// The note model: one source document (a .md note or a .txt blog-listing export) split into posts.
// Everything downstream (numbering, labels, macros, series) is scoped per post, as on the blog.

import type { Text } from '../l10n/message';

export type NoteFormat = 'markdown' | 'blog-export';

export interface PostMeta {
  title?: string;
  author?: string;
  /** As written: `2023-06-28` from a byline or front matter, `28 Jun` from a listing's date line. */
  date?: string;
  readers?: number;
  series?: string;
  part?: number;
  tags?: string[];
  source?: string;
  /** The listing cut the post short (`点击阅读全文...`, or an excerpt ending in `...`). */
  truncated?: boolean;
  /** One of a list of untitled excerpts (seed 003's layout). */
  excerpt?: boolean;
  /** Text before the first post of a listing (page chrome such as `LATEST UPDATES`). */
  preamble?: boolean;
}

export interface Post {
  index: number;
  meta: PostMeta;
  /** 0-based source line range of the whole post, end exclusive. */
  startLine: number;
  endLine: number;
  /** Source line of the title and of the byline/date line, when the post has them. */
  titleLine?: number;
  bylineLine?: number;
  /** The post's body as Markdown, without title, byline or front matter. */
  body: string;
  /** bodyLineMap[i] is the 0-based source line of body line i (same length as body.split('\n')). */
  bodyLineMap: readonly number[];
}

export interface Note {
  format: NoteFormat;
  posts: Post[];
  /** Problems met while reading the note (bad front matter …), shown above the first post. */
  warnings: Text[];
}
