"""The graph passes its own SHACL shapes, and the shapes catch what they promise to catch."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from conftest import ONTOLOGY, run_cli
from rlhf_kg.shapes import validate_graph

KG = "https://w3id.org/rlhf-kg/id/"
SCHEMA = "https://schema.org/"


def test_bundled_graph_conforms():
    run = run_cli("validate")
    assert run.code == 0, run.out + run.err
    assert run.out.startswith("OK:")


def _violations(graph) -> str:
    report = validate_graph(graph, ONTOLOGY)
    assert not report.conforms
    return report.text()


def test_min_above_max_is_caught(kg):
    g = kg.rdflib_graph()
    band = URIRef(KG + "pay-l5-base")
    g.set((band, URIRef(SCHEMA + "minValue"), Literal(999999, datatype=XSD.integer)))
    assert "minimum must not exceed its maximum" in _violations(g)


def test_bad_arxiv_and_wikidata_forms_are_caught(kg):
    g = kg.rdflib_graph()
    g.set((URIRef(KG + "rafailov-2023"), URIRef("https://w3id.org/rlhf-kg/ontology#arxivId"), Literal("23.1")))
    g.add((URIRef(KG + "london"), URIRef(SCHEMA + "sameAs"), URIRef("https://example.org/London")))
    text = _violations(g)
    assert "arXiv id" in text and "Wikidata item" in text


def test_second_preferred_label_in_same_language_is_caught(kg):
    g = kg.rdflib_graph()
    g.add((URIRef(KG + "dpo"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("DPO again", lang="en")))
    assert "prefLabel" in _violations(g)


def test_node_without_source_is_caught(kg):
    g = kg.rdflib_graph()
    g.remove((URIRef(KG + "dpo"), URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))
    assert "part of the guide it came from" in _violations(g)


def test_validate_exits_non_zero_on_violation(data_copy):
    roles = data_copy / "pay_bands.yaml"
    roles.write_text(roles.read_text().replace("currency: USD", "currency: dollars", 1))
    run = run_cli("validate", "--data", str(data_copy))
    assert run.code == 3
    assert "ISO 4217" in run.out
