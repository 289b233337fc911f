"""Benchmark: the run API under load, against a baseline measured in the same run.

Starts `holocron serve` as its own process on a loopback port (a private home, the test
fixture notebooks, a SQLite store unless --store-url is given), then measures:

* latency (p50, p99) of GET /notebooks and GET /runs with 1 client and with 50 concurrent
  clients (httpx, async), after the run history holds some rows;
* runs per minute through the worker pool: one run alone (the baseline, as if runs went one
  by one) against a burst of runs queued at once.

    python benchmarks/api_load.py [--clients 50] [--requests 20] [--runs 20] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
TOKEN = "bench-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, port: int, workers: int, store_url: str | None):
    env = {**os.environ, "HOLOCRON_HOME": str(home), "HOLOCRON_API_TOKENS": f"{TOKEN}=bench",
           "HOLOCRON_WORKERS": str(workers)}
    if store_url:
        env["HOLOCRON_STORE_URL"] = store_url
    proc = subprocess.Popen(
        [sys.executable, "-m", "holocron_lib", "serve", "--port", str(port), "--root",
         str(NOTEBOOKS)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def latencies(base: str, path: str, clients: int, per_client: int) -> list[float]:
    out: list[float] = []
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=HEADERS, limits=limits,
                                 timeout=60) as http:
        async def one_client():
            for _ in range(per_client):
                t = time.perf_counter()
                r = await http.get(path)
                out.append((time.perf_counter() - t) * 1000)
                r.raise_for_status()

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="requests per client")
    parser.add_argument("--runs", type=int, default=20, help="runs in the burst")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--store-url", default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="holocron-bench-") as tmp:
        port = free_port()
        proc = start_server(Path(tmp), port, args.workers, args.store_url)
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, headers=HEADERS, timeout=120) as http:
                single = throughput(http, 1)
                burst = throughput(http, args.runs)
                print(f"server: {sys.executable} -m holocron_lib serve, {args.workers} workers, "
                      f"store {args.store_url or 'sqlite (default)'}, "
                      f"{os.cpu_count()} cores")
                print(f"history holds {http.get('/runs').json()['total']} runs\n")
            print(f"{'endpoint':16}{'clients':>8}{'requests':>10}{'p50 ms':>9}{'p99 ms':>9}"
                  f"{'req/s':>8}")
            for path in ("/notebooks", "/runs?limit=50"):
                for clients, per in ((1, args.requests * 5), (args.clients, args.requests)):
                    t = time.perf_counter()
                    lat = asyncio.run(latencies(base, path, clients, per))
                    rate = len(lat) / (time.perf_counter() - t)
                    print(f"{path:16}{clients:>8}{len(lat):>10}{statistics.median(lat):>9.1f}"
                          f"{percentile(lat, 0.99):>9.1f}{rate:>8.0f}")
            print(f"\nruns/minute: one run alone {single:.1f} (baseline), "
                  f"{args.runs} queued at once {burst:.1f} "
                  f"({burst / single:.2f}x with a pool of {args.workers})")
        finally:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
