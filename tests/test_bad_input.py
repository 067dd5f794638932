"""Hostile and broken input, through the real CLI.

Every case puts one bad thing beside a good file with a real finding and checks four things: a
one-line message on stderr (``clerk-lint: <level>: <path>[:<line>]: <message>``), the same problem
as a SARIF ``toolExecutionNotification``, that the run went on (the good file's finding is still
reported) and the exit code. Usage and configuration errors stop the run instead, with exit code 2
and a message that names what is wrong.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_lint.cli import cli
from clerk_lint.config import Config
from clerk_lint.engine import run as run_engine
from clerk_lint.reporters import FORMATS, renderer

LIVE = "sk_live_2xQ9vTn4KpL8wRz3YbM7cJf5HsD1aGe6UoN0iVtq"
GOOD_ENV = f"CLERK_SECRET_KEY={LIVE}\n"
SECRET_LINE = f'export const key = "{LIVE}"\n'
STDERR_LINE = re.compile(r"^clerk-lint: (?P<level>error|warning|note): (?P<where>\S+?)(?::(?P<line>\d+))?: (?P<message>\S.*)$")


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def sarif(self) -> dict:
        return json.loads(self.stdout)

    @property
    def notifications(self) -> list[dict]:
        return self.sarif["runs"][0]["invocations"][0].get("toolExecutionNotifications", [])

    @property
    def findings(self) -> set[tuple[str, int, str]]:
        return {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["ruleId"],
            )
            for r in self.sarif["runs"][0]["results"]
        }

    def stderr_lines(self, path: str) -> list[re.Match]:
        """The stderr lines about ``path`` (each checked to have the one-line shape)."""
        found = []
        for line in self.stderr.splitlines():
            match = STDERR_LINE.match(line)
            assert match, f"stderr line without the clerk-lint shape: {line!r}\n{self.stderr}"
            if match.group("where") == path:
                found.append(match)
        return found


def check(*args: str) -> Outcome:
    """``clerk-lint check ARGS --format sarif`` in this process."""
    result = CliRunner().invoke(cli, ["check", *args, "--format", "sarif"], catch_exceptions=False)
    return Outcome(result.exit_code, result.stdout, result.stderr)


def usage(*args: str) -> Outcome:
    result = CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)
    assert result.stdout == "", "a usage error prints no report"
    return Outcome(result.exit_code, result.stdout, result.stderr)


def assert_reported(out: Outcome, path: str, level: str, *words: str, line: int | None = None) -> None:
    """``path`` is reported once on stderr and once in SARIF, at ``level``, with ``words`` in the message."""
    lines = out.stderr_lines(path)
    assert len(lines) == 1, f"expected one stderr line about {path}:\n{out.stderr}"
    match = lines[0]
    assert match.group("level") == level, match.group(0)
    assert all(word in match.group("message") for word in words), match.group(0)
    if line is not None:
        assert match.group("line") == str(line), match.group(0)
    notes = [n for n in out.notifications if _note_uri(n) == path]
    assert len(notes) == 1, f"expected one SARIF notification about {path}: {out.notifications}"
    note = notes[0]
    assert note["level"] == level
    assert note["message"]["text"] == match.group("message")
    if line is not None:
        assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == line


def _note_uri(note: dict) -> str | None:
    locations = note.get("locations") or [{}]
    return locations[0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri")


def assert_went_on(out: Outcome) -> None:
    """The good file beside the bad one was still analysed, and nothing crashed."""
    assert (".env.production", 1, "CLK501") in out.findings, out.stdout
    assert out.sarif["runs"][0]["invocations"][0]["executionSuccessful"] is True
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr, out.stderr
    assert out.exit_code == 1, out.stderr


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A scan root holding the good file; the tests run from inside it, so paths stay short."""
    (tmp_path / ".env.production").write_text(GOOD_ENV)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- files that are not what their name says ------------------------------------------------------


def test_binary_file_with_a_ts_name(tree):
    (tree / "logo.ts").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    out = check(".")
    assert_reported(out, "logo.ts", "note", "binary")
    assert_went_on(out)


def test_invalid_utf8_is_still_analysed(tree):
    (tree / "lib").mkdir()
    (tree / "lib/latin1.ts").write_bytes(b"// caf\xe9 \xff\xfe broken\nconst s = '\xc3('\n" + SECRET_LINE.encode())
    out = check(".")
    assert_reported(out, "lib/latin1.ts", "note", "UTF-8")
    assert ("lib/latin1.ts", 3, "CLK501") in out.findings
    assert_went_on(out)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_transcoded_and_analysed(tree, codec):
    bom = "\ufeff".encode(codec)
    text = "// ünïcödé\nconst a = 1\n" + SECRET_LINE
    (tree / "wide.ts").write_bytes(bom + text.encode(codec))
    out = check(".")
    assert_reported(out, "wide.ts", "note", "UTF-16")
    assert ("wide.ts", 3, "CLK501") in out.findings
    assert_went_on(out)


def test_huge_minified_bundle_is_skipped_by_the_size_cap_unread(tree, monkeypatch):
    chunk = b'!function(e,t){"use strict";var n=e.document,r=function(o){return o&&o.call?o():t};e.x=r}(window,void 0);'
    (tree / "public").mkdir()
    with open(tree / "public/vendor.js", "wb") as stream:
        for _ in range((20 * 1024 * 1024) // len(chunk) + 1):
            stream.write(chunk)
    assert (tree / "public/vendor.js").stat().st_size > 20 * 1024 * 1024
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or original(self))
    out = check(".")
    # no timing assertion: proof that it was skipped cheaply is that it was never even read
    assert "vendor.js" not in read
    assert_reported(out, "public/vendor.js", "warning", "1,048,576-byte limit", "max-file-size")
    assert_went_on(out)


# -- deep nesting: tree-sitter copes; nothing in Python may recurse over the tree -----------------

NESTED = {
    "brackets.ts": "const a = " + "[" * 10_000 + "]" * 10_000 + "\n",
    "parens.ts": "const a = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n",
    "calls.ts": "const a = " + "f(" * 10_000 + "1" + ")" * 10_000 + "\n",
    "objects.js": "const a = " + "{a:" * 10_000 + "1" + "}" * 10_000 + "\n",
    "blocks.js": "if (a) {" * 10_000 + "}" * 10_000 + "\n",
    "page.tsx": "'use client'\nexport default function P() { return "
    + "<div data-k={process.env.NEXT_PUBLIC_X}>" * 5_000
    + "x"
    + "</div>" * 5_000
    + " }\n",
    "lists.py": "a = " + "[" * 10_000 + "]" * 10_000 + "\n",
    # where the project model looks hardest: a route handler's body, a Server Action, the middleware
    "app/api/deep/route.ts": "import { auth } from '@clerk/nextjs/server'\nexport async function GET() {\n  const a = "
    + "(" * 10_000 + "await auth()" + ")" * 10_000
    + "\n  " + "if (a) {" * 3_000 + "return f(" + "g(" * 5_000 + ")" * 5_000 + ")" + "}" * 3_000 + "\n}\n",
    "app/deep/actions.ts": "'use server'\nimport { auth } from '@clerk/nextjs/server'\nexport async function act() {\n  return "
    + "!" * 10_000 + "(await auth()).userId && x" + ".y" * 10_000 + "\n}\nexport const b = " + "1 + " * 20_000 + "1\n",
    "middleware.ts": "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware(async (auth, req) => "
    + "{ if (req) " * 5_000 + "await auth.protect()" + " }" * 5_000 + ")\n",
}


@pytest.mark.parametrize("name", sorted(NESTED))
def test_deeply_nested_code_does_not_crash(tree, name):
    (tree / name).parent.mkdir(parents=True, exist_ok=True)
    (tree / name).write_text(NESTED[name] + f'key = "{LIVE}"\n')  # valid in JS and in Python
    last = NESTED[name].count("\n") + 1
    out = check(".")
    assert "RecursionError" not in out.stderr
    # valid (if absurd) code: analysed, and the secret on the last line is still found
    assert (name, last, "CLK501") in out.findings, (out.stderr, out.findings)
    assert not [n for n in out.notifications if n["level"] == "error"]
    assert_went_on(out)


def test_ten_thousand_unclosed_brackets(tree):
    (tree / "unclosed.tsx").write_text("const a = " + "([{<div>" * 10_000 + "\n" + SECRET_LINE)
    out = check(".")
    assert_reported(out, "unclosed.tsx", "note", "syntax error", line=1)
    assert ("unclosed.tsx", 2, "CLK501") in out.findings
    assert_went_on(out)


# -- broken code ---------------------------------------------------------------------------------


def test_syntax_error_is_a_note_with_its_line_and_the_rest_is_analysed(tree):
    (tree / "app").mkdir()
    (tree / "app/broken.ts").write_text("const ok = 1\nfunction (\nlet = = ;\n" + SECRET_LINE)
    out = check(".")
    assert_reported(out, "app/broken.ts", "note", "syntax error", line=2)
    assert ("app/broken.ts", 4, "CLK501") in out.findings
    assert_went_on(out)


def test_python_syntax_error(tree):
    (tree / "api.py").write_text(f"import os\ndef broken(:\n    pass\nKEY = '{LIVE}'\n")
    out = check(".")
    assert_reported(out, "api.py", "note", "syntax error", line=2)
    assert ("api.py", 4, "CLK501") in out.findings
    assert_went_on(out)


def test_merge_conflict_markers(tree):
    (tree / "auth.ts").write_text(
        "import { auth } from '@clerk/nextjs/server'\n"
        "<<<<<<< HEAD\n"
        "export const a = 1\n"
        "=======\n"
        "export const a = 2\n"
        ">>>>>>> feature/login\n" + SECRET_LINE
    )
    out = check(".")
    assert_reported(out, "auth.ts", "note", "merge-conflict markers", line=2)
    assert ("auth.ts", 7, "CLK501") in out.findings
    assert_went_on(out)


# -- the file system -----------------------------------------------------------------------------


def test_symlink_loop_in_a_walk(tree):
    os.symlink("b.ts", tree / "a.ts")
    os.symlink("a.ts", tree / "b.ts")
    out = check(".")
    assert_reported(out, "a.ts", "note", "symlink loop")
    assert_reported(out, "b.ts", "note", "symlink loop")
    assert_went_on(out)


def test_symlink_loop_given_on_the_command_line(tree):
    os.symlink("b.ts", tree / "a.ts")
    os.symlink("a.ts", tree / "b.ts")
    out = check("a.ts", ".env.production")
    assert_reported(out, "a.ts", "warning", "symlink loop")
    assert_went_on(out)


def test_symlink_to_a_missing_file(tree):
    (tree / "lib").mkdir()
    os.symlink("../shared/clerk.ts", tree / "lib/clerk.ts")
    out = check(".")
    assert_reported(out, "lib/clerk.ts", "note", "broken symlink")
    assert_went_on(out)


def test_symlink_to_a_missing_file_given_on_the_command_line(tree):
    os.symlink("gone.ts", tree / "dangling.ts")
    out = check("dangling.ts", ".env.production")
    assert_reported(out, "dangling.ts", "warning", "broken symlink")
    assert_went_on(out)


def test_symlinked_directory_loop_is_not_followed(tree):
    (tree / "dir").mkdir()
    (tree / "dir/inner.ts").write_text(SECRET_LINE)
    os.symlink("..", tree / "dir/link")
    out = check(".")
    assert_reported(out, "dir/link", "note", "not followed")
    # followed, the loop would report dir/link/dir/inner.ts, dir/link/dir/link/dir/inner.ts, ...
    assert {f for f in out.findings if f[2] == "CLK501"} == {(".env.production", 1, "CLK501"), ("dir/inner.ts", 1, "CLK501")}
    assert_went_on(out)


def test_symlinked_directory_given_on_the_command_line_is_not_followed(tree):
    (tree / "dir").mkdir()
    os.symlink("..", tree / "dir/link")
    out = check("dir/link", ".env.production")
    assert_reported(out, "dir/link", "note", "not followed")
    assert_went_on(out)


def test_fifo_given_on_the_command_line_is_not_read(tree):
    os.mkfifo(tree / "pipe.ts")  # reading it would block forever
    out = check("pipe.ts", ".env.production")
    assert_reported(out, "pipe.ts", "warning", "not a regular file")
    assert_went_on(out)


def test_unreadable_file(tree, monkeypatch):
    secret = tree / "secret.ts"
    secret.write_text(SECRET_LINE)
    secret.chmod(0)
    try:
        if os.geteuid() == 0 or os.access(secret, os.R_OK):
            # root reads a mode-000 file anyway: make the read fail the way it would for a user
            original = Path.read_bytes

            def read_bytes(self):
                if self.name == "secret.ts":
                    raise PermissionError(13, "Permission denied", str(self))
                return original(self)

            monkeypatch.setattr(Path, "read_bytes", read_bytes)
        out = check(".")
    finally:
        secret.chmod(0o644)
    assert_reported(out, "secret.ts", "warning", "cannot read", "Permission denied")
    assert ("secret.ts", 1, "CLK501") not in out.findings
    assert_went_on(out)


def test_empty_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "empty")], catch_exceptions=False)
    assert result.exit_code == 0
    assert "No problems found in 0 files" in result.stdout
    assert result.stderr == ""
    out = check(str(tmp_path / "empty"))
    assert out.exit_code == 0 and out.sarif["runs"][0]["results"] == [] and out.notifications == []


def test_path_that_does_not_exist(tree):
    out = usage("no/such/dir", ".env.production")
    assert out.exit_code == 2
    assert out.stderr.strip() == "clerk-lint: error: no/such/dir: no such file or directory"


# -- configuration and options -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "content", "words"),
    [
        (".clerk-lint.toml", 'selekt = ["CLK501"]\n', ["unknown key `selekt`"]),
        ("pyproject.toml", '[tool.clerk-lint]\nmax_file_size = 10\n', ["unknown key `max_file_size`", "[tool.clerk-lint]"]),
        (".clerk-lint.toml", 'select = ["CLK501"\n', ["invalid TOML"]),
        ("pyproject.toml", "[tool.clerk-lint\n", []),  # broken pyproject without our table: not ours to judge
        (".clerk-lint.toml", 'fail-on = "fatal"\n', ["`fail-on`", "'fatal'"]),
        (".clerk-lint.toml", "max-file-size = -1\n", ["`max-file-size`", "-1"]),
        (".clerk-lint.toml", 'select = ["CLK5O1"]\n', ["`select`", "'CLK5O1'"]),
        ("pyproject.toml", '[tool.clerk-lint]\nignore = ["no-such-rule"]\n', ["`ignore`", "'no-such-rule'"]),
        (".clerk-lint.toml", '[per-file-ignores]\n"tests/*" = ["CLK5O1"]\n', ["`per-file-ignores`", "'CLK5O1'"]),
    ],
)
def test_bad_config_file(tree, file, content, words):
    (tree / file).write_text(content)
    if not words:
        out = check(".")
        assert_went_on(out)
        return
    out = usage(".")
    assert out.exit_code == 2
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith(f"clerk-lint: error: {tree / file}"), lines[0]
    assert all(word in lines[0] for word in words), lines[0]


def test_bad_config_given_with_config_option(tree):
    (tree / "lint.toml").write_text("[[[\n")
    out = usage(".", "--config", "lint.toml")
    assert out.exit_code == 2
    assert out.stderr.startswith("clerk-lint: error: lint.toml: invalid TOML")


def test_bad_fail_on_option(tree):
    out = usage(".", "--fail-on", "fatal")
    assert out.exit_code == 2
    assert "'fatal'" in out.stderr and "--fail-on" in out.stderr


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_bad_rule_selector(tree, option):
    out = usage(".", option, "CLK501,no-such-rule")
    assert out.exit_code == 2
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"clerk-lint: error: {option}: ")
    assert "'no-such-rule'" in lines[0]


def test_bad_input_through_python_dash_m(tree):
    """The whole chain in a fresh interpreter: real stderr, real exit code."""
    (tree / "bin.ts").write_bytes(b"\x00" * 64)
    os.symlink("missing.ts", tree / "gone.ts")
    done = subprocess.run([sys.executable, "-m", "clerk_lint", "check", ".", "--format", "sarif"], capture_output=True, text=True, cwd=tree)
    out = Outcome(done.returncode, done.stdout, done.stderr)
    assert_reported(out, "bin.ts", "note", "binary")
    assert_reported(out, "gone.ts", "note", "broken symlink")
    assert_went_on(out)


# -- fuzzing: whatever the bytes, the engine never fails ------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "import { auth, clerkMiddleware, authMiddleware } from '@clerk/nextjs/server'\n",
        "import * as clerk from '@clerk/nextjs'\n",
        "const { auth } = require('@clerk/express')\n",
        "'use client'\n",
        "'use server'\n",
        "export default authMiddleware({ publicRoutes: ['/'] })\n",
        "export async function GET(req) { const { userId } = await auth(); }\n",
        "<ClerkProvider publishableKey={process.env.CLERK_SECRET_KEY}>",
        "</ClerkProvider>",
        "process.env.NEXT_PUBLIC_CLERK_SECRET_KEY",
        "import.meta.env['CLERK_SECRET_KEY']",
        "new Clerk(process.env.CLERK_SECRET_KEY)",
        f"CLERK_SECRET_KEY={LIVE}\n",
        f"'{LIVE}'",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "// clerk-lint-ignore CLK501 -- fixture\n",
        "# clerk-lint-ignore\n",
        "{/* clerk-lint-ignore CLK502 */}",
        "from clerk_backend_api import Clerk\n",
        "@app.get('/')\ndef f(request: Request):\n",
        "<<<<<<< HEAD\n",
        "=======\n",
        "\ufeff",
        "\r\n",
        "(",
        ")",
        "{",
        "}",
        "[",
        "`${",
        "\"",
        "'",
        "\\",
        "\n",
        "é",
        "𝕏",
    ]
)
CONTENT = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=30).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
)
NAMES = [
    "middleware.ts", "src/middleware.ts", "lib/x.ts", "app/page.tsx", "app/layout.tsx", "app/api/x/route.ts", "app/actions.ts",
    "pages/api/y.js", "main.py", ".env", ".env.local", "package.json", "requirements.txt", "pyproject.toml",
]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(NAMES), CONTENT, min_size=1, max_size=4))
def test_random_input_never_crashes_the_engine(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        result = run_engine([root], Config(base=root))
        errors = [n for n in result.notifications if "internal error" in n.message]
        assert result.internal_errors == 0, errors
        for fmt in FORMATS:  # every reporter copes with whatever the rules found
            renderer(fmt)(result, io.StringIO(), {"color": False, "show_suppressed": True})
