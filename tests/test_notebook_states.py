"""Every notebook, top to bottom with its defaults, on every state a contributor's database
can be in: synthetic at scale 1 and 10, dimensional data only, one job that never ran,
runs without artifacts, and a real checkout's seed-folder layout.

Each state's database is built once; its notebooks run in parallel through the book's
executor (warm ipykernel kernels), and each notebook is then one
test case, named ``state:notebook``. An empty state must read as information: no cell may
raise, print a traceback or show an error output.
"""

from __future__ import annotations

import html
import os
import time
from pathlib import Path

import jupytext
import nbformat
import pytest
from seeded_db import state_builds, state_lake, state_path

from holocron_lib.book.toc import toc_notebooks
from holocron_lib.execution.environment import kernel_environment
from holocron_lib.execution.executor import Job, execute_notebooks

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = toc_notebooks(ROOT)
STATES = list(state_builds())
LESSONS = Path(__file__).resolve().parent / "lessons"
_RESULTS: dict[str, dict[str, dict]] = {}


def execute(names: list[str], db_path: Path, home: Path, **settings: str) -> dict[str, dict]:
    """Run ``names`` on ``db_path`` the way the book does; notebook name -> result."""
    env = kernel_environment(home)
    env.update(HOLOCRON_DB_PATH=str(db_path), LAKE_ROOT=str(state_lake(db_path)),
               HOLOCRON_LESSONS_DIR="", SEED_SQLSERVER_HOST="", SEED_SQLSERVER_CONN_STR="")
    env.update(settings)
    results: dict[str, dict] = {}

    def keep(result) -> None:
        failure = result.failure
        results[result.name] = {
            "failure": (failure.cell, failure.ename, failure.evalue) if failure else None,
            "nb": nbformat.writes(result.nb) if result.nb is not None else None,
        }

    jobs = [Job(n, jupytext.read(ROOT / f"{n}.py"), (ROOT / f"{n}.py").parent) for n in names]
    execute_notebooks(jobs, env=env, workers=max(1, min(4, os.cpu_count() or 1)),
                      cell_timeout=180, notebook_timeout=300, on_result=keep)
    return results


def results_of(state: str, tmp_path_factory) -> dict[str, dict]:
    if state not in _RESULTS:
        started = time.monotonic()
        db_path = state_path(tmp_path_factory, state)
        built = time.monotonic()
        home = tmp_path_factory.mktemp(f"home-{state}")
        _RESULTS[state] = execute(NOTEBOOKS, db_path, home)
        print(f"\n[{state}] built in {built - started:.0f}s, "
              f"{len(_RESULTS[state])} notebooks in {time.monotonic() - built:.0f}s")
    return _RESULTS[state]


def problems(result: dict) -> list[str]:
    """What a reader would see as broken: the failure, error outputs, tracebacks on stderr."""
    found = []
    if result["failure"]:
        cell, ename, evalue = result["failure"]
        found.append(f"cell {cell}: {ename}: {evalue}")
    if result["nb"]:
        nb = nbformat.reads(result["nb"], as_version=4)
        for index, cell in enumerate(nb.cells):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    found.append(f"cell {index}: error output {output.get('ename')}")
                text = output.get("text", "") if output.get("name") == "stderr" else ""
                if "Traceback" in text:
                    found.append(f"cell {index}: stderr {text.strip()[:300]}")
    return found


def text_of(result: dict) -> str:
    """Everything a notebook printed or displayed as text."""
    nb = nbformat.reads(result["nb"], as_version=4)
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            data = output.get("data", {})
            parts.append(data.get("text/plain", "") + data.get("text/html", ""))
    return html.unescape("\n".join(parts))


CASES = [(state, name) for state in STATES for name in NOTEBOOKS]


@pytest.mark.parametrize("state, notebook", CASES,
                         ids=[f"{s}:{n.removeprefix('notebooks_py/')}" for s, n in CASES])
def test_notebook_runs_on_state(state, notebook, tmp_path_factory):
    result = results_of(state, tmp_path_factory)[notebook]
    assert problems(result) == [], f"{notebook} on {state}"


# --- what the empty states say ---------------------------------------------------------------

EMPTY_PIPELINE = ("dbo-only", "checkout-seeds")


@pytest.mark.parametrize("state", EMPTY_PIPELINE)
def test_an_empty_pipeline_reads_as_information(state, tmp_path_factory):
    results = results_of(state, tmp_path_factory)
    said = {name.rsplit("/", 1)[1]: text_of(r) for name, r in results.items()}
    assert "No LLM jobs recorded yet" in said["01_throughput_latency"]
    assert "so there is nothing to chart" in said["01_throughput_latency"]
    assert "no run to inspect" in said["04_artifact_inspector"]
    assert "no job to follow" in said["03_llm_provenance_tour"]
    assert "no pipeline activity is recorded yet" in said["03_before_after_diff"]
    assert "this run has nothing to do" in said["02_single_ingestion_run"]


def test_a_database_without_rows_reads_as_information(tmp_path_factory):
    said = {name.rsplit("/", 1)[1]: text_of(r)
            for name, r in results_of("empty", tmp_path_factory).items()}
    assert "so the tour has no entity to follow" in said["02_entity_relationship_tour"]
    assert "A sample of Character entities" in said["03_sample_explorer"]
    assert "0 rows." in said["03_sample_explorer"]
    assert "nothing to embed and nothing was written" in said["03_embedding_generation"]


def test_a_job_that_never_ran_and_runs_without_artifacts_say_so(tmp_path_factory):
    one_job = text_of(results_of("one-job-no-runs", tmp_path_factory)[
        "notebooks_py/learning/03_llm_provenance_tour"])
    assert "It has not been run yet" in one_job
    no_files = text_of(results_of("runs-no-artifacts", tmp_path_factory)[
        "notebooks_py/debug/04_artifact_inspector"])
    assert "recorded no artifacts, so there are no files to read" in no_files


def test_the_quality_notebook_fails_real_seed_duplicates_and_passes_synthetic(tmp_path_factory):
    name = "notebooks_py/analytics/03_data_quality_checks"
    real = text_of(results_of("checkout-seeds", tmp_path_factory)[name])
    for index in ("UX_DimWeaponModel_TechAssetKey_IsLatest",
                  "UX_FactEvent_FranchiseKey_WorkKey_SceneKey_EventOrdinal_IsLatest",
                  "UX_FactClaim_SubjectEntityKey_Predicate_IsLatest"):
        assert index in real
    assert "3 filtered unique index(es) do not hold" in real
    assert "(1, 'pilots')" in real, "the duplicated key is shown"
    synthetic = text_of(results_of("scale-1", tmp_path_factory)[name])
    assert "Every filtered unique index holds" in synthetic
    assert "\n0 of " in synthetic and " checks failed" in synthetic


def test_the_exercises_notebook_presents_a_checkouts_lessons(tmp_path_factory):
    name = "notebooks_py/learning/04_sql_exercises_companion"
    home = tmp_path_factory.mktemp("home-lessons")
    [result] = execute([name], state_path(tmp_path_factory, "scale-1"), home,
                       HOLOCRON_LESSONS_DIR=str(LESSONS)).values()
    assert problems(result) == []
    said = text_of(result)
    assert "6 exercises in 2 lesson modules" in said
    assert "1 answer(s) fail on this database and are marked broken: 02.3" in said
    assert "Broken here:" in said and "Module 02 · Exercise 3" in said
