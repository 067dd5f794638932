from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, captures
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

CLERK_NEXT_SOURCES = ("@clerk/nextjs", "@clerk/nextjs/server")
MEMBER_QUERY = "(member_expression) @member"


class DeprecatedAuthMiddleware(Rule):
    """
    ## What it does

    Finds the pre-v5 middleware helpers of `@clerk/nextjs`: `authMiddleware` (deprecated in 5.0,
    removed in 6.0) and `withClerkMiddleware` (deprecated in 4.x, removed in 5.0), imported by name,
    by alias, through a namespace import or with `require`. The level follows the installed
    `@clerk/nextjs` version: on v4 `authMiddleware` is the current API and is not reported.

    ## Why is this bad?

    On v6 and later the import no longer exists, so the build breaks or, worse, someone "fixes" it by
    swapping in a bare `clerkMiddleware()`. The two are opposites: `authMiddleware` protects every
    route that is not listed as public, while `clerkMiddleware` protects nothing unless told to, so
    a one-line migration silently makes the whole app public. `withClerkMiddleware` never protected
    anything: it only attached the auth state.

    ## Example

    ```ts title="middleware.ts"
    import { authMiddleware } from '@clerk/nextjs'

    export default authMiddleware({ publicRoutes: ['/', '/sign-in(.*)'] })
    ```

    ## Use instead

    ```ts title="middleware.ts"
    import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

    const isPublicRoute = createRouteMatcher(['/', '/sign-in(.*)'])

    export default clerkMiddleware(async (auth, req) => {
      if (!isPublicRoute(req)) await auth.protect()
    })
    ```

    ## Known problems

    When no `package.json` declares `@clerk/nextjs`, the newest major is assumed (error, lower
    confidence).

    ## References

    - [Clerk: migrating from authMiddleware() to clerkMiddleware()](https://clerk.com/docs/guides/development/upgrading/upgrade-guides/core-2/nextjs#migrating-to-clerk-middleware)
    - [Clerk: clerkMiddleware()](https://clerk.com/docs/reference/nextjs/clerk-middleware)
    - [CWE-477: Use of Obsolete Function](https://cwe.mitre.org/data/definitions/477.html)
    """

    id = "CLK201"
    slug = "deprecated-auth-middleware"
    name = "Deprecated Clerk middleware helper"
    level = Level.WARNING
    security_severity = 5.3
    cwe = (477,)
    tags = ("deprecated", "nextjs")
    grammars = JS_FAMILY
    version_gates = (
        "authMiddleware: quiet on @clerk/nextjs v4, warning on v5, error on v6+; "
        "withClerkMiddleware: warning on v4, error on v5+"
    )

    cases = (
        Case("v5-warning", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "^5.2.0", "next": "14.2.3"}}',
            "middleware.ts": "import { authMiddleware } from '@clerk/nextjs/server' // expect: CLK201\nexport default authMiddleware()\n",
        }),
        Case("v6-aliased", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "6.9.1"}}',
            "src/middleware.js": "const { authMiddleware: protect } = require('@clerk/nextjs/server') // expect: CLK201\nmodule.exports = protect()\n",
        }),
        Case("namespace-import", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "^6.0.0"}}',
            "middleware.ts": "import * as clerk from '@clerk/nextjs/server'\nexport default clerk.authMiddleware() // expect: CLK201\n",
        }),
        Case("v4-auth-middleware-is-current", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "^4.29.3"}}',
            "middleware.ts": "import { authMiddleware } from '@clerk/nextjs'\nexport default authMiddleware()\n",
        }),
        Case("v4-with-clerk-middleware", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "4.31.8"}}',
            "middleware.ts": "import { withClerkMiddleware } from '@clerk/nextjs/server' // expect: CLK201\nexport default withClerkMiddleware(() => {})\n",
        }),
        Case("clerk-middleware-is-quiet", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "^6.0.0"}}',
            "middleware.ts": "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n",
        }),
        Case("local-function-of-the-same-name", {
            "middleware.ts": "import { authMiddleware } from './lib/auth'\nexport default authMiddleware()\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if b"ClerkMiddleware" not in file.data and b"authMiddleware" not in file.data:
            return
        facts = project.js(file)
        hits = [(b.imported, b.node) for b in facts.imports_from(*CLERK_NEXT_SOURCES) if b.imported in ("authMiddleware", "withClerkMiddleware")]
        hits += [  # export { authMiddleware } from '@clerk/nextjs/server'
            (e.imported, e.node) for e in facts.exports.values() if e.source in CLERK_NEXT_SOURCES and e.imported in ("authMiddleware", "withClerkMiddleware")
        ]
        namespaces = [b.local for b in facts.imports_from(*CLERK_NEXT_SOURCES) if b.imported in ("*", "default")]
        if namespaces:
            for member in captures(file.grammar, MEMBER_QUERY, file.root).get("member", ()):
                resolved = facts.resolve(member)
                if resolved and resolved[1] in ("authMiddleware", "withClerkMiddleware"):
                    hits.append((resolved[1], member))
        if not hits:
            return
        sdk = project.sdk(file, "@clerk/nextjs")
        confidence = self.confidence if sdk.known else self.confidence.lower()
        for name, node in hits:
            verdict = self._verdict(name, sdk.major)
            if verdict is None:
                continue
            level, message = verdict
            yield self.finding((file, node), f"{message} ({sdk.describe()})", level=level, confidence=confidence)

    @staticmethod
    def _verdict(name: str, major: int) -> tuple[Level, str] | None:
        if name == "authMiddleware":
            if major < 5:
                return None
            if major == 5:
                return Level.WARNING, (
                    "authMiddleware is deprecated and removed in v6; migrate to clerkMiddleware() and keep "
                    "protecting non-public routes explicitly (clerkMiddleware protects nothing by default)"
                )
            return Level.ERROR, (
                "authMiddleware was removed in @clerk/nextjs v6; use clerkMiddleware() with explicit "
                "auth.protect() calls (it protects nothing by default, unlike authMiddleware)"
            )
        if major < 5:
            return Level.WARNING, (
                "withClerkMiddleware is deprecated and protects no route; use authMiddleware (v4) or upgrade to clerkMiddleware()"
            )
        return Level.ERROR, "withClerkMiddleware was removed in @clerk/nextjs v5 and never protected a route; use clerkMiddleware() with auth.protect()"
