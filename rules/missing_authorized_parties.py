from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import PYTHON
from clerk_lint.project.python_tokens import missing_authorized_parties
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

REQ = "fastapi==0.115.12\nclerk-backend-api==5.0.7\n"


class MissingAuthorizedParties(Rule):
    """
    ## What it does

    Finds Clerk token verification in Python that does not check which origin the token was issued
    for: `AuthenticateRequestOptions(...)` or `VerifyTokenOptions(...)` of `clerk-backend-api` without
    `authorized_parties` (or with `authorized_parties=None`), and Clerk session tokens verified by
    hand with `jwt.decode` in a function that never looks at the `azp` claim.

    ## Why is this bad?

    Every Clerk session token names the origin it was minted for in its `azp` (authorized party)
    claim. Clerk checks it only when you pass `authorized_parties`: without it, a token issued to
    another site on the same Clerk instance — or one leaked through a subdomain's cookies — is
    accepted by your API. Clerk documents the option as a defence against CSRF and subdomain cookie
    leaks.

    ## Example

    ```py title="app/main.py"
    from clerk_backend_api import Clerk
    from clerk_backend_api.security.types import AuthenticateRequestOptions

    sdk = Clerk(bearer_auth="...")

    def current_user(request):
        state = sdk.authenticate_request(request, AuthenticateRequestOptions())
        if not state.is_signed_in:
            raise PermissionError("signed out")
        return state.payload["sub"]
    ```

    ## Use instead

    ```py title="app/main.py"
    from clerk_backend_api import Clerk
    from clerk_backend_api.security.types import AuthenticateRequestOptions

    sdk = Clerk(bearer_auth="...")
    OPTIONS = AuthenticateRequestOptions(authorized_parties=["https://app.example.com"])

    def current_user(request):
        state = sdk.authenticate_request(request, OPTIONS)
        if not state.is_signed_in:
            raise PermissionError("signed out")
        return state.payload["sub"]
    ```

    ## Known problems

    Options built from a dictionary (`AuthenticateRequestOptions(**settings)`) are not judged.
    fastapi-clerk-auth has no `azp` option at all; its uses are not reported here. A pure bearer API
    called only by servers gains less from the check. The JavaScript forms
    (`authenticateRequest`, `verifyToken` without `authorizedParties`) are not covered yet.

    ## References

    - [Clerk: authenticateRequest() options, authorizedParties](https://clerk.com/docs/references/backend/authenticate-request)
    - [Clerk: manual JWT verification (check azp)](https://clerk.com/docs/guides/sessions/manual-jwt-verification)
    - [Clerk Python SDK: AuthenticateRequestOptions](https://github.com/clerk/clerk-sdk-python/blob/main/src/clerk_backend_api/security/types.py)
    - [CWE-346: Origin Validation Error](https://cwe.mitre.org/data/definitions/346.html)
    """

    id = "CLK504"
    slug = "missing-authorized-parties"
    name = "Missing authorized parties"
    level = Level.WARNING
    security_severity = 5.3
    cwe = (346,)
    tags = ("python", "tokens")
    grammars = frozenset({PYTHON})

    cases = (
        Case("options-without-parties", {
            "requirements.txt": REQ,
            "auth.py": (
                "from clerk_backend_api import Clerk\n"
                "from clerk_backend_api.security import VerifyTokenOptions, verify_token\n"
                "from clerk_backend_api.security.types import AuthenticateRequestOptions\n\n"
                "sdk = Clerk(bearer_auth='')\n"
                "LOOSE = AuthenticateRequestOptions(secret_key='x') # expect: CLK504\n"
                "OFF = AuthenticateRequestOptions(authorized_parties=None) # expect: CLK504\n"
                "STRICT = AuthenticateRequestOptions(authorized_parties=['https://app.example.com'])\n\n"
                "def claims(token):\n"
                "    return verify_token(token, VerifyTokenOptions(secret_key='x')) # expect: CLK504\n"
            ),
        }),
        Case("manual-decode-without-azp", {
            "requirements.txt": "pyjwt[crypto]==2.10.1\n",
            "auth.py": (
                "import os\nimport jwt\n\njwks = jwt.PyJWKClient(os.environ['CLERK_JWKS_URL'])\n\n"
                "def claims(token):\n"
                "    key = jwks.get_signing_key_from_jwt(token).key\n"
                "    return jwt.decode(token, key, algorithms=['RS256']) # expect: CLK504\n\n"
                "def checked(token):\n"
                "    key = jwks.get_signing_key_from_jwt(token).key\n"
                "    payload = jwt.decode(token, key, algorithms=['RS256'])\n"
                "    if payload.get('azp') not in {'https://app.example.com'}:\n        raise PermissionError('azp')\n"
                "    return payload\n"
            ),
        }),
        Case("spread-options-are-not-judged", {
            "requirements.txt": REQ,
            "auth.py": "from clerk_backend_api.security.types import AuthenticateRequestOptions\nfrom settings import CLERK\n\nOPTIONS = AuthenticateRequestOptions(**CLERK)\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if b"Options" not in file.data and b"decode" not in file.data:
            return
        for issue in missing_authorized_parties(project, file):
            yield self.finding((file, issue.node), issue.message, level=issue.level, confidence=issue.confidence)
