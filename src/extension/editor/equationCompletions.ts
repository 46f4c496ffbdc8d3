// Completion where TeX is typed: labels (with the number a reference will show) after `\eqref{`
// and `\ref{`, names referred to but undefined after `\label{`, KaTeX commands and macros in
// math, environments after `\begin{`. Items come from the core in the order they should show.
import * as vscode from 'vscode';
import { equationCompletions } from '../../core/editor/equationCompletion';
import { formulaMarkdown, type FormulaDrawer } from '../../core/editor/equationHover';
import { definitionOf } from '../../core/editor/siteAt';
import { rangeOf, type EquationDocuments } from './equationDocuments';

/** Sorts as listed: the core decides the order (nearest label first). */
const order = (i: number) => String(i).padStart(5, '0');

export class EquationCompletions implements vscode.CompletionItemProvider {
  /** A label item's drawn formula, made when VS Code resolves the item. */
  private readonly toDraw = new WeakMap<vscode.CompletionItem, { key: string; draw: (drawFormula: FormulaDrawer | undefined) => string }>();

  constructor(private readonly documents: EquationDocuments) {}

  async resolveCompletionItem(item: vscode.CompletionItem): Promise<vscode.CompletionItem> {
    const pending = this.toDraw.get(item);
    if (pending) item.documentation = new vscode.MarkdownString(await this.documents.withDrawings(pending.key, pending.draw));
    return item;
  }

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const eq = await this.documents.of(doc);
    if (!eq) return undefined;
    const offset = doc.offsetAt(position);
    const found = equationCompletions(eq, offset);
    if (!found) return undefined;
    const range = rangeOf(doc, found.start, found.end);
    switch (found.kind) {
      case 'reference':
        return found.items.map((l, i) => {
          const shown = found.command === 'eqref' ? `(${l.number})` : l.number;
          const item = new vscode.CompletionItem({ label: l.name, description: shown }, vscode.CompletionItemKind.Reference);
          item.detail = vscode.l10n.t('Equation {0}, line {1}', `(${l.number})`, l.line + 1);
          const post = eq.posts.find((p) => p.post.index === l.label.post)!;
          const target = definitionOf(post, l.name)!;
          // The TeX now; the picture when the item is looked at (resolveCompletionItem): drawing every label up front would cost a drawing each.
          item.documentation = new vscode.MarkdownString(formulaMarkdown(post, target.formula, {}));
          this.toDraw.set(item, {
            key: `completion:${doc.uri.toString()}`,
            draw: (drawFormula) => formulaMarkdown(post, target.formula, { drawFormula }),
          });
          item.range = range;
          item.sortText = order(i);
          item.preselect = i === 0;
          return item;
        });
      case 'label':
        return found.items.map((n, i) => {
          const item = new vscode.CompletionItem(n.name, vscode.CompletionItemKind.Reference);
          item.detail = vscode.l10n.t('Referred to on line {0}, not yet defined', n.line + 1);
          item.range = range;
          item.sortText = order(i);
          return item;
        });
      case 'command':
        return found.items.map((c) => {
          const item = new vscode.CompletionItem(
            c.name,
            c.definition !== undefined ? vscode.CompletionItemKind.Variable : vscode.CompletionItemKind.Function,
          );
          if (c.definition !== undefined) item.detail = c.definition;
          if (c.own) item.documentation = vscode.l10n.t('Defined in this note');
          item.range = range;
          // The note's own macros first, then the other macros, then KaTeX's commands.
          item.sortText = `${c.own ? 0 : c.definition !== undefined ? 1 : 2}${c.name}`;
          return item;
        });
      case 'environment':
        return found.items.map((e) => {
          const item = new vscode.CompletionItem(e.name, vscode.CompletionItemKind.Snippet);
          item.insertText = new vscode.SnippetString(e.snippet);
          item.detail = `\\begin{${e.name}} … \\end{${e.name}}`;
          item.range = range;
          return item;
        });
    }
  }
}
