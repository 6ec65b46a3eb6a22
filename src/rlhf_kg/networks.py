"""networkx projections of the graph: the career view (roles joined by documented
transitions), the methods view (lineage and timeline) and the field view (every thing and
every link between things). Each is read with a few SPARQL queries, so it works on every
store, remote endpoints included."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from .errors import RlhfKgError
from .namespaces import ONTOLOGY, PROV, THING, shorten, thing_id

if TYPE_CHECKING:
    from .kg import KnowledgeGraph

VIEWS = ("career", "methods", "field")

_R = ONTOLOGY
_KINDS = f"""
  ?s a ?class .
  FILTER (STRSTARTS(STR(?s), "{THING}") && STRSTARTS(STR(?class), "{_R}"))
"""


def _rows(kg: "KnowledgeGraph", text: str) -> list[dict]:
    return kg.store.query(text).to_dicts()


def _local(iri: str | None) -> str | None:
    if iri is None:
        return None
    return thing_id(iri) or iri.replace("#", "/").rsplit("/", 1)[-1]


def _kinds(kg: "KnowledgeGraph") -> dict[str, str]:
    """The most specific of each thing's classes in the ontology namespace."""
    rows = _rows(kg, f"""SELECT ?s ?class WHERE {{ {_KINDS}
        FILTER NOT EXISTS {{ ?s a ?sub . ?sub <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?class .
                             FILTER (?sub != ?class) }} }}""")
    kinds: dict[str, str] = {}
    for r in sorted(rows, key=lambda r: (r["s"], r["class"])):
        kinds.setdefault(r["s"], _local(r["class"]))
    return kinds


def field_view(kg: "KnowledgeGraph") -> nx.MultiDiGraph:
    """Every minted thing as a node (label, kind, IRI) and every link between two things as an
    edge (its predicate), provenance links left out so the picture is about the field."""
    g = nx.MultiDiGraph(view="field")
    labels = kg.labels()
    kinds = _kinds(kg)
    for iri in sorted(kinds):
        g.add_node(thing_id(iri), label=labels.get(iri, thing_id(iri)), kind=kinds[iri], iri=iri)
    rows = _rows(kg, f"""SELECT ?s ?p ?o WHERE {{ ?s ?p ?o .
        FILTER (isIRI(?o) && STRSTARTS(STR(?s), "{THING}") && STRSTARTS(STR(?o), "{THING}"))
        FILTER (?p NOT IN (<{PROV}wasDerivedFrom>, <{PROV}hadPrimarySource>)) }}""")
    for r in sorted(rows, key=lambda r: (r["s"], r["p"], r["o"])):
        s, o = thing_id(r["s"]), thing_id(r["o"])
        if s in g and o in g:
            g.add_edge(s, o, key=shorten(r["p"]), relation=_local(r["p"]), predicate=r["p"])
    return g


def methods_view(kg: "KnowledgeGraph") -> nx.DiGraph:
    """Methods and families as nodes (year, kind, paper); extends, variant-of, family and
    partly-replaces links as edges."""
    g = nx.DiGraph(view="methods")
    labels = kg.labels()
    kinds = _kinds(kg)
    rows = _rows(kg, f"""SELECT ?m ?year ?paper ?cited WHERE {{
        ?m a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{_R}Method> .
        OPTIONAL {{ ?m <{_R}yearIntroduced> ?year }}
        OPTIONAL {{ ?m <{_R}introducedIn> ?paper . ?paper <{_R}citedAs> ?cited }} }}""")
    for r in sorted(rows, key=lambda r: r["m"]):
        node = thing_id(r["m"])
        g.add_node(node, label=labels.get(r["m"], node), kind=kinds.get(r["m"], "Method"), iri=r["m"],
                   year=r["year"], paper=thing_id(r["paper"]) if r["paper"] else None, cited_as=r["cited"])
    relations = ("extends", "variantOf", "memberOfFamily", "partiallyReplaces")
    values = " ".join(f"<{_R}{rel}>" for rel in relations)
    for r in sorted(_rows(kg, f"SELECT ?a ?p ?b WHERE {{ VALUES ?p {{ {values} }} ?a ?p ?b }}"),
                    key=lambda r: (r["a"], r["p"], r["b"])):
        a, b = thing_id(r["a"]), thing_id(r["b"])
        if a in g and b in g:
            g.add_edge(a, b, relation=_local(r["p"]))
    for r in _rows(kg, f"""SELECT ?pipeline ?stage ?pos WHERE {{
            ?pipeline <{_R}hasStage> ?step . ?step <{_R}position> ?pos ; <{_R}stepTarget> ?stage }}"""):
        a, b = thing_id(r["pipeline"]), thing_id(r["stage"])
        if a in g and b in g:
            g.add_edge(a, b, relation=f"stage {r['pos']}")
    return g


def values_clause(var: str, ids) -> str:
    """A VALUES block restricting ``?var`` to some things, or nothing for no restriction."""
    if ids is None:
        return ""
    return f"VALUES ?{var} {{ {' '.join(f'<{THING}{i}>' for i in sorted(ids))} }} "


def transition_graph(kg: "KnowledgeGraph") -> dict[str, set[str]]:
    """The bare career graph for path search, from one query: for each role, the roles a
    documented move leads to. Plain dicts, not networkx (building a networkx graph of every
    move cost more than the query itself on a large graph), and no frequencies: the search
    does not need them, and the moves on the paths found are read in detail afterwards."""
    adjacency: dict[str, set[str]] = {}
    n = len(THING)
    for a, b in kg.store.query(f"SELECT ?from ?to WHERE {{ ?t <{_R}fromRole> ?from ; <{_R}toRole> ?to }}").rows:
        adjacency.setdefault(a.value[n:], set()).add(b.value[n:])
    return adjacency


def career_view(kg: "KnowledgeGraph", only=None) -> nx.MultiDiGraph:
    """Roles as nodes (specialisation, level, employer type, skills, pay); each documented
    transition as a directed edge (frequency and its rank, duration range, skills to build,
    sources, and the routes it is a step of). With ``only`` (role ids), just those roles, their
    broader roles and the transitions among them: what the planner needs for a few paths."""
    g = nx.MultiDiGraph(view="career")
    if only is not None:
        ancestors = _rows(kg, f"SELECT ?a WHERE {{ {values_clause('r', only)} ?r <{_R}broaderRole>* ?a }}")
        only = set(only) | {thing_id(r["a"]) for r in ancestors}
        labels = {s.value: l.value for s, l in kg.store.query(  # the roles and the moves from them
            f"SELECT ?s ?l WHERE {{ {{ {values_clause('s', only)} }} UNION {{ {values_clause('r', only)} ?s <{_R}fromRole> ?r }} "
            f"?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}").rows}
    else:
        labels = kg.labels()
    restrict = values_clause("role", only)
    roles = _rows(kg, f"""SELECT ?role ?spec ?level ?employer ?broader WHERE {{ {restrict}
        ?role a <{_R}Role> .
        OPTIONAL {{ ?role <{_R}specialisation> ?spec }}
        OPTIONAL {{ ?role <{_R}level> ?level }}
        OPTIONAL {{ ?role <{_R}employerType> ?employer }}
        OPTIONAL {{ ?role <{_R}broaderRole> ?broader }} }}""")
    for r in sorted(roles, key=lambda r: r["role"]):
        node = thing_id(r["role"])
        g.add_node(node, label=labels.get(r["role"], node), kind="Role", iri=r["role"],
                   specialisation=_local(r["spec"]), level=_local(r["level"]),
                   employer_type=_local(r["employer"]), broader=_local(r["broader"]),
                   skills=[], essential=[], pay_min=None, pay_max=None, pay_open=False, pay_band=None)
    for r in _rows(kg, f"""SELECT ?role ?skill ?need WHERE {{ {restrict}
            ?role <{_R}broaderRole>* ?held .
            {{ ?held <{_R}requiresEssentialSkill> ?skill BIND("essential" AS ?need) }} UNION
            {{ ?held <{_R}requiresOptionalSkill> ?skill BIND("optional" AS ?need) }} }}"""):
        node = g.nodes.get(thing_id(r["role"]))
        if node is not None and _local(r["skill"]) not in node["skills"]:
            node["skills"].append(_local(r["skill"]))
        if node is not None and r["need"] == "essential" and _local(r["skill"]) not in node["essential"]:
            node["essential"].append(_local(r["skill"]))
    for data in g.nodes.values():
        data["skills"].sort()
        data["essential"].sort()
    _attach_pay(kg, g, restrict)
    _attach_transitions(kg, g, labels, only)
    return g


def _attach_pay(kg: "KnowledgeGraph", g: nx.MultiDiGraph, restrict: str = "") -> None:
    """Total compensation per role: its own band where it has one, else the span of the
    bands of its narrower roles (an RLHF engineer at a frontier lab spans L4 to L6)."""
    rows = _rows(kg, f"""SELECT ?band ?bandRole ?role ?min ?max ?open WHERE {{ {restrict}
        ?band <{_R}forRole> ?bandRole ; <{_R}payComponent> <{_R}TotalCompensation> ;
              <https://schema.org/minValue> ?min ; <https://schema.org/maxValue> ?max .
        ?bandRole <{_R}broaderRole>* ?role .
        OPTIONAL {{ ?band <{_R}openUpperEnd> ?open }} }}""")
    by_role: dict[str, list[dict]] = {}
    for r in rows:
        by_role.setdefault(thing_id(r["role"]), []).append(r)
    for role, bands in by_role.items():
        node = g.nodes.get(role)
        if node is None:
            continue
        own = [b for b in bands if b["bandRole"] == b["role"]]
        chosen = own or bands
        node["pay_min"] = min(b["min"] for b in chosen)
        node["pay_max"] = max(b["max"] for b in chosen)
        top = [b for b in chosen if b["max"] == node["pay_max"]]
        node["pay_open"] = any(bool(b["open"]) for b in top)
        node["pay_band"] = ", ".join(sorted(thing_id(b["band"]) for b in chosen))


def _attach_transitions(kg: "KnowledgeGraph", g: nx.MultiDiGraph, labels: dict[str, str], only=None) -> None:
    moves = _rows(kg, f"""SELECT ?t ?from ?to ?freq ?rank ?min ?max ?period WHERE {{ {values_clause("from", only)}
        ?t a <{_R}Transition> ; <{_R}fromRole> ?from ; <{_R}toRole> ?to ; <{_R}frequency> ?f .
        ?f <http://www.w3.org/2004/02/skos/core#prefLabel> ?freq ; <{_R}rank> ?rank .
        OPTIONAL {{ ?t <{_R}minDurationMonths> ?min }}
        OPTIONAL {{ ?t <{_R}maxDurationMonths> ?max }}
        OPTIONAL {{ ?t <{_R}period> ?period }} }}""")
    extras: dict[str, dict[str, list]] = {}
    wanted = None if only is None else {thing_id(r["t"]) for r in moves if thing_id(r["to"]) in only}
    only_t = values_clause("t", wanted)  # inside each branch: a VALUES outside a UNION is joined after it
    for r in _rows(kg, f"""SELECT ?t ?what ?x WHERE {{
            {{ {only_t} ?t a <{_R}Transition> ; <{_R}skillToBuild> ?x BIND("build" AS ?what) }} UNION
            {{ {only_t} ?t a <{_R}Transition> ; <{PROV}wasDerivedFrom> ?x BIND("source" AS ?what) }} UNION
            {{ {only_t} ?t a <{_R}Transition> ; <{_R}resource> ?x BIND("resource" AS ?what) }} UNION
            {{ {only_t} ?step <{_R}stepTarget> ?t . ?x <{_R}hasStep> ?step BIND("route" AS ?what) }} }}"""):
        extras.setdefault(r["t"], {}).setdefault(r["what"], []).append(_local(r["x"]))
    for r in sorted(moves, key=lambda r: r["t"]):
        a, b = thing_id(r["from"]), thing_id(r["to"])
        if a not in g or b not in g:
            continue
        more = extras.get(r["t"], {})
        g.add_edge(a, b, key=thing_id(r["t"]), transition=thing_id(r["t"]),
                   label=labels.get(r["t"], thing_id(r["t"])), frequency=r["freq"], rank=r["rank"],
                   min_months=r["min"], max_months=r["max"], period=r["period"],
                   skills_to_build=sorted(set(more.get("build", []))), sources=sorted(set(more.get("source", []))),
                   resources=sorted(set(more.get("resource", []))), routes=sorted(set(more.get("route", []))))


def routes(kg: "KnowledgeGraph", transitions=None) -> list[dict]:
    """The documented multi-step routes: steps (transition ids in order), duration, sources.
    With ``transitions``, only the routes that have one of them as a step."""
    wanted = None
    if transitions is not None:
        wanted = {thing_id(r["route"]) for r in _rows(kg, f"""SELECT DISTINCT ?route WHERE {{
            {values_clause("any", transitions)} ?step <{_R}stepTarget> ?any . ?route <{_R}hasStep> ?step }}""")}
        if not wanted:
            return []
    rows = _rows(kg, f"""SELECT ?route ?pos ?t ?min ?max ?freq ?src WHERE {{ {values_clause("route", wanted)}
        ?route a <{_R}CareerRoute> ; <{_R}hasStep> ?step ;
               <{_R}frequency>/<http://www.w3.org/2004/02/skos/core#prefLabel> ?freq ; <{PROV}wasDerivedFrom> ?src .
        ?step <{_R}position> ?pos ; <{_R}stepTarget> ?t .
        OPTIONAL {{ ?route <{_R}minDurationMonths> ?min }}
        OPTIONAL {{ ?route <{_R}maxDurationMonths> ?max }} }}""")
    found: dict[str, dict] = {}
    for r in rows:
        route = found.setdefault(thing_id(r["route"]), {"id": thing_id(r["route"]), "steps": {}, "min_months": r["min"],
                                                       "max_months": r["max"], "frequency": r["freq"], "sources": set()})
        route["steps"][r["pos"]] = thing_id(r["t"])
        route["sources"].add(thing_id(r["src"]))
    out = []
    for route in sorted(found.values(), key=lambda x: x["id"]):
        route["steps"] = [route["steps"][k] for k in sorted(route["steps"])]
        route["sources"] = sorted(route["sources"])
        out.append(route)
    return out


def to_networkx(kg: "KnowledgeGraph", view: str = "field") -> nx.Graph:
    """The named view as a networkx graph."""
    builders = {"career": career_view, "methods": methods_view, "field": field_view}
    if view not in builders:
        raise RlhfKgError(f"unknown view '{view}'; expected one of: {', '.join(VIEWS)}")
    return builders[view](kg)


__all__ = ["to_networkx", "career_view", "transition_graph", "methods_view", "field_view", "routes", "VIEWS"]
