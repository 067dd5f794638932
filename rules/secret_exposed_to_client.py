from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding
from clerk_lint.parsing import JS_FAMILY, JSX_GRAMMARS, captures, string_value, text
from clerk_lint.project.envfile import assignments
from clerk_lint.project.js import env_reads
from clerk_lint.rule import Case, Rule
from clerk_lint.secrets import find_secrets, is_clerk_secret_name, public_prefix
from clerk_lint.source import ENV, SourceFile

#: components and constructors that run in the browser and take a Clerk key
BROWSER_KEY_SINKS = {
    ("ClerkProvider", "publishableKey"),
    ("ClerkProvider", "secretKey"),
}
BROWSER_CLERK_SOURCES = ("@clerk/clerk-js",)
NEXT_CONFIG_NAMES = ("next.config.js", "next.config.mjs", "next.config.cjs", "next.config.ts", "next.config.mts")

JSX_ATTR_QUERY = """
(jsx_attribute (property_identifier) (jsx_expression)) @attribute
"""
NEW_QUERY = """
(new_expression constructor: (_) @ctor arguments: (arguments . (_) @arg)) @new
"""
PAIR_QUERY = """
(pair key: [(property_identifier) (string)] @key value: (object) @value) @pair
"""


class SecretExposedToClient(Rule):
    """
    ## What it does

    Finds Clerk secrets that would reach the browser: a secret-named variable under a public prefix
    (`NEXT_PUBLIC_`, `VITE_`, `PUBLIC_`, `EXPO_PUBLIC_`, `NUXT_PUBLIC_`, `REACT_APP_`, `GATSBY_`) in a
    `.env` file or read in code; a public-prefixed variable whose value is a secret key; the secret key
    read in a `'use client'` module; a secret passed to a browser-side constructor (`<ClerkProvider
    publishableKey={…}>`, `new Clerk(…)` from `@clerk/clerk-js`); and a secret placed in the `env`
    option of `next.config.*`, which Next.js inlines into the client bundle.

    ## Why is this bad?

    Bundlers replace public-prefixed variables with their values at build time, so the secret key is
    shipped in JavaScript to every visitor, who can then call Clerk's Backend API as your app.
    `NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY` and the JWT public key (`NEXT_PUBLIC_CLERK_JWT_KEY`) are
    meant to be public and are never reported.

    ## Example

    ```dotenv title=".env.production"
    NEXT_PUBLIC_CLERK_SECRET_KEY=${CLERK_SECRET_KEY}
    ```

    ## Use instead

    ```dotenv title=".env.production"
    NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=${CLERK_PUBLISHABLE_KEY}
    CLERK_SECRET_KEY=${CLERK_SECRET_KEY}
    ```

    ## Known problems

    Only names that mention Clerk and a secret (`SECRET`, `SIGNING`, `ENCRYPTION`, `API_KEY`,
    `MACHINE`) are judged by name; other public variables are judged by their value.

    ## References

    - [Clerk environment variables](https://clerk.com/docs/guides/development/clerk-environment-variables)
    - [Next.js: bundling environment variables for the browser](https://nextjs.org/docs/app/guides/environment-variables#bundling-environment-variables-for-the-browser)
    - [CWE-200: Exposure of Sensitive Information](https://cwe.mitre.org/data/definitions/200.html)
    """

    id = "CLK502"
    slug = "secret-exposed-to-client"
    name = "Clerk secret exposed to the browser"
    security_severity = 9.1
    cwe = (200, 522)
    tags = ("secrets",)
    grammars = JS_FAMILY
    env_files = True

    cases = (
        Case("public-prefix-in-code", {"lib/clerk.ts": "export const key = process.env.NEXT_PUBLIC_CLERK_SECRET_KEY // expect: CLK502\n"}),
        Case("vite-prefix", {"src/main.ts": "const k = import.meta.env['VITE_CLERK_SECRET_KEY'] // expect: CLK502\n"}),
        Case("secret-value-under-public-name", {".env": "NEXT_PUBLIC_BACKEND_TOKEN=sk_live_2xQ9vTn4KpL8wRz3YbM7cJf5HsD1aGe6UoN0iVtq # expect: CLK501, CLK502\n"}),
        Case("secret-read-in-client-component", {"app/admin/panel.tsx": "'use client'\nexport function P() { return <p>{process.env.CLERK_SECRET_KEY}</p> } // expect: CLK502\n"}),
        Case("secret-as-publishable-key", {"app/layout.tsx": "import { ClerkProvider } from '@clerk/nextjs'\nexport default function L({ children }) {\n  return <ClerkProvider publishableKey={process.env.CLERK_SECRET_KEY}>{children}</ClerkProvider> // expect: CLK502\n}\n"}),
        Case("next-config-env", {"next.config.mjs": "export default {\n  env: { CLERK_SECRET_KEY: process.env.CLERK_SECRET_KEY }, // expect: CLK502\n}\n"}),
        Case("public-names-are-quiet", {
            ".env": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Y2xlcmsuZXhhbXBsZS5jb20k\nNEXT_PUBLIC_CLERK_JWT_KEY=abc\nNEXT_PUBLIC_CLERK_SIGN_IN_URL=/sign-in\nCLERK_SECRET_KEY=${SECRET}\n",
            "app/layout.tsx": "import { ClerkProvider } from '@clerk/nextjs'\nexport default function L({ children }) {\n  return <ClerkProvider publishableKey={process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY}>{children}</ClerkProvider>\n}\n",
            "app/api/route.ts": "export async function GET() { return fetch(url, { headers: { Authorization: process.env.CLERK_SECRET_KEY } }) }\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if file.kind == ENV:
            yield from self._env_file(file)
        else:
            yield from self._code(file, project)

    def _env_file(self, file: SourceFile) -> Iterator[Finding]:
        for item in assignments(file):
            prefix = public_prefix(item.name)
            if prefix is None:
                continue
            if is_clerk_secret_name(item.name):
                yield self.finding(
                    file.location(item.name_start, item.name_end),
                    f"{item.name} puts a Clerk secret under the public {prefix} prefix: the bundler inlines it into browser code",
                )
            elif find_secrets(item.value):
                yield self.finding(
                    file.location(item.name_start, item.name_end),
                    f"{item.name} holds a Clerk secret under the public {prefix} prefix: the bundler inlines it into browser code",
                )

    def _code(self, file: SourceFile, project) -> Iterator[Finding]:
        facts = project.js(file)
        client = facts.directive == "use client"
        reported: set[int] = set()
        for read in facts.env_reads:
            if not is_clerk_secret_name(read.name):
                continue
            prefix = public_prefix(read.name)
            if prefix:
                reported.add(read.node.start_byte)
                yield self.finding(
                    (file, read.node),
                    f"{read.name} is a Clerk secret under the public {prefix} prefix: the bundler inlines it into browser code",
                )
            elif client:
                reported.add(read.node.start_byte)
                yield self.finding(
                    (file, read.node),
                    f"{read.name} is read in a 'use client' module: secrets belong in server code only",
                )
        if b"ClerkProvider" in file.data and file.grammar in JSX_GRAMMARS:
            for match in captures(file.grammar, JSX_ATTR_QUERY, file.root).get("attribute", ()):
                yield from self._sink_attribute(file, match, reported)
        if b"new " in file.data:
            for new in captures(file.grammar, NEW_QUERY, file.root).get("new", ()):
                ctor = new.child_by_field_name("constructor")
                resolved = facts.resolve(ctor)
                if resolved and resolved[0] in BROWSER_CLERK_SOURCES and _holds_secret(file, new.child_by_field_name("arguments")):
                    yield self.finding((file, new), "a Clerk secret is passed to the browser-side Clerk constructor")
        if file.name in NEXT_CONFIG_NAMES:
            for pair in captures(file.grammar, PAIR_QUERY, file.root).get("pair", ()):
                key = pair.child_by_field_name("key")
                name = string_value(key) if key.type == "string" else text(key)
                if name == "env" and _holds_secret(file, pair.child_by_field_name("value")):
                    yield self.finding((file, pair), "next.config `env` inlines a Clerk secret into the client bundle; read it from process.env on the server instead")

    def _sink_attribute(self, file: SourceFile, attribute, reported: set[int]) -> Iterator[Finding]:
        element = attribute.parent
        name = element.child_by_field_name("name") if element is not None else None
        attr = attribute.named_children[0]
        if name is None or (text(name), text(attr)) not in BROWSER_KEY_SINKS:
            return
        value = attribute.named_children[-1]
        if any(read.node.start_byte in reported for read in env_reads(file.grammar, value)):
            return  # already reported as a secret read in client code
        if _holds_secret(file, value):
            yield self.finding((file, attribute), f"a Clerk secret is passed to <{text(name)} {text(attr)}>, which renders in the browser")


def _holds_secret(file: SourceFile, node) -> bool:
    """Whether an expression reads a Clerk secret from the environment or spells one out."""
    if node is None:
        return False
    if find_secrets(text(node)):
        return True
    return any(is_clerk_secret_name(read.name) for read in env_reads(file.grammar, node))
