from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import PYTHON
from clerk_lint.project.python_tokens import unenforced_results
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

REQ = "fastapi==0.115.12\nclerk-backend-api==5.0.7\nfastapi-clerk-auth==0.0.9\n"


class UnenforcedAuthResult(Rule):
    """
    ## What it does

    Finds Clerk verification whose outcome never decides anything:

    - the result of `authenticate_request()` / `await authenticate_request_async()` thrown away, or
      stored in a variable that is never read (or only logged);
    - fastapi-clerk-auth's `ClerkHTTPBearer(auto_error=False)` used as a dependency by a function that
      only checks the credentials for `None` (or does not check them) and never reads
      `credentials.decoded`.

    ## Why is this bad?

    `authenticate_request()` does not raise for a signed-out or forged request: it returns a
    `RequestState` whose `is_signed_in` is false. Calling it and carrying on protects nothing. With
    `auto_error=False`, `ClerkHTTPBearer` returns a credentials object for *any* bearer token — an
    invalid or forged one gets `decoded=None`, not `None` — so `if credentials is None:` only refuses
    requests with no token at all.

    ## Example

    ```py title="app/main.py"
    from clerk_backend_api import Clerk
    from clerk_backend_api.security.types import AuthenticateRequestOptions
    from fastapi import FastAPI, Request

    sdk = Clerk(bearer_auth="...")
    app = FastAPI()

    @app.post("/reports")
    def create_report(request: Request):
        sdk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=["https://app.example.com"]))
        return {"created": True}
    ```

    ## Use instead

    ```py title="app/main.py"
    from clerk_backend_api import Clerk
    from clerk_backend_api.security.types import AuthenticateRequestOptions
    from fastapi import FastAPI, HTTPException, Request

    sdk = Clerk(bearer_auth="...")
    app = FastAPI()

    @app.post("/reports")
    def create_report(request: Request):
        state = sdk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=["https://app.example.com"]))
        if not state.is_signed_in:
            raise HTTPException(status_code=401)
        return {"created": True}
    ```

    ## Known problems

    A state that is read (`state.payload["sub"]`) without a check is not reported: the payload of a
    signed-out request is `None`, so the read fails (closed) with a 500. A state stored on the request
    and checked by another function is taken as checked. The credentials of a lenient bearer are
    followed only inside the function that declares the dependency.

    ## References

    - [Clerk Python SDK: authenticate requests](https://github.com/clerk/clerk-sdk-python#request-authentication)
    - [fastapi-clerk-auth: ClerkHTTPBearer](https://github.com/OSSMafia/fastapi-clerk-middleware)
    - [CWE-252: Unchecked Return Value](https://cwe.mitre.org/data/definitions/252.html)
    - [CWE-287: Improper Authentication](https://cwe.mitre.org/data/definitions/287.html)
    """

    id = "CLK505"
    slug = "unenforced-auth-result"
    name = "Unenforced auth result"
    level = Level.ERROR
    security_severity = 8.1
    cwe = (252, 287)
    tags = ("python", "authentication")
    grammars = frozenset({PYTHON})

    cases = (
        Case("dropped-and-unused", {
            "requirements.txt": REQ,
            "auth.py": (
                "import logging\nfrom clerk_backend_api import Clerk\nfrom clerk_backend_api.security.types import AuthenticateRequestOptions\n\n"
                "sdk = Clerk(bearer_auth='')\nOPTIONS = AuthenticateRequestOptions(authorized_parties=['https://app.example.com'])\n\n"
                "def touch(request):\n"
                "    sdk.authenticate_request(request, OPTIONS) # expect: CLK505\n\n"
                "def logged(request):\n"
                "    state = sdk.authenticate_request(request, OPTIONS) # expect: CLK505\n"
                "    logging.info('auth %s', state)\n\n"
                "def checked(request):\n"
                "    state = sdk.authenticate_request(request, OPTIONS)\n"
                "    if not state.is_signed_in:\n        raise PermissionError('signed out')\n"
                "    return state.payload['sub']\n\n"
                "async def returned(request):\n"
                "    return await sdk.authenticate_request_async(request, OPTIONS)\n"
            ),
        }),
        Case("checked-elsewhere-is-quiet", {
            "requirements.txt": REQ,
            "middleware.py": (
                "from clerk_backend_api import Clerk\nfrom clerk_backend_api.security.types import AuthenticateRequestOptions\n\n"
                "sdk = Clerk(bearer_auth='')\n\n"
                "async def attach(request, call_next):\n"
                "    request.state.auth = await sdk.authenticate_request_async(request, AuthenticateRequestOptions(authorized_parties=['https://a.example']))\n"
                "    return await call_next(request)\n\n"
                "def user_id(request):\n"
                "    state = sdk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=['https://a.example']))\n"
                "    return state.payload['sub'] if state.is_signed_in else None\n"
            ),
        }),
        Case("lenient-bearer", {
            "requirements.txt": REQ,
            "main.py": (
                "from fastapi import Depends, FastAPI, HTTPException\n"
                "from fastapi_clerk_auth import ClerkConfig, ClerkHTTPBearer\n\n"
                "config = ClerkConfig(jwks_url='https://example.clerk.accounts.dev/.well-known/jwks.json')\n"
                "optional = ClerkHTTPBearer(config=config, auto_error=False)\n"
                "app = FastAPI()\n\n"
                "@app.get('/me')\n"
                "def me(creds = Depends(optional)): # expect: CLK505\n"
                "    if creds is None:\n        raise HTTPException(status_code=401)\n"
                "    return {'token': creds.credentials}\n\n"
                "@app.get('/profile')\n"
                "def profile(creds = Depends(optional)):\n"
                "    if not creds or not creds.decoded:\n        raise HTTPException(status_code=401)\n"
                "    return {'user': creds.decoded['sub']}\n"
            ),
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if b"authenticate_request" not in file.data and b"Depends" not in file.data and b"Security" not in file.data:
            return
        for issue in unenforced_results(project, file):
            yield self.finding((file, issue.node), issue.message, level=issue.level, confidence=issue.confidence)
