from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, PYTHON, captures, text
from clerk_lint.project.calls import (
    ASSIGNED,
    DROPPED,
    HANDLED,
    NEXTJS,
    server_clerk_names,
    unwrap,
    use_of,
    variable_uses,
)
from clerk_lint.project.python_tokens import unawaited_async_auth
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG7 = '{"dependencies": {"@clerk/nextjs": "^7.2.1", "next": "15.3.2"}}'
PKG6 = '{"dependencies": {"@clerk/nextjs": "^6.12.0", "next": "15.2.4"}}'
PKG5 = '{"dependencies": {"@clerk/nextjs": "5.7.6", "next": "14.2.3"}}'

QUERY = """
[
  (call_expression function: (member_expression property: (property_identifier) @prop (#eq? @prop "protect"))) @call
  (member_expression property: (property_identifier) @prop (#eq? @prop "protect")) @member
  (await_expression) @await
]
"""


class UnawaitedGuard(Rule):
    """
    ## What it does

    Finds Clerk guards whose Promise is dropped, so the code after them runs whatever the outcome:

    - `auth.protect()` (Clerk's `auth`, through imports, aliases, namespaces and local re-exports, or
      the first parameter of the callback passed to `clerkMiddleware`) used as a statement without
      `await` or `return` — also inside `cond && auth.protect()`, after `void`, or with a `.then()` /
      `.catch()` chain that is itself dropped — or stored in a variable that is never awaited;
    - `auth.protect` mentioned without being called (`await auth.protect`);
    - `await auth` without the call (`const { userId } = await auth`), which awaits the function
      itself: `userId` is always undefined;
    - Convex `ctx.auth.getUserIdentity()` without `await`: tested (`if (!identity)` on a Promise is
      never true), stored and never awaited, read from, or dropped.

    A dropped `auth.protect().catch(...)` is reported here; an awaited one whose handler swallows the
    error is CLK209 (swallowed-auth-error).

    ## Why is this bad?

    Since `@clerk/nextjs` v6 `auth.protect()` is async: it refuses a caller by rejecting with a
    redirect, 404 or 401 control-flow error. Without `await`, that rejection is detached from the
    request — the handler, page or Server Action keeps running and returns its data, and the
    rejection surfaces later as an unhandled promise rejection. In `clerkMiddleware`, a callback that
    neither awaits nor returns the Promise finishes first, so the request goes through
    (`NextResponse.next()`). The check fails open.

    ## Example

    ```ts title="middleware.ts"
    import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

    const isAdminRoute = createRouteMatcher(['/admin(.*)'])

    export default clerkMiddleware((auth, req) => {
      if (isAdminRoute(req)) auth.protect({ role: 'org:admin' })
    })
    ```

    ## Use instead

    ```ts title="middleware.ts"
    import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

    const isAdminRoute = createRouteMatcher(['/admin(.*)'])

    export default clerkMiddleware(async (auth, req) => {
      if (isAdminRoute(req)) await auth.protect({ role: 'org:admin' })
    })
    ```

    ## Known problems

    `auth.protect()` forms are reported on `@clerk/nextjs` v6 and later only: on v5 `auth.protect`
    does not exist (the call throws a `TypeError`, which fails closed) and `auth().protect()` is
    synchronous. `await auth` is reported on every version. When no `package.json` declares the
    version the newest major is assumed and the confidence is lowered. In Python,
    `authenticate_request_async()` / `verify_token_async()` of `clerk-backend-api` without `await` are
    reported (a coroutine stored in a variable and awaited later, returned from an `async def`, or
    handed to `asyncio.gather` is fine). The Convex form is reported on every version. Not yet
    covered: guard helpers of the project called without `await` (CLK101–CLK104 treat those as no
    guard).

    ## References

    - [Clerk: auth.protect()](https://clerk.com/docs/reference/nextjs/app-router/auth#auth-protect)
    - [Clerk: clerkMiddleware() — protect routes](https://clerk.com/docs/reference/nextjs/clerk-middleware)
    - [Clerk: upgrading to @clerk/nextjs v6 (auth.protect is async)](https://clerk.com/docs/guides/development/upgrading/upgrade-guides/nextjs-v6)
    - [CWE-670: Always-Incorrect Control Flow Implementation](https://cwe.mitre.org/data/definitions/670.html)
    - [CWE-306: Missing Authentication for Critical Function](https://cwe.mitre.org/data/definitions/306.html)
    """

    id = "CLK205"
    slug = "unawaited-guard"
    name = "Clerk guard not awaited"
    level = Level.ERROR
    security_severity = 9.1
    cwe = (670, 306)
    tags = ("nextjs", "async", "authentication")
    grammars = JS_FAMILY | {PYTHON}
    version_gates = "auth.protect() forms: quiet on @clerk/nextjs v4 and v5, error on v6+; `await auth`: error on every version"

    cases = (
        Case("v6-route-and-action", {
            "package.json": PKG6,
            "app/api/reports/route.js": (
                "import { auth as clerkAuth } from '@clerk/nextjs/server'\n"
                "import { sql } from '@vercel/postgres'\n\n"
                "export async function GET() { // expect: CLK101\n"
                "  clerkAuth.protect() // expect: CLK205\n"
                "  const { rows } = await sql`select * from reports`\n"
                "  return Response.json(rows)\n"
                "}\n"
            ),
            "app/settings/actions.ts": (
                "'use server'\n"
                "import { auth } from '@clerk/nextjs/server'\n\n"
                "export async function rename(name: string) {\n"
                "  const { userId } = await auth // expect: CLK205\n"
                "  if (!userId) throw new Error('Unauthorized')\n"
                "  return name\n"
                "}\n"
            ),
        }),
        Case("v7-middleware", {
            "package.json": PKG7,
            "middleware.ts": (
                "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'\n\n"
                "const isAdmin = createRouteMatcher(['/admin(.*)'])\n"
                "const isApi = createRouteMatcher(['/api(.*)'])\n\n"
                "export default clerkMiddleware(async (authFn, req) => {\n"
                "  isAdmin(req) && authFn.protect({ role: 'org:admin' }) // expect: CLK205\n"
                "  if (isApi(req)) void authFn.protect() // expect: CLK205\n"
                "  if (req.nextUrl.pathname === '/billing') await authFn.protect // expect: CLK205\n"
                "})\n"
            ),
        }),
        Case("awaited-returned-and-stored", {
            "package.json": PKG6,
            "middleware.ts": (
                "import { clerkMiddleware } from '@clerk/nextjs/server'\n\n"
                "export default clerkMiddleware((auth, req) => {\n"
                "  if (req.nextUrl.pathname.startsWith('/admin')) return auth.protect()\n"
                "})\n"
            ),
            "app/dashboard/page.tsx": (
                "import { auth } from '@clerk/nextjs/server'\n\n"
                "export default async function Page() {\n"
                "  const pending = auth.protect()\n"
                "  await Promise.all([pending, auth.protect({ role: 'org:member' })])\n"
                "  await auth.protect().then(() => console.log('ok'))\n"
                "  const { userId } = await auth()\n"
                "  return <p>{userId}</p>\n"
                "}\n"
            ),
        }),
        Case("v5-has-no-auth-protect", {
            "package.json": PKG5,
            "middleware.ts": (
                "import { clerkMiddleware } from '@clerk/nextjs/server'\n\n"
                "export default clerkMiddleware((auth, req) => {\n"
                "  if (req.nextUrl.pathname.startsWith('/admin')) auth().protect()\n"
                "})\n"
            ),
        }),
        Case("python-authenticate-request-async", {
            "requirements.txt": "fastapi==0.115.12\nclerk-backend-api==5.0.7\n",
            "auth.py": (
                "import asyncio\nfrom clerk_backend_api import Clerk\nfrom clerk_backend_api.security.types import AuthenticateRequestOptions\n\n"
                "sdk = Clerk(bearer_auth='')\nOPTIONS = AuthenticateRequestOptions(authorized_parties=['https://app.example.com'])\n\n"
                "async def require_user(request):\n"
                "    state = sdk.authenticate_request_async(request, OPTIONS) # expect: CLK205\n"
                "    if not state:\n        raise PermissionError('signed out')\n"
                "    return state\n\n"
                "async def touch(request):\n"
                "    sdk.authenticate_request_async(request, OPTIONS) # expect: CLK205\n\n"
                "async def fine(request):\n"
                "    pending = sdk.authenticate_request_async(request, OPTIONS)\n"
                "    state, _ = await asyncio.gather(pending, asyncio.sleep(0))\n"
                "    other = await sdk.authenticate_request_async(request, OPTIONS)\n"
                "    return state.is_signed_in and other.is_signed_in\n\n"
                "async def passthrough(request):\n"
                "    return sdk.authenticate_request_async(request, OPTIONS)\n"
            ),
        }),
        Case("convex-identity", {
            "package.json": '{"dependencies": {"@clerk/clerk-react": "^5.25.0", "convex": "^1.23.0"}}',
            "convex/notes.ts": (
                "import { mutation, query } from './_generated/server'\n\n"
                "export const remove = mutation({ // expect: CLK106\n  args: {},\n  handler: async (ctx) => {\n"
                "    const identity = ctx.auth.getUserIdentity() // expect: CLK205\n"
                "    if (!identity) throw new Error('Unauthenticated')\n    await ctx.db.delete('notes' as any)\n  },\n})\n\n"
                "export const mine = query({\n  args: {},\n  handler: async (ctx) => {\n"
                "    const identity = await ctx.auth.getUserIdentity()\n    if (!identity) return []\n"
                "    return ctx.db.query('notes').withIndex('by_user', (q) => q.eq('userId', identity.subject)).collect()\n  },\n})\n"
            ),
        }),
        Case("unrelated-protect", {
            "package.json": PKG6,
            "lib/vault.ts": "import { vault } from './store'\nexport function lock() {\n  vault.protect()\n}\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if file.grammar == PYTHON:
            for issue in unawaited_async_auth(project, file):
                yield self.finding((file, issue.node), issue.message)
            return
        if b"getUserIdentity" in file.data:  # Convex: ctx.auth.getUserIdentity(), any version
            for call, message in project.convex.unawaited_identity(file):
                yield self.finding((file, call), message)
        if b"protect" not in file.data and b"await" not in file.data:
            return
        names = server_clerk_names(project, file)
        if names is None:
            return
        sdk = project.sdk(file, NEXTJS)
        v6 = sdk.at_least(6)
        confidence = self.confidence if sdk.known else self.confidence.lower()
        where = sdk.describe()
        found = captures(file.grammar, QUERY, file.root)
        if v6:
            for call in found.get("call", ()):
                function = unwrap(call.child_by_field_name("function"))
                if function is None or not names.is_auth(function.child_by_field_name("object")):
                    continue
                message = self._dropped(call, names.in_middleware(call))
                if message:
                    yield self.finding((file, call), f"{message} ({where})", confidence=confidence)
            for member in found.get("member", ()):
                if not names.is_auth(member.child_by_field_name("object")):
                    continue
                parent = member.parent
                while parent is not None and parent.type == "parenthesized_expression":
                    parent = parent.parent
                if parent is not None and parent.type == "call_expression" and unwrap(parent.child_by_field_name("function")) == member:
                    continue
                if parent is not None and parent.type == "await_expression" or use_of(member).kind == DROPPED:
                    yield self.finding(
                        (file, member),
                        f"`{text(member)}` is mentioned but not called, so nothing is checked; use `await {text(member)}()` ({where})",
                        confidence=confidence,
                    )
        for awaited in found.get("await", ()):
            operand = unwrap(awaited.named_children[0]) if awaited.named_children else None
            if operand is None or operand.type not in ("identifier", "member_expression") or not names.is_auth(operand):
                continue
            yield self.finding(
                (file, awaited),
                f"`await {text(operand)}` awaits the function itself, not its result: every field read from it is "
                f"undefined; call it: `await {text(operand)}()`",
                confidence=self.confidence,
            )

    @staticmethod
    def _dropped(call, in_middleware: bool) -> str | None:
        callee = text(call.child_by_field_name("function"))
        use = use_of(call, through_then=True)
        after = (
            "the middleware finishes first and the request goes through"
            if in_middleware
            else "the code after it runs and returns its data"
        )
        if use.kind == DROPPED:
            return (
                f"`{callee}()` is not awaited: it is async and refuses a caller by rejecting, so {after} while the "
                f"rejection goes unhandled (fails open); use `await {callee}()`"
            )
        if use.kind == ASSIGNED:
            uses = variable_uses(use.target, through_then=True)
            if not any(u.kind == HANDLED for u in uses):
                return (
                    f"the Promise of `{callee}()` is stored in `{text(use.target)}` and never awaited, so {after} "
                    f"(fails open); use `await {callee}()`"
                )
        return None
