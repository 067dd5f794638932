"""The docs are generated from the rules and must not go stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clerk_lint.docs import rules_markdown
from clerk_lint.rule import DOC_SECTIONS, RuleError, registry, validate

ROOT = Path(__file__).resolve().parents[1]


def test_docs_rules_md_is_fresh():
    on_disk = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert on_disk == rules_markdown(), "docs/rules.md is stale: run `clerk-lint rules --format markdown > docs/rules.md`"


def test_readme_lists_every_rule():
    readme = (ROOT / "README.md").read_text("utf-8")
    for rule in registry():
        assert re.search(rf"\b{rule.id}\b.*{re.escape(rule.slug)}", readme), f"README's rule table lacks {rule.id}"


@pytest.mark.parametrize("rule", registry(), ids=lambda r: r.id)
def test_rule_docs_have_every_section(rule):
    docs = rule.docs()
    for section in DOC_SECTIONS:
        assert docs.sections.get(section), f"{rule.id}: empty or missing section {section!r}"
    assert "](" in docs.sections["References"], f"{rule.id}: References need links"


def test_registry_rejects_a_broken_rule():
    from clerk_lint.rule import Rule

    class Broken(Rule):
        """## What it does\n\nnothing"""

        id = "CLK1"
        slug = "Broken_Rule"
        name = "broken"

    with pytest.raises(RuleError):
        validate(Broken)


def test_ids_and_slugs_are_unique_and_match_the_catalog():
    ids = [r.id for r in registry()]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)
