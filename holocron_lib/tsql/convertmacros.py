"""DuckDB macros for SQL Server's conversions: strings to integers, ``+`` decided at bind time,
exact decimal quotients.

Where the translator knows an operand's type it writes the conversion itself and only calls
the checked parsers here; where it does not (a ``?`` parameter, a table it was not told of)
a typed overload picks SQL Server's meaning once DuckDB has bound the argument types.
Errors carry SQL Server's own wording, so a caller sees the message the server would give.
"""

from __future__ import annotations

__all__ = ["CONVERSION_MACROS", "INTEGER_RANGES"]

# T-SQL integer type -> (DuckDB type, lowest, highest). T-SQL's tinyint is unsigned.
INTEGER_RANGES = {
    "tinyint": ("UTINYINT", 0, 255),
    "smallint": ("SMALLINT", -(2**15), 2**15 - 1),
    "int": ("INTEGER", -(2**31), 2**31 - 1),
    "bigint": ("BIGINT", -(2**63), 2**63 - 1),
    "bit": ("BOOLEAN", 0, 1),
}

_DUCK_INTEGERS = ("TINYINT", "UTINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")
_CONVERSION_FAILED = (
    "error('Conversion failed when converting the ' || src || ' value ''' || v || "
    "''' to data type ' || target || '.')"
)
_OVERFLOWED = (
    "error('The conversion of the ' || src || ' value ''' || v || ''' overflowed an ' || "
    "target || ' column.')"
)
# SQL Server reads an integer from a string with optional blanks and a sign; '' is 0.
_INTEGER_TEXT = r"' *[-+]?[0-9]+ *'"


def _add_overloads() -> str:
    """``a + b`` once the types are bound: concatenation of two strings, else addition with
    the string converted to the number's type (data-type precedence)."""
    parts = ["(a VARCHAR, b VARCHAR) AS a || b"]
    for tsql, duck in (("int", "INTEGER"), ("bigint", "BIGINT")):
        lo, hi = INTEGER_RANGES[tsql][1:]
        parts.append(f"(a VARCHAR, b {duck}) AS "
                     f"CAST(tsql_text_to_int(a, 'nvarchar', '{tsql}', {lo}, {hi}) AS {duck}) + b")
        parts.append(f"(a {duck}, b VARCHAR) AS "
                     f"a + CAST(tsql_text_to_int(b, 'nvarchar', '{tsql}', {lo}, {hi}) AS {duck})")
    parts.append("(a VARCHAR, b DOUBLE) AS tsql_text_to_float(a) + b")
    parts.append("(a DOUBLE, b VARCHAR) AS a + tsql_text_to_float(b)")
    refuse = ("error('adding a string to a decimal whose scale the translator cannot see; "
              "CAST the string to the decimal type')")
    parts.append(f"(a VARCHAR, b DECIMAL) AS {refuse}")
    parts.append(f"(a DECIMAL, b VARCHAR) AS {refuse}")
    parts.append("(a, b) AS a + b")
    return "CREATE OR REPLACE TEMP MACRO tsql_add" + ", ".join(parts)


def _integer_part_overloads(name: str, strict: bool) -> str:
    """The integer a cast to an integer type starts from: SQL Server truncates toward zero."""
    text = ("tsql_text_to_int(v, 'nvarchar', target, lo, hi)" if strict
            else "tsql_try_text_to_int(v, lo, hi)")
    integers = "".join(f"(v {t}, target, lo, hi) AS v, " for t in _DUCK_INTEGERS)
    return (f"CREATE OR REPLACE TEMP MACRO {name}(v VARCHAR, target, lo, hi) AS {text}, "
            f"{integers}(v DOUBLE, target, lo, hi) AS trunc(v), "
            "(v FLOAT, target, lo, hi) AS trunc(v), (v DECIMAL, target, lo, hi) AS trunc(v), "
            "(v, target, lo, hi) AS v")


CONVERSION_MACROS: dict[str, str] = {
    # CAST('12' AS INT) is 12, CAST('1.5' AS INT) fails (DuckDB rounds it to 2), '' is 0.
    "tsql_text_to_int": (
        "CREATE OR REPLACE TEMP MACRO tsql_text_to_int(v, src, target, lo, hi) AS "
        f"CASE WHEN v IS NULL THEN NULL WHEN regexp_full_match(v, {_INTEGER_TEXT}) THEN "
        "CASE WHEN CAST(trim(v) AS HUGEINT) BETWEEN lo AND hi THEN CAST(trim(v) AS HUGEINT) "
        f"ELSE {_OVERFLOWED} END "
        f"WHEN trim(v) = '' THEN 0 ELSE {_CONVERSION_FAILED} END"
    ),
    "tsql_try_text_to_int": (
        "CREATE OR REPLACE TEMP MACRO tsql_try_text_to_int(v, lo, hi) AS "
        f"CASE WHEN v IS NULL THEN NULL WHEN regexp_full_match(v, {_INTEGER_TEXT}) THEN "
        "CASE WHEN CAST(trim(v) AS HUGEINT) BETWEEN lo AND hi THEN CAST(trim(v) AS HUGEINT) END "
        "WHEN trim(v) = '' THEN 0 END"
    ),
    "tsql_text_to_float": (
        "CREATE OR REPLACE TEMP MACRO tsql_text_to_float(v) AS "
        "CASE WHEN v IS NULL THEN NULL WHEN TRY_CAST(v AS DOUBLE) IS NOT NULL "
        "THEN CAST(v AS DOUBLE) "
        "ELSE error('Error converting data type nvarchar to float.') END"
    ),
    "tsql_int_part": _integer_part_overloads("tsql_int_part", strict=True),
    "tsql_try_int_part": _integer_part_overloads("tsql_try_int_part", strict=False),
    "tsql_add": _add_overloads(),
    # n / d of two unscaled integers, rounded half away from zero (SQL Server's decimal
    # quotient); the caller scales the operands and the result.
    "tsql_decimal_quotient": (
        "CREATE OR REPLACE TEMP MACRO tsql_decimal_quotient(n, d) AS "
        "sign(n) * sign(d) * (abs(n) // abs(d) + "
        "CASE WHEN abs(n) % abs(d) >= abs(d) - abs(n) % abs(d) THEN 1 ELSE 0 END)"
    ),
}
