"""Shared fixtures: the real graph built from the bundled data, a CLI runner that starts the
real command in a subprocess, and scratch copies of the data for bad-input tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
ONTOLOGY = ROOT / "ontology"
QUERIES = ROOT / "queries"
SHARED_TOOLS = ROOT.parent / "shared" / "tools"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    """Every test session gets its own graph cache, so tests never see a stale one."""
    cache = tmp_path_factory.mktemp("cache")
    os.environ["RLHF_KG_CACHE"] = str(cache)
    os.environ.pop("RLHF_KG_STORE", None)
    os.environ.pop("RLHF_KG_ENDPOINT", None)
    yield cache


@pytest.fixture(scope="session")
def kg():
    from rlhf_kg import KnowledgeGraph

    return KnowledgeGraph.load()


@pytest.fixture(scope="session")
def memory_kg():
    from rlhf_kg import KnowledgeGraph

    return KnowledgeGraph.load(store="memory")


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None,
            timeout: float = 120) -> Run:
    """Run ``python -m rlhf_kg ARGS`` for real and capture what a user would see."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "rlhf_kg", *args], cwd=cwd or ROOT, env=full_env,
                          capture_output=True, text=True, input=input, timeout=timeout)
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A scratch copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def assert_clean_error(run: Run, *fragments: str) -> None:
    """A failed command: non-zero exit, no traceback, a message naming what is wrong."""
    assert run.code != 0, run.out
    assert "Traceback" not in run.err and "Traceback" not in run.out, run.err
    for fragment in fragments:
        assert fragment in run.err, f"{fragment!r} not in:\n{run.err}"
