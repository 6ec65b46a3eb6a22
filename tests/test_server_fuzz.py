"""A few thousand malformed or hostile requests against a real server: none may produce a
5xx or a traceback, and the server must still answer afterwards. Bounded in count and time,
loopback only."""

from __future__ import annotations

import random
import time
import urllib.parse

import httpx
import pytest

from server_fixture import running_server

REQUESTS = 2500
TIME_LIMIT = 120.0
BASE_QUERIES = ["SELECT ?p WHERE { ?p a rlhf:Paper }", "ASK { kg:dpo rlhf:extends ?x }",
                "CONSTRUCT { ?m rlhf:variantOf ?x } WHERE { ?m rlhf:variantOf ?x }", "DESCRIBE kg:kto"]
UPDATES = ["INSERT DATA { kg:a kg:b kg:c }", "delete where { ?s ?p ?o }", "DROP ALL", "LOAD <http://example.org/x>",
           "CLEAR DEFAULT", "# comment\nINSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
           "PREFIX x: <http://x/>\n  InSeRt DATA { x:a x:b x:c }", "COPY DEFAULT TO <http://x>", "CREATE GRAPH <http://x>"]


def _mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        pos = rng.randrange(len(chars) + 1)
        if op < 0.4 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif op < 0.8:
            chars.insert(pos, rng.choice("{}()<>\"'?$.;,#\\\x00\u2028é漢"))
        else:
            chars.insert(pos, rng.choice(["SERVICE", "FILTER(", "OPTIONAL", "UNION", "VALUES ?x {", "<<", "^^"]))
    return "".join(chars)


def _hostile(rng: random.Random) -> tuple[str, str, dict]:
    kind = rng.randrange(12)
    if kind == 0:  # invalid UTF-8 in a GET query, percent-encoded
        raw = bytes(rng.randrange(256) for _ in range(rng.randint(1, 60)))
        return "GET", "/sparql?query=" + urllib.parse.quote_from_bytes(raw), {}
    if kind == 1:  # invalid UTF-8 in a body
        raw = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
        return "POST", "/sparql", {"content": raw, "headers": {"Content-Type": "application/sparql-query"}}
    if kind == 2:  # huge queries
        size = rng.choice([120_000, 300_000])
        return "POST", "/sparql", {"content": "SELECT * WHERE { " + "?s ?p ?o . " * (size // 11) + "}",
                                   "headers": {"Content-Type": "application/sparql-query"}}
    if kind == 3:  # deep nesting
        depth = rng.choice([300, 2000, 20000])
        opener, closer = rng.choice([("{", "}"), ("(", ")"), ("[", "]")])
        query = "SELECT * WHERE " + opener * depth + " ?s ?p ?o " + closer * depth
        return "POST", "/sparql", {"data": {"query": query}}
    if kind == 4:  # update attempts by every route
        update = rng.choice(UPDATES)
        route = rng.randrange(3)
        if route == 0:
            return "GET", "/sparql", {"params": {"query": update}}
        if route == 1:
            return "POST", "/sparql", {"data": {rng.choice(["query", "update"]): update}}
        return "POST", "/sparql", {"content": update, "headers": {"Content-Type": rng.choice(
            ["application/sparql-update", "application/sparql-query"])}}
    if kind == 5:  # mutated queries
        return "POST", "/sparql", {"data": {"query": _mutate(rng, rng.choice(BASE_QUERIES))}}
    if kind == 6:  # odd methods
        return rng.choice(["PUT", "PATCH", "DELETE", "OPTIONS"]), rng.choice(["/sparql", "/", "/queries", "/id/dpo"]), {}
    if kind == 7:  # odd content types
        return "POST", "/sparql", {"content": b"query=SELECT", "headers": {"Content-Type": rng.choice(
            ["text/plain", "application/json", "multipart/form-data; boundary=x", "", "application/x-www-form-urlencoded; charset=latin-1", "\x7f/\x7f"])}}
    if kind == 8:  # odd Accept headers
        accept = rng.choice(["", "*", "*/*;q=abc", "text/csv;q=2", ",,,", "image/*", "a/b/c", "application/sparql-results+json;q=0"])
        return "GET", "/sparql", {"params": {"query": rng.choice(BASE_QUERIES)}, "headers": {"Accept": accept}}
    if kind == 9:  # named questions with junk parameters
        name = rng.choice(["compensation", "skill-gap", "method-lineage", "nope", "../etc/passwd", "x" * 300])
        params = {rng.choice(["level", "from", "to", "method", "evil"]): _mutate(rng, "dpo\" } DROP ALL #")}
        return "GET", "/queries/" + urllib.parse.quote(name), {"params": params}
    if kind == 10:  # things
        thing = rng.choice(["dpo", "%00", "..%2F..%2F", "x" * 2000, "dpo.exe", "<script>"])
        return "GET", "/id/" + thing, {"headers": {"Accept": rng.choice(["text/html", "text/turtle", "image/png"])}}
    form = {rng.choice(["query", "default-graph-uri", "named-graph-uri", "format", "output"]): _mutate(rng, "SELECT")}
    return "POST", "/sparql", {"data": form}


def test_fuzz_no_5xx_and_still_answering():
    rng = random.Random(20261126)
    statuses: dict[int, int] = {}
    with running_server("--timeout", "5", "--workers", "3") as (base, proc):
        with httpx.Client(base_url=base, timeout=30) as client:
            started = time.monotonic()
            sent = 0
            for _ in range(REQUESTS):
                if time.monotonic() - started > TIME_LIMIT:
                    break
                method, url, kwargs = _hostile(rng)
                try:
                    r = client.request(method, url, **kwargs)
                except httpx.HTTPError as exc:
                    pytest.fail(f"{method} {url[:80]}: connection failed: {exc}")
                sent += 1
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                assert r.status_code < 500, (method, url[:200], kwargs.get("data") or str(kwargs.get("content"))[:200], r.text)
                assert "Traceback" not in r.text
            assert sent >= 1000, f"only {sent} requests in {TIME_LIMIT} s"
            assert client.get("/health").json()["status"] == "ok"
            ok = client.get("/sparql", params={"query": "ASK { kg:kto rlhf:variantOf kg:dpo }"},
                            headers={"Accept": "application/json"})
            assert ok.status_code == 200 and ok.json()["boolean"] is True
        assert proc.poll() is None
    assert statuses.get(403, 0) > 50 and statuses.get(400, 0) > 50
