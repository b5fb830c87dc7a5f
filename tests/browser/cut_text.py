"""Text a page cuts (an ellipsis, or lines clamped) that a person cannot read whole on hover:
every cut piece of text should be in the `title` of its element or the nearest one above."""

from __future__ import annotations

from typing import Any

_CUT_WITHOUT_TITLE = """(root) => {
  const norm = (text) => text.replace(/\\s+/g, ' ').trim();
  const found = [];
  for (const el of (root || document.body).querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || !el.getClientRects().length) continue;
    const clamped = style.webkitLineClamp && style.webkitLineClamp !== 'none'
      && el.scrollHeight > el.clientHeight + 1;
    const cut = style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1;
    if (!clamped && !cut) continue;
    const holder = el.closest('[title]');
    const title = norm(holder ? holder.getAttribute('title') : '');
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = norm(walker.currentNode.textContent);
      if (text && !title.includes(text)) {
        found.push(`${el.className}: "${norm(el.textContent)}" (title: "${title}")`);
        break;
      }
    }
  }
  return found;
}"""


def cut_without_title(page: Any, selector: str = "body") -> list[str]:
    """Each element under `selector` whose text is cut and not in a tooltip, described."""
    return page.locator(selector).first.evaluate(_CUT_WITHOUT_TITLE)
