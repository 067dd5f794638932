from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, PYTHON
from clerk_lint.project.webhooks import STRONG, SVIX, WEBHOOK
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG = '{"dependencies": {"@clerk/nextjs": "^6.21.0", "next": "15.3.2", "svix": "^1.64.0", "stripe": "^18.0.0"}}'
DB = "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n"


class UnverifiedWebhook(Rule):
    """
    ## What it does

    Finds webhook receivers that act on Clerk events without verifying the Svix signature. A
    receiver is recognised by evidence, not by its folder: a comparison of the event `type` with a
    Clerk event name (`user.created`, `session.ended`, `organizationMembership.deleted`…), Clerk's
    `WebhookEvent`/`UserJSON` types, reads of the `svix-id`/`svix-signature`/`webhook-signature`
    headers, Clerk payload fields (`email_addresses`), Clerk's webhook secret, or a path that says
    webhook together with another sign of Clerk. Receivers are App Router route handlers,
    `pages/api` handlers, Convex `httpAction`s registered on an `httpRouter`, Express/Hono/Fastify
    routes (`app.post(path, express.raw(...), handler)`) and FastAPI/Flask/Django views.

    Verification counts wherever it happens: `verifyWebhook()` from any `@clerk/*/webhooks` entry,
    svix's or standardwebhooks' `new Webhook(secret).verify(payload, headers)`, Python's
    `svix.webhooks.Webhook(secret).verify(...)`, a helper in another file that does one of these
    (followed through imports, wrappers and Convex `ctx.runAction(internal...)`), or a
    constant-time HMAC comparison. A handler verified by another provider's check (Stripe's
    `constructEvent`) is not a Clerk webhook and is left alone, and so is a receiver that only logs
    the event and answers.

    ## Why is this bad?

    A webhook URL is public by design: Clerk's requests carry no session, so the middleware must let
    them through. The signature is the only thing that proves a request comes from Clerk. Without
    it anyone can post a forged `user.created` with an admin role in `public_metadata`, a
    `user.deleted` for somebody else's account, or an `organizationMembership.created` that puts
    them in any organization — and the handler writes it to the database.

    ## Example

    ```ts title="app/api/webhooks/clerk/route.ts"
    import { db } from '@/lib/db'

    export async function POST(req: Request) {
      const evt = await req.json()
      if (evt.type === 'user.created') {
        await db.user.create({ data: { clerkId: evt.data.id, role: evt.data.public_metadata.role } })
      }
      return new Response('ok')
    }
    ```

    ## Use instead

    ```ts title="app/api/webhooks/clerk/route.ts"
    import { verifyWebhook } from '@clerk/nextjs/webhooks'
    import type { NextRequest } from 'next/server'
    import { db } from '@/lib/db'

    export async function POST(req: NextRequest) {
      let evt
      try {
        evt = await verifyWebhook(req)
      } catch {
        return new Response('Invalid signature', { status: 400 })
      }
      if (evt.type === 'user.created') {
        await db.user.create({ data: { clerkId: evt.data.id } })
      }
      return new Response('ok')
    }
    ```

    ## Known problems

    Verification in a function the tool cannot see (a package outside the project, a method called
    on an object built at run time) is assumed when the function's name says so (`verify…`,
    `…Signature`). A handler that checks a shared secret header instead of the Svix signature is
    reported. A handler the tool cannot find (imported from a file that is not there) is not
    judged. Receivers of other frameworks (Cloudflare Workers' `fetch`, SvelteKit, Astro, Nuxt
    endpoints) are not modelled; their verify calls are still checked by CLK402 and CLK403.

    ## References

    - [Clerk: sync data with webhooks — verify the webhook](https://clerk.com/docs/webhooks/sync-data)
    - [Clerk: verifyWebhook()](https://clerk.com/docs/reference/backend/verify-webhook)
    - [Svix: verifying webhooks](https://docs.svix.com/receiving/verifying-payloads/how)
    - [CWE-345: Insufficient Verification of Data Authenticity](https://cwe.mitre.org/data/definitions/345.html)
    - [CWE-347: Improper Verification of Cryptographic Signature](https://cwe.mitre.org/data/definitions/347.html)
    """

    id = "CLK401"
    slug = "unverified-webhook"
    name = "Clerk webhook handled without signature verification"
    level = Level.ERROR
    security_severity = 9.1
    cwe = (345, 347)
    tags = ("webhooks", "svix", "authentication")
    grammars = JS_FAMILY | {PYTHON}
    version_gates = "every version"

    cases = (
        Case("route-handlers", {
            "package.json": PKG,
            "lib/db.ts": DB,
            "app/api/webhooks/clerk/route.ts": (
                "import { db } from '../../../../lib/db'\n\n"
                "export async function POST(req: Request) { // expect: CLK401\n"
                "  const evt = await req.json()\n"
                "  if (evt.type === 'user.deleted') await db.user.delete({ where: { clerkId: evt.data.id } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
            "app/api/webhooks/verified/route.ts": (
                "import { verifyWebhook } from '@clerk/nextjs/webhooks'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n"
                "  const evt = await verifyWebhook(req)\n"
                "  if (evt.type === 'user.deleted') await db.user.delete({ where: { clerkId: evt.data.id } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
            "app/api/webhooks/stripe/route.ts": (
                "import Stripe from 'stripe'\nimport { db } from '../../../../lib/db'\n"
                "const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!)\n\n"
                "export async function POST(req: Request) {\n"
                "  const evt = stripe.webhooks.constructEvent(await req.text(), req.headers.get('stripe-signature')!, process.env.STRIPE_WEBHOOK_SECRET!)\n"
                "  if (evt.type === 'customer.subscription.deleted') await db.plan.delete({ where: { id: evt.data.object.id } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
        }),
        Case("helper-in-lib-and-svix-headers", {
            "package.json": PKG,
            "lib/db.ts": DB,
            "lib/webhooks.ts": (
                "import { Webhook } from 'svix'\n\n"
                "export async function verifyClerk(req: Request) {\n"
                "  const body = await req.text()\n"
                "  return new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(body, Object.fromEntries(req.headers))\n"
                "}\n"
            ),
            "app/api/clerk/route.ts": (
                "import { verifyClerk } from '../../../lib/webhooks'\nimport { db } from '../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n"
                "  const evt: any = await verifyClerk(req)\n"
                "  await db.user.upsert({ where: { id: evt.data.id }, create: { id: evt.data.id }, update: {} })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
            "app/api/sync/route.ts": (
                "import { db } from '../../../lib/db'\n\n"
                "export async function POST(req: Request) { // expect: CLK401\n"
                "  if (!req.headers.get('svix-id')) return new Response('missing headers', { status: 400 })\n"
                "  const { data } = await req.json()\n"
                "  await db.user.update({ where: { id: data.id }, data: { email: data.email_addresses[0].email_address } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
        }),
        Case("not-receivers", {
            "package.json": PKG,
            "lib/db.ts": DB,
            "app/api/webhooks/endpoints/route.ts": (
                "import { auth } from '@clerk/nextjs/server'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n"
                "  const { userId } = await auth()\n"
                "  if (!userId) return new Response('Unauthorized', { status: 401 })\n"
                "  return Response.json(await db.endpoint.create({ data: { ownerId: userId, url: (await req.json()).url } }))\n"
                "}\n"
            ),
            "app/api/webhooks/log/route.ts": (
                "export async function POST(req: Request) {\n"
                "  const evt = await req.json()\n"
                "  console.log('clerk event', evt.type === 'user.created')\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
        }),
        Case("express-backend-without-clerk-dependency", {
            "package.json": '{"type": "module", "dependencies": {"express": "^4.21.2", "mongoose": "^8.14.0", "svix": "^1.64.0"}}',
            "models/user.js": "import mongoose from 'mongoose'\nexport const User = mongoose.model('User', new mongoose.Schema({ clerkId: String }))\n",
            "server.js": (
                "import express from 'express'\nimport { User } from './models/user.js'\n\nconst app = express()\n\n"
                "app.post('/api/webhooks/clerk', express.json(), async (req, res) => { // expect: CLK401\n"
                "  const { type, data } = req.body\n"
                "  if (type === 'user.created') await User.create({ clerkId: data.id })\n"
                "  res.json({ ok: true })\n"
                "})\n\napp.listen(3000)\n"
            ),
        }),
        Case("convex-http-action", {
            "package.json": '{"dependencies": {"convex": "^1.24.0", "@clerk/clerk-react": "^5.31.0", "svix": "^1.64.0"}}',
            "convex/_generated/api.ts": "export const internal: any = {}\n",
            "convex/_generated/server.ts": "export const httpAction: any = null\nexport const internalAction: any = null\n",
            "convex/clerk.ts": (
                "'use node'\nimport { Webhook } from 'svix'\nimport { internalAction } from './_generated/server'\n\n"
                "export const fulfill = internalAction({\n"
                "  handler: async (ctx, args: { payload: string, headers: any }) => {\n"
                "    return new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(args.payload, args.headers)\n"
                "  },\n"
                "})\n"
            ),
            "convex/http.ts": (
                "import { httpRouter } from 'convex/server'\nimport { httpAction } from './_generated/server'\n"
                "import { internal } from './_generated/api'\n\nconst http = httpRouter()\n\n"
                "http.route({\n  path: '/clerk-users-webhook',\n  method: 'POST',\n"
                "  handler: httpAction(async (ctx, request) => {\n"
                "    const evt: any = await ctx.runAction(internal.clerk.fulfill, { payload: await request.text(), headers: Object.fromEntries(request.headers) })\n"
                "    if (evt.type === 'user.created') await ctx.runMutation(internal.users.create, { id: evt.data.id })\n"
                "    return new Response(null, { status: 200 })\n"
                "  }),\n})\n\n"
                "http.route({\n  path: '/clerk', // expect: CLK401\n  method: 'POST',\n"
                "  handler: httpAction(async (ctx, request) => {\n"
                "    const evt = await request.json()\n"
                "    if (evt.type === 'user.created') await ctx.runMutation(internal.users.create, { id: evt.data.id })\n"
                "    return new Response(null, { status: 200 })\n"
                "  }),\n})\n\nexport default http\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if file.grammar not in self.grammars:
            return
        for judgement in project.webhooks.receivers(file):
            if judgement.verification is not None or not judgement.acts or judgement.handler.function is None:
                continue
            handler = judgement.handler
            signs = [e for e in judgement.evidence if e.strength in (STRONG, SVIX)] or [e for e in judgement.evidence if e.strength == WEBHOOK]
            shown = ", ".join(e.label for e in signs[:2])
            message = (
                f"{handler.label} acts on Clerk webhook events ({shown}) without verifying the Svix signature: anyone "
                "can post forged events to it; verify with `verifyWebhook(req)` or svix `new Webhook(secret).verify(rawBody, headers)`"
            )
            related = [loc for loc in (e.location() for e in signs[:3]) if loc is not None]
            yield self.finding((handler.file, handler.node), message, related=related)
