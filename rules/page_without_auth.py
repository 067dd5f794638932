from __future__ import annotations

from clerk_lint.findings import Level
from clerk_lint.parsing import JS_FAMILY
from clerk_lint.project.nextjs import GSSP, SERVER_COMPONENTS
from clerk_lint.rule import Case, EntryPointRule

PKG = '{"dependencies": {"@clerk/nextjs": "^6.12.0", "next": "15.2.4"}}'


class PageWithoutAuth(EntryPointRule):
    """
    ## What it does

    Finds App Router server components (`page`, `layout`, `template`, `default` default exports
    without `'use client'`) and Pages Router `getServerSideProps` that load stored data — a database
    client, `clerkClient()`, the file system, server secrets, directly or through project functions —
    with no guard, no guarding layout above them and no middleware protection. Pages that only render
    static content or fetch public APIs are left alone.

    ## Why is this bad?

    A server component renders on the server for whoever requests its URL; if it loads private data
    before checking the session, that data is in the HTML (or the RSC payload) a signed-out visitor
    receives. `buildClerkProps(ctx.req)` in `getServerSideProps` passes auth state to the page but
    does not refuse anyone.

    ## Example

    ```tsx title="app/billing/page.tsx"
    import { db } from '@/lib/db'

    export default async function BillingPage() {
      const invoices = await db.invoice.findMany()
      return <ul>{invoices.map((i) => <li key={i.id}>{i.total}</li>)}</ul>
    }
    ```

    ## Use instead

    ```tsx title="app/billing/page.tsx"
    import { auth } from '@clerk/nextjs/server'
    import { db } from '@/lib/db'

    export default async function BillingPage() {
      const { userId } = await auth.protect()
      const invoices = await db.invoice.findMany({ where: { userId } })
      return <ul>{invoices.map((i) => <li key={i.id}>{i.total}</li>)}</ul>
    }
    ```

    ## Known problems

    A page that loads data before its check is not reported: the redirect throws before anything
    renders (a route handler or Server Action that does the same is reported, since its side effects
    have already happened).

    A guard in an enclosing `layout` is accepted for the pages below it, although Clerk recommends a
    check in each page (layouts do not re-render on client-side navigation). Which data is private is
    not known: a page that lists public records from a database is reported too.

    ## References

    - [Clerk: protect pages and layouts](https://clerk.com/docs/guides/secure/protect-pages)
    - [Clerk: buildClerkProps()](https://clerk.com/docs/reference/nextjs/pages-router/build-clerk-props)
    - [CWE-862: Missing Authorization](https://cwe.mitre.org/data/definitions/862.html)
    """

    id = "CLK104"
    slug = "page-without-auth"
    name = "Page loads data without auth"
    level = Level.WARNING
    security_severity = 6.5
    cwe = (862,)
    tags = ("nextjs", "authentication")
    grammars = JS_FAMILY
    kinds = frozenset({*SERVER_COMPONENTS, GSSP})
    what = "stored data"

    cases = (
        Case("pages", {
            "package.json": PKG,
            "lib/db.ts": "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n",
            "app/(app)/billing/page.tsx": "import { db } from '../../../lib/db'\nexport default async function Page() { // expect: CLK104\n  const rows = await db.invoice.findMany()\n  return <div>{rows.length}</div>\n}\n",
        }),
        Case("static-page-and-guarded-layout", {
            "package.json": PKG,
            "lib/db.ts": "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n",
            "app/about/page.tsx": "export default function About() {\n  return <p>About us</p>\n}\n",
            "app/(app)/settings/layout.tsx": "import { auth } from '@clerk/nextjs/server'\nexport default async function L({ children }) {\n  await auth.protect()\n  return <>{children}</>\n}\n",
            "app/(app)/settings/page.tsx": "import { db } from '../../../lib/db'\nexport default async function Page() {\n  return <div>{(await db.setting.findMany()).length}</div>\n}\n",
        }),
        Case("read-before-redirect-renders-nothing", {
            "package.json": PKG,
            "lib/db.ts": "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n",
            "app/notes/[id]/page.tsx": (
                "import { currentUser } from '@clerk/nextjs/server'\nimport { redirect } from 'next/navigation'\nimport { db } from '../../../lib/db'\n"
                "export default async function Note({ params }) { // ok: CLK104\n  const note = await db.note.findFirst({ where: { id: params.id } })\n"
                "  const user = await currentUser()\n  if (!user) redirect('/sign-in')\n  return <p>{note?.body}</p>\n}\n"
            ),
        }),
        Case("getServerSideProps", {
            "package.json": PKG,
            "pages/account.tsx": (
                "import { buildClerkProps } from '@clerk/nextjs/server'\nimport { prisma } from '../lib/prisma'\n"
                "export const getServerSideProps = async (ctx) => { // expect: CLK104\n  const account = await prisma.account.findFirst()\n  return { props: { ...buildClerkProps(ctx.req), account } }\n}\n"
                "export default function Account({ account }) { return <p>{account.name}</p> }\n"
            ),
            "pages/profile.tsx": (
                "import { getAuth, buildClerkProps } from '@clerk/nextjs/server'\nimport { prisma } from '../lib/prisma'\n"
                "export async function getServerSideProps(ctx) {\n  const { userId } = getAuth(ctx.req)\n  if (!userId) return { redirect: { destination: '/sign-in', permanent: false } }\n"
                "  const profile = await prisma.profile.findUnique({ where: { userId } })\n  return { props: { ...buildClerkProps(ctx.req), profile } }\n}\n"
                "export default function Profile({ profile }) { return <p>{profile.bio}</p> }\n"
            ),
            "lib/prisma.ts": "import { PrismaClient } from '@prisma/client'\nexport const prisma = new PrismaClient()\n",
        }),
    )
