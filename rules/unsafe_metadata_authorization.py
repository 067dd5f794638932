from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, PYTHON
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

PKG = '{"dependencies": {"@clerk/nextjs": "^6.12.0", "next": "15.2.4"}}'


class UnsafeMetadataAuthorization(Rule):
    """
    ## What it does

    Finds authorization decisions made on a role-like key of `unsafeMetadata` — `role`, `roles`,
    `isAdmin`, `permissions`, `plan`, `tier`, `subscription`, `credits`, `access`, `staff` and similar —
    read directly (`user.unsafeMetadata.role === 'admin'`), through a fallback
    (`publicMetadata.role || unsafeMetadata.role`) or through a variable
    (`const { role } = user.unsafeMetadata`) and reaching a comparison, an `includes()`, an `if`, a
    ternary or a `switch`. Server code is an error; client components are a warning (they are
    client-side checks as well).

    ## Why is this bad?

    `unsafeMetadata` is the one metadata the signed-in user can write from the browser
    (`user.update({ unsafeMetadata })`, or `unsafeMetadata` passed to `<SignUp>`). Clerk calls it
    unsafe for that reason. A role stored there is a role anyone can give themselves.

    ## Example

    ```tsx title="app/admin/layout.tsx"
    import { currentUser } from '@clerk/nextjs/server'
    import { redirect } from 'next/navigation'

    export default async function AdminLayout({ children }: { children: React.ReactNode }) {
      const user = await currentUser()
      if (user?.unsafeMetadata.role !== 'admin') redirect('/')
      return <>{children}</>
    }
    ```

    ## Use instead

    ```tsx title="app/admin/layout.tsx"
    import { auth } from '@clerk/nextjs/server'
    import { redirect } from 'next/navigation'

    export default async function AdminLayout({ children }: { children: React.ReactNode }) {
      const { has } = await auth()
      if (!has({ role: 'org:admin' })) redirect('/')
      return <>{children}</>
    }
    ```

    ## Known problems

    Keys that only steer the interface (`onboardingComplete`, `theme`, `locale`) are not reported,
    which also means an authorization decision on a key with an unusual name is missed. A session
    token template that copies `{{user.unsafe_metadata}}` into custom claims is configured in the
    Clerk Dashboard and cannot be seen in code.

    ## References

    - [Clerk: user metadata — unsafe metadata](https://clerk.com/docs/guides/users/extending#unsafe-metadata)
    - [Clerk: basic role-based access control with metadata](https://clerk.com/docs/guides/secure/basic-rbac)
    - [CWE-639: Authorization Bypass Through User-Controlled Key](https://cwe.mitre.org/data/definitions/639.html)
    - [CWE-269: Improper Privilege Management](https://cwe.mitre.org/data/definitions/269.html)
    """

    id = "CLK303"
    slug = "unsafe-metadata-authorization"
    name = "Authorization decided on unsafeMetadata"
    level = Level.ERROR
    security_severity = 8.4
    cwe = (639, 269)
    tags = ("authorization", "metadata")
    grammars = JS_FAMILY | frozenset({PYTHON})
    version_gates = "error in server code, warning in client components"

    cases = (
        Case("server-and-client", {
            "package.json": PKG,
            "app/api/admin/route.ts": (
                "import { currentUser } from '@clerk/nextjs/server'\n\n"
                "export async function GET() {\n  const user = await currentUser()\n"
                "  const role = user?.publicMetadata.role || user?.unsafeMetadata.role // expect: CLK303\n"
                "  if (role !== 'admin') return new Response(null, { status: 403 })\n"
                "  return Response.json({ ok: true })\n}\n"
            ),
            "components/role-gate.tsx": (
                "'use client'\nimport { useUser } from '@clerk/nextjs'\n\n"
                "export function RoleGate({ children }: { children: React.ReactNode }) {\n  const { user } = useUser()\n"
                "  const { roles } = user?.unsafeMetadata ?? {}\n"
                "  return (roles as string[] | undefined)?.includes('editor') ? <>{children}</> : null // expect: CLK303\n}\n"
            ),
        }),
        Case("ux-flags-and-public-metadata", {
            "package.json": PKG,
            "app/onboarding/layout.tsx": (
                "import { currentUser } from '@clerk/nextjs/server'\nimport { redirect } from 'next/navigation'\n\n"
                "export default async function Layout({ children }: { children: React.ReactNode }) {\n  const user = await currentUser()\n"
                "  if (user?.unsafeMetadata.onboardingComplete) redirect('/dashboard')\n"
                "  if (user?.publicMetadata.role !== 'admin') redirect('/')\n"
                "  return <>{children}</>\n}\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        for issue in project.authz.issues(file, self.id):
            yield self.finding((issue.file, issue.node), issue.message, level=issue.level, confidence=issue.confidence, related=issue.related)
