"""Log filters: identity numbers and session ids never reach the logs (docs/security.md,
test 16)."""

import logging
import re

# A NIK or KK number: exactly 16 digits, not part of a longer number.
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
# A passport number as the person form accepts it (forms.clean_passport_number): 7 to 9
# upper-case letters and digits. Only tokens with at least one letter and at least five
# digits count, the shape of Indonesian passports (A1234567, AB1234567): upper-case
# words (WARNING, INSTALLED) and codes such as ISO8601 or SHA256 stay readable.
PASSPORT = re.compile(
    r"(?<![A-Za-z0-9])(?=[A-Z0-9]*[A-Z])(?=(?:[A-Z]*[0-9]){5})[A-Z0-9]{7,9}(?![A-Za-z0-9])"
)
# A Django session key: 32 characters from a-z and 0-9. A key made of hex digits only
# has odds of 1 in 10^11, so such tokens (request ids, uuid4().hex, digests) are kept.
SESSION_KEY = re.compile(r"(?<![A-Za-z0-9])(?=[a-z0-9]*[g-z])[a-z0-9]{32}(?![A-Za-z0-9])")

_PATTERNS = ((NIK, "[NIK]"), (PASSPORT, "[PASSPORT]"), (SESSION_KEY, "[SESSION]"))


def redact(text: str) -> str:
    for pattern, label in _PATTERNS:
        text = pattern.sub(label, text)
    return text


class RedactIdentityNumbers(logging.Filter):
    """Replace NIK/KK numbers (16 digits), passport numbers and session keys in a log
    record, traceback included, by "[NIK]", "[PASSPORT]" and "[SESSION]".

    Django logs the request path of every 4xx/5xx, and `GET /api/v1/nik/{nik}` carries
    a NIK in its path; an exception's message may quote the value that broke it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken call: its handler would print the raw arguments
            message = f"{record.msg} {record.args!r}"
            record.msg, record.args = message, None
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when set: render the traceback here to clean it.
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_formatter = logging.Formatter()
