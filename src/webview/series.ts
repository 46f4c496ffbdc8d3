// Series on the preview page: citation marks (`.mn-cite`, put there by the renderer) become links to
// the posts the host resolved, or say why they lead nowhere; each post of a series gets a
// navigation bar, and each cited post a list of the posts that cite it. The host opens targets by
// the numbers it handed out: the page never names a file.

import type { PreviewLabel } from '../core/preview/protocol';
import { placeCard } from './hoverCard';
import type { CitationInfo, SeriesPageInfo, SeriesTarget } from '../core/series/pageSeries';

export interface SeriesHost {
  label(key: PreviewLabel, ...args: Array<string | number>): string;
  open(id: number, generation: number): void;
  show(): { bar: boolean; backlinks: boolean };
  /** What the page now shows, counted only if the host asks (tests). */
  report(counts: () => { bars: number; backlinks: number; linked: number; unresolved: number; gaps: number }): void;
}

export interface SeriesDecorations {
  /** New info from the host (for the note the page shows). */
  set(info: SeriesPageInfo | undefined): void;
  /** After the page changed (new blocks, new shells): decorate again. */
  apply(): void;
}

export function installSeries(root: HTMLElement, host: SeriesHost): SeriesDecorations {
  const page = new SeriesPage(root, host);
  const card = installCitationCard(root, page);
  installTargetClicks(root, page, () => (card.hidden = true));
  return {
    set: (next) => page.set(next),
    apply: () => page.apply(),
  };
}

/** What the host said about the note on the page, and the decorations made from it. */
class SeriesPage {
  private info: SeriesPageInfo | undefined;
  private byKey = new Map<string, CitationInfo>();
  // The parts are one strip that scrolls sideways: whenever a strip is laid out or changes width
  // (first shown, preview resized), bring its current part into view.
  private readonly stripsResized = new ResizeObserver((entries) => {
    for (const e of entries) showCurrentPart(e.target as HTMLElement);
  });

  constructor(
    private readonly root: HTMLElement,
    readonly host: SeriesHost,
  ) {}

  get generation(): number {
    return this.info?.generation ?? 0;
  }

  set(next: SeriesPageInfo | undefined): void {
    this.info = next;
    this.byKey = new Map((next?.citations ?? []).map((c) => [`${c.post}\n${c.key}`, c]));
    this.apply();
    if (!next) return;
    const count = (selector: string) => this.root.querySelectorAll(selector).length;
    this.host.report(() => ({
      bars: count('.mn-series-bar'),
      backlinks: count('.mn-backlink'),
      linked: count('.mn-cite-ok'),
      unresolved: count('.mn-cite-unresolved'),
      gaps: count('.mn-series-gap'),
    }));
  }

  apply(): void {
    this.decorateCitations();
    this.decoratePosts();
  }

  targetOf(id: number | undefined): SeriesTarget | undefined {
    return id === undefined ? undefined : this.info?.targets[id];
  }

  /** Each citation mark linked to its post, or saying why it leads nowhere. */
  private decorateCitations(): void {
    for (const mark of this.root.querySelectorAll<HTMLElement>('.mn-cite')) {
      const post = mark.closest<HTMLElement>('[data-post]')?.dataset.post ?? '0';
      // Inside a link whose whole text is the citation (`[《…》](url)`), the link's URL is part of
      // the key; inside a longer link the mark is just text of that link.
      const link = mark.closest('a');
      if (link && link.textContent !== mark.textContent) continue;
      const text = mark.dataset.part !== undefined ? `#${mark.dataset.part}` : (mark.dataset.cite ?? '');
      const key = link ? `${text}\n${link.getAttribute('href') ?? ''}` : text;
      const c = this.byKey.get(`${post}\n${key}`);
      mark.classList.remove('mn-cite-ok', 'mn-cite-unresolved', 'mn-cite-inexact');
      delete mark.dataset.target;
      mark.removeAttribute('title');
      mark.removeAttribute('role');
      mark.removeAttribute('tabindex');
      if (!c) continue;
      if (c.target !== undefined) {
        mark.classList.add('mn-cite-ok');
        if (c.inexact) mark.classList.add('mn-cite-inexact');
        mark.dataset.target = String(c.target);
        mark.dataset.how = c.how ?? '';
        // Inside a Markdown link the link is the clickable thing; a bare mark becomes one.
        if (!mark.closest('a')) {
          mark.setAttribute('role', 'link');
          mark.tabIndex = 0;
        }
      } else {
        mark.classList.add('mn-cite-unresolved');
        mark.title = this.host.label(`reason.${c.reason ?? 'not-found'}` as PreviewLabel);
      }
    }
  }

  /** Each post's series bar (above its body) and backlinks (below), made anew. */
  private decoratePosts(): void {
    this.stripsResized.disconnect();
    for (const old of this.root.querySelectorAll('.mn-series-bar, .mn-backlinks')) old.remove();
    if (!this.info) return;
    const show = this.host.show();
    for (const p of this.info.posts) {
      const article = this.root.querySelector<HTMLElement>(`article[data-post="${p.post}"]`);
      if (!article) continue;
      const body = article.querySelector(':scope > .mn-post-body');
      if (p.bar && show.bar) article.insertBefore(this.bar(p.bar), body);
      if (p.citedBy.length && show.backlinks) article.append(this.backlinks(p.citedBy));
    }
  }

  private link(id: number, text: string, className: string): HTMLAnchorElement {
    const a = document.createElement('a');
    a.className = className;
    a.href = '#';
    a.dataset.target = String(id);
    a.textContent = text;
    const t = this.targetOf(id);
    if (t) a.title = t.title;
    return a;
  }

  private bar(b: NonNullable<SeriesPageInfo['posts'][number]['bar']>): HTMLElement {
    const { host } = this;
    const nav = document.createElement('nav');
    nav.className = 'mn-series-bar';
    nav.setAttribute('aria-label', b.name);
    const name = document.createElement('span');
    name.className = 'mn-series-name';
    name.textContent = b.name;
    name.title = b.name; // the bar may cut the name with an ellipsis
    const number = document.createElement('span');
    number.className = 'mn-series-number';
    number.textContent = host.label('partNumber', b.number);
    const parts = document.createElement('span');
    parts.className = 'mn-series-parts';
    for (const part of b.parts) {
      if (part.current) {
        const here = document.createElement('span');
        here.className = 'mn-series-part mn-series-current';
        here.setAttribute('aria-current', 'page');
        here.textContent = String(part.number);
        parts.append(here);
      } else if (part.target !== undefined) {
        parts.append(this.link(part.target, String(part.number), 'mn-series-part'));
      } else {
        const gap = document.createElement('span');
        gap.className = 'mn-series-part mn-series-gap';
        gap.textContent = String(part.number);
        gap.title = host.label('gap', part.number);
        parts.append(gap);
      }
    }
    const previous = `← ${host.label('previous')}`;
    const next = `${host.label('next')} →`;
    // Name and number, and ← parts →, each stay together: a preview too narrow for both on one row
    // puts them on two.
    const head = document.createElement('span');
    head.className = 'mn-series-head';
    head.append(name, number);
    const pager = document.createElement('span');
    pager.className = 'mn-series-pager';
    pager.append(
      b.previous !== undefined ? this.link(b.previous, previous, 'mn-series-prev') : disabled(previous, 'mn-series-prev'),
      parts,
      b.next !== undefined ? this.link(b.next, next, 'mn-series-next') : disabled(next, 'mn-series-next'),
    );
    nav.append(head, pager);
    this.stripsResized.observe(parts);
    return nav;
  }

  private backlinks(ids: number[]): HTMLElement {
    const aside = document.createElement('aside');
    aside.className = 'mn-backlinks';
    const h = document.createElement('h2');
    h.textContent = `${this.host.label('citedBy')} (${ids.length})`;
    const ul = document.createElement('ul');
    for (const id of ids) {
      const t = this.targetOf(id);
      if (!t) continue;
      const li = document.createElement('li');
      li.append(this.link(id, t.title || t.where, 'mn-backlink'));
      if (t.date) {
        const d = document.createElement('span');
        d.className = 'mn-backlink-date';
        d.textContent = ` · ${t.date}`;
        li.append(d);
      }
      ul.append(li);
    }
    aside.append(h, ul);
    return aside;
  }
}

/** Centres the strip's current part if it is not wholly in view (the reader's own scroll stays otherwise). */
function showCurrentPart(strip: HTMLElement): void {
  const here = strip.querySelector('.mn-series-current');
  if (!here || strip.clientWidth === 0) return;
  const s = strip.getBoundingClientRect();
  const h = here.getBoundingClientRect();
  if (h.left >= s.left && h.right <= s.right) return;
  strip.scrollLeft += h.left + h.width / 2 - (s.left + s.width / 2);
}

function disabled(text: string, className: string): HTMLElement {
  const s = document.createElement('span');
  s.className = `${className} mn-disabled`;
  s.setAttribute('aria-disabled', 'true');
  s.textContent = text;
  return s;
}

/** The target a click or key press on `el` means, if any. */
function targetAt(el: Element | null): number | undefined {
  const link = el?.closest?.('a');
  // A link whose whole text is a resolved citation opens the post; any other link is a link.
  const mark = link?.querySelector<HTMLElement>('.mn-cite[data-target]');
  const withTarget = el?.closest?.<HTMLElement>('[data-target]') ?? (mark && link!.textContent === mark.textContent ? mark : undefined);
  const id = withTarget?.dataset.target;
  return id === undefined ? undefined : Number(id);
}

/** A click or Enter on a citation, a part or a backlink: the host opens its target (by number). */
function installTargetClicks(root: HTMLElement, page: SeriesPage, hideCard: () => void): void {
  // Capture: before the page's generic link handler, which would send the Markdown link's URL.
  document.addEventListener(
    'click',
    (e) => {
      const id = targetAt(e.target as Element | null);
      if (id === undefined) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      hideCard();
      page.host.open(id, page.generation);
    },
    true,
  );
  root.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    const id = targetAt(e.target as Element | null);
    if (id === undefined) return;
    e.preventDefault();
    page.host.open(id, page.generation);
  });
}

/** A hover card on a linked citation: the post's title, date, place and first sentence. */
function installCitationCard(root: HTMLElement, page: SeriesPage): HTMLElement {
  const card = document.createElement('div');
  card.className = 'mn-cite-card';
  card.setAttribute('role', 'tooltip');
  card.hidden = true;
  document.body.append(card);
  root.addEventListener('mouseover', (e) => {
    const mark = (e.target as Element | null)?.closest?.<HTMLElement>('.mn-cite-ok');
    if (!mark) return;
    const t = page.targetOf(Number(mark.dataset.target));
    if (!t) return;
    const title = document.createElement('div');
    title.className = 'mn-cite-card-title';
    title.textContent = t.title;
    const meta = document.createElement('div');
    meta.className = 'mn-cite-card-meta';
    meta.textContent = [t.date, t.where].filter(Boolean).join(' · ');
    const items: HTMLElement[] = [title, meta];
    if (t.firstSentence) {
      const first = document.createElement('div');
      first.className = 'mn-cite-card-first';
      first.textContent = t.firstSentence;
      items.push(first);
    }
    if (mark.classList.contains('mn-cite-inexact')) {
      const note = document.createElement('div');
      note.className = 'mn-cite-card-note';
      note.textContent = page.host.label('inexact', t.title);
      items.push(note);
    }
    card.replaceChildren(...items);
    card.hidden = false;
    const r = mark.getBoundingClientRect();
    placeCard(card, r, r.left);
  });
  root.addEventListener('mouseout', (e) => {
    if ((e.target as Element | null)?.closest?.('.mn-cite-ok')) card.hidden = true;
  });
  return card;
}
