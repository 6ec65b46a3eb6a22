"""Parameters are bound as RDF terms: values crafted to escape a literal or an IRI find
nothing and change nothing."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from rlhf_kg import QueryError
from rlhf_kg.queries import bind_values

HOSTILE = [
    'x" } ; DROP ALL ; #',
    "x> } UNION { ?s ?p ?o } #",
    "x\\u0022) } #",
    "'''} ?s ?p ?o {'''",
    "l5>)) } SELECT * WHERE { ?s ?p ?o } #",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_crafted_values_match_nothing(kg, value):
    with pytest.raises(QueryError, match="matches"):
        kg.query("compensation", level=value)


@pytest.mark.parametrize("value", HOSTILE)
def test_crafted_literals_stay_literals(kg, value):
    text = bind_values("SELECT ?x WHERE { ?s ?p ?x }", {"x": ox.Literal(value)})
    result = kg.store.query(text)
    assert len(result) == 0
    size = len(kg)
    assert size == len(kg)  # nothing changed


@pytest.mark.parametrize("value", ["http://e/x> . ?s ?p ?o . <http://e/y", "http://e/x}"])
def test_crafted_iris_are_rejected_or_escaped(value):
    try:
        term = ox.NamedNode(value)
    except ValueError:
        return  # pyoxigraph refuses the IRI outright
    text = bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"s": term})
    assert text.count("?s ?p ?o") == 1
