"""`clerk-lint routes`: every server entry point with its URL and how it is protected."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from clerk_lint.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"


def routes(*paths: Path) -> dict[tuple[str, str, str], dict]:
    result = CliRunner().invoke(cli, ["routes", *map(str, paths), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    return {(row["url"], row["kind"], row["name"]): row for row in document["routes"]}


def test_nextjs_entry_points_and_their_protection():
    rows = routes(FIXTURES / "coverage-v6-denylist")
    assert rows[("/dashboard", "page", "default")]["status"] == "middleware"
    assert "/dashboard(.*)" in rows[("/dashboard", "page", "default")]["how"]
    assert rows[("/api/export", "route", "GET")]["status"] == "open"
    assert rows[("/api/me", "route", "GET")]["status"] == "guarded"
    assert rows[("/api/cron/digest", "route", "GET")]["status"] == "guarded"  # a CRON_SECRET check
    assert rows[("/api/trpc/[trpc]", "route", "POST")]["status"] == "public-purpose"
    assert rows[("/api/version", "route", "GET")]["status"] == "no-data"
    assert rows[("(by id)", "action", "deletePost")]["status"] == "guarded"
    assert rows[("(by id)", "action", "unpublishPost")]["status"] == "open"
    assert rows[("/api/posts/[id]/like", "route", "POST")]["how"].startswith("guard (")  # checks only after data access


def test_express_and_python_endpoints_are_listed():
    rows = routes(FIXTURES / "express-v5", FIXTURES / "python-fastapi")
    assert rows[("/api/public/notes", "express", "GET")]["status"] == "open"
    assert rows[("/api/notes", "express", "POST")]["status"] == "guarded"
    assert rows[("/api/webhooks/clerk", "express", "POST")]["status"] == "public-purpose"
    assert rows[("/notes/", "FastAPI", "POST")]["status"] == "guarded"
    assert "require_user" in rows[("/notes/", "FastAPI", "POST")]["how"]


def test_table_output_and_summary():
    result = CliRunner().invoke(cli, ["routes", str(FIXTURES / "coverage-v6-denylist")])
    assert result.exit_code == 0
    assert "/api/export" in result.stdout and "open" in result.stdout
    assert "entry points:" in result.stdout


def test_missing_path_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["routes", str(tmp_path / "nope")])
    assert result.exit_code == 2
