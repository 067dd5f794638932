"""SARIF 2.1.0 as GitHub code scanning reads it, built with ``sarif-om``.

Every rule that ran is described (short and full description, help text and markdown from the
rule's own docs, help URI, default level, tags with CWE ids, precision, security-severity). Results
carry repo-relative URIs against ``%SRCROOT%``, regions, related locations and the
``primaryLocationLineHash`` GitHub would compute itself. Suppressed findings are left out unless
asked for (GitHub ignores SARIF suppressions and would open alerts for them).
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, TextIO
from urllib.parse import quote

import attr
import sarif_om as om

from clerk_lint import __version__
from clerk_lint.findings import Finding, Location
from clerk_lint.fingerprint import line_hashes
from clerk_lint.rule import DOCS_URL, Rule
from clerk_lint.secrets import redact

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
PRECISION = {"high": "high", "medium": "medium", "low": "low"}
#: attributes written even when they equal sarif-om's default: an absent ``result.level`` means the
#: rule's ``defaultConfiguration.level``, not sarif-om's "warning", so leaving it out would turn a
#: warning of an error-level rule into an error
ALWAYS_WRITTEN = frozenset({"level"})


def to_jsonable(value: Any) -> Any:
    """sarif-om objects -> JSON values, with SARIF's property names; attributes left at their
    defaults are omitted (as Microsoft's own serializer does)."""
    if attr.has(type(value)):
        out = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            default = field.default
            if isinstance(default, attr.Factory):  # type: ignore[arg-type]
                default = default.factory()
            if item is None:
                continue
            if field.name not in ALWAYS_WRITTEN and default is not attr.NOTHING and item == default:
                continue
            out[field.metadata.get("schema_property_name", field.name)] = to_jsonable(item)
        return out
    if isinstance(value, dict):
        return {key: to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item) for item in value]
    return value


FENCE = re.compile(r"^\s*```\s*(?P<lang>[\w-]*)(?:\s+title=\"(?P<title>[^\"]+)\")?\s*$")


def _plain(markdown: str) -> str:
    """Markdown -> plain text for ``help.text``: links as ``text (url)``, no backticks, code blocks
    indented (with their file name, when the fence names one)."""
    lines: list[str] = []
    in_code = False
    for line in markdown.splitlines():
        fence = FENCE.match(line)
        if fence:
            if not in_code and fence.group("title"):
                lines.append(f"{fence.group('title')}:")
            in_code = not in_code
            continue
        if in_code:
            lines.append(f"    {line}" if line.strip() else "")
        else:
            lines.append(re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", line).replace("`", ""))
    return "\n".join(lines) + ("\n" if markdown.endswith("\n") else "")


def descriptor(rule: type[Rule]) -> om.ReportingDescriptor:
    """A rule's ``reportingDescriptor``. Its docs are redacted like code frames: an example key in
    the docs (CLK501 shows one) is secret-shaped, and a report must never carry one."""
    docs = rule.docs()
    tags = ["security", "clerk", *rule.tags, *(f"external/cwe/cwe-{n}" for n in rule.cwe)]
    properties = {"tags": tags, "precision": PRECISION[rule.confidence.value]}
    if rule.security_severity > 0:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    else:
        properties["tags"] = [t for t in tags if t != "security"]
        properties["problem.severity"] = "recommendation"
    body = redact(docs.markdown())
    help_markdown = f"## {rule.id} {rule.slug}: {rule.name}\n\n{body}"
    if rule.version_gates:
        help_markdown += f"\n### Levels\n\n{rule.version_gates}\n"
    return om.ReportingDescriptor(
        id=rule.id,
        name=_pascal(rule.slug),
        short_description=om.MultiformatMessageString(text=rule.name),
        full_description=om.MultiformatMessageString(text=_plain(redact(docs.summary))),
        help=om.MultiformatMessageString(text=_plain(body), markdown=help_markdown),
        help_uri=rule.help_uri(),
        default_configuration=om.ReportingConfiguration(level=rule.level.value),
        properties=properties,
    )


def _pascal(slug: str) -> str:
    return "".join(part.capitalize() for part in slug.split("-"))


def _is_absolute(path: str) -> bool:
    return PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute()


def _artifact(path: str) -> om.ArtifactLocation:
    """Repo-relative URI against ``%SRCROOT%``; a path outside the root (rare: a file named on the
    command line that resolves elsewhere) becomes an absolute ``file:`` URI with no base id."""
    if _is_absolute(path):
        pure = PureWindowsPath(path) if PureWindowsPath(path).drive else PurePosixPath(path)
        return om.ArtifactLocation(uri=pure.as_uri())
    return om.ArtifactLocation(uri=_uri(path), uri_base_id=SRCROOT)


def _physical(loc: Location) -> om.PhysicalLocation:
    return om.PhysicalLocation(
        artifact_location=_artifact(loc.path),
        region=om.Region(
            start_line=loc.start_line,
            start_column=loc.start_col,
            end_line=loc.end_line,
            end_column=loc.end_col,
        ),
    )


def _uri(path: str) -> str:
    return quote(path, safe="/")


def _root_uri(root: Path) -> str:
    uri = root.absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _hashes(run, paths: set[str]) -> dict[str, dict[int, str]]:
    """Line hashes of every file a result points into: from the text the run kept, else read again
    (a finding of a whole-run rule can point into a file that had no per-file finding)."""
    hashes = {}
    for path in sorted(paths):
        source = run.sources.get(path)
        if source is not None:
            text = source.text
        elif _is_absolute(path):
            continue
        else:
            try:
                text = (Path(run.root) / path).read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
        hashes[path] = line_hashes(text)
    return hashes


def _suppression(finding: Finding, run) -> dict:
    entry: dict[str, Any] = {"kind": "inSource"}
    reasons = [s.reason for s in run.suppressions.get(finding.location.path, ()) if s.covers(finding) and s.reason]
    if reasons:
        entry["justification"] = redact(reasons[0])
    return entry


def _result(finding: Finding, index: dict[str, int], hashes: dict[str, dict[int, str]], suppression: dict | None) -> om.Result:
    related = [
        om.Location(id=n, physical_location=_physical(loc), message=om.Message(text=loc.message) if loc.message else None)
        for n, loc in enumerate(finding.related, start=1)
    ]
    fingerprint = hashes.get(finding.location.path, {}).get(finding.location.start_line)
    return om.Result(
        rule_id=finding.rule_id,
        rule_index=index[finding.rule_id],
        level=finding.level.value,
        message=om.Message(text=finding.message),
        locations=[om.Location(physical_location=_physical(finding.location))],
        related_locations=related or None,
        partial_fingerprints={"primaryLocationLineHash": fingerprint} if fingerprint else None,
        suppressions=[suppression] if suppression else None,
        properties={"confidence": finding.confidence.value},
    )


def build(run, show_suppressed: bool = False) -> om.SarifLog:
    rules = sorted({*run.rules}, key=lambda r: r.id)
    index = {rule.id: n for n, rule in enumerate(rules)}
    reported = list(run.findings) + (list(run.suppressed) if show_suppressed else [])
    hashes = _hashes(run, {f.location.path for f in reported})
    results = [_result(f, index, hashes, None) for f in run.findings]
    if show_suppressed:
        results += [_result(f, index, hashes, _suppression(f, run)) for f in run.suppressed]
    notifications = [_notification(n) for n in run.notifications]
    driver = om.ToolComponent(
        name="clerk-lint",
        semantic_version=__version__,
        information_uri=DOCS_URL.split("/blob/")[0],
        rules=[descriptor(rule) for rule in rules],
    )
    sarif_run = om.Run(
        tool=om.Tool(driver=driver),
        automation_details=om.RunAutomationDetails(id="clerk-lint/"),
        original_uri_base_ids={SRCROOT: om.ArtifactLocation(uri=_root_uri(run.root))},
        column_kind="unicodeCodePoints",
        invocations=[
            om.Invocation(
                execution_successful=run.internal_errors == 0,
                tool_execution_notifications=notifications or None,
            )
        ],
        results=results,
    )
    return om.SarifLog(version="2.1.0", schema_uri=SCHEMA, runs=[sarif_run])


def _notification(n) -> om.Notification:
    """A ``toolExecutionNotification``; a path outside the root is named in the text instead."""
    if not n.path:
        return om.Notification(message=om.Message(text=n.message), level=n.level.value)
    if _is_absolute(n.path):
        return om.Notification(message=om.Message(text=n.render()), level=n.level.value)
    location = om.Location(
        physical_location=om.PhysicalLocation(
            artifact_location=_artifact(n.path),
            region=om.Region(start_line=n.line) if n.line else None,
        )
    )
    return om.Notification(message=om.Message(text=n.message), level=n.level.value, locations=[location])


def to_document(run, show_suppressed: bool = False) -> dict:
    """The SARIF log as JSON values, ``$schema`` and ``version`` first."""
    body = to_jsonable(build(run, show_suppressed))
    return {"$schema": body.pop("$schema"), "version": body.pop("version"), **body}


def render(run, out: TextIO, options: dict) -> None:
    json.dump(to_document(run, options.get("show_suppressed", False)), out, indent=2, ensure_ascii=False)
    out.write("\n")
