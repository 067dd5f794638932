"""Version and advisory rules (CLK113, CLK206-CLK208) and the Express/Fastify/Hono route model
(CLK107): what the fixture markers cannot say — levels, confidence, the version a finding was judged
on, and the route table other rules build on."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import scan

from clerk_lint.advisories import ADVISORIES, range_admits
from clerk_lint.discovery import discover
from clerk_lint.project import Project
from clerk_lint.project.express import ATTACHES, BLOCKS, GUARDED, OPEN
from clerk_lint.project.manifest import Version

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _findings(app: Path, rule: str) -> dict[str, list[dict]]:
    _, document = scan(app)
    found: dict[str, list[dict]] = {}
    for finding in document["findings"]:
        if finding["rule"] != rule:
            continue
        rel = (Path(document["root"]) / finding["location"]["path"]).resolve().relative_to(app.resolve()).as_posix()
        found.setdefault(rel, []).append(finding)
    return found


# -- CLK113 -----------------------------------------------------------------------------------------


def test_advisory_levels_follow_how_the_version_is_known():
    hits = _findings(FIXTURES / "versions-advisories", "CLK113")
    [locked] = hits["npm-matcher-vulnerable/package.json"]
    assert (locked["level"], locked["confidence"]) == ("error", "high")
    assert "GHSA-vqx2-fgx2-5wq9" in locked["message"] and "6.39.2" in locked["message"] and "package-lock.json" in locked["message"]
    [bun] = hits["bun-matcher-vulnerable/package.json"]
    assert "7.2.1" in bun["message"] and "bun.lock" in bun["message"] and "src/middleware.ts" in bun["message"]
    [ranged] = hits["range-only/package.json"]
    assert (ranged["level"], ranged["confidence"]) == ("warning", "low"), "^5.2.0 also admits the fixed 5.7.6"
    [exact] = hits["exact-spec/package.json"]
    assert (exact["level"], exact["confidence"]) == ("error", "medium")
    [express] = hits["express-jwt/package.json"]
    assert "2.1.25" in express["message"] and "express-jwt" in express["message"]


def test_v4_advisory_is_judged_on_the_locked_version_not_the_range_floor():
    [finding] = _findings(FIXTURES / "versions-v4", "CLK113")["package.json"]
    assert "4.29.1" in finding["message"] and "GHSA-q6w5-jg5q-47vg" in finding["message"] and "4.29.3" in finding["message"]


def test_advisory_table_ranges():
    by_id = {a.id: a for a in ADVISORIES}
    matcher = by_id["GHSA-vqx2-fgx2-5wq9"]
    assert matcher.affected(Version(6, 39, 1)) is not None
    assert matcher.affected(Version(6, 39, 2)) is None
    assert matcher.affected(Version(7, 2, 0)) is not None and matcher.affected(Version(7, 2, 1)) is None
    assert matcher.affected(Version(5, 7, 5)) is not None and matcher.affected(Version(5, 7, 6)) is None
    assert matcher.affected(Version(4, 29, 1)) is None
    idor = by_id["GHSA-q6w5-jg5q-47vg"]
    assert idor.affected(Version(4, 6, 0)) is None and idor.affected(Version(4, 7, 0)) is not None


@pytest.mark.parametrize(
    ("spec", "lowest", "target", "admits"),
    [
        ("^6.2.0", Version(6, 2, 0), Version(6, 39, 2), True),
        ("~6.2.0", Version(6, 2, 0), Version(6, 39, 2), False),
        ("6.2.0", Version(6, 2, 0), Version(6, 39, 2), False),
        (">=6.2.0", Version(6, 2, 0), Version(6, 39, 2), True),
        ("6.x", Version(6, 0, 0), Version(6, 39, 2), True),
        ("^5.2.0", Version(5, 2, 0), Version(6, 39, 2), False),
        ("npm:@clerk/nextjs@^6.1.0", Version(6, 1, 0), Version(6, 39, 2), True),
    ],
)
def test_range_admits(spec, lowest, target, admits):
    assert range_admits(spec, lowest, target) is admits


# -- CLK206 - CLK208 -------------------------------------------------------------------------------


def test_removed_api_levels():
    v4 = _findings(FIXTURES / "versions-v4", "CLK206")
    [ssr] = v4["pages/legacy-profile.tsx"]
    assert ssr["level"] == "note", "deprecated on v4, removed only in v5"
    [node_sdk] = v4["package.json"]
    assert node_sdk["level"] == "warning" and "end-of-life" in node_sdk["message"]
    v5 = _findings(FIXTURES / "versions-v5", "CLK206")
    assert {f["level"] for fs in v5.values() for f in fs} == {"warning"}
    assert "5.7.5" in v5["app/api/me/route.ts"][0]["message"], "the version comes from yarn.lock"


def test_control_components_and_route_matcher_levels():
    components = _findings(FIXTURES / "versions-v7", "CLK207")["components/nav.tsx"]
    assert len(components) == 3 and {f["level"] for f in components} == {"error"}
    [matcher] = _findings(FIXTURES / "versions-v7", "CLK208")["proxy.ts"]
    assert matcher["level"] == "note" and "7.6.0" in matcher["message"], "the version comes from bun.lock"


# -- the route model ---------------------------------------------------------------------------------


def _project(app: Path) -> tuple[Project, list]:
    project = Project(app.resolve(), lambda note: None)
    files = [project.load(c.path) for c in discover([app.resolve()], app.resolve()).files if c.kind == "code"]
    return project, [f for f in files if f is not None]


def test_route_table_of_the_express_fixture():
    project, files = _project(FIXTURES / "express-v5")
    routes = {r.label: r for f in files for r in project.express.entries(f)}
    assert set(routes) == {
        "GET /api/notes", "POST /api/notes", "GET /api/public/notes", "GET /api/public/mine", "GET /api/public/drafts", "GET /api/public/legacy",
        "GET /api/public/stats", "GET /api/profile", "POST /api/webhooks/clerk", "GET /health",
    }
    notes = routes["POST /api/notes"]
    assert notes.handler_file is not None and notes.handler_file.rel == "src/controllers/notes.js", "handler followed into its file"
    kinds = [project.express.verdict(m).kind for m in notes.middleware]
    assert ATTACHES in kinds and kinds[-1] == BLOCKS, "clerkMiddleware() attaches, router.use(requireUser) blocks"
    assert project.express.protection(notes).status == GUARDED
    assert project.express.protection(routes["GET /api/public/notes"]).status == OPEN
    assert routes["GET /api/profile"].clerk_later is not None, "registered before app.use(clerkMiddleware())"


def test_handlers_in_gives_the_routes_of_a_controller_file():
    """The entry point other rules (CLK301/CLK302) use: routes by the file that holds the handler."""
    project, files = _project(FIXTURES / "express-v5")
    controller = next(f for f in files if f.rel == "src/controllers/notes.js")
    labels = sorted(r.label for r in project.express.handlers_in(controller))
    assert labels == ["GET /api/notes", "POST /api/notes"]


@pytest.mark.parametrize(("app", "expected"), [
    ("express-fastify", {"GET /api/notes": GUARDED, "GET /api/me": GUARDED, "GET /api/drafts": GUARDED, "GET /api/feed": OPEN}),
    ("express-hono", {"GET /admin/users": GUARDED, "GET /api/me": GUARDED, "GET /api/posts": OPEN, "GET /api/settings": GUARDED}),
    ("express-v4", {"GET /posts": OPEN, "POST /posts": GUARDED, "DELETE /posts/:id": GUARDED, "GET /admin/posts": GUARDED, "DELETE /admin/posts": GUARDED}),
])
def test_fastify_hono_and_express4_paths_and_protection(app, expected):
    project, files = _project(FIXTURES / app)
    got = {r.label: project.express.protection(r).status for f in files for r in project.express.entries(f)}
    assert got == expected
