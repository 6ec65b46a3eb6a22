"""The benchmark script runs end to end at a small size (timing goals are not asserted here:
the machines are noisy; the numbers are read from a real run)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_benchmark_smoke(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "4000", "--repeats", "1",
                          "--json", str(tmp_path / "rows.json")], capture_output=True, text=True, timeout=600,
                         env={**__import__("os").environ, "RLHF_KG_CACHE": str(tmp_path / "cache")})
    assert run.returncode == 0, run.stderr[-3000:]
    for measure in ("load", "query transferable-skills", "export turtle", "peak memory", "planner", "startup"):
        assert measure in run.stdout, measure
    assert "ratio" in run.stdout
