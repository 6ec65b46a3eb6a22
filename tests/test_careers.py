"""The career planner on the bundled data, its bad inputs, and its bound on a graph a
hundred times the size."""

from __future__ import annotations

import json
import random

import networkx as nx
import pytest

from conftest import assert_clean_error, run_cli
from rlhf_kg import CareerError
from rlhf_kg.careers import MAX_CANDIDATES, CareerPlanner


@pytest.fixture(scope="module")
def planner(kg):
    return CareerPlanner.from_kg(kg)


def test_documented_route_comes_first(planner):
    plans = planner.paths("generalist-ml-engineer", "frontier-lab-rlhf-engineer")
    first = plans[0]
    assert first.roles[0] == "generalist-ml-engineer" and first.roles[-1] == "frontier-lab-rlhf-engineer"
    assert first.roles[1] in {"ai-infra-unicorn-ml-engineer", "ai-startup-post-training-engineer"}
    assert first.route in {"route-via-infra-unicorn", "route-via-ai-startup"}
    assert (first.min_months, first.max_months) == (9, 18)
    assert first.frequency == "usual"
    assert {"section-rlhf-3", "rlhf-4-transition"} <= set(first.sources)
    assert "reward-modelling-skill" in first.skills_to_build
    assert "+15-30% premium over generalist ML engineer" in first.pay_change
    assert first.steps[-1].pay_after == (500000, 1500000, True)
    assert {p.route for p in plans[:2]} == {"route-via-infra-unicorn", "route-via-ai-startup"}


def test_skills_accumulate_along_the_path(planner):
    plan = planner.paths("generalist-ml-engineer", "frontier-lab-rlhf-engineer")[0]
    first, second = plan.steps
    assert first.skills_to_build == ["post-training-experimentation"]
    assert "post-training-experimentation" not in second.skills_to_build
    assert "empirical-iteration" not in second.skills_to_build  # held from the start


def test_rankings(planner):
    by_steps = planner.paths("generalist-ml-engineer", rank="steps")
    assert len(by_steps[0].steps) == 1
    by_duration = planner.paths("generalist-ml-engineer", rank="duration")
    assert by_duration[0].max_months == 18
    by_pay = planner.paths("generalist-ml-engineer", rank="pay")
    assert by_pay[0].roles[-1] in {"rlhf-engineer", "frontier-lab-rlhf-engineer"}
    assert planner.node(by_pay[0].roles[-1])["pay_max"] == 1500000


def test_via_and_avoid(planner):
    via = planner.paths("generalist-ml-engineer", "frontier-lab-rlhf-engineer", via=["ai-startup-post-training-engineer"])
    assert all("ai-startup-post-training-engineer" in p.roles for p in via)
    avoid = planner.paths("generalist-ml-engineer", "frontier-lab-rlhf-engineer", avoid=["ai-infra-unicorn-ml-engineer"])
    assert all("ai-infra-unicorn-ml-engineer" not in p.roles for p in avoid)


def test_unreachable_target_names_reachable_roles(planner):
    with pytest.raises(CareerError) as err:
        planner.paths("rlhf-engineer", "generalist-ml-engineer")
    assert "you can reach: agentic-system-training-engineer" in str(err.value)


def test_impossible_constraints(planner):
    with pytest.raises(CareerError, match="both required and avoided"):
        planner.paths("generalist-ml-engineer", "frontier-lab-rlhf-engineer", avoid=["frontier-lab-rlhf-engineer"])
    with pytest.raises(CareerError, match="avoiding"):
        planner.paths("generalist-ml-engineer", "frontier-lab-rlhf-engineer",
                      avoid=["ai-infra-unicorn-ml-engineer", "ai-startup-post-training-engineer"])
    with pytest.raises(CareerError, match="within 1 steps"):
        planner.paths("generalist-ml-engineer", "frontier-lab-rlhf-engineer", max_steps=1)
    with pytest.raises(CareerError, match="no documented move starts from"):
        planner.paths("llm-engineer")


def test_cli_paths_headline():
    run = run_cli("paths", "--from", "generalist ML engineer", "--to", "RLHF engineer at a frontier lab")
    assert run.code == 0, run.err
    assert run.out.startswith("1. generalist ML engineer -> ML engineer at an AI")
    assert "9-18 months" in run.out and "documented route" in run.out
    plans = json.loads(run_cli("paths", "--from", "generalist-ml-engineer", "--to", "frontier-lab-rlhf-engineer",
                               "--format", "json").out)
    assert plans[0]["moves"][1]["pay_after"] == "$500,000-$1,500,000+ total"
    assert run_cli("paths", "--from", "generalist-ml-engineer", "--format", "markdown").out.startswith("| # | path")


def test_cli_paths_bad_input():
    assert_clean_error(run_cli("paths", "--from", "astronaut"), "no Role matches 'astronaut'")
    assert_clean_error(run_cli("paths", "--from", "rlhf-engineer", "--to", "generalist-ml-engineer"), "you can reach")
    assert_clean_error(run_cli("paths", "--from", "generalist-ml-engineer", "--max-steps", "0"), "at least 1")


def test_cli_gap():
    run = run_cli("gap", "--from", "generalist-ml-engineer", "--to", "frontier-lab-rlhf-engineer")
    assert run.code == 0
    assert "to build (8)" in run.out and "already held (3)" in run.out
    assert "reward modelling [essential, sector-specific; transfers to agentic-system-training" in run.out
    data = json.loads(run_cli("gap", "--from", "generalist-ml-engineer", "--to", "frontier-lab-rlhf-engineer",
                              "--format", "json").out)
    assert {e["skill"] for e in data["held"]} == {"distributed-training", "empirical-iteration", "large-scale-data-pipelines"}
    assert_clean_error(run_cli("gap", "--from", "nobody", "--to", "rlhf-engineer"), "no Role matches 'nobody'")


def _big_career_graph(roles: int, seed: int = 3) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    for i in range(roles):
        g.add_node(f"r{i}", skills=[f"s{rng.randrange(200)}" for _ in range(5)], essential=[], broader=None,
                   label=f"role {i}", pay_min=None, pay_max=None, pay_open=False)
    for i in range(roles * 3):
        a, b = rng.randrange(roles), rng.randrange(roles)
        if a != b:
            g.add_edge(f"r{a}", f"r{b}", key=f"t{i}", transition=f"t{i}", label="", frequency="usual",
                       rank=rng.randint(1, 4), min_months=rng.randint(3, 12), max_months=18, period=None,
                       skills_to_build=[], sources=["synthetic"], resources=[], routes=[])
    return g


def test_search_is_bounded_on_a_graph_a_hundred_times_larger():
    graph = _big_career_graph(2100)
    planner = CareerPlanner(graph)
    far = max(nx.single_source_shortest_path_length(graph, "r0", cutoff=5).items(), key=lambda kv: (kv[1], kv[0]))[0]
    plans = planner.paths("r0", far, max_steps=6)
    assert plans and all(len(p.steps) <= 6 for p in plans)
    assert len(planner._candidates("r0", far, 6, set())) <= MAX_CANDIDATES
    everywhere = planner._candidates("r0", None, 8, set())  # no target: still capped
    assert len(everywhere) == MAX_CANDIDATES
    assert [len(p) for p in everywhere] == sorted(len(p) for p in everywhere)  # shortest first
    graph.add_node("island", skills=[], essential=[], broader=None, label="island", pay_min=None, pay_max=None,
                   pay_open=False)
    with pytest.raises(CareerError) as err:
        CareerPlanner(graph).paths("r0", "island", max_steps=4)
    assert " more" in str(err.value) and len(str(err.value)) < 400  # the list of reachable roles is capped
