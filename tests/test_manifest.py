"""Tests for clerk_lint.project.manifest: versions, ranges, package.json + lockfiles, Python manifests."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clerk_lint.project.manifest import (
    Dependency,
    LockfileCache,
    ManifestError,
    Version,
    _parse_lockfile,
    lowest_version,
    read_package_json,
    read_python_manifests,
)

# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def search_dirs(package_dir: Path, root: Path) -> list[Path]:
    """The package.json's dir, then its ancestors up to root (as the caller builds them)."""
    dirs = [package_dir]
    while dirs[-1] != root:
        dirs.append(dirs[-1].parent)
    return dirs


def read_pkg(package_dir: Path, root: Path, cache: LockfileCache | None = None):
    path = package_dir / "package.json"
    return read_package_json(path, path.read_bytes(), search_dirs(package_dir, root), cache=cache)


def v(text: str) -> Version:
    parsed = Version.parse(text)
    assert parsed is not None
    return parsed


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing needle (computed independently of the module)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


# --------------------------------------------------------------------------------------------
# Version
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6.9.1", Version(6, 9, 1)),
        ("7.0.0-beta.3", Version(7, 0, 0, "beta.3")),
        ("5", Version(5, 0, 0)),
        ("v4.29.3", Version(4, 29, 3)),
        ("=6.1.0", Version(6, 1, 0)),
        ("6.9.1+build.42", Version(6, 9, 1)),
        ("1.4rc1", Version(1, 4, 0, "rc1")),
        ("2.0.0.post1", Version(2, 0, 0)),
        ("1!2.3.4", Version(2, 3, 4)),
        ("6.x", Version(6, 0, 0)),
        ("  3.2 ", Version(3, 2, 0)),
    ],
)
def test_version_parse(text: str, expected: Version) -> None:
    assert Version.parse(text) == expected


@pytest.mark.parametrize("text", ["", "latest", "x", "^6.0.0", "workspace:*", "9" * 40])
def test_version_parse_rejects_non_versions(text: str) -> None:
    assert Version.parse(text) is None


def test_version_str() -> None:
    assert str(Version(7, 0, 0, "beta.3")) == "7.0.0-beta.3"
    assert str(v("v5")) == "5.0.0"


def test_version_ordering() -> None:
    assert v("7.0.0-beta.3") < v("7.0.0")
    assert v("7.0.0-beta.2") < v("7.0.0-beta.10")  # numeric identifiers compare as numbers
    assert v("7.0.0-alpha") < v("7.0.0-beta")
    assert v("6.39.2") < v("7.0.0-beta.1")
    assert v("4.29.3") > v("4.29.2")
    assert v("5.7.6") >= v("5.7.6")
    assert v("5.7.6") <= v("5.7.6")
    assert sorted([v("6.0.0"), v("6.0.0-rc.1"), v("5.9.9")]) == [v("5.9.9"), v("6.0.0-rc.1"), v("6.0.0")]
    assert min([v("5.0.0"), v("4.0.0")]) == Version(4, 0, 0)


# --------------------------------------------------------------------------------------------
# lowest_version
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("^6.2.0", "6.2.0"),
        ("~5.7", "5.7.0"),
        (">=4.29.3 <5", "4.29.3"),
        (">= 4.29.3 < 5", "4.29.3"),
        ("6.x", "6.0.0"),
        ("6.*", "6.0.0"),
        ("6", "6.0.0"),
        ("6.9.1", "6.9.1"),
        ("=6.9.1", "6.9.1"),
        ("v6.9.1", "6.9.1"),
        ("^7.0.0-beta.3", "7.0.0-beta.3"),
        ("4 || 5", "4.0.0"),
        ("^5.7.6 || ^4.29.3", "4.29.3"),
        ("latest || ^6.1.0", "6.1.0"),
        ("1.2.3 - 2.3.4", "1.2.3"),
        (">1.2", "1.3.0"),
        (">1.2.3", "1.2.4"),
        (">5", "6.0.0"),
        ("npm:@clerk/nextjs@^6.1.0", "6.1.0"),
        ("npm:left-pad@1.3.0", "1.3.0"),
        ("workspace:^1.2.0", "1.2.0"),
        # PEP 440 / Poetry
        ("==3.0.2", "3.0.2"),
        (">=2.0,<3", "2.0.0"),
        (">=2.0, <3", "2.0.0"),
        ("~=1.4", "1.4.0"),
        ("~=1.4.2", "1.4.2"),
        ("==3.*", "3.0.0"),
        ("!=1.5,>=1.2", "1.2.0"),
        ("<3,>=2.1", "2.1.0"),
        ("===1.0.1", "1.0.1"),
    ],
)
def test_lowest_version(spec: str, expected: str) -> None:
    assert lowest_version(spec) == v(expected)


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "*",
        "x",
        "latest",
        "next",
        "workspace:*",
        "workspace:^",
        "catalog:",
        "catalog:react18",
        "git+https://github.com/clerk/javascript.git#v6.9.1",
        "github:clerk/javascript",
        "clerk/javascript#main",
        "file:../packages/auth",
        "link:../auth",
        "https://example.com/clerk-nextjs-6.9.1.tgz",
        "npm:@clerk/nextjs",
        "<5",
        "<=4.29.2",
        "!=1.0",
        "@ git+https://github.com/clerk/clerk-sdk-python@v1.0.0",
    ],
)
def test_lowest_version_unbounded_or_not_a_range(spec: str) -> None:
    assert lowest_version(spec) is None


# --------------------------------------------------------------------------------------------
# package.json
# --------------------------------------------------------------------------------------------

PACKAGE_JSON = """{
  "name": "web",
  "private": true,
  "workspaces": ["apps/*", "packages/*"],
  "scripts": {
    "dependencies": "echo this key is not a dependency"
  },
  "dependencies": {
    "next": "^15.1.0",
    "@clerk/nextjs": "^6.1.0",
    "react": "19.0.0"
  },
  "devDependencies": {
    "@clerk/types": "^4.40.0",
    "next": "15.0.0",
    "typescript": "^5.6.0"
  },
  "optionalDependencies": {
    "svix": "^1.45.0"
  }
}
"""


def test_package_json_without_lockfile(tmp_path: Path) -> None:
    path = write(tmp_path / "package.json", PACKAGE_JSON)
    manifest = read_package_json(path, path.read_bytes(), [tmp_path])

    assert manifest.path == str(path)
    assert manifest.name == "web"
    assert manifest.workspaces == ["apps/*", "packages/*"]
    assert set(manifest.dependencies) == {"next", "@clerk/nextjs", "react", "@clerk/types", "typescript", "svix"}

    clerk = manifest.get("@clerk/nextjs")
    assert clerk == Dependency(
        name="@clerk/nextjs",
        spec="^6.1.0",
        exact=None,
        lowest=Version(6, 1, 0),
        manifest=str(path),
        line=line_of(path, '"@clerk/nextjs"'),
        lockfile=None,
        dev=False,
    )
    assert clerk.line == 10
    assert clerk.version == Version(6, 1, 0)
    assert not clerk.exact_known

    types = manifest.get("@clerk/types")
    assert types is not None and types.dev and types.line == 14
    # declared in dependencies and devDependencies: the runtime declaration wins
    next_dep = manifest.get("next")
    assert next_dep is not None and not next_dep.dev and next_dep.spec == "^15.1.0" and next_dep.line == 9
    svix = manifest.get("svix")
    assert svix is not None and not svix.dev and svix.line == 19
    assert manifest.get("@clerk/backend") is None


def test_package_json_with_bom_and_yarn_workspaces_object(tmp_path: Path) -> None:
    text = '{\n  "workspaces": {"packages": ["apps/*"], "nohoist": []},\n  "dependencies": {"@clerk/express": "~1.3.0"}\n}\n'
    data = codecs.BOM_UTF8 + text.encode("utf-8")
    manifest = read_package_json(tmp_path / "package.json", data, [tmp_path])
    assert manifest.name is None
    assert manifest.workspaces == ["apps/*"]
    dep = manifest.get("@clerk/express")
    assert dep is not None and dep.lowest == Version(1, 3, 0) and dep.line == 3


def test_package_json_utf16_with_bom(tmp_path: Path) -> None:
    text = '{"dependencies": {"@clerk/backend": "^1.21.0"}}'
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    manifest = read_package_json(tmp_path / "package.json", data, [tmp_path])
    assert manifest.get("@clerk/backend").lowest == Version(1, 21, 0)  # type: ignore[union-attr]


def test_package_json_ignores_non_string_specs_and_non_object_sections(tmp_path: Path) -> None:
    text = '{"dependencies": {"@clerk/nextjs": 6, "next": "14.2.3"}, "devDependencies": ["x"]}'
    manifest = read_package_json(tmp_path / "package.json", text.encode(), [tmp_path])
    assert list(manifest.dependencies) == ["next"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"dependencies": {"@clerk/nextjs": "^6.0.0",}}', "invalid JSON at line 1"),
        (b'{\n  "name": "web"\n  "dependencies": {}\n}', "invalid JSON at line 3"),
        (b"<<<<<<< HEAD\n{}\n", "invalid JSON at line 1"),
        (b'["not", "an", "object"]', "expected a JSON object"),
        (b'{"name": "\xff\xfe\xfa"}', "not valid UTF-8"),
        (b"", "invalid JSON"),
        (b"[" * 100_000, "invalid JSON"),
    ],
)
def test_invalid_package_json_raises_one_line_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "package.json"
    with pytest.raises(ManifestError) as excinfo:
        read_package_json(path, data, [tmp_path])
    text = str(excinfo.value)
    assert text.startswith(str(path) + ": ")
    assert message in text
    assert "\n" not in text


# --------------------------------------------------------------------------------------------
# package-lock.json
# --------------------------------------------------------------------------------------------

PACKAGE_LOCK_V1 = """{
  "name": "legacy-app",
  "version": "0.1.0",
  "lockfileVersion": 1,
  "requires": true,
  "dependencies": {
    "@clerk/backend": {
      "version": "0.38.3",
      "resolved": "https://registry.npmjs.org/@clerk/backend/-/backend-0.38.3.tgz",
      "integrity": "sha512-AAAA"
    },
    "@clerk/nextjs": {
      "version": "4.29.1",
      "resolved": "https://registry.npmjs.org/@clerk/nextjs/-/nextjs-4.29.1.tgz",
      "integrity": "sha512-BBBB",
      "requires": {
        "@clerk/backend": "0.38.3"
      }
    },
    "clerk": {
      "version": "npm:@clerk/clerk-react@4.30.3",
      "resolved": "https://registry.npmjs.org/@clerk/clerk-react/-/clerk-react-4.30.3.tgz"
    },
    "next": {
      "version": "13.5.6",
      "resolved": "https://registry.npmjs.org/next/-/next-13.5.6.tgz",
      "integrity": "sha512-CCCC"
    }
  }
}
"""


def test_package_lock_v1(tmp_path: Path) -> None:
    write(
        tmp_path / "package.json",
        '{"name": "legacy-app", "dependencies": {"@clerk/nextjs": "^4.29.0", "next": "13.5.6",'
        ' "clerk": "npm:@clerk/clerk-react@^4.30.0", "svix": "^1.0.0"}}',
    )
    lock = write(tmp_path / "package-lock.json", PACKAGE_LOCK_V1)
    manifest = read_pkg(tmp_path, tmp_path)

    clerk = manifest.get("@clerk/nextjs")
    assert clerk is not None
    assert clerk.exact == Version(4, 29, 1)
    assert clerk.lowest == Version(4, 29, 0)
    assert clerk.version == Version(4, 29, 1)
    assert clerk.exact_known
    assert clerk.lockfile == str(lock)
    assert manifest.get("next").exact == Version(13, 5, 6)  # type: ignore[union-attr]
    alias = manifest.get("clerk")
    assert alias is not None and alias.exact == Version(4, 30, 3) and alias.lowest == Version(4, 30, 0)
    missing = manifest.get("svix")
    assert missing is not None and missing.exact is None and missing.lockfile is None
    assert missing.version == Version(1, 0, 0)


PACKAGE_LOCK_V3_MONOREPO = {
    "name": "acme",
    "version": "1.0.0",
    "lockfileVersion": 3,
    "requires": True,
    "packages": {
        "": {
            "name": "acme",
            "version": "1.0.0",
            "workspaces": ["apps/*", "packages/*"],
            "devDependencies": {"typescript": "^5.6.0"},
        },
        "apps/admin": {
            "name": "admin",
            "version": "0.1.0",
            "dependencies": {"@clerk/nextjs": "^5.7.0", "next": "14.2.3", "@acme/auth": "*"},
        },
        "apps/web": {
            "name": "web",
            "version": "0.1.0",
            "dependencies": {"@clerk/nextjs": "^6.0.0", "next": "^15.1.0"},
        },
        "packages/auth": {"name": "@acme/auth", "version": "2.3.0"},
        "apps/web/node_modules/@clerk/nextjs": {
            "version": "6.9.1",
            "resolved": "https://registry.npmjs.org/@clerk/nextjs/-/nextjs-6.9.1.tgz",
            "integrity": "sha512-DDDD",
            "dependencies": {"@clerk/backend": "1.21.4"},
            "peerDependencies": {"next": "^13.5.4 || ^14.0.3 || ^15.0.0"},
        },
        "apps/web/node_modules/next": {"version": "15.1.0", "license": "MIT"},
        "node_modules/@acme/auth": {"resolved": "packages/auth", "link": True},
        "node_modules/@clerk/nextjs": {
            "version": "5.7.5",
            "resolved": "https://registry.npmjs.org/@clerk/nextjs/-/nextjs-5.7.5.tgz",
            "integrity": "sha512-EEEE",
        },
        "node_modules/admin": {"resolved": "apps/admin", "link": True},
        "node_modules/next": {"version": "14.2.3", "license": "MIT"},
        "node_modules/typescript": {"version": "5.6.3", "dev": True},
    },
}


def make_npm_monorepo(root: Path) -> Path:
    write(root / "package.json", '{"name": "acme", "workspaces": ["apps/*"], "devDependencies": {"typescript": "^5.6.0"}}')
    write(root / "apps/web/package.json", '{"name": "web", "dependencies": {"@clerk/nextjs": "^6.0.0", "next": "^15.1.0"}}')
    write(
        root / "apps/admin/package.json",
        '{"name": "admin", "dependencies": {"@clerk/nextjs": "^5.7.0", "next": "14.2.3", "@acme/auth": "*"}}',
    )
    return write(root / "package-lock.json", json.dumps(PACKAGE_LOCK_V3_MONOREPO, indent=2))


def test_package_lock_v3_workspace_entries_take_precedence(tmp_path: Path) -> None:
    lock = make_npm_monorepo(tmp_path)
    web = read_pkg(tmp_path / "apps/web", tmp_path)
    admin = read_pkg(tmp_path / "apps/admin", tmp_path)
    root = read_pkg(tmp_path, tmp_path)

    assert web.get("@clerk/nextjs").exact == Version(6, 9, 1)  # type: ignore[union-attr]
    assert web.get("@clerk/nextjs").lockfile == str(lock)  # type: ignore[union-attr]
    assert web.get("next").exact == Version(15, 1, 0)  # type: ignore[union-attr]
    assert admin.get("@clerk/nextjs").exact == Version(5, 7, 5)  # type: ignore[union-attr]
    assert admin.get("next").exact == Version(14, 2, 3)  # type: ignore[union-attr]
    assert admin.get("@acme/auth").exact == Version(2, 3, 0)  # type: ignore[union-attr]  # followed the link
    typescript = root.get("typescript")
    assert typescript is not None and typescript.exact == Version(5, 6, 3) and typescript.dev


def test_lockfile_cache_parses_each_lockfile_once(tmp_path: Path) -> None:
    lock = make_npm_monorepo(tmp_path)
    cache = LockfileCache()
    first = read_pkg(tmp_path / "apps/web", tmp_path, cache)
    # Rewriting the lockfile after it was parsed must not be noticed by the same cache.
    write(lock, "{ this is no longer json")
    second = read_pkg(tmp_path / "apps/admin", tmp_path, cache)
    assert first.get("@clerk/nextjs").exact == Version(6, 9, 1)  # type: ignore[union-attr]
    assert second.get("@clerk/nextjs").exact == Version(5, 7, 5)  # type: ignore[union-attr]
    assert cache.load(lock) is cache.load(lock)
    # A fresh cache reads the (now broken) file again and resolves nothing.
    fresh = read_pkg(tmp_path / "apps/admin", tmp_path, LockfileCache())
    assert fresh.get("@clerk/nextjs").exact is None  # type: ignore[union-attr]


def test_lockfile_search_prefers_nearest_dir_then_name_order(tmp_path: Path) -> None:
    make_npm_monorepo(tmp_path)
    # apps/web gets its own yarn.lock and pnpm-lock.yaml: nearest dir wins, and within a
    # dir pnpm-lock.yaml comes before yarn.lock.
    write(tmp_path / "apps/web/yarn.lock", '"@clerk/nextjs@^6.0.0":\n  version "6.0.2"\n')
    pnpm = write(
        tmp_path / "apps/web/pnpm-lock.yaml",
        "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      '@clerk/nextjs':\n"
        "        specifier: ^6.0.0\n        version: 6.3.0(next@15.1.0)\n",
    )
    web = read_pkg(tmp_path / "apps/web", tmp_path)
    clerk = web.get("@clerk/nextjs")
    assert clerk is not None and clerk.exact == Version(6, 3, 0) and clerk.lockfile == str(pnpm)
    assert LockfileCache().lockfile_for([tmp_path / "apps/web", tmp_path]) == pnpm
    assert LockfileCache().lockfile_for([tmp_path / "apps/admin", tmp_path]) == tmp_path / "package-lock.json"
    assert LockfileCache().lockfile_for([tmp_path / "apps"]) is None


# --------------------------------------------------------------------------------------------
# pnpm-lock.yaml
# --------------------------------------------------------------------------------------------

PNPM_V5_SINGLE = """lockfileVersion: 5.4

specifiers:
  '@clerk/nextjs': ^4.29.0
  clerk-react: npm:@clerk/clerk-react@^4.30.0
  next: 13.5.6
  typescript: ^5.3.0

dependencies:
  '@clerk/nextjs': 4.29.3_next@13.5.6+react@18.2.0
  next: 13.5.6_react-dom@18.2.0+react@18.2.0
  clerk-react: /@clerk/clerk-react/4.30.3_react@18.2.0

devDependencies:
  typescript: 5.3.3

packages:

  /@clerk/nextjs/4.29.3_next@13.5.6+react@18.2.0:
    resolution: {integrity: sha512-abc}
    engines: {node: '>=14'}
    peerDependencies:
      next: '>=10'
      react: '>=16'
    dependencies:
      '@clerk/backend': 0.38.3
      typescript: 9.9.9
    dev: false
"""


def test_pnpm_v5_single_project(tmp_path: Path) -> None:
    write(
        tmp_path / "package.json",
        '{"dependencies": {"@clerk/nextjs": "^4.29.0", "next": "13.5.6", "clerk-react": "npm:@clerk/clerk-react@^4.30.0"},'
        ' "devDependencies": {"typescript": "^5.3.0"}}',
    )
    write(tmp_path / "pnpm-lock.yaml", PNPM_V5_SINGLE)
    manifest = read_pkg(tmp_path, tmp_path)
    assert manifest.get("@clerk/nextjs").exact == Version(4, 29, 3)  # type: ignore[union-attr]
    assert manifest.get("next").exact == Version(13, 5, 6)  # type: ignore[union-attr]
    assert manifest.get("clerk-react").exact == Version(4, 30, 3)  # type: ignore[union-attr]
    typescript = manifest.get("typescript")
    assert typescript is not None and typescript.exact == Version(5, 3, 3) and typescript.dev


PNPM_V6_MONOREPO = """lockfileVersion: '6.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    devDependencies:
      turbo:
        specifier: ^2.0.0
        version: 2.0.4

  apps/dashboard:
    dependencies:
      '@clerk/nextjs':
        specifier: ^5.0.0
        version: 5.2.4(next@14.2.3)(react-dom@18.3.1)(react@18.3.1)
      '@acme/ui':
        specifier: workspace:*
        version: link:../../packages/ui
      next:
        specifier: 14.2.3
        version: 14.2.3(react-dom@18.3.1)(react@18.3.1)

  "packages/ui":
    dependencies:
      "@clerk/clerk-react":
        specifier: ^5.0.0
        version: 5.2.5(react@18.3.1)

packages:

  /@clerk/nextjs@5.2.4(next@14.2.3)(react-dom@18.3.1)(react@18.3.1):
    resolution: {integrity: sha512-xyz}
    engines: {node: '>=18.17.0'}
    peerDependencies:
      next: ^13.5.4 || ^14.0.3
      react: '>=18'
    dependencies:
      '@clerk/backend': 1.2.0
      next: 99.0.0
    dev: false
"""


def test_pnpm_v6_monorepo_importers(tmp_path: Path) -> None:
    write(tmp_path / "package.json", '{"devDependencies": {"turbo": "^2.0.0"}}')
    write(
        tmp_path / "apps/dashboard/package.json",
        '{"dependencies": {"@clerk/nextjs": "^5.0.0", "next": "14.2.3", "@acme/ui": "workspace:*"}}',
    )
    write(tmp_path / "packages/ui/package.json", '{"dependencies": {"@clerk/clerk-react": "^5.0.0", "next": "*"}}')
    lock = write(tmp_path / "pnpm-lock.yaml", PNPM_V6_MONOREPO)

    dashboard = read_pkg(tmp_path / "apps/dashboard", tmp_path)
    clerk = dashboard.get("@clerk/nextjs")
    assert clerk is not None and clerk.exact == Version(5, 2, 4) and clerk.lockfile == str(lock)
    assert dashboard.get("next").exact == Version(14, 2, 3)  # type: ignore[union-attr]
    ui_link = dashboard.get("@acme/ui")
    assert ui_link is not None and ui_link.exact is None and ui_link.lowest is None

    ui = read_pkg(tmp_path / "packages/ui", tmp_path)
    assert ui.get("@clerk/clerk-react").exact == Version(5, 2, 5)  # type: ignore[union-attr]
    assert ui.get("next").exact is None  # not in this importer (only in another one / packages:)

    root = read_pkg(tmp_path, tmp_path)
    assert root.get("turbo").exact == Version(2, 0, 4)  # type: ignore[union-attr]


def test_pnpm_v6_single_project_without_importers(tmp_path: Path) -> None:
    write(tmp_path / "package.json", '{"dependencies": {"@clerk/nextjs": "^6.0.0"}}')
    write(
        tmp_path / "pnpm-lock.yaml",
        "lockfileVersion: '6.0'\n\ndependencies:\n  '@clerk/nextjs':\n    specifier: ^6.0.0\n"
        "    version: 6.0.2(next@15.0.0)(react@19.0.0)\n",
    )
    assert read_pkg(tmp_path, tmp_path).get("@clerk/nextjs").exact == Version(6, 0, 2)  # type: ignore[union-attr]


PNPM_V9_MONOREPO = """lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

catalogs:
  default:
    '@clerk/nextjs':
      specifier: ^6.9.0
      version: 6.12.0

importers:

  .:
    devDependencies:
      prettier:
        specifier: ^3.3.0
        version: 3.3.3

  apps/web:
    dependencies:
      '@clerk/nextjs':
        specifier: 'catalog:'
        version: 6.12.0(next@15.1.0(react-dom@19.0.0(react@19.0.0))(react@19.0.0))(react-dom@19.0.0(react@19.0.0))(react@19.0.0)
      next:
        specifier: ^15.1.0
        version: 15.1.0(react-dom@19.0.0(react@19.0.0))(react@19.0.0)
      clerk-legacy:
        specifier: npm:@clerk/nextjs@^5.7.0
        version: '@clerk/nextjs@5.7.5(next@15.1.0(react@19.0.0))(react@19.0.0)'
    devDependencies:
      '@clerk/types':
        specifier: ^4.40.0
        version: 4.40.2

  packages/auth:
    dependencies:
      '@clerk/backend':
        specifier: ^1.21.0
        version: 1.21.4(react@19.0.0)

packages:

  '@clerk/nextjs@6.12.0':
    resolution: {integrity: sha512-abc}
    engines: {node: '>=18.17.0'}
    peerDependencies:
      next: ^13.5.7 || ^14.2.25 || ^15.2.3
      react: ^18 || ^19.0.0-0

snapshots:

  '@clerk/nextjs@6.12.0(next@15.1.0(react-dom@19.0.0(react@19.0.0))(react@19.0.0))':
    dependencies:
      '@clerk/backend': 1.21.4(react@19.0.0)
"""

PNPM_WORKSPACE = """packages:
  - 'apps/*'
  - 'packages/*'

catalog:
  '@clerk/nextjs': ^6.9.0
  react: ^19.0.0  # shared

catalogs:
  legacy:
    "@clerk/backend": ~1.20.0
"""


def make_pnpm_v9_monorepo(root: Path) -> None:
    write(root / "package.json", '{"name": "acme", "devDependencies": {"prettier": "^3.3.0"}}')
    write(
        root / "apps/web/package.json",
        """{
  "name": "web",
  "dependencies": {
    "@clerk/nextjs": "catalog:",
    "next": "^15.1.0",
    "clerk-legacy": "npm:@clerk/nextjs@^5.7.0",
    "react": "catalog:default"
  },
  "devDependencies": {
    "@clerk/types": "^4.40.0"
  }
}
""",
    )
    write(root / "packages/auth/package.json", '{"dependencies": {"@clerk/backend": "catalog:legacy", "svix": "catalog:"}}')
    write(root / "pnpm-lock.yaml", PNPM_V9_MONOREPO)
    write(root / "pnpm-workspace.yaml", PNPM_WORKSPACE)


def test_pnpm_v9_monorepo_and_catalogs(tmp_path: Path) -> None:
    make_pnpm_v9_monorepo(tmp_path)
    web = read_pkg(tmp_path / "apps/web", tmp_path)

    clerk = web.get("@clerk/nextjs")
    assert clerk is not None
    assert clerk.spec == "catalog:"
    assert clerk.exact == Version(6, 12, 0)
    assert clerk.lowest == Version(6, 9, 0)  # through pnpm-workspace.yaml's catalog
    assert clerk.line == 4
    assert web.get("next").exact == Version(15, 1, 0)  # type: ignore[union-attr]
    alias = web.get("clerk-legacy")
    assert alias is not None and alias.exact == Version(5, 7, 5) and alias.lowest == Version(5, 7, 0)
    react = web.get("react")
    assert react is not None and react.exact is None and react.lowest == Version(19, 0, 0)
    types = web.get("@clerk/types")
    assert types is not None and types.dev and types.exact == Version(4, 40, 2) and types.line == 10

    auth = read_pkg(tmp_path / "packages/auth", tmp_path)
    backend = auth.get("@clerk/backend")
    assert backend is not None and backend.exact == Version(1, 21, 4) and backend.lowest == Version(1, 20, 0)
    svix = auth.get("svix")  # not in the catalog
    assert svix is not None and svix.exact is None and svix.lowest is None

    root = read_pkg(tmp_path, tmp_path)
    assert root.get("prettier").exact == Version(3, 3, 3)  # type: ignore[union-attr]


def test_catalog_without_workspace_file_leaves_lowest_unknown(tmp_path: Path) -> None:
    write(tmp_path / "package.json", '{"dependencies": {"@clerk/nextjs": "catalog:"}}')
    dep = read_pkg(tmp_path, tmp_path).get("@clerk/nextjs")
    assert dep is not None and dep.exact is None and dep.lowest is None and dep.version is None


# --------------------------------------------------------------------------------------------
# yarn.lock
# --------------------------------------------------------------------------------------------

YARN_V1 = """# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@clerk/backend@1.21.4":
  version "1.21.4"
  resolved "https://registry.yarnpkg.com/@clerk/backend/-/backend-1.21.4.tgz#aaaa"
  integrity sha512-aaaa

"@clerk/nextjs@^5.0.0":
  version "5.7.5"
  resolved "https://registry.yarnpkg.com/@clerk/nextjs/-/nextjs-5.7.5.tgz#bbbb"
  integrity sha512-bbbb
  dependencies:
    "@clerk/backend" "1.21.4"

"@clerk/nextjs@^6.0.0", "@clerk/nextjs@^6.1.0":
  version "6.9.1"
  resolved "https://registry.yarnpkg.com/@clerk/nextjs/-/nextjs-6.9.1.tgz#cccc"
  integrity sha512-cccc
  dependencies:
    "@clerk/backend" "1.21.4"
    tslib "2.4.1"

next@15.1.0:
  version "15.1.0"
  resolved "https://registry.yarnpkg.com/next/-/next-15.1.0.tgz#dddd"
  integrity sha512-dddd

svix@>=1.30.0 <2:
  version "1.45.1"
  resolved "https://registry.yarnpkg.com/svix/-/svix-1.45.1.tgz#eeee"
"""


def test_yarn_v1(tmp_path: Path) -> None:
    write(
        tmp_path / "package.json",
        '{"dependencies": {"@clerk/nextjs": "^6.1.0", "next": "^15.0.0", "svix": ">=1.30.0 <2"}}',
    )
    lock = write(tmp_path / "yarn.lock", YARN_V1)
    manifest = read_pkg(tmp_path, tmp_path)
    clerk = manifest.get("@clerk/nextjs")
    assert clerk is not None and clerk.exact == Version(6, 9, 1) and clerk.lockfile == str(lock)
    # descriptor next@^15.0.0 is not in the lockfile, but there is only one entry for next
    assert manifest.get("next").exact == Version(15, 1, 0)  # type: ignore[union-attr]
    assert manifest.get("svix").exact == Version(1, 45, 1)  # type: ignore[union-attr]


def test_yarn_v1_other_descriptor_and_ambiguous_name(tmp_path: Path) -> None:
    write(tmp_path / "yarn.lock", YARN_V1)
    write(tmp_path / "a/package.json", '{"dependencies": {"@clerk/nextjs": "^5.0.0"}}')
    write(tmp_path / "b/package.json", '{"dependencies": {"@clerk/nextjs": "^7.0.0"}}')
    assert read_pkg(tmp_path / "a", tmp_path).get("@clerk/nextjs").exact == Version(5, 7, 5)  # type: ignore[union-attr]
    # two entries for @clerk/nextjs, neither declared with ^7.0.0: no guess
    assert read_pkg(tmp_path / "b", tmp_path).get("@clerk/nextjs").exact is None  # type: ignore[union-attr]


YARN_BERRY = """# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 8
  cacheKey: 10c0

"@clerk/backend@npm:1.21.4":
  version: 1.21.4
  resolution: "@clerk/backend@npm:1.21.4"
  checksum: 10c0/aaaa
  languageName: node
  linkType: hard

"@clerk/nextjs@npm:5.7.5":
  version: 5.7.5
  resolution: "@clerk/nextjs@npm:5.7.5"
  languageName: node
  linkType: hard

"@clerk/nextjs@npm:^6.0.0, @clerk/nextjs@npm:^6.5.0":
  version: 6.9.1
  resolution: "@clerk/nextjs@npm:6.9.1"
  dependencies:
    "@clerk/backend": "npm:1.21.4"
    version: "npm:0.0.1"
  peerDependencies:
    next: ^13.5.4 || ^14.0.3 || ^15.0.0
  checksum: 10c0/bbbb
  languageName: node
  linkType: hard

"web@workspace:apps/web":
  version: 0.0.0-use.local
  resolution: "web@workspace:apps/web"
  dependencies:
    "@clerk/nextjs": "npm:^6.0.0"
  languageName: unknown
  linkType: soft
"""


def test_yarn_berry(tmp_path: Path) -> None:
    write(tmp_path / "yarn.lock", YARN_BERRY)
    write(tmp_path / "apps/web/package.json", '{"name": "web", "dependencies": {"@clerk/nextjs": "^6.0.0", "@clerk/backend": "1.21.4"}}')
    write(tmp_path / "apps/old/package.json", '{"dependencies": {"@clerk/nextjs": "npm:5.7.5"}}')
    web = read_pkg(tmp_path / "apps/web", tmp_path)
    assert web.get("@clerk/nextjs").exact == Version(6, 9, 1)  # type: ignore[union-attr]
    assert web.get("@clerk/backend").exact == Version(1, 21, 4)  # type: ignore[union-attr]
    old = read_pkg(tmp_path / "apps/old", tmp_path)
    assert old.get("@clerk/nextjs").exact == Version(5, 7, 5)  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------------
# bun.lock
# --------------------------------------------------------------------------------------------

BUN_LOCK = """{
  "lockfileVersion": 1,
  // bun writes JSONC
  "workspaces": {
    "": {
      "name": "acme",
      "devDependencies": {
        "typescript": "^5.6.0",
      },
    },
    "apps/legacy": {
      "name": "legacy",
      "dependencies": {
        "@clerk/nextjs": "^5.0.0",
      },
    },
    "apps/web": {
      "name": "web",
      "dependencies": {
        "@clerk/nextjs": "^6.0.0",
      },
    },
  },
  "packages": {
    "@clerk/nextjs": ["@clerk/nextjs@6.9.1", "", { "dependencies": { "@clerk/backend": "1.21.4" }, "peerDependencies": { "next": "^13.5.4 || ^14.0.3 || ^15.0.0" } }, "sha512-abc//not-a-comment"],
    /* nested copy for the legacy workspace */
    "legacy/@clerk/nextjs": ["@clerk/nextjs@5.7.5", "", {}, "sha512-def"],
    "typescript": ["typescript@5.6.3", "", { "bin": { "tsc": "bin/tsc" } }, "sha512-ghi"],
    "web": ["web@workspace:apps/web"],
  }
}
"""


def test_bun_lock_with_trailing_commas_and_workspaces(tmp_path: Path) -> None:
    lock = write(tmp_path / "bun.lock", BUN_LOCK)
    write(tmp_path / "package.json", '{"name": "acme", "devDependencies": {"typescript": "^5.6.0"}}')
    write(tmp_path / "apps/web/package.json", '{"name": "web", "dependencies": {"@clerk/nextjs": "^6.0.0"}}')
    write(tmp_path / "apps/legacy/package.json", '{"name": "legacy", "dependencies": {"@clerk/nextjs": "^5.0.0"}}')

    web = read_pkg(tmp_path / "apps/web", tmp_path).get("@clerk/nextjs")
    assert web is not None and web.exact == Version(6, 9, 1) and web.lockfile == str(lock)
    legacy = read_pkg(tmp_path / "apps/legacy", tmp_path).get("@clerk/nextjs")
    assert legacy is not None and legacy.exact == Version(5, 7, 5)
    assert read_pkg(tmp_path, tmp_path).get("typescript").exact == Version(5, 6, 3)  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------------
# malformed lockfiles never crash
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lock_name", "content"),
    [
        ("package-lock.json", '{"lockfileVersion": 3, "packages": {"node_modules/@clerk/nextjs": {"version": "6.9.1"'),
        ("package-lock.json", '["not an object"]'),
        ("package-lock.json", '{"packages": {"node_modules/@clerk/nextjs": "6.9.1"}, "dependencies": []}'),
        ("package-lock.json", '{"packages": {"node_modules/@clerk/nextjs": {"version": 6}}}'),
        ("package-lock.json", "[" * 50_000),
        ("pnpm-lock.yaml", "importers:\n  .:\n    dependencies:\n      '@clerk/nextjs: [unterminated\n"),
        ("pnpm-lock.yaml", "<<<<<<< HEAD\nimporters:\n  .:\n=======\n>>>>>>> branch\n"),
        ("pnpm-lock.yaml", "importers: {'.': {dependencies: {'@clerk/nextjs': 6.9.1}}}\n"),
        ("pnpm-lock.yaml", "\x00\x01\x02 binary \xff"),
        ("yarn.lock", '"@clerk/nextjs@^6.0.0":\n  resolved "https://x"\n'),
        ("yarn.lock", "<<<<<<< HEAD\n\"@clerk/nextjs@^6.0.0\":\n=======\n"),
        ("bun.lock", '{"packages": {"@clerk/nextjs": "@clerk/nextjs@6.9.1",}}'),
        ("bun.lock", '{"packages": {"@clerk/nextjs": [],}}'),
        ("bun.lock", '{"packages": {"@clerk/nextjs": [42],}}'),
        ("bun.lock", '{"packages": /* unterminated comment'),
        ("bun.lock", '{"packages": "unterminated \\" string'),
    ],
)
def test_malformed_lockfile_leaves_exact_unknown(tmp_path: Path, lock_name: str, content: str) -> None:
    write(tmp_path / "package.json", '{"dependencies": {"@clerk/nextjs": "^6.0.0"}}')
    write(tmp_path / lock_name, content)
    dep = read_pkg(tmp_path, tmp_path).get("@clerk/nextjs")
    assert dep is not None
    assert dep.exact is None and dep.lockfile is None
    assert dep.lowest == Version(6, 0, 0)


def test_unreadable_lockfile_leaves_exact_unknown(tmp_path: Path) -> None:
    write(tmp_path / "package.json", '{"dependencies": {"@clerk/nextjs": "^6.0.0"}}')
    (tmp_path / "package-lock.json").mkdir()  # a directory, not a file: skipped
    write(tmp_path / "yarn.lock", '"@clerk/nextjs@^6.0.0":\n  version "6.2.0"\n')
    assert read_pkg(tmp_path, tmp_path).get("@clerk/nextjs").exact == Version(6, 2, 0)  # type: ignore[union-attr]


@settings(max_examples=150, deadline=None)
@given(
    lock_name=st.sampled_from(["package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock"]),
    text=st.text(alphabet=st.sampled_from(list("{}[]\"',:/*#@^-_. \n\t\\ab9(0)")), max_size=300),
)
def test_lockfile_parsers_never_raise(lock_name: str, text: str) -> None:
    lock = _parse_lockfile(lock_name, text)
    if lock is not None:
        for importer in (".", "apps/web"):
            result = lock.resolve(importer, "@clerk/nextjs", "^6.0.0")
            assert result is None or isinstance(result, Version)


# --------------------------------------------------------------------------------------------
# Python: requirements*.txt
# --------------------------------------------------------------------------------------------

REQUIREMENTS = """# Production requirements
-r base.txt
--index-url https://pypi.org/simple
-e git+https://github.com/acme/lib.git#egg=acmelib
clerk-backend-api==1.8.0 \\
    --hash=sha256:0123456789abcdef
fastapi[standard]>=0.110,<1 ; python_version >= "3.9"
PyJWT[crypto]~=2.8  # tokens
svix
./vendor/local_pkg
https://example.com/wheels/other-1.0-py3-none-any.whl
Fastapi_Clerk.Auth (>=0.0.7)
"""


def test_requirements_utf16_le_with_bom(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + REQUIREMENTS.replace("\n", "\r\n").encode("utf-16-le")
    manifest = read_python_manifests(tmp_path, {"requirements.txt": data})
    assert manifest is not None
    assert manifest.path == str(tmp_path / "requirements.txt")
    assert set(manifest.dependencies) == {"clerk-backend-api", "fastapi", "pyjwt", "svix", "fastapi-clerk-auth"}

    clerk = manifest.get("clerk_backend_api")
    assert clerk == Dependency(
        name="clerk-backend-api",
        spec="==1.8.0",
        exact=None,
        lowest=Version(1, 8, 0),
        manifest=str(tmp_path / "requirements.txt"),
        line=5,
        lockfile=None,
        dev=False,
    )
    fastapi = manifest.get("fastapi")
    assert fastapi is not None and fastapi.spec == ">=0.110,<1" and fastapi.lowest == Version(0, 110, 0)
    assert fastapi.line == 7
    pyjwt = manifest.get("PyJWT")
    assert pyjwt is not None and pyjwt.spec == "~=2.8" and pyjwt.line == 8 and pyjwt.lowest == Version(2, 8, 0)
    svix = manifest.get("svix")
    assert svix is not None and svix.spec == "" and svix.lowest is None and svix.line == 9
    auth = manifest.get("fastapi-clerk-auth")
    assert auth is not None and auth.spec == ">=0.0.7" and auth.line == 12


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    ],
    ids=["utf8", "utf8-bom", "utf16-be-bom", "utf16-le-bom"],
)
def test_requirements_encodings(tmp_path: Path, encode) -> None:
    manifest = read_python_manifests(tmp_path, {"requirements.txt": encode("svix>=1.30\nclerk-backend-api==2.0.1\n")})
    assert manifest is not None
    assert manifest.get("clerk-backend-api").lowest == Version(2, 0, 1)  # type: ignore[union-attr]
    assert manifest.get("clerk-backend-api").line == 2  # type: ignore[union-attr]


def test_requirements_dev_files_and_precedence(tmp_path: Path) -> None:
    files = {
        "requirements-dev.txt": b"-r requirements.txt\npytest>=8\nsvix==1.0.0\n",
        "requirements.txt": b"svix>=1.30\n",
        "requirements/test.txt": b"pyjwt==2.9.0\n",
        "requirements/prod.txt": b"clerk-backend-api>=1.0\n",
    }
    manifest = read_python_manifests(tmp_path, files)
    assert manifest is not None
    assert manifest.path == str(tmp_path / "requirements-dev.txt")  # first in sorted order
    pytest_dep = manifest.get("pytest")
    assert pytest_dep is not None and pytest_dep.dev and pytest_dep.manifest == str(tmp_path / "requirements-dev.txt")
    svix = manifest.get("svix")  # runtime declaration wins over the dev one
    assert svix is not None and not svix.dev and svix.spec == ">=1.30" and svix.manifest == str(tmp_path / "requirements.txt")
    assert manifest.get("pyjwt").dev  # type: ignore[union-attr]
    assert not manifest.get("clerk-backend-api").dev  # type: ignore[union-attr]


def test_no_python_manifest_returns_none(tmp_path: Path) -> None:
    assert read_python_manifests(tmp_path, {}) is None
    assert read_python_manifests(tmp_path, {"poetry.lock": b"", "setup.cfg": b""}) is None


# --------------------------------------------------------------------------------------------
# Python: pyproject.toml + lockfiles
# --------------------------------------------------------------------------------------------

PYPROJECT_PEP621 = """[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "acme-api"
version = "0.1.0"
description = "An API that uses clerk-backend-api and svix"
requires-python = ">=3.11"
dependencies = [
    # auth
    "clerk-backend-api>=1.4,<2",
    "fastapi-clerk-auth==0.0.7",
    "Svix >= 1.30 ; python_version >= '3.11'",
    "pyjwt[crypto]",
]

[project.optional-dependencies]
test = ["pytest>=8", "respx"]
webhooks = [
    "standardwebhooks>=1.0.0",
]

[dependency-groups]
dev = ["ruff>=0.5"]
"""

UV_LOCK = """version = 1
requires-python = ">=3.11"
resolution-markers = [
    "python_full_version >= '3.12'",
    "python_full_version < '3.12'",
]

[[package]]
name = "acme-api"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "clerk-backend-api" },
    { name = "svix" },
]

[[package]]
name = "clerk-backend-api"
version = "1.8.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "httpx" },
]
sdist = { url = "https://files.pythonhosted.org/packages/ab/cd/clerk_backend_api-1.8.0.tar.gz", hash = "sha256:0123", size = 100 }
wheels = [
    { url = "https://files.pythonhosted.org/packages/ef/01/clerk_backend_api-1.8.0-py3-none-any.whl", hash = "sha256:4567", size = 200 },
]

[[package]]
name = "PyJWT"
version = "2.10.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "svix"
version = "1.38.0"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["python_full_version >= '3.12'"]

[[package]]
name = "svix"
version = "1.35.0"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["python_full_version < '3.12'"]
"""


def test_pyproject_pep621_with_uv_lock(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", PYPROJECT_PEP621)
    files = {"pyproject.toml": pyproject.read_bytes(), "uv.lock": UV_LOCK.encode()}
    manifest = read_python_manifests(tmp_path, files)
    assert manifest is not None
    assert manifest.path == str(pyproject)

    clerk = manifest.get("clerk-backend-api")
    assert clerk == Dependency(
        name="clerk-backend-api",
        spec=">=1.4,<2",
        exact=Version(1, 8, 0),
        lowest=Version(1, 4, 0),
        manifest=str(pyproject),
        line=12,  # not line 8, where the description mentions it
        lockfile=str(tmp_path / "uv.lock"),
        dev=False,
    )
    auth = manifest.get("fastapi-clerk-auth")
    assert auth is not None and auth.exact is None and auth.version == Version(0, 0, 7) and auth.line == 13
    svix = manifest.get("svix")  # locked at two versions (forked resolution): not exact
    assert svix is not None and svix.exact is None and svix.lockfile is None and svix.spec == ">= 1.30"
    assert svix.line == 14
    pyjwt = manifest.get("pyjwt")
    assert pyjwt is not None and pyjwt.exact == Version(2, 10, 1) and pyjwt.spec == "" and pyjwt.line == 15

    pytest_dep = manifest.get("pytest")
    assert pytest_dep is not None and pytest_dep.dev and pytest_dep.line == 19
    webhooks = manifest.get("standardwebhooks")
    assert webhooks is not None and not webhooks.dev and webhooks.line == 21
    ruff = manifest.get("ruff")
    assert ruff is not None and ruff.dev and ruff.line == 25


PYPROJECT_POETRY = """[tool.poetry]
name = "acme-flask"
version = "0.1.0"
description = "Flask app"
authors = ["A. Dev <dev@example.com>"]

[tool.poetry.dependencies]
python = "^3.11"
clerk-backend-api = "^1.4.0"
Flask = { version = "~3.0", extras = ["async"] }
svix = [
    { version = "^1.30", python = ">=3.11" },
    { version = "^1.20", python = "<3.11" },
]
acme-lib = { git = "https://github.com/acme/lib.git", branch = "main" }

[tool.poetry.group.dev.dependencies]
pytest = "^8.0"

[tool.poetry.group.main.dependencies]
pyjwt = ">=2.8"

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
"""

POETRY_LOCK = """# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.

[[package]]
name = "clerk-backend-api"
version = "1.5.2"
description = "Python Client SDK for clerk.dev"
optional = false
python-versions = ">=3.9"
files = [
    {file = "clerk_backend_api-1.5.2-py3-none-any.whl", hash = "sha256:abc"},
    {file = "clerk_backend_api-1.5.2.tar.gz", hash = "sha256:def"},
]

[package.dependencies]
httpx = ">=0.27.0"

[[package]]
name = "flask"
version = "3.0.3"
description = "A simple framework for building complex web applications."
optional = false
python-versions = ">=3.8"
files = []

[[package]]
name = "pytest"
version = "8.3.4"
description = "pytest: simple powerful testing with Python"
optional = false
python-versions = ">=3.8"
files = []

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "0123456789abcdef"
"""


def test_pyproject_poetry_with_poetry_lock(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", PYPROJECT_POETRY)
    files = {"pyproject.toml": pyproject.read_bytes(), "poetry.lock": POETRY_LOCK.encode()}
    manifest = read_python_manifests(tmp_path, files)
    assert manifest is not None
    assert "python" not in manifest.dependencies

    clerk = manifest.get("clerk-backend-api")
    assert clerk is not None
    assert clerk.spec == "^1.4.0" and clerk.lowest == Version(1, 4, 0)
    assert clerk.exact == Version(1, 5, 2) and clerk.lockfile == str(tmp_path / "poetry.lock")
    assert clerk.line == 9 and not clerk.dev
    flask = manifest.get("flask")
    assert flask is not None and flask.spec == "~3.0" and flask.exact == Version(3, 0, 3) and flask.line == 10
    svix = manifest.get("svix")
    assert svix is not None and svix.spec == "^1.30" and svix.exact is None and svix.line == 11
    git_dep = manifest.get("acme-lib")
    assert git_dep is not None and git_dep.spec == "" and git_dep.lowest is None
    pytest_dep = manifest.get("pytest")
    assert pytest_dep is not None and pytest_dep.dev and pytest_dep.exact == Version(8, 3, 4) and pytest_dep.line == 18
    pyjwt = manifest.get("pyjwt")
    assert pyjwt is not None and not pyjwt.dev and pyjwt.line == 21


def test_pyproject_and_requirements_together(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": b'[project]\nname = "x"\ndependencies = ["svix>=1.30"]\n',
        "requirements.txt": b"clerk-backend-api==1.8.0\nsvix==1.38.0\n",
    }
    manifest = read_python_manifests(tmp_path, files)
    assert manifest is not None
    assert manifest.path == str(tmp_path / "pyproject.toml")
    assert manifest.get("svix").manifest == str(tmp_path / "pyproject.toml")  # type: ignore[union-attr]
    assert manifest.get("svix").line == 3  # type: ignore[union-attr]
    assert manifest.get("clerk-backend-api").manifest == str(tmp_path / "requirements.txt")  # type: ignore[union-attr]


def test_malformed_python_lockfile_leaves_exact_unknown(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT_POETRY.encode(),
        "poetry.lock": b'[[package]]\nname = "clerk-backend-api"\nversion = 1.5.2\n',  # invalid TOML
        "uv.lock": b'[[package]]\nname = "flask"\n',  # no version
    }
    manifest = read_python_manifests(tmp_path, files)
    assert manifest is not None
    clerk = manifest.get("clerk-backend-api")
    assert clerk is not None and clerk.exact is None and clerk.lockfile is None and clerk.lowest == Version(1, 4, 0)
    assert manifest.get("flask").exact is None  # type: ignore[union-attr]


def test_invalid_pyproject_raises_manifest_error(tmp_path: Path) -> None:
    with pytest.raises(ManifestError) as excinfo:
        read_python_manifests(tmp_path, {"pyproject.toml": b"[project\nname = 'x'\n", "requirements.txt": b"svix\n"})
    message = str(excinfo.value)
    assert message.startswith(str(tmp_path / "pyproject.toml") + ": invalid TOML")
    assert "\n" not in message
