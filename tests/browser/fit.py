"""Does a page fit a phone screen? One script run in the browser: the page is no wider
than the viewport, no element outside a table's scroll box reaches past the right edge,
and every table either fits its box or scrolls inside a visible ``.tablewrap``."""

from __future__ import annotations

from typing import Any

FIT_SCRIPT = """() => {
  const vw = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const problems = [];
  const scrolling = [];
  if (document.documentElement.scrollWidth > vw) {
    problems.push('halaman ' + document.documentElement.scrollWidth + ' px');
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (el.parentElement && el.parentElement.closest('.tablewrap')) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 0.5) problems.push(name(el) + ' sampai ' + Math.round(r.right) + ' px');
  }
  for (const table of document.querySelectorAll('table')) {
    const wrap = table.closest('.tablewrap');
    if (!wrap) { problems.push('tabel di luar .tablewrap'); continue; }
    if (table.scrollWidth > wrap.clientWidth + 1) {
      const overflow = getComputedStyle(wrap).overflowX;
      if (overflow !== 'auto' && overflow !== 'scroll') problems.push('tabel terpotong');
      else scrolling.push(table.scrollWidth);
    }
  }
  return {problems, scrolling, width: document.documentElement.scrollWidth, viewport: vw};
}"""


def fit(page: Any) -> dict[str, Any]:
    """``problems`` (empty when the page fits), ``scrolling`` (widths of tables that scroll
    inside their visible box), ``width`` and ``viewport``."""
    return page.evaluate(FIT_SCRIPT)
