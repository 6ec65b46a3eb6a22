"""Where the bundled ontology, data and queries live: the repository's top level in a
checkout, or inside the installed package (a wheel ships them under ``_bundled``)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside = _PACKAGE / "_bundled" / name
    if inside.is_dir():
        return inside
    checkout = _PACKAGE.parent.parent / name
    if checkout.is_dir():
        return checkout
    return inside


def data_dir() -> Path:
    """The bundled ``data/`` folder of YAML records."""
    return _bundled("data")


def ontology_dir() -> Path:
    """The bundled ``ontology/`` folder (ontology and SHACL shapes)."""
    return _bundled("ontology")


def queries_dir() -> Path:
    """The bundled ``queries/`` folder of named SPARQL questions."""
    return _bundled("queries")


def package_dir() -> Path:
    """The installed package's own folder (its code and assets)."""
    return _PACKAGE
