"""Pictures of the graph: one self-contained interactive HTML file (its JavaScript and CSS
inside, no request leaves the page), static SVG and PNG (matplotlib, pip-installable only)
and DOT. Three views: career (roles and moves, the planned path highlighted, start on the
left and target on the right), methods (the timeline in order of year with its lineage
arrows) and field (everything, coloured by kind)."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from .atomic import atomic_output
from .errors import ExportError, RlhfKgError
from .graphs import KIND_COLOURS, dot_text

if TYPE_CHECKING:
    from .kg import KnowledgeGraph

OUTPUTS = (".html", ".svg", ".png", ".dot")
_DARK = {"#4e79a7", "#e15759", "#b07aa1", "#9d7660", "#59a14f"}  # fills that need white text
_KIND_NAMES = {"Role": "role", "FrontierLab": "frontier lab", "AIUnicorn": "AI unicorn", "AIStartup": "AI startup",
               "ResearchInstitute": "research institute", "HyperscalerAIOrganisation": "hyperscaler AI org",
               "Organisation": "organisation", "MethodFamily": "method family", "FailureMode": "failure mode",
               "PayBand": "pay band", "SourcePart": "source part", "CareerRoute": "career route",
               "SeniorityLevel": "seniority level", "RelatedPage": "related page"}


@dataclass
class Picture:
    """A laid-out view: nodes with positions and details, edges, the highlighted path."""

    view: str
    title: str
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    path: list[str] = field(default_factory=list)
    subtitle: str = ""
    axis: list[dict] = field(default_factory=list)
    palette: dict[str, str] = field(default_factory=dict)  # colours for kinds a view defines itself
    names: dict[str, str] = field(default_factory=dict)

    def kinds(self) -> list[str]:
        return sorted({n["kind"] for n in self.nodes})

    def colour(self, kind: str) -> str:
        return self.palette.get(kind) or KIND_COLOURS.get(kind, "#cccccc")

    def kind_name(self, kind: str) -> str:
        return self.names.get(kind) or _KIND_NAMES.get(kind, kind.lower())


def _wrap(label: str, width: int = 26) -> list[str]:
    return textwrap.wrap(label, width) or [label]


def _money(low, high, open_end) -> str:
    return f"${low:,} - ${high:,}{'+' if open_end else ''}"


# -- layouts ---------------------------------------------------------------------------------

def _layers(graph: nx.DiGraph, start: str | None) -> dict[str, int]:
    """Longest-path layering (start first, everything it leads to to the right); BFS from the
    start where the graph has cycles."""
    if nx.is_directed_acyclic_graph(graph):
        layer: dict[str, int] = {}
        for node in nx.topological_sort(graph):
            preds = [layer[p] + 1 for p in graph.predecessors(node)]
            layer[node] = max(preds, default=0)
        if start in layer:
            reach = nx.descendants(graph, start) | {start}
            offset = layer[start]
            for node in reach:
                layer[node] = max(layer[node] - offset, 0) if node != start else 0
            for node in set(layer) - reach:
                layer[node] = min(layer[node], max(layer.values()))
        return layer
    source = start if start in graph else next(iter(graph.nodes), None)
    distance = nx.single_source_shortest_path_length(graph.to_undirected(), source) if source else {}
    depth = max(distance.values(), default=0) + 1
    return {n: distance.get(n, depth) for n in graph.nodes}


def _order_layers(graph: nx.DiGraph, layer: dict[str, int], path: list[str]) -> dict[str, tuple[float, float]]:
    """Place nodes column by column, ordering each column by the mean position of its
    neighbours (two barycentre sweeps) so edges cross less; the path runs along the middle."""
    columns: dict[int, list[str]] = {}
    for node in sorted(layer):
        columns.setdefault(layer[node], []).append(node)
    position = {n: float(i) for col in columns.values() for i, n in enumerate(col)}
    undirected = graph.to_undirected()
    for _ in range(2):
        for index in sorted(columns):
            col = columns[index]
            def weight(n):
                if n in path:
                    return -1e6 + path.index(n)  # path nodes first: they share one row
                neighbours = [position[m] for m in undirected.neighbors(n) if m in position and layer[m] != index]
                return sum(neighbours) / len(neighbours) if neighbours else position[n]
            col.sort(key=lambda n: (weight(n), n))
            for i, n in enumerate(col):
                position[n] = float(i)
    coords = {}
    for index, col in columns.items():
        on_path = [n for n in col if n in path]
        others = [n for n in col if n not in path]
        ordered = others[: len(others) // 2] + on_path + others[len(others) // 2:]
        # the path runs along y = 0: a straight line from start to target
        anchor = ordered.index(on_path[0]) if on_path else (len(ordered) - 1) / 2
        for i, n in enumerate(ordered):
            coords[n] = (index * 340.0, (i - anchor) * 120.0)
    return coords


def career_picture(kg: "KnowledgeGraph", start: str | None = None, target: str | None = None) -> Picture:
    from .careers import CareerPlanner, _pay, resolve_role
    from .networks import career_view, routes

    graph = career_view(kg)  # the picture needs every role in detail: plan on the same view
    planner = CareerPlanner(graph, routes(kg))
    path: list[str] = []
    subtitle = "documented moves between roles"
    if start:
        start = resolve_role(kg, graph, start, "--from")
    if target:
        target = resolve_role(kg, graph, target, "--to")
    if start and target:
        best = planner.paths(start, target, limit=1)[0]
        path = best.roles
        months = f", {best.min_months}-{best.max_months} months" if best.min_months is not None else ""
        subtitle = f"highlighted: {best.route or 'best path'} ({best.frequency}{months})"
    keep = {n for e in graph.edges for n in e[:2]} | {n for n in (start, target) if n}
    sub = nx.DiGraph()
    sub.add_nodes_from(sorted(keep))
    sub.add_edges_from((a, b) for a, b in graph.edges() if a in keep and b in keep)
    coords = _order_layers(sub, _layers(sub, start), path)
    pic = Picture("career", "Career paths into and out of RLHF engineering", path=path, subtitle=subtitle)
    specialisations = sorted({graph.nodes[n]["specialisation"] or "unknown" for n in keep})
    palette = ["#4e79a7", "#59a14f", "#f28e2b", "#b07aa1", "#e15759", "#76b7b2", "#edc948", "#9d7660", "#bab0ac"]
    for i, spec in enumerate(specialisations):
        pic.palette[spec] = palette[i % len(palette)]
        pic.names[spec] = kg.label_of(kg_iri(spec)) if spec != "unknown" else "unknown"
    for node in sorted(keep):
        data = graph.nodes[node]
        pay = _pay(data)
        details = {"kind": "role", "specialisation": kg.label_of(kg_iri(data["specialisation"])) if data["specialisation"] else "",
                   "employer": _KIND_NAMES.get(data["employer_type"], data["employer_type"] or ""),
                   "level": (data["level"] or "").upper(), "pay (total)": _money(*pay) if pay else "not given in the guide",
                   "skills": ", ".join(kg.label_of(kg_iri(s)) for s in data["skills"]) or "-"}
        role = "start" if node == start else "target" if node == target else ""
        pic.nodes.append({"id": node, "label": data["label"], "lines": _wrap(data["label"]),
                          "kind": data["specialisation"] or "unknown",
                          "x": coords[node][0], "y": coords[node][1], "role": role,
                          "details": {k: v for k, v in details.items() if v}})
    on_path = set(zip(path, path[1:]))
    for a, b, key, data in graph.edges(keys=True, data=True):
        if a not in keep or b not in keep:
            continue
        months = f"{data['min_months']}-{data['max_months']} months" if data["min_months"] is not None else ""
        pic.edges.append({"source": a, "target": b, "id": key, "label": data["frequency"] + (f", {months}" if months else ""),
                          "highlight": (a, b) in on_path,
                          "details": {"move": data["label"], "how common": data["frequency"],
                                      "duration": months or "not given", "period": data["period"] or "",
                                      "skills to build": ", ".join(kg.label_of(kg_iri(s)) for s in data["skills_to_build"]) or "-",
                                      "routes": ", ".join(data["routes"]) or "-",
                                      "sources": ", ".join(data["sources"])}})
    return pic


def kg_iri(thing: str) -> str:
    from .namespaces import thing_iri

    return thing_iri(thing)


RELATION_COLOURS = {"extends": "#d62728", "variantOf": "#1f77b4", "partiallyReplaces": "#ff7f0e",
                    "memberOfFamily": "#9a9a9a", "stage": "#2ca02c"}


def methods_picture(kg: "KnowledgeGraph") -> Picture:
    """The timeline: methods with a year in columns by year; the foundations and families
    they link to in a first column, each beside the methods it links to. Methods with no
    year and no link are left out (they are not part of the lineage)."""
    graph = kg.to_networkx("methods")
    dated = sorted((n for n, d in graph.nodes(data=True) if d["year"] is not None),
                   key=lambda n: (graph.nodes[n]["year"], graph.nodes[n]["kind"] == "MethodFamily", n))
    linked = {m for n in dated for m in nx.all_neighbors(graph, n)} - set(dated)
    years = sorted({graph.nodes[n]["year"] for n in dated})
    column = {y: i + 1 for i, y in enumerate(years)}
    coords: dict[str, tuple[float, float]] = {}
    stacks: dict[int, int] = {}
    for node in dated:
        col = column[graph.nodes[node]["year"]]
        coords[node] = (col * 300.0, stacks.get(col, 0) * 110.0)
        stacks[col] = stacks.get(col, 0) + 1
    undirected = graph.to_undirected()

    def centre(n):
        ys = [coords[m][1] for m in undirected.neighbors(n) if m in coords]
        return sum(ys) / len(ys) if ys else 0.0

    last = -1e9
    for node in sorted(linked, key=lambda n: (centre(n), n)):
        y = max(centre(node), last + 80.0)
        coords[node] = (0.0, y)
        last = y
    pic = Picture("methods", "The RLHF methodology timeline", subtitle="methods by year of introduction; "
                  "left: the foundations and families they build on")
    for node in dated + sorted(linked):
        data = graph.nodes[node]
        pic.nodes.append({"id": node, "label": data["label"], "lines": _wrap(data["label"], 22), "kind": data["kind"],
                          "x": coords[node][0], "y": coords[node][1], "role": "",
                          "details": {k: v for k, v in {"kind": _KIND_NAMES.get(data["kind"], data["kind"]),
                                                         "year": data["year"], "paper": data["cited_as"]}.items() if v}})
    keep = set(coords)
    for a, b, data in graph.edges(data=True):
        if a in keep and b in keep:
            relation = data["relation"]
            pic.edges.append({"source": a, "target": b, "id": f"{a}-{relation}-{b}", "label": relation,
                              "highlight": relation == "extends", "relation": relation.split()[0],
                              "details": {"relation": relation}})
    pic.axis = [{"x": column[y] * 300.0, "label": str(y)} for y in years] + [{"x": 0.0, "label": "builds on"}]
    return pic


def field_picture(kg: "KnowledgeGraph") -> Picture:
    graph = kg.to_networkx("field")
    coords = _component_layout(nx.Graph(graph))
    pic = Picture("field", "The RLHF engineering field", subtitle="every thing in the graph, coloured by kind")
    for node, data in graph.nodes(data=True):
        x, y = coords[node]
        pic.nodes.append({"id": node, "label": data["label"], "lines": _wrap(data["label"], 24), "kind": data["kind"],
                          "x": x, "y": y, "role": "",
                          "details": {"kind": _KIND_NAMES.get(data["kind"], data["kind"]), "id": node}})
    for a, b, key, data in graph.edges(keys=True, data=True):
        pic.edges.append({"source": a, "target": b, "id": f"{a}|{key}|{b}", "label": data["relation"],
                          "highlight": False, "details": {"relation": data["relation"]}})
    return pic


def _component_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """A force-directed layout for the main component, the small components packed in rows
    beneath it rather than flung to the edges."""
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    coords: dict[str, tuple[float, float]] = {}
    if not components:
        return coords
    main = graph.subgraph(components[0])
    size = 130.0 * len(main) ** 0.5
    if len(main) > 1:
        placed = nx.spring_layout(main, seed=7, k=2.2 / len(main) ** 0.5, iterations=300)
    else:
        placed = {components[0][0]: (0.0, 0.0)}
    for node, (x, y) in placed.items():
        coords[node] = (float(x) * size, float(y) * size)
    cursor, row = -size, size + 260.0
    for component in components[1:]:
        sub = graph.subgraph(component)
        local = nx.spring_layout(sub, seed=7, iterations=100) if len(sub) > 1 else {component[0]: (0.0, 0.0)}
        span = 120.0 * len(sub) ** 0.5 + 120.0
        for node, (x, y) in local.items():
            coords[node] = (cursor + span / 2 + float(x) * span / 2, row + float(y) * span / 2)
        cursor += span + 80.0
        if cursor > size:
            cursor, row = -size, row + span + 120.0
    return coords


def picture(kg: "KnowledgeGraph", view: str = "career", start: str | None = None,
            target: str | None = None) -> Picture:
    """Lay out a view for drawing."""
    if view == "career":
        return career_picture(kg, start, target)
    if start or target:
        raise RlhfKgError("--from and --to belong to the career view")
    if view == "methods":
        return methods_picture(kg)
    if view == "field":
        return field_picture(kg)
    raise RlhfKgError(f"unknown view '{view}'; expected one of: career, methods, field")


# -- HTML ------------------------------------------------------------------------------------

def _asset(name: str) -> str:
    return (Path(__file__).parent / "assets" / name).read_text(encoding="utf-8")


def html_page(pic: Picture) -> str:
    """One self-contained page: the data, the script and the styles all inline."""
    payload = {"view": pic.view, "title": pic.title, "subtitle": pic.subtitle, "nodes": pic.nodes,
               "edges": pic.edges, "path": pic.path, "axis": pic.axis,
               "kinds": [{"kind": k, "name": pic.kind_name(k), "colour": pic.colour(k)} for k in pic.kinds()],
               "relations": [{"relation": r, "colour": RELATION_COLOURS.get(r, "#8a8a8a")}
                             for r in sorted({e.get("relation") for e in pic.edges} - {None})]}
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return (_asset("viz.html").replace("/*TITLE*/", _html_escape(pic.title))
            .replace("/*STYLE*/", _asset("viz.css")).replace("/*DATA*/", data).replace("/*SCRIPT*/", _asset("viz.js")))


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- static pictures -------------------------------------------------------------------------

def _figure(pic: Picture):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    plt.rcParams["svg.fonttype"] = "none"  # keep labels as text in SVG
    plt.rcParams["svg.hashsalt"] = "rlhf-kg"  # stable ids, so the SVG is byte-stable
    xs = [n["x"] for n in pic.nodes] or [0]
    ys = [n["y"] for n in pic.nodes] or [0]
    width = max(xs) - min(xs) + 400
    height = max(ys) - min(ys) + 300
    scale = 1 / 110
    fig, ax = plt.subplots(figsize=(min(max(width * scale, 8), 36), min(max(height * scale, 5), 36)))
    ax.set_xlim(min(xs) - 200, max(xs) + 200)
    ax.set_ylim(max(ys) + 150, min(ys) - 190)
    ax.axis("off")
    ax.set_title(pic.title + ("\n" + pic.subtitle if pic.subtitle else ""), fontsize=12, loc="left")
    where = {n["id"]: (n["x"], n["y"]) for n in pic.nodes}
    small = len(pic.nodes) > 60
    for e in pic.edges:
        (x1, y1), (x2, y2) = where[e["source"]], where[e["target"]]
        long_edge = pic.view == "career" and abs(x2 - x1) > 400  # skips a column: bend around it
        hot = e["highlight"] and pic.view == "career"
        colour = RELATION_COLOURS.get(e.get("relation", ""), "#d62728" if hot else "#8a8a8a")
        arrow = FancyArrowPatch((x1, y1), (x2, y2), arrowstyle="-|>", mutation_scale=10 if small else 14,
                                color=colour, linewidth=3 if hot else 1.2 if pic.view == "methods" else 0.8,
                                shrinkA=8 if small else 42, shrinkB=8 if small else 42,
                                connectionstyle=f"arc3,rad={0.3 if long_edge else 0.08}", alpha=0.9, zorder=1)
        ax.add_patch(arrow)
        if pic.view == "career" and not small:
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
            if long_edge:  # the label follows the bend
                mx, my = mx - (y2 - y1) * 0.15, my + (x2 - x1) * 0.15
            ax.text(mx, my - 10, e["label"], fontsize=7, color="#555555", ha="center", va="center", zorder=2)
    for n in pic.nodes:
        colour = pic.colour(n["kind"])
        edge = "#d62728" if n["id"] in pic.path else "#333333"
        ink = "#ffffff" if colour in _DARK else "#111111"
        ax.text(n["x"], n["y"], "\n".join(n["lines"]), fontsize=5 if small else 8, ha="center", va="center", color=ink,
                zorder=3, bbox={"boxstyle": "round,pad=0.4", "facecolor": colour, "edgecolor": edge,
                                "linewidth": 2 if n["id"] in pic.path else 0.6})
    if pic.axis:
        for tick in pic.axis:
            ax.text(tick["x"], min(ys) - 120, tick["label"], fontsize=11, ha="center", weight="bold", color="#444444")
    handles = [plt.Line2D([0], [0], marker="s", linestyle="", markersize=9,
                          markerfacecolor=pic.colour(k), markeredgecolor="#333333",
                          label=pic.kind_name(k)) for k in pic.kinds()]
    if pic.path:
        handles.append(plt.Line2D([0], [0], color="#d62728", linewidth=3, label="planned path"))
    for relation in sorted({e.get("relation") for e in pic.edges} - {None}):
        handles.append(plt.Line2D([0], [0], color=RELATION_COLOURS.get(relation, "#8a8a8a"), linewidth=2,
                                  label=relation))
    ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=False, ncol=min(len(handles), 6))
    fig.tight_layout()
    return fig, plt


def write_static(pic: Picture, path: Path) -> None:
    fig, plt = _figure(pic)
    fmt = path.suffix.lstrip(".")
    try:
        with atomic_output(path) as handle:
            fig.savefig(handle, format=fmt, dpi=110 if fmt == "png" else 72,
                        metadata={"Date": None, "Creator": "rlhf-kg"} if fmt == "svg" else {"Software": "rlhf-kg"})
    finally:
        plt.close(fig)


def draw(kg: "KnowledgeGraph", output: str | Path, view: str = "career", start: str | None = None,
         target: str | None = None) -> Path:
    """Draw a view to ``output`` (.html, .svg, .png or .dot)."""
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix not in OUTPUTS:
        raise ExportError(f"cannot draw to '{path.name}': use one of {', '.join(OUTPUTS)}")
    pic = picture(kg, view, start, target)
    if suffix == ".html":
        with atomic_output(path, "w") as handle:
            handle.write(html_page(pic))
    elif suffix == ".dot":
        graph = nx.MultiDiGraph()
        for n in pic.nodes:
            graph.add_node(n["id"], label=n["label"], kind=n["kind"])
        for e in pic.edges:
            graph.add_edge(e["source"], e["target"], key=e["id"], relation=e["label"], highlight=e["highlight"])
        with atomic_output(path, "w") as handle:
            handle.write(dot_text(graph, name=view))
    else:
        write_static(pic, path)
    return path


__all__ = ["draw", "picture", "html_page", "Picture"]
