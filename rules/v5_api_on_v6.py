from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, captures, text
from clerk_lint.project.calls import MEMBER, NEXTJS, field_fails_open, last_name, server_clerk_names, unwrap, use_of
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG7 = '{"dependencies": {"@clerk/nextjs": "^7.2.1", "next": "15.3.2"}}'
PKG6 = '{"dependencies": {"@clerk/nextjs": "^6.12.0", "next": "15.2.4"}}'
PKG5 = '{"dependencies": {"@clerk/nextjs": "5.7.6", "next": "14.2.3"}}'

MEMBER_QUERY = "(member_expression object: (_) @object) @member"


class V5ApiOnV6(Rule):
    """
    ## What it does

    Finds the synchronous `@clerk/nextjs` v5 API in apps on v6 or later: `auth().protect()`,
    property access on the `auth()` call itself (`auth().userId`, `auth().has(...)`,
    `auth().redirectToSignIn()`), property access on the `clerkClient()` call
    (`clerkClient().users`), and the removed `clerkClient` singleton object (`clerkClient.users...`,
    i.e. member access on the `clerkClient` binding itself, not on `clerkClient()` or
    `(await clerkClient())`). Imports are followed through aliases, namespace imports, `require` and
    local re-exports; in middleware the `auth` parameter of the `clerkMiddleware` callback counts too.

    Direct property access on an `auth()` call is reported here only while it fails closed. When the
    value read feeds a deny-list comparison or a database filter (`where: { authorId: auth().userId }`)
    the mistake fails open, and CLK203 (unawaited-auth) reports it as an error instead — never both.
    Property access on a variable holding the Promise (`const s = auth(); s.userId`) and every other
    unawaited use belong to CLK203.

    ## Why is this bad?

    v6 made `auth()` and `clerkClient()` async and moved `protect` onto `auth` itself
    (`await auth.protect()`). The v5 forms now read properties of a Promise: `auth().protect` and
    `clerkClient.users` are `undefined`, so the call throws a `TypeError` and the route, page or
    middleware answers 500; `auth().userId` is `undefined`, so every caller looks signed out. These
    fail closed, but they are bugs waiting for a "fix" that removes the check, and in `.js` files
    nothing else warns about them.

    ## Example

    ```ts title="app/api/admin/route.ts"
    import { auth, clerkClient } from '@clerk/nextjs/server'

    export async function GET() {
      auth().protect({ role: 'org:admin' })
      const users = await clerkClient.users.getUserList()
      return Response.json(users)
    }
    ```

    ## Use instead

    ```ts title="app/api/admin/route.ts"
    import { auth, clerkClient } from '@clerk/nextjs/server'

    export async function GET() {
      await auth.protect({ role: 'org:admin' })
      const client = await clerkClient()
      return Response.json(await client.users.getUserList())
    }
    ```

    ## Known problems

    Only reported on `@clerk/nextjs` v6 and later; v5 code is correct on v5. When no `package.json`
    declares the version the newest major is assumed and the confidence is lowered. Clerk's codemod
    (`npx @clerk/upgrade`) rewrites most of these forms.

    ## References

    - [Clerk: upgrading to @clerk/nextjs v6](https://clerk.com/docs/guides/development/upgrading/upgrade-guides/nextjs-v6)
    - [Clerk: auth() and auth.protect()](https://clerk.com/docs/reference/nextjs/app-router/auth)
    - [Clerk: clerkClient](https://clerk.com/docs/references/backend/overview)
    - [CWE-477: Use of Obsolete Function](https://cwe.mitre.org/data/definitions/477.html)
    """

    id = "CLK204"
    slug = "v5-api-on-v6"
    name = "Clerk v5 API on v6+"
    level = Level.WARNING
    security_severity = 3.7
    cwe = (477, 670)
    tags = ("nextjs", "deprecated", "async")
    grammars = JS_FAMILY
    version_gates = "quiet on @clerk/nextjs v4 and v5; warning on v6+"

    cases = (
        Case("v6-protect-and-user-id", {
            "package.json": PKG6,
            "app/api/notes/route.js": (
                "import { auth } from '@clerk/nextjs/server'\n\n"
                "export async function GET() {\n"
                "  auth().protect() // expect: CLK204\n"
                "  const userId = auth().userId // expect: CLK204\n"
                "  return Response.json({ userId })\n"
                "}\n"
            ),
        }),
        Case("v7-singleton-namespace-and-middleware", {
            "package.json": PKG7,
            "lib/clerk.ts": "export * from '@clerk/nextjs/server'\n",
            "app/api/users/route.ts": (
                "import * as clerk from '../../../lib/clerk'\n\n"
                "export async function GET() {\n"
                "  await clerk.auth.protect()\n"
                "  const list = await clerk.clerkClient.users.getUserList() // expect: CLK204\n"
                "  const org = await clerk.clerkClient().organizations.getOrganization({ slug: 'acme' }) // expect: CLK204\n"
                "  return Response.json({ list, org })\n"
                "}\n"
            ),
            "middleware.ts": (
                "import { clerkMiddleware } from '@clerk/nextjs/server'\n\n"
                "export default clerkMiddleware(async (auth, req) => {\n"
                "  if (req.nextUrl.pathname.startsWith('/admin')) auth().protect() // expect: CLK204\n"
                "})\n"
            ),
        }),
        Case("fail-open-member-belongs-to-clk203", {
            "package.json": PKG6,
            "app/api/posts/route.ts": (
                "import { auth } from '@clerk/nextjs/server'\nimport { prisma } from '@/lib/prisma'\n\n"
                "export async function GET() {\n"
                "  // ok: CLK204\n"
                "  const posts = await prisma.post.findMany({ where: { authorId: auth().userId } }) // expect: CLK203\n"
                "  return Response.json(posts)\n"
                "}\n"
            ),
        }),
        Case("v6-correct-forms", {
            "package.json": PKG6,
            "app/api/me/route.ts": (
                "import { auth, clerkClient } from '@clerk/nextjs/server'\n\n"
                "export async function GET() {\n"
                "  await auth.protect()\n"
                "  const { userId } = await auth()\n"
                "  const user = await (await clerkClient()).users.getUser(userId!)\n"
                "  return Response.json({ id: (await auth()).userId, user })\n"
                "}\n"
            ),
        }),
        Case("v5-is-quiet", {
            "package.json": PKG5,
            "app/api/me/route.ts": (
                "import { auth, clerkClient } from '@clerk/nextjs/server'\n\n"
                "export async function GET() {\n"
                "  auth().protect()\n"
                "  const user = await clerkClient.users.getUser(auth().userId!)\n"
                "  return Response.json(user)\n"
                "}\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        names = server_clerk_names(project, file)
        if names is None:
            return
        sdk = project.sdk(file, NEXTJS)
        if not sdk.at_least(6):
            return
        confidence = self.confidence if sdk.known else self.confidence.lower()
        where = sdk.describe()
        for export, call in names.calls("auth", "clerkClient"):
            use = use_of(call)
            if use.kind != MEMBER or field_fails_open(use.target):
                continue  # not the v5 syntax, or CLK203 reports it as fail-open
            yield self.finding((file, use.target), self._message(export, call, use.target, where), confidence=confidence)
        if b"clerkClient" not in file.data and not names.namespaces and "clerkClient" not in names.direct.values():
            return
        for member in captures(file.grammar, MEMBER_QUERY, file.root).get("member", ()):
            owner = unwrap(member.child_by_field_name("object"))
            if owner is None or owner.type not in ("identifier", "member_expression"):
                continue
            if names.export(owner) != "clerkClient":
                continue
            prop = last_name(member)
            yield self.finding(
                (file, member),
                f"`{text(owner)}.{prop}` uses the clerkClient singleton removed in @clerk/nextjs v6 ({where}): "
                f"`clerkClient` is now an async function, so `.{prop}` is undefined and the call throws; "
                f"use `const client = await clerkClient()` then `client.{prop}`",
                confidence=confidence,
            )

    @staticmethod
    def _message(export: str, call, member, where: str) -> str:
        callee = text(call.child_by_field_name("function"))
        prop = last_name(member) if member.type == "member_expression" else text(member.child_by_field_name("index"))
        if export == "auth" and prop == "protect":
            return (
                f"`{callee}().protect()` is the v5 API: since @clerk/nextjs v6 ({where}) `{callee}()` returns a Promise, "
                f"so `.protect` is undefined and the call throws a TypeError (the request fails with a 500); "
                f"use `await {callee}.protect()`"
            )
        if export == "auth":
            return (
                f"`{callee}().{prop}` is the v5 API: since @clerk/nextjs v6 ({where}) `{callee}()` returns a Promise, "
                f"so `.{prop}` is undefined; use `const {{ {prop} }} = await {callee}()`"
            )
        return (
            f"`{callee}().{prop}` is the v5 API: since @clerk/nextjs v6 ({where}) `{callee}()` returns a Promise, "
            f"so `.{prop}` is undefined and the call throws; use `(await {callee}()).{prop}`"
        )
