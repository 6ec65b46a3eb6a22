"""IRIs of the project's namespaces and the standard vocabularies it reuses (as plain strings,
so modules on the fast path need not import rdflib)."""

from __future__ import annotations

ONTOLOGY = "https://w3id.org/rlhf-kg/ontology#"
ONTOLOGY_IRI = "https://w3id.org/rlhf-kg/ontology"
THING = "https://w3id.org/rlhf-kg/id/"
GRAPH = "https://w3id.org/rlhf-kg/graph/"

PREFIXES: dict[str, str] = {
    "rlhf": ONTOLOGY,
    "kg": THING,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "vann": "http://purl.org/vocab/vann/",
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": "http://www.wikidata.org/entity/",
}

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]
SCHEMA = PREFIXES["schema"]
PROV = PREFIXES["prov"]
ORG = PREFIXES["org"]
DCT = PREFIXES["dct"]
OWL = PREFIXES["owl"]
WIKIDATA = PREFIXES["wd"]


def thing_iri(thing_id: str) -> str:
    """The IRI minted for a record id."""
    return THING + thing_id


def thing_id(iri: str) -> str | None:
    """The record id of an IRI minted by this project, or None for other IRIs."""
    return iri[len(THING):] if iri.startswith(THING) else None


def sparql_prefixes() -> str:
    """PREFIX declarations for every namespace the project uses."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def shorten(iri: str) -> str:
    """A prefixed name for an IRI where a known namespace matches, else the IRI."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]):]
        if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
            return f"{best}:{local}"
    return iri
