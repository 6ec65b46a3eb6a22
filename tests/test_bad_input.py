"""Bad data gets one clear message naming file, line and field; a non-zero exit; no traceback;
and nothing written, or half-written, where the output would go."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_clean_error, run_cli


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def _build(data: Path, out: Path):
    return run_cli("build", "--data", str(data), "--out", str(out))


def _assert_nothing_written(out: Path) -> None:
    assert not (out / "rlhf-kg.ttl").exists()
    assert not any(out.glob(".rlhf-kg.ttl.*")) if out.exists() else True


def test_yaml_syntax_error(data_copy, tmp_path):
    roles = data_copy / "roles.yaml"
    _replace(roles, "    label: LLM engineer\n", "    label: [LLM engineer\n")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, "roles.yaml:", "YAML syntax error")
    _assert_nothing_written(tmp_path / "out")


def test_unknown_kind_suggests_near_match(data_copy, tmp_path):
    _replace(data_copy / "roles.yaml", "roles:\n", "rolez:\n")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, "roles.yaml:1", "unknown kind of record 'rolez'", "did you mean 'roles'")
    _assert_nothing_written(tmp_path / "out")


def test_misspelt_field_suggests_near_match(data_copy, tmp_path):
    methods = data_copy / "methods.yaml"
    _replace(methods, "    introduced_in: rafailov-2023", "    introduced_inn: rafailov-2023")
    line = _line_of(methods, "introduced_inn")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, f"methods.yaml:{line}", "record 'dpo'", "field 'introduced_inn'",
                       "did you mean 'introduced_in'")


def test_missing_required_field(data_copy, tmp_path):
    bands = data_copy / "pay_bands.yaml"
    _replace(bands, "    currency: USD\n", "", )
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, "pay_bands.yaml:", "record 'pay-l5-base'", "field 'currency'", "missing required field")
    _assert_nothing_written(tmp_path / "out")


def test_duplicate_id(data_copy, tmp_path):
    extra = data_copy / "more_roles.yaml"
    extra.write_text("roles:\n  - id: rlhf-engineer\n    label: again\n    specialisation: rlhf-post-training\n"
                     "    source: abstract\n")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, "more_roles.yaml:2", "record 'rlhf-engineer'", "duplicate id", "roles.yaml:")


def test_unknown_reference(data_copy, tmp_path):
    methods = data_copy / "methods.yaml"
    _replace(methods, "    variant_of: [dpo]\n    introduced_in: ethayarajh-2024",
             "    variant_of: [dpoo]\n    introduced_in: ethayarajh-2024")
    line = _line_of(methods, "variant_of: [dpoo]")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, f"methods.yaml:{line}", "record 'kto'", "field 'variant_of'", "unknown id 'dpoo'",
                       "did you mean 'dpo'")


def test_reference_to_wrong_kind(data_copy, tmp_path):
    _replace(data_copy / "methods.yaml", "    introduced_in: rafailov-2023", "    introduced_in: dpo")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, "field 'introduced_in'", "'dpo' is a method, expected a paper")


def test_number_that_is_not_a_number(data_copy, tmp_path):
    bands = data_copy / "pay_bands.yaml"
    _replace(bands, "    min: 270000", "    min: lots")
    line = _line_of(bands, "min: lots")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, f"pay_bands.yaml:{line}", "field 'min'", "expected a number, found 'lots'")


def test_min_greater_than_max(data_copy, tmp_path):
    bands = data_copy / "pay_bands.yaml"
    _replace(bands, "    min: 270000", "    min: 480000")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, "pay_bands.yaml:", "field 'min'", "min (480000) is greater than max (380000)")


def test_year_out_of_range(data_copy, tmp_path):
    papers = data_copy / "papers.yaml"
    _replace(papers, "    year: 2023", "    year: 20233")
    line = _line_of(papers, "year: 20233")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, f"papers.yaml:{line}", "record 'rafailov-2023'", "field 'year'", "out of range")


def test_empty_data_file(data_copy, tmp_path):
    (data_copy / "empty.yaml").write_text("# nothing here yet\n")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, "empty.yaml", "file is empty")


def test_data_file_that_is_not_a_mapping(data_copy, tmp_path):
    (data_copy / "list.yaml").write_text("- just\n- a list\n")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, "list.yaml:1", "expected a mapping", "found a list")


def test_kind_that_is_not_a_list(data_copy, tmp_path):
    (data_copy / "odd.yaml").write_text("roles: nope\n")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, "odd.yaml:1", "'roles' must hold a list of records")


def test_unreadable_file(data_copy, tmp_path):
    (data_copy / "binary.yaml").write_bytes(b"roles:\n  - id: \xff\xfe\n")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, "binary.yaml", "cannot read file")


def test_bad_identifier_forms(data_copy, tmp_path):
    _replace(data_copy / "places.yaml", "same_as: Q84", "same_as: London")
    _replace(data_copy / "papers.yaml", 'arxiv: "2305.18290"', 'arxiv: "arXiv:2305"')
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, "field 'same_as'", "Wikidata item id", "field 'arxiv'", "arXiv id")


def test_missing_data_folder(tmp_path):
    run = _build(tmp_path / "nowhere", tmp_path / "out")
    assert_clean_error(run, "nowhere", "data folder not found")


def test_failed_build_keeps_previous_output(data_copy, tmp_path):
    out = tmp_path / "out"
    assert _build(data_copy, out).code == 0
    before = (out / "rlhf-kg.ttl").read_bytes()
    _replace(data_copy / "roles.yaml", "roles:\n", "rolez:\n")
    assert _build(data_copy, out).code != 0
    assert (out / "rlhf-kg.ttl").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["rlhf-kg.ttl"]


@pytest.mark.parametrize("command", [["validate"], ["query", "competencies"], ["describe", "dpo"],
                                     ["export", "--format", "turtle"]])
def test_every_graph_command_reports_bad_data(data_copy, command):
    _replace(data_copy / "roles.yaml", "roles:\n", "rolez:\n")
    run = run_cli(*command, "--data", str(data_copy))
    assert_clean_error(run, "unknown kind of record 'rolez'")


def test_all_problems_reported_at_once(data_copy, tmp_path):
    _replace(data_copy / "pay_bands.yaml", "    min: 270000", "    min: lots")
    _replace(data_copy / "roles.yaml", "roles:\n", "rolez:\n")
    run = _build(data_copy, tmp_path / "out")
    assert_clean_error(run, "pay_bands.yaml", "roles.yaml")
