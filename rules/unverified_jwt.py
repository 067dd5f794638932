from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import PYTHON
from clerk_lint.project.python_tokens import unverified_jwt
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

REQ = "fastapi==0.115.12\npyjwt[crypto]==2.10.1\nclerk-backend-api==5.0.7\n"


class UnverifiedJwt(Rule):
    """
    ## What it does

    Finds Python code that takes a caller's identity from a JSON Web Token it has not verified, or
    verifies it in a way that can be bypassed:

    - PyJWT `jwt.decode(token, options={"verify_signature": False})` (PyJWT 1.x: `verify=False`) and
      python-jose `jwt.get_unverified_claims(token)`, when the claims are then used as the identity
      (`claims["sub"]`, returned, passed on) — reading `exp` to decide a refresh is left alone;
    - `algorithms` taken from the token's own header (`jwt.get_unverified_header(token)["alg"]`);
    - `options={"verify_exp": False}` (or `verify_nbf`) and fastapi-clerk-auth's
      `ClerkConfig(verify_exp=False)`;
    - python-jose (and PyJWT 1.x) `decode` without `algorithms`.

    Only apps that use Clerk are checked.

    ## Why is this bad?

    A JWT's claims are just base64: anyone can write `{"sub": "user_2abc…"}` into a token. Without the
    signature check, every endpoint that trusts `sub` serves whichever user the caller names. Letting
    the token choose its algorithm lets an attacker sign an `HS256` token with your *public* key.
    Without the expiry check, a session token that leaked once (a log line, a proxy) works forever —
    Clerk's session tokens are meant to live about a minute.

    ## Example

    ```py title="app/main.py"
    import jwt
    from fastapi import FastAPI, Request

    CLERK_JWKS_URL = "https://example.clerk.accounts.dev/.well-known/jwks.json"
    app = FastAPI()

    @app.get("/me")
    def me(request: Request):
        token = request.headers["Authorization"].removeprefix("Bearer ")
        claims = jwt.decode(token, options={"verify_signature": False})
        return {"user_id": claims["sub"]}
    ```

    ## Use instead

    ```py title="app/main.py"
    import jwt
    from fastapi import FastAPI, HTTPException, Request

    CLERK_JWKS_URL = "https://example.clerk.accounts.dev/.well-known/jwks.json"
    AUTHORIZED_PARTIES = {"https://app.example.com"}
    jwks = jwt.PyJWKClient(CLERK_JWKS_URL)
    app = FastAPI()

    @app.get("/me")
    def me(request: Request):
        token = request.headers["Authorization"].removeprefix("Bearer ")
        key = jwks.get_signing_key_from_jwt(token).key
        claims = jwt.decode(token, key, algorithms=["RS256"])
        if claims.get("azp") not in AUTHORIZED_PARTIES:
            raise HTTPException(status_code=401)
        return {"user_id": claims["sub"]}
    ```

    Better still, let Clerk's SDK do all of it: `sdk.authenticate_request(request,
    AuthenticateRequestOptions(authorized_parties=[...]))`.

    ## Known problems

    The identity use is followed within the function that decodes the token: claims stored on an
    object and read elsewhere are not followed, and an unverified decode whose claims leave the
    function is reported even when the caller only logs them. PyJWT 2.x refuses to verify without
    `algorithms` (it raises), so a missing `algorithms` is reported only for python-jose and for
    PyJWT 1.x (when the manifest says so). The JavaScript forms (`jwt.decode`, `decodeJwt`) are not
    covered yet.

    ## References

    - [Clerk: manual JWT verification](https://clerk.com/docs/guides/sessions/manual-jwt-verification)
    - [PyJWT: usage and the `algorithms` warning](https://pyjwt.readthedocs.io/en/stable/usage.html)
    - [CWE-347: Improper Verification of Cryptographic Signature](https://cwe.mitre.org/data/definitions/347.html)
    - [CWE-613: Insufficient Session Expiration](https://cwe.mitre.org/data/definitions/613.html)
    """

    id = "CLK503"
    slug = "unverified-jwt"
    name = "Unverified JWT"
    level = Level.ERROR
    security_severity = 9.1
    cwe = (347, 327, 613)
    tags = ("python", "tokens")
    grammars = frozenset({PYTHON})

    cases = (
        Case("unverified-and-header-algorithm", {
            "requirements.txt": REQ,
            "auth.py": (
                "import jwt\nfrom jose import jwt as jose_jwt\n\n"
                "def user_id(token):\n"
                "    claims = jwt.decode(token, options={'verify_signature': False}) # expect: CLK503\n"
                "    return claims['sub']\n\n"
                "def expiry(token):\n"
                "    return jwt.decode(token, options={'verify_signature': False})['exp']\n\n"
                "def header_alg(token, key):\n"
                "    header = jwt.get_unverified_header(token)\n"
                "    return jwt.decode(token, key, algorithms=[header['alg']]) # expect: CLK503\n\n"
                "def forever(token, key):\n"
                "    return jwt.decode(token, key, algorithms=['RS256'], options={'verify_exp': False}) # expect: CLK503\n\n"
                "def jose_claims(token):\n"
                "    return jose_jwt.get_unverified_claims(token) # expect: CLK503\n"
            ),
        }),
        Case("verified-is-quiet", {
            "requirements.txt": REQ,
            "auth.py": (
                "import jwt\n\njwks = jwt.PyJWKClient('https://example.clerk.accounts.dev/.well-known/jwks.json')\n\n"
                "def user_id(token):\n"
                "    key = jwks.get_signing_key_from_jwt(token).key\n"
                "    claims = jwt.decode(token, key, algorithms=['RS256'])\n"
                "    if claims['azp'] != 'https://app.example.com':\n        raise PermissionError('azp')\n"
                "    return claims['sub']\n"
            ),
        }),
        Case("not-a-clerk-app", {
            "requirements.txt": "pyjwt==2.10.1\n",
            "tokens.py": "import jwt\n\ndef sub(token):\n    return jwt.decode(token, options={'verify_signature': False})['sub']\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if b"jwt" not in file.data and b"jose" not in file.data and b"ClerkConfig" not in file.data:
            return
        issues = unverified_jwt(project, file)
        if not issues or not project.python.uses_clerk(file):
            return
        for issue in issues:
            yield self.finding((file, issue.node), issue.message, level=issue.level, confidence=issue.confidence)
