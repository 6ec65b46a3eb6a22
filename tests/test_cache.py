"""The cache of the built graph: reused when nothing changed, rebuilt when the ontology, the
data or the code changes, never served stale."""

from __future__ import annotations

import shutil

from conftest import ONTOLOGY, run_cli
from rlhf_kg.cache import fingerprint


def _count(data, ontology=None) -> str:
    args = ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?r a rlhf:Role }", "--format", "csv", "--data", str(data)]
    if ontology:
        args += ["--ontology", str(ontology)]
    run = run_cli(*args)
    assert run.code == 0, run.err
    return run.out.split()[1]


def test_data_change_is_seen_at_once(data_copy):
    before = _count(data_copy)
    roles = data_copy / "roles.yaml"
    roles.write_text(roles.read_text() + "\n  - id: new-role\n    label: a new role\n"
                     "    specialisation: rlhf-post-training\n    source: [abstract]\n")
    assert int(_count(data_copy)) == int(before) + 1
    roles.write_text(roles.read_text().replace("  - id: new-role\n    label: a new role\n"
                                               "    specialisation: rlhf-post-training\n    source: [abstract]\n", ""))
    assert _count(data_copy) == before


def test_ontology_change_is_seen(tmp_path, data_copy):
    onto = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, onto)
    before = fingerprint(data_copy, onto)
    path = onto / "rlhf-kg.ttl"
    path.write_text(path.read_text() + '\nrlhf:Extra a owl:Class ; rdfs:label "extra"@en ; skos:definition "x"@en .\n')
    assert fingerprint(data_copy, onto) != before
    run = run_cli("sparql", "ASK { rlhf:Extra a owl:Class }", "--format", "csv", "--data", str(data_copy),
                  "--ontology", str(onto))
    assert run.out.split()[1] == "true"


def test_code_is_part_of_the_key(data_copy, monkeypatch):
    import rlhf_kg.cache as cache

    before = fingerprint(data_copy, ONTOLOGY)
    monkeypatch.setattr(cache, "_CODE_FILES", cache._CODE_FILES + ("queries.py",))
    assert fingerprint(data_copy, ONTOLOGY) != before


def test_cache_files_are_reused(tmp_path):
    cache = tmp_path / "cache"
    env = {"RLHF_KG_CACHE": str(cache)}
    assert run_cli("query", "papers", "-f", "csv", env=env).code == 0
    files = sorted(p.name for p in cache.iterdir())
    assert any(f.endswith(".nt") for f in files) and any(f.endswith(".nq") for f in files)
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert run_cli("query", "papers", "-f", "csv", env=env).code == 0
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == stamps


def test_unwritable_cache_still_answers(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    run = run_cli("query", "papers", "-f", "csv", env={"RLHF_KG_CACHE": str(blocker / "cache")})
    assert run.code == 0 and run.out.count("\n") == 7
