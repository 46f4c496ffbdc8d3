// MathJax's FindTeX is the specification of what is math: every formula it finds in a note is
// typeset by us, on every note of ../shared/corpus, the seeds and the examples — or belongs to a
// reviewed class below, each with its reason. (MathJax's own typesetting of what it finds is
// mathjaxOracle.test.ts.)
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { usesDollarMath } from '../../src/core/markdown/mathSyntax';
import { RenderCache } from '../../src/core/math/katexRenderer';
import type { FoundMath } from '../support/findTex';
import { missedFormulas, notesIn, read } from '../support/findTexCoverage';
import { authorsTex } from '../support/mathjaxOracle';
import { sharedPath } from '../support/shared';

const SHARED = sharedPath();

/** Reviewed differences from FindTeX, each a rule a Markdown page needs that MathJax on raw text lacks. */
const REVIEWED: Array<{ reason: string; applies: (found: FoundMath, note: string) => boolean }> = [
  {
    reason: 'a note that writes its math with `$` uses `\\(`/`\\[` as Markdown escapes of brackets (the page shows `(1)`, `[0, 1]`)',
    applies: (f, note) => (f.open === '\\(' || f.open === '\\[') && usesDollarMath(note),
  },
  {
    reason: "an image's alt text is an attribute: MathJax never sees it, the page shows it as the image's text",
    applies: (f, note) => {
      const before = note.slice(note.lastIndexOf('\n', f.start) + 1, f.start);
      return /!\[[^\]]*$/.test(before.replace(/\\[[\]]/g, ''));
    },
  },
  {
    reason: "a `$` pair around prose is currency, not math (pandoc's rule: `这本卖$5，那本卖$6`)",
    applies: (f) => f.open === '$' && /^\s*\d/.test(f.tex) && /[\u3400-\u9fff]/.test(f.tex) && !/\\[A-Za-z]|[_^{}=]/.test(f.tex),
  },
];

/** Markdown's backslash escapes undone, outside code: what a kramdown or GitHub page hands MathJax. */
const markdownUnescaped = (t: string) => t.replace(/\\([!-/:-@[-`{-~])/g, '$1');
/** mdBook hands MathJax `\\(…\\)` and `\\[…\\]` as `\(…\)` and `\[…\]` (its `$` math goes to KaTeX as written). */
const mdBookDelimiters = (t: string) => t.replace(/\\\\([()[\]])/g, '\\$1');

/** How each folder's site hands its text to MathJax (notes-zh by repository, per its README). */
const siteText = (folder: string, file: string): ((t: string) => string) | undefined => {
  if (folder === 'corpus/kexue-md') return authorsTex; // html2text's escapes undone: the blog's page as MathJax saw it
  if (file.startsWith('volvet__')) return markdownUnescaped;
  if (file.startsWith('CaterpillarStudyGroup__')) return mdBookDelimiters;
  return undefined;
};

const FOLDERS = ['corpus/kexue-md', 'corpus/pumpkin-book', 'corpus/notes-zh', 'seeds', 'examples'];

test('every formula MathJax finds in a real note is typeset (or in a reviewed class)', () => {
  const cache = new RenderCache();
  const unexplained: string[] = [];
  const byReason = new Map<string, number>();
  let found = 0;
  for (const folder of FOLDERS) {
    for (const path of notesIn(folder === 'examples' ? resolve(process.cwd(), 'examples') : join(SHARED, folder))) {
      const text = read(path);
      const r = missedFormulas(text, path, cache, { authors: siteText(folder, path.split('/').pop()!) });
      found += r.found;
      for (const m of r.missed) {
        const reviewed = REVIEWED.find((c) => c.applies(m.found, text));
        if (reviewed) byReason.set(reviewed.reason, (byReason.get(reviewed.reason) ?? 0) + 1);
        else
          unexplained.push(
            `${folder}/${path.split('/').pop()}:${m.line} ${m.found.open || 'env'} ${JSON.stringify(m.found.tex.slice(0, 80))}`,
          );
      }
    }
  }
  assert.ok(found > 45000, `MathJax found ${found} formulas`);
  assert.deepEqual(unexplained, []);
  for (const [reason, n] of byReason) console.log(`      ${n} × ${reason}`);
  for (const [reason, n] of byReason) assert.ok(n < 60, `${n} × ${reason}`);
});
