"""Tests for clerk_lint.project.resolve: relative imports, tsconfig paths/baseUrl, workspaces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clerk_lint.project.resolve import ModuleResolver


def write(root: Path, relative: str, text: str = "export {};\n") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path.resolve()


def write_json(root: Path, relative: str, document: object) -> Path:
    return write(root, relative, json.dumps(document, indent=2))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path.resolve()


# --------------------------------------------------------------------------------------------
# relative specifiers
# --------------------------------------------------------------------------------------------


def test_relative_extensions_in_order(root: Path) -> None:
    page = write(root, "src/app/page.tsx")
    both_ts = write(root, "src/app/both.ts")
    write(root, "src/app/both.js")
    tsx = write(root, "src/app/widget.tsx")
    mjs = write(root, "src/app/tool.mjs")
    auth = write(root, "src/lib/auth.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "./both") == both_ts
    assert resolver.resolve(page, "./widget") == tsx
    assert resolver.resolve(page, "./tool") == mjs
    assert resolver.resolve(page, "../lib/auth") == auth
    assert resolver.resolve(page, "./../lib/./auth") == auth


def test_relative_index_and_directory_forms(root: Path) -> None:
    page = write(root, "app/dashboard/page.tsx")
    components = write(root, "app/dashboard/components/index.tsx")
    parent_index = write(root, "app/index.ts")
    here_index = write(root, "app/dashboard/index.js")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "./components") == components
    assert resolver.resolve(page, "./components/") == components
    assert resolver.resolve(page, "./components/index") == components
    assert resolver.resolve(page, "..") == parent_index
    assert resolver.resolve(page, "../") == parent_index
    assert resolver.resolve(page, ".") == here_index


def test_file_wins_over_directory(root: Path) -> None:
    page = write(root, "page.ts")
    file = write(root, "auth.ts")
    write(root, "auth/index.ts")
    assert ModuleResolver(root).resolve(page, "./auth") == file


def test_js_extension_maps_to_ts_source(root: Path) -> None:
    page = write(root, "src/page.ts")
    util = write(root, "src/util.ts")
    view = write(root, "src/view.tsx")
    legacy = write(root, "src/legacy.js")
    module = write(root, "src/module.mts")
    common = write(root, "src/common.cts")
    button = write(root, "src/button.tsx")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "./util.js") == util
    assert resolver.resolve(page, "./view.js") == view
    assert resolver.resolve(page, "./legacy.js") == legacy
    assert resolver.resolve(page, "./module.mjs") == module
    assert resolver.resolve(page, "./common.cjs") == common
    assert resolver.resolve(page, "./button.jsx") == button
    assert resolver.resolve(page, "./nothing.js") is None


def test_exact_files_and_declarations(root: Path) -> None:
    page = write(root, "page.ts")
    exact = write(root, "lib/auth.ts")
    css = write(root, "styles.css", "body {}")
    data = write(root, "data.json", "{}")
    config = write(root, "auth.config.ts")
    write(root, "types.d.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "./lib/auth.ts") == exact
    assert resolver.resolve(page, "./styles.css") == css
    assert resolver.resolve(page, "./data.json") == data
    assert resolver.resolve(page, "./auth.config") == config
    assert resolver.resolve(page, "./types") is None  # .d.ts is never tried


def test_directory_package_json_entry(root: Path) -> None:
    page = write(root, "page.ts")
    write_json(root, "local/package.json", {"main": "./dist/index.js"})
    source = write(root, "local/src/index.ts")
    write(root, "local/dist/index.js")
    write_json(root, "plain/package.json", {"main": "entry.js"})
    entry = write(root, "plain/entry.js")
    write_json(root, "broken/package.json", {"main": "./missing.js"})
    broken_index = write(root, "broken/index.ts")
    write_json(root, "dot/package.json", {"main": "."})
    dot_index = write(root, "dot/index.ts")
    write(root, "dot.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "./local") == source
    assert resolver.resolve(page, "./plain") == entry
    assert resolver.resolve(page, "./broken") == broken_index
    assert resolver.resolve(page, "./dot/") == dot_index


def test_missing_and_builtins(root: Path) -> None:
    page = write(root, "src/page.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "./missing") is None
    assert resolver.resolve(page, "../nowhere/file.js") is None
    assert resolver.resolve(page, "node:fs") is None
    assert resolver.resolve(page, "fs") is None
    assert resolver.resolve(page, "https://example.com/x.js") is None
    assert resolver.resolve(page, "") is None


def test_node_modules_never_followed(root: Path) -> None:
    page = write(root, "src/page.ts")
    write_json(root, "node_modules/react/package.json", {"name": "react", "main": "index.js"})
    write(root, "node_modules/react/index.js")
    write_json(root, "node_modules/@clerk/nextjs/package.json", {"name": "@clerk/nextjs"})
    write(root, "node_modules/@clerk/nextjs/index.ts")
    options = {"baseUrl": ".", "paths": {"vendor/*": ["./node_modules/*"]}}
    write_json(root, "tsconfig.json", {"compilerOptions": options})
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "react") is None
    assert resolver.resolve(page, "@clerk/nextjs") is None
    assert resolver.resolve(page, "../node_modules/react/index.js") is None
    assert resolver.resolve(page, "vendor/react") is None
    assert resolver.resolve(page, "node_modules/react") is None  # through baseUrl


# --------------------------------------------------------------------------------------------
# tsconfig / jsconfig
# --------------------------------------------------------------------------------------------


def test_at_alias_with_src_layout(root: Path) -> None:
    write_json(root, "tsconfig.json", {"compilerOptions": {"paths": {"@/*": ["./src/*"]}}})
    page = write(root, "src/app/(auth)/sign-in/page.tsx")
    auth = write(root, "src/lib/auth.ts")
    button = write(root, "src/components/button/index.tsx")
    server = write(root, "src/lib/server.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "@/lib/auth") == auth
    assert resolver.resolve(page, "@/components/button") == button
    assert resolver.resolve(page, "@/lib/server.js") == server
    assert resolver.resolve(page, "@/lib/missing") is None
    # no baseUrl: bare specifiers are not looked up beside the tsconfig
    assert resolver.resolve(page, "src/lib/auth") is None


def test_jsconfig(root: Path) -> None:
    write_json(root, "jsconfig.json", {"compilerOptions": {"baseUrl": ".", "paths": {"~/*": ["./app/*"]}}})
    page = write(root, "app/routes/index.jsx")
    utils = write(root, "app/utils.js")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "~/utils") == utils
    assert resolver.resolve(page, "app/utils") == utils


def test_tsconfig_wins_over_jsconfig(root: Path) -> None:
    write_json(root, "tsconfig.json", {"compilerOptions": {"paths": {"@/*": ["./src/*"]}}})
    write_json(root, "jsconfig.json", {"compilerOptions": {"paths": {"@/*": ["./other/*"]}}})
    page = write(root, "src/page.ts")
    mine = write(root, "src/auth.ts")
    write(root, "other/auth.ts")
    assert ModuleResolver(root).resolve(page, "@/auth") == mine


def test_nearest_config_wins(root: Path) -> None:
    write_json(root, "tsconfig.json", {"compilerOptions": {"paths": {"@/*": ["./shared/*"]}}})
    write_json(root, "apps/web/tsconfig.json", {"compilerOptions": {"paths": {"@/*": ["./src/*"]}}})
    web_page = write(root, "apps/web/src/app/page.tsx")
    web_auth = write(root, "apps/web/src/auth.ts")
    other_page = write(root, "tools/script.ts")
    shared_auth = write(root, "shared/auth.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(web_page, "@/auth") == web_auth
    assert resolver.resolve(other_page, "@/auth") == shared_auth


def test_extends_chain_with_comments_and_trailing_commas(root: Path) -> None:
    write(
        root,
        "tsconfig.base.json",
        """{
  // shared settings
  "extends": "./configs/tsconfig.paths", /* no .json: TypeScript adds it */
  "compilerOptions": {
    "strict": true,
  },
}""",
    )
    write(
        root,
        "configs/tsconfig.paths.json",
        """{
  "compilerOptions": {
    // relative to this file: no baseUrl anywhere
    "paths": {
      "@shared/*": ["../shared/*",],
    },
  },
}""",
    )
    write(
        root,
        "apps/web/tsconfig.json",
        """{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "jsx": "preserve", }, // paths inherited
}""",
    )
    page = write(root, "apps/web/app/page.tsx")
    helper = write(root, "shared/clerk.ts")
    assert ModuleResolver(root).resolve(page, "@shared/clerk") == helper


def test_trailing_comma_before_comment(root: Path) -> None:
    write(root, "tsconfig.json", '{"compilerOptions": {"paths": {"@/*": ["./src/*"], /* c */ }, // c\n}, // c\n}')
    page = write(root, "src/page.ts")
    auth = write(root, "src/auth.ts")
    assert ModuleResolver(root).resolve(page, "@/auth") == auth


def test_extends_array_later_wins_and_own_options_win(root: Path) -> None:
    write_json(root, "base/a.json", {"compilerOptions": {"paths": {"@/*": ["./from-a/*"]}}})
    write_json(root, "base/b.json", {"compilerOptions": {"paths": {"@/*": ["./from-b/*"]}}})
    write_json(root, "one/tsconfig.json", {"extends": ["../base/a.json", "../base/b.json"]})
    write_json(
        root,
        "two/tsconfig.json",
        {"extends": ["../base/a.json"], "compilerOptions": {"paths": {"@/*": ["./own/*"]}}},
    )
    one = write(root, "one/page.ts")
    two = write(root, "two/page.ts")
    from_b = write(root, "base/from-b/x.ts")
    write(root, "base/from-a/x.ts")
    own = write(root, "two/own/x.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(one, "@/x") == from_b
    assert resolver.resolve(two, "@/x") == own


def test_paths_relative_to_inherited_base_url(root: Path) -> None:
    # baseUrl set in the base config (relative to it), paths in the child: paths use baseUrl
    write_json(root, "tsconfig.base.json", {"compilerOptions": {"baseUrl": "./src"}})
    write_json(
        root,
        "apps/web/tsconfig.json",
        {"extends": "../../tsconfig.base.json", "compilerOptions": {"paths": {"@lib/*": ["lib/*"]}}},
    )
    page = write(root, "apps/web/page.ts")
    lib = write(root, "src/lib/auth.ts")
    bare = write(root, "src/utils.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "@lib/auth") == lib
    assert resolver.resolve(page, "utils") == bare


def test_config_dir_template(root: Path) -> None:
    write_json(root, "tsconfig.base.json", {"compilerOptions": {"paths": {"@/*": ["${configDir}/src/*"]}}})
    write_json(root, "apps/web/tsconfig.json", {"extends": "../../tsconfig.base.json"})
    page = write(root, "apps/web/src/app/page.tsx")
    auth = write(root, "apps/web/src/auth.ts")
    assert ModuleResolver(root).resolve(page, "@/auth") == auth


def test_package_extends_ignored(root: Path) -> None:
    write_json(
        root,
        "tsconfig.json",
        {"extends": "@tsconfig/next/tsconfig.json", "compilerOptions": {"paths": {"@/*": ["./*"]}}},
    )
    page = write(root, "app/page.tsx")
    auth = write(root, "lib/auth.ts")
    assert ModuleResolver(root).resolve(page, "@/lib/auth") == auth


def test_workspace_package_extends(root: Path) -> None:
    write_json(root, "package.json", {"private": True, "workspaces": ["packages/*", "apps/*"]})
    write_json(root, "packages/config/package.json", {"name": "@repo/typescript-config"})
    write_json(root, "packages/config/nextjs.json", {"compilerOptions": {"baseUrl": "."}})
    write_json(root, "apps/web/tsconfig.json", {"extends": "@repo/typescript-config/nextjs.json"})
    page = write(root, "apps/web/page.ts")
    target = write(root, "packages/config/helpers.ts")
    assert ModuleResolver(root).resolve(page, "helpers") == target


def test_circular_extends_does_not_hang(root: Path) -> None:
    write_json(
        root,
        "tsconfig.json",
        {"extends": "./tsconfig.other.json", "compilerOptions": {"paths": {"@/*": ["./src/*"]}}},
    )
    write_json(root, "tsconfig.other.json", {"extends": "./tsconfig.json"})
    page = write(root, "src/page.ts")
    auth = write(root, "src/auth.ts")
    assert ModuleResolver(root).resolve(page, "@/auth") == auth


def test_base_url_bare_import(root: Path) -> None:
    write_json(root, "tsconfig.json", {"compilerOptions": {"baseUrl": "."}})
    page = write(root, "app/page.tsx")
    auth = write(root, "lib/auth.ts")
    components = write(root, "components/index.tsx")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "lib/auth") == auth
    assert resolver.resolve(page, "components") == components
    assert resolver.resolve(page, "react") is None


def test_exact_key_and_longest_prefix(root: Path) -> None:
    write_json(
        root,
        "tsconfig.json",
        {
            "compilerOptions": {
                "paths": {
                    "@lib/*": ["./generic/*"],
                    "@lib": ["./lib/index.ts"],
                    "@lib/auth/*": ["./auth/*"],
                }
            }
        },
    )
    page = write(root, "app/page.ts")
    index = write(root, "lib/index.ts")
    deep = write(root, "auth/server.ts")
    generic = write(root, "generic/db.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "@lib") == index
    assert resolver.resolve(page, "@lib/auth/server") == deep
    assert resolver.resolve(page, "@lib/db") == generic


def test_paths_fallbacks_in_order(root: Path) -> None:
    fallbacks = ["./src/*", "./generated/*", "./vendor/*"]
    write_json(root, "tsconfig.json", {"compilerOptions": {"paths": {"@/*": fallbacks}}})
    page = write(root, "src/page.ts")
    first = write(root, "src/auth.ts")
    write(root, "generated/auth.ts")
    second = write(root, "generated/schema.ts")
    third = write(root, "vendor/sdk/index.js")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "@/auth") == first
    assert resolver.resolve(page, "@/schema") == second
    assert resolver.resolve(page, "@/sdk") == third
    assert resolver.resolve(page, "@/nothing") is None


def test_paths_fall_back_to_base_url(root: Path) -> None:
    write_json(root, "tsconfig.json", {"compilerOptions": {"baseUrl": ".", "paths": {"lib/*": ["./missing/*"]}}})
    page = write(root, "page.ts")
    auth = write(root, "lib/auth.ts")
    assert ModuleResolver(root).resolve(page, "lib/auth") == auth


def test_malformed_tsconfig_is_absent(root: Path) -> None:
    write(root, "tsconfig.json", '{"compilerOptions": {"paths": {"@/*": ["./src/*"]')
    page = write(root, "src/page.ts")
    auth = write(root, "src/auth.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "./auth") == auth
    assert resolver.resolve(page, "@/auth") is None


def test_malformed_tsconfig_falls_back_to_jsconfig_and_parents(root: Path) -> None:
    write_json(root, "tsconfig.json", {"compilerOptions": {"paths": {"@/*": ["./src/*"]}}})
    write(root, "app/tsconfig.json", "[1, 2")
    page = write(root, "app/page.ts")
    auth = write(root, "src/auth.ts")
    assert ModuleResolver(root).resolve(page, "@/auth") == auth


@pytest.mark.parametrize(
    "text",
    [
        "",
        "null",
        "[]",
        '"text"',
        '{"compilerOptions": []}',
        '{"compilerOptions": {"paths": ["x"], "baseUrl": 3}}',
        '{"compilerOptions": {"paths": {"@/*": "./src/*", "a/*/*": ["./x/*/*"]}}}',
        '{"extends": 42}',
        '{"extends": [null, "./missing.json", "../../../../../../../etc/hosts"]}',
        "\xff\xfe\x00",
    ],
)
def test_odd_tsconfigs_never_crash(root: Path, text: str) -> None:
    write(root, "tsconfig.json", text)
    page = write(root, "src/page.ts")
    auth = write(root, "src/auth.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "./auth") == auth
    assert resolver.resolve(page, "@/auth") is None


# --------------------------------------------------------------------------------------------
# package.json imports
# --------------------------------------------------------------------------------------------


def test_package_imports(root: Path) -> None:
    imports = {
        "#auth": "./src/auth.ts",
        "#lib/*": {"types": "./dist/lib/*.d.ts", "default": "./dist/lib/*.js"},
    }
    write_json(root, "package.json", {"name": "web", "imports": imports})
    page = write(root, "src/app/page.tsx")
    auth = write(root, "src/auth.ts")
    session = write(root, "src/lib/session.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "#auth") == auth
    assert resolver.resolve(page, "#lib/session") == session
    assert resolver.resolve(page, "#missing") is None


# --------------------------------------------------------------------------------------------
# monorepo workspaces
# --------------------------------------------------------------------------------------------


def _auth_package(root: Path, folder: str = "packages/auth") -> dict[str, Path]:
    write_json(
        root,
        f"{folder}/package.json",
        {
            "name": "@acme/auth",
            "main": "./dist/index.js",
            "exports": {
                ".": {"types": "./dist/index.d.ts", "import": "./dist/index.mjs", "require": "./dist/index.js"},
                "./server": {"import": "./src/server.ts", "default": "./dist/server.js"},
                "./edge": "./dist/esm/edge.mjs",
                "./utils/*": "./src/utils/*.ts",
                "./package.json": "./package.json",
            },
        },
    )
    write(root, f"{folder}/dist/index.js")
    write(root, f"{folder}/dist/index.d.ts")
    return {
        "index": write(root, f"{folder}/src/index.ts"),
        "server": write(root, f"{folder}/src/server.ts"),
        "edge": write(root, f"{folder}/src/edge.ts"),
        "jwt": write(root, f"{folder}/src/utils/jwt.ts"),
    }


def test_workspace_exports_via_package_json_workspaces(root: Path) -> None:
    write_json(root, "package.json", {"private": True, "workspaces": ["packages/*", "apps/*"]})
    files = _auth_package(root)
    page = write(root, "apps/web/app/page.tsx")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "@acme/auth") == files["index"]
    assert resolver.resolve(page, "@acme/auth/server") == files["server"]
    assert resolver.resolve(page, "@acme/auth/edge") == files["edge"]
    assert resolver.resolve(page, "@acme/auth/utils/jwt") == files["jwt"]
    assert resolver.resolve(page, "@acme/auth/utils/missing") is None
    assert resolver.resolve(page, "@acme/other") is None
    assert resolver.resolve(page, "@acme") is None


def test_workspace_in_custom_folder_from_yarn_workspaces(root: Path) -> None:
    write_json(root, "package.json", {"workspaces": {"packages": ["libs/**", "!**/fixtures/**"]}})
    files = _auth_package(root, "libs/identity/auth")
    write_json(root, "libs/identity/fixtures/fake/package.json", {"name": "@acme/fake", "main": "index.ts"})
    write(root, "libs/identity/fixtures/fake/index.ts")
    page = write(root, "apps/web/page.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "@acme/auth/server") == files["server"]
    assert resolver.resolve(page, "@acme/fake") is None


def test_workspace_with_pnpm_workspace_yaml(root: Path) -> None:
    write(
        root,
        "pnpm-workspace.yaml",
        """# workspace
packages:
  - 'services/*'   # deployables
  - "shared/*"
  - '!shared/ignored'
catalog:
  react: ^19.0.0
""",
    )
    write_json(root, "package.json", {"name": "root", "private": True})
    write_json(root, "shared/db/package.json", {"name": "db", "module": "./dist/index.mjs"})
    db = write(root, "shared/db/src/index.ts")
    write_json(root, "shared/ignored/package.json", {"name": "ignored", "source": "index.ts"})
    write(root, "shared/ignored/index.ts")
    write_json(root, "services/api/package.json", {"name": "@acme/api"})
    api = write(root, "services/api/src/index.ts")
    routes = write(root, "services/api/src/routes.ts")
    page = write(root, "services/web/page.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "db") == db
    assert resolver.resolve(page, "@acme/api") == api
    assert resolver.resolve(page, "@acme/api/routes") == routes
    assert resolver.resolve(page, "ignored") is None


def test_pnpm_flow_list(root: Path) -> None:
    write(root, "pnpm-workspace.yaml", "packages: ['modules/*', \"tools/cli\"]\n")
    write_json(root, "tools/cli/package.json", {"name": "cli", "main": "main.js"})
    main = write(root, "tools/cli/main.js")
    write_json(root, "modules/ui/package.json", {"name": "@acme/ui"})
    ui = write(root, "modules/ui/index.tsx")
    page = write(root, "app/page.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "cli") == main
    assert resolver.resolve(page, "@acme/ui") == ui


def test_default_workspace_folders_without_declaration(root: Path) -> None:
    write_json(root, "packages/auth/package.json", {"name": "@acme/auth", "exports": "./src/index.ts"})
    index = write(root, "packages/auth/src/index.ts")
    page = write(root, "apps/web/page.ts")
    assert ModuleResolver(root).resolve(page, "@acme/auth") == index


def test_paths_win_over_workspace_packages(root: Path) -> None:
    _auth_package(root)
    write_json(root, "apps/web/tsconfig.json", {"compilerOptions": {"paths": {"@acme/auth": ["./mock-auth.ts"]}}})
    mock = write(root, "apps/web/mock-auth.ts")
    page = write(root, "apps/web/page.ts")
    assert ModuleResolver(root).resolve(page, "@acme/auth") == mock


def test_scan_root_inside_monorepo_finds_workspace_root(root: Path) -> None:
    write_json(root, "package.json", {"workspaces": ["packages/*", "apps/*"]})
    files = _auth_package(root)
    page = write(root, "apps/web/page.ts")
    assert ModuleResolver(root / "apps" / "web").resolve(page, "@acme/auth") == files["index"]


def test_malformed_package_json_in_workspace(root: Path) -> None:
    write(root, "package.json", "{ not json")
    write(root, "packages/bad/package.json", '{"name": ')
    exports = {".": None, "./x": [{"worker": 1}, "./x.ts"]}
    write_json(root, "packages/good/package.json", {"name": "good", "exports": exports})
    x = write(root, "packages/good/x.ts")
    index = write(root, "packages/good/src/index.ts")
    page = write(root, "apps/web/page.ts")
    resolver = ModuleResolver(root)
    assert resolver.resolve(page, "good/x") == x
    assert resolver.resolve(page, "good") == index
    assert resolver.resolve(page, "bad") is None


# --------------------------------------------------------------------------------------------
# caching and the reader
# --------------------------------------------------------------------------------------------


def test_reads_each_config_once_and_caches(root: Path) -> None:
    write_json(root, "tsconfig.json", {"compilerOptions": {"paths": {"@/*": ["./src/*"]}}})
    write_json(root, "package.json", {"workspaces": ["packages/*"]})
    _auth_package(root)
    auth = write(root, "src/lib/auth.ts")
    pages = [write(root, f"src/app/r{i}/page.tsx") for i in range(5)]
    reads: list[Path] = []

    def read(path: Path) -> bytes | None:
        reads.append(path)
        try:
            return path.read_bytes()
        except OSError:
            return None

    resolver = ModuleResolver(root, read_bytes=read)
    for page in pages:
        assert resolver.resolve(page, "@/lib/auth") == auth
        assert resolver.resolve(page, "@acme/auth/server") is not None
        assert resolver.resolve(page, "@acme/auth/server") is not None
    assert reads.count(root / "tsconfig.json") == 1
    assert reads.count(root / "packages" / "auth" / "package.json") == 1


def test_custom_reader_is_used_for_configs(root: Path) -> None:
    page = write(root, "src/page.ts")
    auth = write(root, "src/auth.ts")
    write(root, "tsconfig.json", "{}")
    virtual = {root / "tsconfig.json": b'{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}'}
    resolver = ModuleResolver(root, read_bytes=virtual.get)
    assert resolver.resolve(page, "@/auth") == auth


def test_relative_root_and_importer(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(root, "src/page.ts")
    auth = write(root, "src/auth.ts")
    monkeypatch.chdir(root)
    assert ModuleResolver(Path(".")).resolve(Path("src/page.ts"), "./auth") == auth
