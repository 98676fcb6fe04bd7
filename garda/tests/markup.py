"""What a staff page's tables and dates look like to a reader (docs/design-ui.md, §2.5
and §4), read from the HTML the test client gets: no browser needed.

- `tables(html)`: every <table> with its caption, header cells and body cells, so a
  test can assert that the table stacks into cards below 640 px (class "stack", each
  body cell labelled by data-label, each column header scoped) and says what it lists;
- `visible_text(html)`: the text a reader sees (no tags, attributes, scripts or
  hidden inputs), for asserting dates are written as "6 Maret 2026", never ISO.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

ISO_DATE = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")


@dataclass
class Table:
    classes: list[str]
    caption: str = ""
    header_scopes: list[str | None] = field(default_factory=list)
    header_texts: list[str] = field(default_factory=list)
    # (data-label or None, text) per body cell, row by row.
    rows: list[list[tuple[str | None, str]]] = field(default_factory=list)

    @property
    def stacks(self) -> bool:
        return "stack" in self.classes

    def unlabelled_cells(self) -> list[str]:
        return [text for row in self.rows for label, text in row if not label]

    def labels(self) -> list[str]:
        """The data-labels of the first row, in order."""
        return [label or "" for label, _ in self.rows[0]] if self.rows else []


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.stack: list[Table] = []
        self.section = ""
        self.cell: list | None = None  # [label, [text parts]]
        self.in_caption = False
        self.header: list | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            table = Table(classes=(attributes.get("class") or "").split())
            self.tables.append(table)
            self.stack.append(table)
        elif not self.stack:
            return
        elif tag == "br" and self.cell is not None:
            self.cell[1].append(" ")
        elif tag == "caption":
            self.in_caption = True
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr" and self.section in ("tbody", "tfoot"):
            self.stack[-1].rows.append([])
        elif tag == "th" and self.section == "thead":
            self.stack[-1].header_scopes.append(attributes.get("scope"))
            self.header = []
        elif tag == "td" and self.section in ("tbody", "tfoot"):
            self.cell = [attributes.get("data-label"), []]

    def handle_endtag(self, tag):
        if not self.stack:
            return
        if tag == "table":
            self.stack.pop()
        elif tag == "caption":
            self.in_caption = False
        elif tag == "th" and self.header is not None:
            self.stack[-1].header_texts.append(" ".join("".join(self.header).split()))
            self.header = None
        elif tag == "td" and self.cell is not None:
            label, parts = self.cell
            self.stack[-1].rows[-1].append((label, " ".join("".join(parts).split())))
            self.cell = None

    def handle_data(self, data):
        if not self.stack:
            return
        if self.in_caption:
            self.stack[-1].caption += data
        if self.header is not None:
            self.header.append(data)
        if self.cell is not None:
            self.cell[1].append(data)


def tables(html: str) -> list[Table]:
    """The tables of `html` (of <main> when there is one: the page's own content)."""
    if '<main id="main">' in html:
        html = html.split('<main id="main">', 1)[1]
    parser = _Tables()
    parser.feed(html)
    for table in parser.tables:
        table.caption = " ".join(table.caption.split())
    return parser.tables


def assert_stacked_tables(html: str, *, at_least: int = 1) -> list[Table]:
    """Every table of the page stacks below 640 px and says what it lists: class
    "stack", a caption, scoped column headers, a data-label on every body cell equal
    to its column's header."""
    found = tables(html)
    assert len(found) >= at_least, f"expected {at_least} table(s), found {len(found)}"
    for table in found:
        assert table.stacks, f"a table without class stack: {table.header_texts}"
        assert table.caption, f"a table without a caption: {table.header_texts}"
        assert table.header_scopes and all(s == "col" for s in table.header_scopes), table
        assert table.unlabelled_cells() == [], f"cells without data-label: {table}"
        for row in table.rows:
            labels = [label for label, _ in row]
            if len(labels) == len(table.header_texts):
                assert labels == table.header_texts, (labels, table.header_texts)
    return found


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def iso_dates(html: str) -> list[str]:
    """ISO dates (2026-05-25) a reader would see on the page."""
    return [m.group(0) for m in ISO_DATE.finditer(visible_text(html))]


class _Summaries(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, dict[str, str]] = {}
        self.heading: list[str] | None = None
        self.current = ""
        self.in_summary = 0
        self.key: list[str] | None = None
        self.value: list[str] | None = None
        self.last_key = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "h2":
            self.heading = []
        elif tag == "dl" and "summary" in classes:
            self.in_summary += 1
            self.sections.setdefault(self.current, {})
        elif self.in_summary and tag == "dt":
            self.key = []
        elif self.in_summary and tag == "dd" and "summary-action" not in classes:
            self.value = []
        elif tag == "br" and self.value is not None:
            self.value.append(" ")

    def handle_endtag(self, tag):
        if tag == "h2" and self.heading is not None:
            self.current = " ".join("".join(self.heading).split())
            self.heading = None
        elif tag == "dl" and self.in_summary:
            self.in_summary -= 1
        elif tag == "dt" and self.key is not None:
            self.last_key = " ".join("".join(self.key).split())
            self.key = None
        elif tag == "dd" and self.value is not None:
            self.sections[self.current][self.last_key] = " ".join("".join(self.value).split())
            self.value = None

    def handle_data(self, data):
        for parts in (self.heading, self.key, self.value):
            if parts is not None:
                parts.append(data)


def summary_sections(html: str) -> dict[str, dict[str, str]]:
    """The summary lists (<dl class="summary">) of the page's <main>, by the h2 heading
    above each ("" before the first): {heading: {key: value}}, in page order."""
    if '<main id="main">' in html:
        html = html.split('<main id="main">', 1)[1]
    parser = _Summaries()
    parser.feed(html)
    return parser.sections
