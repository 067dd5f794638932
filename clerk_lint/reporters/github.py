"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding."""

from __future__ import annotations

from typing import TextIO

COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(run, out: TextIO, options: dict) -> None:
    for finding in run.findings:
        loc = finding.location
        props = {
            "file": loc.path,
            "line": loc.start_line,
            "endLine": loc.end_line,
            "title": f"clerk-lint {finding.rule_id} ({finding.slug})",
        }
        if loc.start_line == loc.end_line:
            props["col"] = loc.start_col
            props["endColumn"] = loc.end_col
        rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items())
        out.write(f"::{COMMAND[finding.level.value]} {rendered}::{escape_data(finding.message)}\n")
