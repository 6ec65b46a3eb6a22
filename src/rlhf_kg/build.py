"""Compile the ontology and the checked YAML records into RDF.

Every record gets a minted IRI (no blank nodes), every fact lands in the named graph of the
record's primary source (so TriG keeps provenance), and every record carries
``prov:wasDerivedFrom`` links to all its sources. The output is deterministic."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .errors import DataError, DataProblem
from .loader import Dataset, Record, load_dataset
from .namespaces import GRAPH, ONTOLOGY, PREFIXES, PROV, SCHEMA, SKOS, WIKIDATA, thing_iri
from .schema import LABEL_PREDICATES

R = Namespace(ONTOLOGY)
ONTOLOGY_GRAPH = URIRef(GRAPH + "ontology")

Quad = tuple[URIRef, URIRef, object, URIRef]


def source_graph(source_id: str) -> URIRef:
    """The named graph holding the facts whose primary source is ``source_id``."""
    return URIRef(GRAPH + source_id)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def ontology_files(ontology_dir: Path) -> list[Path]:
    """The ontology's Turtle files, shapes excluded (they are checked, not merged)."""
    if not ontology_dir.is_dir():
        raise DataError([DataProblem(str(ontology_dir), None, "ontology folder not found")])
    return sorted(p for p in ontology_dir.glob("*.ttl") if p.name != "shapes.ttl")


def load_ontology(ontology_dir: Path) -> Graph:
    """Parse the ontology Turtle files into one graph."""
    graph = Graph()
    for path in ontology_files(ontology_dir):
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise DataError([DataProblem(str(path), None, f"cannot parse ontology Turtle: {exc}")]) from None
    return graph


def _literal(f_type: str, value) -> Literal:
    if f_type == "text":
        return Literal(value, lang="en")
    if f_type in ("int", "year", "money"):
        return Literal(int(value), datatype=XSD.integer) if float(value).is_integer() else Literal(value, datatype=XSD.decimal)
    if f_type == "percent":
        return Literal(int(value), datatype=XSD.integer) if float(value).is_integer() else Literal(str(value), datatype=XSD.decimal)
    if f_type == "bool":
        return Literal(bool(value), datatype=XSD.boolean)
    if f_type == "yearmonth":
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value)


def _record_quads(rec: Record, roots: dict[str, str | None]) -> list[Quad]:
    kind = rec.kind
    node = URIRef(thing_iri(rec.id))
    sources = rec.values.get("source", [])
    g = source_graph(sources[0]) if sources else source_graph(rec.id)
    out: list[Quad] = []

    def add(p: str | URIRef, o) -> None:
        out.append((node, URIRef(p), o, g))

    if kind.rdf_class:
        add(RDF.type, URIRef(kind.rdf_class))
    if kind.class_field:
        choice = kind.field_map[kind.class_field].choices[rec.values[kind.class_field]]
        add(RDF.type, URIRef(choice))
    if kind.key == "frameworks":
        add(RDF.type, URIRef(kind.field_map["type"].choices[rec.values["type"]]))
    for name, value in rec.values.items():
        f = kind.field_map[name]
        if f.predicate is None:
            continue
        values = value if isinstance(value, list) else [value]
        if f.type == "text" and name == "label":
            for p in LABEL_PREDICATES:
                add(p, _literal("text", value))
        elif f.type in ("ref", "refs"):
            for v in values:
                add(f.predicate, URIRef(thing_iri(v)))
        elif f.type in ("enum", "class"):
            for v in values:
                add(f.predicate, URIRef(f.choices[v]))
        elif f.type == "wikidata":
            add(f.predicate, URIRef(WIKIDATA + value))
        elif f.type == "strings":
            for v in values:
                add(f.predicate, Literal(v, lang="en"))
        elif f.type == "arxiv":
            add(f.predicate, Literal(value))
            add(R.doi, Literal(f"10.48550/arXiv.{value}"))
            add(SCHEMA + "url", URIRef(f"https://arxiv.org/abs/{value}"))
        elif f.type == "steps":
            for position, target in enumerate(values, start=1):
                step = URIRef(thing_iri(f"{rec.id}-step-{position}"))
                add(f.predicate, step)
                out.append((step, RDF.type, R.Step, g))
                out.append((step, R.position, Literal(position, datatype=XSD.integer), g))
                out.append((step, R.stepTarget, URIRef(thing_iri(target)), g))
                step_label = Literal(f"{rec.values['label']}, step {position}", lang="en")
                for p in LABEL_PREDICATES:
                    out.append((step, URIRef(p), step_label, g))
                for s in sources:
                    out.append((step, URIRef(PROV + "wasDerivedFrom"), URIRef(thing_iri(s)), g))
        elif f.type == "authors":
            for position, name_ in enumerate(values, start=1):
                person = URIRef(thing_iri("person-" + _slug(name_)))
                add(f.predicate, person)
                out.append((person, RDF.type, R.Person, g))
                out.append((person, URIRef(SCHEMA + "name"), Literal(name_), g))
                out.append((person, RDFS.label, Literal(name_, lang="en"), g))
                out.append((person, URIRef(SKOS + "prefLabel"), Literal(name_, lang="en"), g))
                for s in sources:
                    out.append((person, URIRef(PROV + "wasDerivedFrom"), URIRef(thing_iri(s)), g))
        else:
            for v in values:
                add(f.predicate, _literal(f.type, v))
    if kind.key == "papers":
        add(SCHEMA + "datePublished", Literal(str(rec.values["year"]), datatype=XSD.gYear))
    if kind.key == "sources":
        add(RDF.type, URIRef(PROV + "Entity"))
        if rec.values.get("kind") != "document":
            guide = roots.get(rec.id)
            if guide:
                add(PROV + "hadPrimarySource", URIRef(thing_iri(guide)))
    return out


def _derived_quads(data: Dataset) -> list[Quad]:
    """Shortcut edges that make common questions one hop: role transitionsTo role,
    role schema:estimatedSalary band."""
    out: list[Quad] = []
    for t in data.of_kind("transitions"):
        g = source_graph(t.values["source"][0])
        out.append((URIRef(thing_iri(t.values["from"])), R.transitionsTo, URIRef(thing_iri(t.values["to"])), g))
    for band in data.of_kind("pay_bands"):
        g = source_graph(band.values["source"][0])
        out.append((URIRef(thing_iri(band.values["role"])), URIRef(SCHEMA + "estimatedSalary"),
                    URIRef(thing_iri(band.id)), g))
    return out


def _source_roots(data: Dataset) -> dict[str, str | None]:
    """For each source part, the document it ultimately belongs to."""
    roots: dict[str, str | None] = {}
    for rec in data.of_kind("sources"):
        current, seen = rec, set()
        while current.values.get("part_of") and current.id not in seen:
            seen.add(current.id)
            current = data.records[current.values["part_of"]]
        roots[rec.id] = current.id if current.id != rec.id else None
    return roots


@dataclass
class BuiltGraph:
    """The compiled graph as quads: (subject, predicate, object, named graph)."""

    quads: list[Quad]
    data: Dataset


def bind_prefixes(g: Graph) -> None:
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, Namespace(iri), override=True, replace=True)


def compile_graph(data_dir: Path, ontology_dir: Path) -> BuiltGraph:
    """Load and check the data, then compile ontology + data into quads."""
    data = load_dataset(data_dir)
    ontology = load_ontology(ontology_dir)
    roots = _source_roots(data)
    quads: list[Quad] = [(s, p, o, ONTOLOGY_GRAPH) for s, p, o in ontology]
    for rec in data.records.values():
        quads.extend(_record_quads(rec, roots))
    quads.extend(_derived_quads(data))
    seen: set = set()
    unique = []
    for q in quads:
        if q[:3] not in seen:
            seen.add(q[:3])
            unique.append(q)
    unique.sort(key=lambda q: (str(q[3]), q[0].n3(), q[1].n3(), q[2].n3()))
    return BuiltGraph(unique, data)

