from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, text
from clerk_lint.project.calls import (
    ASSIGNED,
    DESTRUCTURED,
    HANDLED,
    MEMBER,
    NEXTJS,
    PASSED,
    TRUTHY,
    bound_names,
    server_clerk_names,
    field_fails_open,
    member_chain,
    names_fail_open,
    use_of,
    variable_uses,
)
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG7 = '{"dependencies": {"@clerk/nextjs": "^7.2.1", "next": "15.3.2"}}'
PKG6 = '{"dependencies": {"@clerk/nextjs": "6.39.2", "next": "15.2.4"}}'
PKG5 = '{"dependencies": {"@clerk/nextjs": "5.7.6", "next": "14.2.3"}}'

#: Clerk helpers that return a Promise: auth() and clerkClient() from v6 on, currentUser() always
ASYNC_FROM_V6 = ("auth", "clerkClient")
ALWAYS_ASYNC = ("currentUser",)


class UnawaitedAuth(Rule):
    """
    ## What it does

    Finds calls of `auth()`, `clerkClient()` and `currentUser()` from `@clerk/nextjs/server` (by
    name, alias, namespace import, `require`, a local re-export, or the `auth` parameter of a
    `clerkMiddleware` callback) whose Promise is used as if it were the result: destructured, tested,
    compared, stored and read, or passed on, instead of being awaited, returned, `.then`-ed, given to
    an awaited `Promise.all([...])`, or stored in a variable that is awaited later.

    It is an **error** when the mistake makes a check fail open:

    - the Promise is tested for truthiness (`if (!session) deny`, `if (auth())`, `user && ...`): a
      Promise is always truthy, so the check always passes;
    - a field read off it is compared in a deny-list (`if (auth().orgRole === 'org:viewer') deny`,
      `if (banned.includes(role)) deny`): `undefined` never matches, so nobody is denied;
    - a field read off it is a query filter (`where: { authorId: auth().userId }`): Prisma, Mongoose
      and TypeORM drop `undefined` filter values, so the query reads or changes every row.

    Otherwise it is a **warning**: `const { userId } = auth()` leaves `userId` undefined, so checks on
    it refuse everyone (it fails closed, but the page or route is broken).

    Direct property access on the `auth()` or `clerkClient()` call (`auth().userId`,
    `auth().protect()`, `clerkClient().users`) is the v5 syntax and belongs to CLK204
    (v5-api-on-v6), except when that access fails open as above: then this rule reports it as an
    error and CLK204 stays quiet, so one mistake gives one finding. Member access on a variable that
    holds the Promise (`session.userId`) and on `currentUser()` stays here.

    ## Why is this bad?

    Since `@clerk/nextjs` v6, `auth()` and `clerkClient()` are async (`currentUser()` always was).
    Code written for v5, or migrated by hand, keeps working without a type error in `.js` files and
    behind `any`, and the difference is silent at run time: a Promise has no `userId`, and a Promise
    is truthy. In the fail-open shapes a signed-out caller passes the check or reads every user's data.

    ## Example

    ```ts title="app/api/posts/route.ts"
    import { auth } from '@clerk/nextjs/server'
    import { prisma } from '@/lib/prisma'

    export async function GET() {
      const session = auth()
      if (!session) return new Response('Unauthorized', { status: 401 })
      const posts = await prisma.post.findMany({ where: { authorId: auth().userId } })
      return Response.json(posts)
    }
    ```

    ## Use instead

    ```ts title="app/api/posts/route.ts"
    import { auth } from '@clerk/nextjs/server'
    import { prisma } from '@/lib/prisma'

    export async function GET() {
      const { userId } = await auth()
      if (!userId) return new Response('Unauthorized', { status: 401 })
      const posts = await prisma.post.findMany({ where: { authorId: userId } })
      return Response.json(posts)
    }
    ```

    ## Known problems

    `auth()` and `clerkClient()` are only reported on `@clerk/nextjs` v6 and later (they are
    synchronous on v4 and v5); when no `package.json` declares the version the newest major is
    assumed and the confidence is lowered. `currentUser()` is reported on every version because it
    has always returned a Promise. `getAuth(req)` is synchronous and never reported, nor are files
    marked `'use client'`. A Promise returned from a project helper (`export const session = () =>
    auth()`) is not followed into the helper's callers, and a variable is followed only inside the
    function that declares it.

    ## References

    - [Clerk: upgrading to @clerk/nextjs v6 (auth() is async)](https://clerk.com/docs/guides/development/upgrading/upgrade-guides/nextjs-v6)
    - [Clerk: auth()](https://clerk.com/docs/reference/nextjs/app-router/auth)
    - [Prisma: null and undefined in filters](https://www.prisma.io/docs/orm/prisma-client/special-fields-and-types/null-and-undefined)
    - [CWE-670: Always-Incorrect Control Flow Implementation](https://cwe.mitre.org/data/definitions/670.html)
    - [CWE-863: Incorrect Authorization](https://cwe.mitre.org/data/definitions/863.html)
    """

    id = "CLK203"
    slug = "unawaited-auth"
    name = "Clerk auth() used without await"
    level = Level.WARNING
    security_severity = 5.9
    cwe = (670, 863)
    tags = ("nextjs", "async", "authentication")
    grammars = JS_FAMILY
    version_gates = (
        "auth() / clerkClient(): quiet on @clerk/nextjs v4 and v5 (synchronous there), reported on v6+; "
        "currentUser(): every version; error when the shape fails open, else warning"
    )

    cases = (
        Case("v6-truthiness-fails-open", {
            "package.json": PKG6,
            "app/api/export/route.js": (
                "import { auth } from '@clerk/nextjs/server'\n"
                "import { db } from '../../../lib/db'\n\n"
                "export async function GET() {\n"
                "  const session = auth() // expect: CLK203\n"
                "  if (!session) return new Response('Unauthorized', { status: 401 })\n"
                "  return Response.json(await db.export.findMany())\n"
                "}\n"
            ),
            "lib/db.js": "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n",
        }),
        Case("v6-orm-filter-and-deny-list", {
            "package.json": PKG6,
            "app/(app)/posts/actions.ts": (
                "'use server'\n"
                "import { auth as clerkAuth } from '@clerk/nextjs/server'\n"
                "import { prisma } from '@/lib/prisma'\n\n"
                "export async function deletePosts() {\n"
                "  // @ts-expect-error migrated from v5\n"
                "  if (clerkAuth().orgRole === 'org:viewer') throw new Error('forbidden') // expect: CLK203\n"
                "  // @ts-expect-error migrated from v5\n"
                "  await prisma.post.deleteMany({ where: { authorId: clerkAuth().userId } }) // expect: CLK203\n"
                "}\n"
            ),
        }),
        Case("v7-destructured-fails-closed-and-current-user", {
            "package.json": PKG7,
            "lib/auth.ts": "export { auth, currentUser } from '@clerk/nextjs/server'\n",
            "app/dashboard/page.tsx": (
                "import { auth, currentUser } from '../../lib/auth'\n"
                "import { redirect } from 'next/navigation'\n\n"
                "export default async function Dashboard() {\n"
                "  const { userId } = auth() // expect: CLK203\n"
                "  if (!userId) redirect('/sign-in')\n"
                "  const user = currentUser() // expect: CLK203\n"
                "  return <p>{user.firstName}</p>\n"
                "}\n"
            ),
        }),
        Case("awaited-returned-then-and-promise-all", {
            "package.json": PKG6,
            "app/api/me/route.ts": (
                "import * as clerk from '@clerk/nextjs/server'\n\n"
                "export async function GET() {\n"
                "  const pending = clerk.auth()\n"
                "  const [user, client] = await Promise.all([clerk.currentUser(), clerk.clerkClient()])\n"
                "  const { userId } = await pending\n"
                "  if (!userId || !user) return new Response(null, { status: 401 })\n"
                "  clerk.auth().then(({ sessionId }) => console.log(sessionId))\n"
                "  return Response.json(await client.users.getUser(userId))\n"
                "}\n\n"
                "export const session = () => clerk.auth()\n"
                "export async function me() { return clerk.currentUser() }\n"
            ),
        }),
        Case("v5-sync-auth-is-right", {
            "package.json": PKG5,
            "app/api/me/route.ts": (
                "import { auth, getAuth, clerkClient } from '@clerk/nextjs/server'\n\n"
                "export async function GET(req) {\n"
                "  const { userId } = auth()\n"
                "  if (!userId) return new Response(null, { status: 401 })\n"
                "  const user = await clerkClient().users.getUser(userId)\n"
                "  return Response.json(user)\n"
                "}\n"
            ),
            "pages/api/me.ts": (
                "import { getAuth } from '@clerk/nextjs/server'\n"
                "export default function handler(req, res) {\n"
                "  const { userId } = getAuth(req)\n"
                "  if (!userId) return res.status(401).end()\n"
                "  res.json({ userId })\n"
                "}\n"
            ),
        }),
        Case("middleware-auth-parameter", {
            "package.json": PKG6,
            "middleware.js": (
                "import { clerkMiddleware } from '@clerk/nextjs/server'\n\n"
                "export default clerkMiddleware((auth, req) => {\n"
                "  const state = auth() // expect: CLK203\n"
                "  if (!state && req.nextUrl.pathname.startsWith('/admin')) return Response.redirect(new URL('/sign-in', req.url))\n"
                "})\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        names = server_clerk_names(project, file)
        if names is None:
            return
        sdk = project.sdk(file, NEXTJS)
        async_now = ASYNC_FROM_V6 + ALWAYS_ASYNC if sdk.at_least(6) else ALWAYS_ASYNC
        calls = names.calls(*async_now)
        if not calls:
            return
        for export, call in calls:
            verdict = self._verdict(export, call)
            if verdict is None:
                continue
            level, consequence = verdict
            callee = f"{text(call.child_by_field_name('function'))}()"
            if export in ALWAYS_ASYNC:
                why, confidence = f"`{callee}` is not awaited (it returns a Promise)", self.confidence
            else:
                why = f"`{callee}` is not awaited (it returns a Promise since @clerk/nextjs v6; {sdk.describe()})"
                confidence = self.confidence if sdk.known else self.confidence.lower()
            yield self.finding((file, call), f"{why}: {consequence}", level=level, confidence=confidence)

    def _verdict(self, export: str, call) -> tuple[Level, str] | None:
        use = use_of(call)
        fix = f"use `await {text(call.child_by_field_name('function'))}()`"
        if use.kind == MEMBER:
            member = text(member_chain(use.target))
            reason = field_fails_open(use.target)
            if reason:
                return Level.ERROR, f"`{member}` is undefined and {reason} (fails open); {fix}"
            if export in ASYNC_FROM_V6:
                return None  # the v5 syntax: CLK204 v5-api-on-v6
            return Level.WARNING, f"`{member}` reads a property of a Promise and is undefined; {fix}"
        if use.kind == TRUTHY:
            return Level.ERROR, f"the Promise is {use.how} and is always truthy, so this check never refuses anyone (fails open); {fix}"
        if use.kind == DESTRUCTURED:
            names = bound_names(use.target)
            reason = names_fail_open(names)
            listed = ", ".join(f"`{text(n)}`" for n in names[:3]) or "the fields"
            are, them = ("is", "it") if len(names) == 1 else ("are", "them")
            if reason:
                return Level.ERROR, f"{listed} {are} undefined and {reason} (fails open); {fix}"
            return Level.WARNING, (
                f"{listed} {are} undefined, so checks on {them} refuse every caller (fails closed, but the code is broken); {fix}"
            )
        if use.kind == ASSIGNED:
            return self._variable(use, fix)
        if use.kind == PASSED:
            return Level.WARNING, f"the Promise is {use.how} instead of its result; {fix}"
        return None  # handled, or dropped (a no-op)

    def _variable(self, use, fix: str) -> tuple[Level, str] | None:
        name = text(use.target)
        uses = variable_uses(use.target)
        if not uses or any(u.kind == HANDLED for u in uses):
            return None
        for later in uses:
            if later.kind == TRUTHY:
                return Level.ERROR, (
                    f"`{name}` holds the Promise, which is always truthy, so the check on it never refuses anyone (fails open); {fix}"
                )
            if later.kind == MEMBER:
                reason = field_fails_open(later.target)
                if reason:
                    chain = text(member_chain(later.target))
                    return Level.ERROR, f"`{name}` holds the Promise, so `{chain}` is undefined and {reason} (fails open); {fix}"
            if later.kind == DESTRUCTURED:
                reason = names_fail_open(bound_names(later.target))
                if reason:
                    return Level.ERROR, f"`{name}` holds the Promise, so the fields read from it are undefined and {reason} (fails open); {fix}"
        if any(u.kind in (MEMBER, DESTRUCTURED, PASSED, ASSIGNED) for u in uses):
            return Level.WARNING, f"`{name}` holds the Promise and is never awaited, so what is read from it is undefined; {fix}"
        return None
