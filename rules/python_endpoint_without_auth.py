from __future__ import annotations

from collections.abc import Iterator

from clerk_lint.findings import Finding, Level
from clerk_lint.parsing import PYTHON
from clerk_lint.project.coverage import OPEN
from clerk_lint.rule import Case, Rule
from clerk_lint.source import SourceFile

REQ = "fastapi==0.115.12\nclerk-backend-api==5.0.7\nsqlalchemy==2.0.40\n"
AUTH = (
    "from clerk_backend_api import Clerk\n"
    "from clerk_backend_api.security.types import AuthenticateRequestOptions\n"
    "from fastapi import HTTPException, Request\n\n"
    "clerk = Clerk(bearer_auth='')\n\n"
    "def require_user(request: Request) -> str:\n"
    "    state = clerk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=['https://app.example.com']))\n"
    "    if not state.is_signed_in:\n"
    "        raise HTTPException(status_code=401)\n"
    "    return state.payload['sub']\n"
)
DB = "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker(bind=create_engine('sqlite://'))\n"


class PythonEndpointWithoutAuth(Rule):
    """
    ## What it does

    Finds HTTP endpoints of Python apps that use Clerk — FastAPI and Starlette routes, Flask views
    (blueprints, `MethodView`, `add_url_rule`), Django views wired in `urls.py` (functions,
    class-based views) and Django REST framework `APIView`s, `ViewSet`s and `@api_view` functions —
    that reach data (a database session, an ORM model, the Clerk Backend API, a secret, another
    service) without first refusing signed-out callers.

    Guards are recognised wherever they are written: a FastAPI `Depends(...)` whose function (in any
    module, sub-dependencies included) authenticates and raises; `dependencies=[Depends(...)]` on the
    route, the `APIRouter`, the `include_router` call or the app; a decorator whose wrapper
    authenticates and aborts (`@require_auth` from another module, `login_required`,
    `method_decorator(..., name="dispatch")`); an inline `authenticate_request()` whose
    `is_signed_in` is checked with a `raise`, `abort()` or an error response; DRF `permission_classes`
    and the `REST_FRAMEWORK` defaults; middleware or `before_request` hooks that answer 401.

    Apps are judged only when they use Clerk: their `requirements*.txt` / `pyproject.toml` names a
    Clerk package, or their code imports one, reads `CLERK_*` settings or Clerk's JWKS.

    ## Why is this bad?

    Clerk does not sit in front of a Python API: every request reaches your code, signed in or not,
    and only the code decides. An endpoint without a check serves its data to anyone who can reach
    the URL, including `curl`. A middleware that only attaches the user (`request.state.user`,
    clerk-django's `ClerkAuthMiddleware`) protects nothing by itself.

    ## Example

    ```py title="app/main.py"
    from clerk_backend_api import Clerk
    from fastapi import FastAPI
    from sqlalchemy.orm import Session

    clerk = Clerk(bearer_auth="...")
    app = FastAPI()
    db = Session()

    @app.get("/invoices")
    def list_invoices():
        return db.execute("select * from invoices").all()
    ```

    ## Use instead

    ```py title="app/main.py"
    from clerk_backend_api import Clerk
    from clerk_backend_api.security.types import AuthenticateRequestOptions
    from fastapi import Depends, FastAPI, HTTPException, Request
    from sqlalchemy.orm import Session

    clerk = Clerk(bearer_auth="...")
    app = FastAPI()
    db = Session()

    def require_user(request: Request) -> str:
        state = clerk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=["https://app.example.com"]))
        if not state.is_signed_in:
            raise HTTPException(status_code=401)
        return state.payload["sub"]

    @app.get("/invoices")
    def list_invoices(user_id: str = Depends(require_user)):
        return db.execute("select * from invoices where user_id = :u", {"u": user_id}).all()
    ```

    ## Known problems

    An endpoint meant to be public (a catalogue, a contact form) is reported when it reaches data:
    suppress it with `# clerk-lint-ignore CLK105 -- public by design` above the function. Webhook
    receivers (a `webhook` path or name, svix verification) are left alone; CLK401 judges them.
    Middleware that refuses callers for some paths only is taken to protect every path. Routes built
    dynamically (a loop over a table of handlers) are not found.

    ## References

    - [Clerk: Python Backend SDK, authenticate requests](https://github.com/clerk/clerk-sdk-python#request-authentication)
    - [FastAPI: dependencies in path operation decorators](https://fastapi.tiangolo.com/tutorial/dependencies/dependencies-in-path-operation-decorators/)
    - [Django REST framework: permissions](https://www.django-rest-framework.org/api-guide/permissions/)
    - [CWE-306: Missing Authentication for Critical Function](https://cwe.mitre.org/data/definitions/306.html)
    """

    id = "CLK105"
    slug = "python-endpoint-without-auth"
    name = "Python endpoint without auth"
    level = Level.ERROR
    security_severity = 8.2
    cwe = (306, 862)
    tags = ("python", "authentication")
    grammars = frozenset({PYTHON})

    cases = (
        Case("fastapi-route-router-and-open-export", {
            "requirements.txt": REQ,
            "app/__init__.py": "",
            "app/auth.py": AUTH,
            "app/db.py": DB,
            "app/routers/notes.py": (
                "from fastapi import APIRouter, Depends\n"
                "from ..auth import require_user\n"
                "from ..db import SessionLocal\n\n"
                "router = APIRouter(prefix='/notes', dependencies=[Depends(require_user)])\n\n"
                "@router.get('/')\n"
                "def list_notes():\n"
                "    return SessionLocal().execute('select * from notes').all()\n"
            ),
            "app/main.py": (
                "from fastapi import FastAPI, Depends\n"
                "from .auth import require_user\n"
                "from .db import SessionLocal\n"
                "from .routers import notes\n\n"
                "app = FastAPI()\n"
                "app.include_router(notes.router)\n\n"
                "@app.get('/health')\n"
                "def health():\n"
                "    return {'ok': True}\n\n"
                "@app.get('/export')\n"
                "def export(): # expect: CLK105\n"
                "    return SessionLocal().execute('select * from notes').all()\n\n"
                "@app.get('/me')\n"
                "def me(user_id: str = Depends(require_user)):\n"
                "    return SessionLocal().execute('select * from notes where user_id = :u', {'u': user_id}).all()\n"
            ),
        }),
        Case("not-a-clerk-app", {
            "requirements.txt": "fastapi==0.115.12\nsqlalchemy==2.0.40\n",
            "main.py": (
                "from fastapi import FastAPI\nfrom sqlalchemy.orm import Session\n\napp = FastAPI()\ndb = Session()\n\n"
                "@app.get('/items')\ndef items():\n    return db.execute('select 1').all()\n"
            ),
        }),
        Case("flask-decorator-in-another-module", {
            "requirements.txt": "flask==3.1.0\nclerk-backend-api==5.0.7\n",
            "auth.py": (
                "from functools import wraps\nfrom flask import abort, request, g\n"
                "from clerk_backend_api import Clerk\nfrom clerk_backend_api.security.types import AuthenticateRequestOptions\n\n"
                "sdk = Clerk(bearer_auth='')\n\n"
                "def require_auth(view):\n    @wraps(view)\n    def wrapper(*args, **kwargs):\n"
                "        state = sdk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=['https://a.example']))\n"
                "        if not state.is_signed_in:\n            abort(401)\n        g.user_id = state.payload['sub']\n"
                "        return view(*args, **kwargs)\n    return wrapper\n"
            ),
            "app.py": (
                "from flask import Flask, jsonify, g\nfrom auth import require_auth\nfrom models import Note\n\napp = Flask(__name__)\n\n"
                "@app.route('/notes')\n@require_auth\ndef notes():\n    return jsonify([n.title for n in Note.query.filter_by(user_id=g.user_id)])\n\n"
                "@app.route('/public')\ndef public(): # expect: CLK105\n    return jsonify([n.title for n in Note.query.all()])\n"
            ),
            "models.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\nclass Note(db.Model):\n    pass\n",
        }),
    )

    def check(self, file: SourceFile, project) -> Iterator[Finding]:
        if _is_test_file(file.rel) or not any(m in file.data for m in (b"def ", b"class ")):
            return
        model = project.python
        endpoints = model.endpoints(file)
        if not endpoints or not model.uses_clerk(file):
            return
        for endpoint in endpoints:
            coverage = model.guards.coverage(endpoint)
            if coverage.status != OPEN:
                continue
            sinks = sorted(coverage.exposed, key=lambda s: s.kind != "data")
            labels = ", ".join(list(dict.fromkeys(s.label for s in sinks))[:3])
            reaches = f"reaches {labels}" if labels else "reaches data"
            if coverage.late_guard and coverage.guard is not None:
                message = f"{endpoint.label} {reaches} before its auth check ({coverage.guard.how}); move the check first"
            else:
                message = f"{endpoint.label} {reaches} with no auth check (no guarding dependency, decorator, permission class or middleware)"
            related = [file.node_location(sinks[0].node, "reached without an auth check")] if sinks else []
            related += coverage.related
            if endpoint.registered is not None:
                related.append(endpoint.registered[0].node_location(endpoint.registered[1], "wired to a URL here"))
            yield self.finding((file, endpoint.node), message, related=related)


def _is_test_file(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    parts = rel.split("/")[:-1]
    return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py" or any(p in ("tests", "test") for p in parts)
