from __future__ import annotations

from clerk_lint.findings import Level
from clerk_lint.parsing import JS_FAMILY
from clerk_lint.project.nextjs import ACTION
from clerk_lint.rule import Case, EntryPointRule

PKG = '{"dependencies": {"@clerk/nextjs": "^6.12.0", "next": "15.2.4"}}'


class ServerActionWithoutAuth(EntryPointRule):
    """
    ## What it does

    Finds Server Actions — every export of a `'use server'` module and every inline function whose
    body starts with `'use server'` — that reach data without first checking the caller's session.
    Guards in helpers in other files and in action clients (next-safe-action `.use()` middleware,
    wrappers) are followed. Middleware never counts for actions.

    ## Why is this bad?

    Server Actions are public endpoints called by id, not by path: anyone can call an action with a
    POST request from any page, whatever page imported it, so middleware that protects
    `/dashboard(.*)` does not protect the actions the dashboard uses. An action that deletes or
    updates records without its own check lets signed-out callers do it.

    ## Example

    ```ts title="app/actions/posts.ts"
    'use server'
    import { db } from '@/lib/db'

    export async function deletePost(id: string) {
      await db.post.delete({ where: { id } })
    }
    ```

    ## Use instead

    ```ts title="app/actions/posts.ts"
    'use server'
    import { auth } from '@clerk/nextjs/server'
    import { db } from '@/lib/db'

    export async function deletePost(id: string) {
      const { userId } = await auth.protect()
      await db.post.delete({ where: { id, authorId: userId } })
    }
    ```

    ## Known problems

    Actions meant for anonymous visitors (a newsletter sign-up) are reported when they reach data;
    suppress them with a `clerk-lint-ignore CLK102` comment that says why.

    ## References

    - [Clerk: protect Server Actions](https://clerk.com/docs/reference/nextjs/app-router/server-actions)
    - [Next.js: Server Actions security](https://nextjs.org/docs/app/guides/authentication#server-actions)
    - [CWE-862: Missing Authorization](https://cwe.mitre.org/data/definitions/862.html)
    """

    id = "CLK102"
    slug = "server-action-without-auth"
    name = "Server Action without auth"
    level = Level.ERROR
    security_severity = 8.2
    cwe = (862, 306)
    tags = ("nextjs", "authentication")
    grammars = JS_FAMILY
    kinds = frozenset({ACTION})

    cases = (
        Case("module-actions", {
            "package.json": PKG,
            "lib/db.ts": "import { drizzle } from 'drizzle-orm/neon-http'\nexport const db = drizzle(process.env.DATABASE_URL!)\n",
            "lib/auth.ts": "import { auth } from '@clerk/nextjs/server'\nexport async function requireUser() {\n  const { userId } = await auth()\n  if (!userId) throw new Error('Unauthorized')\n  return userId\n}\n",
            "app/actions.ts": (
                "'use server'\nimport { db } from '@/lib/db'\nimport { requireUser } from '@/lib/auth'\nimport { posts } from '@/lib/schema'\n\n"
                "export async function removePost(id: string) { // expect: CLK102\n  await db.delete(posts)\n}\n\n"
                "export async function addPost(title: string) {\n  const userId = await requireUser()\n  await db.insert(posts).values({ title, userId })\n}\n"
            ),
            "tsconfig.json": '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
        }),
        Case("inline-action", {
            "package.json": PKG,
            "app/page.tsx": (
                "import { sql } from '@vercel/postgres'\n\nexport default function Page() {\n"
                "  async function save(formData: FormData) { // expect: CLK102\n    'use server'\n    await sql`insert into notes values (${formData.get('n')})`\n  }\n"
                "  return <form action={save}><button>Save</button></form>\n}\n"
            ),
        }),
        Case("safe-action-client", {
            "package.json": PKG,
            "lib/safe-action.ts": (
                "import { createSafeActionClient } from 'next-safe-action'\nimport { auth } from '@clerk/nextjs/server'\n"
                "export const authClient = createSafeActionClient().use(async ({ next }) => {\n  const { userId } = await auth()\n  if (!userId) throw new Error('Unauthorized')\n  return next({ ctx: { userId } })\n})\n"
            ),
            "app/actions/notes.ts": (
                "'use server'\nimport { authClient } from '../../lib/safe-action'\nimport { db } from '../../lib/db'\n"
                "export const deleteNote = authClient.action(async ({ ctx }) => {\n  await db.note.deleteMany({ where: { userId: ctx.userId } })\n})\n"
            ),
            "lib/db.ts": "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n",
        }),
    )
