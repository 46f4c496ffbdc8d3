// The previewed note on disk: a note not open in VS Code that another program changes is shown
// anew, one written again (saved by delete and create, an undone delete) too, and one deleted or
// moved outside VS Code is said (after a moment: a rename in the workbench also deletes the old
// path, and says where the note went first).
import * as vscode from 'vscode';
import { basename } from '../uris';

export interface NoteFileEvents {
  /** The file changed or came back: render it again. */
  changed(): void;
  /** The file is gone: what to tell the reader. */
  deleted(message: string): void;
}

/** How long a deletion waits for a rename to say where the note went. */
const DELETE_SETTLE_MS = 500;

export class NoteFileWatcher implements vscode.Disposable {
  private readonly watcher: vscode.FileSystemWatcher | undefined;
  private disposed = false;

  constructor(
    private readonly resource: vscode.Uri,
    events: NoteFileEvents,
  ) {
    if (resource.scheme === 'untitled') return; // lives only in the editor
    const dir = vscode.Uri.joinPath(resource, '..');
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, globEscape(basename(resource))));
    this.watcher.onDidChange(() => {
      if (!this.isOpen()) events.changed();
    });
    this.watcher.onDidCreate(() => events.changed());
    this.watcher.onDidDelete(() => {
      setTimeout(() => {
        if (this.disposed) return; // the preview moved on (the rename was said first)
        void vscode.workspace.fs.stat(resource).then(
          () => undefined, // back already
          () => {
            if (this.disposed) return;
            const unsaved = vscode.workspace.textDocuments.some((d) => d.uri.toString() === resource.toString() && d.isDirty);
            events.deleted(
              unsaved
                ? vscode.l10n.t(
                    '{0} was deleted on disk. The preview shows the unsaved text in the editor; save it to keep it.',
                    basename(resource),
                  )
                : vscode.l10n.t('{0} was deleted or moved outside VS Code. The preview shows its last text.', basename(resource)),
            );
          },
        );
      }, DELETE_SETTLE_MS);
    });
  }

  private isOpen(): boolean {
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === this.resource.toString());
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.dispose();
  }
}

/** A file name as a glob that matches only itself (`[draft].md`). */
function globEscape(name: string): string {
  return name.replace(/[[\]{}*?]/g, (c) => `[${c}]`);
}
