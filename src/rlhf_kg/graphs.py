"""Graph formats for network tools, written from the field view: GraphML (yEd, Gephi,
networkx, Cytoscape), GEXF (Gephi), DOT (Graphviz) and a CSV node list + edge list pair
(spreadsheets, Cytoscape). Node labels and kinds travel as attributes."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, TYPE_CHECKING

import networkx as nx

from .atomic import atomic_output

if TYPE_CHECKING:
    from .kg import KnowledgeGraph


def _flat(graph: nx.Graph) -> nx.Graph:
    """A copy whose attribute values are all scalars (lists joined), as GraphML and GEXF need."""
    flat = graph.copy()
    for _, data in flat.nodes(data=True):
        for key, value in list(data.items()):
            if isinstance(value, (list, tuple, set)):
                data[key] = ", ".join(map(str, value))
            elif value is None:
                del data[key]
    for *_, data in flat.edges(data=True):
        for key, value in list(data.items()):
            if isinstance(value, (list, tuple, set)):
                data[key] = ", ".join(map(str, value))
            elif value is None:
                del data[key]
    return flat


def _field(kg: "KnowledgeGraph") -> nx.MultiDiGraph:
    return kg.to_networkx("field")


def write_graphml(kg: "KnowledgeGraph", out: IO[bytes], graph: nx.Graph | None = None) -> None:
    nx.write_graphml(_flat(graph if graph is not None else _field(kg)), out, encoding="utf-8", prettyprint=True)


def write_gexf(kg: "KnowledgeGraph", out: IO[bytes], graph: nx.Graph | None = None) -> None:
    nx.write_gexf(_flat(graph if graph is not None else _field(kg)), out, encoding="utf-8", prettyprint=True)


def _dot_id(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


KIND_COLOURS = {
    "Role": "#4e79a7", "Specialisation": "#a0cbe8", "Organisation": "#f28e2b", "FrontierLab": "#e15759",
    "AIUnicorn": "#ffbe7d", "AIStartup": "#ffbe7d", "ResearchInstitute": "#ffbe7d",
    "HyperscalerAIOrganisation": "#ffbe7d", "City": "#59a14f", "Region": "#59a14f", "Method": "#b07aa1",
    "MethodFamily": "#d4a6c8", "Pipeline": "#b07aa1", "Paper": "#9d7660", "Person": "#d7b5a6",
    "Skill": "#76b7b2", "Competency": "#8cd17d", "Framework": "#edc948", "FailureMode": "#ff9d9a",
    "PayBand": "#bab0ac", "Estimate": "#bab0ac", "Quantity": "#d3d3d3", "Claim": "#e0e0e0",
    "Transition": "#86bcb6", "CareerRoute": "#86bcb6", "SourcePart": "#f1f1f1",
}


def dot_text(graph: nx.Graph, name: str = "rlhf_kg", rankdir: str = "LR") -> str:
    """A Graphviz DOT document for a view: nodes filled by kind, edges labelled by relation."""
    lines = [f"digraph {name} {{", f"  rankdir={rankdir};",
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=8, color="#555555"];']
    for node, data in graph.nodes(data=True):
        colour = KIND_COLOURS.get(data.get("kind", ""), "#ffffff")
        lines.append(f"  {_dot_id(node)} [label={_dot_id(data.get('label', node))}, "
                     f"tooltip={_dot_id(data.get('kind', ''))}, fillcolor={_dot_id(colour)}];")
    for a, b, data in graph.edges(data=True):
        label = data.get("relation") or data.get("frequency") or ""
        extra = ""
        if data.get("highlight"):
            extra = ', color="#d62728", penwidth=3'
        lines.append(f"  {_dot_id(a)} -> {_dot_id(b)} [label={_dot_id(label)}{extra}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(kg: "KnowledgeGraph", out: IO[bytes], graph: nx.Graph | None = None) -> None:
    out.write(dot_text(graph if graph is not None else _field(kg)).encode("utf-8"))


def csv_tables(graph: nx.Graph) -> tuple[str, str]:
    """(nodes.csv, edges.csv) text for a view."""
    nodes, edges = io.StringIO(), io.StringIO()
    w = csv.writer(nodes, lineterminator="\n")
    w.writerow(["id", "label", "kind", "iri"])
    for node, data in graph.nodes(data=True):
        w.writerow([node, data.get("label", node), data.get("kind", ""), data.get("iri", "")])
    w = csv.writer(edges, lineterminator="\n")
    w.writerow(["source", "target", "relation", "predicate"])
    for a, b, data in graph.edges(data=True):
        w.writerow([a, b, data.get("relation", ""), data.get("predicate", "")])
    return nodes.getvalue(), edges.getvalue()


def csv_paths(path: Path) -> tuple[Path, Path]:
    """NAME.csv -> (NAME.nodes.csv, NAME.edges.csv)."""
    stem = path.name[:-4] if path.name.endswith(".csv") else path.name
    return path.with_name(stem + ".nodes.csv"), path.with_name(stem + ".edges.csv")


def write_csv_pair(kg: "KnowledgeGraph", path: Path) -> list[Path]:
    nodes_text, edges_text = csv_tables(_field(kg))
    nodes_path, edges_path = csv_paths(path)
    with atomic_output(nodes_path, "w") as handle:
        handle.write(nodes_text)
    with atomic_output(edges_path, "w") as handle:
        handle.write(edges_text)
    return [nodes_path, edges_path]
