// The equation analysis of an open note, once per document version (core/editor), for every
// equation feature of the editor; and the conversions between the core's offsets and VS Code's ranges.
import * as vscode from 'vscode';
import { localeOf, type Locale } from '../../core/l10n/message';
import { equationsFromData } from '../../core/editor/equationsData';
import { drawerFromSvg } from '../../core/editor/formulaImage';
import { formulaColor } from '../formulaSvgLoader';
import type { FormulaSvg } from '../../core/math/formulaSvg';
import type { RenderService } from '../../core/preview/renderService';
import type { DrawRequest, FormulaDrawer } from '../../core/editor/equationHover';
import type { NoteEquations } from '../../core/editor/noteEquations';
import type { MacroSettings } from '../macros';
import { maxNoteChars } from '../noteSize';
import { documentText } from '../documentText';

/** How many notes' analyses are kept (the open editors a user moves between). */
const KEPT = 8;

export class EquationDocuments implements vscode.Disposable {
  /** Per note: the analysis of one version (with the macros it was made with), or its making. */
  private readonly kept = new Map<string, { version: number; macros: unknown; equations: Promise<NoteEquations | undefined> }>();
  private readonly closing: vscode.Disposable;
  /** A drawer set in-process (the API, tests); otherwise formulas are drawn in the render worker. */
  drawFormula: FormulaDrawer | undefined;

  constructor(
    private readonly macros: MacroSettings,
    private readonly renderer: RenderService,
  ) {
    this.closing = vscode.workspace.onDidCloseTextDocument((d) => {
      const key = d.uri.toString();
      this.kept.delete(key);
      this.renderer.disposeChannel(channelOf(key));
    });
  }

  get locale(): Locale {
    return localeOf(vscode.env.language);
  }

  /**
   * The note's equations as of its current version; none for a note too large to check as you
   * type, or when a newer version came meanwhile. Made in the render worker (preparing a large
   * note takes the host's thread 100 ms and more); the host rebuilds it from data.
   */
  async of(doc: vscode.TextDocument): Promise<NoteEquations | undefined> {
    const key = doc.uri.toString();
    const version = doc.version;
    const macros = await this.macros.get(doc.uri);
    if (doc.isClosed || doc.version !== version) return undefined;
    const hit = this.kept.get(key);
    if (hit && hit.version === version && hit.macros === macros) {
      this.kept.delete(key); // most recently used goes last
      this.kept.set(key, hit);
      return hit.equations;
    }
    const text = documentText(doc);
    if (text.length > maxNoteChars(doc.uri)) return undefined;
    const equations = this.renderer
      .equations(channelOf(key), text, doc.uri.path, { ...(macros ?? {}) })
      .then((r) => ('ok' in r && r.ok ? equationsFromData(r.equations, text) : undefined));
    this.kept.delete(key);
    this.kept.set(key, { version, macros, equations });
    if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    return equations;
  }

  /**
   * `compute` with formulas drawn: run once to learn which formulas it draws, those drawn in the
   * render worker (MathJax takes up to ~0.8 s on the longest formulas it accepts: never on the
   * host's thread), run again with the pictures. A formula not drawn in time shows its TeX.
   */
  async withDrawings<T>(key: string, compute: (draw: FormulaDrawer | undefined) => T): Promise<T> {
    if (this.drawFormula) return compute(this.drawFormula);
    const wanted: DrawRequest[] = [];
    const first = compute((r) => {
      wanted.push(r);
      return undefined;
    });
    if (!wanted.length) return first;
    const fontSizePx = vscode.workspace.getConfiguration('editor').get<number>('fontSize', 14);
    const color = formulaColor(vscode.window.activeColorTheme.kind);
    const drawn = new Map<string, FormulaSvg>();
    await Promise.all(
      wanted.map(async (r, k) => {
        // One channel per place in the answer: a newer hover replaces a drawing still waiting.
        const res = await this.renderer.draw(`draw:${key}:${k}`, {
          tex: r.tex,
          display: r.display,
          macros: { ...r.macros },
          fontSizePx,
          color,
        });
        if ('ok' in res && res.ok) drawn.set(drawingKey(r), res.drawn);
      }),
    );
    if (!drawn.size) return first;
    const svg = drawerFromSvg((tex, o) => {
      const d = drawn.get(drawingKey({ tex, display: o.display }))!;
      return 'error' in d ? d : { dataUri: d.dataUri, width: d.widthPx, height: d.heightPx };
    });
    return compute((r) => (drawn.has(drawingKey(r)) ? svg(r) : undefined));
  }

  /** Loads the drawer in the worker ahead of the first hover (reading MathJax takes ~0.15 s). */
  warmDrawer(): void {
    void this.renderer.draw('draw:warm', { tex: 'x', display: false });
  }

  dispose(): void {
    this.closing.dispose();
  }
}

const channelOf = (key: string) => `equations:${key}`;
const drawingKey = (r: { tex: string; display: boolean }) => `${+r.display}\u0000${r.tex}`;

export function rangeOf(doc: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}
