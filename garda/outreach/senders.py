"""The SMS/WhatsApp sender behind an interface (docs/outreach.md, "Senders").

A sender takes a list of `Message`s and hands them to a gateway. Which one is used is
the setting OUTREACH_SMS_BACKEND (environment GARDA_OUTREACH_SMS_BACKEND):

- "console" (the default; demo and tests): one line per message on the log
  `garda.outreach.sms`;
- "file": one line per message appended to GARDA_VAR_DIR/sms/outbox.log
  (`<ISO time>\\t<phone>\\t<text>`), for a demo to show what would have gone out;
- a dotted path to a class with the same `send(messages)` method (a real gateway).

Messages carry no identity numbers: an announcement's title and link only.
"""

import importlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("garda.outreach.sms")


@dataclass(frozen=True)
class Message:
    phone: str  # E.164
    text: str


class Sender(Protocol):
    def send(self, messages: list[Message]) -> int:
        """Send every message; return how many were handed over."""


class ConsoleSender:
    def send(self, messages: list[Message]) -> int:
        for message in messages:
            logger.info("SMS to %s: %s", message.phone, message.text)
        return len(messages)


class FileSender:
    def __init__(self, directory: Path | None = None):
        self.path = Path(directory or Path(settings.VAR_DIR) / "sms") / "outbox.log"

    def send(self, messages: list[Message]) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        now = timezone.now().isoformat(timespec="seconds")
        with self.path.open("a", encoding="utf-8") as out:
            for message in messages:
                text = " ".join(message.text.split())  # one line per message
                out.write(f"{now}\t{message.phone}\t{text}\n")
        return len(messages)


BACKENDS = {"console": ConsoleSender, "file": FileSender}


def get_sender() -> Sender:
    name = getattr(settings, "OUTREACH_SMS_BACKEND", "console") or "console"
    if name in BACKENDS:
        return BACKENDS[name]()
    module, _, cls = name.rpartition(".")
    return getattr(importlib.import_module(module), cls)()
