"""The marker harness: expectations written inside fixture files, compared as exact sets.

``// expect: CLK501`` (``# expect: …`` in Python and .env files, ``{/* expect: … */}`` in JSX) after
code means a finding of that rule starts on this line; on a line of its own it means the next line.
``ok: CLK501`` documents a deliberate negative. ``todo-expect:`` / ``todo-ok:`` record known gaps:
they assert the current (wrong) behaviour and fail once it changes, so the marker gets promoted.
Files that cannot hold comments (package.json) list theirs in ``expected.toml`` beside them.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from clerk_lint.cli import cli
from clerk_lint.discovery import DEFAULT_EXCLUDED_DIRS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MARKER = re.compile(r"(?P<lead>//|#|/\*|\{/\*)\s*(?P<kind>todo-expect|todo-ok|expect|ok):\s*(?P<ids>CLK\d{3}(?:\s*,\s*CLK\d{3})*)")
Key = tuple[str, int, str]  # (relative path, line, rule id)


@dataclass
class Expectations:
    expect: set[Key] = field(default_factory=set)
    ok: set[Key] = field(default_factory=set)
    todo_expect: set[Key] = field(default_factory=set)
    todo_ok: set[Key] = field(default_factory=set)

    def add(self, kind: str, key: Key) -> None:
        getattr(self, kind.replace("-", "_")).add(key)


def _marker_files(root: Path):
    for path in sorted(root.rglob("*")):
        if path.is_file() and not set(path.relative_to(root).parts) & DEFAULT_EXCLUDED_DIRS:
            yield path


def collect(root: Path) -> Expectations:
    found = Expectations()
    for path in _marker_files(root):
        rel = path.relative_to(root).as_posix()
        if path.name == "expected.toml":
            doc = tomllib.loads(path.read_text("utf-8"))
            base = path.parent.relative_to(root)
            for item in doc.get("finding", []):
                target = (base / item["path"]).as_posix()
                found.add(item.get("kind", "expect"), (target, int(item["line"]), item["rule"]))
            continue
        try:
            lines = path.read_text("utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(lines, start=1):
            for match in MARKER.finditer(line):
                own_line = line[: match.start()].strip() in ("", "{")
                target = number + 1 if own_line else number
                for rule in re.split(r"\s*,\s*", match.group("ids")):
                    found.add(match.group("kind"), (rel, target, rule))
    return found


def scan(root: Path, *args: str) -> tuple[int, dict]:
    """Run the real CLI on ``root`` with JSON output; (exit code, document)."""
    result = CliRunner().invoke(cli, ["check", str(root), "--format", "json", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def actual(document: dict, root: Path) -> set[Key]:
    keys = set()
    base = Path(document["root"])
    for finding in document["findings"]:
        path = (base / finding["location"]["path"]).resolve().relative_to(root.resolve()).as_posix()
        keys.add((path, finding["location"]["line"], finding["rule"]))
    return keys


def check_markers(root: Path, *args: str, only: str | None = None) -> None:
    """Assert the findings for ``root`` are exactly what its markers say (for the one rule
    ``only`` when given: its markers against its findings in a run of every rule)."""
    expected = collect(root)
    if only is not None:
        for name in ("expect", "ok", "todo_expect", "todo_ok"):
            setattr(expected, name, {key for key in getattr(expected, name) if key[2] == only})
    _, document = scan(root, *args)
    got = actual(document, root)
    if only is not None:
        got = {key for key in got if key[2] == only}
    messages = {
        ((Path(document["root"]) / f["location"]["path"]).resolve().relative_to(root.resolve()).as_posix(), f["location"]["line"], f["rule"]): f["message"]
        for f in document["findings"]
    }
    unexpected = sorted(got - expected.expect - expected.todo_ok)
    missing = sorted(expected.expect - got)
    contradicted = sorted(expected.ok & got)
    closed_gaps = sorted(expected.todo_expect & got) + sorted(expected.todo_ok - got)
    problems = []
    seen: set[str] = set()
    for finding in document["findings"]:  # the same finding twice is a bug the sets above would hide
        if only is not None and finding["rule"] != only:
            continue
        key = json.dumps([finding["rule"], finding["location"], finding["message"]], sort_keys=True)
        if key in seen:
            problems.append(f"duplicate finding {finding['location']['path']}:{finding['location']['line']} {finding['rule']}")
        seen.add(key)
    problems += [f"unexpected finding {p}:{line} {rule}: {messages[(p, line, rule)]}" for p, line, rule in unexpected]
    problems += [f"missing finding {p}:{line} {rule}" for p, line, rule in missing]
    problems += [f"finding on an ok: marker {p}:{line} {rule}" for p, line, rule in contradicted]
    problems += [f"known gap closed, promote the todo marker: {p}:{line} {rule}" for p, line, rule in closed_gaps]
    assert not problems, "\n".join(problems)


def write_files(root: Path, files: dict[str, str]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
