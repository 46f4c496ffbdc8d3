import type { SeriesPageInfo } from '../series/pageSeries';
import type { DiffLine } from '../snippets/compare';

// Messages between the preview's host (extension), its render worker and its webview. Plain data,
// shared by all three so that they cannot drift apart.

/**
 * A block of the page: its key, and its HTML unless the webview already has a block with that key.
 * The HTML's line stamps (`data-line` …) count from the block's first source line, `line`: sent
 * with new blocks and when a block moved (an edit above added or removed lines), which then keeps
 * its HTML, and its key.
 */
export interface BlockUpdate {
  key: string;
  html?: string;
  line?: number;
}

/** A post: its `<article>` shell (omitted when unchanged) and its blocks in order. */
export interface SectionUpdate {
  key: string;
  shell?: string;
  blocks: BlockUpdate[];
}

/** How much of a page an update carries (the host's report of it). */
export interface PageCounts {
  /** How many blocks carry HTML (the rest are reused as they are on the page). */
  changedBlocks: number;
  totalBlocks: number;
}

/** The whole page, in order; blocks and sections missing from it are removed by the webview. */
export interface PageUpdate {
  sections: SectionUpdate[];
  /** How many blocks carry HTML (the rest are reused as they are on the page). */
  changedBlocks: number;
  totalBlocks: number;
}

export interface RenderStats {
  posts: number;
  formulas: number;
  katexErrors: number;
  milliseconds: number;
  /** Blocks not rendered yet (a long note's first screen): a full render follows. */
  pending: number;
  /** Blocks whose HTML this render made (the others were rendered before: the worker's memo). */
  renderedBlocks: number;
  /** A new page's first screen rendered from the note's first part (firstScreenPrefix): the whole note's render must follow. */
  partial?: boolean;
  /** Of `milliseconds`, the thread's time on a core and waiting for one (where the worker can tell: Linux). */
  onCpu?: number;
  waited?: number;
}

/** Host → webview. */
export type ToWebview =
  | {
      type: 'update';
      version: number;
      /** The note's URI, and the folder its relative links and images resolve against. */
      source: string;
      baseHref: string;
      /**
       * The PageUpdate as JSON, made in the render worker: VS Code's message serializer takes one
       * string far faster than thousands of small objects (measured: a 9 000-block page held the
       * extension host 140 ms as objects).
       */
      page: string;
      stats: RenderStats;
      /** The page must drop what it has (a reload or another note). */
      reset: boolean;
      /** After a reset: the source line to scroll to. */
      line?: number;
      locked: boolean;
      /** Wall-clock times (ms, for the bench) on the host: the change, the render's start (reading the text), its request to the worker, the answer, the post to the page. */
      timing: { openedAt: number; changedAt: number; startedAt: number; requestedAt: number; renderedAt: number; postedAt: number };
    }
  /** HTML of blocks that the next update names, as JSON of key → HTML (a large update travels in several messages). */
  | { type: 'blocks'; version: number; html: string }
  /** The editor scrolled (its `seq`-th scroll since the panel opened): bring `line` to the top. */
  | { type: 'scrollToLine'; line: number; seq: number }
  | { type: 'settings'; settings: PreviewSettings }
  /** The words the page shows, in VS Code's language: once per page load (the language cannot change without one). */
  | { type: 'labels'; labels: Record<PreviewLabel, string> }
  /** Series bars, backlinks and where citations lead, for the note the page shows (`source`). */
  | { type: 'series'; source: string; info: SeriesPageInfo }
  /** Snippet results of the note on the page, and whether its Run buttons may run (workspace trust). */
  | { type: 'snippets'; source: string; runnable: boolean; refusal?: string; results: SnippetResultView[] }
  | { type: 'busy'; message: string }
  | { type: 'renderFailed'; message: string }
  /** The extension runs its tests: the page reports what it counts after each update (`rendered`, `seriesRendered`). */
  | { type: 'countForTests' };

/** Webview → host. */
export type FromWebview =
  | { type: 'ready' }
  /** An update named a block the page does not hold: it needs a full one. */
  | { type: 'missingBlocks' }
  /** Placeholders are near the view: the source lines from a screen above it to a screen below. */
  | { type: 'viewport'; line: number; lastLine: number }
  /** What the page shows after an update, when asked to count (tests); `pending`: placeholders still waiting for their blocks. */
  | {
      type: 'rendered';
      version: number;
      formulas: number;
      katexErrors: number;
      displays: number;
      blocks: number;
      milliseconds: number;
      warnings: string[];
      pending: number;
    }
  /** The reader scrolled the page to `line`; `seq`: the last editor scroll the page had followed. */
  | { type: 'revealLine'; line: number; seq: number }
  | { type: 'openLine'; line: number }
  | { type: 'openLink'; href: string }
  /** The Run button of the code block whose fence is on this source line. */
  | { type: 'runSnippet'; line: number }
  /** A series target (citation, bar, backlink) by the number the host gave it. */
  | { type: 'openTarget'; id: number; generation: number }
  /** What the page shows of series after applying series info (for tests). */
  | { type: 'seriesRendered'; bars: number; backlinks: number; linked: number; unresolved: number; gaps: number }
  | { type: 'copyTex'; tex: string }
  | { type: 'reportError'; message: string };

export interface PreviewSettings {
  fontSize: number;
  lineHeight: number;
  maxWidth: string;
  scrollPreviewWithEditor: boolean;
  scrollEditorWithPreview: boolean;
  doubleClickToSwitchToEditor: boolean;
  /** Show the series bar and backlinks. */
  seriesBar: boolean;
  backlinks: boolean;
}

/** One snippet's last run, as the preview and the editor show it. */
export interface SnippetResultView {
  /** Source lines of its opening and closing fence. */
  line: number;
  endLine: number;
  /** `queued`: waiting for a free run slot (mathNotes.snippets.maxConcurrentRuns). */
  status: 'queued' | 'running' | 'ok' | 'error' | 'timeout' | 'output-capped' | 'cancelled' | 'missing-interpreter' | 'out-of-memory';
  stdout: string;
  stderr: string;
  ms: number;
  truncated: boolean;
  message?: string;
  /** Against the expected `output` block: pass, or the diff (expected `-`, actual `+`). */
  check?: { pass: boolean; diff: DiffLine[]; tolerance: number };
}

export type PreviewLabel =
  | 'copyTex'
  | 'copied'
  | 'back'
  /** `第 {0} 篇` */
  | 'partNumber'
  | 'previous'
  | 'next'
  | 'citedBy'
  | 'gap'
  | 'inexact'
  | 'reason.not-found'
  | 'reason.ambiguous'
  | 'reason.no-series'
  | 'reason.missing-part'
  | 'reason.self'
  | 'run'
  | 'running'
  | 'queued'
  | 'expectedPass'
  | 'expectedFail';

/** What the webview keeps across reloads (vscode.setState). */
export interface WebviewState {
  source: string;
  line: number;
  locked: boolean;
}
