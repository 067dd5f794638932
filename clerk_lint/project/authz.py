"""The authorization model: authenticated is not authorized.

For each server entry point (a Next.js route handler, Server Action, ``pages/api`` handler,
``getServerSideProps``, server page; a public Convex function; handlers other models register) the
values of its body are followed in order and each gets a *taint*:

* **caller** — chosen by whoever sends the request: route ``params`` (awaited or not), search params,
  ``await req.json()`` fields, ``formData.get()``, Server Action arguments, Convex ``args``,
  ``req.query``/``req.body``/``req.params``;
* **session** — the signed-in user: ``await auth()``, ``currentUser()``, ``getAuth(req)``,
  ``await ctx.auth.getUserIdentity()``, guard helpers (the guard model, :mod:`clerk_lint.project.guards`,
  decides what is an auth call), and records loaded *for* the session user
  (``db.user.findUnique({ where: { clerkId: userId } })``);
* **record** — a row loaded by a data-layer call, remembered with the call.

Data-layer calls are recognised by shape: Prisma (``db.note.findUnique({ where })`` and the other
methods), Drizzle (``db.select().from(t).where(eq(t.id, id))``, ``db.update/delete(t).where(...)``,
``db.query.t.findFirst``), Mongoose (``Note.findById``, ``findOne``, ``updateOne``... with filters),
Supabase (``.from('t').select/update/delete().eq(...)``), Convex (``ctx.db.get/patch/replace/delete``,
``ctx.db.query(t).withIndex/filter``), Kysely and Knex (``where``), raw SQL (``sql`...```, ``pool.query(text,
values)``), the Clerk Backend API (``users.deleteUser(id)``...), and project helpers whose own body makes
such a call with one of their parameters (summarised once). A call of another shape stays unknown, and
unknown is quiet.

A call is *scoped* when its filter holds a session value, or an owner/tenant key (``userId``,
``authorId``, ``orgId``, ``teamId``...) whose value the caller does not control. A record loaded
unscoped is *vetted* when its owner is compared with the session user afterwards (``note.userId !==
userId``, ``assertOwner(note, user)``, ``note.members.some(m => m.userId === userId)``), or when a
scoped query that names it is checked (a membership lookup followed by ``if (!member) ...``).

Ownership proven on a parent carries to its children: a caller value named by a checked
session-scoped lookup (``course.findUnique({ where: { id: courseId, userId } })`` + ``if (!course)
return``) is vetted; a later call that puts a vetted value under a key linking to that parent
(``{ id: chapterId, courseId }``) is scoped; and when such a call is checked (or is a Prisma
``update``/``delete``, which throws on no match) the ids it names are vetted in turn. Reads of a
catalogue table — a Drizzle definition with no owner-like column (the test Python models use) and no
per-user parent — are not reported; writes to it are.

What the rules read (:meth:`AuthzModel.issues`, per file and rule id):

* ``CLK301`` — a call reads, updates or deletes a record by a caller id, unscoped and never vetted;
* ``CLK302`` — a caller value named like an identity (``userId``, ``ownerId``, ``orgId``) scopes a call or
  is written as the owner of a record;
* ``CLK303``/``CLK304`` — role checks on ``unsafeMetadata``, role checks only in client code;
* ``CLK305`` — ``publicMetadata``/``privateMetadata`` written from caller input.

Other data sources plug in by grammar or by handler: :data:`SOURCES` maps a grammar to
``"module:function"`` callables ``(project, file) -> Iterable[Issue]`` (Python models), and
:data:`HANDLER_SOURCES` lists ``"module:function"`` callables ``(project, file) -> Iterable[Handler]``
whose handlers this JS analysis then reads (Express, Fastify, Hono). Both lists are append-only.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from tree_sitter import Node

from clerk_lint.findings import Confidence, Level, Location
from clerk_lint.parsing import JS_FAMILY, captures, last_name, matches, string_value, text, walk
from clerk_lint.parsing import operator as _operator
from clerk_lint.parsing import unwrap as _unwrap
from clerk_lint.project.convex import parameter_patterns
from clerk_lint.project.guards import DATA_FACTORIES, DATA_NAMES, _is_data_package
from clerk_lint.project.js import FUNCTION_TYPES
from clerk_lint.project.symbols import EXTERNAL, FUNCTION, MODULE, VALUE
from clerk_lint.source import SourceFile

if TYPE_CHECKING:
    from clerk_lint.project import Project

# -- taint kinds -----------------------------------------------------------------------------------

CALLER = "caller"  # chosen by the caller
SESSION = "session"  # the signed-in user (or a record loaded for them)
RECORD = "record"  # a record loaded by a data-layer call
PARAM = "param"  # (helper summaries) the value of the function's n-th parameter
REQUEST = "request"  # the request object
CONTEXT = "context"  # route context / page props / getServerSideProps context
CONVEX_CTX = "convex-ctx"  # a Convex function's ctx
ACTION_CTX = "action-ctx"  # the ctx an action client's middleware built
DB = "db"  # a data client
CLERK_API = "clerk-api"  # a Clerk Backend API client

# -- how a handler's parameters carry input ----------------------------------------------------------

ROUTE_INPUT = "route"  # (request, { params })
PAGE_INPUT = "page"  # ({ params, searchParams })
PAGES_API_INPUT = "pages-api"  # (req, res)
GSSP_INPUT = "getServerSideProps"  # (context)
ACTION_INPUT = "action"  # every argument comes from the browser
SAFE_ACTION_INPUT = "safe-action"  # ({ parsedInput, ctx })
CONVEX_INPUT = "convex"  # (ctx, args)
EXPRESS_INPUT = "express"  # (req, res, next)
HELPER_INPUT = "helper"  # (summaries) every parameter is PARAM(i)

READ, WRITE, CREATE = "read", "write", "create"

#: names that hold the session user when a guarding wrapper passes them in, or on a custom ctx
SESSION_NAMES = frozenset({
    "userId", "user", "session", "sessionId", "auth", "identity", "viewer", "me", "currentUser", "orgId",
    "subject", "tokenIdentifier", "clerkUserId", "authUser", "sessionUser", "userIdentity",
})
#: owner keys: a caller value under one of these is an identity the caller chose (CLK302)
OWNER_WORDS = frozenset({
    "user", "owner", "author", "creator", "createdby", "clerk", "clerkuser", "org", "organization", "organisation",
    "tenant", "userclerk", "authuser",
})
#: tenant keys: scope a query like an owner key, but a caller value under them is a parent id (CLK301)
TENANT_WORDS = frozenset({"team", "workspace", "company", "account", "member", "membership", "group", "household", "family"})
ID_NAME = re.compile(r"(?:^|_)(?:id|ids|uuid|slug|key|handle|code)$|[a-z0-9](?:Id|Ids|ID|IDs|Uuid|Slug|Key)$|^_id$")
PUBLIC_KEYS = frozenset({"published", "ispublished", "public", "ispublic", "visibility", "status", "shared", "isshared", "listed"})
PUBLIC_VALUES = frozenset({"true", "'public'", '"public"', "'published'", '"published"', "'PUBLIC'", '"PUBLIC"', "'PUBLISHED'", '"PUBLISHED"'})
#: admin and role checks: endpoints that act on other users' records by design
PRIVILEGED = re.compile(
    r"\bhas\s*(?:\?\.)?\(\s*\{\s*(?:role|permission)\b"
    r"|\bprotect\s*\(\s*\{\s*(?:role|permission)\b"
    r"|\bprotect\s*\(\s*\(?\s*\w*\s*\)?\s*=>"
    r"|\b(?:is|require|assert|check|ensure|verify|only)_?(?:Super|Platform|Org)?_?Admins?\b"
    r"|\b(?:require|check|assert|ensure|verify|has|with)_?(?:Role|Permission|Roles|Permissions|Access)\b"
    r"|\.role\s*[!=]==?\s*['\"`]|['\"`]\s*[!=]==?\s*[\w.?]*\.role\b"
    r"|\broles?\s*(?:\?\.|\.)\s*includes\s*\("
    r"|\bisAdmin\b|\bisStaff\b|\bsuperuser\b|\bsuper_admin\b|\borgRole\b|\bADMIN_(?:USER_)?IDS?\b|\badminIds?\b",
    re.I,
)
PRIVILEGED_BYTES = re.compile(PRIVILEGED.pattern.encode(), re.I)
ROLE_KEY = re.compile(
    r"^(?:roles?|is_?admin|admin|is_?super_?admin|permissions?|plan|tier|subscription(?:_?tier|_?plan|_?status)?|credits?|"
    r"org_?role|access(?:_?level)?|staff|is_?staff|super_?user|is_?super_?user|user_?type|account_?type|is_?pro|pro|"
    r"premium|is_?premium|level|membership|is_?paid|paid|entitlements?)$",
    re.I,
)
METADATA_KEYS = frozenset({"publicMetadata", "privateMetadata", "public_metadata", "private_metadata"})
METADATA_WRITES = frozenset({"updateUserMetadata", "updateUser", "updateOrganizationMetadata", "updateOrganization"})
CLERK_USER_WRITES = frozenset({
    "deleteUser", "updateUser", "banUser", "unbanUser", "lockUser", "unlockUser", "updateUserMetadata",
    "deleteUserProfileImage", "updateUserProfileImage", "disableUserMFA", "verifyPassword",
})

PRISMA_READS = frozenset({
    "findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count", "aggregate", "groupBy",
})
PRISMA_WRITES = frozenset({"update", "updateMany", "updateManyAndReturn", "delete", "deleteMany", "upsert"})
PRISMA_CREATES = frozenset({"create", "createMany", "createManyAndReturn"})
MONGOOSE_BY_ID = frozenset({"findById", "findByIdAndUpdate", "findByIdAndDelete", "findByIdAndRemove", "findByPk"})
MONGOOSE_FILTER = frozenset({
    "findOne", "find", "updateOne", "updateMany", "deleteOne", "deleteMany", "findOneAndUpdate", "findOneAndDelete",
    "findOneAndRemove", "findOneAndReplace", "replaceOne", "countDocuments", "exists", "destroy",
})
MONGOOSE_CREATES = frozenset({"create", "insertMany"})
MONGOOSE_MODIFIERS = frozenset({"lean", "exec", "select", "populate", "sort", "limit", "skip", "orFail", "session", "then"})
CONVEX_DB = frozenset({"get", "patch", "replace", "delete", "insert", "query"})
CHAIN_READ = frozenset({"select", "selectDistinct", "selectFrom", "first", "pluck", "from", "table", "count", "findFirst", "findMany"})
CHAIN_UPDATE = frozenset({"update", "updateTable"})
CHAIN_DELETE = frozenset({"delete", "deleteFrom", "del"})
CHAIN_CREATE = frozenset({"insert", "insertInto", "values", "upsert"})
CHAIN_FILTER = frozenset({
    "where", "andWhere", "orWhere", "whereIn", "eq", "match", "in", "filter", "withIndex", "withSearchIndex", "having",
    "whereRef",
})
EQ_CALLS = frozenset({"eq", "inArray", "equals", "isIn"})
#: calls that return (a transformation of) their first argument or their receiver
CONVERTERS = frozenset({
    "Number", "String", "parseInt", "parseFloat", "BigInt", "decodeURIComponent", "decodeURI", "ObjectId", "toObjectId",
    "Boolean", "structuredClone",
})
PASS_METHODS = frozenset({
    "trim", "toString", "toLowerCase", "toUpperCase", "valueOf", "normalize", "trimStart", "trimEnd", "at", "toJSON",
})
PARSE_METHODS = frozenset({"parse", "safeParse", "parseAsync", "safeParseAsync", "validate", "validateSync", "cast", "fromEntries", "assert"})
ITERATORS = frozenset({"map", "forEach", "filter", "some", "every", "find", "findIndex", "flatMap", "findLast"})
RLS_TEXT = re.compile(rb"accessToken|getToken\s*\(|global\s*:\s*\{\s*headers\s*:\s*\{\s*[Aa]uthorization")
DB_HELPER_NAME = re.compile(r"(?:^|[a-z_])(?:db|Db|DB|database|Database|supabase|Supabase|prisma|Prisma|knex|drizzle|mongo|Mongo|sql|pool|Pool)", re.I)

FLOW_QUERY = "[(variable_declarator) @decl (assignment_expression) @assign (arrow_function) @fn (function_expression) @fn]"
CALL_QUERY = "(call_expression) @call"
COMPARE_QUERY = "(binary_expression) @cmp"
CONDITION_QUERY = """
[
  (if_statement condition: (_) @cond)
  (ternary_expression condition: (_) @cond)
  (while_statement condition: (_) @cond)
  (binary_expression left: (_) @cond operator: ["||" "??"] right: (call_expression) @exit)
]
"""
#: calls that end the request (Next.js navigation errors, Clerk redirects)
EXIT_NAMES = frozenset({"redirect", "permanentRedirect", "notFound", "unauthorized", "forbidden", "redirectToSignIn", "redirectToSignUp"})
MAX_DEPTH = 24
MAX_HELPER_DEPTH = 3

#: other sources of issues, by grammar: "module:function" with (project, file) -> Iterable[Issue]
SOURCES: dict[str, list[str]] = {
    "python": ["clerk_lint.project.python_authz:authz_source"],
}
#: other providers of JS handlers: "module:function" with (project, file) -> Iterable[Handler]
HANDLER_SOURCES: list[str] = ["clerk_lint.project.express:authz_handlers"]


def register(grammars: Iterable[str], source: str) -> None:
    """Add an issue source (``"module:function"``) for files of ``grammars``."""
    for grammar in grammars:
        SOURCES.setdefault(grammar, [])
        if source not in SOURCES[grammar]:
            SOURCES[grammar].append(source)


@dataclass(frozen=True)
class Issue:
    """One authorization problem, for the rule named by ``rule``."""

    rule: str
    file: SourceFile
    node: Node
    message: str
    confidence: Confidence = Confidence.HIGH
    level: Level | None = None
    related: tuple[Location, ...] = ()


@dataclass(frozen=True)
class Handler:
    """A function whose parameters the caller fills in."""

    file: SourceFile
    function: Node
    inputs: str  # ROUTE_INPUT, PAGE_INPUT, ...
    label: str  # "DELETE /api/notes/[id]", "Server Action deleteNote"
    wrapper_guard: bool = False  # a guarding wrapper passes the session user in
    session: bool = False  # the caller is known to be signed in (a guard, wrapper, layout or middleware)
    guarded: bool = False  # the function itself (or its wrapper or builder) checks the session
    action: object | None = None  # the Next.js entry of a Server Action (for client callers)


@dataclass(frozen=True, eq=False)
class Taint:
    kind: str
    source: str = ""  # CALLER: "the route params", "the JSON body"...
    name: str = ""  # the field or variable name
    node: Node | None = None  # where the value enters
    access: "Access | None" = None  # RECORD
    index: int = -1  # PARAM
    field: str = ""  # PARAM: the property destructured from the parameter

    @property
    def label(self) -> str:
        if self.kind == CALLER:
            return f"`{self.name}` from {self.source}" if self.name else self.source
        return f"`{self.name}`" if self.name else self.kind

    def derive(self, name: str) -> "Taint":
        return Taint(self.kind, self.source, name or self.name, self.node, self.access, self.index, self.field)

    def _key(self):
        return (self.kind, self.source, self.name, self.node, id(self.access), self.index, self.field)

    def __eq__(self, other):
        return isinstance(other, Taint) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())


EMPTY: frozenset[Taint] = frozenset()


@dataclass(eq=False)
class Access:
    """One data-layer call."""

    node: Node  # the whole call: findings point here
    layer: str  # "Prisma", "Drizzle", ...
    op: str  # READ, WRITE, CREATE
    verb: str  # "reads", "updates", "deletes", "creates"
    what: str  # "`db.note.delete()`"
    table: str = ""
    filters: list[tuple[tuple[str, ...], Node]] = field(default_factory=list)
    writes: list[tuple[tuple[str, ...], Node]] = field(default_factory=list)
    opaque: bool = False  # part of the filter could not be read (a variable, a spread)
    throws: bool = False  # *OrThrow: a missing record ends the request
    public: bool = False  # the filter selects public content (`published: true`)
    rls: bool = False  # a Supabase client acting with the user's own token (RLS decides)
    identity: bool = False  # the filter picks a user (Clerk Backend API): any caller id is an identity
    confidence: Confidence = Confidence.HIGH
    related: tuple[Location, ...] = ()
    #: (helper summaries) parameters whose comparison with the record vets it
    vet_params: set[int] = field(default_factory=set)
    #: synthetic accesses through a helper: arguments that vet the record when they are not caller values
    vet_args: list[Node] = field(default_factory=list)
    #: synthetic accesses: the helper scopes the call itself
    scoped_inside: bool = False
    #: the file whose names the table is resolved in (a helper's file for synthetic accesses)
    table_file: SourceFile | None = None


@dataclass
class HelperAccess:
    access: Access
    ids: list[tuple[tuple[str, ...], int, str]]  # (path, parameter index, field)
    owners: list[tuple[tuple[str, ...], int, str]]
    scoped: bool  # scoped inside the helper (session, or an owner key the helper fills itself)
    vetted: bool
    vet_params: set[int]


@dataclass
class HelperSummary:
    accesses: list[HelperAccess] = field(default_factory=list)
    session: bool = False  # it reads the session itself
    #: (parameter index, field name) of values it vouches for: they select a record whose owner it
    #: compares with the session user (``getHackathon(req)`` checking ``req.query.slug``)
    vets: set[tuple[int, str]] = field(default_factory=set)


NO_HELPER = HelperSummary()


class AuthzModel:
    def __init__(self, project: "Project") -> None:
        self.project = project
        self._issues: dict[str, list[Issue]] = {}
        self._helpers: dict[tuple[str, int], HelperSummary] = {}
        self._helper_depth = 0
        self._clients: dict = {}
        self._roots: dict[tuple[str, str, str], bool] = {}  # (file, kind, name) -> is a data / Clerk client
        self._shared: dict[tuple[str, int], bool] = {}  # table definition -> holds shared (catalogue) rows

    # -- the rules' question ---------------------------------------------------------------------

    def issues(self, file: SourceFile, rule: str) -> list[Issue]:
        """The issues of ``rule`` in ``file`` (every rule's issues are computed once per file)."""
        if file.rel not in self._issues:
            found: list[Issue] = []
            if file.grammar in JS_FAMILY:
                found.extend(self._js(file))
            for path in SOURCES.get(file.grammar or "", ()):
                found.extend(_load(path)(self.project, file))
            self._issues[file.rel] = found
        return [issue for issue in self._issues[file.rel] if issue.rule == rule]

    # -- JavaScript ------------------------------------------------------------------------------

    def _js(self, file: SourceFile) -> list[Issue]:
        found: list[Issue] = []
        facts = self.project.js(file)
        if b"unsafeMetadata" in file.data:
            found.extend(self._unsafe_metadata(file))
        if facts.directive == "use client":
            found.extend(self._client_checks(file))
            return found
        seen: set[tuple[int, int]] = set()
        flows = []
        for handler in self.handlers(file):
            key = (handler.function.start_byte, handler.function.end_byte)
            if key in seen or not parameter_patterns(handler.function):
                continue  # no parameters: nothing the caller chooses reaches this function
            seen.add(key)
            flow = _Flow(self, handler.file, handler.function, handler.inputs, handler)
            flow.run()
            flows.append(flow)
        scoped: set[str] = set()
        for flow in flows:
            scoped |= flow.scoped_tables()
        for flow in flows:
            found.extend(flow.issues(scoped))
        return found

    def handlers(self, file: SourceFile) -> list[Handler]:
        """The functions of ``file`` whose parameters the caller fills in."""
        found = list(self._next_handlers(file))
        found.extend(self._convex_handlers(file))
        for path in HANDLER_SOURCES:
            found.extend(h for h in _load(path)(self.project, file) if h.file is file)
        return found

    def _next_handlers(self, file: SourceFile) -> Iterable[Handler]:
        from clerk_lint.project.nextjs import ACTION, GSSP, PAGES_API, ROUTE

        nextjs = self.project.nextjs
        for entry in nextjs.entries(file):
            if entry.kind not in (ROUTE, ACTION, PAGES_API, GSSP, "page", "layout"):
                continue
            if entry.value is None or not nextjs.uses_clerk(entry):
                continue
            coverage = self.project.coverage.of(entry)
            if coverage.status == "public-purpose":
                continue  # a webhook receiver, Clerk's proxy, a framework adapter
            handler_file, function, wrapper = self.project.guards.entry(file, entry.value)
            if function is None or handler_file is not file:
                continue
            session = coverage.protected or wrapper is not None
            guarded = wrapper is not None or (coverage.status == "guarded" and coverage.how.startswith("in-handler guard"))
            if entry.kind == ROUTE:
                inputs = ROUTE_INPUT
            elif entry.kind == PAGES_API:
                inputs = PAGES_API_INPUT
            elif entry.kind == GSSP:
                inputs = GSSP_INPUT
            elif entry.kind == ACTION:
                inputs = ACTION_INPUT
                patterns = parameter_patterns(function)
                if entry.value is not function and patterns and patterns[0].type == "object_pattern" and any(
                    _pattern_key(p) in ("parsedInput", "ctx", "bindArgsParsedInputs") for p in patterns[0].named_children
                ):
                    inputs = SAFE_ACTION_INPUT
            else:
                inputs = PAGE_INPUT
            yield Handler(file, function, inputs, entry.label, wrapper_guard=wrapper is not None, session=session, guarded=guarded, action=entry if entry.kind == ACTION else None)

    def _convex_handlers(self, file: SourceFile) -> Iterable[Handler]:
        convex = self.project.convex
        for function in convex.functions(file):
            if not function.builder.public or function.builder.kind == "httpAction" or function.handler is None:
                continue
            if function.handler_file is not file or not convex.uses_clerk(file):
                continue
            guarded = function.builder.guard is not None or convex.unguarded(function)[1] is not None
            yield Handler(file, function.handler, CONVEX_INPUT, f"{function.label}", session=guarded, guarded=guarded)

    # -- helpers ---------------------------------------------------------------------------------

    def returns_client(self, file: SourceFile, function: Node) -> bool:
        """Whether a project function returns a data client it creates (``return createClient(...)``)."""
        key = ("client", str(file.path), function.start_byte)
        if key not in self._clients:
            found = False
            body = function.child_by_field_name("body")
            values = [body] if body is not None and body.type != "statement_block" else []
            if body is not None and body.type == "statement_block":
                values = [r.named_children[0] for r in captures(file.grammar, "(return_statement) @r", body).get("r", ()) if r.named_children]
            for value in values:
                value = _unwrap(value)
                if value is None or value.type not in ("call_expression", "new_expression"):
                    continue
                callee = value.child_by_field_name("function") or value.child_by_field_name("constructor")
                symbol = self.project.symbols.callee(file, callee)
                if _last(callee) in DATA_FACTORIES or (symbol.kind in (EXTERNAL, MODULE) and _is_data_package(symbol.source)):
                    found = True
                    break
            self._clients[key] = found
        return self._clients[key]

    def helper(self, file: SourceFile, function: Node) -> HelperSummary:
        """What a project function does with its parameters at the data layer (cached)."""
        key = (str(file.path), function.start_byte)
        if key in self._helpers:
            return self._helpers[key]
        if self._helper_depth >= MAX_HELPER_DEPTH:
            return NO_HELPER
        self._helpers[key] = NO_HELPER  # recursion ends here
        self._helper_depth += 1
        try:
            flow = _Flow(self, file, function, HELPER_INPUT, None)
            flow.run()
            summary = flow.summary()
        finally:
            self._helper_depth -= 1
        self._helpers[key] = summary
        return summary

    # -- catalogue tables ------------------------------------------------------------------------

    def shared_table(self, file: SourceFile, name: str) -> bool:
        """Whether the table ``name`` (as ``file`` names it) holds rows every user shares: its Drizzle
        definition (``pgTable('lessons', { ... })``) is found, none of its columns is owner-like (the
        test of :func:`clerk_lint.project.python_authz.owner_field`, plus tenant words), and every parent
        it links to (``.references(() => units.id)``, or a ``unitId`` column naming a table of the same
        schema) is shared too. Anything unresolved counts as per-user: only a proven catalogue is quiet."""
        if not name or not name.isidentifier():
            return False
        symbol = self.project.symbols.lookup(file, name)
        if symbol.kind != VALUE or symbol.file is None or symbol.node is None:
            return False
        return self._shared_definition(symbol.file, symbol.node, set())

    def _shared_definition(self, file: SourceFile, value: Node, seen: set[tuple[str, int]]) -> bool:
        key = (str(file.path), value.start_byte)
        if key in self._shared:
            return self._shared[key]
        if key in seen:
            return True  # a cycle: the tables on it decide by their own columns
        if len(seen) > 12:
            return False
        seen.add(key)
        found = self._shared_columns(file, value, seen)
        seen.discard(key)
        self._shared[key] = found
        return found

    def _shared_columns(self, file: SourceFile, value: Node, seen: set[tuple[str, int]]) -> bool:
        from clerk_lint.project.python_authz import owner_field

        node = _unwrap(value)
        if node.type != "call_expression":
            return False
        callee = _unwrap(node.child_by_field_name("function"))
        symbol = self.project.symbols.callee(file, callee) if callee is not None else None
        if symbol is None or not (symbol.kind in (EXTERNAL, MODULE) and (symbol.source or "").startswith("drizzle-orm")) or not _last(callee).endswith("Table"):
            return False
        args = node.child_by_field_name("arguments")
        arguments = [a for a in args.named_children if a.type != "comment"] if args is not None else []
        columns = _unwrap(arguments[1]) if len(arguments) >= 2 else None
        if columns is None or columns.type != "object":
            return False  # columns built by a callback or a variable: not read
        tables = {n.lower(): n for n in self.project.js(file).locals}
        for pair in columns.named_children:
            if pair.type == "comment":
                continue
            if pair.type != "pair":
                return False  # a spread of shared columns (`...ownerColumns`): unknown
            column = _key_text(pair.child_by_field_name("key"))
            definition = pair.child_by_field_name("value")
            names = [column] + [string_value(n) or "" for n in walk(definition) if n.type == "string"][:1]
            if any(owner_field(n) or _owner_word(n) or _tenant_word(n) for n in names if n):
                return False
            parents = []
            for inner in walk(definition):
                if inner.type == "call_expression" and _last(inner.child_by_field_name("function")) == "references":
                    target = _first_arg(inner.child_by_field_name("arguments"))
                    body = _unwrap(target.child_by_field_name("body")) if target is not None and target.type == "arrow_function" else None
                    obj = body.child_by_field_name("object") if body is not None and body.type == "member_expression" else None
                    if obj is None or obj.type != "identifier":
                        return False
                    parents.append(text(obj))
            plain = column.lower().replace("_", "")
            base = _normal(column)
            if not parents and base != plain:  # `unitId` with no `.references()`: a table of this schema by name
                parent = next((tables[c] for c in (base, base + "s", base + "es", base[:-1] + "ies") if c in tables), None)
                if parent is None:
                    return False
                parents.append(parent)
            for parent in parents:
                target = self.project.symbols.lookup(file, parent)
                if target.kind != VALUE or target.file is None or target.node is None:
                    return False
                if not self._shared_definition(target.file, target.node, seen):
                    return False
        return True

    # -- CLK302: the client component that passes the id ---------------------------------------

    def client_callers(self, action, index: int, name: str) -> list[Location]:
        """Arguments of calls to a Server Action from ``'use client'`` components that come from
        ``useUser()``/``useAuth()``: where the browser fills in the identity the action trusts."""
        key = f"{action.file.rel}:{action.name}:{index}:{name}"
        if key in self._clients:
            return self._clients[key]
        found: list[Location] = []
        self._clients[key] = found
        for file in self._client_files(action.file):
            found.extend(_client_arguments(self.project, file, action, index, name))
        return found

    def _client_files(self, near: SourceFile) -> list[SourceFile]:
        from clerk_lint.discovery import discover
        from clerk_lint.source import CODE

        app = self.project.nextjs.app_near(near.path)
        manifest = self.project.manifest_for(near)
        root = app.root if app is not None else (manifest.path.parent if manifest is not None and hasattr(manifest, "path") else near.real.parent)
        cache_key = f"files:{root}"
        if cache_key not in self._clients:
            files = []
            for candidate in discover([root], self.project.root).files:
                if candidate.kind != CODE or candidate.grammar not in JS_FAMILY:
                    continue
                try:
                    head = candidate.path.read_bytes()
                except OSError:
                    continue
                if b"use client" not in head or not (b"useUser" in head or b"useAuth" in head):
                    continue
                file = self.project.load(candidate.path)
                if file is not None:
                    files.append(file)
            self._clients[cache_key] = files
        return self._clients[cache_key]

    # -- CLK303 ----------------------------------------------------------------------------------

    def _unsafe_metadata(self, file: SourceFile) -> list[Issue]:
        client = self.project.js(file).directive == "use client" or _uses_client_hooks(file)
        found = []
        for node, key in _metadata_reads(file, "unsafeMetadata"):
            decision = _decision(node, file)
            if decision is None:
                continue
            where = "client code can be bypassed entirely, and " if client else ""
            message = (
                f"authorization decided on `unsafeMetadata.{key}` ({_short(decision)}): {where}unsafeMetadata is "
                f"writable by the signed-in user from the browser (`user.update({{ unsafeMetadata }})`), so anyone can "
                f"grant themselves `{key}`; keep roles in publicMetadata (or Clerk roles and permissions with `has()`)"
            )
            found.append(Issue("CLK303", file, node, message, Confidence.HIGH, Level.WARNING if client else None))
        return found

    # -- CLK304 ----------------------------------------------------------------------------------

    def _client_checks(self, file: SourceFile) -> list[Issue]:
        checks = _client_role_checks(self.project, file)
        if not checks:
            return []
        found = []
        for check, scope, how in checks:
            for target_location, target_label in self._unchecked_targets(file, scope):
                unresolved = "not found in this project" in target_label
                has = "" if unresolved else " has no role or permission check of its own, so anyone signed in can call it directly"
                message = (
                    f"{how} only in client code: {target_label} that this component calls{has}; check on the server "
                    f"(`has({{ role }})`, `auth.protect({{ role }})`) as well"
                )
                confidence = Confidence.LOW if unresolved else Confidence.MEDIUM
                found.append(Issue("CLK304", file, check, message, confidence, None, (target_location,)))
                break
        return found

    def _unchecked_targets(self, file: SourceFile, scope: Node) -> list[tuple[Location, str]]:
        """Server resources called from ``scope`` (Server Actions, ``fetch('/api/...')``) that have no
        role or permission check of their own."""
        found = []
        symbols = self.project.symbols
        for call in captures(file.grammar, CALL_QUERY, scope).get("call", ()):
            callee = call.child_by_field_name("function")
            if callee is None:
                continue
            if callee.type == "identifier" and text(callee) == "fetch":
                target = self._route_target(file, call)
                if target is not None:
                    found.append(target)
                continue
            if callee.type == "member_expression" and text(callee.child_by_field_name("property")) == "bind":
                callee = callee.child_by_field_name("object")
            if callee is None or callee.type != "identifier":
                continue
            symbol = symbols.lookup(file, text(callee))
            if symbol.file is None or symbol.node is None or symbol.kind not in (FUNCTION, VALUE):
                continue
            if self.project.js(symbol.file).directive != "use server":
                continue
            if not self._privileged_resource(symbol.file, symbol.node):
                found.append((symbol.file.node_location(symbol.node, f"Server Action {text(callee)} has no role check"), f"the Server Action `{text(callee)}`"))
        return found

    def _route_target(self, file: SourceFile, call: Node) -> tuple[Location, str] | None:
        from clerk_lint.project.nextjs import ROUTE

        args = call.child_by_field_name("arguments")
        if args is None or not args.named_children:
            return None
        url = _url_path(args.named_children[0])
        if url is None or not url.startswith("/api/"):
            return None
        method = "GET"
        if len(args.named_children) > 1 and args.named_children[1].type == "object":
            for pair in args.named_children[1].named_children:
                if pair.type == "pair" and text(pair.child_by_field_name("key")) == "method":
                    method = (string_value(pair.child_by_field_name("value")) or "GET").upper()
        app = self.project.nextjs.app_near(file.path)
        if app is None:
            return None
        parts = [p for p in url.split("?")[0].split("/") if p]
        for entry in self.project.nextjs.app_entries(app):
            if entry.kind != ROUTE or entry.name != method or not _url_matches(entry.segments, parts):
                continue
            if self._privileged_resource(entry.file, entry.value if entry.value is not None else entry.node):
                return None
            verdict = self.project.middleware_verdict(entry)
            if verdict is not None and verdict.state == "protected":
                middleware = self.project.nextjs.middleware(entry.app)
                if middleware is not None and PRIVILEGED.search(middleware.file.text if hasattr(middleware, "file") else ""):
                    return None
            return entry.file.node_location(entry.node, f"{entry.label} has no role check"), f"the route `{method} {url}`"
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            return file.node_location(call, "not found in this project"), f"the route `{method} {url}` (not found in this project, so its check cannot be confirmed)"
        return None

    def _privileged_resource(self, file: SourceFile, node: Node) -> bool:
        """Whether a server resource checks a role or permission: in its body, in the action client or
        wrapper it is built with, or in a helper it calls."""
        body = text(node)
        if PRIVILEGED.search(body):
            return True
        root = node
        while root.type in ("call_expression", "member_expression"):
            inner = root.child_by_field_name("function") or root.child_by_field_name("object")
            if inner is None:
                break
            root = inner
        if root.type == "identifier":
            symbol = self.project.symbols.lookup(file, text(root))
            if symbol.node is not None and PRIVILEGED.search(text(symbol.node)):
                return True
        for call in captures(file.grammar, CALL_QUERY, node).get("call", ()):
            symbol = self.project.symbols.callee(file, call.child_by_field_name("function"))
            if symbol.kind == FUNCTION and symbol.node is not None and symbol.file is not None and PRIVILEGED.search(text(symbol.node)):
                return True
        return False


def _load(path: str):
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)


# -- the flow of one function ------------------------------------------------------------------------


class _Flow:
    """The values of one function's body, in order, and the data-layer calls they reach."""

    def __init__(self, model: AuthzModel, file: SourceFile, function: Node, inputs: str, handler: Handler | None) -> None:
        self.model = model
        self.project = model.project
        self.file = file
        self.function = function
        self.inputs = inputs
        self.handler = handler
        self.env: dict[str, frozenset[Taint]] = {}
        self.values: dict[str, Node] = {}  # a local's (last) value, to read `where: filter`
        self.accesses: dict[Node, Access | None] = {}
        self.bound: dict[Access, set[str]] = {}  # names a record was bound to
        self.session_seen = False
        self.vetted: set[Access] = set()
        self.evidence: dict[Access, Node] = {}  # a vetted record -> the comparison or lookup that vetted it
        self.vetted_values: dict[str, list[Node]] = {}  # caller value -> where it was vetted
        self.vetted_names: dict[str, list[Node]] = {}  # request field name -> where a helper vetted it
        self.tested: set[str] = set()
        self.skip: list[tuple[int, int]] = []
        self.privileged = bool(PRIVILEGED_BYTES.search(function.text or b""))
        self.param_nodes: list[Node] = []
        self._active = 0  # taint evaluations in progress (a budget against hostile nesting)
        self._memo: dict[Node, frozenset[Taint]] | None = None  # set once the environment is complete

    # -- building the environment ----------------------------------------------------------------

    def run(self) -> None:
        if self.handler is not None or self.inputs == HELPER_INPUT:
            self.skip = [r for r in self.project.nextjs.inline_actions(self.file) if r != (self.function.start_byte, self.function.end_byte)]
        self._parameters()
        body = self.function.child_by_field_name("body")
        if body is None:
            return
        found = captures(self.file.grammar, FLOW_QUERY, body)
        nodes = sorted(
            [(n, "decl") for n in found.get("decl", ())] + [(n, "assign") for n in found.get("assign", ())] + [(n, "fn") for n in found.get("fn", ())],
            key=lambda item: item[0].start_byte,
        )
        for node, kind in nodes:
            if self._skipped(node):
                continue
            if kind == "decl":
                pattern = node.child_by_field_name("name")
                value = node.child_by_field_name("value")
                if pattern is not None and value is not None:
                    self._bind(pattern, value)
            elif kind == "assign":
                left = node.child_by_field_name("left")
                right = node.child_by_field_name("right")
                if left is not None and right is not None and left.type == "identifier":
                    name = text(left)
                    self.env[name] = self.env.get(name, EMPTY) | self.taint(right)
                    self.values[name] = right
            else:
                self._callback(node)
        for _, match in matches(self.file.grammar, CONDITION_QUERY, body):
            condition = match["cond"][0]
            exit_call = match.get("exit")
            if exit_call:
                if _last(exit_call[0].child_by_field_name("function")) in EXIT_NAMES:  # `note ?? notFound()`
                    self.tested.update(text(n) for n in walk(condition) if n.type == "identifier")
                continue
            statement = condition.parent
            if statement is None or statement.type != "if_statement" or not _exits(statement.child_by_field_name("consequence")):
                continue  # `if (found) { ... }` does not stop the request when nothing was found
            for node in walk(condition):
                if node.type == "identifier" and _absence_test(node, condition):
                    self.tested.add(text(node))
        for call in captures(self.file.grammar, CALL_QUERY, body).get("call", ()):
            if not self._skipped(call) and _chain_head(call):
                self.access(call)
        self._memo = {}
        self._vet(body)

    def _skipped(self, node: Node) -> bool:
        return any(start <= node.start_byte < end for start, end in self.skip)

    def _parameters(self) -> None:
        patterns = parameter_patterns(self.function)
        self.param_nodes = patterns
        inputs = self.inputs
        wrapper = self.handler is not None and self.handler.wrapper_guard
        for index, pattern in enumerate(patterns):
            taint: frozenset[Taint] = EMPTY
            if inputs == HELPER_INPUT:
                if pattern.type == "object_pattern":
                    for prop in pattern.named_children:
                        key = _pattern_key(prop)
                        target = _pattern_target(prop)
                        if key and target is not None:
                            self._bind_taint(target, frozenset({Taint(PARAM, name=key, index=index, field=key)}))
                    continue
                taint = frozenset({Taint(PARAM, name=text(pattern), index=index)})
            elif inputs == ACTION_INPUT:
                if wrapper and _is_session_name(pattern):
                    taint = frozenset({Taint(SESSION, name=text(pattern))})
                elif _is_form_data(pattern, self.function, index):
                    taint = frozenset({Taint(CALLER, "the submitted form data", "", pattern)})
                else:
                    taint = frozenset({Taint(CALLER, "the Server Action's arguments", text(pattern) if pattern.type == "identifier" else "", pattern)})
            elif inputs == SAFE_ACTION_INPUT and index == 0 and pattern.type == "object_pattern":
                for prop in pattern.named_children:
                    key = _pattern_key(prop)
                    target = _pattern_target(prop)
                    if target is None:
                        continue
                    if key in ("parsedInput", "bindArgsParsedInputs", "clientInput", "input"):
                        self._bind_taint(target, frozenset({Taint(CALLER, "the action's input", "", prop)}))
                    elif key == "ctx":
                        self._bind_taint(target, frozenset({Taint(ACTION_CTX)}))
                continue
            elif inputs == CONVEX_INPUT:
                if index == 0:
                    taint = frozenset({Taint(CONVEX_CTX)})
                elif index == 1:
                    taint = frozenset({Taint(CALLER, "the function's arguments", "", pattern)})
            elif _is_session_name(pattern) and (wrapper or index >= 2):
                taint = frozenset({Taint(SESSION, name=text(pattern))})
            elif inputs in (ROUTE_INPUT, PAGES_API_INPUT, EXPRESS_INPUT):
                if index == 0:
                    taint = frozenset({Taint(REQUEST)})
                elif index == 1 and inputs == ROUTE_INPUT:
                    taint = frozenset({Taint(CONTEXT)})
                elif wrapper and pattern.type == "object_pattern":
                    taint = frozenset({Taint(CONTEXT)})
            elif inputs in (PAGE_INPUT, GSSP_INPUT) and index == 0:
                taint = frozenset({Taint(CONTEXT)})
            if taint:
                self._bind_taint(pattern, taint)

    def _bind(self, pattern: Node, value: Node) -> None:
        inner = _unwrap(value)
        if pattern.type == "array_pattern" and inner.type == "call_expression" and text(inner.child_by_field_name("function")) == "Promise.all":
            args = inner.child_by_field_name("arguments")
            array = args.named_children[0] if args is not None and args.named_children else None
            if array is not None and array.type == "array":
                elements = [e for e in pattern.named_children if e.type != "comment"]
                for position, element in enumerate(elements):
                    item = array.named_children[position] if position < len(array.named_children) else None
                    if item is not None:
                        self._bind(element, item)
                return
        taint = self.taint(value)
        if pattern.type == "identifier":
            self.values[text(pattern)] = inner
        access = self.accesses.get(inner) if inner.type == "call_expression" else None
        if access is not None:
            self.bound.setdefault(access, set()).update(_names(pattern))
        self._bind_taint(pattern, taint)

    def _bind_taint(self, pattern: Node, taint: frozenset[Taint]) -> None:
        if pattern.type in ("identifier", "shorthand_property_identifier_pattern"):
            self.env[text(pattern)] = taint
            if any(t.kind == SESSION for t in taint):
                self.session_seen = True
            return
        if pattern.type == "assignment_pattern":
            left = pattern.child_by_field_name("left")
            if left is not None:
                self._bind_taint(left, taint)
            return
        if pattern.type == "object_pattern":
            for prop in pattern.named_children:
                if prop.type == "rest_pattern":
                    target = prop.named_children[0] if prop.named_children else None
                    if target is not None:
                        self._bind_taint(target, taint)
                    continue
                key = _pattern_key(prop)
                target = _pattern_target(prop)
                if key and target is not None:
                    self._bind_taint(target, self._fields(taint, key))
            return
        if pattern.type == "array_pattern":
            for element in pattern.named_children:
                if element.type == "rest_pattern" and element.named_children:
                    self._bind_taint(element.named_children[0], taint)
                elif element.type != "comment":
                    self._bind_taint(element, taint)

    def _callback(self, function: Node) -> None:
        """``items.map((item) => ...)``: the element is what the array holds; ``$transaction(tx => ...)``:
        ``tx`` is a data client."""
        args = function.parent
        call = args.parent if args is not None and args.type == "arguments" else None
        if call is None or call.type != "call_expression":
            return
        callee = call.child_by_field_name("function")
        patterns = parameter_patterns(function)
        if callee is None or not patterns:
            return
        name = _last(callee)
        if name in ("$transaction", "transaction") :
            self._bind_taint(patterns[0], frozenset({Taint(DB)}))
            return
        if name in ITERATORS and callee.type == "member_expression":
            receiver = self.taint(callee.child_by_field_name("object"))
            element = frozenset(t for t in receiver if t.kind in (CALLER, SESSION, RECORD, PARAM))
            if element:
                self._bind_taint(patterns[0], element)

    # -- taints ----------------------------------------------------------------------------------

    def taint(self, node: Node | None, depth: int = 0) -> frozenset[Taint]:
        """The taints of an expression (bounded: nested calls and accesses share one depth budget;
        memoised once the environment is complete)."""
        if node is None or depth > MAX_DEPTH or self._active > 2 * MAX_DEPTH:
            return EMPTY
        if self._memo is not None and node in self._memo:
            return self._memo[node]
        self._active += 1
        try:
            found = self._taint(node, depth)
        finally:
            self._active -= 1
        if self._memo is not None:
            self._memo[node] = found
        return found

    def _taint(self, node: Node, depth: int) -> frozenset[Taint]:
        node = _unwrap(node)
        kind = node.type
        if kind in ("identifier", "shorthand_property_identifier"):
            return self.env.get(text(node), EMPTY)
        if kind in ("member_expression", "subscript_expression"):
            obj = node.child_by_field_name("object")
            if kind == "member_expression":
                name = text(node.child_by_field_name("property"))
            else:
                name = string_value(node.child_by_field_name("index")) or ""
            return self._fields(self.taint(obj, depth + 1), name)
        if kind == "call_expression":
            return self._call(node, depth)
        if kind == "new_expression":
            ctor = node.child_by_field_name("constructor")
            args = node.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            if ctor is not None and _last(ctor) == "URL":
                return frozenset(t for t in self.taint(first, depth + 1) if t.kind == REQUEST)
            if ctor is not None and _last(ctor) in CONVERTERS:
                return self.taint(first, depth + 1)
            return EMPTY
        if kind == "binary_expression" and _operator(node) in ("??", "||", "&&"):
            return self.taint(node.child_by_field_name("left"), depth + 1) | self.taint(node.child_by_field_name("right"), depth + 1)
        if kind == "ternary_expression":
            return self.taint(node.child_by_field_name("consequence"), depth + 1) | self.taint(node.child_by_field_name("alternative"), depth + 1)
        if kind == "template_string":
            found = EMPTY
            for child in node.named_children:
                if child.type == "template_substitution" and child.named_children:
                    found |= self.taint(child.named_children[0], depth + 1)
            return frozenset(t for t in found if t.kind in (CALLER, SESSION, PARAM, RECORD))
        if kind == "array":
            found = EMPTY
            for child in node.named_children[:16]:
                found |= self.taint(child, depth + 1)
            return found
        return EMPTY

    def _fields(self, taints: frozenset[Taint], name: str) -> frozenset[Taint]:
        found = set()
        for taint in taints:
            kind = taint.kind
            if kind in (CALLER, SESSION, RECORD, PARAM):
                found.add(taint.derive(name))
            elif kind == REQUEST:
                if name in ("nextUrl", "url"):
                    found.add(taint)
                elif name == "searchParams":
                    found.add(Taint(CALLER, "the search params"))
                elif name == "query":
                    found.add(Taint(CALLER, "the query string"))
                elif name == "body":
                    found.add(Taint(CALLER, "the request body"))
                elif name == "params":
                    found.add(Taint(CALLER, "the route params"))
                elif name == "auth":
                    found.add(Taint(SESSION, name="auth"))
            elif kind == CONTEXT:
                if name == "params":
                    found.add(Taint(CALLER, "the route params"))
                elif name == "searchParams":
                    found.add(Taint(CALLER, "the search params"))
                elif name == "query" and self.inputs == GSSP_INPUT:
                    found.add(Taint(CALLER, "the query string"))
                elif name == "req":
                    found.add(Taint(REQUEST))
            elif kind == CONVEX_CTX:
                if name == "db":
                    found.add(Taint(DB, "convex"))
                elif name in SESSION_NAMES and name != "auth":  # ctx.auth is the API, ctx.user a custom ctx's user
                    found.add(Taint(SESSION, name=name))
            elif kind == ACTION_CTX:
                if name in SESSION_NAMES:
                    found.add(Taint(SESSION, name=name))
        if any(t.kind == SESSION for t in found):
            self.session_seen = True
        return frozenset(found)

    def _call(self, call: Node, depth: int) -> frozenset[Taint]:
        callee = _unwrap(call.child_by_field_name("function"))
        args = call.child_by_field_name("arguments")
        arguments = [a for a in args.named_children if a.type != "comment"] if args is not None and args.type == "arguments" else []
        first = arguments[0] if arguments else None
        if callee is None:
            return EMPTY
        name = _last(callee)
        if callee.type == "member_expression":
            receiver = self.taint(callee.child_by_field_name("object"), depth + 1)
            kinds = {t.kind for t in receiver}
            if name in ("get", "getAll") and CALLER in kinds:
                key = string_value(first) or ""
                return frozenset(t.derive(key) for t in receiver if t.kind == CALLER)
            if REQUEST in kinds:
                if name == "json":
                    return frozenset({Taint(CALLER, "the JSON body", "", call)})
                if name == "formData":
                    return frozenset({Taint(CALLER, "the submitted form data", "", call)})
                if name == "text":
                    return frozenset({Taint(CALLER, "the request body", "", call)})
                if name == "auth":
                    self.session_seen = True
                    return frozenset({Taint(SESSION, name="auth")})
            if name in PASS_METHODS:
                return receiver
            if name in PARSE_METHODS:
                return self.taint(first, depth + 1)
            if name == "all" and text(callee.child_by_field_name("object")) == "Promise":
                return self.taint(first, depth + 1)
        if self.project.guards.session_call(self.file, call):
            if name == "getUserIdentity" and (call.parent is None or call.parent.type != "await_expression"):
                return EMPTY  # a Promise, not an identity (CLK205)
            self.session_seen = True
            return frozenset({Taint(SESSION, name="session")})
        access = self.access(call)
        if access is not None:
            if self._scoped(access) and access.op == READ:
                self.session_seen = True
                return frozenset({Taint(SESSION, name=access.table or "record")})
            return frozenset({Taint(RECORD, name=access.table, access=access)})
        if callee.type == "identifier" and name in CONVERTERS:
            return self.taint(first, depth + 1)
        client = self._client_value(call, callee)
        if client:
            return client
        symbol = self.project.guards._function_symbol(self.file, callee)
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            summary = self.project.guards.summary(symbol.file, symbol.node)
            if summary.auth_source or summary.guards is not None:
                self.session_seen = True
                return frozenset({Taint(SESSION, name=name)})
            found = EMPTY
            for argument in arguments:
                found |= self.taint(argument, depth + 1)
            kinds = {t.kind for t in found}
            if SESSION in kinds and CALLER not in kinds:
                return frozenset({Taint(SESSION, name=name)})
        return EMPTY

    def _client_value(self, call: Node, callee: Node) -> frozenset[Taint]:
        """Data clients created in the function (``await createClient()``) and Clerk clients."""
        symbol = self.project.symbols.callee(self.file, callee)
        if symbol.clerk("clerkClient", "createClerkClient"):
            return frozenset({Taint(CLERK_API)})
        name = _last(callee)
        if callee.type != "identifier":
            return EMPTY
        rls = False
        if symbol.kind == FUNCTION and symbol.node is not None:
            if not DB_HELPER_NAME.search(name) and not self.model.returns_client(symbol.file, symbol.node):
                return EMPTY
            rls = RLS_TEXT.search(symbol.node.text) is not None
        elif name not in DATA_FACTORIES and not (symbol.kind in (EXTERNAL, MODULE) and _is_data_package(symbol.source) and name.startswith("create")):
            return EMPTY
        rls = rls or RLS_TEXT.search(call.text) is not None
        return frozenset({Taint(DB, "rls" if rls else "")})

    # -- data-layer calls ------------------------------------------------------------------------

    def access(self, call: Node) -> Access | None:
        if call in self.accesses:
            return self.accesses[call]
        if not _chain_head(call):
            return None  # `Note.findById(id)` in `Note.findById(id).lean()`: the whole chain is one call
        self.accesses[call] = None
        found = self._recognise(call)
        self.accesses[call] = found
        return found

    def _recognise(self, call: Node) -> Access | None:
        args = call.child_by_field_name("arguments")
        if args is not None and args.type == "template_string":
            return self._raw_sql_template(call, args)
        chain = _decompose(call)
        if chain is None:
            return None
        root, steps = chain
        if not steps:
            return self._helper_access(call)
        while len(steps) > 1 and steps[-1][0] in ("then", "catch", "finally"):
            steps = steps[:-1]
        names = [s[0] for s in steps]
        root_taint = self.taint(root) if root.type in ("identifier", "call_expression") else EMPTY
        root_kinds = {t.kind for t in root_taint}
        rls = any(t.kind == DB and t.source == "rls" for t in root_taint)
        # Convex: ctx.db.* / db.* (db destructured from ctx)
        convex_db = None
        if CONVEX_CTX in root_kinds and names[0] == "db" and len(steps) >= 2:
            convex_db = steps[1:]
        elif any(t.kind == DB and t.source == "convex" for t in root_taint):
            convex_db = steps
        if convex_db is not None:
            return self._convex(call, convex_db, text(root))
        if CLERK_API in root_kinds or self._is_clerk_root(root):
            return self._clerk_api(call, steps)
        if root.type == "identifier" and root.text[:1].isupper() and steps[0][0] in MONGOOSE_BY_ID | MONGOOSE_FILTER | MONGOOSE_CREATES and all(
            name in MONGOOSE_MODIFIERS for name in names[1:]
        ):
            return self._mongoose(call, root, steps)
        db_root = DB in root_kinds or self._is_db_root(root)
        if not db_root:
            return None
        if rls or self._rls_root(root):
            return Access(call, "Supabase", READ, "reads", f"`{_short_callee(call)}`", rls=True)
        last = steps[-1]
        if len(steps) >= 2 and last[1] is not None and steps[-2][1] is None and (last[0] in PRISMA_READS | PRISMA_WRITES | PRISMA_CREATES):
            return self._prisma(call, root, steps)
        if len(steps) == 1 and last[0] in ("query", "execute", "$queryRawUnsafe", "$executeRawUnsafe", "raw", "unsafe"):
            return self._raw_sql_call(call, steps[0])
        return self._builder(call, root, steps)

    def _is_db_root(self, root: Node) -> bool:
        if root.type == "identifier" and text(root) not in self.env:
            key = (self.file.rel, "db", text(root))
            cached = self.model._roots.get(key)
            if cached is None:
                cached = self.model._roots[key] = self._db_symbol(root)
            return cached
        return self._db_symbol(root)

    def _db_symbol(self, root: Node) -> bool:
        if root.type == "call_expression":  # knex('notes'), (await createClient()), getDb()
            callee = _unwrap(root.child_by_field_name("function"))
            if callee is None or callee.type != "identifier":
                return False
            return bool(self._client_value(root, callee)) or self._is_db_root(callee)
        if root.type != "identifier":
            return False
        name = text(root)
        if name in self.env:
            return any(t.kind == DB for t in self.env[name])
        symbol = self.project.symbols.lookup(self.file, name)
        if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
            return self.project.guards.is_data_value(symbol.file, symbol.node)
        if symbol.kind in (EXTERNAL, MODULE):
            return _is_data_package(symbol.source) or name in DATA_NAMES
        if symbol.kind == FUNCTION:
            return False
        return name in DATA_NAMES or name in ("tx", "trx", "supabase", "sb", "prismaClient")

    def _rls_root(self, root: Node) -> bool:
        if root.type == "call_expression":
            callee = _unwrap(root.child_by_field_name("function"))
            if callee is not None and callee.type == "identifier":
                symbol = self.project.symbols.lookup(self.file, text(callee))
                if symbol.kind == FUNCTION and symbol.node is not None:
                    return RLS_TEXT.search(symbol.node.text) is not None
                return RLS_TEXT.search(root.text) is not None
            return False
        if root.type != "identifier":
            return False
        symbol = self.project.symbols.lookup(self.file, text(root))
        return symbol.kind == VALUE and symbol.node is not None and RLS_TEXT.search(symbol.node.text) is not None

    def _is_clerk_root(self, root: Node) -> bool:
        if root.type not in ("identifier", "call_expression"):
            return False
        key = (self.file.rel, "clerk", text(root) if root.type == "identifier" else text(root.child_by_field_name("function")))
        cached = self.model._roots.get(key)
        if cached is None:
            cached = self.model._roots[key] = self._clerk_symbol(root)
        return cached

    def _clerk_symbol(self, root: Node) -> bool:
        if root.type == "call_expression":
            callee = root.child_by_field_name("function")
            return self.project.symbols.callee(self.file, callee).clerk("clerkClient", "createClerkClient")
        if root.type == "identifier":
            symbol = self.project.symbols.lookup(self.file, text(root))
            if symbol.clerk("clerkClient"):
                return True
            if symbol.kind == VALUE and symbol.node is not None and b"createClerkClient" in symbol.node.text:
                return True
        return False

    def _prisma(self, call: Node, root: Node, steps) -> Access | None:
        method = steps[-1][0]
        model = steps[-2][0]
        argument = _first_arg(steps[-1][1])
        argument = self._object(argument)
        what = f"`{_short_callee(call)}`"
        layer = "Drizzle" if len(steps) >= 3 and steps[-3][0] == "query" else "Prisma"
        if method in PRISMA_CREATES:
            access = Access(call, layer, CREATE, "creates", what, model)
            if argument is not None:
                data = _property(argument, "data")
                data = self._object(data)
                if data is not None:
                    access.writes = _pairs(data)
            return access
        verb = "reads" if method in PRISMA_READS else ("deletes" if method.startswith("delete") else "updates")
        op = READ if method in PRISMA_READS else WRITE
        # Prisma's single-record update/delete throw when no row matches the filter (P2025), unless
        # the chain catches it
        throws = method.endswith("OrThrow") or (
            layer == "Prisma" and method in ("update", "delete") and _last(call.child_by_field_name("function")) == method
        )
        access = Access(call, layer, op, verb, what, model, throws=throws)
        if argument is None:
            access.opaque = True
            return access
        where = _property(argument, "where")
        if where is None:
            return access
        self._filters(access, where)
        for key in ("data", "update", "create"):
            data = self._object(_property(argument, key))
            if data is not None:
                access.writes.extend(_pairs(data))
        return access

    def _mongoose(self, call: Node, root: Node, steps) -> Access | None:
        method, args, _ = steps[0]
        if method not in MONGOOSE_BY_ID | MONGOOSE_FILTER | MONGOOSE_CREATES or args is None:
            return None
        confirmed = self._mongoose_model(root)
        if not confirmed and method not in MONGOOSE_BY_ID:
            return None
        model = text(root)
        what = f"`{_short_callee(call)}`"
        arguments = [a for a in args.named_children if a.type != "comment"]
        confidence = Confidence.HIGH if confirmed else Confidence.MEDIUM
        layer = "Sequelize" if method == "findByPk" else "Mongoose"
        if method in MONGOOSE_CREATES:
            access = Access(call, layer, CREATE, "creates", what, model, confidence=confidence)
            data = self._object(arguments[0] if arguments else None)
            if data is not None:
                access.writes = _pairs(data)
            return access
        verb = "reads"
        op = READ
        if "Update" in method or method.startswith(("update", "replace")):
            verb, op = "updates", WRITE
        elif "Delete" in method or "Remove" in method or method.startswith(("delete", "destroy")):
            verb, op = "deletes", WRITE
        access = Access(call, layer, op, verb, what, model, confidence=confidence)
        if not arguments:
            return access
        if method in MONGOOSE_BY_ID:
            access.filters = [(("_id",), arguments[0])]
            if len(arguments) > 1 and op == WRITE:
                data = self._object(arguments[1])
                if data is not None:
                    access.writes = _pairs(data)
            return access
        filter_node = self._object(arguments[0])
        if filter_node is None:
            access.opaque = True
            return access
        where = _property(filter_node, "where")  # Sequelize
        self._filters(access, where if where is not None else filter_node)
        if len(arguments) > 1 and op == WRITE:
            data = self._object(arguments[1])
            if data is not None:
                access.writes = _pairs(data)
        return access

    def _mongoose_model(self, root: Node) -> bool:
        symbol = self.project.symbols.lookup(self.file, text(root))
        if symbol.kind == VALUE and symbol.node is not None:
            return b"model" in symbol.node.text or b"Model" in symbol.node.text
        if symbol.kind in (EXTERNAL, MODULE):
            return "model" in (symbol.source or "").lower()
        return any(b.source == "mongoose" for b in self.project.js(self.file).imports)

    def _convex(self, call: Node, steps, root_text: str) -> Access | None:
        method, args, _ = steps[0]
        if method not in CONVEX_DB or args is None:
            return None
        arguments = [a for a in args.named_children if a.type != "comment"]
        what = f"`{_short_callee(call)}`"
        if method == "insert":
            table = string_value(arguments[0]) if arguments else ""
            access = Access(call, "Convex", CREATE, "creates", what, table or "")
            data = self._object(arguments[1] if len(arguments) > 1 else None)
            if data is not None:
                access.writes = _pairs(data)
            return access
        if method == "query":
            table = string_value(arguments[0]) if arguments else ""
            access = Access(call, "Convex", READ, "reads", what, table or "")
            for name, step_args, _ in steps[1:]:
                if name in ("withIndex", "withSearchIndex", "filter") and step_args is not None:
                    for argument in step_args.named_children:
                        if argument.type in FUNCTION_TYPES:
                            access.filters.extend(_eq_pairs(argument))
            return access
        table = ""
        if arguments and arguments[0].type == "string" and len(arguments) >= (1 if method in ("get", "delete") else 2) + 1:
            table = string_value(arguments[0]) or ""
            arguments = arguments[1:]
        if not arguments:
            return None
        verb = {"get": "reads", "patch": "updates", "replace": "replaces", "delete": "deletes"}[method]
        access = Access(call, "Convex", READ if method == "get" else WRITE, verb, what, table)
        access.filters = [(("_id",), arguments[0])]
        if method in ("patch", "replace") and len(arguments) > 1:
            data = self._object(arguments[1])
            if data is not None:
                access.writes = _pairs(data)
        return access

    def _clerk_api(self, call: Node, steps) -> Access | None:
        names = [s[0] for s in steps]
        method = names[-1]
        if "users" not in names or method not in CLERK_USER_WRITES or steps[-1][1] is None:
            return None
        first = _first_arg(steps[-1][1])
        if first is None:
            return None
        verb = "deletes" if method.startswith("delete") else "changes"
        access = Access(call, "Clerk", WRITE, verb, f"`{_short_callee(call)}`", "user", identity=True)
        access.filters = [(("userId",), first)]
        return access

    def _builder(self, call: Node, root: Node, steps) -> Access | None:
        op = None
        verb = ""
        table = ""
        access = Access(call, "", READ, "reads", f"`{_short_callee(call)}`")
        layer = "query builder"
        if root.type == "call_expression":  # knex('notes')
            table = string_value(_first_arg(root.child_by_field_name("arguments"))) or ""
            if table:
                layer = "Knex"
        for name, args, _ in steps:
            first = _first_arg(args) if args is not None else None
            if name in CHAIN_UPDATE:
                op, verb = WRITE, "updates"
                table = table or _table_name(first)
                data = self._object(first) if name == "update" else None
                if data is not None:
                    access.writes.extend(_pairs(data))
            elif name in CHAIN_DELETE:
                op, verb = WRITE, "deletes"
                table = table or _table_name(first)
            elif name in CHAIN_CREATE:
                if name == "upsert":
                    op, verb = WRITE, "upserts"
                elif op in (None, READ):  # `.from('t').insert(...)`: `from` named the table only
                    op, verb = CREATE, "creates"
                table = table or _table_name(first) if name in ("insert", "insertInto") and first is not None and first.type != "object" else table
                data = self._object(first)
                if data is None and first is not None and first.type == "array" and first.named_children:
                    data = self._object(first.named_children[0])
                if data is not None:
                    access.writes.extend(_pairs(data))
            elif name in ("set",) and args is not None:
                data = self._object(first)
                if data is not None:
                    access.writes.extend(_pairs(data))
            elif name in CHAIN_READ:
                if op is None:
                    op, verb = READ, "reads"
                if name in ("from", "selectFrom", "table") and first is not None:
                    table = _table_name(first) or table
                    if name == "from" and first.type == "string":
                        layer = "Supabase" if layer == "query builder" else layer
            elif name in CHAIN_FILTER and args is not None:
                self._chain_filter(access, name, args)
        if op is None:
            return None
        if layer == "query builder":
            kinds = {s[0] for s in steps}
            if kinds & {"selectFrom", "updateTable", "deleteFrom", "insertInto"}:
                layer = "Kysely"
            elif kinds & {"eq", "match"}:
                layer = "Supabase"
            else:
                layer = "Drizzle"
        access.layer = layer
        access.op = op
        access.verb = verb
        access.table = table
        if layer in ("Knex", "Supabase"):
            access.confidence = Confidence.MEDIUM
        return access

    def _chain_filter(self, access: Access, name: str, args: Node) -> None:
        arguments = [a for a in args.named_children if a.type != "comment"]
        if not arguments:
            return
        first = arguments[0]
        if len(arguments) == 1:
            obj = self._object(first)
            if obj is not None:
                access.filters.extend(_pairs(obj))
                return
            pairs = _eq_pairs(first)
            if pairs:
                access.filters.extend(pairs)
            elif first.type == "identifier" or first.type == "spread_element":
                access.opaque = True
            return
        column = _column_name(first)
        if column is None:
            pairs = []
            for argument in arguments:
                pairs.extend(_eq_pairs(argument))
            access.filters.extend(pairs)
            return
        if len(arguments) == 2:
            access.filters.append(((column,), arguments[1]))
        elif len(arguments) >= 3 and arguments[1].type == "string" and (string_value(arguments[1]) or "").lower() in ("=", "==", "eq", "in", "is"):
            access.filters.append(((column,), arguments[2]))

    def _filters(self, access: Access, where: Node) -> None:
        obj = self._object(where)
        if obj is not None:
            access.filters.extend(_pairs(obj))
            if any(child.type == "spread_element" for node in walk(obj) for child in ([node] if node.type == "spread_element" else [])):
                access.opaque = True
            return
        pairs = _eq_pairs(where)
        if pairs:
            access.filters.extend(pairs)
        else:
            access.opaque = True

    def _object(self, node: Node | None) -> Node | None:
        """An object literal, directly or through a local that holds one."""
        if node is None:
            return None
        node = _unwrap(node)
        if node.type == "object":
            return node
        if node.type == "identifier":
            value = self.values.get(text(node))
            if value is not None and value.type == "object":
                return value
        return None

    def _raw_sql_template(self, call: Node, template: Node) -> Access | None:
        callee = _unwrap(call.child_by_field_name("function"))
        if callee is None:
            return None
        name = _last(callee)
        root = callee
        while root.type == "member_expression":
            root = _unwrap(root.child_by_field_name("object"))
        if name in ("$queryRaw", "$executeRaw"):
            if not self._is_db_root(root):
                return None
        elif name == "sql" or name == "query":
            symbol = self.project.symbols.lookup(self.file, text(root)) if root.type == "identifier" else None
            if symbol is None or not (symbol.kind in (EXTERNAL, MODULE) and _is_data_package(symbol.source) or (symbol.kind == VALUE and symbol.file is not None and self.project.guards.is_data_value(symbol.file, symbol.node)) or self._is_db_root(root)):
                return None
        else:
            return None
        fragments: list[tuple[str, Node | None]] = []
        for child in template.named_children:
            if child.type == "string_fragment":
                fragments.append((text(child), None))
            elif child.type == "template_substitution" and child.named_children:
                fragments.append(("", child.named_children[0]))
        return _sql_access(call, "raw SQL", fragments, f"`{_short(callee)}` query")

    def _raw_sql_call(self, call: Node, step) -> Access | None:
        _, args, _ = step
        arguments = [a for a in args.named_children if a.type != "comment"] if args is not None else []
        if not arguments:
            return None
        sql_text = string_value(arguments[0])
        if sql_text is None:
            return None
        values: list[Node] = []
        if len(arguments) > 1 and arguments[1].type == "array":
            values = [v for v in arguments[1].named_children if v.type != "comment"]
        elif len(arguments) > 1:
            values = arguments[1:]
        fragments: list[tuple[str, Node | None]] = []
        position = 0
        pattern = re.compile(r"\$(\d+)|\?")
        for match in pattern.finditer(sql_text):
            fragments.append((sql_text[position:match.start()], None))
            index = int(match.group(1)) - 1 if match.group(1) else len([f for f in fragments if f[1] is not None])
            fragments.append(("", values[index] if 0 <= index < len(values) else None))
            position = match.end()
        fragments.append((sql_text[position:], None))
        return _sql_access(call, "raw SQL", [f for f in fragments if f[0] or f[1] is not None], f"`{_short_callee(call)}`")

    def _helper_access(self, call: Node) -> Access | None:
        """A project function called with arguments, whose own data-layer call uses them."""
        callee = _unwrap(call.child_by_field_name("function"))
        if callee is None or callee.type != "identifier":
            return None
        args = call.child_by_field_name("arguments")
        if args is None or args.type != "arguments" or not args.named_children:
            return None
        arguments = [a for a in args.named_children if a.type != "comment"]
        if any(a.type == "spread_element" for a in arguments):
            return None
        if not any(self.taint(a) for a in arguments):
            return None
        symbol = self.project.guards._function_symbol(self.file, callee)
        if symbol.kind != FUNCTION or symbol.file is None or symbol.node is None:
            return None
        summary = self.model.helper(symbol.file, symbol.node)
        if not summary.accesses:
            return None
        ordered = sorted(summary.accesses, key=lambda h: h.access.op == READ)  # writes first
        chosen = None
        for helper in ordered:
            ids = [(path, _argument(arguments, index, fld)) for path, index, fld in helper.ids]
            owners = [(path, _argument(arguments, index, fld)) for path, index, fld in helper.owners]
            if any(node is not None and self.taint(node) for _, node in ids + owners):
                chosen = (helper, ids, owners)
                break
        if chosen is None:
            return None
        helper, ids, owners = chosen
        inner = helper.access
        access = Access(
            call, inner.layer, inner.op, inner.verb, f"`{text(callee)}()`", inner.table,
            filters=[(path, node) for path, node in ids + owners if node is not None],
            confidence=Confidence.MEDIUM,
            related=(symbol.file.node_location(inner.node, f"{inner.what} in {text(callee)}()"),),
            scoped_inside=helper.scoped,
            table_file=inner.table_file or symbol.file,
        )
        if helper.vetted:
            access.scoped_inside = True
        access.vet_args = [n for n in (_argument(arguments, index, "") for index in helper.vet_params) if n is not None]
        return access

    # -- judgement -------------------------------------------------------------------------------

    def _scoped(self, access: Access) -> bool:
        """Whether a call's filter holds an owner/tenant condition the caller does not control."""
        if access.scoped_inside:
            return True
        for path, node in access.filters:
            taints = self.taint(node)
            kinds = {t.kind for t in taints}
            if SESSION in kinds and CALLER not in kinds:
                return True
            if (_owner_path(path) or _tenant_path(path)) and CALLER not in kinds and PARAM not in kinds:
                return True
        return False

    def _vet(self, body: Node) -> None:
        """Owner comparisons after loading, assertion helpers, checked membership lookups."""
        deferred: list[tuple[list, Node, Node]] = []
        for comparison in captures(self.file.grammar, COMPARE_QUERY, body).get("cmp", ()):
            if _operator(comparison) not in ("===", "!==", "==", "!="):
                continue
            anchor = self._anchor(comparison)
            if anchor is None:
                continue  # `if (game.moves.find(m => m.playerId === me)) return`: refuses members, not strangers
            left = self.taint(comparison.child_by_field_name("left"))
            right = self.taint(comparison.child_by_field_name("right"))
            for one, other, other_node in ((left, right, comparison.child_by_field_name("right")), (right, left, comparison.child_by_field_name("left"))):
                records = [t.access for t in one if t.kind == RECORD and t.access is not None]
                other_kinds = {t.kind for t in other}
                if records and (SESSION in other_kinds or (CALLER not in other_kinds and PARAM not in other_kinds and any(_owner_word(t.name) for t in one if t.kind == RECORD) and not _literal(other_node))):
                    self.vetted.update(records)
                    for access in records:
                        self.evidence.setdefault(access, anchor)
                if records and PARAM in other_kinds:
                    for access in records:
                        access.vet_params.update(t.index for t in other if t.kind == PARAM)
                if records and CALLER in other_kinds:
                    deferred.append((records, other_node, anchor))  # `draft.orgId !== orgId`: decided below
                callers = [t for t in one if t.kind == CALLER]
                if callers and SESSION in other_kinds:
                    side = comparison.child_by_field_name("left") if one is left else comparison.child_by_field_name("right")
                    self.vetted_values.setdefault(_norm(side), []).append(anchor)
        spans = [(a.node.start_byte, a.node.end_byte) for a in self.accesses.values() if a is not None]
        for call in captures(self.file.grammar, CALL_QUERY, body).get("call", ()):
            callee = call.child_by_field_name("function")
            self._helper_vets(call, callee)
            if call in self.accesses and self.accesses[call] is not None:
                continue
            if any(start <= call.start_byte < end for start, end in spans) or _last(callee) in EQ_CALLS:
                continue  # `q.eq('boardId', board._id)` builds a query; it checks nothing
            args = call.child_by_field_name("arguments")
            operands = [a for a in args.named_children] if args is not None and args.type == "arguments" else []
            if callee is not None and callee.type == "member_expression":
                operands.append(callee.child_by_field_name("object"))
            taints = [self._deep(o) for o in operands]
            records = [t.access for group in taints for t in group if t.kind == RECORD and t.access is not None]
            callers = [o for o, group in zip(operands, taints) if any(t.kind == CALLER for t in group)]
            if not records and not callers:
                continue
            kinds = {t.kind for group in taints for t in group}
            session_helper = False
            guarding = False
            symbol = self.project.guards._function_symbol(self.file, callee) if callee is not None else None
            if symbol is not None and symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
                summary = self.project.guards.summary(symbol.file, symbol.node)
                session_helper = summary.auth_source or (summary.guards is not None and summary.guards.kind in ("auth", "ownership"))
                guarding = summary.guards is not None and summary.guards.kind in ("auth", "ownership")
            if callers and session_helper and (guarding or self._call_checked(call)):
                # `const access = await hasAccessToFile(ctx, args.fileId); if (!access) throw ...`,
                # `await assertCanEdit(noteId)`: a helper that reads the session vouches for the id
                for operand in callers:
                    self.vetted_values.setdefault(_norm(operand), []).append(call)
                    for taint in self.taint(operand):  # and under its field name: `const orgId = args.orgId`
                        if taint.kind == CALLER and taint.name:
                            self.vetted_names.setdefault(taint.name, []).append(call)
            if not records:
                continue
            if SESSION in kinds or session_helper:
                self.vetted.update(records)
                for access in records:
                    self.evidence.setdefault(access, call)
            elif PARAM in kinds:
                for access in records:
                    access.vet_params.update(t.index for group in taints for t in group if t.kind == PARAM)
        # A record compared with a caller value that a session helper vouched for first
        # (`await requireOrgMember(ctx, orgId)`, then `if (draft.orgId !== orgId) return null`) is vetted.
        for records, other_node, anchor in deferred:
            if self._vetted_value(other_node, anchor):
                self.vetted.update(records)
                for access in records:
                    self.evidence.setdefault(access, anchor)
        # A checked lookup scoped by the session vets the caller values it names (a membership
        # check, the owner-scoped lookup of a parent); one that ties a caller id to an already vetted
        # parent key (`{ id: chapterId, courseId }` after the course was found for the user) vets
        # that id too, so the chain is followed in source order until nothing changes.
        ordered = sorted((a for a in self.accesses.values() if a is not None), key=lambda a: a.node.start_byte)
        done: set[Access] = set()
        for _ in range(4):
            progress = False
            for access in ordered:
                if access in done or not self._checked(access):
                    continue
                session = self._session_scoped(access)
                if not session and not self._parent_scoped(access):
                    continue
                done.add(access)
                progress = True
                for _, node in access.filters:
                    for taint in self.taint(node):
                        if taint.kind == RECORD and taint.access is not None:
                            self.vetted.add(taint.access)
                            self.evidence.setdefault(taint.access, access.node)
                        elif taint.kind == CALLER:
                            self.vetted_values.setdefault(_norm(node), []).append(access.node)
            if not progress:
                break
        for access in list(self.vetted):
            at = self.evidence.get(access, access.node)
            for _, node in access.filters:
                if any(t.kind == CALLER for t in self.taint(node)):
                    self.vetted_values.setdefault(_norm(node), []).append(at)

    def _parent_scoped(self, access: Access) -> bool:
        """Whether a call's filter ties it to a parent the caller was proven to own: a vetted caller
        value under a key that links to that parent (``{ id: chapterId, courseId }`` after
        ``course.findUnique({ where: { id: courseId, userId } })`` whose empty result exits), not
        under the record's own id and not inside an ``OR``/``NOT`` branch."""
        for path, node in access.filters:
            if not _parent_link(path):
                continue
            if any(t.kind == CALLER for t in self.taint(node)) and self._vetted_value(node, access.node):
                return True
        return False

    def _vetted_value(self, node: Node, at: Node) -> bool:
        """Whether a caller value was vetted (compared with the session user, found by a checked
        owner-scoped lookup, checked by a helper) on every path before ``at``."""
        body = self.function.child_by_field_name("body")
        if any(_dominates(where, at, body) for where in self.vetted_values.get(_norm(node), ())):
            return True
        names = {t.name for t in self.taint(node) if t.kind == CALLER}
        return any(_dominates(where, at, body) for name in names for where in self.vetted_names.get(name, ()))

    def _anchor(self, comparison: Node) -> Node | None:
        """Where a comparison takes effect: itself, or — inside a callback
        (``room.players.find(p => p.userId === me)``) — the call that runs the callback, when its
        result refuses strangers (``if (!found) return``); None when it refuses members instead
        (``if (moves.find(m => m.playerId === me)) return``)."""
        node = comparison
        callback = None
        parent = node.parent
        while parent is not None and parent != self.function:
            if parent.type in FUNCTION_TYPES:
                callback = parent
            parent = parent.parent
        if callback is None:
            return comparison
        args = callback.parent
        call = args.parent if args is not None and args.type == "arguments" else None
        if call is None or call.type != "call_expression":
            return callback
        if _last(call.child_by_field_name("function")) not in ("find", "some", "findIndex", "findLast", "includes"):
            return call
        negated = False
        node = call
        for _ in range(8):
            up = node.parent
            if up is None:
                return call
            if up.type in ("parenthesized_expression", "await_expression", "non_null_expression"):
                node = up
                continue
            if up.type == "unary_expression" and text(up).startswith("!"):
                negated = not negated
                node = up
                continue
            if up.type == "binary_expression" and _operator(up) in ("||", "&&"):
                node = up
                continue
            if up.type in ("if_statement", "ternary_expression") and up.child_by_field_name("condition") == node:
                return call if negated else None
            if up.type == "variable_declarator":
                name = up.child_by_field_name("name")
                return call if name is None or name.type != "identifier" or not self._tested_positively(text(name)) else None
            return call
        return call

    def _tested_positively(self, name: str) -> bool:
        """Whether a local is only ever tested as ``if (found) exit`` (never ``if (!found)``)."""
        body = self.function.child_by_field_name("body")
        if body is None:
            return False
        positive = negative = False
        for statement in captures(self.file.grammar, "(if_statement condition: (_) @cond)", body).get("cond", ()):
            inner = _unwrap(statement)
            for node in walk(inner):
                if node.type == "identifier" and text(node) == name:
                    up = node.parent
                    while up is not None and up.type == "parenthesized_expression":
                        up = up.parent
                    if up is not None and up.type == "unary_expression" and text(up).startswith("!"):
                        negative = True
                    else:
                        positive = True
        return positive and not negative

    def _deep(self, node: Node | None) -> frozenset[Taint]:
        """The taints of a value and of the values inside it (``{ id: userId }``,
        ``new Policy(hackathon)``), for comparisons and assertion helpers."""
        found = self.taint(node)
        if node is None or _unwrap(node).type not in ("object", "new_expression", "array", "call_expression"):
            return found
        count = 0
        for inner in walk(node):
            count += 1
            if count > 200:
                break
            if inner.type in ("identifier", "shorthand_property_identifier") and (inner.parent is None or inner.parent.type != "member_expression"):
                found |= self.taint(inner)
            elif inner.type == "member_expression" and (inner.parent is None or inner.parent.type != "member_expression"):
                found |= self.taint(inner)
        return found

    def _helper_vets(self, call: Node, callee: Node | None) -> None:
        """``const hackathon = await getHackathon(req); if (!hackathon) ...``: the request fields a
        helper checks ownership for are vetted for the rest of the function."""
        if callee is None or not self._call_checked(call):
            return
        symbol = self.project.guards._function_symbol(self.file, callee)
        if symbol.kind != FUNCTION or symbol.file is None or symbol.node is None:
            return
        summary = self.model.helper(symbol.file, symbol.node)
        if not summary.vets:
            return
        args = call.child_by_field_name("arguments")
        arguments = [a for a in args.named_children if a.type != "comment"] if args is not None and args.type == "arguments" else []
        for index, name in summary.vets:
            if index < len(arguments) and name and any(t.kind in (REQUEST, CONTEXT, CALLER) for t in self.taint(arguments[index])):
                self.vetted_names.setdefault(name, []).append(call)

    def _call_checked(self, call: Node) -> bool:
        """Whether a call's result ends the request when it is empty (bound and tested, or tested in
        place), or the call is a statement of its own (an assertion that throws)."""
        node = call
        for _ in range(6):
            parent = node.parent
            if parent is None:
                return False
            if parent.type == "expression_statement":
                return True
            if parent.type == "variable_declarator":
                name = parent.child_by_field_name("name")
                return name is not None and bool(_names(name) & self.tested)
            if parent.type in ("if_statement", "ternary_expression") and parent.child_by_field_name("condition") == node:
                return True
            if parent.type not in ("await_expression", "parenthesized_expression", "unary_expression", "as_expression", "non_null_expression"):
                return False
            node = parent
        return False

    def _session_scoped(self, access: Access) -> bool:
        """Whether the filter holds a session value the caller cannot replace (``owner ?? userId`` can)."""
        for _, node in access.filters:
            kinds = {t.kind for t in self.taint(node)}
            if SESSION in kinds and CALLER not in kinds:
                return True
        return access.scoped_inside

    def _checked(self, access: Access) -> bool:
        """Whether a missing result ends the request: ``*OrThrow``, the call inside a condition, or the
        name it is bound to tested later."""
        if access.throws:
            return True
        names = self.bound.get(access, set())
        if names & self.tested:
            return True
        node = access.node
        for _ in range(6):
            parent = node.parent
            if parent is None:
                return False
            if parent.type in ("if_statement", "ternary_expression") and parent.child_by_field_name("condition") == node:
                return True
            if parent.type in ("parenthesized_expression", "await_expression", "unary_expression"):
                node = parent
                continue
            return False
        return False

    def _used(self, access: Access) -> bool:
        """Whether a read's result is used beyond a null test (returned, rendered, passed on)."""
        names = self.bound.get(access)
        node = access.node
        parent = node.parent
        while parent is not None and parent.type in ("await_expression", "parenthesized_expression", "as_expression", "non_null_expression"):
            parent = parent.parent
        if parent is not None and parent.type == "expression_statement":
            return False
        if not names:
            if parent is not None and parent.type == "variable_declarator":
                return False  # bound to a pattern we could not read
            if parent is not None and parent.type == "array" and parent.parent is not None and parent.parent.type == "arguments":
                return False  # Promise.all([...]) without a destructuring we read
            return True
        body = self.function.child_by_field_name("body")
        if body is None:
            return False
        for ref in captures(self.file.grammar, "[(identifier) (shorthand_property_identifier)] @ref", body).get("ref", ()):
            if text(ref) not in names or ref.start_byte < access.node.end_byte:
                continue
            up = ref.parent
            while up is not None and up.type == "parenthesized_expression":
                up = up.parent
            if up is None:
                continue
            if up.type == "unary_expression" and text(up).startswith("!"):
                continue
            operand = ref
            while operand.parent is not None and operand.parent.type in ("member_expression", "non_null_expression", "parenthesized_expression") and (
                operand.parent.type != "member_expression" or operand.parent.child_by_field_name("object") == operand
            ):
                operand = operand.parent
            holder = operand.parent
            if holder is not None and holder.type == "binary_expression" and _operator(holder) in ("==", "===", "!=", "!=="):
                continue  # compared (with null, an owner, a state): nothing of the record leaves
            if up.type in ("if_statement", "ternary_expression") and up.child_by_field_name("condition") is not None and (
                up.child_by_field_name("condition").start_byte <= ref.start_byte < up.child_by_field_name("condition").end_byte
            ):
                continue
            return True
        return False

    def scoped_tables(self) -> set[str]:
        """Tables this function reaches with a session condition (evidence that they are per-user)."""
        return {a.table for a in self.accesses.values() if a is not None and a.table and self._session_scoped(a)}

    def issues(self, sibling_scoped: set[str] = frozenset()) -> list[Issue]:
        handler = self.handler
        if handler is None:
            return []
        found: list[Issue] = []
        judged: list[tuple[Access, list[Issue]]] = []
        for access in sorted((a for a in self.accesses.values() if a is not None), key=lambda a: a.node.start_byte):
            if access.rls or self._skipped(access.node):
                continue
            judged.append((access, self._judge(access, sibling_scoped)))
        written = [
            (_norm(self._id_node(access)), access.node) for access, issues in judged if access.op == WRITE
            for issue in issues if issue.rule == "CLK301"
        ]
        body = self.function.child_by_field_name("body")
        for access, issues in judged:
            for issue in issues:
                if issue.rule == "CLK301" and access.op == READ and any(
                    key == _norm(self._id_node(access)) and _dominates(access.node, write, body) for key, write in written
                ):
                    continue  # read-modify-write: the write that follows is reported for the same id
                found.append(issue)
        found.extend(self._metadata_writes())
        return found

    def _id_node(self, access: Access) -> Node:
        """The first caller-chosen id of a call's filter (the call itself when there is none)."""
        for _, node in access.filters:
            if any(t.kind == CALLER for t in self.taint(node)):
                return node
        return access.node

    def _judge(self, access: Access, sibling_scoped: set[str]) -> list[Issue]:
        """CLK302 for identities the caller chose, CLK301 for records the caller picked unscoped.

        Both need to know that the caller is signed in and who they are: the function reads the
        session (``seen``), or a guard, wrapper, layout or middleware protects it (``protected``: the
        identity rules still apply there). A function that never looks at the session is judged for
        CLK301 only when another entry point of the file scopes the same table by the session."""
        handler = self.handler
        found: list[Issue] = []
        if self.privileged:
            return found
        seen = self.session_seen
        guarded = seen or handler.guarded or handler.wrapper_guard
        protected = guarded or handler.session
        identities = []
        ids = []
        for path, node in access.filters:
            taints = [t for t in self.taint(node) if t.kind == CALLER]
            if not taints or self._vetted_value(node, access.node):
                continue
            caller = taints[0]
            if access.identity or _owner_source(path, caller):
                identities.append((path, node, caller))
            elif _id_like(path, caller):
                ids.append((path, node, caller))
        confidence = min(access.confidence, Confidence.HIGH if seen else Confidence.MEDIUM, key=_rank)
        if access in self.vetted or self._session_scoped(access):
            identities_reported = []  # the session user's own rows, or a record whose owner is compared after
        else:
            identities_reported = identities if protected else []
        for path, node, caller in identities_reported:
            if not seen and caller.source == "the route params" and access.op == READ:
                continue  # /users/[userId]: a profile page anyone signed in may see
            subject = "targets" if access.identity else "scopes"
            message = (
                f"{handler.label}: {caller.label} {subject} {access.what} ({access.verb} "
                f"{_a(access.table)}); the caller can put any user's id there — use the id from the session "
                f"(`auth()`{', `ctx.auth.getUserIdentity()`' if access.layer == 'Convex' else ''}) instead"
            )
            related = list(self._client_related(caller)) + list(access.related)
            found.append(Issue("CLK302", self.file, node, message, confidence, None, tuple(related)))
        if access.op in (CREATE, WRITE) and protected:
            session_owner = any(
                _owner_path(path) and any(t.kind == SESSION for t in self.taint(node)) for path, node in access.writes
            )
            for path, node in access.writes if not session_owner else ():
                taints = [t for t in self.taint(node) if t.kind == CALLER]
                if not taints or self._vetted_value(node, access.node):
                    continue
                caller = taints[0]
                if not _owner_source(path, caller, strict=True):
                    continue
                session_helper = {EXPRESS_INPUT: "`getAuth(req)`", PAGES_API_INPUT: "`getAuth(req)`"}.get(handler.inputs, "`auth()`")
                if access.layer == "Convex":
                    session_helper = "`ctx.auth.getUserIdentity()`"
                message = (
                    f"{handler.label}: {caller.label} is written as `{'.'.join(path)}` by {access.what}, so the caller "
                    f"chooses who owns the record; take the owner from the session ({session_helper}) instead"
                )
                related = list(self._client_related(caller)) + list(access.related)
                found.append(Issue("CLK302", self.file, node, message, confidence, None, tuple(related)))
        if identities or not ids:
            return found
        if not guarded and not (protected and access.table and access.table in sibling_scoped):
            return found
        if access in self.vetted or self._scoped(access) or access.opaque or self._parent_scoped(access):
            return found
        if access.vet_args and any(not any(t.kind == CALLER for t in self.taint(a)) for a in access.vet_args):
            return found
        if access.op == READ and (_public_filter(access) or not self._used(access)):
            return found
        if access.op == READ and access.table and access.table not in sibling_scoped and self.model.shared_table(access.table_file or self.file, access.table):
            return found  # a catalogue (course content, a price list): every user reads the same rows
        if access.op == WRITE and access.writes and all(_counter(path, node) for path, node in access.writes):
            return found  # likes/views counters: bumping another user's record is the feature
        path, node, caller = ids[0]
        record = f"{_a(access.table)}" if access.table else "a record"
        evidence = "" if guarded else f"; other handlers of this file scope `{access.table}` by the session"
        message = (
            f"{handler.label}: {access.what} {access.verb} {record} chosen by {caller.label} with no owner or tenant "
            f"condition from the session in the query, and the record's owner is never compared with the signed-in "
            f"user: any signed-in user can {_verb_base(access)} other users' records{evidence}"
        )
        related = [self.file.node_location(node, f"{caller.label}")] + list(access.related)
        return found + [Issue("CLK301", self.file, access.node, message, confidence, None, tuple(related))]

    def _client_related(self, caller: Taint) -> list[Location]:
        handler = self.handler
        if handler is None or handler.action is None or caller.source != "the Server Action's arguments":
            return []
        patterns = self.param_nodes
        index = next((i for i, p in enumerate(patterns) if caller.node is not None and p == caller.node), -1)
        if index < 0:
            return []
        return self.model.client_callers(handler.action, index, caller.name)

    def _metadata_writes(self) -> list[Issue]:
        """CLK305: Clerk user/organization metadata written from caller input."""
        found = []
        if self.privileged:
            return found
        body = self.function.child_by_field_name("body")
        if body is None or b"etadata" not in body.text:
            return found
        for call in captures(self.file.grammar, CALL_QUERY, body).get("call", ()):
            callee = call.child_by_field_name("function")
            if callee is None or callee.type != "member_expression" or _last(callee) not in METADATA_WRITES or self._skipped(call):
                continue
            args = call.child_by_field_name("arguments")
            arguments = [a for a in args.named_children if a.type != "comment"] if args is not None else []
            if len(arguments) < 2:
                continue
            params = self._object(arguments[1])
            if params is None:
                continue
            for pair in params.named_children:
                if pair.type != "pair":
                    continue
                key = _key_text(pair.child_by_field_name("key"))
                if key not in METADATA_KEYS:
                    continue
                value = pair.child_by_field_name("value")
                reason = self._escalation(value)
                if reason:
                    message = (
                        f"{self.handler.label}: `{_last(callee)}()` writes {key} {reason}; the caller can grant "
                        f"themselves any role or plan — set privileged metadata only from server-side decisions, after "
                        f"checking the caller's own role"
                    )
                    found.append(Issue("CLK305", self.file, call, message, Confidence.HIGH))
                    break
        return found

    def _escalation(self, value: Node | None) -> str:
        if value is None:
            return ""
        if b"unsafeMetadata" in value.text:
            return "from `unsafeMetadata`, which the user can write from the browser"
        obj = self._object(value)
        if obj is None:
            taints = [t for t in self.taint(value) if t.kind == CALLER]
            return f"wholesale from {taints[0].label}" if taints else ""
        for child in obj.named_children:
            if child.type == "spread_element" and child.named_children:
                taints = [t for t in self.taint(child.named_children[0]) if t.kind == CALLER]
                if taints:
                    return f"with every key of {taints[0].label}"
        for path, node in _pairs(obj):
            taints = [t for t in self.taint(node) if t.kind == CALLER]
            if taints and any(ROLE_KEY.match(part) for part in path):
                caller = taints[0]
                source = f"from {caller.source}" if caller.name == path[-1] else f"set to {caller.label}"
                return f"with `{'.'.join(path)}` {source}"
            if any(ROLE_KEY.match(part) for part in path) and b"unsafeMetadata" in node.text:
                return f"with `{'.'.join(path)}` taken from `unsafeMetadata`"
        return ""

    # -- helper summaries ------------------------------------------------------------------------

    def summary(self) -> HelperSummary:
        result = HelperSummary(session=self.session_seen)
        accesses = [a for a in self.accesses.values() if a is not None and not a.rls]
        for access in accesses:
            ids, owners = [], []
            for path, node in access.filters:
                for taint in self.taint(node):
                    if taint.kind != PARAM:
                        continue
                    item = (path, taint.index, taint.field)
                    if _owner_path(path) or _owner_word(taint.name):
                        owners.append(item)
                    else:
                        ids.append(item)
                    break
            for path, node in access.writes:
                for taint in self.taint(node):
                    if taint.kind == PARAM and (_owner_path(path) or _owner_word(taint.name)):
                        owners.append((path, taint.index, taint.field))
                        break
            if not ids and not owners:
                continue
            session_scoped = any(any(t.kind == SESSION for t in self.taint(n)) for _, n in access.filters)
            fixed_owner = any(
                (_owner_path(p) or _tenant_path(p)) and not any(t.kind in (PARAM, CALLER) for t in self.taint(n)) for p, n in access.filters
            )
            result.accesses.append(HelperAccess(
                access, ids, owners, session_scoped or fixed_owner or access.opaque, access in self.vetted, set(access.vet_params),
            ))
            if access in self.vetted or (session_scoped and self._checked(access)):
                result.vets.update((index, taint_name) for _, index, taint_name in self._param_names(access))
        return result

    def _param_names(self, access: Access) -> list[tuple[tuple[str, ...], int, str]]:
        found = []
        for path, node in access.filters:
            for taint in self.taint(node):
                if taint.kind == PARAM:
                    found.append((path, taint.index, taint.name))
        return found


# -- access helpers ----------------------------------------------------------------------------------


def _decompose(call: Node):
    """``root.a.b(x).c(y)`` -> (root, [("a", None, None), ("b", args, call), ("c", args, call)]);
    a root that is a call of a plain name (``knex('t')``, ``createClient()``) is kept as the root."""
    steps = []
    node = call
    for _ in range(64):
        node = _unwrap(node)
        if node is None:
            return None
        if node.type == "call_expression":
            function = _unwrap(node.child_by_field_name("function"))
            if function is None:
                return None
            if function.type == "member_expression":
                steps.append((_last(function), node.child_by_field_name("arguments"), node))
                node = function.child_by_field_name("object")
                continue
            if function.type == "identifier":
                if not steps:
                    return function, []
                return node, list(reversed(steps))
            return None
        if node.type == "member_expression":
            steps.append((_last(node), None, None))
            node = node.child_by_field_name("object")
            continue
        if node.type in ("identifier", "this"):
            return node, list(reversed(steps))
        return None
    return None


def _exits(node: Node | None) -> bool:
    """Whether a branch ends the request: a ``return``, a ``throw`` or an exit call among its
    top-level statements."""
    if node is None:
        return False
    statements = node.named_children if node.type == "statement_block" else [node]
    for statement in statements:
        if statement.type in ("return_statement", "throw_statement"):
            return True
        if statement.type == "expression_statement" and statement.named_children:
            call = _unwrap(statement.named_children[0])
            if call is not None and call.type == "call_expression" and _last(call.child_by_field_name("function")) in EXIT_NAMES:
                return True
    return False


def _absence_test(identifier: Node, condition: Node) -> bool:
    """Whether a name is tested for absence inside a condition: ``!x``, ``!x?.length``,
    ``x == null``, ``x === undefined``, ``x.length === 0``."""
    node = identifier
    for _ in range(8):
        parent = node.parent
        if parent is None or node == condition:
            return False
        if parent.type in ("parenthesized_expression", "non_null_expression"):
            node = parent
            continue
        if parent.type == "member_expression" and parent.child_by_field_name("object") == node and _last(parent) == "length":
            node = parent
            continue
        if parent.type == "unary_expression" and text(parent).startswith("!"):
            return True
        if parent.type == "binary_expression" and _operator(parent) in ("==", "===", "<", "<="):
            other = parent.child_by_field_name("right") if parent.child_by_field_name("left") == node else parent.child_by_field_name("left")
            return other is not None and text(other) in ("null", "undefined", "0", "1") 
        return False
    return False


def _dominates(first: Node, then: Node, body: Node | None) -> bool:
    """Whether ``first`` runs before ``then`` on every path through the function: it comes earlier
    and sits in no block (an ``if`` branch, a ``case``, a callback) that ``then`` is outside of."""
    if first.start_byte > then.start_byte:
        return False
    node = first.parent
    for _ in range(256):
        if node is None or node == body:
            return True
        if node.type in ("statement_block", "switch_case", "switch_default", "else_clause", "catch_clause") or node.type in FUNCTION_TYPES:
            if not (node.start_byte <= then.start_byte < node.end_byte):
                return False
        node = node.parent
    return True


def _chain_head(call: Node) -> bool:
    """Whether a call is the outermost link of its chain (``x.where(...)`` in ``x.where(...).first()`` is not)."""
    parent = call.parent
    while parent is not None and parent.type in ("non_null_expression", "parenthesized_expression"):
        parent = parent.parent
    if parent is None:
        return True
    if parent.type == "member_expression":
        grand = parent.parent
        return not (grand is not None and grand.type == "call_expression" and grand.child_by_field_name("function") == parent)
    return True


def _pairs(obj: Node) -> list[tuple[tuple[str, ...], Node]]:
    """The leaves of an object literal with their key paths: ``{ author: { clerkId: x } }`` ->
    ``[(("author", "clerkId"), x)]``; a spread counts with the path ``("...",)``."""
    found = []
    stack: list[tuple[Node, tuple[str, ...]]] = [(obj, ())]
    count = 0
    while stack and count < 512:
        node, path = stack.pop()
        count += 1
        for child in node.named_children:
            if child.type == "pair":
                key = _key_text(child.child_by_field_name("key"))
                value = child.child_by_field_name("value")
                if value is None:
                    continue
                inner = _unwrap(value)
                if inner.type == "object":
                    stack.append((inner, path + (key,)))
                elif inner.type == "array" and any(_unwrap(e).type == "object" for e in inner.named_children):
                    for element in inner.named_children:
                        if _unwrap(element).type == "object":
                            stack.append((_unwrap(element), path + (key,)))
                else:
                    found.append((path + (key,), value))
            elif child.type == "shorthand_property_identifier":
                found.append((path + (text(child),), child))
            elif child.type == "spread_element" and child.named_children:
                found.append((path + ("...",), child.named_children[0]))
    return found


def _eq_pairs(node: Node) -> list[tuple[tuple[str, ...], Node]]:
    """Equality conditions inside a filter expression: drizzle ``eq(t.id, id)``, Convex
    ``q.eq('userId', x)`` / ``q.eq(q.field('userId'), x)``, Kysely ``eb('id', '=', id)``, SQL fragments."""
    found = []
    for inner in walk(node):
        if inner.type == "call_expression":
            callee = inner.child_by_field_name("function")
            args = inner.child_by_field_name("arguments")
            if callee is None or args is None:
                continue
            if args.type == "template_string":
                found.extend(_template_pairs(args))
                continue
            arguments = [a for a in args.named_children if a.type != "comment"]
            name = _last(callee)
            if name in EQ_CALLS and len(arguments) >= 2:
                column = _column_name(arguments[0])
                if column is not None:
                    found.append(((column,), arguments[1]))
            elif len(arguments) == 3 and arguments[1].type == "string" and (string_value(arguments[1]) or "") in ("=", "==", "in", "is"):
                column = _column_name(arguments[0])
                if column is not None:
                    found.append(((column,), arguments[2]))
    return found


def _template_pairs(template: Node) -> list[tuple[tuple[str, ...], Node]]:
    """``sql`${t.userId} = ${userId}``` and ``sql`user_id = ${userId}```."""
    found = []
    previous: Node | None = None
    before = ""
    for child in template.named_children:
        if child.type == "string_fragment":
            before = text(child)
            continue
        if child.type != "template_substitution" or not child.named_children:
            continue
        value = child.named_children[0]
        match = re.search(r"([\w\"]+)\s*(?:=|==|in)\s*\(?\s*$", before, re.I)
        if match:
            found.append(((match.group(1).strip('"'),), value))
        elif previous is not None and re.fullmatch(r"\s*(?:=|==)\s*", before):
            column = _column_name(previous)
            if column is not None:
                found.append(((column,), value))
        previous = value
        before = ""
    return found


def _sql_access(call: Node, layer: str, fragments: list[tuple[str, Node | None]], what: str) -> Access | None:
    full = " ".join(f[0] if f[1] is None else "?" for f in fragments)
    keyword = re.match(r"\s*(\w+)", full)
    if keyword is None:
        return None
    word = keyword.group(1).lower()
    if word not in ("select", "update", "delete", "insert", "with"):
        return None
    op, verb = {"select": (READ, "reads"), "with": (READ, "reads"), "update": (WRITE, "updates"), "delete": (WRITE, "deletes"), "insert": (CREATE, "creates")}[word]
    table_match = re.search(r"\b(?:from|update|into)\s+([\w\".]+)", full, re.I)
    access = Access(call, layer, op, verb, what, (table_match.group(1).strip('"').split(".")[-1] if table_match else ""), confidence=Confidence.MEDIUM)
    in_where = False
    before = ""
    insert_columns: list[str] = []
    if op == CREATE:
        columns = re.search(r"\(([^)]*)\)\s*values", full, re.I)
        insert_columns = [c.strip().strip('"') for c in columns.group(1).split(",")] if columns else []
    position = 0
    for fragment, value in fragments:
        if value is None:
            before += fragment
            if re.search(r"\bwhere\b", fragment, re.I):
                in_where = True
            continue
        if op == CREATE:
            if position < len(insert_columns):
                access.writes.append(((insert_columns[position],), value))
            position += 1
            before = ""
            continue
        match = re.search(r"([\w\".]+)\s*(?:=|==|in)\s*\(?\s*$", before, re.I)
        if match:
            column = match.group(1).strip('"').split(".")[-1]
            if in_where:
                access.filters.append(((column,), value))
            else:
                access.writes.append(((column,), value))
        before = ""
    return access


def _column_name(node: Node | None) -> str | None:
    if node is None:
        return None
    node = _unwrap(node)
    if node.type == "string":
        return string_value(node)
    if node.type == "member_expression":
        return _last(node)
    if node.type == "call_expression" and _last(node.child_by_field_name("function")) == "field":  # q.field('userId')
        return string_value(_first_arg(node.child_by_field_name("arguments")))
    return None


def _table_name(node: Node | None) -> str:
    if node is None:
        return ""
    node = _unwrap(node)
    if node.type == "string":
        return string_value(node) or ""
    if node.type in ("identifier", "member_expression"):
        return _last(node) if node.type == "member_expression" else text(node)
    return ""


def _property(obj: Node | None, key: str) -> Node | None:
    if obj is None or obj.type != "object":
        return None
    for child in obj.named_children:
        if child.type == "pair" and _key_text(child.child_by_field_name("key")) == key:
            return child.child_by_field_name("value")
        if child.type == "shorthand_property_identifier" and text(child) == key:
            return child
    return None


def _first_arg(args: Node | None) -> Node | None:
    if args is None or args.type != "arguments":
        return None
    for child in args.named_children:
        if child.type != "comment":
            return child
    return None


def _argument(arguments: list[Node], index: int, fld: str) -> Node | None:
    if index < 0 or index >= len(arguments):
        return None
    argument = _unwrap(arguments[index])
    if fld and argument.type == "object":
        return _property(argument, fld)
    return argument if not fld else None


# -- names and keys ----------------------------------------------------------------------------------


def _normal(name: str) -> str:
    word = name.lower().replace("_", "").replace("-", "")
    for suffix in ("ids", "id"):
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return word


def _owner_word(name: str) -> bool:
    return bool(name) and _normal(name) in OWNER_WORDS


def _tenant_word(name: str) -> bool:
    return bool(name) and _normal(name) in TENANT_WORDS


def _owner_path(path: tuple[str, ...]) -> bool:
    return any(_owner_word(part) for part in path if part != "...")


def _parent_link(path: tuple[str, ...]) -> bool:
    """Whether a filter key names a parent record rather than the record itself: ``courseId``,
    ``course_id``, ``course: { id }`` (not ``id``, ``_id``, nor anything under ``OR``/``NOT``)."""
    parts = [part for part in path if part not in ("...", "AND", "equals", "in", "eq", "$eq", "$in")]
    if not parts or any(part in ("OR", "NOT", "$or", "$nor", "$not") for part in path):
        return False
    key = parts[0]
    plain = key.lower().replace("_", "").replace("-", "")
    if _normal(key) != plain:
        return True  # courseId, course_id
    return len(parts) >= 2 and _normal(parts[-1]) == "id" and plain not in ("id", "where")  # course: { id }


def _tenant_path(path: tuple[str, ...]) -> bool:
    return any(_tenant_word(part) for part in path if part != "...") or ("...",) == path[-1:]


def _owner_source(path: tuple[str, ...], caller: Taint, strict: bool = False) -> bool:
    """Whether a caller value is an identity: its own name says so (``userId`` from the body), or it
    sits under an owner key and its name says nothing else (``{ userId: body.id }``)."""
    if _owner_word(caller.name):
        return True
    if strict:
        return _owner_path(path[-1:]) and caller.name in ("", path[-1])
    return _owner_path(path[-1:]) and (caller.name in ("", path[-1]) or not ID_NAME.search(caller.name))


def _id_like(path: tuple[str, ...], caller: Taint) -> bool:
    return any(ID_NAME.search(part) for part in path if part != "...") or bool(ID_NAME.search(caller.name))


def _counter(path: tuple[str, ...], node: Node) -> bool:
    """``{ increment: 1 }``, ``sql`${t.likes} + 1```, ``$inc``: a counter bump."""
    if any(part in ("increment", "decrement", "$inc", "multiply") for part in path):
        return True
    value = text(node)
    return bool(re.search(r"\b(?:increment|decrement)\b|\$inc\b|[+-]\s*1\b", value)) and len(value) < 120


def _public_filter(access: Access) -> bool:
    for path, node in access.filters:
        if path and path[-1].lower() in PUBLIC_KEYS and text(node) in PUBLIC_VALUES:
            return True
    return False


def _key_text(node: Node | None) -> str:
    if node is None:
        return ""
    return string_value(node) if node.type == "string" else text(node)


def _pattern_key(prop: Node) -> str:
    if prop.type == "shorthand_property_identifier_pattern":
        return text(prop)
    if prop.type == "pair_pattern":
        return _key_text(prop.child_by_field_name("key"))
    if prop.type == "object_assignment_pattern":
        left = prop.child_by_field_name("left")
        return text(left) if left is not None else ""
    return ""


def _pattern_target(prop: Node) -> Node | None:
    if prop.type == "shorthand_property_identifier_pattern":
        return prop
    if prop.type == "pair_pattern":
        return prop.child_by_field_name("value")
    if prop.type == "object_assignment_pattern":
        return prop.child_by_field_name("left")
    return None


def _names(pattern: Node) -> set[str]:
    """The names a binding pattern binds (defaults' expressions left out)."""
    names = set()
    for node in walk(pattern):
        if node.type not in ("identifier", "shorthand_property_identifier_pattern"):
            continue
        parent = node.parent
        if parent is not None and parent.type in ("assignment_pattern", "object_assignment_pattern") and parent.child_by_field_name("right") == node:
            continue
        names.add(text(node))
    return names


def _is_session_name(pattern: Node) -> bool:
    if pattern.type == "identifier":
        return text(pattern) in SESSION_NAMES
    return False


def _is_form_data(pattern: Node, function: Node, index: int) -> bool:
    if pattern.type != "identifier":
        return False
    if text(pattern) in ("formData", "form", "fd", "data") and b"FormData" in function.text:
        return True
    param = pattern.parent
    annotation = param.child_by_field_name("type") if param is not None and param.type in ("required_parameter", "optional_parameter") else None
    return annotation is not None and "FormData" in text(annotation)


def _literal(node: Node | None) -> bool:
    return node is not None and _unwrap(node).type in ("string", "number", "true", "false", "null", "undefined", "template_string")


def _norm(node: Node) -> str:
    return re.sub(r"\s+|\?(?=\.)|!(?=\.)", "", text(_unwrap(node)))


def _rank(confidence: Confidence) -> int:
    order = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}
    return order.get(confidence, 1)


def _a(table: str) -> str:
    return f"a `{table}` record" if table else "a record"


def _verb_base(access: Access) -> str:
    return {"reads": "read", "updates": "change", "deletes": "delete", "replaces": "replace", "upserts": "change", "changes": "change"}.get(access.verb, "reach")


def _short(node: Node, limit: int = 60) -> str:
    value = " ".join(text(node).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _short_callee(call: Node) -> str:
    """``db.note.delete()``, ``db.delete(notes)…where()``: the call without its arguments."""
    parts = []
    node = call
    for _ in range(16):
        node = _unwrap(node)
        if node is None:
            break
        if node.type == "call_expression":
            function = _unwrap(node.child_by_field_name("function"))
            if function is None:
                break
            if function.type == "member_expression":
                parts.append(f".{_last(function)}()")
                node = function.child_by_field_name("object")
                continue
            parts.append(f"{text(function)}()")
            break
        if node.type == "member_expression":
            parts.append(f".{_last(node)}")
            node = node.child_by_field_name("object")
            continue
        parts.append(text(node))
        break
    parts.reverse()
    shown = "".join(parts)
    if len(parts) > 4:
        shown = "".join(parts[:3]) + "…" + parts[-1]
    return shown


# -- CLK303 / CLK304 helpers -------------------------------------------------------------------------

METADATA_QUERY = """
[
  (member_expression property: (property_identifier) @prop) @member
  (shorthand_property_identifier_pattern) @short
]
"""


def _metadata_reads(file: SourceFile, field_name: str) -> list[tuple[Node, str]]:
    """Reads of a role-like key of ``<x>.unsafeMetadata`` / ``publicMetadata``: the expression
    holding the key's value, and the key. Followed through ``const { role } = user.unsafeMetadata``
    and ``const meta = user.unsafeMetadata``."""
    found: list[tuple[Node, str]] = []
    holders: list[tuple[Node, Node]] = []  # (node whose value is the metadata object, scope)
    result = captures(file.grammar, METADATA_QUERY, file.root)
    for prop in result.get("prop", ()):
        if text(prop) == field_name and prop.parent is not None:
            holders.append((prop.parent, file.root))
    for short in result.get("short", ()):
        if text(short) == field_name:  # const { unsafeMetadata } = user
            holders.append((short, file.root))
    seen: set[tuple[int, int]] = set()
    for holder, _scope in holders:
        for node, key in _role_reads(file, holder):
            span = (node.start_byte, node.end_byte)
            if span not in seen:
                seen.add(span)
                found.append((node, key))
    return found


def _role_reads(file: SourceFile, holder: Node) -> list[tuple[Node, str]]:
    """From an expression holding a metadata object: the reads of its role-like keys."""
    found = []
    node = holder
    parent = _value_parent(node)
    while parent is not None and parent.type == "binary_expression" and _operator(parent) in ("??", "||") and parent.child_by_field_name("left") is not None and _contains(parent.child_by_field_name("left"), node):
        node = parent  # `user.unsafeMetadata ?? {}`
        parent = _value_parent(node)
    if parent is not None and parent.type in ("member_expression", "subscript_expression") and parent.child_by_field_name("object") is not None and _unwrap(parent.child_by_field_name("object")) == _unwrap(node) or (
        parent is not None and parent.type in ("member_expression", "subscript_expression") and _contains(parent.child_by_field_name("object"), node)
    ):
        key = text(parent.child_by_field_name("property")) if parent.type == "member_expression" else (string_value(parent.child_by_field_name("index")) or "")
        if ROLE_KEY.match(key):
            found.append((parent, key))
        return found
    # bound to a name: `const meta = user.unsafeMetadata`, `const { role } = user.unsafeMetadata`
    declarator = parent if parent is not None and parent.type == "variable_declarator" else None
    if holder.type == "shorthand_property_identifier_pattern":
        scope = _scope(holder)
        for ref in _references(file, scope, text(holder), after=holder.end_byte):
            found.extend(_role_reads(file, ref))
        return found
    if declarator is None:
        return found
    pattern = declarator.child_by_field_name("name")
    scope = _scope(declarator)
    if pattern is None:
        return found
    if pattern.type == "identifier":
        for ref in _references(file, scope, text(pattern), after=declarator.end_byte):
            found.extend(_role_reads(file, ref))
    elif pattern.type == "object_pattern":
        for prop in pattern.named_children:
            key = _pattern_key(prop)
            target = _pattern_target(prop)
            if key and ROLE_KEY.match(key) and target is not None and target.type in ("identifier", "shorthand_property_identifier_pattern"):
                for ref in _references(file, scope, text(target), after=declarator.end_byte):
                    found.append((ref, key))
    return found


def _value_parent(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression", "non_null_expression", "satisfies_expression"):
        parent = parent.parent
    return parent


def _contains(outer: Node | None, inner: Node) -> bool:
    return outer is not None and outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def _scope(node: Node) -> Node:
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES or parent.type == "program":
            return parent
        parent = parent.parent
    return node


def _references(file: SourceFile, scope: Node, name: str, after: int) -> list[Node]:
    refs = []
    for ref in captures(file.grammar, "[(identifier) (shorthand_property_identifier)] @ref", scope).get("ref", ()):
        if ref.start_byte >= after and text(ref) == name:
            parent = ref.parent
            if parent is not None and parent.type == "variable_declarator" and parent.child_by_field_name("name") == ref:
                continue
            refs.append(ref)
    return refs


def _decision(node: Node, file: SourceFile | None = None, hops: int = 0) -> Node | None:
    """The comparison, membership test or condition a value reaches, if it decides something:
    ``=== 'admin'``, ``.includes('admin')``, ``if (...)``, ``cond ? a : b``, ``switch``; through one
    local it is assigned to (``const role = meta.role || 'user'``)."""
    current = node
    for _ in range(12):
        parent = current.parent
        if parent is None:
            return None
        kind = parent.type
        if kind == "variable_declarator" and file is not None and hops < 2 and parent.child_by_field_name("value") == current:
            name = parent.child_by_field_name("name")
            if name is None or name.type != "identifier":
                return None
            for ref in _references(file, _scope(parent), text(name), after=parent.end_byte):
                found = _decision(ref, file, hops + 1)
                if found is not None:
                    return found
            return None
        if kind in ("parenthesized_expression", "non_null_expression", "as_expression", "satisfies_expression"):
            current = parent
            continue
        if kind == "binary_expression":
            op = _operator(parent)
            if op in ("===", "!==", "==", "!="):
                return parent
            if op in ("||", "&&", "??"):
                current = parent
                continue
            return None
        if kind == "member_expression" and parent.child_by_field_name("object") == current:
            prop = text(parent.child_by_field_name("property"))
            grand = parent.parent
            if prop in ("includes", "some", "has", "indexOf", "find") and grand is not None and grand.type == "call_expression":
                return grand
            current = parent
            continue
        if kind == "arguments" and parent.parent is not None:
            callee = parent.parent.child_by_field_name("function")
            if callee is not None and _last(callee) in ("includes", "has", "indexOf"):
                return parent.parent
            return None
        if kind == "unary_expression" and text(parent).startswith("!"):
            current = parent
            continue
        if kind in ("if_statement", "ternary_expression", "while_statement") and parent.child_by_field_name("condition") == current:
            return parent.child_by_field_name("condition")
        if kind == "switch_statement":
            return parent
        if kind == "jsx_expression" and parent.parent is not None and parent.parent.type == "jsx_attribute":
            return None
        return None
    return None


def _uses_client_hooks(file: SourceFile) -> bool:
    return any(hook in file.data for hook in (b"useUser", b"useAuth", b"useSession"))


def _client_role_checks(project: "Project", file: SourceFile) -> list[tuple[Node, Node, str]]:
    """Role, permission and plan checks in a client module: (the check, the component it gates, how)."""
    found: list[tuple[Node, Node, str]] = []
    data = file.data
    if b"Metadata" in data:
        for node, key in _metadata_reads(file, "publicMetadata"):
            decision = _decision(node, file)
            if decision is not None:
                found.append((node, _component(node), f"the `publicMetadata.{key}` check"))
    if b"has" in data:
        for call in captures(file.grammar, CALL_QUERY, file.root).get("call", ()):
            callee = call.child_by_field_name("function")
            if callee is None or _last(callee) != "has":
                continue
            argument = _first_arg(call.child_by_field_name("arguments"))
            if argument is None or argument.type != "object":
                continue
            keys = {_key_text(p.child_by_field_name("key")) for p in argument.named_children if p.type == "pair"}
            keys |= {text(p) for p in argument.named_children if p.type == "shorthand_property_identifier"}
            if keys & {"role", "permission", "plan", "feature"}:
                found.append((call, _component(call), f"the `{_short(call, 40)}` check"))
    if file.grammar != "typescript" and (b"<Protect" in data or b"<Show" in data):
        for element in captures(file.grammar, "[(jsx_opening_element) (jsx_self_closing_element)] @el", file.root).get("el", ()):
            name = element.child_by_field_name("name")
            if name is None or text(name) not in ("Protect", "Show"):
                continue
            attributes = {text(a.named_children[0]) for a in element.named_children if a.type == "jsx_attribute" and a.named_children}
            gated = attributes & {"role", "permission", "plan", "feature", "condition"}
            if text(name) == "Show" and "when" in attributes and re.search(rb"role|permission|plan|feature|has\(", element.text):
                gated = {"when"}
            if gated:
                scope = element.parent if element.type == "jsx_opening_element" and element.parent is not None else element
                found.append((element, scope, f"the `<{text(name)} {sorted(gated)[0]}>` gate"))
    return found


def _component(node: Node) -> Node:
    """The outermost function around ``node`` (the component it sits in)."""
    found = node
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES:
            found = parent
        parent = parent.parent
    return found


def _url_path(node: Node) -> str | None:
    node = _unwrap(node)
    if node.type == "string":
        return string_value(node)
    if node.type == "template_string":
        parts = []
        for child in node.named_children:
            if child.type == "string_fragment":
                parts.append(text(child))
            elif child.type == "template_substitution":
                parts.append("\x00")
        return "".join(parts)
    return None


def _url_matches(segments, parts: list[str]) -> bool:
    if segments is None:
        return False
    index = 0
    for segment in segments:
        if segment.kind in ("catchall", "optional_catchall"):
            return True
        if index >= len(parts):
            return False
        part = parts[index]
        if segment.kind == "static" and part != segment.name:
            return False
        index += 1
    return index == len(parts)


# -- CLK302: client components -------------------------------------------------------------------------

HOOK_QUERY = "(variable_declarator name: (_) @name value: (call_expression function: (identifier) @hook)) @decl"


def _client_arguments(project: "Project", file: SourceFile, action, index: int, name: str) -> list[Location]:
    """Arguments at ``index`` of calls to ``action`` in a client module that come from ``useUser()``
    (``user.id``) or ``useAuth()`` (``userId``)."""
    if action.name.encode() not in file.data:
        return []
    locals_for_action = set()
    for binding in project.js(file).imports:
        symbol = project.symbols.lookup(file, binding.local)
        if symbol.file is action.file and symbol.name == action.name or (symbol.node is not None and symbol.node == action.value):
            locals_for_action.add(binding.local)
    if not locals_for_action:
        return []
    identity_names: set[str] = set()
    for _, match in matches(file.grammar, HOOK_QUERY, file.root):
        hook = text(match["hook"][0])
        if hook not in ("useUser", "useAuth", "useSession"):
            continue
        for node in walk(match["name"][0]):
            if node.type in ("identifier", "shorthand_property_identifier_pattern"):
                identity_names.add(text(node))
    if not identity_names:
        return []
    found = []
    for call in captures(file.grammar, CALL_QUERY, file.root).get("call", ()):
        callee = call.child_by_field_name("function")
        shift = 0
        if callee is not None and callee.type == "member_expression" and _last(callee) == "bind":
            callee = callee.child_by_field_name("object")
            shift = 1
        if callee is None or callee.type != "identifier" or text(callee) not in locals_for_action:
            continue
        args = call.child_by_field_name("arguments")
        arguments = [a for a in args.named_children if a.type != "comment"] if args is not None else []
        position = index + shift
        if position >= len(arguments):
            continue
        argument = _unwrap(arguments[position])
        candidates = [argument]
        if argument.type == "object":
            value = _property(argument, name) if name else None
            candidates = [value] if value is not None else [p for p in argument.named_children]
        for candidate in candidates:
            if candidate is None:
                continue
            root = candidate
            while root.type in ("member_expression", "non_null_expression", "pair") and root.named_children:
                root = root.child_by_field_name("object") or root.child_by_field_name("value") or root.named_children[0]
            if root.type in ("identifier", "shorthand_property_identifier") and text(root) in identity_names:
                found.append(file.node_location(candidate, f"the client passes `{_short(candidate, 30)}` from Clerk's client hooks"))
                break
    return found


def _last(node: Node | None) -> str:
    return last_name(node, through_calls=False)
