"""Express (4 and 5), Fastify and Hono servers: every route, its full path, and the middleware that
runs before its handler.

An *app* is a package (the directory of a ``package.json``) that depends on ``express``, ``fastify`` or
``hono`` and on a ``@clerk/*`` package. Its source files are read once (test files aside). In them:

* *receivers* are what routes are registered on: ``express()``, ``express.Router()`` / ``Router()``,
  ``new Hono()`` (and ``.basePath(p)``), ``Fastify()``, a Fastify plugin's instance parameter, and any
  name a route-shaped call is made on (``app.get('/x', handler)`` inside ``module.exports = (app) => {}``);
* *operations* on a receiver, in source order: ``use`` (middleware, or a router / sub-app mounted at a
  prefix), ``get``/``post``/.../``all``, Express ``route(path).get(...)`` chains, Hono ``route(prefix,
  app)`` and ``on(method, path, ...)``, Fastify ``route({...})``, ``register(plugin, { prefix })``,
  ``addHook('preHandler', fn)`` and ``decorate(name, fn)``; and calls that hand the receiver to another
  function (``require('./routes')(app)``), whose registrations happen at that point;
* the *mount graph*: from the receivers nobody mounts (the apps), each route gets the prefixes of the
  mounts above it and the middleware registered before it on the way down. Fastify hooks apply to the
  whole encapsulation context (and its children) whatever their order; ``fastify-plugin`` plugins share
  their parent's context.

Handlers and middleware defined in other files are followed through imports and ``require`` with
:class:`~clerk_lint.project.symbols.Symbols` (including CommonJS ``module.exports = { a, b }`` objects and
methods of a class instance). Middleware is classified once: Clerk's ``clerkMiddleware()`` /
``clerkPlugin`` only attach the auth state; ``requireAuth()`` (and the Node SDK's
``ClerkExpressRequireAuth()``) refuse signed-out callers; a project function blocks when the guard grammar
(:mod:`clerk_lint.project.guards`) finds a check with an exit before it calls ``next()``.

:meth:`ExpressModel.entries` (routes registered in a file) and :meth:`ExpressModel.handlers_in` (routes
whose handler function is in a file) are the API for the rules; :meth:`ExpressModel.protection` says how
one route is protected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from clerk_lint.findings import Location
from clerk_lint.parsing import JS_FAMILY, captures, string_value, text
from clerk_lint.project.guards import DATA_ONLY, Guard, Sink
from clerk_lint.project.js import DEFAULT, FUNCTION_TYPES, NAMESPACE
from clerk_lint.project.symbols import CLERK, FUNCTION, MODULE, VALUE, Symbol, is_clerk_module
from clerk_lint.source import CODE, SourceFile

if TYPE_CHECKING:
    from clerk_lint.project import Project

EXPRESS = "express"
FASTIFY = "fastify"
HONO = "hono"
FRAMEWORK_PACKAGES = {"express": EXPRESS, "fastify": FASTIFY, "hono": HONO}

#: route methods (``del`` is Express 4's old alias of ``delete``)
VERBS = frozenset({"get", "post", "put", "patch", "delete", "del", "options", "head", "all"})
FASTIFY_HOOKS = frozenset({"onRequest", "preParsing", "preValidation", "preHandler"})
#: Clerk exports that only attach the auth state to the request
ATTACHING = frozenset({"clerkMiddleware", "ClerkExpressWithAuth", "expressWithAuth", "clerkPlugin", "withAuth"})
#: Clerk exports that refuse signed-out callers
BLOCKING = frozenset({"requireAuth", "ClerkExpressRequireAuth", "expressRequireAuth"})
#: names of middleware whose code is not in the project but whose name says it authenticates
AUTH_NAME = re.compile(
    r"auth|protect|guard|jwt|signed_?in|logged_?in|login|permission|role|admin|verify|ensure|require_?user|passport", re.I
)
#: a refusal inside a middleware: 401/403 answers, unauthorized errors
REFUSAL = re.compile(rb"\b40[13]\b|nauthori[sz]ed|orbidden|UNAUTHENTICATED|Unauthenticated", re.I)
NEXT_NAMES = frozenset({"next", "done", "cb", "callback"})
#: methods whose receiver argument is not a hand-off to a route-registering function
HANDOFF_SKIP = VERBS | {"use", "route", "register", "listen", "on", "addHook", "createServer"}
TEST_PARTS = frozenset({"test", "tests", "__tests__", "__mocks__", "e2e", "spec", "specs", "cypress", "playwright"})
TEST_NAME = re.compile(r"\.(test|spec|e2e)\.[cm]?[jt]sx?$")
#: bytes that a file registering routes contains (files without any are not parsed for routes)
ROUTE_MARKERS = (b"express", b"Router", b"Hono", b"astify", b".get(", b".post(", b".use(", b".route(", b".register(")
WEBHOOK_MODULES = ("svix", "standardwebhooks", "stripe", "@octokit/webhooks")
MAX_DEPTH = 24

# statuses (the same words as the Next.js coverage model)
GUARDED = "guarded"
NO_DATA = "no-data"
PURPOSE = "public-purpose"
OPEN = "open"
UNKNOWN = "unknown"
UNRESOLVED = "unresolved"

# middleware kinds
BLOCKS = "blocks"
ATTACHES = "attaches"
OTHER = "other"

CALL_QUERY = "(call_expression) @call"
THIS_QUERY = """
[
  (assignment_expression left: (member_expression object: (this))) @d
  (public_field_definition) @d
]
"""


@dataclass(frozen=True)
class ServerApp:
    root: Path  # the package directory
    frameworks: frozenset[str]
    clerk: tuple[str, ...]  # the @clerk/* packages it depends on

    def hint(self, framework: str) -> str:
        """How a handler of ``framework`` reads the auth state, for messages."""
        return {HONO: "getAuth(c)", FASTIFY: "getAuth(request)"}.get(framework, "getAuth(req)")


@dataclass(frozen=True)
class Middleware:
    """One middleware that runs before a handler: registered with ``use``/``addHook`` on the app or a
    router, or given to the route itself."""

    file: SourceFile
    node: Node  # the expression registered
    scope: str  # "app" (use/hook on a receiver), "route" (an argument or option of the route)
    path: tuple[str, ...] | None = None  # prefixes it is limited to (None: every path)

    @property
    def label(self) -> str:
        return _short(self.node)

    def location(self, message: str = "") -> Location:
        return self.file.node_location(self.node, message)


@dataclass(frozen=True)
class MiddlewareVerdict:
    kind: str  # BLOCKS, ATTACHES or OTHER
    how: str = ""
    guard: Guard | None = None
    #: counted as a guard only because of its name (its code is not in the project, or not understood)
    by_name: bool = False


@dataclass
class Route:
    framework: str
    method: str  # "GET", "POST", ..., "ALL"
    path: str  # the full path, mount prefixes included ("/api/notes/:id"); "{…}" parts are not literal
    file: SourceFile  # where the route is registered
    node: Node  # the registration call
    anchor: Node  # where findings point: the path argument (or the method)
    handler_file: SourceFile | None
    handler: Node | None  # the handler function, when found
    wrapper: Guard | None  # a guard applied by a wrapper around the handler
    middleware: tuple[Middleware, ...]  # what runs before the handler, in order (app, routers, route)
    mounted: bool  # False: the router's mount point was not found, so middleware above it is unknown
    app: ServerApp
    clerk_later: Middleware | None = None  # clerkMiddleware() registered on the app only after this route
    seq: int = 0
    root_file: SourceFile | None = None  # where the app (the receiver nobody mounts) is created

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def location(self, message: str = "") -> Location:
        return self.file.node_location(self.anchor, message)


@dataclass
class Protection:
    """How one route is protected (the answer CLK107 reports from)."""

    status: str
    how: str
    exposed: list[Sink] = field(default_factory=list)
    guard: Guard | None = None
    late_guard: bool = False
    related: list[Location] = field(default_factory=list)
    by_name: bool = False
    #: the handler checks the auth state, but clerkMiddleware() is registered only after the route
    before_clerk: Middleware | None = None


# -- internal structures ----------------------------------------------------------------------------

RKey = tuple[str, int, str]  # (file, scope start byte, name): one receiver


@dataclass
class _Receiver:
    key: RKey
    file: SourceFile
    name: str
    kind: str  # "app" (express(), new Hono(), Fastify()), "router", "param", "implicit"
    framework: str | None
    prefix: str = ""  # Hono basePath()


@dataclass
class _Op:
    kind: str  # "route", "use", "mount", "inline", "hook", "decorate"
    file: SourceFile
    node: Node
    order: tuple[int, int, int]
    method: str = ""
    path: str | None = None  # route path, or a use/mount prefix (None: none given)
    paths: tuple[str, ...] | None = None  # use() prefixes
    middleware: tuple[Node, ...] = ()
    handler: Node | None = None
    target: RKey | None = None
    anchor: Node | None = None
    framework: str | None = None


@dataclass
class _State:
    """Middleware registered so far on the way down to a receiver: (middleware, seq)."""

    middleware: list[tuple[Middleware, int]] = field(default_factory=list)


class ExpressModel:
    def __init__(self, project: "Project") -> None:
        self.project = project
        self._apps: dict[Path, ServerApp | None] = {}
        self._files: dict[Path, list] = {}
        self._routes: dict[Path, list[Route]] = {}
        self._verdicts: dict[tuple[str, int], MiddlewareVerdict] = {}
        self._protection: dict[int, Protection] = {}
        self._scopes: dict[tuple[str, int], set[str]] = {}
        self._decorations: dict[Path, dict[str, list[tuple[SourceFile, Node]]]] = {}
        self._clerk_uses: dict[tuple[Path, str], str | None] = {}
        # per-app build state
        self._receivers: dict[RKey, _Receiver] = {}
        self._sites: dict[RKey, list[tuple[SourceFile, Node, list[tuple[str, Node]]]]] = {}
        self._ops: dict[RKey, list[_Op]] = {}
        self._scanned: set[str] = set()
        self._aliases: dict[RKey, list[tuple[SourceFile, Node, RKey]]] = {}

    # -- apps ------------------------------------------------------------------------------------

    def app_for(self, file: SourceFile) -> ServerApp | None:
        """The Express/Fastify/Hono app (with Clerk) that ``file`` belongs to."""
        manifest = self.project.manifest_for(file)
        root = Path(manifest.path).parent if manifest is not None else self.project.root
        if manifest is None and file.grammar in JS_FAMILY:
            return self._detect(root, None, file)
        if root not in self._apps:
            self._apps[root] = self._detect(root, manifest, file)
        return self._apps[root]

    def _detect(self, root: Path, manifest, file: SourceFile) -> ServerApp | None:
        if manifest is None:  # no package.json: judge by what the file imports
            sources = {b.source for b in self.project.js(file).imports}
            frameworks = frozenset(FRAMEWORK_PACKAGES[s] for s in sources if s in FRAMEWORK_PACKAGES)
            clerk = tuple(sorted(s for s in sources if is_clerk_module(s)))
            return ServerApp(root, frameworks, clerk) if frameworks and clerk else None
        frameworks = frozenset(FRAMEWORK_PACKAGES[name] for name in FRAMEWORK_PACKAGES if manifest.get(name) is not None)
        clerk = tuple(sorted(name for name in manifest.dependencies if is_clerk_module(name)))
        if not frameworks or not clerk:
            return None
        return ServerApp(root, frameworks, clerk)

    def package_files(self, root: Path) -> list:
        """The JS/TS source files of the package in ``root`` (not those of packages nested in it),
        as discovery candidates; read on demand."""
        if root not in self._files:
            from clerk_lint.discovery import discover

            found = []
            try:
                candidates = discover([root], self.project.root).files
            except Exception:  # a vanished directory: no files
                candidates = []
            for candidate in candidates:
                if candidate.kind != CODE or candidate.grammar not in JS_FAMILY:
                    continue
                if self._owner(candidate.path.parent, root) != root:
                    continue
                found.append(candidate)
            self._files[root] = found
        return self._files[root]

    def _owner(self, directory: Path, root: Path) -> Path:
        """The package directory that owns ``directory`` (the nearest one with a package.json)."""
        directory = self.project.canon(directory)
        root = self.project.canon(root)
        while directory != root and root in directory.parents:
            if (directory / "package.json").is_file():
                return directory
            directory = directory.parent
        return root

    def _is_test(self, path: Path, root: Path) -> bool:
        """Whether a file is a test (judged on its path inside the package)."""
        try:
            rel = self.project.canon(path).relative_to(self.project.canon(root)).as_posix()
        except ValueError:
            rel = path.name
        return _is_test(rel)

    def uses_clerk_export(self, root: Path, name: str) -> str | None:
        """The first file of the package in ``root`` that uses the Clerk export ``name`` (imported,
        aliased, through a namespace or a local re-export), or None."""
        key = (root, name)
        if key not in self._clerk_uses:
            found = None
            needle = name.encode()
            for candidate in self.package_files(root):
                try:
                    if needle not in candidate.path.read_bytes():
                        continue
                except OSError:
                    continue
                file = self.project.load(candidate.path)
                if file is None:
                    continue
                if self._imports_clerk_export(file, name):
                    found = self.project.canon(candidate.path).relative_to(self.project.canon(root)).as_posix()
                    break
            self._clerk_uses[key] = found
        return self._clerk_uses[key]

    def _imports_clerk_export(self, file: SourceFile, name: str) -> bool:
        facts = self.project.js(file)
        for binding in facts.imports:
            if binding.imported in (NAMESPACE, DEFAULT):
                if is_clerk_module(binding.source) and f"{binding.local}.{name}".encode() in file.data:
                    return True
                continue
            if self.project.symbols.lookup(file, binding.local).clerk(name):
                return True
        return any(e.imported == name and is_clerk_module(e.source) for e in facts.exports.values())

    # -- routes ----------------------------------------------------------------------------------

    def entries(self, file: SourceFile) -> list[Route]:
        """The routes registered in ``file`` (empty unless it belongs to an app with Clerk)."""
        if file.grammar not in JS_FAMILY:
            return []
        app = self.app_for(file)
        if app is None or self._is_test(file.path, app.root):
            return []
        return [r for r in self.routes(app) if r.file.real == file.real]

    def handlers_in(self, file: SourceFile) -> list[Route]:
        """The routes whose handler function is defined in ``file``."""
        if file.grammar not in JS_FAMILY:
            return []
        app = self.app_for(file)
        if app is None:
            return []
        return [r for r in self.routes(app) if r.handler_file is not None and r.handler_file.real == file.real]

    def routes(self, app: ServerApp) -> list[Route]:
        """Every route of ``app`` (computed once)."""
        if app.root not in self._routes:
            self._routes[app.root] = self._build(app)
        return self._routes[app.root]

    def _build(self, app: ServerApp) -> list[Route]:
        self._receivers, self._sites, self._ops, self._scanned, self._aliases = {}, {}, {}, set(), {}
        self._routes[app.root] = []  # a lookup made while building sees no routes, never a second build
        for candidate in self.package_files(app.root):
            if self._is_test(candidate.path, app.root):
                continue
            try:
                data = candidate.path.read_bytes()
            except OSError:
                continue
            if not any(marker in data for marker in ROUTE_MARKERS):
                continue
            file = self.project.load(candidate.path)
            if file is not None and file.grammar in JS_FAMILY:
                self._scan(file)
        # receivers, operations and the mount graph, until nothing new turns up (a hand-off to a
        # function in another file scans that file)
        targets: set[RKey] = set()
        done: set[RKey] = set()
        changed = True
        while changed:
            changed = False
            for key, sites in list(self._sites.items()):  # a name becomes a receiver when a route-shaped call is made on it
                if key not in self._receivers and any(_route_shaped(chain) for _, _, chain in sites):
                    self._receivers[key] = _Receiver(key, sites[0][0], key[2], "implicit", None)
            for key in list(self._receivers):
                if key in done:
                    continue
                done.add(key)
                changed = True
                for op in self._ops_of(key):
                    if op.target is not None:
                        targets.add(op.target)
        decorations: dict[str, list[tuple[SourceFile, Node]]] = {}
        for ops in self._ops.values():
            for op in ops:
                if op.kind == "decorate" and op.path and op.handler is not None:
                    decorations.setdefault(op.path, []).append((op.file, op.handler))
        self._decorations[app.root] = decorations
        routes: list[Route] = []
        seq = [0]
        walked: set[RKey] = set()
        roots = sorted((k for k in self._receivers if k not in targets), key=lambda k: (self._receivers[k].kind != "app", k))
        for key in roots:
            receiver = self._receivers[key]
            before = len(routes)
            attach: list[tuple[Middleware, int]] = []
            self._walk(app, key, "", _State(), receiver.kind == "app", (), routes, seq, walked, attach)
            for route in routes[before:]:
                route.root_file = receiver.file
                if not any(self.verdict(m).kind == ATTACHES for m in route.middleware):
                    later = [m for m, at in attach if at > route.seq and _applies(m.path, route.path)]
                    route.clerk_later = later[0] if later else None
        for key in sorted(k for k in self._receivers if k not in walked):  # only reachable through a cycle
            self._walk(app, key, "", _State(), False, (), routes, seq, walked, [])
        unique: dict[tuple[str, int, int, str, str], Route] = {}
        for route in routes:
            unique.setdefault((route.file.rel, route.node.start_byte, route.node.end_byte, route.method, route.path), route)
        return list(unique.values())

    # -- scanning one file -----------------------------------------------------------------------

    def _scan(self, file: SourceFile) -> None:
        if str(file.real) in self._scanned:
            return
        self._scanned.add(str(file.real))
        root = file.root
        for declarator in captures(file.grammar, "(variable_declarator) @d", root).get("d", ()):
            name = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if name is None or value is None or name.type != "identifier":
                continue
            found = self._factory(file, value)
            key = (str(file.real), _scope_of(declarator).start_byte, text(name))
            if found is None:
                self._alias(file, key, value)
                continue
            kind, framework, prefix = found
            self._receivers.setdefault(key, _Receiver(key, file, text(name), kind, framework, prefix))
        if b"this." in file.data:  # this.app = express(); class fields: router = Router()
            for node in captures(file.grammar, THIS_QUERY, root).get("d", ()):
                target = node.child_by_field_name("left") or node.child_by_field_name("name") or node.child_by_field_name("property")
                value = node.child_by_field_name("right") or node.child_by_field_name("value")
                if target is None or value is None:
                    continue
                found = self._factory(file, value)
                if found is None:
                    continue
                key = self._this_key(file, target)
                if key is not None:
                    self._receivers.setdefault(key, _Receiver(key, file, key[2], found[0], found[1], found[2]))
        for call in captures(file.grammar, CALL_QUERY, root).get("call", ()):
            if not _outermost(call):
                continue
            head, chain = _chain(call)
            if head is None or not chain:
                continue
            key = None
            if head.type == "identifier":
                key = self._head_key(file, head)
            elif head.type == "member_expression":
                key = self._this_key(file, head)
            elif head.type in ("call_expression", "new_expression"):
                # `express.Router().get(...)`, `new Hono().get(...)` as a declaration value: ops of that receiver
                declarator = _declarator_of(call)
                if declarator is not None and self._factory(file, head) is not None:
                    name = declarator.child_by_field_name("name")
                    key = (str(file.real), _scope_of(declarator).start_byte, text(name))
            if key is not None:
                self._sites.setdefault(key, []).append((file, call, chain))

    def _alias(self, file: SourceFile, key: RKey, value: Node) -> None:
        """``const api = app.basePath('/api')`` (Hono): ``api`` registers on ``app`` under the prefix."""
        value = _unwrap(value)
        if value.type != "call_expression" or b"basePath" not in (value.text or b""):
            return
        head, chain = _chain(value)
        if head is None or head.type != "identifier" or not chain or any(method != "basePath" for method, _ in chain):
            return
        prefix = ""
        for _, call in chain:
            args = _args(call)
            prefix = _join(prefix, (_literal_path(args[0]) or _placeholder(args[0])) if args else None)
        parent = self._head_key(file, head)
        if parent is None:
            return
        self._receivers.setdefault(key, _Receiver(key, file, key[2], "alias", HONO, prefix))
        self._aliases.setdefault(parent, []).append((file, value, key))

    def _this_key(self, file: SourceFile, node: Node) -> RKey | None:
        """``this.app`` (or a class field ``app``) inside a class: one receiver per class."""
        if node.type == "member_expression":
            obj = node.child_by_field_name("object")
            if obj is None or obj.type != "this":
                return None
            name = _prop(node)
        elif node.type in ("property_identifier", "private_property_identifier"):
            name = text(node)
        else:
            return None
        parent = node.parent
        while parent is not None and parent.type not in ("class_declaration", "class", "abstract_class_declaration"):
            parent = parent.parent
        if parent is None:
            return None
        return (str(file.real), parent.start_byte, f"this.{name}")

    def _factory(self, file: SourceFile, value: Node) -> tuple[str, str, str] | None:
        """(kind, framework, base path) when ``value`` creates an app or a router."""
        node = _unwrap(value)
        prefix = ""
        while node.type == "call_expression":  # new Hono().basePath('/api').get(...)
            callee = node.child_by_field_name("function")
            if callee is None or callee.type != "member_expression":
                break
            method = _prop(callee)
            if method == "basePath":
                args = _args(node)
                prefix = _literal_path(args[0]) or "" if args else ""
            inner = _unwrap(callee.child_by_field_name("object"))
            if inner.type not in ("call_expression", "new_expression"):
                break
            found = self._factory_call(file, inner)
            if found is not None:
                return found[0], found[1], prefix
            node = inner
        found = self._factory_call(file, node)
        return (found[0], found[1], prefix) if found is not None else None

    def _factory_call(self, file: SourceFile, node: Node) -> tuple[str, str] | None:
        facts = self.project.js(file)
        if node.type == "new_expression":
            ctor = node.child_by_field_name("constructor")
            name = _last(ctor)
            if name in ("Hono", "OpenAPIHono"):
                return "app", HONO
            if name == "Router" and self._source_of(file, ctor) == "express":
                return "router", EXPRESS
            return None
        if node.type != "call_expression":
            return None
        callee = _unwrap(node.child_by_field_name("function"))
        if callee is None:
            return None
        if callee.type == "call_expression" and _is_require(callee):
            source = string_value(_args(callee)[0])
            if source == "express":
                return "app", EXPRESS
            if source == "fastify":
                return "app", FASTIFY
            return None
        if callee.type == "member_expression":
            obj = _unwrap(callee.child_by_field_name("object"))
            if _prop(callee) == "Router":
                if obj.type == "identifier" and self._source_of(file, obj) == "express":
                    return "router", EXPRESS
                if obj.type == "call_expression" and _is_require(obj) and string_value(_args(obj)[0]) == "express":
                    return "router", EXPRESS
            if _prop(callee) in ("default", "fastify") and obj.type == "identifier" and self._source_of(file, obj) == "fastify":
                return "app", FASTIFY
            return None
        if callee.type == "identifier":
            binding = facts.bindings.get(text(callee))
            if binding is None:
                return None
            if binding.source == "express":
                if binding.imported in (DEFAULT, NAMESPACE, "default"):
                    return "app", EXPRESS
                if binding.imported == "Router":
                    return "router", EXPRESS
            if binding.source == "fastify" and binding.imported in (DEFAULT, NAMESPACE, "default", "fastify", "Fastify"):
                return "app", FASTIFY
        return None

    def _source_of(self, file: SourceFile, node: Node | None) -> str | None:
        if node is None or node.type != "identifier":
            return None
        binding = self.project.js(file).bindings.get(text(node))
        return binding.source if binding is not None else None

    def _head_key(self, file: SourceFile, head: Node) -> RKey | None:
        """The receiver a name refers to at ``head``: a parameter or a local of an enclosing function,
        a top-level name, or (for an imported name) the receiver declared in the other file."""
        name = text(head)
        scope = _binding_scope(head, name, self._scopes, str(file.real))
        if scope.type == "program" and name in self.project.js(file).bindings:
            target = self._imported_receiver(file, name)  # import app from './app', require('./router')
            if target is not None:
                return target
        return (str(file.real), scope.start_byte, name)

    def _imported_receiver(self, file: SourceFile, name: str) -> RKey | None:
        symbol = self.project.symbols.lookup(file, name)
        if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
            return self._receiver_at(symbol.file, symbol.node)
        if symbol.kind == MODULE and symbol.file is not None:
            return self._module_receiver(symbol.file)
        return None

    def _receiver_at(self, file: SourceFile, value: Node) -> RKey | None:
        """The receiver declared with ``value`` (a factory call) in ``file``."""
        declarator = value.parent
        while declarator is not None and declarator.type not in ("variable_declarator", "program"):
            if declarator.type in FUNCTION_TYPES:
                return None
            declarator = declarator.parent
        if declarator is None or declarator.type != "variable_declarator":
            if value.type == "identifier":  # module.exports = router
                scope = _binding_scope(value, text(value), self._scopes, str(file.real))
                key = (str(file.real), scope.start_byte, text(value))
                return key if key in self._receivers else None
            return None
        name = declarator.child_by_field_name("name")
        if name is None or name.type != "identifier":
            return None
        key = (str(file.real), _scope_of(declarator).start_byte, text(name))
        if key not in self._receivers:
            found = self._factory(file, declarator.child_by_field_name("value"))
            if found is not None:
                self._receivers[key] = _Receiver(key, file, text(name), found[0], found[1], found[2])
                self._scan(file)
        return key if key in self._receivers else None

    def _module_receiver(self, module: SourceFile) -> RKey | None:
        """The receiver a module exports as its default (``module.exports = router``, ``export default app``)."""
        export = self.project.js(module).exports.get("default")
        if export is None:
            return None
        if export.value is not None:
            value = _unwrap(export.value)
            if value.type == "identifier":
                local = self.project.js(module).locals.get(text(value))
                if local is not None:
                    return self._receiver_at(module, local)
                return None
            return self._receiver_at(module, value)
        if export.local is not None:
            local = self.project.js(module).locals.get(export.local)
            if local is not None:
                return self._receiver_at(module, local)
        return None

    # -- operations --------------------------------------------------------------------------------

    def _ops_of(self, key: RKey) -> list[_Op]:
        if key in self._ops:
            return self._ops[key]
        self._ops[key] = []
        receiver = self._receivers.get(key)
        ops: list[_Op] = []
        for file, call, chain in self._sites.get(key, ()):
            ops.extend(self._site_ops(file, call, chain, receiver))
        # calls that hand this receiver to another function: routes(app), require('./x')(app)
        for file, call, index in self._handoffs(key):
            target = self._handoff_target(file, call, index)
            if target is not None:
                ops.append(_Op("inline", file, call, _order(file, call), target=target))
        for file, call, alias in self._aliases.get(key, ()):
            ops.append(_Op("inline", file, call, _order(file, call), target=alias))
        home = str(receiver.file.real) if receiver is not None else ""
        ops.sort(key=lambda op: (str(op.file.real) != home, op.file.rel, op.order))
        self._ops[key] = ops
        return ops

    def _handoffs(self, key: RKey) -> list[tuple[SourceFile, Node, int]]:
        """Calls that pass the receiver to a function, in its own file or in a file that imports it."""
        receiver = self._receivers.get(key)
        if receiver is None:
            return []
        found = []
        files = [receiver.file] + [self.project.load(Path(p)) for p in sorted(self._scanned) if p != str(receiver.file.real)]
        for file in files:
            if file is None or receiver.name.encode() not in file.data:
                continue
            for call in captures(file.grammar, CALL_QUERY, file.root).get("call", ()):
                for index, arg in enumerate(_args(call)):
                    if arg.type != "identifier" or text(arg) != receiver.name or self._head_key(file, arg) != key:
                        continue
                    callee = _unwrap(call.child_by_field_name("function"))
                    if callee is not None and callee.type == "member_expression":
                        obj = _unwrap(callee.child_by_field_name("object"))
                        if _prop(callee) in HANDOFF_SKIP or (obj is not None and obj.type == "identifier" and text(obj) == receiver.name):
                            continue  # app.use(app2), app.listen(...): not a hand-off
                    found.append((file, call, index))
        return found

    def _handoff_target(self, file: SourceFile, call: Node, index: int) -> RKey | None:
        function = self._callee_function(file, call.child_by_field_name("function"))
        if function is None:
            return None
        target_file, node = function
        param = _param_name(node, index)
        if param is None:
            return None
        key = (str(target_file.real), node.start_byte, param)
        self._ensure_param(key, target_file, param)
        return key

    def _ensure_param(self, key: RKey, file: SourceFile, name: str) -> None:
        if key not in self._receivers:
            self._receivers[key] = _Receiver(key, file, name, "param", None)
        self._scan(file)  # the function may live in a file without route markers

    def _callee_function(self, file: SourceFile, callee: Node | None) -> tuple[SourceFile, Node] | None:
        """The project function a call calls: ``routes``, ``require('./routes')``, ``mod.setup``."""
        callee = _unwrap(callee)
        if callee is None:
            return None
        if callee.type == "call_expression" and _is_require(callee):
            module = self._require_module(file, callee)
            return self._default_function(module) if module is not None else None
        return self._function(file, callee)

    def _site_ops(self, file: SourceFile, call: Node, chain: list[tuple[str, Node]], receiver: _Receiver | None) -> list[_Op]:
        framework = receiver.framework if receiver is not None else None
        ops: list[_Op] = []
        route_path: str | None = None
        route_anchor: Node | None = None
        prefix = ""
        for method, node in chain:
            args = _args(node)
            order = _order(file, node)
            if route_path is not None and method in VERBS:
                op = self._route_op(file, node, method, args, order, path=route_path, anchor=route_anchor, framework=framework)
                if op is not None:
                    ops.append(op)
                continue
            if method == "route":
                if len(args) == 1 and args[0].type == "object":
                    ops.extend(self._fastify_route(file, node, args[0], order))
                elif len(args) >= 2:  # Hono: app.route('/api', sub)
                    target = self._receiver_of(file, args[1])
                    if target is not None:
                        ops.append(_Op("mount", file, node, order, path=_join(prefix, _literal_path(args[0])), target=target, framework=HONO))
                elif args:
                    route_path = _join(prefix, _literal_path(args[0]) or _placeholder(args[0]))
                    route_anchor = args[0]
                continue
            if method in VERBS:
                if method == "get" and len(args) < 2:
                    continue  # app.get('env'): a setting
                op = self._route_op(file, node, method, args, order, prefix=prefix, framework=framework)
                if op is not None:
                    ops.append(op)
                continue
            if method == "on" and len(args) >= 3:  # Hono: app.on('GET', '/x', ...handlers)
                methods = _strings(args[0]) or ["?"]
                for verb in methods:
                    op = self._route_op(file, node, verb.lower(), args[1:], order, prefix=prefix, framework=HONO)
                    if op is not None:
                        ops.append(op)
                continue
            if method == "use":
                ops.extend(self._use_ops(file, node, args, order, prefix))
                continue
            if method == "register" and args:
                ops.extend(self._register_ops(file, node, args, order))
                continue
            if method == "addHook" and len(args) >= 2 and string_value(args[0]) in FASTIFY_HOOKS:
                ops.append(_Op("hook", file, node, order, middleware=(args[1],), framework=FASTIFY))
                continue
            if method in ("decorate", "decorateRequest") and len(args) >= 2:
                key = string_value(args[0])
                if key:
                    ops.append(_Op("decorate", file, node, order, path=key, handler=args[1]))
                continue
            if method == "basePath" and args:
                prefix = _join(prefix, _literal_path(args[0]) or _placeholder(args[0]))
                continue
        return ops

    def _route_op(self, file, node, method, args, order, path=None, prefix="", anchor=None, framework=None) -> _Op | None:
        args = list(args)
        if path is None:
            if not args:
                return None
            first = _unwrap(args[0])
            literal = _literal_path(first)
            if literal is None and first.type not in ("identifier", "member_expression", "template_string", "array", "regex", "binary_expression"):
                return None
            path = _join(prefix, literal if literal is not None else _placeholder(first))
            anchor = first
            args = args[1:]
        if not args:
            return None
        options = [a for a in args if _unwrap(a).type == "object"]
        handlers = [a for a in args if _unwrap(a).type != "object"]
        middleware: list[Node] = []
        handler = None
        for opts in options:  # Fastify route options: { preHandler, onRequest, handler }
            for key, value in _pairs(opts):
                if key in FASTIFY_HOOKS:
                    middleware.extend(_flatten(value))
                elif key == "handler":
                    handler = value
        if handler is None:
            if not handlers:
                return None
            handler = handlers[-1]
            handlers = handlers[:-1]
        for extra in handlers:
            middleware.extend(_flatten(extra))
        verb = "DELETE" if method == "del" else method.upper()
        return _Op("route", file, node, order, method=verb, path=path, middleware=tuple(middleware), handler=handler, anchor=anchor or node, framework=framework)

    def _fastify_route(self, file, node, options: Node, order) -> list[_Op]:
        pairs = dict(_pairs(options))
        url = pairs.get("url") or pairs.get("path")
        handler = pairs.get("handler")
        if url is None or handler is None:
            return []
        methods = _strings(pairs["method"]) if "method" in pairs else ["GET"]
        middleware: list[Node] = []
        for hook in FASTIFY_HOOKS:
            if hook in pairs:
                middleware.extend(_flatten(pairs[hook]))
        path = _literal_path(url) or _placeholder(url)
        return [
            _Op("route", file, node, order, method=m.upper(), path=path, middleware=tuple(middleware), handler=handler, anchor=url, framework=FASTIFY)
            for m in (methods or ["?"])
        ]

    def _use_ops(self, file, node, args, order, prefix) -> list[_Op]:
        args = list(args)
        paths: tuple[str, ...] | None = None
        if args:
            first = _unwrap(args[0])
            literal = _literal_path(first)
            if literal is not None:
                paths = None if literal in ("*", "/*", "/") else (_join(prefix, literal),)
                args = args[1:]
            elif first.type == "array" and all(_literal_path(e) is not None for e in first.named_children):
                paths = tuple(_join(prefix, _literal_path(e)) for e in first.named_children)
                args = args[1:]
            elif first.type in ("regex", "template_string"):
                paths = ("{…}",)
                args = args[1:]
        if paths is None and prefix:
            paths = (prefix,)
        ops = []
        for arg in args:
            for item in _flatten(arg):
                target = self._receiver_of(file, item)
                if target is not None:
                    mount = paths[0] if paths else prefix or None
                    ops.append(_Op("mount", file, node, order, path=mount, target=target))
                else:
                    ops.append(_Op("use", file, node, order, paths=paths, middleware=(item,)))
        return ops

    def _register_ops(self, file, node, args, order) -> list[_Op]:
        plugin = _unwrap(args[0])
        options = dict(_pairs(args[1])) if len(args) > 1 and _unwrap(args[1]).type == "object" else {}
        prefix = _literal_path(options["prefix"]) if "prefix" in options else None
        symbol = self.project.symbols.callee(file, plugin) if plugin.type in ("identifier", "member_expression") else None
        if symbol is not None and symbol.kind == CLERK:
            return [_Op("use", file, node, order, middleware=(plugin,), framework=FASTIFY)]  # clerkPlugin attaches auth
        same_context, function = self._plugin_function(file, plugin)
        if function is None:
            return []
        target_file, fn = function
        param = _param_name(fn, 0)
        if param is None:
            return []
        key = (str(target_file.real), fn.start_byte, param)
        if key not in self._receivers:
            self._receivers[key] = _Receiver(key, target_file, param, "param", FASTIFY)
        self._scan(target_file)
        kind = "inline" if same_context else "mount"
        return [_Op(kind, file, node, order, path=prefix, target=key, framework=FASTIFY)]

    def _plugin_function(self, file: SourceFile, plugin: Node, depth: int = 0) -> tuple[bool, tuple[SourceFile, Node] | None]:
        """(shares the parent's context, the plugin function) for a ``register`` argument:
        a function, a name for one, ``fp(fn)``, ``import('./routes')``, ``require('./routes')``."""
        plugin = _unwrap(plugin)
        if depth > 4 or plugin is None:
            return False, None
        if plugin.type in FUNCTION_TYPES:
            return False, (file, plugin)
        if plugin.type == "call_expression":
            callee = _unwrap(plugin.child_by_field_name("function"))
            if _is_require(plugin) or (callee is not None and callee.type == "import"):
                module = self._require_module(file, plugin)
                if module is None:
                    return False, None
                export = self.project.js(module).exports.get("default")
                value = export.value if export is not None else None
                if value is None and export is not None and export.local:
                    value = self.project.js(module).locals.get(export.local)
                return self._plugin_function(module, value, depth + 1) if value is not None else (False, None)
            source = self._source_of(file, callee)
            args = _args(plugin)
            if source == "fastify-plugin" and args:
                return True, self._plugin_function(file, args[0], depth + 1)[1]
            return False, None
        if plugin.type in ("identifier", "member_expression"):
            symbol = self.project.symbols.callee(file, plugin) if plugin.type == "member_expression" else self.project.symbols.lookup(file, text(plugin))
            if symbol.kind == FUNCTION and symbol.file is not None:
                return False, (symbol.file, symbol.node)
            if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
                return self._plugin_function(symbol.file, symbol.node, depth + 1)
            if symbol.kind == MODULE and symbol.file is not None:
                export = self.project.js(symbol.file).exports.get("default")
                value = export.value if export is not None else None
                return self._plugin_function(symbol.file, value, depth + 1) if value is not None else (False, None)
        return False, None

    def _receiver_of(self, file: SourceFile, node: Node) -> RKey | None:
        """The router or sub-app an argument of ``use``/``route`` names, if it is one."""
        node = _unwrap(node)
        if node.type == "identifier":
            key = self._head_key(file, node)
            if key is not None and key in self._receivers:
                return key
            symbol = self.project.symbols.lookup(file, text(node))
            if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
                return self._receiver_at(symbol.file, symbol.node)
            if symbol.kind == MODULE and symbol.file is not None:
                return self._module_receiver(symbol.file)
            return None
        if node.type == "call_expression":
            if _is_require(node):
                module = self._require_module(file, node)
                return self._module_receiver(module) if module is not None else None
            if self._factory(file, node) is not None:
                return None  # an inline router: its routes are not modelled
            function = self._callee_function(file, node.child_by_field_name("function"))
            if function is not None:  # createRouter(): the router it builds and returns
                return self._returned_receiver(*function)
        if node.type == "member_expression":  # mod.router, new UsersRoute().router, this.router
            key = self._this_key(file, node)
            if key is not None and key in self._receivers:
                return key
            symbol = self.project.symbols.callee(file, node)
            if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
                return self._receiver_at(symbol.file, symbol.node)
            obj = _unwrap(node.child_by_field_name("object"))
            if obj is not None and obj.type == "identifier":
                owner = self.project.symbols.lookup(file, text(obj))
                if owner.kind == VALUE and owner.file is not None and owner.node is not None:
                    obj, file = _unwrap(owner.node), owner.file
            if obj is not None and obj.type == "new_expression":
                ctor = obj.child_by_field_name("constructor")
                symbol = self.project.symbols.lookup(file, text(ctor)) if ctor is not None and ctor.type == "identifier" else None
                if symbol is not None and symbol.file is not None and symbol.node is not None and symbol.node.type in ("class_declaration", "class"):
                    self._scan(symbol.file)
                    key = (str(symbol.file.real), symbol.node.start_byte, f"this.{_prop(node)}")
                    return key if key in self._receivers else None
        return None

    def _returned_receiver(self, file: SourceFile, function: Node) -> RKey | None:
        for ret in captures(file.grammar, "(return_statement (identifier) @r)", function).get("r", ()):
            key = (str(file.real), _binding_scope(ret, text(ret), self._scopes, str(file.real)).start_byte, text(ret))
            if key in self._receivers:
                return key
        body = function.child_by_field_name("body")
        if body is not None and body.type != "statement_block" and self._factory(file, body) is not None:
            return None
        return None

    # -- resolution helpers ----------------------------------------------------------------------------

    def _require_module(self, file: SourceFile, call: Node) -> SourceFile | None:
        args = _args(call)
        source = string_value(args[0]) if args else None
        if not source:
            return None
        target = self.project.resolver.resolve(file.path, source)
        if target is None:
            return None
        module = self.project.load(target)
        return module if module is not None and module.grammar in JS_FAMILY else None

    def _default_function(self, module: SourceFile) -> tuple[SourceFile, Node] | None:
        export = self.project.js(module).exports.get("default")
        if export is None:
            return None
        value = export.value
        if value is None and export.local is not None:
            value = self.project.js(module).locals.get(export.local)
        if value is None:
            return None
        return self._function(module, value)

    def _function(self, file: SourceFile, node: Node | None, depth: int = 0) -> tuple[SourceFile, Node] | None:
        """The project function an expression names: a function, a name bound to one (in any file),
        ``module.method`` (ESM namespace, CommonJS ``exports.x`` or ``module.exports = { x }``), a
        method of a class instance."""
        node = _unwrap(node)
        if node is None or depth > 6:
            return None
        if node.type in FUNCTION_TYPES:
            return file, node
        symbols = self.project.symbols
        if node.type in ("identifier", "shorthand_property_identifier"):
            symbol = symbols.lookup(file, text(node))
            if symbol.kind == FUNCTION and symbol.file is not None:
                return symbol.file, symbol.node
            if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None and _unwrap(symbol.node).type == "identifier":
                return self._function(symbol.file, symbol.node, depth + 1)
            if symbol.kind == MODULE and symbol.file is not None:
                return self._default_function(symbol.file)
            return None
        if node.type == "member_expression":
            symbol = symbols.callee(file, node)
            if symbol.kind == FUNCTION and symbol.file is not None:
                return symbol.file, symbol.node
            obj = _unwrap(node.child_by_field_name("object"))
            prop = _prop(node)
            owner = None
            if obj is not None and obj.type == "identifier":
                owner = symbols.lookup(file, text(obj))
            elif obj is not None and obj.type == "call_expression" and _is_require(obj):
                module = self._require_module(file, obj)
                if module is not None:
                    return self._module_member(module, prop, depth)
            if owner is None:
                return None
            if owner.kind == MODULE and owner.file is not None:
                return self._module_member(owner.file, prop, depth)
            if owner.kind == VALUE and owner.file is not None and owner.node is not None:
                return self._object_member(owner.file, owner.node, prop, depth)
        return None

    def _module_member(self, module: SourceFile, prop: str, depth: int) -> tuple[SourceFile, Node] | None:
        symbol = self.project.symbols.export(module, prop)
        if symbol.kind == FUNCTION and symbol.file is not None:
            return symbol.file, symbol.node
        export = self.project.js(module).exports.get("default")
        if export is not None and export.value is not None:
            return self._object_member(module, export.value, prop, depth)
        return None

    def _object_member(self, file: SourceFile, value: Node, prop: str, depth: int) -> tuple[SourceFile, Node] | None:
        """``prop`` of an object literal, of a class instance (``new Controller()``) or of a class."""
        value = _unwrap(value)
        if value.type == "identifier":
            local = self.project.js(file).locals.get(text(value))
            if local is not None and local is not value:
                return self._object_member(file, local, prop, depth + 1)
            return None
        if value.type == "object":
            for key, item in _pairs(value):
                if key == prop:
                    return self._function(file, item, depth + 1)
            for child in value.named_children:
                if child.type == "shorthand_property_identifier" and text(child) == prop:
                    symbol = self.project.symbols.lookup(file, prop)
                    if symbol.kind == FUNCTION and symbol.file is not None:
                        return symbol.file, symbol.node
                if child.type == "method_definition" and _prop_name(child) == prop:
                    return file, child
            return None
        if value.type == "new_expression":
            ctor = value.child_by_field_name("constructor")
            if ctor is not None and ctor.type == "identifier":
                symbol = self.project.symbols.lookup(file, text(ctor))
                if symbol.kind == VALUE and symbol.node is not None and symbol.file is not None:
                    return self._object_member(symbol.file, symbol.node, prop, depth + 1)
            return None
        if value.type in ("class_declaration", "class"):
            body = value.child_by_field_name("body")
            for member in body.named_children if body is not None else ():
                if member.type == "method_definition" and _prop_name(member) == prop:
                    return file, member
                if member.type in ("public_field_definition", "field_definition"):
                    name = member.child_by_field_name("name") or member.child_by_field_name("property")
                    init = member.child_by_field_name("value")
                    if name is not None and text(name) == prop and init is not None and _unwrap(init).type in FUNCTION_TYPES:
                        return file, _unwrap(init)
        return None

    # -- the walk down the mount graph -----------------------------------------------------------------

    def _walk(self, app, key, prefix, state, mounted, stack, routes, seq, walked, attach) -> list[tuple[Middleware, int]]:
        """Routes of receiver ``key`` mounted at ``prefix`` with ``state`` (mutated: the caller's state
        for an inline hand-off, a copy for a mount). Returns the path-less middleware it registered
        (Express/Hono router middleware also runs for the parent's later routes under the prefix)."""
        if key in stack or len(stack) > MAX_DEPTH:
            return []
        walked.add(key)
        receiver = self._receivers.get(key)
        framework = receiver.framework if receiver is not None and receiver.framework else self._default_framework(app)
        if receiver is not None and receiver.prefix:
            prefix = _join(prefix, receiver.prefix)
        ops = self._ops_of(key)
        stack = (*stack, key)
        own: list[tuple[Middleware, int]] = []
        if framework == FASTIFY:  # hooks hold for the whole encapsulation context, whatever their order
            for op in ops:
                if op.kind in ("hook", "use"):
                    for node in op.middleware:
                        seq[0] += 1
                        entry = (Middleware(op.file, node, "app", None), -seq[0])
                        state.middleware.append(entry)
                        own.append(entry)
                        if self.verdict(entry[0]).kind == ATTACHES:
                            attach.append((entry[0], -seq[0]))
        for op in ops:
            seq[0] += 1
            if op.kind == "use" and framework != FASTIFY:
                paths = tuple(_join(prefix, p) for p in op.paths) if op.paths else ((prefix,) if prefix else None)
                for node in op.middleware:
                    entry = (Middleware(op.file, node, "app", paths), seq[0])
                    state.middleware.append(entry)
                    if op.paths is None:
                        own.append(entry)
                    if self.verdict(entry[0]).kind == ATTACHES:
                        attach.append((entry[0], seq[0]))
            elif op.kind == "route":
                full = _join(prefix, op.path)
                chain = [m for m, _ in state.middleware if _applies(m.path, full)]
                chain += [Middleware(op.file, node, "route") for node in op.middleware]
                handler_file, handler, wrapper = self._handler(op.file, op.handler)
                routes.append(Route(
                    framework=op.framework or framework, method=op.method, path=full or "/", file=op.file, node=op.node,
                    anchor=op.anchor or op.node, handler_file=handler_file, handler=handler, wrapper=wrapper,
                    middleware=tuple(chain), mounted=mounted, app=app, seq=seq[0],
                ))
            elif op.kind == "mount" and op.target is not None:
                child_prefix = _join(prefix, op.path) if op.path else prefix
                child = _State(list(state.middleware))
                leaked = self._walk(app, op.target, child_prefix, child, mounted, stack, routes, seq, walked, attach)
                if framework != FASTIFY and op.framework != FASTIFY:
                    for middleware, _ in leaked:
                        scoped = Middleware(middleware.file, middleware.node, middleware.scope, (child_prefix,) if child_prefix else None)
                        state.middleware.append((scoped, seq[0]))
            elif op.kind == "inline" and op.target is not None:
                own += self._walk(app, op.target, _join(prefix, op.path) if op.path else prefix, state, mounted, stack, routes, seq, walked, attach)
        return own

    def _default_framework(self, app: ServerApp) -> str:
        for framework in (EXPRESS, HONO, FASTIFY):
            if framework in app.frameworks:
                return framework
        return EXPRESS

    def _handler(self, file: SourceFile, node: Node | None) -> tuple[SourceFile | None, Node | None, Guard | None]:
        if node is None:
            return None, None, None
        guards = self.project.guards
        value = _unwrap(node)
        if value.type == "member_expression":
            found = self._function(file, value)
            return (found[0], found[1], None) if found is not None else (None, None, None)
        if value.type == "identifier":
            found = self._function(file, value)
            if found is not None:
                return found[0], found[1], None
        handler_file, handler, wrapper = guards.entry(file, value)
        if handler is None and value.type == "call_expression":  # asyncHandler(controller.list)
            for argument in reversed(_args(value)):
                found = self._function(file, argument)
                if found is not None:
                    return found[0], found[1], wrapper
        return (handler_file if handler is not None else None), handler, wrapper

    # -- middleware --------------------------------------------------------------------------------------

    def verdict(self, middleware: Middleware) -> MiddlewareVerdict:
        key = (str(middleware.file.real), middleware.node.start_byte)
        if key not in self._verdicts:
            self._verdicts[key] = MiddlewareVerdict(OTHER)  # recursion ends here
            self._verdicts[key] = self._classify(middleware.file, middleware.node, 0)
        return self._verdicts[key]

    def _classify(self, file: SourceFile, node: Node, depth: int) -> MiddlewareVerdict:
        node = _unwrap(node)
        if node is None or depth > 5:
            return MiddlewareVerdict(OTHER)
        symbols = self.project.symbols
        if node.type in FUNCTION_TYPES:
            return self._middleware_function(file, node)
        if node.type == "call_expression":
            callee = _unwrap(node.child_by_field_name("function"))
            symbol = symbols.callee(file, callee)
            if symbol.kind != CLERK and callee is not None and callee.type == "member_expression":
                root = _root_identifier(callee)
                if root is not None and symbols.lookup(file, text(root)).clerk("clerkClient"):
                    symbol = Symbol(CLERK, _prop(callee))
            if symbol.kind == VALUE and symbol.node is not None and symbol.file is not None and _unwrap(symbol.node).type == "ternary_expression":
                # `const clerkMiddleware = isDev ? stub : clerk.clerkMiddleware`: the Clerk branch is what ships
                for branch in ("consequence", "alternative"):
                    found = symbols.callee(symbol.file, _unwrap(symbol.node).child_by_field_name(branch))
                    if found.kind == CLERK:
                        symbol = found
            if symbol.kind == CLERK:
                if symbol.name in BLOCKING:
                    return MiddlewareVerdict(BLOCKS, f"`{_short(node)}`", Guard(f"{symbol.name}()", file, node))
                if symbol.name in ATTACHING:
                    return MiddlewareVerdict(ATTACHES, f"`{_short(node)}`")
                return MiddlewareVerdict(OTHER)
            function = self._function(file, callee)
            if function is not None:  # a middleware factory: requireRole('admin')
                found = self._factory_middleware(*function)
                if found is not None:
                    return found
            for argument in _args(node):  # createMiddleware(async (c, next) => ...)
                if _unwrap(argument).type in FUNCTION_TYPES:
                    found = self._middleware_function(file, _unwrap(argument))
                    if found.kind == BLOCKS:
                        return found
            if function is None and AUTH_NAME.search(text(callee)):
                return MiddlewareVerdict(BLOCKS, f"`{_short(node)}` (by its name)", Guard(f"`{_short(node)}`", file, node, kind="credential"), by_name=True)
            return MiddlewareVerdict(OTHER)
        if node.type in ("identifier", "member_expression"):
            symbol = symbols.callee(file, node) if node.type == "member_expression" else symbols.lookup(file, text(node))
            if symbol.kind == CLERK:
                if symbol.name in BLOCKING:
                    return MiddlewareVerdict(BLOCKS, f"`{_short(node)}`", Guard(f"{symbol.name}", file, node))
                if symbol.name in ATTACHING:
                    return MiddlewareVerdict(ATTACHES, f"`{_short(node)}`")
            function = self._function(file, node)
            if function is not None:
                return self._middleware_function(*function)
            if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
                return self._classify(symbol.file, symbol.node, depth + 1)
            if node.type == "member_expression":
                decorated = self._decoration(file, _prop(node))
                if decorated is not None:
                    return self._classify(decorated[0], decorated[1], depth + 1)
            if AUTH_NAME.search(text(node)):
                return MiddlewareVerdict(BLOCKS, f"`{_short(node)}` (by its name)", Guard(f"`{_short(node)}`", file, node, kind="credential"), by_name=True)
        return MiddlewareVerdict(OTHER)

    def _factory_middleware(self, file: SourceFile, function: Node) -> MiddlewareVerdict | None:
        """A middleware factory's verdict: the functions it returns, or its own body when it is the
        middleware (``app.use(authenticate)`` called as ``authenticate()`` by mistake is not handled)."""
        inner = [n for n in captures(file.grammar, "[(arrow_function) (function_expression)] @fn", function).get("fn", ()) if n != function]
        for fn in inner:
            if fn.parent is not None and (fn.parent.type == "return_statement" or fn.parent == function):
                found = self._middleware_function(file, fn)
                if found.kind != OTHER:
                    return found
        for fn in inner:
            found = self._middleware_function(file, fn)
            if found.kind == BLOCKS:
                return found
        return None

    def _middleware_function(self, file: SourceFile, function: Node) -> MiddlewareVerdict:
        """Whether a middleware function refuses signed-out callers: a check with an exit before any
        ``next()``, or ``next()`` only inside a signed-in branch."""
        verdict = self.project.guards.analyse(file, function, mode="entry")
        params = _param_names(function)
        next_name = next((p for p in params[1:] if p in NEXT_NAMES), None)
        if next_name is None and len(params) == 3:
            next_name = params[2]
        if next_name is None and len(params) == 2 and params[0] in ("c", "ctx", "context"):
            next_name = params[1]

        def calls_next(sink: Sink) -> bool:
            callee = sink.node.child_by_field_name("function") if sink.node.type == "call_expression" else None
            return callee is not None and next_name is not None and _unwrap(callee).type == "identifier" and text(callee) == next_name

        early = [s for s in verdict.unguarded if calls_next(s)]
        later = [s for s in verdict.sinks if calls_next(s)]
        guard = verdict.guard
        if guard is not None and not early:
            where = file.node_location(function, "guarding middleware")
            return MiddlewareVerdict(BLOCKS, guard.how, Guard(guard.how, guard.file, guard.node, guard.helper or where, guard.kind))
        if guard is None and later and not early and verdict.uses_auth:
            return MiddlewareVerdict(BLOCKS, "calls next() only for signed-in callers", Guard("next() only in a signed-in branch", file, function))
        name = _function_name(function)
        if name and AUTH_NAME.search(name) and REFUSAL.search(function.text or b""):
            how = f"`{name}` (refuses with 401/403; its check is not understood)"
            return MiddlewareVerdict(BLOCKS, how, Guard(f"`{name}`", file, function, kind="credential"), by_name=True)
        return MiddlewareVerdict(OTHER)

    def _decoration(self, file: SourceFile, name: str) -> tuple[SourceFile, Node] | None:
        """A Fastify decoration (``fastify.decorate('authenticate', fn)``) by name, anywhere in the app."""
        app = self.app_for(file)
        found = self._decorations.get(app.root, {}).get(name) if app is not None else None
        return found[0] if found else None

    # -- protection ----------------------------------------------------------------------------------------

    def protection(self, route: Route) -> Protection:
        key = id(route)
        if key not in self._protection:
            self._protection[key] = self._protect(route)
        return self._protection[key]

    def _protect(self, route: Route) -> Protection:
        if self._purpose(route):
            return Protection(PURPOSE, "webhook receiver: public by design")
        for middleware in route.middleware:
            verdict = self.verdict(middleware)
            if verdict.kind == BLOCKS:
                related = [middleware.location("blocking middleware")]
                if verdict.guard is not None and verdict.guard.helper is not None:
                    related.append(verdict.guard.helper)
                return Protection(GUARDED, f"middleware {verdict.how}", guard=verdict.guard, related=related, by_name=verdict.by_name)
        if route.wrapper is not None:
            return Protection(GUARDED, f"wrapper: {route.wrapper.how}", guard=route.wrapper)
        if route.handler is None or route.handler_file is None:
            return Protection(UNRESOLVED, "handler not found")
        verdict = self.project.guards.analyse(route.handler_file, route.handler, mode="entry")
        exposed = verdict.exposed(DATA_ONLY)
        guard = verdict.guard
        if guard is not None and (not exposed or guard.kind in ("ownership", "credential")):
            protection = Protection(GUARDED, f"in-handler guard: {guard.how}", guard=guard)
            if guard.kind == "auth" and route.clerk_later is not None:
                protection.before_clerk = route.clerk_later
            return protection
        if not exposed:
            return Protection(NO_DATA, "reaches no stored data" if verdict.sinks else "reaches no data")
        protection = Protection(OPEN, "no guard", exposed=exposed, guard=guard, late_guard=guard is not None)
        if guard is not None:
            protection.related.append(guard.location())
        verdict = self._next_middleware(route)
        if verdict is not None:  # a Hono app served by a Next.js route handler: the middleware runs first
            if verdict.state == "protected":
                return Protection(GUARDED, f"the Next.js middleware protects it ({verdict.reason})", related=list(verdict.evidence))
            protection.how = verdict.reason
            protection.related.extend(verdict.evidence)
            if verdict.state == "unknown":
                protection.status = UNKNOWN
                protection.how = f"whether the Next.js middleware protects it could not be determined ({verdict.reason})"
            return protection
        if not route.mounted:
            if self._app_wide_guard(route.app):
                return Protection(GUARDED, "the app registers a blocking middleware for every path (mount point not found)", by_name=True)
            protection.status = UNKNOWN
            protection.how = "the router's mount point was not found, so middleware registered above it is unknown"
        return protection

    def _next_middleware(self, route: Route):
        """The Next.js middleware's verdict for a Hono route when the Hono app lives in a Next.js app
        (served by a route handler such as ``app/api/[[...route]]/route.ts``), else None."""
        if route.framework != HONO or route.root_file is None:
            return None
        nextjs = self.project.nextjs
        app = nextjs.app_near(route.root_file.path)
        if app is None:
            return None
        middleware = nextjs.middleware(app)
        if middleware is None or middleware.kind == "none":
            return None
        return middleware.route_verdict(_segment_pairs(route.path))

    def _app_wide_guard(self, app: ServerApp) -> bool:
        for route in self.routes(app):
            if route.mounted and any(m.scope == "app" and m.path is None and self.verdict(m).kind == BLOCKS for m in route.middleware):
                return True
        return False

    def _purpose(self, route: Route) -> bool:
        if "webhook" in route.path.lower():
            return True
        for file in (route.file, route.handler_file):
            if file is None:
                continue
            for binding in self.project.js(file).imports:
                if binding.source.startswith(WEBHOOK_MODULES) or binding.source.endswith("/webhooks"):
                    if file is route.handler_file or binding.local.encode() in (route.node.text or b""):
                        return True
        return False


# -- tree helpers -------------------------------------------------------------------------------------


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in (
        "parenthesized_expression", "await_expression", "as_expression", "satisfies_expression", "non_null_expression",
    ) and node.named_children:
        node = node.named_children[0]
    return node


def _args(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [a for a in args.named_children if a.type != "comment"]


def _prop(member: Node | None) -> str:
    if member is None or member.type != "member_expression":
        return ""
    prop = member.child_by_field_name("property")
    return text(prop) if prop is not None else ""


def _prop_name(node: Node) -> str:
    name = node.child_by_field_name("name")
    return text(name) if name is not None else ""


def _last(node: Node | None) -> str:
    node = _unwrap(node)
    if node is None:
        return ""
    if node.type == "member_expression":
        return _prop(node)
    return text(node) if node.type == "identifier" else ""


def _root_identifier(node: Node | None) -> Node | None:
    while node is not None:
        node = _unwrap(node)
        if node.type == "identifier":
            return node
        if node.type == "member_expression":
            node = node.child_by_field_name("object")
        elif node.type == "call_expression":
            node = node.child_by_field_name("function")
        else:
            return None
    return None


def _is_require(call: Node) -> bool:
    if call.type != "call_expression":
        return False
    callee = call.child_by_field_name("function")
    args = _args(call)
    return callee is not None and text(callee) in ("require", "import") and len(args) == 1 and args[0].type == "string"


def _outermost(call: Node) -> bool:
    """Whether ``call`` is not the object of a further call in a chain (``a.b().c()``: only ``.c()``)."""
    parent = call.parent
    if parent is not None and parent.type == "member_expression":
        grand = parent.parent
        if grand is not None and grand.type == "call_expression" and grand.child_by_field_name("function") == parent:
            return False
    return True


def _chain(call: Node) -> tuple[Node | None, list[tuple[str, Node]]]:
    """``app.route('/x').get(h).post(h)`` -> (``app``, [("route", call), ("get", call), ("post", call)])."""
    chain: list[tuple[str, Node]] = []
    node: Node | None = call
    for _ in range(64):
        if node is None or node.type != "call_expression":
            break
        callee = _unwrap(node.child_by_field_name("function"))
        if callee is None or callee.type != "member_expression":
            return None, []
        chain.append((_prop(callee), node))
        node = _unwrap(callee.child_by_field_name("object"))
    chain.reverse()
    return node, chain


def _declarator_of(call: Node) -> Node | None:
    node = call.parent
    while node is not None and node.type in ("parenthesized_expression", "await_expression", "as_expression"):
        node = node.parent
    if node is not None and node.type == "variable_declarator" and node.child_by_field_name("name") is not None:
        name = node.child_by_field_name("name")
        return node if name.type == "identifier" else None
    return None


def _scope_of(node: Node) -> Node:
    """The function (or program) whose body declares ``node``."""
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES or parent.type == "program":
            return parent
        parent = parent.parent
    return node


def _binding_scope(node: Node, name: str, cache: dict, file_key: str) -> Node:
    """The nearest enclosing function that binds ``name`` (a parameter or a declaration in its body),
    else the program."""
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES:
            key = (file_key, parent.start_byte)
            names = cache.get(key)
            if names is None:
                names = cache[key] = _bound_in(parent)
            if name in names:
                return parent
        if parent.type == "program":
            return parent
        parent = parent.parent
    return node


def _bound_in(function: Node) -> set[str]:
    """Parameters of ``function`` and names declared in its body (nested functions aside)."""
    names = set(_param_names(function))
    body = function.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return names
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type in FUNCTION_TYPES or node.type in ("class_declaration", "class"):
            if node.type == "function_declaration" and node.child_by_field_name("name") is not None:
                names.add(text(node.child_by_field_name("name")))
            continue
        if node.type == "variable_declarator":
            name = node.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                names.add(text(name))
        stack.extend(node.named_children)
    return names


def _param_names(function: Node) -> list[str]:
    single = function.child_by_field_name("parameter")
    if single is not None:
        return [text(single)]
    params = function.child_by_field_name("parameters")
    names = []
    for param in params.named_children if params is not None else ():
        node = param
        if node.type in ("required_parameter", "optional_parameter"):
            node = node.child_by_field_name("pattern") or (node.named_children[0] if node.named_children else node)
        if node.type == "assignment_pattern":
            node = node.child_by_field_name("left") or node
        names.append(text(node) if node.type == "identifier" else "")
    return names


def _param_name(function: Node, index: int) -> str | None:
    names = _param_names(function)
    return names[index] if index < len(names) and names[index] else None


def _function_name(function: Node) -> str:
    name = function.child_by_field_name("name")
    if name is not None:
        return text(name)
    parent = function.parent
    if parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        return text(name) if name is not None else ""
    if parent is not None and parent.type in ("pair", "assignment_expression"):
        key = parent.child_by_field_name("key") or parent.child_by_field_name("left")
        return _last(key) or text(key) if key is not None else ""
    return ""


def _pairs(obj: Node) -> list[tuple[str, Node]]:
    obj = _unwrap(obj)
    found = []
    for child in obj.named_children if obj is not None and obj.type == "object" else ():
        if child.type == "pair":
            key = child.child_by_field_name("key")
            value = child.child_by_field_name("value")
            if key is not None and value is not None:
                found.append((string_value(key) if key.type == "string" else text(key), value))
        elif child.type == "shorthand_property_identifier":
            found.append((text(child), child))
        elif child.type == "method_definition":
            found.append((_prop_name(child), child))
    return found


def _flatten(node: Node) -> list[Node]:
    node = _unwrap(node)
    if node is None:
        return []
    if node.type == "array":
        items = []
        for child in node.named_children:
            items.extend(_flatten(child))
        return items
    if node.type == "spread_element":
        return []
    return [node]


def _strings(node: Node) -> list[str]:
    node = _unwrap(node)
    if node is None:
        return []
    if node.type == "array":
        return [v for v in (string_value(c) for c in node.named_children) if v]
    value = string_value(node)
    return [value] if value else []


def _literal_path(node: Node | None) -> str | None:
    node = _unwrap(node)
    if node is None:
        return None
    value = string_value(node)
    if value is None or not (value.startswith(("/", "*")) or value == ""):
        return None
    return value


def _placeholder(node: Node | None) -> str:
    return "{" + _short(node, 24) + "}" if node is not None else "{…}"


def _join(prefix: str | None, path: str | None) -> str:
    prefix = (prefix or "").rstrip("/")
    if path is None or path in ("", "/"):
        return prefix or "/"
    if path.startswith("*"):
        return f"{prefix}/{path}" if prefix else f"/{path}"
    return prefix + (path if path.startswith("/") else "/" + path)


def _segments(path: str) -> list[str]:
    for suffix in ("/*", "*", "(.*)", "/(.*)"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    return [s for s in path.split("/") if s]


def _applies(paths: tuple[str, ...] | None, route_path: str) -> bool:
    """Whether middleware limited to ``paths`` runs for ``route_path`` (prefix match by segments;
    parameters, wildcards and non-literal parts match anything)."""
    if paths is None:
        return True
    route = _segments(route_path)
    for path in paths:
        if "{" in path:
            return True
        wanted = _segments(path)
        if len(wanted) > len(route) and not any("{" in s or "*" in s for s in route):
            continue
        if all(w.startswith(":") or "*" in w or i >= len(route) or route[i].startswith((":", "{", "*")) or w == route[i] for i, w in enumerate(wanted)):
            if len(wanted) <= len(route) or any("*" in s or "{" in s for s in route):
                return True
    return False


def _segment_pairs(path: str) -> list[tuple[str, str]]:
    """A route path as Next.js segments (for the middleware model): ``:id`` is dynamic, ``*`` a catch-all."""
    pairs = []
    for segment in (s for s in path.split("/") if s):
        if segment.startswith(":") or segment.startswith("{"):
            pairs.append(("dynamic", segment.strip(":{}?") or "param"))
        elif "*" in segment:
            pairs.append(("catchall", "rest"))
            break
        else:
            pairs.append(("static", segment))
    return pairs


def _route_shaped(chain: list[tuple[str, Node]]) -> bool:
    """``x.get('/path', handler)``, ``x.route('/p').get(h)``, ``x.route({ url, handler })``."""
    for method, call in chain:
        args = _args(call)
        if method in VERBS and len(args) >= 2 and _literal_path(args[0]) is not None:
            last = _unwrap(args[-1])
            if last.type in FUNCTION_TYPES or last.type in ("identifier", "member_expression", "call_expression", "object"):
                return True
        if method == "route" and len(args) == 1 and (_literal_path(args[0]) is not None or _unwrap(args[0]).type == "object"):
            return True
    return False


def _order(file: SourceFile, node: Node) -> tuple[int, int, int]:
    return (0, node.start_byte, node.end_byte)


def _is_test(rel: str) -> bool:
    parts = rel.split("/")
    return bool(TEST_PARTS & set(parts[:-1])) or TEST_NAME.search(parts[-1]) is not None


def _short(node: Node | None, limit: int = 60) -> str:
    value = " ".join(text(node).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def authz_handlers(project, file: SourceFile):
    """The Express/Fastify/Hono handlers defined in ``file``, for the authorization model
    (CLK301/CLK302 read ``req.params``/``req.body``/``req.query`` like a Pages Router handler's)."""
    from clerk_lint.project.authz import EXPRESS_INPUT, Handler

    model = project.express
    for route in model.handlers_in(file):
        if route.handler is None or route.handler_file is not file:
            continue
        protection = model.protection(route)
        if protection.status == PURPOSE:
            continue
        guarded = protection.status == GUARDED
        in_handler = guarded and protection.how.startswith("in-handler guard")
        yield Handler(file, route.handler, EXPRESS_INPUT, f"{route.method} {route.path}", wrapper_guard=guarded and not in_handler, session=guarded, guarded=in_handler)
