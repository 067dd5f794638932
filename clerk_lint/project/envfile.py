"""``.env`` files: ``NAME=value`` assignments with their byte positions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from clerk_lint.source import SourceFile

ASSIGNMENT = re.compile(rb"^[ \t]*(?:export[ \t]+)?(?P<name>[A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(?P<value>.*?)[ \t]*$", re.M)


@dataclass(frozen=True)
class EnvAssignment:
    name: str
    value: str  # unquoted
    name_start: int  # byte offsets into the file
    name_end: int
    value_start: int
    value_end: int


def assignments(file: SourceFile) -> list[EnvAssignment]:
    found = []
    for match in ASSIGNMENT.finditer(file.data):
        raw = match.group("value").decode("utf-8", "replace")
        value = raw
        if raw[:1] in ("'", '"') and raw.find(raw[0], 1) > 0:
            value = raw[1 : raw.find(raw[0], 1)]
        else:
            value = raw.split(" #", 1)[0].strip()
        found.append(
            EnvAssignment(
                match.group("name").decode("ascii"),
                value,
                match.start("name"),
                match.end("name"),
                match.start("value"),
                match.end("value"),
            )
        )
    return found
