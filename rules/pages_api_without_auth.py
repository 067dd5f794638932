from __future__ import annotations

from clerk_lint.findings import Level
from clerk_lint.parsing import JS_FAMILY
from clerk_lint.project.nextjs import PAGES_API
from clerk_lint.rule import Case, EntryPointRule

PKG6 = '{"dependencies": {"@clerk/nextjs": "^6.12.0", "next": "15.2.4"}}'
PKG4 = '{"dependencies": {"@clerk/nextjs": "4.29.9", "next": "13.5.6"}}'


class PagesApiWithoutAuth(EntryPointRule):
    """
    ## What it does

    Finds Pages Router API routes (`pages/api/**`, `src/pages/api/**`) whose default-exported handler
    reaches data without a `getAuth(req)` check that ends the request for signed-out callers, without
    a guarding wrapper (v4's `requireAuth`, or a project wrapper whose body guards), and without
    middleware protection: on v4/v5 `authMiddleware` protects every route it does not list as public;
    `clerkMiddleware()` protects only what its callback protects.

    ## Why is this bad?

    Clerk's own lint rule does not look at the Pages Router at all, and since v5 the middleware
    protects nothing by default: an API route without `getAuth(req)` answers anyone.

    ## Example

    ```ts title="pages/api/users.ts"
    import type { NextApiRequest, NextApiResponse } from 'next'
    import { prisma } from '../../lib/prisma'

    export default async function handler(req: NextApiRequest, res: NextApiResponse) {
      res.json(await prisma.user.findMany())
    }
    ```

    ## Use instead

    ```ts title="pages/api/users.ts"
    import type { NextApiRequest, NextApiResponse } from 'next'
    import { getAuth } from '@clerk/nextjs/server'
    import { prisma } from '../../lib/prisma'

    export default async function handler(req: NextApiRequest, res: NextApiResponse) {
      const { userId } = getAuth(req)
      if (!userId) return res.status(401).json({ error: 'Unauthorized' })
      res.json(await prisma.user.findMany({ where: { id: userId } }))
    }
    ```

    ## Known problems

    v4's `withAuth` only attaches `req.auth`; it counts only together with a check of
    `req.auth.userId` that ends the request.

    ## References

    - [Clerk: getAuth() in the Pages Router](https://clerk.com/docs/reference/nextjs/pages-router/get-auth)
    - [Clerk: clerkMiddleware() protects no route by default](https://clerk.com/docs/reference/nextjs/clerk-middleware)
    - [CWE-306: Missing Authentication for Critical Function](https://cwe.mitre.org/data/definitions/306.html)
    """

    id = "CLK103"
    slug = "pages-api-without-auth"
    name = "Pages Router API route without auth"
    level = Level.ERROR
    security_severity = 8.2
    cwe = (306, 862)
    tags = ("nextjs", "pages-router", "authentication")
    grammars = JS_FAMILY
    kinds = frozenset({PAGES_API})

    cases = (
        Case("open-and-guarded", {
            "package.json": PKG6,
            "lib/prisma.ts": "import { PrismaClient } from '@prisma/client'\nexport const prisma = new PrismaClient()\n",
            "pages/api/users.ts": "import { prisma } from '../../lib/prisma'\nexport default async function handler(req, res) { // expect: CLK103\n  res.json(await prisma.user.findMany())\n}\n",
            "pages/api/me.ts": (
                "import { getAuth } from '@clerk/nextjs/server'\nimport { prisma } from '../../lib/prisma'\n"
                "export default async function handler(req, res) {\n  const { userId } = getAuth(req)\n  if (!userId) {\n    res.status(401).end()\n    return\n  }\n"
                "  res.json(await prisma.user.findUnique({ where: { id: userId } }))\n}\n"
            ),
        }),
        Case("v4-auth-middleware-protects", {
            "package.json": PKG4,
            "middleware.ts": "import { authMiddleware } from '@clerk/nextjs'\nexport default authMiddleware({ publicRoutes: ['/'] })\nexport const config = { matcher: ['/((?!.+\\\\.[\\\\w]+$|_next).*)', '/', '/(api|trpc)(.*)'] }\n",
            "pages/api/orders.js": "import { db } from '../../lib/db'\nconst handler = async (req, res) => res.json(await db.order.findMany())\nexport default handler\n",
        }),
    )
