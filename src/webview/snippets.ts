// Snippets on the preview page: a Run button on each Python/JavaScript code block (found by its
// `data-line`, the fence's source line) and the last result under it: output, errors, time, and
// the expected-output check with its diff. Running is the host's decision (trust, limits).

import { stampedLine } from './scrollSync';
import type { PreviewLabel, SnippetResultView } from '../core/preview/protocol';

export interface SnippetHost {
  label(key: PreviewLabel): string;
  run(line: number): void;
}

export interface SnippetDecorations {
  set(state: { runnable: boolean; refusal?: string; results: SnippetResultView[] } | undefined): void;
  /** After the page changed: buttons on new blocks, results back under theirs. */
  apply(): void;
}

const RUNNABLE = /\blanguage-(python|py|python3|js|javascript)\b/;

export function installSnippets(root: HTMLElement, host: SnippetHost): SnippetDecorations {
  let state: { runnable: boolean; refusal?: string; results: SnippetResultView[] } | undefined;

  function blocks(): Array<{ pre: HTMLElement; line: number }> {
    const out: Array<{ pre: HTMLElement; line: number }> = [];
    for (const code of root.querySelectorAll<HTMLElement>('pre > code[data-line]')) {
      if (!RUNNABLE.test(code.className)) continue;
      out.push({ pre: code.parentElement as HTMLElement, line: stampedLine(code) });
    }
    return out;
  }

  /** The box around a runnable block that holds its Run button: in the pre, the button would scroll away with long lines. */
  function codeBox(pre: HTMLElement): HTMLElement {
    const parent = pre.parentElement;
    if (parent?.classList.contains('mn-code')) return parent;
    const box = document.createElement('div');
    box.className = 'mn-code';
    pre.before(box);
    box.append(pre);
    return box;
  }

  function apply(): void {
    const byLine = new Map((state?.results ?? []).map((r) => [r.line, r]));
    for (const { pre, line } of blocks()) {
      const block = codeBox(pre);
      let button = block.querySelector<HTMLButtonElement>(':scope > .mn-run');
      if (!button) {
        button = document.createElement('button');
        button.type = 'button';
        button.className = 'mn-run';
        block.append(button);
      }
      // Again each time: an edit above moves the block, and its line with it. Not `data-line`: a
      // stamp inside a block counts from the block's line (scroll sync would read this one twice).
      button.dataset.runLine = String(line);
      const result = byLine.get(line);
      const pending = result?.status === 'running' || result?.status === 'queued';
      button.textContent = pending ? `⏳ ${host.label(result.status as 'running' | 'queued')}` : `▶ ${host.label('run')}`;
      button.disabled = !state?.runnable;
      button.title = state?.runnable ? host.label('run') : (state?.refusal ?? '');
      let resultBox = block.nextElementSibling?.classList.contains('mn-run-result') ? (block.nextElementSibling as HTMLElement) : undefined;
      if (!result || pending) {
        if (!pending) resultBox?.remove();
        continue;
      }
      if (!resultBox) {
        resultBox = document.createElement('div');
        resultBox.className = 'mn-run-result';
        block.after(resultBox);
      }
      renderResult(resultBox, result);
    }
  }

  function renderResult(box: HTMLElement, r: SnippetResultView): void {
    box.dataset.status = r.status;
    if (r.check) box.dataset.check = r.check.pass ? 'pass' : 'fail';
    else delete box.dataset.check;
    const parts: HTMLElement[] = [];
    const head = document.createElement('div');
    head.className = 'mn-run-head';
    head.textContent = `${r.status === 'ok' && r.check?.pass !== false ? '✓' : '✗'} ${r.status} · ${r.ms} ms`;
    parts.push(head);
    const block = (text: string, cls: string) => {
      const pre = document.createElement('pre');
      pre.className = cls;
      pre.textContent = text;
      parts.push(pre);
    };
    if (r.stdout) block(r.stdout, 'mn-run-stdout');
    if (r.stderr) block(r.stderr, 'mn-run-stderr');
    if (r.message) {
      const note = document.createElement('div');
      note.className = 'mn-run-message';
      note.textContent = r.message;
      parts.push(note);
    }
    if (r.check) {
      const check = document.createElement('div');
      check.className = `mn-run-check ${r.check.pass ? 'mn-pass' : 'mn-fail'}`;
      check.textContent = `${r.check.pass ? '✓' : '✗'} ${host.label(r.check.pass ? 'expectedPass' : 'expectedFail')}`;
      parts.push(check);
      if (!r.check.pass) {
        const diff = document.createElement('pre');
        diff.className = 'mn-run-diff';
        for (const d of r.check.diff) {
          const line = document.createElement('span');
          line.className = d.kind === '+' ? 'mn-diff-add' : d.kind === '-' ? 'mn-diff-del' : 'mn-diff-same';
          line.textContent = `${d.kind} ${d.text}\n`;
          diff.append(line);
        }
        parts.push(diff);
      }
    }
    box.replaceChildren(...parts);
  }

  root.addEventListener('click', (e) => {
    const button = (e.target as Element | null)?.closest?.<HTMLButtonElement>('.mn-run');
    if (!button || button.disabled) return;
    host.run(Number(button.dataset.runLine));
  });

  return {
    set(next) {
      state = next;
      apply();
    },
    apply,
  };
}
