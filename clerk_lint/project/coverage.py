"""How each Next.js server entry point is protected — the one answer the coverage rules (CLK101–
CLK104) and ``clerk-lint routes`` share.

For an entry point: the handler behind the export (through wrappers), its guard (in the handler, in
a helper followed across files, in a wrapper or action client), what it reaches before the guard,
an intended public purpose (a webhook, Clerk's Frontend API proxy, a tRPC adapter), a guard in an
enclosing layout (pages only), and the middleware/proxy's verdict for its URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from clerk_lint.findings import Location
from clerk_lint.project.guards import DATA_ONLY, Guard, Sink
from clerk_lint.project.nextjs import ACTION, GSSP, PAGES_API, ROUTE, SERVER_COMPONENTS, Entry

if TYPE_CHECKING:
    from clerk_lint.project import Project

# statuses
GUARDED = "guarded"  # the handler (or its wrapper, or a helper) refuses signed-out callers first
MIDDLEWARE = "middleware"  # the middleware/proxy protects the URL
LAYOUT = "layout"  # a layout above the page guards (pages only)
NO_DATA = "no-data"  # reaches nothing worth protecting (a health check, a static page)
PURPOSE = "public-purpose"  # meant to be public: webhook receiver, Clerk proxy, tRPC adapter
OPEN = "open"  # reachable signed out, and reaches data
UNKNOWN = "unknown"  # reaches data; the middleware's verdict could not be computed
UNRESOLVED = "unresolved"  # the handler could not be found (exported from elsewhere)

PROTECTED_STATUSES = frozenset({GUARDED, MIDDLEWARE, LAYOUT})

WEBHOOK_MODULES = frozenset({"svix", "standardwebhooks", "@clerk/nextjs/webhooks", "@clerk/backend/webhooks", "stripe", "@octokit/webhooks"})
PROXY_NAMES = frozenset({"createFrontendApiProxyHandlers", "clerkFrontendApiProxy"})
ADAPTER_NAMES = frozenset({"fetchRequestHandler", "createNextApiHandler", "toNextJsHandler", "createRouteHandler", "serve", "createNextRouteHandler"})
ADAPTER_MODULES = ("@trpc/", "uploadthing", "inngest", "@orpc/", "hono/vercel", "better-auth", "@hono/")


@dataclass
class Coverage:
    status: str
    how: str  # one line for people: "guard helper `requireUser()`", "middleware protects /dashboard(.*)"
    exposed: list[Sink] = field(default_factory=list)  # what a signed-out caller reaches
    related: list[Location] = field(default_factory=list)
    guard: Guard | None = None
    late_guard: bool = False  # a guard exists, but only after data is reached
    unawaited_guard: str = ""  # a guard helper called without await
    middleware_reason: str = ""

    @property
    def protected(self) -> bool:
        return self.status in PROTECTED_STATUSES


class CoverageModel:
    def __init__(self, project: "Project") -> None:
        self.project = project
        self._cache: dict[tuple[str, str, str], Coverage] = {}

    def of(self, entry: Entry) -> Coverage:
        key = (entry.file.rel, entry.kind, entry.name)
        if key not in self._cache:
            self._cache[key] = self._compute(entry)
        return self._cache[key]

    # -- internals -------------------------------------------------------------------------------

    def _compute(self, entry: Entry) -> Coverage:
        guards = self.project.guards
        purpose = self._purpose(entry)
        if purpose:
            return Coverage(PURPOSE, purpose)
        if entry.value is None:  # export { GET } from '...', export { handler as GET }
            file, function, wrapper = self._exported(entry)
        else:
            file, function, wrapper = guards.entry(*(self._factory_property(entry) or (entry.file, entry.value)))
        if wrapper is not None:
            related = [wrapper.helper] if wrapper.helper else [wrapper.location()]
            return Coverage(GUARDED, f"wrapper: {wrapper.how}", related=related, guard=wrapper)
        if function is None:
            return Coverage(UNRESOLVED, "handler not found (defined outside the project or built dynamically)")
        verdict = guards.analyse(file, function, mode="entry")
        kinds = DATA_ONLY if entry.kind in SERVER_COMPONENTS or entry.kind == GSSP else frozenset({"data", "call"})
        exposed = verdict.exposed(kinds)
        guard = verdict.guard
        renders = entry.kind in SERVER_COMPONENTS or entry.kind == GSSP
        if guard is not None and (not exposed or guard.kind in ("ownership", "credential") or renders):
            # pages: data loaded before the check is only rendered after it (a redirect throws first)
            # an ownership comparison after loading a record, or a signature check after reading
            # the secret it needs, still refuses the caller before anything is returned
            related = [guard.helper] if guard.helper else []
            prefix = {"auth": "in-handler guard", "ownership": "ownership check", "credential": "non-Clerk check"}[guard.kind]
            return Coverage(GUARDED, f"{prefix}: {guard.how}", related=related, guard=guard)
        if not exposed:
            relevant = [s for s in verdict.sinks if s.kind in kinds]
            how = "reaches data only in a signed-in branch" if relevant else ("reaches no stored data" if verdict.sinks else "reaches no data")
            return Coverage(NO_DATA, how)
        if entry.kind in SERVER_COMPONENTS:
            layout = self._layout_guard(entry)
            if layout is not None:
                return Coverage(LAYOUT, f"guard in {layout.file.rel}", related=[layout.location()], guard=layout)
        late = verdict.guard is not None
        coverage = Coverage(OPEN, "no guard", exposed=exposed, guard=verdict.guard, late_guard=late, unawaited_guard=verdict.unawaited_guard)
        if late:
            coverage.how = f"guard ({verdict.guard.how}) only after data access"
            coverage.related.append(verdict.guard.location())
        if entry.kind == ACTION:
            return coverage  # Server Actions are callable by id from any page: middleware never counts
        return self._with_middleware(entry, coverage)

    def _with_middleware(self, entry: Entry, coverage: Coverage) -> Coverage:
        verdict = self.project.middleware_verdict(entry)
        if verdict is None:
            coverage.middleware_reason = "no middleware protects it"
            if entry.app is not None:
                location = self.project.nextjs.middleware_location(entry.app)
                if location.loaded is None and location.misplaced:
                    path, why = location.misplaced[0]
                    coverage.middleware_reason = f"no middleware runs (Next.js ignores {path}: {why})"
            return coverage
        coverage.middleware_reason = verdict.reason
        coverage.related.extend(verdict.evidence)
        if verdict.state == "protected":
            coverage.status = MIDDLEWARE
            coverage.how = verdict.reason
        elif verdict.state == "unknown":
            coverage.status = UNKNOWN
        return coverage

    def _purpose(self, entry: Entry) -> str:
        if entry.kind not in (ROUTE, PAGES_API):
            return ""
        facts = self.project.js(entry.file)
        sources = {b.source for b in facts.imports}
        names = {b.imported for b in facts.imports}
        segments = [s.name.lower() for s in entry.segments or ()]
        if any("webhook" in name for name in segments) or sources & WEBHOOK_MODULES or any(s.endswith("/webhooks") for s in sources):
            return "webhook receiver: public by design; CLK401 judges its signature check"
        if self.project.webhooks.is_receiver(entry.file, entry.node):
            return "Clerk webhook receiver: public by design; CLK401 judges its signature check"
        if "__clerk" in segments or names & PROXY_NAMES:
            return "Clerk Frontend API proxy"
        if names & ADAPTER_NAMES or any(s.startswith(ADAPTER_MODULES) for s in sources):
            return "framework adapter (tRPC, uploadthing, inngest...): the procedures behind it are not analysed"
        return ""

    def _factory_property(self, entry: Entry):
        """``export const { GET, POST } = makeHandlers()`` with a project factory that returns an
        object literal: (file, the ``GET`` property of what it returns)."""
        value = entry.value
        if value is None or value.type != "call_expression" or entry.node.type != "shorthand_property_identifier_pattern":
            return None
        symbol = self.project.symbols.callee(entry.file, value.child_by_field_name("function"))
        if symbol.kind != "function" or symbol.node is None or symbol.file is None:
            return None
        from clerk_lint.parsing import captures, text

        for obj in captures(symbol.file.grammar, "(return_statement (object) @o)", symbol.node).get("o", ()):
            for pair in obj.named_children:
                key = pair.child_by_field_name("key") if pair.type == "pair" else None
                if key is not None and text(key) == entry.name:
                    return symbol.file, pair.child_by_field_name("value")
        return None

    def _exported(self, entry: Entry):
        """The handler behind an export that names a binding or re-exports from another module."""
        symbol = self.project.symbols.export(entry.file, entry.name)
        if symbol.kind == "function" and symbol.file is not None:
            return symbol.file, symbol.node, None
        if symbol.kind == "value" and symbol.file is not None:
            return self.project.guards.entry(symbol.file, symbol.node)
        return entry.file, None, None

    def _layout_guard(self, entry: Entry) -> Guard | None:
        app = entry.app
        if app is None or app.app_dir is None:
            return None
        directory = entry.file.real.parent
        while True:
            for candidate in sorted(directory.glob("layout.*")):
                if self.project.canon(candidate) == entry.file.real:
                    continue
                layout = self.project.load(candidate)
                if layout is None:
                    continue
                for layout_entry in self.project.nextjs.entries(layout):
                    if layout_entry.kind == "layout":
                        file, function, wrapper = self.project.guards.entry(layout, layout_entry.value)
                        if wrapper is not None:
                            return wrapper
                        if function is not None:
                            verdict = self.project.guards.analyse(file, function)
                            if verdict.guard is not None:
                                return verdict.guard
            if directory == app.app_dir or app.app_dir not in directory.parents:
                return None
            directory = directory.parent
