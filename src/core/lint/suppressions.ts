// What a note's `mathnotes-disable` comments turn off. The comments come from the parse (PostMath's
// `comments`: an HTML block's or inline markup's, never one shown in code or math), so a comment a
// note only shows — in a fence, in a code span — turns nothing off.
//
//   <!-- mathnotes-disable rule … -->            the whole note
//   <!-- mathnotes-disable-line rule … -->       the line the comment ends on
//   <!-- mathnotes-disable-next-line rule … -->  the line after it
//
// No rule named means every rule.

import type { NoteComment, PostMath } from '../math/postMath';
import type { RuleId } from './types';

/** One directive, as data the host can be sent: rules ('*' for all) and the line it covers (none: the whole note). */
export interface LintDirective {
  rules: string[];
  line?: number;
}

const DIRECTIVE = /^<!--\s*mathnotes-disable(-next-line|-line)?((?:\s+[a-z-]+)*)\s*-->$/;

/** The directives of the note's comments, in the order given. */
export function directivesOf(comments: Iterable<NoteComment>): LintDirective[] {
  const out: LintDirective[] = [];
  for (const c of comments) {
    const m = DIRECTIVE.exec(c.text);
    if (!m) continue;
    const rules = m[2].trim() ? m[2].trim().split(/\s+/) : ['*'];
    if (!m[1]) {
      out.push({ rules });
      continue;
    }
    const endLine = c.line + (c.text.match(/\n/g)?.length ?? 0);
    out.push({ rules, line: m[1] === '-line' ? endLine : endLine + 1 });
  }
  return out;
}

/** The directives of every post's comments (a rendered or prepared note's math, post by post). */
export function noteDirectives(posts: ReadonlyArray<Pick<PostMath, 'comments'>>): LintDirective[] {
  return directivesOf(posts.flatMap((m) => m.comments));
}

/** Whether a finding of `rule` on `line` is turned off by these directives. */
export type Suppressed = (rule: RuleId, line: number) => boolean;

export function suppressedBy(directives: readonly LintDirective[]): Suppressed {
  if (!directives.length) return () => false;
  const note = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  for (const d of directives) {
    if (d.line === undefined) for (const r of d.rules) note.add(r);
    else {
      let rules = byLine.get(d.line);
      if (!rules) byLine.set(d.line, (rules = new Set()));
      for (const r of d.rules) rules.add(r);
    }
  }
  return (rule, line) => note.has('*') || note.has(rule) || !!byLine.get(line)?.has('*') || !!byLine.get(line)?.has(rule);
}
