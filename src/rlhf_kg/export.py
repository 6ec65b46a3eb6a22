"""Write the graph in the formats other tools read: RDF (Turtle, N-Triples, N-Quads, TriG,
JSON-LD, RDF/XML), graph formats (GraphML, GEXF, DOT, CSV node and edge lists) and an HTML
page documenting the ontology.

RDF goes through one pyoxigraph store whatever store the graph lives in, so every store gives
byte-identical files; writes stream to a temporary file that replaces the target only when
complete."""

from __future__ import annotations

import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable

import pyoxigraph as ox

from .atomic import atomic_output
from .errors import ExportError
from .namespaces import PREFIXES, RDF, XSD, shorten

if TYPE_CHECKING:
    from .kg import KnowledgeGraph


@dataclass(frozen=True)
class Format:
    """An export format: its name, file extension, aliases and whether it is RDF."""

    name: str
    extension: str
    description: str
    rdf: ox.RdfFormat | None = None
    extensions: tuple[str, ...] = ()


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("turtle", ".ttl", "Turtle (grouped by subject, prefixed)", ox.RdfFormat.TURTLE),
    Format("ntriples", ".nt", "N-Triples", ox.RdfFormat.N_TRIPLES),
    Format("nquads", ".nq", "N-Quads, one named graph per source part", ox.RdfFormat.N_QUADS),
    Format("trig", ".trig", "TriG, one named graph per source part", ox.RdfFormat.TRIG),
    Format("jsonld", ".jsonld", "JSON-LD, compacted with a readable @context", None, (".json-ld",)),
    Format("jsonld-context", ".context.jsonld", "the JSON-LD @context on its own, to publish or reuse"),
    Format("rdfxml", ".rdf", "RDF/XML", ox.RdfFormat.RDF_XML, (".owl", ".xml")),
    Format("graphml", ".graphml", "GraphML for yEd, Gephi and networkx"),
    Format("gexf", ".gexf", "GEXF for Gephi"),
    Format("dot", ".dot", "Graphviz DOT", None, (".gv",)),
    Format("csv", ".csv", "CSV node list + edge list (two files: NAME.nodes.csv, NAME.edges.csv)"),
    Format("html", ".html", "self-contained HTML documentation of the ontology and shapes", None, (".htm",)),
)}
ALIASES = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "json-ld": "jsonld", "xml": "rdfxml",
           "rdf": "rdfxml", "owl": "rdfxml", "gv": "dot"}

DATASET_FORMATS = ("nquads", "trig")


def resolve_format(fmt: str | None, output: str | None) -> Format:
    """The format named, or guessed from the output file's extension."""
    if fmt:
        key = ALIASES.get(fmt.lower(), fmt.lower())
        if key not in FORMATS:
            raise ExportError(f"unknown format '{fmt}'; expected one of: {', '.join(FORMATS)}")
        return FORMATS[key]
    if output and output != "-":
        name = Path(output).name.lower()
        for f in sorted(FORMATS.values(), key=lambda f: -len(f.extension)):
            if name.endswith(f.extension) or any(name.endswith(e) for e in f.extensions):
                return f
        raise ExportError(f"cannot tell the format from '{output}'; pass --format (one of: {', '.join(FORMATS)})")
    return FORMATS["turtle"]


class _BlankLineBetweenSubjects(io.RawIOBase):
    """Wraps a binary stream; puts a blank line before each Turtle/TriG subject block so
    the output reads as one paragraph per thing (streams, never holds the whole file)."""

    _TURTLE = re.compile(rb"\n(?=[^\t@\n}])")
    _TRIG = re.compile(rb"\n(?=[^@\n}]|\t[^\t])")

    def __init__(self, target: IO[bytes], dataset: bool = False):
        self.target = target
        self.last = b"\n"
        self._START = self._TRIG if dataset else self._TURTLE

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        if not data:
            return 0
        out = self._START.sub(b"\n\n", data)
        if self.last == b"\n" and self._START.match(b"\n" + data[:2]):
            out = b"\n" + out
        self.target.write(out)
        self.last = data[-1:]
        return len(data)


def write_rdf(kg: "KnowledgeGraph", fmt: Format, out: IO[bytes]) -> None:
    """Stream an RDF serialisation of the graph, in canonical order, to a binary stream."""
    if fmt.name == "jsonld":
        write_jsonld(kg, out)
        return
    if fmt.name in DATASET_FORMATS:
        dataset = kg.canonical_dataset()
        target = _BlankLineBetweenSubjects(out, dataset=True) if fmt.name == "trig" else out
        dataset.dump(target, format=fmt.rdf, **({"prefixes": PREFIXES} if fmt.name == "trig" else {}))
        return
    store = kg.canonical_store()
    if fmt.name == "turtle":
        store.dump(_BlankLineBetweenSubjects(out), format=fmt.rdf, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
    elif fmt.name == "rdfxml":
        store.dump(out, format=fmt.rdf, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
    else:
        store.dump(out, format=fmt.rdf, from_graph=ox.DefaultGraph())


# -- JSON-LD ---------------------------------------------------------------------------------

def _term_key(iri: str, taken: dict[str, str]) -> str:
    short = shorten(iri)
    local = short.split(":", 1)[1] if ":" in short and not short.startswith("http") else iri.rsplit("/", 1)[-1]
    local = re.sub(r"[^A-Za-z0-9_]", "_", local) or "p"
    if local not in taken or taken[local] == iri:
        return local
    prefix = short.split(":", 1)[0] if ":" in short else "x"
    return f"{prefix}_{local}"


# Predicates whose readable key should say what schema.org / SKOS calls them.
_KEY_OVERRIDES = {
    "http://www.w3.org/2004/02/skos/core#prefLabel": "label",
    "http://www.w3.org/2000/01/rdf-schema#label": "rdfsLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel": "altLabel",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "source",
}


def jsonld_context(kg: "KnowledgeGraph") -> dict:
    """A JSON-LD @context with one readable key per predicate used (schema.org's own names for
    schema.org terms), typed so that plain JSON values expand to the right RDF terms. Built
    from one aggregate query, never from the triples in memory."""
    kinds: dict[str, set] = {}
    for p, kind in kg.store.query("""SELECT DISTINCT ?p ?kind WHERE { ?s ?p ?o
            BIND (IF(isIRI(?o), "@id", IF(LANG(?o) != "", CONCAT("@", LANG(?o)), STR(DATATYPE(?o)))) AS ?kind) }""").rows:
        kinds.setdefault(p.value, set()).add(kind.value)
    context: dict = {p: iri for p, iri in sorted(PREFIXES.items())}
    context.update({"id": "@id", "type": "@type"})
    taken: dict[str, str] = {}
    for predicate in sorted(kinds):
        if predicate == RDF + "type":
            continue
        key = _KEY_OVERRIDES.get(predicate) or _term_key(predicate, taken)
        taken[key] = predicate
        definition: dict = {"@id": shorten(predicate), "@container": "@set"}
        only = kinds[predicate]
        if len(only) == 1:
            (kind,) = only
            if kind == "@id":
                definition["@type"] = "@id"
            elif kind.startswith("@"):
                definition["@language"] = kind[1:]
            elif kind != XSD + "string":
                definition["@type"] = shorten(kind)
        context[key] = definition
    return context


def _value(o, definition: dict):
    if isinstance(o, ox.NamedNode):
        return shorten(o.value) if definition.get("@type") == "@id" else {"@id": o.value}
    coerced = definition.get("@type")
    if o.language:
        return o.value if definition.get("@language") == o.language else {"@value": o.value, "@language": o.language}
    dt = o.datatype.value
    if (coerced and coerced != "@id" and shorten(dt) == coerced) or (dt == XSD + "string" and not coerced
                                                                      and "@language" not in definition):
        return o.value
    return {"@value": o.value, "@type": dt}


def write_jsonld(kg: "KnowledgeGraph", out: IO[bytes]) -> None:
    """Stream the graph as compact JSON-LD: an inline @context, then one node object per
    subject in the canonical store's order (grouped by subject), so memory stays flat."""
    context = jsonld_context(kg)
    keys = {d["@id"]: k for k, d in context.items() if isinstance(d, dict)}
    out.write(b'{\n "@context": ')
    out.write(json.dumps(context, indent=1, ensure_ascii=False).replace("\n", "\n ").encode("utf-8"))
    out.write(b',\n "@graph": [')
    first = True

    def flush(subject, triples) -> None:
        nonlocal first
        node: dict = {"id": shorten(subject.value)}
        for t in sorted(triples, key=lambda t: (str(t.predicate), str(t.object))):
            if t.predicate.value == RDF + "type":
                node.setdefault("type", []).append(shorten(t.object.value))
                continue
            key = keys[shorten(t.predicate.value)]
            node.setdefault(key, []).append(_value(t.object, context[key]))
        out.write((b"\n  " if first else b",\n  ") + json.dumps(node, ensure_ascii=False).encode("utf-8"))
        first = False

    current, batch = None, []
    for q in kg.canonical_store().quads_for_pattern(None, None, None, ox.DefaultGraph()):
        if q.subject != current:
            if current is not None:
                flush(current, batch)
            current, batch = q.subject, []
        batch.append(q)
    if current is not None:
        flush(current, batch)
    out.write(b"\n ]\n}\n")


# -- entry point -----------------------------------------------------------------------------

def export(kg: "KnowledgeGraph", fmt: str | None, dest: str | Path | None) -> list[Path]:
    """Write the graph in a format to ``dest`` (a path, or ``-``/None for standard output).
    Returns the files written."""
    target = None if dest in (None, "-") else str(dest)
    f = resolve_format(fmt, target)
    if f.name == "csv":  # two files, so neither standard output nor one atomic write
        if target is None:
            raise ExportError("the csv format writes two files (nodes and edges); pass --output NAME.csv")
        from .graphs import write_csv_pair

        return write_csv_pair(kg, Path(target))
    writer = _writer(f)
    if target is None:
        buffer = sys.stdout.buffer
        writer(kg, buffer)
        buffer.flush()
        return []
    path = Path(target)
    try:
        with atomic_output(path) as handle:
            writer(kg, handle)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    return [path]


def _writer(f: Format) -> Callable[["KnowledgeGraph", IO[bytes]], None]:
    if f.name in ("graphml", "gexf", "dot"):
        from . import graphs

        return getattr(graphs, "write_" + f.name)
    if f.name == "html":
        from .ontodoc import write_html

        return write_html
    if f.name == "jsonld-context":
        return lambda kg, out: out.write(json.dumps({"@context": jsonld_context(kg)},
                                                    indent=1, ensure_ascii=False).encode("utf-8") + b"\n")
    return lambda kg, out: write_rdf(kg, f, out)


__all__ = ["FORMATS", "export", "resolve_format", "write_jsonld"]
