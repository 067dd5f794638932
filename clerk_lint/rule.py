"""The rule base class, the registry, rule selection and the rule docs.

A rule is one class in one module of ``rules/`` (imported as ``clerk_lint.rules``), named after its
slug. Its docstring is its documentation, in fixed sections; its ``cases`` are small virtual projects
whose inline markers say where it must fire and where it must stay quiet.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar

from tree_sitter import Node

from clerk_lint.findings import Confidence, Finding, Level, Location

if TYPE_CHECKING:
    from clerk_lint.engine import Run
    from clerk_lint.project import Project
    from clerk_lint.source import SourceFile

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "References")
OPTIONAL_SECTIONS = ("Known problems", "Options")
ID_RE = re.compile(r"^CLK\d{3}$")
SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOCS_URL = "https://github.com/clerk-lint/clerk-lint/blob/main/docs/rules.md"


@dataclass(frozen=True)
class Case:
    """A small virtual project for a rule test. Expectations are inline markers in the files
    (``// expect: CLK501`` ...); a case with no ``expect`` marker must produce no finding."""

    name: str
    files: dict[str, str]


@dataclass(frozen=True)
class DocExample:
    filename: str
    code: str


@dataclass
class RuleDocs:
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return self.sections.get("What it does", "").strip()

    def example(self, section: str) -> DocExample | None:
        match = re.search(r"```(\w+)(?:[ \t]+title=\"([^\"]+)\")?\n(.*?)```", self.sections.get(section, ""), re.S)
        if not match:
            return None
        lang, title, code = match.groups()
        default = {"tsx": "app/page.tsx", "ts": "lib/x.ts", "js": "lib/x.js", "py": "app.py", "dotenv": ".env"}
        return DocExample(title or default.get(lang, f"example.{lang}"), code)

    def markdown(self) -> str:
        parts = []
        for name in (*DOC_SECTIONS[:2], *DOC_SECTIONS[2:4], *OPTIONAL_SECTIONS, DOC_SECTIONS[4]):
            if name in self.sections:
                parts.append(f"### {name}\n\n{self.sections[name].strip()}\n")
        return "\n".join(parts)


def parse_docs(docstring: str) -> RuleDocs:
    text = inspect.cleandoc(docstring or "")
    sections: dict[str, str] = {}
    current = None
    lines: list[str] = []
    for line in text.splitlines():
        heading = re.match(r"^## (.+?)\s*$", line)
        if heading:
            if current:
                sections[current] = "\n".join(lines).strip()
            current, lines = heading.group(1), []
        elif current:
            lines.append(line)
    if current:
        sections[current] = "\n".join(lines).strip()
    return RuleDocs(sections)


class Rule:
    """Base class. Subclasses set the class attributes and implement :meth:`check` (per file)
    and/or :meth:`finish` (after every file, with the whole run)."""

    id: ClassVar[str]
    slug: ClassVar[str]
    name: ClassVar[str]  # short title, one line
    level: ClassVar[Level] = Level.ERROR
    confidence: ClassVar[Confidence] = Confidence.HIGH
    security_severity: ClassVar[float] = 5.0
    cwe: ClassVar[tuple[int, ...]] = ()
    tags: ClassVar[tuple[str, ...]] = ()
    #: which files ``check`` sees: grammars (see clerk_lint.parsing) and/or "env" for .env files
    grammars: ClassVar[frozenset[str]] = frozenset()
    env_files: ClassVar[bool] = False
    #: whether ``check`` also sees ``package.json`` files (rules that report on a dependency's line)
    manifests: ClassVar[bool] = False
    #: how the level depends on the installed SDK, shown in `clerk-lint rules` and the docs
    version_gates: ClassVar[str] = ""
    cases: ClassVar[tuple[Case, ...]] = ()

    def check(self, file: "SourceFile", project: "Project") -> Iterable[Finding]:
        return ()

    def finish(self, run: "Run") -> Iterable[Finding]:
        return ()

    # -- helpers for subclasses ------------------------------------------------------------------

    def wants(self, kind: str, grammar: str | None) -> bool:
        """Whether :meth:`check` should see files of this kind (see clerk_lint.source)."""
        if kind == "code":
            return grammar in self.grammars
        if kind == "manifest":
            return self.manifests
        return kind == "env" and self.env_files

    def finding(
        self,
        where: Location | tuple["SourceFile", Node],
        message: str,
        *,
        level: Level | None = None,
        confidence: Confidence | None = None,
        related: Iterable[Location] = (),
    ) -> Finding:
        location = where if isinstance(where, Location) else where[0].node_location(where[1])
        return Finding(
            rule_id=self.id,
            slug=self.slug,
            level=level or self.level,
            confidence=confidence or self.confidence,
            message=message,
            location=location,
            related=tuple(related),
        )

    @classmethod
    def docs(cls) -> RuleDocs:
        return _docs(cls)

    @classmethod
    def help_uri(cls) -> str:
        return f"{DOCS_URL}#{cls.id.lower()}-{cls.slug}"


@lru_cache(maxsize=None)
def _docs(cls: type[Rule]) -> RuleDocs:
    return parse_docs(cls.__doc__ or "")


class RuleError(Exception):
    """A rule that breaks the registry contract (a bug in clerk-lint, caught by the tests)."""


def validate(cls: type[Rule]) -> None:
    where = f"{cls.__module__}.{cls.__name__}"
    if not ID_RE.match(getattr(cls, "id", "")):
        raise RuleError(f"{where}: id must look like CLK123")
    if not SLUG_RE.match(getattr(cls, "slug", "")):
        raise RuleError(f"{where}: slug must be kebab-case")
    module = cls.__module__.rsplit(".", 1)[-1]
    if module != cls.slug.replace("-", "_"):
        raise RuleError(f"{where}: module must be named {cls.slug.replace('-', '_')}.py")
    docs = cls.docs()
    missing = [s for s in DOC_SECTIONS if s not in docs.sections]
    if missing:
        raise RuleError(f"{where}: docstring lacks sections {missing}")
    if not getattr(cls, "name", ""):
        raise RuleError(f"{where}: name is required")


@lru_cache(maxsize=1)
def registry() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by id. Importing ``clerk_lint.rules`` is the only discovery."""
    import clerk_lint.rules as package

    found: dict[str, type[Rule]] = {}
    slugs: set[str] = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Rule) and obj.__module__ == module.__name__ and "id" in vars(obj):
                validate(obj)
                if obj.id in found or obj.slug in slugs:
                    raise RuleError(f"duplicate rule id or slug: {obj.id} {obj.slug}")
                found[obj.id] = obj
                slugs.add(obj.slug)
    return tuple(found[k] for k in sorted(found))


def by_key(key: str) -> type[Rule] | None:
    key = key.strip()
    for cls in registry():
        if key.upper() == cls.id or key.lower() == cls.slug:
            return cls
    return None


def _matches(selector: str, cls: type[Rule]) -> bool:
    sel = selector.strip()
    if sel.upper() == "ALL":
        return True
    if sel.lower() == cls.slug:
        return True
    return sel.upper().startswith("CLK") and cls.id.startswith(sel.upper())


def expand(selectors: Iterable[str], where: str = "--select") -> set[str]:
    """Rule ids named by selectors (id, id prefix such as ``CLK2``, slug, ``ALL``).
    An unknown selector raises ValueError naming it and the nearest match."""
    ids: set[str] = set()
    for selector in selectors:
        hits = {cls.id for cls in registry() if _matches(selector, cls)}
        if not hits:
            names = [c.id for c in registry()] + [c.slug for c in registry()]
            close = difflib.get_close_matches(selector, names, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ValueError(f"{where}: unknown rule {selector!r}{hint}")
        ids |= hits
    return ids


def selected(select: Iterable[str], ignore: Iterable[str]) -> list[type[Rule]]:
    select = list(select)
    chosen = expand(select, "select") if select else {cls.id for cls in registry()}
    chosen -= expand(ignore, "ignore")
    return [cls for cls in registry() if cls.id in chosen]


def iter_cases() -> Iterator[tuple[type[Rule], Case]]:
    for cls in registry():
        for case in cls.cases:
            yield cls, case


class EntryPointRule(Rule):
    """Base of the coverage rules: reports the entry points of ``kinds`` that a signed-out caller
    can reach and that reach data, as computed once by the project's coverage model."""

    kinds: ClassVar[frozenset[str]] = frozenset()
    what: ClassVar[str] = "data"  # what the entry point reaches, for messages

    def check(self, file: "SourceFile", project: "Project") -> Iterable[Finding]:
        from clerk_lint.project.coverage import OPEN, UNKNOWN

        for entry in project.nextjs.entries(file):
            if entry.kind not in self.kinds:
                continue
            if not project.nextjs.uses_clerk(entry):
                continue
            coverage = project.coverage.of(entry)
            if coverage.status not in (OPEN, UNKNOWN):
                continue
            yield self._report(entry, coverage)

    def _report(self, entry, coverage) -> Finding:
        from clerk_lint.project.coverage import UNKNOWN

        sinks = sorted(coverage.exposed, key=lambda s: s.kind != "data")  # stored data first
        labels = ", ".join(list(dict.fromkeys(s.label for s in sinks))[:3])
        reaches = f"reaches {labels}" if labels else f"reaches {self.what}"
        if coverage.late_guard:
            message = f"{entry.label} {reaches} before its auth check ({coverage.guard.how}); move the check first"
        elif coverage.unawaited_guard:
            message = f"{entry.label} {reaches} with no effective auth check: the guard helper {coverage.unawaited_guard} is not awaited"
        else:
            message = f"{entry.label} {reaches} with no auth check"
        first = sinks[0].location("reached without an auth check") if sinks else None
        related = [first] if first is not None else []
        related += coverage.related
        level = None
        confidence = None
        if coverage.status == UNKNOWN:
            message += f"; whether the middleware protects it could not be determined ({coverage.middleware_reason})"
            level = Level.WARNING
            confidence = Confidence.LOW
        elif coverage.middleware_reason and entry.kind != "action":
            message += f"; {coverage.middleware_reason}"
        return self.finding((entry.file, entry.node), message, level=level, confidence=confidence, related=related)
