from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, PYTHON
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG = '{"dependencies": {"@clerk/nextjs": "^6.12.0", "next": "15.2.4", "@prisma/client": "^6.5.0"}}'
PKG14 = '{"dependencies": {"@clerk/nextjs": "^5.7.6", "next": "14.2.3", "drizzle-orm": "^0.36.0"}}'
DB = "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n"


class MissingOwnershipCheck(Rule):
    """
    ## What it does

    Inside a server entry point — a Next.js route handler, Server Action, `pages/api` handler,
    `getServerSideProps` or server page, a public Convex function — finds a record that is read,
    updated or deleted by an id the caller controls (route `params`, awaited or not; search params;
    `await req.json()` fields; `formData.get()`; action arguments; Convex `args`; `req.query`/`req.body`)
    when neither the query carries an owner or tenant condition derived from the session
    (`where: { id, userId }`, `and(eq(t.id, id), eq(t.userId, userId))`, `.eq('user_id', userId)`,
    `withIndex('by_user', q => q.eq('userId', identity.subject))`) nor the loaded record's owner is
    compared with the session user before it is used or returned.

    Prisma, Drizzle, Mongoose, Supabase, Convex `ctx.db`, Kysely, Knex and raw SQL are recognised, and
    so are project helpers whose own query uses the id they are given. Checks that count: the
    record's owner compared with the session user (directly, or in a callback such as
    `room.players.find(p => p.userId === me)` whose empty result ends the request), an assertion
    helper given the record and the session user, an owner-scoped lookup of the same id whose empty
    result ends the request (a membership check), a parent proven to be the user's this way whose
    id the child query also carries (`{ id: chapterId, courseId }` after the course was found for
    the user) or that tied the child id to it before, and a project helper that reads the session, is
    given the id and whose result is checked. A check that compares the wrong thing (the record's
    store id with a store id the caller also sent), or an owner-scoped lookup whose result is
    ignored, does not count. The function must read the session somewhere (a
    guard, `auth()`, a guarding wrapper): unauthenticated entry points are CLK101–CLK103 and CLK106.

    In Python apps that use Clerk (FastAPI, Flask, Django/DRF, Starlette endpoints whose guard is
    found), path and query parameters, body fields, `request.args`/`request.data`/`self.kwargs` are
    followed into SQLAlchemy (`session.get(M, id)`, `query(M).filter(...)`, `select(M).where(...)`),
    Flask-SQLAlchemy (`M.query.get_or_404(id)`), the Django ORM (`M.objects.get(pk=...)`,
    `get_object_or_404`), Tortoise, MongoDB filters and raw SQL parameters; a record is reported when
    its model has an owner-like field (or the access writes), and DRF detail views whose `queryset`
    holds every user's rows are reported on the `queryset` line.

    ## Why is this bad?

    Authenticated is not authorized. Signing in only proves who the caller is; an id in the URL or
    the body is whatever the caller typed. Without an owner condition any signed-in user can read,
    change or delete every other user's records by walking ids (an insecure direct object
    reference, IDOR) — the most damaging bug in real Clerk apps.

    ## Example

    ```ts title="app/api/notes/[id]/route.ts"
    import { auth } from '@clerk/nextjs/server'
    import { db } from '@/lib/db'

    export async function DELETE(_req: Request, { params }: { params: Promise<{ id: string }> }) {
      const { userId } = await auth()
      if (!userId) return new Response(null, { status: 401 })
      const { id } = await params
      await db.note.delete({ where: { id } })
      return new Response(null, { status: 204 })
    }
    ```

    ## Use instead

    ```ts title="app/api/notes/[id]/route.ts"
    import { auth } from '@clerk/nextjs/server'
    import { db } from '@/lib/db'

    export async function DELETE(_req: Request, { params }: { params: Promise<{ id: string }> }) {
      const { userId } = await auth()
      if (!userId) return new Response(null, { status: 401 })
      const { id } = await params
      await db.note.delete({ where: { id, authorId: userId } })
      return new Response(null, { status: 204 })
    }
    ```

    ## Known problems

    The analysis follows values inside one entry point and one level into project helpers; ownership
    enforced elsewhere — database row-level security (Supabase clients created with the user's Clerk
    token are recognised and skipped), a policy layer, an ORM extension — is not seen. Entry points
    with a role or permission check (`has({ role })`, `auth.protect({ permission })`, `isAdmin`) act
    on other users' records by design and are skipped. Reads of records that are public by design
    are reported when nothing in the query says so (`published: true` and similar conditions are
    recognised, and so are reads of Drizzle tables whose definition has no owner-like column and no
    per-user parent — a catalogue); suppress them with a reason. An owner key whose value comes from something the
    analysis cannot follow counts as a condition: the rule prefers silence to guessing. Query shapes
    it does not know are never reported.

    ## References

    - [Clerk: authorization checks](https://clerk.com/docs/guides/secure/authorization-checks)
    - [OWASP: Insecure Direct Object Reference Prevention](https://cheatsheetseries.owasp.org/cheatsheets/Insecure_Direct_Object_Reference_Prevention_Cheat_Sheet.html)
    - [Next.js: data security — authorization in the Data Access Layer](https://nextjs.org/docs/app/guides/data-security)
    - [Convex: authorization in functions](https://docs.convex.dev/auth/functions-auth)
    - [CWE-639: Authorization Bypass Through User-Controlled Key](https://cwe.mitre.org/data/definitions/639.html)
    """

    id = "CLK301"
    slug = "missing-ownership-check"
    name = "Record accessed by a caller id without an ownership check"
    level = Level.ERROR
    security_severity = 8.1
    cwe = (639, 284)
    tags = ("authorization", "idor")
    grammars = JS_FAMILY | frozenset({PYTHON})

    cases = (
        Case("prisma-route-params", {
            "package.json": PKG,
            "lib/db.ts": DB,
            "app/api/notes/[id]/route.ts": (
                "import { auth } from '@clerk/nextjs/server'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {\n"
                "  const { userId } = await auth()\n  if (!userId) return new Response(null, { status: 401 })\n"
                "  const { id } = await params\n"
                "  const note = await db.note.findUnique({ where: { id } }) // expect: CLK301\n"
                "  return Response.json(note)\n}\n\n"
                "export async function PATCH(req: Request, { params }: { params: Promise<{ id: string }> }) {\n"
                "  const { userId } = await auth()\n  if (!userId) return new Response(null, { status: 401 })\n"
                "  const { id } = await params\n  const { title } = await req.json()\n"
                "  await db.note.update({ where: { id, authorId: userId }, data: { title } })\n"
                "  return new Response(null, { status: 204 })\n}\n"
            ),
        }),
        Case("compared-after-loading", {
            "package.json": PKG,
            "lib/db.ts": DB,
            "app/api/notes/[id]/route.ts": (
                "import { auth } from '@clerk/nextjs/server'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {\n"
                "  const { userId } = await auth()\n  if (!userId) return new Response(null, { status: 401 })\n"
                "  const note = await db.note.findUnique({ where: { id: (await params).id } })\n"
                "  if (!note || note.authorId !== userId) return new Response(null, { status: 404 })\n"
                "  return Response.json(note)\n}\n"
            ),
        }),
        Case("drizzle-action-next14", {
            "package.json": PKG14,
            "lib/db.ts": "import { drizzle } from 'drizzle-orm/neon-http'\nexport const db = drizzle(process.env.DATABASE_URL!)\n",
            "app/actions.ts": (
                "'use server'\nimport { auth } from '@clerk/nextjs/server'\nimport { and, eq } from 'drizzle-orm'\n"
                "import { db } from '../lib/db'\nimport { notes } from '../lib/schema'\n\n"
                "export async function removeNote(noteId: string) {\n  const { userId } = auth()\n  if (!userId) throw new Error('Unauthorized')\n"
                "  await db.delete(notes).where(eq(notes.id, noteId)) // expect: CLK301\n}\n\n"
                "export async function renameNote(noteId: string, title: string) {\n  const { userId } = auth()\n  if (!userId) throw new Error('Unauthorized')\n"
                "  await db.update(notes).set({ title }).where(and(eq(notes.id, noteId), eq(notes.userId, userId)))\n}\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        for issue in project.authz.issues(file, self.id):
            yield self.finding((issue.file, issue.node), issue.message, level=issue.level, confidence=issue.confidence, related=issue.related)
