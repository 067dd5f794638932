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

    An endpoint meant to be public (a catalogue) is reported when it reaches data: suppress it with
    `# clerk-lint-ignore CLK105 -- public by design` above the function. Some public endpoints are
    recognised and left alone: webhook receivers (a `webhook` path or name, svix verification; CLK401
    judges them), health and metadata paths (`/health`, `/ping`, `/version`, `/sitemap.xml`...),
    public forms posted to `/contact`, `/newsletter`, `/waitlist`, `/signup`, handlers whose docstring
    or comment says they are public or anonymous, handlers that declare an *optional* Clerk dependency
    (`ClerkHTTPBearer(auto_error=False)`, a dependency that returns `None` for signed-out callers) and
    so serve signed-out callers on purpose, and development-only handlers that abort in production.
    Middleware or hooks that refuse callers for some paths only are taken to protect every path.
    Routes built dynamically (a loop over a table of handlers) are not found.

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
        Case("uncalled-dependency-factory", {
            "requirements.txt": REQ,
            "app/__init__.py": "",
            "app/auth.py": AUTH + (
                "\n\ndef user_with_role(role: str):\n"
                "    def dependency(request: Request) -> str:\n"
                "        state = clerk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=['https://app.example.com']))\n"
                "        if not state.is_signed_in or state.payload.get('role') != role:\n"
                "            raise HTTPException(status_code=403)\n"
                "        return state.payload['sub']\n"
                "    return dependency\n"
            ),
            "app/db.py": DB,
            "app/main.py": (
                "from fastapi import Depends, FastAPI\nfrom .auth import user_with_role\nfrom .db import SessionLocal\n\napp = FastAPI()\n\n"
                "@app.get('/reports')\ndef reports(user=Depends(user_with_role)): # expect: CLK105\n"
                "    return SessionLocal().execute('select * from reports').all()\n\n"
                "@app.get('/audit')\ndef audit(user=Depends(user_with_role('auditor'))):\n"
                "    return SessionLocal().execute('select * from audit').all()\n"
            ),
        }),
        Case("django-blocking-middleware", {
            "requirements.txt": "Django==5.1.4\nclerk-backend-api==5.0.7\n",
            "site/settings.py": "MIDDLEWARE = ['django.middleware.common.CommonMiddleware', 'site.gate.ClerkGate']\n",
            "site/__init__.py": "",
            "site/gate.py": (
                "from django.http import JsonResponse\nfrom clerk_backend_api import Clerk\n"
                "from clerk_backend_api.security.types import AuthenticateRequestOptions\n\nsdk = Clerk(bearer_auth='')\n\n"
                "class ClerkGate:\n    def __init__(self, get_response):\n        self.get_response = get_response\n\n"
                "    def __call__(self, request):\n"
                "        state = sdk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=['https://a.example']))\n"
                "        if not state.is_signed_in:\n            return JsonResponse({'detail': 'sign in'}, status=401)\n"
                "        return self.get_response(request)\n"
            ),
            "site/urls.py": "from django.urls import path\nfrom . import views\n\nurlpatterns = [path('reports/', views.reports)]\n",
            "site/views.py": (
                "from django.http import JsonResponse\nfrom .models import Report\n\n"
                "def reports(request):\n    return JsonResponse({'reports': list(Report.objects.values())})\n"
            ),
            "site/models.py": "from django.db import models\n\nclass Report(models.Model):\n    title = models.CharField(max_length=80)\n",
        }),
        Case("blocking-http-middleware-and-flask-hook", {
            "requirements.txt": "fastapi==0.115.12\nflask==3.1.0\nclerk-backend-api==5.0.7\nsqlalchemy==2.0.40\n",
            "api/__init__.py": "",
            "api/auth.py": AUTH,
            "api/db.py": DB,
            "api/main.py": (
                "from fastapi import FastAPI, Request\nfrom fastapi.responses import JSONResponse\n"
                "from .auth import clerk\nfrom .db import SessionLocal\n"
                "from clerk_backend_api.security.types import AuthenticateRequestOptions\n\napp = FastAPI()\n\n"
                "@app.middleware('http')\nasync def require_session(request: Request, call_next):\n"
                "    if request.url.path == '/health':\n        return await call_next(request)\n"
                "    state = clerk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=['https://a.example']))\n"
                "    if not state.is_signed_in:\n        return JSONResponse({'detail': 'sign in'}, status_code=401)\n"
                "    return await call_next(request)\n\n"
                "@app.get('/notes')\ndef notes():\n    return SessionLocal().execute('select * from notes').all()\n"
            ),
            "web/__init__.py": "",
            "web/app.py": (
                "from flask import Flask, abort, request\nfrom api.auth import clerk\nfrom api.db import SessionLocal\n"
                "from clerk_backend_api.security.types import AuthenticateRequestOptions\n\nweb = Flask(__name__)\n\n"
                "@web.before_request\ndef signed_in_only():\n"
                "    if not clerk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=['https://a.example'])).is_signed_in:\n"
                "        abort(401)\n\n"
                "@web.route('/reports')\ndef reports():\n    return {'rows': SessionLocal().execute('select 1').all()}\n"
            ),
        }),
        Case("attaching-middleware-protects-nothing", {
            "requirements.txt": "fastapi==0.115.12\nclerk-backend-api==5.0.7\nsqlalchemy==2.0.40\n",
            "api/__init__.py": "",
            "api/auth.py": AUTH,
            "api/db.py": DB,
            "api/main.py": (
                "from fastapi import FastAPI, Request\nfrom .auth import clerk\nfrom .db import SessionLocal\n"
                "from clerk_backend_api.security.types import AuthenticateRequestOptions\n\napp = FastAPI()\n\n"
                "@app.middleware('http')\nasync def attach_user(request: Request, call_next):\n"
                "    request.state.auth = clerk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=['https://a.example']))\n"
                "    return await call_next(request)\n\n"
                "@app.get('/notes')\ndef notes(): # expect: CLK105\n    return SessionLocal().execute('select * from notes').all()\n"
            ),
        }),
        Case("starlette-routes", {
            "requirements.txt": "starlette==0.46.2\nclerk-backend-api==5.0.7\nasyncpg==0.30.0\n",
            "app.py": (
                "import asyncpg\nfrom starlette.applications import Starlette\nfrom starlette.authentication import requires\n"
                "from starlette.responses import JSONResponse\nfrom starlette.routing import Route\n\n"
                "async def notes(request): # expect: CLK105\n"
                "    conn = await asyncpg.connect()\n    return JSONResponse(await conn.fetch('select * from notes'))\n\n"
                "@requires('authenticated')\nasync def my_notes(request):\n"
                "    conn = await asyncpg.connect()\n    return JSONResponse(await conn.fetch('select * from notes where user_id = $1', request.user.identity))\n\n"
                "app = Starlette(routes=[Route('/notes', notes), Route('/me/notes', my_notes)])\n"
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
        if not any(m in file.data for m in (b"def ", b"class ")):
            return
        model = project.python
        if model.is_test(file) or not model.uses_clerk(file):
            return
        endpoints = model.endpoints(file)
        for endpoint in endpoints:
            coverage = model.guards.coverage(endpoint)
            if coverage.status != OPEN:
                continue
            sinks = sorted(coverage.exposed, key=lambda s: s.kind != "data")
            labels = ", ".join(list(dict.fromkeys(s.label for s in sinks))[:3])
            reaches = f"reaches {labels}" if labels else "reaches data"
            if coverage.unawaited_guard:
                factory = coverage.unawaited_guard
                message = (
                    f"{endpoint.label} {reaches} with no effective auth check: `Depends({factory})` hands FastAPI the factory "
                    f"itself, so it injects the guard function `{factory}()` returns without ever running it; write `Depends({factory}())`"
                )
            elif coverage.late_guard and coverage.guard is not None:
                message = f"{endpoint.label} {reaches} before its auth check ({coverage.guard.how}); move the check first"
            else:
                message = f"{endpoint.label} {reaches} with no auth check (no guarding dependency, decorator, permission class or middleware)"
            first = sinks[0].location("reached without an auth check") if sinks else None
            related = [first] if first is not None else []
            related += coverage.related
            if endpoint.registered is not None:
                related.append(endpoint.registered[0].node_location(endpoint.registered[1], "wired to a URL here"))
            yield self.finding((file, endpoint.node), message, related=related)

