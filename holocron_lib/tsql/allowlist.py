"""The translator's gate: T-SQL that is not known to translate faithfully is refused by name.

A function is accepted only if the support list (``support``) says it runs the same or is
translated; a refused one raises ``TranslationError`` with the list's note, and one the list
does not know is refused too, rather than handed to DuckDB to mean something else. Statements
DuckDB cannot run as T-SQL means them (IF, WHILE, EXEC, CREATE PROCEDURE, ...) are refused
the same way.
"""

from __future__ import annotations

import re

from sqlglot import exp

from holocron_lib.errors import TranslationError
from holocron_lib.tsql.features import REFUSED
from holocron_lib.tsql.support import FEATURES

__all__ = ["check_supported", "check_text"]

# sqlglot expressions that stand for syntax rather than a named function (AND, CASE, CAST, ...)
_STRUCTURAL = frozenset({"And", "Or", "Xor", "Not", "Case", "If", "Cast", "TryCast", "Convert",
                         "Exists", "TimeStrToTime", "TsOrDsToDate", "Unnest", "Explode"})
_STATEMENTS = {
    "IfBlock": "IF ... ELSE control flow is not supported on the embedded backend; decide in "
               "Python and run the branch",
    "WhileBlock": "WHILE loops are not supported on the embedded backend; loop in Python",
    "Execute": "EXEC is not supported on the embedded backend; call stored procedures with "
               "db.call(...)",
}
_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
# Statements sqlglot cannot read, told apart by their first words, and comparisons it misreads.
_KEYWORDS = (
    (re.compile(r"^\s*THROW\b", re.I), "THROW and RAISERROR are not supported on the embedded "
                                         "backend; raise errors in Python"),
    (re.compile(r"^\s*WAITFOR\b", re.I), "WAITFOR is not supported on the embedded backend"),
    (re.compile(r"^\s*GOTO\b", re.I), "GOTO is not supported on the embedded backend"),
    (re.compile(r"^\s*RETURN\b", re.I), "RETURN is not supported on the embedded backend"),
    (re.compile(r"^\s*SAVE\s+TRAN", re.I), "SAVE TRANSACTION (savepoints) is not supported on "
                                            "the embedded backend"),
    (re.compile(r"^\s*(?:DECLARE\s+\S+\s+(?:\w+\s+)*CURSOR\b|OPEN\b|FETCH\b|CLOSE\b|"
                r"DEALLOCATE\b)", re.I),
     "cursors (DECLARE ... CURSOR, FETCH) are not supported on the embedded backend"),
)
_NOT_COMPARISON = re.compile(r"![<>]")
_STRING = re.compile(r"N?'(?:[^']|'')*'")


def check_text(original: str, text: str) -> None:
    """Refuse, by what they are, statements the parser would only call a syntax error."""
    for pattern, reason in _KEYWORDS:
        if pattern.match(text):
            raise TranslationError(original, reason)
    if _NOT_COMPARISON.search(_STRING.sub("''", text)):
        raise TranslationError(original, "!< and !> are not supported on the embedded backend; "
                                         "use >= and <=")


def _tables() -> tuple[frozenset[str], frozenset[str], dict[str, str], dict[str, str]]:
    allowed_classes: set[str] = set()
    allowed_names: set[str] = set()
    refused_classes: dict[str, str] = {}
    refused_names: dict[str, str] = {}
    for feature in FEATURES:
        names = {n[5:] for n in feature.nodes if n.startswith("anon:")}
        classes = {n for n in feature.nodes if not n.startswith("anon:")}
        if _NAME.match(feature.name):
            names.add(feature.name)
        if feature.status == REFUSED:
            refused_names.update(dict.fromkeys(names, feature.note))
            refused_classes.update(dict.fromkeys(classes, feature.note))
        else:
            allowed_names |= names
            allowed_classes |= classes
    return frozenset(allowed_classes), frozenset(allowed_names), refused_classes, refused_names


_ALLOWED_CLASSES, _ALLOWED_NAMES, _REFUSED_CLASSES, _REFUSED_NAMES = _tables()


def check_supported(original: str, tree: exp.Expression) -> None:
    """Raise ``TranslationError`` for T-SQL that would run with a different meaning or not at all."""
    _check_statement(original, tree)
    for node in tree.walk():
        kind = type(node).__name__
        if kind in _REFUSED_CLASSES:
            raise TranslationError(original, _REFUSED_CLASSES[kind])
        if isinstance(node, exp.Anonymous):
            if isinstance(node.parent, exp.Dot):
                continue  # schema.function(...): the database's own function
            name = node.name.upper()
            if name in _REFUSED_NAMES:
                raise TranslationError(original, _REFUSED_NAMES[name])
            if name not in _ALLOWED_NAMES:
                raise TranslationError(original, f"{name}() is not a T-SQL function the embedded "
                                                 "backend translates (see the T-SQL support page)")
        elif isinstance(node, exp.Func) and kind not in _ALLOWED_CLASSES | _STRUCTURAL:
            name = node.sql(dialect="tsql").split("(", 1)[0].strip() or kind
            raise TranslationError(original, f"{name} is not supported on the embedded backend "
                                             "(see the T-SQL support page)")
        elif isinstance(node, exp.Parameter) and isinstance(node.this, exp.Parameter):
            raise TranslationError(original, f"system variables such as {node.sql(dialect='tsql')}"
                                             " are not supported on the embedded DuckDB backend")
        elif isinstance(node, exp.ForClause):
            raise TranslationError(original, f"FOR {node.args.get('kind')} is not supported; "
                                             "shape the output in Python")
        elif isinstance(node, exp.Collate):
            raise TranslationError(original, "COLLATE is not supported on the embedded backend "
                                             "(strings compare case-insensitively)")


def _check_statement(original: str, tree: exp.Expression) -> None:
    kind = type(tree).__name__
    if kind in _STATEMENTS:
        raise TranslationError(original, _STATEMENTS[kind])
    if isinstance(tree, exp.Create) and str(tree.args.get("kind", "")).upper() in (
            "PROCEDURE", "FUNCTION", "TRIGGER"):
        raise TranslationError(original, f"CREATE {str(tree.args['kind']).upper()} is not run on "
                                         "the embedded backend; stored procedures run as "
                                         "emulations through db.call(...)")
    if isinstance(tree, exp.Alias | exp.Column | exp.Identifier | exp.Var):
        first = original.split()[0].upper() if original.split() else original
        raise TranslationError(original, f"{first} is not a statement the embedded backend runs")
