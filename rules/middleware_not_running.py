from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

#: server helpers that only work when the Clerk middleware ran for the request
NEEDS_MIDDLEWARE = ("auth", "currentUser", "getAuth")
SERVER_SOURCES = ("@clerk/nextjs/server", "@clerk/nextjs")
PKG15 = '{"dependencies": {"@clerk/nextjs": "^6.20.0", "next": "15.3.1"}}'
PKG16 = '{"dependencies": {"@clerk/nextjs": "^6.37.0", "next": "16.0.1"}}'
MW = "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n"


class MiddlewareNotRunning(Rule):
    """
    ## What it does

    Finds Clerk middleware that Next.js never runs, and server code that needs it: a `proxy.ts` in an
    app on `next` < 16 (only Next.js 16 loads `proxy.*`); a middleware file in the wrong folder
    (`app/middleware.ts`, or a root `middleware.ts` while the app lives in `src/app`); two middleware
    files; and `auth()`, `currentUser()` or `getAuth()` from `@clerk/nextjs/server` in an app where no
    loaded middleware runs `clerkMiddleware()` (or v4/v5 `authMiddleware()`).

    ## Why is this bad?

    Next.js silently ignores a middleware file it does not expect, so every protection written in it
    — `auth.protect()` for `/dashboard(.*)`, `authMiddleware`'s protect-by-default — is gone without
    an error at build time. And `auth()` throws at run time when the middleware did not run, taking
    down every page and route that calls it.

    ## Example

    ```tsx title="app/dashboard/page.tsx"
    // no middleware.ts in the app (or only a proxy.ts, on Next.js 15)
    import { currentUser } from '@clerk/nextjs/server'

    export default async function Dashboard() {
      const user = await currentUser()
      return <p>Hello {user?.firstName}</p>
    }
    ```

    ## Use instead

    ```ts title="middleware.ts"
    // at the project root, or in src/ when the app lives in src/app; proxy.ts on Next.js 16
    import { clerkMiddleware } from '@clerk/nextjs/server'

    export default clerkMiddleware()
    ```

    ## Known problems

    The `next` version comes from the nearest `package.json` and its lockfile; when none declares it,
    `proxy.ts` is not judged. A custom `pageExtensions` in `next.config` is not read.

    ## References

    - [Next.js: middleware renamed to proxy in v16](https://nextjs.org/docs/messages/middleware-to-proxy)
    - [Clerk: clerkMiddleware()](https://clerk.com/docs/reference/nextjs/clerk-middleware)
    - [Clerk: auth() was called but Clerk can't detect usage of clerkMiddleware()](https://clerk.com/docs/reference/nextjs/errors/auth-was-called)
    - [CWE-1188: Insecure Default Initialization of Resource](https://cwe.mitre.org/data/definitions/1188.html)
    """

    id = "CLK110"
    slug = "middleware-not-running"
    name = "Clerk middleware never runs"
    level = Level.WARNING
    security_severity = 6.5
    cwe = (1188,)
    tags = ("nextjs", "middleware")
    grammars = JS_FAMILY
    version_gates = "proxy.* is only loaded on next >= 16"

    cases = (
        Case("proxy-on-next-15", {
            "package.json": PKG15,
            "app/page.tsx": "export default function P() { return null }\n",
            "proxy.ts": "import { clerkMiddleware } from '@clerk/nextjs/server' // expect: CLK110\nexport default clerkMiddleware()\n",
        }),
        Case("proxy-on-next-16", {
            "package.json": PKG16,
            "app/page.tsx": "export default function P() { return null }\n",
            "proxy.ts": MW,
        }),
        Case("root-middleware-with-src-app", {
            "package.json": PKG15,
            "src/app/api/me/route.ts": "import { auth } from '@clerk/nextjs/server' // expect: CLK110\nexport async function GET() { const { userId } = await auth(); return Response.json({ userId }) }\n",
            "middleware.ts": "import { clerkMiddleware } from '@clerk/nextjs/server' // expect: CLK110\nexport default clerkMiddleware()\n",
        }),
        Case("src-middleware-with-src-app", {
            "package.json": PKG15,
            "src/app/api/me/route.ts": "import { auth } from '@clerk/nextjs/server'\nexport async function GET() { const { userId } = await auth(); return Response.json({ userId }) }\n",
            "src/middleware.ts": MW,
        }),
        Case("no-middleware-at-all", {
            "package.json": PKG15,
            "app/dashboard/page.tsx": "import { currentUser } from '@clerk/nextjs/server' // expect: CLK110\nexport default async function P() { const u = await currentUser(); return <p>{u?.id}</p> }\n",
            "lib/user.ts": "import { auth } from '@clerk/nextjs/server' // expect: CLK110\nexport const uid = async () => (await auth()).userId\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        stem = file.path.name.split(".")[0]
        if stem in ("middleware", "proxy"):
            yield from self._misplaced(file, project)
        else:
            yield from self._needs_middleware(file, project)

    def _misplaced(self, file: SourceFile, project) -> Iterator[Finding]:
        facts = project.js(file)
        clerk = [b for b in facts.imports if b.source.startswith("@clerk/")]
        if not clerk:
            return
        app = project.nextjs.app_near(file.path)
        if app is None:
            return
        location = project.nextjs.middleware_location(app)
        rel = file.real.relative_to(app.root).as_posix()
        for path, why in location.misplaced:
            if path == rel:
                yield self.finding((file, clerk[0].node), f"Next.js never runs {rel}: {why}")
                return
        if location.conflict and rel in location.candidates and rel != location.loaded:
            runs = f"Next.js runs {location.loaded}, not {rel}" if location.loaded else "Next.js runs neither file"
            yield self.finding((file, clerk[0].node), f"{location.conflict}; {runs}")

    def _needs_middleware(self, file: SourceFile, project) -> Iterator[Finding]:
        if b"@clerk/nextjs" not in file.data:
            return
        facts = project.js(file)
        if facts.directive == "use client":
            return
        bindings = [b for b in facts.imports_from(*SERVER_SOURCES) if b.imported in NEEDS_MIDDLEWARE]
        if not bindings:
            return
        app = project.nextjs.app_near(file.path)
        if app is None:
            return
        middleware = project.nextjs.middleware(app)
        if middleware is not None and middleware.kind != "none":
            return
        location = project.nextjs.middleware_location(app)
        if location.loaded is not None and middleware is None:
            return  # a file we could not read: say nothing rather than guess
        if location.loaded is not None:
            why = f"{location.loaded} does not run clerkMiddleware()"
        elif location.conflict:
            why = f"Next.js runs no middleware: {location.conflict}"
        elif location.misplaced:
            path, reason = location.misplaced[0]
            why = f"Next.js ignores {path}: {reason}"
        else:
            where = "src/" if app.in_src else "the project root"
            why = f"there is no middleware.ts (or proxy.ts on Next.js 16) with clerkMiddleware() in {where}"
        binding = bindings[0]
        yield self.finding((file, binding.node), f"{binding.imported}() needs the Clerk middleware, but {why}; it throws at run time")
