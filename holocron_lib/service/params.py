"""The `parameters` cell as a contract: parse `NAME: type = default  # help [rules]`, check values.

Rules sit in square brackets at the end of the comment (book/conventions.md documents them):
``[min: 1]``, ``[max: 500]``, ``[allowed: dry_run|apply]`` (alias ``choices``),
``[pattern: ^[a-z_]+$]`` and ``[required]``; several may share one bracket, separated by
commas (``[min=1, max=500]``; ``:`` and ``=`` are interchangeable), except ``pattern``, which
takes its bracket alone. A parameter without a default is required.

Three more rules guard what a run may do: ``[within: run|user|project]`` makes the parameter
a path confined to that folder (`service.paths`), ``[sql]`` and ``[code]`` mark free-form SQL
or Python, and ``[writes]`` marks a parameter that makes the run change data (a ``bool``
named ``CONFIRM`` or ``CONFIRM_...`` is one without saying so). The API lets only some roles
set a marked parameter (`service.auth`).
"""

from __future__ import annotations

import ast
import io
import json
import math
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from holocron_lib.errors import ParameterError
from holocron_lib.service import paths

TYPES = ("str", "int", "float", "bool", "list", "dict", "path")
MARKS = ("sql", "code", "writes")
RULE_KEYS = ("min", "max", "allowed", "choices", "pattern", "required", "within", *MARKS)
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_INT = re.compile(r"[+-]?\d+")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a notebook, as declared in its `parameters` cell."""

    name: str
    type: str
    default: Any = None
    has_default: bool = True
    description: str = ""
    required: bool = False
    nullable: bool = False
    choices: tuple = ()
    minimum: int | float | None = None
    maximum: int | float | None = None
    pattern: str | None = None
    within: str | None = None  # path parameters: the folder they are confined to
    marks: tuple[str, ...] = ()  # sql, code, writes: who may set it (service.auth)
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def rules(self) -> dict[str, Any]:
        """Validation rules as stored and shown: only the ones that are set."""
        out: dict[str, Any] = {}
        if self.choices:
            out["allowed"] = list(self.choices)
        if self.minimum is not None:
            out["min"] = self.minimum
        if self.maximum is not None:
            out["max"] = self.maximum
        if self.pattern is not None:
            out["pattern"] = self.pattern
        if self.nullable:
            out["nullable"] = True
        if self.within is not None:
            out["within"] = self.within
        for mark in self.marks:
            out[mark] = True
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "type": self.type,
            "default": _jsonable(self.default) if self.has_default else None,
            "required": self.required, "description": self.description,
            "allowed": list(self.choices) or None, "min": self.minimum, "max": self.maximum,
            "pattern": self.pattern, "nullable": self.nullable, "within": self.within,
            "marks": list(self.marks),
        }

    def allowed_text(self) -> list[str]:
        """What a valid value looks like, for error messages and docs."""
        if self.choices:
            return [str(c) for c in self.choices]
        if self.type == "path":
            return [paths.describe(self.within or "run")]
        kind = {"str": "a string", "int": "a whole number", "float": "a number",
                "bool": "true or false", "list": "a JSON list", "dict": "a JSON object"}[self.type]
        bits = [kind]
        measure = "length " if self.type in ("str", "list", "dict") else ""  # path: see above
        if self.minimum is not None and self.maximum is not None:
            bits.append(f"{measure}from {self.minimum} to {self.maximum}")
        elif self.minimum is not None:
            bits.append(f"{measure}at least {self.minimum}")
        elif self.maximum is not None:
            bits.append(f"{measure}at most {self.maximum}")
        if self.pattern is not None:
            bits.append(f"matching {self.pattern}")
        return [" ".join(bits)]

    def format_value(self, value: Any) -> str:
        """The value as typed after ``-p NAME=`` on the command line."""
        return value if isinstance(value, str) else json.dumps(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


# ---------------------------------------------------------------- parsing


def _comments(source: str) -> dict[int, str]:
    found: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                found[tok.start[0]] = tok.string[1:].strip()
    except (tokenize.TokenError, IndentationError):
        pass
    return found


def _trailing_brackets(comment: str) -> tuple[str, list[str]]:
    """Split ``help [a] [b]`` into ``help`` and the bracket contents, rightmost last."""
    groups: list[str] = []
    text = comment.rstrip()
    while text.endswith("]"):
        depth, i = 0, len(text) - 1
        while i >= 0:
            depth += {"]": 1, "[": -1}.get(text[i], 0)
            if depth == 0:
                break
            i -= 1
        if i < 0:
            break
        inner = text[i + 1:-1].strip()
        key = re.split(r"[:=,\s]", inner, maxsplit=1)[0].lower()
        if key not in RULE_KEYS and not re.match(r"[A-Za-z_]+\s*[:=]", inner):
            break  # plain bracketed text; `[word: value]` is a rule, maybe a misspelt one
        groups.insert(0, inner)
        text = text[:i].rstrip()
    return text, groups


def _number(notebook: str, name: str, key: str, raw: str) -> int | float:
    raw = raw.strip()
    try:
        return int(raw) if _INT.fullmatch(raw) else float(raw)
    except ValueError:
        raise ParameterError(notebook, name, f"rule {key!r} needs a number, got {raw!r}") from None


def _parse_rules(notebook: str, name: str, groups: list[str]) -> dict[str, Any]:
    rules: dict[str, Any] = {}
    for inner in groups:
        head = re.split(r"[:=]", inner, maxsplit=1)
        if head[0].strip().lower() == "pattern":
            items = [inner]
        else:
            items = [i for i in inner.split(",") if i.strip()]
        for item in items:
            m = re.match(r"\s*([A-Za-z_]*)\s*(?:([:=])(.*))?$", item, re.S)
            key, sep, value = (m[1].lower(), m[2], m[3] or "") if m else (item.strip(), "", "")
            if key not in RULE_KEYS:
                raise ParameterError(notebook, name, f"unknown rule {key!r}",
                                     allowed=[k for k in RULE_KEYS if k != "choices"])
            if key in ("required", *MARKS):
                rules[key] = True
            elif key == "within":
                folder = value.strip().lower()
                if folder not in paths.FOLDERS:
                    raise ParameterError(notebook, name, f"rule 'within' names an unknown folder "
                                         f"{folder!r}", allowed=paths.FOLDERS)
                rules["within"] = folder
            elif not sep or not value.strip():
                raise ParameterError(notebook, name, f"rule {key!r} needs a value")
            elif key in ("min", "max"):
                rules[key] = _number(notebook, name, key, value)
            elif key in ("allowed", "choices"):
                rules["allowed"] = [v.strip().strip("\"'") for v in value.split("|")]
            else:
                pattern = value.strip()
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ParameterError(notebook, name, f"pattern {pattern!r} is not a valid "
                                         f"regular expression: {exc}") from None
                rules["pattern"] = pattern
    return rules


def _annotation_type(notebook: str, name: str, node: ast.expr | None) -> tuple[str | None, bool]:
    """(base type, nullable) from an annotation such as ``int``, ``list[str]``, ``str | None``."""
    if node is None:
        return None, False
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        parts = [node.left, node.right]
        nones = [p for p in parts if isinstance(p, ast.Constant) and p.value is None]
        rest = [p for p in parts if p not in nones]
        if nones and len(rest) == 1:
            return _annotation_type(notebook, name, rest[0])[0], True
    if isinstance(node, ast.Subscript):
        base = node.value
        if isinstance(base, ast.Name) and base.id == "Optional":
            return _annotation_type(notebook, name, node.slice)[0], True
        node = base
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value  # a quoted annotation, e.g. "path"
    else:
        text = node.id if isinstance(node, ast.Name) else ast.unparse(node)
    text = {"List": "list", "Dict": "dict", "tuple": "list", "Tuple": "list"}.get(text, text)
    if text not in TYPES:
        raise ParameterError(notebook, name, f"unsupported type {text!r}", allowed=TYPES)
    return text, False


def _literal(notebook: str, name: str, node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        raise ParameterError(notebook, name, "the default must be a literal value "
                             f"(got {ast.unparse(node)!r})") from None


def parse_parameters_cell(source: str, notebook: str = "?") -> tuple[Parameter, ...]:
    """Every parameter declared in a `parameters` cell, in order."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(notebook, "(parameters cell)",
                             f"line {exc.lineno}: {exc.msg}") from None
    comments = _comments(source)
    params: list[Parameter] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name, annotation, value = stmt.target.id, stmt.annotation, stmt.value
        elif (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
              and isinstance(stmt.targets[0], ast.Name)):
            name, annotation, value = stmt.targets[0].id, None, stmt.value
        else:
            raise ParameterError(notebook, f"(line {stmt.lineno})", "the parameters cell may "
                                 "only hold `NAME: type = default  # help` lines")
        comment = comments.get(stmt.lineno) or comments.get(stmt.end_lineno or stmt.lineno, "")
        description, groups = _trailing_brackets(comment)
        rules = _parse_rules(notebook, name, groups)
        type_, nullable = _annotation_type(notebook, name, annotation)
        has_default = value is not None
        default = _literal(notebook, name, value) if has_default else None
        if type_ is None:
            type_ = "str" if default is None else {
                str: "str", int: "int", float: "float", bool: "bool", list: "list",
                tuple: "list", dict: "dict"}.get(type(default))
            if type_ is None:
                raise ParameterError(notebook, name, f"unsupported default type "
                                     f"{type(default).__name__!r}", allowed=TYPES)
        nullable = nullable or (has_default and default is None)
        if "within" in rules or type_ == "path":
            if type_ not in ("str", "path"):
                raise ParameterError(notebook, name, "a path parameter ([within: ...]) must be "
                                     "a str")
            type_, within = "path", rules.get("within", "run")
        else:
            within = None
        marks = tuple(m for m in MARKS if rules.get(m))
        if (type_ == "bool" and "writes" not in marks
                and (name == "CONFIRM" or name.startswith("CONFIRM_"))):
            marks += ("writes",)
        choices: tuple = ()
        if "allowed" in rules:
            probe = Parameter(name, type_, nullable=nullable)
            choices = tuple(_coerce(notebook, probe, c, from_strings=True)
                            for c in rules["allowed"])
        param = Parameter(
            name=name, type=type_, default=default, has_default=has_default,
            description=description, required=not has_default or rules.get("required", False),
            nullable=nullable, choices=choices, minimum=rules.get("min"),
            maximum=rules.get("max"), pattern=rules.get("pattern"), within=within,
            marks=marks,
        )
        if has_default and default is not None:
            # the declared default must itself pass the rules, or every default run fails
            problem = _check(notebook, param, default)
            if problem is not None:
                raise ParameterError(notebook, name, f"the default {default!r} breaks its own "
                                     f"rule: {problem.reason}", problem.allowed)
        params.append(param)
    return tuple(params)


# ---------------------------------------------------------------- checking


def _coerce(notebook: str, p: Parameter, raw: Any, from_strings: bool) -> Any:
    def bad(reason: str) -> ParameterError:
        return ParameterError(notebook, p.name, reason, p.allowed_text())

    if from_strings and isinstance(raw, str) and p.type not in ("str", "path"):
        text = raw.strip()
        if p.nullable and text.lower() in ("null", "none"):
            return None
        if p.type == "int":
            if not _INT.fullmatch(text):
                raise bad(f"{raw!r} is not a whole number")
            raw = int(text)
        elif p.type == "float":
            try:
                raw = float(text)
            except ValueError:
                raise bad(f"{raw!r} is not a number") from None
        elif p.type == "bool":
            if text.lower() not in _TRUE | _FALSE:
                raise bad(f"{raw!r} is not true or false")
            raw = text.lower() in _TRUE
        else:
            try:
                raw = json.loads(text)
            except ValueError:
                raise bad(f"{raw!r} is not valid JSON") from None
    if raw is None:
        if p.nullable:
            return None
        raise bad("must not be null")
    ok = {
        "str": isinstance(raw, str),
        "path": isinstance(raw, str),
        "int": isinstance(raw, int) and not isinstance(raw, bool),
        "float": isinstance(raw, int | float) and not isinstance(raw, bool),
        "bool": isinstance(raw, bool),
        "list": isinstance(raw, list | tuple),
        "dict": isinstance(raw, dict),
    }[p.type]
    if not ok:
        raise bad(f"expected {p.type}, got {type(raw).__name__} {raw!r}"[:300])
    if p.type == "float":
        raw = float(raw)
        if not math.isfinite(raw):
            raise bad("must be a finite number")
    if p.type == "path" and (problem := paths.path_problem(raw)) is not None:
        raise bad(problem)
    if p.type == "list":
        raw = list(raw)
    return raw


def _check(notebook: str, p: Parameter, value: Any) -> ParameterError | None:
    """The first rule ``value`` (already coerced) breaks, or None."""
    if value is None:
        return None
    if p.choices and value not in p.choices:
        return ParameterError(notebook, p.name, f"{value!r} is not an allowed value", p.choices)
    sized = p.type in ("str", "path", "list", "dict")
    measure = len(value) if sized else value
    what = "length" if sized else "value"
    if p.minimum is not None and measure < p.minimum:
        return ParameterError(notebook, p.name, f"{what} {measure!r} is below the minimum "
                              f"{p.minimum}", p.allowed_text())
    if p.maximum is not None and measure > p.maximum:
        return ParameterError(notebook, p.name, f"{what} {measure!r} is above the maximum "
                              f"{p.maximum}", p.allowed_text())
    if p.pattern is not None and isinstance(value, str) and not re.fullmatch(p.pattern, value):
        return ParameterError(notebook, p.name, f"{value!r} does not match the pattern",
                              p.allowed_text())
    return None


def check_values(
    notebook: str, params: tuple[Parameter, ...], values: Mapping[str, Any],
    from_strings: bool = False,
) -> tuple[dict[str, Any], list[ParameterError]]:
    """(complete values with defaults filled in, every problem found)."""
    known = {p.name: p for p in params}
    problems: list[ParameterError] = []
    for key in values:
        if key not in known:
            problems.append(ParameterError(notebook, str(key)[:100],
                                           "is not a parameter of this notebook",
                                           allowed=list(known)))
    out: dict[str, Any] = {}
    for p in params:
        if p.name in values:
            try:
                value = _coerce(notebook, p, values[p.name], from_strings)
            except ParameterError as exc:
                problems.append(exc)
                continue
            problem = _check(notebook, p, value)
            if problem is not None:
                problems.append(problem)
                continue
            out[p.name] = value
        elif p.required:
            problems.append(ParameterError(notebook, p.name, "is required: give a value",
                                           p.allowed_text()))
        else:
            out[p.name] = _jsonable(p.default)
    return out, problems


def validate_values(
    notebook: str, params: tuple[Parameter, ...], values: Mapping[str, Any],
    from_strings: bool = False,
) -> dict[str, Any]:
    """Complete, checked values; raises the first `ParameterError` found."""
    out, problems = check_values(notebook, params, values, from_strings)
    if problems:
        raise problems[0]
    return out

