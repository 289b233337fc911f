"""Benchmark: plain `jupyter-book build` against `holocron book build` on the same tree.

Both run on private copies of the project (same notebooks, same seeded database) through
these scenarios: cold build, no-op rebuild, one notebook's code edited, one markdown cell
edited, the module behind one notebook touched, the HTTP API module touched, and a module
every notebook uses touched. For each it prints wall time, peak memory of the whole process
tree (RSS, which counts pages shared by forked processes once per process, and PSS, which
shares them out), how many notebooks executed (and, for holocron, how many the import graph
says should), and whether the pages show the library change (plain Jupyter Book keys its
cache on code cells only, so it serves stale outputs). The machine's load is printed too.

    python benchmarks/book_build.py [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER_OLD = "row{'s' if total != 1 else ''}.\""  # the row note under every table
MARKER_NEW = "row{'s' if total != 1 else ''} (v2).\""


def project_copy(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for rel in files:
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        found.append(p)
        stack.extend(children.get(p, []))
    return found


def _tree_memory_kib(pid: int) -> tuple[int, int]:
    """Resident memory (RSS) and proportional set size (PSS) of a process tree, from /proc."""
    rss = pss = 0
    for p in _tree(pid):
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        if m := re.search(r"^Rss:\s+(\d+)", rollup, flags=re.M):
            rss += int(m.group(1))
        if m := re.search(r"^Pss:\s+(\d+)", rollup, flags=re.M):
            pss += int(m.group(1))
    return rss, pss


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, int, str]:
    """Run ``cmd``; return wall seconds, peak tree RSS and PSS in MiB, and its output."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    peak_rss = peak_pss = 0
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.extend(proc.stdout), daemon=True)
    reader.start()
    while proc.poll() is None:
        rss, pss = _tree_memory_kib(proc.pid)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.05)
    reader.join()
    seconds = time.perf_counter() - started
    text = "".join(out)
    if proc.returncode != 0:
        print(text[-4000:])
        raise SystemExit(f"command failed: {' '.join(cmd)}")
    return seconds, peak_rss // 1024, peak_pss // 1024, text


def count_executed(mode: str, output: str) -> int:
    if mode == "plain":
        return len(re.findall(r"Executed notebook in", output))
    return len(re.findall(r"^  executed  .*  ok\b", output, flags=re.M))


def dependants(project: Path, module: str) -> int:
    """How many book notebooks have ``module`` in their import closure (the holocron rule)."""
    code = ("import sys; from pathlib import Path; from holocron_lib.book import execute as e; "
            "from holocron_lib.book.toc import toc_notebooks; c = e.LibraryClosures(); "
            f"r = Path('.').resolve(); print(sum({module!r} in c.files_of(e._read_notebook("
            "r / f'{n}.py')) for n in toc_notebooks(r)))")
    env = dict(os.environ, PYTHONPATH=str(project))
    return int(subprocess.run([sys.executable, "-c", code], cwd=project, env=env, text=True,
                              capture_output=True, check=True).stdout)


def shows_library_change(project: Path) -> bool:
    pages = (project / "_build" / "html" / "notebooks_py").rglob("*.html")
    return any("rows (v2)." in p.read_text(encoding="utf-8") for p in pages)


ONE_NOTEBOOK_MODULE = "holocron_lib/notebook/queue_health.py"
API_MODULE = "holocron_lib/service/api.py"
SHARED_MODULE = "holocron_lib/notebook/display.py"


def scenarios(project: Path):
    nb = project / "notebooks_py" / "learning" / "01_hello_pipeline.py"

    def code_edit():
        nb.write_text(nb.read_text().replace("db = connect()", "db = connect()  # edited", 1))

    def markdown_edit():
        nb.write_text(nb.read_text().replace("Your first half hour", "Your first thirty minutes", 1))

    def touch(module: str):
        def change():
            path = project / module
            path.write_text(path.read_text() + "\n# touched by the benchmark\n")
        return change

    def library_touch():
        lib = project / SHARED_MODULE
        text = lib.read_text()
        assert MARKER_OLD in text, f"benchmark marker not found in {SHARED_MODULE}"
        lib.write_text(text.replace(MARKER_OLD, MARKER_NEW, 1))

    return [("cold build", None, None), ("no-op rebuild", lambda: None, 0),
            ("code edit (1 notebook)", code_edit, 1), ("markdown edit", markdown_edit, 0),
            ("module behind one notebook touched", touch(ONE_NOTEBOOK_MODULE),
             ONE_NOTEBOOK_MODULE),
            ("HTTP API module touched", touch(API_MODULE), API_MODULE),
            ("shared library module touched", library_touch, SHARED_MODULE)]


def run_mode(mode: str, project: Path) -> list[tuple]:
    env = dict(os.environ, PYTHONPATH=str(project), HOLOCRON_HOME=str(project))
    env.pop("CI", None)
    py = sys.executable
    subprocess.run([py, "-m", "holocron_lib", "db", "build", "--if-missing", "--quiet"], cwd=project,
                   env=env, check=True)
    if mode == "plain":
        cmd = [py, "-c", "from jupyter_book.cli.main import main; main()", "build", "."]
    else:
        cmd = [py, "-m", "holocron_lib", "book", "build"]
    rows = []
    for name, change, expected in scenarios(project):
        if change is None:
            shutil.rmtree(project / "_build", ignore_errors=True)
            shutil.rmtree(project / ".holocron" / "jupyter_cache", ignore_errors=True)
        else:
            change()
        if isinstance(expected, str):
            expected = dependants(project, expected)
        seconds, rss, pss, output = timed(cmd, project, env)
        executed = count_executed(mode, output)
        rows.append((mode, name, seconds, rss, pss, executed, shows_library_change(project),
                     expected))
        print(f"  {mode:8} {name:36} {seconds:6.1f}s  RSS {rss:5d} MiB  PSS {pss:5d} MiB  "
              f"executed {executed}  load {os.getloadavg()[0]:.1f}", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary project copies")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="holocron-book-bench-"))
    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()}; copies under {base}")
    results = []
    for mode in ("plain", "holocron"):
        project = project_copy(base / mode)
        results += run_mode(mode, project)
    print()
    print(f"load average at the end (1, 5, 15 min): {os.getloadavg()}")
    print("| scenario | plain s | holocron s | ratio | plain RSS / PSS MiB | holocron RSS / PSS "
          "MiB | executed plain / holocron (expected) | library change shown plain / holocron |")
    print("|---|---|---|---|---|---|---|---|")
    plain = {r[1]: r for r in results if r[0] == "plain"}
    ours = {r[1]: r for r in results if r[0] == "holocron"}
    for name in plain:
        p, h = plain[name], ours[name]
        expected = "" if h[7] is None else f" ({h[7]})"
        print(f"| {name} | {p[2]:.1f} | {h[2]:.1f} | {h[2] / p[2]:.2f} | {p[3]} / {p[4]} | "
              f"{h[3]} / {h[4]} | {p[5]} / {h[5]}{expected} | "
              f"{'yes' if p[6] else 'no'} / {'yes' if h[6] else 'no'} |")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
