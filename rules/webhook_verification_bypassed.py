from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, PYTHON
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG = '{"dependencies": {"@clerk/nextjs": "^6.21.0", "next": "15.3.2", "svix": "^1.64.0"}}'
DB = "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n"


class WebhookVerificationBypassed(Rule):
    """
    ## What it does

    Finds Clerk webhook verification that a forged request can get past:

    - the verify call sits in a `try` whose `catch` neither returns, throws nor otherwise ends the
      request, and the handler goes on to process the event after the `try`;
    - verification only runs on some condition — `if (secret) wh.verify(...)`, a check that the
      `svix-signature` header is present, `NODE_ENV` — and the handler processes the event on the
      other path too (or an earlier `if (!secret) return handle(payload)` skips it);
    - `verifyWebhook(req)` (or an async verification helper) is called without `await`, so a bad
      signature only rejects a promise nobody waits for;
    - a verification helper returns `false`/`null` for a bad signature and the handler ignores
      what it returns, or the helper's own `catch` returns the unverified payload.

    A verify call whose result is discarded followed by `JSON.parse(body)` is fine: `verify()`
    throws on a bad signature.

    ## Why is this bad?

    The verification is there, so reviews pass, but the forged `user.created` or `user.deleted` is
    processed anyway: the attacker only has to send a bad signature, or leave the header out.

    ## Example

    ```ts title="app/api/webhooks/clerk/route.ts"
    import { Webhook } from 'svix'
    import { db } from '@/lib/db'

    export async function POST(req: Request) {
      const body = await req.text()
      try {
        new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(body, Object.fromEntries(req.headers))
      } catch (err) {
        console.warn('webhook signature did not match', err)
      }
      const evt = JSON.parse(body)
      if (evt.type === 'user.deleted') await db.user.delete({ where: { clerkId: evt.data.id } })
      return new Response('ok')
    }
    ```

    ## Use instead

    ```ts title="app/api/webhooks/clerk/route.ts"
    import { Webhook } from 'svix'
    import { db } from '@/lib/db'

    export async function POST(req: Request) {
      const body = await req.text()
      try {
        new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(body, Object.fromEntries(req.headers))
      } catch (err) {
        return new Response('Invalid signature', { status: 400 })
      }
      const evt = JSON.parse(body)
      if (evt.type === 'user.deleted') await db.user.delete({ where: { clerkId: evt.data.id } })
      return new Response('ok')
    }
    ```

    ## Known problems

    A catch that only records the failure is accepted when a check of that flag (or of the verified
    event) with an exit comes before any work. A swallowed error followed by code that uses only the
    verified event (`evt.type` on an undefined `evt`) is still reported, although it usually
    crashes rather than processes. `verifyWebhook(req).catch(...)` chains are not followed.

    ## References

    - [Clerk: sync data with webhooks](https://clerk.com/docs/webhooks/sync-data)
    - [Svix: verifying webhooks](https://docs.svix.com/receiving/verifying-payloads/how)
    - [CWE-347: Improper Verification of Cryptographic Signature](https://cwe.mitre.org/data/definitions/347.html)
    - [CWE-755: Improper Handling of Exceptional Conditions](https://cwe.mitre.org/data/definitions/755.html)
    """

    id = "CLK403"
    slug = "webhook-verification-bypassed"
    name = "Clerk webhook verification can be bypassed"
    level = Level.ERROR
    security_severity = 8.8
    cwe = (347, 755)
    tags = ("webhooks", "svix", "control-flow")
    grammars = JS_FAMILY | {PYTHON}
    version_gates = "every version"

    cases = (
        Case("swallowed-and-handled", {
            "package.json": PKG,
            "lib/db.ts": DB,
            "app/api/webhooks/a/route.ts": (
                "import { Webhook } from 'svix'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n"
                "  const body = await req.text()\n"
                "  let evt: any = JSON.parse(body)\n"
                "  try {\n"
                "    evt = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(body, Object.fromEntries(req.headers)) // expect: CLK403\n"
                "  } catch (e) {\n"
                "    console.error(e)\n"
                "  }\n"
                "  if (evt.type === 'user.deleted') await db.user.delete({ where: { clerkId: evt.data.id } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
            "app/api/webhooks/b/route.ts": (
                "import { Webhook } from 'svix'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n"
                "  const body = await req.text()\n"
                "  new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(body, Object.fromEntries(req.headers))\n"
                "  const evt = JSON.parse(body)\n"
                "  if (evt.type === 'user.deleted') await db.user.delete({ where: { clerkId: evt.data.id } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
            "app/api/webhooks/c/route.ts": (
                "import { Webhook } from 'svix'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n"
                "  const body = await req.text()\n"
                "  let evt: any = null\n"
                "  try {\n"
                "    evt = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(body, Object.fromEntries(req.headers))\n"
                "  } catch (e) {\n"
                "    console.error(e)\n"
                "  }\n"
                "  if (!evt) return new Response('Invalid signature', { status: 400 })\n"
                "  if (evt.type === 'user.deleted') await db.user.delete({ where: { clerkId: evt.data.id } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
        }),
        Case("unset-event-fails-closed", {
            "package.json": PKG,
            "lib/db.ts": DB,
            "app/api/webhooks/clerk/route.ts": (
                "import { Webhook } from 'svix'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n"
                "  const body = await req.text()\n"
                "  let evt: any\n"
                "  try {\n"
                "    evt = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(body, Object.fromEntries(req.headers))\n"
                "  } catch (e) {\n"
                "    console.error(e)\n"
                "  }\n"
                "  // evt is still undefined after a bad signature: evt.type throws before anything is written\n"
                "  if (evt.type === 'user.deleted') await db.user.delete({ where: { clerkId: evt.data.id } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
        }),
        Case("conditional-and-unawaited", {
            "package.json": PKG,
            "lib/db.ts": DB,
            "app/api/webhooks/a/route.ts": (
                "import { Webhook } from 'svix'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n"
                "  const body = await req.text()\n"
                "  const secret = process.env.CLERK_WEBHOOK_SECRET\n"
                "  if (secret) {\n"
                "    new Webhook(secret).verify(body, Object.fromEntries(req.headers)) // expect: CLK403\n"
                "  }\n"
                "  const evt = JSON.parse(body)\n"
                "  if (evt.type === 'user.created') await db.user.create({ data: { clerkId: evt.data.id } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
            "app/api/webhooks/b/route.ts": (
                "import { verifyWebhook } from '@clerk/nextjs/webhooks'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n"
                "  verifyWebhook(req.clone()) // expect: CLK403\n"
                "  const evt = await req.json()\n"
                "  if (evt.type === 'user.created') await db.user.create({ data: { clerkId: evt.data.id } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
            "app/api/webhooks/c/route.ts": (
                "import { Webhook } from 'svix'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n"
                "  const body = await req.text()\n"
                "  const secret = process.env.CLERK_WEBHOOK_SECRET\n"
                "  if (!secret) return new Response('Not configured', { status: 500 })\n"
                "  const evt: any = new Webhook(secret).verify(body, Object.fromEntries(req.headers))\n"
                "  if (evt.type === 'user.created') await db.user.create({ data: { clerkId: evt.data.id } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
        }),
        Case("helper-result-ignored", {
            "package.json": PKG,
            "lib/db.ts": DB,
            "lib/verify.ts": (
                "import { Webhook } from 'svix'\n\n"
                "export function isGenuine(body: string, headers: Record<string, string>) {\n"
                "  try {\n"
                "    new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(body, headers)\n"
                "    return true\n"
                "  } catch {\n"
                "    return false\n"
                "  }\n"
                "}\n"
            ),
            "app/api/webhooks/clerk/route.ts": (
                "import { isGenuine } from '../../../../lib/verify'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n"
                "  const body = await req.text()\n"
                "  isGenuine(body, Object.fromEntries(req.headers)) // expect: CLK403\n"
                "  const evt = JSON.parse(body)\n"
                "  if (evt.type === 'user.created') await db.user.create({ data: { clerkId: evt.data.id } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
            "app/api/webhooks/checked/route.ts": (
                "import { isGenuine } from '../../../../lib/verify'\nimport { db } from '../../../../lib/db'\n\n"
                "export async function POST(req: Request) {\n"
                "  const body = await req.text()\n"
                "  if (!isGenuine(body, Object.fromEntries(req.headers))) return new Response('bad', { status: 400 })\n"
                "  const evt = JSON.parse(body)\n"
                "  if (evt.type === 'user.created') await db.user.create({ data: { clerkId: evt.data.id } })\n"
                "  return new Response('ok')\n"
                "}\n"
            ),
        }),
        Case("failures-end-the-request", {
            "package.json": '{"dependencies": {"@clerk/express": "^1.4.0", "express": "^5.1.0", "svix": "^1.64.0"}}',
            "server/webhooks.js": (
                "const express = require('express')\nconst { Webhook } = require('svix')\nconst { User } = require('./models')\n\n"
                "const app = express()\n\n"
                "app.post('/api/webhooks', express.raw({ type: 'application/json' }), async (req, res) => {\n"
                "  let evt\n"
                "  try {\n"
                "    evt = new Webhook(process.env.CLERK_WEBHOOK_SECRET).verify(req.body, req.headers)\n"
                "  } catch (err) {\n"
                "    return res.status(400).json({ error: 'Invalid signature' })\n"
                "  }\n"
                "  if (evt.type === 'user.created') await User.create({ clerkId: evt.data.id })\n"
                "  res.json({ ok: true })\n"
                "})\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if file.grammar not in self.grammars:
            return
        seen: set[int] = set()
        for site in project.webhooks.sites(file):
            if site.bypass and site.node.id not in seen:
                seen.add(site.node.id)
                yield self.finding((file, site.node), f"a forged webhook can get past this verification: {site.bypass}")
        for judgement in project.webhooks.receivers(file):
            for call, reason in judgement.ignored:
                if call.id not in seen and judgement.handler.function_file is file:
                    seen.add(call.id)
                    yield self.finding((file, call), f"a forged webhook can get past this verification: {reason}")
