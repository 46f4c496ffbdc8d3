// What hovering shows, as Markdown: a formula with its number(s); a reference with the equation it
// leads to, its number and line, or the lint message when it leads nowhere. The picture of a
// formula comes from an injected drawer (MathJax SVG, wired in by the host); without one, or when
// it cannot draw, the hover shows the TeX in a `latex` code block.

import { format, msg, type Locale } from '../l10n/message';
import { undefinedReferenceMessage } from '../lint/labels';
import type { FormulaSite, NoteEquations, PostEquations } from './noteEquations';
import { definitionOf, siteAt } from './siteAt';

/** What a drawer is given: the TeX as the page hands it to its engine (macros taken out, numbers as `\tag`), and the macros in force. */
export interface DrawRequest {
  tex: string;
  /** The TeX as written in the note (what a broken formula shows). */
  source: string;
  display: boolean;
  macros: Readonly<Record<string, string>>;
}

/** Markdown showing the formula (an image), or undefined to fall back to its TeX. */
export type FormulaDrawer = (request: DrawRequest) => string | undefined;

export interface HoverOptions {
  locale?: Locale;
  drawFormula?: FormulaDrawer;
}

export interface EquationHover {
  markdown: string;
  /** The range the hover is about. */
  start: number;
  end: number;
}

export function equationHover(eq: NoteEquations, offset: number, options: HoverOptions = {}): EquationHover | undefined {
  const site = siteAt(eq, offset);
  if (!site) return undefined;
  const say = (m: Parameters<typeof format>[0]) => format(m, options.locale);
  if (site.kind === 'reference') {
    const r = site.reference;
    const target = definitionOf(site.post, r.name);
    if (!target) {
      const known = site.post.labels.filter((l) => l.defines).map((l) => l.name);
      return { markdown: say(undefinedReferenceMessage(r.name, known)), start: r.commandStart, end: r.commandEnd };
    }
    const shown = r.kind === 'eqref' ? `(${target.number})` : target.number!;
    const where = say(msg('`\\{0}{{1}}` → {2}, line {3}', r.kind, r.name, shown, target.formula.line + 1));
    return { markdown: `${formulaMarkdown(site.post, target.formula, options)}\n\n${where}`, start: r.commandStart, end: r.commandEnd };
  }
  const f = site.kind === 'label' ? site.label.formula : site.formula;
  const parts = [formulaMarkdown(site.post, f, options)];
  const numbers = f.formula.rows.map((row) => `(${row.text})`);
  if (numbers.length)
    parts.push(
      say(numbers.length > 1 ? msg('Equations {0}', numbers.join(', ')) : msg('Equation {0}', numbers[0])) + labelList(site.post, f),
    );
  if (site.kind === 'label') {
    const uses = site.post.references.filter((r) => r.name === site.label.name).length;
    parts.push(
      say(
        site.label.defines
          ? msg('`{0}`: {1} reference(s) in this post', site.label.name, uses)
          : msg('`{0}`: references do not lead here (an earlier label has the name, or the formula has no number)', site.label.name),
      ),
    );
  }
  const start = site.kind === 'label' ? site.label.start : f.start;
  const end = site.kind === 'label' ? site.label.end : f.end;
  return { markdown: parts.join('\n\n'), start, end };
}

function labelList(post: PostEquations, f: FormulaSite): string {
  const names = post.labels.filter((l) => l.formula === f).map((l) => `\`${l.name}\``);
  return names.length ? ' · ' + names.join(' ') : '';
}

/** The formula drawn by the drawer, or its TeX as written in a `latex` code block. */
export function formulaMarkdown(post: PostEquations, f: FormulaSite, options: HoverOptions): string {
  const drawn = options.drawFormula?.({
    tex: resolvedTex(post, f),
    source: f.formula.source,
    display: f.formula.display,
    macros: f.formula.macros,
  });
  return drawn ?? texBlock(f.formula.source);
}

/** The prepared TeX with each `\eqref`/`\ref` shown as the page shows it ((3), or (??)). */
function resolvedTex(post: PostEquations, f: FormulaSite): string {
  return f.formula.tex.text.replace(/\\(eqref|ref)\s*\{([^{}]*)\}/g, (_, kind: string, name: string) => {
    const target = definitionOf(post, name.trim());
    const text = target?.number ?? '??';
    return `\\text{${kind === 'eqref' ? `(${text})` : text}}`;
  });
}

/** A fenced `latex` block that no run of backticks in the TeX can close early. */
export function texBlock(tex: string): string {
  const longest = Math.max(2, ...[...tex.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}latex\n${tex.replace(/^\n+|\n+$/g, '')}\n${fence}`;
}
