// The indexOf versions of whole-body line tests say exactly what their regular expressions say,
// on texts made of the characters that matter (line ends of every kind, spaces, tabs, the needles).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { countLines, endsSomeLine, firstIndentedLt, firstLines } from '../../src/core/markdown/lineTests';
import { hasReferenceDefinition, REFERENCE_DEFINITION } from '../../src/core/render/blocks';
import { mayBeDelimiterRow } from '../../src/core/markdown/tableMath';
import { PostParts } from '../../src/core/markdown/postParse';

const piece = fc.constantFrom(
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u2029',
  ' ',
  '  ',
  '\t',
  '<',
  '\\',
  '\\\\[',
  '[',
  ']',
  ']:',
  '[a]:',
  '- ',
  '1. ',
  '>',
  'x',
  '中',
);
const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

test('firstIndentedLt is /^ {0,3}</m', () => {
  fc.assert(
    fc.property(text, (t) => assert.equal(firstIndentedLt(t), /^ {0,3}</m.exec(t)?.index)),
    { numRuns: 20_000 },
  );
  assert.equal(firstIndentedLt('a <b>\n    <c>\n   <d>'), 14);
});

test('endsSomeLine is /needle[ \\t]*$/m', () => {
  fc.assert(
    fc.property(text, (t) => assert.equal(endsSomeLine(t, '\\\\['), /\\\\\[[ \t]*$/m.test(t))),
    { numRuns: 20_000 },
  );
  assert.equal(endsSomeLine('a \\\\[5pt]\nb \\\\[ \t\nc', '\\\\['), true);
  assert.equal(endsSomeLine('a \\\\[5pt]', '\\\\['), false);
});

test('hasReferenceDefinition is REFERENCE_DEFINITION', () => {
  fc.assert(
    fc.property(text, (t) => assert.equal(hasReferenceDefinition(t), REFERENCE_DEFINITION.test(t))),
    { numRuns: 20_000 },
  );
  // A label may hold an escaped `]` (markdown-it defines `[a\]b]`): the body is then parsed whole.
  const body = '见[甲][a\\]b]。\n\n段落\n\n[a\\]b]: /x\n';
  assert.equal(hasReferenceDefinition(body), true);
  assert.equal(PostParts.of('markdown', body).whole, true);
  assert.ok((PostParts.of('markdown', body).parse().env as { references?: object }).references, 'markdown-it defines it too');
  assert.equal(hasReferenceDefinition('[a\\]: /x\n'), false);
});

test('mayBeDelimiterRow is /^[ \\t]*[|:-][-:| \\t]*$/ on a line', () => {
  const row = fc.array(fc.constantFrom(' ', '\t', '|', ':', '-', 'x', '中', '\\'), { maxLength: 12 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(row, row, row, (before, line, after) => {
      const src = `${before}\n${line}\n${after}`;
      const start = before.length + 1;
      assert.equal(mayBeDelimiterRow(src, start, start + line.length), /^[ \t]*[|:-][-:| \t]*$/.test(line), JSON.stringify(line));
    }),
    { numRuns: 20_000 },
  );
});

test("firstLines is split('\\n', n) and countLines is split('\\n').length", () => {
  fc.assert(
    fc.property(text, fc.integer({ min: 0, max: 8 }), (t, n) => {
      assert.deepEqual(firstLines(t, n), t.split('\n', n));
      assert.equal(countLines(t), t.split('\n').length);
    }),
    { numRuns: 20_000 },
  );
});
