"""Helpers for the browser tests: launching Debian's chromium, and the checks every page
a journey visits must pass (issue 20, "Proof in a real browser").

`PageChecks.check()` looks at the page as it is in the browser and records each problem
with the page's path instead of stopping at the first one, so that one run tells
everything that is wrong; `PageChecks.assert_clean()` fails the test with the list. The
checks:

- `<html lang>` set;
- no horizontal overflow at 360 px (the page is no wider than the phone's screen);
- transfer under 150 KB: the bytes on the wire of the document and of every CSS, JS and
  image file it loaded (as a first visit, an empty cache, would fetch them), the API
  documentation page excepted;
- every visible form field has a name: a `<label for>` (or a wrapping label),
  `aria-label` or `aria-labelledby`;
- no serious or critical accessibility violation found by axe-core, colour contrast
  (WCAG AA) included. axe-core is the copy bundled in the PyPI package
  `axe-playwright-python` (a test dependency), evaluated in the page through the
  DevTools protocol: no CDN, and no need to loosen the page's Content-Security-Policy;
- no console error, Content-Security-Policy violations and uncaught exceptions included.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"360": PHONE, "1280": DESKTOP}

MAX_TRANSFER = 150 * 1024
# Pages whose weight is not held to MAX_TRANSFER (the OpenAPI documentation loads its
# own viewer).
HEAVY_PAGES = ("/api/v1/docs",)
# axe-core impacts that fail a page; colour contrast fails whatever its impact.
FAILING_IMPACTS = ("serious", "critical")


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or os.environ.get("GARDA_E2E_REQUIRED") == "1"


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@functools.cache
def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


# Fields a person could fill that have no accessible name.
UNLABELLED_FIELDS_JS = """() => {
  const named = (el) => {
    if (el.labels && Array.from(el.labels).some((l) => l.textContent.trim())) return true;
    if ((el.getAttribute('aria-label') || '').trim()) return true;
    return (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some((id) => {
      const ref = id && document.getElementById(id);
      return ref && ref.textContent.trim();
    });
  };
  const skip = ['hidden', 'submit', 'button', 'reset', 'image'];
  return Array.from(document.querySelectorAll('input, select, textarea'))
    .filter((el) => !skip.includes(el.type))
    .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
    .filter((el) => !named(el))
    .map((el) => el.outerHTML.slice(0, 160));
}"""

# Bytes on the wire for the document and everything it loaded. encodedBodySize is the
# body as sent (compressed if it was), also for a file the cache answered.
TRANSFER_JS = """() => {
  const entries = [...performance.getEntriesByType('navigation'),
                   ...performance.getEntriesByType('resource')];
  return entries.map((e) => [e.name, e.encodedBodySize]);
}"""


class PageChecks:
    """Attach to a page (of a context with the page's own CSP, never bypass_csp), then
    call `check()` on every page the journey shows. With `js=False` (a context without
    JavaScript, where Playwright cannot evaluate anything in the page) only the console
    is checked."""

    def __init__(self, page, *, label: str = "", js: bool = True):
        self.page = page
        self.label = label
        self.js = js
        self.problems: list[str] = []
        self.checked: list[str] = []
        self._console: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self._console.append(f"uncaught: {exc}"))

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource") and (
            message.location.get("url") == self.page.url
        ):
            return  # the page's own status (a 404 page that says "not found" is right)
        self._console.append(message.text)

    def _problem(self, path: str, text: str) -> None:
        self.problems.append(f"{self.label} {path}: {text}")

    def check(self) -> None:
        page = self.page
        page.wait_for_load_state("load")
        path = urlsplit(page.url).path
        self.checked.append(path)
        width = page.viewport_size["width"]
        if not self.js:
            self._console_problems(path)
            return

        if not page.evaluate("document.documentElement.lang"):
            self._problem(path, "<html> has no lang")

        if width <= PHONE["width"]:
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll > inner:
                wide = page.evaluate(WIDEST_JS)
                self._problem(path, f"overflows at {inner} px: {scroll} px wide ({wide})")

        if not path.startswith(HEAVY_PAGES):
            sizes = page.evaluate(TRANSFER_JS)
            total = sum(size for _name, size in sizes)
            if total > MAX_TRANSFER:
                biggest = sorted(sizes, key=lambda s: -s[1])[:3]
                listed = ", ".join(f"{urlsplit(n).path} {s // 1024} KB" for n, s in biggest)
                self._problem(path, f"transfer {total // 1024} KB > 150 KB ({listed})")

        for field in page.evaluate(UNLABELLED_FIELDS_JS):
            self._problem(path, f"field without a label: {field}")

        for violation in self.axe():
            self._problem(path, violation)

        # After axe, so that anything axe's run would log is caught too.
        self._console_problems(path)

    def _console_problems(self, path: str) -> None:
        for message in self._console:
            self._problem(path, f"console error: {message}")
        self._console.clear()

    def axe(self) -> list[str]:
        page = self.page
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source())
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found = []
        for v in results["violations"]:
            if v["impact"] in FAILING_IMPACTS or v["id"] == "color-contrast":
                targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
                more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
                found.append(f"axe {v['id']} ({v['impact']}): {v['help']}: {targets}{more}")
        return found

    def assert_clean(self) -> None:
        assert self.checked, "no page was checked"
        assert not self.problems, "\n".join(
            [f"{len(self.problems)} page problem(s):", *self.problems]
        )


# What sticks out at the right: the widest elements, to say where an overflow comes from.
WIDEST_JS = """() => {
  const limit = window.innerWidth;
  const sticksOut = (el) => el && el.getBoundingClientRect().right > limit;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (sticksOut(el) && !sticksOut(el.parentElement)) {
      const name = typeof el.className === 'string' ? el.className.trim() : '';
      const cls = name ? '.' + name.split(/\\s+/).join('.') : '';
      const right = Math.round(el.getBoundingClientRect().right);
      out.push(el.tagName.toLowerCase() + cls + ' ' + right + 'px');
    }
    if (out.length >= 3) break;
  }
  return out.join(', ');
}"""
