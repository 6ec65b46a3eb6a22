"""Named questions: one SPARQL file each in ``queries/``, with a header giving the title, a
description and typed parameters::

    # @title Skill gap
    # @description The skills a person in one role must build to move to another.
    # @param from Role required -- the role a person holds now
    # @param level SeniorityLevel optional default=l5 -- a seniority level

Parameters are bound as RDF terms, never pasted into the query text: a required parameter
becomes a VALUES block at the start of the outermost WHERE group; an optional one, when
given, becomes ``FILTER(sameTerm(?var, TERM))`` at the end of that group (a VALUES join
would let rows where the variable is unbound through). Terms are written by pyoxigraph,
which escapes every special character, so a crafted value cannot change the query."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError
from .namespaces import ONTOLOGY

LITERAL_TYPES = ("string", "integer")
_HEADER = re.compile(r"^#\s*@(\w+)\s*(.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>[A-Za-z]+)\s+(?P<need>required|optional)"
                    r"(?:\s+default=(?P<default>\S+))?\s*(?:--\s*(?P<help>.*))?$")


class Parameter:
    """A typed parameter of a named question."""

    __slots__ = ("name", "type", "required", "default", "description")

    def __init__(self, name: str, type: str, required: bool, default: str | None = None, description: str = ""):
        self.name, self.type, self.required, self.default, self.description = name, type, required, default, description

    @property
    def is_literal(self) -> bool:
        return self.type in LITERAL_TYPES

    def describe(self) -> str:
        need = "required" if self.required else f"optional{', default ' + self.default if self.default else ''}"
        return f"{self.name} ({self.type}, {need}): {self.description}"


class NamedQuery:
    """A named question: its text, metadata and parameters."""

    __slots__ = ("name", "title", "description", "text", "path", "parameters")

    def __init__(self, name: str, title: str, description: str, text: str, path: Path,
                 parameters: tuple[Parameter, ...] = ()):
        self.name, self.title, self.description, self.text = name, title, description, text
        self.path, self.parameters = path, parameters

    @property
    def is_construct(self) -> bool:
        """True for questions that answer with a graph (CONSTRUCT or DESCRIBE)."""
        body = _SKIP.sub(" ", self.text)
        return re.search(r"\b(CONSTRUCT|DESCRIBE)\b", body, flags=re.IGNORECASE) is not None

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        valid = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"unknown parameter '{name}' for query '{self.name}'; its parameters: {valid}")


def parse_named_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file and its header."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Parameter] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise QueryError(f"{path}:{lineno}: malformed @param line; expected "
                                 "'NAME TYPE required|optional [default=VALUE] -- description'")
            params.append(Parameter(pm["name"], pm["type"], pm["need"] == "required", pm["default"],
                                    (pm["help"] or "").strip()))
        else:
            meta[key] = value
    for key in ("title", "description"):
        if key not in meta:
            raise QueryError(f"{path}: the header has no @{key} line")
    # The header is documentation: the text that runs starts at the first non-comment line
    # (clients such as SPARQLWrapper guess a query's form from any word, comments included).
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), 0)
    return NamedQuery(path.stem, meta["title"], meta["description"], "".join(lines[start:]), path, tuple(params))


@lru_cache(maxsize=8)
def load_catalogue(queries_dir: Path) -> dict[str, NamedQuery]:
    """Every named question in a folder, by name (parsed once per process)."""
    if not queries_dir.is_dir():
        raise QueryError(f"queries folder not found: {queries_dir}")
    return {p.stem: parse_named_query(p) for p in sorted(queries_dir.glob("*.rq"))}


_SKIP = re.compile(r"""\#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>""",
                   re.DOTALL)


def _outer_group(text: str) -> tuple[int, int]:
    """Indexes of the '{' opening and the '}' closing the outermost WHERE group (comments,
    strings and IRIs skipped)."""
    masked = _SKIP.sub(lambda m: " " * len(m.group(0)), text)
    m = re.search(r"\bWHERE\s*\{", masked, flags=re.IGNORECASE) or re.search(r"\{", masked)
    if not m:
        raise QueryError("query has no WHERE group to bind parameters in")
    start = m.end() - 1
    depth = 0
    for i in range(start, len(masked)):
        if masked[i] == "{":
            depth += 1
        elif masked[i] == "}":
            depth -= 1
            if depth == 0:
                return start, i
    raise QueryError("query has an unclosed WHERE group")


def term_sparql(term) -> str:
    """A term in SPARQL syntax, with every special character escaped by pyoxigraph."""
    return str(term)


def bind_values(text: str, required: dict[str, object], optional: dict[str, object] | None = None) -> str:
    """The query with required bindings as VALUES at the start of the outer WHERE group and
    optional ones as sameTerm filters at its end."""
    optional = optional or {}
    if not required and not optional:
        return text
    start, end = _outer_group(text)
    head = ""
    if required:
        names = " ".join("?" + n for n in required)
        values = " ".join(term_sparql(t) for t in required.values())
        head = f"\n  VALUES ({names}) {{ ({values}) }}"
    tail = "".join(f"\n  FILTER(sameTerm(?{n}, {term_sparql(t)}))" for n, t in optional.items())
    return f"{text[:start + 1]}{head}{text[start + 1:end]}{tail}\n{text[end:]}"


def literal_term(param: Parameter, value: str) -> ox.Literal:
    """A literal parameter value as a typed RDF literal."""
    if param.type == "integer":
        try:
            return ox.Literal(str(int(value)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        except ValueError:
            raise QueryError(f"parameter '{param.name}' must be an integer, got '{value}'") from None
    return ox.Literal(str(value))


def candidates_query(type_name: str) -> str:
    """SPARQL listing every thing of a parameter type with its labels (id = IRI)."""
    if type_name == "OrganisationClass":
        return (f"SELECT ?s ?label WHERE {{ ?s <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{ONTOLOGY}Organisation> ."
                f" ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }}")
    type_filter = "" if type_name == "Thing" else (
        f"?s a ?c . ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{ONTOLOGY}{type_name}> .")
    return ("SELECT DISTINCT ?s ?label WHERE { " + type_filter +
            " ?s <http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2004/02/skos/core#altLabel>"
            "|<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
