from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JSX_GRAMMARS, captures
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

REMOVED = frozenset({"SignedIn", "SignedOut", "Protect"})
#: packages whose Core 3 release removed the control components: the first Core 3 major
#: (0: the package exists only as Core 3). Others (@clerk/react-router, @clerk/astro, @clerk/vue, ...)
#: are not judged until their Core 3 majors are recorded here.
CORE3 = {"@clerk/nextjs": 7, "@clerk/react": 0, "@clerk/expo": 0, "@clerk/nuxt": 2}
ELEMENT_QUERY = """
[
  (jsx_opening_element name: (_) @name)
  (jsx_self_closing_element name: (_) @name)
] @element
"""
REPLACEMENT = {
    "SignedIn": '<Show when="signed-in">',
    "SignedOut": '<Show when="signed-out">',
    "Protect": "<Show when={{ role | permission | feature | plan }}> (and a server-side check)",
}


class RemovedControlComponents(Rule):
    """
    ## What it does

    Finds `<SignedIn>`, `<SignedOut>` and `<Protect>` rendered in apps on Clerk Core 3: `@clerk/nextjs`
    7 and later, `@clerk/react`, `@clerk/expo` and `@clerk/nuxt` 2+. The components are matched through
    their imports (aliases and namespace imports such as `<Clerk.SignedIn>` included), so a local
    component of the same name is left alone.

    ## Why is this bad?

    Core 3 replaced the three control components with `<Show when=...>`. `@clerk/nextjs` 7 still exports
    them — typed so that the build passes — but they throw when rendered ("Clerk: <SignedIn> is not
    available in @clerk/nextjs Core 3"): the page answers 500 at run time, often only once it is
    deployed.

    ## Example

    ```tsx title="app/layout.tsx"
    import { ClerkProvider, SignedIn, SignedOut, SignInButton, UserButton } from '@clerk/nextjs'

    export default function RootLayout({ children }: { children: React.ReactNode }) {
      return (
        <ClerkProvider>
          <html lang="en">
            <body>
              <SignedOut><SignInButton /></SignedOut>
              <SignedIn><UserButton /></SignedIn>
              {children}
            </body>
          </html>
        </ClerkProvider>
      )
    }
    ```

    ## Use instead

    ```tsx title="app/layout.tsx"
    import { ClerkProvider, Show, SignInButton, UserButton } from '@clerk/nextjs'

    export default function RootLayout({ children }: { children: React.ReactNode }) {
      return (
        <ClerkProvider>
          <html lang="en">
            <body>
              <Show when="signed-out"><SignInButton /></Show>
              <Show when="signed-in"><UserButton /></Show>
              {children}
            </body>
          </html>
        </ClerkProvider>
      )
    }
    ```

    ## Known problems

    When no `package.json` declares the SDK the newest major (Core 3) is assumed and the confidence is
    lowered. `.astro` and `.vue` templates are not read.

    ## References

    - [Clerk: upgrading to Core 3](https://clerk.com/docs/guides/development/upgrading/upgrade-guides/core-3)
    - [Clerk: &lt;Show&gt;](https://clerk.com/docs/reference/components/control/show)
    - [CWE-477: Use of Obsolete Function](https://cwe.mitre.org/data/definitions/477.html)
    """

    id = "CLK207"
    slug = "removed-control-components"
    name = "Control component removed in Core 3"
    level = Level.ERROR
    security_severity = 3.1
    cwe = (477,)
    tags = ("deprecated", "core-3", "react")
    grammars = JSX_GRAMMARS
    version_gates = "error on @clerk/nextjs 7+, @clerk/react, @clerk/expo, @clerk/nuxt 2+; quiet on earlier majors"

    cases = (
        Case("v7-layout", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "7.2.1", "next": "15.5.0"}}',
            "app/layout.tsx": (
                "import { SignedIn, SignedOut as Out, Protect, Show } from '@clerk/nextjs'\nimport * as Clerk from '@clerk/nextjs'\n\n"
                "export default function Layout({ children }) {\n  return (\n    <>\n"
                "      <SignedIn>{children}</SignedIn> {/* expect: CLK207 */}\n"
                "      <Out>sign in</Out> {/* expect: CLK207 */}\n"
                "      <Protect role=\"org:admin\" /> {/* expect: CLK207 */}\n"
                "      <Clerk.SignedIn>x</Clerk.SignedIn> {/* expect: CLK207 */}\n"
                "      <Show when=\"signed-in\">{children}</Show>\n    </>\n  )\n}\n"
            ),
        }),
        Case("clerk-react-core3-package", {
            "package.json": '{"dependencies": {"@clerk/react": "^6.0.0", "react": "19.0.0"}}',
            "src/App.jsx": "import { SignedIn } from '@clerk/react'\nexport const App = () => <SignedIn>hi</SignedIn> // expect: CLK207\n",
        }),
        Case("v6-is-quiet", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "6.39.2", "next": "15.5.0"}}',
            "app/layout.tsx": "import { SignedIn } from '@clerk/nextjs'\nexport default function L({ children }) { return <SignedIn>{children}</SignedIn> }\n",
        }),
        Case("local-component-of-the-same-name", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "7.2.1"}}',
            "app/page.tsx": "import { SignedIn } from '../components/auth'\nexport default function P() { return <SignedIn>x</SignedIn> }\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        data = file.data
        if not any(name.encode() in data for name in REMOVED) or b"@clerk/" not in data:
            return
        facts = project.js(file)
        for element in captures(file.grammar, ELEMENT_QUERY, file.root).get("name", ()):
            resolved = facts.resolve(element)
            if resolved is None:
                continue
            source, name = resolved
            package = _package(source)
            if name not in REMOVED or package not in CORE3:
                continue
            sdk = project.sdk(file, package)
            if sdk.known and sdk.major < CORE3[package]:
                continue
            if not sdk.known and package != "@clerk/nextjs" and CORE3[package] > 0:
                continue
            confidence = self.confidence if sdk.known else self.confidence.lower()
            where = sdk.describe() if sdk.known or package == "@clerk/nextjs" else package
            yield self.finding(
                (file, element.parent),
                f"<{name}> was removed in Clerk Core 3 ({where}) and throws when rendered; use {REPLACEMENT[name]}",
                confidence=confidence,
            )


def _package(source: str) -> str:
    parts = source.split("/")
    return "/".join(parts[:2]) if source.startswith("@") else parts[0]
