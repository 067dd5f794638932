from __future__ import annotations

import re
from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import JS_FAMILY, JSX_GRAMMARS, captures
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

APP_FILE = re.compile(r"(^|/)pages/_app\.(tsx|jsx|js|ts)$")
ELEMENT_QUERY = """
[
  (jsx_opening_element name: (_) @name)
  (jsx_self_closing_element name: (_) @name)
] @element
"""


class PagesRouterClerkSetup(Rule):
    """
    ## What it does

    Finds the Pages Router setup of Clerk: a `pages/_app.{tsx,jsx,js}` (or `src/pages/_app…`) that
    wraps the application in `<ClerkProvider>` from `@clerk/nextjs`. On `@clerk/nextjs` v4, which is
    end-of-life, it is a warning; on v5 and later it is a note that tells reviewers where Clerk's
    App Router tooling does not look.

    ## Why is this bad?

    A Pages Router app gets no protection from the App Router conventions: every `pages/api` handler
    and every `getServerSideProps` must call `getAuth(req)` and refuse signed-out callers itself, and
    since v5 `clerkMiddleware()` protects nothing by default. Clerk's own lint rule does not check
    Pages Router files at all. On v4 the SDK itself no longer receives fixes, including security
    fixes.

    ## Example

    ```tsx title="pages/_app.tsx"
    import { ClerkProvider } from '@clerk/nextjs'
    import type { AppProps } from 'next/app'

    export default function App({ Component, pageProps }: AppProps) {
      return (
        <ClerkProvider {...pageProps}>
          <Component {...pageProps} />
        </ClerkProvider>
      )
    }
    ```

    ## Use instead

    ```tsx title="app/layout.tsx"
    import { ClerkProvider } from '@clerk/nextjs'

    export default function RootLayout({ children }: { children: React.ReactNode }) {
      return (
        <ClerkProvider>
          <html lang="en">
            <body>{children}</body>
          </html>
        </ClerkProvider>
      )
    }
    ```

    ## Known problems

    Staying on the Pages Router is supported by Clerk; on v5 and later the note is there to point
    reviewers at the `pages/api` handlers, and can be turned off with `ignore = ["CLK202"]`.

    ## References

    - [Clerk: Pages Router quickstart](https://clerk.com/docs/quickstarts/nextjs-pages-router)
    - [Clerk: getAuth() in the Pages Router](https://clerk.com/docs/reference/nextjs/pages-router/get-auth)
    - [CWE-1104: Use of Unmaintained Third Party Components](https://cwe.mitre.org/data/definitions/1104.html)
    """

    id = "CLK202"
    slug = "pages-router-clerk-setup"
    name = "Pages Router Clerk setup"
    level = Level.NOTE
    security_severity = 3.1
    cwe = (1104,)
    tags = ("nextjs", "pages-router")
    grammars = JS_FAMILY
    version_gates = "warning on @clerk/nextjs v4 (end-of-life); note on v5+"

    cases = (
        Case("v4-app", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "4.29.9", "next": "13.5.6"}}',
            "pages/_app.js": "import { ClerkProvider } from '@clerk/nextjs'\nexport default function App({ Component, pageProps }) {\n  return (\n    <ClerkProvider {...pageProps}> {/* expect: CLK202 */}\n      <Component {...pageProps} />\n    </ClerkProvider>\n  )\n}\n",
        }),
        Case("aliased-src-layout", {
            "package.json": '{"dependencies": {"@clerk/nextjs": "^6.3.0"}}',
            "src/pages/_app.tsx": "import { ClerkProvider as Auth } from '@clerk/nextjs'\nexport default function App({ Component, pageProps }) {\n  return <Auth {...pageProps}><Component {...pageProps} /></Auth> // expect: CLK202\n}\n",
        }),
        Case("app-router-layout-is-quiet", {
            "app/layout.tsx": "import { ClerkProvider } from '@clerk/nextjs'\nexport default function L({ children }) { return <ClerkProvider>{children}</ClerkProvider> }\n",
        }),
        Case("app-without-clerk-is-quiet", {
            "pages/_app.tsx": "import { SessionProvider } from 'next-auth/react'\nexport default function App({ Component, pageProps }) { return <SessionProvider><Component {...pageProps} /></SessionProvider> }\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if not APP_FILE.search(file.rel) or b"ClerkProvider" not in file.data or file.grammar not in JSX_GRAMMARS:
            return
        facts = project.js(file)
        for element in captures(file.grammar, ELEMENT_QUERY, file.root).get("element", ()):
            resolved = facts.resolve(element.child_by_field_name("name"))
            if resolved is None or not resolved[0].startswith("@clerk/nextjs") or resolved[1] != "ClerkProvider":
                continue
            sdk = project.sdk(file, "@clerk/nextjs")
            confidence = self.confidence if sdk.known else self.confidence.lower()
            if sdk.major < 5:
                level = Level.WARNING
                message = (
                    f"Pages Router app on end-of-life @clerk/nextjs v4 ({sdk.describe()}): upgrade, and make every "
                    "pages/api handler and getServerSideProps check getAuth(req)"
                )
            else:
                level = Level.NOTE
                message = (
                    "Pages Router app: every pages/api handler and getServerSideProps must check getAuth(req) itself "
                    "(clerkMiddleware() protects nothing by default)"
                )
            yield self.finding((file, element), message, level=level, confidence=confidence)
            return
