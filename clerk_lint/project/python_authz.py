"""Authorization in Python endpoints: records chosen by the caller (CLK301) and identities taken from
the request (CLK302).

For each authenticated endpoint of a file (its guard found by ``python_guards``) the handler is read
once: values the caller controls (FastAPI path and query parameters and body fields, Flask URL
variables and ``request.args`` / ``request.get_json()``, Django URL kwargs, ``request.GET`` /
``request.data``, DRF ``self.kwargs``) are followed through plain assignments into data access —
SQLAlchemy (``session.get(M, id)``, ``query(M).filter(...)``, ``select(M).where(...)``), Flask-SQLAlchemy
(``M.query.get_or_404(id)``), the Django ORM (``M.objects.get(pk=...)``, ``get_object_or_404``),
Tortoise (``M.get(id=...)``), MongoDB filters, Supabase ``.eq()`` and raw SQL parameters.

* CLK301: a record selected by such a value, with no owner or tenant constraint in the same query,
  no comparison of the loaded record with the session user afterwards, and no role check — when the
  model is known to hold per-user rows (an owner-like field) or the access writes or deletes. DRF
  detail views whose ``queryset`` is every row of such a model are reported too.
* CLK302: a value named like an identity (``user_id``, ``owner_id``, ``org_id``...) taken from the
  request and used to select or own data, instead of the id from the session.

:func:`authz_issues` is what the rules call; it is cached per file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tree_sitter import Node

from clerk_lint.findings import Location
from clerk_lint.parsing import captures, string_value, text
from clerk_lint.project.coverage import GUARDED
from clerk_lint.project.python import CLASS, DJANGO, DRF, FASTAPI, FLASK, STARLETTE, PyEndpoint, dotted_parts, positional
from clerk_lint.project.python_endpoints import base_names, class_attribute, class_methods
from clerk_lint.project.python_guards import AUTH_ATTRIBUTE, _parameter, _root, _root_name, _short, _unwrap
from clerk_lint.source import SourceFile

if TYPE_CHECKING:
    from clerk_lint.project import Project

CLK301 = "CLK301"
CLK302 = "CLK302"

#: columns and keyword arguments that scope a query to an owner or a tenant
OWNER = re.compile(
    r"^(?:user|owner|author|creator|created_by|uploaded_by|clerk(?:_user)?|member|account|tenant|org|organi[sz]ation|workspace|"
    r"team|customer|profile|uid|sub)(?:_?id)?(?:__\w+)?$|^(?:user|owner|author|creator|org|organization|tenant|account)__",
    re.I,
)
#: fields whose presence says a model's rows belong to users (stricter than OWNER: no `profile`, `member`)
OWNER_FIELD = re.compile(r"^(?:user|owner|author|creator|created_by|clerk(?:_user)?|tenant|org|organi[sz]ation|account|workspace)(?:_?id)?$", re.I)
#: names that hold an identity
IDENTITY = re.compile(r"^(?:user|owner|author|creator|clerk(?:_user)?|member|account|tenant|org|organi[sz]ation|customer|profile)_?id$", re.I)
#: words in handler names, URLs, guards and checks that mark an administrative endpoint
ADMIN = re.compile(r"admin|superuser|is_staff|staff_member|role|permission|has_perm|moderator|is_owner|owner_required|can_(?:edit|view|delete|access)", re.I)
#: calls that fetch, change or delete records
ACCESS = frozenset({
    "get", "get_or_404", "first_or_404", "one_or_404", "filter", "filter_by", "where", "get_or_none", "get_object_or_404",
    "execute", "fetch", "fetchrow", "fetchval", "fetch_one", "fetch_all", "find_one", "find", "delete_one", "delete_many",
    "update_one", "update_many", "find_one_and_update", "find_one_and_delete", "find_one_and_replace", "replace_one", "eq",
    "get_by_id", "exclude", "select_for_update", "get_list_or_404", "raw", "in_",
})
WRITES = frozenset({"delete", "update", "delete_one", "delete_many", "update_one", "update_many", "find_one_and_update", "find_one_and_delete", "replace_one", "save", "upsert", "merge"})
#: record constructors and writers whose keyword arguments are stored
CREATES = frozenset({"create", "get_or_create", "update_or_create", "insert", "insert_one", "values", "add"})
#: Clerk Backend API methods that read or change one user or organization (``clerk.users.delete(user_id=...)``)
CLERK_API = frozenset({
    "get", "delete", "update", "update_metadata", "ban", "unban", "lock", "unlock", "delete_profile_image",
    "get_organization_memberships", "create", "update_organization_metadata", "delete_organization",
})
SQL_WORDS = re.compile(r"\b(?:select|update|delete|insert)\b", re.I)
PYDANTIC_HINT = re.compile(r"BaseModel|Schema|Serializer|Form|Input|Request|Body|Create|Update|Payload|In\b")
DETAIL_BASES = frozenset({
    "ModelViewSet", "ReadOnlyModelViewSet", "RetrieveAPIView", "RetrieveUpdateAPIView", "RetrieveDestroyAPIView",
    "RetrieveUpdateDestroyAPIView", "UpdateAPIView", "DestroyAPIView", "RetrieveModelMixin", "UpdateModelMixin", "DestroyModelMixin",
})
IDENT_QUERY = "(identifier) @id"
CALL_QUERY = "(call) @call"


@dataclass(frozen=True)
class AuthzIssue:
    rule: str
    node: Node
    message: str
    related: tuple[Location, ...] = ()


@dataclass
class _Taint:
    name: str  # the caller-facing name: the parameter, field or key
    source: str  # for people: "path parameter", "query parameter", "request body", ...


@dataclass
class _Handler:
    file: SourceFile
    endpoint: PyEndpoint
    function: Node
    tainted: dict[str, _Taint] = field(default_factory=dict)  # local name -> where its value comes from
    bodies: dict[str, str] = field(default_factory=dict)  # local name -> source, for objects whose fields are input
    auth: set[str] = field(default_factory=set)  # locals derived from the session


def authz_issues(project: "Project", file: SourceFile) -> list[AuthzIssue]:
    model = project.python
    cache = model.__dict__.setdefault("_authz", {})
    key = id(file)
    if key not in cache:
        cache[key] = _issues(project, file)
    return cache[key]


def _issues(project: "Project", file: SourceFile) -> list[AuthzIssue]:
    model = project.python
    if model.is_test(file) or not model.uses_clerk(file):
        return []
    endpoints = model.endpoints(file)
    issues: list[AuthzIssue] = []
    seen_classes: set[int] = set()
    for endpoint in endpoints:
        coverage = model.guards.coverage(endpoint)
        if coverage.status != GUARDED:
            continue
        if endpoint.cls is not None and endpoint.framework == DRF and endpoint.cls.start_byte not in seen_classes:
            seen_classes.add(endpoint.cls.start_byte)
            issue = _queryset_issue(project, file, endpoint)
            if issue is not None:
                issues.append(issue)
        if endpoint.function is None or _admin(endpoint, coverage):
            continue
        issues.extend(_handler_issues(project, file, endpoint))
    return issues


def _admin(endpoint: PyEndpoint, coverage) -> bool:
    how = re.sub(r"permission_classes|rest_framework\.permissions\.|REST_FRAMEWORK default|IsAuthenticated\w*", "", coverage.how)
    words = f"{endpoint.url or ''} {endpoint.name} {how}"
    if ADMIN.search(words):
        return True
    function = endpoint.function
    return function is not None and ADMIN.search(text(function.child_by_field_name("body"))) is not None and _role_check(function)


def _role_check(function: Node) -> bool:
    """A role or permission test inside the handler (``if not user.is_admin: raise``)."""
    for node in captures("python", "(if_statement condition: (_) @c)", function).get("c", ()):
        if ADMIN.search(text(node)):
            return True
    for node in captures("python", "(call function: (_) @f)", function).get("f", ()):
        if ADMIN.search(text(node)):
            return True
    return False


# -- DRF querysets --------------------------------------------------------------------------------


def _queryset_issue(project: "Project", file: SourceFile, endpoint: PyEndpoint) -> AuthzIssue | None:
    model = project.python
    cls = endpoint.cls
    names = {name for name, _ in base_names(model, file, cls)}
    if not names & DETAIL_BASES:
        return None
    methods = class_methods(cls)
    if {"get_queryset", "get_object", "retrieve", "update", "partial_update", "destroy"} & set(methods):
        return None
    queryset = class_attribute(cls, "queryset")
    if queryset is None or OWNER.search(" ".join(re.findall(r"(\w+)\s*=", text(queryset)))) or re.search(r"\b(?:user|owner|request)\b", text(queryset)):
        return None
    permissions = class_attribute(cls, "permission_classes")
    if permissions is not None and _object_permissions(project, file, permissions):
        return None
    if ADMIN.search(text(permissions) if permissions is not None else "") or ADMIN.search(endpoint.name):
        return None
    root = _root(queryset)
    symbol = model.symbol(file, root) if root is not None else None
    if symbol is None or symbol.kind != CLASS or symbol.file is None or symbol.node is None:
        return None
    owner = _owner_field(symbol.node)
    if not owner:
        return None
    name = text(cls.child_by_field_name("name"))
    return AuthzIssue(
        CLK301,
        queryset,
        f"`{name}` serves, updates and deletes any `{symbol.name}` by its id (`queryset = {_short(queryset)}`) although "
        f"each row belongs to a user (`{owner}`): any signed-in user can reach everyone's; filter in `get_queryset()` "
        f"(`{symbol.name}.objects.filter({owner}=self.request.user)`) or add an object permission",
        (symbol.file.node_location(symbol.node.child_by_field_name("name"), "the model"),),
    )


def _object_permissions(project: "Project", file: SourceFile, permissions: Node) -> bool:
    model = project.python
    for item in permissions.named_children:
        symbol = model.symbol(file, item)
        if symbol.kind == CLASS and symbol.node is not None and "has_object_permission" in class_methods(symbol.node):
            return True
        if symbol.kind != CLASS and dotted_parts(item)[-1:] not in (["IsAuthenticated"], ["AllowAny"], ["IsAuthenticatedOrReadOnly"]):
            return True  # a third-party permission: it may check objects
    return False


def owner_field(name: str) -> bool:
    """Whether a column or field name says its rows belong to a user or tenant (``user_id``,
    ``ownerId``, ``created_by``, ``workspaceId``...). Shared with the JS analysis, which applies the
    same test to Drizzle table definitions; camelCase is read as snake_case."""
    return bool(name) and OWNER_FIELD.match(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)) is not None


def _owner_field(cls: Node) -> str:
    """The first owner-like field a model class declares (``user = models.ForeignKey(...)``,
    ``user_id: Mapped[str]``, ``owner_id = Column(...)``), or ""."""
    body = cls.child_by_field_name("body")
    for child in body.named_children if body is not None else ():
        if child.type != "expression_statement" or not child.named_children:
            continue
        assignment = child.named_children[0]
        if assignment.type != "assignment":
            continue
        left = assignment.child_by_field_name("left")
        if left is not None and left.type == "identifier" and owner_field(text(left)):
            return text(left)
    return ""


# -- handlers -------------------------------------------------------------------------------------


def _handler_issues(project: "Project", file: SourceFile, endpoint: PyEndpoint) -> list[AuthzIssue]:
    handler = _Handler(file, endpoint, endpoint.function)
    _sources(project, handler)
    if not handler.tainted and not handler.bodies and b"request" not in (endpoint.function.text or b""):
        return []
    _propagate(handler)
    body = endpoint.function.child_by_field_name("body")
    if body is None:
        return []
    auth_scoped = _auth_scoped(handler, body)
    issues: list[AuthzIssue] = []
    reported: set[int] = set()
    for call in captures(file.grammar, CALL_QUERY, body).get("call", ()):
        callee = call.child_by_field_name("function")
        parts = dotted_parts(callee) if callee is not None else []
        name = parts[-1] if parts else (text(callee.child_by_field_name("attribute")) if callee is not None and callee.type == "attribute" else "")
        clerk_api = name in CLERK_API and bool({"users", "organizations", "organization_memberships"} & set(parts[:-1]))
        if name in ACCESS or name in CREATES or clerk_api or _is_model_constructor(project, file, callee):
            for issue in _access(project, handler, call, name, auth_scoped):
                if issue.node.start_byte not in reported:
                    reported.add(issue.node.start_byte)
                    issues.append(issue)
    return issues


def _sources(project: "Project", handler: _Handler) -> None:
    """Parameters and request reads whose value the caller chooses."""
    endpoint, function, file = handler.endpoint, handler.function, handler.file
    guards = project.python.guards
    url = endpoint.url or ""
    path_names = set(re.findall(r"\{(\w+)(?::[^}]*)?\}", url)) | set(re.findall(r"<(?:\w+:)?(\w+)>", url)) | set(re.findall(r"\(\?P<(\w+)>", url))
    params = function.child_by_field_name("parameters")
    names = []
    for param in params.named_children if params is not None else ():
        name_node, annotation, default = _parameter(param)
        if name_node is None:
            continue
        names.append((text(name_node), annotation, default, param))
    skip = 0
    if endpoint.cls is not None:
        skip = 2 if endpoint.framework in (DRF, DJANGO) else 1  # self, request
    elif endpoint.framework in (DRF, DJANGO):
        skip = 1  # request
    for index, (name, annotation, default, param) in enumerate(names):
        if index < skip or name in ("self", "request", "req", "cls", "args", "kwargs"):
            continue
        deps = guards.param_depends(file, param)
        if deps:
            if any(guards.depends(f, d).auth or guards.depends(f, d).guard is not None for f, d in deps):
                handler.auth.add(name)
            continue
        type_text = text(annotation) if annotation is not None else ""
        marker = dotted_parts(default.child_by_field_name("function"))[-1:] if default is not None and default.type == "call" else []
        if marker in (["Header"], ["Cookie"], ["BackgroundTasks"]):
            continue
        if marker in (["Form"], ["Body"], ["File"]):
            handler.tainted[name] = _Taint(name, "form field" if marker == ["Form"] else "request body")
            continue
        if marker == ["Query"]:
            handler.tainted[name] = _Taint(name, "query parameter")
            continue
        if endpoint.framework in (FASTAPI, STARLETTE):
            if name in path_names or marker == ["Path"]:
                handler.tainted[name] = _Taint(name, "path parameter")
            elif type_text and (re.search(r"\b(?:Request|Session|AsyncSession|BackgroundTasks|Response|WebSocket|UploadFile)\b", type_text)):
                continue
            elif type_text and _is_body_type(project, file, annotation):
                handler.bodies[name] = "request body"
            else:
                handler.tainted[name] = _Taint(name, "query parameter")
        elif endpoint.framework in (FLASK, DJANGO, DRF):
            handler.tainted[name] = _Taint(name, "URL parameter")


def _is_body_type(project: "Project", file: SourceFile, annotation: Node) -> bool:
    inner = annotation.named_children[0] if annotation.type == "type" and annotation.named_children else annotation
    parts = dotted_parts(inner)
    if not parts:
        return False
    symbol = project.python.symbol(file, inner)
    if symbol.kind == CLASS:
        return not project.python.guards.is_model(symbol.file, symbol.node) if symbol.file is not None and symbol.node is not None else True
    return bool(PYDANTIC_HINT.search(parts[-1])) and parts[-1] not in ("Request",)


REQUEST_READ = re.compile(
    r"^(?:self\.)?(?:request|req)\.(?:args|form|values|json|GET|POST|data|query_params|path_params|files|get_json\(\)|json\(\))"
    r"|^(?:self\.)?kwargs\b|^(?:await\s+)?(?:request|req)\.(?:json|form|body)\(\)"
)


def _request_taint(node: Node, handler: _Handler) -> _Taint | None:
    """A request read: ``request.args.get("id")``, ``request.json["user_id"]``, ``self.kwargs["pk"]``,
    ``body.user_id`` of a body parameter; None otherwise."""
    node = _unwrap(node)
    if node is None:
        return None
    if node.type == "call":
        callee = node.child_by_field_name("function")
        parts = dotted_parts(callee)
        if parts and parts[-1] in ("int", "str", "UUID", "uuid.UUID", "ObjectId", "PydanticObjectId", "float") or parts[-1:] == ["UUID"]:
            args = positional(node.child_by_field_name("arguments"))
            return _request_taint(args[0], handler) if args else None
        if callee is not None and callee.type == "attribute" and text(callee.child_by_field_name("attribute")) in ("get", "getlist", "pop"):
            owner = _unwrap(callee.child_by_field_name("object"))
            args = positional(node.child_by_field_name("arguments"))
            key = string_value(args[0]) if args else None
            if key and owner is not None and (REQUEST_READ.search(text(owner)) or text(owner) in handler.bodies or _root_name(owner) in handler.bodies and owner.type != "identifier"):
                return _Taint(key, _where(owner, handler))
        return None
    if node.type == "subscript":
        owner = _unwrap(node.child_by_field_name("value"))
        key = string_value(node.child_by_field_name("subscript"))
        if key and owner is not None and (REQUEST_READ.search(text(owner)) or text(owner) in handler.bodies):
            return _Taint(key, _where(owner, handler))
        return None
    if node.type == "attribute":
        owner = _unwrap(node.child_by_field_name("object"))
        attr = text(node.child_by_field_name("attribute"))
        if owner is not None and owner.type == "identifier" and text(owner) in handler.bodies:
            return _Taint(attr, handler.bodies[text(owner)])
        return None
    if node.type == "identifier" and text(node) in handler.tainted:
        return handler.tainted[text(node)]
    return None


def _where(owner: Node, handler: _Handler) -> str:
    body = text(owner)
    if body in handler.bodies:
        return handler.bodies[body]
    if "kwargs" in body or "path_params" in body:
        return "URL parameter"
    if re.search(r"args|GET|query_params", body):
        return "query string"
    return "request body"


def _propagate(handler: _Handler) -> None:
    """Follow plain assignments in order: ``note_id = int(request.args["id"])``,
    ``data = request.get_json()`` (a body object), ``uid = state.payload["sub"]`` (session)."""
    file = handler.file
    body = handler.function.child_by_field_name("body")
    if body is None:
        return
    for assignment in captures(file.grammar, "(assignment left: (_) @left right: (_) @right) @a", body).get("a", ()):
        left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
        if left is None or right is None:
            continue
        value = _unwrap(right)
        value_text = text(value)
        if left.type == "identifier":
            name = text(left)
            if value is not None and (REQUEST_READ.search(value_text) and (value.type == "call" and text(value.child_by_field_name("function")).endswith(("get_json", "json", "form")) or value.type == "attribute")):
                handler.bodies[name] = _where(value, handler)
                continue
            taint = _request_taint(value, handler)
            if taint is not None and not _mentions_auth(value, handler):
                # `uid = request.args["user_id"]` keeps the caller-facing name; `note_id = body.id` the local one
                taint_name = taint.name if IDENTITY.match(taint.name) or not IDENTITY.match(name) else name
                handler.tainted[name] = _Taint(taint_name, taint.source)
                continue
            if _mentions_auth(value, handler):
                handler.auth.add(name)
                handler.tainted.pop(name, None)
        elif left.type in ("pattern_list", "tuple_pattern"):
            if _mentions_auth(value, handler):
                handler.auth.update(text(c) for c in left.named_children if c.type == "identifier")


def _mentions_auth(node: Node | None, handler: _Handler) -> bool:
    if node is None:
        return False
    body = text(node)
    if AUTH_ATTRIBUTE.search(body) or re.search(r"\bpayload\b.*['\"]sub['\"]|\bcurrent_user\b|\bget_current_user\b|\bauth\(|\bclaims\b", body):
        return True
    return any(text(i) in handler.auth for i in captures("python", IDENT_QUERY, node).get("id", ())) or node.type == "identifier" and text(node) in handler.auth


def _auth_scoped(handler: _Handler, body: Node) -> bool:
    """Whether the handler constrains some query by the session user anywhere (a lenient signal:
    queries built over several statements are scoped somewhere)."""
    for kw in captures("python", "(keyword_argument name: (identifier) @k value: (_) @v)", body).get("k", ()):
        value = kw.parent.child_by_field_name("value") if kw.parent is not None else None
        if OWNER.match(text(kw)) and _mentions_auth(value, handler):
            return True
    for comparison in captures("python", "(comparison_operator) @c", body).get("c", ()):
        operands = comparison.named_children
        if len(operands) == 2 and any(OWNER.match(_last(o)) for o in operands) and any(_mentions_auth(o, handler) for o in operands):
            return True
    return False


def _last(node: Node) -> str:
    if node.type == "attribute":
        return text(node.child_by_field_name("attribute"))
    if node.type == "identifier":
        return text(node)
    if node.type == "subscript":
        return string_value(node.child_by_field_name("subscript")) or ""
    return ""


def _is_model_constructor(project: "Project", file: SourceFile, callee: Node | None) -> bool:
    if callee is None or callee.type != "identifier" or not text(callee)[:1].isupper():
        return False
    symbol = project.python.symbol(file, callee)
    return symbol.kind == CLASS and symbol.file is not None and symbol.node is not None and project.python.guards.is_model(symbol.file, symbol.node)


def _chain_top(call: Node) -> Node:
    """The whole call chain around ``call``: ``db.query(M).filter(...).first()``."""
    node = call
    for _ in range(64):
        parent = node.parent
        if parent is not None and parent.type == "attribute" and parent.child_by_field_name("object") == node and parent.parent is not None and parent.parent.type == "call":
            node = parent.parent
            continue
        if parent is not None and parent.type == "await":
            node = parent
            continue
        if parent is not None and parent.type == "argument_list" and parent.parent is not None and parent.parent.type == "call":
            outer = dotted_parts(parent.parent.child_by_field_name("function"))
            if outer[-1:] and outer[-1] in ("execute", "exec", "scalars", "scalar", "scalar_one", "scalar_one_or_none", "delete", "run_sync"):
                node = parent.parent  # session.execute(select(M).where(...)).scalar_one()
                continue
        break
    return node


def _access(project: "Project", handler: _Handler, call: Node, name: str, auth_scoped: bool) -> list[AuthzIssue]:
    """The problems of one data access."""
    file = handler.file
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    keyed: list[tuple[str, _Taint, Node]] = []  # (column, taint, value node)
    for arg in args.named_children:
        for column, value in _columns(arg):
            taint = _value_taint(value, handler)
            if taint is not None:
                keyed.append((column, taint, value))
    if name == "get" and len(positional(args)) == 2:
        first, second = positional(args)
        taint = _value_taint(second, handler)
        if taint is not None and text(first)[:1].isupper():
            keyed.append(("pk", taint, second))
    elif name in ("get_or_404", "first_or_404", "get_by_id", "get", "get_object_or_404") and positional(args):
        value = positional(args)[-1]
        taint = _value_taint(value, handler)
        if taint is not None and (name != "get" or _model_root(project, file, call) is not None):
            keyed.append(("pk", taint, value))
    if name in ("execute", "fetch", "fetchrow", "fetchval", "fetch_one", "fetch_all", "raw"):
        keyed.extend(_sql_keys(args, handler))
    if not keyed:
        return []
    top = _chain_top(call)
    chain = text(top)
    issues = []
    identity = [(c, t, v) for c, t, v in keyed if IDENTITY.match(t.name) or OWNER.match(c) and c not in ("pk", "id")]
    if identity:
        column, taint, value = identity[0]
        if not _compared_with_session(handler, taint, value):
            what = "owns the record written" if name in CREATES or _is_model_constructor(project, file, call.child_by_field_name("function")) else "selects whose data is reached"
            issues.append(AuthzIssue(
                CLK302,
                value,
                f"`{taint.name}` comes from the {taint.source} and {what} (`{_short(top)}`): a signed-in user can name "
                f"someone else; use the user id from the session ({_session_hint(handler)}) instead",
            ))
        return issues
    if name in CREATES or _is_model_constructor(project, file, call.child_by_field_name("function")):
        return issues
    column, taint, value = keyed[0]
    if auth_scoped or _owner_in_chain(chain, handler, top) or _scoped_queryset(handler, top):
        return issues
    model_class = _model_root(project, file, call)
    sql = positional(args)[0] if name in ("execute", "fetch", "fetchrow", "fetchval", "fetch_one", "fetch_all", "raw") and positional(args) else None
    writes = (
        bool(set(re.findall(r"\.(\w+)\(", chain)) & WRITES)
        or _written_later(handler, top)
        or sql is not None and re.search(r"\b(?:update|delete)\b", text(sql), re.I) is not None
    )
    owner = ""
    if model_class is not None:
        owner = _owner_field(model_class[1])
        if not owner:
            return issues  # a model without per-user rows (a catalogue): not an ownership question
    elif not writes:
        return issues
    target = _assigned_name(top)
    if target and _checked_after(handler, target, top):
        return issues
    verb = "deletes" if re.search(r"\bdelete", chain, re.I) else "changes" if writes else "reads"
    model_name = model_class[0] if model_class is not None else "a record"
    scope = f" although each row belongs to a user (`{owner}`)" if owner else ""
    issues.append(AuthzIssue(
        CLK301,
        top,
        f"`{_short(top)}` {verb} {('`' + model_name + '`') if model_class else model_name} chosen by the caller ({taint.source} `{taint.name}`){scope} "
        f"with no owner constraint and no ownership check: any signed-in user can reach anyone's; add the owner to the query "
        f"or compare the record's owner with the session user",
        (model_class[2],) if model_class is not None else (),
    ))
    return issues


def _columns(arg: Node, depth: int = 0):
    """(column, value) pairs in one argument: ``id=x``, ``Note.id == x``, ``{"_id": x}``, ``.eq("id", x)``."""
    if depth > 32:
        return
    if arg.type == "keyword_argument":
        name = arg.child_by_field_name("name")
        value = arg.child_by_field_name("value")
        if name is not None and value is not None:
            yield text(name), value
            if value.type == "dictionary":
                yield from _columns(value, depth + 1)
        return
    if arg.type == "comparison_operator" and len(arg.named_children) == 2:
        left, right = arg.named_children
        yield _last(left) or text(left), right
        yield _last(right) or text(right), left
        return
    if arg.type == "dictionary":
        for pair in arg.named_children:
            if pair.type == "pair":
                key = string_value(pair.child_by_field_name("key"))
                value = pair.child_by_field_name("value")
                if key and value is not None:
                    yield key, value
        return
    if arg.type == "boolean_operator" or arg.type == "call" and dotted_parts(arg.child_by_field_name("function"))[-1:] in (["and_"], ["or_"]):
        inner = arg.named_children if arg.type == "boolean_operator" else positional(arg.child_by_field_name("arguments"))
        for child in inner:
            yield from _columns(child, depth + 1)
        return
    if arg.type in ("identifier", "attribute", "subscript", "call"):
        yield "", arg


def _value_taint(value: Node, handler: _Handler) -> _Taint | None:
    if _mentions_auth(value, handler):
        return None
    return _request_taint(value, handler)


def _sql_keys(args: Node, handler: _Handler) -> list[tuple[str, _Taint, Node]]:
    """Caller values bound into raw SQL: a parameter tuple/dict, or an f-string field."""
    found = []
    items = positional(args)
    if not items:
        return found
    sql = items[0]
    sql_text = text(sql)
    if sql.type == "call" and dotted_parts(sql.child_by_field_name("function"))[-1:] == ["text"]:
        inner = positional(sql.child_by_field_name("arguments"))
        sql_text = text(inner[0]) if inner else sql_text
    if not SQL_WORDS.search(sql_text):
        return found
    if sql.type == "string":
        for interpolation in captures("python", "(interpolation) @i", sql).get("i", ()):
            expr = interpolation.named_children[0] if interpolation.named_children else None
            taint = _value_taint(expr, handler) if expr is not None else None
            if taint is not None:
                found.append(("sql", taint, expr))
    for params in items[1:]:
        elements = params.named_children if params.type in ("tuple", "list") else [params]
        for element in elements:
            if element.type == "dictionary":
                for column, value in _columns(element):
                    taint = _value_taint(value, handler)
                    if taint is not None:
                        found.append((column, taint, value))
                continue
            taint = _value_taint(element, handler)
            if taint is not None:
                found.append(("sql", taint, element))
    return found


def _owner_in_chain(chain: str, handler: _Handler, top: Node) -> bool:
    """An owner/tenant column, or a session value, anywhere in the query."""
    for kw in captures("python", "(keyword_argument name: (identifier) @k)", top).get("k", ()):
        if OWNER.match(text(kw)):
            return True
    for comparison in captures("python", "(comparison_operator) @c", top).get("c", ()):
        if any(OWNER.match(_last(o)) for o in comparison.named_children) or _mentions_auth(comparison, handler):
            return True
    for pair in captures("python", "(pair key: (string) @k)", top).get("k", ()):
        if OWNER.match(string_value(pair) or ""):
            return True
    if re.search(r"\b(?:user_id|owner_id|author_id|clerk_id|clerk_user_id|org_id|tenant_id|account_id|created_by)\b", chain):
        return True
    return any(_mentions_auth(a, handler) for a in captures("python", "(argument_list (_) @a)", top).get("a", ()) if a.type != "keyword_argument")


def _scoped_queryset(handler: _Handler, top: Node) -> bool:
    """``self.get_queryset().get(pk=...)`` in a view whose ``get_queryset`` filters by the user."""
    if "get_queryset" not in text(top) or handler.endpoint.cls is None:
        return False
    method = class_methods(handler.endpoint.cls).get("get_queryset")
    body = text(method.child_by_field_name("body")) if method is not None else ""
    return bool(re.search(r"request\.user|request\.auth|clerk_user|user_id|owner", body))


def _model_root(project: "Project", file: SourceFile, call: Node):
    """The ORM model a query is about: (name, class node, location) or None."""
    model = project.python
    candidates = []
    top = _chain_top(call)
    for node in captures(file.grammar, "(identifier) @id", top).get("id", ()):
        if text(node)[:1].isupper():
            candidates.append(node)
    for node in candidates:
        symbol = model.symbol(file, node)
        if symbol.kind == CLASS and symbol.file is not None and symbol.node is not None and model.guards.is_model(symbol.file, symbol.node):
            return symbol.name, symbol.node, symbol.file.node_location(symbol.node.child_by_field_name("name"), "the model")
    return None


def _assigned_name(top: Node) -> str:
    parent = top.parent
    if parent is not None and parent.type == "assignment" and parent.child_by_field_name("left") is not None and parent.child_by_field_name("left").type == "identifier":
        return text(parent.child_by_field_name("left"))
    return ""


def _checked_after(handler: _Handler, name: str, after: Node) -> bool:
    """A later test or call that relates the loaded record to the session user or checks its owner:
    ``if note.user_id != user_id: raise``, ``assert_owner(note, user)``."""
    body = handler.function.child_by_field_name("body")
    for condition in captures("python", "(if_statement condition: (_) @c)", body).get("c", ()):
        if condition.start_byte < after.end_byte:
            continue
        idents = {text(i) for i in captures("python", IDENT_QUERY, condition).get("id", ())}
        if name in idents and (idents & handler.auth or _mentions_auth(condition, handler) or any(OWNER.match(i) for i in idents)):
            return True
    for call in captures("python", CALL_QUERY, body).get("call", ()):
        if call.start_byte < after.end_byte:
            continue
        args = call.child_by_field_name("arguments")
        idents = {text(i) for i in captures("python", IDENT_QUERY, args).get("id", ())} if args is not None else set()
        if name in idents and (idents & handler.auth or _mentions_auth(args, handler)):
            return True
        callee = text(call.child_by_field_name("function"))
        if name in idents and re.search(r"owner|permission|authori[sz]e|can_|check_object", callee, re.I):
            return True
    return False


def _written_later(handler: _Handler, top: Node) -> bool:
    """The loaded record is deleted or changed later (``db.delete(note)``, ``note.title = ...``)."""
    name = _assigned_name(top)
    if not name:
        return False
    body = handler.function.child_by_field_name("body")
    for call in captures("python", CALL_QUERY, body).get("call", ()):
        if call.start_byte < top.end_byte:
            continue
        callee = call.child_by_field_name("function")
        parts = dotted_parts(callee)
        args = text(call.child_by_field_name("arguments"))
        if parts and parts[-1] in WRITES and (re.search(rf"\b{re.escape(name)}\b", args) or parts[0] == name):
            return True
    for assignment in captures("python", "(assignment left: (attribute) @l)", body).get("l", ()):
        if assignment.start_byte > top.end_byte and _root_name(assignment) == name:
            return True
    return False


def _compared_with_session(handler: _Handler, taint: _Taint, value: Node) -> bool:
    """``if user_id != session_user_id: raise`` before the value is used."""
    body = handler.function.child_by_field_name("body")
    local = text(value) if value.type == "identifier" else None
    for condition in captures("python", "(if_statement condition: (_) @c)", body).get("c", ()):
        if condition.start_byte > value.start_byte:
            continue
        idents = {text(i) for i in captures("python", IDENT_QUERY, condition).get("id", ())}
        if (local in idents or taint.name in idents or taint.name in text(condition)) and (idents & handler.auth or _mentions_auth(condition, handler) or ADMIN.search(text(condition))):
            return True
    return False


def _session_hint(handler: _Handler) -> str:
    if handler.auth:
        return f"`{sorted(handler.auth)[0]}`"
    framework = handler.endpoint.framework
    if framework in (DJANGO, DRF):
        return "`request.user`"
    return "`state.payload[\"sub\"]`"


__all__ = ["authz_issues", "AuthzIssue", "CLK301", "CLK302"]


def authz_source(project: "Project", file: SourceFile):
    """The Python issues in the shape of :class:`clerk_lint.project.authz.Issue` (the authorization
    model's source for ``python`` files, read by CLK301 and CLK302)."""
    from clerk_lint.project.authz import Issue

    return [Issue(i.rule, file, i.node, i.message, related=i.related) for i in authz_issues(project, file)]
