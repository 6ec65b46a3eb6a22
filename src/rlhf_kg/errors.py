"""Exceptions the library raises; each carries a message a person can act on."""

from __future__ import annotations

class RlhfKgError(Exception):
    """Base class: the CLI prints the message on one line and exits non-zero."""

    exit_code = 1


class DataProblem:
    """One problem in the data, located by file, line and field."""

    __slots__ = ("file", "line", "message", "field", "record")

    def __init__(self, file: str, line: int | None, message: str, field: str | None = None,
                 record: str | None = None):
        self.file, self.line, self.message, self.field, self.record = file, line, message, field, record

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = []
        if self.record:
            what.append(f"record '{self.record}'")
        if self.field:
            what.append(f"field '{self.field}'")
        prefix = f"{where}: " + (", ".join(what) + ": " if what else "")
        return prefix + self.message


class DataError(RlhfKgError):
    """The YAML data cannot be compiled; holds every problem found, not just the first."""

    exit_code = 2

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ValidationError(RlhfKgError):
    """The built graph violates its SHACL shapes."""

    exit_code = 3


class QueryError(RlhfKgError):
    """A query could not be run: unknown name, bad parameter, syntax error, forbidden feature."""

    exit_code = 2


class QueryRefused(QueryError):
    """A query asks for something this graph never does: an update, SERVICE, LOAD, a remote FROM."""


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""

    exit_code = 4


class ExportError(RlhfKgError):
    """An export could not be written."""

    exit_code = 2


class CareerError(RlhfKgError):
    """A career question has no answer: unknown role, unreachable target, impossible constraint."""

    exit_code = 2


class StoreError(RlhfKgError):
    """The chosen store or endpoint cannot be used."""

    exit_code = 2
