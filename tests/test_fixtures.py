"""Whole-app fixtures (tests/fixtures/*) and the bundled examples (examples/*), run through the real CLI.

Every app's expectations live in its files as markers (see harness.py); the tests below add what
markers cannot say: the level of a finding, the version it was judged against, and that no report
format ever prints a secret.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from harness import check_markers, scan

from clerk_lint.cli import cli

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
EXAMPLES = TESTS.parent / "examples"


def _apps(parent: Path) -> list[Path]:
    return sorted(p for p in parent.iterdir() if p.is_dir()) if parent.is_dir() else []


FIXTURE_APPS = _apps(FIXTURES)
EXAMPLE_APPS = _apps(EXAMPLES)
ALL_APPS = FIXTURE_APPS + EXAMPLE_APPS

#: anything shaped like a Clerk/Stripe/Svix secret of real length, placeholders included
SECRET_SHAPE = re.compile(r"(?:sk_live_|sk_test_|whsec_)[A-Za-z0-9+/=_-]{20,}")


def _document(app: Path, *args: str) -> dict:
    _, document = scan(app, *args)
    return document


def _rel(finding: dict, document: dict, app: Path) -> str:
    """The finding's path relative to the app (the CLI reports paths relative to its own root)."""
    path = (Path(document["root"]) / finding["location"]["path"]).resolve()
    return path.relative_to(app.resolve()).as_posix()


def _findings(app: Path, *args: str) -> list[dict]:
    """Findings with their path relative to the app in ``finding["rel"]``."""
    document = _document(app, *args)
    return [dict(f, rel=_rel(f, document, app)) for f in document["findings"]]


def _by_file(app: Path, rule: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for finding in _findings(app):
        if finding["rule"] == rule:
            found.setdefault(finding["rel"], []).append(finding)
    return found


# -- markers -------------------------------------------------------------------------------------


def test_there_are_fixtures_and_examples():
    names = {p.name for p in FIXTURE_APPS}
    assert {"v4-pages-router", "v5-app", "v6-src-layout", "monorepo", "secrets", "suppressions"} <= names
    assert {"nextjs-app", "python-api"} <= {p.name for p in EXAMPLE_APPS}


@pytest.mark.parametrize("app", FIXTURE_APPS, ids=lambda p: p.name)
def test_fixture_markers(app):
    check_markers(app)


@pytest.mark.parametrize("app", EXAMPLE_APPS, ids=lambda p: p.name)
def test_example_markers(app):
    check_markers(app)


# -- version-aware levels ------------------------------------------------------------------------


def test_monorepo_levels_follow_each_apps_locked_version():
    """Same authMiddleware import in both apps: v6 (web) is an error, v5 (admin) a warning, and
    the versions are the exact ones pnpm-lock.yaml pins, not the lower bounds of the ranges."""
    app = FIXTURES / "monorepo"
    hits = _by_file(app, "CLK201")
    assert set(hits) == {"apps/web/middleware.ts", "apps/admin/middleware.ts"}
    [web] = hits["apps/web/middleware.ts"]
    [admin] = hits["apps/admin/middleware.ts"]
    assert web["level"] == "error"
    assert admin["level"] == "warning"
    assert "6.12.12" in web["message"] and "6.9.0" not in web["message"]
    assert "5.7.5" in admin["message"] and "5.7.1" not in admin["message"]


def test_pages_router_is_a_warning_on_v4_and_a_note_on_v6():
    [v4] = _by_file(FIXTURES / "v4-pages-router", "CLK202")["pages/_app.tsx"]
    [v6] = _by_file(FIXTURES / "v6-src-layout", "CLK202")["src/pages/_app.jsx"]
    assert v4["level"] == "warning"
    assert "4.31.8" in v4["message"], "the v4 version should come from package-lock.json"
    assert v6["level"] == "note"


def test_v4_auth_middleware_is_current_but_with_clerk_middleware_is_deprecated():
    hits = _by_file(FIXTURES / "v4-pages-router", "CLK201")
    assert set(hits) == {"lib/legacy/clerk-edge.ts"}
    [finding] = hits["lib/legacy/clerk-edge.ts"]
    assert finding["level"] == "warning"
    assert "withClerkMiddleware" in finding["message"]


def test_v5_auth_middleware_is_a_warning():
    hits = _by_file(FIXTURES / "v5-app", "CLK201")
    [finding] = hits["middleware.ts"]
    assert finding["level"] == "warning"
    assert "5.7.5" in finding["message"], "the v5 version should come from yarn.lock"


def test_v6_auth_middleware_is_an_error():
    hits = _by_file(FIXTURES / "v6-src-layout", "CLK201")
    assert {"src/middleware.ts", "src/lib/edge-auth.js"} <= set(hits), "aliased import and require on v6"
    assert {f["level"] for fs in hits.values() for f in fs} == {"error"}


def test_secret_levels():
    hits = _by_file(FIXTURES / "secrets", "CLK501")
    live = [f for f in hits[".env.production"] if "sk_live_" in f["message"]]
    assert live and {f["level"] for f in live} == {"error"}
    [test_key] = hits[".env.local"]
    assert test_key["level"] == "warning" and "sk_test_" in test_key["message"]
    assert {f["level"] for f in _findings(FIXTURES / "secrets") if f["rule"] == "CLK502"} == {"error"}


# -- secrets never leave the repository through a report -----------------------------------------


def _secret_values(app: Path) -> set[str]:
    values = set()
    for path in app.rglob("*"):
        if path.is_file():
            try:
                values |= set(SECRET_SHAPE.findall(path.read_text("utf-8")))
            except UnicodeDecodeError:
                continue
    return values


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github"])
@pytest.mark.parametrize("app", ALL_APPS, ids=lambda p: p.name)
def test_reports_never_contain_secret_values(app, fmt):
    secrets = _secret_values(app)
    args = ["check", str(app), "--format", fmt, "--no-color"]
    if fmt in ("json", "sarif"):
        args.append("--show-suppressed")
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    # exit 2 with an internal error is a rule bug that test_*_markers reports; the leak check still applies
    assert result.exit_code in (0, 1) or "internal error" in result.output, result.output
    # (workflow annotations are one line per finding: a clean app prints nothing)
    assert result.output.strip() or fmt == "github", "empty report"
    leaked = sorted(s for s in secrets if s in result.output or s.split("_", 2)[-1] in result.output)
    assert not leaked, f"{fmt} report of {app.name} prints {len(leaked)} secret value(s), e.g. {leaked[0][:12]}…"


def test_secrets_fixture_has_secrets_to_leak():
    """Guard for the test above: it proves nothing if the fixture holds no real-looking keys."""
    assert len(_secret_values(FIXTURES / "secrets")) >= 8


# -- what is and is not scanned ------------------------------------------------------------------


def test_gitignored_env_file_is_not_scanned(tmp_path):
    app = FIXTURES / "secrets"
    env = app / ".env"
    assert env.is_file(), (
        "tests/fixtures/secrets/.env is missing: the fixture's own .gitignore ignores it, so it must be "
        "committed with `git add -f tests/fixtures/secrets/.env`"
    )
    assert ".env" in (app / ".gitignore").read_text("utf-8").split()
    assert not [f for f in _findings(app) if f["rel"] == ".env"]
    # the same file without the .gitignore is reported: it is quiet because it is ignored, not because it is clean
    (tmp_path / ".env").write_bytes(env.read_bytes())
    assert {f["rule"] for f in _findings(tmp_path) if f["rel"] == ".env"} == {"CLK501", "CLK502"}


def test_suppressed_findings_are_kept_aside():
    app = FIXTURES / "suppressions"
    document = _document(app, "--show-suppressed")
    suppressed = {(_rel(f, document, app), f["location"]["line"], f["rule"]) for f in document["suppressed"]}
    assert suppressed == {
        ("pages/_app.tsx", 11, "CLK202"),
        ("e2e/global-setup.ts", 6, "CLK501"),
        ("scripts/seed_contacts.py", 8, "CLK501"),
        (".env.test", 4, "CLK501"),
        (".env.test", 7, "CLK502"),
    }
    assert document["summary"]["suppressed"] == len(suppressed)
