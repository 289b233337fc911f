"""Traces a foreign key that a seed load broke back to the seed file and row behind it.

DuckDB does not enforce the declared foreign keys, so after a load ``check_foreign_keys``
checks them (one query in the usual case that none is broken); only when one is, the file's
rows are searched for the first orphan.
"""

from __future__ import annotations

from holocron_lib.errors import SeedError
from holocron_lib.schema.ddl import SchemaModel
from holocron_lib.schema.integrity import orphan_sql
from holocron_lib.seed.file import SeedFile
from holocron_lib.tsql.names import quote_duckdb


def first_orphan(con, model: SchemaModel, loaded: dict[str, tuple[SeedFile, dict]]
                 ) -> SeedError | None:
    """The error for the first broken foreign key, or None when every key holds.

    ``loaded`` maps a lower-cased ``schema.table`` to its seed file and, per foreign-key
    column, the loaded values in file row order.
    """
    from holocron_lib.schema.apply import check_foreign_keys

    violations = check_foreign_keys(con, model)
    return _locate(con, model, violations[0], loaded) if violations else None


def _locate(con, model: SchemaModel, violation, loaded: dict[str, tuple[SeedFile, dict]]
            ) -> SeedError:
    """The first seed row behind a foreign-key violation, named by file, row and columns."""
    cols = ", ".join(violation.columns)
    reason = (f"foreign key {violation.name}: {violation.table} ({cols}) has no parent row in "
              f"{violation.ref_table}")
    sf, values = loaded.get(violation.table.lower(), (None, {}))
    if sf is None or not set(violation.columns) <= set(values):
        return SeedError(violation.table, f"{reason}; e.g. {violation.sample[0]!r}")
    fk = next(f for f in model.foreign_keys if f.name == violation.name
              and f.table == violation.table)
    width = len(fk.columns)
    orphans = {tuple(_key(v) for v in r[:width])
               for r in con.execute(orphan_sql(fk, sample_size=1 << 40, quote=quote_duckdb)).fetchall()}
    columns = [values[c] for c in fk.columns]
    for number, key in enumerate(zip(*columns, strict=True), start=1):
        if tuple(_key(v) for v in key) in orphans:
            shown = ", ".join(f"{c}={v}" for c, v in zip(fk.columns, key, strict=True))
            return SeedError(str(sf.path), f"{reason} ({shown})", number, cols)
    return SeedError(str(sf.path), f"{reason}; e.g. {violation.sample[0]!r}")


def _key(value) -> str:
    if type(value) is float and value.is_integer():
        value = int(value)
    return str(value).lower()

