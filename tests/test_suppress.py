"""Inline suppressions and the unused-suppression report (CLK900)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from harness import check_markers, write_files

from clerk_lint.cli import cli
from clerk_lint.suppress import parse_comment

KEY = "sk_test_9fKd2LmQ7rTz4XcVb8NwP1yHs6Ga3Ue5Jo0iRtqW"


@pytest.mark.parametrize(
    ("comment", "names", "reason"),
    [
        ("// clerk-lint-ignore CLK501 -- fixture key", ("CLK501",), "fixture key"),
        ("# clerk-lint-ignore CLK501, CLK502 -- two", ("CLK501", "CLK502"), "two"),
        ("{/* clerk-lint-ignore CLK202 */}", ("CLK202",), ""),
        ("/* clerk-lint-ignore: hardcoded-clerk-secret */", ("hardcoded-clerk-secret",), ""),
        ("// clerk-lint-ignore", (), ""),
        ("// nothing to see", None, None),
    ],
)
def test_parse_comment(comment, names, reason):
    parsed = parse_comment(comment)
    if names is None:
        assert parsed is None
    else:
        assert parsed == (names, reason)


def run(root, *args):
    result = CliRunner().invoke(cli, ["check", str(root), "--format", "json", *args])
    return result, json.loads(result.stdout) if result.stdout else None


def test_line_before_trailing_and_jsx(tmp_path):
    write_files(tmp_path, {
        "a.ts": f"// clerk-lint-ignore CLK501 -- documented\nexport const a = '{KEY}'\n",
        "b.py": f"B = '{KEY}'  # clerk-lint-ignore hardcoded-clerk-secret\n",
        "pages/_app.tsx": "import { ClerkProvider } from '@clerk/nextjs'\nexport default function A({ Component, pageProps }) {\n  return (\n    <>\n      {/* clerk-lint-ignore CLK202 -- on purpose */}\n      <ClerkProvider><Component {...pageProps} /></ClerkProvider>\n    </>\n  )\n}\n",
    })
    result, doc = run(tmp_path)
    assert doc["findings"] == []
    assert doc["summary"]["suppressed"] == 3
    assert result.exit_code == 0


def test_suppression_covers_only_its_line(tmp_path):
    # an own-line suppression covers the next line only: a blank line in between breaks it
    write_files(tmp_path, {"a.ts": f"// expect: CLK900\n// clerk-lint-ignore CLK501\n\nexport const a = '{KEY}' // expect: CLK501\n"})
    check_markers(tmp_path)


def test_suppression_of_other_rule_does_not_hide(tmp_path):
    write_files(tmp_path, {"a.ts": f"// expect: CLK501, CLK900\nexport const a = '{KEY}' // clerk-lint-ignore CLK502\n"})
    check_markers(tmp_path)


def test_bare_suppression_and_unused_bare(tmp_path):
    write_files(tmp_path, {"a.ts": f"export const a = '{KEY}' // clerk-lint-ignore\n// expect: CLK900\nexport const b = 1 // clerk-lint-ignore\n"})
    check_markers(tmp_path)


def test_unselected_rule_is_not_judged_unused(tmp_path):
    write_files(tmp_path, {"a.ts": "export const b = 1 // clerk-lint-ignore CLK201\n"})
    _, doc = run(tmp_path, "--select", "CLK5,CLK900")
    assert doc["findings"] == []
    _, doc = run(tmp_path)
    assert [f["rule"] for f in doc["findings"]] == ["CLK900"]


def test_prefix_suppression_used_by_one_rule(tmp_path):
    write_files(tmp_path, {"a.ts": f"export const a = '{KEY}' // clerk-lint-ignore CLK5\n"})
    _, doc = run(tmp_path)
    assert doc["findings"] == []


def test_unknown_rule_in_suppression_is_reported(tmp_path):
    write_files(tmp_path, {"a.ts": f"export const a = '{KEY}' // clerk-lint-ignore CLK5O1\n"})
    result, doc = run(tmp_path)
    assert [f["rule"] for f in doc["findings"]] == ["CLK501"]
    assert "CLK5O1" in result.stderr and "suppression ignored" in result.stderr


def test_show_suppressed(tmp_path):
    write_files(tmp_path, {"a.ts": f"export const a = '{KEY}' // clerk-lint-ignore CLK501\n"})
    _, doc = run(tmp_path, "--show-suppressed")
    assert [f["rule"] for f in doc["suppressed"]] == ["CLK501"]
    _, doc = run(tmp_path)
    assert doc["suppressed"] == []
