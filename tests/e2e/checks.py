"""Checks run on every page a journey visits: axe-core, narrow viewport, screenshot."""
from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe

from .conftest import SCREENSHOTS

_axe = Axe()
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.parentElement.closest('.table-scroll')).concat([...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1 && !e.closest('.table-scroll')).slice(0,5))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')"""


def check_page(page, name: str) -> None:
    """Zero serious or critical axe violations; no horizontal scrolling at 375 px; a screenshot."""
    results = _axe.run(page, options=AXE_OPTIONS)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{name} ({page.url}): " + "; ".join(
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in bad)
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.evaluate(WIDEST) if overflow > 0 else ""
    if overflow > 0:
        page.screenshot(path="/tmp/overflow.png", full_page=True)
        wide += " | " + page.evaluate("() => [...document.querySelectorAll('.table-scroll')].map(e => getComputedStyle(e).overflowX + ' ' + e.getBoundingClientRect().width + ' ' + e.scrollWidth).join(';')")
    page.set_viewport_size(size)
    assert overflow <= 0, f"{name} ({page.url}) scrolls sideways by {overflow}px at 375px: {wide}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"), full_page=True)
