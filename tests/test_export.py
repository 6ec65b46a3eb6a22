"""Every export format is written, read back by a second implementation, identical across
runs and hash seeds, and written atomically."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib

from conftest import SHARED_TOOLS, assert_clean_error, run_cli
from rlhf_kg import ExportError
from rlhf_kg.export import FORMATS, export

ALL = ["ttl", "nt", "nq", "trig", "jsonld", "rdf", "graphml", "gexf", "dot", "csv", "html", "context.jsonld"]


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    for ext in ALL:
        run = run_cli("export", "--output", str(out / f"rlhf-kg.{ext}"))
        assert run.code == 0, run.err
    return out


@pytest.fixture(scope="module")
def expected(kg):
    return {str(t) for t in kg.store.triples()}


def _rdflib_triples(graph) -> set[str]:
    out = set()
    for s, p, o in graph:
        def term(x):
            if isinstance(x, rdflib.Literal):
                if x.language:
                    return str(ox.Literal(str(x), language=x.language))
                if x.datatype:
                    return str(ox.Literal(str(x), datatype=ox.NamedNode(str(x.datatype))))
                return str(ox.Literal(str(x)))
            return f"<{x}>"
        out.add(f"{term(s)} {term(p)} {term(o)}")
    return out


@pytest.mark.parametrize("ext,fmt", [("ttl", "turtle"), ("nt", "nt"), ("rdf", "xml"), ("jsonld", "json-ld")])
def test_rdf_formats_read_back_by_rdflib(exports, expected, ext, fmt):
    g = rdflib.Graph()
    g.parse(exports / f"rlhf-kg.{ext}", format=fmt)
    assert _rdflib_triples(g) == expected


@pytest.mark.parametrize("ext,fmt", [("trig", "trig"), ("nq", "nquads")])
def test_datasets_keep_provenance_graphs(exports, expected, ext, fmt):
    ds = rdflib.Dataset()
    ds.parse(exports / f"rlhf-kg.{ext}", format=fmt)
    graphs = {str(c.identifier) for c in ds.contexts() if len(c)}
    assert "https://w3id.org/rlhf-kg/graph/section-rlhf-3" in graphs
    assert "https://w3id.org/rlhf-kg/graph/ontology" in graphs
    union = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert _rdflib_triples(union) == expected
    # a fact sits in the graph of the part of the guide it came from
    mistral = rdflib.URIRef("https://w3id.org/rlhf-kg/id/mistral")
    located = list(ds.quads((mistral, rdflib.URIRef("https://w3id.org/rlhf-kg/ontology#locatedIn"), None, None)))
    assert [str(q[3].identifier if hasattr(q[3], "identifier") else q[3]) for q in located] == [
        "https://w3id.org/rlhf-kg/graph/section-rlhf-3"]


def test_jsonld_expands_to_the_same_graph_in_pyld(exports, expected):
    from pyld import jsonld

    document = json.loads((exports / "rlhf-kg.jsonld").read_text())
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    assert {str(t) for t in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)} == expected
    assert document["@context"]["name"]["@id"] == "schema:name"
    assert document["@context"]["label"]["@id"] == "skos:prefLabel"
    dpo = next(n for n in document["@graph"] if n["id"] == "kg:dpo")
    assert dpo["label"] == ["Direct Preference Optimisation"] and dpo["yearIntroduced"] == ["2023"]


def test_published_context_matches_the_inline_one(exports):
    inline = json.loads((exports / "rlhf-kg.jsonld").read_text())["@context"]
    published = json.loads((exports / "rlhf-kg.context.jsonld").read_text())["@context"]
    assert inline == published


def test_graphml_and_gexf_load_in_networkx(kg, exports):
    field = kg.to_networkx("field")
    graphml = nx.read_graphml(exports / "rlhf-kg.graphml")
    assert set(graphml.nodes) == set(field.nodes)
    assert graphml.number_of_edges() == field.number_of_edges()
    assert graphml.nodes["dpo"]["label"] == "Direct Preference Optimisation"
    assert graphml.nodes["dpo"]["kind"] == "Method"
    gexf = nx.read_gexf(exports / "rlhf-kg.gexf")
    assert set(gexf.nodes) == set(field.nodes) and gexf.number_of_edges() == field.number_of_edges()


def test_dot_and_csv(kg, exports):
    field = kg.to_networkx("field")
    dot = (exports / "rlhf-kg.dot").read_text()
    assert dot.startswith("digraph") and dot.count(" -> ") == field.number_of_edges()
    nodes = list(csv.DictReader(open(exports / "rlhf-kg.nodes.csv")))
    edges = list(csv.DictReader(open(exports / "rlhf-kg.edges.csv")))
    assert len(nodes) == field.number_of_nodes() and len(edges) == field.number_of_edges()
    assert {"id", "label", "kind", "iri"} == set(nodes[0])


def test_ontology_page_lists_every_class(kg, exports):
    page = (exports / "rlhf-kg.html").read_text()
    for label in ("pay band", "career transition", "failure mode", "skill reuse level"):
        assert f">{label} <code>" in page
    assert "<script" not in page and "http://" not in page.split("<body>")[0]
    assert "minimum must not exceed its maximum" in page  # shapes are documented too


def test_byte_stable_across_hash_seeds(tmp_path, exports):
    other = tmp_path / "again"
    other.mkdir()
    for ext in ALL:
        run = run_cli("export", "--output", str(other / f"rlhf-kg.{ext}"), env={"PYTHONHASHSEED": "4242"})
        assert run.code == 0, run.err
    for path in sorted(exports.iterdir()):
        assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256((other / path.name).read_bytes()).digest(), path.name


def test_same_bytes_from_every_embedded_store(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert run_cli("export", "-o", str(a)).code == 0
    assert run_cli("export", "-o", str(b), "--store", "memory").code == 0
    assert a.read_bytes() == b.read_bytes()


def test_turtle_is_grouped_and_prefixed(exports):
    text = (exports / "rlhf-kg.ttl").read_text()
    assert text.startswith("@prefix")
    block = text.split("\n\nkg:dpo ", 1)[1].split("\n\n", 1)[0]
    assert "rlhf:introducedIn kg:rafailov-2023" in block and block.rstrip().endswith(".")


def _tools_ready() -> bool:
    return (SHARED_TOOLS / "turtle-check").exists() and shutil.which("rapper") is not None


@pytest.mark.skipif(not _tools_ready(), reason="shared RDF checkers not installed (../shared/tools/setup.sh)")
@pytest.mark.parametrize("ext", ["ttl", "nt"])
def test_independent_parsers_accept_the_turtle(exports, expected, ext):
    path = exports / f"rlhf-kg.{ext}"
    # Jena is checked apart: turtle-check reads Jena's "Triples = 2,502" as 2 (thousands separator).
    run = subprocess.run([str(SHARED_TOOLS / "turtle-check"), "--strict", "--require-all",
                          "--parsers", "rapper,n3js,oxigraph", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{len(expected)} triples" in run.stdout
    jena = subprocess.run([str(SHARED_TOOLS / "jena"), "riot", "--count", "--strict", str(path)],
                          capture_output=True, text=True)
    counted = re.search(r"Triples = ([\d,]+)", jena.stdout + jena.stderr)
    assert counted and int(counted.group(1).replace(",", "")) == len(expected), jena.stderr
    assert not re.search(r"^(WARN|ERROR)", jena.stderr, flags=re.MULTILINE), jena.stderr


@pytest.mark.skipif(not _tools_ready(), reason="shared RDF checkers not installed (../shared/tools/setup.sh)")
@pytest.mark.parametrize("ext", ["trig", "nq", "rdf"])
def test_jena_reads_the_other_rdf_formats(exports, ext):
    # JSON-LD is left out: Debian's Jena 4.5 fails on every JSON-LD file, even a one-line one
    # (LOADING_DOCUMENT_FAILED); pyld and rdflib read ours back instead.
    jena = subprocess.run([str(SHARED_TOOLS / "jena"), "riot", "--count", str(exports / f"rlhf-kg.{ext}")],
                          capture_output=True, text=True)
    assert jena.returncode == 0 and re.search(r"(Triples|Quads) = [\d,]+", jena.stdout + jena.stderr), jena.stderr
    assert not re.search(r"^(WARN|ERROR)", jena.stderr, flags=re.MULTILINE), jena.stderr


def test_format_from_extension_and_aliases(tmp_path):
    assert run_cli("export", "-o", str(tmp_path / "g.owl")).code == 0
    assert (tmp_path / "g.owl").read_text().startswith("<?xml")
    assert run_cli("export", "-t", "nt", "-o", str(tmp_path / "g.txt")).code == 0
    assert_clean_error(run_cli("export", "-o", str(tmp_path / "g.xyz")), "cannot tell the format", "--format")


def test_export_to_stdout():
    run = run_cli("export", "--format", "nt")
    assert run.code == 0 and run.out.count("\n") > 2000


def test_unknown_format_and_bad_paths(tmp_path):
    assert_clean_error(run_cli("export", "--format", "yaml", "-o", str(tmp_path / "x")), "unknown format 'yaml'")
    assert_clean_error(run_cli("export", "-o", str(tmp_path / "missing" / "x.ttl")), "folder", "does not exist")
    assert_clean_error(run_cli("export", "-o", str(tmp_path), "--format", "turtle"), "is a folder")
    assert_clean_error(run_cli("export", "--format", "csv"), "two files")


def test_failed_export_leaves_previous_file(kg, tmp_path, monkeypatch):
    target = tmp_path / "graph.ttl"
    target.write_text("previous\n")
    import rlhf_kg.export as export_module

    def broken(kg_, fmt, out, store=None):
        out.write(b"@prefix half: <http://half/> .\n")
        raise ExportError("disk full (simulated)")

    monkeypatch.setattr(export_module, "write_rdf", broken)
    with pytest.raises(ExportError):
        export(kg, "turtle", target)
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_subset_and_neighbourhood(tmp_path):
    run = run_cli("export", "--subset", "method-subgraph", "-o", str(tmp_path / "m.nt"))
    assert run.code == 0
    subjects = {t.subject.value for t in ox.parse(path=str(tmp_path / "m.nt"), format=ox.RdfFormat.N_TRIPLES)}
    assert "https://w3id.org/rlhf-kg/id/dpo" in subjects and "https://w3id.org/rlhf-kg/id/openai" not in subjects
    run = run_cli("export", "--around", "kto", "--depth", "1", "-o", str(tmp_path / "k.nt"))
    triples = list(ox.parse(path=str(tmp_path / "k.nt"), format=ox.RdfFormat.N_TRIPLES))
    nodes = {t.subject.value.rsplit("/", 1)[-1] for t in triples}
    assert {"kto", "dpo", "ethayarajh-2024"} <= nodes and "openai" not in nodes
    assert_clean_error(run_cli("export", "--subset", "competencies", "-o", str(tmp_path / "c.ttl")),
                       "not a CONSTRUCT question")
    assert_clean_error(run_cli("export", "--around", "nothing-here", "-o", str(tmp_path / "c.ttl")),
                       "no Thing matches 'nothing-here'")


def test_infer_adds_entailments_in_their_own_graph(tmp_path):
    assert run_cli("export", "--infer", "-o", str(tmp_path / "i.trig")).code == 0
    ds = rdflib.Dataset()
    ds.parse(tmp_path / "i.trig", format="trig")
    inferred = ds.graph(rdflib.URIRef("https://w3id.org/rlhf-kg/graph/inferred"))
    assert (rdflib.URIRef("https://w3id.org/rlhf-kg/id/openai"), rdflib.RDF.type,
            rdflib.URIRef("https://w3id.org/rlhf-kg/ontology#Organisation")) in inferred


def test_every_format_is_listed():
    listing = run_cli("export", "--list").out
    for name in FORMATS:
        assert name in listing
