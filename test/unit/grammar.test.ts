// The math injection grammar (syntaxes/), tokenized by vscode-textmate — the engine VS Code uses —
// inside VS Code's own Markdown grammar (from the test bed's VS Code) and inside a minimal host
// grammar (so the test runs before the test bed is installed).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = resolve(__dirname, '../../..');
const INJECTION = join(root, 'syntaxes/mathnotes.math.tmLanguage.json');
const TESTBED = process.env.MATHNOTES_TESTBED || join(homedir(), '.cache/mathnotes-testbed');
const VSCODE_MARKDOWN = join(
  TESTBED,
  'code-server/node_modules/code-server/lib/vscode/extensions/markdown-basics/syntaxes/markdown.tmLanguage.json',
);

/** Just enough of a Markdown grammar: fenced code and inline code, under the real scope names. */
const HOST_STUB = {
  scopeName: 'text.html.markdown',
  patterns: [
    { name: 'markup.fenced_code.block.markdown', begin: '^```', end: '^```' },
    { name: 'markup.inline.raw.string.markdown', match: '`[^`]*`' },
  ],
};

let onigReady: Promise<void> | undefined;
async function grammarFor(host: 'stub' | 'vscode'): Promise<textmate.IGrammar> {
  onigReady ??= oniguruma.loadWASM(readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm')).buffer as ArrayBuffer);
  await onigReady;
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      if (scope === 'mathnotes.math.injection') return textmate.parseRawGrammar(readFileSync(INJECTION, 'utf8'), INJECTION);
      if (scope === 'text.html.markdown')
        return host === 'stub'
          ? textmate.parseRawGrammar(JSON.stringify(HOST_STUB), 'stub.json')
          : textmate.parseRawGrammar(readFileSync(VSCODE_MARKDOWN, 'utf8'), VSCODE_MARKDOWN);
      return null;
    },
    getInjections: (scope) => (scope === 'text.html.markdown' ? ['mathnotes.math.injection'] : undefined),
  });
  return (await registry.loadGrammar('text.html.markdown'))!;
}

/** Per line, its tokens as [text, scopes]. */
function tokenize(grammar: textmate.IGrammar, text: string): Array<Array<[string, string[]]>> {
  let stack = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes] as [string, string[]]);
  });
}

/** The scopes of the first token whose text is `piece` (on the given line). */
function scopesOf(lines: Array<Array<[string, string[]]>>, line: number, piece: string): string[] {
  const token = lines[line].find(([t]) => t === piece);
  assert.ok(token, `no token "${piece}" on line ${line}: ${JSON.stringify(lines[line].map(([t]) => t))}`);
  return token[1];
}
const isMath = (scopes: string[]) => scopes.some((s) => s.startsWith('meta.math.mathnotes'));

const NOTE = [
  '公式$\\frac{a}{b}$，价格$5，那本卖$6。', // 0
  '$$', // 1
  'E = mc^2 \\label{eq:e} % 注释', // 2
  '$$', // 3
  '\\begin{equation}x = 1\\label{eq:x}\\end{equation}', // 4
  '见\\eqref{eq:x}，行内 \\(y\\) 与 \\[z\\]，代码 `$w$` 不是公式。', // 5
  '```python', // 6
  'print("$q$")', // 7
  '```', // 8
].join('\n');

for (const host of ['stub', 'vscode'] as const) {
  test(
    `math grammar inside ${host === 'stub' ? 'a minimal Markdown grammar' : 'VS Code’s Markdown grammar'}: delimiters, commands, labels and references; no prices, no code`,
    { skip: host === 'vscode' && !existsSync(VSCODE_MARKDOWN) && 'the test bed (VS Code’s Markdown grammar) is not installed yet' },
    async () => {
      const lines = tokenize(await grammarFor(host), NOTE);
      assert.ok(scopesOf(lines, 0, '\\frac').includes('support.function.command.mathnotes'));
      assert.ok(isMath(scopesOf(lines, 0, '\\frac')));
      assert.ok(scopesOf(lines, 0, '$').includes('punctuation.definition.math.begin.mathnotes'));
      assert.ok(!lines[0].some(([t, s]) => t.includes('那本卖') && isMath(s)), 'a price is not math');
      assert.ok(scopesOf(lines, 2, 'eq:e').includes('entity.name.label.mathnotes'));
      assert.ok(scopesOf(lines, 2, '% 注释').includes('comment.line.percentage.mathnotes'));
      assert.ok(isMath(scopesOf(lines, 2, 'E = mc^')), 'a $$ block spans lines');
      assert.ok(scopesOf(lines, 4, 'equation').includes('variable.parameter.environment.mathnotes'));
      assert.ok(scopesOf(lines, 4, 'eq:x').includes('entity.name.label.mathnotes'));
      assert.ok(scopesOf(lines, 5, 'eq:x').includes('variable.other.reference.mathnotes'), 'a reference in prose');
      assert.ok(isMath(scopesOf(lines, 5, 'y')) && isMath(scopesOf(lines, 5, 'z')));
      assert.ok(!lines[5].some(([t, s]) => t.includes('w') && isMath(s)), 'not in inline code');
      assert.ok(!lines[7].some(([, s]) => isMath(s)), 'not in fenced code');
      assert.ok(!lines[8].some(([, s]) => isMath(s)), 'the fence closes outside math');
    },
  );
}

test('the grammar is contributed as an injection into Markdown', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.grammars, [
    { scopeName: 'mathnotes.math.injection', path: './syntaxes/mathnotes.math.tmLanguage.json', injectTo: ['text.html.markdown'] },
  ]);
});
