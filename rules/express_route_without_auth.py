from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Confidence, Finding, Level
from clerk_lint.parsing import JS_FAMILY
from clerk_lint.project.express import ATTACHES, OPEN, UNKNOWN
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG = '{"dependencies": {"@clerk/express": "^2.1.30", "express": "^5.1.0", "@prisma/client": "^6.0.0"}}'
DB = "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n"


class ExpressRouteWithoutAuth(Rule):
    """
    ## What it does

    Finds routes of Express (4 and 5), Fastify and Hono servers that use Clerk whose handler reaches
    stored data (a database client, `clerkClient`, files, server secrets — directly or through project
    functions) while nothing refuses a signed-out caller first: no `getAuth(req)` (or `req.auth()`)
    check with an exit in the handler, and no blocking middleware before it — `requireAuth()`, a
    guard function given to the route, `router.use(guard)` / `app.use(guard)` registered before the
    route, a Fastify `preHandler`/`onRequest` hook or a Hono `createMiddleware` guard. The whole app is
    modelled: routers mounted with `app.use('/api', router)` (through imports and `require`),
    `app.route()` chains, Fastify plugins registered with a prefix, Hono `app.route()` sub-apps, and
    route files that receive the app (`require('./routes')(app)`).

    It also reports a route whose handler checks `getAuth(req)` but that is registered before
    `app.use(clerkMiddleware())`: `getAuth()` then throws on every request (a warning: it fails
    closed, but the route never works).

    ## Why is this bad?

    `clerkMiddleware()` (and `clerkPlugin` on Fastify, `clerkMiddleware()` on Hono) never rejects a
    request: it only reads the session and attaches it, so `getAuth(req).userId` is `null` for a
    signed-out caller. A handler that does not check it serves its data to anyone who can reach the
    URL — including `curl`. The finding names what the handler reaches and the middleware that ran.

    ## Example

    ```js title="server.js"
    import express from 'express'
    import { clerkMiddleware } from '@clerk/express'
    import { db } from './db.js'

    const app = express()
    app.use(clerkMiddleware())

    app.get('/api/invoices', async (req, res) => {
      res.json(await db.invoice.findMany())
    })
    ```

    ## Use instead

    ```js title="server.js"
    import express from 'express'
    import { clerkMiddleware, getAuth } from '@clerk/express'
    import { db } from './db.js'

    const app = express()
    app.use(clerkMiddleware())

    app.get('/api/invoices', async (req, res) => {
      const { isAuthenticated, userId } = getAuth(req)
      if (!isAuthenticated) return res.status(401).json({ error: 'Unauthorized' })
      res.json(await db.invoice.findMany({ where: { userId } }))
    })
    ```

    ## Known problems

    A route that is public by design (a feed, a contact form) is reported when it reaches data:
    suppress it with `// clerk-lint-ignore CLK107 -- public by design`. Routers loaded dynamically
    (a `fs.readdirSync` loop, `@fastify/autoload`) have no known mount point: their open routes are
    reported as low-confidence warnings unless the app registers a blocking middleware for every
    path. Middleware whose code is not in the project counts as a guard when its name says so
    (`passport.authenticate(...)`, `checkJwt`). Test files are not modelled. NestJS controllers and
    Koa are not covered.

    ## References

    - [Clerk: Express quickstart — protect routes with getAuth()](https://clerk.com/docs/reference/express/overview)
    - [Clerk: clerkMiddleware() for Express](https://clerk.com/docs/reference/express/clerk-middleware)
    - [Clerk: Fastify getAuth()](https://clerk.com/docs/reference/fastify/get-auth)
    - [Clerk: Hono middleware (@hono/clerk-auth)](https://github.com/honojs/middleware/tree/main/packages/clerk-auth)
    - [CWE-306: Missing Authentication for Critical Function](https://cwe.mitre.org/data/definitions/306.html)
    """

    id = "CLK107"
    slug = "express-route-without-auth"
    name = "Express/Fastify/Hono route without auth"
    level = Level.ERROR
    security_severity = 8.2
    cwe = (306, 862)
    tags = ("express", "fastify", "hono", "authentication")
    grammars = JS_FAMILY
    version_gates = (
        "any version of @clerk/express, @clerk/fastify, @clerk/hono, @hono/clerk-auth and @clerk/clerk-sdk-node; "
        "warning (fails closed) for a guarded route registered before clerkMiddleware(); low-confidence warning when "
        "the router's mount point is unknown"
    )

    cases = (
        Case("global-clerk-middleware-only-attaches", {
            "package.json": PKG,
            "src/db.js": DB,
            "src/server.js": (
                "import express from 'express'\nimport { clerkMiddleware, getAuth, requireAuth } from '@clerk/express'\nimport { db } from './db.js'\n\n"
                "const app = express()\napp.use(clerkMiddleware())\n\n"
                "app.get('/api/notes', async (req, res) => res.json(await db.note.findMany())) // expect: CLK107\n"
                "app.get('/api/me', requireAuth(), async (req, res) => res.json(await db.user.findFirst())) // ok: CLK107\n"
                "app.post('/api/notes', async (req, res) => { // ok: CLK107\n"
                "  const { userId } = getAuth(req)\n  if (!userId) return res.status(401).end()\n"
                "  res.json(await db.note.create({ data: { userId } }))\n})\n"
                "app.get('/health', (req, res) => res.json({ ok: true })) // ok: CLK107\n"
            ),
        }),
        Case("router-guard-and-commonjs-mount", {
            "package.json": PKG,
            "db.js": "const { PrismaClient } = require('@prisma/client')\nmodule.exports = new PrismaClient()\n",
            "middleware/auth.js": (
                "const { getAuth } = require('@clerk/express')\n"
                "module.exports = function requireUser(req, res, next) {\n"
                "  if (!getAuth(req).userId) return res.status(401).json({ error: 'Unauthorized' })\n  next()\n}\n"
            ),
            "routes/notes.js": (
                "const express = require('express')\nconst db = require('../db')\nconst requireUser = require('../middleware/auth')\n"
                "const router = express.Router()\n"
                "router.get('/public', async (req, res) => res.json(await db.note.count())) // expect: CLK107\n"
                "router.use(requireUser)\n"
                "router.get('/', async (req, res) => res.json(await db.note.findMany())) // ok: CLK107\n"
                "module.exports = router\n"
            ),
            "index.js": (
                "const express = require('express')\nconst { clerkMiddleware } = require('@clerk/express')\n"
                "const app = express()\napp.use(clerkMiddleware())\napp.use('/notes', require('./routes/notes'))\napp.listen(3000)\n"
            ),
        }),
        Case("registered-before-clerk-middleware", {
            "package.json": PKG,
            "src/db.js": DB,
            "src/server.js": (
                "import express from 'express'\nimport { clerkMiddleware, getAuth } from '@clerk/express'\nimport { db } from './db.js'\n\n"
                "const app = express()\n"
                "app.get('/api/me', async (req, res) => { // expect: CLK107\n"
                "  const { userId } = getAuth(req)\n  if (!userId) return res.status(401).end()\n"
                "  res.json(await db.user.findUnique({ where: { id: userId } }))\n})\n"
                "app.use(clerkMiddleware())\n"
            ),
        }),
        Case("fastify-hook-and-hono-guard", {
            "fastify/package.json": '{"dependencies": {"@clerk/fastify": "^2.4.0", "fastify": "^5.2.0", "@prisma/client": "^6.0.0"}}',
            "fastify/db.ts": DB,
            "fastify/server.ts": (
                "import Fastify from 'fastify'\nimport { clerkPlugin, getAuth } from '@clerk/fastify'\nimport { db } from './db'\n\n"
                "const fastify = Fastify()\nfastify.register(clerkPlugin)\n"
                "fastify.register(async (instance) => {\n"
                "  instance.addHook('preHandler', async (request, reply) => {\n"
                "    if (!getAuth(request).userId) return reply.code(401).send()\n  })\n"
                "  instance.get('/notes', async () => db.note.findMany()) // ok: CLK107\n"
                "}, { prefix: '/api' })\n"
                "fastify.get('/feed', async () => db.note.findMany()) // expect: CLK107\n"
            ),
            "hono/package.json": '{"dependencies": {"@hono/clerk-auth": "^2.0.0", "@clerk/backend": "^1.21.0", "hono": "^4.6.0", "@prisma/client": "^6.0.0"}}',
            "hono/db.ts": DB,
            "hono/index.ts": (
                "import { Hono } from 'hono'\nimport { clerkMiddleware, getAuth } from '@hono/clerk-auth'\nimport { db } from './db'\n\n"
                "const app = new Hono()\napp.use('*', clerkMiddleware())\n"
                "app.get('/me', async (c) => { // ok: CLK107\n"
                "  const auth = getAuth(c)\n  if (!auth?.userId) return c.json({ error: 'Unauthorized' }, 401)\n"
                "  return c.json(await db.user.findUnique({ where: { id: auth.userId } }))\n})\n"
                "app.get('/posts', async (c) => c.json(await db.post.findMany())) // expect: CLK107\n"
                "export default app\n"
            ),
        }),
        Case("app-without-clerk-is-not-judged", {
            "package.json": '{"dependencies": {"express": "^4.21.0", "@prisma/client": "^6.0.0"}}',
            "db.js": DB,
            "server.js": "import express from 'express'\nimport { db } from './db.js'\nconst app = express()\napp.get('/x', async (req, res) => res.json(await db.x.findMany()))\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        model = project.express
        for route in model.entries(file):
            protection = model.protection(route)
            if protection.before_clerk is not None:
                clerk = protection.before_clerk
                line = clerk.location().start_line
                where = f"line {line}" if clerk.file.real == file.real else f"{clerk.file.rel}:{line}"
                yield self.finding(
                    route.location(),
                    f"{route.label} is registered before `{clerk.label}` ({where}): its "
                    f"`{route.app.hint(route.framework)}` check throws on every request, so the route always fails; "
                    "register the Clerk middleware first",
                    level=Level.WARNING,
                    related=[clerk.location("Clerk middleware registered after the route")],
                )
                continue
            if protection.status not in (OPEN, UNKNOWN):
                continue
            yield self._report(route, protection, model)

    def _report(self, route, protection, model) -> Finding:
        sinks = protection.exposed
        labels = ", ".join(list(dict.fromkeys(s.label for s in sinks))[:3])
        hint = route.app.hint(route.framework)
        attach = next((m for m in route.middleware if model.verdict(m).kind == ATTACHES), None)
        if protection.late_guard and protection.guard is not None:
            message = f"{route.label} reaches {labels} before its auth check ({protection.guard.how}); move the check first"
        else:
            why = f"`{attach.label}` only attaches the session" if attach is not None else "no auth middleware runs before it"
            message = (
                f"{route.label} reaches {labels} with no auth check: {why}; check `{hint}` and refuse signed-out "
                "callers, or register a blocking middleware (requireAuth() or a guard) before the route"
            )
        related = []
        for sink in sinks[:1]:
            location = sink.file.node_location(sink.node, "reached without an auth check") if getattr(sink, "file", None) is not None else None
            if location is None and route.handler_file is not None:
                location = route.handler_file.node_location(sink.node, "reached without an auth check")
            if location is not None:
                related.append(location)
        if route.handler_file is not None and route.handler is not None and route.handler_file.real != route.file.real:
            related.append(route.handler_file.node_location(route.handler, "handler"))
        if attach is not None:
            related.append(attach.location("attaches the session, refuses nobody"))
        related += protection.related
        level = None
        confidence = None
        if protection.status == UNKNOWN:
            message += f"; {protection.how}"
            level = Level.WARNING
            confidence = Confidence.LOW
        return self.finding(route.location(), message, level=level, confidence=confidence, related=related)
