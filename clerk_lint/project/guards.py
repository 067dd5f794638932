"""The guard grammar: does a server entry point refuse signed-out callers before it reaches data?

A *guard* is a statement after which the function cannot continue for a signed-out caller:
``await auth.protect()``; an auth state (``await auth()``, ``await currentUser()``, ``getAuth(req)``,
``verifyToken``/``authenticateRequest``, or a project helper whose result depends on them) followed by
``if (<falsy test>) <exit>``; the positive forms ``if (userId) { ...all the work... }`` and
``if (userId) return x; throw …``; the same inside a ``try`` body (a ``return`` refusal holds after
the ``try``; a thrown one only when the ``catch`` exits or rethrows); a call to a
*guard helper* (a project function, in any file, whose body guards and throws or redirects); a wrapper
or action client whose middleware guards (``withAuth(handler)``, next-safe-action ``.use()``, tRPC
``protectedProcedure``); a shared-secret check (``CRON_SECRET``) with an exit.

A *sink* is what makes an unguarded entry point matter: data (database clients, ``clerkClient()``, the
file system, server secrets in ``process.env``) or any other call (``fetch``, project functions that
reach a sink). Response builders, request parsing and plain value helpers are not sinks, nor is getting
a client (``const db = getDb(c)``): its queries are.

Functions in other files are summarised once (guards / depends on the session / reaches data) and
the summaries are cached, so a helper used by a hundred routes is analysed once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tree_sitter import Node

from clerk_lint.findings import Location
from clerk_lint.parsing import captures, text, walk
from clerk_lint.parsing import last_name as _last_name
from clerk_lint.parsing import operator as _operator
from clerk_lint.parsing import root_identifier as _root
from clerk_lint.parsing import unwrap as _unwrap
from clerk_lint.project.js import FUNCTION_TYPES, declarators, env_reads
from clerk_lint.project.symbols import CLERK, EXTERNAL, FUNCTION, MODULE, VALUE, Symbol, Symbols, is_clerk_module
from clerk_lint.secrets import public_prefix
from clerk_lint.source import SourceFile

if TYPE_CHECKING:
    from clerk_lint.project import Project

#: Clerk exports whose result is the caller's auth state
AUTH_STATE = frozenset({"auth", "currentUser", "getAuth", "verifyToken", "authenticateRequest", "requireAuth"})
#: calls that end the request by throwing (Next.js navigation errors, Clerk redirects)
EXIT_CALLS = frozenset({"redirect", "permanentRedirect", "notFound", "unauthorized", "forbidden", "redirectToSignIn", "redirectToSignUp"})
#: request/context objects a framework middleware hangs the auth state on: ``req.auth()`` (@clerk/express
#: 2+), ``req.auth`` (@clerk/express 1, @clerk/clerk-sdk-node), ``event.context.auth()``, ``locals.auth()``
REQUEST_ROOTS = frozenset({"req", "request", "c", "ctx", "context", "event", "locals"})
#: names an auth state is usually destructured into or held by
AUTH_PROPS = frozenset({"userId", "user", "session", "sessionId", "isAuthenticated", "isSignedIn", "orgId", "auth", "identity", "subject"})
#: packages whose clients reach stored data
DATA_PACKAGES = (
    "@prisma/client", "prisma", "drizzle-orm", "@supabase/", "mongoose", "mongodb", "pg", "postgres", "mysql", "mysql2",
    "@vercel/postgres", "@vercel/kv", "@vercel/blob", "@neondatabase/", "@planetscale/", "kysely", "knex", "@upstash/",
    "ioredis", "redis", "firebase-admin", "firebase/", "@libsql/", "better-sqlite3", "sqlite3", "sqlite", "convex/", "@aws-sdk/", "stripe", "@google-cloud/", "typeorm", "sequelize", "@mikro-orm/",
    "@electric-sql/", "@turso/", "@xata.io/", "faunadb", "@sanity/client", "contentful-management", "@octokit/",
)
#: names that hold a database client by convention
DATA_NAMES = frozenset({
    "db", "prisma", "database", "sql", "knex", "kysely", "drizzle", "supabase", "pool", "redis", "kv", "mongo",
    "mongoose", "collection", "firestore", "admin", "storage", "s3", "stripe", "turso", "xata", "pg", "conn", "connection",
})
#: constructors and factories whose result is a database client
DATA_FACTORIES = frozenset({
    "PrismaClient", "drizzle", "createClient", "createServerClient", "createBrowserClient", "neon", "Pool", "Client", "postgres",
    "MongoClient", "Redis", "Kysely", "knex", "createPool", "createConnection", "connect", "initializeApp", "getFirestore",
    "Stripe", "createKysely", "sql", "ConvexHttpClient", "S3Client",
})
#: roots of member calls that only read the request or build a response / plain values
PURE_ROOTS = frozenset({
    "req", "request", "res", "response", "params", "searchParams", "body", "formData", "headers", "cookies", "url", "console",
    "JSON", "Math", "Object", "Array", "Promise", "Number", "String", "Boolean", "Date", "Intl", "z", "Response", "NextResponse",
    "URL", "URLSearchParams", "Buffer", "crypto", "Symbol", "Reflect", "Error", "TextEncoder", "TextDecoder", "Map", "Set",
    "process", "performance", "window", "document", "navigator", "localStorage", "NextRequest", "ctx", "context", "event", "data",
    "input", "args", "props", "query", "payload", "values", "result", "results", "error", "err", "e",
})
#: plain functions and methods that are not sinks
PURE_CALLS = frozenset({
    "Response", "NextResponse", "URL", "URLSearchParams", "Error", "TypeError", "Date", "Map", "Set", "String", "Number",
    "Boolean", "Array", "Object", "parseInt", "parseFloat", "isNaN", "encodeURIComponent", "decodeURIComponent", "encodeURI",
    "decodeURI", "setTimeout", "clearTimeout", "structuredClone", "headers", "cookies", "draftMode", "revalidatePath",
    "revalidateTag", "unstable_noStore", "noStore", "connection", "after", "require", "cn", "clsx", "json", "Headers",
    "TextEncoder", "TextDecoder", "Uint8Array", "Blob", "FormData", "RegExp", "Symbol", "Promise", "AbortController",
    "generateMetadata", "getTranslations", "useTranslations", "t", "dynamic", "NextResponse.json", "NextResponse.redirect",
    "NextResponse.next", "NextResponse.rewrite", "Response.json", "Response.redirect", "Response.error",
})
PURE_METHODS = frozenset({
    "json", "text", "formData", "arrayBuffer", "blob", "get", "getAll", "has", "set", "append", "toString", "toJSON",
    "map", "filter", "reduce", "find", "findIndex", "some", "every", "includes", "indexOf", "slice", "splice", "join", "split",
    "trim", "toLowerCase", "toUpperCase", "startsWith", "endsWith", "replace", "replaceAll", "match", "test", "push", "pop",
    "shift", "unshift", "concat", "flat", "flatMap", "sort", "reverse", "keys", "values", "entries", "forEach", "at",
    "padStart", "padEnd", "toFixed", "toISOString", "getTime", "parse", "safeParse", "parseAsync", "safeParseAsync",
    "status", "send", "end", "setHeader", "redirect", "then", "catch", "finally", "bind", "call", "apply", "assign",
    "stringify", "fromEntries", "isArray", "from", "of", "resolve", "reject", "all", "allSettled", "race", "any", "now",
    "log", "error", "warn", "info", "debug", "trace", "min", "max", "round", "floor", "ceil", "abs", "random", "freeze",
    "writeHead", "nextUrl", "clone", "getReader", "read", "decode", "encode", "randomUUID", "charAt", "substring", "localeCompare",
    "toLocaleString", "toLocaleDateString", "revalidatePath", "revalidateTag", "pick", "omit", "extend", "partial",
    "merge", "refine", "transform", "optional", "nullable", "array", "object", "string", "number", "boolean", "enum",
    "default", "describe", "email", "url", "uuid", "int", "positive", "nonempty", "pipe", "brand", "coerce", "superRefine",
    "getFullYear", "getMonth", "getDate", "getDay", "getHours", "getMinutes", "getSeconds", "toUTCString", "toDateString",
    "toTimeString", "setDate", "setHours", "setFullYear", "setMonth", "valueOf", "normalize", "repeat", "codePointAt",
})
#: values that are credentials: server secrets, signatures, API keys and bearer tokens from headers
CREDENTIAL_SOURCE = re.compile(
    r"process\.env\.[A-Z0-9_]*(?:SECRET|TOKEN|KEY|PASSWORD)|createHmac|timingSafeEqual|\.digest\(|"
    r"headers(?:\(\))?\)?\.get\(\s*['\"`](?:authorization|x-api-key|api-key|x-[\w-]*(?:token|secret|signature|key))['\"`]",
    re.I,
)
#: names of project or library functions that verify a caller by other means
VERIFY_NAME = re.compile(r"verif|signature|authori[sz]|authentic|timingSafeEqual|api_?key|isAllowed", re.I)
#: wrappers that return the function they are given (memoised)
MEMOIZERS = frozenset({"cache", "unstable_cache", "memoize", "memoizeOne", "once"})
#: query-building helpers of ORMs that only build expressions (drizzle's `eq(t.id, id)`...)
QUERY_OPERATORS = frozenset({
    "and", "or", "not", "eq", "ne", "gt", "gte", "lt", "lte", "like", "ilike", "notLike", "inArray", "notInArray", "isNull",
    "isNotNull", "between", "exists", "notExists", "desc", "asc", "count", "sum", "avg", "max", "min", "arrayContains",
    "arrayOverlaps", "getTableColumns", "relations", "alias",
})
#: environment variables that hold secrets (a region name or a public URL is not worth protecting)
SECRET_ENV_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|CREDENTIAL|_KEY$|_KEY_|API_KEY|DATABASE_URL|DB_URL|_DSN$|CONNECTION", re.I)

CALL_QUERY = "[(call_expression) (new_expression)] @call"
#: how deep a condition is followed (generated or hostile code can nest thousands of levels)
MAX_EXPRESSION_DEPTH = 64


@dataclass(frozen=True)
class Guard:
    how: str
    file: SourceFile
    node: Node
    helper: Location | None = None  # the helper or wrapper followed into, for related locations
    kind: str = "auth"  # "auth" (Clerk), "ownership" (a comparison with the session user), "credential" (secret, signature, API key)

    def location(self) -> Location:
        return self.file.node_location(self.node, self.how)


@dataclass(frozen=True)
class Sink:
    kind: str  # "data" (stored data, clerkClient, files, secrets) or "call" (fetch, other calls)
    label: str
    node: Node
    file: SourceFile | None = None

    def location(self, message: str = "") -> Location | None:
        return self.file.node_location(self.node, message) if self.file is not None else None


@dataclass
class Verdict:
    """What the body of one function does, in order."""

    guard: Guard | None = None
    #: sinks that run for a signed-out caller (before the guard, outside a positive `if (userId)` region)
    unguarded: list[Sink] = field(default_factory=list)
    #: every sink, guarded or not
    sinks: list[Sink] = field(default_factory=list)
    uses_auth: bool = False  # reads the auth state somewhere (a check that does not exit still counts)
    unawaited_guard: str = ""  # a guard helper called without await

    def exposed(self, kinds: frozenset[str] = frozenset({"data", "call"})) -> list[Sink]:
        return [s for s in self.unguarded if s.kind in kinds]


@dataclass(frozen=True)
class Summary:
    """A project function, as seen by its callers."""

    guards: Guard | None  # calling it throws or redirects for a signed-out caller
    auth_source: bool  # its result depends on the session
    data: bool  # it reaches stored data for a signed-out caller, directly or through its callees
    reaches: bool  # it reaches any sink for a signed-out caller


NEUTRAL = Summary(None, False, False, True)

DATA_ONLY = frozenset({"data"})


@dataclass
class _State:
    file: SourceFile
    mode: str  # "entry": a return ends the request; "helper": only throws and redirects do
    auth_vars: set[str] = field(default_factory=set)
    uses_auth: bool = False
    data_vars: set[str] = field(default_factory=set)  # locals holding a data client (`await clerkClient()`)
    promise_vars: set[str] = field(default_factory=set)  # locals holding an un-awaited auth promise
    credential_vars: set[str] = field(default_factory=set)  # locals holding a secret, a signature or a request credential
    unawaited_guard: str = ""  # a guard helper called without await (its check does not hold)
    inert_vars: set[str] = field(default_factory=set)  # locals holding helper objects (`new RSS()`)
    inline_actions: list[tuple[int, int]] = field(default_factory=list)


class Guards:
    def __init__(self, project: "Project", symbols: Symbols) -> None:
        self.project = project
        self.symbols = symbols
        self._summaries: dict[tuple[str, int], Summary] = {}
        self._wrappers: dict[tuple[str, int], Guard | None] = {}
        self._values: dict[tuple[str, int], bool] = {}

    # -- public API ------------------------------------------------------------------------------

    def analyse(self, file: SourceFile, function: Node, mode: str = "entry") -> Verdict:
        state = _State(file, mode)
        state.inline_actions = [r for r in self.project.nextjs.inline_actions(file) if r != (function.start_byte, function.end_byte)]
        verdict = Verdict()
        self._statements(_body(function), state, verdict, guarded=False)
        verdict.uses_auth = state.uses_auth
        verdict.unawaited_guard = state.unawaited_guard
        return verdict

    def summary(self, file: SourceFile, function: Node) -> Summary:
        key = (str(file.path), function.start_byte)
        if key in self._summaries:
            return self._summaries[key]
        self._summaries[key] = NEUTRAL  # recursion ends here
        verdict = self.analyse(file, function, mode="helper")
        guard = verdict.guard if not verdict.exposed(DATA_ONLY) else None
        if guard is not None and guard.helper is None:
            guard = Guard(guard.how, guard.file, guard.node, file.node_location(function, "guard helper"), guard.kind)
        # what a signed-out caller reaches through it: a helper that returns early for them
        # (`if (!userId) return null`) only reaches data for signed-in callers
        exposed = [] if guard is not None else self.analyse(file, function, mode="entry").unguarded
        result = Summary(
            guards=guard,
            auth_source=verdict.uses_auth,
            data=any(s.kind == "data" for s in exposed),
            reaches=bool(exposed),
        )
        self._summaries[key] = result
        return result

    def entry(self, file: SourceFile, value: Node | None) -> tuple[SourceFile, Node | None, Guard | None]:
        """The handler function behind an exported value, and a guard applied by its wrapper:
        a function; a name bound to one (here or in another file); ``withAuth(handler)``;
        ``client.schema(s).action(handler)``; ``protectedProcedure.mutation(handler)``."""
        if value is None:
            return file, None, None
        value = _unwrap(value)
        if value.type in FUNCTION_TYPES:
            return file, value, None
        if value.type == "identifier":
            symbol = self.symbols.lookup(file, text(value))
            if symbol.kind == FUNCTION and symbol.file is not None:
                return symbol.file, symbol.node, None
            if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None and symbol.node.type == "call_expression":
                return self.entry(symbol.file, symbol.node)
            return file, None, None
        if value.type == "call_expression":
            handler_file, handler = self._handler_argument(file, value)
            return handler_file, handler, self.chain_guard(file, value, handler)
        return file, None, None

    def chain_guard(self, file: SourceFile, call: Node, handler: Node | None, depth: int = 0) -> Guard | None:
        """A guard applied around ``handler`` by the call chain that wraps it."""
        if depth > 6:
            return None
        node = call
        while node is not None:
            node = _unwrap(node)
            if node.type != "call_expression":
                break
            callee = node.child_by_field_name("function")
            symbol = self.symbols.callee(file, callee)
            if symbol.kind == CLERK and symbol.name in ("requireAuth", "withServerSideAuth"):
                return Guard(f"{symbol.name}() wrapper", file, node)
            if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
                guard = self.wrapper_guard(symbol.file, symbol.node)
                if guard is not None:
                    return guard
            for argument in _arguments(node):
                guard = self._argument_guard(file, argument, handler, depth)
                if guard is not None:
                    return guard
            node = callee.child_by_field_name("object") if callee is not None and callee.type == "member_expression" else None
        if node is not None and node.type == "identifier":  # the root of a chain: `authClient.action(...)`
            symbol = self.symbols.lookup(file, text(node))
            if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
                return self.chain_guard(symbol.file, symbol.node, None, depth + 1)
        return None

    def wrapper_guard(self, file: SourceFile, function: Node) -> Guard | None:
        """A guard inside a wrapper: the wrapper itself guards, or a function it returns does."""
        key = (str(file.path), function.start_byte)
        if key in self._wrappers:
            return self._wrappers[key]
        self._wrappers[key] = None
        found = None
        summary = self.summary(file, function)
        if summary.guards is not None:
            found = summary.guards
        else:
            for inner in captures(file.grammar, "[(arrow_function) (function_expression)] @fn", function).get("fn", ()):
                if inner == function:
                    continue
                verdict = self.analyse(file, inner, mode="entry")
                if verdict.guard is not None:
                    found = Guard(verdict.guard.how, verdict.guard.file, verdict.guard.node, file.node_location(function, "guarding wrapper"))
                    break
        self._wrappers[key] = found
        return found

    def is_data_value(self, file: SourceFile, value: Node) -> bool:
        """Whether a project value (``export const db = new PrismaClient()``) is a data client."""
        key = (str(file.path), value.start_byte)
        if key not in self._values:
            self._values[key] = False
            node = _unwrap(value)
            if node.type == "binary_expression" and _operator(node) in ("||", "??"):
                # `globalThis.prisma ?? new PrismaClient()`: the singleton pattern
                self._values[key] = any(self.is_data_value(file, o) for o in _chain(node, _operator(node))[-3:] if o != node)
                return self._values[key]
            while node.type in ("call_expression", "new_expression", "member_expression", "await_expression") and node.named_children:
                inner = node.child_by_field_name("function") or node.child_by_field_name("constructor") or node.child_by_field_name("object")
                if node.type == "await_expression":
                    inner = node.named_children[0]
                if inner is None:
                    break
                name = _last_name(inner)
                if name in DATA_FACTORIES:
                    self._values[key] = True
                    break
                symbol = self.symbols.callee(file, inner)
                if symbol.kind in (EXTERNAL, MODULE) and _is_data_package(symbol.source) or symbol.clerk("createClerkClient", "clerkClient"):
                    self._values[key] = True
                    break
                node = inner
        return self._values[key]

    # -- statements ------------------------------------------------------------------------------

    def _statements(self, statements: list[Node], state: _State, verdict: Verdict, guarded: bool) -> None:
        signed_out_only = False  # after `if (userId) return …`: what follows runs for signed-out callers only
        for statement in statements:
            if statement.type == "comment":
                continue
            if not guarded:
                if signed_out_only and self._exits(statement, state):
                    # `if (auth?.userId) return auth.userId; throw new Error('Not authenticated')`
                    verdict.guard = Guard("signed-in branch returns first, every other caller reaches an exit", state.file, statement)
                    guarded = True
                    continue
                if statement.type == "try_statement" and statement.child_by_field_name("body") is not None:
                    guard = self._try_statement(statement, state, verdict)
                    if guard is not None:
                        verdict.guard = guard
                        guarded = True
                    continue
                guard = self._guard(statement, state, verdict)
                if guard is not None:
                    verdict.guard = guard
                    guarded = True
                    continue
                nested = self._nested_guard(statement, state)
                if nested is not None:
                    # `db.x.findFirst({ where: { tenantId: await getTenantId() } })`: the helper runs
                    # (and redirects a signed-out caller) before the query it is an argument of
                    verdict.guard = nested
                    guarded = True
                if statement.type == "if_statement" and self._positive_region(statement, state, verdict):
                    guarded = verdict.guard is not None
                    signed_out_only = signed_out_only or (not guarded and _returns_early(statement))
                    continue
            self._collect(statement, state, verdict, guarded)

    def _try_statement(self, statement: Node, state: _State, verdict: Verdict) -> Guard | None:
        """``try { guard; work } catch { … }``: the body is read statement by statement (a guard or a
        signed-in branch inside it covers the work after it). The guard also covers what follows the
        ``try`` when the catch cannot swallow it: the catch exits or rethrows, or (in a handler) the guard
        refuses by returning, which no catch intercepts."""
        inner = Verdict()
        self._statements(statement.child_by_field_name("body").named_children, state, inner, guarded=False)
        verdict.sinks.extend(inner.sinks)
        verdict.unguarded.extend(inner.unguarded)
        handler = statement.child_by_field_name("handler")
        catch_body = handler.child_by_field_name("body") if handler is not None else None
        holds = inner.guard is not None and (
            catch_body is None or self._exits(catch_body, state) or _rethrows(catch_body)
            or (state.mode == "entry" and _refuses_by_return(inner.guard.node, statement))
        )
        if catch_body is not None:
            self._collect(catch_body, state, verdict, guarded=holds)
        finalizer = statement.child_by_field_name("finalizer")
        if finalizer is not None:
            self._collect(finalizer, state, verdict, guarded=False)
        return inner.guard if holds else None

    def _nested_guard(self, statement: Node, state: _State) -> Guard | None:
        """An awaited guard-helper call inside a statement's expression (not in a nested function)."""
        if statement.type in ("if_statement", "try_statement", "for_statement", "while_statement"):
            return None
        for awaited in captures(state.file.grammar, "(call_expression) @call", statement).get("call", ()):
            parent = awaited.parent
            is_awaited = parent is not None and parent.type == "await_expression"
            symbol = self._function_symbol(state.file, awaited.child_by_field_name("function"))
            if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
                if _is_async(symbol.node) and (not is_awaited or _enclosing_function_within(awaited, statement)):
                    continue  # an async helper only guards where it is awaited in this function's flow
                summary = self.summary(symbol.file, symbol.node)
                if summary.guards is not None:
                    state.uses_auth = True
                    where = symbol.file.node_location(symbol.node, "guard helper")
                    return Guard(f"guard helper `{_short(awaited)}`", state.file, awaited, where)
        return None

    def _collect(self, node: Node, state: _State, verdict: Verdict, guarded: bool) -> None:
        """Record the sinks (and helper guards that come too late) inside ``node``."""
        self._declare(node, state)
        file = state.file
        skip = state.inline_actions
        found: list[Sink] = []
        calls = sorted(captures(file.grammar, CALL_QUERY, node).get("call", ()), key=lambda n: (n.start_byte, -n.end_byte))
        for call in calls:
            if skip and any(start <= call.start_byte < end for start, end in skip):
                continue  # an inline Server Action runs when it is called, not with this function
            if call.type == "call_expression" and self._is_clerk_auth_call(call, state):
                state.uses_auth = True
                continue
            if call.type == "call_expression" and _declared_value(call) and self._is_data_client(call, state):
                continue  # `const db = getDb(ctx)`: holding a client is no data access; `db.x.find()` is
            sink = self._sink(call, state)
            if sink is not None:
                found.append(Sink(sink.kind, sink.label, sink.node, file))
        for sink in _innermost(found):  # `db.update(t).set(v).where(c)` is one access: `db.update`
            verdict.sinks.append(sink)
            if not guarded:
                verdict.unguarded.append(sink)
        if b"env" in node.text:
            for read in env_reads(file.grammar, node):
                if public_prefix(read.name) or not SECRET_ENV_NAME.search(read.name):
                    continue
                sink = Sink("data", f"process.env.{read.name}", read.node, file)
                verdict.sinks.append(sink)
                if not guarded:
                    verdict.unguarded.append(sink)

    def _positive_region(self, statement: Node, state: _State, verdict: Verdict) -> bool:
        """``if (userId) { ...work... }``: the work is guarded; ``else`` that exits guards the rest too."""
        condition = statement.child_by_field_name("condition")
        if condition is None or not self._positive_test(condition, state):
            return False
        consequence = statement.child_by_field_name("consequence")
        alternative = statement.child_by_field_name("alternative")
        if consequence is not None:
            self._collect(consequence, state, verdict, guarded=True)
        if alternative is not None:
            if self._exits(alternative, state):
                verdict.guard = Guard("signed-in branch with an exit otherwise", state.file, condition)
                return True
            self._collect(alternative, state, verdict, guarded=False)
        return True

    def _guard(self, statement: Node, state: _State, verdict: Verdict) -> Guard | None:
        file = state.file
        kind = statement.type
        if kind == "if_statement":
            condition = statement.child_by_field_name("condition")
            consequence = statement.child_by_field_name("consequence")
            if condition is None or consequence is None:
                return None
            if self._negative_test(condition, state) and self._exits(consequence, state):
                kind = "ownership" if _is_comparison(_unwrap(condition)) else "auth"
                return Guard(f"`{_short(_unwrap(condition))}` check with an exit", file, condition, kind=kind)
            if self._credential_test(condition, state) and self._exits(consequence, state):
                return Guard(f"credential check `{_short(_unwrap(condition))}`", file, condition, kind="credential")
            return None
        for expression in _statement_expressions(statement):
            guard = self._guard_expression(expression, state, statement)
            if guard is not None:
                self._declare(statement, state)
                return guard
        return None

    def _guard_expression(self, expression: Node, state: _State, statement: Node) -> Guard | None:
        file = state.file
        awaited = expression.type == "await_expression" or statement.type == "return_statement"
        call = _unwrap(expression)
        if call.type == "binary_expression" and _operator(call) in ("??", "||"):
            # `orgId ?? userId ?? redirect('/sign-in')`: the value or an exit
            operands = _chain(call, _operator(call))
            if operands and self._exit_call(_unwrap(operands[-1]), state) and any(self._mentions_auth(o, state) for o in operands[:-1]):
                state.uses_auth = True
                return Guard(f"`{_short(call)}`", file, call)
            return None
        if call.type != "call_expression":
            return None
        callee = call.child_by_field_name("function")
        if callee is None:
            return None
        if _last_name(callee) == "protect" and callee.type == "member_expression":
            owner = _unwrap(callee.child_by_field_name("object"))
            if self._is_auth_reference(owner, state):
                state.uses_auth = True
                sync_v5 = owner.type == "call_expression" and self._clerk_major(file) < 6
                if awaited or sync_v5:
                    return Guard(f"`{_short(call)}`", file, call)
            return None
        if _last_name(callee) in EXIT_CALLS:
            return None
        symbol = self._function_symbol(file, callee)
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            summary = self.summary(symbol.file, symbol.node)
            if summary.guards is not None and (awaited or not _is_async(symbol.node)):
                state.uses_auth = True
                where = symbol.file.node_location(symbol.node, f"guard helper {symbol.name or _short(callee)}()")
                return Guard(f"guard helper `{_short(callee)}()`", file, call, where)
            if summary.guards is not None:
                state.unawaited_guard = f"{_short(callee)}()"
        return None

    # -- auth state ------------------------------------------------------------------------------

    def session_call(self, file: SourceFile, call: Node) -> bool:
        """Whether a call's value is the caller's session: an auth-state call (``auth()``,
        ``currentUser()``, ``getAuth(req)``, ``ctx.auth.getUserIdentity()``, a helper whose result
        depends on them) or ``auth.protect()``. For the authorization model."""
        state = _State(file, "entry")
        if self._is_auth_call(call, state):
            return True
        callee = call.child_by_field_name("function")
        return (
            callee is not None and callee.type == "member_expression" and _last_name(callee) == "protect"
            and self._is_auth_reference(callee.child_by_field_name("object"), state)
        )

    def _clerk_major(self, file: SourceFile) -> int:
        return self.project.sdk(file, "@clerk/nextjs").major

    def _is_auth_reference(self, node: Node | None, state: _State) -> bool:
        """``auth`` (Clerk's), ``auth()``, ``await auth()``, or a local holding Clerk's auth object."""
        if node is None:
            return False
        node = _unwrap(node)
        if node.type == "call_expression":
            return self._is_auth_call(node, state)
        if node.type == "identifier":
            name = text(node)
            if name in state.auth_vars:
                return True
            return self.symbols.lookup(state.file, name).clerk("auth")
        if node.type == "member_expression":
            return self.symbols.callee(state.file, node).clerk("auth")
        return False

    def _is_clerk_auth_call(self, call: Node, state: _State) -> bool:
        callee = call.child_by_field_name("function")
        if callee is None:
            return False
        if _last_name(callee) in ("authenticateRequest", "verifyToken", "getUserIdentity"):
            return True
        symbol = self._function_symbol(state.file, callee)
        return symbol.kind == CLERK and symbol.name in AUTH_STATE

    def _function_symbol(self, file: SourceFile, callee: Node):
        """What a callee refers to, seeing through memoising wrappers: React's ``cache(fn)``,
        ``unstable_cache(fn)``, ``memoize(fn)`` stand for ``fn``; a ternary between a stub and a Clerk
        export stands for the Clerk export."""
        symbol = self.symbols.callee(file, callee)
        for _ in range(3):
            if symbol.kind != VALUE or symbol.file is None or symbol.node is None:
                return symbol
            node = _unwrap(symbol.node)
            if node.type == "ternary_expression":  # `const getAuth = isDev ? stub : clerk.getAuth`
                branches = [self.symbols.callee(symbol.file, node.child_by_field_name(f)) for f in ("consequence", "alternative")]
                return next((b for b in branches if b.kind == CLERK), symbol)
            if node.type != "call_expression" or _last_name(node.child_by_field_name("function")) not in MEMOIZERS:
                return symbol
            args = _arguments(node)
            if not args:
                return symbol
            inner = _unwrap(args[0])
            if inner.type in FUNCTION_TYPES:
                return Symbol(FUNCTION, symbol.name, symbol.file, inner)
            file = symbol.file
            symbol = self.symbols.callee(file, inner)
        return symbol

    def _is_auth_call(self, call: Node, state: _State) -> bool:
        """Whether a call returns the auth state: Clerk's auth/currentUser/getAuth/verifyToken,
        ``client.authenticateRequest``, or a project helper whose result depends on the session."""
        callee = call.child_by_field_name("function")
        if callee is None:
            return False
        if _last_name(callee) in ("authenticateRequest", "verifyToken", "getUserIdentity"):
            return True
        symbol = self._function_symbol(state.file, callee)
        if symbol.kind == CLERK and symbol.name in AUTH_STATE:
            return True
        if _is_request_auth(callee):  # req.auth(), event.context.auth()
            return True
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            summary = self.summary(symbol.file, symbol.node)
            return summary.auth_source or summary.guards is not None
        return False

    def _declare(self, node: Node, state: _State) -> None:
        """Names bound to the auth state by declarations in ``node`` (top level only)."""
        if node.type not in ("lexical_declaration", "variable_declaration"):
            return
        for name, value in declarators(node):
            inner = _unwrap(value)
            if CREDENTIAL_SOURCE.search(text(value)) or (
                inner.type == "call_expression" and VERIFY_NAME.search(_last_name(inner.child_by_field_name("function")))
            ):
                state.credential_vars.update(_bound_names(name))  # a secret, or `const ok = verifySignature(...)`
            if inner.type == "new_expression":
                ctor = self.symbols.callee(state.file, inner.child_by_field_name("constructor"))
                if ctor.kind in (EXTERNAL, MODULE) and not _is_data_package(ctor.source):
                    state.inert_vars.update(_bound_names(name))
            if inner.type == "call_expression" and self._is_data_client(inner, state):
                state.data_vars.update(_bound_names(name))
                continue
            is_auth = inner.type == "call_expression" and self._is_auth_call(inner, state)
            if is_auth and not self._settled(value, inner, state):
                # a pending promise: testing it never exits (fails open), but anything read off it is
                # undefined, so a test of a destructured field always exits (fails closed)
                if name.type == "identifier":
                    state.promise_vars.add(text(name))
                    state.uses_auth = True
                    continue
            if not is_auth and inner.type == "member_expression":
                is_auth = self._is_auth_reference(_unwrap(inner.child_by_field_name("object")), state) or _is_request_auth(inner)
            if not is_auth and inner.type == "identifier":
                is_auth = text(inner) in state.auth_vars
            if is_auth:
                state.uses_auth = True
                state.auth_vars.update(_bound_names(name))

    def _is_data_client(self, call: Node, state: _State) -> bool:
        callee = call.child_by_field_name("function")
        if callee is None:
            return False
        symbol = self.symbols.callee(state.file, callee)
        if symbol.clerk("clerkClient", "createClerkClient"):
            return True
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            # a project factory that returns a client: `const getDb = (c) => new Kysely(...)`
            body = symbol.node.child_by_field_name("body")
            if body is not None and body.type != "statement_block":
                returns = [body]
            else:
                returns = captures(symbol.file.grammar, "(return_statement (_) @value)", symbol.node).get("value", ())
            return bool(returns) and all(_constructs_client(symbol.file, value, self) for value in returns)
        return _last_name(callee) in DATA_FACTORIES and _last_name(callee) not in ("sql", "connect")

    def _settled(self, value: Node, call: Node, state: _State) -> bool:
        """Whether an auth-state call's value is the state itself rather than a pending promise:
        awaited, or a call that is synchronous (``getAuth``, v5 ``auth()``, a sync helper)."""
        if value.type == "await_expression" or _unwrap_parens(value).type == "await_expression":
            return True
        callee = call.child_by_field_name("function")
        if _last_name(callee) == "getUserIdentity":
            return False  # Convex's ctx.auth.getUserIdentity() is always async
        symbol = self.symbols.callee(state.file, callee)
        if symbol.kind == CLERK:
            if symbol.name == "auth":
                return self._clerk_major(state.file) < 6
            return symbol.name in ("getAuth", "authenticateRequest") and symbol.name != "currentUser"
        if symbol.kind == FUNCTION and symbol.node is not None:
            return not _is_async(symbol.node)
        return True

    def _mentions_auth(self, node: Node, state: _State, depth: int = 0) -> bool:
        """Whether an expression reads the auth state."""
        if depth > MAX_EXPRESSION_DEPTH:
            return False
        node = _unwrap(node)
        if node.type == "identifier":
            return text(node) in state.auth_vars
        if node.type in ("member_expression", "subscript_expression"):
            root = _root(node)
            if root is not None and (text(root) in state.auth_vars or text(root) in state.promise_vars):
                return True
            if root is not None and text(root) in ("ctx", "context", "opts") and _last_name(node) in AUTH_PROPS:
                return True
            if re.search(r"\.auth(\?\.|\.|\(\)\.)", text(node)) and _last_name(node) in AUTH_PROPS:
                return True  # req.auth.userId (withAuth / Express), event.context.auth().userId
            obj = node.child_by_field_name("object")
            return obj is not None and _unwrap(obj).type == "call_expression" and self._is_auth_call(_unwrap(obj), state)
        if node.type == "call_expression":
            if self._is_auth_call(node, state):
                state.uses_auth = True
                return True
            callee = node.child_by_field_name("function")
            if callee is not None and _last_name(callee) == "has":
                if callee.type == "identifier" and "has" in state.auth_vars:
                    return True
                if callee.type == "member_expression" and self._mentions_auth(callee.child_by_field_name("object"), state, depth + 1):
                    return True
            args = node.child_by_field_name("arguments")
            return args is not None and any(self._mentions_auth(a, state, depth + 1) for a in args.named_children)
        return False

    def _negative_test(self, condition: Node, state: _State, depth: int = 0) -> bool:
        """A test that is true for a signed-out caller: ``!userId``, ``!session?.userId``,
        ``userId == null``, ``!isAuthenticated || x``, ``!has({...})``, ``post.ownerId !== userId``."""
        if depth > MAX_EXPRESSION_DEPTH:
            return False
        node = _unwrap(condition)
        if node.type == "unary_expression" and text(node).startswith("!"):
            operand = node.named_children[0] if node.named_children else None
            return operand is not None and self._mentions_auth(operand, state)
        if node.type == "binary_expression":
            operator = node.child_by_field_name("operator")
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            op = text(operator) if operator is not None else ""
            if op == "||":
                return self._negative_test(left, state, depth + 1) or self._negative_test(right, state, depth + 1)
            if op == "&&":
                return self._negative_test(left, state, depth + 1) and self._negative_test(right, state, depth + 1)
            if op in ("==", "===", "!=", "!==") and left is not None and right is not None:
                if self._mentions_auth(left, state) or self._mentions_auth(right, state):
                    other = right if self._mentions_auth(left, state) else left
                    if op in ("==", "==="):
                        return text(other) in ("null", "undefined", "false", "''", '""') or other.type == "string"
                    return text(other) not in ("null", "undefined", "false")
                if _root_text(left) == "typeof" or text(left).startswith("typeof"):
                    return self._mentions_auth(left.named_children[-1], state) if left.named_children else False
        if node.type == "call_expression":  # if (notSignedIn(user))
            return False
        return False

    def _credential_test(self, condition: Node, state: _State, depth: int = 0) -> bool:
        """A check of something other than the Clerk session that refuses the caller: a shared
        secret (``CRON_SECRET``), a webhook or HMAC signature, an API key from a header, a custom
        ``verify…()`` call."""
        if depth > MAX_EXPRESSION_DEPTH:
            return False
        node = _unwrap(condition)
        body = text(node)
        if node.type == "binary_expression":
            op = _operator(node)
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op in ("||", "&&"):
                return self._credential_test(left, state, depth + 1) or self._credential_test(right, state, depth + 1)
            if op in ("!==", "!="):
                names = set(re.findall(r"[A-Za-z_$][\w$]*", body))
                return bool(names & state.credential_vars) or CREDENTIAL_SOURCE.search(body) is not None
            return False
        if node.type == "unary_expression" and body.startswith("!"):
            operand = _unwrap(node.named_children[0]) if node.named_children else None
            if operand is None:
                return False
            if operand.type == "identifier":
                return text(operand) in state.credential_vars
            if operand.type == "call_expression":
                return VERIFY_NAME.search(_last_name(operand.child_by_field_name("function"))) is not None
            if operand.type == "member_expression":
                return _root_text(operand) in state.credential_vars
        return False

    def _positive_test(self, condition: Node, state: _State, depth: int = 0) -> bool:
        if depth > MAX_EXPRESSION_DEPTH:
            return False
        node = _unwrap(condition)
        if node.type in ("identifier", "member_expression"):
            return self._mentions_auth(node, state)
        if node.type == "binary_expression":
            operator = node.child_by_field_name("operator")
            op = text(operator) if operator is not None else ""
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op == "&&":
                return self._positive_test(left, state, depth + 1) or self._positive_test(right, state, depth + 1)
            if op in ("!=", "!==") and text(right) in ("null", "undefined"):
                return self._mentions_auth(left, state)
        if node.type == "unary_expression" and text(node).startswith("!!"):
            return self._mentions_auth(node, state)
        return False

    def _exits(self, node: Node, state: _State) -> bool:
        """Whether running ``node`` ends the request (or, in a helper, throws to the caller)."""
        if node.type in ("statement_block", "else_clause"):
            return any(self._exits(child, state) for child in node.named_children if child.type != "comment")
        if node.type == "throw_statement":
            return True
        if node.type == "return_statement":
            if state.mode == "entry":
                return True
            value = node.named_children[0] if node.named_children else None
            return value is not None and self._exit_call(_unwrap(value), state)
        if node.type == "expression_statement" and node.named_children:
            return self._exit_call(_unwrap(node.named_children[0]), state)
        return False

    def _exit_call(self, node: Node, state: _State) -> bool:
        if node.type != "call_expression":
            return False
        callee = node.child_by_field_name("function")
        if callee is None:
            return False
        name = _last_name(callee)
        if name in EXIT_CALLS or name == "protect":
            return True
        symbol = self._function_symbol(state.file, callee)
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            return self.summary(symbol.file, symbol.node).guards is not None
        return False

    # -- sinks -----------------------------------------------------------------------------------

    def _sink(self, call: Node, state: _State) -> Sink | None:
        file = state.file
        callee = call.child_by_field_name("function") or call.child_by_field_name("constructor")
        if callee is None:
            return None
        callee = _unwrap(callee)
        if callee.type in FUNCTION_TYPES:  # IIFE: its body is collected with the statement
            return None
        name = _last_name(callee)
        full = _short(callee)
        root = _root(callee)
        root_name = text(root) if root is not None else ""
        if callee.type == "identifier" and (name in state.auth_vars or name in state.promise_vars):
            return None  # has(...) from the auth object
        symbol = self._function_symbol(file, callee)
        if symbol.kind == CLERK:
            return None  # auth state, protect, or getting the Backend API client (its use is the sink)
        if root is not None and root is not callee:
            if root_name in state.data_vars:
                return Sink("data", full, call)
            root_symbol = self.symbols.lookup(file, root_name)
            if root_symbol.clerk("clerkClient", "createClerkClient"):
                return Sink("data", full, call)
            if root_symbol.kind == CLERK or (root_symbol.kind == MODULE and is_clerk_module(root_symbol.source) and "clerkClient" not in full):
                return None
            if root_symbol.kind == VALUE and root_symbol.file is not None and root_symbol.node is not None and self.is_data_value(root_symbol.file, root_symbol.node):
                return Sink("data", full, call)
            if root_symbol.kind in (EXTERNAL, MODULE) and _is_data_package(root_symbol.source):
                return Sink("data", full, call)
            if root_symbol.kind == MODULE and root_symbol.file is not None:  # const Post = require('./models/post')
                default = self.symbols.export(root_symbol.file, "default")
                if default.kind == VALUE and default.file is not None and default.node is not None and self.is_data_value(default.file, default.node):
                    return Sink("data", full, call)
            if root_name in DATA_NAMES:
                return Sink("data", full, call)
            if root_name in state.auth_vars or root_name in PURE_ROOTS or root_name in state.inert_vars:
                return None  # request data, the session, or a helper object such as `new RSS()`
            if root_symbol.kind == EXTERNAL and root_symbol.source and root_symbol.source.startswith(("next/", "react")):
                return None  # draftMode().disable(), headers().get()
        if full in PURE_CALLS or name in EXIT_CALLS or name in QUERY_OPERATORS:
            return None
        if call.type == "new_expression" and (
            name.endswith(("Error", "Exception"))
            or symbol.kind == VALUE and symbol.node is not None and symbol.node.type in ("class_declaration", "class")
            or symbol.kind in (EXTERNAL, MODULE) and not _is_data_package(symbol.source)
        ):
            return None  # building an error or a helper object (new RSS(), new Resend()) reaches nothing yet
        if callee.type == "member_expression" and _unwrap(callee.child_by_field_name("object")).type == "new_expression":
            ctor = _unwrap(callee.child_by_field_name("object")).child_by_field_name("constructor")
            if ctor is not None and text(ctor) in PURE_CALLS:
                return None  # new Date().getFullYear()
        if name == "fetch" and b"import.meta.url" in call.text:
            return None  # a file bundled with the app (fonts, images)
        if callee.type == "member_expression" and name in PURE_METHODS:
            return None
        if callee.type == "identifier" and name in PURE_CALLS:
            return None
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            summary = self.summary(symbol.file, symbol.node)
            if summary.auth_source:
                state.uses_auth = True
            if summary.data:
                return Sink("data", f"{full}()", call)
            if summary.reaches:
                return Sink("call", f"{full}()", call)
            return None
        if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None and self.is_data_value(symbol.file, symbol.node):
            return Sink("data", full, call)
        if symbol.kind in (EXTERNAL, MODULE) and _is_data_package(symbol.source) and not (callee.type == "identifier" and name in DATA_FACTORIES and name != "sql"):
            return Sink("data", full, call)
        if callee.type == "identifier" and name in DATA_FACTORIES and name != "sql":
            return None  # creating a client (`createClient(url, key)`) reaches nothing; its use does
        if name in DATA_NAMES or name in DATA_FACTORIES:
            return Sink("data", full, call)
        if name == "fetch":
            return Sink("call", "fetch()", call)
        if symbol.kind == EXTERNAL and symbol.source and symbol.source.startswith(("next/", "react")):
            return None
        if callee.type == "identifier" and symbol.kind == "unknown" and name and name[0].isupper():
            return None  # JSX-style component factories and classes we cannot see
        return Sink("call", f"{full}()", call)

    def _handler_argument(self, file: SourceFile, call: Node) -> tuple[SourceFile, Node | None]:
        for argument in reversed(_arguments(call)):
            argument = _unwrap(argument)
            if argument.type in FUNCTION_TYPES:
                return file, argument
            if argument.type == "identifier":
                symbol = self.symbols.lookup(file, text(argument))
                if symbol.kind == FUNCTION and symbol.file is not None:
                    return symbol.file, symbol.node
        return file, None

    def _argument_guard(self, file: SourceFile, argument: Node, handler: Node | None, depth: int) -> Guard | None:
        argument = _unwrap(argument)
        if handler is not None and argument == handler:
            return None
        if argument.type in FUNCTION_TYPES:
            verdict = self.analyse(file, argument, mode="helper")
            if verdict.guard is not None:
                return Guard(verdict.guard.how, verdict.guard.file, verdict.guard.node, file.node_location(argument, "guarding middleware"))
            return None
        if argument.type == "identifier":
            symbol = self.symbols.lookup(file, text(argument))
            if symbol.file is None or symbol.node is None or (handler is not None and symbol.node == handler):
                return None
            if symbol.kind == FUNCTION:
                return self._argument_guard(symbol.file, symbol.node, None, depth + 1)
            if symbol.kind == VALUE and _unwrap(symbol.node).type == "call_expression":
                return self.chain_guard(symbol.file, symbol.node, None, depth + 1)
        if argument.type == "call_expression":
            return self.chain_guard(file, argument, None, depth + 1)
        return None


# -- small tree helpers ---------------------------------------------------------------------------


def _enclosing_function_within(node: Node, limit: Node) -> bool:
    """Whether a function lies between ``node`` and ``limit`` (its ancestor)."""
    parent = node.parent
    while parent is not None and parent != limit:
        if parent.type in FUNCTION_TYPES:
            return True
        parent = parent.parent
    return False


def _innermost(sinks: list[Sink]) -> list[Sink]:
    """Drop a sink that is only the outer link of a call chain holding another sink."""
    kept = []
    for sink in sinks:
        node = sink.node
        inner = [
            other for other in sinks
            if other is not sink and node.start_byte <= other.node.start_byte and other.node.end_byte <= node.end_byte
            and _in_chain(node, other.node)
        ]
        if not inner:
            kept.append(sink)
    return kept


def _in_chain(outer: Node, inner: Node) -> bool:
    """Whether ``inner`` is the object of ``outer``'s callee chain (``inner.x(...)`` ... ``.y(...)``)."""
    node = outer.child_by_field_name("function") or outer.child_by_field_name("constructor")
    for _ in range(32):
        node = _unwrap(node)
        if node is None:
            return False
        if node == inner:
            return True
        if node.type == "member_expression":
            node = node.child_by_field_name("object")
        elif node.type == "call_expression":
            if node == inner:
                return True
            node = node.child_by_field_name("function")
        else:
            return False
    return False


def _unwrap_parens(node: Node) -> Node:
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def _body(function: Node) -> list[Node]:
    body = function.child_by_field_name("body")
    if body is None:
        return []
    if body.type == "statement_block":
        return [child for child in body.named_children if child.type != "comment"]
    return [body]  # an arrow function's expression body


def _arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [a for a in args.named_children if a.type != "comment"]


def _statement_expressions(statement: Node) -> list[Node]:
    if statement.type in ("expression_statement", "return_statement"):
        return [c for c in statement.named_children if c.type != "comment"][:1]
    if statement.type in ("lexical_declaration", "variable_declaration"):
        return [value for _, value in declarators(statement)]
    if statement.type in ("call_expression", "await_expression", "member_expression", "binary_expression", "ternary_expression", "object", "jsx_element", "jsx_self_closing_element"):
        return [statement]  # an arrow function's expression body
    return []


def _constructs_client(file: SourceFile, value: Node, guards: "Guards") -> bool:
    """``new Kysely(...)``, ``drizzle(pool)``, ``createClient(url, key)``: a client, not a query
    (``sql`...``` and ``db.select()`` are queries)."""
    value = _unwrap(value)
    if value is None or value.type not in ("new_expression", "call_expression"):
        return False
    callee = value.child_by_field_name("function") or value.child_by_field_name("constructor")
    if callee is None or _last_name(callee) in ("sql", "connect", "query"):
        return False
    if value.type == "call_expression" and _unwrap(callee).type == "member_expression":
        return False  # a method call on something: a query more likely than a factory
    return guards.is_data_value(file, value)


def _declared_value(call: Node) -> bool:
    """Whether ``call`` is (after ``await``) the value a variable is declared with."""
    parent = call.parent
    while parent is not None and parent.type in ("await_expression", "parenthesized_expression"):
        parent = parent.parent
    return parent is not None and parent.type == "variable_declarator"


def _refuses_by_return(node: Node, stop: Node) -> bool:
    """Whether the guard at ``node`` refuses a caller with ``return`` (not a throw a catch would
    swallow): ``if (!userId) return res.status(401)…``, or a signed-in branch whose other branch returns."""
    while node is not None and node != stop and node.type not in ("if_statement", "return_statement"):
        node = node.parent
    if node is None or node == stop:
        return False
    if node.type == "return_statement":
        return True
    for branch_field in ("consequence", "alternative"):
        branch = node.child_by_field_name(branch_field)
        if branch is not None and branch.type == "else_clause":
            branch = branch.named_children[0] if branch.named_children else None
        if branch is None:
            continue
        statements = [c for c in branch.named_children if c.type != "comment"] if branch.type == "statement_block" else [branch]
        if any(c.type == "return_statement" for c in statements) and not any(c.type == "throw_statement" for c in statements):
            return True
    return False


def _returns_early(statement: Node) -> bool:
    """``if (…) return x`` / ``if (…) { …; return x }`` with no ``else``."""
    if statement.child_by_field_name("alternative") is not None:
        return False
    consequence = statement.child_by_field_name("consequence")
    if consequence is not None and consequence.type == "statement_block":
        body = [c for c in consequence.named_children if c.type != "comment"]
        consequence = body[-1] if body else None
    return consequence is not None and consequence.type in ("return_statement", "throw_statement")


def _is_request_auth(node: Node | None) -> bool:
    """``req.auth`` / ``event.context.auth``: the auth state a framework middleware attached."""
    return node is not None and node.type == "member_expression" and _last_name(node) == "auth" and _root_text(node) in REQUEST_ROOTS


def _root_text(node: Node | None) -> str:
    root = _root(node)
    return text(root) if root is not None else ""


def _bound_names(pattern: Node) -> set[str]:
    if pattern.type == "identifier":
        return {text(pattern)}
    names = set()
    for child in pattern.named_children:
        if child.type in ("shorthand_property_identifier_pattern", "identifier"):
            names.add(text(child))
        elif child.type == "pair_pattern":
            value = child.child_by_field_name("value")
            if value is not None:
                names |= _bound_names(value)
        elif child.type in ("object_assignment_pattern", "assignment_pattern"):
            left = child.child_by_field_name("left")
            if left is not None:
                names |= _bound_names(left)
        elif child.type in ("object_pattern", "array_pattern", "rest_pattern"):
            names |= _bound_names(child)
    return names


def _is_async(function: Node) -> bool:
    return any(child.type == "async" for child in function.children)


def _rethrows(block: Node) -> bool:
    """Whether a catch block throws again (``throw e``, ``unstable_rethrow(e)``)."""
    return any(node.type == "throw_statement" or (node.type == "identifier" and text(node) == "unstable_rethrow") for node in walk(block))


def _is_comparison(node: Node) -> bool:
    return node.type == "binary_expression" and _operator(node) in ("!==", "!=", "===", "==")


def _chain(node: Node, op: str) -> list[Node]:
    """The operands of ``a ?? b ?? c`` (left-nested), iteratively."""
    operands: list[Node] = []
    while node.type == "binary_expression" and _operator(node) == op and len(operands) < 64:
        operands.insert(0, node.child_by_field_name("right"))
        node = _unwrap(node.child_by_field_name("left"))
    operands.insert(0, node)
    return [o for o in operands if o is not None]


def _is_data_package(source: str | None) -> bool:
    return bool(source) and any(source == p or source.startswith(p if p.endswith("/") else p + "/") for p in DATA_PACKAGES)


def _short(node: Node, limit: int = 60) -> str:
    value = " ".join(text(node).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
