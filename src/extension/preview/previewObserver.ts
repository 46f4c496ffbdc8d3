// What each preview showed, for the integration tests. It exists only when the extension runs its
// tests (ExtensionMode.Test): a user's previews keep none of it, and their pages never count their
// DOM for the host (a query over every formula after each update).
import type { RenderStats } from '../../core/preview/protocol';
import type { PageReport, PreviewPanel, SeriesReport } from './previewPanel';

export interface PreviewReport {
  resource: string;
  locked: boolean;
  visible: boolean;
  title: string;
  /** What the page counted in its DOM after the last update. */
  report: PageReport | undefined;
  update: { changedBlocks: number; totalBlocks: number } | undefined;
  stats: RenderStats | undefined;
  /** What the page showed of series after the last series info. */
  series: SeriesReport | undefined;
  /** The error the page shows (cannot read, deleted, render failed), if any. */
  failure: string | undefined;
}

type Seen = Pick<PreviewReport, 'report' | 'update' | 'stats' | 'series' | 'failure'>;

export class PreviewObserver {
  private readonly panels = new Map<PreviewPanel, Seen>();

  opened(panel: PreviewPanel): void {
    this.panels.set(panel, { report: undefined, update: undefined, stats: undefined, series: undefined, failure: undefined });
  }

  closed(panel: PreviewPanel): void {
    this.panels.delete(panel);
  }

  /** Something the panel sent or the page answered; a rendered page clears the last failure. */
  saw(panel: PreviewPanel, seen: Partial<Seen>): void {
    const last = this.panels.get(panel);
    if (last) Object.assign(last, seen);
  }

  /** Every open preview and what it last showed. */
  reports(): PreviewReport[] {
    return [...this.panels].map(([p, seen]) => ({
      resource: p.resource.toString(),
      locked: p.locked,
      visible: p.panel.visible,
      title: p.panel.title,
      ...seen,
    }));
  }
}
