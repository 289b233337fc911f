"""The project's T-SQL table DDL read into one schema model, and written out as DuckDB DDL.

``sql/tables/*.sql`` is the only copy of the schema. sqlglot parses it (T-SQL dialect) into
``Table`` records that keep what the real database declares, foreign keys and filtered unique
indexes included; ``duckdb_statements`` then creates what DuckDB should enforce.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from holocron_lib.errors import TranslationError
from holocron_lib.schema import cache as schemacache
from holocron_lib.schema.model import Column, ForeignKey, SchemaModel, Table, sequence_name
from holocron_lib.tsql.names import quote_duckdb
from holocron_lib.tsql.textcolumns import ColumnTypes
from holocron_lib.tsql.translate import split_batches
from holocron_lib.tsql.types import family

__all__ = [
    "Column",
    "ForeignKey",
    "SchemaModel",
    "TABLES_DIR",
    "Table",
    "column_types",
    "create_table_sql",
    "duckdb_statements",
    "load_schema_model",
    "parse_schema",
    "sequence_name",
]

TABLES_DIR = Path(__file__).resolve().parent / "sql" / "tables"


@functools.cache
def load_schema_model() -> SchemaModel:
    """The model of ``sql/tables/*.sql``, read in file-name order (cached, also on disk)."""
    files = sorted(TABLES_DIR.glob("*.sql"))

    def parse() -> list[dict]:
        model = parse_schema([(f.name, f.read_text(encoding="utf-8")) for f in files])
        return schemacache.model_to_json(model)

    return schemacache.model_from_json(schemacache.cached("model", parse, files))


@functools.cache
def column_types() -> ColumnTypes:
    """Which columns of the project's tables are text, for the translator's ``+``."""
    return ColumnTypes({table.full_name.lower(): {c.name.lower(): family(c.tsql_type) == "text"
                                                  for c in table.columns}
                        for table in load_schema_model().tables})


# --- parsing --------------------------------------------------------------------------------


@dataclass
class _Draft:
    """A table while its statements are being read; frozen into ``Table`` at the end."""

    source: str
    schema: str
    name: str
    columns: list[Column] = field(default_factory=list)
    primary_key: tuple[str, ...] = ()
    unique_keys: list[tuple[str, ...]] = field(default_factory=list)
    filtered: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.schema}.{self.name}"

    def fail(self, reason: str, sql: str = "") -> TranslationError:
        return TranslationError(sql or self.full_name, f"{self.source}: {self.full_name}: {reason}")


def parse_schema(sources: list[tuple[str, str]]) -> SchemaModel:
    """Build the model from ``(file name, T-SQL text)`` pairs, in the order given."""
    drafts: dict[str, _Draft] = {}
    for source, text in sources:
        for batch in split_batches(text):
            try:
                statements = sqlglot.parse(batch, read="tsql")
            except SqlglotError as err:
                raise TranslationError(batch, f"{source}: not valid T-SQL: {err}") from err
            for stmt in statements:
                if stmt is not None:
                    _read_statement(stmt, batch, source, drafts)
    tables = tuple(_freeze(d, drafts) for d in drafts.values())
    return SchemaModel(tables)


def _read_statement(stmt: exp.Expression, batch: str, source: str, drafts: dict) -> None:
    if isinstance(stmt, exp.Create) and str(stmt.args.get("kind")).upper() == "SCHEMA":
        return
    if isinstance(stmt, exp.Create) and str(stmt.args.get("kind")).upper() == "TABLE":
        if not isinstance(stmt.this, exp.Schema) or stmt.expression is not None:
            raise TranslationError(batch, f"{source}: CREATE TABLE needs a column list")
        table = stmt.this.this
        draft = _Draft(source, table.db or "dbo", table.name)
        if draft.full_name.lower() in drafts:
            raise draft.fail("table is created twice", batch)
        drafts[draft.full_name.lower()] = draft
        for item in stmt.this.expressions:
            if isinstance(item, exp.ColumnDef):
                _read_column(draft, item)
            elif isinstance(item, exp.Constraint):
                _read_constraint(draft, item)
            else:
                raise draft.fail(f"unsupported table element {item.sql('tsql')!r}", batch)
        return
    if isinstance(stmt, exp.Create) and isinstance(stmt.this, exp.Index):
        _read_index(stmt, batch, source, drafts)
        return
    if isinstance(stmt, exp.Alter) and str(stmt.args.get("kind")).upper() == "TABLE":
        draft = _draft_for(stmt.this, source, batch, drafts)
        for action in stmt.args.get("actions") or []:
            if not isinstance(action, exp.AddConstraint):
                raise draft.fail(f"unsupported ALTER TABLE action {action.sql('tsql')!r}", batch)
            for constraint in action.expressions:
                _read_constraint(draft, constraint)
        return
    raise TranslationError(batch, f"{source}: only CREATE SCHEMA/TABLE/INDEX and ALTER TABLE ADD "
                                  f"CONSTRAINT belong in a table file, not {stmt.key.upper()}")


def _draft_for(table: exp.Table, source: str, sql: str, drafts: dict) -> _Draft:
    key = f"{table.db or 'dbo'}.{table.name}".lower()
    if key not in drafts:
        raise TranslationError(sql, f"{source}: table {key} is not created before this statement")
    return drafts[key]


def _read_column(draft: _Draft, node: exp.ColumnDef) -> None:
    name = node.name
    if any(c.name.lower() == name.lower() for c in draft.columns):
        raise draft.fail(f"column {name} is declared twice")
    tsql_type, duckdb_type, max_length = _types(draft, name, node.args.get("kind"))
    nullable, default, identity = True, None, False
    for constraint in node.constraints:
        kind = constraint.kind
        if isinstance(kind, exp.NotNullColumnConstraint):
            nullable = bool(kind.args.get("allow_null"))
        elif isinstance(kind, exp.DefaultColumnConstraint):
            default = _unparen(kind.this).sql("tsql")
        elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
            identity = True
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            _set_primary_key(draft, (name,))
        elif isinstance(kind, exp.UniqueColumnConstraint):
            draft.unique_keys.append((name,))
        elif isinstance(kind, exp.CheckColumnConstraint):
            draft.checks.append(kind.this.sql("tsql"))
        elif isinstance(kind, exp.Reference):
            fk_name = constraint.name or f"FK_{draft.name}_{name}"
            draft.foreign_keys.append(_foreign_key(draft, fk_name, (name,), kind))
        else:
            raise draft.fail(f"column {name}: unsupported {constraint.sql('tsql')!r}")
    if identity:
        nullable = False
    draft.columns.append(Column(name, tsql_type, duckdb_type, nullable, default, identity, max_length))


def _read_constraint(draft: _Draft, node: exp.Constraint) -> None:
    name = node.name
    parts = node.expressions
    first = parts[0] if parts else None
    if isinstance(first, (exp.PrimaryKey, exp.PrimaryKeyColumnConstraint)):
        _set_primary_key(draft, _column_names(node))
    elif isinstance(first, exp.UniqueColumnConstraint):
        draft.unique_keys.append(_column_names(node))
    elif isinstance(first, exp.CheckColumnConstraint):
        draft.checks.append(first.this.sql("tsql"))
    elif isinstance(first, exp.ForeignKey):
        columns = tuple(_ident_name(i) for i in first.expressions)
        draft.foreign_keys.append(_foreign_key(draft, name, columns, first.args["reference"]))
    else:
        raise draft.fail(f"unsupported constraint {node.sql('tsql')!r}")


def _set_primary_key(draft: _Draft, columns: tuple[str, ...]) -> None:
    if draft.primary_key:
        raise draft.fail("has more than one primary key")
    draft.primary_key = columns


def _foreign_key(draft: _Draft, name: str, columns: tuple, reference: exp.Reference) -> ForeignKey:
    target = reference.this
    ref_table = target.this if isinstance(target, exp.Schema) else target
    ref_columns = tuple(_ident_name(i) for i in getattr(target, "expressions", []) or [])
    full = f"{ref_table.db or 'dbo'}.{ref_table.name}"
    return ForeignKey(name, draft.full_name, columns, full, ref_columns)


def _read_index(stmt: exp.Create, batch: str, source: str, drafts: dict) -> None:
    if not stmt.args.get("unique"):
        return  # plain indexes only tune performance; the model has no use for them
    index = stmt.this
    draft = _draft_for(index.args["table"], source, batch, drafts)
    params = index.args.get("params")
    columns = tuple(o.this.name for o in (params.args.get("columns") or []))
    where = params.args.get("where")
    if where is None:
        draft.unique_keys.append(columns)
    else:
        draft.filtered.append((index.name, columns, _where_text(batch, index.name, where)))


def _where_text(batch: str, index_name: str, where: exp.Where) -> str:
    """The filter as written in the file (sqlglot would respell ``x IS NOT NULL``)."""
    pattern = rf"INDEX\s+\[?{re.escape(index_name)}\]?\s+ON\b.*?\bWHERE\s+(.*?)\s*(?:;|$)"
    found = re.search(pattern, batch, re.IGNORECASE | re.DOTALL)
    return " ".join(found.group(1).split()) if found else where.this.sql("tsql")


def _freeze(draft: _Draft, drafts: dict) -> Table:
    names = {c.name.lower() for c in draft.columns}
    keys = [draft.primary_key, *draft.unique_keys, *(cols for _, cols, _ in draft.filtered)]
    for key in keys:
        for col in key:
            if col.lower() not in names:
                raise draft.fail(f"key names unknown column {col!r}")
    fks = []
    for fk in draft.foreign_keys:
        parent = drafts.get(fk.ref_table.lower())
        if parent is None:
            raise draft.fail(f"{fk.name} references unknown table {fk.ref_table}")
        ref_columns = fk.ref_columns or parent.primary_key
        parent_names = {c.name.lower(): c.name for c in parent.columns}
        if len(ref_columns) != len(fk.columns) or any(
            c.lower() not in parent_names for c in ref_columns
        ):
            raise draft.fail(f"{fk.name} does not match the columns of {parent.full_name}")
        for col in fk.columns:
            if col.lower() not in names:
                raise draft.fail(f"{fk.name} names unknown column {col!r}")
        fks.append(ForeignKey(fk.name, fk.table, fk.columns, parent.full_name,
                              tuple(parent_names[c.lower()] for c in ref_columns)))
    return Table(draft.schema, draft.name, tuple(draft.columns), draft.primary_key,
                 tuple(draft.unique_keys), tuple(draft.filtered), tuple(fks), tuple(draft.checks))


# --- types ----------------------------------------------------------------------------------

# sqlglot type -> (T-SQL spelling, DuckDB type); sized types get their size appended in T-SQL.
_TYPES = {
    "INT": ("INT", "INTEGER"),
    "BIGINT": ("BIGINT", "BIGINT"),
    "SMALLINT": ("SMALLINT", "SMALLINT"),
    "UTINYINT": ("TINYINT", "UTINYINT"),
    "TINYINT": ("TINYINT", "UTINYINT"),
    "BIT": ("BIT", "BOOLEAN"),  # DuckDB's BIT is a bit string, not a flag
    "DECIMAL": ("DECIMAL", "DECIMAL"),
    "FLOAT": ("FLOAT", "DOUBLE"),  # T-SQL FLOAT is 8 bytes
    "DOUBLE": ("FLOAT", "DOUBLE"),
    "DATE": ("DATE", "DATE"),
    "TIME": ("TIME", "TIME"),
    "DATETIME2": ("DATETIME2", "TIMESTAMP"),
    "DATETIME": ("DATETIME", "TIMESTAMP"),
    "UUID": ("UNIQUEIDENTIFIER", "UUID"),
    "UNIQUEIDENTIFIER": ("UNIQUEIDENTIFIER", "UUID"),
    "NVARCHAR": ("NVARCHAR", "VARCHAR"),
    "VARCHAR": ("VARCHAR", "VARCHAR"),
    "NCHAR": ("NCHAR", "VARCHAR"),
    "CHAR": ("CHAR", "VARCHAR"),
    "VARBINARY": ("VARBINARY", "BLOB"),
    "BINARY": ("BINARY", "BLOB"),
}
_STRING_TYPES = {"NVARCHAR", "VARCHAR", "NCHAR", "CHAR"}


def _types(draft: _Draft, column: str, kind: exp.DataType | None) -> tuple[str, str, int | None]:
    if kind is None or kind.this.name not in _TYPES:
        shown = kind.sql("tsql") if kind is not None else "no type"
        raise draft.fail(f"column {column}: unsupported type {shown}")
    tsql, duck = _TYPES[kind.this.name]
    params = [p.this.name.upper() if isinstance(p.this, exp.Var) else p.this.name
              for p in kind.expressions]
    if params:
        tsql += "(" + ",".join(params) + ")"
    if duck == "DECIMAL":
        duck = f"DECIMAL({','.join(params or ['18', '0'])})"
    max_length = None
    if tsql.split("(")[0] in _STRING_TYPES:
        max_length = int(params[0]) if params and params[0] != "MAX" else None
        if not params:
            max_length = 1  # T-SQL's default length in a declaration
    return tsql, duck, max_length


# --- DuckDB DDL -----------------------------------------------------------------------------

_UTC_NOW = "(now() AT TIME ZONE 'UTC')"  # naive TIMESTAMP holding UTC, like SYSUTCDATETIME()
_DEFAULT_FUNCTIONS = {
    "NEWID()": "gen_random_uuid()",
    "NEWSEQUENTIALID()": "gen_random_uuid()",
    "SYSUTCDATETIME()": _UTC_NOW,
    "GETUTCDATE()": _UTC_NOW,
    "SYSDATETIME()": "localtimestamp",
    "GETDATE()": "localtimestamp",
    "CURRENT_TIMESTAMP": "localtimestamp",
}


def duckdb_statements(model: SchemaModel) -> list[str]:
    """Schemas, identity sequences and tables for DuckDB.

    PRIMARY KEY, UNIQUE and CHECK are enforced. Foreign keys and filtered unique indexes stay
    in the model only (see ARCHITECTURE.md, "Foreign keys are metadata on DuckDB").
    """
    statements = [f"CREATE SCHEMA IF NOT EXISTS {quote_duckdb(s)}" for s in model.schemas]
    for table in model.tables:
        for col in table.columns:
            if col.identity:
                sequence = quote_duckdb(*sequence_name(table, col).split("."))
                statements.append(f"CREATE SEQUENCE {sequence} START 1")
    statements.extend(create_table_sql(t) for t in model.tables)
    return statements


def create_table_sql(table: Table) -> str:
    """One table's ``CREATE TABLE`` in DuckDB SQL."""
    lines = [f"    {_column_sql(table, c)}" for c in table.columns]
    if table.primary_key:
        lines.append(f"    PRIMARY KEY ({_qlist(table.primary_key)})")
    for key in table.unique_keys:
        lines.append(f"    UNIQUE ({_qlist(key)})")
    for check in table.checks:
        lines.append(f"    CHECK ({_check_sql(table, check)})")
    return f"CREATE TABLE {quote_duckdb(table.schema, table.name)} (\n" + ",\n".join(lines) + "\n)"


def _column_sql(table: Table, col: Column) -> str:
    parts = [quote_duckdb(col.name), col.duckdb_type]
    if not col.nullable:
        parts.append("NOT NULL")
    if col.identity:
        parts.append(f"DEFAULT nextval('{sequence_name(table, col)}')")
    elif col.default is not None:
        parts.append(f"DEFAULT {_default_sql(table, col)}")
    return " ".join(parts)


def _default_sql(table: Table, col: Column) -> str:
    text = col.default.strip()
    if text.upper() in _DEFAULT_FUNCTIONS:
        return _DEFAULT_FUNCTIONS[text.upper()]
    if col.duckdb_type == "BOOLEAN" and text in ("0", "1"):
        return "true" if text == "1" else "false"
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return text
    if re.fullmatch(r"N?'(?:[^']|'')*'", text):
        return text.lstrip("N")
    try:
        return sqlglot.transpile(text, read="tsql", write="duckdb")[0]
    except SqlglotError as err:
        raise TranslationError(text, f"{table.full_name}.{col.name}: default: {err}") from err


def _check_sql(table: Table, check: str) -> str:
    try:
        tree = sqlglot.parse_one(check, read="tsql")
    except SqlglotError as err:
        raise TranslationError(check, f"{table.full_name}: CHECK: {err}") from err
    booleans = {c.name.lower() for c in table.columns if c.duckdb_type == "BOOLEAN"}

    def bit_literals(node: exp.Expression) -> exp.Expression:
        # ``Flag = 1`` on a BIT column must compare with a BOOLEAN on DuckDB
        if isinstance(node, (exp.EQ, exp.NEQ)) and isinstance(node.this, exp.Column):
            other = node.expression
            if node.this.name.lower() in booleans and isinstance(other, exp.Literal):
                node.set("expression", exp.Boolean(this=other.name == "1"))
        return node

    return tree.transform(bit_literals).sql("duckdb")


def _qlist(names: tuple[str, ...]) -> str:
    return ", ".join(quote_duckdb(n) for n in names)


# --- names ----------------------------------------------------------------------------------


def _ident_name(node: exp.Expression) -> str:
    return node.name if isinstance(node, (exp.Identifier, exp.Column)) else node.sql("tsql")


def _column_names(node: exp.Expression) -> tuple[str, ...]:
    """Key columns of a PRIMARY KEY / UNIQUE constraint, whichever shape sqlglot gave it."""
    names: list[str] = []
    for child in node.walk(bfs=False):
        if isinstance(child, exp.Column):
            names.append(child.name)
        elif isinstance(child, exp.Schema):
            names.extend(_ident_name(i) for i in child.expressions)
    return tuple(dict.fromkeys(names))


def _unparen(node: exp.Expression) -> exp.Expression:
    while isinstance(node, exp.Paren):
        node = node.this
    return node
