from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import GRAMMARS
from clerk_lint.rule import Case, Rule
from clerk_lint.secrets import SECRET_RE, find_secrets
from clerk_lint.source import SourceFile


class HardcodedClerkSecret(Rule):
    """
    ## What it does

    Finds real-looking Clerk secrets written into source code or committed `.env` files: secret keys
    (`sk_live_…`, `sk_test_…`), webhook signing secrets (`whsec_…`) and machine credentials (`ak_…`,
    `mt_…` on a line that mentions Clerk). Publishable keys (`pk_…`) are public by design and never
    reported; placeholders such as `sk_test_xxx` or `sk_live_your_secret_key` are recognised and
    left alone. The finding never contains the secret itself.

    ## Why is this bad?

    A Clerk secret key lets whoever holds it call the Backend API as your application: list, create,
    impersonate and delete users, read their metadata, mint sessions. Anyone who can read the
    repository (every contributor, every CI log, every fork of a public repo) holds it. A leaked
    `whsec_` secret lets an attacker forge webhook deliveries that your handler trusts. Removing the
    line is not enough: the key stays in git history, so rotate it in the Clerk Dashboard.

    ## Example

    ```ts title="lib/clerk.ts"
    import { createClerkClient } from '@clerk/backend'

    export const clerk = createClerkClient({ secretKey: 'sk_live_2xQ9vTn4KpL8wRz3YbM7cJf5HsD1aGe6UoN0iVtq' })
    ```

    ## Use instead

    ```ts title="lib/clerk.ts"
    import { createClerkClient } from '@clerk/backend'

    export const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })
    ```

    ## Known problems

    Stripe uses the same `sk_live_`/`whsec_` prefixes: a line that names Stripe (or Paddle, Lemon
    Squeezy) is left to a general secret scanner. Files that `.gitignore` excludes (usually `.env`)
    are not scanned, because they are not committed. Files over `max-file-size` are skipped.

    ## References

    - [Clerk environment variables](https://clerk.com/docs/guides/development/clerk-environment-variables)
    - [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)
    """

    id = "CLK501"
    slug = "hardcoded-clerk-secret"
    name = "Hard-coded Clerk secret"
    level = Level.ERROR
    security_severity = 9.1
    cwe = (798,)
    tags = ("secrets",)
    grammars = GRAMMARS
    env_files = True
    version_gates = "error for sk_live_, whsec_, ak_, mt_; warning for sk_test_ (any version)"

    cases = (
        Case("env-file-live-key", {".env.production": "CLERK_SECRET_KEY=sk_live_2xQ9vTn4KpL8wRz3YbM7cJf5HsD1aGe6UoN0iVtq # expect: CLK501\n"}),
        Case("python-test-key", {"settings.py": "CLERK_SECRET_KEY = 'sk_test_9fKd2LmQ7rTz4XcVb8NwP1yHs6Ga3Ue5Jo0iRtqW'  # expect: CLK501\n"}),
        Case("webhook-secret-in-route", {"app/api/webhooks/route.ts": "const wh = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw') // expect: CLK501\n"}),
        Case("placeholders-are-quiet", {
            ".env.example": "CLERK_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nCLERK_WEBHOOK_SIGNING_SECRET=whsec_your_signing_secret_here\n",
            "lib/a.ts": "const k = 'sk_test_123'\nconst p = 'pk_live_Y2xlcmsuZXhhbXBsZS5jb20k7f3a9b2c1d0e'\n",
        }),
        Case("stripe-key-is-quiet", {"lib/stripe.ts": "const stripe = new Stripe('sk_live_51Hh2kLmNoPqRsTuVwXyZ012345abcdefg')\n"}),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if not SECRET_RE.search(file.text):
            return
        for line_no in range(1, file.line_count + 1):
            line = file.line_text(line_no)
            for match in find_secrets(line):
                start = file.line_starts[line_no - 1] + len(line[: match.start].encode())
                end = start + len(line[match.start : match.end].encode())
                level = Level.ERROR if match.live else Level.WARNING
                where = "a committed environment file" if file.kind == "env" else "source code"
                yield self.finding(
                    file.location(start, end),
                    f"Clerk {match.kind} ({match.prefix}…) is hard-coded in {where}; "
                    f"load it from the environment and rotate it in the Clerk Dashboard",
                    level=level,
                )
