"""The server's access log without credentials: tokens sent in a query string are dropped.

The API reads tokens only from the Authorization header, but a client may still put one in
the URL (``/runs?token=...``); uvicorn would write the URL as it came. This filter rewrites
each access-log line's path first: credential-like query parameters are removed, and any
configured secret still in the line becomes ``***``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from urllib.parse import unquote_plus

_CREDENTIAL = re.compile(r"token|key|secret|passw|auth|bearer|session|signature|credential",
                         re.IGNORECASE)


def without_credentials(target: str, redact: Callable[[str], str] | None = None) -> str:
    """``target`` (path and query) with credential-like query parameters dropped."""
    path, sep, query = target.partition("?")
    if sep:
        kept = [pair for pair in query.split("&")
                if pair and not _CREDENTIAL.search(unquote_plus(pair.partition("=")[0]))]
        target = path + ("?" + "&".join(kept) if kept else "")
    if redact is not None:
        target = redact(target)
        decoded = unquote_plus(target)
        if redact(decoded) != decoded:  # a secret, percent-encoded
            target = redact(decoded)
    return target


class QueryTokenFilter(logging.Filter):
    """For uvicorn's access logger, whose record args are (client, method, target, ...)."""

    def __init__(self, redact: Callable[[str], str] | None = None):
        super().__init__("holocron-access")
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], without_credentials(args[2], self.redact), *args[3:])
        return True
