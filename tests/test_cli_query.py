"""`rlhf-kg queries`, `query` and `sparql` from the command line, in every format, with the
bad inputs a person will type."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from conftest import assert_clean_error, run_cli


def test_queries_lists_names_descriptions_parameters():
    run = run_cli("queries")
    assert run.code == 0
    assert "transferable-skills" in run.out and "skill-gap" in run.out
    assert "-p from (Role, required)" in run.out
    listing = json.loads(run_cli("queries", "--format", "json").out)
    assert {q["name"] for q in listing} >= {"compensation", "contradictions", "sources"}


def test_table_uses_labels_not_iris():
    run = run_cli("query", "labs-by-city")
    assert run.code == 0
    assert "San Francisco Bay Area" in run.out and "https://" not in run.out
    assert run.out.rstrip().endswith("(8 rows)")


@pytest.mark.parametrize("fmt,parser", [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                                        ("tsv", ox.QueryResultsFormat.TSV)])
def test_w3c_result_formats_parse_in_pyoxigraph(fmt, parser):
    run = run_cli("query", "compensation", "--format", fmt)
    assert run.code == 0, run.err
    parsed = ox.parse_query_results(run.out.encode(), format=parser)
    rows = list(parsed)
    assert len(rows) == 4
    assert {str(r["currency"].value) for r in rows} == {"USD"}


def test_csv_has_header_and_plain_values():
    run = run_cli("query", "compensation", "-f", "csv", "-p", "level", "L6")
    rows = list(csv.DictReader(io.StringIO(run.out)))
    assert rows == [{**rows[0], "min": "900000", "max": "1500000", "open_upper_end": "true"}]
    assert run.out.split("\r\n")[0].startswith("band,role,level")


def test_markdown_is_a_table():
    run = run_cli("query", "competencies", "-f", "markdown")
    assert run.out.startswith("| number | competency | kind | item |\n| --- |")


def test_parameters_accept_labels_case_insensitively():
    by_id = run_cli("query", "method-lineage", "-p", "method", "dpo", "-f", "json").out
    by_label = run_cli("query", "method-lineage", "-p", "method", "direct preference OPTIMISATION", "-f", "json").out
    by_alt = run_cli("query", "method-lineage", "-p", "method", "DPO", "-f", "json").out
    assert by_id == by_label == by_alt


def test_unknown_query_name_suggests():
    assert_clean_error(run_cli("query", "transferable-skill"), "unknown query 'transferable-skill'",
                       "did you mean 'transferable-skills'")


def test_missing_required_parameter():
    assert_clean_error(run_cli("query", "skill-gap", "-p", "from", "generalist-ml-engineer"),
                       "needs parameter 'to'", "-p to VALUE")


def test_unknown_parameter_lists_valid_ones():
    assert_clean_error(run_cli("query", "compensation", "-p", "levle", "L5"),
                       "unknown parameter 'levle'", "level, component")


def test_value_matching_nothing_lists_valid_ids():
    assert_clean_error(run_cli("query", "compensation", "-p", "level", "L9"),
                       "no SeniorityLevel matches 'L9'", "Valid ids: l4, l5, l6")


def test_wrong_type_of_thing_is_refused():
    assert_clean_error(run_cli("query", "method-lineage", "-p", "method", "openai"), "no Method matches 'openai'")


def test_sparql_select_ask_construct_describe():
    select = run_cli("sparql", "SELECT ?m WHERE { ?m rlhf:variantOf kg:dpo } ORDER BY ?m", "--format", "csv")
    assert select.out.split() == ["m", "https://w3id.org/rlhf-kg/id/ipo", "https://w3id.org/rlhf-kg/id/kto"]
    ask = run_cli("sparql", "ASK { kg:kto rlhf:variantOf kg:dpo }", "--format", "json")
    assert json.loads(ask.out)["boolean"] is True
    construct = run_cli("sparql", "CONSTRUCT { ?m rlhf:extends ?x } WHERE { ?m rlhf:extends ?x }")
    triples = list(ox.parse(construct.out.encode(), format=ox.RdfFormat.TURTLE))
    assert len(triples) >= 3
    describe = run_cli("sparql", "DESCRIBE kg:dpo", "--format", "ntriples")
    assert "<https://w3id.org/rlhf-kg/id/dpo>" in describe.out
    jsonld = run_cli("sparql", "DESCRIBE kg:dpo", "--format", "jsonld")
    assert json.loads(jsonld.out)


def test_sparql_from_file_and_stdin(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?p a rlhf:Paper }")
    assert json.loads(run_cli("sparql", "-f", str(path), "--format", "json").out)["results"]["bindings"][0]["n"]["value"] == "6"
    piped = run_cli("sparql", "-f", "-", "--format", "csv", input="SELECT ?x WHERE { kg:dpo rlhf:yearIntroduced ?x }")
    assert piped.out.split() == ["x", "2023"]
    assert_clean_error(run_cli("sparql", "-f", str(tmp_path / "missing.rq")), "cannot read query file")


def test_syntax_error_reports_position():
    run = run_cli("sparql", "SELECT ?x WHERE { ?x ?y }")
    assert_clean_error(run, "SPARQL syntax error", "at 1:")


def test_syntax_error_on_memory_store_reports_position():
    run = run_cli("sparql", "SELECT ?x WHERE { ?x ?y }", "--store", "memory")
    assert_clean_error(run, "SPARQL syntax error", "line 1")


@pytest.mark.parametrize("query,message", [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE is not allowed"),
    ("SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }", "is not allowed"),
    ("LOAD <http://example.org/data.ttl>", "read-only"),
    ("INSERT DATA { kg:x kg:y kg:z }", "read-only"),
    ("DELETE WHERE { ?s ?p ?o }", "read-only"),
    ("CLEAR ALL", "read-only"),
])
def test_network_and_updates_refused(query, message):
    assert_clean_error(run_cli("sparql", query), message)


def test_keywords_inside_strings_are_not_refused():
    run = run_cli("sparql", 'SELECT ?s WHERE { ?s skos:prefLabel ?l FILTER(CONTAINS(?l, "SERVICE")) }')
    assert run.code == 0, run.err


@pytest.mark.parametrize("query", ["SELECT ?s WHERE { ?s a schema:Service }", "ASK { ?s rlhf:load ?o }",
                                   "SELECT ?delete WHERE { ?delete ?insert ?o } LIMIT 1",
                                   "PREFIX load: <http://example.org/> ASK { ?s load:insert ?o }"])
def test_keywords_as_names_are_not_refused(query):
    run = run_cli("sparql", query)
    assert run.code == 0, run.err


def test_timeout_stops_a_runaway_query():
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    run = run_cli("sparql", runaway, "--timeout", "1", timeout=60)
    assert_clean_error(run, "stopped after 1 s")
    assert run.code == 4


def test_show_sparql_binds_terms_not_text():
    run = run_cli("query", "compensation", "-p", "level", "L5", "--show-sparql")
    assert "FILTER(sameTerm(?level, <https://w3id.org/rlhf-kg/id/l5>))" in run.out


def test_infer_finds_subclass_members():
    plain = run_cli("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?o a rlhf:Organisation }", "--format", "csv")
    inferred = run_cli("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?o a rlhf:Organisation }", "--format", "csv",
                       "--infer")
    assert int(plain.out.split()[1]) < int(inferred.out.split()[1]) == 11
    owl = run_cli("query", "competencies", "--infer", "owlrl", "-f", "csv")
    assert owl.code == 0 and owl.out.count("\n") == run_cli("query", "competencies", "-f", "csv").out.count("\n")
