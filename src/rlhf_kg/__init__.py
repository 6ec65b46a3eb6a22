"""rlhf-kg: a knowledge graph of the RLHF / post-training engineering field.

    from rlhf_kg import KnowledgeGraph
    kg = KnowledgeGraph.load()
    kg.query("compensation", level="L5")
"""

from __future__ import annotations

from .errors import (CareerError, DataError, ExportError, QueryError, QueryTimeout, RlhfKgError, StoreError,
                     ValidationError)
from .kg import KnowledgeGraph

__all__ = ["KnowledgeGraph", "RlhfKgError", "DataError", "QueryError", "QueryTimeout", "ExportError",
           "CareerError", "StoreError", "ValidationError"]
