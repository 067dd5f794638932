"""Generate a synthetic but realistic Next.js + Python monorepo for benchmarking clerk-lint.

    python bench/make_tree.py /tmp/big                  # about 3,000 files
    python bench/make_tree.py /tmp/huge --files 20000   # bigger
    python bench/make_tree.py /tmp/big --seed 7         # another (still deterministic) tree

The tree is a Turborepo-style monorepo: several Next.js apps (App Router, one Pages Router), each with
route handlers, Server Actions, pages, layouts, components, lib helpers, a middleware, a
package.json and a few .env files; shared packages; FastAPI services with requirements files; and a
`node_modules/` that a scan must skip. File sizes and shapes follow what real apps look like (a few
hundred bytes to ~15 KB, mostly 1-4 KB). The same seed and size always give byte-identical files.
Nothing in it is a real secret: the one live-looking key is fake and exists so a scan has something
to report.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

WORDS = (
    "account billing invoice project team member invite report order product cart checkout review "
    "comment post feed message thread channel workspace setting profile session audit download "
    "upload asset webhook event metric dashboard plan subscription coupon ticket task note tag label"
).split()
FIELDS = ("id", "name", "title", "email", "status", "createdAt", "updatedAt", "ownerId", "orgId", "amount", "slug", "count")
NEXT_VERSIONS = ("^14.2.15", "^15.1.6", "15.3.2", "^16.0.1")
CLERK_VERSIONS = ("^5.7.5", "^6.9.0", "6.21.1", "^6.33.3", "^7.0.1")
FAKE_LIVE_KEY = "sk_live_" + "Zq8Lw3Nf7Tb2Hx6Kc1Vp9Rm4Yd5Gs0Ju"  # fake: shaped like a key, random letters


class Gen:
    def __init__(self, root: Path, seed: int):
        self.root = root
        self.rng = random.Random(seed)
        self.count = 0
        self.bytes = 0

    # -- output ----------------------------------------------------------------------------------

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        self.count += 1
        self.bytes += len(data)

    # -- vocabulary ------------------------------------------------------------------------------

    def word(self) -> str:
        return self.rng.choice(WORDS)

    def pascal(self, *parts: str) -> str:
        return "".join(p[:1].upper() + p[1:] for p in parts)

    def camel(self, *parts: str) -> str:
        name = self.pascal(*parts)
        return name[:1].lower() + name[1:]

    # -- building blocks (TypeScript) -------------------------------------------------------------

    def ts_type(self, name: str) -> str:
        fields = self.rng.sample(FIELDS, self.rng.randint(3, 8))
        kinds = {"amount": "number", "count": "number", "createdAt": "Date", "updatedAt": "Date"}
        body = "\n".join(f"  {f}{'?' if self.rng.random() < 0.2 else ''}: {kinds.get(f, 'string')}" for f in fields)
        return f"export interface {name} {{\n{body}\n}}\n"

    def ts_helper(self, noun: str) -> str:
        fn = self.camel(self.rng.choice(("format", "normalize", "group", "sort", "filter", "summarize")), noun) + "s"
        kind = self.pascal(noun)
        key = self.rng.choice(FIELDS)
        n = self.rng.randint(2, 6)
        bodies = ("item", "({ ...item, " + key + ": String(item." + key + " ?? '').trim() })", "item." + key + " !== undefined")
        steps = "\n".join(f"    .{self.rng.choice(('filter', 'map'))}((item) => {self.rng.choice(bodies)})" for _ in range(n))
        return (
            f"export function {fn}(items: {kind}[], options: {{ limit?: number; query?: string }} = {{}}): {kind}[] {{\n"
            f"  const limit = options.limit ?? {self.rng.choice((10, 20, 50, 100))}\n"
            f"  const query = (options.query ?? '').toLowerCase()\n"
            f"  if (!items.length) return []\n"
            f"  return items\n{steps}\n"
            f"    .filter((item) => !query || JSON.stringify(item).toLowerCase().includes(query))\n"
            f"    .slice(0, limit)\n"
            f"}}\n"
        )

    def ts_db_call(self, noun: str, op: str = "findMany") -> str:
        where = self.rng.choice(("{ ownerId: userId }", "{ orgId }", "{ id: params.id, ownerId: userId }", "{ status: 'active' }"))
        return f"await db.{noun}.{op}({{ where: {where}, take: {self.rng.choice((10, 25, 50))} }})"

    def jsx_tree(self, depth: int = 0) -> str:
        pad = "  " * (depth + 3)
        tag = self.rng.choice(("div", "section", "ul", "article", "header", "main"))
        if depth >= self.rng.randint(1, 3):
            leaf = self.rng.choice((
                f"<p className=\"text-sm text-muted-foreground\">{{{self.camel(self.word())}.{self.rng.choice(FIELDS)}}}</p>",
                f"<Button variant=\"outline\" onClick={{() => set{self.pascal(self.word())}(true)}}>{self.pascal(self.word())}</Button>",
                f"<Link href=\"/{self.word()}s/{{id}}\">{self.pascal(self.word())}</Link>",
                "<span>{t('" + self.word() + "." + self.word() + "')}</span>",
            ))
            return pad + leaf
        children = "\n".join(self.jsx_tree(depth + 1) for _ in range(self.rng.randint(1, 4)))
        cls = " ".join(self.rng.sample(("flex", "grid", "gap-4", "p-6", "rounded-lg", "border", "items-center", "space-y-2"), 3))
        return f"{pad}<{tag} className=\"{cls}\">\n{children}\n{pad}</{tag}>"

    def padding_functions(self, noun: str, target: int) -> str:
        """More helpers until the module is about ``target`` bytes: what makes real files long."""
        out = []
        size = 0
        while size < target:
            chunk = self.ts_helper(noun) if self.rng.random() < 0.7 else self.ts_type(self.pascal(noun, self.word(), "Input"))
            out.append(chunk)
            size += len(chunk)
        return "\n".join(out)

    def size(self) -> int:
        """A file's extra bytes: log-normal-ish, most small, a few large."""
        return min(int(self.rng.lognormvariate(7.0, 0.9)), 14000)

    # -- files -----------------------------------------------------------------------------------

    def route_handler(self, noun: str, guarded: bool, dynamic: bool) -> str:
        kind = self.pascal(noun)
        params = ", { params }: { params: Promise<{ id: string }> }" if dynamic else ""
        resolve = "  const { id } = await params\n" if dynamic else ""
        guard = (
            "  const { userId, orgId } = await auth()\n  if (!userId) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 })\n"
            if guarded
            else "  const orgId = req.headers.get('x-org-id')\n"
        )
        methods = []
        for method in self.rng.sample(("GET", "POST", "PATCH", "DELETE"), self.rng.randint(1, 3)):
            body = "  const body = await req.json()\n  const parsed = schema.safeParse(body)\n  if (!parsed.success) return NextResponse.json(parsed.error, { status: 400 })\n" if method in ("POST", "PATCH") else ""
            methods.append(
                f"export async function {method}(req: NextRequest{params}) {{\n{guard}{resolve}{body}"
                f"  const userId_ = {'userId' if guarded else 'null'}\n"
                f"  const rows = {self.ts_db_call(noun)}\n"
                f"  return NextResponse.json({{ data: rows, orgId, by: userId_ }})\n}}\n"
            )
        imports = "import { NextRequest, NextResponse } from 'next/server'\n"
        if guarded:
            imports += "import { auth } from '@clerk/nextjs/server'\n"
        imports += f"import {{ z }} from 'zod'\nimport {{ db }} from '@/lib/db'\nimport type {{ {kind} }} from '@/lib/types'\n"
        schema = f"const schema = z.object({{ {', '.join(f'{f}: z.string()' for f in self.rng.sample(FIELDS, 3))} }})\n"
        return imports + "\n" + schema + "\n" + "\n".join(methods) + "\n" + self.padding_functions(noun, self.size() // 2)

    def webhook_route(self) -> str:
        return (
            "import { verifyWebhook } from '@clerk/nextjs/webhooks'\nimport { NextRequest } from 'next/server'\nimport { db } from '@/lib/db'\n\n"
            "export async function POST(req: NextRequest) {\n  try {\n    const evt = await verifyWebhook(req)\n"
            "    if (evt.type === 'user.created') {\n      await db.user.create({ data: { id: evt.data.id, email: evt.data.email_addresses[0]?.email_address } })\n    }\n"
            "    if (evt.type === 'user.deleted') {\n      await db.user.delete({ where: { id: evt.data.id } })\n    }\n"
            "    return new Response('ok')\n  } catch (err) {\n    console.error('webhook verification failed', err)\n    return new Response('bad signature', { status: 400 })\n  }\n}\n"
        )

    def server_actions(self, noun: str) -> str:
        kind = self.pascal(noun)
        fns = []
        for verb in self.rng.sample(("create", "update", "delete", "archive", "rename", "invite"), self.rng.randint(1, 4)):
            guarded = self.rng.random() < 0.85
            guard = "  const { userId } = await auth()\n  if (!userId) throw new Error('Not signed in')\n" if guarded else "  const userId = formData.get('userId') as string\n"
            fns.append(
                f"export async function {verb}{kind}(formData: FormData) {{\n{guard}"
                f"  const id = formData.get('id') as string\n"
                f"  await db.{noun}.{self.rng.choice(('update', 'delete', 'create', 'upsert'))}({{ where: {{ id, ownerId: userId }} }})\n"
                f"  revalidatePath('/{noun}s')\n}}\n"
            )
        return (
            "'use server'\n\nimport { auth } from '@clerk/nextjs/server'\nimport { revalidatePath } from 'next/cache'\nimport { db } from '@/lib/db'\n\n"
            + "\n".join(fns)
        )

    def page(self, noun: str) -> str:
        kind = self.pascal(noun)
        style = self.rng.random()
        if style < 0.4:
            head = "import { auth } from '@clerk/nextjs/server'\n"
            guard = "  const { userId, redirectToSignIn } = await auth()\n  if (!userId) return redirectToSignIn()\n"
        elif style < 0.7:
            head = "import { currentUser } from '@clerk/nextjs/server'\n"
            guard = "  const user = await currentUser()\n  const userId = user?.id\n"
        else:
            head = "import { auth } from '@clerk/nextjs/server'\n"
            guard = "  const { userId } = await auth.protect()\n"
        return (
            f"{head}import Link from 'next/link'\nimport {{ db }} from '@/lib/db'\nimport {{ {kind}List }} from '@/components/{noun}-list'\n\n"
            f"export const metadata = {{ title: '{kind}s' }}\n\n"
            f"export default async function {kind}Page() {{\n{guard}"
            f"  const {noun}s = {self.ts_db_call(noun)}\n"
            f"  const id = {noun}s[0]?.id\n"
            f"  return (\n    <main className=\"container mx-auto\">\n      <h1 className=\"text-2xl font-semibold\">{kind}s</h1>\n"
            f"      <{kind}List items={{{noun}s}} />\n{self.jsx_tree()}\n    </main>\n  )\n}}\n"
        )

    def layout(self, root: bool) -> str:
        if root:
            return (
                "import { ClerkProvider, SignedIn, SignedOut, SignInButton, UserButton } from '@clerk/nextjs'\nimport type { Metadata } from 'next'\nimport './globals.css'\n\n"
                "export const metadata: Metadata = { title: 'App', description: 'Generated by make_tree' }\n\n"
                "export default function RootLayout({ children }: { children: React.ReactNode }) {\n  return (\n    <ClerkProvider>\n      <html lang=\"en\">\n        <body>\n"
                "          <header className=\"flex justify-end p-4\">\n            <SignedOut><SignInButton /></SignedOut>\n            <SignedIn><UserButton /></SignedIn>\n          </header>\n"
                "          {children}\n        </body>\n      </html>\n    </ClerkProvider>\n  )\n}\n"
            )
        return "export default function Layout({ children }: { children: React.ReactNode }) {\n  return <section className=\"p-6\">{children}</section>\n}\n"

    def component(self, noun: str, client: bool) -> str:
        kind = self.pascal(noun)
        head = "'use client'\n\nimport { useState } from 'react'\nimport { useUser, useAuth } from '@clerk/nextjs'\n" if client else ""
        hooks = f"  const {{ user }} = useUser()\n  const {{ getToken }} = useAuth()\n  const [open, set{self.pascal(self.word())}] = useState(false)\n" if client else ""
        return (
            f"{head}import {{ Button }} from '@acme/ui/button'\nimport Link from 'next/link'\nimport type {{ {kind} }} from '@/lib/types'\n\n"
            f"type Props = {{ items: {kind}[]; compact?: boolean }}\n\n"
            f"export function {kind}List({{ items, compact = false }}: Props) {{\n{hooks}"
            f"  const t = (k: string) => k\n  const id = items[0]?.id\n  const {noun} = items[0]\n"
            f"  if (!items.length) return <p className=\"text-muted\">No {noun}s yet.</p>\n"
            f"  return (\n{self.jsx_tree()}\n  )\n}}\n\n"
            + self.padding_functions(noun, self.size() // 3)
        )

    def lib(self, noun: str) -> str:
        kind = self.pascal(noun)
        return (
            f"import {{ db }} from './db'\nimport type {{ {kind} }} from './types'\n\n"
            f"export async function get{kind}s(userId: string) {{\n  return {self.ts_db_call(noun)}\n}}\n\n"
            + self.padding_functions(noun, self.size())
        )

    def middleware(self, style: str) -> str:
        if style == "legacy":
            return "import { authMiddleware } from '@clerk/nextjs/server'\n\nexport default authMiddleware({ publicRoutes: ['/', '/api/webhooks(.*)'] })\n\nexport const config = { matcher: ['/((?!.+\\\\.[\\\\w]+$|_next).*)', '/', '/(api|trpc)(.*)'] }\n"
        return (
            "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'\n\n"
            "const isPublicRoute = createRouteMatcher(['/', '/sign-in(.*)', '/sign-up(.*)', '/api/webhooks(.*)'])\n\n"
            "export default clerkMiddleware(async (auth, req) => {\n  if (!isPublicRoute(req)) {\n    await auth.protect()\n  }\n})\n\n"
            "export const config = {\n  matcher: [\n    '/((?!_next|[^?]*\\\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)',\n    '/(api|trpc)(.*)',\n  ],\n}\n"
        )

    def package_json(self, name: str, clerk: str | None, next_version: str | None) -> str:
        deps = {"react": "^19.0.0", "react-dom": "^19.0.0", "zod": "^3.23.8", "@acme/ui": "workspace:*"}
        if next_version:
            deps["next"] = next_version
        if clerk:
            deps["@clerk/nextjs"] = clerk
        doc = {
            "name": name,
            "version": "0.1.0",
            "private": True,
            "scripts": {"dev": "next dev --turbopack", "build": "next build", "start": "next start", "lint": "next lint"},
            "dependencies": dict(sorted(deps.items())),
            "devDependencies": {"typescript": "^5.6.3", "@types/node": "^22.9.0", "eslint": "^9.14.0"},
        }
        return json.dumps(doc, indent=2) + "\n"

    def fastapi(self, noun: str) -> str:
        kind = self.pascal(noun)
        funcs = []
        for verb, method in self.rng.sample((("list", "get"), ("create", "post"), ("update", "patch"), ("delete", "delete")), self.rng.randint(1, 4)):
            funcs.append(
                f"@router.{method}(\"/{noun}s\")\nasync def {verb}_{noun}(request: Request, user=Depends(require_user)) -> dict:\n"
                f"    rows = await db.fetch_all(\"select * from {noun} where owner_id = :uid\", {{\"uid\": user[\"sub\"]}})\n"
                f"    return {{\"data\": [dict(r) for r in rows], \"count\": len(rows)}}\n"
            )
        helpers = "\n\n".join(
            f"def {self.rng.choice(('format', 'clean', 'group'))}_{self.word()}(items: list[dict], limit: int = {self.rng.choice((10, 50))}) -> list[dict]:\n"
            f"    out = []\n    for item in items[:limit]:\n        if item.get(\"{self.rng.choice(FIELDS)}\") is None:\n            continue\n        out.append({{k: v for k, v in item.items() if not k.startswith(\"_\")}})\n    return out\n"
            for _ in range(self.rng.randint(1, 6))
        )
        return (
            "import os\n\nfrom clerk_backend_api import Clerk\nfrom clerk_backend_api.security.types import AuthenticateRequestOptions\n"
            "from fastapi import APIRouter, Depends, HTTPException, Request\n\nfrom .db import db\n\n"
            f"router = APIRouter(prefix=\"/{noun}s\", tags=[\"{kind}\"])\nclerk = Clerk(bearer_auth=os.environ[\"CLERK_SECRET_KEY\"])\n\n\n"
            "async def require_user(request: Request) -> dict:\n    state = clerk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=[\"https://example.com\"]))\n"
            "    if not state.is_signed_in:\n        raise HTTPException(status_code=401)\n    return state.payload\n\n\n"
            + "\n\n".join(funcs) + "\n\n" + helpers + "\n"
        )

    # -- the tree ---------------------------------------------------------------------------------

    def app(self, name: str, budget: int, pages_router: bool, leaky: bool) -> None:
        base = f"apps/{name}"
        clerk = self.rng.choice(CLERK_VERSIONS)
        self.write(f"{base}/package.json", self.package_json(f"@acme/{name}", clerk, self.rng.choice(NEXT_VERSIONS)))
        self.write(f"{base}/middleware.ts", self.middleware("legacy" if clerk.startswith("^5") else "modern"))
        self.write(f"{base}/.env.example", "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_your_key_here\nCLERK_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nDATABASE_URL=postgres://localhost/app\n")
        if leaky:
            self.write(f"{base}/.env.production", f"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_Y2xlcmsuYWNtZS5jb20k\nCLERK_SECRET_KEY={FAKE_LIVE_KEY}\n")
        self.write(f"{base}/next.config.ts", "import type { NextConfig } from 'next'\n\nconst nextConfig: NextConfig = { reactStrictMode: true, experimental: { typedRoutes: true } }\n\nexport default nextConfig\n")
        self.write(f"{base}/lib/db.ts", "import { PrismaClient } from '@prisma/client'\n\nexport const db = new PrismaClient()\n")
        self.write(f"{base}/lib/types.ts", "\n".join(self.ts_type(self.pascal(w)) for w in WORDS))
        if pages_router:
            self.write(f"{base}/pages/_app.tsx", "import { ClerkProvider } from '@clerk/nextjs'\nimport type { AppProps } from 'next/app'\n\nexport default function App({ Component, pageProps }: AppProps) {\n  return (\n    <ClerkProvider {...pageProps}>\n      <Component {...pageProps} />\n    </ClerkProvider>\n  )\n}\n")
        else:
            self.write(f"{base}/app/layout.tsx", self.layout(True))
            self.write(f"{base}/app/api/webhooks/clerk/route.ts", self.webhook_route())
        start = self.count
        n = 0
        while self.count - start < budget:
            n += 1
            noun = self.word()
            seg = f"{noun}s-{n}"
            roll = self.rng.random()
            if pages_router:
                if roll < 0.4:
                    self.write(f"{base}/pages/api/{seg}/index.ts", self.route_handler(noun, self.rng.random() < 0.8, False).replace("NextRequest", "Request"))
                elif roll < 0.7:
                    self.write(f"{base}/pages/{seg}/index.tsx", self.component(noun, True))
                else:
                    self.write(f"{base}/lib/{noun}-{n}.ts", self.lib(noun))
                continue
            if roll < 0.22:
                dynamic = self.rng.random() < 0.4
                path = f"{base}/app/api/{seg}/[id]/route.ts" if dynamic else f"{base}/app/api/{seg}/route.ts"
                self.write(path, self.route_handler(noun, self.rng.random() < 0.85, dynamic))
            elif roll < 0.37:
                self.write(f"{base}/app/(dashboard)/{seg}/page.tsx", self.page(noun))
                if self.rng.random() < 0.5:
                    self.write(f"{base}/app/(dashboard)/{seg}/actions.ts", self.server_actions(noun))
                if self.rng.random() < 0.2:
                    self.write(f"{base}/app/(dashboard)/{seg}/layout.tsx", self.layout(False))
            elif roll < 0.7:
                self.write(f"{base}/components/{noun}-{n}.tsx", self.component(noun, self.rng.random() < 0.6))
            else:
                self.write(f"{base}/lib/{noun}-{n}.ts", self.lib(noun))

    def service(self, name: str, budget: int) -> None:
        base = f"services/{name}"
        self.write(f"{base}/requirements.txt", "fastapi==0.115.4\nuvicorn[standard]==0.32.0\nclerk-backend-api==1.8.0\ndatabases[asyncpg]==0.9.0\n")
        self.write(f"{base}/app/__init__.py", "")
        self.write(f"{base}/app/db.py", "import os\n\nfrom databases import Database\n\ndb = Database(os.environ[\"DATABASE_URL\"])\n")
        self.write(f"{base}/app/main.py", "from fastapi import FastAPI\n\nfrom .routers import *  # noqa: F403\n\napp = FastAPI(title=\"" + name + "\")\n")
        for n in range(budget):
            noun = self.word()
            self.write(f"{base}/app/routers/{noun}_{n}.py", self.fastapi(noun))

    def node_modules(self, budget: int) -> None:
        """What a scan must not read: dependencies (minified and not)."""
        for n in range(budget):
            pkg = f"node_modules/{self.word()}-{n}"
            self.write(f"{pkg}/package.json", json.dumps({"name": f"{self.word()}-{n}", "version": "1.0.0", "main": "index.js"}) + "\n")
            self.write(f"{pkg}/index.js", "'use strict';\n" + "module.exports=function(e){return e&&e.__esModule?e:{default:e}};" * self.rng.randint(5, 200) + "\n")


def generate(root: Path, files: int, seed: int) -> Gen:
    gen = Gen(root, seed)
    gen.write(".gitignore", "node_modules/\n.next/\n.env*.local\n.turbo/\ndist/\n__pycache__/\n")
    gen.write("package.json", json.dumps({"name": "acme", "private": True, "workspaces": ["apps/*", "packages/*"], "devDependencies": {"turbo": "^2.3.0"}}, indent=2) + "\n")
    gen.write("turbo.json", '{ "tasks": { "build": { "dependsOn": ["^build"] } } }\n')
    gen.write("apps/web/.env.local", f"CLERK_SECRET_KEY={FAKE_LIVE_KEY}\n")  # gitignored: not scanned
    # shares of the budget: apps 78%, shared ui 7%, python 10%, node_modules 5% (skipped by the scan)
    apps = max(2, files // 600)
    per_app = int(files * 0.78) // apps
    for index in range(apps):
        name = ("web", "admin", "marketing", "docs", "portal", "studio", "console", "shop")[index % 8] + (str(index // 8) if index >= 8 else "")
        gen.app(name, per_app, pages_router=index == 1, leaky=index == 0)
    ui = max(5, int(files * 0.07))
    gen.write("packages/ui/package.json", gen.package_json("@acme/ui", None, None))
    for n in range(ui):
        gen.write(f"packages/ui/src/{gen.word()}-{n}.tsx", gen.component(gen.word(), gen.rng.random() < 0.5))
    services = max(1, files // 1500)
    for n in range(services):
        gen.service(f"api{n}" if n else "api", max(5, int(files * 0.10) // services))
    gen.node_modules(max(5, int(files * 0.05) // 2))
    return gen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="directory to create (must be empty or absent, or use --force)")
    parser.add_argument("--files", type=int, default=3000, help="about how many files (default 3000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--force", action="store_true", help="delete TARGET first if it exists")
    args = parser.parse_args(argv)
    if args.target.exists() and any(args.target.iterdir()):
        if not args.force:
            parser.error(f"{args.target} is not empty (use --force to replace it)")
        shutil.rmtree(args.target)
    gen = generate(args.target, args.files, args.seed)
    print(f"{args.target}: {gen.count:,} files, {gen.bytes / 1e6:.1f} MB (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
