from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, captures
from clerk_lint.project.manifest import Version
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

MEMBER_QUERY = "(member_expression) @member"
#: package -> (deprecated since, removed in); None: not removed yet
GATES = {
    "@clerk/nextjs": ("7.5.14", None),
    "@clerk/astro": ("3.4.8", "4.0.0"),
    "@clerk/nuxt": ("2.6.13", "3.0.0"),
}
GUIDE = "protect each resource itself (auth.protect() / an auth() check in the page, route handler or Server Action)"


class DeprecatedRouteMatcher(Rule):
    """
    ## What it does

    Finds `createRouteMatcher` imported from a Clerk SDK whose installed version deprecated or removed
    it: deprecated in `@clerk/nextjs` 7.5.14 (removal announced for the next major), `@clerk/astro`
    3.4.8 and `@clerk/nuxt` 2.6.13; removed in `@clerk/astro` 4.0.0 and `@clerk/nuxt` 3.0.0. Named,
    aliased, namespace (`clerk.createRouteMatcher`) and `require` imports are followed, as are local
    re-exports.

    ## Why is this bad?

    Clerk retired middleware-based route protection "in favor of resource-based auth checks": path
    patterns drift from the routes they are meant to cover (a new folder, a rewrite, an encoded
    path — see GHSA-vqx2-fgx2-5wq9), and Server Actions are called by id, not by path, so a path
    matcher never covers them. On Astro 4 and Nuxt 3 the import no longer exists and the build fails.

    ## Example

    ```ts title="middleware.ts"
    import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

    const isProtectedRoute = createRouteMatcher(['/dashboard(.*)'])

    export default clerkMiddleware(async (auth, req) => {
      if (isProtectedRoute(req)) await auth.protect()
    })
    ```

    ## Use instead

    ```ts title="app/dashboard/page.tsx"
    import { auth } from '@clerk/nextjs/server'

    export default async function Dashboard() {
      await auth.protect()
      return <h1>Dashboard</h1>
    }
    ```

    ## Known problems

    On `@clerk/nextjs` the rule only fires from 7.5.14 on, including when no `package.json` declares the
    SDK (the newest major is then assumed, with lower confidence). Moving protection out of the
    middleware is a migration, not a one-line fix: keep `clerkMiddleware()` itself, it is what makes
    `auth()` work.

    ## References

    - [Clerk: migrate from createRouteMatcher()](https://clerk.com/docs/guides/development/upgrading/upgrade-guides/migrate-from-create-route-matcher)
    - [Clerk: clerkMiddleware() for Astro (createRouteMatcher removed in v4)](https://clerk.com/docs/reference/astro/clerk-middleware)
    - [GHSA-vqx2-fgx2-5wq9: createRouteMatcher bypass](https://github.com/clerk/javascript/security/advisories/GHSA-vqx2-fgx2-5wq9)
    - [CWE-477: Use of Obsolete Function](https://cwe.mitre.org/data/definitions/477.html)
    """

    id = "CLK208"
    slug = "deprecated-route-matcher"
    name = "Deprecated createRouteMatcher"
    level = Level.NOTE
    security_severity = 3.1
    cwe = (477,)
    tags = ("deprecated", "middleware", "nextjs", "astro", "nuxt")
    grammars = JS_FAMILY
    version_gates = (
        "note on @clerk/nextjs 7.5.14+, @clerk/astro 3.4.8+, @clerk/nuxt 2.6.13+; "
        "error on @clerk/astro 4+ and @clerk/nuxt 3+ (removed); quiet on earlier versions"
    )

    cases = (
        Case("nextjs-7-5-14", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "7.5.14", "next": "16.0.1"}}',
            "proxy.ts": (
                "import { clerkMiddleware, createRouteMatcher as routes } from '@clerk/nextjs/server' // expect: CLK208\n"
                "const isPublic = routes(['/'])\nexport default clerkMiddleware(async (auth, req) => { if (!isPublic(req)) await auth.protect() })\n"
            ),
        }),
        Case("astro-4-removed-namespace", {
            "package.json": '{"dependencies": {"@clerk/astro": "4.0.2", "astro": "5.0.0"}}',
            "src/middleware.ts": (
                "import * as clerk from '@clerk/astro/server'\n"
                "const isProtected = clerk.createRouteMatcher(['/admin(.*)']) // expect: CLK208\n"
                "export const onRequest = clerk.clerkMiddleware()\n"
            ),
        }),
        Case("nuxt-3-removed", {
            "package.json": '{"dependencies": {"@clerk/nuxt": "3.0.1"}}',
            "server/middleware/clerk.ts": "const { createRouteMatcher } = require('@clerk/nuxt/server') // expect: CLK208\n",
        }),
        Case("nextjs-7-2-is-quiet", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "7.2.1", "next": "15.5.0"}}',
            "middleware.ts": "import { createRouteMatcher } from '@clerk/nextjs/server'\nexport const m = createRouteMatcher(['/'])\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if b"createRouteMatcher" not in file.data:
            return
        facts = project.js(file)
        hits = []
        for binding in facts.imports:
            if binding.imported == "createRouteMatcher" or (binding.imported not in ("*", "default")):
                symbol = project.symbols.lookup(file, binding.local)
                if symbol.clerk("createRouteMatcher") and symbol.source:
                    hits.append((symbol.source, binding.node))
        hits += [(e.source, e.node) for e in facts.exports.values() if e.imported == "createRouteMatcher" and e.source and e.source.startswith("@clerk/")]
        namespaces = {b.local for b in facts.imports if b.imported in ("*", "default") and b.source.startswith("@clerk/")}
        if namespaces:
            for member in captures(file.grammar, MEMBER_QUERY, file.root).get("member", ()):
                resolved = facts.resolve(member)
                if resolved and resolved[1] == "createRouteMatcher" and resolved[0].startswith("@clerk/"):
                    hits.append((resolved[0], member))
        for source, node in hits:
            package = "/".join(source.split("/")[:2])
            if package not in GATES:
                continue
            verdict = self._verdict(package, project.sdk(file, package))
            if verdict is not None:
                level, message, confidence = verdict
                yield self.finding((file, node), message, level=level, confidence=confidence)

    def _verdict(self, package: str, sdk):
        deprecated, removed = GATES[package]
        if sdk.version is None:
            if package != "@clerk/nextjs":
                return None
            version = None  # unknown: the newest major is assumed
        else:
            version = sdk.version
        confidence = self.confidence if sdk.known else self.confidence.lower()
        if removed is not None and version is not None and version >= Version.parse(removed):
            return Level.ERROR, (
                f"createRouteMatcher was removed in {package} {removed} ({sdk.describe()}): the import fails; {GUIDE}"
            ), confidence
        if version is not None and version < Version.parse(deprecated):
            return None
        return Level.NOTE, (
            f"createRouteMatcher is deprecated since {package} {deprecated} ({sdk.describe()}) and will be removed in the "
            f"next major; {GUIDE}"
        ), confidence
