"""A cache of the compiled graph as sorted N-Triples (what stores load) and N-Quads (the
same facts in provenance named graphs), keyed by a hash of the ontology, the
data and the code that compiles them, so the CLI answers without recompiling YAML and is
never served a stale graph: any change to any input gives a new key."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .atomic import atomic_write
from .errors import ExportError

_CODE_FILES = ("schema.py", "loader.py", "build.py", "namespaces.py", "store.py", "kg.py")  # what compiles the graph


def cache_dir() -> Path:
    """``$RLHF_KG_CACHE``, else ``$XDG_CACHE_HOME/rlhf-kg``, else ``~/.cache/rlhf-kg``."""
    explicit = os.environ.get("RLHF_KG_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rlhf-kg"


def _input_files(data_dir: Path, ontology_dir: Path) -> list[Path]:
    files = [p for p in sorted(data_dir.iterdir()) if p.suffix in (".yaml", ".yml")] if data_dir.is_dir() else []
    files += sorted(ontology_dir.glob("*.ttl")) if ontology_dir.is_dir() else []
    return files


def fingerprint(data_dir: Path, ontology_dir: Path) -> str:
    """A hash of every input file's name and bytes and of the compiling code."""
    h = hashlib.sha256()
    code = Path(__file__).resolve().parent
    for name in _CODE_FILES:
        h.update(name.encode())
        h.update((code / name).read_bytes())
    for path in _input_files(data_dir, ontology_dir):
        h.update(f"{path.parent.name}/{path.name}\0".encode())
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:32]


def cached_path(key: str, suffix: str) -> Path | None:
    """The cached file for a key (``.nt`` triples or ``.nq`` quads), or None."""
    path = cache_dir() / f"{key}{suffix}"
    return path if path.is_file() else None


def write_cached(key: str, suffix: str, data: bytes) -> Path | None:
    """Store a file under a key and return its path; a cache that cannot be written is
    skipped (None), not an error."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / f"{key}{suffix}", data)
    except (OSError, ExportError):
        return None
    return folder / f"{key}{suffix}"
