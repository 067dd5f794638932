"""The pre-commit hooks, run the way a user's commit runs them, with this project as the hook
repository and a throwaway git repository as the project being committed to.

Every hook run builds or reuses the hook's virtualenv (``pip install`` of this project, so these
tests need PyPI or a pip mirror). ``pre-commit try-repo`` always installs into a store of its own
that it deletes afterwards, so it builds the env on every call; it is used once, as hook authors
use it. The other tests run ``pre-commit run`` with a config that names this project by path and
commit (what try-repo writes), against ``PRE_COMMIT_HOME`` set to one directory per test session,
so that env is built once and then reused. Set ``CLERK_LINT_SKIP_PRECOMMIT=1`` to skip these tests
offline.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
LIVE = "sk_live_2xQ9vTn4KpL8wRz3YbM7cJf5HsD1aGe6UoN0iVtq"
MANIFEST = '{\n  "name": "hooked",\n  "private": true,\n  "dependencies": { "@clerk/nextjs": "^6.1.0" }\n}\n'

pytestmark = pytest.mark.skipif(
    os.environ.get("CLERK_LINT_SKIP_PRECOMMIT") == "1" or shutil.which("git") is None,
    reason="CLERK_LINT_SKIP_PRECOMMIT=1, or git is not installed",
)


def hooks() -> dict[str, dict]:
    yaml = pytest.importorskip("yaml")  # pre-commit depends on PyYAML
    return {hook["id"]: hook for hook in yaml.safe_load(HOOKS_FILE.read_text("utf-8"))}


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the variables of an outer git command (pytest run from a hook)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(extra)
    return env


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=clean_env(), capture_output=True, text=True, check=True)
    return done.stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "--quiet")
    git(path, "config", "user.name", "clerk-lint tests")
    git(path, "config", "user.email", "tests@clerk-lint.invalid")
    git(path, "config", "commit.gpgsign", "false")
    return path


# -- the hook definitions ---------------------------------------------------------------------------


def test_hook_definitions():
    defined = hooks()
    assert set(defined) == {"clerk-lint", "clerk-lint-all"}
    staged = defined["clerk-lint"]
    assert staged["entry"] == "clerk-lint check" and staged["language"] == "python"
    assert staged["types"] == ["file"] and staged["require_serial"] is True
    assert staged.get("pass_filenames", True) is True
    whole = defined["clerk-lint-all"]
    assert whole["entry"] == "clerk-lint check ." and whole["language"] == "python"
    assert whole["pass_filenames"] is False and whole["always_run"] is True


@pytest.mark.parametrize(
    "path",
    [
        "a.ts", "app/page.tsx", "lib/x.js", "c.jsx", "d.mjs", "e.cjs", "proxy.mts", "server/f.cts",
        "backend/settings.py", ".env", ".env.local", "apps/web/.env.production", "package.json",
        "apps/web/package.json",
    ],
)
def test_files_pattern_covers(path):
    hook = hooks()["clerk-lint"]
    assert re.search(hook["files"], path) and not re.search(hook["exclude"], path)


@pytest.mark.parametrize(
    "path",
    [
        "README.md", "package-lock.json", "my-package.json", ".envrc", "config.env", "types.d.ts",
        "lib/index.d.mts", "vendor/jquery.min.js", ".env.production.gpg", "a.tsx.snap", "x.pyc",
    ],
)
def test_files_pattern_skips(path):
    hook = hooks()["clerk-lint"]
    assert not re.search(hook["files"], path) or re.search(hook["exclude"], path)


# -- try-repo -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    pytest.importorskip("pre_commit")
    return tmp_path_factory.mktemp("pre-commit-home")


def in_venv(rel: str) -> bool:
    """Whether a repository path lies in a virtualenv (.ci/run makes .ci-venv-* in the root)."""
    parts = Path(rel).parts
    return any((ROOT.joinpath(*parts[:n]) / "pyvenv.cfg").is_file() for n in range(1, len(parts) + 1))


def ci_output(rel: str) -> bool:
    """Whether a repository path is one of .ci/run's own (its venvs, its reports in .ci-out/)."""
    return rel.split("/", 1)[0] == ".ci-out" or in_venv(rel)


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> Path:
    """This project as a hook repository. ``try-repo`` on a working tree with uncommitted changes
    commits them into a new shadow repository on every call (and would build a new hook env each
    time), and leaves untracked files out; so a dirty tree is snapshotted once, committed, and used
    for the whole session. A clean checkout (CI) is used as it is."""
    if not (ROOT / ".git").exists():
        pytest.skip("the project is not a git checkout")
    status = git(ROOT, "status", "--porcelain", "--untracked-files=normal").splitlines()
    if not [line for line in status if not ci_output(line[3:].rstrip("/"))]:
        return ROOT
    snapshot = init_repo(tmp_path_factory.mktemp("hook-repo") / "clerk-lint")
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file() and not source.is_symlink() and not ci_output(rel):
            target = snapshot / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "--quiet", "--no-verify", "-m", "snapshot of the working tree")
    return snapshot


@pytest.fixture
def project(tmp_path) -> Path:
    repo = init_repo(tmp_path / "project")
    (repo / "package.json").write_text(MANIFEST, "utf-8")
    (repo / "lib").mkdir()
    return repo


@pytest.fixture(scope="session")
def hook_config(tmp_path_factory, hook_repo) -> Path:
    """A .pre-commit-config.yaml naming both hooks of ``hook_repo`` at its current commit."""
    rev = git(hook_repo, "rev-parse", "HEAD").strip()
    config = tmp_path_factory.mktemp("config") / "pre-commit-config.yaml"
    config.write_text(
        f"repos:\n  - repo: {hook_repo.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: clerk-lint\n      - id: clerk-lint-all\n",
        "utf-8",
    )
    return config


def pre_commit(project: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", *args, "--color", "never", "--verbose"],
        cwd=project,
        env=clean_env(PRE_COMMIT_HOME=str(home), PIP_DISABLE_PIP_VERSION_CHECK="1"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )
    done.output = done.stdout + done.stderr  # type: ignore[attr-defined]
    return done


def test_try_repo_fails_on_a_staged_secret_without_printing_it(project, hook_repo, pre_commit_home):
    bad = project / "lib" / "clerk.ts"
    bad.write_text(f"import {{ createClerkClient }} from '@clerk/backend'\n\nexport const clerk = createClerkClient({{ secretKey: '{LIVE}' }})\n", "utf-8")
    git(project, "add", "package.json", "lib/clerk.ts")
    done = pre_commit(project, pre_commit_home, "try-repo", str(hook_repo), "clerk-lint", "--files", "lib/clerk.ts")
    assert done.returncode == 1, done.output
    assert "lib/clerk.ts:3:" in done.output and "CLK501" in done.output, done.output
    assert LIVE not in done.output and LIVE[8:] not in done.output


def test_staged_files_hook_fails_then_passes(project, hook_config, pre_commit_home):
    source = project / "lib" / "clerk.ts"
    source.write_text(f"export const key = '{LIVE}'\n", "utf-8")
    git(project, "add", "-A")
    done = pre_commit(project, pre_commit_home, "run", "clerk-lint", "-c", str(hook_config))  # the staged files
    assert done.returncode == 1, done.output
    assert "lib/clerk.ts:1:21 CLK501" in done.output and LIVE not in done.output, done.output

    source.write_text("import { createClerkClient } from '@clerk/backend'\n\nexport const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })\n", "utf-8")
    git(project, "add", "-A")
    done = pre_commit(project, pre_commit_home, "run", "clerk-lint", "-c", str(hook_config), "--files", "package.json", "lib/clerk.ts")
    assert done.returncode == 0, done.output
    assert "Passed" in done.output and "CLK" not in done.output, done.output


def test_whole_repository_hook(project, hook_config, pre_commit_home):
    (project / ".env.production").write_text(f"CLERK_SECRET_KEY={LIVE}\n", "utf-8")
    (project / "lib" / "ok.py").write_text("import os\n\nKEY = os.environ['CLERK_SECRET_KEY']\n", "utf-8")
    git(project, "add", "-A")
    done = pre_commit(project, pre_commit_home, "run", "clerk-lint-all", "-c", str(hook_config), "--all-files")
    assert done.returncode == 1, done.output
    assert ".env.production:1:18 CLK501" in done.output and LIVE not in done.output, done.output
    # the env built for the other hook is reused: one hook repository in the session store
    assert len([p for p in pre_commit_home.iterdir() if p.name.startswith("repo")]) == 1
