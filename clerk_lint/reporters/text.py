"""Human output: each finding with a code frame, then a summary table by rule.

Colour only on a terminal (and never with ``--no-color``); secrets are redacted from code frames.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from clerk_lint.findings import Finding, Level
from clerk_lint.secrets import SECRET_RE, redact

STYLE = {Level.ERROR: "bold red", Level.WARNING: "yellow", Level.NOTE: "cyan"}


def display_path(path: str, root) -> str:
    """A finding's path as the user typed it: relative to the current directory when possible."""
    absolute = os.path.join(str(root), path)
    try:
        rel = os.path.relpath(absolute)
    except ValueError:
        return absolute
    return absolute if rel.startswith(".." + os.sep + "..") else rel


def _redacted_columns(line: str, start: int, end: int) -> tuple[int, int]:
    """Where the 0-based character range ``start:end`` of ``line`` lies in ``redact(line)``. A
    position inside a secret moves to the start (or, for ``end``, the end) of its redacted form, so
    the caret neither runs past the text nor shows how long the secret was."""

    def move(index: int, is_end: bool) -> int:
        shift = 0
        for match in SECRET_RE.finditer(line):
            if index <= match.start():
                break
            replacement = len(redact(match.group(0)))
            if index < match.end():
                return match.start() + shift + (replacement if is_end else 0)
            shift += replacement - (match.end() - match.start())
        return index + shift

    if "_" not in line:
        return start, end
    new_start = move(start, False)
    return new_start, max(move(end, True), new_start + 1)


def _frame(finding: Finding, run) -> Text | None:
    source = run.sources.get(finding.location.path)
    if source is None:
        return None
    loc = finding.location
    frame = Text()
    width = len(str(loc.start_line + 1))
    for line_no in range(max(1, loc.start_line - 1), min(source.line_count, loc.start_line + 1) + 1):
        line = redact(source.line_text(line_no)).expandtabs(4)
        if len(line) > 160:
            line = line[:157] + "..."
        marker = ">" if line_no == loc.start_line else " "
        frame.append(f" {marker} {line_no:>{width}} | ", style="dim")
        frame.append(line + "\n")
        if line_no == loc.start_line:
            start = loc.start_col - 1
            end = loc.end_col - 1 if loc.end_line == loc.start_line and loc.end_col > loc.start_col else start + 1
            original = source.line_text(line_no)
            raw = redact(original)
            start, end = _redacted_columns(original, start, end)
            end = min(end, max(len(raw), start + 1))
            # columns as displayed: tabs are expanded in the frame line above
            start, end = len(raw[:start].expandtabs(4)), len(raw[:end].expandtabs(4)) + max(0, end - len(raw))
            frame.append(" " * (width + 6) + " " * start, style="dim")
            frame.append("^" * max(1, min(end - start, 160 - start)) + "\n", style=STYLE[finding.level])
    return frame


def render(run, out: TextIO, options: dict) -> None:
    color = options.get("color", False)
    console = Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=True,
        width=None if color else 10_000,
    )
    for finding in run.findings:
        loc = finding.location
        head = Text()
        head.append(f"{display_path(loc.path, run.root)}:{loc.start_line}:{loc.start_col}", style="bold")
        head.append(" ")
        head.append(finding.rule_id, style=STYLE[finding.level])
        head.append(f" [{finding.slug}] ", style="dim")
        head.append(f"{finding.level.value}: ", style=STYLE[finding.level])
        head.append(finding.message)
        console.print(head)
        frame = _frame(finding, run)
        if frame is not None:
            console.print(frame, end="")
        for related in finding.related:
            note = related.message or "related"
            console.print(Text(f"   = {note}: {display_path(related.path, run.root)}:{related.start_line}:{related.start_col}", style="dim"))
        console.print()
    _summary(run, console)


def _summary(run, console: Console) -> None:
    counts = Counter(f.level for f in run.findings)
    if run.findings:
        by_rule = Counter((f.rule_id, f.slug) for f in run.findings)
        levels = {}
        for f in run.findings:
            levels.setdefault(f.rule_id, set()).add(f.level.value)
        table = Table(title=None, show_edge=False, box=None, pad_edge=False)
        table.add_column("rule")
        table.add_column("name")
        table.add_column("level")
        table.add_column("count", justify="right")
        for (rule_id, slug), count in sorted(by_rule.items()):
            table.add_row(rule_id, slug, "/".join(sorted(levels[rule_id])), str(count))
        console.print(table)
        console.print()
    parts = [f"{counts[level]} {level.value}{'s' if counts[level] != 1 else ''}" for level in Level if counts[level]]
    files = f"{run.files_scanned} file{'s' if run.files_scanned != 1 else ''}"
    if run.findings:
        line = f"Found {len(run.findings)} problem{'s' if len(run.findings) != 1 else ''} ({', '.join(parts)}) in {files}."
    else:
        line = f"No problems found in {files}."
    if run.suppressed:
        line += f" {len(run.suppressed)} suppressed."
    console.print(Text(line, style="bold"))
