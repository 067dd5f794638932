from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG = '{"dependencies": {"@clerk/nextjs": "^6.12.0", "next": "15.2.4", "@prisma/client": "^6.5.0"}}'


class ClientSideAuthorization(Rule):
    """
    ## What it does

    Finds role, permission and plan checks in `'use client'` components — `has({ role })` from
    `useAuth()`, `user.publicMetadata.role` comparisons, `<Protect role|permission|condition>`,
    `<Show when={{ role }}>` — that gate a call to a server resource (a Server Action it imports, a
    `fetch('/api/...')` that resolves to a route handler of the app) which has no role or permission
    check of its own. The finding points at the client check; the related location is the server
    resource.

    ## Why is this bad?

    Client-side checks only hide buttons. The Server Action or route behind the button is a public
    endpoint that anyone signed in can call directly, with the browser's developer tools or `curl`.
    Clerk's components "only visually hide" their children: the check has to be repeated on the
    server.

    ## Example

    ```tsx title="app/admin/panel.tsx"
    'use client'
    import { useAuth } from '@clerk/nextjs'

    export function AdminPanel() {
      const { has } = useAuth()
      if (!has?.({ role: 'org:admin' })) return null
      return <button onClick={() => fetch('/api/posts', { method: 'DELETE' })}>Delete every post</button>
    }
    ```

    ## Use instead

    Keep the client check for the interface, and check the role again where the work is done:

    ```ts title="app/api/posts/route.ts"
    import { auth } from '@clerk/nextjs/server'
    import { db } from '@/lib/db'

    export async function DELETE() {
      await auth.protect({ role: 'org:admin' })
      await db.post.deleteMany()
      return new Response(null, { status: 204 })
    }
    ```

    ## Known problems

    Only calls made in the same component as the check are followed (not those of child
    components it renders), and only Server Actions and literal `fetch` URLs. A mutating `fetch` to
    an `/api/...` route that is not in the project is reported with low confidence (its check cannot
    be confirmed). Gating that is purely
    cosmetic (hiding a link to a page that checks the role itself) is not reported, and neither is a
    check with no server call behind it. A server-side check is recognised by its shape (`has({ role
    })`, `auth.protect({ role })`, role comparisons, `requireAdmin()`-style helpers) anywhere in the
    resource, the action client it is built with, or a helper it calls.

    ## References

    - [Clerk: authorization checks — do them on the server](https://clerk.com/docs/guides/secure/authorization-checks)
    - [Clerk: `<Show>` only visually hides its children](https://clerk.com/docs/reference/components/control/show)
    - [CWE-602: Client-Side Enforcement of Server-Side Security](https://cwe.mitre.org/data/definitions/602.html)
    """

    id = "CLK304"
    slug = "client-side-authorization"
    name = "Role check only in client code"
    level = Level.NOTE
    security_severity = 5.3
    cwe = (602,)
    tags = ("authorization", "client")
    grammars = JS_FAMILY

    cases = (
        Case("protect-and-metadata", {
            "package.json": PKG,
            "lib/db.ts": "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n",
            "app/admin/actions.ts": (
                "'use server'\nimport { auth } from '@clerk/nextjs/server'\nimport { db } from '../../lib/db'\n\n"
                "export async function banUser(id: string) {\n  await auth.protect()\n  await db.user.update({ where: { id }, data: { banned: true } })\n}\n\n"
                "export async function archive(id: string) {\n  await auth.protect({ role: 'org:admin' })\n  await db.post.update({ where: { id }, data: { archived: true } })\n}\n"
            ),
            "app/admin/users.tsx": (
                "'use client'\nimport { Protect, useUser } from '@clerk/nextjs'\nimport { banUser, archive } from './actions'\n\n"
                "export function BanButton({ id }: { id: string }) {\n  return (\n"
                "    <Protect role=\"org:admin\"> {/* expect: CLK304 */}\n      <button onClick={() => banUser(id)}>Ban</button>\n    </Protect>\n  )\n}\n\n"
                "export function ArchiveButton({ id }: { id: string }) {\n  const { user } = useUser()\n"
                "  if (user?.publicMetadata.role !== 'admin') return null\n"
                "  return <button onClick={() => archive(id)}>Archive</button>\n}\n"
            ),
        }),
        Case("cosmetic-gate", {
            "package.json": PKG,
            "components/nav.tsx": (
                "'use client'\nimport { useAuth } from '@clerk/nextjs'\nimport Link from 'next/link'\n\n"
                "export function Nav() {\n  const { has } = useAuth()\n"
                "  return has?.({ permission: 'org:billing:manage' }) ? <Link href=\"/billing\">Billing</Link> : null\n}\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        for issue in project.authz.issues(file, self.id):
            yield self.finding((issue.file, issue.node), issue.message, level=issue.level, confidence=issue.confidence, related=issue.related)
