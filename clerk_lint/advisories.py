"""Known security advisories of Clerk SDK packages, in one table (CLK113 vulnerable-clerk-version).

To add an advisory, add an :class:`Advisory` to ``ADVISORIES``: the package, the affected ranges
(each ``(introduced, fixed)``: affected from ``introduced`` inclusive to ``fixed`` exclusive), where
it was published, and — when the advisory only matters for apps that use a feature — a ``when``
condition named in ``CONDITIONS`` below. The rule reads nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clerk_lint.project.manifest import Version

if TYPE_CHECKING:
    from pathlib import Path

    from clerk_lint.findings import Location
    from clerk_lint.project import Project
    from clerk_lint.project.manifest import Dependency, JsManifest
    from clerk_lint.source import SourceFile


@dataclass(frozen=True)
class Advisory:
    id: str  # GHSA id, or how the changelog names it
    cve: str
    package: str
    #: affected ranges: (introduced, fixed), introduced inclusive, fixed exclusive
    ranges: tuple[tuple[str, str], ...]
    summary: str
    url: str
    security_severity: float
    #: a condition from ``CONDITIONS`` that must hold for the app, or "" (always)
    when: str = ""

    def affected(self, version: Version) -> tuple[Version, Version] | None:
        """The (introduced, fixed) range ``version`` falls in, or None."""
        for introduced, fixed in self.ranges:
            low, high = Version.parse(introduced), Version.parse(fixed)
            if low is not None and high is not None and low <= version < high:
                return low, high
        return None


ADVISORIES: tuple[Advisory, ...] = (
    Advisory(
        id="GHSA-q6w5-jg5q-47vg",
        cve="CVE-2024-22206",
        package="@clerk/nextjs",
        ranges=(("4.7.0", "4.29.3"),),
        summary="auth() and getAuth() can attribute a request to another user's session (unauthorized access, acting on behalf of other users)",
        url="https://github.com/clerk/javascript/security/advisories/GHSA-q6w5-jg5q-47vg",
        security_severity=9.0,
    ),
    Advisory(
        id="GHSA-vqx2-fgx2-5wq9",
        cve="CVE-2026-41248",
        package="@clerk/nextjs",
        ranges=(("5.0.0", "5.7.6"), ("6.0.0", "6.39.2"), ("7.0.0", "7.2.1")),
        summary="createRouteMatcher() can be bypassed with percent-encoded or doubled-slash paths, so middleware route protection is skipped",
        url="https://github.com/clerk/javascript/security/advisories/GHSA-vqx2-fgx2-5wq9",
        security_severity=9.1,
        when="route-matchers",
    ),
    Advisory(
        id="the foreign req.auth bypass (@clerk/express changelog 2.1.25)",
        cve="",
        package="@clerk/express",
        ranges=(("0.0.0", "2.1.25"),),
        summary=(
            "a req.auth set by express-jwt, Passport or express-openid-connect makes clerkMiddleware()/requireAuth() skip "
            "Clerk authentication and getAuth() return the unverified foreign value"
        ),
        url="https://github.com/clerk/javascript/blob/main/packages/express/CHANGELOG.md#2125",
        security_severity=8.1,
        when="foreign-req-auth",
    ),
)

#: packages that set their own ``req.auth`` (or authenticate the request before Clerk does)
FOREIGN_AUTH_PACKAGES = ("express-jwt", "passport", "express-openid-connect")


def advisories_for(package: str) -> list[Advisory]:
    return [a for a in ADVISORIES if a.package == package]


# -- conditions --------------------------------------------------------------------------------------


def condition(name: str, project: "Project", manifest: "JsManifest", root: "Path") -> tuple[bool, str]:
    """Whether the condition ``name`` holds for the app of ``manifest`` (its directory ``root``),
    and a few words saying why (for the message)."""
    if not name:
        return True, ""
    return CONDITIONS[name](project, manifest, root)


def _route_matchers(project: "Project", manifest: "JsManifest", root: "Path") -> tuple[bool, str]:
    used = project.express.uses_clerk_export(root, "createRouteMatcher")
    if used is None:
        return False, ""
    return True, f"createRouteMatcher() is used in {used}"


def _foreign_req_auth(project: "Project", manifest: "JsManifest", root: "Path") -> tuple[bool, str]:
    found = [name for name in FOREIGN_AUTH_PACKAGES if manifest.get(name) is not None]
    if not found:
        return False, ""
    return True, f"{', '.join(found)} {'is a dependency' if len(found) == 1 else 'are dependencies'}"


CONDITIONS = {
    "route-matchers": _route_matchers,
    "foreign-req-auth": _foreign_req_auth,
}


# -- ranges ------------------------------------------------------------------------------------------

_EXACT_SPEC = re.compile(r"^\s*=?\s*v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?\s*$")


def range_admits(spec: str, lowest: Version, target: Version) -> bool:
    """Whether the range ``spec`` (whose lowest version is ``lowest``) also admits ``target``
    (a newer version): ``^6.2.0`` admits 6.39.2, ``~6.2.0`` and ``6.2.0`` do not."""
    text = spec.strip()
    if text.startswith("npm:"):
        text = text.rsplit("@", 1)[-1]
    if text.startswith("workspace:"):
        text = text[len("workspace:"):]
    if _EXACT_SPEC.match(text):
        return False
    if "||" in text or ">" in text or text in ("*", "x", "", "latest"):
        return True
    if text.startswith("^"):
        if lowest.major > 0:
            return target.major == lowest.major
        return target.major == 0 and target.minor == lowest.minor
    if text.startswith("~"):
        return (target.major, target.minor) == (lowest.major, lowest.minor)
    parts = re.split(r"[.]", text.lstrip("=v"))
    if len(parts) == 1 or (len(parts) > 1 and parts[1].lower() in ("x", "*")):
        return target.major == lowest.major  # "6", "6.x"
    if len(parts) == 2 or (len(parts) > 2 and parts[2].lower() in ("x", "*")):
        return (target.major, target.minor) == (lowest.major, lowest.minor)  # "6.2", "6.2.x"
    return True


def dependency_location(file: "SourceFile", dependency: "Dependency") -> "Location":
    """Where a finding about a dependency points: its quoted name on its package.json line
    (CLK113, and CLK206 for retired packages)."""
    line = max(1, min(dependency.line, file.line_count))
    start = file.line_starts[line - 1]
    raw = file.line_text(line).encode("utf-8")
    quoted = f'"{dependency.name}"'.encode()
    index = raw.find(quoted)
    if index < 0:
        return file.location(start, start + len(raw))
    return file.location(start + index, start + index + len(quoted))
