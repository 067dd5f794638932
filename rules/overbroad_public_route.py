from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

#: URLs that stand for "every page" and "every API route"
SITE_PROBES = ("/dashboard", "/settings/billing", "/admin/users/1")
API_PROBES = ("/api/users", "/api/admin/users/1", "/api/billing/invoices")
PKG5 = '{"dependencies": {"@clerk/nextjs": "5.7.5", "next": "14.2.3"}}'
PKG6 = '{"dependencies": {"@clerk/nextjs": "^6.20.0", "next": "15.3.1"}}'


class OverbroadPublicRoute(Rule):
    """
    ## What it does

    Finds public-route patterns in the middleware that make a whole tree public: `publicRoutes` and
    `ignoredRoutes` of `authMiddleware`, and the public matcher of an allow-list `clerkMiddleware`
    (`if (!isPublicRoute(req)) await auth.protect()`), whose pattern matches every page (`(.*)`,
    `/(.*)`, `/:path*`) or every API route (`/api(.*)`, `/api/(.*)`, `/api/:path*`). Patterns are
    evaluated with path-to-regexp semantics, not compared as text.

    ## Why is this bad?

    An allow-list is only as tight as its widest entry. `'/api(.*)'` added to let one webhook through
    makes every API route public, and since the middleware was the only check for most of them, they
    now answer signed-out callers.

    ## Example

    ```ts title="middleware.ts"
    import { authMiddleware } from '@clerk/nextjs/server'

    export default authMiddleware({ publicRoutes: ['/', '/api(.*)'] })
    ```

    ## Use instead

    ```ts title="middleware.ts"
    import { authMiddleware } from '@clerk/nextjs/server'

    export default authMiddleware({ publicRoutes: ['/', '/api/webhooks(.*)'] })
    ```

    ## Known problems

    Patterns built at run time, and functions given as public routes, cannot be evaluated and are
    not reported. Routes that check auth themselves are safe even under a broad public pattern; the
    finding is still worth a look, because the middleware no longer backs them up.

    ## References

    - [Clerk: clerkMiddleware() and createRouteMatcher()](https://clerk.com/docs/reference/nextjs/clerk-middleware)
    - [Clerk: authMiddleware() public routes (v4/v5)](https://clerk.com/docs/references/nextjs/auth-middleware)
    - [CWE-284: Improper Access Control](https://cwe.mitre.org/data/definitions/284.html)
    """

    id = "CLK112"
    slug = "overbroad-public-route"
    name = "Public route pattern opens a whole tree"
    level = Level.WARNING
    security_severity = 7.1
    cwe = (284,)
    tags = ("nextjs", "middleware")
    grammars = JS_FAMILY

    cases = (
        Case("auth-middleware-api-public", {
            "package.json": PKG5,
            "app/page.tsx": "export default function P() { return null }\n",
            "middleware.ts": "import { authMiddleware } from '@clerk/nextjs/server'\nexport default authMiddleware({\n  publicRoutes: ['/', '/api(.*)'], // expect: CLK112\n})\n",
        }),
        Case("allow-list-everything", {
            "package.json": PKG6,
            "app/page.tsx": "export default function P() { return null }\n",
            "middleware.ts": (
                "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'\n"
                "const isPublicRoute = createRouteMatcher([\n  '/sign-in(.*)',\n  '/:path*', // expect: CLK112\n])\n"
                "export default clerkMiddleware(async (auth, req) => {\n  if (!isPublicRoute(req)) await auth.protect()\n})\n"
            ),
        }),
        Case("narrow-public-routes", {
            "package.json": PKG6,
            "app/page.tsx": "export default function P() { return null }\n",
            "middleware.ts": (
                "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'\n"
                "const isPublicRoute = createRouteMatcher(['/', '/sign-in(.*)', '/sign-up(.*)', '/api/webhooks(.*)', '/blog/:slug'])\n"
                "export default clerkMiddleware(async (auth, req) => {\n  if (!isPublicRoute(req)) await auth.protect()\n})\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        found = project.nextjs.as_middleware(file)
        if found is None:
            return
        _, middleware = found
        for entry in middleware.public_entries:
            if entry.pattern is None:
                continue
            if all(entry.pattern.matches(url) for url in SITE_PROBES):
                what = "every page and API route"
            elif all(entry.pattern.matches(url) for url in API_PROBES):
                what = "every API route"
            else:
                continue
            yield self.finding(
                (file, entry.node),
                f"public route pattern '{entry.source}' makes {what} public; list the public paths one by one",
            )
