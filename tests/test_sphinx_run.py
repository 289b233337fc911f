"""How the book build runs Sphinx: its output filter, and how many processes it uses."""

from __future__ import annotations

import io
import os
import sys
import threading
from types import SimpleNamespace

from holocron_lib.book.build import sphinx_jobs
from holocron_lib.book.sphinx_ext import READ_SAFE_UNDECLARED, _declare_parallel_read_safe
from holocron_lib.book.sphinx_run import _ByThread, _SphinxOutput


def test_a_warning_shown_through_print_reaches_the_terminal_once(tmp_path, monkeypatch):
    """`holocron book build` shows progress with click.echo, which writes to sys.stdout: the
    filter that stands in for it must send its own lines to the terminal, not to itself."""
    terminal = io.StringIO()
    page = tmp_path / "book" / "debug.md"
    output = _SphinxOutput(tmp_path, progress=print)
    stream = _ByThread(terminal, output, threading.current_thread())
    monkeypatch.setattr(sys, "stdout", stream)
    stream.write(f"{page}:13: WARNING: unknown document: '/no/such/page'\n")
    monkeypatch.undo()
    shown = terminal.getvalue().splitlines()
    assert shown == ["  book/debug.md:13: WARNING: unknown document: '/no/such/page'"]
    assert output.failed == "book/debug.md"


def test_other_threads_write_to_the_terminal(tmp_path):
    terminal = io.StringIO()
    output = _SphinxOutput(tmp_path, progress=lambda line: None)
    stream = _ByThread(terminal, output, threading.Thread(target=lambda: None))
    stream.write("a line of the executor\n")
    assert terminal.getvalue() == "a line of the executor\n"
    assert output.lines == []


def test_sphinx_runs_in_parallel_only_when_it_reads_every_page(tmp_path):
    cores = os.cpu_count() or 1
    assert sphinx_jobs(tmp_path, rebuild_all=False) == cores  # first build
    pickle = tmp_path / "_build" / ".doctrees" / "environment.pickle"
    pickle.parent.mkdir(parents=True)
    pickle.write_bytes(b"")
    assert sphinx_jobs(tmp_path, rebuild_all=False) == 1  # an edit
    assert sphinx_jobs(tmp_path, rebuild_all=True) == cores  # --all


def test_only_the_named_undeclared_extensions_are_declared_safe_to_read_in_parallel():
    extensions = {name: SimpleNamespace(parallel_read_safe=None) for name in READ_SAFE_UNDECLARED}
    extensions["someone_else"] = SimpleNamespace(parallel_read_safe=None)
    extensions["unsafe"] = SimpleNamespace(parallel_read_safe=False)
    _declare_parallel_read_safe(SimpleNamespace(extensions=extensions), config=None)
    assert all(extensions[name].parallel_read_safe is True for name in READ_SAFE_UNDECLARED)
    assert extensions["someone_else"].parallel_read_safe is None
    assert extensions["unsafe"].parallel_read_safe is False


def test_compiled_modules_go_to_the_virtual_environment_when_bytecode_writing_is_off(tmp_path):
    """With PYTHONDONTWRITEBYTECODE set, the build keeps compiled modules where they would
    otherwise be, with the environment, so a fresh clone using it compiles nothing again."""
    import subprocess

    code = ("import sys; from pathlib import Path; "
            "from holocron_lib.execution.environment import bytecode_cache; "
            "print(bytecode_cache(Path(sys.argv[1])), sys.prefix != sys.base_prefix, sys.prefix)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    folder, in_venv, prefix = out
    expected = f"{prefix}/pycache" if in_venv == "True" else str(tmp_path / ".holocron" / "pycache")
    assert folder == expected
