"""Machine-readable findings. The shape is versioned (``schema_version``) and described by
``docs/findings.schema.json``; a change that removes or renames a field bumps the version."""

from __future__ import annotations

import json
from typing import TextIO

from clerk_lint import __version__
from clerk_lint.findings import Finding, Location

SCHEMA_VERSION = 1


def _location(loc: Location) -> dict:
    data = {
        "path": loc.path,
        "line": loc.start_line,
        "column": loc.start_col,
        "end_line": loc.end_line,
        "end_column": loc.end_col,
    }
    if loc.message:
        data["message"] = loc.message
    return data


def finding_dict(finding: Finding) -> dict:
    return {
        "rule": finding.rule_id,
        "slug": finding.slug,
        "level": finding.level.value,
        "confidence": finding.confidence.value,
        "message": finding.message,
        "location": _location(finding.location),
        "related": [_location(r) for r in finding.related],
    }


def render(run, out: TextIO, options: dict) -> None:
    counts = {"error": 0, "warning": 0, "note": 0}
    for finding in run.findings:
        counts[finding.level.value] += 1
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "clerk-lint", "version": __version__},
        "root": run.root.as_posix(),
        "findings": [finding_dict(f) for f in run.findings],
        "suppressed": [finding_dict(f) for f in run.suppressed] if options.get("show_suppressed") else [],
        "notifications": [
            {"path": n.path, "line": n.line, "level": n.level.value, "message": n.message} for n in run.notifications
        ],
        "summary": {
            "files_scanned": run.files_scanned,
            "findings": len(run.findings),
            "suppressed": len(run.suppressed),
            "by_level": counts,
        },
    }
    json.dump(document, out, indent=2, ensure_ascii=False)
    out.write("\n")
