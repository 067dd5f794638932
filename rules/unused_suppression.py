from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from clerk_lint.findings import Confidence, Finding, Level
from clerk_lint.rule import Case, Rule
from clerk_lint.suppress import unused

if TYPE_CHECKING:
    from clerk_lint.engine import Run


class UnusedSuppression(Rule):
    """
    ## What it does

    Reports a `clerk-lint-ignore` comment that silenced nothing: the rule it names did not fire on
    the line it covers (the line of the comment when it follows code, else the next line). Names of
    rules that did not run (not selected) are not judged.

    ## Why is this bad?

    A stale suppression hides the next real finding on that line. When code is fixed or moved, its
    suppression should go with it, so that a later regression is reported.

    ## Example

    ```ts title="lib/clerk.ts"
    // clerk-lint-ignore CLK501 -- test fixture key
    export const key = process.env.CLERK_SECRET_KEY
    ```

    ## Use instead

    ```ts title="lib/clerk.ts"
    export const key = process.env.CLERK_SECRET_KEY
    ```

    ## References

    - [clerk-lint: suppressing findings](https://github.com/clerk-lint/clerk-lint#suppressing-findings)
    """

    id = "CLK900"
    slug = "unused-suppression"
    name = "Unused suppression"
    level = Level.NOTE
    confidence = Confidence.HIGH
    security_severity = 0.0
    tags = ("maintenance",)

    cases = (
        Case("stale-suppression", {"lib/a.ts": "// expect: CLK900\n// clerk-lint-ignore CLK501 -- old key\nexport const k = process.env.CLERK_SECRET_KEY\n"}),
        Case("used-suppression", {"lib/a.ts": "// clerk-lint-ignore CLK501 -- documented test key\nexport const k = 'sk_test_9fKd2LmQ7rTz4XcVb8NwP1yHs6Ga3Ue5Jo0iRtqW'\n"}),
        Case("trailing-suppression", {"settings.py": "KEY = 'sk_test_9fKd2LmQ7rTz4XcVb8NwP1yHs6Ga3Ue5Jo0iRtqW'  # clerk-lint-ignore hardcoded-clerk-secret -- test key\n"}),
    )

    def finish(self, run: "Run") -> Iterator[Finding]:
        selected = run.rule_ids
        for suppressions in run.suppressions.values():
            for suppression in suppressions:
                names = unused(suppression, selected)
                if not names:
                    continue
                if names == ["*"]:
                    message = f"this clerk-lint-ignore comment suppresses nothing on line {suppression.target_line}; remove it"
                else:
                    message = f"unused suppression of {', '.join(names)}: no such finding on line {suppression.target_line}; remove it"
                yield self.finding(suppression.location, message)
