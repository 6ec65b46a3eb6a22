"""Synthetic extensions of the graph, for measuring the toolkit at sizes the field guide
never reaches. ``synth`` writes a data folder: the bundled YAML plus synthetic records of
the same shape (specialisations, roles at levels, organisations in cities, skills with
broader hierarchies, methods with lineage, papers, pay bands, transitions and routes,
estimates, claims), deterministic for a seed. Every synthetic record names the source
``synthetic``, so it can never pass for the guide's own words."""

from __future__ import annotations

import contextlib
import json
import random
import shutil
from pathlib import Path
from typing import Callable

from . import paths
from .atomic import atomic_output
from .errors import RlhfKgError

TRIPLES_PER_UNIT = 368  # measured on the compiled output (19 units added 6,997 triples)
KINDS = ("specialisations", "skills", "roles", "places", "organisations", "papers", "methods", "pay_bands",
         "quantities", "estimates", "claims", "failure_modes", "competencies", "transitions", "routes")
ORG_TYPES = ("FrontierLab", "AIUnicorn", "AIStartup", "ResearchInstitute", "HyperscalerAIOrganisation")
REUSE = ("transversal", "cross-sector", "sector-specific", "occupation-specific")
FREQUENCIES = ("usual", "common", "occasional", "rare")


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _record_yaml(record: dict) -> str:
    lines = []
    for i, (key, value) in enumerate(record.items()):
        lead = "  - " if i == 0 else "    "
        if isinstance(value, list):
            lines.append(f"{lead}{key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _unit(i: int, rng: random.Random) -> dict[str, list[dict]]:
    """One synthetic sub-field: about TRIPLES_PER_UNIT triples once compiled."""
    u = f"syn{i}"
    src = ["synthetic"]
    prev = f"syn{i - 1}" if i > 0 else None
    out: dict[str, list[dict]] = {k: [] for k in KINDS}
    spec = f"{u}-spec"
    out["specialisations"].append({"id": spec, "label": f"synthetic specialisation {i}",
                                   "adjacent_to": ["rlhf-post-training"] + ([f"{prev}-spec"] if prev else []),
                                   "source": src})
    skills = [f"{u}-skill-{k}" for k in range(8)]
    for k, skill in enumerate(skills):
        record = {"id": skill, "label": f"synthetic skill {i}.{k}", "reuse_level": REUSE[(i + k) % 4],
                  "source": src}
        if k > 0:
            record["broader"] = [skills[(k - 1) // 2]]
        if k < 3:
            record["transfers_to"] = [spec, "model-evaluation"]
        out["skills"].append(record)
    roles = [f"{u}-role-{r}" for r in range(5)]
    for r, role in enumerate(roles):
        record = {"id": role, "label": f"synthetic role {i}.{r}", "specialisation": spec,
                  "level": ("l4", "l5", "l6")[r % 3], "employer_type": ORG_TYPES[(i + r) % 5],
                  "essential_skills": rng.sample(skills, 3) + ["reward-modelling-skill"],
                  "optional_skills": rng.sample(skills, 2), "source": src}
        if r > 0:
            record["broader"] = roles[0]
        out["roles"].append(record)
    city = f"{u}-city"
    out["places"].append({"id": city, "label": f"synthetic city {i}", "type": "City",
                          "cluster_rank": 4 + i % 50, "source": src})
    for o in range(2):
        out["organisations"].append({"id": f"{u}-org-{o}", "label": f"synthetic organisation {i}.{o}",
                                     "type": ORG_TYPES[(i + o) % 5], "located_in": [city], "source": src})
    papers = [f"{u}-paper-{p}" for p in range(2)]
    for p, paper in enumerate(papers):
        year = 2015 + (i + p) % 11
        out["papers"].append({"id": paper, "label": f"synthetic paper {i}.{p}", "title": f"A synthetic study {i}.{p}",
                              "authors": [f"Author {i}-{p}-a", f"Author {i}-{p}-b"], "year": year,
                              "cited_as": f"Author {i}-{p} et al {year}", "source": src})
    methods = [f"{u}-method-{m}" for m in range(3)]
    for m, method in enumerate(methods):
        record = {"id": method, "label": f"synthetic method {i}.{m}", "type": "Method",
                  "family": [("offline-preference-learning", "online-rl-methods", "preference-learning")[m]],
                  "extends": [methods[m - 1] if m else (f"{prev}-method-2" if prev else "dpo")],
                  "year": 2015 + (i + m) % 11, "source": src}
        if m < 2:
            record["introduced_in"] = papers[m]
        out["methods"].append(record)
    for component, low in (("base", 200_000), ("total", 450_000)):
        start = low + rng.randrange(0, 200_000, 1000)
        out["pay_bands"].append({"id": f"{u}-pay-{component}", "label": f"synthetic {component} pay {i}",
                                 "role": roles[1], "level": "l5", "component": component, "min": start,
                                 "max": start + rng.randrange(50_000, 400_000, 1000), "currency": "USD",
                                 "as_of": "2026-05", "open_upper_end": component == "total", "source": src})
    quantity = f"{u}-quantity"
    out["quantities"].append({"id": quantity, "label": f"synthetic headcount {i}", "source": src})
    for e, (lo, hi) in enumerate(((10, 20), (12, 20))):
        out["estimates"].append({"id": f"{u}-estimate-{e}", "label": f"synthetic estimate {i}.{e}",
                                 "measures": quantity, "min": lo, "max": hi, "unit": "engineers", "source": src})
    out["claims"].append({"id": f"{u}-claim", "label": f"synthetic claim {i}", "subject": [roles[0]],
                          "relation": "similar-pay-to", "compared_to": [roles[1]],
                          "statement": f"Synthetic roles {i}.0 and {i}.1 are paid alike.", "source": src})
    out["failure_modes"].append({"id": f"{u}-failure", "label": f"synthetic failure mode {i}",
                                 "definition": "A synthetic way for training to go wrong.",
                                 "mitigated_by": [methods[0]], "source": src})
    out["competencies"].append({"id": f"{u}-competency", "label": f"synthetic competency {i}", "number": 7 + i,
                                "core_to": roles[0], "skills": skills[:2], "methods": methods[:1], "source": src})
    moves = []
    pairs = [(roles[0], roles[1]), (roles[1], roles[2]), (roles[2], roles[3]), (roles[3], roles[4]),
             ("generalist-ml-engineer" if i % 7 == 0 else roles[4], roles[0]),
             (roles[4], f"{prev}-role-0" if prev else "rlhf-engineer")]
    for t, (a, b) in enumerate(pairs):
        move = f"{u}-move-{t}"
        moves.append(move)
        low = rng.randrange(3, 12)
        out["transitions"].append({"id": move, "label": f"synthetic move {i}.{t}", "from": a, "to": b,
                                   "frequency": FREQUENCIES[rng.randrange(4)], "min_months": low,
                                   "max_months": low + rng.randrange(0, 12),
                                   "skills_to_build": rng.sample(skills, 2), "source": src})
    out["routes"].append({"id": f"{u}-route", "label": f"synthetic route {i}", "steps": moves[:2],
                          "frequency": "common", "min_months": 6, "max_months": 24, "source": src})
    return out


def synthesize(triples: int, output: Path | str, seed: int = 1,
               progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Write the bundled data plus about ``triples`` synthetic triples to ``output`` (a folder
    usable as ``--data``). Returns the number of records written per kind."""
    if triples < 0:
        raise RlhfKgError("--triples must be 0 or more")
    out = Path(output)
    if out.exists() and any(out.iterdir()):
        raise RlhfKgError(f"{out} is not empty; synth writes a fresh data folder")
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(paths.data_dir().glob("*.yaml")):
        shutil.copyfile(path, out / path.name)
    units = triples // TRIPLES_PER_UNIT
    rng = random.Random(seed)
    counts = {k: 0 for k in KINDS}
    with atomic_output(out / "synthetic_sources.yaml", "w") as handle:
        handle.write("sources:\n" + _record_yaml({
            "id": "synthetic", "kind": "editorial", "label": f"synthetic data (seed {seed})",
            "editorial": True, "definition": "Records made by rlhf-kg synth to measure the toolkit at scale."}))
    with contextlib.ExitStack() as stack:  # every file appears whole, or none does
        handles = {kind: stack.enter_context(atomic_output(out / f"synthetic_{kind}.yaml", "w")) for kind in KINDS}
        for kind, handle in handles.items():
            handle.write(f"# synthetic {kind}, seed {seed}: not from the field guide\n{kind}:\n")
        for i in range(units):
            for kind, records in _unit(i, rng).items():
                for record in records:
                    handles[kind].write(_record_yaml(record))
                    counts[kind] += 1
            if progress and (i % 100 == 99 or i == units - 1):
                progress(i + 1, units)
        for kind, handle in handles.items():
            if not counts[kind]:
                handle.write("  []\n")
    return counts
