"""The guard grammar over Python: does an endpoint refuse signed-out callers before it reaches data?

The concepts are those of ``guards.py`` (JS): a *guard* is a statement after which the function
cannot go on for a signed-out caller; a *sink* is what makes an unguarded endpoint matter; project
functions are summarised once (guards / depends on the session / reaches data) and the summaries are
cached, so a dependency used by a hundred routes is analysed once. The Python forms:

* inline: ``state = sdk.authenticate_request(...)`` (or ``_async``, awaited), ``verify_token``, a
  verifying ``jwt.decode`` (it raises), ``request.user`` followed by ``if not <auth>: raise / abort() /
  return <error>``; the positive form ``if state.is_signed_in: ...work...``; a call to a project
  *guard helper* whose body does that and raises; a ``try`` around a verifying call whose ``except``
  raises or returns;
* FastAPI: ``Depends(x)`` / ``Security(x)`` / ``Annotated[..., Depends(x)]`` parameters where ``x``
  (followed across modules, sub-dependencies included) guards — a function, a class instance with a
  guarding ``__call__``, a factory returning a guarding function, ``fastapi_clerk_auth.ClerkHTTPBearer``
  (unless ``auto_error=False``); ``dependencies=[Depends(x)]`` on the route, the ``APIRouter``, an
  ``include_router`` call or the ``FastAPI`` app; an ``@app.middleware("http")`` / ``BaseHTTPMiddleware``
  that answers 401;
* decorators whose wrapper guards before calling the view (``@require_auth`` in any module,
  ``login_required``, ``permission_required``, ``user_passes_test``, Starlette ``requires``), Django's
  ``method_decorator(..., name='dispatch')``, ``LoginRequiredMixin``, Flask ``MethodView.decorators``,
  ``before_request`` hooks that abort;
* DRF ``permission_classes`` (``IsAuthenticated``, ``IsAdminUser``, project permissions whose
  ``has_permission`` reads the user, third-party ones such as ``ClerkAuthenticated``) and the
  ``REST_FRAMEWORK`` defaults; Django ``MIDDLEWARE`` entries that refuse (not ones that only attach a
  user).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from tree_sitter import Node

from clerk_lint.parsing import captures, string_value, text
from clerk_lint.parsing import last_name as _last_name
from clerk_lint.parsing import root_identifier as _root
from clerk_lint.parsing import unwrap as _unwrap
from clerk_lint.project.coverage import GUARDED, NO_DATA, OPEN, PURPOSE, Coverage
from clerk_lint.project.guards import Guard, Sink, Verdict
from clerk_lint.project.python import (
    CLASS,
    DJANGO,
    DRF,
    EXTERNAL,
    FLASK,
    FUNCTION,
    MODULE,
    PARAM,
    VALUE,
    PyEndpoint,
    PyModel,
    PySymbol,
    depends_list,
    dotted_parts,
    keyword,
    positional,
)
from clerk_lint.project.python_endpoints import base_names, class_attribute, class_methods, decorators
from clerk_lint.source import SourceFile

#: calls whose result is the caller's auth state (they do not raise for a signed-out caller)
AUTH_CALLS = frozenset({
    "authenticate_request", "authenticate_request_async", "authenticate", "get_auth", "to_auth", "get_user_from_token",
})
#: verifying calls that raise for a bad or missing token: a statement that runs one is a guard
VERIFY_CALLS = frozenset({"verify_token", "verify_token_async", "verify_jwt", "verify_session_token"})
JWT_MODULES = ("jwt", "jose", "jose.jwt", "authlib.jose", "joserfc")
#: exception-raising calls that end the request
EXIT_CALLS = frozenset({"abort", "permission_denied", "handle_no_permission", "raise_for_status", "redirect_to_login"})
#: auth-related names read off the request or framework globals
AUTH_ATTRIBUTE = re.compile(
    r"(?:^|\.)(?:request|req|self\.request|g|flask\.g|info\.context)\.(?:state\.)?"
    r"(?:user|auth|claims|session|clerk_user|clerk_session|user_id|clerk_user_id|current_user|auth_user|identity|payload|token_payload|decoded_token)\b"
)
AUTH_GLOBALS = frozenset({"current_user", "current_identity"})
#: names of parameters that FastAPI/Django inject as the request (never sinks)
REQUEST_NAMES = frozenset({"request", "req", "websocket", "ws", "self", "cls", "info", "scope", "receive", "send", "call_next", "response"})
#: names that hold a database or API client by convention
DATA_NAMES = frozenset({
    "db", "session", "sess", "database", "conn", "connection", "cursor", "cur", "engine", "supabase", "collection",
    "redis", "cache", "mongo", "client_db", "pool", "s3", "bucket", "table", "firestore", "clerk", "clerk_client", "sdk",
    "clerk_sdk", "stripe", "prisma", "tx", "transaction", "uow", "repo", "repository", "storage", "es", "index",
})
DATA_TYPES = frozenset({"Session", "AsyncSession", "Connection", "AsyncConnection", "Database", "Client", "AsyncClient", "Prisma", "Redis", "Cursor"})
#: packages whose calls reach stored data, remote APIs or files
DATA_MODULES = (
    "sqlalchemy", "sqlmodel", "psycopg", "psycopg2", "asyncpg", "aiosqlite", "sqlite3", "pymongo", "motor", "redis",
    "aioredis", "supabase", "firebase_admin", "google.cloud", "boto3", "botocore", "aioboto3", "tortoise", "peewee",
    "pony", "databases", "prisma", "django.db", "mysql", "pymysql", "MySQLdb", "elasticsearch", "pinecone", "stripe",
    "clerk_backend_api", "pynamodb", "cassandra", "neo4j", "weaviate", "qdrant_client", "chromadb", "postgrest",
    "shutil", "pathlib", "aiofiles", "mongoengine", "beanie", "odmantic", "edgedb", "gel",
)
DATA_FACTORIES = frozenset({
    "create_engine", "create_async_engine", "sessionmaker", "async_sessionmaker", "SessionLocal", "AsyncSessionLocal",
    "create_client", "acreate_client", "MongoClient", "AsyncIOMotorClient", "Redis", "StrictRedis", "from_url", "connect",
    "create_pool", "Clerk", "Prisma", "Database", "Session", "AsyncSession", "get_db", "get_session", "client",
})
#: ORM methods: with a model class or a data client as the root, the call reaches the database
ORM_METHODS = frozenset({
    "objects", "query", "get", "filter", "filter_by", "exclude", "all", "first", "last", "create", "update", "delete",
    "get_or_create", "update_or_create", "bulk_create", "bulk_update", "get_or_none", "get_or_404", "first_or_404",
    "one", "one_or_none", "scalar", "scalars", "execute", "save", "count", "exists", "select", "where", "raw", "insert",
    "find", "find_one", "insert_one", "insert_many", "update_one", "update_many", "delete_one", "delete_many",
})
#: functions and constructors that build responses, parse input or compute plain values
PURE_CALLS = frozenset({
    "len", "str", "int", "float", "bool", "dict", "list", "set", "tuple", "frozenset", "isinstance", "issubclass", "print",
    "range", "enumerate", "zip", "map", "filter", "sorted", "reversed", "min", "max", "sum", "any", "all", "abs", "round",
    "getattr", "hasattr", "setattr", "type", "id", "repr", "hash", "format", "iter", "next", "super", "vars", "callable",
    "bytes", "bytearray", "ord", "chr", "divmod", "pow", "jsonify", "make_response", "render_template", "render",
    "render_template_string", "redirect", "url_for", "abort", "flash", "Depends", "Security", "Query", "Path", "Body",
    "Header", "Cookie", "Form", "File", "Field", "uuid4", "uuid1", "uuid5", "now", "utcnow", "today", "sleep", "time",
    "loads", "dumps", "dataclass", "asdict", "cast", "reverse", "reverse_lazy", "gettext", "_", "escape", "quote",
    "urlencode", "sha256", "md5", "b64encode", "b64decode", "urlsafe_b64encode", "urlsafe_b64decode", "datetime", "date",
    "timedelta", "Decimal", "local", "localtime", "monotonic", "perf_counter", "getLogger", "status", "stream_with_context",
    "send_from_directory", "jsonable_encoder", "model_validate", "parse_obj", "is_valid", "get_json",
})
PURE_METHODS = frozenset({
    "get", "items", "keys", "values", "append", "extend", "pop", "setdefault", "strip", "lstrip", "rstrip", "lower", "upper",
    "split", "rsplit", "join", "format", "startswith", "endswith", "replace", "encode", "decode", "isoformat", "model_dump",
    "model_dump_json", "dict", "json", "copy", "index", "sort", "remove", "discard", "is_valid", "model_validate",
    "parse_obj", "hexdigest", "digest", "strftime", "strptime", "timestamp", "total_seconds", "to_dict", "title",
    "capitalize", "zfill", "splitlines", "partition", "rpartition", "info", "debug", "warning", "warn", "error",
    "exception", "critical", "log", "get_json", "get_data", "getlist", "isdigit", "isalnum", "isnumeric", "casefold",
    "fromisoformat", "fromtimestamp", "utcnow", "now", "today", "astimezone", "replace", "dumps", "loads", "hex",
    "set_cookie", "delete_cookie", "headers", "body", "form", "stream", "read", "close", "is_authenticated",
    "model_copy", "validate", "serialize", "to_representation", "update", "add", "count",
})
#: roots of member calls that only read the request, build a response or compute values
PURE_ROOTS = frozenset({
    "request", "req", "response", "json", "math", "datetime", "time", "uuid", "re", "logging", "logger", "log", "typing",
    "status", "os.path", "itertools", "functools", "collections", "string", "random", "secrets", "hashlib", "hmac",
    "base64", "urllib", "html", "decimal", "enum", "pydantic", "jsonify", "np", "pd", "timezone", "timedelta", "date",
    "serializer", "form", "self.request", "websocket", "traceback", "warnings", "asyncio", "copy", "textwrap", "st",
    "templates", "messages", "settings", "config", "env", "g", "app", "current_app", "router", "ws",
})
PURE_ROOT_MODULES = ("jwt", "jose", "logging", "json", "datetime", "uuid", "re", "math", "typing", "hashlib", "hmac", "base64", "fastapi", "flask", "starlette", "django.http", "django.shortcuts", "rest_framework.response", "pydantic", "time", "secrets", "urllib", "html", "decimal", "enum", "itertools", "functools", "collections", "random", "string", "asyncio", "structlog", "loguru", "werkzeug")
SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|PRIVATE|API_KEY|_KEY$", re.I)
CREDENTIAL_TEXT = re.compile(r"(?:api[_-]?key|x-api-key|authorization|secret|signature|token|password|compare_digest)", re.I)
#: decorators known to refuse anonymous callers
GUARD_DECORATORS = frozenset({
    "login_required", "permission_required", "user_passes_test", "staff_member_required", "superuser_required",
    "requires", "jwt_required", "auth_required", "require_auth", "requires_auth", "fresh_jwt_required", "roles_required",
    "roles_accepted", "admin_required", "token_required", "clerk_required", "require_user", "authenticated",
})
#: DRF permission classes that let anonymous callers through (read-only variants: GET/HEAD/OPTIONS)
OPEN_PERMISSIONS = frozenset({"AllowAny"})
READ_OPEN_PERMISSIONS = frozenset({"IsAuthenticatedOrReadOnly", "DjangoModelPermissionsOrAnonReadOnly"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
AUTH_MIXINS = frozenset({"LoginRequiredMixin", "PermissionRequiredMixin", "UserPassesTestMixin", "AccessMixin", "StaffuserRequiredMixin", "SuperuserRequiredMixin"})
BLOCKING_MIDDLEWARE = frozenset({"LoginRequiredMiddleware"})
#: names of an auth result that is set when verification failed
ERROR_NAME = re.compile(r"err|fail|invalid|denied|unauthori[sz]ed|forbidden|problem", re.I)
#: `if ENVIRONMENT == "production": abort(403)`: a development-only endpoint
PRODUCTION_GATE = re.compile(r"""(?:==\s*['"]prod(?:uction)?['"]|['"]prod(?:uction)?['"]\s*==|^not\s+(?:\w+\.)*DEBUG$)""")
#: last URL segments of endpoints that are public by convention
PUBLIC_PATHS = frozenset({
    "health", "healthz", "healthcheck", "health-check", "ping", "ready", "readyz", "live", "livez", "alive", "version",
    "robots.txt", "sitemap.xml", "favicon.ico", "openapi.json", ".well-known",
})
PUBLIC_FORM = re.compile(r"(?<![a-z])(?:contact\w*|newsletter|subscribe|waitlist|wait-list|sign-?up|register|leads?)(?![a-z])", re.I)
PUBLIC_DOC = re.compile(
    r"(?<![\w.])(?:public(?![_\w])|an[oó]n(?:ym|iem|im)\w*|no[ -]auth\w*|without (?:auth\w*|login)|"
    r"auth\w* (?:is )?not required|no login required|open to everyone)",
    re.I,
)
#: how deep conditions and nested statements are followed
MAX_DEPTH = 48

CALL_QUERY = "(call) @call"
NESTED_QUERY = "[(function_definition) (lambda) (class_definition)] @nested"
ENV_QUERY = """
[
  (subscript value: (attribute object: (identifier) @os attribute: (identifier) @environ) subscript: (string) @name) @read
  (call function: (attribute object: (attribute object: (identifier) @os attribute: (identifier) @environ) attribute: (identifier) @get) arguments: (argument_list . (string) @name)) @read
  (call function: (attribute object: (identifier) @os attribute: (identifier) @getenv) arguments: (argument_list . (string) @name)) @read
]
"""


@dataclass(frozen=True)
class PySummary:
    guards: Guard | None  # calling it raises (or aborts) for a signed-out caller
    auth_source: bool  # its result depends on the session
    data: bool  # reaches stored data for a signed-out caller
    reaches: bool  # reaches any sink for a signed-out caller
    raises: bool = False  # always raises (a helper that builds and raises a 401)
    returns_data: bool = False  # returns or yields a database session/client (a ``get_db`` dependency)


NEUTRAL = PySummary(None, False, False, True)


@dataclass(frozen=True)
class DepInfo:
    """What a FastAPI dependency gives the function that declares it."""

    guard: Guard | None = None
    auth: bool = False  # the value is the auth state (the caller still has to check it)
    data: bool = False  # the value is a database session / client
    lenient: bool = False  # an auto_error=False bearer: only a check of `.decoded` enforces it
    factory: str = ""  # `Depends(make_guard)`: a factory passed uncalled (its guarding inner function never runs)


NO_DEP = DepInfo()


@dataclass
class _State:
    file: SourceFile
    mode: str  # "entry": a return ends the request; "helper": only raise / abort do
    auth_vars: set[str] = field(default_factory=set)
    data_vars: set[str] = field(default_factory=set)
    credential_vars: set[str] = field(default_factory=set)
    uses_auth: bool = False
    returns_data: bool = False
    nested: list[tuple[int, int]] = field(default_factory=list)


class PyGuards:
    def __init__(self, model: PyModel) -> None:
        self.model = model
        self.project = model.project
        self._summaries: dict[tuple[str, int], PySummary] = {}
        self._deps: dict[tuple[str, int], DepInfo] = {}
        self._decorators: dict[tuple[str, int], Guard | None] = {}
        self._classes: dict[tuple[str, int, str], Guard | None] = {}
        self._routers: dict[tuple[str, str], Guard | None] = {}
        self._middleware: dict[tuple[Path, str], Guard | None] = {}
        self._models: dict[tuple[str, int], bool] = {}
        self._values: dict[tuple[str, int], bool] = {}
        self._coverage: dict[tuple[str, int, str], Coverage] = {}

    # -- public API ------------------------------------------------------------------------------

    def analyse(self, file: SourceFile, function: Node, mode: str = "entry") -> Verdict:
        return self._analyse(file, function, mode)[0]

    def _analyse(self, file: SourceFile, function: Node, mode: str) -> tuple[Verdict, _State]:
        state = _State(file, mode)
        verdict = Verdict()
        state.nested = [
            (n.start_byte, n.end_byte) for n in captures(file.grammar, NESTED_QUERY, function).get("nested", ()) if n != function
        ]
        self._parameters(file, function, state, verdict)
        body = function.child_by_field_name("body")
        statements = [c for c in body.named_children if c.type != "comment"] if body is not None else []
        self._statements(statements, state, verdict, verdict.guard is not None, 0)
        verdict.uses_auth = state.uses_auth
        return verdict, state

    def summary(self, file: SourceFile, function: Node) -> PySummary:
        key = (str(file.real), function.start_byte)
        found = self._summaries.get(key)
        if found is not None:
            return found
        self._summaries[key] = NEUTRAL  # recursion ends here
        verdict, helper_state = self._analyse(file, function, "helper")
        guard = verdict.guard if not [s for s in verdict.unguarded if s.kind == "data"] else None
        if guard is not None and guard.helper is None:
            guard = Guard(guard.how, guard.file, guard.node, file.node_location(function.child_by_field_name("name") or function, "guard helper"), guard.kind)
        exposed = [] if guard is not None else self.analyse(file, function, mode="entry").unguarded
        body = function.child_by_field_name("body")
        raises = body is not None and any(c.type == "raise_statement" for c in body.named_children)
        result = PySummary(
            guards=guard,
            auth_source=verdict.uses_auth,
            data=any(s.kind == "data" for s in exposed),
            reaches=bool(exposed),
            raises=raises,
            returns_data=helper_state.returns_data,
        )
        self._summaries[key] = result
        return result

    # -- endpoints -------------------------------------------------------------------------------

    def coverage(self, endpoint: PyEndpoint) -> Coverage:
        key = (str(endpoint.file.real), endpoint.node.start_byte, endpoint.name)
        found = self._coverage.get(key)
        if found is None:
            found = self._coverage[key] = self._compute(endpoint)
        return found

    def endpoint_guard(self, endpoint: PyEndpoint) -> Guard | None:
        """A guard applied around the handler: dependencies at every level, decorators, the class,
        blocking middleware."""
        file = endpoint.file
        for dep_file, dep in endpoint.dependencies:
            info = self.depends(dep_file, dep)
            if info.guard is not None:
                return Guard(f"route dependency `{_short(dep)}`", dep_file, dep, info.guard.helper or info.guard.location(), info.guard.kind)
        if endpoint.owner is not None:
            guard = self.router_guard(file, endpoint.owner, 0)
            if guard is not None:
                return guard
        if endpoint.function is not None:
            for decorator in decorators(endpoint.function):
                guard = self.decorator_guard(file, decorator)
                if guard is not None:
                    return guard
        if endpoint.cls is not None:
            method = endpoint.name.rsplit(".", 1)[-1] if "." in endpoint.name else ""
            guard = self.class_guard(file, endpoint.cls, method, endpoint.methods, endpoint.framework)
            if guard is not None:
                return guard
        elif endpoint.framework == DRF and endpoint.function is not None:
            guard = self._drf_function_permissions(file, endpoint)
            if guard is not None:
                return guard
        return self.middleware_guard(endpoint)

    def _compute(self, endpoint: PyEndpoint) -> Coverage:
        purpose = self._purpose(endpoint)
        if purpose:
            return Coverage(PURPOSE, purpose)
        guard = self.endpoint_guard(endpoint)
        if guard is not None:
            related = [guard.helper] if guard.helper else [guard.location()]
            return Coverage(GUARDED, guard.how, related=related, guard=guard)
        if endpoint.function is None:
            target = class_attribute(endpoint.cls, "queryset") if endpoint.cls is not None else None
            label = f"queryset `{_short(target)}`" if target is not None else "its queryset"
            return Coverage(OPEN, "no guard", exposed=[Sink("data", label, target or endpoint.node, endpoint.file)])
        verdict = self.analyse(endpoint.file, endpoint.function, mode="entry")
        exposed = verdict.exposed()
        guard = verdict.guard
        if guard is not None and (not exposed or guard.kind in ("ownership", "credential")):
            related = [guard.helper] if guard.helper else []
            prefix = {"auth": "in-handler guard", "ownership": "ownership check", "credential": "non-Clerk check"}[guard.kind]
            how = guard.how if guard.how.startswith("dependency") and guard.kind == "auth" else f"{prefix}: {guard.how}"
            return Coverage(GUARDED, how, related=related, guard=guard)
        if not exposed:
            return Coverage(NO_DATA, "reaches data only in a signed-in branch" if verdict.sinks else "reaches no data")
        if guard is None:
            intended = self._intended_open(endpoint)
            if intended:
                return Coverage(PURPOSE, intended)
            factory = self._uncalled_factory(endpoint.file, endpoint.function)
            if factory:
                return Coverage(OPEN, "no guard", exposed=exposed, unawaited_guard=factory)
        coverage = Coverage(OPEN, "no guard", exposed=exposed, guard=guard, late_guard=guard is not None)
        if guard is not None:
            coverage.how = f"guard ({guard.how}) only after data access"
            coverage.related.append(guard.location())
        return coverage

    def _purpose(self, endpoint: PyEndpoint) -> str:
        words = f"{endpoint.url or ''} {endpoint.name}".lower()
        if "webhook" in words:
            return "webhook receiver: public by design; its signature check is not judged here"
        facts = self.model.facts(endpoint.file)
        function = endpoint.function
        if function is not None and facts.imports_module("svix", "standardwebhooks") and b"verify" in function.text:
            return "webhook receiver: public by design; its signature check is not judged here"
        last = (endpoint.url or "").rstrip("/").rsplit("/", 1)[-1].lower()
        if last in PUBLIC_PATHS:
            return f"`{last}` endpoint: public by convention"
        if endpoint.methods and set(endpoint.methods) <= {"POST", "PUT"} and PUBLIC_FORM.search(endpoint.url or ""):
            return "a public form (contact, newsletter, waitlist, sign-up): public by convention"
        return ""

    def _intended_open(self, endpoint: PyEndpoint) -> str:
        """Why an endpoint that serves signed-out callers does so on purpose ("" when nothing says)."""
        function = endpoint.function
        if function is None:
            return ""
        if _documented_public(function):
            return "documented as public (docstring or comment)"
        body = function.child_by_field_name("body")
        state = _State(endpoint.file, "entry")
        for statement in body.named_children[:4] if body is not None else ():
            if statement.type != "if_statement":
                continue
            condition = statement.child_by_field_name("condition")
            consequence = statement.child_by_field_name("consequence")
            if condition is not None and consequence is not None and PRODUCTION_GATE.search(text(condition).strip()) and self._exits(consequence, state, 0):
                return f"development only: `{_short(condition)}` refuses every caller in production"
        optional = self._optional_auth(endpoint.file, function)
        if optional:
            return f"optional authentication: the handler serves signed-out callers by design (`{optional}`)"
        return ""

    def _uncalled_factory(self, file: SourceFile, function: Node) -> str:
        """``Depends(get_current_user)`` where ``get_current_user()`` builds the guarding dependency:
        FastAPI calls the factory and injects the function it returns, which never runs."""
        params = function.child_by_field_name("parameters")
        for param in params.named_children if params is not None else ():
            for dep_file, dep in self.param_depends(file, param):
                info = self.depends(dep_file, dep)
                if info.factory:
                    return info.factory
        return ""

    def _optional_auth(self, file: SourceFile, function: Node) -> str:
        """A parameter whose dependency yields the auth state without refusing anyone
        (``ClerkHTTPBearer(auto_error=False)``, a ``get_optional_user``): signed-out callers are
        expected, and handled by the body."""
        params = function.child_by_field_name("parameters")
        for param in params.named_children if params is not None else ():
            for dep_file, dep in self.param_depends(file, param):
                info = self.depends(dep_file, dep)
                if info.auth and info.guard is None:
                    return _short(dep)
        return ""

    # -- dependencies ----------------------------------------------------------------------------

    def depends(self, file: SourceFile, call: Node) -> DepInfo:
        """What ``Depends(x)`` / ``Security(x)`` gives: x followed across modules."""
        if call.type != "call":
            return NO_DEP
        callee = call.child_by_field_name("function")
        parts = dotted_parts(callee)
        if not parts or parts[-1] not in ("Depends", "Security"):
            return NO_DEP
        args = call.child_by_field_name("arguments")
        first = positional(args)
        target = keyword(args, "dependency") or (first[0] if first else None)
        if target is None:
            return NO_DEP
        return self.dependency(file, target)

    def dependency(self, file: SourceFile, target: Node, depth: int = 0) -> DepInfo:
        key = (str(file.real), target.start_byte)
        found = self._deps.get(key)
        if found is not None:
            return found
        self._deps[key] = NO_DEP
        found = self._dependency(file, target, depth)
        self._deps[key] = found
        return found

    def _dependency(self, file: SourceFile, target: Node, depth: int) -> DepInfo:
        if depth > 6:
            return NO_DEP
        if target.type == "call":
            return self._instance(file, target, depth)
        symbol = self.model.symbol(file, target)
        return self._dependency_symbol(symbol, depth)

    def _dependency_symbol(self, symbol: PySymbol, depth: int) -> DepInfo:
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            info = self._from_summary(symbol.file, symbol.node, self.summary(symbol.file, symbol.node))
            if info.guard is None and not info.auth and self._inner_guard(symbol.file, symbol.node, mode="helper") is not None:
                return DepInfo(factory=symbol.name)
            return info
        if symbol.kind == CLASS and symbol.file is not None and symbol.node is not None:
            init = class_methods(symbol.node).get("__init__")
            if init is not None:
                return self._from_summary(symbol.file, init, self.summary(symbol.file, init))
            return NO_DEP
        if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
            value = symbol.node
            if value.type == "call":
                return self._instance(symbol.file, value, depth + 1)
            if value.type in ("identifier", "attribute"):
                return self._dependency(symbol.file, value, depth + 1)
        if symbol.kind == EXTERNAL and symbol.clerk:
            return DepInfo(auth=True)
        return NO_DEP

    def _from_summary(self, file: SourceFile, function: Node, summary: PySummary) -> DepInfo:
        if summary.guards is not None:
            return DepInfo(guard=summary.guards, auth=True)
        return DepInfo(auth=summary.auth_source, data=summary.returns_data)

    def _instance(self, file: SourceFile, call: Node, depth: int) -> DepInfo:
        """``Depends(SomeClass(...))``, ``Depends(factory(...))``, a value bound to either."""
        callee = call.child_by_field_name("function")
        symbol = self.model.symbol(file, callee)
        if symbol.kind == EXTERNAL or symbol.kind == MODULE:
            name = symbol.name.rsplit(".", 1)[-1]
            if name == "ClerkHTTPBearer" or symbol.clerk and name.endswith(("Bearer", "Auth", "Guard")):
                auto = keyword(call.child_by_field_name("arguments"), "auto_error")
                if auto is not None and text(auto) == "False":
                    return DepInfo(auth=True, lenient=True)
                return DepInfo(guard=Guard(f"`{_short(call)}` dependency", file, call), auth=True)
            if name in ("HTTPBearer", "OAuth2PasswordBearer", "APIKeyHeader", "APIKeyCookie", "HTTPBasic", "OAuth2AuthorizationCodeBearer"):
                return DepInfo(auth=True)  # only reads the credential; someone must verify it
            return NO_DEP
        if symbol.kind == CLASS and symbol.file is not None and symbol.node is not None:
            call_method = self._class_method(symbol.file, symbol.node, "__call__")
            if call_method is not None:
                method_file, method = call_method
                summary = self.summary(method_file, method)
                info = self._from_summary(method_file, method, summary)
                if info.guard is not None:
                    return DepInfo(Guard(info.guard.how, info.guard.file, info.guard.node, method_file.node_location(method.child_by_field_name("name") or method, f"{symbol.name}.__call__"), info.guard.kind), True)
                if info.auth:
                    return info
            for base, base_symbol in base_names(self.model, symbol.file, symbol.node):
                if base == "ClerkHTTPBearer":
                    auto = keyword(call.child_by_field_name("arguments"), "auto_error")
                    if auto is not None and text(auto) == "False":
                        return DepInfo(auth=True, lenient=True)
                    return DepInfo(guard=Guard(f"`{_short(call)}` dependency", file, call), auth=True)
            return NO_DEP
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            # a factory: the dependency is a function it returns
            guard = self._inner_guard(symbol.file, symbol.node, mode="helper")
            if guard is not None:
                return DepInfo(guard=guard, auth=True)
            return NO_DEP
        return NO_DEP

    def _class_method(self, file: SourceFile, cls: Node, name: str, depth: int = 0) -> tuple[SourceFile, Node] | None:
        method = class_methods(cls).get(name)
        if method is not None:
            return file, method
        if depth > 5:
            return None
        for _, base in base_names(self.model, file, cls):
            if base.kind == CLASS and base.file is not None and base.node is not None and base.node != cls:
                found = self._class_method(base.file, base.node, name, depth + 1)
                if found is not None:
                    return found
        return None

    def _inner_guard(self, file: SourceFile, function: Node, mode: str) -> Guard | None:
        for inner in captures(file.grammar, "(function_definition) @fn", function).get("fn", ()):
            if inner == function:
                continue
            verdict = self.analyse(file, inner, mode=mode)
            if verdict.guard is not None:
                return Guard(verdict.guard.how, verdict.guard.file, verdict.guard.node, file.node_location(function.child_by_field_name("name") or function, "guarding factory"), verdict.guard.kind)
        return None

    # -- routers, decorators, classes, middleware -------------------------------------------------

    def router_guard(self, file: SourceFile, key: tuple[str, str], depth: int) -> Guard | None:
        if key in self._routers:
            return self._routers[key]
        self._routers[key] = None
        found = None
        router_file = self.model.load(Path(key[0]))
        if router_file is not None and depth < 6:
            value = self.model.facts(router_file).values.get(key[1])
            if value is not None and value.type == "call":
                for dep in depends_list(keyword(value.child_by_field_name("arguments"), "dependencies")):
                    info = self.depends(router_file, dep)
                    if info.guard is not None:
                        found = Guard(f"`{key[1]}` dependency `{_short(dep)}`", router_file, dep, info.guard.helper or info.guard.location(), info.guard.kind)
                        break
            if found is None:
                includes = self.model.includes(router_file, key)
                guards = []
                for include in includes:
                    guard = None
                    for dep in include.dependencies:
                        guard = self.depends(include.file, dep).guard
                        if guard is not None:
                            guard = Guard(f"`include_router(..., dependencies=[{_short(dep)}])`", include.file, dep, guard.helper or guard.location(), guard.kind)
                            break
                    if guard is None and include.parent.key is not None:
                        guard = self.router_guard(include.file, include.parent.key, depth + 1)
                    guards.append(guard)
                if guards and all(g is not None for g in guards):
                    found = guards[0]
        self._routers[key] = found
        return found

    def decorator_guard(self, file: SourceFile, decorator: Node) -> Guard | None:
        key = (str(file.real), decorator.start_byte)
        if key in self._decorators:
            return self._decorators[key]
        self._decorators[key] = None
        found = self._decorator_guard(file, decorator, 0)
        self._decorators[key] = found
        return found

    def _decorator_guard(self, file: SourceFile, decorator: Node, depth: int) -> Guard | None:
        if depth > 4:
            return None
        callee = decorator.child_by_field_name("function") if decorator.type == "call" else decorator
        args = decorator.child_by_field_name("arguments") if decorator.type == "call" else None
        parts = dotted_parts(callee)
        if not parts:
            return None
        name = parts[-1]
        if name == "method_decorator" and args is not None:
            first = positional(args)
            if first:
                inner = first[0]
                items = inner.named_children if inner.type in ("list", "tuple") else [inner]
                for item in items:
                    guard = self._decorator_guard(file, item, depth + 1)
                    if guard is not None:
                        return guard
            return None
        if name == "permission_classes" and args is not None:
            first = positional(args)
            if first:
                return self._permissions_guard(file, [(file, item) for item in first[0].named_children], (), decorator)
            return None
        symbol = self.model.symbol(file, callee)
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            guard = self.wrapper_guard(symbol.file, symbol.node)
            if guard is not None:
                return Guard(f"decorator `@{'.'.join(parts)}` ({guard.how})", guard.file, guard.node, guard.helper, guard.kind)
            return None
        if symbol.kind == CLASS and symbol.file is not None and symbol.node is not None:
            call_method = self._class_method(symbol.file, symbol.node, "__call__")
            if call_method is not None:
                return self._inner_guard(call_method[0], call_method[1], mode="entry")
            return None
        if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None and symbol.node.type in ("call", "identifier", "attribute"):
            return self._decorator_guard(symbol.file, symbol.node, depth + 1)
        if name in GUARD_DECORATORS and symbol.kind in (EXTERNAL, MODULE, PARAM, "unknown"):
            return Guard(f"`@{_short(decorator)}` decorator", file, decorator)
        return None

    def wrapper_guard(self, file: SourceFile, function: Node) -> Guard | None:
        """A decorator (or decorator factory) whose wrapper refuses signed-out callers before it
        calls the view."""
        guard = self._inner_guard(file, function, mode="entry")
        if guard is not None:
            return Guard(guard.how, guard.file, guard.node, file.node_location(function.child_by_field_name("name") or function, "guarding decorator"), guard.kind)
        return None

    def class_guard(self, file: SourceFile, cls: Node, method: str, verbs: tuple[str, ...], framework: str) -> Guard | None:
        key = (str(file.real), cls.start_byte, method + "|" + ",".join(verbs))
        if key in self._classes:
            return self._classes[key]
        self._classes[key] = None
        found = self._class_guard(file, cls, method, verbs, framework, 0)
        self._classes[key] = found
        return found

    def _class_guard(self, file: SourceFile, cls: Node, method: str, verbs: tuple[str, ...], framework: str, depth: int) -> Guard | None:
        for decorator in decorators(cls):
            target = _method_decorator_target(decorator)
            if target is not None and target not in ("dispatch", method):
                continue
            guard = self.decorator_guard(file, decorator)
            if guard is not None:
                return guard
        methods = class_methods(cls)
        for hook in ("dispatch", "initial", "check_permissions", "setup"):
            hooked = methods.get(hook)
            if hooked is None:
                continue
            for decorator in decorators(hooked):
                guard = self.decorator_guard(file, decorator)
                if guard is not None:
                    return guard
            verdict = self.analyse(file, hooked, mode="entry")
            if verdict.guard is not None:
                return verdict.guard
        if method and method in methods:
            for decorator in decorators(methods[method]):
                guard = self.decorator_guard(file, decorator)
                if guard is not None:
                    return guard
        flask_decorators = class_attribute(cls, "decorators") or class_attribute(cls, "method_decorators")
        if flask_decorators is not None and flask_decorators.type in ("list", "tuple"):
            for item in flask_decorators.named_children:
                guard = self._decorator_guard(file, item, 0)
                if guard is not None:
                    return guard
        permissions = class_attribute(cls, "permission_classes")
        if permissions is not None and permissions.type in ("list", "tuple"):
            return self._permissions_guard(file, [(file, item) for item in permissions.named_children], verbs, permissions)
        if "get_permissions" in methods:
            return Guard("`get_permissions()` decides the permissions", file, methods["get_permissions"].child_by_field_name("name"))
        supers = cls.child_by_field_name("superclasses")
        for base in supers.named_children if supers is not None else ():
            parts = dotted_parts(base)
            if parts and parts[-1] in AUTH_MIXINS:
                return Guard(f"`{parts[-1]}`", file, base)
            symbol = self.model.symbol(file, base)
            if symbol.kind == CLASS and symbol.file is not None and symbol.node is not None and depth < 6 and symbol.node != cls:
                guard = self._class_guard(symbol.file, symbol.node, method, verbs, framework, depth + 1)
                if guard is not None:
                    return guard
                if class_attribute(symbol.node, "permission_classes") is not None:
                    return None  # the base decides, and it lets callers in
        if depth == 0 and framework == DRF:
            settings = self.model.settings(file)
            if settings.drf_permissions is not None:
                return self._permissions_guard(file, settings.drf_permissions, verbs, None, "REST_FRAMEWORK default")
        return None

    def _drf_function_permissions(self, file: SourceFile, endpoint: PyEndpoint) -> Guard | None:
        settings = self.model.settings(file)
        if settings.drf_permissions is not None:
            return self._permissions_guard(file, settings.drf_permissions, endpoint.methods, None, "REST_FRAMEWORK default")
        return None

    def _permissions_guard(self, file: SourceFile, items: list[tuple[SourceFile, Node]], verbs, node: Node | None, where: str = "permission_classes") -> Guard | None:
        for item_file, item in items:
            if self._permission_requires_auth(item_file, item, verbs, 0):
                return Guard(f"{where} `{_short(item)}`", item_file, item)
        return None

    def _permission_requires_auth(self, file: SourceFile, item: Node, verbs, depth: int) -> bool:
        if depth > 6:
            return False
        if item.type == "binary_operator":
            left, right = item.child_by_field_name("left"), item.child_by_field_name("right")
            op = item.child_by_field_name("operator")
            both = [self._permission_requires_auth(file, s, verbs, depth + 1) for s in (left, right) if s is not None]
            return all(both) if op is not None and text(op) == "|" else any(both)
        value = string_value(item)
        if value is not None:
            name = value.rsplit(".", 1)[-1]
            symbol = self.model.resolve_dotted(file, value) if "." in value else PySymbol(EXTERNAL, name)
        else:
            parts = dotted_parts(item)
            if not parts:
                return False
            name = parts[-1]
            symbol = self.model.symbol(file, item)
        if name in OPEN_PERMISSIONS:
            return False
        if name in READ_OPEN_PERMISSIONS:
            return bool(verbs) and not set(verbs) <= SAFE_METHODS
        if symbol.kind == CLASS and symbol.file is not None and symbol.node is not None:
            has = self._class_method(symbol.file, symbol.node, "has_permission")
            if has is None:
                return False  # BasePermission allows by default; only object checks
            method_file, method = has
            body = method.text or b""
            if re.search(rb"user|auth|token|clerk|session|claims|api_key|permission", body, re.I) is None:
                return False
            return not re.fullmatch(rb"\s*return\s+True\s*", (method.child_by_field_name("body").text or b"") if method.child_by_field_name("body") is not None else b"")
        return True  # IsAuthenticated, IsAdminUser, ClerkAuthenticated, HasAPIKey, ...

    def middleware_guard(self, endpoint: PyEndpoint) -> Guard | None:
        """Middleware or hooks that refuse signed-out callers for every endpoint of the app."""
        app = self.model.app(endpoint.file)
        framework = "django" if endpoint.framework in (DJANGO, DRF) else "flask" if endpoint.framework == FLASK else "asgi"
        key = (app.root, framework)
        if key not in self._middleware:
            self._middleware[key] = None
            self._middleware[key] = self._app_middleware(endpoint.file, app, framework)
        found = self._middleware[key]
        if found is None and endpoint.framework == FLASK and endpoint.owner is not None:
            return self._blueprint_hook(endpoint.file, endpoint.owner)
        return found

    def _app_middleware(self, file: SourceFile, app, framework: str) -> Guard | None:
        if framework == "django":
            settings = self.model.settings(file)
            for dotted, settings_file, node in settings.middleware:
                name = dotted.rsplit(".", 1)[-1]
                if name in BLOCKING_MIDDLEWARE:
                    return Guard(f"`{name}` in MIDDLEWARE", settings_file, node)
                symbol = self.model.resolve_dotted(settings_file, dotted)
                if symbol.kind == CLASS and symbol.file is not None and symbol.node is not None:
                    for hook in ("__call__", "process_request", "process_view", "__acall__"):
                        found = self._class_method(symbol.file, symbol.node, hook)
                        if found is None:
                            continue
                        verdict = self.analyse(found[0], found[1], mode="entry")
                        if verdict.guard is not None and verdict.guard.kind == "auth":
                            return Guard(f"middleware `{name}` ({verdict.guard.how})", verdict.guard.file, verdict.guard.node, settings_file.node_location(node, "blocking middleware"))
                elif symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
                    guard = self._inner_guard(symbol.file, symbol.node, mode="entry")
                    if guard is not None and guard.kind == "auth":
                        return Guard(f"middleware `{name}` ({guard.how})", guard.file, guard.node, settings_file.node_location(node, "blocking middleware"))
            return None
        marker = b"before_request" if framework == "flask" else b"middleware"
        for path in app.files:
            source = self.model.load(path)
            if source is None or marker not in source.data:
                continue
            guard = self._hooks_in(source, framework, blueprint=None)
            if guard is not None:
                return guard
        return None

    def _hooks_in(self, file: SourceFile, framework: str, blueprint: tuple[str, str] | None) -> Guard | None:
        """``@app.middleware("http")``, ``app.add_middleware(Cls)``, ``@app.before_request`` (or the
        blueprint's, when ``blueprint`` is given) whose body refuses signed-out callers."""
        for node in captures(file.grammar, "(decorated_definition (decorator) @d definition: (function_definition) @f)", file.root).get("d", ()):
            expr = node.named_children[0] if node.named_children else None
            if expr is None:
                continue
            callee = expr.child_by_field_name("function") if expr.type == "call" else expr
            if callee is None or callee.type != "attribute":
                continue
            hook = text(callee.child_by_field_name("attribute"))
            if framework == "flask" and hook not in ("before_request", "before_app_request"):
                continue
            if framework == "asgi" and hook != "middleware":
                continue
            owner = self.model.symbol(file, callee.child_by_field_name("object"))
            is_blueprint = self._is_blueprint(owner)
            if blueprint is None and is_blueprint and hook != "before_app_request":
                continue
            if blueprint is not None and owner.key != blueprint:
                continue
            function = node.parent.child_by_field_name("definition")
            verdict = self.analyse(file, function, mode="entry")
            if verdict.guard is not None and verdict.guard.kind in ("auth", "credential"):
                return Guard(f"`{hook}` hook `{text(function.child_by_field_name('name'))}` ({verdict.guard.how})", verdict.guard.file, verdict.guard.node, file.node_location(function.child_by_field_name("name"), "blocking hook"))
        if framework == "asgi" and b"add_middleware" in file.data:
            for call in captures(file.grammar, CALL_QUERY, file.root).get("call", ()):
                callee = call.child_by_field_name("function")
                if callee is None or callee.type != "attribute" or text(callee.child_by_field_name("attribute")) != "add_middleware":
                    continue
                first = positional(call.child_by_field_name("arguments"))
                if not first:
                    continue
                symbol = self.model.symbol(file, first[0])
                if symbol.kind == CLASS and symbol.file is not None and symbol.node is not None:
                    for hook in ("dispatch", "__call__"):
                        found = self._class_method(symbol.file, symbol.node, hook)
                        if found is None:
                            continue
                        verdict = self.analyse(found[0], found[1], mode="entry")
                        if verdict.guard is not None and verdict.guard.kind in ("auth", "credential"):
                            return Guard(f"middleware `{symbol.name}` ({verdict.guard.how})", verdict.guard.file, verdict.guard.node, file.node_location(call, "blocking middleware"))
        return None

    def _is_blueprint(self, symbol: PySymbol) -> bool:
        if symbol.kind != VALUE or symbol.node is None or symbol.node.type != "call":
            return False
        parts = dotted_parts(symbol.node.child_by_field_name("function"))
        return bool(parts) and parts[-1] in ("Blueprint", "APIBlueprint")

    def _blueprint_hook(self, file: SourceFile, key: tuple[str, str]) -> Guard | None:
        cache = (Path(key[0]), "bp:" + key[1])
        if cache not in self._middleware:
            self._middleware[cache] = None
            found = None
            app = self.model.app(file)
            for path in app.files:
                source = self.model.load(path)
                if source is None or b"before_request" not in source.data:
                    continue
                found = self._hooks_in(source, "flask", blueprint=key)
                if found is not None:
                    break
            self._middleware[cache] = found
        return self._middleware[cache]

    # -- parameters ------------------------------------------------------------------------------

    def _parameters(self, file: SourceFile, function: Node, state: _State, verdict: Verdict) -> None:
        params = function.child_by_field_name("parameters")
        if params is None:
            return
        for param in params.named_children:
            name_node, annotation, default = _parameter(param)
            if name_node is None:
                continue
            name = text(name_node)
            if annotation is not None and set(re.findall(r"[A-Za-z_]\w*", text(annotation))) & DATA_TYPES:
                state.data_vars.add(name)
            for dep_file, dep in self.param_depends(file, param):
                info = self.depends(dep_file, dep)
                if info.guard is not None and verdict.guard is None:
                    verdict.guard = Guard(f"dependency `{_short(dep)}`", file, dep, info.guard.helper or info.guard.location(), info.guard.kind)
                if info.auth or info.guard is not None:
                    state.auth_vars.add(name)
                    state.uses_auth = True
                if info.data:
                    state.data_vars.add(name)
            if name in DATA_NAMES and name not in state.auth_vars and name not in ("clerk", "sdk"):
                state.data_vars.add(name)

    def param_depends(self, file: SourceFile, param: Node) -> list[tuple[SourceFile, Node]]:
        """The ``Depends(...)`` / ``Security(...)`` calls of one parameter, with the file each is
        written in: its default, ``Annotated[T, Depends(x)]``, or an alias of that defined in
        another module (``CurrentUser = Annotated[str, Depends(require_user)]``)."""
        _, annotation, default = _parameter(param)
        found: list[tuple[SourceFile, Node]] = []
        if default is not None and default.type == "call" and _is_depends(default):
            found.append((file, default))
        if annotation is None:
            return found
        calls = [c for c in captures(file.grammar, CALL_QUERY, annotation).get("call", ()) if _is_depends(c)]
        if calls:
            return found + [(file, c) for c in calls]
        inner = annotation.named_children[0] if annotation.type == "type" and annotation.named_children else annotation
        if inner.type in ("identifier", "attribute"):
            symbol = self.model.symbol(file, inner)
            if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None and symbol.node.type == "subscript":
                found += [(symbol.file, c) for c in captures(symbol.file.grammar, CALL_QUERY, symbol.node).get("call", ()) if _is_depends(c)]
        return found

    # -- statements ------------------------------------------------------------------------------

    def _statements(self, statements: list[Node], state: _State, verdict: Verdict, guarded: bool, depth: int) -> bool:
        for statement in statements:
            if statement.type == "comment":
                continue
            if not guarded:
                guard = self._guard(statement, state, verdict, depth)
                if guard is not None:
                    verdict.guard = guard
                    guarded = True
                    if statement.type != "try_statement":
                        self._collect(statement, state, verdict, guarded=True)
                    continue
                if statement.type == "if_statement" and self._positive_region(statement, state, verdict, depth):
                    guarded = verdict.guard is not None
                    continue
            self._collect(statement, state, verdict, guarded)
        return guarded

    def _collect(self, node: Node, state: _State, verdict: Verdict, guarded: bool) -> None:
        self._declare(node, state)
        file = state.file
        nested = state.nested
        for call in captures(file.grammar, CALL_QUERY, node).get("call", ()):
            if nested and any(start <= call.start_byte < end for start, end in nested):
                continue
            if self._is_auth_call(call, state):
                state.uses_auth = True
                continue
            sink = self._sink(call, state)
            if sink is not None:
                verdict.sinks.append(sink)
                if not guarded:
                    verdict.unguarded.append(sink)
        if b"environ" in node.text or b"getenv" in node.text:
            for _, match in _env_matches(file, node):
                if text(match["os"][0]) != "os":
                    continue
                name = string_value(match["name"][0]) or ""
                if not SECRET_NAME.search(name) or _configures_auth(match["read"][0], node):
                    continue
                sink = Sink("data", f"os.environ[{name!r}]", match["read"][0], file)
                verdict.sinks.append(sink)
                if not guarded:
                    verdict.unguarded.append(sink)
        if node.type == "return_statement" or node.type == "expression_statement" and node.named_children and node.named_children[0].type == "yield":
            value = node.named_children[0] if node.named_children else None
            if value is not None and value.type == "yield":
                value = value.named_children[0] if value.named_children else None
            if value is not None and (_root_name(value) in state.data_vars or value.type == "call" and self._is_data_factory(value, state)):
                state.returns_data = True
        elif node.type in ("try_statement", "with_statement"):
            for inner in captures(file.grammar, "[(return_statement) (yield)] @r", node).get("r", ()):
                value = inner.named_children[0] if inner.named_children else None
                if value is not None and _root_name(value) in state.data_vars:
                    state.returns_data = True

    def _positive_region(self, statement: Node, state: _State, verdict: Verdict, depth: int) -> bool:
        condition = statement.child_by_field_name("condition")
        if condition is None or not self._positive_test(condition, state, 0):
            return False
        consequence = statement.child_by_field_name("consequence")
        if consequence is not None:
            self._collect(consequence, state, verdict, guarded=True)
        alternatives = [c for c in statement.children if c.type in ("elif_clause", "else_clause")]
        if alternatives:
            last = alternatives[-1]
            body = last.child_by_field_name("body") or next((c for c in last.named_children if c.type == "block"), None)
            if last.type == "else_clause" and body is not None and self._exits(body, state, 0):
                verdict.guard = Guard("signed-in branch with an exit otherwise", state.file, condition)
                return True
            for alternative in alternatives:
                self._collect(alternative, state, verdict, guarded=False)
        return True

    def _guard(self, statement: Node, state: _State, verdict: Verdict, depth: int) -> Guard | None:
        file = state.file
        if depth > MAX_DEPTH:
            return None
        kind = statement.type
        if kind == "if_statement":
            condition = statement.child_by_field_name("condition")
            consequence = statement.child_by_field_name("consequence")
            if condition is None or consequence is None:
                return None
            if self._negative_test(condition, state, 0) and self._exits(consequence, state, 0):
                guard_kind = "ownership" if _is_ownership(condition, state) else "auth"
                return Guard(f"`{_short(condition)}` check with an exit", file, condition, kind=guard_kind)
            if self._credential_test(condition, state) and self._exits(consequence, state, 0):
                return Guard(f"credential check `{_short(condition)}`", file, condition, kind="credential")
            return None
        if kind == "try_statement":
            body = statement.child_by_field_name("body")
            if body is None:
                return None
            inner = Verdict()
            self._statements([c for c in body.named_children if c.type != "comment"], state, inner, False, depth + 1)
            if inner.guard is None:
                return None
            handlers = [c for c in statement.named_children if c.type == "except_clause"]
            for handler in handlers:
                block = next((c for c in handler.named_children if c.type == "block"), None)
                if block is None:
                    continue
                if not (self._exits(block, state, 0) or _reraises(block) or state.mode == "helper" and _returns_nothing(block)):
                    return None
                if state.mode == "helper" and not self._exits(block, state, 0) and not _reraises(block):
                    state.uses_auth = True  # returns None for a bad token: the caller must check
                    return None
            verdict.sinks.extend(inner.sinks)
            verdict.unguarded.extend(inner.unguarded)
            return inner.guard
        if kind in ("with_statement",):
            return None
        for expression in _statement_expressions(statement):
            guard = self._guard_expression(expression, state, statement)
            if guard is not None:
                return guard
        return None

    def _guard_expression(self, expression: Node, state: _State, statement: Node) -> Guard | None:
        file = state.file
        awaited = expression.type == "await"
        call = _unwrap(expression)
        if call.type != "call":
            return None
        callee = call.child_by_field_name("function")
        parts = dotted_parts(callee) if callee is not None else []
        name = parts[-1] if parts else (_last_name(callee) if callee is not None else "")
        if name in VERIFY_CALLS and (awaited or not name.endswith("_async")):
            state.uses_auth = True
            return Guard(f"`{_short(call)}` raises for an invalid token", file, call)
        if self._is_verifying_decode(call, state):
            state.uses_auth = True
            return Guard(f"`{_short(call)}` raises for an invalid token", file, call)
        if name == "verify" and (b"Webhook" in (state.file.data or b"") or "wh" in parts[:1]):
            return Guard(f"`{_short(call)}` raises for a bad signature", file, call, kind="credential")
        if name in ("check_permissions", "check_object_permissions", "permission_denied") and parts[:1] == ["self"]:
            return Guard(f"`{_short(call)}`", file, call)
        symbol = self._function_symbol(file, callee)
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            summary = self.summary(symbol.file, symbol.node)
            if summary.guards is not None and (awaited or not _is_async(symbol.node)):
                state.uses_auth = True
                where = summary.guards.helper or symbol.file.node_location(symbol.node.child_by_field_name("name") or symbol.node, "guard helper")
                return Guard(f"guard helper `{_short(callee)}()`", file, call, where, summary.guards.kind)
        return None

    def _function_symbol(self, file: SourceFile, callee: Node | None) -> PySymbol:
        symbol = self.model.symbol(file, callee)
        if symbol.kind == CLASS and symbol.file is not None and symbol.node is not None:
            init = class_methods(symbol.node).get("__init__")
            if init is not None:
                return PySymbol(FUNCTION, symbol.name, symbol.file, init)
        if symbol.kind == "unknown" and callee is not None and callee.type == "attribute":
            # self.helper() inside a class: the method of the same class
            parts = dotted_parts(callee)
            if len(parts) == 2 and parts[0] in ("self", "cls"):
                cls = _enclosing_class(callee)
                if cls is not None:
                    method = class_methods(cls).get(parts[1])
                    if method is not None:
                        return PySymbol(FUNCTION, parts[1], file, method)
        return symbol

    # -- auth state ------------------------------------------------------------------------------

    def _is_verifying_decode(self, call: Node, state: _State) -> bool:
        """``jwt.decode(token, key, algorithms=[...])`` (PyJWT, python-jose) with the signature
        checked: it raises for a forged or expired token."""
        callee = call.child_by_field_name("function")
        if callee is None:
            return False
        facts = self.model.facts(state.file)
        qualified = facts.qualified(callee) or ""
        parts = dotted_parts(callee)
        if not parts or parts[-1] not in ("decode", "decode_complete"):
            return False
        if not (qualified.startswith(JWT_MODULES) or parts[0] in ("jwt", "pyjwt", "jose_jwt")):
            return False
        return not unverified_decode(call)

    def _is_auth_call(self, call: Node, state: _State) -> bool:
        callee = call.child_by_field_name("function")
        if callee is None:
            return False
        parts = dotted_parts(callee)
        name = parts[-1] if parts else _last_name(callee)
        if name in AUTH_CALLS or name in VERIFY_CALLS:
            return True
        if self._is_verifying_decode(call, state):
            return True
        symbol = self._function_symbol(state.file, callee)
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            summary = self.summary(symbol.file, symbol.node)
            return summary.auth_source or summary.guards is not None
        return False

    def _declare(self, node: Node, state: _State) -> None:
        """Names bound to the auth state, a data client or a credential by an assignment."""
        if node.type != "expression_statement" or not node.named_children:
            return
        expr = node.named_children[0]
        if expr.type not in ("assignment", "augmented_assignment"):
            return
        left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
        if left is None or right is None:
            return
        names = _target_names(left)
        value = _unwrap(right)
        if CREDENTIAL_TEXT.search(text(right)) and value.type != "call":
            state.credential_vars.update(names)
        if value.type == "call" and self._is_data_factory(value, state):
            state.data_vars.update(names)
            return
        if value.type == "call" and self._is_auth_call(value, state) or self._mentions_auth(value, state, 0):
            state.uses_auth = True
            state.auth_vars.update(names)

    def _is_data_factory(self, call: Node, state: _State) -> bool:
        callee = call.child_by_field_name("function")
        parts = dotted_parts(callee)
        if parts and parts[-1] in DATA_FACTORIES and parts[-1] not in ("connect", "client") :
            return True
        symbol = self.model.symbol(state.file, callee)
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            return self.summary(symbol.file, symbol.node).returns_data
        if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
            return self.is_data_value(symbol.file, symbol.node)
        return symbol.external(*DATA_MODULES) and parts[-1:] != ["Clerk"] and bool(parts) and parts[-1][:1].isupper()

    def _mentions_auth(self, node: Node, state: _State, depth: int) -> bool:
        if depth > MAX_DEPTH:
            return False
        node = _unwrap(node)
        if node.type == "identifier":
            name = text(node)
            if name in state.auth_vars:
                return True
            if name in AUTH_GLOBALS:
                binding = self.model.facts(state.file).imported(name)
                return binding is not None
            return False
        if node.type in ("attribute", "subscript"):
            root = _root(node)
            if root is not None and text(root) in state.auth_vars:
                return True
            body = text(node)
            if AUTH_ATTRIBUTE.search(body) or root is not None and text(root) in AUTH_GLOBALS:
                return True
            inner = node.child_by_field_name("object") or node.child_by_field_name("value")
            if inner is not None and _unwrap(inner).type == "call":
                return self._mentions_auth(inner, state, depth + 1)
            return False
        if node.type == "call":
            if self._is_auth_call(node, state):
                state.uses_auth = True
                return True
            callee = node.child_by_field_name("function")
            if callee is not None and callee.type == "attribute" and self._mentions_auth(callee.child_by_field_name("object"), state, depth + 1):
                return True
            args = node.child_by_field_name("arguments")
            return args is not None and any(self._mentions_auth(a, state, depth + 1) for a in args.named_children if a.type != "keyword_argument")
        if node.type == "boolean_operator":
            return any(self._mentions_auth(c, state, depth + 1) for c in (node.child_by_field_name("left"), node.child_by_field_name("right")) if c is not None)
        return False

    def _negative_test(self, condition: Node, state: _State, depth: int) -> bool:
        """True for a signed-out caller: ``not state.is_signed_in``, ``user is None``,
        ``state.status != AuthStatus.SIGNED_IN``, ``not user or x``, ``record.user_id != user_id``."""
        if depth > MAX_DEPTH:
            return False
        node = _unwrap(condition)
        if node.type in ("identifier", "attribute") and ERROR_NAME.search(_last_name(node)) and self._mentions_auth(node, state, 0):
            return True  # `data, error = validate_token(token)` then `if error: return ..., 401`
        if node.type == "not_operator":
            argument = node.child_by_field_name("argument")
            return argument is not None and self._mentions_auth(argument, state, 0)
        if node.type == "boolean_operator":
            op = text(node.child_by_field_name("operator"))
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op == "or":
                return any(self._negative_test(s, state, depth + 1) for s in (left, right) if s is not None)
            if op == "and":
                return all(self._negative_test(s, state, depth + 1) for s in (left, right) if s is not None)
        if node.type == "comparison_operator":
            operands = [c for c in node.named_children]
            operators = text(node).replace(text(operands[0]), "", 1) if operands else ""
            if len(operands) != 2:
                return False
            left, right = operands
            mentions = [self._mentions_auth(o, state, 0) for o in operands]
            if not any(mentions):
                return False
            other = right if mentions[0] else left
            ops = " ".join(t.type for t in node.children if not t.is_named)
            if ops in ("is", "=="):
                return text(other) in ("None", "False", "''", '""', "0") or "SIGNED_OUT" in text(other) or "HANDSHAKE" in text(other) or other.type == "string"
            if ops in ("is not", "!="):
                return text(other) not in ("None", "False") or "SIGNED_IN" in text(other)
            if ops in ("not in",):
                return True
            _ = operators
        return False

    def _positive_test(self, condition: Node, state: _State, depth: int) -> bool:
        if depth > MAX_DEPTH:
            return False
        node = _unwrap(condition)
        if node.type in ("identifier", "attribute", "subscript", "call"):
            return self._mentions_auth(node, state, 0)
        if node.type == "boolean_operator" and text(node.child_by_field_name("operator")) == "and":
            return any(self._positive_test(s, state, depth + 1) for s in (node.child_by_field_name("left"), node.child_by_field_name("right")) if s is not None)
        if node.type == "comparison_operator":
            operands = node.named_children
            ops = " ".join(t.type for t in node.children if not t.is_named)
            if len(operands) == 2 and ops in ("is not", "!=") and text(operands[1]) == "None":
                return self._mentions_auth(operands[0], state, 0)
        return False

    def _credential_test(self, condition: Node, state: _State) -> bool:
        body = text(condition)
        if not CREDENTIAL_TEXT.search(body) and not (set(re.findall(r"[A-Za-z_]\w*", body)) & state.credential_vars):
            return False
        node = _unwrap(condition)
        if node.type == "comparison_operator":
            # a presented credential compared with the expected one (not a mere presence test)
            ops = " ".join(t.type for t in node.children if not t.is_named)
            operands = node.named_children
            return ops in ("!=", "is not", "not in") and len(operands) == 2 and all(text(o) not in ("None", "''", '""') for o in operands)
        if node.type == "not_operator":
            argument = _unwrap(node.child_by_field_name("argument"))
            return argument is not None and argument.type == "call" and re.search(r"compare_digest|verif|valid|check", _last_name(argument), re.I) is not None
        if node.type == "boolean_operator" and text(node.child_by_field_name("operator")) == "or":
            return any(self._credential_test(s, state) for s in (node.child_by_field_name("left"), node.child_by_field_name("right")) if s is not None)
        return False

    def _exits(self, node: Node, state: _State, depth: int) -> bool:
        """Whether running ``node`` ends the request (in a helper: raises to the caller)."""
        if depth > MAX_DEPTH:
            return False
        if node.type in ("block", "else_clause"):
            return any(self._exits(c, state, depth + 1) for c in node.named_children if c.type != "comment")
        if node.type == "raise_statement":
            return True
        if node.type == "return_statement":
            return state.mode == "entry"
        if node.type == "expression_statement" and node.named_children:
            call = _unwrap(node.named_children[0])
            if call.type != "call":
                return False
            callee = call.child_by_field_name("function")
            parts = dotted_parts(callee)
            if parts and parts[-1] in EXIT_CALLS:
                return True
            symbol = self._function_symbol(state.file, callee)
            if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
                summary = self.summary(symbol.file, symbol.node)
                return summary.raises or summary.guards is not None
        return False

    # -- sinks -----------------------------------------------------------------------------------

    def _sink(self, call: Node, state: _State) -> Sink | None:
        file = state.file
        callee = call.child_by_field_name("function")
        if callee is None:
            return None
        callee = _unwrap(callee)
        parts = dotted_parts(callee)
        full = _short(callee)
        name = parts[-1] if parts else _last_name(callee)
        root = _root(callee)
        root_name = text(root) if root is not None else ""
        if callee.type == "identifier" and name in state.auth_vars:
            return None
        if callee.type == "attribute" and _unwrap(callee.child_by_field_name("object")).type == "call":
            return None  # `db.query(M).filter(...).first()`: the chain is judged by its first call
        if root is not None and root is not callee:
            dotted = ".".join(parts[:2]) if len(parts) > 1 else root_name
            if root_name in state.data_vars:
                return Sink("data", f"{full}()", call, file)
            if root_name in state.auth_vars:
                return None
            if root_name in REQUEST_NAMES and root_name != "self" or root_name in PURE_ROOTS or dotted in PURE_ROOTS:
                if not (root_name == "self" or dotted == "self.request"):
                    return None
            root_symbol = self.model.symbol(file, root)
            if root_symbol.kind == CLASS and root_symbol.file is not None and root_symbol.node is not None:
                if self.is_model(root_symbol.file, root_symbol.node) and (set(parts[1:]) & ORM_METHODS):
                    return Sink("data", f"{full}()", call, file)
                if len(parts) == 2 and parts[1] in ("model_validate", "parse_obj", "model_construct", "from_orm", "objects"):
                    return None
            if root_symbol.kind == VALUE and root_symbol.file is not None and root_symbol.node is not None and self.is_data_value(root_symbol.file, root_symbol.node):
                return Sink("data", f"{full}()", call, file)
            if root_symbol.external(*DATA_MODULES) and not root_symbol.external("clerk_backend_api.security", "pathlib"):
                return Sink("data", f"{full}()", call, file)
            if root_symbol.external(*PURE_ROOT_MODULES):
                return None
            if root_name in DATA_NAMES:
                return Sink("data", f"{full}()", call, file)
            if root_name == "self" and len(parts) >= 2 and parts[1] in ("get_object", "get_queryset", "perform_create", "perform_update", "perform_destroy", "queryset"):
                return Sink("data", f"{full}()", call, file)
            if name in PURE_METHODS:
                return None
        if callee.type == "attribute" and name in PURE_METHODS and root_name not in state.data_vars:
            return None
        if name in PURE_CALLS or name.endswith(("Response", "Error", "Exception")) or name in EXIT_CALLS:
            return None
        if name in ("get_object_or_404", "get_list_or_404", "open"):
            return Sink("data", f"{full}()", call, file)
        symbol = self._function_symbol(file, callee)
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            if any(start <= symbol.node.start_byte < end for start, end in state.nested) and symbol.file is file:
                return None
            summary = self.summary(symbol.file, symbol.node)
            if summary.auth_source:
                state.uses_auth = True
            if summary.data:
                return Sink("data", f"{full}()", call, file)
            if summary.reaches:
                return Sink("call", f"{full}()", call, file)
            return None
        if symbol.kind == CLASS:
            return None  # building a model, a schema, an exception
        if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None and self.is_data_value(symbol.file, symbol.node):
            return Sink("data", f"{full}()", call, file)
        if symbol.external(*DATA_MODULES) and not symbol.external("clerk_backend_api.security"):
            if name[:1].isupper() and name not in DATA_FACTORIES:
                return None  # a query object (`select(...)` builds, `session.execute(...)` runs)
            if name in ("select", "insert", "update", "delete", "text", "and_", "or_", "func", "desc", "asc", "Column", "column", "literal"):
                return None
            return Sink("data", f"{full}()", call, file)
        if symbol.external(*PURE_ROOT_MODULES) or symbol.kind in (EXTERNAL, MODULE) and name[:1].isupper():
            return None
        if name in DATA_FACTORIES:
            return Sink("data", f"{full}()", call, file)
        if name in ("get", "post", "put", "patch", "delete", "request", "fetch", "urlopen") and root_name in ("requests", "httpx", "client", "http", "session", "aiohttp", "urllib"):
            return Sink("call", f"{full}()", call, file)
        if callee.type == "identifier" and symbol.kind == PARAM and name[:1].isupper():
            return None
        if callee.type == "identifier" and name in state.data_vars:
            return Sink("data", f"{full}()", call, file)
        if callee.type == "identifier" and symbol.kind == PARAM and name not in ("open",):
            return Sink("call", f"{full}()", call, file) if name not in _BUILTIN_LIKE else None
        return Sink("call", f"{full}()", call, file)

    def is_model(self, file: SourceFile, cls: Node) -> bool:
        """Whether a project class is an ORM model (Django, SQLAlchemy, SQLModel, Tortoise, peewee,
        Flask-SQLAlchemy, Beanie/MongoEngine documents) rather than a schema or a plain class."""
        key = (str(file.real), cls.start_byte)
        found = self._models.get(key)
        if found is None:
            self._models[key] = False
            names = base_names(self.model, file, cls)
            found = False
            for name, symbol in names:
                if name in ("BaseModel", "BaseSettings", "Schema", "TypedDict", "Enum", "Exception"):
                    continue
                if name in ("Model", "Base", "DeclarativeBase", "Document", "DynamicDocument", "AbstractUser", "AbstractBaseUser"):
                    found = True
                    break
                if name == "SQLModel" and "table=True" in text(cls.child_by_field_name("superclasses")).replace(" ", ""):
                    found = True
                    break
                if symbol.kind == VALUE and symbol.node is not None and symbol.node.type == "call" and dotted_parts(symbol.node.child_by_field_name("function"))[-1:] == ["declarative_base"]:
                    found = True
                    break
            self._models[key] = found
        return found

    def is_data_value(self, file: SourceFile, value: Node) -> bool:
        """Whether a project value (``db = SQLAlchemy()``, ``supabase = create_client(...)``) is a
        data client."""
        key = (str(file.real), value.start_byte)
        found = self._values.get(key)
        if found is None:
            self._values[key] = False
            node = _unwrap(value)
            found = False
            if node.type == "call":
                callee = node.child_by_field_name("function")
                parts = dotted_parts(callee)
                if parts and (parts[-1] in DATA_FACTORIES or parts[-1] in ("SQLAlchemy", "MongoEngine", "PyMongo")):
                    found = True
                else:
                    symbol = self.model.symbol(file, callee)
                    found = symbol.external(*DATA_MODULES) and not symbol.external("clerk_backend_api.security")
                    if not found and symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
                        found = self.summary(symbol.file, symbol.node).returns_data
                    if not found and callee is not None and callee.type == "attribute":
                        found = self.is_data_value(file, callee.child_by_field_name("object"))
            elif node.type in ("identifier", "attribute"):
                symbol = self.model.symbol(file, node)
                if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
                    found = self.is_data_value(symbol.file, symbol.node)
                elif symbol.external(*DATA_MODULES):
                    found = True
            self._values[key] = found
        return found


_BUILTIN_LIKE = frozenset({"callback", "func", "fn", "f", "handler", "view_func", "wrapped", "next", "call_next", "get_response"})


# -- small tree helpers ---------------------------------------------------------------------------


def _is_depends(call: Node) -> bool:
    return dotted_parts(call.child_by_field_name("function"))[-1:] in (["Depends"], ["Security"])


def _env_matches(file: SourceFile, node: Node):
    from clerk_lint.parsing import matches

    return [
        (i, m) for i, m in matches(file.grammar, ENV_QUERY, node)
        if "environ" not in m or text(m["environ"][0]) == "environ"
    ]


def unverified_decode(call: Node) -> str:
    """Why a ``jwt.decode`` call does not verify the token ("" when it does): the signature check
    turned off (``options={"verify_signature": False}``, PyJWT 1.x ``verify=False``) ."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return ""
    verify = keyword(args, "verify")
    if verify is not None and text(verify) == "False":
        return "`verify=False`"
    options = keyword(args, "options")
    if options is not None and options.type == "dictionary":
        for pair in options.named_children:
            if pair.type == "pair" and string_value(pair.child_by_field_name("key")) == "verify_signature" and text(pair.child_by_field_name("value")) == "False":
                return '`options={"verify_signature": False}`'
    return ""


AUTH_CONFIG_CALLS = frozenset({
    "AuthenticateRequestOptions", "VerifyTokenOptions", "Clerk", "authenticate_request", "authenticate_request_async",
    "verify_token", "verify_token_async", "decode", "ClerkConfig", "PyJWKClient", "Webhook", "verify",
})


def _configures_auth(read: Node, stop: Node) -> bool:
    """Whether an environment read is an argument of the auth call itself (the secret or JWT key
    the verification needs), not data handed to a signed-out caller."""
    node = read.parent
    for _ in range(32):
        if node is None or node == stop:
            return False
        if node.type == "call" and _last_name(node.child_by_field_name("function")) in AUTH_CONFIG_CALLS:
            return True
        node = node.parent
    return False


def _documented_public(function: Node) -> bool:
    """A docstring or comment in (or just above) the handler says it is public."""
    body = function.child_by_field_name("body")
    texts = []
    if body is not None and body.named_children:
        first = body.named_children[0]
        if first.type == "expression_statement" and first.named_children and first.named_children[0].type == "string":
            texts.append(text(first.named_children[0]))
        texts += [text(c) for c in body.named_children[:3] if c.type == "comment"]
    outer = function.parent if function.parent is not None and function.parent.type == "decorated_definition" else function
    previous = outer.prev_sibling
    for _ in range(3):
        if previous is None or previous.type != "comment":
            break
        texts.append(text(previous))
        previous = previous.prev_sibling
    return any(PUBLIC_DOC.search(t) for t in texts)


def _parameter(param: Node) -> tuple[Node | None, Node | None, Node | None]:
    """(name, annotation, default) of one parameter."""
    if param.type == "identifier":
        return param, None, None
    if param.type == "typed_parameter":
        name = next((c for c in param.named_children if c.type == "identifier"), None)
        return name, param.child_by_field_name("type"), None
    if param.type in ("default_parameter", "typed_default_parameter"):
        return param.child_by_field_name("name"), param.child_by_field_name("type"), param.child_by_field_name("value")
    return None, None, None


def parameter(param: Node):
    return _parameter(param)


def _root_name(node: Node | None) -> str:
    root = _root(node)
    return text(root) if root is not None else ""


def _statement_expressions(statement: Node) -> list[Node]:
    if statement.type in ("expression_statement", "return_statement"):
        if not statement.named_children:
            return []
        expr = statement.named_children[0]
        while expr.type == "assignment" and expr.child_by_field_name("right") is not None:
            expr = expr.child_by_field_name("right")
        return [expr]
    return []


def _target_names(left: Node) -> set[str]:
    if left.type == "identifier":
        return {text(left)}
    if left.type in ("pattern_list", "tuple_pattern", "list_pattern", "tuple", "list"):
        return {text(c) for c in left.named_children if c.type == "identifier"}
    return set()


def _is_async(function: Node) -> bool:
    return any(child.type == "async" for child in function.children)


def _reraises(block: Node) -> bool:
    return any(c.type == "raise_statement" for c in captures("python", "(raise_statement) @r", block).get("r", ()))


def _returns_nothing(block: Node) -> bool:
    for statement in block.named_children:
        if statement.type == "return_statement":
            return not statement.named_children or text(statement.named_children[0]) in ("None", "False", "{}")
    return False


def _is_ownership(condition: Node, state: _State) -> bool:
    """A comparison of a record's field with the session user (``note.user_id != user_id``), alone
    or in an ``and``/``or`` chain (followed iteratively: chains can be thousands long)."""
    pending = [_unwrap(condition)]
    for _ in range(256):
        if not pending:
            return False
        node = pending.pop()
        if node is None:
            continue
        if node.type == "boolean_operator":
            pending.extend(_unwrap(c) for c in (node.child_by_field_name("left"), node.child_by_field_name("right")) if c is not None)
            continue
        if node.type != "comparison_operator" or len(node.named_children) != 2:
            continue
        left, right = node.named_children
        if (
            text(left) != "None" and text(right) != "None"
            and (_root_name(left) not in state.auth_vars or _root_name(right) not in state.auth_vars)
            and (left.type in ("attribute", "subscript") or right.type in ("attribute", "subscript"))
        ):
            return True
    return False


def _method_decorator_target(decorator: Node) -> str | None:
    """``method_decorator(x, name='dispatch')`` -> ``'dispatch'``; other decorators -> None."""
    if decorator.type != "call":
        return None
    parts = dotted_parts(decorator.child_by_field_name("function"))
    if parts[-1:] != ["method_decorator"]:
        return None
    return string_value(keyword(decorator.child_by_field_name("arguments"), "name")) or "dispatch"


def _enclosing_class(node: Node) -> Node | None:
    current = node.parent
    for _ in range(512):
        if current is None:
            return None
        if current.type == "class_definition":
            return current
        current = current.parent
    return None


def _short(node: Node | None, limit: int = 60) -> str:
    value = " ".join(text(node).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


__all__ = ["PyGuards", "PySummary", "DepInfo", "unverified_decode", "parameter"]
