from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, PYTHON
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG = '{"dependencies": {"@clerk/nextjs": "^6.12.0", "next": "15.2.4", "@prisma/client": "^6.5.0"}}'
DB = "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n"


class ClientSuppliedIdentity(Rule):
    """
    ## What it does

    Finds a user, owner or organization id taken from the request — the JSON body, form data,
    search params, route params, Server Action arguments, Convex `args`, `req.query`/`req.body` —
    and used to scope a query (`where: { userId }`, `.eq('user_id', userId)`,
    `withIndex('by_user', q => q.eq('userId', args.userId))`), as the owner of a new or changed
    record (`data: { authorId: body.userId }`), or as the user a Clerk Backend API call acts on
    (`users.deleteUser(body.userId)`), instead of the id from the session. The message names where
    the id comes from. For a Server Action, the `'use client'` component that fills the argument in
    from `useUser()`/`useAuth()` is given as a related location when it is found.

    In Python apps that use Clerk, a `user_id`/`owner_id`/`org_id` from a path or query parameter,
    a body field or `request.args`/`request.data` is reported where it filters a query
    (`filter_by(user_id=user_id)`), becomes the owner of a new record (`Note(user_id=body.user_id)`)
    or names the user of a Clerk Backend API call (`clerk.users.delete(user_id=user_id)`), unless it
    is compared with the session user first.

    ## Why is this bad?

    The id in a request is whatever the caller sends. A client component that passes
    `user.id` from `useUser()` to a Server Action looks right in the browser, but the action is a
    public endpoint: anyone can call it with another user's id and read, change or create records
    in that user's name. Only the id from the session (`await auth()`, `currentUser()`,
    `ctx.auth.getUserIdentity()`) is proven by the session token.

    ## Example

    ```ts title="app/actions/notes.ts"
    'use server'
    import { auth } from '@clerk/nextjs/server'
    import { db } from '@/lib/db'

    export async function createNote(userId: string, content: string) {
      await auth.protect()
      await db.note.create({ data: { userId, content } })
    }
    ```

    ## Use instead

    ```ts title="app/actions/notes.ts"
    'use server'
    import { auth } from '@clerk/nextjs/server'
    import { db } from '@/lib/db'

    export async function createNote(content: string) {
      const { userId } = await auth.protect()
      await db.note.create({ data: { userId, content } })
    }
    ```

    ## Known problems

    Identity is recognised by name: `userId`, `ownerId`, `authorId`, `creatorId`, `createdBy`,
    `clerkId`, `orgId`, `organizationId`, `tenantId` and their snake_case forms, as the key or as the
    name of the value. Endpoints with a role or permission check (admin tools), ids compared with
    the session user first (`if (body.userId !== userId) throw`), and ids vetted by a membership
    lookup are not reported. A read scoped by a user id from the URL path in an entry point that
    never reads the session (a public profile page) is not reported. Invitations and transfers that
    name another user by design can be reported when the value is called `userId`; suppress them
    with a reason.

    ## References

    - [Clerk: read the session on the server (auth())](https://clerk.com/docs/reference/nextjs/app-router/auth)
    - [Next.js: Server Actions are public endpoints](https://nextjs.org/docs/app/guides/data-security#server-actions)
    - [Convex: use ctx.auth, never a user id argument](https://docs.convex.dev/auth/functions-auth)
    - [CWE-639: Authorization Bypass Through User-Controlled Key](https://cwe.mitre.org/data/definitions/639.html)
    - [CWE-807: Reliance on Untrusted Inputs in a Security Decision](https://cwe.mitre.org/data/definitions/807.html)
    """

    id = "CLK302"
    slug = "client-supplied-identity"
    name = "User id from the request instead of the session"
    level = Level.ERROR
    security_severity = 8.1
    cwe = (639, 807)
    tags = ("authorization", "idor")
    grammars = JS_FAMILY | frozenset({PYTHON})

    cases = (
        Case("body-owner", {
            "package.json": PKG,
            "lib/db.ts": DB,
            "app/api/notes/route.ts": (
                "import { auth } from '@clerk/nextjs/server'\nimport { db } from '../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n  const { userId } = await auth()\n  if (!userId) return new Response(null, { status: 401 })\n"
                "  const body = await req.json()\n"
                "  await db.note.create({ data: { authorId: body.userId, text: body.text } }) // expect: CLK302\n"
                "  return new Response(null, { status: 201 })\n}\n\n"
                "export async function GET(req: Request) {\n  const { userId } = await auth()\n  if (!userId) return new Response(null, { status: 401 })\n"
                "  const owner = new URL(req.url).searchParams.get('userId')\n"
                "  const notes = await db.note.findMany({ where: { authorId: owner } }) // expect: CLK302\n"
                "  return Response.json(notes)\n}\n"
            ),
        }),
        Case("action-from-use-user", {
            "package.json": PKG,
            "lib/db.ts": DB,
            "app/actions.ts": (
                "'use server'\nimport { auth } from '@clerk/nextjs/server'\nimport { db } from '../lib/db'\n\n"
                "export async function saveNote(userId: string, text: string) {\n  await auth.protect()\n"
                "  await db.note.create({ data: { userId, text } }) // expect: CLK302\n}\n"
            ),
            "app/note-form.tsx": (
                "'use client'\nimport { useUser } from '@clerk/nextjs'\nimport { saveNote } from './actions'\n\n"
                "export function NoteForm() {\n  const { user } = useUser()\n"
                "  return <button onClick={() => saveNote(user!.id, 'hi')}>Save</button>\n}\n"
            ),
        }),
        Case("session-id-and-checked-id", {
            "package.json": PKG,
            "lib/db.ts": DB,
            "app/actions.ts": (
                "'use server'\nimport { auth } from '@clerk/nextjs/server'\nimport { db } from '../lib/db'\n\n"
                "export async function saveNote(text: string) {\n  const { userId } = await auth.protect()\n"
                "  await db.note.create({ data: { userId, text } })\n}\n\n"
                "export async function saveFor(userId: string, text: string) {\n  const session = await auth.protect()\n"
                "  if (userId !== session.userId) throw new Error('Forbidden')\n"
                "  await db.note.create({ data: { userId, text } })\n}\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        for issue in project.authz.issues(file, self.id):
            yield self.finding((issue.file, issue.node), issue.message, level=issue.level, confidence=issue.confidence, related=issue.related)
