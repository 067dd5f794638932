"""Reporters turn a :class:`~clerk_lint.engine.Run` into text, JSON, SARIF or GitHub annotations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, TextIO

if TYPE_CHECKING:
    from clerk_lint.engine import Run

Renderer = Callable[["Run", TextIO, dict], None]


def renderer(name: str) -> Renderer:
    if name == "text":
        from clerk_lint.reporters.text import render
    elif name == "json":
        from clerk_lint.reporters.json import render
    elif name == "sarif":
        from clerk_lint.reporters.sarif import render
    elif name == "github":
        from clerk_lint.reporters.github import render
    else:
        raise KeyError(name)
    return render


FORMATS = ("text", "json", "sarif", "github")
