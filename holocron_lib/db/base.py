"""The one `Database` interface: T-SQL in, pandas out, the same on every backend.

Callers write T-SQL and use this interface with no assumptions about the backend: the
embedded DuckDB copy (``db/embedded.py``) or SQL Server through pyodbc (``db/sqlserver.py``);
``db/connection.py`` chooses between them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from holocron_lib.errors import DatabaseError, UnknownObjectError, close_matches
from holocron_lib.tsql.names import quote_tsql, split_name, string_literal

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["Database", "ResultSets", "Transaction"]


class Transaction:
    """The handle ``transaction()`` and ``dry_run()`` yield: statements run inside one transaction."""

    def __init__(self, db: Database, *, keep: bool = True):
        self._db = db
        self._keep = keep
        self.state = "open"  # open | committed | rolled back | failed

    @property
    def in_transaction(self) -> bool:
        return self.state == "open"

    @property
    def keeps_writes(self) -> bool:
        """Whether what is written here stays: False for a dry run, or once rolled back."""
        return self._keep and self.state in ("open", "committed")

    @property
    def backend(self) -> str:
        return self._db.backend

    def _check(self) -> None:
        if self.state == "failed":
            raise DatabaseError(
                "the transaction was rolled back after an error inside it; start a new one",
                self._db.backend,
            )
        if self.state != "open":
            raise DatabaseError(f"the transaction is already {self.state}", self._db.backend)

    def query(self, tsql: str, params: Sequence | None = None) -> pd.DataFrame:
        self._check()
        return self._db._query(tsql, plain_params(params))

    def scalar(self, tsql: str, params: Sequence | None = None) -> Any:
        self._check()
        return self._db._scalar(tsql, plain_params(params))

    def execute(self, tsql: str, params: Sequence | None = None) -> int:
        self._check()
        return self._db._execute(tsql, plain_params(params))

    def call(self, name: str, **params) -> ResultSets:
        self._check()
        return self._db.call(name, **params)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._db.transaction() as tx:
            yield tx

    @contextmanager
    def dry_run(self, confirm: bool) -> Iterator[Transaction]:
        with self._db.dry_run(confirm) as tx:
            yield tx

    def rollback(self) -> None:
        """Undo everything done in the transaction (the outer one too, when nested)."""
        if self.state == "open":
            self._db._finish(self, commit=False)


class Database(ABC):
    """One connection. T-SQL in, pandas out; subclasses supply the backend primitives."""

    backend: str = ""

    def __init__(self) -> None:
        self._tx: Transaction | None = None
        self.closed = False

    # --- the public interface ------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        return self._tx is not None

    def query(self, tsql: str, params: Sequence | None = None) -> pd.DataFrame:
        """Rows of a T-SQL query as a DataFrame; ``params`` bind to ``?`` markers in order."""
        self._check_open()
        return self._query(tsql, plain_params(params))

    def scalar(self, tsql: str, params: Sequence | None = None) -> Any:
        """The first column of the first row, or None when there is no row."""
        self._check_open()
        return self._scalar(tsql, plain_params(params))

    def execute(self, tsql: str, params: Sequence | None = None) -> int:
        """Run a statement in its own transaction (or the open one); rows affected, -1 if none."""
        self._check_open()
        if self._tx is not None:
            return self._tx.execute(tsql, params)
        with self.transaction() as tx:
            return tx.execute(tsql, params)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Commit on success, roll back on an exception or ``tx.rollback()``; nested use joins."""
        with self._transaction(keep=True) as tx:
            yield tx

    @contextmanager
    def dry_run(self, confirm: bool) -> Iterator[Transaction]:
        """A transaction that commits only when ``confirm`` is true: writes are rolled back
        otherwise, and on an exception either way. ``tx.keeps_writes`` says which it is.

        Nested in a dry run, it joins it (and its writes go when the outer one rolls back).
        An unconfirmed dry run inside a transaction that commits is refused: undoing its
        writes would undo the outer transaction's too.
        """
        with self._transaction(keep=bool(confirm)) as tx:
            yield tx

    @contextmanager
    def _transaction(self, *, keep: bool) -> Iterator[Transaction]:
        self._check_open()
        if self._tx is not None:
            outer = self._tx
            if not keep and outer._keep:
                raise DatabaseError(
                    "a dry run cannot be nested in a transaction that commits (rolling it back "
                    "would undo the outer work too); run it on its own or make the outer one a "
                    "dry run",
                    self.backend,
                )
            try:
                yield outer
            except BaseException:
                # As with SQL Server's ROLLBACK in a nested block: the whole transaction goes.
                if outer.state == "open":
                    self._finish(outer, commit=False)
                raise
            return
        tx = Transaction(self, keep=keep)
        self._begin()
        self._tx = tx
        try:
            yield tx
        except BaseException:
            if tx.state == "open":
                self._finish(tx, commit=False)
            raise
        if tx.state == "open":
            self._finish(tx, commit=keep)
        elif tx.state == "failed":
            raise DatabaseError(
                "a statement failed inside the transaction, which was rolled back; "
                "nothing was committed",
                self.backend,
            )

    @abstractmethod
    def call(self, name: str, **params) -> ResultSets:
        """Run stored procedure ``name``; one DataFrame per result set."""

    @abstractmethod
    def schemas(self) -> list[str]:
        """User schemas, sorted."""

    @abstractmethod
    def tables(self, schema: str | None = None) -> pd.DataFrame:
        """Tables and views: columns ``schema``, ``name``, ``kind`` ('table' or 'view')."""

    def columns(self, table: str) -> pd.DataFrame:
        """Columns of a table or view in order: ``name``, ``type``, ``nullable``."""
        schema, name = split_name(table)
        frame = self._columns(schema, name)
        if frame.empty:
            shown = f"{schema}.{name}"
            raise UnknownObjectError("table", shown, self._similar_tables(shown))
        return frame

    def row_counts(self, schema: str | None = None) -> pd.DataFrame:
        """Exact row counts of base tables: ``schema``, ``table``, ``rows``; one query."""
        import pandas as pd

        names = self.tables(schema)
        names = names[names["kind"] == "table"]
        if names.empty:
            return pd.DataFrame({"schema": [], "table": [], "rows": []}).astype({"rows": "int64"})
        counts = [
            f"SELECT N{string_literal(r.schema)} AS [schema], N{string_literal(r.name)} AS [table], "
            f"COUNT_BIG(*) AS [rows] FROM {quote_tsql(r.schema, r.name)}"
            for r in names.itertuples()
        ]
        frame = self.query(" UNION ALL ".join(counts) + " ORDER BY 1, 2")
        frame["rows"] = frame["rows"].astype("int64")
        return frame

    def close(self) -> None:
        if self.closed:
            return
        if self._tx is not None and self._tx.state == "open":
            self._finish(self._tx, commit=False)
        self.closed = True
        self._close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        state = ", closed" if self.closed else ""
        return f"Database(backend={self.backend!r}, target={self.target!r}{state})"

    # --- what a backend provides ---------------------------------------------------------

    @property
    @abstractmethod
    def target(self) -> str:
        """Where the connection points, fit to print: never a secret."""

    def describe_target(self) -> str:
        """Which database this is, fit for a run's record and page: the embedded file's name
        (never its folder) and kind, or SQL Server's database name (never a host or login)."""
        return self.target

    @abstractmethod
    def _columns(self, schema: str, name: str) -> pd.DataFrame:
        """``columns()`` of ``schema.name``; an empty frame when there is no such object."""

    @abstractmethod
    def _query(self, tsql: str, params: list | None) -> pd.DataFrame: ...

    @abstractmethod
    def _scalar(self, tsql: str, params: list | None) -> Any: ...

    @abstractmethod
    def _execute(self, tsql: str, params: list | None) -> int: ...

    @abstractmethod
    def _begin(self) -> None: ...

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def _close(self) -> None: ...

    # --- shared machinery ----------------------------------------------------------------

    def _check_open(self) -> None:
        if self.closed:
            raise DatabaseError("the connection is closed; call connect() again", self.backend)

    def _finish(self, tx: Transaction, *, commit: bool) -> None:
        """End the open transaction; a failed commit is rolled back and reported."""
        self._tx = None
        if not commit:
            tx.state = "rolled back"
            self._rollback()
            return
        try:
            self._commit()
        except Exception as exc:
            tx.state = "failed"
            try:
                self._rollback()
            except Exception:  # noqa: BLE001 - the commit error is the one to report
                pass
            if isinstance(exc, DatabaseError):
                raise
            raise DatabaseError(f"commit failed: {exc}", self.backend) from None
        tx.state = "committed"

    def _similar_tables(self, name: str) -> list[str]:
        """Tables and views named like ``name``: as ``schema.name``, else by the bare name."""
        try:
            known = [f"{r.schema}.{r.name}" for r in self.tables().itertuples()]
        except DatabaseError:
            return []
        if "." in name:
            hits = close_matches(name, known)
            if hits:
                return hits
        bare = {k.split(".", 1)[1]: k for k in known}
        return [bare[h] for h in close_matches(name.split(".")[-1], bare)]

    def _fail_transaction(self) -> None:
        """After a failed statement: roll back the open transaction so the connection works on."""
        tx = self._tx
        if tx is None:
            return
        self._tx = None
        tx.state = "failed"
        try:
            self._rollback()
        except Exception:  # noqa: BLE001 - the statement's error is the one to report
            pass


class ResultSets(list):
    """The result sets of one call (a list of DataFrames), with OUTPUT values and PRINT lines."""

    def __init__(self, frames: Iterable = (), outputs: Mapping | None = None, messages=()):
        super().__init__(frames)
        self.outputs = dict(outputs or {})
        self.messages = list(messages)



# --- helpers shared by the backends --------------------------------------------------------


def plain_params(params: Sequence | None) -> list | None:
    """``params`` as a list of plain Python values (numpy and pandas scalars unwrapped)."""
    if params is None:
        return None
    if isinstance(params, (str, bytes, Mapping)):
        raise TypeError(
            "params must be a sequence of values bound to the ? markers in order, "
            f"not {type(params).__name__}"
        )
    return [_plain(v) for v in params]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool, bytes)):
        return value
    module = type(value).__module__
    if module.startswith("pandas"):
        import pandas as pd

        if value is pd.NaT or value is pd.NA:
            return None
        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime()
        if isinstance(value, pd.Timedelta):
            return value.to_pytimedelta()
    if module == "numpy" and hasattr(value, "item"):
        item = value.item()
        # numpy datetime64 unwraps to int nanoseconds at ns precision: go through pandas
        if isinstance(item, int) and "datetime64" in type(value).__name__:
            import pandas as pd

            return pd.Timestamp(value).to_pydatetime()
        return item
    return value


def relative_to_home(path: Path, home: Path | None) -> str:
    """``path`` relative to the project folder when it lies inside it (kinder in messages)."""
    if home is not None:
        try:
            return str(Path(path).resolve().relative_to(Path(home).resolve()))
        except ValueError:
            pass
    return str(path)
