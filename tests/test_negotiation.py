"""Content negotiation on its own: q-values, lists, wildcards, specificity, 406."""

from __future__ import annotations

from rlhf_kg.negotiation import GRAPH_TYPES, SELECT_TYPES, choose, parse_accept, wants_html


def test_missing_or_wildcard_accept_gets_the_default():
    assert choose(None, SELECT_TYPES) == ("application/sparql-results+json", "json")
    assert choose("*/*", SELECT_TYPES) == ("application/sparql-results+json", "json")
    assert choose("", GRAPH_TYPES) == ("text/turtle", "turtle")


def test_q_values_decide():
    assert choose("application/sparql-results+json;q=0.5, text/csv", SELECT_TYPES)[1] == "csv"
    assert choose("text/csv;q=0.2, application/sparql-results+xml;q=0.9", SELECT_TYPES)[1] == "xml"
    assert choose("application/n-triples;q=0.9, text/turtle;q=0.8", GRAPH_TYPES)[1] == "ntriples"


def test_specific_range_beats_wildcard():
    assert choose("text/*;q=0.3, text/tab-separated-values", SELECT_TYPES)[1] == "tsv"
    assert choose("*/*;q=0.1, application/ld+json", GRAPH_TYPES)[1] == "jsonld"


def test_zero_q_excludes():
    assert choose("application/sparql-results+json;q=0, */*;q=0.1", SELECT_TYPES)[0] != "application/sparql-results+json"
    assert choose("application/sparql-results+json;q=0, application/json;q=0, */*;q=0.1", SELECT_TYPES)[1] == "xml"


def test_nothing_acceptable():
    assert choose("image/png", SELECT_TYPES) is None
    assert choose("application/sparql-results+json", GRAPH_TYPES) is None


def test_malformed_parts_are_skipped():
    assert parse_accept("garbage, text/csv;q=abc, application/json")[-1].subtype == "json"
    assert choose("nonsense;;;, text/csv", SELECT_TYPES)[1] == "csv"


def test_browsers_want_html():
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
    assert wants_html(browser)
    assert not wants_html("*/*")
    assert not wants_html("application/sparql-results+json")
