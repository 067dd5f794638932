"""The Python model: module resolution, names across modules, apps, endpoints and guards, and
hostile input (deep nesting, import and class cycles)."""

from __future__ import annotations

from pathlib import Path

from harness import scan, write_files

from clerk_lint.project import Project

REQ = "fastapi==0.115.12\nclerk-backend-api==5.0.7\nsqlalchemy==2.0.40\n"
AUTH = (
    "from clerk_backend_api import Clerk\n"
    "from clerk_backend_api.security.types import AuthenticateRequestOptions\n"
    "from fastapi import HTTPException, Request\n\n"
    "clerk = Clerk(bearer_auth='')\n\n"
    "def require_user(request: Request) -> str:\n"
    "    state = clerk.authenticate_request(request, AuthenticateRequestOptions(authorized_parties=['https://a.example']))\n"
    "    if not state.is_signed_in:\n"
    "        raise HTTPException(status_code=401)\n"
    "    return state.payload['sub']\n"
)


def _project(root: Path) -> Project:
    return Project(root, lambda note: None)


def _endpoints(project: Project, rel: str):
    file = project.load(project.root / rel)
    assert file is not None
    return file, project.python.endpoints(file)


def test_resolver_follows_src_layouts_relative_imports_and_namespace_packages(tmp_path):
    write_files(tmp_path, {
        "pyproject.toml": "[project]\nname = 'svc'\ndependencies = ['clerk-backend-api>=5']\n",
        "src/svc/__init__.py": "",
        "src/svc/auth/__init__.py": "from .session import require_user as current_user\n",
        "src/svc/auth/session.py": AUTH,
        "src/svc/api/routes.py": (
            "from svc.auth import current_user\nfrom ..auth import session as sess\nimport svc.auth.session as s2\n"
            "from plugins import loader\n"
        ),
        "src/plugins/loader.py": "def load():\n    return 1\n",
    })
    project = _project(tmp_path)
    file = project.load(tmp_path / "src/svc/api/routes.py")
    model = project.python
    aliased = model.lookup(file, "current_user")
    assert (aliased.kind, aliased.name, aliased.file.rel) == ("function", "require_user", "src/svc/auth/session.py")
    for name in ("sess", "s2"):  # `from ..auth import session as sess`, `import svc.auth.session as s2`
        module = model.lookup(file, name)
        assert module.kind == "module" and module.file.rel == "src/svc/auth/session.py", name
    namespace = model.lookup(file, "loader")  # `plugins` has no __init__.py
    assert namespace.kind == "module" and namespace.file.rel == "src/plugins/loader.py"
    assert model.uses_clerk(file)


def test_external_names_are_qualified(tmp_path):
    write_files(tmp_path, {"a.py": "import jwt\nfrom jose import jwt as jose_jwt\nfrom jwt import decode as d\n"})
    project = _project(tmp_path)
    file = project.load(tmp_path / "a.py")
    facts = project.python.facts(file)
    assert facts.imported("jose_jwt") == "jose.jwt"
    assert facts.imported("d") == "jwt.decode"
    assert facts.imported("jwt") == "jwt"


def test_fastapi_prefixes_and_include_dependencies(tmp_path):
    write_files(tmp_path, {
        "requirements.txt": REQ,
        "app/__init__.py": "",
        "app/auth.py": AUTH,
        "app/items.py": (
            "from fastapi import APIRouter\nfrom sqlalchemy.orm import Session\n\nrouter = APIRouter(prefix='/items')\ndb = Session()\n\n"
            "@router.get('/{item_id}')\ndef get_item(item_id: int):\n    return db.execute('select 1').all()\n"
        ),
        "app/main.py": (
            "from fastapi import Depends, FastAPI\nfrom .auth import require_user\nfrom . import items\n\n"
            "app = FastAPI()\napp.include_router(items.router, prefix='/v1', dependencies=[Depends(require_user)])\n"
        ),
    })
    project = _project(tmp_path)
    _, [endpoint] = _endpoints(project, "app/items.py")
    assert endpoint.url == "/v1/items/{item_id}"
    assert endpoint.methods == ("GET",)
    coverage = project.python.guards.coverage(endpoint)
    assert coverage.status == "guarded"


def test_django_urls_wire_function_and_class_views(tmp_path):
    write_files(tmp_path, {
        "requirements.txt": "Django==5.1.4\nclerk-backend-api==5.0.7\n",
        "site/__init__.py": "",
        "site/urls.py": (
            "from django.urls import path, re_path\nfrom . import views\nfrom .views import Dashboard\n\n"
            "urlpatterns = [path('stats/', views.stats), re_path(r'^dash/$', Dashboard.as_view())]\n"
        ),
        "site/views.py": (
            "from django.views import View\nfrom django.http import JsonResponse\n\n"
            "def stats(request):\n    return JsonResponse({})\n\ndef helper(request):\n    return None\n\n"
            "class Dashboard(View):\n    def get(self, request):\n        return JsonResponse({})\n"
        ),
    })
    project = _project(tmp_path)
    _, endpoints = _endpoints(project, "site/views.py")
    assert {(e.name, e.url) for e in endpoints} == {("stats", "/stats/"), ("Dashboard.get", "/dash/")}


def test_apps_without_clerk_are_not_judged(tmp_path):
    write_files(tmp_path, {
        "requirements.txt": "fastapi==0.115.12\n",
        "main.py": "from fastapi import FastAPI\nimport sqlite3\n\napp = FastAPI()\n\n@app.get('/x')\ndef x():\n    return sqlite3.connect('a').execute('select 1').fetchall()\n",
    })
    _, document = scan(tmp_path)
    assert document["findings"] == []


def test_deep_nesting_and_cycles_do_not_crash(tmp_path):
    ors = " or ".join("not state.is_signed_in" for _ in range(3000))
    ands = " and ".join(f"Note.c{i} == x" for i in range(3000))
    nested = "".join("    " * (i + 1) + f"if x{i}:\n" for i in range(150)) + "    " * 151 + "db.query(Note).all()\n"
    write_files(tmp_path, {
        "requirements.txt": REQ,
        "main.py": (
            "from fastapi import FastAPI, Depends\nfrom clerk_backend_api import Clerk\napp = FastAPI()\n"
            "class Note(Note): pass\n\n"
            f"@app.get('/a/{{x}}')\ndef a(x: int, db=Depends(get_db)):\n    state = clerk.authenticate_request(request, o)\n"
            f"    if {ors}:\n        raise HTTPException(401)\n    return db.query(Note).filter({ands}).first()\n\n"
            f"@app.get('/b')\ndef b(db=Depends(get_db)):\n{nested}\n"
            f"chain = a{'.b' * 3000}\n"
        ),
        "pkg/__init__.py": "from .a import *\n",
        "pkg/a.py": "from .b import guard, B\nclass A(B): pass\ndef helper(): return guard()\n",
        "pkg/b.py": "from .a import helper, A\nclass B(A): pass\ndef guard(): return helper()\n",
        "pkg/views.py": (
            "from fastapi import FastAPI\nfrom .a import helper\nfrom .b import guard\napp = FastAPI()\n\n"
            "@app.get('/c')\n@guard\ndef c():\n    return helper()\n"
        ),
    })
    exit_code, document = scan(tmp_path)
    assert not [n for n in document.get("notifications", []) if "internal error" in n.get("message", "")]
    assert {f["rule"] for f in document["findings"]} <= {"CLK105"}
