"""Reporters: golden outputs of a small app in every format, and the contracts each format keeps.

The app in ``tests/goldens/app/`` is copied to a temporary directory and scanned from there, so the
repository's own settings and .gitignore never leak into the outputs. The machine-specific parts
(the absolute root, the tool version) are normalized before comparing. To accept a change in the
outputs, rewrite the goldens and review the diff:

    CLERK_LINT_UPDATE_GOLDENS=1 python -m pytest tests/test_reporters.py
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from clerk_lint import __version__
from clerk_lint.cli import cli
from clerk_lint.config import Config
from clerk_lint.engine import Run
from clerk_lint.findings import Confidence, Finding, Level, Location, Notification
from clerk_lint.fingerprint import line_hashes
from clerk_lint.reporters import github, sarif
from clerk_lint.rule import by_key
from clerk_lint.secrets import SECRET_RE

GOLDENS = Path(__file__).parent / "goldens"
APP = GOLDENS / "app"
UPDATE = os.environ.get("CLERK_LINT_UPDATE_GOLDENS") == "1"
#: the rules the goldens are pinned to, so a new rule does not change them
RULES = "CLK201,CLK202,CLK501,CLK502,CLK900"
GOLDEN_FILES = {"json": "report.json", "sarif": "report.sarif", "github": "report.github.txt", "text": "report.txt"}
ROOT_PATH = "/ROOT"
ROOT_URI = "file:///ROOT/"
VERSION = "VERSION"


@contextmanager
def chdir(path: Path):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def check(app: Path, *args: str) -> SimpleNamespace:
    """``clerk-lint check .`` run from inside ``app``, as a user would."""
    with chdir(app):
        result = CliRunner().invoke(cli, ["check", ".", "--select", RULES, *args], catch_exceptions=False)
    return SimpleNamespace(exit_code=result.exit_code, stdout=result.stdout, stderr=result.stderr)


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("goldens") / "app"
    shutil.copytree(APP, target)
    return target


@pytest.fixture(scope="module")
def outputs(app) -> dict[str, SimpleNamespace]:
    return {fmt: check(app, "--format", fmt, *(["--no-color"] if fmt == "text" else [])) for fmt in GOLDEN_FILES}


@pytest.fixture(scope="module")
def sarif_log(outputs) -> dict:
    return json.loads(outputs["sarif"].stdout)


@pytest.fixture(scope="module")
def sarif_with_suppressed(app) -> dict:
    return json.loads(check(app, "--format", "sarif", "--show-suppressed").stdout)


def secrets_in_app() -> list[str]:
    found = []
    for path in sorted(APP.rglob("*")):
        if path.is_file():
            found += [m.group(0) for m in SECRET_RE.finditer(path.read_text("utf-8"))]
    return found


# -- goldens ------------------------------------------------------------------------------------------


def normalize(fmt: str, text: str, app: Path) -> str:
    if fmt == "json":
        document = json.loads(text)
        assert Path(document["root"]) == app.resolve()
        document["root"] = ROOT_PATH
        document["tool"]["version"] = VERSION
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        document = json.loads(text)
        run = document["runs"][0]
        base = run["originalUriBaseIds"]["%SRCROOT%"]
        assert base["uri"] == app.resolve().as_uri() + "/"
        base["uri"] = ROOT_URI
        assert run["tool"]["driver"]["semanticVersion"] == __version__
        run["tool"]["driver"]["semanticVersion"] = VERSION
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert str(app) not in text and str(app.resolve()) not in text
    return text


@pytest.mark.parametrize("fmt", list(GOLDEN_FILES))
def test_golden(fmt, outputs, app):
    result = outputs[fmt]
    assert result.exit_code == 1, result.stderr
    actual = normalize(fmt, result.stdout, app)
    golden = GOLDENS / GOLDEN_FILES[fmt]
    if UPDATE:
        golden.write_text(actual, "utf-8", newline="\n")
    assert golden.exists(), f"{golden} is missing; run with CLERK_LINT_UPDATE_GOLDENS=1 to create it"
    expected = golden.read_text("utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(golden), "actual"))
        pytest.fail(f"{fmt} output differs from {golden.name} (CLERK_LINT_UPDATE_GOLDENS=1 rewrites it; review the diff):\n{diff}")


def test_golden_app_has_no_expectation_markers():
    # the app is scanned by these tests only; markers would make it look like a fixture app
    for path in APP.rglob("*"):
        if path.is_file():
            assert not re.search(r"\b(todo-)?(expect|ok):\s*CLK", path.read_text("utf-8")), path


def test_syntax_error_is_a_notification_not_a_finding(outputs):
    for fmt, result in outputs.items():
        assert "lib/broken.ts:1: syntax error" in result.stderr, fmt
        if fmt in ("text", "github"):
            assert "broken.ts" not in result.stdout, fmt
    notifications = json.loads(outputs["json"].stdout)["notifications"]
    assert [(n["path"], n["line"], n["level"]) for n in notifications] == [("lib/broken.ts", 1, "note")]


# -- secrets --------------------------------------------------------------------------------------------


def test_the_app_holds_the_secrets_the_next_test_looks_for():
    secrets = secrets_in_app()
    assert "sk_live_2xQ9vTn4KpL8wRz3YbM7cJf5HsD1aGe6UoN0iVtq" in secrets
    assert len(secrets) == 5


@pytest.mark.parametrize("fmt", list(GOLDEN_FILES))
@pytest.mark.parametrize("show_suppressed", [False, True], ids=["default", "show-suppressed"])
def test_no_format_ever_prints_a_secret(fmt, show_suppressed, app):
    result = check(app, "--format", fmt, "--no-color", *(["--show-suppressed"] if show_suppressed else []))
    assert result.exit_code == 1
    for secret in secrets_in_app():
        body = secret.split("_", 2)[-1]
        for stream in (result.stdout, result.stderr):
            assert secret not in stream and body not in stream and body[:16] not in stream


# -- github -------------------------------------------------------------------------------------------


def test_github_escapes_data_and_properties():
    assert github.escape_data("100% done\r\nnext\nline") == "100%25 done%0D%0Anext%0Aline"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_line_escapes_message_and_path():
    location = Location("dir:a,b/100%.ts", 3, 5, 3, 9)
    finding = Finding("CLK501", "hardcoded-clerk-secret", Level.WARNING, Confidence.HIGH, "50% sure:\r\nsee, here", location)
    out = _render(github.render, SimpleNamespace(findings=[finding]))
    assert out == (
        "::warning file=dir%3Aa%2Cb/100%25.ts,line=3,endLine=3,"
        "title=clerk-lint CLK501 (hardcoded-clerk-secret),col=5,endColumn=9::50%25 sure:%0D%0Asee, here\n"
    )


def test_github_multi_line_region_has_no_columns_and_notes_are_notices():
    finding = Finding("CLK202", "pages-router-clerk-setup", Level.NOTE, Confidence.HIGH, "m", Location("a.tsx", 2, 3, 4, 1))
    assert _render(github.render, SimpleNamespace(findings=[finding])) == (
        "::notice file=a.tsx,line=2,endLine=4,title=clerk-lint CLK202 (pages-router-clerk-setup)::m\n"
    )


def _render(render, run, **options) -> str:
    import io

    out = io.StringIO()
    render(run, out, options)
    return out.getvalue()


# -- SARIF ----------------------------------------------------------------------------------------------


def artifact_locations(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "artifactLocation":
                yield value
            else:
                yield from artifact_locations(value)
    elif isinstance(node, list):
        for item in node:
            yield from artifact_locations(item)


def test_sarif_top_level(sarif_log):
    assert list(sarif_log)[:3] == ["$schema", "version", "runs"]
    assert sarif_log["version"] == "2.1.0"
    (run,) = sarif_log["runs"]
    assert run["automationDetails"]["id"] == "clerk-lint/"
    assert run["tool"]["driver"]["name"] == "clerk-lint"
    assert run["tool"]["driver"]["informationUri"].startswith("https://")
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_rule_index_matches_rules(sarif_with_suppressed):
    run = sarif_with_suppressed["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert ids == sorted(set(ids)) == RULES.split(",")
    assert run["results"]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]


def test_sarif_rules_carry_what_github_reads(sarif_log):
    for rule in sarif_log["runs"][0]["tool"]["driver"]["rules"]:
        cls = by_key(rule["id"])
        assert rule["name"] and len(rule["name"]) <= 255
        assert rule["shortDescription"]["text"] == cls.name
        assert rule["fullDescription"]["text"].strip()
        assert rule["help"]["text"].strip() and "```" not in rule["help"]["text"]
        assert rule["help"]["markdown"].startswith(f"## {cls.id} {cls.slug}: ")
        for section in ("### What it does", "### Why is this bad?", "### Example", "### Use instead", "### References"):
            assert section in rule["help"]["markdown"], (rule["id"], section)
        assert rule["helpUri"] == cls.help_uri()
        assert rule["defaultConfiguration"]["level"] == cls.level.value
        properties = rule["properties"]
        assert properties["precision"] in ("very-high", "high", "medium", "low")
        assert 0 < len(properties["tags"]) <= 20
        assert all(f"external/cwe/cwe-{n}" in properties["tags"] for n in cls.cwe)
        if cls.security_severity > 0:
            severity = properties["security-severity"]
            assert isinstance(severity, str) and re.fullmatch(r"\d{1,2}\.\d", severity)
            assert 0.1 <= float(severity) <= 10.0 and float(severity) == cls.security_severity
            assert "security" in properties["tags"]
        else:
            assert "security-severity" not in properties and "security" not in properties["tags"]
            assert properties["problem.severity"] in ("error", "warning", "recommendation")


def test_sarif_results_have_fingerprints_levels_and_regions(sarif_with_suppressed, app):
    for result in sarif_with_suppressed["runs"][0]["results"]:
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        region = physical["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])
        text = (app / unquote(physical["artifactLocation"]["uri"])).read_bytes().decode("utf-8")
        fingerprint = result["partialFingerprints"]["primaryLocationLineHash"]
        assert re.fullmatch(r"[0-9a-f]{1,16}:\d+", fingerprint)
        assert fingerprint == line_hashes(text)[region["startLine"]]


def test_sarif_keeps_warning_level_of_an_error_rule(sarif_log):
    # an absent result.level means the rule's default (error for CLK501), so "warning" must be written
    levels = {(r["ruleId"], r["level"]) for r in sarif_log["runs"][0]["results"]}
    assert ("CLK501", "warning") in levels and ("CLK501", "error") in levels


def test_sarif_every_artifact_location_is_relative_to_srcroot(sarif_with_suppressed, app):
    run = sarif_with_suppressed["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": app.resolve().as_uri() + "/"}}
    locations = list(artifact_locations(run["results"])) + list(artifact_locations(run["invocations"]))
    assert len(locations) > len(run["results"])  # the notifications have some too
    for artifact in locations:
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert not artifact["uri"].startswith(("/", "file:")) and ".." not in artifact["uri"].split("/")
    uris = {a["uri"] for a in locations}
    assert "lib/legacy%20helpers.ts" in uris  # percent-encoded, as a URI must be


def test_sarif_notifications(sarif_log):
    (invocation,) = sarif_log["runs"][0]["invocations"]
    notes = invocation["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes] == ["lib/broken.ts"]
    assert notes[0]["level"] == "note" and "syntax error" in notes[0]["message"]["text"]


def test_sarif_omits_suppressed_results_by_default(sarif_log, sarif_with_suppressed):
    default = sarif_log["runs"][0]["results"]
    shown = sarif_with_suppressed["runs"][0]["results"]
    assert all("suppressions" not in r for r in default)
    suppressed = [r for r in shown if "suppressions" in r]
    assert len(suppressed) == 1 and len(shown) == len(default) + 1
    (result,) = suppressed
    assert result["ruleId"] == "CLK501"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "lib/clerk.ts"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert result["suppressions"] == [{"kind": "inSource", "justification": "rotated development key, kept for the demo"}]
    assert result["partialFingerprints"]["primaryLocationLineHash"]


def test_json_show_suppressed(app, outputs):
    assert json.loads(outputs["json"].stdout)["suppressed"] == []
    document = json.loads(check(app, "--format", "json", "--show-suppressed").stdout)
    assert [(s["rule"], s["location"]["path"], s["location"]["line"]) for s in document["suppressed"]] == [("CLK501", "lib/clerk.ts", 4)]
    assert document["summary"]["suppressed"] == 1


def test_sarif_related_locations_and_paths_outside_the_root(tmp_path):
    rule = by_key("CLK201")
    (tmp_path / "middleware.ts").write_text("import { authMiddleware } from '@clerk/nextjs/server'\n")
    finding = Finding(
        rule.id, rule.slug, Level.WARNING, Confidence.MEDIUM, "m",
        Location("middleware.ts", 1, 10, 1, 24),
        related=(Location("package.json", 3, 5, 3, 30, message="the @clerk/nextjs version"),),
    )
    run = Run(root=tmp_path, config=Config(), rules=[rule], findings=[finding])
    run.notifications = [Notification("/elsewhere/x.ts", "cannot read file; skipped"), Notification("", "no files")]
    document = sarif.to_document(run)
    (result,) = document["runs"][0]["results"]
    assert result["level"] == "warning" and result["ruleIndex"] == 0
    assert result["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": "package.json", "uriBaseId": "%SRCROOT%"},
                "region": {"endColumn": 30, "endLine": 3, "startColumn": 5, "startLine": 3},
            },
            "message": {"text": "the @clerk/nextjs version"},
        }
    ]
    # the file had no per-file finding kept in run.sources: the fingerprint is computed from disk
    assert result["partialFingerprints"]["primaryLocationLineHash"] == line_hashes((tmp_path / "middleware.ts").read_text())[1]
    notes = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes == [
        {"message": {"text": "/elsewhere/x.ts: cannot read file; skipped"}, "level": "warning"},
        {"message": {"text": "no files"}, "level": "warning"},
    ]


def test_sarif_help_never_carries_a_secret_shaped_example():
    # CLK501's docs show a key in their Example; the SARIF help shows it redacted
    rule = by_key("CLK501")
    assert SECRET_RE.search(rule.docs().markdown())
    descriptor = sarif.to_jsonable(sarif.descriptor(rule))
    assert not SECRET_RE.search(json.dumps(descriptor, ensure_ascii=False))
    assert "sk_live_…[redacted]" in descriptor["help"]["markdown"]


def _multitool() -> str | None:
    explicit = os.environ.get("SARIF_MULTITOOL")
    if explicit:
        return explicit
    home = os.environ.get("SARIF_MULTITOOL_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "clerk-lint", "sarif-multitool"
    )
    tool = Path(home) / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"
    return str(tool) if tool.is_file() else None


@pytest.mark.skipif(_multitool() is None, reason="SARIF Multitool not installed (scripts/validate-sarif.sh installs it; .ci/run runs it)")
@pytest.mark.parametrize("show_suppressed", [False, True], ids=["default", "show-suppressed"])
def test_sarif_passes_the_multitool(show_suppressed, app, tmp_path):
    out = tmp_path / "report.sarif"
    result = check(app, "--format", "sarif", "--output", str(out), *(["--show-suppressed"] if show_suppressed else []))
    assert result.exit_code == 1
    script = Path(__file__).resolve().parents[1] / "scripts" / "validate-sarif.sh"
    done = subprocess.run(["bash", str(script), str(out)], capture_output=True, text=True, env={**os.environ, "SARIF_MULTITOOL": _multitool()})
    assert done.returncode == 0, done.stdout + done.stderr


# -- fingerprints -----------------------------------------------------------------------------------------
# test vectors of github/codeql-action's fingerprint tests (src/fingerprints.test.ts)


def test_fingerprint_of_empty_file():
    assert line_hashes("") == {1: "c129715d7a2bc9a3:1"}


def test_fingerprint_whitespace_is_ignored():
    assert line_hashes(" a\nb\n  \t\tc\n d") == {
        1: "271789c17abda88f:1",
        2: "54703d4cd895b18:1",
        3: "180aee12dab6264:1",
        4: "a23a3dc5e078b07b:1",
    }


def test_fingerprint_line_endings():
    assert line_hashes(" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n") == {
        1: "e9496ae3ebfced30:1",
        2: "fb7c023a8b9ccb3f:1",
        3: "ce8ba1a563dcdaca:1",
        4: "e20e36e16fcb0cc8:1",
        5: "b3edc88f2938467e:1",
        6: "c8e28b0b4002a3a0:1",
        7: "c129715d7a2bc9a3:1",
    }


def test_fingerprint_repeated_lines_are_numbered():
    expected = [f"a7f2ff13bc495cf2:{n}" for n in range(1, 7)] + [
        "a7f2ff1481e87703:1",
        "a9cf91f7bbf1862b:1",
        "55ec222b86bcae53:1",
        "cc97dc7b1d7d8f7b:1",
        "c129715d7a2bc9a3:1",
    ]
    assert line_hashes("Lorem ipsum dolor sit amet.\n" * 10) == dict(enumerate(expected, start=1))
