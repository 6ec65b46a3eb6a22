"""Load the built graph into a SPARQL server: through the SPARQL 1.1 Graph Store Protocol
where the server offers it (PUT replaces the target graph, POST appends the next batches),
else through SPARQL Update (DROP SILENT, then INSERT DATA per batch). Re-running replaces
rather than duplicates."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

from .errors import StoreError

if TYPE_CHECKING:
    from .kg import KnowledgeGraph

DEFAULT_BATCH = 50_000


@dataclass
class PushReport:
    """What a push did."""

    triples: int
    batches: int
    protocol: str  # "graph store protocol" or "sparql update"
    target: str  # the graph IRI, or "default graph"
    url: str


def _sibling(endpoint: str, name: str) -> str:
    """The URL next to a query endpoint: /query or /sparql replaced by /NAME (Oxigraph's layout)."""
    parts = urllib.parse.urlsplit(endpoint)
    path = re.sub(r"/(query|sparql)/?$", "/" + name, parts.path)
    if path == parts.path:
        path = parts.path.rstrip("/") + "/" + name
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _batches(lines: Iterator[bytes], size: int) -> Iterator[bytes]:
    batch: list[bytes] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)


def _request(url: str, method: str, body: bytes, content_type: str, timeout: float = 300) -> int:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(f"cannot reach {url}: {getattr(exc, 'reason', exc)}") from None


def push(kg: "KnowledgeGraph", endpoint: str, graph: str | None = None, gsp_url: str | None = None,
         update_url: str | None = None, batch: int = DEFAULT_BATCH,
         progress: Callable[[int, int], None] | None = None) -> PushReport:
    """Send the graph to a server in batches of ``batch`` triples; ``progress(sent, total)``
    is called after each batch."""
    if not re.match(r"^https?://", endpoint):
        raise StoreError(f"endpoint URL must start with http:// or https://, got '{endpoint}'")
    if batch < 1:
        raise StoreError("--batch must be at least 1")
    if graph:
        import pyoxigraph as ox

        try:
            ox.NamedNode(graph)
        except ValueError:
            raise StoreError(f"--graph must be an IRI, got '{graph}'") from None
    total = len(kg)
    lines = (f"{t} .\n".encode("utf-8") for t in kg.canonical_triples())
    gsp = gsp_url or _sibling(endpoint, "store")
    target_query = ("graph=" + urllib.parse.quote(graph, safe="")) if graph else "default"
    first = True
    sent = batches = 0
    for chunk in _batches(lines, batch):
        count = chunk.count(b"\n")
        url = f"{gsp}{'&' if '?' in gsp else '?'}{target_query}"
        status = _request(url, "PUT" if first else "POST", chunk, "application/n-triples")
        if first and status in (400, 404, 405, 415, 501):
            return _push_by_update(kg, endpoint, graph, update_url, batch, progress, total)
        if status >= 300:
            raise StoreError(f"the server refused batch {batches + 1} at {url}: HTTP {status}")
        first = False
        sent += count
        batches += 1
        if progress:
            progress(sent, total)
    if first:  # an empty graph: still replace what was there
        _request(f"{gsp}{'&' if '?' in gsp else '?'}{target_query}", "PUT", b"", "application/n-triples")
    return PushReport(sent, batches, "graph store protocol", graph or "default graph", gsp)


def _push_by_update(kg: "KnowledgeGraph", endpoint: str, graph: str | None, update_url: str | None, batch: int,
                    progress: Callable[[int, int], None] | None, total: int) -> PushReport:
    url = update_url or _sibling(endpoint, "update")

    def send(text: str) -> None:
        body = urllib.parse.urlencode({"update": text}).encode("utf-8")
        status = _request(url, "POST", body, "application/x-www-form-urlencoded")
        if status >= 300:
            raise StoreError(f"the server refused a SPARQL Update at {url}: HTTP {status}")

    send(f"DROP SILENT GRAPH <{graph}>" if graph else "DROP SILENT DEFAULT")
    sent = batches = 0
    lines = (f"{t} .\n".encode("utf-8") for t in kg.canonical_triples())
    for chunk in _batches(lines, batch):
        data = chunk.decode("utf-8")
        send(f"INSERT DATA {{ GRAPH <{graph}> {{\n{data}}} }}" if graph else f"INSERT DATA {{\n{data}}}")
        sent += chunk.count(b"\n")
        batches += 1
        if progress:
            progress(sent, total)
    return PushReport(sent, batches, "sparql update", graph or "default graph", url)
