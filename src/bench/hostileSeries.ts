// Hostile series input, generated (no big fixtures in the repository): a blog-listing `.txt` whose
// posts are parts of many series with long CJK names, and a post citing near misses of them all —
// what made close-title matching compare every citation with every series.

/** A small deterministic generator (the same notes in the test and the bench). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// CJK characters that are neither numerals nor the opposites a title's signature keeps (上下大小…).
const POOL =
  '漫谈随笔思考探索理论方法模型函数变换积分级数矩阵向量空间概率分布优化梯度算法几何拓扑代数分析统计推断采样估计误差收敛稳定光滑近似插值逼近谱图网络注意力编码解码生成扩散流形测度随机过程信息熵距离散度对偶变分贝叶斯马尔科夫蒙特卡洛';

export interface HostileSeriesOptions {
  /** Posts (each the first part of its own series). */
  posts?: number;
  /** Length of each series name, in CJK characters. */
  nameLength?: number;
  /** Characters the names are drawn from: few make every name share most bigrams with every other. */
  alphabet?: string;
  seed?: number;
}

export interface HostileSeries {
  /** The listing: every post, then one post citing a near miss of each. */
  text: string;
  /** The series names, in post order. */
  names: string[];
  /** Per post, the title cited for it (a near miss: one character of the name changed). */
  nearMisses: string[];
}

export function hostileSeriesListing(options: HostileSeriesOptions = {}): HostileSeries {
  const { posts = 800, nameLength = 70, alphabet = POOL, seed = 1 } = options;
  const next = random(seed);
  const pick = () => alphabet[Math.floor(next() * alphabet.length)];
  const names: string[] = [];
  const seen = new Set<string>();
  while (names.length < posts) {
    const name = Array.from({ length: nameLength }, pick).join('');
    if (!seen.has(name)) (names.push(name), seen.add(name));
  }
  const nearMisses = names.map((name) => {
    const at = 1 + Math.floor(next() * (name.length - 2));
    let ch = pick();
    while (ch === name[at]) ch = pick();
    return `${name.slice(0, at)}${ch}${name.slice(at + 1)}（一）：起`;
  });
  const lines: string[] = [];
  names.forEach((name, i) => {
    lines.push(`${name}（一）：起`);
    lines.push(`By 苏剑林 | 2023-06-${String(1 + (i % 28)).padStart(2, '0')} | ${100 + i}位读者 | 引用这是第${i + 1}篇文章的第一段。`);
    lines.push('正文一段。');
  });
  lines.push('引用了许多文章的一篇');
  lines.push('By 苏剑林 | 2023-07-01 | 1位读者 | 引用下面是引用。');
  for (const t of nearMisses) lines.push(`见《${t}》。`);
  lines.push('最近评论');
  return { text: lines.join('\n') + '\n', names, nearMisses };
}
