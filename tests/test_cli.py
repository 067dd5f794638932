"""The command line as a user drives it: exit codes, selection, formats, config errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from harness import write_files

from clerk_lint import __version__
from clerk_lint.cli import cli

LIVE = "sk_live_2xQ9vTn4KpL8wRz3YbM7cJf5HsD1aGe6UoN0iVtq"
TEST = "sk_test_9fKd2LmQ7rTz4XcVb8NwP1yHs6Ga3Ue5Jo0iRtqW"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def app(tmp_path):
    write_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"@clerk/nextjs": "5.7.5"}}',
            ".env.production": f"CLERK_SECRET_KEY={LIVE}\n",
            "lib/dev.ts": f"export const devKey = '{TEST}'\n",
            "middleware.ts": "import { authMiddleware } from '@clerk/nextjs/server'\nexport default authMiddleware()\n",
            "pages/_app.tsx": "import { ClerkProvider } from '@clerk/nextjs'\nexport default function A({ Component, pageProps }) { return <ClerkProvider><Component {...pageProps} /></ClerkProvider> }\n",
        },
    )
    return tmp_path


def rules_in(result) -> list[str]:
    return sorted(f["rule"] for f in json.loads(result.stdout)["findings"])


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_python_dash_m_works(app):
    done = subprocess.run([sys.executable, "-m", "clerk_lint", "check", str(app), "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 1
    assert "CLK501" in done.stdout


def test_findings_exit_one_and_every_rule_reports(app):
    result = invoke("check", str(app), "--format", "json")
    assert result.exit_code == 1
    assert rules_in(result) == ["CLK201", "CLK202", "CLK501", "CLK501"]


def test_select_by_prefix_slug_and_id(app):
    assert rules_in(invoke("check", str(app), "--format", "json", "--select", "CLK5")) == ["CLK501", "CLK501"]
    assert rules_in(invoke("check", str(app), "--format", "json", "--select", "deprecated-auth-middleware")) == ["CLK201"]
    assert rules_in(invoke("check", str(app), "--format", "json", "--select", "CLK201,CLK202")) == ["CLK201", "CLK202"]


def test_ignore(app):
    assert rules_in(invoke("check", str(app), "--format", "json", "--ignore", "CLK5", "--ignore", "CLK202")) == ["CLK201"]


def test_fail_on_error_ignores_warnings(app):
    # on v5, CLK201 is a warning and CLK202 a note; only the secrets matter for --fail-on error
    assert invoke("check", str(app), "--select", "CLK2", "--fail-on", "error").exit_code == 0
    assert invoke("check", str(app), "--select", "CLK2", "--fail-on", "warning").exit_code == 1
    assert invoke("check", str(app), "--select", "CLK202").exit_code == 0  # notes never fail by default
    assert invoke("check", str(app), "--select", "CLK202", "--fail-on", "note").exit_code == 1


def test_exit_zero(app):
    assert invoke("check", str(app), "--exit-zero").exit_code == 0


def test_output_file(app, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "report.sarif"
    result = invoke("check", str(app), "--format", "sarif", "--output", str(out))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_single_file_uses_app_context(app):
    # the version comes from the app's package.json although only one file is given
    result = invoke("check", str(app / "middleware.ts"), "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["level"]) for f in findings] == [("CLK201", "warning")]
    assert findings[0]["location"]["path"].endswith("middleware.ts")


def test_findings_only_for_given_files(app):
    result = invoke("check", str(app / "lib" / "dev.ts"), "--format", "json")
    assert rules_in(result) == ["CLK501"]


def test_unknown_rule_is_a_usage_error(app):
    result = CliRunner().invoke(cli, ["check", str(app), "--select", "CLK999"])
    assert result.exit_code == 2
    assert "CLK999" in result.stderr


def test_missing_path(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "nope" in result.stderr and "no such file" in result.stderr


def test_bad_format_is_a_usage_error(app):
    assert CliRunner().invoke(cli, ["check", str(app), "--format", "xml"]).exit_code == 2


def test_config_in_pyproject(app):
    write_files(app, {"pyproject.toml": '[tool.clerk-lint]\nignore = ["CLK501"]\nfail-on = "error"\n'})
    result = invoke("check", str(app), "--format", "json")
    assert rules_in(result) == ["CLK201", "CLK202"]
    assert result.exit_code == 0  # warning and note only, fail-on error


def test_dedicated_config_file_wins(app):
    write_files(app, {"pyproject.toml": '[tool.clerk-lint]\nignore = ["CLK501"]\n', ".clerk-lint.toml": 'select = ["CLK501"]\n'})
    assert rules_in(invoke("check", str(app), "--format", "json")) == ["CLK501", "CLK501"]


def test_per_file_ignores_and_exclude(app):
    write_files(app, {".clerk-lint.toml": 'exclude = ["pages/"]\n\n[per-file-ignores]\n"lib/**" = ["hardcoded-clerk-secret"]\n'})
    assert rules_in(invoke("check", str(app), "--format", "json")) == ["CLK201", "CLK501"]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("selct = ['CLK501']\n", "selct"),
        ("fail-on = 'fatal'\n", "fail-on"),
        ("select = 'CLK7'\n", "CLK7"),
        ("[per-file-ignores]\n'x/**' = ['nope-rule']\n", "nope-rule"),
        ("select = [\n", "invalid TOML"),
        ("max-file-size = -1\n", "max-file-size"),
    ],
)
def test_config_errors_name_the_problem(app, content, needle):
    write_files(app, {".clerk-lint.toml": content})
    result = CliRunner().invoke(cli, ["check", str(app)])
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_explicit_config_file(app, tmp_path_factory):
    config = tmp_path_factory.mktemp("cfg") / "strict.toml"
    config.write_text('select = ["CLK201"]\n')
    assert rules_in(invoke("check", str(app), "--format", "json", "--config", str(config))) == ["CLK201"]
    result = CliRunner().invoke(cli, ["check", str(app), "--config", str(config.parent / "missing.toml")])
    assert result.exit_code == 2


def test_text_output_is_plain_and_summarised(app):
    result = invoke("check", str(app), "--no-color")
    assert "\x1b[" not in result.stdout
    assert "CLK501 [hardcoded-clerk-secret]" in result.stdout
    assert "Found 5 problems" in result.stdout or "Found 4 problems" in result.stdout
    assert LIVE not in result.stdout and TEST not in result.stdout


def test_rules_command_formats():
    table = invoke("rules")
    assert table.exit_code == 0 and "CLK501" in table.stdout and "hardcoded-clerk-secret" in table.stdout
    data = json.loads(invoke("rules", "--format", "json").stdout)
    assert {"CLK201", "CLK202", "CLK501", "CLK502", "CLK900"} <= {r["id"] for r in data}
    assert invoke("rules", "--format", "markdown").stdout.startswith("# clerk-lint rules")


@pytest.mark.parametrize("key", ["CLK501", "hardcoded-clerk-secret", "clk501"])
def test_explain(key):
    result = invoke("explain", key)
    assert result.exit_code == 0
    assert "## CLK501 hardcoded-clerk-secret" in result.stdout
    assert "### Why is this bad?" in result.stdout


def test_explain_unknown():
    result = CliRunner().invoke(cli, ["explain", "CLK5O1"])
    assert result.exit_code == 2 and "CLK501" in result.stderr  # suggests the near match
