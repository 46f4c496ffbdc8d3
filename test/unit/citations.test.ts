// Citation resolution (issue #5, part 3, first increment): exact titles and renamed series, on the
// seeds and on the corpus, where each Markdown link's /archives/N is ground truth (URL hidden).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseNote } from '../../src/core/note/parseNote';
import { findCitations } from '../../src/core/series/citations';
import { PostIndex } from '../../src/core/series/postIndex';

const shared = join(__dirname, '../../../../shared');
const corpus = join(shared, 'corpus/kexue-md');
const archive = (url: string | undefined) => /\/archives\/(\d+)/.exec(url ?? '')?.[1];

function corpusIndex() {
  const index = new PostIndex();
  const notes = readdirSync(corpus).filter((f) => f.endsWith('.md')).map((f) => ({ f, text: readFileSync(join(corpus, f), 'utf8') }));
  const archiveOf = new Map<string, string>();
  for (const n of notes) {
    const note = parseNote(n.text, n.f);
    index.add(n.f, note);
    const id = archive(/^source:\s*(\S+)/m.exec(n.text)?.[1]);
    if (id) archiveOf.set(n.f, id);
  }
  return { index, notes, archiveOf };
}

test('citations: bare, as link text, with a link title; their lines', () => {
  const body = '见《重温SSM（二）：HiPPO的一些遗留问题》。\n\n参考[《科学空间FAQ》](https://spaces.ac.cn/archives/6508#x "《科学空间FAQ》")和[《A》](/archives/7094)';
  const found = findCitations(body, [10, 11, 12]);
  assert.deepEqual(found.map((c) => [c.text, c.line, c.url]), [
    ['重温SSM（二）：HiPPO的一些遗留问题', 10, undefined],
    ['科学空间FAQ', 12, 'https://spaces.ac.cn/archives/6508#x'],
    ['A', 12, '/archives/7094'],
  ]);
});

test('resolution: exact after normalisation, a renamed series by its part, papers stay unlinked', () => {
  const { index } = corpusIndex();
  const r = (t: string) => index.resolve({ text: t });
  assert.equal(r('生成扩散模型漫谈(十七):构建ODE的一般步骤(下)')?.how, 'exact');
  assert.equal(r('通向概率分布之路：盘点Softmax及其替代品')?.how, 'exact');
  const renamed = r('对齐全量微调！这是我看过最精彩的LoRA（一）');
  assert.equal(renamed?.how, 'series');
  assert.match(renamed!.post.title, /LoRA改进（一）/);
  assert.equal(r('Scaling Laws for Neural Language Models'), undefined);
  assert.equal(r('生成扩散模型漫谈（九十九）：不存在的一篇'), undefined);
});

test('corpus ground truth: links to /archives/N, resolved with the URL hidden', () => {
  const { index, notes, archiveOf } = corpusIndex();
  const inCorpus = new Set(archiveOf.values());
  let truth = 0;
  let resolved = 0;
  let correct = 0;
  const wrong: string[] = [];
  for (const n of notes) {
    for (const post of parseNote(n.text, n.f).posts) {
      for (const c of findCitations(post.body, post.bodyLineMap)) {
        const target = archive(c.url);
        if (!target || !inCorpus.has(target)) continue;
        truth++;
        const r = index.resolve({ text: c.text });
        if (!r) continue;
        resolved++;
        if (archiveOf.get(r.post.file) === target) correct++;
        else wrong.push(`${n.f}: 《${c.text}》 → ${r.post.title}`);
      }
    }
  }
  const precision = correct / resolved;
  const recall = correct / truth;
  console.log(`citations with a target in the corpus: ${truth}; resolved ${resolved}; precision ${(precision * 100).toFixed(1)}%, recall ${(recall * 100).toFixed(1)}%`);
  assert.ok(truth > 300, `${truth}`);
  assert.deepEqual(wrong, []);
  assert.ok(recall >= 0.98, `recall ${recall}`);
});
