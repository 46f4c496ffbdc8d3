// The equation analysis of a few open notes, one per document version: hover, completion,
// navigation and symbols of the same version share one parse.

import { RenderCache } from '../math/katexRenderer';
import { noteEquations, type NoteEquations } from './noteEquations';

export class NoteEquationsCache {
  private readonly entries = new Map<string, { version: number; macros: unknown; equations: NoteEquations }>();
  /** Prepared blocks are reused across versions: an edit re-prepares only the blocks it touched. */
  private readonly renderCache = new RenderCache();

  constructor(private readonly max = 8) {}

  get(key: string, version: number, text: () => string, fileName: string, macros?: Readonly<Record<string, string>>): NoteEquations {
    const hit = this.entries.get(key);
    if (hit && hit.version === version && hit.macros === macros) {
      this.entries.delete(key); // most recently used goes last
      this.entries.set(key, hit);
      return hit.equations;
    }
    const equations = noteEquations(text(), fileName, { macros, cache: this.renderCache });
    this.entries.delete(key);
    this.entries.set(key, { version, macros, equations });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return equations;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
