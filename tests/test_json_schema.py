"""The JSON report matches its published, versioned schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner
from harness import write_files

from clerk_lint.cli import cli

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "docs" / "findings.schema.json").read_text("utf-8"))


def test_report_matches_schema(tmp_path):
    write_files(tmp_path, {
        ".env.production": "CLERK_SECRET_KEY=sk_live_2xQ9vTn4KpL8wRz3YbM7cJf5HsD1aGe6UoN0iVtq\n",
        "broken.ts": "export const = {\n",
        "a.ts": "export const k = 'sk_test_9fKd2LmQ7rTz4XcVb8NwP1yHs6Ga3Ue5Jo0iRtqW' // clerk-lint-ignore CLK501\n",
    })
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--format", "json", "--show-suppressed"])
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    assert document["findings"] and document["suppressed"] and document["notifications"]


def test_schema_rejects_a_wrong_report():
    bad = {"schema_version": 1, "tool": {"name": "clerk-lint", "version": "0"}, "root": "/", "findings": [{"rule": "X"}],
           "suppressed": [], "notifications": [], "summary": {"files_scanned": 0, "findings": 0, "suppressed": 0, "by_level": {"error": 0, "warning": 0, "note": 0}}}
    try:
        jsonschema.validate(bad, SCHEMA)
    except jsonschema.ValidationError:
        return
    raise AssertionError("the schema accepted a finding without its fields")
