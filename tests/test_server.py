"""A real server on 127.0.0.1, spoken to by SPARQLWrapper, rdflib's SPARQLStore, httpx and
the shared independent clients; the same answers as the Python API."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time

import httpx
import pytest

from conftest import SHARED_TOOLS
from server_fixture import running_server
from test_queries import CASES, normalise

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server():
    with running_server("--timeout", "2", "--workers", "3") as (base, proc):
        yield base


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c


@pytest.mark.parametrize("name", sorted(n for n in CASES if "subgraph" not in n))
def test_every_named_question_over_sparqlwrapper(name, server, kg):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    from rlhf_kg.results import QueryResult
    from rlhf_kg.store import decode_results

    text = kg.query_text(name, **CASES[name])
    wrapper = SPARQLWrapper(server + "/sparql")
    wrapper.setQuery(text)
    wrapper.setMethod(POST)
    wrapper.setReturnFormat(JSON)
    answer = wrapper.query()
    remote = decode_results("application/sparql-results+json", answer.response.read())
    assert isinstance(remote, QueryResult)
    assert normalise(remote) == normalise(kg.query(name, **CASES[name]))


def test_rdflib_sparqlstore_reads_the_endpoint(server, kg):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server + "/sparql", returnFormat="json")
    rows = list(store.query(kg.query_text("papers")))
    assert len(rows) == len(kg.query("papers")) == 6


def test_named_questions_as_resources(client, kg):
    listing = client.get("/queries").json()
    assert {q["name"] for q in listing} == set(kg.named_queries())
    assert client.get("/queries?options=1").json()[0]["parameters"] is not None
    csv_text = client.get("/queries/compensation.csv", params={"level": "L5", "component": "base"}).text
    assert csv_text.splitlines()[1].count("270000") == 1
    as_json = client.get("/queries/method-lineage", params={"method": "DPO"}, headers={"Accept": "application/json"})
    assert as_json.headers["content-type"] == "application/sparql-results+json"
    assert len(as_json.json()["results"]["bindings"]) == 3
    graph = client.get("/queries/method-subgraph", headers={"Accept": "application/n-triples"})
    assert graph.headers["content-type"] == "application/n-triples" and "kg/id/dpo>" in graph.text
    assert client.get("/queries/nope").status_code == 404
    bad = client.get("/queries/compensation", params={"levle": "L5"})
    assert bad.status_code == 400 and "unknown parameter 'levle'" in bad.text
    assert client.get("/queries/compensation", params={"level": "L9"}).status_code == 400


@pytest.mark.parametrize("accept,ctype", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
])
def test_select_negotiation(client, accept, ctype):
    r = client.get("/sparql", params={"query": "SELECT ?p WHERE { ?p a rlhf:Paper }"}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"] == ctype


@pytest.mark.parametrize("accept,ctype", [
    ("text/turtle", "text/turtle; charset=utf-8"), ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"), ("application/rdf+xml", "application/rdf+xml"),
    (None, "text/turtle; charset=utf-8"),
])
def test_graph_negotiation(client, accept, ctype):
    headers = {"Accept": accept} if accept else {}
    r = client.post("/sparql", content="DESCRIBE kg:dpo", headers={**headers, "Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and r.headers["content-type"] == ctype
    assert "rlhf-kg/id/dpo" in r.text or "kg:dpo" in r.text


def test_not_acceptable(client):
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.text


def test_service_description_and_health(client):
    sd = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert sd.status_code == 200 and "sd:Service" in sd.text and "void:triples" in sd.text
    assert client.get("/sparql", headers={"Accept": "text/html"}, follow_redirects=False).status_code == 303
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["triples"] > 2000


def test_things_resolve(client):
    page = client.get("/id/dpo", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Direct Preference Optimisation" in page.text and 'href="/id/kto"' in page.text
    turtle = client.get("/id/dpo", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle") and "introducedIn" in turtle.text
    assert client.get("/id/dpo.jsonld").headers["content-type"] == "application/ld+json"
    assert client.get("/id/no-such-thing").status_code == 404


@pytest.mark.parametrize("method,kwargs,status", [
    ("POST", {"content": "INSERT DATA { kg:a kg:b kg:c }", "headers": {"Content-Type": "application/sparql-update"}}, 403),
    ("POST", {"data": {"update": "CLEAR ALL"}}, 403),
    ("GET", {"params": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 403),
    ("GET", {"params": {"query": "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"}}, 403),
    ("GET", {"params": {"query": "SELECT * FROM <http://example.org/x.ttl> WHERE { ?s ?p ?o }"}}, 403),
    ("GET", {"params": {"query": "SELECT ?x WHERE { ?x ?y }"}}, 400),
    ("GET", {"params": {"query": "SELECT ?s WHERE { ?s ?p ?o }", "default-graph-uri": "http://e/g"}}, 400),
    ("PUT", {"content": "x"}, 405),
    ("DELETE", {}, 405),
    ("POST", {"content": "SELECT * WHERE {}", "headers": {"Content-Type": "text/plain"}}, 415),
    ("POST", {"content": "SELECT * WHERE {" + " " * 300_000 + "}", "headers": {"Content-Type": "application/sparql-query"}}, 413),
])
def test_protocol_errors(client, method, kwargs, status):
    r = client.request(method, "/sparql", **kwargs)
    assert r.status_code == status, r.text
    assert "Traceback" not in r.text


def test_syntax_error_carries_the_parser_message(client):
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert r.status_code == 400 and "error at 1:" in r.text


def test_row_cap():
    with running_server("--max-rows", "5", "--workers", "2") as (base, _):
        r = httpx.get(base + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                      headers={"Accept": "application/json"})
        assert len(r.json()["results"]["bindings"]) == 5
        assert r.headers["rlhf-kg-truncated"].startswith("true")


def test_runaway_query_is_stopped_while_others_are_served(server, client):
    before = client.get("/health").json()["worker_restarts"]
    outcome = {}

    def runaway():
        started = time.monotonic()
        outcome["status"] = httpx.get(server + "/sparql", params={"query": RUNAWAY}, timeout=60).status_code
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    quick = []
    while thread.is_alive():
        started = time.monotonic()
        r = client.get("/queries/competencies", headers={"Accept": "application/json"})
        quick.append((r.status_code, time.monotonic() - started))
    thread.join()
    assert outcome["status"] == 503 and outcome["seconds"] < 10
    assert quick and all(code == 200 for code, _ in quick)
    assert client.get("/health").json()["worker_restarts"] == before + 1  # its worker was really stopped


def test_cors_off_by_default_and_on_when_asked(client):
    r = client.get("/health", headers={"Origin": "http://example.org"})
    assert "access-control-allow-origin" not in r.headers
    with running_server("--cors", "--workers", "2") as (base, _):
        r = httpx.get(base + "/health", headers={"Origin": "http://example.org"})
        assert r.headers["access-control-allow-origin"] == "*"


def test_binds_loopback_by_default(server):
    assert server.startswith("http://127.0.0.1:")


def _tools_ready() -> bool:
    return (SHARED_TOOLS / "endpoint-check").exists() and shutil.which("roqet") is not None


@pytest.mark.skipif(not _tools_ready(), reason="shared checkers not installed (../shared/tools/setup.sh)")
@pytest.mark.parametrize("query", [
    "PREFIX rlhf: <https://w3id.org/rlhf-kg/ontology#>\nPREFIX schema: <https://schema.org/>\n"
    "SELECT ?paper ?year ?title WHERE { ?paper a rlhf:Paper ; rlhf:year ?year ; schema:name ?title } ORDER BY ?year ?paper\n",
    "PREFIX rlhf: <https://w3id.org/rlhf-kg/ontology#>\n"
    "ASK { <https://w3id.org/rlhf-kg/id/kto> rlhf:variantOf <https://w3id.org/rlhf-kg/id/dpo> }\n",
])
def test_independent_clients_agree(server, tmp_path, query):
    path = tmp_path / "q.rq"
    path.write_text(query)
    run = subprocess.run([str(SHARED_TOOLS / "endpoint-check"), server + "/sparql", str(path)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "RESULT: all" in run.stdout


def test_page_and_its_data(client):
    page = client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<script src" not in page.text and "<link" not in page.text
    assert json.loads(page.text.split('<script id="settings" type="application/json">')[1].split("</script>")[0])


def test_ctrl_c_shuts_down_cleanly():
    import os
    import signal

    def alive(pid: int) -> bool:
        try:
            return open(f"/proc/{pid}/stat").read().split()[2] != "Z"
        except (FileNotFoundError, ProcessLookupError):
            return False

    with running_server("--workers", "2") as (base, proc):
        health = httpx.get(base + "/health").json()
        assert health["workers"] == 2
        children = [int(p) for p in os.popen(f"pgrep -P {proc.pid}").read().split()]
        assert len(children) >= 2
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    deadline = time.monotonic() + 10  # orphaned children may take a moment to see their pipes close
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [open(f"/proc/{pid}/cmdline").read().replace("\0", " ")[:120] for pid in children if alive(pid)]
    assert not left, f"outlived the server: {left}"
