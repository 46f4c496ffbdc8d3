// Rename a label: its `\label` and every reference to it in the post, as one edit. Refused when the
// new name is not a name a label can have, or is already used in the post (the references would
// then lead somewhere else, or two labels would share it), or when a reference to it could not be
// placed in the document (the rename would leave it behind, leading nowhere).

import { msg, type Message } from '../l10n/message';
import type { TextEdit } from '../lint/types';
import type { NoteEquations } from './noteEquations';
import { labelNameAt } from './siteAt';
import type { Span } from './labelNavigation';

export type RenameCheck = { ok: true; span: Span; name: string } | { ok: false; reason: Message };

/** What F2 would rename at the offset: the name under the cursor, or why nothing. */
export function prepareLabelRename(eq: NoteEquations, offset: number): RenameCheck {
  const at = labelNameAt(eq, offset);
  if (!at) return { ok: false, reason: msg('Only a label, in `\\label{…}`, `\\eqref{…}` or `\\ref{…}`, can be renamed here.') };
  return { ok: true, span: { start: at.start, end: at.end }, name: at.name };
}

/** Why a new label name is refused, if it is. */
export function invalidLabelName(name: string): Message | undefined {
  // The page reads a label up to the first brace; a space or `%` at the edges or a `\` makes a different name in TeX.
  if (!name.trim()) return msg('A label name cannot be empty.');
  if (/[{}\\%#\n\r]/.test(name) || name !== name.trim())
    return msg('`{0}` cannot be a label name: no braces, `\\`, `%`, `#`, line breaks or spaces at its ends.', name);
  return undefined;
}

export function renameLabel(
  eq: NoteEquations,
  offset: number,
  newName: string,
): { ok: true; edits: TextEdit[] } | { ok: false; reason: Message } {
  const at = labelNameAt(eq, offset);
  if (!at) return { ok: false, reason: msg('Only a label, in `\\label{…}`, `\\eqref{…}` or `\\ref{…}`, can be renamed here.') };
  if (newName === at.name) return { ok: true, edits: [] };
  const invalid = invalidLabelName(newName);
  if (invalid) return { ok: false, reason: invalid };
  if (
    at.post.labels.some((l) => l.name === newName) ||
    at.post.references.some((r) => r.name === newName) ||
    at.post.unplacedReferences.some((r) => r.name === newName)
  ) {
    return { ok: false, reason: msg('`{0}` is already used in this post.', newName) };
  }
  const behind = at.post.unplacedReferences.find((r) => r.name === at.name);
  if (behind) {
    return {
      ok: false,
      reason: msg(
        'Line {0} has `\\{1}{{2}}` where it also shows a reference that is not one (in code, a comment or an attribute): rename the label by hand there.',
        behind.line + 1,
        behind.kind,
        at.name,
      ),
    };
  }
  const edits: TextEdit[] = [];
  for (const l of at.post.labels) if (l.name === at.name) edits.push({ start: l.start, end: l.end, text: newName });
  for (const r of at.post.references) if (r.name === at.name) edits.push({ start: r.start, end: r.end, text: newName });
  return { ok: true, edits: edits.sort((a, b) => a.start - b.start) };
}
