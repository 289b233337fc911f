"""Named results a notebook records, `record("rows_ingested", 5)`, kept with its run.

A record is a display output of its own MIME type, so it stays in the executed notebook and
shows on a book page as ``name = value`` (its plain-text form); the runner reads the records
back from the executed notebook (`records_of`) and stores them with the run, where the API
and ``holocron runs compare`` show them. Values are JSON: numbers, strings, booleans, None,
and lists and dicts of those. NumPy and pandas scalars (what a query's cell holds), decimals
and dates are converted; anything else is refused naming the record and the type, in the
cell that recorded it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import re
from typing import Any

from holocron_lib.errors import RecordError

__all__ = ["MAX_RECORDS", "MAX_RUN_BYTES", "MAX_VALUE_BYTES", "RECORD_MIME", "check_name", "json_value",
           "record", "records_of"]

RECORD_MIME = "application/vnd.holocron.record+json"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}\Z")
MAX_VALUE_BYTES = 16 * 1024  # one value as JSON text: results are figures, not data sets
MAX_RECORDS = 200  # names kept per run; later new names are ignored
MAX_RUN_BYTES = 64 * 1024  # all of a run's records as JSON: what a run listing carries
MAX_DEPTH = 16
_JSON_KINDS = "numbers, strings, booleans, None, or lists and dicts of them"


def check_name(name: object) -> str:
    """``name`` when it is identifier-like (it becomes a row of a comparison), else raise."""
    if not isinstance(name, str):
        raise RecordError(repr(name)[:100], f"the name must be a string, not "
                          f"{type(name).__name__}")
    if not NAME.match(name):
        raise RecordError(name[:100], "the name must be identifier-like: letters, digits and "
                          "_, not starting with a digit, at most 100 characters "
                          "(e.g. rows_ingested)")
    return name


def _type_name(value: object) -> str:
    kind = type(value)
    return kind.__qualname__ if kind.__module__ == "builtins" else (
        f"{kind.__module__.split('.')[0]}.{kind.__qualname__}")


def _convert(name: str, value: Any, where: str, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise RecordError(name, f"the value is nested more than {MAX_DEPTH} levels deep")
    if value is None or isinstance(value, bool | str):
        return str(value) if isinstance(value, str) and type(value) is not str else value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RecordError(name, f"{where} is {value}, which JSON cannot hold; record None "
                              "for no value")
        return float(value)
    if isinstance(value, decimal.Decimal):
        whole = value.is_finite() and value == value.to_integral_value()
        return _convert(name, int(value) if whole else float(value), where, depth)
    kind = type(value)
    if kind.__name__ in ("NAType", "NaTType") and kind.__module__.startswith("pandas"):
        return None  # pandas' missing value (NaT passes for a datetime)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if kind.__module__.startswith("numpy") and getattr(value, "ndim", None) == 0:
        return _convert(name, value.item(), where, depth)  # a NumPy scalar as its Python value
    if isinstance(value, list | tuple):
        return [_convert(name, v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise RecordError(name, f"{where} has a key of type {_type_name(key)}; the "
                                  "keys of a recorded dict must be strings")
            kept[key] = _convert(name, item, f"{where}[{key[:40]!r}]", depth + 1)
        return kept
    hint = " (convert it with .tolist())" if hasattr(value, "tolist") else ""
    raise RecordError(name, f"{where} is of type {_type_name(value)}, which is not JSON{hint}; "
                      f"record {_JSON_KINDS}")


def json_value(name: str, value: Any) -> Any:
    """``value`` as the JSON the run keeps, or `RecordError` naming ``name`` and why."""
    kept = _convert(name, value, "the value", 0)
    try:
        size = len(json.dumps(kept, allow_nan=False, ensure_ascii=False).encode("utf-8"))
    except UnicodeEncodeError:
        raise RecordError(name, "the value holds text that is not valid Unicode (a lone "
                          "surrogate)") from None
    if size > MAX_VALUE_BYTES:
        raise RecordError(name, f"the value is {size} bytes as JSON; a record holds at most "
                          f"{MAX_VALUE_BYTES} (record a summary, and show the data)")
    return kept


def record(name: str, value: Any) -> None:
    """Record a named result of this run: shown under the cell, stored with the run.

    Recording a name again replaces its value. Raises `RecordError` for a name that is not
    identifier-like or a value that is not JSON.
    """
    name = check_name(name)
    kept = json_value(name, value)
    text = f"{name} = {json.dumps(kept, ensure_ascii=False)}"
    # lazy: IPython loads only in a notebook that records something
    from IPython import get_ipython
    from IPython.display import display

    if get_ipython() is None:  # a plain Python process: nothing keeps display outputs
        print(text)
        return
    display({RECORD_MIME: {"name": name, "value": kept}, "text/plain": text}, raw=True)


def records_of(nb) -> dict[str, Any]:
    """The results recorded in an executed notebook, by name, in the order first recorded,
    each with the last value recorded under its name. Outputs of our MIME type that are not
    a well-formed record (written by other means) are passed over, and so are the records
    past MAX_RECORDS names or MAX_RUN_BYTES in all (the executed notebook still shows them)."""
    found: dict[str, Any] = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            payload = (output.get("data") or {}).get(RECORD_MIME)
            if not isinstance(payload, dict) or "value" not in payload:
                continue
            name = payload.get("name")
            if not isinstance(name, str) or not NAME.match(name):
                continue
            if name not in found and len(found) >= MAX_RECORDS:
                continue
            try:
                found[name] = json_value(name, payload["value"])
            except RecordError:
                continue
    kept, size = {}, 2
    for name, value in found.items():
        size += len(json.dumps({name: value}, ensure_ascii=False).encode("utf-8"))
        if size > MAX_RUN_BYTES:
            break
        kept[name] = value
    return kept
