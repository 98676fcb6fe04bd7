"""Indonesian formats: "6 Maret 2026", "6 Mar 2026", "6 Maret 2026, 14.30"
(docs/design-ui.md §4: no leading zero, full month name, no 2-digit years)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H.i"
SHORT_DATETIME_FORMAT = "j M Y, H.i"
TIME_FORMAT = "H.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday

# What forms accept: ISO first (what <input type="date"> sends and is given back),
# then the ways people write dates by hand.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-03-06'
    "%d-%m-%Y",  # '06-03-2026'
    "%d/%m/%Y",  # '06/03/2026'
    "%d %B %Y",  # '6 Maret 2026'
    "%d %b %Y",  # '6 Mar 2026'
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # '14:30' (<input type="time">)
    "%H:%M:%S",  # '14:30:59'
    "%H.%M",  # '14.30'
    "%H.%M.%S",  # '14.30.59'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # '2026-03-06 14:30:59'
    "%Y-%m-%dT%H:%M",  # '2026-03-06T14:30' (<input type="datetime-local">)
    "%Y-%m-%dT%H:%M:%S",  # '2026-03-06T14:30:59'
    "%Y-%m-%d %H:%M",  # '2026-03-06 14:30'
    "%Y-%m-%d",  # '2026-03-06'
    "%d-%m-%Y %H.%M",  # '06-03-2026 14.30'
    "%d/%m/%Y %H.%M",  # '06/03/2026 14.30'
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
