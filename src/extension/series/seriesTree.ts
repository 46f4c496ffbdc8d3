// The Series view in the explorer: each series with its parts in order (gaps shown as
// `（十八）— not in this workspace`), then the stand-alone posts. Clicking a post opens it; the view
// follows the index. With no posts at all it is empty, so the view's welcome text shows.
import * as vscode from 'vscode';
import type { PostSummary } from '../../core/series/noteSummary';
import type { SeriesView } from '../../core/series/seriesIndex';
import { normalizeTitle } from '../../core/series/titleGrammar';
import { openPostCommand, partCount, subtitleOf } from './seriesCommands';
import { gapLabel, partLabel, relativePath } from './seriesDocument';
import type { WorkspaceIndex } from './workspaceIndex';

export type SeriesTreeNode =
  | { kind: 'series'; series: SeriesView }
  | { kind: 'part'; series: SeriesView; number: number; post?: PostSummary }
  | { kind: 'standalone'; posts: PostSummary[] }
  | { kind: 'post'; post: PostSummary };

export class SeriesTreeProvider implements vscode.TreeDataProvider<SeriesTreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;
  /** What the shown tree was built from; typing in a body changes the index but not this. */
  private shownSignature?: string;
  private refreshTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly workspaceIndex: WorkspaceIndex) {
    this.subscription = workspaceIndex.onDidChange(() => {
      if (this.refreshTimer || this.shownSignature === undefined) return;
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = undefined;
        if (treeSignature(workspaceIndex.index.posts) !== this.shownSignature) this.changeEmitter.fire();
      }, REFRESH_DELAY_MS);
    });
  }

  async getChildren(node?: SeriesTreeNode): Promise<SeriesTreeNode[]> {
    if (!node) {
      const index = await this.workspaceIndex.ready();
      const posts = index.posts;
      this.shownSignature = treeSignature(posts);
      const series = index.series();
      const standalone = posts
        .filter((p) => p.series === undefined || p.part === undefined)
        .sort((a, b) => byTitle.compare(a.title, b.title));
      return [
        ...series.map((s): SeriesTreeNode => ({ kind: 'series', series: s })),
        ...(standalone.length ? [{ kind: 'standalone', posts: standalone } as const] : []),
      ];
    }
    if (node.kind === 'series') return node.series.parts.map(({ number, post }) => ({ kind: 'part', series: node.series, number, post }));
    if (node.kind === 'standalone') return node.posts.map((post) => ({ kind: 'post', post }));
    return [];
  }

  getTreeItem(node: SeriesTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'series': {
        const item = new vscode.TreeItem(node.series.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `series:${node.series.key}`;
        item.description = partCount(node.series);
        item.iconPath = new vscode.ThemeIcon('library');
        item.contextValue = 'series';
        return item;
      }
      case 'part': {
        if (!node.post) {
          const item = new vscode.TreeItem(gapLabel(node.number));
          item.id = `gap:${node.series.key}:${node.number}`;
          item.iconPath = new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
          item.contextValue = 'gap';
          return item;
        }
        const item = postItem(node.post, partLabel(node.number), `part:${node.series.key}:${node.number}`);
        item.description = subtitleOf(node.post);
        return item;
      }
      case 'standalone': {
        const item = new vscode.TreeItem(vscode.l10n.t('Stand-alone posts'), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = 'standalone';
        item.description = String(node.posts.length);
        item.iconPath = new vscode.ThemeIcon('files');
        return item;
      }
      case 'post':
        return postItem(node.post, node.post.title, `post:${normalizeTitle(node.post.title)}`);
    }
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}

const byTitle = new Intl.Collator('zh');

/** Refreshes wait for a pause in index changes (typing, a burst of file events). */
const REFRESH_DELAY_MS = 300;

/** Everything a node shows or opens: which posts, their titles, series, parts, dates and lines. */
function treeSignature(posts: readonly PostSummary[]): string {
  return posts
    .map((p) => `${p.file}\u0000${p.titleLine ?? p.line}\u0000${p.title}\u0000${p.series ?? ''}\u0000${p.part ?? ''}\u0000${p.date ?? ''}`)
    .sort()
    .join('\u0001');
}

function postItem(post: PostSummary, label: string, id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(label);
  item.id = id;
  item.iconPath = new vscode.ThemeIcon('file-text');
  item.tooltip = [post.title, post.date, relativePath(post)].filter(Boolean).join('\n');
  item.command = openPostCommand(post, vscode.l10n.t('Open Post'));
  item.contextValue = 'post';
  return item;
}

/** The tree as plain data, for tests (the provider itself lives in the bundled extension). */
export interface SeriesTreeSnapshot {
  label: string;
  description?: string;
  icon?: string;
  command?: { command: string; arguments?: unknown[] };
  children: SeriesTreeSnapshot[];
}

export async function snapshotTree(provider: SeriesTreeProvider, node?: SeriesTreeNode): Promise<SeriesTreeSnapshot[]> {
  const out: SeriesTreeSnapshot[] = [];
  for (const child of await provider.getChildren(node)) {
    const item = provider.getTreeItem(child);
    out.push({
      label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
      ...(typeof item.description === 'string' ? { description: item.description } : {}),
      ...(item.iconPath instanceof vscode.ThemeIcon ? { icon: item.iconPath.id } : {}),
      ...(item.command ? { command: { command: item.command.command, arguments: item.command.arguments } } : {}),
      children: await snapshotTree(provider, child),
    });
  }
  return out;
}
