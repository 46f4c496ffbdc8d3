// Equation intelligence in the editor (issue #19), for Markdown and `.txt` notes on the desktop and
// the web: hover, completion, definition, references, highlights, rename and symbols. Wiring only:
// every answer comes from core/editor over the note's analysis, made in the render worker.
import * as vscode from 'vscode';
import type { RenderService } from '../../core/preview/renderService';
import type { MacroSettings } from '../macros';
import { isNoteDocument, NOTE_SELECTOR } from '../series/seriesDocument';
import { EquationCompletions } from './equationCompletions';
import { EquationDocuments } from './equationDocuments';
import { EquationHovers } from './equationHovers';
import { LabelDefinitions, LabelHighlights, LabelReferences } from './equationNavigation';
import { EquationSymbols } from './equationSymbols';
import { LabelRename } from './labelRename';

export function registerEquationFeatures(
  context: vscode.ExtensionContext,
  macros: MacroSettings,
  renderer: RenderService,
): EquationDocuments {
  const documents = new EquationDocuments(macros, renderer);
  // The drawer starts loading when a note is first in front of the author: the first hover has it.
  const warm = (e: vscode.TextEditor | undefined) => {
    if (e && isNoteDocument(e.document)) {
      documents.warmDrawer();
      warming.dispose();
    }
  };
  const warming = vscode.window.onDidChangeActiveTextEditor(warm);
  warm(vscode.window.activeTextEditor);
  context.subscriptions.push(
    documents,
    warming,
    vscode.languages.registerHoverProvider(NOTE_SELECTOR, new EquationHovers(documents)),
    // `{` after \eqref / \label / \begin, `\` for commands in math.
    vscode.languages.registerCompletionItemProvider(NOTE_SELECTOR, new EquationCompletions(documents), '{', '\\'),
    vscode.languages.registerDefinitionProvider(NOTE_SELECTOR, new LabelDefinitions(documents)),
    vscode.languages.registerReferenceProvider(NOTE_SELECTOR, new LabelReferences(documents)),
    vscode.languages.registerDocumentHighlightProvider(NOTE_SELECTOR, new LabelHighlights(documents)),
    vscode.languages.registerRenameProvider(NOTE_SELECTOR, new LabelRename(documents)),
    vscode.languages.registerDocumentSymbolProvider(NOTE_SELECTOR, new EquationSymbols(documents), { label: vscode.l10n.t('Equations') }),
  );
  return documents;
}
