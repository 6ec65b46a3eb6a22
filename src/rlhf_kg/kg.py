"""The one object that owns the graph. The CLI, the server and the tests all go through it."""

from __future__ import annotations

import os
from pathlib import Path

TYPE_CHECKING = False  # typing costs the CLI's start-up; annotations are never evaluated
if TYPE_CHECKING:
    from typing import Any, Iterator

import pyoxigraph as ox

from . import paths
from .errors import QueryError
from .namespaces import ONTOLOGY, PREFIXES, PROV, SKOS, thing_id, thing_iri
from .queries import (NamedQuery, bind_values, candidates_query, literal_term, load_catalogue)
from .results import QueryResult, term_text
from .store import (DEFAULT_STORE, EndpointStore, Store, check_read_only, sorted_nquads, open_store,
                    run_with_timeout)

INFERRED_GRAPH = "https://w3id.org/rlhf-kg/graph/inferred"
STORE_ENV = "RLHF_KG_STORE"
ENDPOINT_ENV = "RLHF_KG_ENDPOINT"


def compile_files(data_dir: Path, ontology_dir: Path) -> tuple[bytes, bytes]:
    """Compile YAML + ontology into sorted N-Triples and sorted N-Quads (facts placed in the
    named graph of their primary source)."""
    from .build import compile_graph
    from .store import _to_ox

    built = compile_graph(data_dir, ontology_dir)
    quads = [ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), _to_ox(g)) for s, p, o, g in built.quads]
    triples = sorted_nquads(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    return triples, sorted_nquads(quads)


INFERENCE = ("rdfs", "owlrl")


def infer_ntriples(ntriples: bytes, regime: str) -> bytes:
    """Add the entailments of an inference regime (RDFS, or OWL 2 RL) with owlrl."""
    import owlrl
    from rdflib import Graph, Literal

    from .store import _to_ox

    if regime not in INFERENCE:
        raise QueryError(f"unknown inference regime '{regime}'; expected one of: {', '.join(INFERENCE)}")
    g = Graph(bind_namespaces="none")
    g.parse(data=ntriples, format="nt")
    semantics = owlrl.RDFS_Semantics if regime == "rdfs" else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    return sorted_nquads(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), ox.DefaultGraph())
                       for s, p, o in g if not isinstance(s, Literal) and not isinstance(p, Literal))


def graph_file(data_dir: Path, ontology_dir: Path, suffix: str = ".nt", cache: bool = True,
               infer: str | None = None) -> "bytes | Path":
    """The compiled graph as N-Triples (``.nt``) or N-Quads (``.nq``): the path of the cached
    file when the inputs are unchanged (stores then load it without holding it in Python),
    else the bytes. Compiling refreshes both cache files; ``infer`` adds entailments to the
    N-Triples (cached apart)."""
    from .cache import cached_path, fingerprint, write_cached

    key = fingerprint(data_dir, ontology_dir) if cache else None
    wanted = f".{infer}{suffix}" if infer and suffix == ".nt" else suffix
    cached = cached_path(key, wanted) if key else None
    if cached is not None:
        return cached
    triples, quads = compile_files(data_dir, ontology_dir)
    files = {".nt": triples, ".nq": quads}
    if wanted not in files:
        files[wanted] = infer_ntriples(triples, infer)
    if key:
        written = {name: write_cached(key, name, data) for name, data in files.items()}
        if written[wanted] is not None:
            return written[wanted]
    return files[wanted]


class Fact:
    """One fact about a thing, for ``describe``: direction, predicate, the other end, sources."""

    __slots__ = ("direction", "predicate", "value", "sources")

    def __init__(self, direction: str, predicate: str, value: Any, sources: list[str]):
        self.direction = direction  # "out" or "in"
        self.predicate, self.value, self.sources = predicate, value, sources


class KnowledgeGraph:
    """The RLHF field graph in a store, with named questions, SPARQL, exports and views."""

    def __init__(self, store: Store, data_dir: Path | None = None, ontology_dir: Path | None = None,
                 queries_dir: Path | None = None):
        self.store = store
        self.data_dir = data_dir or paths.data_dir()
        self.ontology_dir = ontology_dir or paths.ontology_dir()
        self.queries_dir = queries_dir or paths.queries_dir()
        self._candidates: dict[str, list[tuple[str, str]]] = {}
        self._labels: dict[str, str] | None = None
        self._cache = True
        self.infer: str | None = None
        self.is_subset = False
        self._sorted_ntriples: bytes | Path | None = None

    @classmethod
    def load(cls, data_dir: Path | str | None = None, ontology_dir: Path | str | None = None, *,
             store: str | None = None, endpoint: str | None = None, cache: bool = True,
             queries_dir: Path | str | None = None, infer: str | None = None) -> "KnowledgeGraph":
        """Build (or reuse the cached build of) the graph and put it in a store.

        ``store`` is "oxigraph" (default, or ``$RLHF_KG_STORE``) or "memory"; ``endpoint`` (or
        ``$RLHF_KG_ENDPOINT``) uses a remote SPARQL endpoint that already holds the graph;
        ``infer`` ("rdfs" or "owlrl") adds entailments, so a question about a broad class
        also finds the members of its subclasses."""
        data = Path(data_dir) if data_dir else paths.data_dir()
        onto = Path(ontology_dir) if ontology_dir else paths.ontology_dir()
        qdir = Path(queries_dir) if queries_dir else paths.queries_dir()
        endpoint = endpoint or (os.environ.get(ENDPOINT_ENV) if not store else None)
        name = "endpoint" if endpoint else (store or os.environ.get(STORE_ENV) or DEFAULT_STORE)
        if name == "endpoint":
            if infer:
                raise QueryError("--infer works on the embedded stores; a remote endpoint does its own inference")
            return cls(open_store(name, endpoint=endpoint), data, onto, qdir)
        if name not in ("oxigraph", "memory"):
            open_store(name)  # raises the error that names the valid stores
        ntriples = graph_file(data, onto, ".nt", cache, infer)
        kg = cls(open_store(name, ntriples), data, onto, qdir)
        kg._cache = cache
        kg.infer = infer
        kg._sorted_ntriples = ntriples
        return kg

    # -- SPARQL ----------------------------------------------------------------------------

    def sparql(self, text: str, timeout: float | None = None) -> QueryResult:
        """Run a read-only SPARQL query (the project's prefixes are predeclared)."""
        check_read_only(text)
        result = run_with_timeout(self.store, text, timeout, PREFIXES)
        result.label_source = self.labels
        return result

    def labels(self) -> dict[str, str]:
        """Preferred label of every labelled IRI (for tables meant for people)."""
        if self._labels is None:
            # Preferred labels win over rdfs:label; source parts read best as their short ids.
            rows = self.store.query(
                f"SELECT ?s ?l ?pref WHERE {{ {{ ?s <{SKOS}prefLabel> ?l BIND(1 AS ?pref) }} UNION "
                f"{{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l BIND(0 AS ?pref) }} "
                f"FILTER NOT EXISTS {{ ?s a <{ONTOLOGY}SourcePart> }} }}").rows
            labels: dict[str, str] = {}
            for s, l, pref in sorted(rows, key=lambda r: (r[2].value, r[1].value)):
                if isinstance(s, ox.NamedNode):
                    labels[s.value] = l.value
            self._labels = labels
        return self._labels

    # -- named questions -------------------------------------------------------------------

    def named_queries(self) -> dict[str, NamedQuery]:
        """The named questions, by name."""
        return load_catalogue(self.queries_dir)

    def named_query(self, name: str) -> NamedQuery:
        catalogue = self.named_queries()
        if name not in catalogue:
            from difflib import get_close_matches

            near = get_close_matches(name, catalogue, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise QueryError(f"unknown query '{name}'{hint} (run 'rlhf-kg queries' to list them: "
                             f"{', '.join(catalogue)})")
        return catalogue[name]

    def candidates(self, type_name: str) -> list[tuple[str, str]]:
        """(IRI, label) of every thing a parameter of this type can name."""
        if type_name not in self._candidates:
            rows = self.store.query(candidates_query(type_name)).rows
            self._candidates[type_name] = sorted({(s.value, l.value) for s, l in rows})
        return self._candidates[type_name]

    def resolve(self, type_name: str, value: str, param: str = "value") -> str:
        """The IRI a parameter value names: an id, a full IRI or a label (case-insensitive)."""
        options = self.candidates(type_name)
        iris = {iri for iri, _ in options}
        wanted = value.strip()
        for form in (wanted, thing_iri(wanted), ONTOLOGY + wanted):
            if form in iris:
                return form
        folded = wanted.casefold()
        matches = sorted({iri for iri, label in options if label.casefold() == folded})
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise QueryError(f"'{value}' names several things for '{param}': "
                             + ", ".join(thing_id(m) or m for m in matches) + "; use an id")
        valid = sorted({thing_id(iri) or iri.rsplit("#", 1)[-1] for iri in iris})
        from difflib import get_close_matches

        labels = {label for _, label in options}
        near = get_close_matches(wanted, valid + sorted(labels), n=1, cutoff=0.5)
        hint = f" Did you mean '{near[0]}'?" if near else ""
        raise QueryError(f"no {type_name} matches '{value}' for parameter '{param}'.{hint} "
                         f"Valid ids: {', '.join(valid)}")

    def bindings(self, named: NamedQuery, params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """Check parameters against a named question and turn them into RDF terms: (required
        bindings, optional bindings)."""
        for key in params:
            named.parameter(key)
        required: dict[str, Any] = {}
        optional: dict[str, Any] = {}
        for p in named.parameters:
            value = params.get(p.name)
            if value is None or value == "":
                value = p.default
            if value is None:
                if p.required:
                    raise QueryError(f"query '{named.name}' needs parameter '{p.name}': {p.description} "
                                     f"(pass -p {p.name} VALUE)")
                continue
            term = literal_term(p, str(value)) if p.is_literal else ox.NamedNode(
                self.resolve(p.type, str(value), p.name))
            (required if p.required else optional)[p.name] = term
        return required, optional

    def query_text(self, name: str, **params: Any) -> str:
        """The SPARQL a named question runs with these parameters bound."""
        named = self.named_query(name)
        return bind_values(named.text, *self.bindings(named, params))

    def query(self, name: str, timeout: float | None = None, **params: Any) -> QueryResult:
        """Answer a named question: ``kg.query("compensation", level="L5")``."""
        result = run_with_timeout(self.store, self.query_text(name, **params), timeout)
        result.label_source = self.labels
        return result

    # -- things ----------------------------------------------------------------------------

    def exists(self, thing: str) -> bool:
        """Whether anything is said of (or points at) a thing, by id."""
        try:
            node = str(ox.NamedNode(thing_iri(thing)))  # refuses anything that is not an IRI
        except ValueError:
            return False
        return bool(self.store.query(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}"))

    def describe(self, thing: str) -> tuple[dict[str, Any], list[Fact]]:
        """Everything known about one thing: a header (id, IRI, label, types, sources) and its
        facts, outgoing and incoming, each with the sources it rests on."""
        iri = self.resolve("Thing", thing, "id") if not thing.startswith("http") else thing
        labels = self.labels()
        try:
            node = str(ox.NamedNode(iri))
        except ValueError:
            raise QueryError(f"'{thing}' is not an id or an IRI") from None
        derived = PROV + "wasDerivedFrom"
        outgoing = [(p, o) for p, o in self.store.query(f"SELECT ?p ?o WHERE {{ {node} ?p ?o }}").rows
                    if p.value != derived]
        incoming = [(s, p) for s, p in self.store.query(f"SELECT ?s ?p WHERE {{ ?s ?p {node} }}").rows
                    if p.value != derived]
        # the sources of this thing and of the things pointing at it, and of nothing else
        about = " ".join(sorted({node} | {str(s) for s, _ in incoming if isinstance(s, ox.NamedNode)}))
        sources_of: dict[str, list[str]] = {}
        for s, src in self.store.query(f"SELECT ?s ?src WHERE {{ VALUES ?s {{ {about} }} ?s <{derived}> ?src }}").rows:
            sources_of.setdefault(s.value, []).append(thing_id(src.value) or src.value)
        facts = [Fact("out", p.value, o, sorted(sources_of.get(iri, []))) for p, o in outgoing]
        facts += [Fact("in", p.value, s, sorted(sources_of.get(s.value, []))) for s, p in incoming]
        facts.sort(key=lambda f: (f.direction != "out", f.predicate, term_text(f.value, labels)))
        types = sorted(f.value.value for f in facts if f.direction == "out" and f.predicate.endswith("#type"))
        header = {"id": thing_id(iri) or iri, "iri": iri, "label": labels.get(iri, thing_id(iri) or iri),
                  "types": types, "sources": sorted(sources_of.get(iri, []))}
        return header, facts

    # -- whole graph -----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.store)

    def class_counts(self) -> dict[str, int]:
        """How many things of each of the ontology's classes the data holds (direct types)."""
        rows = self.store.query(
            f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c . FILTER(STRSTARTS(STR(?c), \"{ONTOLOGY}\")) "
            f"FILTER(STRSTARTS(STR(?s), \"https://w3id.org/rlhf-kg/id/\")) }} GROUP BY ?c ORDER BY ?c").rows
        return {c.value[len(ONTOLOGY):]: int(n.value) for c, n in rows}

    def canonical_triples(self) -> Iterator[ox.Triple]:
        """Every triple, sorted by subject, predicate and object: the order every export
        uses, so files are byte-stable whatever the store. Streams from the compiled
        N-Triples where the store was loaded from them."""
        if isinstance(self._sorted_ntriples, Path):
            return iter(ox.parse(path=str(self._sorted_ntriples), format=ox.RdfFormat.N_TRIPLES))
        if self._sorted_ntriples is not None:
            return iter(ox.parse(self._sorted_ntriples, format=ox.RdfFormat.N_TRIPLES))
        return iter(sorted(self.store.triples(), key=str))

    def canonical_store(self) -> ox.Store:
        """A pyoxigraph store holding every triple, inserted in canonical (sorted) order.

        pyoxigraph iterates a store in an order fixed by the order of insertion (tested in
        test_export.py), so dumping a store filled in sorted order gives byte-identical files
        whatever the store, hash seed or run, at pyoxigraph's own speed. The embedded store
        was loaded from the sorted cache file, so it is used as it is."""
        from .store import OxigraphStore

        if isinstance(self.store, OxigraphStore) and self._sorted_ntriples is not None:
            return self.store.store
        store = ox.Store()
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in self.canonical_triples())
        return store

    def canonical_dataset(self) -> ox.Store:
        """Like canonical_store, with every fact in its provenance named graph (graph by
        graph, sorted); entailments added by --infer in a graph of their own. A remote graph or
        a subset has no provenance graphs, so its facts are in the default graph."""
        nquads = self.provenance_nquads()
        if nquads is None:
            return self.canonical_store()
        source = {"path": str(nquads)} if isinstance(nquads, Path) else {"input": nquads}
        store = ox.Store()
        store.load(format=ox.RdfFormat.N_QUADS, **source)
        if self.infer:
            graph = ox.NamedNode(INFERRED_GRAPH)
            inferred = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in self.canonical_triples()
                        if not any(True for _ in store.quads_for_pattern(t.subject, t.predicate, t.object))]
            store.extend(inferred)
        return store

    def provenance_nquads(self) -> "bytes | Path | None":
        """The compiled graph as N-Quads with one named graph per source part (a cached file's
        path, or bytes), or None for a remote graph or a subset, which have no provenance graphs."""
        if self.is_remote or self.is_subset:
            return None
        return graph_file(self.data_dir, self.ontology_dir, ".nq", self._cache)

    def export(self, fmt: str | None = "turtle", dest: str | Path | None = None) -> list[Path]:
        """Write the graph in a format (turtle, ntriples, nquads, trig, jsonld, rdfxml, graphml,
        gexf, dot, csv, html) to a path, or to standard output for ``-``/None."""
        from .export import export

        return export(self, fmt, dest)

    def rdflib_graph(self):
        """The graph as an rdflib Graph (for validation and rdflib-based serialisers)."""
        from rdflib import Graph

        from .build import bind_prefixes
        from .store import MemoryStore, _from_ox

        if isinstance(self.store, MemoryStore):
            return self.store.graph
        g = Graph(bind_namespaces="none")
        bind_prefixes(g)
        for t in self.store.triples():
            g.add((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)))
        return g

    def subgraph(self, construct: str | None = None, around: str | None = None, depth: int = 1,
                 **params: Any) -> "KnowledgeGraph":
        """A new graph holding part of this one: the triples a named CONSTRUCT question
        returns, or everything within ``depth`` links of one thing (either direction)."""
        from .store import OxigraphStore

        if construct:
            result = self.query(construct, **params)
            if result.kind != "graph":
                raise QueryError(f"query '{construct}' is not a CONSTRUCT question; subsets need one "
                                 f"(e.g. {', '.join(n for n, q in self.named_queries().items() if q.is_construct)})")
            triples = result.triples
        elif around:
            triples = self._neighbourhood(around, depth)
        else:
            raise QueryError("a subgraph needs a CONSTRUCT question or a thing to centre on")
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        part = KnowledgeGraph(OxigraphStore(store), self.data_dir, self.ontology_dir, self.queries_dir)
        part.is_subset = True
        return part

    def _neighbourhood(self, thing: str, depth: int) -> list:
        if depth < 0:
            raise QueryError(f"--depth must be 0 or more, got {depth}")
        start = self.resolve("Thing", thing, "around")
        seen, frontier, triples = {start}, [start], set()
        for _ in range(depth + 1):
            next_frontier = []
            for iri in frontier:
                node = str(ox.NamedNode(iri))
                for p, o in self.store.query(f"SELECT ?p ?o WHERE {{ {node} ?p ?o }}").rows:
                    triples.add(ox.Triple(ox.NamedNode(iri), p, o))
                    if isinstance(o, ox.NamedNode) and o.value not in seen and thing_id(o.value):
                        seen.add(o.value)
                        next_frontier.append(o.value)
                for s_, p in self.store.query(f"SELECT ?s ?p WHERE {{ ?s ?p {node} }}").rows:
                    triples.add(ox.Triple(s_, p, ox.NamedNode(iri)))
                    if s_.value not in seen and thing_id(s_.value):
                        seen.add(s_.value)
                        next_frontier.append(s_.value)
            frontier = next_frontier
        return sorted(triples, key=str)

    def to_networkx(self, view: str = "field"):
        """A networkx projection: "career" (roles and transitions), "methods" (lineage and
        timeline) or "field" (every thing and every link between things)."""
        from .networks import to_networkx

        return to_networkx(self, view)

    @property
    def is_remote(self) -> bool:
        return isinstance(self.store, EndpointStore)

    def label_of(self, iri: str) -> str:
        return self.labels().get(iri, thing_id(iri) or iri)


__all__ = ["KnowledgeGraph", "Fact", "graph_file", "compile_files"]
