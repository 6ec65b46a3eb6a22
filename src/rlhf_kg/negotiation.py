"""HTTP content negotiation: parse ``Accept`` (lists, q-values, wildcards) and choose a
result format for a SPARQL answer. Kept apart from the server so it is tested on its own."""

from __future__ import annotations

from dataclasses import dataclass

# Media types we produce, by result kind, in order of preference for "*/*".
SELECT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/plain": "table",
}
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
}
CONTENT_TYPES = {
    ("select", "json"): "application/sparql-results+json",
    ("select", "xml"): "application/sparql-results+xml",
    ("select", "csv"): "text/csv; charset=utf-8",
    ("select", "tsv"): "text/tab-separated-values; charset=utf-8",
    ("select", "table"): "text/plain; charset=utf-8",
    ("graph", "turtle"): "text/turtle; charset=utf-8",
    ("graph", "ntriples"): "application/n-triples",
    ("graph", "jsonld"): "application/ld+json",
    ("graph", "xml"): "application/rdf+xml",
}
SUFFIXES = {".json": "json", ".xml": "xml", ".csv": "csv", ".tsv": "tsv", ".ttl": "turtle", ".nt": "ntriples",
            ".jsonld": "jsonld", ".rdf": "xml", ".txt": "table"}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    order: int

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media: str) -> bool:
        t, s = media.split("/", 1)
        return self.type in ("*", t) and self.subtype in ("*", s)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header means ``*/*``.
    Malformed parts are skipped rather than failing the request."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            if media == "*":
                media = "*/*"
            else:
                continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        t, _, s = media.partition("/")
        ranges.append(MediaRange(t or "*", s or "*", q, order))
    return ranges


def quality(ranges: list[MediaRange], media: str) -> float:
    """How much the client wants ``media``: the q of the most specific range matching it."""
    best = None
    for r in ranges:
        if r.matches(media) and (best is None or (r.specificity, -r.order) > (best.specificity, -best.order)):
            best = r
    return best.q if best else 0.0


def choose(header: str | None, offers: dict[str, str]) -> tuple[str, str] | None:
    """(media type, format) of the best offer for an Accept header, or None (406).
    Ties go to the client's order, then to ours."""
    ranges = parse_accept(header)
    best = None
    for rank, (media, fmt) in enumerate(offers.items()):
        q = quality(ranges, media)
        if q <= 0:
            continue
        explicit = max((r.specificity for r in ranges if r.matches(media) and r.q == q), default=0)
        key = (q, explicit, -rank)
        if best is None or key > best[0]:
            best = (key, media, fmt)
    return (best[1], best[2]) if best else None


def wants_html(header: str | None) -> bool:
    """True when a browser asks: text/html is acceptable and preferred to JSON and Turtle."""
    ranges = parse_accept(header)
    html = max((r.q for r in ranges if r.type == "text" and r.subtype == "html"), default=0.0)
    return html > 0 and html >= quality(ranges, "application/sparql-results+json") and html >= quality(
        ranges, "text/turtle")
