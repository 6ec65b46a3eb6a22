"""A self-contained HTML page documenting the ontology — classes, properties, individuals
and the SHACL shapes that constrain them — for people who will never open Turtle. No
scripts, no external styles: it opens from disk anywhere."""

from __future__ import annotations

import html
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox

from .namespaces import ONTOLOGY, ONTOLOGY_IRI, shorten

if TYPE_CHECKING:
    from .kg import KnowledgeGraph

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #4e79a7;padding-bottom:.2em;margin-top:2em}
h3{margin:1.4em 0 .3em;font-size:1.05em}code{background:#f3f3f3;padding:0 .25em;border-radius:3px}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em}th,td{border:1px solid #ddd;padding:.3em .5em;
text-align:left;vertical-align:top;font-size:.92em}th{background:#f6f8fa}.meta{color:#555}
nav a{margin-right:1em}.term{scroll-margin-top:1em}
"""


def _store(kg: "KnowledgeGraph") -> ox.Store:
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in kg.store.triples()
                      if t.subject.value.startswith((ONTOLOGY, ONTOLOGY_IRI)))
    shapes = kg.ontology_dir / "shapes.ttl"
    if shapes.exists():
        store.load(path=str(shapes), format=ox.RdfFormat.TURTLE)
    return store


def _select(store: ox.Store, text: str) -> list[dict]:
    solutions = store.query(text)
    names = [v.value for v in solutions.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in solutions]


def _link(iri: str | None) -> str:
    if not iri:
        return ""
    short = shorten(iri)
    if iri.startswith(ONTOLOGY):
        return f'<a href="#{html.escape(iri[len(ONTOLOGY):])}"><code>{html.escape(short)}</code></a>'
    return f"<code>{html.escape(short)}</code>"


_PREFIXES = ("PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX sh: <http://www.w3.org/ns/shacl#> "
             "PREFIX dct: <http://purl.org/dc/terms/> ")


def ontology_html(kg: "KnowledgeGraph") -> str:
    """The documentation page as a string."""
    store = _store(kg)
    header = _select(store, _PREFIXES + f"""SELECT ?title ?description ?version ?license WHERE {{
        <{ONTOLOGY_IRI}> dct:title ?title ; dct:description ?description ; owl:versionIRI ?version ;
        dct:license ?license }}""")
    meta = header[0] if header else {"title": "Ontology", "description": "", "version": "", "license": ""}
    classes = _select(store, _PREFIXES + """SELECT ?c ?label ?definition
        (GROUP_CONCAT(DISTINCT STR(?super); separator=" ") AS ?supers) WHERE {
        ?c a owl:Class ; rdfs:label ?label . OPTIONAL { ?c skos:definition ?definition }
        OPTIONAL { ?c rdfs:subClassOf ?super } } GROUP BY ?c ?label ?definition ORDER BY ?c""")
    properties = _select(store, _PREFIXES + """SELECT ?p ?type ?label ?definition ?domain ?range
        (GROUP_CONCAT(DISTINCT STR(?super); separator=" ") AS ?supers) WHERE {
        VALUES ?type { owl:ObjectProperty owl:DatatypeProperty } ?p a ?type ; rdfs:label ?label .
        OPTIONAL { ?p skos:definition ?definition } OPTIONAL { ?p rdfs:domain ?domain }
        OPTIONAL { ?p rdfs:range ?range } OPTIONAL { ?p rdfs:subPropertyOf ?super } }
        GROUP BY ?p ?type ?label ?definition ?domain ?range ORDER BY ?type ?p""")
    individuals = _select(store, _PREFIXES + f"""SELECT ?i ?class ?label ?definition WHERE {{
        ?i a ?class ; rdfs:label ?label . ?class a owl:Class .
        FILTER(STRSTARTS(STR(?i), "{ONTOLOGY}")) OPTIONAL {{ ?i skos:definition ?definition }} }} ORDER BY ?class ?i""")
    constraints = _select(store, _PREFIXES + """SELECT ?target ?shape ?path ?min ?max ?datatype ?class ?pattern ?message WHERE {
        ?shape sh:targetClass ?target ; sh:property ?ps . ?ps sh:path ?path .
        OPTIONAL { ?ps sh:minCount ?min } OPTIONAL { ?ps sh:maxCount ?max } OPTIONAL { ?ps sh:datatype ?datatype }
        OPTIONAL { ?ps sh:class ?class } OPTIONAL { ?ps sh:pattern ?pattern } OPTIONAL { ?ps sh:message ?message }
        } ORDER BY ?target ?path ?shape""")
    by_target: dict[str, list[dict]] = {}
    for c in constraints:
        by_target.setdefault(c["target"], []).append(c)

    out = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(meta['title'])}</title>",
           f"<style>{_CSS}</style></head><body>",
           f"<h1>{html.escape(meta['title'])}</h1>",
           f"<p>{html.escape(meta['description'])}</p>",
           f"<p class=\"meta\">Namespace <code>{ONTOLOGY}</code> (prefix <code>rlhf:</code>) · version "
           f"<code>{html.escape(meta['version'] or '')}</code> · licence <code>{html.escape(meta['license'] or '')}</code></p>",
           f"<nav><a href=\"#classes\">Classes ({len(classes)})</a><a href=\"#properties\">Properties "
           f"({len(properties)})</a><a href=\"#individuals\">Individuals ({len(individuals)})</a></nav>",
           "<h2 id=\"classes\">Classes</h2>"]
    for c in classes:
        local = c["c"].rsplit("#", 1)[-1]
        supers = ", ".join(_link(s) for s in sorted((c["supers"] or "").split()) if s)
        out.append(f"<div class=\"term\" id=\"{html.escape(local)}\"><h3>{html.escape(c['label'])} "
                   f"<code>rlhf:{html.escape(local)}</code></h3>")
        out.append(f"<p>{html.escape(c['definition'] or '')}</p>")
        if supers:
            out.append(f"<p class=\"meta\">Subclass of {supers}</p>")
        rows = by_target.get(c["c"], [])
        if rows:
            out.append("<table><tr><th>SHACL: property</th><th>count</th><th>value</th><th>message</th></tr>")
            for r in rows:
                count = f"{r['min'] or 0}..{r['max'] or '*'}"
                value = _link(r["class"]) or _link(r["datatype"]) or (
                    f"matches <code>{html.escape(r['pattern'])}</code>" if r["pattern"] else "")
                out.append(f"<tr><td>{_link(r['path'])}</td><td>{count}</td><td>{value}</td>"
                           f"<td>{html.escape(r['message'] or '')}</td></tr>")
            out.append("</table>")
        out.append("</div>")
    out.append("<h2 id=\"properties\">Properties</h2><table><tr><th>property</th><th>kind</th><th>domain</th>"
               "<th>range</th><th>definition</th></tr>")
    for p in properties:
        local = p["p"].rsplit("#", 1)[-1]
        kind = "object" if p["type"].endswith("ObjectProperty") else "datatype"
        supers = " ".join(_link(s) for s in sorted((p["supers"] or "").split()) if s)
        sub = f"<br><span class=\"meta\">sub-property of {supers}</span>" if supers else ""
        out.append(f"<tr class=\"term\" id=\"{html.escape(local)}\"><td><code>rlhf:{html.escape(local)}</code><br>"
                   f"{html.escape(p['label'])}</td><td>{kind}</td><td>{_link(p['domain'])}</td>"
                   f"<td>{_link(p['range'])}</td><td>{html.escape(p['definition'] or '')}{sub}</td></tr>")
    out.append("</table><h2 id=\"individuals\">Individuals</h2><table><tr><th>individual</th><th>class</th>"
               "<th>definition</th></tr>")
    for i in individuals:
        local = i["i"].rsplit("#", 1)[-1]
        out.append(f"<tr class=\"term\" id=\"{html.escape(local)}\"><td><code>rlhf:{html.escape(local)}</code> "
                   f"{html.escape(i['label'])}</td><td>{_link(i['class'])}</td>"
                   f"<td>{html.escape(i['definition'] or '')}</td></tr>")
    out.append("</table></body></html>")
    return "\n".join(out) + "\n"


def write_html(kg: "KnowledgeGraph", out: IO[bytes]) -> None:
    out.write(ontology_html(kg).encode("utf-8"))
