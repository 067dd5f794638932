"""The one representation of what a run reports: findings and tool notifications.

Everything is converted to text, JSON, SARIF or GitHub annotations at the edges (``reporters/``);
rules and the engine only ever build these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum


class Level(str, Enum):
    """SARIF result level. Ordered by severity through :attr:`rank`."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]

    @classmethod
    def parse(cls, text: str) -> "Level":
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(f"unknown level {text!r} (expected error, warning or note)") from None


class Confidence(str, Enum):
    """How sure a rule is; maps to SARIF ``precision``."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    def lower(self) -> "Confidence":
        return {"high": Confidence.MEDIUM, "medium": Confidence.LOW, "low": Confidence.LOW}[self.value]


@dataclass(frozen=True, order=True)
class Location:
    """A region of a file. ``path`` is relative to the run root with ``/`` separators.

    Lines and columns are 1-based; columns count Unicode characters; ``end_col`` is exclusive.
    """

    path: str
    start_line: int
    start_col: int
    end_line: int
    end_col: int
    message: str = field(default="", compare=False)


@dataclass(frozen=True)
class Finding:
    rule_id: str
    slug: str
    level: Level
    confidence: Confidence
    message: str
    location: Location
    related: tuple[Location, ...] = ()

    @property
    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.start_line, loc.start_col, self.rule_id, self.message)

    def with_level(self, level: Level) -> "Finding":
        return replace(self, level=level)


@dataclass(frozen=True, order=True)
class Notification:
    """Something the tool could not do: a file it skipped, a manifest it could not read.

    Reported on stderr and as a SARIF ``toolExecutionNotification``; never a finding.
    """

    path: str
    message: str
    level: Level = Level.WARNING
    line: int = 0

    def render(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
