"""Atomic file writes: output appears whole or not at all, and a failed write leaves the
previous file untouched."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
TYPE_CHECKING = False  # typing costs the CLI's start-up; annotations are never evaluated
if TYPE_CHECKING:
    from typing import IO, Iterator

from .errors import ExportError


def _check_folder(path: Path) -> None:
    folder = path.parent
    if not folder.exists():
        raise ExportError(f"cannot write {path}: folder {folder} does not exist")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: {folder} is not a folder")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder")


@contextlib.contextmanager
def atomic_output(path: Path | str, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` atomically,
    on any error it is removed and ``path`` keeps its old content."""
    import tempfile

    path = Path(path)
    _check_folder(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: Path | str, data: bytes | str) -> None:
    """Write ``data`` to ``path`` atomically."""
    binary = isinstance(data, bytes)
    try:
        with atomic_output(path, "wb" if binary else "w") as handle:
            handle.write(data)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
