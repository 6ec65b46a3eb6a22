"""Load test for `rlhf-kg serve`, loopback only, bounded in count and time.

Phase 1: 32 concurrent clients ask named questions for 30 s.
Phase 2: the same, while one more client sends a runaway query every second.
Prints requests per second, p50/p95/p99 latency and errors for each phase.

    python benchmarks/load.py [--clients 32] [--seconds 30] [--timeout 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from server_fixture import running_server  # noqa: E402

QUESTIONS = [
    ("transferable-skills", {}), ("compensation", {"level": "L5"}), ("labs-by-city", {}),
    ("method-lineage", {"method": "dpo"}), ("skill-gap", {"from": "generalist-ml-engineer", "to": "rlhf-engineer"}),
    ("transition-paths", {"from": "generalist-ml-engineer"}), ("competencies", {}), ("contradictions", {}),
]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MAX_REQUESTS = 2_000_000  # a hard bound whatever the speed


async def client(http: httpx.AsyncClient, stop: float, latencies: list, errors: list, index: int) -> None:
    i = index
    while time.monotonic() < stop and len(latencies) + len(errors) < MAX_REQUESTS:
        name, params = QUESTIONS[i % len(QUESTIONS)]
        i += 1
        started = time.monotonic()
        try:
            r = await http.get(f"/queries/{name}", params=params, headers={"Accept": "application/json"})
            if r.status_code == 200:
                latencies.append(time.monotonic() - started)
            else:
                errors.append(r.status_code)
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)


async def runaway_client(http: httpx.AsyncClient, stop: float, outcomes: list) -> None:
    pending = []
    while time.monotonic() < stop:
        pending.append(asyncio.create_task(http.get("/sparql", params={"query": RUNAWAY})))
        await asyncio.sleep(1.0)
    for task in pending:
        try:
            outcomes.append((await task).status_code)
        except httpx.HTTPError as exc:
            outcomes.append(type(exc).__name__)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def phase(base: str, clients: int, seconds: float, runaway: bool) -> dict:
    latencies: list[float] = []
    errors: list = []
    outcomes: list = []
    limits = httpx.Limits(max_connections=clients + 40)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        stop = time.monotonic() + seconds
        tasks = [client(http, stop, latencies, errors, i) for i in range(clients)]
        if runaway:
            tasks.append(runaway_client(http, stop, outcomes))
        started = time.monotonic()
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": pct(latencies, 0.50),
            "p95": pct(latencies, 0.95), "p99": pct(latencies, 0.99), "errors": len(errors),
            "error_kinds": sorted(set(map(str, errors))), "runaways": outcomes,
            "mean": statistics.mean(latencies) * 1000 if latencies else float("nan")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's per-query time limit")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    args = parser.parse_args()
    with running_server("--timeout", str(args.timeout), "--workers", str(args.workers)) as (base, _):
        results = {}
        for name, runaway in (("named questions", False), ("with a runaway every second", True)):
            results[name] = asyncio.run(phase(base, args.clients, args.seconds, runaway))
        restarts = httpx.get(base + "/health").json()["worker_restarts"]
    print(f"{args.clients} clients, {args.seconds:g} s per phase, server time limit {args.timeout:g} s, "
          f"{args.workers} workers, loopback")
    print(f"{'phase':<30} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in results.items():
        print(f"{name:<30} {r['requests']:>9} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
              f"{r['errors']:>7}")
    runaways = results["with a runaway every second"]["runaways"]
    print(f"runaway queries sent: {len(runaways)}, answered: "
          + ", ".join(f"{code} x{runaways.count(code)}" for code in sorted(set(runaways), key=str))
          + f"; worker processes replaced: {restarts}")
    return 0 if all(r["errors"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
