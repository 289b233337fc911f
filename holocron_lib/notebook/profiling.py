"""Data profiling per schema: row counts, null rates per column, duplicate keys, anomalies.

Null rates use `COUNT(column)`, one query per table, so even wide text columns cost only
a scan: no lengths or distinct values are computed on them. Duplicate checks run on key
columns only (primary keys and GUID columns). Tables are capped per call.
"""

from __future__ import annotations

from holocron_lib.schema.integrity import duplicate_key_sql
from holocron_lib.tsql.names import quote_tsql, split_name

MOSTLY_NULL_PCT = 90.0


def row_counts(db, schemas):
    """Rows per base table in the chosen schemas, largest first."""
    import pandas as pd

    frames = [db.row_counts(s) for s in schemas]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["schema", "table", "rows"])
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["rows", "schema", "table"], ascending=[False, True, True], ignore_index=True)


def null_rates(db, table: str):
    """Per column of one table: rows, nulls, null percentage and the column's nullability."""
    import pandas as pd

    cols = db.columns(table)
    names = list(cols["name"])
    if not names:
        return pd.DataFrame(columns=["table", "column", "nullable", "rows", "nulls", "null_pct"])
    select = ", ".join(f"COUNT({quote_tsql(c)}) AS c{i}" for i, c in enumerate(names))
    source = quote_tsql(*split_name(table))
    counts = db.query(f"SELECT COUNT(*) AS rows_, {select} FROM {source}").iloc[0]
    rows = int(counts["rows_"])
    out = pd.DataFrame({
        "table": table,
        "column": names,
        "nullable": list(cols["nullable"]),
        "rows": rows,
        "nulls": [rows - int(counts[f"c{i}"]) for i in range(len(names))],
    })
    out["null_pct"] = (100.0 * out["nulls"] / rows).round(1) if rows else 0.0
    return out


def null_anomaly(row) -> str:
    """Why a column's null count deserves a look, or '' when it does not."""
    if row["rows"] == 0:
        return ""
    if not row["nullable"] and row["nulls"] > 0:
        return "NOT NULL column holds nulls"
    if row["nulls"] == row["rows"]:
        return "always null"
    if row["null_pct"] >= MOSTLY_NULL_PCT:
        return f"null in {row['null_pct']:g}% of rows"
    return ""


def profile_columns(db, tables, max_tables: int = 40):
    """Null rates for every column of the given tables (at most ``max_tables``), with anomalies."""
    import pandas as pd

    frames = [null_rates(db, t) for t in list(tables)[: int(max_tables)]]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["table", "column", "nullable", "rows", "nulls", "null_pct", "anomaly"])
    out = pd.concat(frames, ignore_index=True)
    out["anomaly"] = out.apply(null_anomaly, axis=1)
    return out


def key_columns(db, table: str, model=None) -> list[tuple[str, ...]]:
    """Column sets that must be unique: the primary key and unique keys (GUID columns included).

    Without a schema model: the first column, and the second when it is a GUID column.
    """
    if model is not None:
        t = model.table(table)
        declared = ([t.primary_key] if t.primary_key else []) + list(t.unique_keys)
        if declared:
            return [tuple(k) for k in declared]
    names = list(db.columns(table)["name"])
    keys = [(names[0],)] if names else []
    return keys + [(c,) for c in names[1:2] if c.lower().endswith("guid")]


def duplicate_keys(db, tables, model=None, max_tables: int = 40):
    """Per key: rows with the key set, distinct key values, and how many rows are duplicates."""
    import pandas as pd

    rows = []
    for table in list(tables)[: int(max_tables)]:
        for key in key_columns(db, table, model):
            n, d, dup = db.query(duplicate_key_sql(table, key)).iloc[0]
            rows.append({"table": table, "key": ", ".join(key), "rows": int(n), "distinct": int(d),
                         "duplicates": int(dup)})
    return pd.DataFrame(rows, columns=["table", "key", "rows", "distinct", "duplicates"])


def table_summary(counts, columns, duplicates):
    """One row per table: rows, columns, columns with anomalies, duplicate key rows."""
    import pandas as pd

    if counts.empty:
        return pd.DataFrame(columns=["table", "rows", "columns", "null_anomalies", "duplicate_rows", "flag"])
    names = counts["schema"] + "." + counts["table"]
    out = pd.DataFrame({"table": names, "rows": counts["rows"].astype(int)})
    per = columns.groupby("table").agg(columns=("column", "size"),
                                       null_anomalies=("anomaly", lambda s: int((s != "").sum())))
    dup = duplicates.groupby("table")["duplicates"].sum() if not duplicates.empty else pd.Series(dtype=int)
    out = out.merge(per, left_on="table", right_index=True, how="left")
    out["duplicate_rows"] = out["table"].map(dup).fillna(0).astype(int)
    out["columns"] = out["columns"].fillna(0).astype(int)
    out["null_anomalies"] = out["null_anomalies"].fillna(0).astype(int)

    def flag(r) -> str:
        if r["duplicate_rows"]:
            return "duplicate keys"
        if r["rows"] == 0:
            return "empty"
        return ""

    out["flag"] = out.apply(flag, axis=1)
    return out.reset_index(drop=True)


FAILURE_FLAGS = ("duplicate keys",)


def is_failure(flag) -> bool:
    """Whether a table flag or a column anomaly is an error (red) rather than worth a look.

    Duplicate keys and nulls in a NOT NULL column are errors; an empty table or a column
    that is always null is a curiosity. Notebooks pass it to `display.show` as
    ``highlight=lambda row: profiling.is_failure(row["flag"])``.
    """
    return bool(flag) and (flag in FAILURE_FLAGS or str(flag).startswith("NOT NULL"))
