"""T-SQL ``LIKE`` and ``PATINDEX`` on DuckDB: character classes and SQL Server's blanks rule.

T-SQL patterns have ``[abc]``, ``[a-f]``, ``[^0-9]`` and the bracket escapes ``[[]``, ``[%]``,
``[_]``; DuckDB's LIKE reads ``[`` as a plain character. A literal pattern with brackets
becomes an RE2 expression matched case-insensitively (the session's collation); a pattern
known only at run time goes through a macro that converts it when it holds a ``[``. Trailing
blanks in the pattern always count; trailing blanks of the matched value are ignored when
both sides are non-Unicode (``varchar``), as SQL Server does, and count for ``nvarchar``.
"""

from __future__ import annotations

from sqlglot import exp

from holocron_lib.errors import TranslationError
from holocron_lib.tsql.inference import TypeOracle

__all__ = ["LIKE_MACROS", "fix_like", "like_regex"]

_RE2_SPECIAL = set(".^$|?*+()[]{}\\")
_CLASS_SPECIAL = set("\\[]^")

LIKE_MACROS: dict[str, str] = {
    # A T-SQL pattern as an RE2 expression: % and _ wildcards, [..] classes kept, the rest
    # literal. Tokens are a bracket class or one character.
    "tsql_like_pattern": (
        "CREATE OR REPLACE TEMP MACRO tsql_like_pattern(p) AS array_to_string(list_transform("
        r"regexp_extract_all(p, '(?s)\[\^?[^\]]+\]|.'), lambda t: "
        "CASE WHEN t = '%' THEN '.*' WHEN t = '_' THEN '.' "
        "WHEN length(t) > 1 AND t[2] = '^' THEN "
        r"'[^' || regexp_replace(t[3:-2], '([\\\[\]^])', '\\\1', 'g') || ']' "
        "WHEN length(t) > 1 THEN "
        r"'[' || regexp_replace(t[2:-2], '([\\\[\]^])', '\\\1', 'g') || ']' "
        r"WHEN t IN ('.', '^', '$', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}', '\') "
        r"THEN '\' || t ELSE t END), '')"
    ),
    "tsql_like": (
        "CREATE OR REPLACE TEMP MACRO tsql_like(x, p) AS CASE WHEN strpos(p, '[') = 0 "
        "THEN x LIKE p ELSE regexp_full_match(x, tsql_like_pattern(p), 'is') END"
    ),
    "tsql_like_escape": (
        "CREATE OR REPLACE TEMP MACRO tsql_like_escape(x, p, e) AS CASE WHEN strpos(p, '[') = 0 "
        "THEN x LIKE p ESCAPE e ELSE error('LIKE with ESCAPE and a [ ] pattern known only at "
        "run time is not supported on the embedded backend') END"
    ),
    # PATINDEX: where the pattern's first match starts (1-based), 0 for none. ``r`` is the
    # pattern as RE2 with the text before the match as group 1.
    "tsql_patindex": (
        "CREATE OR REPLACE TEMP MACRO tsql_patindex(x, r) AS CASE WHEN x IS NULL OR r IS NULL "
        "THEN NULL WHEN regexp_full_match(x, r, 'is') "
        "THEN length(regexp_extract(x, r, 1, 'is')) + 1 ELSE 0 END"
    ),
}


def like_regex(pattern: str, escape: str | None = None, original: str = "") -> str:
    """The RE2 expression (to match in full) equivalent to the T-SQL LIKE ``pattern``."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if escape and ch == escape and i + 1 < n:
            out.append(_literal(pattern[i + 1]))
            i += 2
            continue
        if ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        elif ch == "[":
            close = pattern.find("]", i + 2)
            if close < 0:
                raise TranslationError(original or pattern,
                                       f"LIKE pattern {pattern!r} has a [ that is never closed")
            out.append(_class(pattern[i + 1:close]))
            i = close
        else:
            out.append(_literal(ch))
        i += 1
    return "".join(out)


def _literal(ch: str) -> str:
    return "\\" + ch if ch in _RE2_SPECIAL else ch


def _class(body: str) -> str:
    negate = body.startswith("^") and len(body) > 1
    if negate:
        body = body[1:]
    inner = "".join("\\" + c if c in _CLASS_SPECIAL else c for c in body)
    return ("[^" if negate else "[") + inner + "]"


def fix_like(node: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    """LIKE with T-SQL's classes and blanks rule; PATINDEX."""
    if isinstance(node, exp.Escape) and isinstance(node.this, exp.Like):
        escape = node.expression
        if not (isinstance(escape, exp.Literal) and escape.is_string):
            return node
        result = _like(node, node.this.this, node.this.expression, escape.this, oracle)
        return result if result is node else _negated(node.this, result)
    if isinstance(node, exp.Like) and not isinstance(node.parent, exp.Escape):
        return _negated(node, _like(node, node.this, node.expression, None, oracle))
    if isinstance(node, exp.Anonymous) and node.name.upper() == "PATINDEX":
        return oracle.carry(node, _patindex(node))
    return node


def _negated(like: exp.Like, result: exp.Expression) -> exp.Expression:
    """``NOT LIKE`` (sqlglot keeps the NOT on the Like node) around a rewritten match."""
    if result is like or not like.args.get("negate"):
        return result
    return exp.Not(this=exp.Paren(this=result))


def _like(node: exp.Expression, value: exp.Expression, pattern: exp.Expression,
          escape: str | None, oracle: TypeOracle) -> exp.Expression:
    text = _string_literal(pattern)
    if text is None:
        name = "tsql_like_escape" if escape is not None else "tsql_like"
        args = [value, pattern] + ([exp.Literal.string(escape)] if escape is not None else [])
        return oracle.carry(node, exp.Anonymous(this=name, expressions=args))
    value_type, pattern_type = oracle.type_of(value), oracle.type_of(pattern)
    ascii_rule = (value_type is not None and value_type.is_string and not value_type.is_unicode
                  and pattern_type is not None and not pattern_type.is_unicode)
    if "[" not in text and not ascii_rule:
        return node  # DuckDB's LIKE means the same
    regex = like_regex(text, escape, node.sql(dialect="tsql"))
    if ascii_rule:
        regex += " *"  # a varchar value's trailing blanks are ignored
    match = exp.Anonymous(this="regexp_full_match", expressions=[
        value, exp.Literal.string(regex), exp.Literal.string("is")])
    return oracle.carry(node, match)


def _patindex(node: exp.Anonymous) -> exp.Expression:
    if len(node.expressions) != 2:
        return node
    pattern, value = node.expressions
    text = _string_literal(pattern)
    if text is not None:
        regex: exp.Expression = exp.Literal.string(_patindex_regex(text, node))
    else:
        lead = exp.Anonymous(this="starts_with", expressions=[pattern.copy(),
                                                             exp.Literal.string("%")])
        rest = exp.Anonymous(this="tsql_like_pattern", expressions=[
            exp.Case(ifs=[exp.If(this=lead, true=exp.Substring(
                this=pattern.copy(), start=exp.Literal.number(2)))], default=pattern.copy())])
        prefix = exp.Case(ifs=[exp.If(this=lead.copy(), true=exp.Literal.string("^(.*?)"))],
                          default=exp.Literal.string("^()"))
        regex = exp.DPipe(this=exp.DPipe(this=prefix, expression=rest),
                          expression=exp.Literal.string("$"))
    return exp.Anonymous(this="tsql_patindex", expressions=[value, regex])


def _patindex_regex(pattern: str, node: exp.Expression) -> str:
    if pattern.startswith("%"):
        return "^(.*?)" + like_regex(pattern[1:], None, node.sql(dialect="tsql")) + "$"
    return "^()" + like_regex(pattern, None, node.sql(dialect="tsql")) + "$"


def _string_literal(node: exp.Expression) -> str | None:
    if isinstance(node, exp.Literal) and node.is_string:
        return node.this
    if isinstance(node, exp.National):
        return node.this
    return None
