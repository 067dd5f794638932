"""Webhook receivers and their signature checks — the model behind CLK401–CLK403.

A *receiver* is an entry point that a webhook provider calls: an App Router route handler (not
GET/HEAD/OPTIONS), a ``pages/api`` handler, a Convex ``httpAction`` registered on an ``httpRouter``,
an Express/Hono/Fastify route registered with ``.post(path, ...middleware, handler)``, or a Python
view. Whether it receives *Clerk* webhooks is decided by evidence, never by its folder alone:

* strong signs: comparisons with Clerk event names (``user.created``, ``organizationMembership.*``),
  ``WebhookEvent``/``UserJSON``… types from ``@clerk/*``, ``verifyWebhook`` from ``@clerk/*/webhooks``,
  a ``CLERK_…WEBHOOK…`` secret, Clerk payload fields (``email_addresses``);
* Svix signs (Clerk delivers through Svix): reads of ``svix-id``/``svix-signature``/``webhook-signature``
  headers, svix's ``Webhook``; they count in an app that uses Clerk when nothing names another provider;
* a path or handler name that says webhook, together with another sign of Clerk (``clerk`` in the
  path or name, an import of ``@clerk/*``).

A handler that reads the Clerk session (``auth()``, ``getAuth``) on weak evidence alone is an API
about webhooks, not a receiver.

*Verification* is looked for in the handler and in what it calls, followed across files (project
functions, Convex ``ctx.runAction(internal.x.y)``, the wrapper an export is built with):
``verifyWebhook`` from any ``@clerk/*`` entry, ``.verify()`` on svix's or standardwebhooks' ``Webhook``
(JS and Python), a constant-time HMAC comparison, another provider's check (Stripe's
``constructEvent``…: then it is not a Clerk webhook), or an external ``verify…()`` the tool cannot see.

Every ``verify`` call site is also judged on its own (:meth:`WebhookModel.sites`): what it verifies
(the raw body, or a re-serialized / parsed one: CLK402) and whether a failure can be skipped (caught
and carried on, made conditional, an un-awaited promise: CLK403).

No Python recursion over trees: compiled queries, iterative walks and loops over ``.parent``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tree_sitter import Node

from clerk_lint.findings import Location
from clerk_lint.parsing import JS_FAMILY, PYTHON, captures, string_value, text
from clerk_lint.parsing import last_name as _last
from clerk_lint.parsing import unwrap as _unwrap
from clerk_lint.project.calls import DROPPED, HANDLED, exits as js_exits, use_of
from clerk_lint.project.js import FUNCTION_TYPES
from clerk_lint.project.symbols import CLERK, EXTERNAL, FUNCTION, MODULE, UNKNOWN, VALUE
from clerk_lint.source import SourceFile

if TYPE_CHECKING:
    from clerk_lint.project import Project

# -- receivers ------------------------------------------------------------------------------------

ROUTE = "route"  # App Router route handler
PAGES_API = "pages-api"  # pages/api handler
CONVEX = "convex"  # Convex httpAction on an httpRouter
SERVER = "server"  # Express / Hono / Fastify / Koa route
PYTHON_VIEW = "python"  # FastAPI / Flask / Django view

#: verbs that never receive webhooks
READ_VERBS = frozenset({"GET", "HEAD", "OPTIONS"})
#: packages whose `.post(path, ..., handler)` registers a route
SERVER_PACKAGES = frozenset({"express", "hono", "fastify", "@koa/router", "koa-router", "router", "polka", "restify"})
SERVER_VERBS = frozenset({"post", "put", "patch", "all"})
SERVER_IMPORT = re.compile(rb"""['"](?:express|hono|fastify|@koa/router|koa-router|router|polka|restify)['"]""")

# -- evidence -------------------------------------------------------------------------------------

STRONG = "strong"  # names Clerk by itself
SVIX = "svix"  # a Svix-delivered webhook (Clerk's transport, also used by others)
WEBHOOK = "webhook"  # a path or name that says webhook
CLERKISH = "clerkish"  # another sign of Clerk (an import, `clerk` in a path or name)

CLERK_EVENT = re.compile(
    r"^(?:user|session|email|sms|organization|organizationMembership|organizationInvitation|organizationDomain|role|"
    r"permission|waitlistEntry|subscription|subscriptionItem|paymentAttempt)\.[a-z][A-Za-z]*$"
)
SVIX_HEADERS = frozenset({"svix-id", "svix-timestamp", "svix-signature", "webhook-id", "webhook-timestamp", "webhook-signature"})
#: Clerk's webhook payload types (``@clerk/backend``, re-exported by every SDK)
CLERK_TYPE = re.compile(r"^(?:\w*WebhookEvent(?:Type)?|\w+JSON)$")
CLERK_SECRET = re.compile(rb"\bCLERK_(?:[A-Z0-9_]*WEBHOOK[A-Z0-9_]*(?:SECRET|KEY)|[A-Z0-9_]*SIGNING_(?:SECRET|KEY))\b")
SECRET_LABEL = "Clerk's webhook secret"
EVENT_LABEL = "Clerk event"
CLERK_PAYLOAD = re.compile(rb"\b(?:email_addresses|primary_email_address_id|primary_phone_number_id|unsafe_metadata|private_metadata)\b")
#: another provider's signature header
OTHER_HEADERS = {
    "stripe-signature": "Stripe", "x-hub-signature-256": "GitHub", "x-hub-signature": "GitHub", "x-github-event": "GitHub",
    "paddle-signature": "Paddle", "x-signature": "Lemon Squeezy", "x-event-name": "Lemon Squeezy", "x-razorpay-signature": "Razorpay",
    "upstash-signature": "QStash", "x-twilio-signature": "Twilio", "x-slack-signature": "Slack", "x-shopify-hmac-sha256": "Shopify",
    "x-polar-signature": "Polar", "x-cal-signature-256": "Cal.com", "x-linear-signature": "Linear", "linear-signature": "Linear",
    "x-webhook-signature": "", "x-supabase-signature": "Supabase", "x-vercel-signature": "Vercel", "paypal-transmission-sig": "PayPal",
}
#: provider names, as words of paths, handler names and secret names
OTHER_PROVIDERS = frozenset({
    "stripe", "github", "paddle", "lemonsqueezy", "lemon", "polar", "resend", "razorpay", "paypal", "twilio", "slack",
    "discord", "shopify", "mux", "liveblocks", "uploadthing", "inngest", "qstash", "upstash", "replicate", "vapi",
    "sendgrid", "postmark", "mailgun", "supabase", "sanity", "contentful", "calendly", "zoom", "dodo", "creem",
    "revenuecat", "lago", "livekit", "getstream", "telegram", "whatsapp", "vercel", "coinbase", "plaid", "hubspot",
    "intercom", "typeform", "novu", "cloudinary", "deepgram", "elevenlabs", "retell", "gitlab", "bitbucket", "sentry",
    "braintree", "chargebee", "recurly", "xendit", "midtrans", "flutterwave", "paystack", "mollie", "adyen", "webflow",
    "airtable", "zapier", "pipedream", "cal", "linear", "lemonsqueezy", "dodopayments", "autumn", "payos", "momo", "vnpay",
    "cashfree", "instamojo", "square", "wompi", "mercadopago", "yookassa", "nowpayments", "helius", "alchemy", "moralis",
    "workos", "auth0", "kinde", "stytch", "descope", "supertokens", "firebase", "okta", "cognito", "hanko",
})


def provider_words(value: str) -> set[str]:
    """Lower-case words of a path, a name or an env var (``stripeWebhook`` -> {"stripe", "webhook"})."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", value)
    return {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w}


def other_provider(value: str) -> str | None:
    words = provider_words(value)
    found = sorted(words & OTHER_PROVIDERS)
    return found[0] if found else None


SECRET_NAME = re.compile(rb"\b([A-Z][A-Z0-9]*)_[A-Z0-9_]*WEBHOOK[A-Z0-9_]*\b")
#: other providers' verification calls
OTHER_VERIFY = {
    "constructEvent": "Stripe", "constructEventAsync": "Stripe", "construct_event": "Stripe", "validateEvent": "Polar",
    "validate_event": "Polar", "verifyAndReceive": "GitHub", "verifySignature": "", "verify_signature": "",
}
HMAC_CHECKS = frozenset({"timingSafeEqual", "compare_digest"})
#: external functions whose name says they check a signature
VERIFY_NAME = re.compile(r"verif|signature|validat\w*(?:webhook|request|event|signature|payload)|isvalid|checksig", re.I)
#: Clerk exports that read the signed-in session: a handler using them is not a webhook receiver
SESSION_EXPORTS = frozenset({"auth", "currentUser", "getAuth"})

# -- payloads and control flow --------------------------------------------------------------------

RESERIALIZERS = frozenset({"JSON.stringify", "json.dumps", "orjson.dumps", "ujson.dumps", "simplejson.dumps"})
#: reading a parsed body: `await req.json()`, Flask `request.get_json()`
PARSE_METHODS = frozenset({"json", "get_json"})
PARSED_ATTRS = frozenset({"json", "get_json"})
JS_BLOCKS = frozenset({"statement_block", "program", "switch_case", "switch_default"})
PY_BLOCKS = frozenset({"block", "module"})
#: callee roots and names that do no work (responses, logging, parsing)
TRIVIAL_ROOTS = frozenset({
    "console", "res", "response", "reply", "c", "NextResponse", "Response", "JSON", "Object", "Array", "String", "Number",
    "Boolean", "Math", "Date", "logger", "log", "logging", "print", "json", "req", "request", "headers", "Headers", "Buffer",
    "TextDecoder", "TextEncoder", "JSONResponse", "HttpResponse", "JsonResponse", "jsonify", "make_response", "HTTPException",
    "str", "int", "dict", "list", "len", "isinstance", "getattr", "Sentry", "headerPayload", "headersList", "console",
    "PlainTextResponse", "status", "abort", "Promise", "URL", "Error", "TypeError",
})
TRIVIAL_NAMES = frozenset({
    "Response", "NextResponse", "json", "text", "status", "send", "end", "sendStatus", "setHeader", "log", "error", "warn",
    "info", "debug", "get", "has", "headers", "toString", "stringify", "parse", "arrayBuffer", "from", "loads", "dumps",
    "jsonify", "JSONResponse", "HttpResponse", "JsonResponse", "make_response", "print", "body", "decode", "encode",
    "exception", "getAll", "entries", "fromEntries", "keys", "values", "String", "Number", "Boolean",
    "Error", "HTTPException", "abort", "trim", "toLowerCase", "startsWith", "includes", "split", "push", "pop", "map",
    "filter", "join", "slice", "concat", "some", "every", "toUpperCase", "endsWith", "assign",
    "isArray", "now", "warning", "critical", "getLogger", "format", "strip", "lower", "upper", "append",
    "items", "copy", "clone", "toISOString",
})
FALSY = frozenset({"null", "undefined", "false", "None", "False", ""})

JS_CALLS = "[(call_expression) (new_expression)] @call"
PY_CALLS = "(call) @call"
STRINGS = "(string) @s"
JS_DECLARATIONS = """
[
  (variable_declarator name: (identifier) @name value: (_) @value)
  (assignment_expression left: (identifier) @name right: (_) @value)
]
"""
PY_ASSIGNMENTS = "(assignment left: (identifier) @name right: (_) @value)"
SERVER_ROUTES = """
(call_expression
  function: (member_expression object: (_) @router property: (property_identifier) @verb)
  arguments: (arguments) @args) @call
"""
CONVEX_ROUTES = """
(call_expression
  function: (member_expression object: (identifier) @router property: (property_identifier) @method (#eq? @method "route"))
  arguments: (arguments . (object) @spec)) @call
"""


@dataclass(frozen=True)
class Evidence:
    strength: str  # STRONG, SVIX, WEBHOOK, CLERKISH
    label: str
    file: SourceFile | None = None
    node: Node | None = None

    def location(self) -> Location | None:
        if self.file is None or self.node is None:
            return None
        return self.file.node_location(self.node, self.label)


@dataclass(frozen=True)
class Verification:
    kind: str  # "clerk", "svix", "standardwebhooks", "hmac", "other", "unrecognised", "helper"
    how: str
    file: SourceFile
    node: Node  # the call
    provider: str = ""  # for "other": who signs (Stripe...)
    helper: tuple[SourceFile, Node] | None = None  # "helper": the function followed into
    inner: "Verification | None" = None

    @property
    def innermost(self) -> "Verification":
        found = self
        while found.inner is not None:
            found = found.inner
        return found

    @property
    def clerk_like(self) -> bool:
        return self.innermost.kind in ("clerk", "svix", "standardwebhooks")


@dataclass
class Scan:
    """What one function (and what it calls) shows: signs, verification."""

    evidence: list[Evidence] = field(default_factory=list)
    others: list[Evidence] = field(default_factory=list)  # signs of another provider
    verifications: list[Verification] = field(default_factory=list)
    session: bool = False  # reads the Clerk session (auth(), getAuth...)

    def merge(self, other: "Scan") -> None:
        """Take in what a callee shows: how it handles events, not the settings it happens to read."""
        self.evidence.extend(e for e in other.evidence if e.strength in (STRONG, SVIX, CLERKISH) and not e.label.startswith(SECRET_LABEL))
        self.others.extend(other.others)


@dataclass(frozen=True)
class Handler:
    kind: str
    label: str  # "POST /api/webhooks/clerk", "Convex HTTP POST /clerk-users-webhook"
    file: SourceFile  # where ``node`` is
    node: Node  # what findings point at: the handler's name (or the route's path when it has none)
    function_file: SourceFile | None
    function: Node | None
    path: str = ""  # the URL (or route path) when known
    raw_body: bool | None = None  # pages/api `bodyParser: false`, express.raw(): True; parsed: False
    wrappers: tuple[tuple[SourceFile, Node], ...] = ()  # what the handler is wrapped in: `withX(h)`, Python decorators
    names: tuple[str, ...] = ()  # the handler's own names (function, export, file stem)


@dataclass
class Judgement:
    handler: Handler
    clerk: bool  # it receives Clerk webhooks
    evidence: list[Evidence]
    others: list[Evidence]
    verification: Verification | None
    #: helper verifications whose failure is ignored: (call, message)
    ignored: list[tuple[Node, str]] = field(default_factory=list)
    acts: bool = True  # it does something with the event (more than logging it and answering)

    @property
    def unverified(self) -> bool:
        return self.clerk and self.verification is None


@dataclass(frozen=True)
class Site:
    """One verify call, judged on its own."""

    kind: str  # "clerk", "svix", "standardwebhooks"
    file: SourceFile
    node: Node  # the call
    function: Node | None  # the enclosing function
    reserialized: str = ""  # CLK402: what is verified instead of the raw body
    bypass: str = ""  # CLK403: how a bad signature gets through
    falsy_on_failure: bool = False  # a helper that returns null/false when the signature is wrong


class WebhookModel:
    def __init__(self, project: "Project") -> None:
        self.project = project
        self._handlers: dict[str, list[Handler]] = {}
        self._judgements: dict[tuple[str, int, int], Judgement] = {}
        self._scans: dict[tuple[str, int, int], Scan] = {}
        self._sites: dict[str, list[Site]] = {}
        self._file_facts: dict[str, _FileFacts] = {}
        self._uses_clerk: dict[str, bool] = {}
        self._py = None

    # -- public API ------------------------------------------------------------------------------

    def handlers(self, file: SourceFile) -> list[Handler]:
        """The webhook-receiver candidates this file defines (its POST-like entry points)."""
        if file.rel not in self._handlers:
            found: list[Handler] = []
            if file.grammar in JS_FAMILY:
                found += self._next_handlers(file)
                if b"httpRouter" in file.data:
                    found += self._convex_handlers(file)
                found += self._server_handlers(file)
            elif file.grammar == PYTHON:
                found += self._python_handlers(file)
            unique: dict[tuple[int, int], Handler] = {}
            for handler in found:  # one registration can match more than one route shape
                unique.setdefault((handler.node.start_byte, handler.node.end_byte), handler)
            self._handlers[file.rel] = list(unique.values())
        return self._handlers[file.rel]

    def judge(self, handler: Handler) -> Judgement:
        key = (handler.file.rel, handler.node.start_byte, handler.node.end_byte)
        if key not in self._judgements:
            self._judgements[key] = self._judge(handler)
        return self._judgements[key]

    def receivers(self, file: SourceFile) -> list[Judgement]:
        """The Clerk webhook receivers of this file, judged."""
        return [j for j in (self.judge(h) for h in self.handlers(file)) if j.clerk]

    def is_receiver(self, file: SourceFile, node: Node) -> bool:
        """Whether the entry point named at ``node`` receives Clerk webhooks (public by design)."""
        return any(h.node == node and self.judge(h).clerk for h in self.handlers(file))

    def sites(self, file: SourceFile) -> list[Site]:
        """Every Clerk webhook verify call in this file, with what is wrong with it."""
        if file.rel not in self._sites:
            self._sites[file.rel] = self._find_sites(file) if file.grammar in JS_FAMILY | {PYTHON} else []
        return self._sites[file.rel]

    def uses_clerk(self, file: SourceFile) -> bool:
        """Whether the code around ``file`` uses Clerk: a ``@clerk/*`` (or Python clerk) dependency in
        its manifest or the repository's root manifest, or an import of Clerk in the file."""
        if file.rel not in self._uses_clerk:
            self._uses_clerk[file.rel] = self._compute_uses_clerk(file)
        return self._uses_clerk[file.rel]

    # -- receivers: Next.js ----------------------------------------------------------------------

    def _next_handlers(self, file: SourceFile) -> list[Handler]:
        from clerk_lint.project.nextjs import PAGES_API as NEXT_PAGES_API
        from clerk_lint.project.nextjs import ROUTE as NEXT_ROUTE

        found = []
        for entry in self.project.nextjs.entries(file):
            if entry.kind == NEXT_ROUTE and entry.name in READ_VERBS:
                continue
            if entry.kind not in (NEXT_ROUTE, NEXT_PAGES_API):
                continue
            function_file, function, wrapper = self._entry_function(file, entry.name, entry.value)
            raw = None
            if entry.kind == NEXT_PAGES_API:
                raw = self._body_parser_off(file)
            names = (entry.name, file.path.name.split(".")[0], text(entry.node))
            found.append(Handler(
                ROUTE if entry.kind == NEXT_ROUTE else PAGES_API, entry.label, file, entry.node, function_file, function,
                entry.url or "", raw, (wrapper,) if wrapper else (), names,
            ))
        return found

    def _entry_function(self, file: SourceFile, name: str, value: Node | None):
        """(file, function, wrapper) behind an export: through names, files and wrapping calls."""
        guards = self.project.guards
        if value is None:
            symbol = self.project.symbols.export(file, name)
            if symbol.kind == FUNCTION and symbol.file is not None:
                return symbol.file, symbol.node, None
            if symbol.kind == VALUE and symbol.file is not None:
                file, value = symbol.file, symbol.node
            else:
                return file, None, None
        function_file, function, _ = guards.entry(file, value)
        wrapper = None
        node = _unwrap(value)
        if node is not None and node.type == "call_expression":
            symbol = self.project.symbols.callee(file, node.child_by_field_name("function"))
            if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
                wrapper = (symbol.file, symbol.node)
        return function_file, function, wrapper

    def _body_parser_off(self, file: SourceFile) -> bool:
        export = self.project.js(file).exports.get("config")
        value = export.value if export is not None else None
        return value is not None and re.search(rb"bodyParser\s*:\s*false", value.text or b"") is not None

    # -- receivers: Convex -----------------------------------------------------------------------

    def _convex_handlers(self, file: SourceFile) -> list[Handler]:
        facts = self.project.js(file)
        routers = set()
        for name, value in facts.locals.items():
            node = _unwrap(value)
            if node is not None and node.type == "call_expression" and _last(node.child_by_field_name("function")) == "httpRouter":
                routers.add(name)
        if not routers:
            return []
        found = []
        for _, match in _matches(file, CONVEX_ROUTES, file.root):
            if text(match["router"][0]) not in routers:
                continue
            spec = _pairs(match["spec"][0])
            handler = spec.get("handler")
            if handler is None:
                continue
            path_pair = spec.get("path") or spec.get("pathPrefix")
            path_node = path_pair[1] if path_pair else None
            path = string_value(path_node) if path_node is not None else None
            method_pair = spec.get("method")
            method = string_value(method_pair[1]) if method_pair else None
            if (method or "POST").upper() in READ_VERBS:
                continue
            function_file, function = self._convex_action(file, handler[1])
            node = handler[1] if _unwrap(handler[1]).type == "identifier" else (path_node or handler[0])
            label = f"Convex HTTP {(method or 'POST').upper()} {path or '(path unknown)'}"
            names = (text(handler[1]),) if _unwrap(handler[1]).type == "identifier" else ()
            found.append(Handler(CONVEX, label, file, node, function_file, function, path or "", None, (), names))
        return found

    def _convex_action(self, file: SourceFile, value: Node, depth: int = 0) -> tuple[SourceFile | None, Node | None]:
        """The function inside ``httpAction(fn)`` / ``internalAction({ handler })``, through names."""
        node = _unwrap(value)
        if node is None or depth > 4:
            return None, None
        if node.type in FUNCTION_TYPES:
            return file, node
        if node.type == "identifier":
            symbol = self.project.symbols.lookup(file, text(node))
            if symbol.kind == FUNCTION and symbol.file is not None:
                return symbol.file, symbol.node
            if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
                return self._convex_action(symbol.file, symbol.node, depth + 1)
            return None, None
        if node.type == "call_expression":
            args = _args(node)
            if not args:
                return None, None
            first = _unwrap(args[0])
            if first.type == "object":
                handler = _pairs(first).get("handler")
                return self._convex_action(file, handler[1], depth + 1) if handler else (None, None)
            return self._convex_action(file, first, depth + 1)
        return None, None

    def _convex_reference(self, file: SourceFile, reference: Node) -> tuple[SourceFile | None, Node | None]:
        return self.project.convex.reference(file, reference)

    # -- receivers: Express, Hono, Fastify -------------------------------------------------------

    def _server_handlers(self, file: SourceFile) -> list[Handler]:
        """Routes of Express/Fastify/Hono apps: from the Express model (full paths, middleware
        mounted above the route) when the file belongs to an app it knows (one that depends on
        ``@clerk/*``); otherwise from the ``.post(path, ...middleware, handler)`` calls of this file
        (a webhook backend often depends on ``svix`` alone)."""
        express = self._express_model()
        if express is not None and express.app_for(file) is not None:
            return [self._route_handler(route) for route in express.entries(file) if route.method not in READ_VERBS]
        return self._registered_handlers(file)

    def _express_model(self):
        model = getattr(self.project, "express", None)
        return model if hasattr(model, "entries") and hasattr(model, "app_for") else None

    def _route_handler(self, route) -> Handler:
        """A route of the Express model as a receiver candidate."""
        raw = None
        for middleware in route.middleware:
            body = text(middleware.node)
            if re.search(r"\b(?:raw|text)\s*\(", body):
                raw = True
            elif re.search(r"\b(?:json|urlencoded)\s*\(", body):
                raw = False
        call = route.node
        args = _args(call) if call.type == "call_expression" else []
        last = _unwrap(args[-1]) if args else None
        node = last if last is not None and last.type in ("identifier", "member_expression") else route.anchor
        names = (text(last),) if last is not None and last.type in ("identifier", "member_expression") else ()
        return Handler(SERVER, route.label, route.file, node, route.handler_file, route.handler, route.path, raw, (), names)

    def _registered_handlers(self, file: SourceFile) -> list[Handler]:
        if SERVER_IMPORT.search(file.data) is None:
            return []
        facts = self.project.js(file)
        if not (any(b.source in SERVER_PACKAGES for b in facts.imports) or self._facts(file).sources & SERVER_PACKAGES):
            return []
        found = []
        file_raw = self._server_body_mode(file)
        for _, match in _matches(file, SERVER_ROUTES, file.root):
            verb = text(match["verb"][0])
            if verb not in SERVER_VERBS:
                continue
            call = match["call"][0]
            args = [a for a in match["args"][0].named_children if a.type != "comment"]
            router = _unwrap(match["router"][0])
            path_node = None
            if args and args[0].type in ("string", "template_string"):
                path_node, args = args[0], args[1:]
            elif router.type == "call_expression" and _last(router.child_by_field_name("function")) == "route":
                route_args = _args(router)
                path_node = route_args[0] if route_args and route_args[0].type == "string" else None
            if not args or (path_node is None and verb == "all"):
                continue
            path = string_value(path_node) if path_node is not None else ""
            handler = _unwrap(args[-1])
            middlewares = args[:-1]
            raw = None
            for middleware in middlewares:
                body = text(middleware)
                if re.search(r"\b(?:raw|text)\s*\(", body):
                    raw = True
                elif re.search(r"\b(?:json|urlencoded)\s*\(", body) and raw is None:
                    raw = False
            if raw is None:
                raw = file_raw
            function_file, function = self._server_function(file, handler)
            if function is None and handler.type not in ("identifier", "member_expression"):
                continue
            node = handler if handler.type in ("identifier", "member_expression") else (path_node or call)
            label = f"{verb.upper()} {path or '(route)'}"
            found.append(Handler(SERVER, label, file, node, function_file, function, path or "", raw, (), (text(handler),)))
        return found

    def _server_body_mode(self, file: SourceFile) -> bool | None:
        """``app.use(express.json())`` parses every body (False); ``express.raw`` everywhere: True."""
        data = file.data
        if re.search(rb"\.use\(\s*(?:express|bodyParser)\.raw\(", data):
            return True
        if re.search(rb"\.use\(\s*(?:express|bodyParser)\.json\(", data):
            return False
        return None

    def _server_function(self, file: SourceFile, handler: Node) -> tuple[SourceFile | None, Node | None]:
        if handler.type in FUNCTION_TYPES:
            return file, handler
        if handler.type == "identifier":
            function_file, function, _ = self.project.guards.entry(file, handler)
            return (function_file, function) if function is not None else (None, None)
        if handler.type == "call_expression":  # asyncHandler(async (req, res) => ...)
            function_file, function, _ = self.project.guards.entry(file, handler)
            return (function_file, function) if function is not None else (None, None)
        if handler.type == "member_expression":
            return self._member_function(file, handler)
        return None, None

    def _member_function(self, file: SourceFile, member: Node) -> tuple[SourceFile | None, Node | None]:
        """``controller.handle`` -> the function: a namespace import, an object literal or a class
        instance (``new Controller()``) defined in the project."""
        symbol = self.project.symbols.callee(file, member)
        if symbol.kind == FUNCTION and symbol.file is not None:
            return symbol.file, symbol.node
        obj = _unwrap(member.child_by_field_name("object"))
        prop = text(member.child_by_field_name("property"))
        if obj is None or obj.type != "identifier":
            return None, None
        owner = self.project.symbols.lookup(file, text(obj))
        if owner.kind not in (VALUE, FUNCTION) or owner.file is None or owner.node is None:
            return None, None
        target_file, value = owner.file, _unwrap(owner.node)
        if value.type == "new_expression":
            ctor = value.child_by_field_name("constructor")
            cls = self.project.symbols.lookup(target_file, text(ctor)) if ctor is not None and ctor.type == "identifier" else None
            if cls is None or cls.file is None or cls.node is None:
                return None, None
            target_file, value = cls.file, cls.node
        if value.type in ("class_declaration", "class"):
            body = value.child_by_field_name("body")
            for item in body.named_children if body is not None else ():
                name = item.child_by_field_name("name")
                if name is None or text(name) != prop:
                    continue
                if item.type == "method_definition":
                    return target_file, item
                inner = _unwrap(item.child_by_field_name("value"))
                if inner is not None and inner.type in FUNCTION_TYPES:
                    return target_file, inner
        if value.type == "object":
            pair = _pairs(value).get(prop)
            if pair is not None and _unwrap(pair[1]).type in FUNCTION_TYPES:
                return target_file, _unwrap(pair[1])
            for item in value.named_children:
                if item.type == "method_definition" and text(item.child_by_field_name("name")) == prop:
                    return target_file, item
        return None, None

    # -- receivers: Python -----------------------------------------------------------------------

    def _python_handlers(self, file: SourceFile) -> list[Handler]:
        model = self._python_model()
        if model is None:
            return []
        found = []
        for endpoint in model.endpoints(file):
            methods = {m.upper() for m in endpoint.methods}
            if methods and methods <= READ_VERBS:
                continue
            if endpoint.function is None or endpoint.file is not file:
                continue
            url = endpoint.url or ""
            label = f"{endpoint.framework} view `{endpoint.name}`" + (f" ({url})" if url else "")
            wrappers = tuple(self._py_decorators(file, endpoint.function))
            found.append(Handler(PYTHON_VIEW, label, file, endpoint.node, file, endpoint.function, url, None, wrappers, (endpoint.name,)))
        return found

    def _py_decorators(self, file: SourceFile, function: Node) -> list[tuple[SourceFile, Node]]:
        """Project functions decorating a view (``@clerk_webhook_required``), which may verify."""
        parent = function.parent
        if parent is None or parent.type != "decorated_definition":
            return []
        found = []
        for decorator in parent.named_children:
            if decorator.type != "decorator" or not decorator.named_children:
                continue
            expression = decorator.named_children[0]
            if expression.type == "call":
                expression = expression.child_by_field_name("function")
            target = self._py_callable(file, expression) if expression is not None else None
            if target is not None:
                found.append(target)
        return found

    def _python_model(self):
        """The Python endpoint model (:mod:`clerk_lint.project.python`), shared with the project when
        it holds one."""
        if self._py is None:
            model = getattr(self.project, "python", None)
            if model is None:
                from clerk_lint.project.python import PyModel

                model = PyModel(self.project)
            self._py = model
        return self._py

    # -- judging a receiver ----------------------------------------------------------------------

    def _judge(self, handler: Handler) -> Judgement:
        scan = Scan()
        if handler.function is not None and handler.function_file is not None:
            inner = self._scan(handler.function_file, handler.function)
            scan.evidence += inner.evidence
            scan.others += inner.others
            scan.verifications += inner.verifications
            scan.session = inner.session
        for wrapper in handler.wrappers:
            wrapped = self._scan(*wrapper)
            scan.verifications += [
                Verification("helper", v.how, v.file, v.node, v.provider, wrapper, v) for v in wrapped.verifications
            ]
            scan.merge(wrapped)
        scan.evidence += self._type_evidence(handler)
        self._name_evidence(handler, scan)
        evidence = _dedupe(scan.evidence)
        strengths = {e.strength for e in evidence}
        strong = STRONG in strengths
        clerk_app = self.uses_clerk(handler.file)
        if strong:
            # event names alone are shared with other providers (WorkOS sends `user.created` too)
            events_only = all(e.label.startswith(EVENT_LABEL) for e in evidence if e.strength == STRONG)
            clerk = not events_only or clerk_app or bool(strengths & {SVIX, CLERKISH})
        elif scan.others or scan.session:
            clerk = False
        elif SVIX in strengths:
            clerk = clerk_app or CLERKISH in strengths
        else:
            clerk = WEBHOOK in strengths and CLERKISH in strengths
        verification = None
        ordered = sorted(scan.verifications, key=lambda v: (not v.clerk_like, v.kind == "unrecognised"))
        if ordered:
            verification = ordered[0]
        if clerk and verification is not None and verification.innermost.kind == "other":
            clerk = False  # another provider's verified webhook (Stripe, WorkOS...), whatever its events are called
        judgement = Judgement(handler, clerk, evidence, scan.others, verification)
        if clerk and handler.function is not None and handler.function_file is not None:
            judgement.ignored = self._ignored_helpers(handler, scan)
            judgement.acts = _has_work(handler.function, handler.function_file.grammar)
        return judgement

    def _type_evidence(self, handler: Handler) -> list[Evidence]:
        """Clerk's webhook types (imported at the top of the file) that the handler itself uses."""
        found = []
        bodies = [(handler.function_file, handler.function)] + list(handler.wrappers)
        for file, function in bodies:
            if file is None or function is None:
                continue
            data = function.text or b""
            for evidence in self._facts(file).evidence:
                name = evidence.label.split("`")[1].encode() if "`" in evidence.label else b""
                if name and re.search(rb"\b" + re.escape(name) + rb"\b", data):
                    found.append(evidence)
        return found

    def _name_evidence(self, handler: Handler, scan: Scan) -> None:
        words = " ".join([handler.path, *handler.names, handler.file.rel if handler.kind in (ROUTE, PAGES_API) else ""])
        lowered = words.lower()
        if "webhook" in lowered or re.search(r"\bhooks?\b", lowered):
            scan.evidence.append(Evidence(WEBHOOK, "a webhook path", handler.file, handler.node))
        if "clerk" in lowered:
            scan.evidence.append(Evidence(CLERKISH, "`clerk` in its path or name", handler.file, handler.node))
        provider = other_provider(handler.path + " " + " ".join(handler.names))
        if provider and "clerk" not in lowered:
            scan.others.append(Evidence("other", f"`{provider}` in its path or name", handler.file, handler.node))

    def _ignored_helpers(self, handler: Handler, scan: Scan) -> list[tuple[Node, str]]:
        """Verification helpers called by the handler whose failure is dropped on the floor: an async
        helper not awaited, or a helper that returns false/null for a bad signature, unchecked."""
        found = []
        function = handler.function
        for verification in scan.verifications:
            if verification.kind != "helper" or verification.file is not handler.function_file or verification.helper is None:
                continue
            call = verification.node
            if not (function.start_byte <= call.start_byte < function.end_byte):
                continue
            helper_file, helper = verification.helper
            awaited, dropped = _call_use(call)
            if not dropped:
                continue
            name = verification.how
            if _is_async(helper) and not awaited:
                found.append((call, f"`{name}` is async and not awaited: a bad signature rejects a promise nobody waits for, and the handler goes on"))
            elif self._falsy_on_failure(helper_file, helper):
                found.append((call, f"`{name}` returns a falsy value when the signature is wrong, and its result is ignored: the handler goes on either way"))
        return found

    def _falsy_on_failure(self, file: SourceFile, function: Node) -> bool:
        for site in self.sites(file):
            if site.function is not None and site.function == function and site.falsy_on_failure:
                return True
        return False

    # -- scanning a function ---------------------------------------------------------------------

    def _scan(self, file: SourceFile, function: Node, depth: int = 0) -> Scan:
        key = (str(file.path), function.start_byte, function.end_byte)
        found = self._scans.get(key)
        if found is not None:
            return found
        self._scans[key] = Scan()  # recursion ends here
        scan = Scan()
        if depth <= 6:
            self._literal_evidence(file, function, scan)
            if file.grammar == PYTHON:
                for call in captures(PYTHON, PY_CALLS, function).get("call", ()):
                    self._py_call(file, call, scan, depth)
            else:
                for call in captures(file.grammar, JS_CALLS, function).get("call", ()):
                    self._js_call(file, call, scan, depth)
        self._scans[key] = scan
        return scan

    def _literal_evidence(self, file: SourceFile, function: Node, scan: Scan) -> None:
        seen_event = seen_header = False
        for node in captures(file.grammar, STRINGS, function).get("s", ()):
            value = string_value(node)
            if not value or len(value) > 60:
                continue
            if not seen_event and CLERK_EVENT.match(value) and _compared(node):
                scan.evidence.append(Evidence(STRONG, f"{EVENT_LABEL} `{value}`", file, node))
                seen_event = True
            lowered = value.lower()
            if not seen_header and lowered in SVIX_HEADERS:
                scan.evidence.append(Evidence(SVIX, f"reads the `{lowered}` header", file, node))
                seen_header = True
            elif lowered in OTHER_HEADERS:
                scan.others.append(Evidence("other", f"reads the `{lowered}` header ({OTHER_HEADERS[lowered] or 'another provider'})", file, node))
        data = function.text or b""
        secret = CLERK_SECRET.search(data)
        if secret:
            scan.evidence.append(Evidence(STRONG, f"{SECRET_LABEL} `{secret.group(0).decode()}`", file, None))
        payload = CLERK_PAYLOAD.search(data)
        if payload:
            scan.evidence.append(Evidence(CLERKISH, f"Clerk payload field `{payload.group(0).decode()}`", file, None))
        for match in SECRET_NAME.finditer(data):
            prefix = match.group(1).decode()
            if prefix != "CLERK" and other_provider(match.group(0).decode()):
                scan.others.append(Evidence("other", f"{match.group(0).decode()}", file, None))
                break

    def _js_call(self, file: SourceFile, call: Node, scan: Scan, depth: int) -> None:
        callee = call.child_by_field_name("function") or call.child_by_field_name("constructor")
        callee = _unwrap(callee)
        if callee is None or callee.type in FUNCTION_TYPES:
            return
        if call.type == "new_expression":
            return
        name = _last(callee)
        kind = self._js_verify_kind(file, call)
        if kind is not None:
            scan.verifications.append(Verification(kind, f"{_short(callee)}()", file, call))
            if kind == "clerk":
                scan.evidence.append(Evidence(STRONG, "verifyWebhook from `@clerk/*`", file, call))
            else:
                scan.evidence.append(Evidence(SVIX, f"{kind}'s Webhook#verify", file, call))
            return
        if name in OTHER_VERIFY:
            scan.verifications.append(Verification("other", f"{_short(callee)}()", file, call, OTHER_VERIFY[name]))
            scan.others.append(Evidence("other", f"`{_short(callee)}()`", file, call))
            return
        if name in HMAC_CHECKS or (name == "verify" and "subtle" in text(callee)):
            scan.verifications.append(Verification("hmac", f"{_short(callee)}()", file, call))
            return
        symbol = self.project.symbols.callee(file, callee)
        if symbol.kind == CLERK and symbol.name in SESSION_EXPORTS:
            scan.session = True
            return
        target = self._js_callable(file, callee, call, symbol)
        if target is not None:
            target_file, target_function = target
            inner = self._scan(target_file, target_function, depth + 1)
            scan.merge(inner)
            if inner.session:
                scan.session = True
            if inner.verifications:
                best = sorted(inner.verifications, key=lambda v: (not v.clerk_like, v.kind == "unrecognised"))[0]
                scan.verifications.append(Verification("helper", f"{_short(callee)}()", file, call, best.provider, (target_file, target_function), best))
            return
        if symbol.kind in (UNKNOWN, EXTERNAL, MODULE) and VERIFY_NAME.search(name) and _args(call):
            scan.verifications.append(Verification("unrecognised", f"{_short(callee)}()", file, call, symbol.source or ""))

    def _js_callable(self, file: SourceFile, callee: Node, call: Node, symbol) -> tuple[SourceFile, Node] | None:
        if symbol.kind == FUNCTION and symbol.file is not None and symbol.node is not None:
            return symbol.file, symbol.node
        if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
            value = _unwrap(symbol.node)
            if value.type == "call_expression":  # cache(fn), httpAction(fn)
                for argument in _args(value):
                    argument = _unwrap(argument)
                    if argument.type in FUNCTION_TYPES:
                        return symbol.file, argument
        name = _last(callee)
        if name in ("runAction", "runMutation", "runQuery") and _args(call):
            target_file, target = self._convex_reference(file, _args(call)[0])
            if target_file is not None and target is not None:
                return target_file, target
        if callee.type == "member_expression" and symbol.kind == UNKNOWN:
            target_file, target = self._member_function(file, callee)
            if target_file is not None and target is not None:
                return target_file, target
        return None

    def _js_verify_kind(self, file: SourceFile, call: Node) -> str | None:
        """"clerk" (verifyWebhook from @clerk/*), "svix" or "standardwebhooks" (Webhook#verify)."""
        callee = _unwrap(call.child_by_field_name("function"))
        if callee is None:
            return None
        name = _last(callee)
        if name == "verifyWebhook":
            symbol = self.project.symbols.callee(file, callee)
            if symbol.kind == CLERK:
                return "clerk"
        if name != "verify" or callee.type != "member_expression":
            return None
        obj = _unwrap(callee.child_by_field_name("object"))
        provider = self._js_webhook_instance(file, obj, call)
        if provider is not None:
            return provider
        facts = self._facts(file)
        if facts.webhook_classes and len(_args(call)) >= 2 and not _obvious_other(obj):
            return next(iter(sorted(facts.webhook_classes.values())))
        return None

    def _js_webhook_instance(self, file: SourceFile, obj: Node | None, at: Node, depth: int = 0) -> str | None:
        if obj is None or depth > 4:
            return None
        if obj.type == "new_expression":
            return self._js_webhook_class(file, obj.child_by_field_name("constructor"))
        if obj.type == "identifier":
            value = _declared(file, text(obj), at)
            if value is not None:
                return self._js_webhook_instance(file, _unwrap(value), value, depth + 1)
            symbol = self.project.symbols.lookup(file, text(obj))
            if symbol.kind == VALUE and symbol.file is not None and symbol.node is not None:
                return self._js_webhook_instance(symbol.file, _unwrap(symbol.node), symbol.node, depth + 1)
        return None

    def _js_webhook_class(self, file: SourceFile, ctor: Node | None) -> str | None:
        if ctor is None:
            return None
        resolved = self.project.js(file).resolve(ctor)
        source, name = resolved if resolved else (None, None)
        if source is None:
            symbol = self.project.symbols.callee(file, ctor)
            source, name = (symbol.source, symbol.name) if symbol.kind == EXTERNAL else (None, None)
        if name == "Webhook" and source in ("svix", "standardwebhooks"):
            return source
        return None

    # -- Python ----------------------------------------------------------------------------------

    def _py_call(self, file: SourceFile, call: Node, scan: Scan, depth: int) -> None:
        callee = call.child_by_field_name("function")
        if callee is None:
            return
        name = _last(callee)
        kind = self._py_verify_kind(file, call)
        if kind is not None:
            scan.verifications.append(Verification(kind, f"{_short(callee)}()", file, call))
            scan.evidence.append(Evidence(SVIX, f"{kind}'s Webhook.verify", file, call))
            return
        if name in OTHER_VERIFY:
            scan.verifications.append(Verification("other", f"{_short(callee)}()", file, call, OTHER_VERIFY[name]))
            return
        if name in HMAC_CHECKS:
            scan.verifications.append(Verification("hmac", f"{_short(callee)}()", file, call))
            return
        target = self._py_callable(file, callee)
        if target is not None:
            target_file, target_function = target
            inner = self._scan(target_file, target_function, depth + 1)
            scan.merge(inner)
            if inner.verifications:
                best = sorted(inner.verifications, key=lambda v: (not v.clerk_like, v.kind == "unrecognised"))[0]
                scan.verifications.append(Verification("helper", f"{_short(callee)}()", file, call, best.provider, target, best))
            return
        if VERIFY_NAME.search(name) and call.child_by_field_name("arguments") is not None:
            scan.verifications.append(Verification("unrecognised", f"{_short(callee)}()", file, call))

    def _py_callable(self, file: SourceFile, callee: Node) -> tuple[SourceFile, Node] | None:
        """A project function a Python call runs: in this file, or imported (through the Python model)."""
        if callee.type == "identifier":
            target = self._facts(file).py_functions.get(text(callee))
            if target is not None:
                return file, target
        if callee.type not in ("identifier", "attribute"):
            return None
        symbol = self._python_model().symbol(file, callee)
        if symbol.kind == "function" and symbol.file is not None and symbol.node is not None:
            return symbol.file, symbol.node
        return None

    def _py_verify_kind(self, file: SourceFile, call: Node) -> str | None:
        callee = call.child_by_field_name("function")
        if callee is None or callee.type != "attribute" or text(callee.child_by_field_name("attribute")) != "verify":
            return None
        facts = self._facts(file)
        obj = callee.child_by_field_name("object")
        for _ in range(4):
            if obj is None:
                return None
            if obj.type == "call":
                ctor = obj.child_by_field_name("function")
                ctor_text = text(ctor)
                if ctor_text in facts.webhook_classes:
                    return facts.webhook_classes[ctor_text]
                for module in ("svix", "standardwebhooks"):
                    if re.fullmatch(rf"{module}(?:\.webhooks)?\.Webhook", ctor_text):
                        return module
                return None
            if obj.type == "identifier":
                obj = _py_declared(file, text(obj), call)
                continue
            break
        if facts.webhook_classes and _py_argument_count(call) >= 2:
            return next(iter(sorted(facts.webhook_classes.values())))
        return None

    # -- verify call sites (CLK402, CLK403) ------------------------------------------------------

    def _find_sites(self, file: SourceFile) -> list[Site]:
        if b"verify" not in file.data:
            return []
        python = file.grammar == PYTHON
        if not python and b"Webhook" not in file.data and b"verifyWebhook" not in file.data:
            return []
        found = []
        query = PY_CALLS if python else "(call_expression) @call"
        for call in captures(file.grammar, query, file.root).get("call", ()):
            kind = self._py_verify_kind(file, call) if python else self._js_verify_kind(file, call)
            if kind is None:
                continue
            function = _enclosing_function(call, python)
            if not self._clerk_site(file, function, kind):
                continue
            found.append(self._judge_site(file, call, kind, function, python))
        return found

    def _clerk_site(self, file: SourceFile, function: Node | None, kind: str) -> bool:
        """Whether a verify call checks Clerk webhooks (not another Svix sender's)."""
        if kind == "clerk":
            return True
        scope = function if function is not None else file.root
        data = scope.text or b""
        if not (self.uses_clerk(file) or CLERK_SECRET.search(data) or any(e.strength == STRONG for e in self._facts(file).evidence)):
            return False
        for match in SECRET_NAME.finditer(data):
            prefix = match.group(1).decode()
            if prefix != "CLERK" and other_provider(match.group(0).decode()):
                return False
        return True

    def _judge_site(self, file: SourceFile, call: Node, kind: str, function: Node | None, python: bool) -> Site:
        mode = "entry" if self._is_entry_function(file, function) else "helper"
        reserialized = ""
        if kind != "clerk":
            reserialized = self._payload_problem(file, call, function, python)
        bypass, falsy = _bypass(file, call, function, mode, file.grammar, kind)
        return Site(kind, file, call, function, reserialized, bypass, falsy)

    def _is_entry_function(self, file: SourceFile, function: Node | None) -> bool:
        if function is None:
            return False
        for handler in self.handlers(file):
            if handler.function is not None and handler.function == function:
                return True
        return False

    def _payload_problem(self, file: SourceFile, call: Node, function: Node | None, python: bool) -> str:
        args = _py_arguments(call) if python else _args(call)
        if not args:
            return ""
        payload = args[0]
        raw_body = self._raw_body_of(file, function)
        for _ in range(5):
            node = _unwrap(payload)
            if node is None:
                return ""
            if node.type in ("call_expression", "call"):
                callee = node.child_by_field_name("function")
                full = _dotted(callee)
                if full in RESERIALIZERS or (python and _last(callee) == "dumps"):
                    inner = (_py_arguments(node) if python else _args(node)) or [None]
                    what = _short(inner[0]) if inner[0] is not None else "a value"
                    return f"`{_short(node)}` re-serializes `{what}` instead of passing the raw request body"
                if _last(callee) in PARSE_METHODS and _parses_request(callee):
                    return f"`{_short(node)}` is the parsed JSON body, not the raw request body"
                return ""
            if node.type in ("member_expression", "attribute"):
                prop = _last(node)
                root = _root_name(node)
                if prop == "body" and root in ("req", "request") and raw_body is False:
                    return f"`{_short(node)}` is the body already parsed by the framework, not the raw request body"
                if python and prop in PARSED_ATTRS and root == "request":
                    return f"`{_short(node)}` is the parsed JSON body, not the raw request body"
                return ""
            if node.type == "identifier":
                value = _py_declared(file, text(node), node) if python else _declared(file, text(node), node)
                if value is None:
                    return ""
                payload = value
                continue
            return ""
        return ""

    def _raw_body_of(self, file: SourceFile, function: Node | None) -> bool | None:
        """Whether ``req.body`` in ``function`` is raw (True), parsed (False) or unknown."""
        for handler in self.handlers(file):
            if function is not None and handler.function == function:
                return handler.raw_body
        for handler in self.handlers(file):
            if handler.kind == PAGES_API:
                return handler.raw_body
        return None

    # -- file facts ------------------------------------------------------------------------------

    def _facts(self, file: SourceFile) -> "_FileFacts":
        if file.rel not in self._file_facts:
            self._file_facts[file.rel] = _py_file_facts(file) if file.grammar == PYTHON else _js_file_facts(file)
        return self._file_facts[file.rel]

    def _compute_uses_clerk(self, file: SourceFile) -> bool:
        if self._facts(file).imports_clerk:
            return True
        if file.grammar == PYTHON:
            manifest = self.project.python_manifest_for(file)
            return manifest is not None and any("clerk" in name for name in manifest.dependencies)
        manifests = [self.project.manifest_for(file), self.project.manifest_at(self.project.root)]
        return any(m is not None and any(n.startswith("@clerk/") for n in m.dependencies) for m in manifests)


# -- per-file facts -------------------------------------------------------------------------------


@dataclass
class _FileFacts:
    imports_clerk: bool = False
    sources: set[str] = field(default_factory=set)  # every imported module, type-only imports included
    evidence: list[Evidence] = field(default_factory=list)  # Clerk types imported
    webhook_classes: dict[str, str] = field(default_factory=dict)  # local name of Webhook -> "svix" / "standardwebhooks"
    py_functions: dict[str, Node] = field(default_factory=dict)


def _js_file_facts(file: SourceFile) -> _FileFacts:
    facts = _FileFacts()
    for node in file.root.named_children:
        if node.type != "import_statement":
            continue
        source = string_value(node.child_by_field_name("source")) or ""
        facts.sources.add(source)
        clerk = source.startswith("@clerk/")
        facts.imports_clerk |= clerk
        specifiers = [
            spec
            for clause in node.named_children if clause.type == "import_clause"
            for group in clause.named_children if group.type == "named_imports"
            for spec in group.named_children if spec.type == "import_specifier"
        ]
        for spec in specifiers:
            name_node = spec.child_by_field_name("name")
            alias = spec.child_by_field_name("alias") or name_node
            name = text(name_node)
            if clerk and CLERK_TYPE.match(name):
                facts.evidence.append(Evidence(STRONG, f"`{name}` from `{source}`", file, spec))
            if name == "Webhook" and source in ("svix", "standardwebhooks"):
                facts.webhook_classes[text(alias)] = source
    if b"require" in file.data and (b"svix" in file.data or b"standardwebhooks" in file.data or b"@clerk/" in file.data):
        for match in re.finditer(rb"\{\s*([^}]*?)\s*\}\s*=\s*require\(\s*['\"](svix|standardwebhooks)['\"]\s*\)", file.data):
            for part in match.group(1).split(b","):
                local = part.split(b":")[-1].strip().decode("utf-8", "replace")
                if part.split(b":")[0].strip() == b"Webhook" and local:
                    facts.webhook_classes[local] = match.group(2).decode()
        if re.search(rb"require\(\s*['\"]@clerk/", file.data):
            facts.imports_clerk = True
    return facts


def _py_file_facts(file: SourceFile) -> _FileFacts:
    facts = _FileFacts()
    for node in file.root.named_children:
        if node.type == "import_from_statement":
            module = text(node.child_by_field_name("module_name"))
            if module.startswith(("clerk_backend_api", "clerk")):
                facts.imports_clerk = True
            top = module.split(".")[0]
            if top in ("svix", "standardwebhooks"):
                for name in node.children_by_field_name("name"):
                    if name.type == "aliased_import":
                        original, alias = text(name.child_by_field_name("name")), text(name.child_by_field_name("alias"))
                    else:
                        original = alias = text(name)
                    if original == "Webhook":
                        facts.webhook_classes[alias] = top
        elif node.type == "import_statement":
            body = text(node)
            if "clerk_backend_api" in body:
                facts.imports_clerk = True
        elif node.type == "function_definition":
            name = node.child_by_field_name("name")
            if name is not None:
                facts.py_functions[text(name)] = node
        elif node.type == "decorated_definition":
            definition = node.child_by_field_name("definition")
            if definition is not None and definition.type == "function_definition":
                name = definition.child_by_field_name("name")
                if name is not None:
                    facts.py_functions.setdefault(text(name), definition)
    return facts


# -- CLK403: how a failed verification gets through -----------------------------------------------


def _bypass(file: SourceFile, call: Node, function: Node | None, mode: str, grammar: str, kind: str) -> tuple[str, bool]:
    """(why a bad signature gets through, or "";  whether the function returns a falsy value then)."""
    python = grammar == PYTHON
    if kind == "clerk" and not python:
        awaited, dropped = _call_use(call)
        if not awaited and dropped:
            return "`verifyWebhook()` is not awaited: a bad signature rejects a promise nobody waits for, and the handler goes on", False
    # the verify call inside a try whose catch carries on
    statement = _statement_of(call, python)
    names = _assigned_names(call, python)
    node = call
    falsy = False
    while True:
        try_statement, catch_body = _enclosing_try(node, function, python)
        if try_statement is None:
            break
        if catch_body is None:  # try/finally: the error propagates
            node = try_statement
            continue
        verdict, assigned = _catch_verdict(catch_body, mode, python)
        names |= assigned
        if verdict == "rethrows":
            node = try_statement
            continue
        if verdict == "returns-falsy":
            falsy = True
            break
        if verdict == "returns-payload":
            clause = "`except`" if python else "catch"
            return f"the {clause} returns the payload when the signature is wrong, so callers go on with unverified data", False
        if verdict == "exits":
            break
        after = _work_after(try_statement, function, mode, grammar, names)
        if after is not None and _fails_closed(file, after, names, try_statement, python):
            after = None
        if after is not None:
            clause = "`except`" if python else "catch"
            return f"the {clause} swallows the verification error and the handler goes on (`{_short(after)}`)", False
        if mode == "helper":
            falsy = True
        break
    # the verify call inside a branch that can be skipped
    current = call
    while current is not None and current != function:
        parent = current.parent
        if parent is None:
            break
        branch = _branch_of(parent, current, python)
        if branch is not None:
            condition, other = branch
            if other is None or not _exits(other, mode, python):
                after = _work_after(parent, function, mode, grammar, names)
                if after is not None or (other is not None and _has_work(other, grammar)):
                    return f"verification only runs when `{_short(_strip_parens(condition))}`; otherwise the handler goes on unverified", falsy
        current = parent
    # an earlier branch that skips verification (`if (!secret) return process(payload)`)
    early = _early_skip(statement or call, function, grammar)
    if early is not None:
        return f"when `{_short(_strip_parens(early))}`, the handler processes the request without verifying it", falsy
    return "", falsy


SKIP_CONDITION = re.compile(r"secret|signature|svix|webhook-|NODE_ENV|VERCEL_ENV|ENVIRONMENT|DEBUG|skip|verif|insecure|development|\bdev\b", re.I)


def _early_skip(statement: Node, function: Node | None, grammar: str) -> Node | None:
    """An ``if`` before the verification that, on a secret/header/environment condition, does the
    work and leaves without verifying."""
    python = grammar == PYTHON
    current = statement
    blocks = PY_BLOCKS if python else JS_BLOCKS
    while current is not None and current != function:
        parent = current.parent
        if parent is not None and parent.type in blocks:
            sibling = current.prev_named_sibling
            while sibling is not None:
                if sibling.type == "if_statement":
                    condition = sibling.child_by_field_name("condition")
                    consequence = sibling.child_by_field_name("consequence")
                    if condition is not None and consequence is not None and SKIP_CONDITION.search(text(condition)):
                        if _exits(consequence, "entry", python) and _has_work(consequence, grammar):
                            return condition
                sibling = sibling.prev_named_sibling
        current = parent
    return None


def _branch_of(parent: Node, child: Node, python: bool) -> tuple[Node, Node | None] | None:
    """(condition, the other branch) when ``child`` is a branch of the conditional ``parent``."""
    if parent.type == "if_statement":
        condition = parent.child_by_field_name("condition")
        consequence = parent.child_by_field_name("consequence")
        if python:
            alternatives = parent.children_by_field_name("alternative")
            if child == consequence:
                return condition, alternatives[0] if alternatives else None
            if child in alternatives:
                return condition, consequence
            return None
        alternative = parent.child_by_field_name("alternative")
        if child == consequence:
            return condition, alternative
        if child == alternative:
            return condition, consequence
        return None
    if parent.type in ("elif_clause",) and python:
        condition = parent.child_by_field_name("condition")
        if child == parent.child_by_field_name("consequence"):
            return condition, None
        return None
    if parent.type in ("ternary_expression", "conditional_expression"):
        if python:
            parts = parent.named_children
            if len(parts) == 3 and child in (parts[0], parts[2]):
                return parts[1], parts[2] if child == parts[0] else parts[0]
            return None
        condition = parent.child_by_field_name("condition")
        if child == parent.child_by_field_name("consequence"):
            return condition, parent.child_by_field_name("alternative")
        if child == parent.child_by_field_name("alternative"):
            return condition, parent.child_by_field_name("consequence")
        return None
    if parent.type in ("binary_expression", "boolean_operator"):
        op = parent.child_by_field_name("operator")
        right = parent.child_by_field_name("right")
        if op is not None and text(op) in ("&&", "||", "and", "or", "??") and child == right:
            return parent.child_by_field_name("left"), None
    return None


def _enclosing_try(node: Node, function: Node | None, python: bool) -> tuple[Node | None, Node | None]:
    """The nearest ``try`` whose body holds ``node`` (inside ``function``), and its catch body."""
    current = node
    while current is not None and current != function:
        parent = current.parent
        if parent is None:
            break
        if parent.type == "try_statement" and parent.child_by_field_name("body") == current:
            if python:
                handlers = [c for c in parent.named_children if c.type == "except_clause"]
                if not handlers:
                    return parent, None
                blocks = [b for h in handlers for b in h.named_children if b.type == "block"]
                return parent, blocks[0] if blocks else None
            handler = parent.child_by_field_name("handler")
            return parent, handler.child_by_field_name("body") if handler is not None else None
        current = parent
    return None, None


def _catch_verdict(body: Node, mode: str, python: bool) -> tuple[str, set[str]]:
    """"rethrows", "exits", "returns-falsy", "returns-payload" or "swallows"; and the names the
    catch assigns (a flag checked later)."""
    assigned: set[str] = set()
    verdict = "swallows"
    for statement in body.named_children:
        kind = statement.type
        if kind in ("throw_statement", "raise_statement"):
            return "rethrows", assigned
        if kind == "return_statement":
            value = statement.named_children[0] if statement.named_children else None
            if mode == "entry":
                return "exits", assigned
            return _returned(value), assigned
        if kind == "expression_statement" and statement.named_children:
            expr = _unwrap(statement.named_children[0])
            if expr is not None and expr.type in ("assignment_expression", "assignment"):
                left = expr.child_by_field_name("left")
                if left is not None and left.type == "identifier":
                    assigned.add(text(left))
            if python and expr is not None and expr.type == "call" and _last(expr.child_by_field_name("function")) in ("abort", "exit"):
                return "exits", assigned
            if not python and js_exits(statement):
                return "exits", assigned
    return verdict, assigned


def _fails_closed(file: SourceFile, work: Node, names: set[str], try_statement: Node, python: bool) -> bool:
    """Whether the work after a swallowed error first dereferences the verified event, which is
    still unset when verification failed (``let evt; try { evt = wh.verify(...) } catch {}`` then
    ``evt.type``): that throws a TypeError before anything is processed."""
    body = text(work)
    for name in names:
        if not re.search(rf"(?<![\w$.]){re.escape(name)}(?:\.(?!\.)|\[)", body):
            continue
        if re.search(rf"(?<![\w$.]){re.escape(name)}\?\.", body):
            continue
        before = _py_declared(file, name, try_statement) if python else _declared(file, name, try_statement)
        if before is None or text(_unwrap(before)) in FALSY:
            return True
    return False


FAILURE_CALL = re.compile(r"throw|error|reject|fail|abort|deny|unauthori[sz]ed|forbidden|invalid|bad", re.I)


def _returned(value: Node | None) -> str:
    """What a helper's ``catch`` hands back: nothing useful ("returns-falsy"), a failure it signals
    ("exits"), or the payload it could not verify ("returns-payload")."""
    node = _unwrap(value)
    if node is None or text(node) in FALSY:
        return "returns-falsy"
    if _is_response(node) or _root_name(node) in ("res", "reply", "response", "c", "h"):
        return "exits"
    if node.type in ("call_expression", "call", "new_expression"):
        callee = node.child_by_field_name("function") or node.child_by_field_name("constructor")
        name = _last(callee)
        if FAILURE_CALL.search(name) or FAILURE_CALL.search(_root_name(callee)):
            return "exits"
        if name in ("parse", "loads", "json"):
            return "returns-payload"  # JSON.parse(body), json.loads(payload), await req.json()
        return "exits"
    if node.type in ("identifier", "member_expression", "attribute", "subscript_expression", "subscript"):
        return "returns-payload"
    return "returns-falsy"  # a result object, a literal


def _work_after(node: Node, function: Node | None, mode: str, grammar: str, names: set[str]) -> Node | None:
    """The first statement after ``node`` (up to the end of ``function``) that does work, unless a
    check of ``names`` (the verified event, a flag set by the catch) that exits comes first."""
    python = grammar == PYTHON
    blocks = PY_BLOCKS if python else JS_BLOCKS
    current = node
    while current is not None and current != function:
        parent = current.parent
        if parent is None:
            return None
        if parent.type in blocks:
            sibling = current.next_named_sibling
            while sibling is not None:
                if sibling.type == "if_statement" and names:
                    condition = sibling.child_by_field_name("condition")
                    consequence = sibling.child_by_field_name("consequence")
                    if _tests(condition, names, negative=True) and consequence is not None and _exits(consequence, mode, python):
                        return None  # `if (!evt) return ...`
                    if _tests(condition, names, negative=False) and not sibling.children_by_field_name("alternative"):
                        sibling = sibling.next_named_sibling
                        continue  # `if (evt) { ...work... }`: only with a verified event
                if _is_work(sibling, mode, grammar):
                    return sibling
                sibling = sibling.next_named_sibling
        current = parent
    return None


def _tests(condition: Node | None, names: set[str], negative: bool) -> bool:
    """Whether ``condition`` tests one of ``names`` for being missing (``!evt``, ``evt == null``,
    ``not verified``, ``evt is None``) or, with ``negative=False``, for being there (``evt``,
    ``evt && ...``, ``evt is not None``)."""
    if condition is None:
        return False
    body = " ".join(text(condition).split())
    while body.startswith("(") and body.endswith(")"):
        body = body[1:-1].strip()
    alternatives = "|".join(re.escape(n) for n in sorted(names))
    name = rf"(?:{alternatives})"
    if negative:
        pattern = (
            rf"^(?:!\s*{name}|not\s+{name}|{name}\s*(?:===?|is)\s*(?:null|undefined|false|None|False))"
            rf"(?:\s*(?:\|\||or)\s.*)?$|^.*(?:\|\||\bor)\s*(?:!\s*{name}|not\s+{name})$"
        )
    else:
        pattern = rf"^{name}(?:\s*(?:!==?|is\s+not)\s*(?:null|undefined|None))?(?:\s*(?:&&|and)\s.*)?$"
    return re.match(pattern, body) is not None


def _is_work(statement: Node, mode: str, grammar: str) -> bool:
    kind = statement.type
    if kind in ("comment", "empty_statement", "break_statement", "continue_statement", "pass_statement", "throw_statement", "raise_statement"):
        return False
    if kind == "return_statement":
        value = statement.named_children[0] if statement.named_children else None
        if value is None:
            return False
        if mode == "helper":
            return text(value) not in FALSY and not _is_response(value)
        return _has_work(value, grammar)
    return _has_work(statement, grammar)


def _has_work(node: Node, grammar: str) -> bool:
    """Whether ``node`` calls something other than response builders, logging and parsing."""
    query = PY_CALLS if grammar == PYTHON else JS_CALLS
    for call in captures(grammar, query, node).get("call", ()):
        callee = call.child_by_field_name("function") or call.child_by_field_name("constructor")
        callee = _unwrap(callee)
        if callee is None or callee.type in FUNCTION_TYPES:
            continue
        name = _last(callee)
        if _root_name(callee) in TRIVIAL_ROOTS or name in TRIVIAL_NAMES or FAILURE_CALL.search(name):
            continue
        return True
    return False


def _exits(node: Node, mode: str, python: bool) -> bool:
    if python:
        if node.type in ("else_clause", "elif_clause"):
            body = node.child_by_field_name("body") or node.child_by_field_name("consequence")
            return body is not None and _exits(body, mode, python)
        statements = node.named_children if node.type == "block" else [node]
        for statement in statements:
            if statement.type in ("return_statement", "raise_statement"):
                return True
            if statement.type == "expression_statement" and statement.named_children:
                expr = statement.named_children[0]
                if expr.type == "call" and _last(expr.child_by_field_name("function")) in ("abort", "exit"):
                    return True
        return False
    return js_exits(node)


# -- small helpers --------------------------------------------------------------------------------


def _matches(file: SourceFile, source: str, node: Node):
    from clerk_lint.parsing import matches

    return matches(file.grammar, source, node)


def _root_name(node: Node | None) -> str:
    while node is not None:
        node = _unwrap(node)
        if node is None:
            return ""
        if node.type == "identifier":
            return text(node)
        if node.type in ("member_expression", "subscript_expression"):
            node = node.child_by_field_name("object")
        elif node.type == "attribute":
            node = node.child_by_field_name("object")
        elif node.type in ("call_expression", "call"):
            node = node.child_by_field_name("function")
        elif node.type == "new_expression":
            node = node.child_by_field_name("constructor")
        else:
            return ""
    return ""


def _dotted(node: Node | None) -> str:
    return re.sub(r"\s+", "", text(_unwrap(node)))


def _args(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [a for a in args.named_children if a.type != "comment"]


def _py_arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [a for a in args.named_children if a.type not in ("comment", "keyword_argument")]


def _py_argument_count(call: Node) -> int:
    args = call.child_by_field_name("arguments")
    return len([a for a in args.named_children if a.type != "comment"]) if args is not None else 0


def _pairs(obj: Node) -> dict[str, tuple[Node, Node]]:
    """``{ key: value }`` -> {key: (key node, value node)} (shorthand ``{ handler }`` included)."""
    found = {}
    for item in obj.named_children:
        if item.type == "pair":
            key = item.child_by_field_name("key")
            value = item.child_by_field_name("value")
            if key is not None and value is not None:
                name = string_value(key) if key.type == "string" else text(key)
                if name:
                    found[name] = (key, value)
        elif item.type == "shorthand_property_identifier":
            found[text(item)] = (item, item)
    return found


def _compared(node: Node) -> bool:
    """Whether a string literal is compared with something (``===``, ``case``, ``includes``, a
    lookup table key, Python ``==``/``in``/``match``)."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type in ("binary_expression", "comparison_operator", "switch_case", "case_pattern", "pair", "array", "list", "tuple", "set", "dictionary"):
        return True
    if parent.type in ("arguments", "argument_list"):
        return True  # `.includes('user.created')`, `events.has(...)`
    if parent.type == "union_type" or parent.type == "literal_type":
        return True
    return False


def _declared(file: SourceFile, name: str, at: Node) -> Node | None:
    """The value most recently bound to ``name`` before ``at`` in the function around it (or the
    functions around that, or the module). A parameter is followed to the argument the function is
    called with, when the file calls it from exactly one place."""
    scope = at.parent
    while scope is not None:
        if scope.type in FUNCTION_TYPES or scope.type == "program":
            best = None
            for _, match in _matches(file, JS_DECLARATIONS, scope):
                name_node = match["name"][0]
                if text(name_node) != name or name_node.start_byte >= at.start_byte or _scope_of(name_node, False) != scope:
                    continue
                if best is None or name_node.start_byte > best[0]:
                    best = (name_node.start_byte, match["value"][0])
            if best is not None:
                return best[1]
            if scope.type in FUNCTION_TYPES:
                index = _parameter_index(scope, name)
                if index is not None:
                    return _argument_at_call_site(file, scope, index)
        scope = scope.parent
    return None


def _py_declared(file: SourceFile, name: str, at: Node) -> Node | None:
    scope = at.parent
    while scope is not None:
        if scope.type in ("function_definition", "module"):
            best = None
            for _, match in _matches(file, PY_ASSIGNMENTS, scope):
                name_node = match["name"][0]
                if text(name_node) != name or name_node.start_byte >= at.start_byte or _scope_of(name_node, True) != scope:
                    continue
                if best is None or name_node.start_byte > best[0]:
                    best = (name_node.start_byte, match["value"][0])
            if best is not None:
                return best[1]
        scope = scope.parent
    return None


def _scope_of(node: Node, python: bool) -> Node | None:
    """The function (or module) a name is bound in."""
    kinds = ("function_definition", "lambda", "module") if python else (*FUNCTION_TYPES, "program")
    parent = node.parent
    while parent is not None and parent.type not in kinds:
        parent = parent.parent
    return parent


def _parameter_index(function: Node, name: str) -> int | None:
    params = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    if params is None:
        return None
    if params.type == "identifier":
        return 0 if text(params) == name else None
    for index, param in enumerate(p for p in params.named_children if p.type != "comment"):
        target = param
        if param.type in ("required_parameter", "optional_parameter"):
            target = param.child_by_field_name("pattern")
        elif param.type == "assignment_pattern":
            target = param.child_by_field_name("left")
        if target is not None and target.type == "identifier" and text(target) == name:
            return index
    return None


JS_NAMED_CALLS = "(call_expression function: (identifier) @fn arguments: (arguments) @args) @call"


def _argument_at_call_site(file: SourceFile, function: Node, index: int) -> Node | None:
    name_node = function.child_by_field_name("name")
    if name_node is None and function.parent is not None and function.parent.type == "variable_declarator":
        name_node = function.parent.child_by_field_name("name")
    if name_node is None or name_node.type != "identifier":
        return None
    name = text(name_node)
    found = []
    for _, match in _matches(file, JS_NAMED_CALLS, file.root):
        if text(match["fn"][0]) != name:
            continue
        args = [a for a in match["args"][0].named_children if a.type != "comment"]
        if index < len(args):
            found.append(args[index])
    return found[0] if len(found) == 1 else None


def _enclosing_function(node: Node, python: bool) -> Node | None:
    parent = node.parent
    while parent is not None:
        if (python and parent.type in ("function_definition", "lambda")) or (not python and parent.type in FUNCTION_TYPES):
            return parent
        parent = parent.parent
    return None


def _statement_of(node: Node, python: bool) -> Node | None:
    blocks = PY_BLOCKS if python else JS_BLOCKS
    current = node
    while current.parent is not None:
        if current.parent.type in blocks:
            return current
        if current.parent.type in FUNCTION_TYPES or current.parent.type == "function_definition":
            return current  # an arrow function's expression body
        current = current.parent
    return None


def _assigned_names(call: Node, python: bool) -> set[str]:
    """The names the verify call's result is bound to (``evt = wh.verify(...)``)."""
    current = call
    while current.parent is not None and current.parent.type in (
        "await_expression", "as_expression", "parenthesized_expression", "satisfies_expression", "non_null_expression", "await",
    ):
        current = current.parent
    parent = current.parent
    if parent is None:
        return set()
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == current:
        name = parent.child_by_field_name("name")
        return {text(name)} if name is not None and name.type == "identifier" else set()
    if parent.type in ("assignment_expression", "assignment") and parent.child_by_field_name("right") == current:
        left = parent.child_by_field_name("left")
        return {text(left)} if left is not None and left.type == "identifier" else set()
    return set()


def _call_use(call: Node) -> tuple[bool, bool]:
    """(awaited, result dropped) for a call."""
    if call.type == "call":  # Python
        current = call
        awaited = False
        while current.parent is not None and current.parent.type in ("await", "parenthesized_expression"):
            awaited = awaited or current.parent.type == "await"
            current = current.parent
        return awaited, current.parent is not None and current.parent.type == "expression_statement"
    use = use_of(call)
    if use.kind == HANDLED and use.how == "awaited":
        outer = use.node.parent
        return True, use_of(outer).kind == DROPPED
    return False, use.kind == DROPPED


def _parses_request(callee: Node | None) -> bool:
    """``req.json()``, ``request.clone().json()``, ``c.req.json()``, Flask ``request.get_json()``."""
    node = _unwrap(callee)
    if node is None or node.type not in ("member_expression", "attribute"):
        return False
    owner = node.child_by_field_name("object")
    return _root_name(owner) in ("req", "request", "c", "ctx", "event", "r") or "req" in text(owner).lower()


def _is_response(node: Node) -> bool:
    body = text(node)
    return bool(re.match(r"(?:new\s+)?(?:Next)?Response\b|(?:Next)?Response\.|res\.|HttpResponse|JSONResponse|JsonResponse|jsonify", body))


def _obvious_other(obj: Node | None) -> bool:
    """``jwt.verify``, ``crypto.verify``: clearly not a Svix Webhook."""
    return obj is not None and text(obj) in ("jwt", "jsonwebtoken", "crypto", "jose", "bcrypt", "argon2", "speakeasy", "totp")


def _strip_parens(node: Node) -> Node:
    while node.type in ("parenthesized_expression",) and node.named_children:
        node = node.named_children[0]
    return node


def _is_async(function: Node) -> bool:
    return any(child.type == "async" for child in function.children)


def _short(node: Node | None, limit: int = 60) -> str:
    value = " ".join(text(node).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen = set()
    found = []
    for item in evidence:
        if item.label in seen:
            continue
        seen.add(item.label)
        found.append(item)
    return found
