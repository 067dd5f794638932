"""One run: discover files -> read and parse each once -> rules -> suppressions -> sorted results."""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from clerk_lint import suppress
from clerk_lint.config import Config
from clerk_lint.discovery import Candidate, classify, discover, find_root
from clerk_lint.findings import Finding, Level, Notification
from clerk_lint.project import Project
from clerk_lint.rule import Rule, expand, selected
from clerk_lint.source import CODE, SourceFile

BINARY_SNIFF = 8192
CONFLICT_MARKER = re.compile(rb"^<<<<<<<(?: |$)", re.M)
#: byte-order marks of the encodings other than UTF-8 that editors write (UTF-32 first: its
#: little-endian BOM starts with UTF-16's)
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def _transcode(data: bytes) -> tuple[bytes, str] | None:
    """UTF-8 bytes of a file that starts with a UTF-16/32 byte-order mark, and the encoding's name
    (its NUL bytes would otherwise make it look binary). Lines and character columns are the same
    in either encoding, so findings point at the right place in the original file."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace").encode("utf-8", "surrogatepass"), name
    return None


@dataclass
class Run:
    root: Path
    config: Config
    rules: list[type[Rule]]
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    suppressions: dict[str, list[suppress.Suppression]] = field(default_factory=dict)
    #: the files that have findings, for code frames and fingerprints (read once, kept)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    files_scanned: int = 0
    internal_errors: int = 0

    def notify(self, notification: Notification) -> None:
        self.notifications.append(notification)

    @property
    def rule_ids(self) -> set[str]:
        return {cls.id for cls in self.rules}

    def failed(self, fail_on: Level) -> bool:
        return any(f.level.rank >= fail_on.rank for f in self.findings)


def read_source(candidate: Candidate, config: Config, notify) -> SourceFile | None:
    """Read one file, or say in one line why it is skipped."""
    try:
        size = candidate.path.stat().st_size
        if size > config.max_file_size:
            notify(Notification(candidate.rel, f"skipped: {size:,} bytes is over the {config.max_file_size:,}-byte limit (generated or minified?); set max-file-size to scan it"))
            return None
        data = candidate.path.read_bytes()
    except OSError as exc:
        notify(Notification(candidate.rel, f"cannot read file ({exc.strerror or exc}); skipped"))
        return None
    transcoded = _transcode(data)
    if transcoded is not None:
        data, encoding = transcoded
        notify(Notification(candidate.rel, f"{encoding} text (byte-order mark); analysed after converting it to UTF-8", Level.NOTE))
    if b"\x00" in data[:BINARY_SNIFF]:
        notify(Notification(candidate.rel, "binary content (NUL bytes); skipped", Level.NOTE))
        return None
    file = SourceFile(candidate.path, candidate.rel, candidate.kind, data, candidate.grammar)
    if not file.valid_utf8:
        notify(Notification(candidate.rel, "not valid UTF-8; analysed with replacement characters", Level.NOTE))
    return file


def _read_context(path: Path, candidate: Candidate | str, config: Config, notify) -> SourceFile | None:
    """Read a file for the project model: a discovered file, or one the model needs as context."""
    if isinstance(candidate, str):
        kind = classify(path.name)
        if kind is None:
            return None
        candidate = Candidate(path, candidate, *kind)
    return read_source(candidate, config, notify)


def _syntax_note(file: SourceFile) -> Notification | None:
    root = file.root
    if not root.has_error:
        return None
    conflict = CONFLICT_MARKER.search(file.data)
    if conflict:
        line = file.line_of(conflict.start())
        return Notification(file.rel, "unresolved merge-conflict markers; analysed as far as the parse tree allows", Level.NOTE, line)
    # first ERROR or MISSING node, found without recursion: descend into the first child with an error
    node = root
    while True:
        child = next((c for c in node.children if c.has_error or c.is_missing or c.type == "ERROR"), None)
        if child is None or node.type == "ERROR":
            break
        node = child
    line = node.start_point[0] + 1
    return Notification(file.rel, "syntax error (or syntax the parser does not know, such as a bare & in JSX text); the rest of the file is analysed", Level.NOTE, line)


def _per_file_ignored(finding: Finding, run: Run) -> bool:
    if not run.config.per_file_ignores:
        return False
    import pathspec

    absolute = run.root / finding.location.path
    base = run.config.base or run.root
    try:
        rel = absolute.relative_to(base).as_posix()
    except ValueError:
        rel = finding.location.path
    for glob, names in run.config.per_file_ignores.items():
        if pathspec.GitIgnoreSpec.from_lines([glob]).match_file(rel) and finding.rule_id in expand(names, "per-file-ignores"):
            return True
    return False


def _config_label(config: Config) -> str:
    if config.source is None:
        return ""
    table = " [tool.clerk-lint]" if config.source.name == "pyproject.toml" else ""
    return f"{config.source}{table}: "


#: below this many files one process is faster than starting workers
PARALLEL_MIN_FILES = 600


@dataclass
class _Batch:
    """What scanning some of the files produced (picklable: sent back from worker processes)."""

    findings: list[Finding] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    suppressions: dict[str, list[suppress.Suppression]] = field(default_factory=dict)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    files_scanned: int = 0
    internal_errors: int = 0


class _Scanner:
    """Runs the per-file rules over files of one project model (one per process)."""

    def __init__(self, root: Path, config: Config, rules: list[type[Rule]]) -> None:
        self.config = config
        self.notes: list[Notification] = []
        self.project = Project(root, self.notes.append, reader=lambda path, rel: _read_context(path, rel, config, self.notes.append))
        self.instances = [cls() for cls in rules]

    def scan(self, candidates: list[Candidate], detach: bool = False) -> _Batch:
        batch = _Batch()
        self.notes.clear()
        for candidate in candidates:
            wanting = [rule for rule in self.instances if rule.wants(candidate.kind, candidate.grammar)]
            if not wanting:
                continue
            file = self.project.load(candidate.path, candidate)
            if file is None:
                continue
            batch.files_scanned += 1
            if file.kind == CODE:
                note = _syntax_note(file)
                if note:
                    self.notes.append(note)
            before = len(batch.findings)
            for rule in wanting:
                try:
                    batch.findings.extend(rule.check(file, self.project))
                except Exception as exc:  # a bug in a rule must not stop the run
                    batch.internal_errors += 1
                    frame = traceback.extract_tb(exc.__traceback__)[-1]
                    self.notes.append(Notification(file.rel, f"internal error in {rule.id} ({type(exc).__name__}: {exc} at {Path(frame.filename).name}:{frame.lineno}); please report it", Level.ERROR))
            batch.suppressions[file.rel] = suppress.scan(file, self.notes.append)
            if len(batch.findings) > before or batch.suppressions[file.rel]:
                batch.sources[file.rel] = file.detached() if detach else file
        batch.notifications = list(self.notes)
        return batch


_WORKER: _Scanner | None = None


def _worker_init(root: Path, config: Config, rule_ids: list[str]) -> None:
    global _WORKER
    from clerk_lint.rule import registry

    _WORKER = _Scanner(root, config, [cls for cls in registry() if cls.id in rule_ids])


def _worker_scan(candidates: list[Candidate]) -> _Batch:
    assert _WORKER is not None
    return _WORKER.scan(candidates, detach=True)


def _chunks(candidates: list[Candidate], count: int) -> list[list[Candidate]]:
    """``count`` batches of files, each app's files kept together (the model's per-app work — its
    middleware, routes, route table — is then done by one worker only), balanced by size."""
    groups: dict[str, list[Candidate]] = {}
    keys: dict[Path, str] = {}  # folder -> app folder, for this run only
    for candidate in candidates:
        groups.setdefault(_app_key(candidate, keys), []).append(candidate)
    batches: list[list[Candidate]] = [[] for _ in range(count)]
    sizes = [0] * count
    for group in sorted(groups.values(), key=len, reverse=True):
        smallest = sizes.index(min(sizes))
        batches[smallest].extend(group)
        sizes[smallest] += len(group)
    return [sorted(batch, key=lambda c: c.rel) for batch in batches if batch]


def _app_key(candidate: Candidate, keys: dict[Path, str]) -> str:
    """The folder a file's app most likely lives in: the nearest folder with a package.json,
    requirements.txt or pyproject.toml (each folder looked at once)."""
    visited = []
    key = None
    for parent in (candidate.path.parent, *candidate.path.parent.parents):
        key = keys.get(parent)
        if key is not None:
            break
        visited.append(parent)
        if any((parent / name).is_file() for name in ("package.json", "pyproject.toml", "requirements.txt")):
            key = str(parent)
            break
        if (parent / ".git").exists():
            key = str(parent)  # no manifest up to the repository root: the repository is the app
            break
    key = key or str(candidate.path.parent)
    for parent in visited:
        keys[parent] = key
    return key


def _scan_all(root: Path, config: Config, rules: list[type[Rule]], candidates: list[Candidate], jobs: int) -> list[_Batch]:
    if jobs <= 1 or len(candidates) < PARALLEL_MIN_FILES:
        return [_Scanner(root, config, rules).scan(candidates)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_worker_init,
        initargs=(root, config, [cls.id for cls in rules]),
    ) as pool:
        return list(pool.map(_worker_scan, _chunks(candidates, jobs)))


def default_jobs() -> int:
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run(paths: list[Path], config: Config, select: list[str] | None = None, ignore: list[str] | None = None, jobs: int | None = None) -> Run:
    """Scan ``paths``. Raises ``discovery.PathNotFound`` or ``ValueError`` (bad selector) for usage errors.

    Large trees are split over ``jobs`` worker processes (default: every core), each with its own
    project model; results are merged and sorted, so the output does not depend on ``jobs``."""
    # check each list of rule names against where it was written, so an error names the file
    where = _config_label(config)
    expand(config.select, f"{where}`select`")
    expand(config.ignore, f"{where}`ignore`")
    for glob, names in config.per_file_ignores.items():
        expand(names, f"{where}`per-file-ignores` {glob!r}")
    expand(select or [], "--select")
    expand(ignore or [], "--ignore")
    rules = selected(select if select is not None else config.select, (ignore or []) + config.ignore)
    root = find_root(paths)
    result = Run(root=root, config=config, rules=rules)
    found = discover(paths, root, config.exclude, config.base)
    result.notifications.extend(found.notifications)
    raw: list[Finding] = []
    notes: set[Notification] = set()
    for batch in _scan_all(root, config, rules, found.files, default_jobs() if jobs is None else jobs):
        raw.extend(batch.findings)
        notes.update(batch.notifications)  # context files read by several workers say it once
        result.suppressions.update(batch.suppressions)
        result.sources.update(batch.sources)
        result.files_scanned += batch.files_scanned
        result.internal_errors += batch.internal_errors
    result.notifications.extend(notes)
    raw = [f for f in raw if not _per_file_ignored(f, result)]
    result.findings, result.suppressed = suppress.apply(raw, result.suppressions)
    for rule in (cls() for cls in rules):
        result.findings.extend(rule.finish(result))
    result.findings.sort(key=lambda f: f.sort_key)
    result.suppressed.sort(key=lambda f: f.sort_key)
    result.notifications = sorted(set(result.notifications))
    return result


@dataclass
class RouteRow:
    file: str
    line: int
    url: str
    kind: str
    name: str
    status: str
    how: str


def routes(paths: list[Path], config: Config) -> tuple[list[RouteRow], list[Notification]]:
    """Every server entry point under ``paths`` — Next.js route handlers, Server Actions, pages and
    pages/api; Express, Fastify and Hono routes; FastAPI, Flask and Django endpoints of apps that use
    Clerk — and how each is protected (the model behind ``clerk-lint routes``)."""
    root = find_root(paths)
    notifications: list[Notification] = []
    found = discover(paths, root, config.exclude, config.base)
    notifications.extend(found.notifications)
    project = Project(root, notifications.append, reader=lambda path, rel: _read_context(path, rel, config, notifications.append))
    rows = []
    for candidate in found.files:
        if candidate.kind != CODE:
            continue
        file = project.load(candidate.path, candidate)
        if file is None:
            continue
        if file.grammar == "python":
            if project.python.uses_clerk(file):
                for endpoint in project.python.endpoints(file):
                    coverage = project.python.guards.coverage(endpoint)
                    line = file.node_location(endpoint.node).start_line
                    methods = "/".join(endpoint.methods) or endpoint.name
                    rows.append(RouteRow(file.rel, line, endpoint.url or "(unknown path)", endpoint.framework, methods, coverage.status, coverage.how))
            continue
        for entry in project.nextjs.entries(file):
            coverage = project.coverage.of(entry)
            line = file.node_location(entry.node).start_line
            rows.append(RouteRow(file.rel, line, entry.url or "(by id)", entry.kind, entry.name, coverage.status, coverage.how))
        for route in project.express.entries(file):
            protection = project.express.protection(route)
            line = file.node_location(route.anchor).start_line
            rows.append(RouteRow(file.rel, line, route.path, route.framework, route.method, protection.status, protection.how))
    rows.sort(key=lambda r: (r.url == "(by id)", r.url, r.kind, r.name, r.file))
    return rows, notifications
