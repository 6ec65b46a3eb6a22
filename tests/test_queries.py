"""Every named question is a competency question: its answer on the bundled data is asserted
here, and the same SPARQL gives the same rows on rdflib's engine and on pyoxigraph reading the
exported Turtle (an engine and a parser we did not write)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from rlhf_kg.results import term_value

# Parameters for the questions that need them; each question runs at least once.
CASES = {
    "transferable-skills": {},
    "skill-gap": {"from": "generalist-ml-engineer", "to": "frontier-lab-rlhf-engineer"},
    "transition-paths": {"from": "generalist-ml-engineer"},
    "labs-by-city": {},
    "compensation": {},
    "specialisation-premium": {},
    "methodology-timeline": {},
    "method-lineage": {"method": "dpo"},
    "competencies": {},
    "failure-modes": {},
    "frameworks": {},
    "employers": {},
    "papers": {},
    "sources": {"id": "kto"},
    "contradictions": {},
    "responsibilities": {},
    "narrow-specialisation": {},
    "rlhf-vs-rl": {},
    "tracks": {},
    "outlook": {},
    "career-subgraph": {},
    "method-subgraph": {},
}


def normalise(result) -> list[tuple]:
    """Rows as comparable tuples; GROUP_CONCAT lists are order-free in SPARQL, so sort them."""
    rows = []
    for row in result.rows:
        values = []
        for term in row:
            value = term_value(term)
            if isinstance(value, str) and ", " in value and "/" not in value and " " not in value.replace(", ", ""):
                value = ", ".join(sorted(value.split(", ")))
            values.append(value)
        rows.append(tuple(values))
    return sorted(rows, key=repr)


@pytest.fixture(scope="module")
def exported_store(kg, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "graph.ttl"
    kg.export("turtle", path)
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def test_every_named_query_has_a_case(kg):
    assert set(kg.named_queries()) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_answer_on_every_engine(name, kg, memory_kg, exported_store):
    params = CASES[name]
    ours = kg.query(name, **params)
    assert len(ours) > 0, f"{name} answered nothing"
    rdflib_answer = memory_kg.query(name, **params)
    if ours.kind == "graph":
        expected = {str(t) for t in ours.triples}
        assert expected == {str(t) for t in rdflib_answer.triples}
        assert expected == {str(t) for t in exported_store.query(kg.query_text(name, **params))}
        return
    assert normalise(ours) == normalise(rdflib_answer)
    text = kg.query_text(name, **params)
    solutions = exported_store.query(text)
    variables = [v.value for v in solutions.variables]
    independent = [tuple(s[v] for v in variables) for s in solutions]
    assert variables == list(ours.variables)
    assert normalise(ours) == normalise(type(ours).select(variables, independent))


def _ids(values) -> list[str]:
    return [v.replace("#", "/").rsplit("/", 1)[-1] if isinstance(v, str) else v for v in values]


def test_transferable_skills(kg):
    rows = kg.query("transferable-skills").to_dicts()
    direct = {(_ids([r["skill"]])[0], _ids([r["specialisation"]])[0]) for r in rows if not r["via"]}
    core = {"reward-modelling-skill", "preference-data-pipelines", "rl-methodology"}
    targets = {"agentic-system-training", "model-evaluation", "alignment-research"}
    assert direct == {(s, t) for s in core for t in targets}
    narrower = {_ids([r["skill"]])[0]: r["via"] for r in rows if r["via"]}
    assert narrower["bradley-terry-preference-models"] == "reward-modelling-skill"
    assert narrower["kl-controlled-policy-optimisation"] == "rl-methodology"
    assert {r["reach"] for r in rows} == {3}
    assert {_ids([r["source"]])[0] for r in rows} == {"rlhf-4-outlook"}
    only_eval = kg.query("transferable-skills", specialisation="model evaluation").to_dicts()
    assert {_ids([r["specialisation"]])[0] for r in only_eval} == {"model-evaluation"}


def test_skill_gap(kg):
    rows = kg.query("skill-gap", **CASES["skill-gap"]).to_dicts()
    status = {_ids([r["skill"]])[0]: r["status"] for r in rows}
    assert status["reward-modelling-skill"] == "to build"
    assert status["rl-fundamentals"] == "to build"
    assert status["distributed-training"] == "held"
    assert status["empirical-iteration"] == "held"


def test_transition_paths(kg):
    rows = kg.query("transition-paths", **CASES["transition-paths"]).to_dicts()
    routes = [r for r in rows if r["kind"] == "route"]
    assert {_ids([r["via"]])[0] for r in routes} == {"ai-infra-unicorn-ml-engineer", "ai-startup-post-training-engineer"}
    assert all((r["min_months"], r["max_months"]) == (9, 18) for r in routes)
    assert all(_ids([r["to"]])[0] == "frontier-lab-rlhf-engineer" for r in routes)
    assert rows[0]["kind"] == "route" and rows[0]["frequency"] == "usual"
    only = kg.query("transition-paths", **{"from": "generalist-ml-engineer", "to": "llm-application-engineer"})
    assert [r["kind"] for r in only.to_dicts()] == ["direct move"]
    rare = kg.query("transition-paths", **{"from": "non-ai-engineer"}).to_dicts()
    assert [r["frequency"] for r in rare] == ["rare"]


def test_labs_by_city(kg):
    rows = kg.query("labs-by-city").to_dicts()
    ranks = {}
    for r in rows:
        ranks.setdefault(_ids([r["city"]])[0], r["rank"])
    assert ranks == {"bay-area": 1, "london": 2, "paris": 3, "toronto": 3}
    paris = {_ids([r["organisation"]])[0] for r in kg.query("labs-by-city", city="Paris").to_dicts()}
    assert paris == {"mistral", "hugging-face"}
    toronto = {_ids([r["organisation"]])[0] for r in kg.query("labs-by-city", city="toronto").to_dicts()}
    assert toronto == {"cohere", "vector-institute", "vector-institute-spinouts"}


def test_compensation(kg):
    rows = {(_ids([r["level"]])[0], _ids([r["component"]])[0]): r for r in kg.query("compensation").to_dicts()}
    assert (rows[("l5", "BaseSalary")]["min"], rows[("l5", "BaseSalary")]["max"]) == (270000, 380000)
    total = rows[("l5", "TotalCompensation")]
    assert (total["min"], total["max"], total["open_upper_end"]) == (650000, 1050000, True)
    assert (rows[("l4", "TotalCompensation")]["min"], rows[("l4", "TotalCompensation")]["approximate"]) == (500000, True)
    assert (rows[("l6", "TotalCompensation")]["max"], rows[("l6", "TotalCompensation")]["open_upper_end"]) == (1500000, True)
    assert {r["currency"] for r in rows.values()} == {"USD"}
    assert {r["as_of"] for r in rows.values()} == {"2026-05"}
    assert all("footnote-1" in r["sources"] for r in rows.values())
    l5_base = kg.query("compensation", level="L5", component="base").to_dicts()
    assert [(r["min"], r["max"]) for r in l5_base] == [(270000, 380000)]


def test_specialisation_premium(kg):
    rows = kg.query("specialisation-premium").to_dicts()
    premium = [r for r in rows if r["relation"] == "premium-over"]
    assert [(r["min"], r["max"], r["unit"]) for r in premium] == [(15, 30, "percent")]
    assert _ids([premium[0]["compared_to"]]) == ["generalist-ml-engineer"]
    similar = {_ids([r["compared_to"]])[0] for r in rows if r["relation"] == "similar-pay-to"}
    assert similar == {"llm-pre-training-engineer", "engineering-track-rlhf-engineer"}


def test_methodology_timeline(kg):
    rows = kg.query("methodology-timeline").to_dicts()
    order = [_ids([r["method"]])[0] for r in rows]
    assert order.index("instructgpt") < order.index("dpo") < order.index("kto")
    by = {_ids([r["method"]])[0]: r for r in rows}
    assert by["dpo"]["year"] == 2023 and by["dpo"]["cited_as"] == "Rafailov et al 2023"
    assert by["instructgpt"]["dominant_until"] == 2023
    assert by["constitutional-ai"]["partially_replaces"] == "human-annotation"
    assert by["kto"]["variant_of"] == "dpo"


def test_method_lineage(kg):
    rows = kg.query("method-lineage", method="Direct Preference Optimisation").to_dicts()
    assert {(r["direction"], _ids([r["related"]])[0]) for r in rows} == {
        ("builds on", "preference-learning"), ("built on by", "kto"), ("built on by", "ipo")}


def test_competencies(kg):
    rows = kg.query("competencies").to_dicts()
    assert {r["number"] for r in rows} == {1, 2, 3, 4, 5, 6}
    three = {_ids([r["item"]])[0] for r in rows if r["number"] == 3 and r["kind"] == "method"}
    assert {"dpo", "kto", "ipo"} <= three


def test_failure_modes(kg):
    rows = {_ids([r["failure_mode"]])[0]: r for r in kg.query("failure-modes").to_dicts()}
    assert {"reward-hacking", "reward-over-optimisation", "kl-divergence-drift", "distribution-shift"} <= set(rows)
    assert "exploits weaknesses" in rows["reward-hacking"]["about"]
    assert rows["policy-collapse"]["mitigated_by"] == "kl-control"


def test_frameworks(kg):
    rows = {_ids([r["framework"]])[0]: r for r in kg.query("frameworks").to_dicts()}
    assert set(rows) == {"trl", "openrlhf", "axolotl", "internal-lab-stacks"}
    assert _ids([rows["trl"]["made_by"]]) == ["hugging-face"]
    assert "substantial modification" in rows["openrlhf"]["fitness"]


def test_employers(kg):
    rows = kg.query("employers", kind="FrontierLab").to_dicts()
    named = {_ids([r["organisation"]])[0] for r in rows if r["organisation"]}
    assert {"openai", "anthropic", "deepmind"} <= named
    counts = sorted((r["min"], r["max"]) for r in rows if r["estimate"])
    assert counts == [(6, 12), (8, 12)]
    hyper = kg.query("employers", kind="hyperscaler AI organisation").to_dicts()
    assert [(r["min"], r["max"]) for r in hyper] == [(4, 6)]


def test_papers(kg):
    rows = kg.query("papers").to_dicts()
    assert len(rows) == 6
    dpo = kg.query("papers", method="dpo").to_dicts()
    assert [(r["arxiv"], r["doi"], r["year"]) for r in dpo] == [("2305.18290", "10.48550/arXiv.2305.18290", 2023)]


def test_sources_of_one_thing(kg):
    rows = kg.query("sources", id="kto").to_dicts()
    facts = [r for r in rows if r["kind"] == "fact"]
    assert all(r["sources"] for r in facts)
    assert any(r["kind"] == "claim" and "unpaired" in r["value"] for r in rows)


def test_contradictions(kg):
    rows = kg.query("contradictions").to_dicts()
    assert len(rows) == 1
    row = rows[0]
    assert _ids([row["quantity"]]) == ["frontier-lab-count"]
    assert {(row["min_a"], _ids([row["source_a"]])[0]), (row["min_b"], _ids([row["source_b"]])[0])} == {
        (8, "section-rlhf-3"), (6, "rlhf-4-narrow")}


def test_construct_subgraphs(kg):
    career = kg.query("career-subgraph")
    subjects = {t.subject.value.rsplit("/", 1)[-1] for t in career.triples}
    assert {"frontier-lab-rlhf-engineer", "route-via-infra-unicorn", "pay-l5-total"} <= subjects
    methods = {t.subject.value.rsplit("/", 1)[-1] for t in kg.query("method-subgraph").triples}
    assert {"dpo", "rafailov-2023", "person-rafael-rafailov"} <= methods and "openai" not in methods


def test_guide_questions(kg):
    does = [r for r in kg.query("responsibilities").to_dicts() if r["kind"] == "does"]
    assert len(does) == 6
    narrow = kg.query("narrow-specialisation").to_dicts()
    assert len([r for r in narrow if r["kind"] == "prerequisite"]) == 3
    assert any("environment reward" in r["text"] for r in kg.query("rlhf-vs-rl").to_dicts())
    assert len([r for r in kg.query("tracks").to_dicts() if r["kind"] == "track"]) == 2
    assert any(r["period"] == "2027-2028" for r in kg.query("outlook").to_dicts())
