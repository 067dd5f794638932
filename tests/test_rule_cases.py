"""Every rule's embedded cases and its documented examples, run through the real CLI."""

from __future__ import annotations

import pytest
from harness import check_markers, scan, write_files

from clerk_lint.rule import iter_cases, registry


@pytest.mark.parametrize(("rule", "case"), [pytest.param(r, c, id=f"{r.id}-{c.name}") for r, c in iter_cases()])
def test_case(rule, case, tmp_path):
    write_files(tmp_path, case.files)
    check_markers(tmp_path, only=rule.id)


@pytest.mark.parametrize("rule", registry(), ids=lambda r: r.id)
def test_rule_has_a_firing_and_a_quiet_case(rule):
    firing = [c for c in rule.cases if any(f"expect: {rule.id}" in text for text in c.files.values())]
    quiet = [c for c in rule.cases if not any(f"expect: {rule.id}" in text for text in c.files.values())]
    assert firing, f"{rule.id} has no case that makes it fire"
    assert quiet, f"{rule.id} has no case where it must stay quiet"


def _rule_hits(tmp_path, rule, example):
    write_files(tmp_path, {example.filename: example.code})
    _, document = scan(tmp_path)
    return [f for f in document["findings"] if f["rule"] == rule.id]


@pytest.mark.parametrize("rule", registry(), ids=lambda r: r.id)
def test_documented_example_fires(rule, tmp_path):
    example = rule.docs().example("Example")
    assert example is not None, f"{rule.id}: the Example section needs a fenced code block"
    assert _rule_hits(tmp_path, rule, example), f"{rule.id}: the documented Example does not trigger the rule"


@pytest.mark.parametrize("rule", registry(), ids=lambda r: r.id)
def test_documented_fix_is_quiet(rule, tmp_path):
    example = rule.docs().example("Use instead")
    assert example is not None, f"{rule.id}: the Use instead section needs a fenced code block"
    assert not _rule_hits(tmp_path, rule, example), f"{rule.id}: the documented fix still triggers the rule"
