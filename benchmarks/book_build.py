"""Benchmark: plain `jupyter-book build` against `holocron book build` on the same tree.

Both run on private copies of the project (same notebooks, same seeded database) through
five scenarios: cold build, no-op rebuild, one notebook's code edited, one markdown cell
edited, and the library touched. For each it prints wall time, peak memory of the whole
process tree, how many notebooks executed, and whether the pages show the library change
(plain Jupyter Book keys its cache on code cells only, so it serves stale outputs).

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
MARKER_OLD = "row{'s' if total != 1 else ''}.</em></p>"
MARKER_NEW = "row{'s' if total != 1 else ''} (v2).</em></p>"


def project_copy(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for rel in files:
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            status = (entry / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        m = re.search(r"VmRSS:\s+(\d+)", status)
        rss[int(entry.name)] = int(m.group(1)) if m else 0
        children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, str]:
    """Run ``cmd``; return wall seconds, peak tree RSS in MiB, and its output."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    peak = 0
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.extend(proc.stdout), daemon=True)
    reader.start()
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kib(proc.pid))
        time.sleep(0.05)
    reader.join()
    seconds = time.perf_counter() - started
    text = "".join(out)
    if proc.returncode != 0:
        print(text[-4000:])
        raise SystemExit(f"command failed: {' '.join(cmd)}")
    return seconds, peak // 1024, text


def count_executed(mode: str, output: str) -> int:
    if mode == "plain":
        return len(re.findall(r"Executed notebook in", output))
    return len(re.findall(r"^  executed  .*  ok$", output, flags=re.M))


def shows_library_change(project: Path) -> bool:
    pages = (project / "_build" / "html" / "notebooks_py").rglob("*.html")
    return any("rows (v2)." in p.read_text(encoding="utf-8") for p in pages)


def scenarios(project: Path):
    nb = project / "notebooks_py" / "learning" / "01_hello_pipeline.py"
    lib = project / "holocron_lib" / "display.py"

    def code_edit():
        nb.write_text(nb.read_text().replace("db = connect()", "db = connect()  # edited", 1))

    def markdown_edit():
        nb.write_text(nb.read_text().replace("Your first half hour", "Your first thirty minutes", 1))

    def library_touch():
        text = lib.read_text()
        assert MARKER_OLD in text, "benchmark marker not found in display.py"
        lib.write_text(text.replace(MARKER_OLD, MARKER_NEW, 1))

    return [("cold build", None), ("no-op rebuild", lambda: None), ("code edit (1 notebook)", code_edit),
            ("markdown edit", markdown_edit), ("library touched", library_touch)]


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
    for name, change in scenarios(project):
        if change is None:
            shutil.rmtree(project / "_build", ignore_errors=True)
            shutil.rmtree(project / ".holocron" / "jupyter_cache", ignore_errors=True)
        else:
            change()
        seconds, peak, output = timed(cmd, project, env)
        rows.append((mode, name, seconds, peak, count_executed(mode, output),
                     shows_library_change(project)))
        print(f"  {mode:8} {name:24} {seconds:6.1f}s  {peak:6d} MiB  executed {rows[-1][4]}",
              flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary project copies")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="holocron-book-bench-"))
    print(f"cores: {os.cpu_count()}; copies under {base}")
    results = []
    for mode in ("plain", "holocron"):
        project = project_copy(base / mode)
        results += run_mode(mode, project)
    print()
    print("| scenario | plain s | holocron s | ratio | plain MiB | holocron MiB | executed plain / holocron | library change shown plain / holocron |")
    print("|---|---|---|---|---|---|---|---|")
    plain = {r[1]: r for r in results if r[0] == "plain"}
    ours = {r[1]: r for r in results if r[0] == "holocron"}
    for name in plain:
        p, h = plain[name], ours[name]
        print(f"| {name} | {p[2]:.1f} | {h[2]:.1f} | {h[2] / p[2]:.2f} | {p[3]} | {h[3]} | "
              f"{p[4]} / {h[4]} | {'yes' if p[5] else 'no'} / {'yes' if h[5] else 'no'} |")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
