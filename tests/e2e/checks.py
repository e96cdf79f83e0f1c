"""Checks run on every page a journey visits: axe-core, pa11y, narrow viewport, screenshots."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from .conftest import SCREENSHOTS

_axe = Axe()
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.parentElement.closest('.table-scroll'))
  .concat([...document.querySelectorAll('body *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 && !e.closest('.table-scroll')).slice(0,5))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')"""


PA11Y_DIR = Path(__file__).resolve().parent / "pa11y"


class Pa11y:
    """One Node process running pa11y (HTML_CodeSniffer, WCAG2AA) in Debian's Chromium for every page."""

    _process = None

    @classmethod
    def errors(cls, url: str, cookie: str) -> list[dict]:
        if cls._process is None:
            assert shutil.which("node"), "node is missing: the browser tests run pa11y with Node.js"
            assert (PA11Y_DIR / "node_modules" / "pa11y").exists(), (
                f"pa11y is not installed: run `npm ci` in {PA11Y_DIR} (scripts/test.sh does)"
            )
            cls._process = subprocess.Popen(
                ["node", "run.mjs"], cwd=PA11Y_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
        cls._process.stdin.write(json.dumps({"url": url, "cookie": cookie}) + "\n")
        cls._process.stdin.flush()
        answer = json.loads(cls._process.stdout.readline())
        assert "error" not in answer, f"pa11y could not check {url}: {answer.get('error')}"
        return answer["issues"]

    @classmethod
    def close(cls) -> None:
        if cls._process is not None:
            cls._process.stdin.close()
            cls._process.wait(timeout=30)
            cls._process.stdout.close()
            cls._process = None


def check_page(page, name: str) -> None:
    """No serious or critical axe violation and no pa11y error; no sideways scrolling at 375 px;
    screenshots at 1,280 and 375 px."""
    results = _axe.run(page, options=AXE_OPTIONS)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{name} ({page.url}): " + "; ".join(
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )
    if not page.url.startswith("about:"):
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies(page.url))
        issues = Pa11y.errors(page.url, cookie)
        assert not issues, f"{name} ({page.url}) pa11y: " + "; ".join(
            f"{i['code']}: {i['message']} -> {i['selector']}" for i in issues[:5]
        )
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    slug = re.sub(r"[^a-z0-9-]+", "-", name.lower())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{slug}-375.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.evaluate(WIDEST) if overflow > 0 else ""
    if overflow > 0:
        page.screenshot(path="/tmp/overflow.png", full_page=True)
        wide += " | " + page.evaluate(
            "() => [...document.querySelectorAll('.table-scroll')].map(e => getComputedStyle(e).overflowX"
            " + ' ' + e.getBoundingClientRect().width + ' ' + e.scrollWidth).join(';')"
        )
    page.set_viewport_size(size)
    assert overflow <= 0, f"{name} ({page.url}) scrolls sideways by {overflow}px at 375px: {wide}"
    page.screenshot(path=str(SCREENSHOTS / f"{slug}.png"), full_page=True)
