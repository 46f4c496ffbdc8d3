// Equation tools of the preview: \eqref jumps (highlight, and a way back), a hover card that shows
// the referenced equation, and a "copy TeX" button on every display.

import type { PreviewLabel } from '../core/preview/protocol';
import { placeCard } from './hoverCard';

export interface EquationToolsHost {
  label(key: Extract<PreviewLabel, 'copyTex' | 'copied' | 'back'>): string;
  copyTex(tex: string): void;
}

export interface EquationTools {
  /** Adds the copy buttons to a new block. */
  decorate(block: HTMLElement): void;
  /** Re-labels buttons after the labels (in VS Code's language) arrive. */
  relabel(): void;
  /** Scrolls to an element id (an equation, a heading), remembering where we came from. */
  jumpTo(id: string): void;
}

export function installEquationTools(root: HTMLElement, host: EquationToolsHost): EquationTools {
  const jumps = installJumps(root, host);
  const copy = installCopyButtons(root, host);
  installEquationCard(root);
  const relabel = () => {
    jumps.relabel();
    copy.relabel();
  };
  relabel();
  return { decorate: copy.decorate, relabel, jumpTo: jumps.jumpTo };
}

/** The display that holds an id (equation anchors sit inside their display). */
function targetOf(root: HTMLElement, id: string): HTMLElement | null {
  const el = document.getElementById(id);
  if (!el || !root.contains(el)) return null;
  return el.closest<HTMLElement>('.mn-display') ?? el;
}

/** \eqref jumps: the target scrolled to and flashed, and a way back (a button, Alt+←). */
function installJumps(root: HTMLElement, host: EquationToolsHost): { jumpTo(id: string): void; relabel(): void } {
  const history: number[] = [];
  const back = document.createElement('button');
  back.className = 'mn-back';
  back.type = 'button';
  back.hidden = true;
  back.addEventListener('click', goBack);
  document.body.append(back);

  function flash(el: HTMLElement): void {
    el.classList.remove('mn-flash');
    void el.offsetWidth; // restart the animation
    el.classList.add('mn-flash');
    setTimeout(() => el.classList.remove('mn-flash'), 1600);
  }

  function jumpTo(id: string): void {
    const target = targetOf(root, id);
    if (!target) return;
    history.push(window.scrollY);
    target.scrollIntoView({ block: 'center', behavior: 'instant' as ScrollBehavior });
    flash(target);
    back.hidden = false;
  }

  function goBack(): void {
    const y = history.pop();
    if (y === undefined) return;
    window.scrollTo({ top: y, behavior: 'instant' as ScrollBehavior });
    back.hidden = history.length === 0;
  }

  document.addEventListener(
    'keydown',
    (e) => {
      if (!(e.altKey && e.key === 'ArrowLeft') || history.length === 0) return;
      // Ours, not the workbench's Go Back.
      e.preventDefault();
      e.stopPropagation();
      goBack();
    },
    true,
  );

  return {
    jumpTo,
    relabel() {
      back.textContent = `↩ ${host.label('back')}`;
      back.title = `${host.label('back')} (Alt+←)`;
    },
  };
}

/** A "TeX" button on every display that copies its TeX as written. */
function installCopyButtons(root: HTMLElement, host: EquationToolsHost): { decorate(block: HTMLElement): void; relabel(): void } {
  root.addEventListener('click', (e) => {
    const button = (e.target as Element | null)?.closest?.('.mn-copy-tex');
    if (!button) return;
    const tex = button.closest<HTMLElement>('.mn-display')?.dataset.tex;
    if (tex === undefined) return;
    host.copyTex(tex);
    button.textContent = host.label('copied');
    setTimeout(() => (button.textContent = 'TeX'), 1200);
  });
  return {
    decorate(block) {
      for (const d of block.querySelectorAll<HTMLElement>('.mn-display[data-tex]')) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'mn-copy-tex';
        b.textContent = 'TeX';
        b.title = b.ariaLabel = host.label('copyTex');
        d.prepend(b);
      }
    },
    relabel() {
      for (const b of root.querySelectorAll<HTMLButtonElement>('.mn-copy-tex')) b.title = b.ariaLabel = host.label('copyTex');
    },
  };
}

/** A hover card on \eqref that shows the equation it leads to, numbered as on the page. */
function installEquationCard(root: HTMLElement): void {
  const card = document.createElement('div');
  card.className = 'mn-eq-card';
  card.setAttribute('role', 'tooltip');
  card.hidden = true;
  document.body.append(card);
  root.addEventListener('mouseover', (e) => {
    const a = (e.target as Element | null)?.closest?.<HTMLAnchorElement>('a.mn-eqref');
    if (!a) return;
    const href = a.getAttribute('href') ?? '';
    const target = href.startsWith('#') ? targetOf(root, decodeURIComponent(href.slice(1))) : null;
    if (!target) return;
    const clone = target.cloneNode(true) as HTMLElement;
    // The card must not duplicate ids or offer its own buttons.
    for (const el of [clone, ...clone.querySelectorAll('[id]')]) el.removeAttribute('id');
    clone.querySelector('.mn-copy-tex')?.remove();
    clone.classList.remove('mn-flash');
    card.replaceChildren(clone);
    card.hidden = false;
    const r = a.getBoundingClientRect();
    // As wide as the text column and aligned with it, so the equation number sits where it does on the page.
    placeCard(card, r, root.getBoundingClientRect().left);
  });
  root.addEventListener('mouseout', (e) => {
    if ((e.target as Element | null)?.closest?.('a.mn-eqref')) card.hidden = true;
  });
}
