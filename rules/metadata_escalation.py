from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, PYTHON
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG = '{"dependencies": {"@clerk/nextjs": "^6.12.0", "next": "15.2.4"}}'


class MetadataEscalation(Rule):
    """
    ## What it does

    Finds server entry points that write a user's or organization's `publicMetadata` or
    `privateMetadata` (`users.updateUserMetadata`, `users.updateUser`,
    `organizations.updateOrganizationMetadata`) with a role-like key taken from the request
    (`{ publicMetadata: { role: formData.get('role') } }`), with the whole metadata object from the
    request (`{ publicMetadata: body.metadata }`, `{ ...body }`), or copied from `unsafeMetadata`,
    when the entry point checks no role or permission first.

    ## Why is this bad?

    `publicMetadata` and `privateMetadata` can only be written by the backend, which is why apps
    trust them for roles and plans. A server endpoint that copies the value from the request gives
    that power back to the caller: anyone signed in can call it (a Server Action is a public
    endpoint) with `role: 'admin'` and promote themselves.

    ## Example

    ```ts title="app/onboarding/actions.ts"
    'use server'
    import { auth, clerkClient } from '@clerk/nextjs/server'

    export async function completeOnboarding(formData: FormData) {
      const { userId } = await auth.protect()
      const client = await clerkClient()
      await client.users.updateUserMetadata(userId, {
        publicMetadata: { onboardingComplete: true, role: formData.get('role') },
      })
    }
    ```

    ## Use instead

    ```ts title="app/onboarding/actions.ts"
    'use server'
    import { auth, clerkClient } from '@clerk/nextjs/server'

    export async function completeOnboarding(formData: FormData) {
      const { userId } = await auth.protect()
      const client = await clerkClient()
      await client.users.updateUserMetadata(userId, {
        publicMetadata: { onboardingComplete: true, applicationName: formData.get('applicationName') },
      })
    }
    ```

    ## Known problems

    Only role-like keys (`role`, `roles`, `isAdmin`, `permissions`, `plan`, `tier`, `subscription`,
    `credits`, `access`, `staff`...) are judged when the object is spelled out; user-chosen profile
    fields such as an application name are fine. Entry points with any role or permission check are
    skipped (Clerk's own RBAC example sets roles after checking that the caller is an admin), even
    when that check would not actually stop a non-admin.

    ## References

    - [Clerk: user metadata](https://clerk.com/docs/guides/users/extending)
    - [Clerk: basic RBAC — set roles only from an admin check](https://clerk.com/docs/guides/secure/basic-rbac)
    - [CWE-269: Improper Privilege Management](https://cwe.mitre.org/data/definitions/269.html)
    - [CWE-915: Improperly Controlled Modification of Dynamically-Determined Object Attributes](https://cwe.mitre.org/data/definitions/915.html)
    """

    id = "CLK305"
    slug = "metadata-escalation"
    name = "Privileged metadata written from request input"
    level = Level.ERROR
    security_severity = 8.8
    cwe = (269, 915)
    tags = ("authorization", "metadata")
    grammars = JS_FAMILY | frozenset({PYTHON})

    cases = (
        Case("route-wholesale-and-role", {
            "package.json": PKG,
            "app/api/profile/route.ts": (
                "import { auth, clerkClient } from '@clerk/nextjs/server'\n\n"
                "export async function POST(req: Request) {\n  const { userId } = await auth.protect()\n  const body = await req.json()\n"
                "  await (await clerkClient()).users.updateUserMetadata(userId, { publicMetadata: body.metadata }) // expect: CLK305\n"
                "  return new Response(null, { status: 204 })\n}\n\n"
                "export async function PUT(req: Request) {\n  const { userId } = await auth.protect()\n  const { plan } = await req.json()\n"
                "  const client = await clerkClient()\n"
                "  await client.users.updateUser(userId, { privateMetadata: { plan } }) // expect: CLK305\n"
                "  return new Response(null, { status: 204 })\n}\n"
            ),
        }),
        Case("admin-sets-role", {
            "package.json": PKG,
            "app/admin/actions.ts": (
                "'use server'\nimport { auth, clerkClient } from '@clerk/nextjs/server'\n\n"
                "export async function setRole(formData: FormData) {\n  const { sessionClaims } = await auth()\n"
                "  if (sessionClaims?.metadata?.role !== 'admin') throw new Error('Not authorized')\n"
                "  const client = await clerkClient()\n"
                "  await client.users.updateUserMetadata(formData.get('id') as string, { publicMetadata: { role: formData.get('role') } })\n}\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        for issue in project.authz.issues(file, self.id):
            yield self.finding((issue.file, issue.node), issue.message, level=issue.level, confidence=issue.confidence, related=issue.related)
