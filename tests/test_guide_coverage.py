"""A reader of the guide finds its facts in `rlhf-kg describe`: one check per part of the
guide, on the thing that part is about."""

from __future__ import annotations

import pytest

from conftest import run_cli

FACTS = [
    # abstract and footnote [1]
    ("pay-l5-total", ["650000", "1050000", "true", "top frontier AI labs", "Levels.fyi"]),
    ("pay-l5-base", ["270000", "380000", "USD", "2026-05"]),
    ("estimate-premium", ["15", "30", "percent", "generalist ML engineer"]),
    ("estimate-supply-abstract", ["a few hundred", "1000", "abstract"]),
    # table rlhf-1
    ("competency-reward-model-training", ["Bradley-Terry preference models", "scalable annotation pipelines"]),
    ("competency-online-rl", ["distributed PPO at scale", "KL-controlled policy optimisation", "GRPO"]),
    ("competency-offline-preference-learning", ["direct preference optimisation variants", "data-quality sensitivity", "IPO"]),
    ("competency-rlaif", ["model-judge feedback", "principle-based critique pipelines"]),
    ("competency-synthetic-data", ["self-instruct", "distillation", "rejection sampling"]),
    ("competency-eval-design", ["pairwise eval", "model-judge eval", "capability-vs-alignment trade-off analysis"]),
    # section rlhf-2
    ("instructgpt", ["2022", "2023", "supervised fine-tuning", "InstructGPT paper (Ouyang et al 2022)"]),
    ("constitutional-ai", ["human preference annotation", "Bai et al 2022"]),
    ("claim-dpo-matches-ppo", ["substantially simpler infrastructure", "Proximal Policy Optimisation"]),
    ("kto", ["unpaired", "2024", "Direct Preference Optimisation"]),
    ("grpo", ["reasoning models", "process-supervised methods"]),
    ("rlhf-engineer", ["reward hacking", "reward over-optimisation", "KL-divergence drift", "distribution shift",
                       "insufficient at the senior IC level"]),
    ("trl", ["Hugging Face", "substantial modification", "smaller-scale experiments"]),
    ("internal-lab-stacks", ["proprietary extensions", "Axolotl"]),
    # section rlhf-3
    ("estimate-frontier-labs-hiring", ["8", "12", "section-rlhf-3"]),
    ("estimate-hyperscalers", ["4", "6"]),
    ("bay-area", ["largest share"]),
    ("london", ["DeepMind", "second-largest"]),
    ("paris", ["Mistral", "Hugging Face"]),
    ("toronto", ["Cohere", "Vector Institute spinouts"]),
    ("scale-ai", ["rlhf:AIUnicorn", "specific projects"]),
    ("claim-unicorn-pay-lower", ["compensation typically lower"]),
    ("route-via-infra-unicorn", ["9", "18", "usual"]),
    ("move-non-ai-to-frontier-lab", ["rare"]),
    # section rlhf-4, question by question
    ("pay-l4-total", ["500000", "750000"]),
    ("pay-l6-total", ["900000", "1500000", "the largest labs"]),
    ("claim-pay-like-pre-training", ["LLM pre-training engineer"]),
    ("rlhf-engineer", ["designing and running annotation pipelines", "contributing to model-release pipelines"]),
    ("rlhf-post-training", ["a strong pre-trained base model", "scaled human-feedback annotation pipelines"]),
    ("estimate-frontier-labs-prerequisites", ["6", "12", "rlhf-4-narrow"]),
    ("claim-rlhf-vs-classical-rl", ["environment-defined reward", "learned reward model"]),
    ("move-senior-ml-to-rlhf", ["9", "18", "2024-2026", "RL fundamentals", "TRL", "Christiano"]),
    ("claim-transition-harder-than-llm-apps", ["less mature", "slower"]),
    ("claim-pay-similar-across-tracks", ["publication freedom", "product impact"]),
    ("claim-outlook-valuable", ["2027-2028"]),
    ("claim-skill-premium-durable", ["agentic system training", "model evaluation", "alignment research"]),
    # related pages
    ("page-openai-and-anthropic", ["Two of the largest RLHF employers", "OpenAI", "Anthropic"]),
    ("page-phd-ml-engineer-salary", ["PhD common in RLHF research-track"]),
    ("page-all-specialisations-hub", ["Full premium table"]),
]


@pytest.mark.parametrize("thing,expected", FACTS, ids=[f"{t}-{i}" for i, (t, _) in enumerate(FACTS)])
def test_fact_is_in_describe(thing, expected):
    run = run_cli("describe", thing)
    assert run.code == 0, run.err
    for text in expected:
        assert text in run.out, f"{text!r} not in describe {thing}"
