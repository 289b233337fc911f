"""What the web page shows of the API's answers: form fields from a parameter contract, and
values as text.

The run form is generated from the ``parameters`` of ``GET /notebooks/{name}`` (one
`ParameterOut` each), so the page, the command line and the API read one contract. Each field
carries its rules as ``data-`` attributes for the page's script, which checks them before
anything is sent; the server checks again and its answer is shown beside the field it names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# How each parameter type is entered: (widget, HTML input type)
_WIDGETS = {"int": ("input", "number"), "float": ("input", "number"), "bool": ("checkbox", ""),
            "list": ("textarea", ""), "dict": ("textarea", ""), "str": ("input", "text"),
            "path": ("input", "text")}
TERMINAL = ("succeeded", "failed", "error", "timed_out", "cancelled")


@dataclass
class FormField:
    """One input of the run form, as the template draws it."""

    name: str
    type: str
    widget: str  # input, select, checkbox, textarea
    input_type: str
    value: str  # the text the input starts with (JSON for select options and lists)
    description: str
    rules: str  # the rules in words, shown under the input
    required: bool
    options: list[tuple[str, str]] = field(default_factory=list)  # (JSON value, label)
    data: dict[str, str] = field(default_factory=dict)  # data-* attributes for the script


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _rules_text(p: dict[str, Any]) -> str:
    bits = []
    sized = p["type"] in ("str", "path", "list", "dict")
    low, high = p.get("min"), p.get("max")
    measure = "length " if sized else ""
    if low is not None and high is not None:
        bits.append(f"{measure}{low} to {high}")
    elif low is not None:
        bits.append(f"{measure}at least {low}")
    elif high is not None:
        bits.append(f"{measure}at most {high}")
    if p.get("pattern"):
        bits.append(f"matching {p['pattern']}")
    if p.get("within"):
        bits.append(f"a relative path inside the {p['within']} folder")
    if p.get("nullable"):
        bits.append("may be empty (null)")
    if p.get("marks"):
        bits.append("needs a higher role: " + ", ".join(p["marks"]))
    return "; ".join(bits)


def form_field(p: dict[str, Any]) -> FormField:
    """The form input for one parameter of the contract (a `ParameterOut` as JSON)."""
    widget, input_type = _WIDGETS.get(p["type"], ("input", "text"))
    data = {"type": p["type"], "required": "1" if p["required"] else "",
            "nullable": "1" if p.get("nullable") else "",
            "default-null": "1" if p.get("default") is None else ""}
    for key in ("min", "max", "pattern"):
        if p.get(key) is not None:
            data[key] = str(p[key])
    options: list[tuple[str, str]] = []
    value = _text(p.get("default"))
    if p.get("allowed"):
        widget = "select"
        options = [(json.dumps(a), _text(a)) for a in p["allowed"]]
        if p.get("nullable") or p.get("default") is None:
            options.insert(0, ("null" if p.get("nullable") else "", "(none)"))
        value = json.dumps(p["default"]) if p.get("default") is not None else ""
    elif widget == "checkbox":
        value = "1" if p.get("default") else ""
    return FormField(name=p["name"], type=p["type"], widget=widget, input_type=input_type,
                     value=value, description=p.get("description") or "",
                     rules=_rules_text(p), required=bool(p["required"]), options=options,
                     data=data)


def value_text(value: Any) -> str:
    """A value of a run (parameter, lineage entry, recorded result) as one line of text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value == "":
        return '""'  # an empty string, shown as one
    return _text(value) if value is not None else "null"


def rows(mapping: Any) -> list[tuple[str, str]]:
    """A key/value table of whatever a mapping holds (lineage, results: keys not fixed)."""
    if isinstance(mapping, dict):
        return [(str(k), value_text(v)) for k, v in mapping.items()]
    if isinstance(mapping, list):  # a list of {name, value} records
        out = []
        for i, item in enumerate(mapping):
            if isinstance(item, dict) and "name" in item:
                rest = {k: v for k, v in item.items() if k != "name"}
                shown = rest["value"] if set(rest) == {"value"} else rest
                out.append((str(item["name"]), value_text(shown)))
            else:
                out.append((str(i), value_text(item)))
        return out
    return [] if mapping is None else [("value", value_text(mapping))]


def when(text: str | None) -> str:
    """An API time (ISO 8601, UTC) as the page shows it."""
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def local(text: str | None) -> str:
    """A time with its UTC offset (a schedule's zone) as the page shows it."""
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def seconds(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.1f} s" if value < 120 else f"{value / 60:.1f} min"
