"""Charts drawn on the server: a horizontal bar chart as accessible SVG (`role="img"`,
a <title> and a <desc>; the table that follows each chart holds the same numbers).
Pure: no database, no request."""

from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR = 22
GAP = 6
LABEL_WIDTH = 220
WIDTH = 640
MAX_BARS = 30
# A label longer than FIT_FROM characters is fitted into the label column; longer than
# LABEL_CHARS, it is cut (13 px type is about 7-8 px a character).
FIT_FROM = 24
LABEL_CHARS = 28


def bar_chart(title: str, rows: list[tuple[str, float]], *, desc: str = "") -> SafeString:
    """One bar per (label, value); the longest bar is the largest value. At most
    MAX_BARS bars (the largest kept in their order); the table has them all."""
    rows = rows[:MAX_BARS]
    top = max((v for _label, v in rows), default=0) or 1
    height = max(len(rows), 1) * (BAR + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc or title)}</desc>",
    ]
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR + GAP)
        w = round(span * (value or 0) / top, 1)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR * 0.7}" text-anchor="end" '
            f'font-size="13"{_label_text(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w}" height="{BAR}" '
            f'fill="currentColor" opacity="0.75"></rect>'
            f'<text x="{LABEL_WIDTH + w + 6}" y="{y + BAR * 0.7}" font-size="13">'
            f"{escape(_number(value))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def _label_text(label: str) -> str:
    """The rest of a label's <text> tag and its words: cut at LABEL_CHARS, and a long
    one fitted into the label column (`textLength`), so that no font draws it past the
    chart's left edge (the table under the chart has the whole label)."""
    if len(label) <= FIT_FROM:
        return f">{escape(label)}"
    short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
    return f' textLength="{LABEL_WIDTH - 12}" lengthAdjust="spacingAndGlyphs">{escape(short)}'


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"
    return f"{int(value or 0):,}".replace(",", ".")
