"""Log filters: identity numbers never reach the logs (SECURITY.md test 16)."""

import logging
import re

_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")


def redact(text: str) -> str:
    return _NIK.sub("[NIK]", text)


class RedactIdentityNumbers(logging.Filter):
    """Replace any 16-digit number (a NIK or KK number) in a log record by "[NIK]".

    Django logs the request path of every 4xx/5xx, and `GET /api/v1/nik/{nik}`
    carries a NIK in its path.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
