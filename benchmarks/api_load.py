"""Benchmark: the run API under load, against its targets and baselines measured in the same run.

Starts `holocron serve` as its own process on a loopback port (a private home, the test
fixture notebooks, a SQLite store unless --store-url is given) and measures:

* latency (p50, p99) of GET /notebooks and GET /runs?limit=50 under 50 concurrent clients
  (httpx, async), after the run history holds --history rows; the baseline is the same
  request from one client at a time. Targets: p99 <= 50 ms (notebooks), <= 100 ms (runs);
* runs per minute through the server's worker with 1 and with 3 runs at once
  (HOLOCRON_WORKERS), a burst of --runs runs queued together; 1 is the baseline.

    python benchmarks/api_load.py [--clients 50] [--requests 20] [--runs 12] [--history 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "tests" / "notebooks"
TOKEN = "bench-token-0123456789"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
TARGETS = {"/notebooks": 50.0, "/runs?limit=50": 100.0}  # p99 ms under 50 clients


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(home: Path, workers: int, store_url: str | None) -> dict[str, str]:
    env = {**os.environ, "HOLOCRON_HOME": str(home), "HOLOCRON_API_TOKENS": f"{TOKEN}=bench",
           "HOLOCRON_WORKERS": str(workers)}
    if store_url:
        env["HOLOCRON_STORE_URL"] = store_url
    return env


def start_server(home: Path, port: int, workers: int, store_url: str | None):
    proc = subprocess.Popen(
        [sys.executable, "-m", "holocron_lib", "serve", "--port", str(port), "--root",
         str(NOTEBOOKS)], env=server_env(home, workers, store_url),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def seed_history(home: Path, store_url: str | None, count: int) -> None:
    """``count`` finished runs written straight into the store, so GET /runs pages and counts
    over a history of realistic size."""
    from holocron_lib.service.registry import get_notebook
    from holocron_lib.service.store import RunStatus, Store
    from holocron_lib.settings import load_settings

    url = store_url or load_settings(env={"HOLOCRON_HOME": str(home)}, dotenv=False).store_url
    info = get_notebook(NOTEBOOKS, "simple_params")
    with Store(url) as store, store.writing() as conn:
        nb_id = store.notebook_id(conn, info)
        for i in range(count):
            store.insert_run(conn, info.name, f"user{i % 7}", {"NAME": f"n{i}", "COUNT": 2,
                                                               "MODE": "dry_run",
                                                               "OUT_FILE": ""},
                             notebook_id=nb_id, input_path=info.source_file,
                             status=RunStatus.SUCCEEDED)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def latencies(base: str, path: str, clients: int, per_client: int) -> list[float]:
    """Milliseconds per request for ``clients`` keep-alive connections sending ``per_client``
    requests each, one after another.

    The client is a few lines over asyncio streams rather than a full HTTP library: it shares
    the machine's two cores with the server, and a client costing several times the server's
    time per request would measure itself.
    """
    host, port = base.removeprefix("http://").split(":")
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
               f"Authorization: Bearer {TOKEN}\r\n\r\n").encode()
    out: list[float] = []

    async def one_client():
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for _ in range(per_client):
                t = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                length = re.search(rb"(?im)^content-length: *(\d+)", head)
                await reader.readexactly(int(length[1]) if length else 0)
                out.append((time.perf_counter() - t) * 1000)
                if not head.startswith(b"HTTP/1.1 200"):
                    raise SystemExit(f"GET {path}: {head.splitlines()[0].decode()}")
        finally:
            writer.close()

    await asyncio.gather(*(one_client() for _ in range(clients)))
    return out


def wait_terminal(http: httpx.Client, ids: list[int]) -> None:
    open_ids = set(ids)
    while open_ids:
        for run_id in list(open_ids):
            if http.get(f"/runs/{run_id}").json()["status"] not in ("queued", "running"):
                open_ids.discard(run_id)
        time.sleep(0.05)


def throughput(http: httpx.Client, count: int) -> float:
    """Runs per minute for ``count`` runs of the no_parameters notebook queued at once."""
    started = time.perf_counter()
    ids = [http.post("/notebooks/no_parameters/runs", json={}).json()["id"]
           for _ in range(count)]
    wait_terminal(http, ids)
    elapsed = time.perf_counter() - started
    statuses = {http.get(f"/runs/{i}").json()["status"] for i in ids}
    assert statuses == {"succeeded"}, statuses
    return count / elapsed * 60


def measure_listings(args) -> None:
    with tempfile.TemporaryDirectory(prefix="holocron-bench-") as tmp:
        seed_history(Path(tmp), args.store_url, args.history)
        port = free_port()
        proc = start_server(Path(tmp), port, 1, args.store_url)
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, headers=HEADERS, timeout=120) as http:
                throughput(http, 2)  # a few runs with outputs among the history
                total = http.get("/runs").json()["total"]
            print(f"server: {sys.executable} -m holocron_lib serve (worker idle), store "
                  f"{args.store_url or 'sqlite (default)'}, {os.cpu_count()} cores; "
                  f"history holds {total} runs\n")
            print(f"{'endpoint':16}{'clients':>8}{'requests':>10}{'p50 ms':>9}{'p99 ms':>9}"
                  f"{'req/s':>8}{'target p99':>12}  verdict")
            for path, target in TARGETS.items():
                asyncio.run(latencies(base, path, 4, 10))  # warm: connections, caches
                baseline = None
                for clients, per in ((1, args.requests * 5), (args.clients, args.requests)):
                    t = time.perf_counter()
                    lat = asyncio.run(latencies(base, path, clients, per))
                    rate = len(lat) / (time.perf_counter() - t)
                    p50, p99 = statistics.median(lat), percentile(lat, 0.99)
                    if baseline is None:
                        baseline, verdict, goal = p99, "baseline (one client at a time)", ""
                    else:
                        verdict = ("meets the target" if p99 <= target else "MISSES the target")
                        verdict += f"; p99 {p99 / baseline:.1f}x the one-client p99"
                        goal = f"<= {target:.0f} ms"
                    print(f"{path:16}{clients:>8}{len(lat):>10}{p50:>9.1f}{p99:>9.1f}"
                          f"{rate:>8.0f}{goal:>12}  {verdict}")
        finally:
            proc.terminate()
            proc.wait(30)


def measure_throughput(args) -> None:
    print(f"\nruns per minute, {args.runs} runs of no_parameters queued at once:")
    baseline = None
    for workers in (1, 3):
        with tempfile.TemporaryDirectory(prefix="holocron-bench-") as tmp:
            port = free_port()
            proc = start_server(Path(tmp), port, workers, args.store_url)
            try:
                with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=HEADERS,
                                  timeout=120) as http:
                    throughput(http, workers)  # warm: the kernel template, imports
                    rate = throughput(http, args.runs)
            finally:
                proc.terminate()
                proc.wait(30)
        if baseline is None:
            baseline = rate
            note = "baseline"
        else:
            note = f"{rate / baseline:.2f}x the baseline on {os.cpu_count()} cores"
        print(f"  {workers} worker{'s' if workers > 1 else ' '} (HOLOCRON_WORKERS={workers})"
              f"  {rate:7.1f} runs/min  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="requests per client")
    parser.add_argument("--runs", type=int, default=12, help="runs in each burst")
    parser.add_argument("--history", type=int, default=2000, help="runs in the store first")
    parser.add_argument("--store-url", default=None)
    parser.add_argument("--skip-runs", action="store_true", help="measure the listings only")
    args = parser.parse_args()
    measure_listings(args)
    if not args.skip_runs:
        measure_throughput(args)


if __name__ == "__main__":
    main()
