"""Inline suppressions: ``// clerk-lint-ignore CLK201 -- reason`` (``#`` in Python and .env files).

A comment on a line of its own applies to the next line; a comment after code applies to its own
line. With no rule named it applies to every rule. Each suppression remembers which of the rules it
names it actually silenced, so the unused ones can be reported (CLK900).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from clerk_lint import parsing
from clerk_lint.findings import Finding, Location, Notification
from clerk_lint.rule import expand
from clerk_lint.source import CODE, SourceFile

MARKER = b"clerk-lint-ignore"
PATTERN = re.compile(r"clerk-lint-ignore\b[:\s]*(?P<body>.*)")
COMMENT_QUERY = "(comment) @comment"


@dataclass
class Suppression:
    location: Location  # the comment
    target_line: int
    rules: frozenset[str]  # rule ids; empty = every rule
    entries: tuple[tuple[str, frozenset[str]], ...]  # each name as written, with the ids it means
    reason: str
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        return finding.location.start_line == self.target_line and (not self.rules or finding.rule_id in self.rules)


def parse_comment(comment: str) -> tuple[tuple[str, ...], str] | None:
    """``(rule names, reason)`` of a suppression comment's text, or None if it is not one."""
    match = PATTERN.search(comment)
    if not match:
        return None
    body = match.group("body")
    for closer in ("*/}", "*/", "-->"):
        if body.rstrip().endswith(closer):
            body = body.rstrip()[: -len(closer)]
    names_part, _, reason = body.partition("--")
    names = tuple(n for n in re.split(r"[\s,]+", names_part.strip()) if n)
    return names, reason.strip()


def _comments(file: SourceFile) -> list[tuple[int, int]]:
    """Byte ranges of the comments of a file that mention the marker."""
    if file.kind == CODE:
        nodes = parsing.captures(file.grammar, COMMENT_QUERY, file.root).get("comment", ())
        return [(n.start_byte, n.end_byte) for n in nodes if MARKER in n.text]
    ranges = []
    for line in range(1, file.line_count + 1):
        start = file.line_starts[line - 1]
        stripped = file.line_text(line).lstrip()
        if stripped.startswith("#") and "clerk-lint-ignore" in stripped:
            offset = start + len(file.line_text(line).encode()) - len(stripped.encode())
            ranges.append((offset, start + len(file.line_text(line).encode())))
    return ranges


def scan(file: SourceFile, notify) -> list[Suppression]:
    if MARKER not in file.data:
        return []
    found = []
    for start, end in _comments(file):
        comment = file.data[start:end].decode("utf-8", "replace")
        parsed = parse_comment(comment)
        if parsed is None:
            continue
        names, reason = parsed
        location = file.location(start, end)
        try:
            entries = tuple((name, frozenset(expand([name], "clerk-lint-ignore"))) for name in names)
        except ValueError as exc:
            notify(Notification(file.rel, f"{exc}; suppression ignored", line=location.start_line))
            continue
        rules = frozenset().union(*(ids for _, ids in entries))
        line_start = file.line_starts[location.start_line - 1]
        before = file.data[line_start:start].strip()
        own_line = before in (b"", b"{")
        target = location.end_line + 1 if own_line else location.start_line
        found.append(Suppression(location, target, rules, entries, reason))
    return found


def apply(findings: list[Finding], suppressions: dict[str, list[Suppression]]) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (kept, suppressed), marking which suppressions were used."""
    kept, suppressed = [], []
    for finding in findings:
        hit = False
        for suppression in suppressions.get(finding.location.path, ()):
            if suppression.covers(finding):
                suppression.used.add(finding.rule_id)
                hit = True
        (suppressed if hit else kept).append(finding)
    return kept, suppressed


def unused(suppression: Suppression, selected: set[str]) -> list[str]:
    """The names in a suppression that silenced nothing although their rules ran
    (``["*"]`` for a bare suppression that silenced nothing)."""
    if not suppression.entries:
        return [] if suppression.used else ["*"]
    return [name for name, ids in suppression.entries if ids & selected and not ids & suppression.used]
