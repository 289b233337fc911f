"""Bulk-loads a seed folder into DuckDB with the real Holocron loader's rules, one INSERT per file.

Rows are prepared column-wise (defaults, derived GUIDs, load-time stamps, RowHash), checked per
type family, and inserted with ``INSERT ... SELECT`` from an Arrow table: row-by-row inserts
are two orders of magnitude slower, and DuckDB scans Arrow memory without Python in the loop.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from holocron_lib.errors import SeedError, UnknownObjectError, close_matches
from holocron_lib.schema.ddl import load_schema_model, sequence_name
from holocron_lib.seed.columns import ColumnSpec, check_casts, column_array
from holocron_lib.seed.file import (
    HASH_EXCLUDED,
    SeedFile,
    derive_guid,
    order_seed_files,
    read_seed_file,
    row_hashes,
    seed_paths,
    serialize_json_value,
)
from holocron_lib.seed.gcpause import gc_paused
from holocron_lib.seed.orphans import first_orphan
from holocron_lib.seed.rowhash import hash_expression
from holocron_lib.tsql.names import quote_duckdb

MISSING = object()  # a key absent from a row (distinct from an explicit JSON null)
LOAD_STAMPED = ("ValidFromUtc", "CreatedUtc")  # the real loader sets these to the load time
_NOW_DEFAULT = re.compile(r"sysutcdatetime|getutcdate|getdate|sysdatetime|current_timestamp|now\(",
                          re.IGNORECASE)
_NEWID_DEFAULT = re.compile(r"newid|newsequentialid|uuid\(|gen_random_uuid", re.IGNORECASE)
_FRAME = "__seed_rows"


def _run(con, sql: str, params: list | None = None) -> list[tuple]:
    """Execute and drain: DuckDB refuses new work while a result is unread."""
    return con.execute(sql, params).fetchall() if params else con.execute(sql).fetchall()


def _forget(con) -> None:
    """Drop the registered frame; refused inside an aborted transaction, so retried later."""
    try:
        con.unregister(_FRAME)
    except duckdb.Error:
        pass


def _name(obj) -> str | None:
    return None if obj is None else getattr(obj, "name", obj)


def _guid_column(table) -> str | None:
    """The ``<X>Guid`` second column of a dbo table, which the real loader derives.

    By convention it is ``UNIQUEIDENTIFIER NOT NULL DEFAULT NEWID()``; a second column that
    merely ends in ``Guid`` (``BridgeEntityRelation.FromEntityGuid``) is data, not identity.
    """
    cols = table.columns
    if table.schema.lower() != "dbo" or len(cols) < 2:
        return None
    second = cols[1]
    is_guid = (second.tsql_type.upper().startswith("UNIQUEIDENTIFIER")
               and second.name.endswith("Guid")
               and _NEWID_DEFAULT.search(second.default or ""))
    return second.name if is_guid else None


class _Prepared:
    """One file's rows, column-wise: ``columns[name]`` is a list in row order."""

    def __init__(self, sf: SeedFile, table, load_time: datetime):
        self.sf, self.table, self.path = sf, table, sf.path
        self.n = len(sf.rows)
        self.identity = _name(getattr(table, "identity_column", None))
        self.specs = {c.name: ColumnSpec.from_column(c) for c in table.columns}
        self.load_time = load_time.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
        self.columns: dict[str, list] = {}
        self.keys: list[int] | None = None
        # RowHash left to the INSERT: the hashed columns, with their values and types.
        self.hashed: dict[str, tuple[list, set]] | None = None
        self._types: dict[str, tuple[list, set]] = {}

    def types(self, col: str, values: list) -> set:
        """``set(map(type, values))``, remembered while ``values`` is the column's list."""
        cached = self._types.get(col)
        if cached is None or cached[0] is not values:
            cached = self._types[col] = (values, set(map(type, values)))
        return cached[1]

    def fail(self, reason: str, row: int | None = None, column: str | None = None):
        raise SeedError(str(self.path), reason, row, column)

    def gather(self) -> None:
        rows, sf = self.sf.rows, self.sf
        present: set[str] = set().union(*rows) if rows else set()
        unknown = present - self.specs.keys()
        if unknown and not sf.ignore_unknown_fields:
            col = min(unknown, key=lambda c: next(i for i, r in enumerate(rows) if c in r))
            row = next(i for i, r in enumerate(rows, start=1) if col in r)
            hint = close_matches(col, self.specs)
            self.fail(f"unknown column for table {self.table.full_name}"
                      + (f"; did you mean {', '.join(hint)}?" if hint else ""), row, col)
        for col in sorted(present):
            try:  # C-level when every row has the key, the usual case
                values = list(map(itemgetter(col), rows))
            except KeyError:
                values = [r.get(col, MISSING) for r in rows]
            types = self.types(col, values)
            if dict in types or list in types:
                values = [serialize_json_value(v) for v in values]
            self.columns[col] = values
        for col, value in sf.defaults.items():
            if col not in self.specs:
                continue  # the real loader applies only defaults the table has
            value = serialize_json_value(value)
            current = self.columns.get(col)
            self.columns[col] = ([value] * self.n if current is None
                                 else [value if v is MISSING else v for v in current])

    def derive_guids(self) -> None:
        guid = _guid_column(self.table)
        if guid is None:
            return
        values = self.columns.get(guid, [MISSING] * self.n)
        if MISSING in values:
            key = self.sf.natural_key
            if not key:
                row = values.index(MISSING) + 1
                self.fail("GUID column missing and the file has no target.naturalKey to "
                          "derive it from", row, guid)
            parts = [self.columns.get(k, [MISSING] * self.n) for k in key]
            schema, table = self.sf.schema, self.sf.table
            values = [
                derive_guid(schema, table, ["" if p[i] is MISSING else p[i] for p in parts])
                if v is MISSING else v
                for i, v in enumerate(values)
            ]
            self.columns[guid] = values
        seen: dict[str, int] = {}
        for number, value in enumerate(values, start=1):
            if isinstance(value, str):
                first = seen.setdefault(value.lower(), number)
                if first != number:
                    self.fail(f"duplicate GUID {value} (also in row {first})", number, guid)

    def hash_rows(self) -> None:
        if "RowHash" not in self.specs:
            return
        given = self.columns.get("RowHash")
        if given is not None and MISSING not in given:
            return
        if given is None and self.n:
            excluded = HASH_EXCLUDED | {self.identity}
            hashed = {k: (v, self.types(k, v)) for k, v in sorted(self.columns.items())
                      if k not in excluded}
            if hashed and not any(object in types for _, types in hashed.values()):
                self.hashed = hashed  # every row has every key: DuckDB can hash them
                return
        hashes = row_hashes(self.columns, self.n, MISSING, self.identity)
        self.columns["RowHash"] = hashes if given is None else [
            h if g is MISSING else g for g, h in zip(given, hashes, strict=True)]

    def assign_keys(self) -> None:
        """Identity keys: 1..N in row order, unless the file may and does give them."""
        ident = self.identity
        if ident is None:
            return
        given = self.columns.pop(ident, None)
        if given is not None and self.sf.allow_identity_insert:
            if MISSING in given or None in given:
                bad = next(i for i, v in enumerate(given, start=1) if v is MISSING or v is None)
                self.fail("allowIdentityInsert is on but this row has no key", bad, ident)
            self.columns[ident] = given
        else:
            self.columns[ident] = list(range(1, self.n + 1))

    def stamp(self) -> None:
        """Load-time stamps and GUIDs for columns the database would fill non-deterministically."""
        for spec in self.specs.values():
            col = spec.name
            default = self.table.column(col).default or ""
            if col in LOAD_STAMPED or (spec.family == "temporal" and _NOW_DEFAULT.search(default)):
                fill = self.load_time
            elif spec.family == "uuid" and _NEWID_DEFAULT.search(default):
                # NEWID() would make rebuilds differ; a name-based GUID per row does not.
                space = uuid.uuid5(uuid.NAMESPACE_DNS, self.table.full_name)
                values = self.columns.get(col, [MISSING] * self.n)
                if MISSING in values:
                    self.columns[col] = [
                        str(uuid.uuid5(space, f"{col}:{i}")) if v is MISSING else v
                        for i, v in enumerate(values, start=1)]
                continue
            else:
                continue
            values = self.columns.get(col)
            self.columns[col] = ([fill] * self.n if values is None
                                 else [fill if v is MISSING else v for v in values])

    def frame(self) -> tuple[dict[str, pa.Array], list[ColumnSpec], dict[str, np.ndarray],
                             dict[str, str]]:
        """Typed columns to insert, per column the rows left to the database default, and
        the columns computed in SQL."""
        data: dict[str, pa.Array] = {"__row": pa.array(np.arange(1, self.n + 1, dtype=np.int64))}
        specs: list[ColumnSpec] = []
        omit: dict[str, np.ndarray] = {}
        for spec in self.specs.values():
            if self.hashed is not None and spec.name == "RowHash":
                continue
            values = self.columns.get(spec.name)
            if values is None:
                if not spec.nullable and not spec.has_default and self.n:
                    self.fail(f"no value for NOT NULL column of {self.table.full_name}", 1,
                              spec.name)
                continue
            types = self.types(spec.name, values)  # MISSING is the only bare ``object``
            if object in types or (not spec.nullable and type(None) in types):
                mask = np.fromiter(
                    (v is MISSING or (v is None and not spec.nullable) for v in values),
                    dtype=bool, count=self.n)
                if spec.has_default:
                    if mask.all():
                        continue
                    omit[spec.name] = mask
                elif not spec.nullable:
                    self.fail(f"NULL for NOT NULL column of {self.table.full_name} "
                              "(no default)", int(np.argmax(mask)) + 1, spec.name)
                values = [None if v is MISSING else v for v in values]
                types = set(map(type, values))
            data[spec.name] = column_array(values, spec, self.path, types)
            specs.append(spec)
        computed = {}
        if self.hashed is not None:
            computed["RowHash"] = hash_expression(self.hashed, data, self.specs)
        return data, specs, omit, computed


def _insert(con, table, groups: np.ndarray | None, specs: list[ColumnSpec],
            omit: dict[str, np.ndarray], computed: dict[str, str]) -> None:
    """One INSERT ... SELECT, or one per pattern of columns left to their defaults."""
    def statement(cols: list[ColumnSpec], where: str = "") -> str:
        names = ", ".join([quote_duckdb(s.name) for s in cols] + [quote_duckdb(c) for c in computed])
        casts = ", ".join([f"CAST({quote_duckdb(s.name)} AS {s.duckdb_type})" for s in cols]
                          + [f"CAST({sql} AS {table.column(c).duckdb_type})"
                             for c, sql in computed.items()])
        return f"INSERT INTO {quote_duckdb(table.schema, table.name)} ({names}) SELECT {casts} FROM {_FRAME}{where}"

    if not omit:
        _run(con, statement(specs))
        return
    names = list(omit)
    for code in np.unique(groups).tolist():
        left_out = {k for i, k in enumerate(names) if code >> i & 1}
        _run(con, statement([s for s in specs if s.name not in left_out],
                              f" WHERE __g = {code}"))


def load_file(con, sf: SeedFile, table, load_time: datetime) -> tuple[int, dict[str, list]]:
    """Load one parsed seed file into ``table``: (rows, FK column values in row order)."""
    if not sf.rows:  # a valid file; with no columns gathered there is nothing to insert
        return 0, {}
    prep = _Prepared(sf, table, load_time)
    prep.gather()
    prep.derive_guids()
    prep.hash_rows()
    prep.assign_keys()
    prep.stamp()
    data, specs, omit, computed = prep.frame()
    groups = None
    if omit:  # rows grouped by which columns they leave to the database default
        groups = np.stack(list(omit.values()), axis=1).astype(np.int64) @ (
            1 << np.arange(len(omit), dtype=np.int64))
        data["__g"] = pa.array(groups)
    frame = pa.table(data)
    con.register(_FRAME, frame)
    try:
        _insert(con, table, groups, specs, omit, computed)
    except duckdb.Error as exc:
        raise _explain(con, sf, table, frame, specs, exc) from None
    finally:
        _forget(con)
    if prep.identity and prep.n:  # later INSERTs without a key must not collide
        top = max(prep.columns[prep.identity])
        sequence = sequence_name(table, table.column(prep.identity))
        _run(con, "SELECT setval(?, ?)", [sequence, int(top)])
    fk_columns = {c for fk in table.foreign_keys for c in fk.columns}
    return prep.n, {c: v for c, v in prep.columns.items() if c in fk_columns}


def _explain(con, sf: SeedFile, table, frame: pa.Table, specs: list[ColumnSpec],
             exc: Exception) -> SeedError:
    """Turn a rejected INSERT into the first bad row: a failed cast or a duplicate key.

    Valid files (the usual case) never pay for these checks. The failed statement has
    aborted the transaction, so the probe runs on a separate cursor.
    """
    cur = con.cursor()
    try:
        cur.register(_FRAME, frame)
        check_casts(cur, _FRAME, specs, frame, sf.path)
    finally:
        cur.close()
    for key in (table.primary_key, *table.unique_keys):
        if key and set(key) <= set(frame.column_names):
            seen: set[tuple] = set()
            rows = zip(*(frame.column(c).to_pylist() for c in key), strict=True)
            for row, values in enumerate(rows, start=1):
                if values in seen:
                    named = ", ".join(f"{c}={v}" for c, v in zip(key, values, strict=True))
                    return SeedError(str(sf.path), f"duplicate key {named} in "
                                                   f"{table.full_name}", row, ", ".join(key))
                seen.add(values)
    return SeedError(str(sf.path), f"rejected by {table.full_name}: "
                                   f"{str(exc).strip().splitlines()[0]}")


def load_seed_dir(con, seed_dir: Path, *, progress: Callable[[str], None] | None = None,
                  load_time: datetime | None = None, check_fks: bool = False) -> dict[str, int]:
    """Load every seed file of a folder in real-loader order; ``"schema.Table" -> rows``.

    All of it happens in one transaction. With ``check_fks`` every declared foreign key is
    verified afterwards, and the first row without a parent raises a ``SeedError`` naming
    the key, the table, the file and the row.
    """
    with gc_paused():
        files = [read_seed_file(p) for p in seed_paths(seed_dir)]
        return load_seed_files(con, files, progress=progress, load_time=load_time,
                               check_fks=check_fks)


def load_seed_files(con, files: list[SeedFile], *,
                    progress: Callable[[str], None] | None = None,
                    load_time: datetime | None = None, check_fks: bool = False
                    ) -> dict[str, int]:
    """``load_seed_dir`` for seed files already parsed (or made in memory), in any order."""
    with gc_paused():
        return _load_files(con, files, progress, load_time, check_fks)


def _load_files(con, files: list[SeedFile], progress: Callable[[str], None] | None,
                load_time: datetime | None, check_fks: bool) -> dict[str, int]:
    model = load_schema_model()
    load_time = load_time or datetime.now(UTC).replace(microsecond=0)
    files = order_seed_files(files)
    tables = []
    for sf in files:
        try:
            tables.append(model.table(sf.full_name))
        except (UnknownObjectError, LookupError) as exc:
            raise SeedError(str(sf.path), f"target table: {exc}") from None
    counts: dict[str, int] = {}
    loaded: dict[str, tuple[SeedFile, dict]] = {}
    _run(con, "BEGIN TRANSACTION")
    try:
        for table in reversed(tables):
            _run(con, f"DELETE FROM {quote_duckdb(table.schema, table.name)}")
        for sf, table in zip(files, tables, strict=True):
            n, fk_values = load_file(con, sf, table, load_time)
            counts[table.full_name] = n
            loaded[table.full_name.lower()] = (sf, fk_values)
            if progress:
                progress(f"{table.full_name:<44} {n:>9,} rows")
        if check_fks:
            orphan = first_orphan(con, model, loaded)
            if orphan is not None:
                raise orphan
        _run(con, "COMMIT")
    except BaseException:
        _run(con, "ROLLBACK")
        _forget(con)
        raise
    return counts
