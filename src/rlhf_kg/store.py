"""Where the graph lives: Oxigraph (embedded, fast, the default), rdflib's in-memory graph,
or a remote SPARQL 1.1 endpoint. All three answer queries with the same QueryResult, so the
rest of the toolkit never needs to know which one it talks to."""

from __future__ import annotations

import functools
import itertools
import os
import re
TYPE_CHECKING = False  # typing costs the CLI's start-up; annotations are never evaluated
if TYPE_CHECKING:
    from typing import Iterable, Iterator

import pyoxigraph as ox

from .errors import QueryError, QueryRefused, QueryTimeout, StoreError
from .namespaces import GRAPH
from .results import QueryResult

STORE_NAMES = ("oxigraph", "memory", "endpoint")
DEFAULT_STORE = "oxigraph"

_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_STRIP_PATTERN = (r"""
    (?P<comment>\#[^\n]*)
  | (?P<long>'''.*?'''|\"\"\".*?\"\"\")
  | (?P<str>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)
  | (?P<pname>[A-Za-z0-9_\u00b7-\uffff.-]*:[A-Za-z0-9_\u00b7-\uffff.%-]*)
""")


@functools.lru_cache(maxsize=1)
def _strip() -> re.Pattern:
    """Comments, strings, IRIs, variables and prefixed names (compiled on first use: the wide
    Unicode class is slow to compile, and answering a named question never needs it).
    Prefixed names go too, so ``schema:Service`` is not read as the keyword SERVICE."""
    return re.compile(_STRIP_PATTERN, re.VERBOSE | re.DOTALL)


def _keywords(text: str) -> tuple[list[str], list[str]]:
    """The query's bare words (strings, IRIs, prefixed names, comments and variables
    removed), upper-cased, and the IRIs or prefixed names that follow FROM / FROM NAMED."""
    pieces: list[str] = []  # the text with only IRIs and prefixed names kept as tokens
    pos = 0
    for m in _strip().finditer(text):
        pieces.append(text[pos:m.start()])
        kept = m.group("iri") or m.group("pname")
        pieces.append(f" {kept} " if kept else " ")
        pos = m.end()
    pieces.append(text[pos:])
    flat = "".join(pieces)
    froms = re.findall(r"\bFROM\s+(?:NAMED\s+)?(\S+)", flat, flags=re.IGNORECASE)
    words = [w for w in re.findall(r"\S+", re.sub(r"<[^>]*>", " ", flat)) if ":" not in w]
    words = re.findall(r"[A-Za-z_]+", " ".join(words))
    return [w.upper() for w in words], froms


QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
MAX_NESTING = 200


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword of a query."""
    words, _ = _keywords(text)
    return next((w for w in words if w in QUERY_FORMS), None)


def nesting_depth(text: str) -> int:
    """The deepest nesting of brackets, braces and parentheses outside strings and IRIs."""
    depth = deepest = 0
    flat = _strip().sub(" ", text)
    for ch in flat:
        if ch in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")}]":
            depth -= 1
    return deepest


def check_read_only(text: str) -> None:
    """Refuse SPARQL Update, SERVICE and FROM graphs that are not ours: queries never change
    the graph and never fetch anything from the network."""
    words, froms = _keywords(text)
    first = next((w for w in words if w not in ("PREFIX", "BASE")), "")
    if first in _UPDATE_WORDS or (set(words) & {"INSERT", "DELETE"} and "WHERE" in words and first not in (
            "SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        raise QueryRefused("SPARQL Update is not allowed: the graph is read-only")
    if "SERVICE" in words:
        raise QueryRefused("SERVICE is not allowed: queries never fetch from the network")
    if "LOAD" in words:
        raise QueryRefused("LOAD is not allowed: queries never fetch from the network")
    for iri in froms:
        if not (iri.startswith("<" + GRAPH) and iri.endswith(">")):
            raise QueryRefused(f"FROM {iri} is not allowed: only the graph's own named graphs ({GRAPH}...) "
                             "can be used, nothing is fetched from the network")


class Store:
    """The interface every store offers. ``prefixes`` are predeclared for the query, so error
    positions still point into the text the user wrote."""

    name = "store"

    def query(self, text: str, prefixes: dict[str, str] | None = None, max_rows: int | None = None) -> QueryResult:
        """Run a query; ``max_rows`` stops reading solutions (or triples) after that many."""
        raise NotImplementedError

    def quads(self) -> Iterator[ox.Quad]:
        raise NotImplementedError

    def triples(self) -> Iterator[ox.Triple]:
        seen = set()
        for q in self.quads():
            t = ox.Triple(q.subject, q.predicate, q.object)
            if t not in seen:
                seen.add(t)
                yield t

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(result.rows[0][0].value)


def _syntax_error(exc: BaseException) -> QueryError:
    message = str(exc.args[0] if getattr(exc, "args", None) else exc)
    return QueryError(f"SPARQL syntax error: {message}")


class OxigraphStore(Store):
    """pyoxigraph's embedded store (Rust): fast loads, fast queries, streaming serialisers."""

    name = "oxigraph"

    def __init__(self, store: ox.Store | None = None):
        self.store = store if store is not None else ox.Store()

    @classmethod
    def from_ntriples(cls, data: "bytes | os.PathLike") -> "OxigraphStore":
        """A store filled from N-Triples bytes or a file (streamed, never read into Python)."""
        store = ox.Store()
        if isinstance(data, (bytes, bytearray)):
            size, source = len(data), {"input": bytes(data)}
        else:
            size, source = os.path.getsize(data), {"path": os.fspath(data)}
        if size:
            # bulk_load is built for big files; below a few MB plain load is quicker to start
            (store.bulk_load if size > 8_000_000 else store.load)(format=ox.RdfFormat.N_TRIPLES, **source)
        return cls(store)

    def query(self, text: str, prefixes: dict[str, str] | None = None, max_rows: int | None = None) -> QueryResult:
        try:
            answer = self.store.query(text, prefixes=prefixes) if prefixes else self.store.query(text)
            if isinstance(answer, ox.QueryBoolean):
                return QueryResult.ask(bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                variables = [v.value for v in answer.variables]
                return QueryResult.select(variables, map(tuple, itertools.islice(answer, max_rows)))
            return QueryResult.graph(itertools.islice(answer, max_rows))
        except SyntaxError as exc:
            raise _syntax_error(exc) from None
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from None

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self.store.quads_for_pattern(None, None, None, None))

    def __len__(self) -> int:
        return len(self.store)


def _to_ox(term):
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected term {term!r}")


def _from_ox(term):
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value, datatype=None if dt.endswith("#string") else URIRef(dt))


class MemoryStore(Store):
    """rdflib's in-memory graph: pure Python, slower, but what rdflib users already know."""

    name = "memory"

    def __init__(self, graph=None):
        from rdflib import Graph

        self.graph = graph if graph is not None else Graph()

    @classmethod
    def from_ntriples(cls, data: "bytes | os.PathLike") -> "MemoryStore":
        from rdflib import Graph

        g = Graph(bind_namespaces="none")
        if isinstance(data, (bytes, bytearray)):
            if data:
                g.parse(data=bytes(data), format="nt")
        else:
            g.parse(source=os.fspath(data), format="nt")
        return cls(g)

    def query(self, text: str, prefixes: dict[str, str] | None = None, max_rows: int | None = None) -> QueryResult:
        from pyparsing import ParseException

        try:
            answer = self.graph.query(text, initNs=prefixes or {})
        except ParseException as exc:
            raise QueryError(f"SPARQL syntax error: line {exc.lineno}, column {exc.col}: {exc.msg}") from None
        except Exception as exc:  # rdflib raises many types while evaluating
            raise QueryError(f"query failed: {type(exc).__name__}: {exc}") from None
        if answer.type == "ASK":
            return QueryResult.ask(bool(answer.askAnswer))
        if answer.type == "SELECT":
            variables = [str(v) for v in answer.vars]
            return QueryResult.select(variables, (tuple(_to_ox(row[i]) for i in range(len(variables)))
                                                  for row in itertools.islice(answer, max_rows)))
        return QueryResult.graph(ox.Triple(_to_ox(s), _to_ox(p), _to_ox(o))
                                 for s, p, o in itertools.islice(answer, max_rows))

    def quads(self) -> Iterator[ox.Quad]:
        for s, p, o in self.graph:
            yield ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), ox.DefaultGraph())

    def __len__(self) -> int:
        return len(self.graph)


class EndpointStore(Store):
    """A remote SPARQL 1.1 endpoint, spoken to over the SPARQL 1.1 Protocol (POST, form-encoded)."""

    name = "endpoint"

    def __init__(self, url: str, timeout: float = 60.0):
        if not re.match(r"^https?://", url):
            raise StoreError(f"endpoint URL must start with http:// or https://, got '{url}'")
        self.url = url
        self.timeout = timeout

    def _post(self, body: dict[str, str], accept: str) -> tuple[str, bytes]:
        import urllib.error
        import urllib.parse
        import urllib.request

        data = urllib.parse.urlencode(body).encode()
        request = urllib.request.Request(self.url, data=data, method="POST", headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500].strip()
            if exc.code == 400:
                raise QueryError(f"the endpoint rejected the query: {detail}") from None
            raise StoreError(f"endpoint {self.url} answered {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"cannot reach endpoint {self.url}: {getattr(exc, 'reason', exc)}") from None

    def query(self, text: str, prefixes: dict[str, str] | None = None, max_rows: int | None = None) -> QueryResult:
        if prefixes:
            text = with_prefixes(text, prefixes)
        ctype, body = self._post({"query": text},
                                 "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8")
        result = decode_results(ctype, body)
        if max_rows is not None:
            result.rows, result.triples = result.rows[:max_rows], result.triples[:max_rows]
        return result

    def quads(self) -> Iterator[ox.Quad]:
        for t in self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples:
            yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())

    def update(self, text: str, update_url: str | None = None) -> None:
        """Send a SPARQL Update (used by ``push``, never by queries)."""
        target = EndpointStore(update_url or self.url, self.timeout)
        target._post({"update": text}, "*/*")


def decode_results(content_type: str, body: bytes) -> QueryResult:
    """Parse a SPARQL protocol response body into a QueryResult."""
    mime = content_type.split(";")[0].strip().lower()
    try:
        if mime in ("application/sparql-results+json", "application/json"):
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        elif mime in ("application/sparql-results+xml", "application/xml"):
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
        else:
            fmt = ox.RdfFormat.from_media_type(mime) or ox.RdfFormat.N_TRIPLES
            return QueryResult.graph(ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt))
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"cannot read the endpoint's answer ({mime}): {exc}") from None
    if isinstance(parsed, ox.QueryBoolean):
        return QueryResult.ask(bool(parsed))
    variables = [v.value for v in parsed.variables]
    return QueryResult.select(variables, (tuple(sol[v] for v in variables) for sol in parsed))


def run_with_timeout(store: Store, text: str, timeout: float | None,
                     prefixes: dict[str, str] | None = None) -> QueryResult:
    """Run a query, stopping it after ``timeout`` seconds. The query runs in a forked child
    that is killed at the deadline, so its work really ends (pyoxigraph and rdflib cannot be
    interrupted from inside a thread)."""
    if not timeout or timeout <= 0 or not hasattr(os, "fork"):
        return store.query(text, prefixes)
    import pickle
    import selectors
    import signal
    import time

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            try:
                r = store.query(text, prefixes)
                payload = ("ok", (r.kind, r.variables, r.rows, r.boolean, r.triples))
            except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
                payload = ("error", (type(exc).__name__, str(exc)))
            data = pickle.dumps(payload)
            with os.fdopen(write_fd, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    with os.fdopen(read_fd, "rb", buffering=0) as pipe, selectors.DefaultSelector() as sel:
        sel.register(pipe, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise QueryTimeout(f"query stopped after {timeout:g} s (time limit); "
                                   "narrow it with LIMIT or more specific patterns, or raise --timeout")
            chunk = pipe.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    status, value = pickle.loads(b"".join(chunks))
    if status == "error":
        name, message = value
        raise (QueryTimeout if name == "QueryTimeout" else QueryError)(message)
    kind, variables, rows, boolean, triples = value
    if kind == "select":
        return QueryResult.select(variables, rows)
    if kind == "ask":
        return QueryResult.ask(boolean)
    return QueryResult.graph(triples)


def open_store(name: str, ntriples: "bytes | os.PathLike | None" = None, endpoint: str | None = None) -> Store:
    """A store by name, filled from N-Triples where it is embedded."""
    if name == "endpoint" or endpoint:
        if not endpoint:
            raise StoreError("the endpoint store needs an endpoint URL (--endpoint URL)")
        return EndpointStore(endpoint)
    if name == "oxigraph":
        return OxigraphStore.from_ntriples(ntriples or b"")
    if name == "memory":
        return MemoryStore.from_ntriples(ntriples or b"")
    raise StoreError(f"unknown store '{name}'; expected one of: {', '.join(STORE_NAMES)}")


def with_prefixes(text: str, prefixes: dict[str, str]) -> str:
    """Add PREFIX declarations in front of a query for the prefixes it does not declare
    (for remote endpoints, which cannot be handed prefixes out of band)."""
    declared = set(re.findall(r"PREFIX\s+([A-Za-z][\w-]*)?:", text, flags=re.IGNORECASE))
    missing = [f"PREFIX {p}: <{iri}>" for p, iri in prefixes.items() if p not in declared]
    return "\n".join(missing) + "\n" + text if missing else text


def sorted_nquads(quads: Iterable[ox.Quad]) -> bytes:
    """Quads as canonical N-Quads bytes, one per line, sorted by graph and then by line, so
    a file of triples reads subject by subject and a dataset graph by graph (byte-stable)."""
    keyed = []
    for q in quads:
        graph = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        line = str(q)
        keyed.append((graph, line if line.endswith(" .") else line + " ."))
    keyed.sort()
    return "".join(line + "\n" for _, line in keyed).encode("utf-8")
