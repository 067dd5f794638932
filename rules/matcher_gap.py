from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY
from clerk_lint.project.middleware import samples
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG = '{"dependencies": {"@clerk/nextjs": "^6.20.0", "next": "15.3.1"}}'
ROUTE = "import { auth } from '@clerk/nextjs/server'\nexport async function GET() {\n  const { userId } = await auth()\n  if (!userId) return new Response(null, { status: 401 })\n  return Response.json({ userId })\n}\n"
MAX_LISTED = 5


class MatcherGap(Rule):
    """
    ## What it does

    Finds a `config.matcher` in the middleware/proxy that leaves out routes which rely on Clerk: route
    handlers, API routes and pages that call `auth()`, `currentUser()` or `getAuth()`, and routes the
    middleware itself means to protect. The classic case is a matcher copied from a non-Clerk example,
    `'/((?!api|_next/static|_next/image|favicon.ico).*)'`, which skips every `/api` route.

    ## Why is this bad?

    Where the middleware does not run, `auth()` throws ("Clerk can't detect usage of
    clerkMiddleware()"), so those routes fail; and any protection written in the middleware for
    those paths silently does not apply, so routes that relied on it are open.

    ## Example

    ```ts title="middleware.ts"
    import { clerkMiddleware } from '@clerk/nextjs/server'

    export default clerkMiddleware()

    export const config = { matcher: ['/((?!api|_next/static|_next/image|favicon.ico).*)'] }
    ```

    ## Use instead

    ```ts title="middleware.ts"
    import { clerkMiddleware } from '@clerk/nextjs/server'

    export default clerkMiddleware()

    export const config = {
      matcher: ['/((?!_next|[^?]*\\\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)', '/(api|trpc)(.*)'],
    }
    ```

    ## Known problems

    Only routes under the app's `app/` and `pages/` folders are checked, with one or two sample URLs
    per dynamic segment. The documented example has no routes beside it, so the finding there is
    about the `/api` tree as a whole.

    ## References

    - [Clerk: clerkMiddleware() matcher](https://clerk.com/docs/reference/nextjs/clerk-middleware)
    - [Next.js: middleware matcher](https://nextjs.org/docs/app/api-reference/file-conventions/middleware#matcher)
    - [CWE-1188: Insecure Default Initialization of Resource](https://cwe.mitre.org/data/definitions/1188.html)
    """

    id = "CLK111"
    slug = "matcher-gap"
    name = "Middleware matcher skips Clerk routes"
    level = Level.WARNING
    security_severity = 5.9
    cwe = (1188,)
    tags = ("nextjs", "middleware")
    grammars = JS_FAMILY

    cases = (
        Case("matcher-excludes-api", {
            "package.json": PKG,
            "app/api/me/route.ts": ROUTE,
            "app/api/health/route.ts": "export async function GET() { return Response.json({ ok: true }) }\n",
            "middleware.ts": (
                "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n"
                "export const config = {\n  matcher: ['/((?!api|_next/static|_next/image|favicon.ico).*)'], // expect: CLK111\n}\n"
            ),
        }),
        Case("recommended-matcher", {
            "package.json": PKG,
            "app/api/me/route.ts": ROUTE,
            "middleware.ts": (
                "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n"
                "export const config = {\n  matcher: ['/((?!_next|[^?]*\\\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)', '/(api|trpc)(.*)'],\n}\n"
            ),
        }),
        Case("no-matcher-runs-everywhere", {
            "package.json": PKG,
            "app/api/me/route.ts": ROUTE,
            "middleware.ts": "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        found = project.nextjs.as_middleware(file)
        if found is None:
            return
        app, middleware = found
        if middleware.kind == "none" or not middleware.has_matcher or not middleware.matcher_entries:
            return
        gaps = []
        related = []
        entries = project.nextjs.app_entries(app) if app is not None else []
        for entry in entries:
            urls = samples([s.pair() for s in entry.segments])
            if not any(middleware.runs_on(url).skipped for url in urls):
                continue
            reason = self._relies_on_clerk(entry, middleware, urls, project)
            if reason:
                gaps.append(f"{entry.label} ({reason})")
                related.append(entry.file.node_location(entry.node, f"{entry.label} {reason}, but the middleware skips it"))
        if app is None and all(middleware.runs_on(url).skipped for url in ("/api/users", "/api/admin")):
            gaps.append("every /api route")
        if not gaps:
            return
        listed = "; ".join(gaps[:MAX_LISTED]) + (f"; and {len(gaps) - MAX_LISTED} more" if len(gaps) > MAX_LISTED else "")
        source, location = middleware.matcher_entries[0]
        yield self.finding(
            location,
            f"config.matcher leaves out routes that rely on Clerk: {listed}; Clerk's server helpers throw there and the middleware's protection does not apply",
            related=related[:10],
        )

    @staticmethod
    def _relies_on_clerk(entry, middleware, urls, project) -> str:
        from clerk_lint.project.coverage import PURPOSE

        if project.coverage.of(entry).status == PURPOSE:
            return ""  # webhooks and adapters do not use the session
        file, function, wrapper = project.guards.entry(entry.file, entry.value)
        if wrapper is not None and wrapper.kind == "auth":
            return "guarded by a wrapper that calls Clerk"
        if function is not None and project.guards.analyse(file, function).uses_auth:
            return "calls Clerk's server helpers"
        if any(middleware.protects(url).protected for url in urls):
            return "the middleware means to protect it"
        return ""
