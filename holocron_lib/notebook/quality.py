"""Reusable data-quality checks against the project's DDL: orphans, constraints, keys, filtered
unique indexes, schema drift.

Every check reads the schema model (`ddl.load_schema_model()`, parsed from `sql/tables`),
so what is checked is exactly what the DDL declares: each foreign key, each CHECK and
NOT NULL constraint, each primary and unique key, each filtered unique index (the business
keys of the latest rows, which the real seed data breaks and the embedded database cannot
enforce), and each table's column list. The queries are T-SQL and run on either backend.
A check gives one row: pass or fail, the number of offending rows and a detail naming them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from holocron_lib.errors import UnknownObjectError, excerpt
from holocron_lib.schema.ddl import load_schema_model
from holocron_lib.schema.indexes import broken_indexes, filtered_unique_indexes
from holocron_lib.schema.integrity import duplicate_key_sql, orphan_sql
from holocron_lib.tsql.names import quote_tsql

PASS, FAIL = "pass", "fail"
FAMILIES = ("orphans", "constraints", "keys", "filtered unique", "schema drift")


@dataclass(frozen=True)
class QualityResult:
    family: str
    check: str
    status: str
    violations: int
    detail: str


def _tables(model, schemas):
    wanted = {s.lower() for s in schemas} if schemas else None
    return [t for t in model.tables if wanted is None or t.schema.lower() in wanted]


def _result(family, check, violations, detail_fail, detail_pass="") -> QualityResult:
    status = FAIL if violations else PASS
    return QualityResult(family, check, status, int(violations), detail_fail if violations else detail_pass)


def orphan_checks(db, model, schemas=None) -> list[QualityResult]:
    """One check per declared foreign key: child rows whose key has no parent."""
    out = []
    for table in _tables(model, schemas):
        for fk in table.foreign_keys:
            keys = list(db.query(orphan_sql(fk, sample_size=3)).itertuples(index=False, name=None))
            count = int(keys[0][-1]) if keys else 0
            sample = ", ".join(_shown_key(k[:-1]) for k in keys)
            out.append(_result(
                "orphans", f"{fk.table}({', '.join(fk.columns)}) → {fk.ref_table}", count,
                f"{count} row(s) without a parent, e.g. {sample}", "every key has a parent"))
    return out


def constraint_checks(db, model, schemas=None) -> list[QualityResult]:
    """Each CHECK constraint and each NOT NULL column, re-evaluated over the stored rows."""
    out = []
    for table in _tables(model, schemas):
        for check in table.checks:
            # a CHECK fails only when the expression is false (NULL passes), as in SQL Server
            n = db.scalar(f"SELECT COUNT(*) FROM {table.full_name} WHERE NOT ({check})")
            out.append(_result("constraints", f"{table.full_name}: CHECK {excerpt(check, 70)}", n or 0,
                               f"{n} row(s) break the constraint", "holds"))
        required = [c.name for c in table.columns if not c.nullable]
        if required:
            present = set(_live_columns(db, table.full_name) or [])
            required = [c for c in required if c.lower() in present]
            nulls = " OR ".join(f"{quote_tsql(c)} IS NULL" for c in required) or "1 = 0"
            n = db.scalar(f"SELECT COUNT(*) FROM {table.full_name} WHERE {nulls}")
            out.append(_result("constraints", f"{table.full_name}: NOT NULL columns", n or 0,
                               f"{n} row(s) hold NULL in a NOT NULL column", f"{len(required)} columns hold"))
    return out


def key_checks(db, model, schemas=None) -> list[QualityResult]:
    """Primary and unique keys (GUID columns included): no value may appear twice."""
    out = []
    for table in _tables(model, schemas):
        keys = ([table.primary_key] if table.primary_key else []) + list(table.unique_keys)
        for key in keys:
            counts = db.query(duplicate_key_sql(table.full_name, key))
            n = int(counts["duplicate_rows"].iloc[0])
            out.append(_result("keys", f"{table.full_name}({', '.join(key)}) unique", n,
                               f"{n} duplicate row(s)", "unique"))
    return out


def _indexes(model, schemas):
    wanted = {t.full_name for t in _tables(model, schemas)}
    return [ix for ix in filtered_unique_indexes(model) if ix.table in wanted]


def _key_text(key) -> str:
    return "(" + ", ".join(repr(v) for v in key) + ")" if isinstance(key, tuple) else repr(key)


def filtered_unique_checks(db, model, schemas=None) -> list[QualityResult]:
    """One check per filtered unique index (``CREATE UNIQUE INDEX ... WHERE IsLatest = 1``):
    no key may be held by two rows the filter selects. NULLs count as equal, as on SQL Server.
    """
    out = []
    indexes = _indexes(model, schemas)
    broken = broken_indexes(db, indexes)
    for index in indexes:
        found = broken.get(index.name)
        check = f"{index.table}({', '.join(index.columns)}) unique where {index.where}"
        detail = ""
        if found is not None:
            keys = "; ".join(f"{_key_text(k)} ×{n}" for k, n in found.sample)
            detail = (f"{found.groups} key(s) held by {found.rows} rows ({index.name}), "
                      f"e.g. {keys}")
        out.append(_result("filtered unique", check, found.groups if found else 0, detail,
                           f"unique ({index.name})"))
    return out


def unique_index_duplicates(db, schemas=None, model=None, sample_size: int = 5):
    """The duplicated keys behind each failing filtered unique index: one row per key shown,
    with the rows holding it and the index's total of duplicated keys."""
    import pandas as pd

    model = model or load_schema_model()
    rows = []
    for violation in broken_indexes(db, _indexes(model, schemas), sample_size).values():
        for key, n in violation.sample:
            rows.append({"index": violation.name, "table": violation.table,
                         "columns": ", ".join(violation.columns), "key": _key_text(key),
                         "rows": n, "duplicated_keys": violation.groups})
    return pd.DataFrame(rows, columns=["index", "table", "columns", "key", "rows",
                                       "duplicated_keys"])


def duplicates_summary(duplicates) -> str:
    """One line about `unique_index_duplicates`: which indexes fail, or that all hold."""
    if duplicates.empty:
        return "Every filtered unique index holds: no key is held by two latest rows."
    per_index = duplicates.groupby("index")["duplicated_keys"].first()
    return (f"{len(per_index)} filtered unique index(es) do not hold: " +
            ", ".join(f"{name} ({int(n)} key(s))" for name, n in per_index.items()))


def _live_columns(db, table: str) -> list[str] | None:
    try:
        return [str(c).lower() for c in db.columns(table)["name"]]
    except UnknownObjectError:
        return None


def drift_checks(db, model, schemas=None) -> list[QualityResult]:
    """Each DDL table against the live database: missing, extra or retyped columns."""
    out = []
    for table in _tables(model, schemas):
        try:
            live = db.columns(table.full_name)
        except Exception:  # noqa: BLE001 - a missing table is the finding, not an error
            out.append(QualityResult("schema drift", table.full_name, FAIL, 1, "table missing"))
            continue
        live_names = {str(n).lower(): (str(t), bool(nl)) for n, t, nl in
                      live[["name", "type", "nullable"]].itertuples(index=False, name=None)}
        declared = {c.name.lower(): c for c in table.columns}
        problems = [f"missing column {c.name}" for k, c in declared.items() if k not in live_names]
        problems += [f"extra column {n}" for n in live_names if n not in declared]
        for key, col in declared.items():
            if key not in live_names:
                continue
            live_type, live_nullable = live_names[key]
            if db.backend == "duckdb" and _norm(live_type) != _norm(col.tsql_type):
                problems.append(f"{col.name} is {live_type}, DDL says {col.tsql_type}")
            if live_nullable != col.nullable and key not in {k.lower() for k in table.primary_key}:
                problems.append(f"{col.name} nullable={live_nullable}, DDL says {col.nullable}")
        out.append(_result("schema drift", table.full_name, len(problems), "; ".join(problems)[:300],
                           f"{len(declared)} columns match"))
    return out


def _norm(type_text: str) -> str:
    return type_text.upper().replace(" ", "")


def _shown_key(values: tuple) -> str:
    return str(values[0]) if len(values) == 1 else "(" + ", ".join(map(str, values)) + ")"


CHECKS = {
    "orphans": orphan_checks,
    "constraints": constraint_checks,
    "keys": key_checks,
    "filtered unique": filtered_unique_checks,
    "schema drift": drift_checks,
}


def run_checks(db, schemas=None, families=FAMILIES, model=None):
    """Every check of the chosen families over the chosen schemas, failures first."""
    import pandas as pd

    model = model or load_schema_model()
    unknown = [f for f in families if f not in CHECKS]
    if unknown:
        raise UnknownObjectError("check family", unknown[0], list(CHECKS))
    results = [r for f in families for r in CHECKS[f](db, model, schemas)]
    frame = pd.DataFrame([asdict(r) for r in results], columns=["family", "check", "status", "violations",
                                                               "detail"])
    frame["_order"] = (frame["status"] == PASS).astype(int)
    return frame.sort_values(["_order", "family", "check"], ignore_index=True).drop(columns="_order")


def summary(results):
    """Checks passed and failed per family."""
    import pandas as pd

    if results.empty:
        return pd.DataFrame(columns=["family", "checks", "passed", "failed"])
    grouped = results.groupby("family")["status"]
    out = pd.DataFrame({"checks": grouped.size(), "passed": grouped.apply(lambda s: int((s == PASS).sum()))})
    out["failed"] = out["checks"] - out["passed"]
    return out.reset_index()


def results_frame(results: list[QualityResult]):
    """Check results as a DataFrame, failures first."""
    import pandas as pd

    frame = pd.DataFrame([asdict(r) for r in results], columns=["family", "check", "status", "violations",
                                                               "detail"])
    return frame.sort_values("status", key=lambda s: s == PASS, kind="stable", ignore_index=True)
