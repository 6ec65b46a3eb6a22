"""Synthetic extensions: deterministic for a seed, valid, and the named questions and the
planner work on them."""

from __future__ import annotations

import hashlib

import pytest

from conftest import assert_clean_error, run_cli


def _digest(folder) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "data"
    run = run_cli("synth", "--triples", "8000", "--seed", "7", "--output", str(folder))
    assert run.code == 0, run.err
    return folder


def test_deterministic_for_a_seed(synthetic, tmp_path):
    again = tmp_path / "again"
    assert run_cli("synth", "--triples", "8000", "--seed", "7", "--output", str(again)).code == 0
    assert _digest(again) == _digest(synthetic)
    other = tmp_path / "other"
    assert run_cli("synth", "--triples", "8000", "--seed", "8", "--output", str(other)).code == 0
    assert _digest(other) != _digest(synthetic)


def test_valid_and_of_the_expected_size(synthetic):
    run = run_cli("validate", "--data", str(synthetic))
    assert run.code == 0, run.out
    stats = run_cli("stats", "--data", str(synthetic)).out
    triples = int(stats.split()[0])
    assert 8000 <= triples <= 12000  # the bundled 2.5k plus about 8k synthetic, in whole units


def test_named_questions_and_planner_work_on_it(synthetic, kg):
    from rlhf_kg import KnowledgeGraph
    from test_queries import CASES

    big = KnowledgeGraph.load(synthetic)
    for name, params in CASES.items():
        assert len(big.query(name, **params)) >= len(kg.query(name, **params)) > 0, name
    run = run_cli("paths", "--from", "generalist-ml-engineer", "--to", "syn0-role-2", "--data", str(synthetic))
    assert run.code == 0, run.err
    assert "syn" in run.out or "synthetic role" in run.out


def test_synth_refuses_a_full_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    assert_clean_error(run_cli("synth", "--triples", "10", "--output", str(tmp_path / "x")), "is not empty")
    assert_clean_error(run_cli("synth", "--triples", "-5", "--output", str(tmp_path / "y")), "0 or more")
