// The equation analysis of an open note, once per document version (core/editor), for every
// equation feature of the editor; and the conversions between the core's offsets and VS Code's ranges.
import * as vscode from 'vscode';
import { localeOf, type Locale } from '../../core/l10n/message';
import { equationsFromData } from '../../core/editor/equationsData';
import { drawerFromSvg } from '../../core/editor/formulaImage';
import { formulaColor, type FormulaSvgApi } from '../formulaSvgLoader';
import type { RenderService } from '../../core/preview/renderService';
import type { FormulaDrawer } from '../../core/editor/equationHover';
import type { NoteEquations } from '../../core/editor/noteEquations';
import type { MacroSettings } from '../macros';
import { maxNoteChars } from '../noteSize';

/** How many notes' analyses are kept (the open editors a user moves between). */
const KEPT = 8;

export class EquationDocuments implements vscode.Disposable {
  /** Per note: the analysis of one version (with the macros it was made with), or its making. */
  private readonly kept = new Map<string, { version: number; macros: unknown; equations: Promise<NoteEquations | undefined> }>();
  private readonly closing: vscode.Disposable;
  /** Draws a formula for hovers and completion details (MathJax SVG, when the host has it); TeX otherwise. */
  drawFormula: FormulaDrawer | undefined;

  constructor(
    private readonly macros: MacroSettings,
    private readonly renderer: RenderService,
    /** Loads the MathJax SVG drawer (dist/formulaSvg.js); none: hovers show TeX. */
    private readonly loadSvg?: () => Promise<FormulaSvgApi>,
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
    const text = doc.getText();
    if (text.length > maxNoteChars(doc.uri)) return undefined;
    const equations = this.renderer.equations(channelOf(key), text, doc.uri.path, { ...(macros ?? {}) }).then((r) => ('ok' in r && r.ok ? equationsFromData(r.equations, text) : undefined));
    this.kept.delete(key);
    this.kept.set(key, { version, macros, equations });
    if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    return equations;
  }

  /**
   * The formula drawer, loaded on first need (MathJax is ~1.8 MB of script that activation does not
   * pay): formulas drawn in the editor's font size and the theme's foreground. TeX if it cannot load.
   */
  async drawer(): Promise<FormulaDrawer | undefined> {
    if (this.drawFormula || !this.loadSvg) return this.drawFormula;
    try {
      const api = await this.loadSvg();
      this.drawFormula ??= drawerFromSvg((tex, o) => {
        const r = api.formulaSvg(tex, {
          display: o.display,
          macros: { ...o.macros },
          fontSizePx: vscode.workspace.getConfiguration('editor').get<number>('fontSize', 14),
          color: formulaColor(vscode.window.activeColorTheme.kind),
          locale: this.locale,
        });
        return 'error' in r ? r : { dataUri: r.dataUri, width: r.widthPx, height: r.heightPx };
      });
    } catch {
      // The hover still shows the formula's TeX and number.
    }
    return this.drawFormula;
  }

  dispose(): void {
    this.closing.dispose();
  }
}

const channelOf = (key: string) => `equations:${key}`;

export function rangeOf(doc: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}
