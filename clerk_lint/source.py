"""One scanned file: its bytes, its decoded text, its tree (parsed once, on first use) and the
conversion from tree-sitter byte positions to 1-based line/character locations.

That conversion lives here and nowhere else.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from tree_sitter import Node, Tree

from clerk_lint import parsing
from clerk_lint.findings import Location

CODE = "code"
ENV = "env"
MANIFEST = "manifest"


@dataclass(eq=False)
class SourceFile:
    path: Path  # absolute
    rel: str  # relative to the run root, "/"-separated
    kind: str  # CODE, ENV or MANIFEST
    data: bytes
    grammar: str | None = None  # for CODE files
    _text: str | None = field(default=None, repr=False)
    _tree: Tree | None = field(default=None, repr=False)
    _line_starts: list[int] | None = field(default=None, repr=False)
    _real: Path | None = field(default=None, repr=False)

    # -- content ---------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.data.decode("utf-8", "replace")
        return self._text

    @property
    def valid_utf8(self) -> bool:
        try:
            self.data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True

    @property
    def tree(self) -> Tree:
        if self._tree is None:
            if self.grammar is None:
                raise ValueError(f"{self.rel} is not a source file")
            self._tree = parsing.parse(self.grammar, self.data)
        return self._tree

    @property
    def root(self) -> Node:
        return self.tree.root_node

    @property
    def real(self) -> Path:
        """The file's canonical path (symlinks resolved), computed once."""
        if self._real is None:
            self._real = self.path.resolve()
        return self._real

    @property
    def name(self) -> str:
        return self.path.name

    def detached(self) -> "SourceFile":
        """A copy without the parse tree (trees cannot cross process boundaries)."""
        return SourceFile(self.path, self.rel, self.kind, self.data, self.grammar)

    # -- positions -------------------------------------------------------------------------------

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            find = self.data.find
            pos = find(b"\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find(b"\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def line_of(self, byte: int) -> int:
        """1-based line number of a byte offset."""
        return bisect.bisect_right(self.line_starts, byte)

    def column_of(self, byte: int, line: int | None = None) -> int:
        """1-based column, in Unicode characters, of a byte offset."""
        if line is None:
            line = self.line_of(byte)
        start = self.line_starts[line - 1]
        return len(self.data[start:byte].decode("utf-8", "replace")) + 1

    def location(self, start: int, end: int | None = None, message: str = "") -> Location:
        """Location of the byte range ``start``..``end`` (exclusive)."""
        if end is None or end < start:
            end = start
        start_line = self.line_of(start)
        end_line = self.line_of(end)
        return Location(
            self.rel,
            start_line,
            self.column_of(start, start_line),
            end_line,
            self.column_of(end, end_line),
            message,
        )

    def node_location(self, node: Node, message: str = "") -> Location:
        return self.location(node.start_byte, node.end_byte, message)

    def line_text(self, line: int) -> str:
        """Text of a 1-based line without its line break ("" past the end)."""
        starts = self.line_starts
        if line < 1 or line > len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.data)
        return self.data[start:end].decode("utf-8", "replace").rstrip("\r")

    @property
    def line_count(self) -> int:
        return len(self.line_starts)
