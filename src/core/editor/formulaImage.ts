// A hover's formula drawer from an SVG renderer of the shape `formulaSvg(tex, { display, macros })`
// (MathJax SVG as a data URI, or the error): the image in Markdown, sized as drawn; a broken
// formula shows its TeX and the error message instead.

import { texBlock, type FormulaDrawer } from './equationHover';

export type FormulaSvg = (
  tex: string,
  options: { display: boolean; macros: Readonly<Record<string, string>> },
) => { dataUri: string; width: number; height: number } | { error: string };

export function drawerFromSvg(formulaSvg: FormulaSvg): FormulaDrawer {
  return (request) => {
    let drawn: ReturnType<FormulaSvg>;
    try {
      drawn = formulaSvg(request.tex, { display: request.display, macros: request.macros });
    } catch (err) {
      drawn = { error: (err as Error).message };
    }
    if ('error' in drawn) return `${texBlock(request.source)}\n\n${escapeMarkdown(drawn.error)}`;
    // Markdown ends a link's target at `)` or a space: a URI-encoded SVG may hold both.
    const uri = drawn.dataUri.replace(/[() ]/g, (c) => encodeURIComponent(c).replace('(', '%28').replace(')', '%29'));
    const size =
      Number.isFinite(drawn.width) && Number.isFinite(drawn.height) && drawn.width > 0
        ? `|width=${Math.ceil(drawn.width)},height=${Math.ceil(drawn.height)}`
        : '';
    return `![](${uri}${size})`;
  };
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
