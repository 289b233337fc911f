"""One family of errors: each names the culprit in attributes and never holds a secret.

Every error pickles (parallel book builds and API workers send them across processes),
so each class passes its constructor arguments to ``super().__init__`` in order and keeps
them as attributes; ``__reduce__`` rebuilds from those.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class HolocronError(Exception):
    """Base class: catch this to catch every error the library raises on purpose."""

    def __reduce__(self):
        return (self.__class__, self.args)


def close_matches(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Names from ``choices`` that look like ``name`` (case-insensitive), best first."""
    lowered = {c.lower(): c for c in choices}
    hits = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[h] for h in hits]


def excerpt(sql: str, limit: int = 200) -> str:
    """``sql`` on one line (white space folded), cut to ``limit`` characters for a message."""
    text = " ".join(str(sql).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class SettingsError(HolocronError, ValueError):
    """A configuration variable is missing or invalid. Holds the name, never the value."""

    def __init__(self, variable: str, reason: str):
        super().__init__(variable, reason)
        self.variable = variable
        self.reason = reason

    def __str__(self) -> str:
        return f"Setting {self.variable}: {self.reason}"


class TranslationError(HolocronError, ValueError):
    """T-SQL that the DuckDB translation cannot express."""

    def __init__(self, sql: str, reason: str):
        super().__init__(sql, reason)
        self.sql = sql
        self.reason = reason

    def __str__(self) -> str:
        return f"Cannot translate T-SQL to DuckDB: {self.reason}\n  in: {excerpt(self.sql, 160)}"


class UnknownObjectError(HolocronError, LookupError):
    """A table, view, procedure, notebook or similar that does not exist."""

    def __init__(self, kind: str, name: str, suggestions: tuple[str, ...] | list[str] = ()):
        suggestions = tuple(suggestions)
        super().__init__(kind, name, suggestions)
        self.kind = kind
        self.name = name
        self.suggestions = suggestions

    def __str__(self) -> str:
        msg = f"Unknown {self.kind} {self.name!r}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        return msg


class ProcedureNotEmulatedError(UnknownObjectError):
    """A stored procedure that exists on SQL Server but has no DuckDB emulation."""

    def __init__(self, name: str, suggestions: tuple[str, ...] | list[str] = ()):
        HolocronError.__init__(self, name, tuple(suggestions))
        self.kind = "procedure"
        self.name = name
        self.suggestions = tuple(suggestions)

    def __str__(self) -> str:
        msg = (
            f"Stored procedure {self.name!r} has no emulation on the embedded DuckDB backend"
            " (it runs only against SQL Server)"
        )
        if self.suggestions:
            msg += "; emulated procedures with similar names: " + ", ".join(self.suggestions)
        return msg


class SeedError(HolocronError, ValueError):
    """A seed file, row or column that cannot be loaded. ``row`` is 1-based in the file."""

    def __init__(self, path: str, reason: str, row: int | None = None, column: str | None = None):
        super().__init__(path, reason, row, column)
        self.path = str(path)
        self.reason = reason
        self.row = row
        self.column = column

    def __str__(self) -> str:
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class DatabaseError(HolocronError, RuntimeError):
    """A database operation failed. The message is scrubbed of secrets by the caller."""

    def __init__(self, message: str, backend: str = ""):
        super().__init__(message, backend)
        self.message = message
        self.backend = backend

    def __str__(self) -> str:
        return f"[{self.backend}] {self.message}" if self.backend else self.message


class ConnectionFailedError(DatabaseError):
    """The database could not be reached (server down, driver missing, bad login)."""


class DatabaseBusyError(ConnectionFailedError):
    """Another process kept the working database open to write for longer than this one
    would wait: ``holder`` names it (a run, a process and its host), ``waited`` in seconds."""

    def __init__(self, database: str, holder: str, waited: float):
        HolocronError.__init__(self, database, holder, waited)
        self.database = database
        self.holder = holder
        self.waited = waited
        self.backend = "duckdb"
        self.message = (f"the working database {database} is being written by {holder}"
                        + (f"; gave up after {waited:g} s (HOLOCRON_DB_WAIT)" if waited else "")
                        + ". Wait for it to finish, or close or cancel it")

    def __str__(self) -> str:
        return self.message


class ProcedureFailedError(DatabaseError):
    """An emulated procedure raised the error SQL Server would raise (RAISERROR, constraint)."""

    def __init__(self, procedure: str, message: str):
        HolocronError.__init__(self, procedure, message)
        self.procedure = procedure
        self.message = message
        self.backend = "duckdb"

    def __str__(self) -> str:
        return f"{self.procedure}: {self.message}"


class NotebookNotFoundError(UnknownObjectError):
    """No registered notebook has this name."""

    def __init__(self, name: str, suggestions: tuple[str, ...] | list[str] = ()):
        HolocronError.__init__(self, name, tuple(suggestions))
        self.kind = "notebook"
        self.name = name
        self.suggestions = tuple(suggestions)


class ParameterError(HolocronError, ValueError):
    """A notebook parameter value that fails validation; lists what is allowed."""

    def __init__(self, notebook: str, parameter: str, reason: str, allowed: tuple | list = ()):
        allowed = tuple(allowed)
        super().__init__(notebook, parameter, reason, allowed)
        self.notebook = notebook
        self.parameter = parameter
        self.reason = reason
        self.allowed = allowed

    def __str__(self) -> str:
        msg = f"Notebook {self.notebook!r}, parameter {self.parameter!r}: {self.reason}"
        if self.allowed:
            msg += "; allowed: " + ", ".join(repr(a) for a in self.allowed)
        return msg


class ProcedureParameterError(HolocronError, ValueError):
    """A stored-procedure argument SQL Server would reject; lists the declared parameters.

    A sibling of `ParameterError`, not a kind of it: the subject is a procedure, not a
    notebook, and nothing that handles a notebook's bad parameters should catch it.
    """

    def __init__(self, procedure: str, parameter: str, reason: str, allowed: tuple | list = ()):
        allowed = tuple(allowed)
        super().__init__(procedure, parameter, reason, allowed)
        self.procedure = procedure
        self.parameter = parameter
        self.reason = reason
        self.allowed = allowed

    def __str__(self) -> str:
        msg = f"Procedure {self.procedure}, parameter {self.parameter!r}: {self.reason}"
        if self.allowed:
            msg += "; parameters: " + ", ".join(str(a) for a in self.allowed)
        return msg


class NotebookExecutionError(HolocronError, RuntimeError):
    """A notebook raised while executing; names the notebook and the failing cell."""

    def __init__(
        self,
        notebook: str,
        cell_index: int | None,
        ename: str,
        evalue: str,
        output_path: str | None = None,
    ):
        super().__init__(notebook, cell_index, ename, evalue, output_path)
        self.notebook = notebook
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue
        self.output_path = output_path

    def __str__(self) -> str:
        cell = f"cell {self.cell_index}" if self.cell_index is not None else "an unknown cell"
        msg = f"Notebook {self.notebook!r} failed at {cell}: {self.ename}: {self.evalue}"
        if self.output_path:
            msg += f" (partial output kept at {self.output_path})"
        return msg


class BookBuildError(HolocronError, RuntimeError):
    """The book did not build; ``notebook`` names the page that failed, when known."""

    def __init__(self, reason: str, notebook: str | None = None):
        super().__init__(reason, notebook)
        self.reason = reason
        self.notebook = notebook

    def __str__(self) -> str:
        if self.notebook:
            return f"Book build failed in notebook {self.notebook}: {self.reason}"
        return f"Book build failed: {self.reason}"


class LakePathError(HolocronError, ValueError):
    """A lake_uri that is absolute or climbs out of the lake root."""

    def __init__(self, lake_uri: str, reason: str):
        super().__init__(lake_uri, reason)
        self.lake_uri = lake_uri
        self.reason = reason

    def __str__(self) -> str:
        return f"Lake path {self.lake_uri!r} rejected: {self.reason}"


class EmbeddingError(HolocronError, RuntimeError):
    """The embedding service answered with an error or with something unexpected."""

    def __init__(self, service: str, reason: str):
        super().__init__(service, reason)
        self.service = service
        self.reason = reason

    def __str__(self) -> str:
        return f"Embedding service {self.service}: {self.reason}"


class QueueFullError(HolocronError, RuntimeError):
    """Too many runs are waiting; the client should try again later."""

    def __init__(self, waiting: int):
        super().__init__(waiting)
        self.waiting = waiting

    def __str__(self) -> str:
        return f"{self.waiting} runs are already waiting; try again later"


class StoreUnavailableError(DatabaseError):
    """The run store cannot be opened or used: ``store`` names it (no password), ``reason``
    says what failed, ``advice`` what to do."""

    def __init__(self, store: str, reason: str, advice: str, backend: str = ""):
        HolocronError.__init__(self, store, reason, advice, backend)
        self.store = store
        self.reason = reason
        self.advice = advice
        self.backend = backend
        self.message = f"the run store {store} cannot be used: {reason}; {advice}"

    def __str__(self) -> str:
        return self.message


class WaitingLimitError(HolocronError, RuntimeError):
    """One user already has as many runs waiting as HOLOCRON_MAX_WAITING_PER_USER allows."""

    def __init__(self, user: str, waiting: int, limit: int):
        super().__init__(user, waiting, limit)
        self.user = user
        self.waiting = waiting
        self.limit = limit

    def __str__(self) -> str:
        return (f"user {self.user} already has {self.waiting} runs waiting (the limit is "
                f"{self.limit}, HOLOCRON_MAX_WAITING_PER_USER); try again when some have started")


class RunStateError(HolocronError, RuntimeError):
    """A run is not in a state that allows what was asked (e.g. cancelling a finished run)."""

    def __init__(self, run_id: int, status: str, action: str):
        super().__init__(run_id, status, action)
        self.run_id, self.status, self.action = run_id, status, action

    def __str__(self) -> str:
        return (f"cannot {self.action} run {self.run_id}: it has already ended "
                f"(status {self.status})")


class ScheduleError(HolocronError, ValueError):
    """A schedule cannot be made as asked: bad name, cron expression or time zone, a clash."""

    def __init__(self, schedule: str, reason: str):
        super().__init__(schedule, reason)
        self.schedule, self.reason = schedule, reason

    def __str__(self) -> str:
        return f"Schedule {self.schedule!r}: {self.reason}"


class ScheduleExistsError(ScheduleError):
    """A schedule of that name already exists (names are unique across the store)."""

    def __init__(self, schedule: str, reason: str = "a schedule with this name exists"):
        super().__init__(schedule, reason)


class PresetError(HolocronError, ValueError):
    """A preset cannot be used or made as asked: it no longer fits, it clashes, not yours."""

    def __init__(self, notebook: str, preset: str, reason: str):
        super().__init__(notebook, preset, reason)
        self.notebook, self.preset, self.reason = notebook, preset, reason

    def __str__(self) -> str:
        return f"Preset {self.preset!r} of notebook {self.notebook!r} {self.reason}"


class PresetExistsError(PresetError):
    """A preset of that name already exists for the notebook."""

    def __init__(self, notebook: str, preset: str, reason: str = "exists already"):
        super().__init__(notebook, preset, reason)


class TokenError(HolocronError, ValueError):
    """A bearer token is refused; the reason says why, never what the token holds."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return f"the bearer token is not valid: {self.reason}"
class LessonFileError(HolocronError, ValueError):
    """A SQL lesson file (a checkout's docs/lessons/) that cannot be read as a lesson;
    ``line`` is 1-based, None when the whole file or folder is at fault."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        super().__init__(path, reason, line)
        self.path = str(path)
        self.reason = reason
        self.line = line

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}, line {self.line}"
        return f"{where}: {self.reason}"


class RecordError(HolocronError, ValueError):
    """A notebook's ``record(name, value)`` that cannot be kept: a bad name, or a value that
    is not JSON (the reason names its type and where it sits in the value)."""

    def __init__(self, name: str, reason: str):
        super().__init__(name, reason)
        self.name = name
        self.reason = reason

    def __str__(self) -> str:
        return f"record({self.name!r}): {self.reason}"


class WorkingDatabaseBehind(UserWarning):
    """A warning, not an error: the working database was made from other seed data than the
    seeded file now holds. It keeps its users' writes until `holocron db reset`."""
