"""T-SQL to DuckDB, so every query, view and procedure body is written once, in T-SQL.

sqlglot does the translation; ``rewrites`` mends what it leaves with the wrong meaning on
DuckDB, ``macros`` supplies the built-ins it passes through, and ``configure_session``
gives a DuckDB connection the SQL Server session behaviour those rely on.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.dialects.tsql import TSQL
from sqlglot.errors import ErrorLevel, ParseError, SqlglotError, TokenError
from sqlglot.tokens import TokenType

from holocron_lib.errors import TranslationError
from holocron_lib.tsql.allowlist import check_supported, check_text
from holocron_lib.tsql.inference import TypeOracle
from holocron_lib.tsql.macros import install_macros
from holocron_lib.tsql.rewrites import PARAM_PREFIX, limit_dml, rewrite
from holocron_lib.tsql.statements import rewrite_statement
from holocron_lib.tsql.textcolumns import NO_TABLES, ColumnTypes
from holocron_lib.tsql.topclause import rewrite_top
from holocron_lib.tsql.variables import BatchScope, expand_compound_set, prepare_statement

__all__ = ["Statement", "configure_session", "split_batches", "translate", "translate_batch"]


class _Dialect(TSQL):
    """T-SQL as sqlglot reads it, except the built-ins the rewrites translate themselves.

    sqlglot turns ``FORMAT(d, 'yyyy')`` and ``DATENAME(day, d)`` into strftime patterns that
    lose what T-SQL meant (a .NET format, an unpadded day); kept as plain calls, the
    rewrites see the T-SQL arguments.
    """

    class Parser(TSQL.Parser):
        FUNCTIONS = {
            **TSQL.Parser.FUNCTIONS,
            **{name: (lambda n: lambda args: exp.Anonymous(this=n, expressions=args))(name)
               for name in ("FORMAT", "DATENAME", "DATEFROMPARTS", "STUFF", "REPLICATE",
                            "TIMEFROMPARTS", "SQUARE")},
        }


@dataclass(frozen=True)
class Statement:
    """One DuckDB statement of a translated batch.

    ``params`` are the positions (0-based) of the caller's ``?`` values it binds, in the
    order its SQL expects them; ``returns_rows`` tells a query from a statement run for its
    effect (SQL Server's first result set is the first statement that returns rows).
    """

    sql: str
    params: tuple[int, ...]
    returns_rows: bool

# Session options that change nothing on DuckDB; scripts copied from SSMS start with them.
_NOOP_SET_OPTIONS = frozenset(
    {
        "ANSI_NULLS",
        "ANSI_PADDING",
        "ANSI_WARNINGS",
        "ARITHABORT",
        "CONCAT_NULL_YIELDS_NULL",
        "NOCOUNT",
        "QUOTED_IDENTIFIER",
        "XACT_ABORT",
    }
)
# Statements that only print messages; they have no result to reproduce.
_DROPPED_COMMANDS = frozenset({"PRINT"})
_GO_LINE = re.compile(r"^\s*GO\s*(--.*)?$", re.IGNORECASE)
# sqlglot reads ``DELETE t OUTPUT ...`` but not ``DELETE FROM t OUTPUT ...``: the same statement
_DELETE_OUTPUT = re.compile(r"^(\s*DELETE\s+)FROM\s+((?:\[[^\]]+\]|\w+)(?:\.(?:\[[^\]]+\]|\w+))?"
                            r"\s+OUTPUT\b)", re.I)
_TOP_DML = re.compile(r"^(\s*(?:UPDATE|DELETE))\s+TOP\s*\(([^()]*)\)(\s+PERCENT\b)?", re.I)
_PARAM_OUT = re.compile(r"\$" + PARAM_PREFIX + r"(\d+)\b")


def split_batches(script: str) -> list[str]:
    """Split a T-SQL script on lines holding only ``GO``; drop batches with no statements."""
    batches: list[str] = []
    current: list[str] = []
    scanner = _Scanner()
    for line in script.splitlines(keepends=True):
        if scanner.at_code_boundary() and _GO_LINE.match(line):
            if scanner.has_code:
                batches.append("".join(current).strip())
            current = []
            scanner.has_code = False
            continue
        current.append(line)
        scanner.feed(line)
    if scanner.has_code:
        batches.append("".join(current).strip())
    return batches


class _Scanner:
    """Tracks strings, quoted names and comments across lines, so ``GO`` inside them is text."""

    def __init__(self) -> None:
        self.state = "code"  # code, string, bracket, quoted, block
        self.depth = 0  # T-SQL block comments nest
        self.has_code = False

    def at_code_boundary(self) -> bool:
        return self.state == "code"

    def feed(self, line: str) -> None:
        i, n = 0, len(line)
        while i < n:
            ch, nxt = line[i], line[i + 1 : i + 2]
            if self.state == "block":
                if ch == "/" and nxt == "*":
                    self.depth += 1
                    i += 1
                elif ch == "*" and nxt == "/":
                    self.depth -= 1
                    i += 1
                    if self.depth == 0:
                        self.state = "code"
            elif self.state in ("string", "bracket", "quoted"):
                close = {"string": "'", "bracket": "]", "quoted": '"'}[self.state]
                if ch == close:
                    if nxt == close:  # doubled closer is an escaped character
                        i += 1
                    else:
                        self.state = "code"
            elif ch == "-" and nxt == "-":
                return
            elif ch == "/" and nxt == "*":
                self.state, self.depth = "block", 1
                i += 1
            else:
                opener = {"'": "string", "[": "bracket", '"': "quoted"}.get(ch)
                if opener:
                    self.state = opener
                if not ch.isspace():
                    self.has_code = True
            i += 1


def translate(tsql: str, columns: ColumnTypes = NO_TABLES) -> str:
    """T-SQL statements (``;``-separated, ``GO`` allowed) as DuckDB SQL, joined by ``;``.

    ``?`` markers stay ``?`` while their order survives; where a rewrite moves one (``TOP (?)``
    becomes a trailing ``LIMIT``) they come out as ``$1``, ``$2``, ... numbered in source
    order, so the same positional list still binds. Session no-ops (``SET NOCOUNT ON``,
    ``SET ANSI_NULLS ON``, ...) and ``PRINT`` are dropped: a script of only those gives ``""``.
    ``columns`` tells the declared types of the tables' columns (``+`` between two text
    columns concatenates, a decimal column divides as a decimal).
    """
    return _translated(tsql, columns)[0]


def translate_batch(tsql: str, columns: ColumnTypes = NO_TABLES) -> tuple[Statement, ...]:
    """The same translation, statement by statement, each with the parameters it binds.

    A batch that declares variables runs statement after statement (a later one reads what
    an earlier one set); run each with ``[params[i] for i in statement.params]``.
    """
    return _translated(tsql, columns)[1]


@functools.lru_cache(maxsize=4096)
def _translated(tsql: str, columns: ColumnTypes) -> tuple[str, tuple[Statement, ...]]:
    counter = [0]
    out: list[str] = []
    statements: list[Statement] = []
    scope = BatchScope()
    for batch in split_batches(tsql):
        for original, marked in _statements(batch, counter):
            for sql, returns_rows in _translate_statement(original, marked, columns, scope):
                out.append(sql)
                statements.append(_own_parameters(sql, returns_rows))
        scope.end_batch()
    return _restore_parameters(";\n".join(out), counter[0]), tuple(statements)


def _own_parameters(sql: str, returns_rows: bool) -> Statement:
    """One statement with its markers numbered from 1 (or ``?`` if they stay in order)."""
    order = [int(n) for n in _PARAM_OUT.findall(sql)]
    used = sorted(set(order))
    local = {n: i + 1 for i, n in enumerate(used)}
    if order == used:
        text = _PARAM_OUT.sub("?", sql)
    else:
        text = _PARAM_OUT.sub(lambda m: f"${local[int(m.group(1))]}", sql)
    return Statement(text, tuple(n - 1 for n in used), returns_rows)


def _statements(batch: str, counter: list[int]) -> list[tuple[str, str]]:
    """Each statement as (original text, text with ``?`` numbered as ``@<prefix>N``)."""
    try:
        tokens = _Dialect().tokenize(batch)
    except (TokenError, SqlglotError) as err:
        raise TranslationError(batch, f"cannot read the text: {_first_line(err)}") from None
    groups: list[list] = [[]]
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            groups.append([])
        else:
            groups[-1].append(token)
    result = []
    for group in groups:
        if not group:
            continue
        start, end = group[0].start, group[-1].end + 1
        pieces, pos = [], start
        for token in group:
            if token.token_type == TokenType.PLACEHOLDER and token.text == "?":
                counter[0] += 1
                pieces.append(batch[pos : token.start])
                pieces.append(f"@{PARAM_PREFIX}{counter[0]}")
                pos = token.end + 1
        pieces.append(batch[pos:end])
        first = group[0]
        if first.token_type == TokenType.COMMAND and first.text.upper() in _DROPPED_COMMANDS:
            continue
        result.append((batch[start:end], "".join(pieces)))
    return result


def _translate_statement(original: str, marked: str, columns: ColumnTypes,
                         scope: BatchScope) -> list[tuple[str, bool]]:
    top, text = None, _DELETE_OUTPUT.sub(r"\1\2", expand_compound_set(marked))
    match = _TOP_DML.match(text)
    if match:
        if match.group(3):
            raise TranslationError(original, "UPDATE/DELETE TOP (n) PERCENT is not supported")
        top = _parse(original, match.group(2))
        text = match.group(1) + text[match.end() :]
    check_text(original, text)
    tree = _parse(original, text)
    if _is_noop(original, tree):
        return []
    check_supported(original, tree)
    out = []
    for statement in prepare_statement(original, tree, scope):
        if top is not None:
            statement = limit_dml(original, statement, top)
        statement = rewrite_top(original, rewrite_statement(original, statement))
        oracle = TypeOracle(statement, columns, scope.tables, scope.variables)
        statement = rewrite(statement, columns, oracle)
        returns_rows = _returns_rows(statement)
        try:
            # the tree is ours to spend (generating may change it): no defensive copy
            sql = statement.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE, copy=False)
        except SqlglotError as err:
            raise TranslationError(
                original, f"DuckDB has no equivalent: {_first_line(err)}") from None
        out.append((sql, returns_rows))
    return out


def _returns_rows(tree: exp.Expression) -> bool:
    if isinstance(tree, exp.Query):
        return not tree.args.get("into")  # SELECT ... INTO creates a table
    return isinstance(tree, exp.Insert | exp.Update | exp.Delete | exp.Merge) and bool(
        tree.args.get("returning"))


def _parse(original: str, text: str) -> exp.Expression:
    try:
        tree = sqlglot.parse_one(text, read=_Dialect, error_level=ErrorLevel.RAISE)
    except ParseError as err:
        raise TranslationError(original, _parse_reason(err)) from None
    except SqlglotError as err:
        raise TranslationError(original, f"cannot parse: {_first_line(err)}") from None
    if isinstance(tree, exp.Command):
        keyword = str(tree.this).upper()
        raise TranslationError(
            original, f"{keyword} statements are not supported on the embedded DuckDB backend"
        )
    return tree


def _is_noop(original: str, tree: exp.Expression) -> bool:
    if not isinstance(tree, exp.Set):
        return False
    first = tree.expressions[0] if tree.expressions else None
    if isinstance(first, exp.SetItem) and isinstance(first.this, exp.EQ) and isinstance(
            first.this.this, exp.Parameter):
        return False  # SET @variable = ...
    names = []
    for item in tree.expressions:
        target = item.this.this if isinstance(item.this, exp.EQ) else item.this
        names.append(target.name.upper() if isinstance(target, exp.Expression) else "")
    if all(name in _NOOP_SET_OPTIONS for name in names):
        return True
    unknown = ", ".join(n for n in names if n not in _NOOP_SET_OPTIONS) or "this option"
    raise TranslationError(original, f"SET {unknown} has no DuckDB equivalent")


def _parse_reason(err: ParseError) -> str:
    if not err.errors:
        return f"syntax error: {_first_line(err)}"
    first = err.errors[0]
    near = re.sub("@" + PARAM_PREFIX + r"\d+", "?", (first.get("highlight") or "").strip())
    near_text = f" near {near!r}" if near else ""
    # sqlglot names its own classes; say which clause is incomplete instead.
    description = re.sub(
        r"Required keyword: '(\w+)' missing for <class '[\w.]*?(\w+)'>",
        r"incomplete \2 (missing its \1)",
        str(first.get("description")),
    )
    description = re.sub(r"<Token token_type: [\w.]+, text: ([^,]*),[^>]*>", r"'\1'", description)
    return f"syntax error on line {first.get('line')}{near_text}: {description}"


def _first_line(err: Exception) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(err))
    return text.strip().splitlines()[0] if text.strip() else type(err).__name__


def _restore_parameters(sql: str, count: int) -> str:
    """``?`` again where the order survived; ``$N`` (still bound positionally) where it moved."""
    order = [int(n) for n in _PARAM_OUT.findall(sql)]
    if order == list(range(1, count + 1)):
        return _PARAM_OUT.sub("?", sql)
    return _PARAM_OUT.sub(lambda m: f"${m.group(1)}", sql)


def configure_session(con: duckdb.DuckDBPyConnection) -> None:
    """Make a DuckDB connection behave like a SQL Server session; safe to call again.

    Installs the T-SQL macros (TEMP, so nothing is written to the file), compares strings
    case-insensitively, divides integers as integers, and resolves unqualified names in
    ``dbo`` once that schema exists: call again after creating it.
    """
    install_macros(con)
    # Skipped where already in force: a further connection to a shared DuckDB instance
    # (the working database) has them from the instance's configuration, which is locked.
    for name, value, sql in (("default_collation", "nocase", "'nocase'"),
                             ("integer_division", True, "true")):
        if con.execute("SELECT current_setting(?)", [name]).fetchone()[0] != value:
            con.execute(f"SET {name} = {sql}")
    has_dbo = con.execute(
        "SELECT count(*) FROM duckdb_schemas() "
        "WHERE database_name = current_database() AND schema_name = 'dbo'"
    ).fetchone()[0]
    if has_dbo:
        con.execute("SET search_path = 'dbo,main'")
