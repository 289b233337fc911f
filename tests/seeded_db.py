"""One seeded scale-1 database per test session, shared by the tests of the notebook library.

Each test file declares a session fixture that calls `seeded_path`; the build runs once per
process whichever file asks first. Tests open private copies with `connect(path=...)`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

_BUILT: dict[str, Path] = {}


def seeded_path(tmp_path_factory) -> Path:
    """The seeded database file (built on first use), with its lake beside it."""
    if "db" not in _BUILT:
        from holocron_lib.db.seeded import build_database

        folder = tmp_path_factory.mktemp("seeded")
        lake = folder / "lake"
        build_database(folder / "holocron.duckdb", scale=1, lake_root=lake)
        _BUILT["db"], _BUILT["lake"] = folder / "holocron.duckdb", lake
    return _BUILT["db"]


def lake_path() -> Path:
    return _BUILT["lake"]


def fresh(tmp_path_factory):
    """A private, writable copy of the seeded database."""
    from holocron_lib.db.connection import connect

    return connect(path=seeded_path(tmp_path_factory))


def fresh_db_fixture(scope: str = "function"):
    """A ``db`` fixture: a private, writable copy of the seeded database, closed after use.

    ``db = fresh_db_fixture("module")`` in a test file shares one copy among its tests.
    """
    @pytest.fixture(scope=scope)
    def db(tmp_path_factory):
        with fresh(tmp_path_factory) as conn:
            yield conn

    return db


# --- the states every notebook must survive -------------------------------------------------

SEEDS = Path(__file__).resolve().parent / "seeds"


def state_builds() -> dict[str, dict]:
    """State name -> `build_database` arguments. A freshly seeded real database has dbo data
    and nothing else (the `checkout-seeds` state reads a real checkout's folder layout);
    `empty` has the schema and no row at all."""
    from holocron_lib.db.subset import Subset

    return {
        "scale-1": {"scale": 1},
        "scale-10": {"scale": 10},
        "dbo-only": {"subset": Subset(only=("dbo",))},
        "one-job-no-runs": {"subset": Subset(empty=("llm.run",), rows={"llm.job": 1})},
        "runs-no-artifacts": {"subset": Subset(empty=("llm.artifact",))},
        "checkout-seeds": {"seed_dir": SEEDS / "checkout_like"},
        "empty": {"subset": Subset(empty=("dbo", "llm", "ingest", "sem", "vector"))},
    }


def state_path(tmp_path_factory, name: str) -> Path:
    """The database of one state (built on first use), with its lake folder beside it.

    ``scale-1`` is the session's seeded database; the others are built once per process.
    """
    if name == "scale-1":
        return seeded_path(tmp_path_factory)
    key = f"state:{name}"
    if key not in _BUILT:
        from holocron_lib.db.seeded import build_database

        folder = tmp_path_factory.mktemp(name)
        build_database(folder / "holocron.duckdb", lake_root=folder / "lake",
                       **state_builds()[name])
        _BUILT[key] = folder / "holocron.duckdb"
    return _BUILT[key]


def state_lake(db_path: Path) -> Path:
    """The lake folder of a database built by `state_path` or `seeded_path`."""
    return db_path.parent / "lake"
