"""The Python model: per-file facts, a module resolver, names followed across modules, whether an
app uses Clerk, and its HTTP endpoints (FastAPI, Flask, Django/DRF, Starlette).

``PyFacts`` is the Python counterpart of :class:`~clerk_lint.project.js.JsFacts`: import bindings
(aliases, ``import a.b``, relative imports), top-level functions, classes and assignments.
:class:`PyResolver` maps a module name to a file the way Python would find it from the importing
file (package directories with or without ``__init__.py``, ``src/`` layouts, relative imports).
:class:`PyModel` (``project.python``) answers the cross-file questions: what a name means
(:meth:`PyModel.lookup`), which Python *app* a file belongs to (the directory of its nearest
``requirements*.txt`` / ``pyproject.toml``, else the run root) and whether that app uses Clerk, and the
endpoints a file defines, including those registered elsewhere (``urls.py``, ``add_url_rule``,
``include_router``). The guard grammar over these endpoints lives in ``python_guards.py``.

Every app-wide index (Clerk markers, url registrations, router inclusions, settings) is built once
per app from a byte filter over its ``.py`` files, so only files that can matter are parsed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from clerk_lint.parsing import captures, string_value, text
from clerk_lint.source import SourceFile

if TYPE_CHECKING:
    from clerk_lint.project import Project

# -- kinds of symbol ---------------------------------------------------------------------------------

FUNCTION = "function"  # a ``def`` in the project: file + node (the function_definition)
CLASS = "class"  # a ``class`` in the project: file + node (the class_definition)
VALUE = "value"  # another top-level value in the project: file + node (the assigned expression)
MODULE = "module"  # a module: file (project module) or module (a package's dotted name)
EXTERNAL = "external"  # a name from a package outside the project: module + name
PARAM = "param"  # not resolved here: a function's parameter or local
UNKNOWN = "unknown"

#: distributions and import roots of Clerk's Python SDK and the community integrations
CLERK_DISTRIBUTIONS = frozenset({
    "clerk-backend-api", "fastapi-clerk-auth", "fastapi-clerk", "clerk-django", "django-clerk", "django-clerk-users",
    "clerk-auth-django", "flask-clerk", "clerk-sdk-python",
})
CLERK_MODULES = ("clerk_backend_api", "fastapi_clerk_auth", "fastapi_clerk", "clerk_django", "django_clerk", "django_clerk_users", "clerk_auth", "flask_clerk")
#: what marks a Python file as Clerk code without a manifest that says so
CLERK_MARKER = re.compile(
    rb"\b(?:clerk_backend_api|fastapi_clerk_auth|fastapi_clerk|clerk_django|django_clerk\w*|flask_clerk)\b"
    rb"|clerk\.accounts\.dev|api\.clerk\.(?:com|dev)|\.clerk\.[a-z.]+/\.well-known/jwks"
    rb"|\bCLERK_[A-Z0-9_]+\b"
)

ROUTE_DECORATORS_FASTAPI = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace", "api_route", "websocket"})
ROUTE_DECORATORS_FLASK = frozenset({"route", "get", "post", "put", "patch", "delete"})
HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
#: DRF viewset actions and the HTTP verbs they answer
VIEWSET_ACTIONS = {
    "list": "GET", "retrieve": "GET", "create": "POST", "update": "PUT", "partial_update": "PATCH", "destroy": "DELETE",
}
DRF_BASES = frozenset({
    "APIView", "GenericAPIView", "ViewSet", "GenericViewSet", "ModelViewSet", "ReadOnlyModelViewSet", "ViewSetMixin",
    "ListAPIView", "CreateAPIView", "RetrieveAPIView", "DestroyAPIView", "UpdateAPIView", "ListCreateAPIView",
    "RetrieveUpdateAPIView", "RetrieveDestroyAPIView", "RetrieveUpdateDestroyAPIView",
})
DJANGO_VIEW_BASES = frozenset({
    "View", "TemplateView", "ListView", "DetailView", "CreateView", "UpdateView", "DeleteView", "FormView", "RedirectView",
})
FLASK_VIEW_BASES = frozenset({"MethodView"})
STARLETTE_VIEW_BASES = frozenset({"HTTPEndpoint"})
#: how deep names are followed through re-exports
MAX_DEPTH = 8
#: at most this many Python files are indexed per app (a huge monorepo is indexed partly)
MAX_APP_FILES = 20000
EXCLUDED_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "env", "__pycache__", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".tox", ".nox", "site-packages", ".cache", "dist", "build", ".next", "migrations",
})


# -- per-file facts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PyImport:
    """One name bound by an import.

    ``import a.b`` binds ``a`` to the module ``a`` (``name`` None, ``module`` ``a``, ``full`` ``a.b``);
    ``import a.b as c`` binds ``c`` to ``a.b``; ``from .m import x as y`` binds ``y`` to ``x`` of the
    module ``m`` one package up (``level`` 1)."""

    local: str
    module: str  # dotted, without the leading dots of a relative import
    name: str | None  # the imported name for ``from m import name``; None when the binding is a module
    level: int  # leading dots of a relative import (0: absolute)
    node: Node
    top: bool  # at module level (not inside a function)

    @property
    def dotted(self) -> str:
        """``module.name`` as written, dots of a relative import included."""
        base = "." * self.level + self.module
        if self.name is None:
            return base
        return f"{base}.{self.name}" if self.module else f"{base}{self.name}"


@dataclass
class PyFacts:
    file: SourceFile
    imports: list[PyImport] = field(default_factory=list)
    bindings: dict[str, PyImport] = field(default_factory=dict)
    functions: dict[str, Node] = field(default_factory=dict)  # top-level name -> function_definition
    classes: dict[str, Node] = field(default_factory=dict)  # top-level name -> class_definition
    values: dict[str, Node] = field(default_factory=dict)  # top-level name -> assigned expression
    targets: dict[str, Node] = field(default_factory=dict)  # top-level name -> the assigned name node

    def imports_module(self, *prefixes: str) -> bool:
        """Whether the file imports anything from one of the packages (or their submodules)."""
        return any(_under(imp.module if imp.level == 0 else "", prefixes) or (imp.level == 0 and imp.name is None and _under(imp.module, prefixes)) for imp in self.imports)

    def imported(self, local: str) -> str | None:
        """The dotted name a local binding stands for (``jwt`` -> ``jwt``, ``decode`` -> ``jwt.decode``)."""
        binding = self.bindings.get(local)
        if binding is None:
            return None
        return binding.dotted

    def qualified(self, node: Node | None) -> str | None:
        """What an identifier or ``a.b.c`` names through the imports: ``jwt.decode`` with ``import jwt``
        -> ``jwt.decode``; ``decode`` with ``from jose.jwt import decode`` -> ``jose.jwt.decode``.
        None for names that are not imported (locals, parameters, builtins)."""
        parts = dotted_parts(node)
        if not parts:
            return None
        base = self.imported(parts[0])
        if base is None:
            return None
        return ".".join([base, *parts[1:]])


def _under(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def dotted_parts(node: Node | None) -> list[str]:
    """``a.b.c`` -> ``['a', 'b', 'c']``; an identifier -> ``[name]``; anything else -> ``[]``."""
    parts: list[str] = []
    while node is not None:
        if node.type == "identifier":
            parts.append(text(node))
            return parts[::-1]
        if node.type != "attribute":
            return []
        attr = node.child_by_field_name("attribute")
        parts.append(text(attr))
        node = node.child_by_field_name("object")
    return []


IMPORT_QUERY = "[(import_statement) (import_from_statement) (future_import_statement)] @import"


def py_facts(file: SourceFile) -> PyFacts:
    facts = PyFacts(file)
    root = file.root
    for node in root.named_children:
        _top_level(node, facts, 0)
        if node.type in ("import_statement", "import_from_statement"):
            _import(node, facts, top=True)
    if NESTED_IMPORT.search(file.data):  # imports inside functions, try/if blocks
        for node in captures(file.grammar, IMPORT_QUERY, root).get("import", ()):
            if node.parent is not None and node.parent.type != "module":
                _import(node, facts, top=False)
    return facts


NESTED_IMPORT = re.compile(rb"\n[ \t]+(?:from[ \t]+[\w.]+[ \t]+import|import[ \t]+\w)")


def _top_level(node: Node, facts: PyFacts, depth: int) -> None:
    if node.type == "decorated_definition":
        node = node.child_by_field_name("definition") or node
    if node.type == "function_definition":
        name = node.child_by_field_name("name")
        if name is not None:
            facts.functions.setdefault(text(name), node)
    elif node.type == "class_definition":
        name = node.child_by_field_name("name")
        if name is not None:
            facts.classes.setdefault(text(name), node)
    elif node.type == "expression_statement" and node.named_children:
        expr = node.named_children[0]
        while expr.type == "assignment":
            left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
            if left is not None and left.type == "identifier" and right is not None:
                name = text(left)
                value = right
                while value.type == "assignment" and value.child_by_field_name("right") is not None:
                    value = value.child_by_field_name("right")  # a = b = value
                facts.values.setdefault(name, value)
                facts.targets.setdefault(name, left)
            if right is None or right.type != "assignment":
                break
            expr = right
    elif node.type in ("if_statement", "try_statement") and depth < 4:
        # `try: from x import y except ImportError: ...` and `if TYPE_CHECKING:` blocks define names too
        for block in node.named_children:
            body = block if block.type == "block" else block.child_by_field_name("body") or next((c for c in block.named_children if c.type == "block"), None)
            if body is not None and body.type == "block":
                for child in body.named_children:
                    if child.type in ("function_definition", "class_definition", "decorated_definition", "expression_statement"):
                        _top_level(child, facts, depth + 1)


def _add(facts: PyFacts, binding: PyImport) -> None:
    facts.imports.append(binding)
    current = facts.bindings.get(binding.local)
    if current is None or (binding.top and not current.top):
        facts.bindings[binding.local] = binding


def _import(node: Node, facts: PyFacts, top: bool) -> None:
    if node.type == "future_import_statement":
        return
    if node.type == "import_statement":
        for child in node.named_children:
            if child.type == "dotted_name":
                module = text(child)
                _add(facts, PyImport(module.split(".", 1)[0], module.split(".", 1)[0], None, 0, child, top))
            elif child.type == "aliased_import":
                name, alias = child.child_by_field_name("name"), child.child_by_field_name("alias")
                if name is not None and alias is not None:
                    _add(facts, PyImport(text(alias), text(name), None, 0, child, top))
        return
    module_node = node.child_by_field_name("module_name")
    if module_node is None:
        return
    level = 0
    module = ""
    if module_node.type == "relative_import":
        for child in module_node.children:
            if child.type == "import_prefix":
                level = len(text(child).strip())
            elif child.type == "dotted_name":
                module = text(child)
    else:
        module = text(module_node)
    for child in node.children:
        if child == module_node:
            continue
        if child.type == "dotted_name":
            name = text(child)
            _add(facts, PyImport(name, module, name, level, child, top))
        elif child.type == "aliased_import":
            name, alias = child.child_by_field_name("name"), child.child_by_field_name("alias")
            if name is not None and alias is not None:
                _add(facts, PyImport(text(alias), module, text(name), level, child, top))
        elif child.type == "wildcard_import":
            _add(facts, PyImport("*", module, "*", level, child, top))


# -- the module resolver -----------------------------------------------------------------------------


class PyResolver:
    """Module name -> file, as the interpreter would find it when the app runs from one of the
    directories above the importer (its project root, a ``src/`` layout, a service folder)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._isfile: dict[Path, bool] = {}
        self._isdir: dict[Path, bool] = {}
        self._found: dict[tuple[Path, str], Path | None] = {}

    def _file(self, path: Path) -> bool:
        found = self._isfile.get(path)
        if found is None:
            found = self._isfile[path] = path.is_file()
        return found

    def _dir(self, path: Path) -> bool:
        found = self._isdir.get(path)
        if found is None:
            found = self._isdir[path] = path.is_dir()
        return found

    def module_in(self, base: Path, module: str) -> Path | None:
        """``base/a/b.py`` or ``base/a/b/__init__.py`` for ``a.b`` (a namespace package directory
        resolves to itself)."""
        key = (base, module)
        if key in self._found:
            return self._found[key]
        found = None
        if module:
            parts = module.split(".")
            stem = base.joinpath(*parts)
            if self._file(stem.with_name(parts[-1] + ".py")):
                found = stem.with_name(parts[-1] + ".py")
            elif self._file(stem / "__init__.py"):
                found = stem / "__init__.py"
            elif self._dir(stem) and "." not in module:
                found = stem  # a namespace package
            elif self._dir(stem):
                found = stem
        self._found[key] = found
        return found

    def resolve(self, importer: Path, module: str, level: int, bases: list[Path]) -> Path | None:
        """The file (or namespace package directory) for ``module`` imported from ``importer``.
        ``bases`` are the directories absolute imports are tried from, nearest first."""
        if level > 0:
            base = importer.parent
            for _ in range(level - 1):
                base = base.parent
            if not module:
                init = base / "__init__.py"
                return init if self._file(init) else base
            return self.module_in(base, module)
        for base in bases:
            found = self.module_in(base, module)
            if found is not None:
                return found
            src = base / "src"
            if self._dir(src):
                found = self.module_in(src, module)
                if found is not None:
                    return found
        return None


# -- symbols -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PySymbol:
    kind: str
    name: str = ""
    file: SourceFile | None = None
    node: Node | None = None
    module: str | None = None  # EXTERNAL / MODULE: the package's dotted module

    @property
    def key(self) -> tuple[str, str] | None:
        """A stable identity for a project definition: (file, top-level name)."""
        if self.file is None or self.kind not in (FUNCTION, CLASS, VALUE):
            return None
        return (str(self.file.real), self.name)

    @property
    def qualified(self) -> str:
        if self.kind == EXTERNAL:
            return f"{self.module}.{self.name}" if self.module else self.name
        if self.kind == MODULE and self.module:
            return self.module
        return self.name

    def external(self, *prefixes: str) -> bool:
        """An external name from one of the packages (``jwt``, ``clerk_backend_api``...)."""
        return self.kind in (EXTERNAL, MODULE) and self.file is None and _under(self.module or "", prefixes)

    @property
    def clerk(self) -> bool:
        return self.external(*CLERK_MODULES)


NOTHING = PySymbol(UNKNOWN)


# -- endpoints ---------------------------------------------------------------------------------------

FASTAPI = "FastAPI"
FLASK = "Flask"
DJANGO = "Django"
DRF = "DRF"
STARLETTE = "Starlette"


@dataclass
class PyEndpoint:
    framework: str
    file: SourceFile
    name: str  # the handler's name, ``Class.method`` for methods
    node: Node  # where findings point: the function's (or class's) name
    function: Node | None  # the function_definition; None for a generic view with no method of its own
    url: str | None = None
    methods: tuple[str, ...] = ()
    #: ``Depends(...)`` calls that run before the handler: route, router, include and app level
    dependencies: list[tuple[SourceFile, Node]] = field(default_factory=list)
    #: the router/app object the route is declared on, as a project symbol key
    owner: tuple[str, str] | None = None
    cls: Node | None = None  # the class of a class-based view
    registered: tuple[SourceFile, Node] | None = None  # where a view is wired to a URL in another file

    @property
    def label(self) -> str:
        verbs = "/".join(self.methods) if self.methods else ""
        where = f"{verbs} {self.url}".strip() if self.url is not None else verbs
        return f"{self.framework} endpoint `{self.name}`" + (f" ({where})" if where else "")


@dataclass
class Registration:
    """A view wired to a URL somewhere else: ``path('notes/<int:pk>/', views.note)``,
    ``router.register('notes', NoteViewSet)``, ``app.add_url_rule(...)``, ``Route('/x', fn)``."""

    framework: str
    url: str | None
    methods: tuple[str, ...]
    file: SourceFile  # where it is registered
    node: Node  # the registering call
    target: PySymbol  # the function or class it names
    dependencies: list[Node] = field(default_factory=list)
    view_kind: str = ""  # "class" when registered through ``as_view``


@dataclass
class Include:
    """``parent.include_router(child, prefix=..., dependencies=[...])``."""

    parent: PySymbol
    file: SourceFile
    prefix: str
    dependencies: list[Node]


@dataclass
class PyApp:
    """One Python app: the directory of its manifest (or the run root) and what its files say."""

    root: Path
    files: list[Path]
    clerk: str = ""  # why the app is taken to use Clerk ("" when it does not)
    registrations: dict[tuple[str, int], list[Registration]] = field(default_factory=dict)
    includes: dict[tuple[str, str], list[Include]] = field(default_factory=dict)
    #: DRF settings: names of the default permission and authentication classes (None: not set)
    drf_permissions: list[tuple[SourceFile, Node]] | None = None
    drf_authentication: list[tuple[SourceFile, Node]] | None = None
    #: Django MIDDLEWARE entries (dotted strings) with where they are written
    middleware: list[tuple[str, SourceFile, Node]] = field(default_factory=list)
    indexed: bool = False


REGISTRATION_BYTES = (b"urlpatterns", b"add_url_rule", b"add_api_route", b"Route(", b".register(", b"include_router", b"register_blueprint", b"REST_FRAMEWORK", b"MIDDLEWARE")

CALL_QUERY = "(call function: (_) @fn arguments: (argument_list) @args) @call"
DECORATED_QUERY = "(decorated_definition (decorator) @decorator definition: (_) @definition) @decorated"


class PyModel:
    def __init__(self, project: "Project") -> None:
        self.project = project
        self.resolver = PyResolver(project.root)
        self._facts: dict[int, PyFacts] = {}
        self._apps: dict[Path, PyApp] = {}
        self._endpoints: dict[int, list[PyEndpoint]] = {}
        self._exports: dict[tuple[str, str], PySymbol] = {}
        self._bases: dict[Path, list[Path]] = {}
        self._roots: dict[Path, Path] = {}

    @property
    def guards(self):
        """The guard grammar over this model (``python_guards.PyGuards``), created on first use."""
        found = self.__dict__.get("_guards")
        if found is None:
            from clerk_lint.project.python_guards import PyGuards

            found = self.__dict__["_guards"] = PyGuards(self)
        return found

    # -- facts -----------------------------------------------------------------------------------

    def facts(self, file: SourceFile) -> PyFacts:
        key = id(file)
        found = self._facts.get(key)
        if found is None:
            found = self._facts[key] = py_facts(file)
        return found

    def load(self, path: Path) -> SourceFile | None:
        file = self.project.load(path)
        if file is None or file.grammar != "python":
            return None
        return file

    # -- names -----------------------------------------------------------------------------------

    def _search_bases(self, file: SourceFile) -> list[Path]:
        directory = file.real.parent
        found = self._bases.get(directory)
        if found is None:
            found = self._bases[directory] = self.project._ancestors(file.real)
        return found

    def module_file(self, importer: SourceFile, module: str, level: int) -> SourceFile | Path | None:
        """The project module (loaded) or namespace package directory an import names."""
        path = self.resolver.resolve(importer.real, module, level, self._search_bases(importer))
        if path is None:
            return None
        if path.suffix == ".py":
            return self.load(path)
        return path

    def lookup(self, file: SourceFile, name: str, depth: int = 0) -> PySymbol:
        """What the top-level name ``name`` means in ``file``."""
        if depth > MAX_DEPTH or file.grammar != "python":
            return NOTHING
        facts = self.facts(file)
        node = facts.functions.get(name)
        if node is not None:
            return PySymbol(FUNCTION, name, file, node)
        node = facts.classes.get(name)
        if node is not None:
            return PySymbol(CLASS, name, file, node)
        node = facts.values.get(name)
        if node is not None:
            return PySymbol(VALUE, name, file, node)
        binding = facts.bindings.get(name)
        if binding is None:
            star = [b for b in facts.imports if b.local == "*"]
            for imp in star:
                target = self.module_file(file, imp.module, imp.level)
                if isinstance(target, SourceFile):
                    found = self.export(target, name, depth + 1)
                    if found.kind != UNKNOWN:
                        return found
            return NOTHING
        return self._imported(file, binding, depth + 1)

    def export(self, file: SourceFile, name: str, depth: int = 0) -> PySymbol:
        """What module ``file`` offers under ``name`` (its own definitions, names it imports, and
        its submodules when it is a package's ``__init__.py``)."""
        key = (str(file.real), name)
        if key in self._exports:
            return self._exports[key]
        self._exports[key] = NOTHING  # cycles resolve to unknown
        found = self.lookup(file, name, depth)
        if found.kind == UNKNOWN and file.name == "__init__.py":
            sub = self.resolver.module_in(file.real.parent, name)
            if sub is not None:
                loaded = self.load(sub) if sub.suffix == ".py" else None
                found = PySymbol(MODULE, name, loaded, None, None)
        self._exports[key] = found
        return found

    def _imported(self, file: SourceFile, binding: PyImport, depth: int) -> PySymbol:
        if binding.name is None:  # import a.b / import a.b as c
            if binding.level == 0 and not self._is_project_module(file, binding.module):
                return PySymbol(MODULE, binding.local, None, None, binding.module)
            target = self.module_file(file, binding.module, binding.level)
            if isinstance(target, SourceFile):
                return PySymbol(MODULE, binding.local, target, None, binding.module)
            return PySymbol(MODULE, binding.local, None, None, binding.module)
        target = self.module_file(file, binding.module, binding.level) if (binding.level or self._is_project_module(file, binding.module)) else None
        if target is None:
            return PySymbol(EXTERNAL, binding.name, None, None, binding.module)
        if isinstance(target, Path):  # a namespace package: the name is a submodule
            sub = self.resolver.module_in(target, binding.name)
            if sub is not None and sub.suffix == ".py":
                return PySymbol(MODULE, binding.name, self.load(sub), None, None)
            return NOTHING
        found = self.export(target, binding.name, depth)
        if found.kind == UNKNOWN and binding.name != "*":
            sub = self.resolver.module_in(target.real.parent, binding.name) if target.name == "__init__.py" else None
            if sub is not None and sub.suffix == ".py":
                return PySymbol(MODULE, binding.name, self.load(sub), None, None)
        return found

    def _is_project_module(self, file: SourceFile, module: str) -> bool:
        """Whether an absolute import names a module of the project (else it is a package)."""
        if not module:
            return False
        return self.resolver.resolve(file.real, module, 0, self._search_bases(file)) is not None

    def symbol(self, file: SourceFile, node: Node | None, depth: int = 0) -> PySymbol:
        """What an expression names: an identifier, ``module.name``, ``pkg.mod.name``, a call's
        callee. Locals and parameters are PARAM."""
        if node is None or depth > MAX_DEPTH:
            return NOTHING
        while node.type == "parenthesized_expression" and node.named_children:
            node = node.named_children[0]
        if node.type == "identifier":
            found = self.lookup(file, text(node))
            return found if found.kind != UNKNOWN else PySymbol(PARAM, text(node))
        if node.type != "attribute":
            return NOTHING
        parts = dotted_parts(node)
        if not parts:
            return NOTHING
        current = self.lookup(file, parts[0])
        for index, part in enumerate(parts[1:], start=1):
            if current.kind == MODULE:
                if current.file is not None:
                    current = self.export(current.file, part, depth + 1)
                    if current.kind == UNKNOWN:
                        return NOTHING
                    continue
                module = f"{current.module}.{part}" if current.module else part
                if current.module and self._is_project_module(file, current.module):
                    target = self.module_file(file, module, 0)  # a namespace package's submodule
                    if isinstance(target, SourceFile):
                        current = PySymbol(MODULE, part, target, None, module)
                        continue
                if index == len(parts) - 1:
                    return PySymbol(EXTERNAL, part, None, None, current.module)
                current = PySymbol(MODULE, part, None, None, module)
                continue
            if current.kind == EXTERNAL:
                return PySymbol(EXTERNAL, ".".join([current.name, *parts[index:]]), None, None, current.module)
            if current.kind == CLASS and current.file is not None and current.node is not None and index == len(parts) - 1:
                method = _class_method(current.node, part)  # Class.method (a classmethod or staticmethod)
                return PySymbol(FUNCTION, f"{current.name}.{part}", current.file, method) if method is not None else NOTHING
            return NOTHING
        return current

    # -- apps ------------------------------------------------------------------------------------

    def app_root(self, file: SourceFile) -> Path:
        """The directory of the app ``file`` belongs to (its nearest Python manifest's, else the run
        root), computed once per directory."""
        directory = file.real.parent
        found = self._roots.get(directory)
        if found is None:
            manifest = self.project.python_manifest_for(file)
            if manifest is not None:
                found = Path(manifest.path).parent
            else:
                found = self.project.root if self.project.root in file.real.parents else directory
            self._roots[directory] = found
        return found

    def app(self, file: SourceFile) -> PyApp:
        root = self.app_root(file)
        found = self._apps.get(root)
        if found is None:
            found = self._apps[root] = PyApp(root, _python_files(root))
            found.clerk = self._clerk_reason(file, found)
        return found

    def is_test(self, file: SourceFile) -> bool:
        """A test module of its app (``test_*.py``, ``*_test.py``, ``conftest.py``, under ``tests/``):
        its apps and routes are fixtures, not endpoints."""
        name = file.name
        if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
            return True
        try:
            parts = file.real.relative_to(self.app_root(file)).parts[:-1]
        except ValueError:
            parts = ()
        return any(p in ("tests", "test") for p in parts)

    def uses_clerk(self, file: SourceFile) -> bool:
        return bool(self.app(file).clerk)

    def _clerk_reason(self, file: SourceFile, app: PyApp) -> str:
        manifest = self.project.python_manifest_for(file)
        if manifest is not None:
            for name in sorted(manifest.dependencies):
                if name in CLERK_DISTRIBUTIONS:
                    return f"depends on {name}"
        for path in app.files:
            source = self.load(path)
            if source is not None and CLERK_MARKER.search(source.data):
                return f"{source.rel} uses Clerk"
        return ""

    def _index(self, app: PyApp) -> PyApp:
        """Registrations, router inclusions and settings of an app, read once."""
        if app.indexed:
            return app
        app.indexed = True
        for path in app.files:
            source = self.load(path)
            if source is None or not any(marker in source.data for marker in REGISTRATION_BYTES):
                continue
            self._index_file(app, source)
        return app

    def _index_file(self, app: PyApp, file: SourceFile) -> None:
        data = file.data
        facts = self.facts(file)
        if b"REST_FRAMEWORK" in data or b"MIDDLEWARE" in data:
            self._settings(app, file, facts)
        for _, match in _matches_calls(file):
            call = match["call"][0]
            fn = match["fn"][0]
            args = match["args"][0]
            name = text(fn.child_by_field_name("attribute")) if fn.type == "attribute" else text(fn)
            if name in ("include_router", "register_blueprint") and fn.type == "attribute":
                positional = _positional(args)
                if positional:
                    child = self.symbol(file, positional[0])
                    parent = self.symbol(file, fn.child_by_field_name("object"))
                    if child.key is not None:
                        prefix = string_value(_keyword(args, "prefix" if name == "include_router" else "url_prefix")) or ""
                        app.includes.setdefault(child.key, []).append(Include(parent, file, prefix, _depends_list(_keyword(args, "dependencies"))))
            elif name in ("path", "re_path", "url") and b"urlpatterns" in data:
                self._django_path(app, file, call, args)
            elif name == "register" and fn.type == "attribute" and (b"urlpatterns" in data or b"router" in data.lower()):
                positional = _positional(args)
                if len(positional) >= 2:
                    target = self.symbol(file, positional[1])
                    if target.kind == CLASS:
                        prefix = string_value(positional[0]) or ""
                        self._register(app, Registration(DRF, "/" + prefix.strip("^$/"), (), file, call, target, view_kind="class"))
            elif name == "add_url_rule" and fn.type == "attribute":
                self._flask_rule(app, file, call, args)
            elif name == "add_api_route" and fn.type == "attribute":
                positional = _positional(args)
                handler = _keyword(args, "endpoint") or (positional[1] if len(positional) > 1 else None)
                target = self.symbol(file, handler)
                if target.kind == FUNCTION:
                    url = string_value(positional[0]) if positional else None
                    methods = _methods(_keyword(args, "methods"))
                    self._register(app, Registration(FASTAPI, url, methods, file, call, target, _depends_list(_keyword(args, "dependencies"))))
            elif name in ("Route", "WebSocketRoute") and (b"starlette" in data or b"fastapi" in data):
                positional = _positional(args)
                handler = _keyword(args, "endpoint") or (positional[1] if len(positional) > 1 else None)
                target = self.symbol(file, handler)
                if target.kind in (FUNCTION, CLASS):
                    url = string_value(positional[0]) if positional else None
                    self._register(app, Registration(STARLETTE, url, _methods(_keyword(args, "methods")), file, call, target, view_kind="class" if target.kind == CLASS else ""))

    def _register(self, app: PyApp, registration: Registration) -> None:
        target = registration.target
        if target.file is None or target.node is None:
            return
        key = (str(target.file.real), target.node.start_byte)
        app.registrations.setdefault(key, []).append(registration)

    def _django_path(self, app: PyApp, file: SourceFile, call: Node, args: Node) -> None:
        positional = _positional(args)
        if len(positional) < 2:
            return
        url = string_value(positional[0])
        view = _keyword(args, "view") or positional[1]
        view_kind = ""
        if view.type == "call":
            callee = view.child_by_field_name("function")
            if callee is not None and callee.type == "attribute" and text(callee.child_by_field_name("attribute")) == "as_view":
                view = callee.child_by_field_name("object")
                view_kind = "class"
            else:
                return  # include(...), a decorator applied in urls.py
        target = self.symbol(file, view)
        if target.kind not in (FUNCTION, CLASS):
            return
        url = "/" + (url or "").lstrip("^").rstrip("$") if url is not None else None
        self._register(app, Registration(DJANGO, url, (), file, call, target, view_kind=view_kind or ("class" if target.kind == CLASS else "")))

    def _flask_rule(self, app: PyApp, file: SourceFile, call: Node, args: Node) -> None:
        positional = _positional(args)
        view = _keyword(args, "view_func") or (positional[2] if len(positional) > 2 else None)
        if view is None:
            return
        kind = ""
        if view.type == "call":
            callee = view.child_by_field_name("function")
            if callee is not None and callee.type == "attribute" and text(callee.child_by_field_name("attribute")) == "as_view":
                view = callee.child_by_field_name("object")
                kind = "class"
        target = self.symbol(file, view)
        if target.kind not in (FUNCTION, CLASS):
            return
        url = string_value(positional[0]) if positional else string_value(_keyword(args, "rule"))
        self._register(app, Registration(FLASK, url, _methods(_keyword(args, "methods")), file, call, target, view_kind=kind or ("class" if target.kind == CLASS else "")))

    def _settings(self, app: PyApp, file: SourceFile, facts: PyFacts) -> None:
        rest = facts.values.get("REST_FRAMEWORK")
        if rest is not None and rest.type == "dictionary":
            for pair in rest.named_children:
                if pair.type != "pair":
                    continue
                key = string_value(pair.child_by_field_name("key"))
                value = pair.child_by_field_name("value")
                if value is None:
                    continue
                items = [(file, item) for item in value.named_children if item.type != "comment"] if value.type in ("list", "tuple") else []
                if key == "DEFAULT_PERMISSION_CLASSES":
                    app.drf_permissions = (app.drf_permissions or []) + items
                elif key == "DEFAULT_AUTHENTICATION_CLASSES":
                    app.drf_authentication = (app.drf_authentication or []) + items
        middleware = facts.values.get("MIDDLEWARE")
        if middleware is not None and middleware.type in ("list", "tuple"):
            for item in middleware.named_children:
                value = string_value(item)
                if value:
                    app.middleware.append((value, file, item))

    def registrations(self, file: SourceFile, node: Node) -> list[Registration]:
        app = self._index(self.app(file))
        return app.registrations.get((str(file.real), node.start_byte), [])

    def includes(self, file: SourceFile, key: tuple[str, str]) -> list[Include]:
        return self._index(self.app(file)).includes.get(key, [])

    def settings(self, file: SourceFile) -> PyApp:
        return self._index(self.app(file))

    def resolve_dotted(self, file: SourceFile, dotted: str) -> PySymbol:
        """``"app.middleware.ClerkGate"`` (a settings string) -> the class in the project."""
        module, _, name = dotted.rpartition(".")
        if not module:
            return NOTHING
        target = self.module_file(file, module, 0)
        if isinstance(target, SourceFile):
            return self.export(target, name)
        return PySymbol(EXTERNAL, name, None, None, module)

    # -- endpoints -------------------------------------------------------------------------------

    def endpoints(self, file: SourceFile) -> list[PyEndpoint]:
        key = id(file)
        found = self._endpoints.get(key)
        if found is None:
            found = self._endpoints[key] = self._endpoints_of(file)
        return found

    def _endpoints_of(self, file: SourceFile) -> list[PyEndpoint]:
        from clerk_lint.project.python_endpoints import endpoints_of

        return endpoints_of(self, file)


def _class_method(cls: Node, name: str) -> Node | None:
    body = cls.child_by_field_name("body")
    for child in body.named_children if body is not None else ():
        node = child.child_by_field_name("definition") if child.type == "decorated_definition" else child
        if node is not None and node.type == "function_definition" and text(node.child_by_field_name("name")) == name:
            return node
    return None


def _python_files(root: Path) -> list[Path]:
    """The .py files under ``root`` (virtualenvs, caches, vendored packages and migrations left out)."""
    found: list[Path] = []
    stack = [root]
    while stack and len(found) < MAX_APP_FILES:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name in EXCLUDED_DIRS or entry.name.startswith(".") or os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                        continue
                    stack.append(Path(entry.path))
                elif entry.name.endswith(".py") and entry.is_file(follow_symlinks=False):
                    found.append(Path(entry.path))
            except OSError:
                continue
    return sorted(found)


def _matches_calls(file: SourceFile):
    from clerk_lint.parsing import matches

    return matches(file.grammar, CALL_QUERY, file.root)


def _positional(args: Node | None) -> list[Node]:
    if args is None:
        return []
    return [a for a in args.named_children if a.type not in ("keyword_argument", "comment", "list_splat", "dictionary_splat")]


def _keyword(args: Node | None, name: str) -> Node | None:
    if args is None:
        return None
    for arg in args.named_children:
        if arg.type == "keyword_argument":
            key = arg.child_by_field_name("name")
            if key is not None and text(key) == name:
                return arg.child_by_field_name("value")
    return None


def _methods(node: Node | None) -> tuple[str, ...]:
    if node is None or node.type not in ("list", "tuple", "set"):
        return ()
    return tuple(v.upper() for v in (string_value(item) for item in node.named_children) if v)


def _depends_list(node: Node | None) -> list[Node]:
    """The ``Depends(...)`` / ``Security(...)`` calls of a ``dependencies=[...]`` argument."""
    if node is None or node.type not in ("list", "tuple"):
        return []
    return [item for item in node.named_children if item.type == "call"]


positional = _positional
keyword = _keyword
methods_of = _methods
depends_list = _depends_list
