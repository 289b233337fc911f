"""Values every run store can hold and every client can be sent back.

Checked up front when a run is requested (`unstorable`), and made printable when read back,
so a value the store somehow holds in a bad form never breaks a listing (`printable`).
"""

from __future__ import annotations

import math
import re
from typing import Any

MAX_DEPTH = 32  # nesting of list and dict values


def unstorable(values: Any, where: str = "parameters", depth: int = 0) -> str | None:
    """Why ``values`` cannot be stored and echoed as JSON on every store, or None.

    Refused: numbers that are not finite (JSON has none), strings with a lone surrogate (no
    UTF-8 for them), keys that are not strings, and nesting deeper than MAX_DEPTH. A NUL is
    fine: JSON escapes it, and both stores keep JSON. Checked before anything is recorded.
    """
    if depth > MAX_DEPTH:
        return f"{where} is nested more than {MAX_DEPTH} levels deep"
    if isinstance(values, float) and not math.isfinite(values):
        return f"{where} is not a finite number"
    if isinstance(values, str):
        try:
            values.encode("utf-8")
        except UnicodeEncodeError:
            return f"{where} holds a lone surrogate (text that is not valid Unicode)"
        return None
    if isinstance(values, dict):
        for key, value in values.items():
            if not isinstance(key, str):
                return f"{where} has a key that is not a string"
            shown = key.encode("utf-8", "replace").decode("utf-8")[:100]
            problem = unstorable(key, f"a key of {where}", depth + 1) or unstorable(
                value, f"{where}.{shown}", depth + 1)
            if problem:
                return problem
    elif isinstance(values, list | tuple):
        for i, value in enumerate(values):
            if problem := unstorable(value, f"{where}[{i}]", depth + 1):
                return problem
    return None


def unstorable_parameter(values: Any) -> tuple[str, str] | None:
    """(the parameter, why) for the first value that cannot be stored, or None."""
    if not isinstance(values, dict):
        return "(parameters)", "the parameters must be a JSON object"
    for key, value in values.items():
        shown = key.encode("utf-8", "replace").decode("utf-8")[:100] if isinstance(
            key, str) else "(a key)"
        problem = unstorable(key, "its name") or unstorable(value, "the value")
        if problem:
            return shown, problem
    return None


# ---------------------------------------------------------------- reading back


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable_text(value) -> str | None:
    """Stored text as it can be printed and sent: lone surrogates become U+FFFD."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return _SURROGATE.sub("\ufffd", text)


def printable(value):
    """A stored JSON value with every string printable and no non-finite number."""
    if isinstance(value, str):
        return printable_text(value)
    if isinstance(value, list):
        return [printable(v) for v in value]
    if isinstance(value, dict):
        return {printable_text(str(k)): printable(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def number_or_none(value, kind=int):
    """A stored number as ``kind``, or None when the store holds something else there."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return kind(value)
    except (TypeError, ValueError, OverflowError):
        return None
