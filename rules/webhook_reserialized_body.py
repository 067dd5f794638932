from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, PYTHON
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG = '{"dependencies": {"@clerk/nextjs": "^6.21.0", "next": "15.3.2", "svix": "^1.64.0"}}'


class WebhookReserializedBody(Rule):
    """
    ## What it does

    Finds Clerk webhook verification that checks the signature over something other than the raw
    request body: a re-serialized body (`wh.verify(JSON.stringify(await req.json()), headers)`,
    `JSON.stringify(req.body)`, Python `json.dumps(await request.json())`) or the parsed body
    itself (`wh.verify(req.body, headers)` in a `pages/api` route or an Express route whose body
    parser has already turned it into an object, `wh.verify(await req.json(), headers)`). The
    payload is traced through local variables to where it was read.

    Clerk's own `verifyWebhook(req)` in the Pages Router re-serializes `req.body` internally; that
    is Clerk's choice and is not reported.

    ## Why is this bad?

    The signature covers the exact bytes Clerk sent. Parsing and serializing again can change key
    order, whitespace and the escaping of non-ASCII characters, so some genuine deliveries fail
    verification — a user whose name has an accent is never created. Svix rejects objects outright
    ("Expected payload to be of type string or Buffer"), so a parsed body fails every time. Failing
    deliveries get retried and then disabled, and the usual "fix" is to turn verification off.
    Clerk's guides showed the re-serializing form from 2023 to 2025, so it is common.

    ## Example

    ```ts title="app/api/webhooks/clerk/route.ts"
    import { Webhook } from 'svix'
    import { headers } from 'next/headers'

    export async function POST(req: Request) {
      const payload = await req.json()
      const h = await headers()
      const evt = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!).verify(JSON.stringify(payload), {
        'svix-id': h.get('svix-id')!,
        'svix-timestamp': h.get('svix-timestamp')!,
        'svix-signature': h.get('svix-signature')!,
      })
      return Response.json({ received: (evt as { type: string }).type })
    }
    ```

    ## Use instead

    ```ts title="app/api/webhooks/clerk/route.ts"
    import { Webhook } from 'svix'
    import { headers } from 'next/headers'

    export async function POST(req: Request) {
      const body = await req.text()
      const h = await headers()
      const evt = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!).verify(body, {
        'svix-id': h.get('svix-id')!,
        'svix-timestamp': h.get('svix-timestamp')!,
        'svix-signature': h.get('svix-signature')!,
      })
      return Response.json({ received: (evt as { type: string }).type })
    }
    ```

    ## Known problems

    This fails closed: a bad signature is still refused, so it is a warning, not a bypass. The
    payload is followed through variables of the same function only; a body parsed in one function
    and verified in another is not traced. Whether an Express route's body is parsed is read from
    the middleware on the route and from `app.use(express.json())` in the same file.

    ## References

    - [Svix: verifying payloads needs the raw body](https://docs.svix.com/receiving/verifying-payloads/how)
    - [Clerk: verifyWebhook()](https://clerk.com/docs/reference/backend/verify-webhook)
    - [Next.js: API routes, custom config `bodyParser: false`](https://nextjs.org/docs/pages/building-your-application/routing/api-routes#custom-config)
    - [CWE-347: Improper Verification of Cryptographic Signature](https://cwe.mitre.org/data/definitions/347.html)
    """

    id = "CLK402"
    slug = "webhook-reserialized-body"
    name = "Webhook signature checked over a re-serialized body"
    level = Level.WARNING
    security_severity = 3.7
    cwe = (347,)
    tags = ("webhooks", "svix", "reliability")
    grammars = JS_FAMILY | {PYTHON}
    version_gates = "every version"

    cases = (
        Case("stringified-and-raw", {
            "package.json": PKG,
            "app/api/webhooks/a/route.ts": (
                "import { Webhook } from 'svix'\n\n"
                "export async function POST(req: Request) {\n"
                "  const payload = await req.json()\n"
                "  const body = JSON.stringify(payload)\n"
                "  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!)\n"
                "  const evt: any = wh.verify(body, Object.fromEntries(req.headers)) // expect: CLK402\n"
                "  return Response.json({ type: evt.type })\n"
                "}\n"
            ),
            "app/api/webhooks/b/route.ts": (
                "import { Webhook } from 'svix'\n\n"
                "export async function POST(req: Request) {\n"
                "  const body = await req.text()\n"
                "  const evt: any = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(body, Object.fromEntries(req.headers))\n"
                "  return Response.json({ type: evt.type })\n"
                "}\n"
            ),
        }),
        Case("pages-router", {
            "package.json": PKG,
            "pages/api/webhooks/svix.ts": (
                "import { Webhook } from 'svix'\n\n"
                "export default function handler(req, res) {\n"
                "  const evt: any = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(req.body, req.headers) // expect: CLK402\n"
                "  res.json({ type: evt.type })\n"
                "}\n"
            ),
            "pages/api/webhooks/clerk.ts": (
                "import { verifyWebhook } from '@clerk/nextjs/webhooks'\n\n"
                "export default async function handler(req, res) {\n"
                "  const evt = await verifyWebhook(req)\n"
                "  res.json({ type: evt.type })\n"
                "}\n"
            ),
        }),
        Case("python", {
            "requirements.txt": "fastapi==0.115.0\nsvix==1.64.0\nclerk-backend-api==3.0.0\n",
            "app/webhooks.py": (
                "import json\nimport os\nfrom fastapi import FastAPI, Request\nfrom svix.webhooks import Webhook\n\napp = FastAPI()\n\n"
                "@app.post('/webhooks/clerk')\nasync def clerk_webhook(request: Request):\n"
                "    payload = json.dumps(await request.json())\n"
                "    evt = Webhook(os.environ['CLERK_WEBHOOK_SECRET']).verify(payload, dict(request.headers))  # expect: CLK402\n"
                "    return {'type': evt['type']}\n\n"
                "@app.post('/webhooks/clerk-raw')\nasync def clerk_raw(request: Request):\n"
                "    evt = Webhook(os.environ['CLERK_WEBHOOK_SECRET']).verify(await request.body(), dict(request.headers))\n"
                "    return {'type': evt['type']}\n"
            ),
        }),
        Case("raw-bodies-stay-quiet", {
            "package.json": '{"dependencies": {"@clerk/express": "^1.4.0", "express": "^5.1.0", "svix": "^1.64.0", "micro": "^10.0.1"}}',
            "server/webhooks.ts": (
                "import express from 'express'\nimport { Webhook } from 'svix'\n\nconst router = express.Router()\n\n"
                "router.post('/webhooks/clerk', express.raw({ type: 'application/json' }), (req, res) => {\n"
                "  const evt: any = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(req.body, req.headers as Record<string, string>)\n"
                "  res.json({ type: evt.type })\n"
                "})\n\nexport default router\n"
            ),
            "pages/api/webhooks/raw.ts": (
                "import { buffer } from 'micro'\nimport { Webhook } from 'svix'\n\n"
                "export const config = { api: { bodyParser: false } }\n\n"
                "export default async function handler(req, res) {\n"
                "  const payload = (await buffer(req)).toString()\n"
                "  const evt: any = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(payload, req.headers)\n"
                "  res.json({ type: evt.type })\n"
                "}\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if file.grammar not in self.grammars:
            return
        for site in project.webhooks.sites(file):
            if not site.reserialized:
                continue
            message = (
                f"the webhook signature is checked over the wrong bytes: {site.reserialized}; genuine Clerk deliveries "
                "can fail verification — verify the raw body (`await req.text()`, `express.raw()`, `await request.body()`)"
            )
            yield self.finding((file, site.node), message)
