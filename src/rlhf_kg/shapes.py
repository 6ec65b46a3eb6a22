"""Check the built graph against the SHACL shapes in ``ontology/shapes.ttl`` with pySHACL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, DataProblem
from .namespaces import shorten, thing_id


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in words."""

    severity: str
    focus: str
    path: str | None
    message: str
    value: str | None = None

    def __str__(self) -> str:
        where = self.focus + (f" {self.path}" if self.path else "")
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {where}: {self.message}{value}"


@dataclass
class ValidationReport:
    """The outcome of a SHACL run."""

    conforms: bool
    violations: list[Violation]
    shapes: int
    triples: int

    def text(self) -> str:
        if self.conforms:
            return f"OK: {self.triples} triples conform to {self.shapes} SHACL shapes\n"
        lines = [f"FAILED: {len(self.violations)} SHACL violation(s) in {self.triples} triples:"]
        lines += [f"  {v}" for v in self.violations]
        return "\n".join(lines) + "\n"


def _name(term) -> str:
    text = str(term)
    return thing_id(text) or shorten(text)


def load_shapes(ontology_dir: Path):
    """The shapes graph (parsed with rdflib)."""
    from rdflib import Graph

    path = ontology_dir / "shapes.ttl"
    shapes = Graph()
    try:
        shapes.parse(path, format="turtle")
    except FileNotFoundError:
        raise DataError([DataProblem(str(path), None, "SHACL shapes file not found")]) from None
    except Exception as exc:
        raise DataError([DataProblem(str(path), None, f"cannot parse shapes: {exc}")]) from None
    return shapes


def validate_graph(data_graph, ontology_dir: Path) -> ValidationReport:
    """Run pySHACL over an rdflib graph (ontology included) and collect the violations."""
    import pyshacl
    from rdflib import Namespace
    from rdflib.namespace import RDF

    sh = Namespace("http://www.w3.org/ns/shacl#")
    shapes = load_shapes(ontology_dir)
    conforms, report, _ = pyshacl.validate(data_graph, shacl_graph=shapes, inference="none",
                                           advanced=True, allow_warnings=True)
    violations = []
    for result in report.subjects(RDF.type, sh.ValidationResult):
        severity = _name(report.value(result, sh.resultSeverity)).split(":")[-1]
        path = report.value(result, sh.resultPath)
        value = report.value(result, sh.value)
        violations.append(Violation(severity, _name(report.value(result, sh.focusNode)),
                                    _name(path) if path is not None and not hasattr(path, "n3") or
                                    (path is not None and str(path).startswith("http")) else None,
                                    str(report.value(result, sh.resultMessage) or "constraint violated"),
                                    _name(value) if value is not None else None))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    n_shapes = len(set(shapes.subjects(RDF.type, sh.NodeShape)))
    return ValidationReport(bool(conforms), violations, n_shapes, len(data_graph))
