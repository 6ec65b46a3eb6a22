"""Career planning on the career view: ranked transition paths between roles, each step with
its duration, the skills to build, pay before and after and its sources; and the skill gap
between two roles.

The search is bounded: simple paths are grown breadth-first, shortest first, only through
roles from which the target is still reachable in the steps left (a reverse breadth-first
distance map), and it stops at MAX_CANDIDATES paths and MAX_FRONTIER partial paths: never an
unbounded simple-path enumeration."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from .errors import CareerError

if TYPE_CHECKING:
    from .kg import KnowledgeGraph

RANKINGS = ("steps", "duration", "pay")
MAX_CANDIDATES = 200
MAX_FRONTIER = 20_000
MAX_LISTED = 25
DEFAULT_MAX_STEPS = 4


@dataclass
class Step:
    """One move of a path."""

    source: str
    target: str
    transition: str
    label: str
    frequency: str
    min_months: int | None
    max_months: int | None
    skills_to_build: list[str]
    pay_before: tuple | None
    pay_after: tuple | None
    sources: list[str]
    routes: list[str]


@dataclass
class Path:
    """A ranked path and its totals."""

    roles: list[str]
    steps: list[Step]
    route: str | None = None
    min_months: int | None = None
    max_months: int | None = None
    duration_known: bool = False
    skills_to_build: list[str] = field(default_factory=list)
    frequency: str = ""  # the least common move's frequency...
    frequency_rank: int = 0  # ...and its rank (1 usual .. 4 rare), for ranking paths
    pay_change: str = ""
    sources: list[str] = field(default_factory=list)

    def as_dict(self, labels: dict[str, str] | None = None) -> dict[str, Any]:
        labels = labels or {}
        return {
            "roles": self.roles, "role_labels": [labels.get(r, r) for r in self.roles],
            "route": self.route, "steps": len(self.steps), "min_months": self.min_months,
            "max_months": self.max_months, "duration_known": self.duration_known,
            "frequency": self.frequency, "pay_change": self.pay_change,
            "skills_to_build": self.skills_to_build, "sources": self.sources,
            "moves": [{
                "from": s.source, "to": s.target, "transition": s.transition, "label": s.label,
                "frequency": s.frequency, "min_months": s.min_months, "max_months": s.max_months,
                "skills_to_build": s.skills_to_build, "pay_before": _pay_text(s.pay_before),
                "pay_after": _pay_text(s.pay_after), "sources": s.sources} for s in self.steps],
        }


def _pay(node: dict) -> tuple | None:
    if node.get("pay_min") is None:
        return None
    return node["pay_min"], node["pay_max"], node["pay_open"]


def _pay_text(pay: tuple | None) -> str:
    if not pay:
        return "not given in the guide"
    low, high, open_end = pay
    return f"${low:,}-${high:,}{'+' if open_end else ''} total"


def _adjacency(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """role -> the roles a documented move leads to, from a detailed career view."""
    adjacency: dict[str, set[str]] = {n: set() for n in graph.nodes}
    for a, b in graph.edges():
        adjacency[a].add(b)
    return adjacency


def _distances_to(adjacency: dict[str, set[str]], goal: str, limit: int, avoid: set[str]) -> dict[str, int]:
    """How many steps each role is from ``goal`` (at most ``limit``), walking moves backwards."""
    reverse: dict[str, list[str]] = {}
    for a, targets in adjacency.items():
        for b in targets:
            reverse.setdefault(b, []).append(a)
    distance, frontier = {goal: 0}, [goal]
    for step in range(1, limit + 1):
        nxt = []
        for role in frontier:
            for prev in reverse.get(role, ()):
                if prev not in distance and prev not in avoid:
                    distance[prev] = step
                    nxt.append(prev)
        frontier = nxt
    return distance


def resolve_role(kg: "KnowledgeGraph", graph: nx.MultiDiGraph, value: str, what: str) -> str:
    """A role id from an id or a label, with a clear message when it is not a known role.
    (A role no documented move touches is still a role: the planner explains that.)"""
    from .errors import QueryError
    from .namespaces import thing_id

    if value in graph:
        return value
    try:
        return thing_id(kg.resolve("Role", value, what))
    except QueryError as exc:
        raise CareerError(str(exc).replace("parameter ", "")) from None


class CareerPlanner:
    """Plans paths on one career graph (build it once, ask many questions).

    Built from a knowledge graph, it reads only the bare transition graph (one query) for the
    search, and fetches the details of the few roles and moves on the candidate paths (skills,
    pay, durations, sources, routes) once the search is done."""

    def __init__(self, graph: "dict[str, set[str]] | nx.MultiDiGraph", routes: list[dict] | None = None,
                 premiums: list[dict] | None = None, kg: "KnowledgeGraph | None" = None):
        """``graph`` is either the bare transition adjacency of a knowledge graph (``kg``
        given: details are fetched later) or a detailed career view (MultiDiGraph) used as it is."""
        detailed = isinstance(graph, nx.Graph)
        self.adjacency = _adjacency(graph) if detailed else graph  # what the search walks
        self.full = graph if detailed else None  # the detailed view of the roles on candidate paths
        self.kg = kg
        self._routes = routes
        self._premiums = premiums

    @classmethod
    def from_kg(cls, kg: "KnowledgeGraph") -> "CareerPlanner":
        from .networks import transition_graph

        return cls(transition_graph(kg), kg=kg)

    def _details(self, roles: set[str]) -> None:
        from .networks import career_view, routes

        if self.kg is None:
            return
        self.full = career_view(self.kg, only=roles)
        self._routes = routes(self.kg, {k for _, _, k in self.full.edges(keys=True)})
        if self._premiums is None:
            self._premiums = _premiums(self.kg)

    def reachable(self, start: str, max_steps: int = DEFAULT_MAX_STEPS) -> list[str]:
        seen, frontier = {start}, [start]
        for _ in range(max_steps):
            frontier = [b for a in frontier for b in self.adjacency.get(a, ()) if not (b in seen or seen.add(b))]
        return sorted(seen - {start})

    def paths(self, start: str, target: str | None = None, max_steps: int = DEFAULT_MAX_STEPS,
              via: list[str] | None = None, avoid: list[str] | None = None, rank: str = "steps",
              limit: int = 10) -> list[Path]:
        """Ranked paths from ``start`` (to ``target``, or to every reachable role)."""
        if rank not in RANKINGS:
            raise CareerError(f"unknown ranking '{rank}'; expected one of: {', '.join(RANKINGS)}")
        if max_steps < 1:
            raise CareerError(f"--max-steps must be at least 1, got {max_steps}")
        via, avoid_set = list(via or []), set(avoid or [])
        for role in [start, *([target] if target else []), *via]:
            if role in avoid_set:
                raise CareerError(f"'{role}' is both required and avoided: no path can satisfy that")
        if target == start:
            raise CareerError("the start and the target are the same role")
        found = [roles for roles in self._candidates(start, target, max_steps, avoid_set)
                 if all(v in roles[1:-1] or v == roles[-1] for v in via)]
        if not found:
            raise CareerError(self._no_path_message(start, target, max_steps, via, avoid_set))
        self._details({r for roles in found for r in roles})
        plans = [self._plan(roles) for roles in found]
        plans.sort(key=lambda p: self._rank_key(p, rank))
        return plans[:limit]

    def _candidates(self, start: str, goal: str | None, max_steps: int, avoid: set[str]) -> list[tuple[str, ...]]:
        """Simple paths from ``start`` (to ``goal``, or anywhere), shortest first, bounded."""
        distance = _distances_to(self.adjacency, goal, max_steps, avoid) if goal else None
        if goal and start not in distance:
            return []
        out: list[tuple[str, ...]] = []
        frontier: list[tuple[str, ...]] = [(start,)]
        for depth in range(1, max_steps + 1):
            nxt = []
            for path in frontier:
                for role in sorted(self.adjacency.get(path[-1], ())):
                    if role in avoid or role in path:
                        continue
                    if distance is not None and distance.get(role, max_steps + 1) > max_steps - depth:
                        continue  # the goal is out of reach from here in the steps left
                    extended = path + (role,)
                    if goal is None or role == goal:
                        out.append(extended)
                        if len(out) >= MAX_CANDIDATES:
                            return out
                    if role != goal and len(nxt) < MAX_FRONTIER:
                        nxt.append(extended)
            frontier = nxt
        return out

    def _move(self, a: str, b: str) -> dict:
        """The most common documented move from ``a`` to ``b`` (lowest rank, then id)."""
        moves = self.full.get_edge_data(a, b)
        return moves[min(moves, key=lambda key: (moves[key]["rank"], key))]

    def _plan(self, roles: tuple[str, ...]) -> Path:
        roles = list(roles)
        steps = []
        nodes = self.full.nodes
        held: set[str] = set()  # skills accumulate along the path: what you built stays built
        for a, b in zip(roles, roles[1:]):
            data = self._move(a, b)
            held |= set(nodes[a]["skills"])
            gap = sorted((set(nodes[b]["essential"]) - held) | (set(data["skills_to_build"]) - held))
            held |= set(gap)
            steps.append(Step(a, b, data["transition"], data["label"], data["frequency"], data["min_months"],
                              data["max_months"], gap, _pay(nodes[a]), _pay(nodes[b]),
                              data["sources"], data["routes"]))
        path = Path(roles, steps)
        transitions = [s.transition for s in steps]
        route = next((r for r in self._routes or [] if r["steps"] == transitions), None)
        if route:
            path.route = route["id"]
            path.min_months, path.max_months = route["min_months"], route["max_months"]
            path.duration_known = route["min_months"] is not None
            path.sources = sorted(set(route["sources"]) | {src for s in steps for src in s.sources})
        else:
            known = [s for s in steps if s.min_months is not None]
            path.duration_known = len(known) == len(steps)
            if known:
                path.min_months = sum(s.min_months for s in known)
                path.max_months = sum(s.max_months if s.max_months is not None else s.min_months for s in known)
            path.sources = sorted({src for s in steps for src in s.sources})
        start_skills = set(nodes[roles[0]]["skills"])
        path.skills_to_build = sorted(set(nodes[roles[-1]]["essential"]) - start_skills
                                      | {k for s in steps for k in s.skills_to_build} - start_skills)
        worst = max((self._move(s.source, s.target) for s in steps), key=lambda move: move["rank"])
        path.frequency, path.frequency_rank = worst["frequency"], worst["rank"]
        path.pay_change = self._pay_change(roles[0], roles[-1])
        return path

    def _pay_change(self, start: str, end: str) -> str:
        before, after = _pay(self.full.nodes[start]), _pay(self.full.nodes[end])
        parts = []
        for premium in self._premiums or []:
            if premium["over"] in self._broader(start) and premium["about"] in self._broader(end):
                parts.append(f"+{premium['min']}-{premium['max']}% premium over {premium['over_label']} "
                             f"[{premium['source']}]")
        if after:
            parts.append(f"{_pay_text(before)} -> {_pay_text(after)}")
        return "; ".join(parts) or "not given in the guide"

    def _broader(self, role: str) -> set[str]:
        chain, current = set(), role
        while current and current not in chain:
            chain.add(current)
            current = self.full.nodes[current].get("broader") if current in self.full else None
        return chain

    def node(self, role: str) -> dict:
        """The details of a role on a planned path (skills, pay, label...)."""
        return self.full.nodes[role]

    def _rank_key(self, path: Path, rank: str):
        frequency = path.frequency_rank
        documented = 0 if path.route else 1
        duration = path.max_months if path.max_months is not None else 10 ** 6
        pay = -(self.full.nodes[path.roles[-1]].get("pay_max") or 0)
        base = (len(path.steps), documented, frequency, duration)
        if rank == "duration":
            base = (duration, documented, frequency, len(path.steps))
        elif rank == "pay":
            base = (pay, len(path.steps), documented, frequency, duration)
        return (*base, path.roles)

    def _no_path_message(self, start: str, target: str | None, max_steps: int, via: list[str],
                         avoid: set[str]) -> str:
        reachable = [r for r in self.reachable(start, max_steps) if r not in avoid]
        more = f" and {len(reachable) - MAX_LISTED} more" if len(reachable) > MAX_LISTED else ""
        if not reachable:
            starts = sorted(a for a, targets in self.adjacency.items() if targets)
            extra = f" and {len(starts) - MAX_LISTED} more" if len(starts) > MAX_LISTED else ""
            return (f"no documented move starts from '{start}'; the roles people move from are: "
                    + ", ".join(starts[:MAX_LISTED]) + extra)
        constraint = ""
        if via:
            constraint += f" through {', '.join(via)}"
        if avoid:
            constraint += f" avoiding {', '.join(sorted(avoid))}"
        return (f"no documented path from '{start}' to '{target}'{constraint} within {max_steps} steps; "
                f"from '{start}' you can reach: {', '.join(reachable[:MAX_LISTED])}{more}")


def _premiums(kg: "KnowledgeGraph") -> list[dict]:
    """The premium estimates (how much more one role earns than another), labels included."""
    from .namespaces import ONTOLOGY as R, PROV, thing_id

    rows = kg.store.query(f"""SELECT ?e ?about ?over ?overLabel ?min ?max ?src WHERE {{
        ?e <{R}measures> <https://w3id.org/rlhf-kg/id/specialisation-premium> ; <{R}about> ?about ;
           <{R}comparedTo> ?over ; <https://schema.org/minValue> ?min ; <https://schema.org/maxValue> ?max ;
           <{PROV}wasDerivedFrom> ?src .
        OPTIONAL {{ ?over <http://www.w3.org/2004/02/skos/core#prefLabel> ?overLabel }} }}""").to_dicts()
    return [{"about": thing_id(r["about"]), "over": thing_id(r["over"]), "over_label": r["overLabel"] or r["over"],
             "min": r["min"], "max": r["max"], "source": thing_id(r["src"])} for r in rows]


@dataclass
class SkillGap:
    """Skills of the target role, split into held and to build, with how far each travels."""

    source: str
    target: str
    held: list[dict]
    to_build: list[dict]
    source_label: str = ""
    target_label: str = ""


def skill_gap(kg: "KnowledgeGraph", start: str, target: str) -> SkillGap:
    """The skills a person in ``start`` holds and must build for ``target``, with each skill's
    reuse level and the specialisations it transfers to (from the ``skill-gap`` question)."""
    from .errors import QueryError
    from .namespaces import ONTOLOGY as R, thing_id

    try:
        rows = kg.query("skill-gap", **{"from": start, "to": target}).to_dicts()
    except QueryError as exc:
        raise CareerError(str(exc)) from None
    from .networks import values_clause

    transfers: dict[str, list[str]] = {}
    skills = values_clause("s", {thing_id(r["skill"]) for r in rows})  # only the skills in the gap
    for r in kg.store.query(f"SELECT ?s ?t WHERE {{ {skills} ?s <http://www.w3.org/2004/02/skos/core#broader>*/"
                            f"<{R}transfersTo> ?t }}").to_dicts():
        transfers.setdefault(thing_id(r["s"]), []).append(thing_id(r["t"]))
    held, build = [], []
    for r in rows:
        skill = thing_id(r["skill"])
        entry = {"skill": skill, "label": kg.label_of(r["skill"]), "need": r["need"],
                 "reuse_level": r["reuse_level"] or "", "transfers_to": sorted(set(transfers.get(skill, [])))}
        (held if r["status"] == "held" else build).append(entry)
    source_iri, target_iri = kg.resolve("Role", start, "--from"), kg.resolve("Role", target, "--to")
    return SkillGap(thing_id(source_iri), thing_id(target_iri), held, build,
                    kg.label_of(source_iri), kg.label_of(target_iri))
