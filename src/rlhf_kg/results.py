"""Query results, independent of the store that produced them, and their serialisations.

Terms are pyoxigraph terms whatever the store, so every store's answer looks the same.
SELECT/ASK results serialise to the W3C formats (SPARQL 1.1 Results JSON, XML, CSV, TSV)
and to tables for people; CONSTRUCT/DESCRIBE results serialise to any RDF format."""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs the CLI's start-up; annotations are never evaluated
if TYPE_CHECKING:
    from typing import Any, Iterator

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from .namespaces import PREFIXES, XSD, shorten, thing_id

Term = object  # NamedNode | BlankNode | Literal | Triple (a plain alias: typing is not imported)

SELECT_FORMATS = ("table", "json", "csv", "tsv", "xml", "markdown")
GRAPH_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "nt": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "json-ld": RdfFormat.JSON_LD,
    "xml": RdfFormat.RDF_XML,
    "rdfxml": RdfFormat.RDF_XML,
    "n3": RdfFormat.N3,
}

_XSD_STRING = XSD + "string"
_XSD_INTEGER = XSD + "integer"
_XSD_DECIMAL = XSD + "decimal"
_XSD_DOUBLE = XSD + "double"
_XSD_BOOLEAN = XSD + "boolean"


def term_value(term: Term | None) -> Any:
    """A plain Python value for a term: str for IRIs and strings, int/float/bool for numbers."""
    if term is None:
        return None
    if isinstance(term, Literal):
        dt = term.datatype.value
        try:
            if dt == _XSD_INTEGER or dt.endswith(("#int", "#long", "#nonNegativeInteger")):
                return int(term.value)
            if dt in (_XSD_DECIMAL, _XSD_DOUBLE) or dt.endswith("#float"):
                return float(term.value)
            if dt == _XSD_BOOLEAN:
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    if isinstance(term, (NamedNode, BlankNode)):
        return term.value
    return str(term)


def term_text(term: Term | None, labels: dict[str, str] | None = None) -> str:
    """How a term reads in a table: labels or prefixed names for IRIs, plain text for literals."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        if labels and term.value in labels:
            return labels[term.value]
        tid = thing_id(term.value)
        return tid if tid else shorten(term.value)
    if isinstance(term, BlankNode):
        return "_:" + term.value
    if isinstance(term, Literal):
        return term.value
    return str(term)


def escape(text: str) -> str:
    """XML character escaping (xml.sax.saxutils would pull in urllib at import time)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    return '"' + escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;") + '"'


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    raise TypeError(f"cannot serialise {term!r}")


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return term.value


def _tsv_term(term: Term | None) -> str:
    """A term in the SPARQL TSV format: Turtle/N-Triples syntax, tabs and newlines escaped."""
    if term is None:
        return ""
    if isinstance(term, Literal) and term.datatype.value in (_XSD_INTEGER, _XSD_DECIMAL, _XSD_BOOLEAN):
        return term.value if term.datatype.value != _XSD_DECIMAL or "." in term.value else str(term)
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _xml_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != _XSD_STRING:
        attrs = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attrs}>{escape(term.value)}</literal>"


class Row(tuple):
    """One solution: a tuple of terms that also answers by variable name (``row["skill"]``,
    ``row.skill``)."""

    _variables: tuple[str, ...] = ()

    def __new__(cls, values, variables):
        row = super().__new__(cls, values)
        row._variables = variables
        return row

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._variables.index(key))
            except ValueError:
                raise KeyError(key) from None
        return tuple.__getitem__(self, key)

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def asdict(self) -> dict[str, Any]:
        """The row as plain Python values, by variable name."""
        return {v: term_value(t) for v, t in zip(self._variables, self)}


class QueryResult:
    """The answer to a SELECT, ASK, CONSTRUCT or DESCRIBE query. (A plain class, not a
    dataclass: importing dataclasses costs the CLI more than the whole query.)"""

    def __init__(self, kind: str, variables: tuple[str, ...] = (), rows: list[Row] | None = None,
                 boolean: bool | None = None, triples: list[Triple] | None = None,
                 labels: dict[str, str] | None = None):
        self.kind = kind  # "select" | "ask" | "graph"
        self.variables = variables
        self.rows = rows if rows is not None else []
        self.boolean = boolean
        self.triples = triples if triples is not None else []
        self._labels = labels
        self.label_source = None  # a callable giving labels, asked only when a table needs them

    @property
    def labels(self) -> dict[str, str]:
        if self._labels is None:
            self._labels = self.label_source() if self.label_source else {}
        return self._labels

    @labels.setter
    def labels(self, value: dict[str, str]) -> None:
        self._labels = value

    def __repr__(self) -> str:
        return f"QueryResult({self.kind!r}, {len(self)} {'rows' if self.kind == 'select' else 'items'})"

    @classmethod
    def select(cls, variables, rows) -> "QueryResult":
        """Rows are kept as plain tuples (cheap to make); iterating wraps them in Row."""
        return cls("select", tuple(variables), [r if type(r) is tuple else tuple(r) for r in rows])

    @classmethod
    def ask(cls, value: bool) -> "QueryResult":
        return cls("ask", boolean=bool(value))

    @classmethod
    def graph(cls, triples) -> "QueryResult":
        return cls("graph", triples=list(triples))

    def __iter__(self) -> Iterator:
        if self.kind == "select":
            return (Row(r, self.variables) for r in self.rows)
        if self.kind == "graph":
            return iter(self.triples)
        return iter([self.boolean])

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "ask" else len(self) > 0

    def to_dicts(self) -> list[dict[str, Any]]:
        """SELECT rows as dicts of plain Python values."""
        return [Row(r, self.variables).asdict() for r in self.rows]

    def column(self, name: str) -> list[Any]:
        """One variable's plain values, in row order."""
        index = self.variables.index(name)
        return [term_value(r[index]) for r in self.rows]

    # -- serialisation -------------------------------------------------------------------

    def serialize(self, fmt: str = "json") -> str:
        """The result in a named format: json, xml, csv, tsv, table or markdown for SELECT/ASK;
        an RDF format (turtle, ntriples, jsonld, xml, n3) for CONSTRUCT/DESCRIBE."""
        if self.kind == "graph":
            return serialize_triples(self.triples, "turtle" if fmt in ("table", "markdown") else fmt)
        writer = getattr(self, "_to_" + fmt, None)
        if fmt not in SELECT_FORMATS or writer is None:
            raise ValueError(f"unknown result format '{fmt}'; expected one of: {', '.join(SELECT_FORMATS)}")
        return writer()

    def _to_json(self) -> str:
        import json

        if self.kind == "ask":
            return json.dumps({"head": {}, "boolean": self.boolean}) + "\n"
        bindings = [{v: _json_term(t) for v, t in zip(self.variables, row) if t is not None} for row in self.rows]
        # compact: json's C encoder only runs without indent, and this is a format for programs
        return json.dumps({"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}},
                          ensure_ascii=False, separators=(",", ":")) + "\n"

    def _to_xml(self) -> str:
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in self.variables]
        out.append("</head>")
        if self.kind == "ask":
            out.append(f"<boolean>{'true' if self.boolean else 'false'}</boolean>")
        else:
            out.append("<results>")
            for row in self.rows:
                out.append("<result>")
                out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                        for v, t in zip(self.variables, row) if t is not None]
                out.append("</result>")
            out.append("</results>")
        out.append("</sparql>")
        return "\n".join(out) + "\n"

    def _to_csv(self) -> str:
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        if self.kind == "ask":
            w.writerow(["_askResult"])
            w.writerow(["true" if self.boolean else "false"])
        else:
            w.writerow(self.variables)
            for row in self.rows:
                w.writerow([_csv_value(t) for t in row])
        return buf.getvalue()

    def _to_tsv(self) -> str:
        if self.kind == "ask":
            return "?_askResult\n" + ("true" if self.boolean else "false") + "\n"
        lines = ["\t".join("?" + v for v in self.variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in self.rows]
        return "\n".join(lines) + "\n"

    def _cells(self) -> tuple[list[str], list[list[str]]]:
        if self.kind == "ask":
            return ["answer"], [["yes" if self.boolean else "no"]]
        return list(self.variables), [[term_text(t, self.labels) for t in row] for row in self.rows]

    def _to_table(self, width: int | None = None) -> str:
        import shutil
        import textwrap

        head, body = self._cells()
        if not body:
            return "(no results)\n"
        width = width or shutil.get_terminal_size((120, 24)).columns
        natural = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(head)]
        budget = max(width - 3 * (len(head) - 1), 10 * len(head))
        cols = natural[:]
        while sum(cols) > budget and max(cols) > 12:
            widest = cols.index(max(cols))
            cols[widest] -= 1
        lines = [" | ".join(h.ljust(c) for h, c in zip(head, cols)).rstrip(),
                 "-+-".join("-" * c for c in cols)]
        for r in body:
            wrapped = [textwrap.wrap(cell, c) or [""] for cell, c in zip(r, cols)]
            for i in range(max(len(w) for w in wrapped)):
                lines.append(" | ".join((w[i] if i < len(w) else "").ljust(c) for w, c in zip(wrapped, cols)).rstrip())
        lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
        return "\n".join(lines) + "\n"

    def _to_markdown(self) -> str:
        head, body = self._cells()

        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
        lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in body]
        return "\n".join(lines) + "\n"


def serialize_triples(triples, fmt: str = "turtle") -> str:
    """Triples in an RDF format, with the project's prefixes where the format has them."""
    rdf_format = GRAPH_FORMATS.get(fmt)
    if rdf_format is None:
        raise ValueError(f"unknown RDF format '{fmt}'; expected one of: {', '.join(sorted(GRAPH_FORMATS))}")
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    prefixes = PREFIXES if rdf_format in (RdfFormat.TURTLE, RdfFormat.N3, RdfFormat.RDF_XML, RdfFormat.TRIG) else None
    data = serialize(ordered, format=rdf_format, prefixes=prefixes) if prefixes else serialize(ordered, format=rdf_format)
    return data.decode("utf-8")
