from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Confidence, Finding, Level
from clerk_lint.parsing import JS_FAMILY
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG = '{"dependencies": {"@clerk/clerk-react": "^5.25.0", "convex": "^1.23.0", "convex-helpers": "^0.1.80"}}'
GENERATED = "export { query, mutation, action, internalQuery, internalMutation, internalAction } from 'convex/server'\n"


class ConvexFunctionWithoutAuth(Rule):
    """
    ## What it does

    Finds public Convex functions — `query`, `mutation` and `action` from `./_generated/server`, or
    a custom builder made from one of them — that use `ctx.db`, `ctx.storage` or `ctx.run*` (directly
    or through a helper they hand `ctx` to) with no identity check first: no
    `const identity = await ctx.auth.getUserIdentity()` followed by an exit when it is null (or a
    guard helper that does that and throws). `internalQuery`, `internalMutation` and
    `internalAction` are not public and are skipped. A custom builder (`customQuery`,
    `customMutation`, `customAction` from convex-helpers, or any project builder made from a public
    one) whose functions check the identity and throw guards every function built with it. An action
    that first runs an internal query or mutation which checks the identity and throws
    (`await ctx.runQuery(internal.teams.assertMember, { teamId })`, also through
    `makeFunctionReference("teams:assertMember")`) is guarded from that call on.

    ## Why is this bad?

    Every public Convex function can be called by name by any client with the deployment URL, with
    any arguments — the React hooks in the app are not the only callers. `ConvexProviderWithClerk`
    only attaches the Clerk token; nothing rejects a caller without one unless the function checks
    `ctx.auth.getUserIdentity()` itself. A mutation without that check lets anyone change data.

    ## Example

    ```ts title="convex/notes.ts"
    import { v } from 'convex/values'
    import { mutation } from './_generated/server'

    export const remove = mutation({
      args: { id: v.id('notes') },
      handler: async (ctx, { id }) => {
        await ctx.db.delete(id)
      },
    })
    ```

    ## Use instead

    ```ts title="convex/notes.ts"
    import { v } from 'convex/values'
    import { mutation } from './_generated/server'

    export const remove = mutation({
      args: { id: v.id('notes') },
      handler: async (ctx, { id }) => {
        const identity = await ctx.auth.getUserIdentity()
        if (!identity) throw new Error('Unauthenticated')
        const note = await ctx.db.get(id)
        if (!note || note.userId !== identity.subject) throw new Error('Not found')
        await ctx.db.delete(id)
      },
    })
    ```

    ## Known problems

    Queries meant for anonymous visitors (a public feed) are reported when they read the database;
    they are reported as warnings with medium confidence, and can be suppressed with a reason.
    Mutations and actions are errors. An identity that is dereferenced without `?.`
    (`identity.subject`) before the data is reached counts as a check, since it throws for a
    signed-out caller. The app must authenticate with Clerk (a `@clerk/*` dependency, or
    `convex/auth.config.*` naming Clerk); Convex apps that use another provider are skipped.
    HTTP actions are left to the webhook rules.

    ## References

    - [Convex: authentication in functions](https://docs.convex.dev/auth/functions-auth)
    - [Convex: internal functions](https://docs.convex.dev/functions/internal-functions)
    - [Clerk: Convex integration](https://clerk.com/docs/guides/development/integrations/databases/convex)
    - [convex-helpers: custom functions](https://stack.convex.dev/custom-functions)
    - [CWE-306: Missing Authentication for Critical Function](https://cwe.mitre.org/data/definitions/306.html)
    """

    id = "CLK106"
    slug = "convex-function-without-auth"
    name = "Public Convex function without an identity check"
    level = Level.ERROR
    security_severity = 8.2
    cwe = (306, 862)
    tags = ("convex", "authentication")
    grammars = JS_FAMILY
    version_gates = "error for mutations and actions; warning (medium confidence) for queries"

    cases = (
        Case("public-internal-guarded", {
            "package.json": PKG,
            "convex/_generated/server.js": GENERATED,
            "convex/notes.ts": (
                "import { v } from 'convex/values'\nimport { query, mutation, internalMutation } from './_generated/server'\n\n"
                "export const list = query({ // expect: CLK106\n  args: {},\n  handler: async (ctx) => ctx.db.query('notes').collect(),\n})\n\n"
                "export const create = mutation({\n  args: { text: v.string() },\n  handler: async (ctx, { text }) => {\n"
                "    const identity = await ctx.auth.getUserIdentity()\n    if (identity === null) throw new Error('Unauthenticated')\n"
                "    await ctx.db.insert('notes', { text, userId: identity.subject })\n  },\n})\n\n"
                "export const purge = internalMutation({\n  args: {},\n  handler: async (ctx) => {\n    for (const n of await ctx.db.query('notes').collect()) await ctx.db.delete(n._id)\n  },\n})\n\n"
                "export const touch = mutation({ // expect: CLK106\n  args: { id: v.id('notes') },\n  handler: async (ctx, { id }) => {\n"
                "    await ctx.db.patch(id, { touchedAt: Date.now() })\n    const identity = await ctx.auth.getUserIdentity()\n"
                "    if (!identity) throw new Error('Unauthenticated')\n  },\n})\n"
            ),
        }),
        Case("custom-builder", {
            "package.json": PKG,
            "convex/_generated/server.js": GENERATED,
            "convex/lib/auth.ts": (
                "import { customMutation, customCtx } from 'convex-helpers/server/customFunctions'\n"
                "import { mutation } from '../_generated/server'\n\n"
                "export const authedMutation = customMutation(mutation, customCtx(async (ctx) => {\n"
                "  const identity = await ctx.auth.getUserIdentity()\n  if (!identity) throw new Error('Unauthenticated')\n"
                "  return { userId: identity.subject }\n}))\n\n"
                "export const loggedMutation = customMutation(mutation, customCtx(async (ctx) => {\n"
                "  console.log('mutation')\n  return {}\n}))\n"
            ),
            "convex/tasks.ts": (
                "import { v } from 'convex/values'\nimport { authedMutation, loggedMutation } from './lib/auth'\n\n"
                "export const add = authedMutation({\n  args: { text: v.string() },\n"
                "  handler: async (ctx, { text }) => {\n    await ctx.db.insert('tasks', { text, userId: ctx.userId })\n  },\n})\n\n"
                "export const clear = loggedMutation({ // expect: CLK106\n  args: {},\n"
                "  handler: async (ctx) => {\n    for (const t of await ctx.db.query('tasks').collect()) await ctx.db.delete(t._id)\n  },\n})\n"
            ),
        }),
        Case("helper-guard-and-other-provider", {
            "package.json": PKG,
            "convex/_generated/server.js": GENERATED,
            "convex/users.ts": (
                "import { QueryCtx } from './_generated/server'\n\n"
                "export async function getCurrentUserOrThrow(ctx: QueryCtx) {\n  const identity = await ctx.auth.getUserIdentity()\n"
                "  if (!identity) throw new Error('Unauthenticated')\n"
                "  return await ctx.db.query('users').withIndex('by_token', (q) => q.eq('tokenIdentifier', identity.tokenIdentifier)).unique()\n}\n"
            ),
            "convex/messages.ts": (
                "import { v } from 'convex/values'\nimport { mutation } from './_generated/server'\nimport { getCurrentUserOrThrow } from './users'\n\n"
                "export const send = mutation({\n  args: { body: v.string() },\n  handler: async (ctx, { body }) => {\n"
                "    const user = await getCurrentUserOrThrow(ctx)\n    await ctx.db.insert('messages', { body, author: user!._id })\n  },\n})\n"
            ),
            "other/package.json": '{"dependencies": {"convex": "^1.23.0", "@convex-dev/auth": "^0.0.80"}}',
            "other/convex/_generated/server.js": GENERATED,
            "other/convex/posts.ts": (
                "import { mutation } from './_generated/server'\n\n"
                "export const wipe = mutation({\n  args: {},\n  handler: async (ctx) => {\n    for (const p of await ctx.db.query('posts').collect()) await ctx.db.delete(p._id)\n  },\n})\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if b"convex" not in file.data and "convex" not in file.rel:
            return
        convex = project.convex
        functions = convex.functions(file)
        if not functions or not convex.uses_clerk(file):
            return
        for function in functions:
            if not function.builder.public or function.builder.kind == "httpAction" or function.handler_file is not file:
                continue
            exposed, guard = convex.unguarded(function)
            if not exposed:
                continue
            labels = ", ".join(list(dict.fromkeys(use.label for use in exposed))[:3])
            if guard is not None:
                message = f"{function.label} reaches {labels} before its identity check ({guard.how}); check first"
            else:
                message = f"{function.label} reaches {labels} with no `await ctx.auth.getUserIdentity()` check: any client can call it"
            related = [function.handler_file.node_location(exposed[0].node, "reached without an identity check")]
            if function.builder.where is not None:
                related.append(function.builder.where)
            level, confidence = None, None
            if function.builder.kind == "query":
                level, confidence = Level.WARNING, Confidence.MEDIUM
            yield self.finding((file, function.node), message, level=level, confidence=confidence, related=related)
