// Where a hover card goes: under its anchor, or above when there is no room below; `left` is the
// card's preferred left edge, kept inside the window.

export function placeCard(card: HTMLElement, anchor: DOMRect, left: number): void {
  card.style.left = `${Math.max(8, Math.min(left, window.innerWidth - card.offsetWidth - 8)) + window.scrollX}px`;
  const below = anchor.bottom + 6;
  const top =
    below + card.offsetHeight > window.innerHeight && anchor.top > card.offsetHeight + 6 ? anchor.top - card.offsetHeight - 6 : below;
  card.style.top = `${top + window.scrollY}px`;
}
