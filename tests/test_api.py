"""The Python API: results iterate as rows, convert to dicts and serialise like the CLI."""

from __future__ import annotations

import json

import pytest

from rlhf_kg import KnowledgeGraph, QueryError, StoreError


def test_query_result_rows_and_dicts(kg):
    result = kg.query("compensation", level="L5")
    assert len(result) == 2
    row = next(iter(result))
    assert row["currency"].value == "USD" and row.currency.value == "USD"
    dicts = result.to_dicts()
    assert {d["component"].rsplit("#", 1)[-1] for d in dicts} == {"BaseSalary", "TotalCompensation"}
    assert json.loads(result.serialize("json"))["head"]["vars"][0] == "band"


def test_sparql_result_kinds(kg):
    assert kg.sparql("ASK { kg:dpo a rlhf:Method }").boolean is True
    graph = kg.sparql("CONSTRUCT { kg:dpo ?p ?o } WHERE { kg:dpo ?p ?o }")
    assert graph.kind == "graph" and len(graph) > 5
    assert "kg:dpo" in graph.serialize("turtle")


def test_describe(kg):
    header, facts = kg.describe("Direct Preference Optimisation")
    assert header["id"] == "dpo"
    assert "section-rlhf-2" in header["sources"]
    assert any(f.predicate.endswith("introducedIn") for f in facts)
    assert all(f.sources for f in facts)


def test_unknown_store_and_bad_endpoint():
    with pytest.raises(StoreError, match="unknown store"):
        KnowledgeGraph.load(store="berkeleydb")
    with pytest.raises(StoreError, match="http"):
        KnowledgeGraph.load(endpoint="ftp://example")


def test_unknown_query_raises(kg):
    with pytest.raises(QueryError, match="unknown query"):
        kg.query("nope")
