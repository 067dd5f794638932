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
from clerk_lint.project.guards import DATA_ONLY, Guard, Sink, Verdict
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

WEBHOOK_EVIDENCE = (b"svix", b"verifyWebhook", b"constructEvent", b"webhook-signature", b"standardwebhooks", b"Webhook(")
PROXY_EVIDENCE = (b"createFrontendApiProxyHandlers", b"clerkFrontendApiProxy")
ADAPTER_EVIDENCE = (b"fetchRequestHandler", b"createNextApiHandler", b"toNextJsHandler", b"createRouteHandler(")


@dataclass
class Coverage:
    status: str
    how: str  # one line for people: "guard helper `requireUser()`", "middleware protects /dashboard(.*)"
    exposed: list[Sink] = field(default_factory=list)  # what a signed-out caller reaches
    related: list[Location] = field(default_factory=list)
    guard: Guard | None = None
    late_guard: bool = False  # a guard exists, but only after data is reached
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
        file, function, wrapper = guards.entry(entry.file, entry.value)
        if wrapper is not None:
            related = [wrapper.helper] if wrapper.helper else [wrapper.location()]
            return Coverage(GUARDED, f"wrapper: {wrapper.how}", related=related, guard=wrapper)
        if function is None:
            return Coverage(UNRESOLVED, "handler not found (defined outside the project or built dynamically)")
        verdict = guards.analyse(file, function, mode="entry")
        kinds = DATA_ONLY if entry.kind in SERVER_COMPONENTS or entry.kind == GSSP else frozenset({"data", "call"})
        exposed = verdict.exposed(kinds)
        if verdict.guard is not None and not exposed:
            guard = verdict.guard
            related = [guard.helper] if guard.helper else []
            return Coverage(GUARDED, f"in-handler guard: {guard.how}", related=related, guard=guard)
        if not exposed:
            return Coverage(NO_DATA, "reaches no data" if not verdict.sinks else "reaches data only behind a check")
        if entry.kind in SERVER_COMPONENTS:
            layout = self._layout_guard(entry)
            if layout is not None:
                return Coverage(LAYOUT, f"guard in {layout.file.rel}", related=[layout.location()], guard=layout)
        late = verdict.guard is not None
        coverage = Coverage(OPEN, "no guard", exposed=exposed, guard=verdict.guard, late_guard=late)
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
        data = entry.file.data
        names = [s.name.lower() for s in entry.segments or ()]
        if any("webhook" in name for name in names) or any(e in data for e in WEBHOOK_EVIDENCE):
            return "webhook receiver (signature verification is checked separately)"
        if "__clerk" in names or any(e in data for e in PROXY_EVIDENCE):
            return "Clerk Frontend API proxy"
        if any(e in data for e in ADAPTER_EVIDENCE):
            return "framework adapter (its procedures are checked on their own)"
        return ""

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
