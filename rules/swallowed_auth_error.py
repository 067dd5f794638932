from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, captures, text, walk
from clerk_lint.project.calls import (
    EXIT_CALLS,
    HANDLED,
    clerk_names,
    enclosing_function,
    last_name,
    same_function,
    unwrap,
    use_of,
)
from clerk_lint.project.js import FUNCTION_TYPES
from clerk_lint.project.symbols import CLERK, EXTERNAL, FUNCTION, UNKNOWN
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG7 = '{"dependencies": {"@clerk/nextjs": "^7.2.1", "next": "15.3.2"}}'
PKG6 = '{"dependencies": {"@clerk/nextjs": "^6.12.0", "next": "15.2.4"}}'
PKG5 = '{"dependencies": {"@clerk/nextjs": "5.7.6", "next": "14.2.3"}}'

CALL_QUERY = "(call_expression) @call"
#: catch verdicts
RETHROWS, EXITS, SWALLOWS = "rethrows", "exits", "swallows"
#: statement kinds that hold further statements in order
BLOCKS = frozenset({"statement_block", "program", "switch_body", "switch_case", "switch_default", "class_body"})
LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})


class SwallowedAuthError(Rule):
    """
    ## What it does

    Finds a guard inside `try { ... }` whose `catch` swallows the error the guard throws:
    `auth.protect()` (any version: `auth().protect()` on v5), `redirect()`, `permanentRedirect()`,
    `notFound()`, `unauthorized()`, `forbidden()`, `redirectToSignIn()` / `redirectToSignUp()`, or a
    call to a **guard helper** of the project (a function whose body guards and throws or
    redirects, followed across files). The catch swallows when it neither rethrows (`throw`,
    `throw e`, `unstable_rethrow(e)`) nor exits (`return` of a response, `redirect()`, `notFound()`);
    a rethrow caught again by an outer `try` is followed outward. The promise form
    `await auth.protect().catch(() => {})` counts too.

    Level: an **error** when code follows the `try` in the function (that code then runs for the
    refused caller) and always inside a `clerkMiddleware` callback (returning normally lets the
    request through); a **warning** when nothing follows: the function returns normally, so the
    redirect, 404 or 401 never happens and the caller gets an empty page or response instead.

    ## Why is this bad?

    Clerk's `auth.protect()`, `redirectToSignIn()` and Next.js's `redirect()` / `notFound()` do not
    return a value to check: they stop the request by throwing a special control-flow error that
    Next.js catches at the top. A `catch` that logs and carries on eats that error, so the code after
    the `try` — loading data, rendering the page, performing the action — runs for a caller the
    guard meant to refuse.

    ## Example

    ```ts title="app/api/invoices/route.ts"
    import { auth } from '@clerk/nextjs/server'
    import { db } from '@/lib/db'

    export async function GET() {
      try {
        await auth.protect()
      } catch (error) {
        console.error('auth failed', error)
      }
      return Response.json(await db.invoice.findMany())
    }
    ```

    ## Use instead

    ```ts title="app/api/invoices/route.ts"
    import { auth } from '@clerk/nextjs/server'
    import { unstable_rethrow } from 'next/navigation'
    import { db } from '@/lib/db'

    export async function GET() {
      try {
        await auth.protect()
      } catch (error) {
        unstable_rethrow(error)
        console.error('auth failed', error)
        return new Response('Unauthorized', { status: 401 })
      }
      return Response.json(await db.invoice.findMany())
    }
    ```

    ## Known problems

    A catch that records the failure in a variable and exits later (`failed = true` then
    `if (failed) return ...` after the try) is reported although it refuses the caller. A catch that
    returns or rethrows on only some paths counts as handling the error. Guard helpers are recognised
    when their body guards; a helper that only throws for other reasons is not a guard.

    ## References

    - [Next.js: redirect() in try/catch](https://nextjs.org/docs/app/api-reference/functions/redirect)
    - [Next.js: unstable_rethrow](https://nextjs.org/docs/app/api-reference/functions/unstable_rethrow)
    - [Clerk: auth.protect()](https://clerk.com/docs/reference/nextjs/app-router/auth#auth-protect)
    - [CWE-755: Improper Handling of Exceptional Conditions](https://cwe.mitre.org/data/definitions/755.html)
    - [CWE-670: Always-Incorrect Control Flow Implementation](https://cwe.mitre.org/data/definitions/670.html)
    """

    id = "CLK209"
    slug = "swallowed-auth-error"
    name = "Clerk/Next.js control-flow error swallowed"
    level = Level.ERROR
    security_severity = 8.1
    cwe = (755, 670)
    tags = ("nextjs", "authentication", "control-flow")
    grammars = JS_FAMILY
    version_gates = "every version (auth().protect() on v4/v5 and auth.protect() on v6+ both throw)"

    cases = (
        Case("validation-helper-is-not-a-guard", {
            "package.json": PKG6,
            "lib/phone.ts": "import { isValidPhoneNumber } from 'libphonenumber-js'\nexport function validatePhone(raw: string) {\n  if (!isValidPhoneNumber(raw)) throw new Error('invalid phone number')\n  return raw.replace(/ /g, '')\n}\n",
            "lib/db.ts": "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n",
            "app/api/contacts/route.ts": (
                "import { auth } from '@clerk/nextjs/server'\nimport { validatePhone } from '../../../lib/phone'\nimport { db } from '../../../lib/db'\n"
                "export async function POST(req: Request) {\n  const { userId } = await auth.protect()\n  const body = await req.json()\n  let phone = ''\n"
                "  try {\n    phone = validatePhone(body.phone) // ok: CLK209\n  } catch {\n    phone = ''\n  }\n"
                "  return Response.json(await db.contact.create({ data: { userId, phone } }))\n}\n"
            ),
        }),
        Case("route-continues-after-try", {
            "package.json": PKG6,
            "lib/db.ts": "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n",
            "app/api/invoices/route.ts": (
                "import { auth } from '@clerk/nextjs/server'\nimport { db } from '../../../lib/db'\n\n"
                "export async function GET() {\n"
                "  try {\n"
                "    await auth.protect() // expect: CLK209\n"
                "  } catch (error) {\n"
                "    console.error(error)\n"
                "  }\n"
                "  return Response.json(await db.invoice.findMany())\n"
                "}\n"
            ),
        }),
        Case("guard-helper-redirect-and-middleware", {
            "package.json": PKG7,
            "lib/session.ts": (
                "import { auth } from '@clerk/nextjs/server'\nimport { redirect } from 'next/navigation'\n\n"
                "export async function requireUser() {\n"
                "  const { userId } = await auth()\n"
                "  if (!userId) redirect('/sign-in')\n"
                "  return userId\n"
                "}\n"
            ),
            "app/billing/page.tsx": (
                "import { requireUser } from '../../lib/session'\nimport { notFound } from 'next/navigation'\n\n"
                "export default async function Billing({ params }) {\n"
                "  let userId = null\n"
                "  try {\n"
                "    userId = await requireUser() // expect: CLK209\n"
                "  } catch {}\n"
                "  try {\n"
                "    if (!params.plan) notFound() // expect: CLK209\n"
                "  } catch (e) {}\n"
                "}\n"
            ),
            "middleware.js": (
                "import { clerkMiddleware } from '@clerk/nextjs/server'\n\n"
                "export default clerkMiddleware(async (auth, req) => {\n"
                "  try {\n"
                "    await auth.protect() // expect: CLK209\n"
                "  } catch (e) {\n"
                "    console.log('not signed in')\n"
                "  }\n"
                "})\n"
            ),
        }),
        Case("rethrown-returned-or-outside", {
            "package.json": PKG6,
            "app/api/me/route.ts": (
                "import { auth } from '@clerk/nextjs/server'\nimport { unstable_rethrow, redirect } from 'next/navigation'\n\n"
                "export async function GET() {\n"
                "  try {\n    await auth.protect()\n  } catch (e) {\n    unstable_rethrow(e)\n    console.error(e)\n  }\n"
                "  try {\n    await auth.protect()\n  } catch (e) {\n    return new Response('Unauthorized', { status: 401 })\n  }\n"
                "  try {\n    await auth.protect()\n  } catch (e) {\n    redirect('/sign-in')\n  }\n"
                "  try {\n    await auth.protect()\n  } finally {\n    console.log('checked')\n  }\n"
                "  try {\n    const res = await fetch('https://example.com')\n    return Response.json(await res.json())\n"
                "  } catch (e) {\n    console.error(e)\n  }\n"
                "  return new Response('done')\n"
                "}\n"
            ),
        }),
        Case("v5-protect-is-still-a-guard", {
            "package.json": PKG5,
            "app/admin/page.jsx": (
                "import { auth } from '@clerk/nextjs/server'\nimport { getStats } from '../../lib/stats'\n\n"
                "export default async function Admin() {\n"
                "  try {\n"
                "    auth().protect({ role: 'org:admin' }) // expect: CLK209\n"
                "  } catch (err) {\n"
                "    console.warn(err.message)\n"
                "  }\n"
                "  const stats = await getStats()\n"
                "  return <pre>{JSON.stringify(stats)}</pre>\n"
                "}\n"
            ),
            "lib/stats.js": "export async function getStats() {\n  return { users: 1 }\n}\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        facts = project.js(file)
        if facts.directive == "use client" or b"catch" not in file.data:
            return
        names = clerk_names(project, file)
        reported: set[int] = set()
        for call in captures(file.grammar, CALL_QUERY, file.root).get("call", ()):
            swallowing = _swallowing_try(call)
            if swallowing is not None:
                if swallowing.id in reported:
                    continue
                label = self._guard(call, file, project, names)
                if label is None:
                    continue
                reported.add(swallowing.id)
                handler = swallowing.child_by_field_name("handler")
                yield self._report(file, call, label, swallowing, handler, names)
                continue
            chained = _swallowing_catch_method(call)
            if chained is not None:
                label = self._guard(call, file, project, names, async_only=True)
                if label is not None:
                    yield self._report(file, call, label, chained, chained, names)

    def _report(self, file: SourceFile, call: Node, label: str, statement: Node, handler: Node, names) -> Finding:
        in_middleware = names.in_middleware(call)
        follows = _code_follows(statement)
        chained = statement.type == "call_expression"
        after = "this statement" if chained else "the try"
        if in_middleware:
            outcome = "the middleware returns normally and the request goes through (fails open)"
        elif follows:
            outcome = f"execution continues after {after} and that code runs for the refused caller (fails open)"
        else:
            outcome = "the function then returns normally and the redirect, 404 or 401 never happens"
        catcher = "its `.catch()` handler" if chained else "this catch"
        message = (
            f"`{label}` stops the request by throwing, but {catcher} swallows the error: it neither rethrows "
            f"(`throw e`, `unstable_rethrow(e)`) nor returns, so {outcome}"
        )
        level = Level.ERROR if in_middleware or follows else Level.WARNING
        related = [file.node_location(handler, "the error is swallowed here")]
        return self.finding((file, call), message, level=level, related=related)

    @staticmethod
    def _guard(call: Node, file: SourceFile, project, names, async_only: bool = False) -> str | None:
        """A short label when ``call`` is a guard that stops the request by throwing."""
        function = unwrap(call.child_by_field_name("function"))
        if function is None:
            return None
        name = last_name(function)
        if function.type == "member_expression" and name == "protect":
            owner = unwrap(function.child_by_field_name("object"))
            if owner is not None and owner.type == "await_expression" and owner.named_children:
                owner = unwrap(owner.named_children[0])
            if owner is not None and owner.type == "call_expression":
                if not async_only and names.is_auth(owner.child_by_field_name("function")):
                    return f"{text(owner.child_by_field_name('function'))}().protect()"
                return None
            if names.is_auth(owner):
                return f"{text(function)}()"
            return None
        if name in EXIT_CALLS and not async_only:
            if function.type == "member_expression":
                return f"{text(function)}()" if name in ("redirectToSignIn", "redirectToSignUp") else None
            if names.export(function) is not None:
                return f"{name}()"
            symbol = project.symbols.lookup(file, name)
            if symbol.kind == CLERK or symbol.kind == UNKNOWN:
                return f"{name}()"
            if symbol.kind == EXTERNAL and (symbol.source or "").startswith("next/"):
                return f"{name}()"
        symbol = project.symbols.callee(file, function)
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            guard = project.guards.summary(symbol.file, symbol.node).guards
            if guard is not None and guard.kind in ("auth", "ownership"):  # a helper that throws for another reason is not an auth guard
                return f"{text(function)}()"
        return None


def _swallowing_try(call: Node) -> Node | None:
    """The innermost ``try`` whose catch swallows what ``call`` throws (rethrows are followed to the
    enclosing try), or None when the error escapes or a catch exits."""
    current = call
    parent = call.parent
    while parent is not None and parent.type not in FUNCTION_TYPES:
        if parent.type == "try_statement" and parent.child_by_field_name("body") == current:
            handler = parent.child_by_field_name("handler")
            if handler is not None:
                verdict = _catch_verdict(handler)
                if verdict == SWALLOWS:
                    return parent
                if verdict == EXITS:
                    return None
        current, parent = parent, parent.parent
    return None


def _swallowing_catch_method(call: Node) -> Node | None:
    """``await guard().catch(handler)`` where the handler swallows: the ``.catch`` call."""
    member = call.parent
    if member is None or member.type != "member_expression" or last_name(member) != "catch":
        return None
    chain = member.parent
    if chain is None or chain.type != "call_expression" or chain.child_by_field_name("function") != member:
        return None
    if use_of(chain, through_then=True).kind != HANDLED:
        return None  # a dropped chain is CLK205's
    args = chain.child_by_field_name("arguments")
    handler = unwrap(args.named_children[0]) if args is not None and args.named_children else None
    if handler is None:
        return chain
    if handler.type in FUNCTION_TYPES:
        return chain if _catch_verdict(handler) == SWALLOWS else None
    return chain  # console.error, noop, ...


def _catch_verdict(handler: Node) -> str:
    """What a catch clause (or a ``.catch`` callback) does with the error."""
    body = handler.child_by_field_name("body")
    if body is None:
        return SWALLOWS
    exits = False
    for node in walk(body):
        if node.type not in ("throw_statement", "return_statement", "call_expression"):
            continue
        if not _same_scope(node, handler):
            continue
        if node.type == "throw_statement":
            return RETHROWS
        if node.type == "return_statement":
            exits = True
            continue
        name = last_name(node.child_by_field_name("function"))
        if name == "unstable_rethrow":
            return RETHROWS
        function = unwrap(node.child_by_field_name("function"))
        if name in EXIT_CALLS and function is not None and (function.type == "identifier" or name.startswith("redirectTo")):
            exits = True
        if text(function) == "process.exit":
            exits = True
    return EXITS if exits else SWALLOWS


def _same_scope(node: Node, handler: Node) -> bool:
    """Whether ``node`` runs as part of ``handler`` (not inside a function nested in it)."""
    if handler.type in FUNCTION_TYPES:
        return enclosing_function(node) == handler
    return same_function(node, handler)


def _code_follows(statement: Node) -> bool:
    """Whether any statement runs after ``statement`` in its function (later siblings in any
    enclosing block, or another turn of an enclosing loop)."""
    node = statement
    while node.parent is not None and node.parent.type not in BLOCKS and node.parent.type not in FUNCTION_TYPES:
        node = node.parent  # from an expression up to its statement
    while node is not None and node.type not in FUNCTION_TYPES:
        parent = node.parent
        if parent is None or parent.type in FUNCTION_TYPES:
            return False
        if parent.type in LOOPS:
            return True
        if parent.type in BLOCKS:
            sibling = node.next_named_sibling
            while sibling is not None and sibling.type == "comment":
                sibling = sibling.next_named_sibling
            if sibling is not None:
                return True
        node = parent
    return False
