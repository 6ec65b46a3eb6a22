"""The SPARQL endpoint and web page: a Starlette application served by uvicorn.

Layers, so the endpoint can be mounted elsewhere: ``Endpoint`` (graph + worker pool +
limits) -> ``routes(endpoint)`` -> ``create_app(...)`` -> ``serve(...)`` for the CLI. Every
query runs in a worker process off the event loop, under a time limit and a row cap; the
server is read-only and never fetches anything."""

from __future__ import annotations

import html
import json
import os
import tempfile
import urllib.parse
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from .errors import QueryError, QueryRefused, QueryTimeout, RlhfKgError
from .loader import ID_PATTERN
from .namespaces import THING, sparql_prefixes, thing_id, thing_iri
from .negotiation import CONTENT_TYPES, GRAPH_TYPES, SELECT_TYPES, SUFFIXES, choose, wants_html
from .store import MAX_NESTING, check_read_only, nesting_depth, query_form
from .workers import GraphSource, WorkerPool, default_size

if TYPE_CHECKING:
    from .kg import KnowledgeGraph

MAX_BODY = 256 * 1024
MAX_QUERY = 100 * 1024
ASSETS = Path(__file__).parent / "assets"


@dataclass
class Limits:
    timeout: float = 10.0
    max_rows: int = 10_000


class Endpoint:
    """The graph behind the server: an in-process KnowledgeGraph for cheap, bounded lookups
    (labels, parameter resolution, pages about things) and a worker pool for every query."""

    def __init__(self, kg: "KnowledgeGraph", limits: Limits | None = None, workers: int | None = None):
        self.kg = kg
        self.limits = limits or Limits()
        self._tmp = None
        if kg.is_remote:
            source = GraphSource(store="endpoint", endpoint=kg.store.url)
        else:
            self._tmp = tempfile.NamedTemporaryFile(prefix="rlhf-kg-", suffix=".nt", delete=False)
            for t in kg.canonical_triples():
                self._tmp.write(f"{t} .\n".encode("utf-8"))
            self._tmp.close()
            source = GraphSource(store=kg.store.name, ntriples_path=self._tmp.name)
        self.pool = WorkerPool(source, size=workers or default_size(), reserved=1)
        self.triples = len(kg)

    def close(self) -> None:
        self.pool.close()
        if self._tmp is not None:
            try:
                os.unlink(self._tmp.name)
            except OSError:
                pass

    async def run(self, text: str, fmt: str, named: bool) -> Any:
        return await run_in_threadpool(self.pool.run, text, fmt, self.limits.max_rows, self.limits.timeout, named)


# -- responses -------------------------------------------------------------------------------

def error(status: int, message: str, headers: dict | None = None) -> Response:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers)


def _error_for(exc: RlhfKgError) -> Response:
    if isinstance(exc, QueryTimeout):
        return error(503, str(exc), {"Retry-After": "1"})
    if isinstance(exc, QueryRefused):
        return error(403, str(exc))
    return error(400, str(exc))


def _answer_response(answer, media: str | None, fmt: str) -> Response:
    kind = "graph" if answer.kind == "graph" else "select"
    content_type = CONTENT_TYPES[(kind, fmt)]
    headers = {"RLHF-KG-Rows": str(answer.rows), "Vary": "Accept"}
    if answer.truncated:
        headers["RLHF-KG-Truncated"] = "true; the answer was cut at the server's row cap"
    return Response(answer.body, media_type=content_type.split(";")[0], headers={
        **headers, "Content-Type": content_type})


def _negotiate(request: Request, kind: str, explicit: str | None = None) -> tuple[str, str] | None:
    offers = GRAPH_TYPES if kind == "graph" else SELECT_TYPES
    if explicit:
        fmt = SUFFIXES.get("." + explicit, explicit)
        for media, f in offers.items():
            if f == fmt:
                return media, f
        return None
    return choose(request.headers.get("accept"), offers)


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        raise _TooLarge()
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise _TooLarge()
    return body


class _TooLarge(Exception):
    pass


# -- /sparql ---------------------------------------------------------------------------------

def service_description(endpoint: Endpoint, url: str) -> str:
    formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
               "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]
    listed = " ,\n        ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in formats)
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dct: <http://purl.org/dc/terms/> .

<{url}> a sd:Service ;
    sd:endpoint <{url}> ;
    dct:title "rlhf-kg: the RLHF engineering field knowledge graph" ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat {listed} ;
    sd:defaultDataset [
        a sd:Dataset ;
        sd:defaultGraph [ a sd:Graph ; void:triples {endpoint.triples} ]
    ] .
"""


def _check_query(text: str) -> str:
    if len(text.encode("utf-8")) > MAX_QUERY:
        raise _TooLarge()
    check_read_only(text)
    if nesting_depth(text) > MAX_NESTING:
        raise QueryError(f"the query nests deeper than {MAX_NESTING} levels")
    form = query_form(text)
    if form is None:
        raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return "graph" if form in ("CONSTRUCT", "DESCRIBE") else "select"


async def _sparql_params(request: Request) -> tuple[str | None, dict[str, list[str]]]:
    """The query text and the other protocol parameters, by the three routes of the protocol."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method == "GET":
        return (params.get("query") or [None])[0], params
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await _read_body(request)
    if ctype == "application/sparql-update":
        raise QueryRefused("SPARQL Update is not allowed: the graph is read-only")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError("the request body is not valid UTF-8") from None
    if ctype == "application/sparql-query":
        return text, params
    if ctype == "application/x-www-form-urlencoded":
        try:
            for key, value in urllib.parse.parse_qsl(text, keep_blank_values=True, errors="strict"):
                params.setdefault(key, []).append(value)
        except UnicodeDecodeError:
            raise QueryError("the form is not valid UTF-8") from None
        if "update" in params:
            raise QueryRefused("SPARQL Update is not allowed: the graph is read-only")
        return (params.get("query") or [None])[0], params
    raise _Unsupported(ctype or "none")


class _Unsupported(Exception):
    pass


def _split_suffix(name: str, formats) -> tuple[str, str | None]:
    """'papers.csv' -> ('papers', 'csv') for a known suffix whose format is in ``formats``."""
    for suffix, fmt in SUFFIXES.items():
        if name.endswith(suffix) and fmt in formats:
            return name[: -len(suffix)], fmt
    return name, None


def routes(endpoint: Endpoint) -> list[Route]:
    kg = endpoint.kg

    async def respond(text: str, chosen: tuple[str, str], named: bool) -> Response:
        """Run a query on a worker and answer in the negotiated format, or with the error."""
        try:
            answer = await endpoint.run(text, chosen[1], named=named)
        except RlhfKgError as exc:
            return _error_for(exc)
        return _answer_response(answer, *chosen)

    async def sparql(request: Request) -> Response:
        try:
            text, params = await _sparql_params(request)
        except _TooLarge:
            return error(413, f"request too large: at most {MAX_BODY // 1024} KiB")
        except _Unsupported as exc:
            return error(415, f"unsupported content type '{exc}': use application/sparql-query or "
                              "application/x-www-form-urlencoded")
        except RlhfKgError as exc:
            return _error_for(exc)
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return error(400, "this endpoint serves one default graph; default-graph-uri and named-graph-uri "
                              "are not supported (leave them out)")
        if text is None or not text.strip():
            if request.method == "GET":
                if wants_html(request.headers.get("accept")):
                    return RedirectResponse("/", status_code=303)
                return Response(service_description(endpoint, str(request.url_for("sparql"))),
                                media_type="text/turtle")
            return error(400, "no query: send query=... (or a body of type application/sparql-query)")
        try:
            kind = _check_query(text)
        except _TooLarge:
            return error(413, f"query too large: at most {MAX_QUERY // 1024} KiB")
        except RlhfKgError as exc:
            return _error_for(exc)
        explicit = (params.get("format") or params.get("output") or [None])[0]
        chosen = _negotiate(request, kind, explicit)
        if chosen is None:
            offers = GRAPH_TYPES if kind == "graph" else SELECT_TYPES
            return error(406, "no acceptable result format; this query can answer as: " + ", ".join(offers))
        return await respond(text, chosen, named=False)

    async def queries(request: Request) -> Response:
        catalogue = kg.named_queries()
        listing = []
        with_options = request.query_params.get("options") in ("1", "true")
        for q in catalogue.values():
            entry = {"name": q.name, "title": q.title, "description": q.description, "construct": q.is_construct,
                     "url": str(request.url_for("named_query", name=q.name)),
                     "parameters": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                                     "description": p.description} for p in q.parameters]}
            if with_options:
                for p in entry["parameters"]:
                    if p["type"] not in ("string", "integer"):
                        p["options"] = [{"id": thing_id(iri) or iri.rsplit("#", 1)[-1], "label": label}
                                        for iri, label in kg.candidates(p["type"])]
            listing.append(entry)
        return JSONResponse(listing)

    async def named_query(request: Request) -> Response:
        name, explicit = _split_suffix(request.path_params["name"], set(SUFFIXES.values()))
        if name not in kg.named_queries():
            return error(404, f"no named question '{name}'; see /queries")
        params = dict(request.query_params)
        for key in ("format", "output"):
            value = params.pop(key, None)
            if value and not explicit:
                explicit = SUFFIXES.get("." + value, value)
        try:
            text = await run_in_threadpool(kg.query_text, name, **params)
        except RlhfKgError as exc:
            return _error_for(exc)
        kind = "graph" if kg.named_query(name).is_construct else "select"
        chosen = _negotiate(request, kind, explicit)
        if chosen is None:
            return error(406, "no acceptable result format")
        return await respond(text, chosen, named=True)

    async def thing(request: Request) -> Response:
        ident, explicit = _split_suffix(request.path_params["thing"], set(GRAPH_TYPES.values()))
        iri = thing_iri(ident)
        if not ID_PATTERN.match(ident) or not await run_in_threadpool(kg.exists, ident):
            return error(404, f"nothing is known about '{ident}'")
        if explicit is None and wants_html(request.headers.get("accept")):
            header, facts = await run_in_threadpool(kg.describe, iri)
            return HTMLResponse(thing_page(kg, header, facts))
        chosen = _negotiate(request, "graph", explicit)
        if chosen is None:
            return error(406, "no acceptable format; a thing is available as HTML, " + ", ".join(GRAPH_TYPES))
        text = f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"
        return await respond(text, chosen, named=True)

    async def page(request: Request) -> Response:
        return HTMLResponse(app_page())

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "triples": endpoint.triples, "workers": endpoint.pool.size,
                             "worker_restarts": endpoint.pool.restarts, "timeout_seconds": endpoint.limits.timeout,
                             "max_rows": endpoint.limits.max_rows})

    async def ontology(request: Request) -> Response:
        from .ontodoc import ontology_html

        return HTMLResponse(await run_in_threadpool(ontology_html, kg))

    async def context(request: Request) -> Response:
        from .export import jsonld_context

        return JSONResponse({"@context": await run_in_threadpool(jsonld_context, kg)},
                            media_type="application/ld+json")

    return [
        Route("/", page, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
        Route("/queries", queries, methods=["GET"]),
        Route("/queries/{name}", named_query, methods=["GET"], name="named_query"),
        Route("/id/{thing}", thing, methods=["GET"]),
        Route("/ontology", ontology, methods=["GET"]),
        Route("/context.jsonld", context, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
    ]


# -- pages -----------------------------------------------------------------------------------

def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def app_page() -> str:
    """The web page: named questions as forms, a SPARQL editor, results as tables and small
    graphs. Script and styles are inline: nothing is loaded from anywhere else."""
    settings = json.dumps({"prefixes": sparql_prefixes(), "thing": THING}).replace("</", "<\\/")
    return (_asset("app.html").replace("/*STYLE*/", _asset("app.css")).replace("/*SETTINGS*/", settings)
            .replace("/*SCRIPT*/", _asset("app.js")))


def thing_page(kg: "KnowledgeGraph", header: dict, facts: list) -> str:
    """An HTML page about one thing: its facts with their sources, links to its neighbours,
    and its neighbourhood as a small graph."""
    from .namespaces import shorten
    from .results import term_text

    labels = kg.labels()

    def cell(term) -> str:
        text = html.escape(term_text(term, labels))
        value = getattr(term, "value", "")
        if value.startswith(THING):
            return f'<a href="/id/{html.escape(thing_id(value))}">{text}</a>'
        return text

    rows = []
    edges = []
    for f in facts:
        arrow = "" if f.direction == "out" else "← "
        rows.append(f"<tr><td>{arrow}<code>{html.escape(shorten(f.predicate))}</code></td><td>{cell(f.value)}</td>"
                    f"<td>{html.escape(', '.join(f.sources))}</td></tr>")
        value = getattr(f.value, "value", "")
        if value.startswith(THING):
            other = {"id": thing_id(value), "label": labels.get(value, thing_id(value))}
            pred = shorten(f.predicate).split(":")[-1]
            edges.append({"from": header["id"] if f.direction == "out" else other["id"],
                          "to": other["id"] if f.direction == "out" else header["id"], "label": pred, "other": other})
    graph = json.dumps({"centre": {"id": header["id"], "label": header["label"]}, "edges": edges}).replace("</", "<\\/")
    return (_asset("thing.html").replace("/*STYLE*/", _asset("app.css"))
            .replace("/*TITLE*/", html.escape(header["label"]))
            .replace("/*IRI*/", html.escape(header["iri"]))
            .replace("/*TYPES*/", html.escape(", ".join(shorten(t) for t in header["types"])))
            .replace("/*SOURCES*/", html.escape(", ".join(header["sources"]) or "-"))
            .replace("/*ID*/", html.escape(header["id"]))
            .replace("/*ROWS*/", "\n".join(rows))
            .replace("/*GRAPH*/", graph)
            .replace("/*SCRIPT*/", _asset("app.js")))


# -- app and server --------------------------------------------------------------------------

def create_app(kg: "KnowledgeGraph", limits: Limits | None = None, workers: int | None = None,
               cors: bool = False) -> Starlette:
    """A Starlette app serving the graph; the worker pool starts with the app and stops with it."""
    holder: dict[str, Endpoint] = {}
    endpoint = Endpoint(kg, limits, workers)
    holder["endpoint"] = endpoint

    @asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            endpoint.close()

    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                             allow_headers=["Accept", "Content-Type"])] if cors else []
    app = Starlette(routes=routes(endpoint), middleware=middleware, lifespan=lifespan)
    app.state.endpoint = endpoint
    return app


def serve(kg: "KnowledgeGraph", host: str = "127.0.0.1", port: int = 7878, limits: Limits | None = None,
          workers: int | None = None, cors: bool = False, log_level: str = "warning") -> None:
    """Run the server until Ctrl-C (uvicorn handles the signal and shuts down cleanly)."""
    import uvicorn

    app = create_app(kg, limits, workers, cors)
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, lifespan="on",
                            h11_max_incomplete_event_size=2 * MAX_QUERY, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run()


__all__ = ["create_app", "serve", "Endpoint", "Limits"]
