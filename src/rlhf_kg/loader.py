"""Read the YAML data files, check every record against the schema and resolve references.

Every problem is reported with its file, line and field; all problems are collected before
raising, so one run shows everything that needs fixing."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, DataProblem
from .schema import KINDS, ORDERED_PAIRS, YEAR_RANGE, Field, Kind

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WIKIDATA_PATTERN = re.compile(r"^Q[1-9][0-9]*$")
ARXIV_PATTERN = re.compile(r"^[0-9]{4}\.[0-9]{4,5}$")
YEARMONTH_PATTERN = re.compile(r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$")


class _Mapping(dict):
    """A YAML mapping that remembers the line of each key (1-based)."""

    line: int = 0
    key_lines: dict


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader (libyaml's C parser where installed) that records line numbers and
    rejects duplicate keys."""

    duplicate_keys: list

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        mapping = _Mapping()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in mapping:
                self.duplicate_keys.append((key, key_node.start_mark.line + 1))
            mapping[key] = self.construct_object(value_node, deep=deep)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)


@dataclass
class Record:
    """One checked record: its kind, id, values and where it was written."""

    kind: Kind
    id: str
    values: dict[str, Any]
    file: str
    line: int
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Dataset:
    """All records, by id, in a stable order (kind order of the schema, then file order)."""

    records: dict[str, Record]
    files: list[Path]

    def of_kind(self, key: str) -> list[Record]:
        return [r for r in self.records.values() if r.kind.key == key]


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _suggest(word: str, options) -> str:
    near = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f"; did you mean '{near[0]}'?" if near else ""


def data_files(data_dir: Path) -> list[Path]:
    """The YAML files of a data folder, in name order."""
    if not data_dir.is_dir():
        raise DataError([DataProblem(_display(data_dir), None, "data folder not found")])
    return sorted(p for p in data_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _parse_file(path: Path, problems: list[DataProblem]) -> Any:
    shown = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(DataProblem(shown, None, f"cannot read file: {getattr(exc, 'strerror', None) or exc}"))
        return None
    loader = _LineLoader(text)
    loader.duplicate_keys = []
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(DataProblem(shown, line, f"YAML syntax error: {reason}"))
        return None
    finally:
        loader.dispose()
    for key, line in loader.duplicate_keys:
        problems.append(DataProblem(shown, line, f"key '{key}' appears twice in the same mapping"))
    if document is None:
        problems.append(DataProblem(shown, None, "file is empty; expected a mapping such as 'roles: [...]'"))
        return None
    if not isinstance(document, dict):
        problems.append(DataProblem(shown, 1, f"expected a mapping of kinds to lists of records "
                                              f"(e.g. 'roles:'), found a {type(document).__name__}"))
        return None
    return document


def _check_scalar(f: Field, value: Any, where: tuple[str, int, str], problems: list[DataProblem]) -> Any:
    """Check one value of a field's type; return it normalised, or None after reporting."""
    file, line, rid = where

    def bad(message: str) -> None:
        problems.append(DataProblem(file, line, message, field=f.name, record=rid))

    t = f.type
    if t in ("text", "string"):
        if not isinstance(value, str) or not value.strip():
            return bad(f"expected non-empty text, found {value!r}")
        return value.strip()
    if t in ("int", "money", "year", "percent"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                isinstance(value, float) and (t != "percent" or value != value)):
            return bad(f"expected a number, found {value!r}")
        if t == "year" and not (YEAR_RANGE[0] <= value <= YEAR_RANGE[1]):
            return bad(f"year {value} is out of range {YEAR_RANGE[0]}-{YEAR_RANGE[1]}")
        if t in ("money", "percent") and value < 0:
            return bad(f"expected a number of at least 0, found {value}")
        return value
    if t == "bool":
        if not isinstance(value, bool):
            return bad(f"expected true or false, found {value!r}")
        return value
    if t == "yearmonth":
        if not isinstance(value, str) or not YEARMONTH_PATTERN.match(value):
            return bad(f"expected a month as YYYY-MM, found {value!r}")
        return value
    if t == "wikidata":
        if not isinstance(value, str) or not WIKIDATA_PATTERN.match(value):
            return bad(f"expected a Wikidata item id like Q42, found {value!r}")
        return value
    if t == "arxiv":
        if not isinstance(value, str) or not ARXIV_PATTERN.match(value):
            return bad(f"expected a new-style arXiv id like 2305.18290, found {value!r}")
        return value
    if t in ("enum", "class"):
        if value not in f.choices:
            return bad(f"unknown value {value!r}{_suggest(value, f.choices)}; expected one of: "
                       + ", ".join(sorted(f.choices)))
        return value
    if t in ("ref", "refs", "steps"):
        if not isinstance(value, str) or not value:
            return bad(f"expected an id, found {value!r}")
        return value
    if t in ("strings", "authors"):
        if not isinstance(value, str) or not value.strip():
            return bad(f"expected text, found {value!r}")
        return value.strip()
    raise AssertionError(f"unknown field type {t}")


_LIST_TYPES = {"refs", "steps", "strings", "authors"}


def _check_record(kind: Kind, raw: Any, file: str, line: int, problems: list[DataProblem]) -> Record | None:
    if not isinstance(raw, dict):
        problems.append(DataProblem(file, line, f"each {kind.singular} must be a mapping of fields, found {raw!r}"))
        return None
    lines = getattr(raw, "key_lines", {})
    rline = getattr(raw, "line", line)
    rid = raw.get("id")
    if not isinstance(rid, str) or not ID_PATTERN.match(rid):
        what = "missing required field" if rid is None else f"id {rid!r} is not a lower-case slug (a-z, 0-9, -)"
        problems.append(DataProblem(file, lines.get("id", rline), what, field="id"))
        return None
    fields = kind.field_map
    values: dict[str, Any] = {}
    ok = True
    for name, value in raw.items():
        where = (file, lines.get(name, rline), rid)
        f = fields.get(name)
        if f is None:
            problems.append(DataProblem(file, lines.get(name, rline),
                                        f"unknown field for a {kind.singular}{_suggest(name, fields)}",
                                        field=str(name), record=rid))
            ok = False
            continue
        if f.type == "id":
            continue
        many = isinstance(value, list)
        if many and f.type not in _LIST_TYPES and not f.many:
            if f.type == "ref" or len(value) != 1:
                problems.append(DataProblem(*where[:2], "expected a single value, found a list", field=name, record=rid))
                ok = False
                continue
            value = value[0]
            many = False
        items = value if many else [value]
        if f.type in _LIST_TYPES and not many and f.type in ("steps",):
            problems.append(DataProblem(*where[:2], "expected a list", field=name, record=rid))
            ok = False
            continue
        checked = [_check_scalar(f, v, where, problems) for v in items]
        if any(c is None for c in checked) or not checked:
            if not checked:
                problems.append(DataProblem(*where[:2], "expected at least one value", field=name, record=rid))
            ok = False
            continue
        values[name] = checked if (many or f.type in _LIST_TYPES or f.many) else checked[0]
    for f in kind.fields:
        if f.required and f.type != "id" and f.name not in values and f.name in raw:
            continue  # already reported as a bad value
        if f.required and f.type != "id" and f.name not in raw:
            problems.append(DataProblem(file, rline, "missing required field", field=f.name, record=rid))
            ok = False
    for low, high in ORDERED_PAIRS:
        if low in values and high in values and values[low] > values[high]:
            problems.append(DataProblem(file, lines.get(low, rline),
                                        f"{low} ({values[low]}) is greater than {high} ({values[high]})",
                                        field=low, record=rid))
            ok = False
    if not ok:
        return None
    return Record(kind, rid, values, file, rline, dict(lines))


def _resolve_references(records: dict[str, Record], problems: list[DataProblem]) -> None:
    for rec in records.values():
        for name, value in rec.values.items():
            f = rec.kind.field_map[name]
            if f.type not in ("ref", "refs", "steps"):
                continue
            for target in value if isinstance(value, list) else [value]:
                line = rec.lines.get(name, rec.line)
                found = records.get(target)
                if found is None:
                    candidates = [r.id for r in records.values() if "*" in f.targets or r.kind.key in f.targets]
                    problems.append(DataProblem(rec.file, line, f"unknown id '{target}'{_suggest(target, candidates)}",
                                                field=name, record=rec.id))
                elif "*" not in f.targets and found.kind.key not in f.targets:
                    wanted = " or ".join(KINDS[t].singular for t in f.targets)
                    problems.append(DataProblem(rec.file, line, f"'{target}' is a {found.kind.singular}, "
                                                                f"expected a {wanted}", field=name, record=rec.id))


def load_dataset(data_dir: Path) -> Dataset:
    """Load and check every YAML file in ``data_dir``; raise DataError listing all problems."""
    problems: list[DataProblem] = []
    files = data_files(data_dir)
    if not files:
        raise DataError([DataProblem(_display(data_dir), None, "no .yaml files in the data folder")])
    by_kind: dict[str, list[Record]] = {k: [] for k in KINDS}
    seen: dict[str, Record] = {}
    for path in files:
        document = _parse_file(path, problems)
        if document is None:
            continue
        shown = _display(path)
        for key, entries in document.items():
            kline = document.key_lines.get(key, 1)
            kind = KINDS.get(key)
            if kind is None:
                problems.append(DataProblem(shown, kline, f"unknown kind of record '{key}'{_suggest(key, KINDS)}; "
                                                          f"expected one of: {', '.join(KINDS)}"))
                continue
            if not isinstance(entries, list):
                problems.append(DataProblem(shown, kline, f"'{key}' must hold a list of records, "
                                                          f"found {type(entries).__name__}"))
                continue
            for raw in entries:
                rec = _check_record(kind, raw, shown, getattr(raw, "line", kline), problems)
                if rec is None:
                    continue
                if rec.id in seen:
                    first = seen[rec.id]
                    problems.append(DataProblem(shown, rec.lines.get("id", rec.line),
                                                f"duplicate id; first defined at {first.file}:{first.line}",
                                                field="id", record=rec.id))
                    continue
                seen[rec.id] = rec
                by_kind[key].append(rec)
    records = {r.id: r for key in KINDS for r in by_kind[key]}
    _resolve_references(records, problems)
    if problems:
        raise DataError(problems)
    return Dataset(records, files)
