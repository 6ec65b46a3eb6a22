"""The three stores pass the same tests: every named question gives the same answers in
Oxigraph, rdflib's memory store and a real Oxigraph server the graph was pushed to; `paths`
and `export` work against the server too."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import assert_clean_error, run_cli
from server_fixture import free_port
from test_queries import CASES, normalise

OXIGRAPH = shutil.which("oxigraph") or str(Path(__import__("sys").executable).parent / "oxigraph")


@pytest.fixture(scope="module")
def oxigraph_server():
    if not Path(OXIGRAPH).exists():
        pytest.fail("the oxigraph server is not installed (pip install oxigraph; make test does this)")
    port = free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def _count(base: str) -> int:
    from rlhf_kg.store import EndpointStore

    return len(EndpointStore(base + "/query"))


def test_push_then_every_named_question_on_the_server(oxigraph_server, kg):
    from rlhf_kg import KnowledgeGraph

    run = run_cli("push", "--endpoint", oxigraph_server + "/query", "--batch", "700")
    assert run.code == 0, run.err
    assert "by graph store protocol in 4 batches" in run.out
    assert _count(oxigraph_server) == len(kg)
    again = run_cli("push", "--endpoint", oxigraph_server + "/query")
    assert again.code == 0 and _count(oxigraph_server) == len(kg)  # replaced, not duplicated
    remote = KnowledgeGraph.load(endpoint=oxigraph_server + "/query")
    for name, params in CASES.items():
        ours, theirs = kg.query(name, **params), remote.query(name, **params)
        if ours.kind == "graph":
            assert {str(t) for t in ours.triples} == {str(t) for t in theirs.triples}, name
        else:
            assert normalise(ours) == normalise(theirs), name


def test_paths_and_export_against_the_server(oxigraph_server, tmp_path, kg):
    assert run_cli("push", "--endpoint", oxigraph_server + "/query").code == 0
    run = run_cli("paths", "--from", "generalist-ml-engineer", "--to", "frontier-lab-rlhf-engineer",
                  "--endpoint", oxigraph_server + "/query")
    assert run.code == 0 and "9-18 months" in run.out
    local = tmp_path / "local.ttl"
    remote = tmp_path / "remote.ttl"
    assert run_cli("export", "-o", str(local)).code == 0
    assert run_cli("export", "-o", str(remote), "--endpoint", oxigraph_server + "/query").code == 0
    assert local.read_bytes() == remote.read_bytes()
    env_run = run_cli("query", "competencies", "-f", "csv", env={"RLHF_KG_ENDPOINT": oxigraph_server + "/query"})
    assert env_run.code == 0 and env_run.out == run_cli("query", "competencies", "-f", "csv").out


def test_push_to_a_named_graph(oxigraph_server, kg):
    from rlhf_kg.store import EndpointStore

    graph = "https://w3id.org/rlhf-kg/graph/pushed"
    run = run_cli("push", "--endpoint", oxigraph_server + "/query", "--graph", graph)
    assert run.code == 0, run.err
    store = EndpointStore(oxigraph_server + "/query")
    n = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows[0][0].value
    assert int(n) == len(kg)


def test_push_falls_back_to_sparql_update(oxigraph_server, kg):
    from rlhf_kg.push import push

    graph = "https://w3id.org/rlhf-kg/graph/by-update"
    report = push(kg, oxigraph_server + "/query", graph, gsp_url=oxigraph_server + "/no-such-store", batch=1000)
    assert report.protocol == "sparql update" and report.triples == len(kg)
    report = push(kg, oxigraph_server + "/query", graph, gsp_url=oxigraph_server + "/no-such-store", batch=1000)
    from rlhf_kg.store import EndpointStore

    n = EndpointStore(oxigraph_server + "/query").query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows[0][0].value
    assert int(n) == len(kg)


def test_push_bad_input():
    assert_clean_error(run_cli("push"), "push needs --endpoint")
    assert_clean_error(run_cli("push", "--endpoint", "ftp://x"), "must start with http")
    assert_clean_error(run_cli("push", "--endpoint", "http://127.0.0.1:9/query"), "cannot reach")
    assert_clean_error(run_cli("push", "--endpoint", "http://127.0.0.1:9/query", "--graph", "not an iri"),
                       "--graph must be an IRI")


def test_store_chosen_by_environment():
    memory = run_cli("query", "papers", "-f", "csv", env={"RLHF_KG_STORE": "memory"})
    assert memory.code == 0 and memory.out == run_cli("query", "papers", "-f", "csv").out
    assert_clean_error(run_cli("query", "papers", env={"RLHF_KG_STORE": "berkeley"}), "unknown store 'berkeley'")


def test_unreachable_endpoint_is_a_clear_error():
    assert_clean_error(run_cli("query", "papers", "--endpoint", "http://127.0.0.1:9/sparql"), "cannot reach endpoint")
