from __future__ import annotations

from clerk_lint.findings import Level
from clerk_lint.parsing import JS_FAMILY
from clerk_lint.project.nextjs import ROUTE
from clerk_lint.rule import Case, EntryPointRule

PKG6 = '{"dependencies": {"@clerk/nextjs": "^6.12.0", "next": "15.2.4"}}'
PKG5 = '{"dependencies": {"@clerk/nextjs": "5.7.5", "next": "14.2.3"}}'


class RouteHandlerWithoutAuth(EntryPointRule):
    """
    ## What it does

    Finds App Router route handlers (`app/**/route.{ts,js,…}` and `src/app/**`) whose exported HTTP
    verbs (`GET`, `POST`, … as functions, const arrows, `export { h as GET }` or wrapped
    `export const POST = withX(h)`) reach data or secrets without first refusing signed-out callers,
    where the middleware/proxy does not protect the route's URL either. Guards are recognised in the
    handler, in helpers in other files (followed through imports and `@/` aliases), in wrappers, and
    as shared-secret checks (cron jobs). Handlers that only return constants (health checks),
    webhook receivers and Clerk's Frontend API proxy are left alone.

    ## Why is this bad?

    A route handler is a public HTTP endpoint. `clerkMiddleware()` protects nothing unless told to,
    so a handler without its own check serves its data to anyone who knows the URL — including
    `curl`. The finding names what the handler reaches and, when there is middleware, which patterns
    it protects, so you can see why the route is open.

    ## Example

    ```ts title="app/api/invoices/route.ts"
    import { db } from '@/lib/db'

    export async function GET() {
      return Response.json(await db.invoice.findMany())
    }
    ```

    ## Use instead

    ```ts title="app/api/invoices/route.ts"
    import { auth } from '@clerk/nextjs/server'
    import { db } from '@/lib/db'

    export async function GET() {
      const { userId } = await auth()
      if (!userId) return new Response('Unauthorized', { status: 401 })
      return Response.json(await db.invoice.findMany({ where: { userId } }))
    }
    ```

    ## Known problems

    A route meant to be public (a contact form, a public feed) is reported when it reaches data:
    suppress it with `// clerk-lint-ignore CLK101 -- public by design` above the export. When the
    middleware's patterns cannot be evaluated (built at run time, or too complex to run safely), the
    finding says so and is a low-confidence warning.

    ## References

    - [Clerk: protect Route Handlers](https://clerk.com/docs/references/nextjs/route-handlers)
    - [Clerk: auth()](https://clerk.com/docs/reference/nextjs/app-router/auth)
    - [CWE-306: Missing Authentication for Critical Function](https://cwe.mitre.org/data/definitions/306.html)
    """

    id = "CLK101"
    slug = "route-handler-without-auth"
    name = "Route handler without auth"
    level = Level.ERROR
    security_severity = 8.2
    cwe = (306, 862)
    tags = ("nextjs", "authentication")
    grammars = JS_FAMILY
    kinds = frozenset({ROUTE})

    cases = (
        Case("open-get-and-guarded-post", {
            "package.json": PKG6,
            "lib/db.ts": "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n",
            "app/api/invoices/route.ts": (
                "import { auth } from '@clerk/nextjs/server'\nimport { db } from '../../../lib/db'\n\n"
                "export async function GET() { // expect: CLK101\n  return Response.json(await db.invoice.findMany())\n}\n\n"
                "export async function POST(req: Request) {\n  const { userId } = await auth()\n  if (!userId) return new Response('Unauthorized', { status: 401 })\n"
                "  return Response.json(await db.invoice.create({ data: { userId, ...(await req.json()) } }))\n}\n"
            ),
        }),
        Case("health-check-is-quiet", {
            "package.json": PKG6,
            "app/api/health/route.ts": "export async function GET() {\n  return Response.json({ status: 'ok' })\n}\n",
        }),
        Case("protect-and-v5-sync", {
            "package.json": PKG5,
            "src/app/api/me/route.js": "import { auth } from '@clerk/nextjs/server'\nexport async function GET() {\n  auth().protect()\n  return Response.json(await fetch(process.env.API_URL))\n}\n",
        }),
        Case("real-shapes-that-are-guarded-or-harmless", {
            "package.json": PKG6,
            "lib/db.ts": "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n",
            "lib/tenant.ts": "import { auth } from '@clerk/nextjs/server'\nimport { redirect } from 'next/navigation'\nexport async function tenantId() {\n  const { orgId, userId } = await auth()\n  return orgId ?? userId ?? redirect('/sign-in')\n}\n",
            "lib/sig.ts": "import crypto from 'node:crypto'\nexport function verifySignature(body: string, sig: string | null) {\n  const mac = crypto.createHmac('sha256', process.env.HOOK_SECRET!).update(body).digest('hex')\n  return sig !== null && crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(sig))\n}\n",
            "app/api/workspace/route.ts": "import { db } from '../../../lib/db'\nimport { tenantId } from '../../../lib/tenant'\nexport async function GET() { // ok: CLK101\n  return Response.json(await db.workspace.findFirst({ where: { tenantId: await tenantId() } }))\n}\n",
            "app/feed.xml/route.ts": "import RSS from 'rss'\nimport { posts } from '../../content/posts'\nexport async function GET() { // ok: CLK101\n  const feed = new RSS({ title: 'Blog', site_url: 'https://example.com' })\n  for (const post of posts) feed.item({ title: post.title, url: post.url, date: post.date })\n  return new Response(feed.xml(), { headers: { 'content-type': 'application/xml' } })\n}\n",
            "content/posts.ts": "export const posts = [{ title: 'Hello', url: '/hello', date: '2026-01-01' }]\n",
            "app/api/exit-preview/route.ts": "import { draftMode } from 'next/headers'\nexport async function GET() { // ok: CLK101\n  ;(await draftMode()).disable()\n  return new Response('ok')\n}\n",
            "app/api/hooks/deploy/route.ts": "import { db } from '../../../../lib/db'\nimport { verifySignature } from '../../../../lib/sig'\nexport async function POST(req: Request) { // ok: CLK101\n  const body = await req.text()\n  const ok = verifySignature(body, req.headers.get('x-signature'))\n  if (!ok) return new Response('bad signature', { status: 401 })\n  await db.deployment.create({ data: JSON.parse(body) })\n  return new Response('ok')\n}\n",
        }),
        Case("guard-after-data", {
            "package.json": PKG6,
            "app/api/x/route.ts": "import { auth } from '@clerk/nextjs/server'\nimport { sql } from '@vercel/postgres'\nexport const DELETE = async () => { // expect: CLK101\n  await sql`delete from t`\n  await auth.protect()\n}\n",
        }),
    )
