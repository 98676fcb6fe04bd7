"""Date and number formats of the pages, one module per language (Django's
FORMAT_MODULE_PATH; docs/design-ui.md §4).

Dates on a page are Indonesian long ("6 Maret 2026", `{{ d }}` or `{{ d|date }}`) or
short ("6 Mar 2026", `{{ d|date:"SHORT_DATE_FORMAT" }}`), times "14.30"; never ISO.
Django's own `id` locale abbreviates the month in its long form ("6 Mar 2026") and
writes short dates as "06-03-2026", hence our own modules. Forms still read and
write ISO first, which is what `<input type="date">` sends and shows, and what the
tests submit.
"""

FORMAT_MODULE_PATH = ["garda.formats"]
