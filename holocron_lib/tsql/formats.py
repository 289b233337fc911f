"""T-SQL ``FORMAT(value, format [, culture])`` with .NET format strings, for the en-US culture.

SQL Server formats through .NET with the session's language, us_english (en-US) by default.
Supported, for a literal format string:

- numbers: ``N``/``Nn`` (grouping), ``F``/``Fn``, ``D``/``Dn`` (integers, zero-padded),
  ``P``/``Pn`` (``12.50 %``), ``C``/``Cn`` (``$1,234.50``; a negative amount raises, as
  its en-US form depends on the server's culture data), ``X``/``Xn`` (non-negative
  integers), and custom patterns of ``0``, ``#``, ``,``, ``.`` and literal text
  (``#,##0.00``, ``0.0``, ``000``, ``$#,##0``); rounding is half away from zero;
- dates: the standard formats ``d D f F g G M m s t T u Y y o O`` and custom patterns of
  ``yyyy yy y MMMM MMM MM M dddd ddd dd d HH H hh h mm m ss s f..fffffff tt t``, quoted text,
  ``\\`` escapes, ``/`` and ``:``.

Anything else (another culture, E/G/R formats, ``z`` offsets, a TIME value, a format
string known only at run time) is refused with ``TranslationError`` rather than formatted
differently.
"""

from __future__ import annotations

import re

from sqlglot import exp

from holocron_lib.errors import TranslationError
from holocron_lib.tsql.inference import TypeOracle

__all__ = ["FORMAT_MACROS", "fix_format"]

FORMAT_MACROS = {
    # A rounded decimal ``r`` (scale = the most decimals shown) as text: sign, integer part
    # (grouped, or zero-padded to ``min_int`` digits), fraction trimmed of zeros to ``keep``.
    "tsql_format_number": (
        "CREATE OR REPLACE TEMP MACRO tsql_format_number(r, grouping, min_int, keep) AS "
        "CASE WHEN r IS NULL THEN NULL ELSE (CASE WHEN r < 0 THEN '-' ELSE '' END) || "
        "tsql_format_integer(split_part(CAST(abs(r) AS VARCHAR), '.', 1), grouping, min_int) || "
        "tsql_format_fraction(split_part(CAST(abs(r) AS VARCHAR), '.', 2), keep) END"
    ),
    "tsql_format_integer": (
        "CREATE OR REPLACE TEMP MACRO tsql_format_integer(i, grouping, min_int) AS "
        "CASE WHEN grouping THEN format('{:,}', CAST(i AS HUGEINT)) "
        "WHEN min_int = 0 AND i = '0' THEN '' "
        "WHEN length(i) < min_int THEN lpad(i, min_int, '0') ELSE i END"
    ),
    "tsql_format_fraction": (
        "CREATE OR REPLACE TEMP MACRO tsql_format_fraction(f, keep) AS "
        "CASE WHEN length(rtrim(f, '0')) >= keep AND rtrim(f, '0') <> '' "
        "THEN '.' || rtrim(f, '0') WHEN keep > 0 THEN '.' || rpad(rtrim(f, '0'), keep, '0') "
        "ELSE '' END"
    ),
}

_STANDARD_NUMBER = re.compile(r"([CcDdFfNnPpXx])(\d{0,2})")
_STANDARD_DATES = {
    "d": "M/d/yyyy", "D": "dddd, MMMM d, yyyy", "f": "dddd, MMMM d, yyyy h:mm tt",
    "F": "dddd, MMMM d, yyyy h:mm:ss tt", "g": "M/d/yyyy h:mm tt", "G": "M/d/yyyy h:mm:ss tt",
    "M": "MMMM d", "m": "MMMM d", "t": "h:mm tt", "T": "h:mm:ss tt", "Y": "MMMM yyyy",
    "y": "MMMM yyyy", "s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
    "u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'", "o": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff",
    "O": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff",
}
# .NET custom date token -> strftime; f/ff/ffff/fffff/t are cut from a longer field.
_DATE_TOKENS = {
    "yyyy": "%Y", "yy": "%y", "y": "%-y", "MMMM": "%B", "MMM": "%b", "MM": "%m", "M": "%-m",
    "dddd": "%A", "ddd": "%a", "dd": "%d", "d": "%-d", "HH": "%H", "H": "%-H", "hh": "%I",
    "h": "%-I", "mm": "%M", "m": "%-M", "ss": "%S", "s": "%-S", "tt": "%p", "fff": "%g",
    "ffffff": "%f",
}
_CUT_TOKENS = {"f": ("%g", 1), "ff": ("%g", 2), "ffff": ("%f", 4), "fffff": ("%f", 5),
               "t": ("%p", 1)}
_CUSTOM_NUMBER = re.compile(r"(?P<pre>[^#0.,%]*)(?P<int>[#0,]*)(?:\.(?P<frac>[0#]+))?"
                            r"(?P<post>[^#0.,]*)")


def fix_format(node: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    if not (isinstance(node, exp.Anonymous) and node.name.upper() == "FORMAT"):
        return node
    original = node.sql(dialect="tsql")
    args = node.expressions
    if len(args) not in (2, 3):
        raise TranslationError(original, "FORMAT takes a value, a format and a culture")
    value, fmt = args[0], args[1]
    if len(args) == 3:
        culture = args[2]
        if not (isinstance(culture, exp.Literal) and culture.is_string
                and culture.this.lower() == "en-us"):
            raise TranslationError(original, "FORMAT with a culture other than 'en-US' is not "
                                             "supported on the embedded backend")
    if not (isinstance(fmt, exp.Literal) and fmt.is_string):
        raise TranslationError(original, "FORMAT with a format string that is not a literal "
                                         "is not supported on the embedded backend")
    kind = oracle.type_of(value)
    text = fmt.this
    if kind is not None and kind.is_string:
        raise TranslationError(original, f"Argument data type {kind.name} is invalid for "
                                         "argument 1 of format function.")
    if kind is not None and kind.name == "time":
        raise TranslationError(original, "FORMAT of a time value (a .NET TimeSpan) is not "
                                         "supported on the embedded backend")
    if kind is not None and kind.is_number:
        return oracle.carry(node, _number(original, value, text, kind.is_integer))
    if kind is not None and kind.is_temporal:
        return oracle.carry(node, _date(original, value, text))
    if _looks_numeric(text):
        return oracle.carry(node, _number(original, value, text, None))
    if _looks_date(text):
        return oracle.carry(node, _date(original, value, text))
    raise TranslationError(original, f"FORMAT {text!r} of a value whose type the translator "
                                     "cannot see: CAST the value to a date or number type")


def _looks_numeric(text: str) -> bool:
    found = _STANDARD_NUMBER.fullmatch(text)
    if found:
        return bool(found.group(2)) or text not in _STANDARD_DATES
    return bool(re.search(r"[0#]", text)) and not re.search(r"[yMdHhms]", text)


def _looks_date(text: str) -> bool:
    return text in _STANDARD_DATES or (len(text) > 1 and bool(re.search(r"[yMdHhms]", text)))


# --- numbers ------------------------------------------------------------------------------


def _number(original: str, value: exp.Expression, text: str,
            integer: bool | None) -> exp.Expression:
    found = _STANDARD_NUMBER.fullmatch(text)
    if found:
        letter, digits = found.group(1).upper(), found.group(2)
        places = int(digits) if digits else 2
        if letter == "N":
            return _fixed(value, places, grouping=True)
        if letter == "F":
            return _fixed(value, places, grouping=False)
        if letter == "P":
            scaled = exp.Mul(this=exp.Paren(this=value), expression=exp.Literal.number(100))
            return exp.DPipe(this=_fixed(scaled, places, grouping=True),
                             expression=exp.Literal.string(" %"), safe=False)
        if letter == "C":
            amount = _fixed(value, places, grouping=True)
            refuse = exp.Anonymous(this="error", expressions=[exp.Literal.string(
                "FORMAT 'C' of a negative amount depends on the server's culture data; "
                "format ABS(value) and add the sign")])
            return exp.Case(ifs=[exp.If(this=exp.LT(this=value.copy(),
                                                    expression=exp.Literal.number(0)),
                                        true=refuse)],
                            default=exp.DPipe(this=exp.Literal.string("$"), expression=amount,
                                              safe=False))
        if integer is False:
            raise TranslationError(original, f"FORMAT {text!r} takes an integer value")
        if letter == "D":
            width = int(digits) if digits else 1
            return _call("tsql_format_number", _rounded(value, 0), exp.false(),
                         exp.Literal.number(width), exp.Literal.number(0))
        if letter == "X":
            pattern = f"%0{int(digits)}X" if digits else "%X"
            refuse = exp.Anonymous(this="error", expressions=[exp.Literal.string(
                "FORMAT 'X' of a negative value is not supported on the embedded backend")])
            return exp.Case(ifs=[exp.If(this=exp.LT(this=value.copy(),
                                                    expression=exp.Literal.number(0)),
                                        true=refuse)],
                            default=_call("printf", exp.Literal.string(pattern), value))
    return _custom_number(original, value, text)


def _fixed(value: exp.Expression, places: int, grouping: bool) -> exp.Expression:
    return _call("tsql_format_number", _rounded(value, places), exp.Boolean(this=grouping),
                 exp.Literal.number(1), exp.Literal.number(places))


def _rounded(value: exp.Expression, places: int) -> exp.Expression:
    """``value`` rounded half away from zero to ``places`` decimals, exactly for decimals;
    a float is first read as its shortest decimal text, as .NET reads it."""
    text = exp.Cast(this=value, to=exp.DataType.build("VARCHAR"))
    return exp.Cast(this=text, to=exp.DataType.build(f"DECIMAL(38, {places})"))


def _custom_number(original: str, value: exp.Expression, text: str) -> exp.Expression:
    found = _CUSTOM_NUMBER.fullmatch(text)
    if not found or not (found.group("int") or found.group("frac")) or any(
            c in (found.group("pre") + found.group("post")) for c in "'\"\\;‰eE"):
        raise TranslationError(original, f"FORMAT pattern {text!r} is not supported on the "
                                         "embedded backend")
    whole, frac = found.group("int"), found.group("frac") or ""
    if whole.endswith(",") or ("0" in frac and "#" in frac and frac.index("#") < frac.rindex("0")):
        raise TranslationError(original, f"FORMAT pattern {text!r} is not supported on the "
                                         "embedded backend")
    grouping = "," in whole
    min_int = whole.count("0")
    if grouping and min_int > 1:
        raise TranslationError(original, f"FORMAT pattern {text!r} (zero-padded groups) is not "
                                         "supported on the embedded backend")
    pre, post = found.group("pre"), found.group("post")
    if "%" in pre + post:
        value = exp.Mul(this=exp.Paren(this=value), expression=exp.Literal.number(100))
    number = _call("tsql_format_number", _rounded(value, len(frac)), exp.Boolean(this=grouping),
                   exp.Literal.number(min_int), exp.Literal.number(frac.count("0")))
    # a literal prefix goes after the sign: -$5.00
    if pre:
        sign = exp.Case(ifs=[exp.If(this=exp.Anonymous(this="starts_with", expressions=[
            number.copy(), exp.Literal.string("-")]), true=exp.Literal.string("-"))],
            default=exp.Literal.string(""))
        rest = exp.Anonymous(this="ltrim", expressions=[number, exp.Literal.string("-")])
        number = exp.DPipe(this=exp.DPipe(this=sign, expression=exp.Literal.string(pre),
                                          safe=False), expression=rest, safe=False)
    if post:
        number = exp.DPipe(this=number, expression=exp.Literal.string(post), safe=False)
    return number


# --- dates --------------------------------------------------------------------------------


def _date(original: str, value: exp.Expression, text: str) -> exp.Expression:
    pattern = _STANDARD_DATES.get(text, text) if len(text) == 1 else text
    if pattern.startswith("%") and len(pattern) == 2:
        pattern = pattern[1]  # "%d": the custom specifier d on its own
    moment = exp.Cast(this=value, to=exp.DataType.build("TIMESTAMP"))
    pieces: list[exp.Expression] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            pieces.append(_call("strftime", moment.copy(), exp.Literal.string("".join(run))))
            run.clear()

    for kind, token in _date_tokens(original, pattern):
        if kind == "text":
            run.append(token.replace("%", "%%"))
        elif token in _DATE_TOKENS:
            run.append(_DATE_TOKENS[token])
        elif token in _CUT_TOKENS:
            field, width = _CUT_TOKENS[token]
            flush()
            pieces.append(_call("left", _call("strftime", moment.copy(), exp.Literal.string(field)),
                                exp.Literal.number(width)))
        elif token == "fffffff":
            run.append("%f0")
        else:
            raise TranslationError(original, f"FORMAT date pattern element {token!r} is not "
                                             "supported on the embedded backend")
    flush()
    if not pieces:
        return exp.Literal.string("")
    result = pieces[0]
    for piece in pieces[1:]:
        result = exp.DPipe(this=result, expression=piece, safe=False)
    return result


def _date_tokens(original: str, pattern: str) -> list[tuple[str, str]]:
    """(``"token"``, e.g. ``yyyy``) or (``"text"``, literal) pieces of a .NET date pattern."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch in "'\"":
            close = pattern.find(ch, i + 1)
            if close < 0:
                raise TranslationError(original, f"FORMAT pattern {pattern!r} has an open quote")
            out.append(("text", pattern[i + 1:close]))
            i = close + 1
        elif ch == "\\" and i + 1 < n:
            out.append(("text", pattern[i + 1]))
            i += 2
        elif ch == "%" and i + 1 < n:
            i += 1
        elif ch in "yMdHhmsftzKFg":
            j = i
            while j < n and pattern[j] == ch:
                j += 1
            token = pattern[i:j]
            if ch == "y" and len(token) > 4:
                token = "yyyy"
            if ch in "Md" and len(token) > 4:
                token = ch * 4
            out.append(("token", token))
            i = j
        else:
            out.append(("text", ch))  # '/' and ':' are en-US's separators
            i += 1
    return out


def _call(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))
