from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from clerk_lint.advisories import ADVISORIES, condition, dependency_location, range_admits
from clerk_lint.findings import Confidence, Finding, Level
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

MIDDLEWARE = (
    "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'\n"
    "const isProtected = createRouteMatcher(['/dashboard(.*)'])\n"
    "export default clerkMiddleware(async (auth, req) => { if (isProtected(req)) await auth.protect() })\n"
)
PACKAGE_LOCK = """{{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {{
    "": {{ "dependencies": {{ "@clerk/nextjs": "^6.30.0" }} }},
    "node_modules/@clerk/nextjs": {{ "version": "{version}" }}
  }}
}}
"""


class VulnerableClerkVersion(Rule):
    """
    ## What it does

    Reports a Clerk SDK dependency whose installed version has a known security advisory, on the
    dependency's line in `package.json`. The version is the exact one the lockfile pins
    (`package-lock.json`, `pnpm-lock.yaml`, `yarn.lock`, `bun.lock`); without a lockfile entry it is
    the lowest version the declared range admits, with lower confidence. The message names the
    advisory and the first fixed version. The advisories (one table in `clerk_lint/advisories.py`):

    - GHSA-q6w5-jg5q-47vg (CVE-2024-22206): `@clerk/nextjs` 4.7.0 – 4.29.2, `auth()`/`getAuth()` can
      act on another user's session; fixed in 4.29.3.
    - GHSA-vqx2-fgx2-5wq9 (CVE-2026-41248): `createRouteMatcher()` bypass in `@clerk/nextjs` 5.x < 5.7.6,
      6.x < 6.39.2, 7.x < 7.2.1 — reported only when the app uses `createRouteMatcher`.
    - `@clerk/express` < 2.1.25 beside `express-jwt`, `passport` or `express-openid-connect`: a `req.auth`
      set by those libraries made Clerk skip authentication and `getAuth()` return the foreign value.

    ## Why is this bad?

    These are authentication bypasses in the SDK itself: the application code can be correct and still
    let a signed-out caller through, or act as another user. They are fixed in patch releases within
    the same major, so upgrading is usually a one-line change to the lockfile.

    ## Example

    ```json title="package.json"
    {
      "dependencies": {
        "@clerk/nextjs": "4.29.1",
        "next": "14.0.4"
      }
    }
    ```

    ## Use instead

    ```json title="package.json"
    {
      "dependencies": {
        "@clerk/nextjs": "4.29.3",
        "next": "14.0.4"
      }
    }
    ```

    ## Known problems

    A range without a lockfile entry is judged on its lowest version: `^6.2.0` may well install a
    fixed 6.x today, so that finding is a low-confidence warning (commit the lockfile, or raise the
    range's floor). Findings on `package.json` cannot be suppressed inline (JSON has no comments): use
    `per-file-ignores`. Transitive copies (`@clerk/shared`, `@clerk/backend` pulled in by an SDK) are
    not judged.

    ## References

    - [GHSA-q6w5-jg5q-47vg: @clerk/nextjs auth() and getAuth() IDOR](https://github.com/clerk/javascript/security/advisories/GHSA-q6w5-jg5q-47vg)
    - [GHSA-vqx2-fgx2-5wq9: createRouteMatcher bypass](https://github.com/clerk/javascript/security/advisories/GHSA-vqx2-fgx2-5wq9)
    - [@clerk/express changelog 2.1.25](https://github.com/clerk/javascript/blob/main/packages/express/CHANGELOG.md)
    - [CWE-1395: Dependency on Vulnerable Third-Party Component](https://cwe.mitre.org/data/definitions/1395.html)
    """

    id = "CLK113"
    slug = "vulnerable-clerk-version"
    name = "Clerk SDK version with a known advisory"
    level = Level.ERROR
    security_severity = 9.1
    cwe = (1395, 287)
    tags = ("dependency", "advisory", "nextjs", "express")
    manifests = True
    version_gates = (
        "error when the lockfile (or an exact spec) pins an affected version; warning with low confidence when only a "
        "range is declared and it also admits the fix; GHSA-vqx2-fgx2-5wq9 only with createRouteMatcher, the "
        "@clerk/express advisory only beside express-jwt / passport / express-openid-connect"
    )

    cases = (
        Case("v4-locked-vulnerable", {
            "package.json": '{\n  "dependencies": {\n    "@clerk/nextjs": "^4.29.0"\n  }\n}\n',
            "package-lock.json": PACKAGE_LOCK.format(version="4.29.1").replace("^6.30.0", "^4.29.0"),
            "expected.toml": '# expect: CLK113 on the @clerk/nextjs line\n[[finding]]\npath = "package.json"\nline = 3\nrule = "CLK113"\n',
        }),
        Case("route-matcher-advisory-needs-a-matcher", {
            "with/package.json": '{\n  "dependencies": {\n    "@clerk/nextjs": "^6.30.0"\n  }\n}\n',
            "with/package-lock.json": PACKAGE_LOCK.format(version="6.30.0"),
            "with/middleware.ts": MIDDLEWARE,
            "without/package.json": '{\n  "dependencies": {\n    "@clerk/nextjs": "^6.30.0"\n  }\n}\n',
            "without/package-lock.json": PACKAGE_LOCK.format(version="6.30.0"),
            "without/middleware.ts": "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n",
            "fixed/package.json": '{\n  "dependencies": {\n    "@clerk/nextjs": "^6.30.0"\n  }\n}\n',
            "fixed/package-lock.json": PACKAGE_LOCK.format(version="6.39.2"),
            "fixed/middleware.ts": MIDDLEWARE,
            "expected.toml": '[[finding]]\npath = "with/package.json"\nline = 3\nrule = "CLK113"\n',
        }),
        Case("express-beside-express-jwt", {
            "api/package.json": '{\n  "dependencies": {\n    "@clerk/express": "2.1.10",\n    "express-jwt": "8.4.1"\n  }\n}\n',
            "plain/package.json": '{\n  "dependencies": {\n    "@clerk/express": "2.1.10"\n  }\n}\n',
            "expected.toml": '[[finding]]\npath = "api/package.json"\nline = 3\nrule = "CLK113"\n',
        }),
        Case("fixed-version-is-quiet", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "4.29.3", "@clerk/express": "2.1.25", "passport": "0.7.0"}}',
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if file.kind != "manifest" or b"@clerk/" not in file.data:
            return
        manifest = project.manifest_at(file.real.parent)
        if manifest is None:
            return
        root = Path(manifest.path).parent
        for advisory in ADVISORIES:
            dependency = manifest.get(advisory.package)
            if dependency is None or dependency.version is None:
                continue
            version = dependency.version
            hit = advisory.affected(version)
            if hit is None:
                continue
            holds, reason = condition(advisory.when, project, manifest, root)
            if not holds:
                continue
            fixed = hit[1]
            level, confidence = Level.ERROR, Confidence.HIGH
            if dependency.exact is not None:
                basis = f"{version}, locked in {Path(dependency.lockfile).name}" if dependency.lockfile else str(version)
            elif range_admits(dependency.spec, version, fixed):
                basis = f"the range {dependency.spec!r} admits {version}; no lockfile pins the installed version"
                level, confidence = Level.WARNING, Confidence.LOW
            else:
                basis = f"{dependency.spec!r} with no lockfile entry"
                confidence = Confidence.MEDIUM
            named = f"{advisory.id} ({advisory.cve})" if advisory.cve else advisory.id
            message = f"{advisory.package} {version} is affected by {named}: {advisory.summary} ({basis}"
            message += f"; {reason})" if reason else ")"
            message += f"; upgrade to {fixed} or later"
            yield self.finding(dependency_location(file, dependency), message, level=level, confidence=confidence)
