"""The README documents every CLI command and every named question, and the wheel ships the
ontology, data and queries so an install outside the repo works."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from conftest import QUERIES, ROOT
from rlhf_kg.cli import COMMANDS

README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented(command):
    assert f"rlhf-kg {command}" in README, command


@pytest.mark.parametrize("name", sorted(p.stem for p in QUERIES.glob("*.rq")))
def test_every_named_question_is_documented(name):
    assert f"`{name}`" in README, name


def test_every_command_has_help():
    for command in COMMANDS:
        run = subprocess.run([sys.executable, "-m", "rlhf_kg", command, "--help"], capture_output=True, text=True)
        assert run.returncode == 0 and "usage: rlhf-kg" in run.stdout, command


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_repo(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("rlhf_kg-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "rlhf_kg/_bundled/data/roles.yaml" in names
    assert "rlhf_kg/_bundled/ontology/shapes.ttl" in names
    assert "rlhf_kg/_bundled/queries/transferable-skills.rq" in names
    assert "rlhf_kg/assets/viz.js" in names
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "rlhf-kg = rlhf_kg.cli:main" in entry_points
    target = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                              str(wheel)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(target), "RLHF_KG_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "rlhf_kg", "build", "--out", "out"], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert str(target) in subprocess.run([sys.executable, "-c", "import rlhf_kg, sys; print(rlhf_kg.__file__)"],
                                         cwd=elsewhere, env=env, capture_output=True, text=True).stdout
    assert (elsewhere / "out" / "rlhf-kg.ttl").stat().st_size > 50_000
    query = subprocess.run([sys.executable, "-m", "rlhf_kg", "query", "compensation", "-p", "level", "L6", "-f", "csv"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert "1500000" in query.stdout
