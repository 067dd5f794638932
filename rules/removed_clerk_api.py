from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.advisories import dependency_location
from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, JSX_GRAMMARS, PYTHON, matches, text
from clerk_lint.project.envfile import assignments
from clerk_lint.project.js import FUNCTION_TYPES
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

NEXTJS = "@clerk/nextjs"
SDK_NODE = "@clerk/clerk-sdk-node"
EXPRESS = "@clerk/express"
#: subpaths of @clerk/nextjs removed in 5.0 (all deprecated on late v4)
REMOVED_SUBPATHS = {
    "@clerk/nextjs/api": "withAuth/requireAuth: use getAuth(req) from @clerk/nextjs/server",
    "@clerk/nextjs/ssr": "withServerSideAuth: use getAuth(ctx.req) from @clerk/nextjs/server in getServerSideProps",
    "@clerk/nextjs/app-beta": "use @clerk/nextjs and @clerk/nextjs/server",
    "@clerk/nextjs/edge-middleware": "use clerkMiddleware() from @clerk/nextjs/server",
    "@clerk/nextjs/edge-middlewarefiles": "use clerkMiddleware() from @clerk/nextjs/server",
}
#: server helpers exported by @clerk/nextjs itself on v4 only (authMiddleware/withClerkMiddleware: CLK201)
ROOT_SERVER_HELPERS = frozenset({
    "auth", "currentUser", "getAuth", "clerkClient", "buildClerkProps", "redirectToSignIn", "redirectToSignUp",
    "createClerkClient", "verifyToken",
})
#: the subpaths already deprecated on v4 (``/api`` was current there)
DEPRECATED_ON_V4 = frozenset(REMOVED_SUBPATHS) - {"@clerk/nextjs/api"}
TOP_LEVEL_REDIRECTS = frozenset({"redirectToSignIn", "redirectToSignUp"})
#: environment variables and options removed in @clerk/nextjs 5.0
REMOVED_ENV = {"CLERK_API_KEY": "CLERK_SECRET_KEY", "NEXT_PUBLIC_CLERK_FRONTEND_API": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"}
REMOVED_OPTIONS = {"frontendApi": "publishableKey", "apiKey": "secretKey"}
#: packages renamed in Core 3, and the packages that mark an app as Core 3
RENAMED = {"@clerk/clerk-react": "@clerk/react", "@clerk/clerk-expo": "@clerk/expo"}
CORE3_MARKERS = {"@clerk/nextjs": 7, "@clerk/react": 0, "@clerk/expo": 0}
#: what an @clerk/express (and Node SDK) auth object holds
AUTH_OBJECT_PROPS = frozenset({
    "userId", "sessionId", "orgId", "orgRole", "orgSlug", "orgPermissions", "sessionClaims", "claims", "has", "getToken",
    "isAuthenticated", "actor", "factorVerificationAge", "tokenType", "sessionStatus",
})
FOREIGN_REQ_AUTH = ("express-jwt", "express-oauth2-jwt-bearer")

REQ_AUTH_QUERY = """
[
  (member_expression
     object: (member_expression object: (identifier) @req property: (property_identifier) @auth)
     property: (property_identifier) @prop) @use
  (variable_declarator
     name: (object_pattern) @prop
     value: (member_expression object: (identifier) @req property: (property_identifier) @auth) @use)
]
"""
OPTION_QUERY = """
[
  (jsx_attribute (property_identifier) @name) @attr
]
"""
PY_IMPORT_QUERY = """
[
  (import_from_statement module_name: (dotted_name) @module) @stmt
  (import_statement name: (dotted_name) @module) @stmt
  (import_statement name: (aliased_import name: (dotted_name) @module)) @stmt
]
"""

PKG4 = '{"dependencies": {"@clerk/nextjs": "4.29.5", "next": "13.5.6"}}'
PKG5 = '{"dependencies": {"@clerk/nextjs": "5.7.5", "next": "14.2.3"}}'
PKG6 = '{"dependencies": {"@clerk/nextjs": "6.12.0", "next": "15.2.4"}}'


class RemovedClerkApi(Rule):
    """
    ## What it does

    Finds Clerk APIs that the installed SDK no longer has, or that Clerk has retired, judged on the
    version each app installs (lockfile first):

    - imports from `@clerk/nextjs/api`, `/ssr`, `/app-beta`, `/edge-middleware(files)` (removed in
      5.0; a note on v4 for the ones already deprecated there, all but `/api`);
    - server helpers (`auth`, `currentUser`, `getAuth`, `clerkClient`, `buildClerkProps`,
      `redirectToSignIn`, …) imported from `@clerk/nextjs` instead of `@clerk/nextjs/server` on v5+;
    - top-level `redirectToSignIn` / `redirectToSignUp` imports on v6+ (use the ones `auth()` returns);
    - `CLERK_API_KEY`, `NEXT_PUBLIC_CLERK_FRONTEND_API` and the `frontendApi` / `apiKey` options on v5+;
    - the end-of-life `@clerk/clerk-sdk-node`, imported or declared in `package.json`;
    - `req.auth.userId` (object access) with `@clerk/express` 2+, where `req.auth` is a function;
      `requireAuth()` from `@clerk/express` 2.1+ (deprecated: it redirects instead of answering 401, a note);
    - `getAuth` from `@clerk/nuxt` 2+ (removed: use `event.context.auth()`);
    - `@clerk/clerk-react` / `@clerk/clerk-expo` declared beside Core 3 packages (renamed, a note);
    - Python `clerk_backend_api.jwks_helpers` with `clerk-backend-api` 3+ (moved to `clerk_backend_api.security`).

    `authMiddleware` and `withClerkMiddleware` are CLK201's; the v5 `auth()` forms on v6 are CLK204's.

    ## Why is this bad?

    A removed import breaks the build, and the quick fix is often a wrong one. Some removals fail
    quietly instead: with `@clerk/express` 2, `req.auth.userId` reads a property of a function and is
    always `undefined`, so every caller looks signed out — or, where the value filters a database query,
    the filter disappears. An end-of-life SDK no longer receives security fixes.

    ## Example

    ```ts title="app/api/me/route.ts"
    import { auth } from '@clerk/nextjs'

    export async function GET() {
      const { userId } = auth()
      return Response.json({ userId })
    }
    ```

    ## Use instead

    ```ts title="app/api/me/route.ts"
    import { auth } from '@clerk/nextjs/server'

    export async function GET() {
      const { userId } = await auth()
      return Response.json({ userId })
    }
    ```

    ## Known problems

    Without a `package.json` naming the SDK, the newest major is assumed and the confidence is lowered
    (no finding needs an old version to fire, except the deprecation notes). A finding on a
    `package.json` line cannot be suppressed inline (JSON has no comments): use `per-file-ignores`.
    `@clerk/react-router/api.server` (removed in Core 3) is not reported: the Core 3 major of that
    package is not recorded here.

    ## References

    - [Clerk: upgrading @clerk/nextjs to Core 2 (v5)](https://clerk.com/docs/guides/development/upgrading/upgrade-guides/core-2/nextjs)
    - [Clerk: upgrading to @clerk/nextjs v6](https://clerk.com/docs/guides/development/upgrading/upgrade-guides/nextjs-v6)
    - [Clerk: upgrading to Core 3](https://clerk.com/docs/guides/development/upgrading/upgrade-guides/core-3)
    - [Clerk: migrating from the Node SDK to @clerk/express](https://clerk.com/docs/guides/development/upgrading/upgrade-guides/node-to-express)
    - [CWE-477: Use of Obsolete Function](https://cwe.mitre.org/data/definitions/477.html)
    - [CWE-1104: Use of Unmaintained Third Party Components](https://cwe.mitre.org/data/definitions/1104.html)
    """

    id = "CLK206"
    slug = "removed-clerk-api"
    name = "Removed or retired Clerk API"
    level = Level.WARNING
    security_severity = 4.3
    cwe = (477, 1104)
    tags = ("deprecated", "nextjs", "express", "python")
    grammars = JS_FAMILY | {PYTHON}
    env_files = True
    manifests = True
    version_gates = (
        "@clerk/nextjs subpath imports: note on v4 (/ssr, /app-beta, /edge-middleware*), warning on v5+; server helpers from @clerk/nextjs: warning on v5+; "
        "top-level redirectToSignIn: warning on v6+; CLERK_API_KEY / frontendApi: warning on v5+; "
        "@clerk/clerk-sdk-node: warning (any version); req.auth.userId: warning on @clerk/express 2+; "
        "requireAuth(): note on @clerk/express 2.1+; getAuth from @clerk/nuxt: warning on 2+; "
        "jwks_helpers: warning on clerk-backend-api 3+"
    )

    cases = (
        Case("v5-server-helpers-from-the-client-entry", {
            "package.json": PKG5,
            "app/api/me/route.ts": (
                "import { auth, currentUser } from '@clerk/nextjs' // expect: CLK206\n"
                "import { getAuth } from '@clerk/nextjs/server'\nimport { useUser } from '@clerk/nextjs'\n\n"
                "export async function GET() {\n  const { userId } = auth()\n  return Response.json({ userId, user: await currentUser() })\n}\n"
            ),
            "pages/api/legacy.ts": "import { withAuth } from '@clerk/nextjs/api' // expect: CLK206\nexport default withAuth((req, res) => res.json({}))\n",
            "lib/env.ts": "export const key = process.env.CLERK_API_KEY // expect: CLK206\nexport const ok = process.env.CLERK_SECRET_KEY\n",
            ".env.example": "CLERK_API_KEY=  # expect: CLK206\nCLERK_SECRET_KEY=\n",
        }),
        Case("v4-subpath-is-a-note-and-root-helpers-are-current", {
            "package.json": PKG4,
            "pages/index.tsx": (
                "import { withServerSideAuth } from '@clerk/nextjs/ssr' // expect: CLK206\n"
                "import { auth } from '@clerk/nextjs'\n"
                "export const getServerSideProps = withServerSideAuth(async () => ({ props: {} }))\n"
                "export default function Page() { return null }\n"
            ),
            ".env": "CLERK_API_KEY=\n",
        }),
        Case("v6-top-level-redirect", {
            "package.json": PKG6,
            "app/page.tsx": (
                "import { auth, redirectToSignIn } from '@clerk/nextjs/server' // expect: CLK206\n\n"
                "export default async function Page() {\n  const { userId } = await auth()\n"
                "  if (!userId) return redirectToSignIn()\n  return <p>{userId}</p>\n}\n"
            ),
        }),
        Case("node-sdk-and-express-v2-object-access", {
            "package.json": '{"dependencies": {"@clerk/express": "2.1.30", "express": "5.1.0"}}',
            "server.js": (
                "const { clerkMiddleware, requireAuth } = require('@clerk/express') // expect: CLK206\n"
                "const { ClerkExpressRequireAuth } = require('@clerk/clerk-sdk-node') // expect: CLK206\n"
                "module.exports = (app) => {\n"
                "  app.get('/a', (req, res) => res.json({ id: req.auth.userId })) // expect: CLK206\n"
                "  app.get('/b', (req, res) => res.json({ id: req.auth().userId }))\n"
                "  app.get('/c', (req, res) => { const { userId } = req.auth; res.json({ userId }) }) // expect: CLK206\n"
                "}\n"
            ),
        }),
        Case("node-sdk-dependency-and-express-v1", {
            "package.json": '{\n  "dependencies": {\n    "@clerk/clerk-sdk-node": "4.13.23",\n    "@clerk/express": "1.3.0"\n  }\n}\n',
            "expected.toml": '[[finding]]\npath = "package.json"\nline = 3\nrule = "CLK206"\n',
            "server.js": "module.exports = (app) => app.get('/a', (req, res) => res.json({ id: req.auth.userId }))\n",
        }),
        Case("python-jwks-helpers", {
            "requirements.txt": "clerk-backend-api==3.2.0\n",
            "auth.py": (
                "from clerk_backend_api.jwks_helpers import authenticate_request  # expect: CLK206\n"
                "from clerk_backend_api.security import authenticate_request as ok\n"
            ),
        }),
        Case("python-jwks-helpers-on-v2", {
            "requirements.txt": "clerk-backend-api==2.1.0\n",
            "auth.py": "from clerk_backend_api.jwks_helpers import authenticate_request\n",
        }),
        Case("current-apis-are-quiet", {
            "package.json": PKG6,
            "app/api/me/route.ts": (
                "import { auth, currentUser } from '@clerk/nextjs/server'\nimport { ClerkProvider } from '@clerk/nextjs'\n\n"
                "export async function GET() {\n  const { userId, redirectToSignIn } = await auth()\n"
                "  if (!userId) return redirectToSignIn()\n  return Response.json(await currentUser())\n}\n"
            ),
        }),
    )

    # -- dispatch --------------------------------------------------------------------------------

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if file.kind == "manifest":
            yield from self._manifest(file, project)
        elif file.kind == "env":
            yield from self._env_file(file, project)
        elif file.grammar == PYTHON:
            yield from self._python(file, project)
        elif file.grammar in JS_FAMILY:
            yield from self._js(file, project)

    # -- package.json ----------------------------------------------------------------------------

    def _manifest(self, file: SourceFile, project) -> Iterator[Finding]:
        if b"@clerk/" not in file.data:
            return
        manifest = project.manifest_at(file.real.parent)
        if manifest is None:
            return
        node = manifest.get(SDK_NODE)
        if node is not None:
            yield self.finding(
                dependency_location(file, node),
                f"{SDK_NODE} is end-of-life (support ended January 2025): it gets no security fixes and its "
                "ClerkExpressWithAuth()/withAuth() never reject a request; migrate to @clerk/express",
            )
        core3 = [name for name, major in CORE3_MARKERS.items() if (d := manifest.get(name)) is not None and d.version is not None and d.version.major >= major]
        if core3:
            for old, new in RENAMED.items():
                dependency = manifest.get(old)
                if dependency is not None:
                    yield self.finding(
                        dependency_location(file, dependency),
                        f"{old} was renamed to {new} in Core 3, and this app already uses Core 3 ({', '.join(core3)}); "
                        f"two generations of Clerk packages share one session",
                        level=Level.NOTE,
                    )

    # -- .env files ------------------------------------------------------------------------------

    def _env_file(self, file: SourceFile, project) -> Iterator[Finding]:
        if not any(name.encode() in file.data for name in REMOVED_ENV):
            return
        sdk = project.sdk(file, NEXTJS)
        if not sdk.known or sdk.major < 5:
            return
        for assignment in assignments(file):
            if assignment.name in REMOVED_ENV:
                yield self.finding(
                    file.location(assignment.name_start, assignment.name_end),
                    f"{assignment.name} is no longer read since @clerk/nextjs v5 ({sdk.describe()}); "
                    f"set {REMOVED_ENV[assignment.name]} instead",
                )

    # -- Python ----------------------------------------------------------------------------------

    def _python(self, file: SourceFile, project) -> Iterator[Finding]:
        if b"jwks_helpers" not in file.data:
            return
        sdk = project.sdk(file, "clerk-backend-api")
        if sdk.major < 3:
            return
        confidence = self.confidence if sdk.known else self.confidence.lower()
        for _, match in matches(file.grammar, PY_IMPORT_QUERY, file.root):
            statement = match["stmt"][0]
            module = text(match["module"][0])
            names = text(statement)
            if module == "clerk_backend_api.jwks_helpers" or (module == "clerk_backend_api" and "jwks_helpers" in names):
                yield self.finding(
                    (file, statement),
                    f"clerk_backend_api.jwks_helpers moved to clerk_backend_api.security in clerk-backend-api 3 "
                    f"({sdk.describe()}): the import fails",
                    confidence=confidence,
                )

    # -- JavaScript / TypeScript -------------------------------------------------------------------

    def _js(self, file: SourceFile, project) -> Iterator[Finding]:
        data = file.data
        if b"@clerk/" in data:
            yield from self._imports(file, project)
        if b"_API" in data and b"CLERK" in data:
            yield from self._env_reads(file, project)
        if (b"frontendApi" in data or b"apiKey" in data) and file.grammar in JSX_GRAMMARS:
            yield from self._options(file, project)
        if b".auth" in data:
            yield from self._req_auth(file, project)

    def _imports(self, file: SourceFile, project) -> Iterator[Finding]:
        facts = project.js(file)
        entries = [(b.source, b.imported, b.node) for b in facts.imports]
        entries += [(e.source, e.imported, e.node) for e in facts.exports.values() if e.source is not None]
        nextjs = None
        for source, imported, node in entries:
            if source in REMOVED_SUBPATHS:
                nextjs = nextjs or project.sdk(file, NEXTJS)
                if nextjs.major >= 5:
                    yield self.finding((file, node), f"{source} was removed in @clerk/nextjs v5 ({nextjs.describe()}): {REMOVED_SUBPATHS[source]}", confidence=self._confidence(nextjs))
                elif nextjs.known and source in DEPRECATED_ON_V4:
                    yield self.finding((file, node), f"{source} is deprecated and removed in @clerk/nextjs v5 ({nextjs.describe()}): {REMOVED_SUBPATHS[source]}", level=Level.NOTE)
            elif source == NEXTJS and imported in ROOT_SERVER_HELPERS:
                nextjs = nextjs or project.sdk(file, NEXTJS)
                if nextjs.major >= 5:
                    yield self.finding(
                        (file, node),
                        f"`{imported}` is not exported by @clerk/nextjs since v5 ({nextjs.describe()}): import it from @clerk/nextjs/server",
                        confidence=self._confidence(nextjs),
                    )
            elif source == f"{NEXTJS}/server" and imported in TOP_LEVEL_REDIRECTS:
                nextjs = nextjs or project.sdk(file, NEXTJS)
                if nextjs.major >= 6:
                    yield self.finding(
                        (file, node),
                        f"the top-level `{imported}` was removed in @clerk/nextjs v6 ({nextjs.describe()}): "
                        f"use the one `await auth()` returns (`const {{ {imported} }} = await auth()`)",
                        confidence=self._confidence(nextjs),
                    )
            elif source == SDK_NODE or source.startswith(SDK_NODE + "/"):
                yield self.finding(
                    (file, node),
                    f"{SDK_NODE} is end-of-life (support ended January 2025) and gets no security fixes; migrate to @clerk/express "
                    "(clerkMiddleware() + getAuth(req), requireAuth())",
                )
            elif source == EXPRESS and imported == "requireAuth":
                sdk = project.sdk(file, EXPRESS)
                if sdk.known and sdk.version is not None and (sdk.version.major, sdk.version.minor) >= (2, 1):
                    yield self.finding(
                        (file, node),
                        f"requireAuth() is deprecated since @clerk/express 2.1 ({sdk.describe()}): it redirects signed-out "
                        "callers (302 to the sign-in URL or '/') instead of answering 401; check getAuth(req) and return 401",
                        level=Level.NOTE,
                    )
            elif source.startswith("@clerk/nuxt") and imported == "getAuth":
                sdk = project.sdk(file, "@clerk/nuxt")
                if sdk.known and sdk.major >= 2:
                    yield self.finding((file, node), f"getAuth(event) was removed in @clerk/nuxt 2 ({sdk.describe()}): use event.context.auth()")

    def _env_reads(self, file: SourceFile, project) -> Iterator[Finding]:
        reads = [r for r in project.js(file).env_reads if r.name in REMOVED_ENV]
        if not reads:
            return
        sdk = project.sdk(file, NEXTJS)
        if not sdk.known or sdk.major < 5:
            return
        for read in reads:
            yield self.finding(
                (file, read.node),
                f"{read.name} is no longer read since @clerk/nextjs v5 ({sdk.describe()}); use {REMOVED_ENV[read.name]}",
            )

    def _options(self, file: SourceFile, project) -> Iterator[Finding]:
        sdk = project.sdk(file, NEXTJS)
        if not sdk.known or sdk.major < 5:
            return
        facts = project.js(file)
        for _, match in matches(file.grammar, OPTION_QUERY, file.root):
            name = text(match["name"][0])
            if name not in REMOVED_OPTIONS:
                continue
            element = match["attr"][0].parent
            tag = element.child_by_field_name("name") if element is not None else None
            resolved = facts.resolve(tag) if tag is not None else None
            if resolved is None or not resolved[0].startswith("@clerk/") or resolved[1] != "ClerkProvider":
                continue
            yield self.finding(
                (file, match["attr"][0]),
                f"the `{name}` prop was removed in @clerk/nextjs v5 ({sdk.describe()}): use `{REMOVED_OPTIONS[name]}`",
            )

    def _req_auth(self, file: SourceFile, project) -> Iterator[Finding]:
        sdk = project.sdk(file, EXPRESS)
        if not sdk.known or sdk.major < 2:
            return
        manifest = project.manifest_for(file)
        if manifest is not None and (manifest.get(SDK_NODE) is not None or any(manifest.get(n) is not None for n in FOREIGN_REQ_AUTH)):
            return  # req.auth may be the Node SDK's object or another library's
        for _, match in matches(file.grammar, REQ_AUTH_QUERY, file.root):
            if text(match["auth"][0]) != "auth":
                continue
            prop = match["prop"][0]
            names = [text(prop)] if prop.type == "property_identifier" else _pattern_keys(prop)
            if not any(name in AUTH_OBJECT_PROPS for name in names):
                continue
            req = match["req"][0]
            if not _is_parameter(req):
                continue
            use = match["use"][0]
            shown = f"req.auth.{names[0]}" if prop.type == "property_identifier" else "const { … } = req.auth"
            yield self.finding(
                (file, use),
                f"`{shown.replace('req', text(req), 1)}` reads the auth object removed in @clerk/express 2 ({sdk.describe()}): "
                f"`{text(req)}.auth` is now a function, so this is always undefined (callers look signed out, or a query "
                f"filter built from it disappears); use `getAuth({text(req)})` or `{text(req)}.auth()`",
            )

    def _confidence(self, sdk):
        return self.confidence if sdk.known else self.confidence.lower()


def _pattern_keys(pattern) -> list[str]:
    keys = []
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            keys.append(text(child))
        elif child.type == "pair_pattern":
            key = child.child_by_field_name("key")
            if key is not None:
                keys.append(text(key))
        elif child.type == "object_assignment_pattern":
            left = child.child_by_field_name("left")
            if left is not None:
                keys.append(text(left))
    return keys


def _is_parameter(identifier) -> bool:
    """Whether ``identifier`` names a parameter of an enclosing function (a request object)."""
    name = text(identifier)
    node = identifier.parent
    while node is not None:
        if node.type in FUNCTION_TYPES:
            single = node.child_by_field_name("parameter")
            params = node.child_by_field_name("parameters")
            if single is not None and text(single) == name:
                return True
            if params is not None:
                for param in params.named_children:
                    target = param.child_by_field_name("pattern") if param.type in ("required_parameter", "optional_parameter") else param
                    if target is not None and target.type == "identifier" and text(target) == name:
                        return True
        node = node.parent
    return False

