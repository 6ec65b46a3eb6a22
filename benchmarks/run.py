"""Benchmark rlhf-kg against pyoxigraph used directly, on synthetic graphs of the same shape.

For each size (default 10k, 100k and 1M triples) it measures, interleaving our run and the
baseline's so that a noisy machine slows both alike, and prints medians and ratios:

  load            KnowledgeGraph.load (warm cache)  vs  pyoxigraph Store.bulk_load of the same N-Triples
  query NAME      kg.query(NAME, ...)               vs  pyoxigraph Store.query of the same SPARQL, rows read
  export turtle   kg.export("turtle")               vs  pyoxigraph Store.dump to Turtle
  peak memory     a process that loads + asks       vs  a process that bulk-loads + asks (max RSS)
  planner         CareerPlanner.from_kg + paths     vs  one SPARQL query extracting the transition edges
  rdflib load     rdflib's memory store, for the choice of default store (10k and 100k only)

and once: `rlhf-kg query transferable-skills --format json` against `python -c pass`.

    python benchmarks/run.py [--sizes 10000,100000,1000000] [--repeats 5]

Synthetic data and caches live in benchmarks/.work (ignored by git). Not part of `make test`;
tests/test_benchmark_smoke.py runs it once at a small size.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(__file__).resolve().parent / ".work"
GOALS = {"load": 1.5, "query": 2.0, "export turtle": 1.5, "peak memory": 1.5, "planner": 2.0, "startup": 8.0}

PARAMS = {
    "skill-gap": {"from": "generalist-ml-engineer", "to": "frontier-lab-rlhf-engineer"},
    "transition-paths": {"from": "generalist-ml-engineer"},
    "method-lineage": {"method": "dpo"},
    "sources": {"id": "kto"},
}


def prepare(size: int) -> tuple[Path, Path]:
    """A synthetic data folder of about ``size`` triples and its compiled N-Triples."""
    from rlhf_kg import paths
    from rlhf_kg.kg import graph_file
    from rlhf_kg.synth import synthesize

    folder = WORK / f"data-{size}"
    if not folder.exists():
        tmp = WORK / f".data-{size}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        synthesize(max(size - 2500, 0), tmp, seed=1)
        tmp.rename(folder)
    nt = graph_file(folder, paths.ontology_dir(), ".nt", cache=True)
    return folder, Path(nt)


def timed(fn) -> float:
    gc.collect()
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def interleave(ours, theirs, repeats: int) -> tuple[float, float]:
    a, b = [], []
    for _ in range(repeats):
        a.append(timed(ours))
        b.append(timed(theirs))
    return statistics.median(a), statistics.median(b)


def peak_memory(folder: Path, nt: Path, ours: bool) -> int:
    """Peak RSS (KiB) of a fresh process that loads the graph and answers one question. Read
    from VmHWM: getrusage's ru_maxrss survives exec, so a child of this (big) process would
    report this process's size."""
    code = f"""
import pyoxigraph as ox
from pathlib import Path
if {ours!r}:
    from rlhf_kg import KnowledgeGraph
    kg = KnowledgeGraph.load({str(folder)!r})
    len(kg.query("transferable-skills"))
else:
    s = ox.Store()
    s.bulk_load(path={str(nt)!r}, format=ox.RdfFormat.N_TRIPLES)
    import rlhf_kg  # the same imports in both processes, so only the data path differs
    list(s.query(open({str(ROOT / 'queries' / 'transferable-skills.rq')!r}).read()))
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "RLHF_KG_CACHE": os.environ["RLHF_KG_CACHE"]})
    return int(out.stdout.strip().splitlines()[-1])


def startup(repeats: int) -> tuple[float, float]:
    exe = Path(sys.executable).parent / "rlhf-kg"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "rlhf_kg"]
    subprocess.run(command + ["query", "transferable-skills", "--format", "json"], capture_output=True, check=True)

    def ours():
        subprocess.run(command + ["query", "transferable-skills", "--format", "json"], capture_output=True, check=True)

    def baseline():
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True)

    return interleave(ours, baseline, max(repeats * 3, 11))


def bench_size(size: int, repeats: int, rows: list) -> None:
    import pyoxigraph as ox

    from rlhf_kg import KnowledgeGraph
    from rlhf_kg.careers import CareerPlanner
    from rlhf_kg.namespaces import PREFIXES

    folder, nt = prepare(size)
    kg = KnowledgeGraph.load(folder)
    # labelled by the size asked for (the graph holds about that many: bundled data + whole synthetic units)
    label = f"{size // 1000}k" if size < 1_000_000 else f"{size / 1e6:g}M"

    def our_load():
        KnowledgeGraph.load(folder)

    def their_load():
        ox.Store().bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)

    rows.append((label, "load", *interleave(our_load, their_load, repeats)))

    direct = ox.Store()
    direct.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    for name, named in sorted(kg.named_queries().items()):
        params = PARAMS.get(name, {})
        text = kg.query_text(name, **params)
        kg.query(name, **params)  # prepared once per process: parameters resolved, catalogue parsed

        def ours(name=name, params=params):
            result = kg.query(name, **params)
            len(result)

        def theirs(text=text):
            answer = direct.query(text, prefixes=PREFIXES)
            list(answer) if not isinstance(answer, ox.QueryBoolean) else bool(answer)

        rows.append((label, f"query {name}", *interleave(ours, theirs, repeats)))

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "out.ttl"

        def our_export():
            kg.export("turtle", target)

        def their_export():
            direct.dump(str(Path(tmp) / "direct.ttl"), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(),
                        prefixes=PREFIXES)

        rows.append((label, "export turtle", *interleave(our_export, their_export, max(repeats // 2, 1))))

    ours_kib = statistics.median(peak_memory(folder, nt, True) for _ in range(2))
    theirs_kib = statistics.median(peak_memory(folder, nt, False) for _ in range(2))
    rows.append((label, "peak memory", ours_kib / 1024, theirs_kib / 1024))

    edges_query = ("SELECT ?from ?to WHERE { ?t a <https://w3id.org/rlhf-kg/ontology#Transition> ; "
                   "<https://w3id.org/rlhf-kg/ontology#fromRole> ?from ; <https://w3id.org/rlhf-kg/ontology#toRole> ?to }")

    def plan():
        CareerPlanner.from_kg(kg).paths("generalist-ml-engineer", "frontier-lab-rlhf-engineer", max_steps=4)

    def extract():
        list(direct.query(edges_query))

    rows.append((label, "planner", *interleave(plan, extract, max(repeats // 2, 1))))

    if size <= 200_000:
        def rdflib_load():
            KnowledgeGraph.load(folder, store="memory")

        rows.append((label, "rdflib load (reference)", *interleave(rdflib_load, their_load, max(repeats // 2, 1))))
        memory = KnowledgeGraph.load(folder, store="memory")
        text = kg.query_text("transferable-skills")

        def rdflib_query():
            len(memory.query("transferable-skills"))

        def ox_query():
            list(direct.query(text, prefixes=PREFIXES))

        rows.append((label, "rdflib query transferable-skills (reference)",
                     *interleave(rdflib_query, ox_query, max(repeats // 2, 1))))


def goal_for(measure: str, size: str) -> float | None:
    """The goal for a measure: set at one million triples (smaller sizes show the trend)."""
    if measure.endswith("(reference)"):
        return None
    if measure != "startup" and not size.endswith("M"):  # goals are set at one million triples and above
        return None
    for key, goal in GOALS.items():
        if measure == key or measure.startswith(key + " "):
            return goal
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated triple counts")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("RLHF_KG_CACHE", str(WORK / "cache"))
    sys.path.insert(0, str(ROOT / "src"))
    rows: list = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"measuring about {size:,} triples ...", file=sys.stderr, flush=True)
        bench_size(size, args.repeats, rows)
    ours, base = startup(args.repeats)
    rows.append(("-", "startup", ours, base))
    print(f"{'size':<7} {'measure':<46} {'ours':>10} {'baseline':>10} {'ratio':>7} {'goal':>6}  ")
    misses = 0
    for size, measure, ours, base in rows:
        unit = "MiB" if measure == "peak memory" else "ms"
        scale = 1 if unit == "MiB" else 1000
        ratio = ours / base if base else float("inf")
        goal = goal_for(measure, size)
        verdict = "" if goal is None else ("ok" if ratio <= goal else "MISS")
        misses += verdict == "MISS"
        print(f"{size:<7} {measure:<46} {ours * scale:>8.1f}{unit[:2]:>2} {base * scale:>8.1f}{unit[:2]:>2} "
              f"{ratio:>7.2f} {('<=' + format(goal, 'g')) if goal else '':>6}  {verdict}")
    print(f"baselines: pyoxigraph {__import__('pyoxigraph').__version__} used directly on the same N-Triples; "
          f"startup baseline is `python -c pass`; {misses} goal(s) missed")
    if args.json:
        Path(args.json).write_text(json.dumps([dict(zip(("size", "measure", "ours", "baseline"), r)) for r in rows],
                                              indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
