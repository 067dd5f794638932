"""What the Next.js middleware (``middleware.*`` / ``proxy.*``) of an app does for a given URL.

Four parts, each usable on its own:

1. **Path patterns** (:func:`compile_pattern`, :func:`compile_regexp`): path-to-regexp v6 as used by Clerk's
   ``createRouteMatcher`` / ``authMiddleware`` (case-insensitive) and by Next.js ``config.matcher``
   (case-sensitive: Next rebuilds the RegExp from its source without flags), plus JS RegExp literals.
   Patterns come from the scanned repository, so they are never handed to Python's backtracking ``re``:
   they are compiled to an automaton and simulated in time linear in the subject (lookarounds are memoised
   per position). On top of that, patterns longer than :data:`MAX_PATTERN_LENGTH`, with nested quantifiers
   (``(a+)+``, ``(.*)*``) or backreferences are refused: ``None`` means "unknown".
2. **URL samples** (:func:`samples`, :func:`coverage`): concrete URLs standing for a route given as segments
   ``("static", "api")``, ``("dynamic", "id")``, ``("catchall", "slug")``, ``("optional_catchall", "slug")``.
3. **Middleware analysis** (:func:`analyse` -> :class:`Middleware`): which Clerk middleware is exported, where
   ``config.matcher`` lets it run (:meth:`Middleware.runs_on`) and whether it stops a signed-out request
   (:meth:`Middleware.protects`), evaluated by following the handler's control flow for the URL with the
   request assumed signed out. Anything not understood is ``unknown``, never a guess.
4. **Locating the file** (:func:`locate_middleware`, :func:`middleware_candidates`): which middleware/proxy file
   Next.js loads and which ones it ignores.

Facts used here (from Clerk's and Next.js's documentation and SDK sources): ``clerkMiddleware`` protects
nothing unless its handler says so; in v6+ ``auth.protect()`` is async and only stops the request when awaited
or returned, while ``auth().protect()`` (v5) throws synchronously and ``redirectToSignIn()`` from the handler's
auth object throws in v5+; ``authMiddleware`` protects every route not in ``publicRoutes``/``ignoredRoutes``
(default ignored: ``_next`` and files with an extension outside ``/api``, ``/trpc``); ``withClerkMiddleware``
only attaches auth. Without ``config.matcher`` Next runs middleware on every path. Not modelled: the
sign-in/sign-up URLs from ``NEXT_PUBLIC_CLERK_SIGN_IN_URL`` that ``authMiddleware`` adds to the public routes,
Next's ``basePath``/i18n prefixes and its ``/_next/data`` variants of matchers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tree_sitter import Node

from clerk_lint.findings import Location
from clerk_lint.parsing import text, walk
from clerk_lint.project.js import JsFacts
from clerk_lint.source import SourceFile

__all__ = [
    "MAX_PATTERN_LENGTH",
    "PROTECTED",
    "PUBLIC",
    "UNKNOWN",
    "RUNS",
    "SKIPPED",
    "PathPattern",
    "compile_pattern",
    "compile_regexp",
    "samples",
    "coverage",
    "Verdict",
    "PatternEntry",
    "RouteMatcher",
    "ProtectCall",
    "Middleware",
    "analyse",
    "MiddlewareLocation",
    "locate_middleware",
    "middleware_candidates",
    "DEFAULT_PAGE_EXTENSIONS",
]

# =================================================================================================
# 1. JS regular expressions, evaluated without backtracking
# =================================================================================================

MAX_PATTERN_LENGTH = 1000
_MAX_GROUP_DEPTH = 32
_MAX_PROGRAM = 20_000
_MAX_COUNT = 1000


class PatternError(ValueError):
    """A pattern that clerk-lint will not evaluate: invalid, unsupported or unsafe."""


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_LINE_TERMINATORS = frozenset("\n\r\u2028\u2029")
_SPACES = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(chr(c) for c in range(0x2000, 0x200B))
)


class _CharSet:
    """A set of characters: code point ranges plus the class escapes ``\\d \\w \\s`` and their negations."""

    __slots__ = ("ranges", "classes", "negated", "icase", "_cache")

    def __init__(self, ranges=(), classes=(), negated=False, icase=False) -> None:
        self.ranges = tuple(ranges)
        self.classes = tuple(classes)
        self.negated = negated
        self.icase = icase
        self._cache: dict[str, bool] = {}

    def _raw(self, ch: str) -> bool:
        code = ord(ch)
        for lo, hi in self.ranges:
            if lo <= code <= hi:
                return True
        for cls in self.classes:
            if cls == "d":
                hit = "0" <= ch <= "9"
            elif cls == "D":
                hit = not ("0" <= ch <= "9")
            elif cls == "w":
                hit = ch in _WORD_CHARS
            elif cls == "W":
                hit = ch not in _WORD_CHARS
            elif cls == "s":
                hit = ch in _SPACES
            else:  # "S"
                hit = ch not in _SPACES
            if hit:
                return True
        return False

    def contains(self, ch: str) -> bool:
        cached = self._cache.get(ch)
        if cached is None:
            hit = self._raw(ch)
            if not hit and self.icase:
                for other in (ch.lower(), ch.upper()):
                    if len(other) == 1 and other != ch and self._raw(other):
                        hit = True
                        break
            cached = hit != self.negated
            if len(self._cache) < 4096:
                self._cache[ch] = cached
        return cached


# AST nodes are tuples: ("set", _CharSet) ("cat", nodes) ("alt", nodes) ("rep", node, min, max|None)
# ("assert", "^"|"$"|"b"|"B") ("look", node, behind, negative)

_COUNTED = re.compile(r"\{([0-9]+)(?:(,)([0-9]*))?\}")
_HEX2 = re.compile(r"[0-9A-Fa-f]{2}")
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")
_GROUP_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


class _Frame:
    __slots__ = ("kind", "behind", "negative", "alts", "seq")

    def __init__(self, kind: str, behind: bool = False, negative: bool = False) -> None:
        self.kind = kind  # "root", "group" or "look"
        self.behind = behind
        self.negative = negative
        self.alts: list[list[list]] = []
        self.seq: list[list] = []  # items: [node, has_quantifier, quantifiable, quantified]


def _finish(frame: _Frame):
    sequences = frame.alts + [frame.seq]
    nodes = [("cat", tuple(item[0] for item in seq)) for seq in sequences]
    has_quantifier = any(item[1] for seq in sequences for item in seq)
    node = nodes[0] if len(nodes) == 1 else ("alt", tuple(nodes))
    return node, has_quantifier


def _escape_code(src: str, i: int, unicode: bool) -> tuple[int, int]:
    """A character escape (``src[i]`` is the character after the backslash): (code point, next index)."""
    c = src[i]
    simple = {"f": 12, "n": 10, "r": 13, "t": 9, "v": 11}
    if c in simple:
        return simple[c], i + 1
    if c == "0" and not (i + 1 < len(src) and src[i + 1].isdigit()):
        return 0, i + 1
    if c == "c":
        if i + 1 < len(src) and src[i + 1].isascii() and src[i + 1].isalpha():
            return ord(src[i + 1]) % 32, i + 2
        return ord("\\"), i  # Annex B: a lone "\c" is a backslash followed by "c"
    if c == "x":
        if _HEX2.match(src, i + 1):
            return int(src[i + 1 : i + 3], 16), i + 3
        return ord("x"), i + 1
    if c == "u":
        if _HEX4.match(src, i + 1):
            return int(src[i + 1 : i + 5], 16), i + 5
        if unicode and src.startswith("{", i + 1):
            end = src.find("}", i + 2)
            digits = src[i + 2 : end] if end != -1 else ""
            if digits and all(d in "0123456789abcdefABCDEF" for d in digits) and int(digits, 16) <= 0x10FFFF:
                return int(digits, 16), end + 1
            raise PatternError("invalid unicode escape")
        return ord("u"), i + 1
    if c.isdigit():
        raise PatternError("octal escapes and backreferences are not supported")
    if unicode and c in "pP":
        raise PatternError("unicode property escapes are not supported")
    return ord(c), i + 1


def _class_atom(src: str, i: int, unicode: bool) -> tuple[int | str, int]:
    c = src[i]
    if c != "\\":
        return ord(c), i + 1
    if i + 1 >= len(src):
        raise PatternError("\\ at end of pattern")
    e = src[i + 1]
    if e in "dDwWsS":
        return e, i + 2
    if e == "b":
        return 8, i + 2
    if e == "-":
        return ord("-"), i + 2
    return _escape_code(src, i + 1, unicode)


def _parse_class(src: str, i: int, icase: bool, unicode: bool) -> tuple[_CharSet, int]:
    n = len(src)
    negated = False
    if i < n and src[i] == "^":
        negated = True
        i += 1
    ranges: list[tuple[int, int]] = []
    classes: list[str] = []

    def add(atom):
        if isinstance(atom, str):
            classes.append(atom)
        else:
            ranges.append((atom, atom))

    while True:
        if i >= n:
            raise PatternError("unterminated character class")
        if src[i] == "]":
            return _CharSet(ranges, classes, negated, icase), i + 1
        first, i = _class_atom(src, i, unicode)
        if i + 1 < n and src[i] == "-" and src[i + 1] != "]":
            second, j = _class_atom(src, i + 1, unicode)
            if isinstance(first, int) and isinstance(second, int):
                if first > second:
                    raise PatternError("range out of order in character class")
                ranges.append((first, second))
            else:  # Annex B: a class escape at either end makes "-" literal
                add(first)
                add(ord("-"))
                add(second)
            i = j
            continue
        add(first)


def _parse_js_regex(src: str, flags: str, *, check_nesting: bool):
    """Parse a JS regular expression (non-``v`` syntax with the Annex B leniencies). Iterative.

    Returns ``(ast, has_quantifier)``. With ``check_nesting``, a repeating quantifier (``*``, ``+``, ``{n,m}``)
    on a group that already contains a quantifier is refused, as are backreferences (always)."""
    icase = "i" in flags
    dotall = "s" in flags
    unicode = "u" in flags
    stack = [_Frame("root")]
    i, n = 0, len(src)
    while i < n:
        frame = stack[-1]
        c = src[i]
        if c == "|":
            frame.alts.append(frame.seq)
            frame.seq = []
            i += 1
            continue
        if c == "(":
            if len(stack) > _MAX_GROUP_DEPTH:
                raise PatternError("groups nested too deeply")
            if src.startswith("(?:", i):
                new, i = _Frame("group"), i + 3
            elif src.startswith("(?=", i):
                new, i = _Frame("look", False, False), i + 3
            elif src.startswith("(?!", i):
                new, i = _Frame("look", False, True), i + 3
            elif src.startswith("(?<=", i):
                new, i = _Frame("look", True, False), i + 4
            elif src.startswith("(?<!", i):
                new, i = _Frame("look", True, True), i + 4
            elif src.startswith("(?<", i):
                match = _GROUP_NAME.match(src, i + 3)
                if match is None or not src.startswith(">", match.end()):
                    raise PatternError("invalid group name")
                new, i = _Frame("group"), match.end() + 1
            elif src.startswith("(?", i):
                raise PatternError("invalid group")
            else:
                new, i = _Frame("group"), i + 1
            stack.append(new)
            continue
        if c == ")":
            if len(stack) == 1:
                raise PatternError("unmatched )")
            stack.pop()
            node, has_quantifier = _finish(frame)
            quantifiable = True
            if frame.kind == "look":
                node = ("look", node, frame.behind, frame.negative)
                quantifiable = not frame.behind
            stack[-1].seq.append([node, has_quantifier, quantifiable, False])
            i += 1
            continue
        counted = _COUNTED.match(src, i) if c == "{" else None
        if c in "*+?" or counted is not None:
            if counted is not None:
                lo = int(counted.group(1))
                hi = lo if counted.group(2) is None else (int(counted.group(3)) if counted.group(3) else None)
                if lo > _MAX_COUNT or (hi is not None and hi > _MAX_COUNT):
                    raise PatternError("repetition count too large")
                if hi is not None and lo > hi:
                    raise PatternError("numbers out of order in quantifier")
                i = counted.end()
            else:
                lo, hi = {"*": (0, None), "+": (1, None), "?": (0, 1)}[c]
                i += 1
            if i < n and src[i] == "?":  # lazy: same language
                i += 1
            if not frame.seq or not frame.seq[-1][2] or frame.seq[-1][3]:
                raise PatternError("nothing to repeat")
            item = frame.seq[-1]
            repeating = hi is None or hi > 1
            if check_nesting and repeating and item[1]:
                raise PatternError("nested quantifier")
            item[0] = ("rep", item[0], lo, hi)
            item[1] = True
            item[3] = True
            continue
        if c == "[":
            charset, i = _parse_class(src, i + 1, icase, unicode)
            frame.seq.append([("set", charset), False, True, False])
            continue
        if c == "\\":
            if i + 1 >= n:
                raise PatternError("\\ at end of pattern")
            e = src[i + 1]
            if e in "dDwWsS":
                frame.seq.append([("set", _CharSet((), (e,), False, icase)), False, True, False])
                i += 2
            elif e in "bB":
                frame.seq.append([("assert", e), False, False, False])
                i += 2
            elif e in "123456789" or e == "k":
                raise PatternError("backreferences are not supported")
            else:
                code, i = _escape_code(src, i + 1, unicode)
                frame.seq.append([("set", _CharSet(((code, code),), (), False, icase)), False, True, False])
            continue
        if c == ".":
            charset = _CharSet((), (), True, False) if dotall else _CharSet(((10, 10), (13, 13), (0x2028, 0x2029)), (), True)
            frame.seq.append([("set", charset), False, True, False])
            i += 1
            continue
        if c in "^$":
            frame.seq.append([("assert", c), False, False, False])
            i += 1
            continue
        code = ord(c)
        frame.seq.append([("set", _CharSet(((code, code),), (), False, icase)), False, True, False])
        i += 1
    if len(stack) != 1:
        raise PatternError("unterminated group")
    return _finish(stack[0])


_CHAR, _SPLIT, _JMP, _ASSERT, _LOOK, _MATCH = range(6)


class _Compiler:
    def __init__(self) -> None:
        self.subprograms: list[list[tuple]] = []
        self.size = 0

    def program(self, node) -> list[tuple]:
        insts: list = []
        self._emit(node, insts, 0)
        insts.append((_MATCH,))
        return insts

    def _add(self, insts: list, inst) -> int:
        self.size += 1
        if self.size > _MAX_PROGRAM:
            raise PatternError("pattern too large")
        insts.append(inst)
        return len(insts) - 1

    def _emit(self, node, insts: list, depth: int) -> None:
        # The depth is bounded by _MAX_GROUP_DEPTH (a few AST levels per group).
        kind = node[0]
        if kind == "set":
            self._add(insts, (_CHAR, node[1]))
        elif kind == "cat":
            for child in node[1]:
                self._emit(child, insts, depth + 1)
        elif kind == "alt":
            jumps = []
            alternatives = node[1]
            for index, child in enumerate(alternatives):
                if index < len(alternatives) - 1:
                    split = self._add(insts, None)
                    self._emit(child, insts, depth + 1)
                    jumps.append(self._add(insts, None))
                    insts[split] = (_SPLIT, split + 1, len(insts))
                else:
                    self._emit(child, insts, depth + 1)
            for jump in jumps:
                insts[jump] = (_JMP, len(insts))
        elif kind == "rep":
            child, lo, hi = node[1], node[2], node[3]
            for _ in range(lo):
                self._emit(child, insts, depth + 1)
            if hi is None:
                loop = self._add(insts, None)
                self._emit(child, insts, depth + 1)
                self._add(insts, (_JMP, loop))
                insts[loop] = (_SPLIT, loop + 1, len(insts))
            else:
                holes = []
                for _ in range(hi - lo):
                    holes.append(self._add(insts, None))
                    self._emit(child, insts, depth + 1)
                for hole in holes:
                    insts[hole] = (_SPLIT, hole + 1, len(insts))
        elif kind == "assert":
            self._add(insts, (_ASSERT, node[1]))
        elif kind == "look":
            sub = self.program(node[1])
            self.subprograms.append(sub)
            self._add(insts, (_LOOK, len(self.subprograms) - 1, node[2], node[3]))
        else:  # pragma: no cover - the parser produces no other node
            raise PatternError(f"unexpected node {kind}")


class _Regex:
    """A compiled JS regular expression, matched by NFA simulation (no backtracking)."""

    __slots__ = ("main", "subprograms", "multiline", "anchored")

    def __init__(self, source: str, flags: str, *, check_nesting: bool) -> None:
        ast, _ = _parse_js_regex(source, flags, check_nesting=check_nesting)
        compiler = _Compiler()
        self.main = compiler.program(ast)
        self.subprograms = compiler.subprograms
        self.multiline = "m" in flags
        self.anchored = not self.multiline and self.main[0] == (_ASSERT, "^")

    def test(self, subject: str) -> bool:
        """``RegExp.prototype.test`` for a regex without the ``g``/``y`` flags: a match anywhere."""
        return self._run(self.main, subject, 0, self.anchored, None, {})

    def _run(self, insts, s: str, start: int, anchored: bool, need_end: int | None, memo: dict) -> bool:
        limit = len(s) if need_end is None else need_end
        pos = start
        current = self._closure(insts, [0], s, pos, memo)
        while True:
            for pc in current:
                if insts[pc][0] == _MATCH and (need_end is None or pos == need_end):
                    return True
            if pos >= limit:
                return False
            ch = s[pos]
            following = []
            for pc in current:
                inst = insts[pc]
                if inst[0] == _CHAR and inst[1].contains(ch):
                    following.append(pc + 1)
            pos += 1
            if not anchored:
                following.append(0)
            if not following:
                return False
            current = self._closure(insts, following, s, pos, memo)

    def _closure(self, insts, pcs: list[int], s: str, pos: int, memo: dict) -> list[int]:
        out = []
        seen = set()
        stack = list(reversed(pcs))
        while stack:
            pc = stack.pop()
            if pc in seen:
                continue
            seen.add(pc)
            inst = insts[pc]
            op = inst[0]
            if op == _CHAR or op == _MATCH:
                out.append(pc)
            elif op == _JMP:
                stack.append(inst[1])
            elif op == _SPLIT:
                stack.append(inst[2])
                stack.append(inst[1])
            elif op == _ASSERT:
                if self._assertion(inst[1], s, pos):
                    stack.append(pc + 1)
            else:  # _LOOK
                if self._look(inst[1], inst[2], s, pos, memo) != inst[3]:
                    stack.append(pc + 1)
        return out

    def _assertion(self, kind: str, s: str, pos: int) -> bool:
        if kind == "^":
            return pos == 0 or (self.multiline and s[pos - 1] in _LINE_TERMINATORS)
        if kind == "$":
            return pos == len(s) or (self.multiline and s[pos] in _LINE_TERMINATORS)
        before = pos > 0 and s[pos - 1] in _WORD_CHARS
        after = pos < len(s) and s[pos] in _WORD_CHARS
        return (before != after) == (kind == "b")

    def _look(self, index: int, behind: bool, s: str, pos: int, memo: dict) -> bool:
        key = (index, pos)
        found = memo.get(key)
        if found is None:
            sub = self.subprograms[index]
            if behind:  # some s[k:pos] matches
                found = self._run(sub, s, 0, False, pos, memo)
            else:  # some s[pos:k] matches
                found = self._run(sub, s, pos, True, None, memo)
            memo[key] = found
        return found


# =================================================================================================
# path-to-regexp v6 (the version Clerk bundles; Next.js uses the same syntax)
# =================================================================================================

_P2R_DELIMITER = "/#?"
_P2R_PREFIXES = "./"
_P2R_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_P2R_SPECIAL = frozenset(".+*?=^!:${}()[]|/\\")


def _p2r_escape(value: str) -> str:
    return "".join("\\" + ch if ch in _P2R_SPECIAL else ch for ch in value)


def _p2r_lex(src: str) -> list[tuple[str, int, str]]:
    tokens = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c in "*+?":
            tokens.append(("MODIFIER", i, c))
            i += 1
        elif c == "\\":
            if i + 1 >= n:
                raise PatternError("\\ at end of pattern")
            tokens.append(("ESCAPED_CHAR", i, src[i + 1]))
            i += 2
        elif c == "{":
            tokens.append(("OPEN", i, c))
            i += 1
        elif c == "}":
            tokens.append(("CLOSE", i, c))
            i += 1
        elif c == ":":
            j = i + 1
            while j < n and src[j] in _P2R_NAME_CHARS:
                j += 1
            if j == i + 1:
                raise PatternError(f"missing parameter name at {i}")
            tokens.append(("NAME", i, src[i + 1 : j]))
            i = j
        elif c == "(":
            depth, j, buf = 1, i + 1, []
            if j < n and src[j] == "?":
                raise PatternError(f'pattern cannot start with "?" at {j}')
            while j < n:
                if src[j] == "\\":
                    if j + 1 >= n:
                        raise PatternError("\\ at end of pattern")
                    buf.append(src[j : j + 2])
                    j += 2
                    continue
                if src[j] == ")":
                    depth -= 1
                    if depth == 0:
                        j += 1
                        break
                elif src[j] == "(":
                    depth += 1
                    if j + 1 >= n or src[j + 1] != "?":
                        raise PatternError(f"capturing groups are not allowed at {j}")
                buf.append(src[j])
                j += 1
            if depth:
                raise PatternError(f"unbalanced pattern at {i}")
            if not buf:
                raise PatternError(f"missing pattern at {i}")
            tokens.append(("PATTERN", i, "".join(buf)))
            i = j
        else:
            tokens.append(("CHAR", i, c))
            i += 1
    tokens.append(("END", n, ""))
    return tokens


def _p2r_parse(src: str) -> list:
    """Tokens: literal strings and keys ``{name, prefix, suffix, pattern, modifier, custom}``."""
    tokens = _p2r_lex(src)
    result: list = []
    key = 0
    index = 0
    path = ""

    def try_consume(kind: str) -> str | None:
        nonlocal index
        if index < len(tokens) and tokens[index][0] == kind:
            index += 1
            return tokens[index - 1][2]
        return None

    def must_consume(kind: str) -> str:
        value = try_consume(kind)
        if value is None:
            token = tokens[index]
            raise PatternError(f"unexpected {token[0]} at {token[1]}, expected {kind}")
        return value

    def consume_text() -> str:
        out = ""
        while True:
            value = try_consume("CHAR") or try_consume("ESCAPED_CHAR")
            if not value:
                return out
            out += value

    def safe_pattern(prefix: str) -> str:
        previous = result[-1] if result else None
        before = prefix or (previous if isinstance(previous, str) else "")
        if previous is not None and not before:
            raise PatternError(f'must have text between two parameters, missing text after "{previous["name"]}"')
        if not before or any(d in before for d in _P2R_DELIMITER):
            return f"[^{_p2r_escape(_P2R_DELIMITER)}]+?"
        return f"(?:(?!{_p2r_escape(before)})[^{_p2r_escape(_P2R_DELIMITER)}])+?"

    while index < len(tokens):
        char = try_consume("CHAR")
        name = try_consume("NAME")
        pattern = try_consume("PATTERN")
        if name is not None or pattern is not None:
            prefix = char or ""
            if prefix not in _P2R_PREFIXES:
                path += prefix
                prefix = ""
            if path:
                result.append(path)
                path = ""
            token_name = name if name is not None else key
            if name is None:
                key += 1
            result.append(
                {
                    "name": token_name,
                    "prefix": prefix,
                    "suffix": "",
                    "pattern": pattern or safe_pattern(prefix),
                    "modifier": try_consume("MODIFIER") or "",
                    "custom": pattern,
                }
            )
            continue
        value = char or try_consume("ESCAPED_CHAR")
        if value:
            path += value
            continue
        if path:
            result.append(path)
            path = ""
        if try_consume("OPEN") is not None:
            prefix = consume_text()
            name = try_consume("NAME") or ""
            pattern = try_consume("PATTERN") or ""
            suffix = consume_text()
            must_consume("CLOSE")
            token_name = name or (key if pattern else "")
            if not name and pattern:
                key += 1
            result.append(
                {
                    "name": token_name,
                    "prefix": prefix,
                    "suffix": suffix,
                    "pattern": safe_pattern(prefix) if name and not pattern else pattern,
                    "modifier": try_consume("MODIFIER") or "",
                    "custom": pattern or None,
                }
            )
            continue
        must_consume("END")
    return result


def _p2r_regex(tokens: list, strict: bool) -> str:
    delimiter = f"[{_p2r_escape(_P2R_DELIMITER)}]"
    route = "^"
    for token in tokens:
        if isinstance(token, str):
            route += _p2r_escape(token)
            continue
        prefix = _p2r_escape(token["prefix"])
        suffix = _p2r_escape(token["suffix"])
        pattern = token["pattern"]
        modifier = token["modifier"]
        if pattern:
            if prefix or suffix:
                if modifier in ("+", "*"):
                    optional = "?" if modifier == "*" else ""
                    route += f"(?:{prefix}((?:{pattern})(?:{suffix}{prefix}(?:{pattern}))*){suffix}){optional}"
                else:
                    route += f"(?:{prefix}({pattern}){suffix}){modifier}"
            else:
                if modifier in ("+", "*"):
                    raise PatternError(f'can not repeat "{token["name"]}" without a prefix and suffix')
                route += f"({pattern}){modifier}"
        else:
            route += f"(?:{prefix}{suffix}){modifier}"
    if not strict:
        route += f"{delimiter}?"
    return route + "$"


PATH = "path"
REGEXP = "regexp"


@dataclass(frozen=True, eq=False)
class PathPattern:
    """A compiled route pattern. ``matches`` never backtracks; results are memoised per path."""

    source: str  # as written: the path-to-regexp string, or the RegExp source
    kind: str  # PATH or REGEXP
    flags: str  # regex flags in effect ("i" for case-insensitive path patterns)
    regex: str  # the JS regular expression it stands for
    _regex: _Regex = field(repr=False)
    _memo: dict = field(default_factory=dict, repr=False)

    @property
    def case_sensitive(self) -> bool:
        return "i" not in self.flags

    def matches(self, path: str) -> bool:
        hit = self._memo.get(path)
        if hit is None:
            hit = self._regex.test(path)
            if len(self._memo) < 8192:
                self._memo[path] = hit
        return hit

    def __str__(self) -> str:
        return self.source if self.kind == PATH else f"/{self.source}/{self.flags}"


def compile_pattern(source: str, *, sensitive: bool = False, strict: bool = False) -> PathPattern | None:
    """Compile a path-to-regexp v6 pattern (``/dashboard(.*)``, ``/api/:path*``, ``/(api|trpc)(.*)``,
    ``/((?!_next|...).*)``) with ``start``/``end`` anchoring and an optional trailing delimiter unless
    ``strict``. ``sensitive=False`` is what Clerk's ``createRouteMatcher`` uses; Next.js ``config.matcher``
    is case-sensitive. ``None`` when the pattern is invalid (path-to-regexp would throw), too long, or
    unsafe (nested quantifiers, backreferences)."""
    if not isinstance(source, str) or len(source) > MAX_PATTERN_LENGTH:
        return None
    flags = "" if sensitive else "i"
    try:
        tokens = _p2r_parse(source)
        for token in tokens:
            if isinstance(token, str) or not token.get("custom"):
                continue
            _, has_quantifier = _parse_js_regex(token["custom"], flags, check_nesting=True)
            if has_quantifier and token["modifier"] in ("+", "*"):
                raise PatternError("nested quantifier")
        regex_source = _p2r_regex(tokens, strict)
        return PathPattern(source, PATH, flags, regex_source, _Regex(regex_source, flags, check_nesting=False))
    except PatternError:
        return None


_REGEX_FLAGS = frozenset("dimsu")


def compile_regexp(source: str, flags: str = "") -> PathPattern | None:
    """Compile a JS RegExp given as its source and flags (``compile_regexp(r"^\\/admin", "i")``), tested the
    way ``RegExp.prototype.test`` does (a match anywhere). ``None`` when invalid, too long, unsafe, or
    stateful (``g``/``y`` make ``test`` depend on ``lastIndex``)."""
    if not isinstance(source, str) or len(source) > MAX_PATTERN_LENGTH:
        return None
    if len(set(flags)) != len(flags) or any(f not in _REGEX_FLAGS for f in flags):
        return None
    try:
        return PathPattern(source, REGEXP, flags, source, _Regex(source, flags, check_nesting=True))
    except PatternError:
        return None


# =================================================================================================
# 2. URL samples for a route
# =================================================================================================

STATIC, DYNAMIC, CATCHALL, OPTIONAL_CATCHALL = "static", "dynamic", "catchall", "optional_catchall"
_SEGMENT_KINDS = frozenset({STATIC, DYNAMIC, CATCHALL, OPTIONAL_CATCHALL})


def _build_url(segments: Sequence[tuple[str, str]], dynamic: str, catchall: tuple[str, ...], omit_optional: bool) -> str:
    parts: list[str] = []
    for kind, name in segments:
        if kind == STATIC:
            parts.append(name)
        elif kind == DYNAMIC:
            parts.append(dynamic)
        elif kind == CATCHALL or (kind == OPTIONAL_CATCHALL and not omit_optional):
            parts.extend(catchall)
    return "/" + "/".join(parts)


def samples(segments: Sequence[tuple[str, str]]) -> list[str]:
    """Concrete URLs standing for a route: dynamic segments as ``1`` and as ``abc``; catch-alls with one
    (``1``) and two (``abc/def``) segments; optional catch-alls also omitted. The root route is ``/``."""
    for segment in segments:
        if len(segment) != 2 or segment[0] not in _SEGMENT_KINDS:
            raise ValueError(f"unknown route segment {segment!r}")
    urls = [
        _build_url(segments, "1", ("1",), False),
        _build_url(segments, "abc", ("abc", "def"), False),
    ]
    if any(kind == OPTIONAL_CATCHALL for kind, _ in segments):
        urls.append(_build_url(segments, "1", ("1",), True))
    return list(dict.fromkeys(urls))


ALL, SOME, NONE = "all", "some", "none"


def coverage(pattern: PathPattern, segments: Sequence[tuple[str, str]]) -> str:
    """``"all"`` when ``pattern`` matches every sample of the route (it covers the route), ``"some"`` when it
    matches some (partially covers), ``"none"`` otherwise."""
    hits = [pattern.matches(url) for url in samples(segments)]
    if all(hits):
        return ALL
    return SOME if any(hits) else NONE


# =================================================================================================
# 3. Middleware analysis
# =================================================================================================

PROTECTED = "protected"
PUBLIC = "public"
UNKNOWN = "unknown"
#: states of :meth:`Middleware.runs_on` (``UNKNOWN`` is shared)
RUNS = "runs"
SKIPPED = "skipped"

NEWEST_CLERK_MAJOR = 7


@dataclass(frozen=True)
class Verdict:
    """An answer about one URL or route. ``state`` is PROTECTED / PUBLIC / UNKNOWN (for
    :meth:`Middleware.runs_on`: RUNS / SKIPPED / UNKNOWN); ``evidence`` points at the pattern, matcher entry
    or protect call that decided it."""

    state: str
    reason: str
    evidence: list[Location] = field(default_factory=list)

    @property
    def protected(self) -> bool:
        return self.state == PROTECTED

    @property
    def public(self) -> bool:
        return self.state == PUBLIC

    @property
    def unknown(self) -> bool:
        return self.state == UNKNOWN

    @property
    def runs(self) -> bool:
        return self.state == RUNS

    @property
    def skipped(self) -> bool:
        return self.state == SKIPPED


@dataclass(eq=False)
class PatternEntry:
    """One literal entry of a pattern list (``createRouteMatcher([...])``, ``publicRoutes``, ``config.matcher``)."""

    source: str  # as written: the string's value, or ``/re/flags``
    node: Node
    pattern: PathPattern | None  # None: cannot be evaluated (invalid, unsafe, function, computed)
    problem: str = ""  # why pattern is None
    conditional: bool = False  # config.matcher object with has/missing


@dataclass(eq=False)
class RouteMatcher:
    """``createRouteMatcher(...)`` (or an ``authMiddleware`` route list): its entries, any of which matches."""

    label: str
    node: Node
    entries: list[PatternEntry]

    def match(self, url: str) -> tuple[bool | None, PatternEntry | None]:
        """(True, the first matching entry) / (False, None) / (None, an entry that cannot be evaluated)."""
        opaque = None
        for entry in self.entries:
            if entry.pattern is None:
                opaque = opaque or entry
            elif entry.pattern.matches(url):
                return True, entry
        if opaque is not None:
            return None, opaque
        return False, None


@dataclass(frozen=True)
class ProtectCall:
    """A protect-like call in the middleware handler."""

    node: Node
    awaited: bool  # awaited or returned (or a concise arrow body)
    form: str  # "auth.protect" (async on v6+) or "auth().protect" (sync v5 form; a TypeError on v6+)

    def effective(self, clerk_major: int) -> bool:
        """Whether reaching it stops a signed-out request: on v6+ ``auth.protect()`` must be awaited or returned."""
        if self.form == "auth.protect" and clerk_major >= 6:
            return self.awaited
        return True


# -- small tree helpers ---------------------------------------------------------------------------

_FUNCTIONS = frozenset(
    {
        "arrow_function",
        "function_expression",
        "function_declaration",
        "function",
        "generator_function",
        "generator_function_declaration",
        "method_definition",
        "class_declaration",
        "class",
    }
)
_WRAPPERS = frozenset({"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression", "type_assertion"})
_STRINGS = frozenset({"string", "template_string"})


def _named(node: Node | None) -> list[Node]:
    if node is None:
        return []
    return [c for c in node.named_children if c.type != "comment"]


def _unwrap(node: Node | None) -> Node | None:
    """Strip parentheses and TypeScript-only wrappers (``as``, ``satisfies``, ``!``, ``<T>x``)."""
    for _ in range(64):
        if node is None or node.type not in _WRAPPERS:
            return node
        children = _named(node)
        if not children:
            return None
        node = children[-1] if node.type == "type_assertion" else children[0]
    return None


def _unwrap_await(node: Node | None) -> tuple[Node | None, bool]:
    node = _unwrap(node)
    awaited = False
    for _ in range(16):
        if node is None or node.type != "await_expression":
            break
        awaited = True
        children = _named(node)
        node = _unwrap(children[0]) if children else None
    return node, awaited


def _descendants(node: Node, *, into_functions: bool = False):
    """Nodes below ``node`` in document order, iteratively; skips nested functions unless asked."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for child in reversed(current.children):
            if not into_functions and child.type in _FUNCTIONS:
                continue
            stack.append(child)


def _operator(node: Node) -> str:
    op = node.child_by_field_name("operator")
    return op.type if op is not None else ""


def _decode_escape(sequence: str) -> str:
    body = sequence[1:]
    if not body:
        return ""
    c = body[0]
    try:
        if c in "\n\r\u2028\u2029":
            return ""
        if c == "x" and len(body) == 3:
            return chr(int(body[1:], 16))
        if c == "u":
            if body.startswith("u{") and body.endswith("}"):
                return chr(int(body[2:-1], 16))
            if len(body) == 5:
                return chr(int(body[1:], 16))
        simple = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
        if len(body) == 1 and c in simple:
            return simple[c]
        if c.isdigit():
            return chr(int(body, 8))
    except (ValueError, OverflowError):
        return body
    return body


def _js_string(node: Node | None) -> str | None:
    """The value of a string literal or a template string without substitutions."""
    node = _unwrap(node)
    if node is None or node.type not in _STRINGS:
        return None
    parts = []
    for child in node.named_children:
        if child.type == "string_fragment":
            parts.append(text(child))
        elif child.type == "escape_sequence":
            parts.append(_decode_escape(text(child)))
        elif child.type == "comment":
            continue
        else:  # template_substitution and anything unexpected
            return None
    return "".join(parts)


def _key_name(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type in ("property_identifier", "identifier", "shorthand_property_identifier"):
        return text(node)
    if node.type == "string":
        return _js_string(node)
    return None


def _object_props(node: Node) -> tuple[dict[str, tuple[Node, Node | None]], list[Node]]:
    """Properties of an object literal: name -> (property node, value node or None for methods);
    plus the nodes that hide properties (spreads, computed keys)."""
    props: dict[str, tuple[Node, Node | None]] = {}
    hidden: list[Node] = []
    for child in _named(node):
        if child.type == "pair":
            name = _key_name(child.child_by_field_name("key"))
            if name is None:
                hidden.append(child)
            else:
                props[name] = (child, child.child_by_field_name("value"))
        elif child.type == "shorthand_property_identifier":
            props[text(child)] = (child, child)
        elif child.type == "method_definition":
            name = _key_name(child.child_by_field_name("name"))
            if name is None:
                hidden.append(child)
            else:
                props[name] = (child, None)
        else:
            hidden.append(child)
    return props, hidden


def _param_names(function: Node) -> list[str | None]:
    single = function.child_by_field_name("parameter")
    if single is not None:
        return [text(single) if single.type == "identifier" else None]
    params = function.child_by_field_name("parameters")
    names: list[str | None] = []
    for param in _named(params):
        target = param
        if param.type in ("required_parameter", "optional_parameter"):
            target = param.child_by_field_name("pattern")
        elif param.type == "assignment_pattern":
            target = param.child_by_field_name("left")
        names.append(text(target) if target is not None and target.type == "identifier" else None)
    return names


def _top_level_bindings(root: Node) -> dict[str, Node]:
    """Module-level ``const NAME = value`` (value node) and ``function NAME`` (the declaration), for names
    bound exactly once."""
    found: dict[str, Node] = {}
    repeated: set[str] = set()

    def bind(name: str, node: Node | None) -> None:
        if node is None:
            return
        if name in found:
            repeated.add(name)
        found[name] = node

    for statement in _named(root):
        declaration = statement
        if statement.type == "export_statement":
            declaration = statement.child_by_field_name("declaration")
            if declaration is None:
                continue
        if declaration.type == "lexical_declaration":
            if not declaration.children or declaration.children[0].type != "const":
                continue
            for declarator in _named(declaration):
                if declarator.type != "variable_declarator":
                    continue
                name = declarator.child_by_field_name("name")
                if name is not None and name.type == "identifier":
                    bind(text(name), declarator.child_by_field_name("value"))
        elif declaration.type in ("function_declaration", "generator_function_declaration"):
            name = declaration.child_by_field_name("name")
            if name is not None:
                bind(text(name), declaration)
    for name in repeated:
        found.pop(name, None)
    return found


# -- pattern lists ---------------------------------------------------------------------------------

_MAX_RESOLVE = 8


def _regexp_literal(node: Node, facts: JsFacts) -> tuple[str, str] | None:
    """(source, flags) of ``/re/flags`` or ``new RegExp('re', 'flags')`` with literal arguments."""
    if node.type == "regex":
        pattern = node.child_by_field_name("pattern")
        flags = node.child_by_field_name("flags")
        return text(pattern), text(flags)
    if node.type in ("new_expression", "call_expression"):
        ctor = node.child_by_field_name("constructor") or node.child_by_field_name("function")
        if ctor is None or ctor.type != "identifier" or text(ctor) != "RegExp" or facts.binding("RegExp"):
            return None
        args = _named(node.child_by_field_name("arguments"))
        if not args or len(args) > 2:
            return None
        source = _js_string(args[0])
        flags = _js_string(args[1]) if len(args) == 2 else ""
        if source is None or flags is None:
            return None
        return source, flags
    return None


def _pattern_entries(node: Node | None, consts: dict[str, Node], facts: JsFacts, *, sensitive: bool) -> list[PatternEntry]:
    """The entries of a pattern argument: a string, a RegExp, or arrays of them (spreads and identifiers of
    module constants followed). Functions and computed values become entries without a pattern."""
    entries: list[PatternEntry] = []
    if node is None:
        return entries
    stack: list[tuple[Node, int]] = [(node, 0)]
    while stack:
        current, depth = stack.pop()
        raw = current
        current = _unwrap(current)
        if current is None:
            continue
        if current.type in _STRINGS:
            value = _js_string(current)
            if value is None:
                entries.append(PatternEntry(text(current), current, None, "a template with substitutions"))
                continue
            pattern = compile_pattern(value, sensitive=sensitive)
            problem = "" if pattern is not None else "invalid or unsafe pattern"
            entries.append(PatternEntry(value, current, pattern, problem))
            continue
        regexp = _regexp_literal(current, facts)
        if regexp is not None:
            source, flags = regexp
            pattern = compile_regexp(source, flags)
            problem = "" if pattern is not None else "invalid, stateful or unsafe regular expression"
            entries.append(PatternEntry(f"/{source}/{flags}", current, pattern, problem))
            continue
        if current.type == "array":
            for element in reversed(_named(current)):
                stack.append((element, depth))
            continue
        if current.type == "spread_element" and depth < _MAX_RESOLVE:
            inner = _named(current)
            if inner:
                stack.append((inner[0], depth + 1))
                continue
        if current.type in ("identifier", "shorthand_property_identifier") and depth < _MAX_RESOLVE:
            target = consts.get(text(current))
            if target is not None and target.type not in _FUNCTIONS:
                stack.append((target, depth + 1))
                continue
            if target is not None:
                current = target
        if current.type in _FUNCTIONS:
            problem = "a function entry"
        else:
            problem = "a value clerk-lint cannot evaluate"
        entries.append(PatternEntry(text(raw)[:80], raw, None, problem))
    return entries


# -- the handler interpreter ----------------------------------------------------------------------

_SIGNED_OUT_NULL = frozenset(
    {"userId", "sessionId", "orgId", "orgRole", "orgSlug", "orgPermissions", "actor", "sessionClaims", "sessionStatus"}
)
_SIGNED_OUT_FALSE = frozenset({"isAuthenticated", "isSignedIn"})
_UNDEFINED = object()
_NOT_KNOWN = object()
_NAVIGATION_THROWS = frozenset({"redirect", "permanentRedirect", "notFound", "unauthorized", "forbidden"})
_CLERK_SERVER = "@clerk/nextjs/server"
_CLERK_ROOT = "@clerk/nextjs"
_MAX_STEPS = 4000
_MAX_COND_DEPTH = 48


class _Cond:
    __slots__ = ("value", "facts", "unknown", "auth")

    def __init__(self, value, facts=(), unknown=(), auth=False) -> None:
        self.value = value  # True / False / None (unknown)
        self.facts = tuple(facts)  # (RouteMatcher, result, entry)
        self.unknown = tuple(unknown)  # nodes that could not be evaluated
        self.auth = auth  # depends on the signed-out assumption


class _Path:
    __slots__ = ("frames", "facts", "unknown", "signed_out", "unawaited")

    def __init__(self) -> None:
        self.frames: list[list] = []
        self.facts: list = []
        self.unknown: list[Node] = []
        self.signed_out = False
        self.unawaited: Node | None = None

    def copy(self) -> _Path:
        other = _Path()
        other.frames = [list(frame) for frame in self.frames]
        other.facts = list(self.facts)
        other.unknown = list(self.unknown)
        other.signed_out = self.signed_out
        other.unawaited = self.unawaited
        return other

    def push(self, items: Sequence) -> None:
        if items:
            self.frames.append([tuple(items), 0])

    def next_item(self):
        while self.frames:
            frame = self.frames[-1]
            items, index = frame
            if index < len(items):
                frame[1] = index + 1
                return items[index]
            self.frames.pop()
        return None


class _Outcome:
    __slots__ = ("state", "action", "node", "note", "facts", "unknown")

    def __init__(self, state: str, action: str, node: Node | None, note: str = "") -> None:
        self.state = state
        self.action = action  # protect / redirect / throw / status / return / end / unawaited / unknown
        self.node = node
        self.note = note
        self.facts: tuple = ()
        self.unknown: tuple = ()


def _distinct(items: Iterable) -> list:
    out: list = []
    for item in items:
        if all(item is not seen for seen in out):
            out.append(item)
    return out


def _labels(matchers: list[RouteMatcher], limit: int = 3) -> str:
    names = [m.label for m in matchers]
    if len(names) > limit:
        return " or ".join(names[:limit]) + f" (or {len(names) - limit} more)"
    return " or ".join(names)


def _short(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _snippet(node: Node, limit: int = 60) -> str:
    return _short(text(node), limit)


class _Handler:
    """The ``clerkMiddleware`` callback, evaluated for one URL at a time."""

    def __init__(self, owner: "Middleware", function: Node) -> None:
        self.owner = owner
        self.file = owner.file
        self.facts = owner.facts
        self.function = function
        names = _param_names(function)
        self.auth_name = names[0] if names else None
        self.req_name = names[1] if len(names) > 1 else None
        self.consts = owner.consts
        self.env: dict[str, tuple] = {}
        body = function.child_by_field_name("body")
        if body is None:
            self.items: list = []
        elif body.type == "statement_block":
            self.items = _named(body)
        else:
            self.items = [("return", body)]
        self.body = body
        self._collect_locals()

    # -- name resolution --------------------------------------------------------------------------

    def _collect_locals(self) -> None:
        if self.body is None:
            return
        seen: dict[str, tuple] = {}
        repeated: set[str] = set()

        def bind(name: str, meaning: tuple) -> None:
            if name in seen and (seen[name] != meaning or meaning[0] == "value"):
                repeated.add(name)  # bound twice to different things (or two values): unknown
            seen[name] = meaning

        for node in _descendants(self.body):
            if node.type != "variable_declarator":
                continue
            name = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name is None:
                continue
            constant = node.parent is not None and node.parent.children and node.parent.children[0].type == "const"
            inner, _ = _unwrap_await(value)
            if name.type == "identifier":
                if inner is not None and self._is_auth_call(inner):
                    bind(text(name), ("authobj",))
                elif inner is not None and self._is_pathname(inner):
                    bind(text(name), ("pathname",))
                elif constant and value is not None:
                    bind(text(name), ("value", value))
                else:
                    bind(text(name), ("opaque",))
            elif name.type == "object_pattern":
                source = "auth" if inner is not None and self._is_auth_call(inner) else None
                if source is None and inner is not None and self._is_next_url(inner):
                    source = "nexturl"
                for prop in _named(name):
                    if prop.type == "shorthand_property_identifier_pattern":
                        key, local = text(prop), text(prop)
                    elif prop.type == "pair_pattern":
                        key = _key_name(prop.child_by_field_name("key"))
                        target = prop.child_by_field_name("value")
                        local = text(target) if target is not None and target.type == "identifier" else None
                    else:
                        key = local = None
                        for ident in _descendants(prop):
                            if ident.type == "identifier":
                                bind(text(ident), ("opaque",))
                    if local is None:
                        continue
                    if source == "auth" and key is not None:
                        bind(local, ("authprop", key))
                    elif source == "nexturl" and key == "pathname":
                        bind(local, ("pathname",))
                    else:
                        bind(local, ("opaque",))
            else:
                for ident in _descendants(name):
                    if ident.type in ("identifier", "shorthand_property_identifier_pattern"):
                        bind(text(ident), ("opaque",))
        for name in repeated:
            seen[name] = ("opaque",)
        self.env = seen

    def _is_auth_fn(self, node: Node | None) -> bool:
        node = _unwrap(node)
        if node is None:
            return False
        if node.type == "identifier" and self.auth_name is not None and text(node) == self.auth_name:
            return True
        resolved = self.facts.resolve(node)
        return resolved is not None and resolved[1] == "auth" and self.owner._clerk_source_ok(resolved[0], "auth")

    def _is_auth_call(self, node: Node | None) -> bool:
        node = _unwrap(node)
        return node is not None and node.type == "call_expression" and self._is_auth_fn(node.child_by_field_name("function"))

    def _is_auth_result(self, node: Node | None) -> bool:
        inner, _ = _unwrap_await(node)
        if inner is None:
            return False
        if self._is_auth_call(inner):
            return True
        return inner.type == "identifier" and self.env.get(text(inner)) == ("authobj",)

    def _is_req(self, node: Node | None) -> bool:
        node = _unwrap(node)
        return node is not None and node.type == "identifier" and self.req_name is not None and text(node) == self.req_name

    def _is_next_url(self, node: Node) -> bool:
        node = _unwrap(node)
        return (
            node is not None
            and node.type == "member_expression"
            and text(node.child_by_field_name("property")) == "nextUrl"
            and self._is_req(node.child_by_field_name("object"))
        )

    def _is_pathname(self, node: Node | None) -> bool:
        node = _unwrap(node)
        if node is None:
            return False
        if node.type == "identifier":
            return self.env.get(text(node)) == ("pathname",)
        if node.type != "member_expression" or text(node.child_by_field_name("property")) != "pathname":
            return False
        obj = _unwrap(node.child_by_field_name("object"))
        if obj is None:
            return False
        if self._is_next_url(obj):
            return True
        if obj.type == "new_expression":  # new URL(req.url).pathname
            ctor = obj.child_by_field_name("constructor")
            args = _named(obj.child_by_field_name("arguments"))
            if ctor is not None and text(ctor) == "URL" and len(args) == 1:
                arg = _unwrap(args[0])
                return (
                    arg is not None
                    and arg.type == "member_expression"
                    and text(arg.child_by_field_name("property")) == "url"
                    and self._is_req(arg.child_by_field_name("object"))
                )
        return False

    def _local_value(self, node: Node | None) -> Node | None:
        node = _unwrap(node)
        if node is None or node.type != "identifier":
            return None
        meaning = self.env.get(text(node))
        if meaning is not None:
            return meaning[1] if meaning[0] == "value" else None
        if self._shadowed(text(node)):
            return None
        return self.consts.get(text(node))

    def _shadowed(self, name: str) -> bool:
        return name in self.env or name in (self.auth_name, self.req_name)

    def matcher(self, callee: Node | None) -> RouteMatcher | None:
        """The route matcher a called expression stands for: a ``createRouteMatcher`` call, inline or
        through a constant."""
        node = _unwrap(callee)
        label = None
        for _ in range(_MAX_RESOLVE):
            if node is None:
                return None
            if node.type == "identifier":
                label = label or text(node)
                node = _unwrap(self._local_value(node))
                continue
            break
        if node is None or node.type != "call_expression" or not self.owner._is_create_route_matcher(node.child_by_field_name("function")):
            return None
        return self.owner._route_matcher(node, label)

    # -- protect-like calls -----------------------------------------------------------------------

    def classify_call(self, call: Node) -> tuple[str, str] | None:
        """("protect", form) / ("deny_throw", what) / ("deny_return", what) / None."""
        fn = _unwrap(call.child_by_field_name("function"))
        if fn is None:
            return None
        if fn.type == "member_expression":
            prop = text(fn.child_by_field_name("property"))
            obj = fn.child_by_field_name("object")
            if prop == "protect":
                if self._is_auth_fn(obj):
                    return "protect", "auth.protect"
                if self._is_auth_result(obj):
                    return "protect", "auth().protect"
            elif prop in ("redirectToSignIn", "redirectToSignUp") and self._is_auth_result(obj):
                return "deny_throw", prop
        elif fn.type == "identifier":
            meaning = self.env.get(text(fn))
            if meaning is not None and meaning[0] == "authprop":
                if meaning[1] == "protect":
                    return "protect", "auth().protect"
                if meaning[1] in ("redirectToSignIn", "redirectToSignUp"):
                    return "deny_throw", meaning[1]
                return None
            if self._shadowed(text(fn)):
                return None
        resolved = self.facts.resolve(fn)
        if resolved is not None:
            source, name = resolved
            if name in ("redirectToSignIn", "redirectToSignUp") and source in (_CLERK_SERVER, _CLERK_ROOT):
                return "deny_return", name
            if source == "next/navigation" and name in _NAVIGATION_THROWS:
                return "deny_throw", name
        return None

    @staticmethod
    def is_awaited(call: Node) -> bool:
        """Awaited, returned, or the body of a concise arrow; through parentheses, ternary branches and the
        right operand of ``&&``/``||``/``??``."""
        node = call
        parent = node.parent
        while parent is not None:
            if parent.type in _WRAPPERS:
                pass
            elif parent.type == "ternary_expression" and parent.child_by_field_name("condition") != node:
                pass
            elif parent.type == "binary_expression" and _operator(parent) in ("&&", "||", "??") and parent.child_by_field_name("right") == node:
                pass
            else:
                break
            node, parent = parent, parent.parent
        if parent is None:
            return False
        if parent.type in ("await_expression", "return_statement"):
            return True
        return parent.type == "arrow_function" and parent.child_by_field_name("body") == node

    def protect_calls(self) -> list[ProtectCall]:
        found = []
        if self.body is None:
            return found
        for node in walk(self.body):
            if node.type == "call_expression":
                kind = self.classify_call(node)
                if kind is not None and kind[0] == "protect":
                    found.append(ProtectCall(node, self.is_awaited(node), kind[1]))
        return found

    # -- conditions ---------------------------------------------------------------------------------

    def _value(self, node: Node | None, url: str, depth: int = 0):
        """A JS value under the signed-out assumption, or _NOT_KNOWN. Returns (value, depends_on_auth)."""
        node = _unwrap(node)
        if node is None or depth > _MAX_RESOLVE:
            return _NOT_KNOWN, False
        t = node.type
        if t == "null":
            return None, False
        if t == "undefined":
            return _UNDEFINED, False
        if t == "true":
            return True, False
        if t == "false":
            return False, False
        if t in _STRINGS:
            value = _js_string(node)
            return (value if value is not None else _NOT_KNOWN), False
        if t == "number":
            try:
                return float(text(node)), False
            except ValueError:
                return _NOT_KNOWN, False
        if t == "unary_expression" and _operator(node) == "void":
            return _UNDEFINED, False
        if self._is_pathname(node):
            return url, False
        if t == "identifier":
            meaning = self.env.get(text(node))
            if meaning is not None and meaning[0] == "authprop":
                return self._signed_out(meaning[1]), True
            if meaning is not None and meaning[0] == "value":  # a local const: its initializer
                return self._value(meaning[1], url, depth + 1)
            return _NOT_KNOWN, False
        if t == "member_expression":
            prop = text(node.child_by_field_name("property"))
            if self._is_auth_result(node.child_by_field_name("object")):
                return self._signed_out(prop), True
        if t == "call_expression":
            fn = _unwrap(node.child_by_field_name("function"))
            if fn is not None and fn.type == "identifier" and self.env.get(text(fn)) == ("authprop", "has"):
                return False, True
            if fn is not None and fn.type == "member_expression":
                prop = text(fn.child_by_field_name("property"))
                obj = fn.child_by_field_name("object")
                if prop == "has" and self._is_auth_result(obj):
                    return False, True
                if prop in ("startsWith", "endsWith", "includes") and self._is_pathname(obj):
                    args = _named(node.child_by_field_name("arguments"))
                    arg = _js_string(args[0]) if len(args) == 1 else None
                    if arg is None:
                        return _NOT_KNOWN, False
                    return getattr(url, {"startsWith": "startswith", "endsWith": "endswith", "includes": "__contains__"}[prop])(arg), False
        return _NOT_KNOWN, False

    @staticmethod
    def _signed_out(prop: str):
        if prop in _SIGNED_OUT_NULL:
            return None
        if prop in _SIGNED_OUT_FALSE:
            return False
        return _NOT_KNOWN

    @staticmethod
    def _truthy(value) -> bool:
        return not (value is None or value is _UNDEFINED or value is False or value == "" or value == 0)

    def cond(self, node: Node | None, url: str, depth: int = 0) -> _Cond:
        node = _unwrap(node)
        if node is None or depth > _MAX_COND_DEPTH:
            return _Cond(None, unknown=[node] if node is not None else [])
        t = node.type
        if t == "unary_expression" and _operator(node) == "!":
            inner = self.cond(node.child_by_field_name("argument"), url, depth + 1)
            value = None if inner.value is None else not inner.value
            return _Cond(value, inner.facts, inner.unknown, inner.auth)
        if t == "binary_expression":
            op = _operator(node)
            if op in ("&&", "||"):
                left = self.cond(node.child_by_field_name("left"), url, depth + 1)
                right = self.cond(node.child_by_field_name("right"), url, depth + 1)
                if op == "&&":
                    if left.value is False:
                        return _Cond(False, left.facts, left.unknown, left.auth)
                    if left.value is True and right.value is not None:
                        return _Cond(right.value, left.facts + right.facts, (), left.auth or right.auth)
                    value = False if right.value is False else None
                else:
                    if left.value is True:
                        return _Cond(True, left.facts, left.unknown, left.auth)
                    if left.value is False and right.value is not None:
                        return _Cond(right.value, left.facts + right.facts, (), left.auth or right.auth)
                    value = True if right.value is True else None
                return _Cond(value, left.facts + right.facts, left.unknown + right.unknown, left.auth or right.auth)
            if op in ("===", "!==", "==", "!="):
                left, left_auth = self._value(node.child_by_field_name("left"), url)
                right, right_auth = self._value(node.child_by_field_name("right"), url)
                if left is _NOT_KNOWN or right is _NOT_KNOWN:
                    return _Cond(None, unknown=[node])
                nullish = (None, _UNDEFINED)
                if op in ("==", "!=") and (left in nullish or right in nullish):
                    equal = left in nullish and right in nullish
                else:
                    equal = left is right if (left is _UNDEFINED or right is _UNDEFINED) else (type(left) is type(right) and left == right)
                return _Cond(equal if op in ("===", "==") else not equal, auth=left_auth or right_auth)
            return _Cond(None, unknown=[node])
        if t == "call_expression":
            fn = node.child_by_field_name("function")
            matcher = self.matcher(fn)
            if matcher is not None:
                args = _named(node.child_by_field_name("arguments"))
                if len(args) != 1 or not self._is_req(args[0]):
                    return _Cond(None, unknown=[node])
                result, entry = matcher.match(url)
                unknown = [entry.node] if result is None and entry is not None else []
                return _Cond(result, [(matcher, result, entry)], unknown)
        if t == "identifier":
            meaning = self.env.get(text(node))
            if meaning is not None and meaning[0] == "value":  # const flag = isProtected(req) && ...
                return self.cond(meaning[1], url, depth + 1)
        value, auth = self._value(node, url)
        if value is _NOT_KNOWN:
            return _Cond(None, unknown=[node])
        return _Cond(self._truthy(value), auth=auth)

    # -- statements -------------------------------------------------------------------------------

    def evaluate(self, url: str) -> Verdict:
        start = _Path()
        start.push(self.items)
        work = [start]
        outcomes: list[_Outcome] = []
        steps = 0
        while work:
            path = work.pop()
            while True:
                steps += 1
                if steps > _MAX_STEPS:
                    return Verdict(UNKNOWN, "the middleware handler is too complex to follow", [self.owner._loc(self.function, "middleware handler")])
                item = path.next_item()
                if item is None:
                    outcome = _Outcome(PUBLIC, "unawaited" if path.unawaited is not None else "end", path.unawaited)
                else:
                    outcome = self._step(item, path, url)
                if outcome is None:
                    continue
                if isinstance(outcome, list):
                    work.extend(reversed(outcome))
                    break
                outcome.facts = tuple(path.facts)
                outcome.unknown = tuple(path.unknown)
                outcomes.append(outcome)
                break
        return self._combine(outcomes, url)

    def _branch(self, path: _Path, cond: _Cond, then_items: list, else_items: list):
        if cond.value is not None:
            path.facts.extend(cond.facts)
            path.signed_out = path.signed_out or cond.auth
            path.push(then_items if cond.value else else_items)
            return None
        forks = []
        for items in (then_items, else_items):
            fork = path.copy()
            fork.facts.extend(cond.facts)
            fork.unknown.extend(cond.unknown)
            fork.push(items)
            forks.append(fork)
        return forks

    def _step(self, item, path: _Path, url: str):
        if isinstance(item, tuple):
            kind, node = item
            if kind == "expr":
                return self._expression(node, path, url)
            return self._return(node, path, url)
        node: Node = item
        t = node.type
        if t == "statement_block":
            path.push(_named(node))
            return None
        if t == "expression_statement":
            children = _named(node)
            return self._expression(children[0], path, url) if children else None
        if t == "if_statement":
            cond = self.cond(node.child_by_field_name("condition"), url)
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            else_items = _named(alternative) if alternative is not None else []
            return self._branch(path, cond, [consequence] if consequence is not None else [], else_items)
        if t in ("lexical_declaration", "variable_declaration"):
            values = [d.child_by_field_name("value") for d in _named(node) if d.type == "variable_declarator"]
            return self._effects([v for v in values if v is not None], path)
        if t == "return_statement":
            children = _named(node)
            return self._return(children[0] if children else None, path, url)
        if t == "throw_statement":
            return _Outcome(PROTECTED, "throw", node)
        if t in ("empty_statement", "function_declaration", "generator_function_declaration", "class_declaration",
                 "type_alias_declaration", "interface_declaration", "import_statement", "debugger_statement"):
            return None
        if self._relevant(node):
            label = t.replace("_", " ")
            return _Outcome(UNKNOWN, "unknown", node, f"the middleware handler decides inside a {label} clerk-lint does not follow")
        return None

    def _relevant(self, node: Node) -> bool:
        """Whether a statement could end the request or protect it (returns, throws, protect calls)."""
        for child in _descendants(node):
            if child.type in ("return_statement", "throw_statement"):
                return True
            if child.type == "call_expression" and (self.classify_call(child) is not None or self._hidden_guard(child)):
                return True
        return False

    def _expression(self, node: Node | None, path: _Path, url: str):
        node = _unwrap(node)
        if node is None:
            return None
        if node.type == "binary_expression" and _operator(node) in ("&&", "||"):
            cond = self.cond(node.child_by_field_name("left"), url)
            right = [("expr", node.child_by_field_name("right"))]
            if _operator(node) == "&&":
                return self._branch(path, cond, right, [])
            return self._branch(path, cond, [], right)
        if node.type == "ternary_expression":
            cond = self.cond(node.child_by_field_name("condition"), url)
            return self._branch(
                path, cond, [("expr", node.child_by_field_name("consequence"))], [("expr", node.child_by_field_name("alternative"))]
            )
        if node.type == "sequence_expression":
            path.push([("expr", child) for child in _named(node)])
            return None
        return self._effects([node], path)

    def _conditional_position(self, call: Node, root: Node) -> bool:
        child, parent = call, call.parent
        while parent is not None and child != root:
            if parent.type == "binary_expression" and _operator(parent) in ("&&", "||", "??"):
                if parent.child_by_field_name("right") == child:
                    return True
            elif parent.type == "ternary_expression" and parent.child_by_field_name("condition") != child:
                return True
            elif parent.type == "call_expression" and child.type == "arguments":
                callee = parent.child_by_field_name("function")
                if any(n.type in ("?.", "optional_chain") for n in parent.children) or (
                    callee is not None and any(n.type == "optional_chain" for n in callee.children)
                ):
                    return True  # f?.(x) / a?.b(x): the arguments are evaluated only sometimes
            child, parent = parent, parent.parent
        return False

    def _effects(self, nodes: list[Node], path: _Path):
        """Protect and deny calls evaluated by these expressions, in order."""
        for root in nodes:
            if _unwrap(root) is None or _unwrap(root).type in _FUNCTIONS:
                continue  # defining a function runs none of it
            for node in _descendants(root):
                if node.type != "call_expression":
                    continue
                kind = self.classify_call(node)
                if kind is None:
                    hidden = self._hidden_guard(node)
                    if hidden is not None:
                        return _Outcome(UNKNOWN, "unknown", node, hidden)
                    continue
                if kind[0] == "deny_return":
                    continue
                if self._conditional_position(node, root):
                    return _Outcome(UNKNOWN, "unknown", node, f"{_snippet(node, 40)} runs conditionally inside an expression clerk-lint does not follow")
                if kind[0] == "deny_throw":
                    return _Outcome(PROTECTED, "redirect", node)
                call = ProtectCall(node, self.is_awaited(node), kind[1])
                if call.effective(self.owner.clerk_major):
                    return _Outcome(PROTECTED, "protect", node)
                if path.unawaited is None:
                    path.unawaited = node
        return None

    def _hidden_guard(self, call: Node) -> str | None:
        """Why a call clerk-lint does not follow may protect the request: it receives the auth object, or it
        is a function of this file that calls protect/redirectToSignIn itself."""
        for arg in _named(call.child_by_field_name("arguments")):
            inner, _ = _unwrap_await(arg)
            if inner is None:
                continue
            if self._is_auth_fn(inner) or self._is_auth_result(inner):
                return f"the middleware passes auth to {_snippet(call.child_by_field_name('function'), 40)}, which clerk-lint does not follow"
            if inner.type == "identifier" and (self.env.get(text(inner)) or ("",))[0] == "authprop":
                return f"the middleware passes {text(inner)} to {_snippet(call.child_by_field_name('function'), 40)}, which clerk-lint does not follow"
        fn = _unwrap(call.child_by_field_name("function"))
        target = None
        if fn is not None and fn.type == "identifier":
            meaning = self.env.get(text(fn))
            if meaning is not None:
                target = meaning[1] if meaning[0] == "value" else None
            elif not self._shadowed(text(fn)):
                target = self.consts.get(text(fn))
        target = _unwrap(target)
        if target is not None and target.type in _FUNCTIONS:
            for node in walk(target):
                if node.type == "call_expression" and node != call and self.classify_call(node) is not None:
                    return f"the middleware calls {text(fn)}, which protects in code clerk-lint does not follow"
                if node.type == "throw_statement":
                    return f"the middleware calls {text(fn)}, which may throw"
        return None

    def _return(self, node: Node | None, path: _Path, url: str, depth: int = 0):
        inner, _ = _unwrap_await(node)
        if inner is None:
            return _Outcome(PUBLIC, "return", node)
        t = inner.type
        if t == "ternary_expression":
            cond = self.cond(inner.child_by_field_name("condition"), url)
            return self._branch(
                path, cond, [("return", inner.child_by_field_name("consequence"))], [("return", inner.child_by_field_name("alternative"))]
            )
        if t == "binary_expression" and _operator(inner) == "&&":
            cond = self.cond(inner.child_by_field_name("left"), url)
            return self._branch(path, cond, [("return", inner.child_by_field_name("right"))], [("return", None)])
        if t in ("undefined", "null") or (t == "unary_expression" and _operator(inner) == "void" and not self._relevant(inner)):
            return _Outcome(PUBLIC, "return", node)
        effect = self._effects([inner], path)
        if effect is not None:
            return effect
        if t == "call_expression":
            kind = self.classify_call(inner)
            if kind is not None and kind[0] == "deny_return":
                return _Outcome(PROTECTED, "redirect", inner)
            fn = _unwrap(inner.child_by_field_name("function"))
            if fn is not None and fn.type == "member_expression" and self._is_response_class(fn.child_by_field_name("object")):
                prop = text(fn.child_by_field_name("property"))
                if prop == "next":
                    return _Outcome(PUBLIC, "return", inner)
                if prop == "redirect" and path.signed_out:
                    return _Outcome(PROTECTED, "redirect", inner)
                if prop == "json" and self._error_status(inner, 1):
                    return _Outcome(PROTECTED, "status", inner)
        if t == "new_expression" and self._is_response_class(inner.child_by_field_name("constructor")) and self._error_status(inner, 1):
            return _Outcome(PROTECTED, "status", inner)
        if t == "identifier" and depth < 4:
            value = self._local_value(inner)
            if value is not None:
                return self._return(value, path, url, depth + 1)
        return _Outcome(UNKNOWN, "unknown", inner, f"the middleware returns {_snippet(inner, 40)}, which clerk-lint cannot classify")

    def denies(self, node: Node) -> bool:
        """Whether ``node`` contains something that stops a request: a protect or sign-in redirect call, a
        throw, a redirect or an error response (for telling allow-lists from deny-lists)."""
        for child in _descendants(node):
            if child.type == "throw_statement":
                return True
            if child.type == "call_expression":
                if self.classify_call(child) is not None:
                    return True
                fn = _unwrap(child.child_by_field_name("function"))
                if fn is not None and fn.type == "member_expression" and self._is_response_class(fn.child_by_field_name("object")):
                    prop = text(fn.child_by_field_name("property"))
                    if prop == "redirect" or (prop == "json" and self._error_status(child, 1)):
                        return True
            if child.type == "new_expression" and self._is_response_class(child.child_by_field_name("constructor")):
                if self._error_status(child, 1):
                    return True
        return False

    def _is_response_class(self, node: Node | None) -> bool:
        node = _unwrap(node)
        if node is None or node.type != "identifier":
            return False
        resolved = self.facts.resolve(node)
        if resolved is not None:
            return resolved == ("next/server", "NextResponse")
        return text(node) == "Response" and not self._shadowed("Response") and self.facts.binding("Response") is None

    def _error_status(self, call: Node, index: int) -> bool:
        args = _named(call.child_by_field_name("arguments"))
        if len(args) <= index:
            return False
        init = _unwrap(args[index])
        if init is None or init.type != "object":
            return False
        props, _ = _object_props(init)
        status = props.get("status")
        if status is None or status[1] is None:
            return False
        value = _unwrap(status[1])
        if value is None or value.type != "number":
            return False
        try:
            return float(text(value)) >= 400
        except ValueError:
            return False

    # -- verdicts ---------------------------------------------------------------------------------

    def _combine(self, outcomes: list[_Outcome], url: str) -> Verdict:
        if not outcomes:
            return Verdict(UNKNOWN, "the middleware handler could not be followed")
        states = {o.state for o in outcomes}
        if len(states) == 1 and UNKNOWN not in states:
            return self._explain(outcomes[0], url)
        unknown = next((o for o in outcomes if o.state == UNKNOWN), None)
        if unknown is not None:
            return Verdict(UNKNOWN, unknown.note, [self.owner._loc(unknown.node, "not understood")] if unknown.node is not None else [])
        nodes: list[Node] = []
        for outcome in outcomes:
            for node in outcome.unknown:
                if all(node != seen for seen in nodes):
                    nodes.append(node)
        if nodes:
            reason = f"whether the middleware protects {url} depends on {_snippet(nodes[0])}"
        else:
            reason = f"whether the middleware protects {url} depends on conditions clerk-lint cannot evaluate"
        return Verdict(UNKNOWN, reason, [self.owner._loc(n, "cannot be evaluated statically") for n in nodes[:3]])

    def _explain(self, outcome: _Outcome, url: str) -> Verdict:
        loc = self.owner._loc
        # the most recent decisions are the ones that led to the outcome
        matched = [f for f in reversed(outcome.facts) if f[1] is True and f[2] is not None]
        unmatched = [f for f in reversed(outcome.facts) if f[1] is False]
        action = loc(outcome.node, _ACTION_TEXT.get(outcome.action, "")) if outcome.node is not None else None
        evidence: list[Location] = []
        if outcome.state == PROTECTED:
            how = _ACTION_TEXT.get(outcome.action, "denies the request")
            if matched:
                entry = matched[0][2]
                reason = f"middleware protects {_short(entry.source)}"
                evidence.append(loc(entry.node, "protected route pattern"))
            elif unmatched:
                matchers = _distinct(f[0] for f in reversed(unmatched))
                reason = f"middleware protects every route not matched by {_labels(matchers)}"
                evidence.extend(loc(m.node, "public route matcher") for m in matchers)
            elif outcome.state == PROTECTED and outcome.action == "protect":
                reason = "middleware calls auth.protect() on every request"
            else:
                reason = f"middleware {how} for signed-out requests"
            if action is not None:
                evidence.append(action)
            return Verdict(PROTECTED, reason, evidence)
        if outcome.action == "unawaited":
            reason = "auth.protect() is not awaited or returned, so the request continues (Clerk v6+)"
            if matched:
                evidence.append(loc(matched[0][2].node, "protected route pattern"))
            if action is not None:
                evidence.append(loc(outcome.node, "auth.protect() not awaited"))
            return Verdict(PUBLIC, reason, evidence)
        if matched:
            entry = matched[0][2]
            reason = f"public route matcher lists {_short(entry.source)}"
            evidence.append(loc(entry.node, "public route pattern"))
        elif unmatched:
            matchers = _distinct(f[0] for f in reversed(unmatched))
            patterns = [entry.source for m in matchers for entry in m.entries]
            listed = ", ".join(_short(p, 40) for p in patterns[:4]) + (f" and {len(patterns) - 4} more" if len(patterns) > 4 else "")
            reason = f"the middleware protects only {listed} ({_labels(matchers)}), not {url}" if patterns else f"no pattern of {_labels(matchers)} matches {url}"
            evidence.extend(loc(m.node, "protected route matcher") for m in matchers)
        elif outcome.action == "return":
            reason = "middleware returns before protecting the request"
            if outcome.node is not None:
                evidence.append(loc(outcome.node, "returns here"))
        else:
            reason = "the middleware handler never protects the request"
        return Verdict(PUBLIC, reason, evidence)


_ACTION_TEXT = {
    "protect": "auth.protect()",
    "redirect": "redirects to sign-in",
    "throw": "throws",
    "status": "returns an error response",
    "return": "returns",
}

_DEFAULT_IGNORED_ROUTES = r"/((?!api|trpc))(_next.*|.+\.[\w]+$)"


@dataclass(eq=False)
class Middleware:
    """What one ``middleware.*`` / ``proxy.*`` file does. Build it with :func:`analyse`."""

    file: SourceFile
    facts: JsFacts
    clerk_major: int
    kind: str = "none"  # clerkMiddleware / authMiddleware / withClerkMiddleware / none
    wrapped: bool = False  # the Clerk middleware is composed in code clerk-lint does not follow
    call: Node | None = None  # the clerkMiddleware(...) / authMiddleware(...) call, or the bare reference
    handler: Node | None = None  # the clerkMiddleware callback
    matcher_entries: list[tuple[str, Location]] = field(default_factory=list)
    public_patterns: list[tuple[str, Location]] = field(default_factory=list)
    public_entries: list[PatternEntry] = field(default_factory=list)  # the same, with compiled patterns
    protect_calls: list[tuple[Node, bool]] = field(default_factory=list)
    protect_call_info: list[ProtectCall] = field(default_factory=list)
    route_matchers: list[RouteMatcher] = field(default_factory=list)
    consts: dict[str, Node] = field(default_factory=dict, repr=False)
    # internals
    _unknown_reason: tuple[str, Node | None] | None = field(default=None, repr=False)
    _handler: _Handler | None = field(default=None, repr=False)
    _matchers_by_node: dict[int, RouteMatcher] = field(default_factory=dict, repr=False)
    _matcher_state: str = field(default="absent", repr=False)  # absent / entries / opaque
    _matcher_node: Node | None = field(default=None, repr=False)
    _matcher_problem: str = field(default="", repr=False)
    _matcher_list: list[PatternEntry] = field(default_factory=list, repr=False)
    _public: RouteMatcher | None = field(default=None, repr=False)
    _ignored: RouteMatcher | None = field(default=None, repr=False)
    _runs_cache: dict[str, Verdict] = field(default_factory=dict, repr=False)
    _protects_cache: dict[str, Verdict] = field(default_factory=dict, repr=False)

    # -- helpers shared with the handler ----------------------------------------------------------

    def _loc(self, node: Node, message: str = "") -> Location:
        return self.file.node_location(node, message)

    def _clerk_source_ok(self, source: str, name: str) -> bool:
        if source == _CLERK_SERVER:
            return True
        return source == _CLERK_ROOT and self.clerk_major <= 4 and name != "clerkMiddleware"

    def _clerk_middleware_name(self, node: Node | None) -> str | None:
        resolved = self.facts.resolve(_unwrap(node))
        if resolved is None:
            return None
        source, name = resolved
        if name in ("clerkMiddleware", "authMiddleware", "withClerkMiddleware") and self._clerk_source_ok(source, name):
            return name
        return None

    def _is_create_route_matcher(self, node: Node | None) -> bool:
        resolved = self.facts.resolve(_unwrap(node))
        return resolved is not None and resolved[1] == "createRouteMatcher" and resolved[0] in (_CLERK_SERVER, _CLERK_ROOT)

    def _route_matcher(self, call: Node, label: str | None) -> RouteMatcher:
        found = self._matchers_by_node.get(call.id)
        if found is None:
            args = _named(call.child_by_field_name("arguments"))
            entries = _pattern_entries(args[0], self.consts, self.facts, sensitive=False) if args else []
            found = RouteMatcher(label or "createRouteMatcher(...)", call, entries)
            self._matchers_by_node[call.id] = found
            self.route_matchers.append(found)
        return found

    # -- questions ----------------------------------------------------------------------------------

    @property
    def has_clerk(self) -> bool:
        return self.kind != "none"

    @property
    def has_matcher(self) -> bool:
        return self._matcher_state != "absent"

    def runs_on(self, url: str) -> Verdict:
        """Whether ``config.matcher`` lets the middleware run on ``url``: RUNS / SKIPPED / UNKNOWN."""
        cached = self._runs_cache.get(url)
        if cached is None:
            cached = self._runs_cache[url] = self._runs_on(url)
        return cached

    def _runs_on(self, url: str) -> Verdict:
        if self._matcher_state == "absent":
            return Verdict(RUNS, "no config.matcher: the middleware runs on every path")
        if self._matcher_state == "opaque":
            evidence = [self._loc(self._matcher_node, "config.matcher")] if self._matcher_node is not None else []
            return Verdict(UNKNOWN, self._matcher_problem, evidence)
        undecided: PatternEntry | None = None
        for entry in self._matcher_list:
            if entry.pattern is None:
                undecided = undecided or entry
            elif entry.pattern.matches(url):
                if not entry.conditional:
                    return Verdict(RUNS, f"matcher {_short(entry.source)} includes {url}", [self._loc(entry.node, "config.matcher entry")])
                undecided = undecided or entry
        if undecided is not None:
            why = "has/missing conditions" if undecided.conditional else undecided.problem
            return Verdict(
                UNKNOWN,
                f"config.matcher entry {_short(undecided.source)} ({why}) decides whether the middleware runs on {url}",
                [self._loc(undecided.node, "config.matcher entry")],
            )
        evidence = [self._loc(self._matcher_node, "config.matcher")] if self._matcher_node is not None else []
        return Verdict(SKIPPED, f"matcher excludes {url}", evidence)

    def protects(self, url: str) -> Verdict:
        """Whether the middleware, when it runs, stops a signed-out request to ``url``."""
        cached = self._protects_cache.get(url)
        if cached is None:
            cached = self._protects_cache[url] = self._protects(url)
        return cached

    def _protects(self, url: str) -> Verdict:
        if self._unknown_reason is not None:
            reason, node = self._unknown_reason
            return Verdict(UNKNOWN, reason, [self._loc(node, "not understood")] if node is not None else [])
        if self.kind == "none":
            if any(b.source.startswith("@clerk/") for b in self.facts.imports):
                return Verdict(UNKNOWN, f"{self.file.rel} uses Clerk but exports no recognised Clerk middleware")
            return Verdict(PUBLIC, f"{self.file.rel} has no Clerk middleware")
        if self.kind == "withClerkMiddleware":
            return Verdict(PUBLIC, "withClerkMiddleware() only attaches auth; it protects no route", self._call_evidence())
        if self.kind == "authMiddleware":
            return self._auth_middleware(url)
        if self._handler is None:
            return Verdict(PUBLIC, "clerkMiddleware() has no handler, so it protects no route", self._call_evidence())
        return self._handler.evaluate(url)

    def _call_evidence(self) -> list[Location]:
        return [self._loc(self.call, self.kind)] if self.call is not None else []

    def _auth_middleware(self, url: str) -> Verdict:
        undecided: tuple[str, PatternEntry] | None = None
        for label, matcher in (("ignoredRoutes", self._ignored), ("publicRoutes", self._public)):
            if matcher is None:
                continue
            result, entry = matcher.match(url)
            if result is True and entry is not None:
                if matcher.label == "default ignoredRoutes":
                    return Verdict(PUBLIC, f"authMiddleware ignores {url} by default (static files and _next)", self._call_evidence())
                return Verdict(PUBLIC, f"{label} lists {_short(entry.source)}", [self._loc(entry.node, f"{label} entry")])
            if result is None and entry is not None and undecided is None:
                undecided = (label, entry)
        if undecided is not None:
            label, entry = undecided
            return Verdict(UNKNOWN, f"{label} entry {_short(entry.source)} ({entry.problem}) may make {url} public", [self._loc(entry.node, f"{label} entry")])
        return Verdict(PROTECTED, "authMiddleware protects every route not in publicRoutes", self._call_evidence())

    def verdict(self, url: str) -> Verdict:
        """runs_on and protects combined for one URL."""
        runs = self.runs_on(url)
        if runs.state == SKIPPED:
            return Verdict(PUBLIC, runs.reason, runs.evidence)
        protection = self.protects(url)
        if protection.state == PUBLIC:
            return protection
        if runs.state == RUNS and protection.state == PROTECTED:
            return protection
        return runs if runs.state == UNKNOWN else protection

    def route_verdict(self, segments: Sequence[tuple[str, str]]) -> Verdict:
        """PROTECTED when every sample URL of the route is run on and protected, PUBLIC when some sample is
        not run on or public, UNKNOWN otherwise."""
        verdicts = [self.verdict(url) for url in samples(segments)]
        for verdict in verdicts:
            if verdict.state == PUBLIC:
                return verdict
        for verdict in verdicts:
            if verdict.state == UNKNOWN:
                return verdict
        return verdicts[0]


# -- building a Middleware ------------------------------------------------------------------------


def analyse(file: SourceFile, facts: JsFacts, clerk_major: int = NEWEST_CLERK_MAJOR) -> Middleware:
    """Analyse a ``middleware.*`` / ``proxy.*`` file. ``clerk_major`` is the ``@clerk/nextjs`` major in use."""
    mw = Middleware(file, facts, clerk_major)
    root = file.root
    mw.consts = _top_level_bindings(root)
    _find_middleware(mw, root)
    _read_config(mw, root)
    if mw.kind == "clerkMiddleware" and mw.call is not None and mw.call.type == "call_expression" and not mw.wrapped:
        _read_handler(mw)
    elif mw.kind == "authMiddleware" and mw.call is not None and not mw.wrapped:
        _read_auth_middleware(mw)
    if mw.wrapped and mw._unknown_reason is None:
        mw._unknown_reason = (f"the {mw.kind} is composed with custom code clerk-lint does not follow", mw.call)
    # route matchers defined anywhere in the file (for other rules), even when not referenced by the handler
    for node in walk(root):
        if node.type == "call_expression" and mw._is_create_route_matcher(node.child_by_field_name("function")):
            label = None
            parent = node.parent
            if parent is not None and parent.type == "variable_declarator":
                name = parent.child_by_field_name("name")
                label = text(name) if name is not None else None
            mw._route_matcher(node, label)
    _classify_public_matchers(mw)
    return mw


_EXPORT_NAMES = ("middleware", "proxy", "default")


def _exports(mw: Middleware, root: Node) -> dict[str, Node]:
    found: dict[str, Node] = {}
    for statement in _named(root):
        if statement.type != "export_statement":
            continue
        is_default = any(child.type == "default" for child in statement.children)
        declaration = statement.child_by_field_name("declaration")
        value = statement.child_by_field_name("value")
        source = statement.child_by_field_name("source")
        if is_default:
            target = value or declaration
            if target is not None:
                found["default"] = target
            continue
        if declaration is not None:
            if declaration.type in ("function_declaration", "generator_function_declaration"):
                name = text(declaration.child_by_field_name("name"))
                if name in _EXPORT_NAMES:
                    found[name] = declaration
            elif declaration.type in ("lexical_declaration", "variable_declaration"):
                for declarator in _named(declaration):
                    name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                    if name is not None and text(name) in _EXPORT_NAMES and declarator.child_by_field_name("value") is not None:
                        found[text(name)] = declarator.child_by_field_name("value")
            continue
        for clause in _named(statement):
            if clause.type != "export_clause":
                continue
            for spec in _named(clause):
                if spec.type != "export_specifier":
                    continue
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias") or name
                exported = _key_name(alias) if alias is not None else None
                if exported in _EXPORT_NAMES and name is not None:
                    if source is not None:
                        mw._unknown_reason = (f"the middleware is re-exported from {_js_string(source)}", statement)
                    else:
                        found[exported] = name
    return found


def _find_middleware(mw: Middleware, root: Node) -> None:
    exports = _exports(mw, root)
    stem = mw.file.path.name.split(".")[0]
    order = [stem] if stem in ("middleware", "proxy") else []
    order += [n for n in ("middleware", "proxy", "default") if n not in order]
    # Next.js uses the named export over the default one.
    chosen = next((exports[name] for name in order if name in exports), None)
    if chosen is not None and _resolve_export(mw, chosen):
        return
    # Not understood: is Clerk's middleware used somewhere in the file at all?
    for node in walk(root):
        if node.type == "call_expression":
            name = mw._clerk_middleware_name(node.child_by_field_name("function"))
            if name is not None:
                mw.kind, mw.call, mw.wrapped = name, node, True
                return
        elif node.type == "identifier":
            parent = node.parent
            if parent is not None and parent.type in ("import_specifier", "namespace_import", "import_clause"):
                continue
            name = mw._clerk_middleware_name(node)
            if name is not None:
                mw.kind, mw.call, mw.wrapped = name, node, True
                return


def _resolve_export(mw: Middleware, node: Node) -> bool:
    """Follow the exported expression to a Clerk middleware. True when found (sets kind/call/wrapped)."""
    current = _unwrap(node)
    for _ in range(_MAX_RESOLVE):
        if current is None:
            return False
        t = current.type
        if t == "identifier":
            name = mw._clerk_middleware_name(current)
            if name is not None:  # export default clerkMiddleware
                mw.kind, mw.call = name, current
                return True
            target = mw.consts.get(text(current))
            if target is None:
                return False
            current = _unwrap(target)
            continue
        if t == "call_expression":
            fn = _unwrap(current.child_by_field_name("function"))
            name = mw._clerk_middleware_name(fn)
            if name is not None:
                mw.kind, mw.call = name, current
                return True
            if fn is not None and fn.type == "call_expression":  # clerkMiddleware(cb)(req, event)
                name = mw._clerk_middleware_name(fn.child_by_field_name("function"))
                if name is not None:
                    mw.kind, mw.call = name, fn
                    return True
            return _search_inside(mw, current)
        if t in _FUNCTIONS:
            body = current.child_by_field_name("body")
            returned = None
            if body is not None and body.type != "statement_block":
                returned = body
            elif body is not None:
                statements = _named(body)
                if len(statements) == 1 and statements[0].type == "return_statement":
                    returned = (_named(statements[0]) or [None])[0]
            inner, _ = _unwrap_await(returned)
            if inner is not None and inner.type == "call_expression":
                fn = _unwrap(inner.child_by_field_name("function"))
                if fn is not None and fn.type == "call_expression":
                    name = mw._clerk_middleware_name(fn.child_by_field_name("function"))
                    if name is not None:  # function middleware(req, ev) { return clerkMiddleware(cb)(req, ev) }
                        mw.kind, mw.call = name, fn
                        return True
            return _search_inside(mw, current)
        return False
    return False


def _search_inside(mw: Middleware, scope: Node) -> bool:
    for node in walk(scope):
        if node.type == "call_expression":
            name = mw._clerk_middleware_name(node.child_by_field_name("function"))
            if name is not None:
                mw.kind, mw.call, mw.wrapped = name, node, True
                return True
        elif node.type == "identifier":
            name = mw._clerk_middleware_name(node)
            if name is None:
                target = mw.consts.get(text(node))
                target = _unwrap(target)
                if target is not None and target.type == "call_expression":
                    name = mw._clerk_middleware_name(target.child_by_field_name("function"))
                    if name is not None:
                        mw.kind, mw.call, mw.wrapped = name, target, True
                        return True
                continue
            mw.kind, mw.call, mw.wrapped = name, node, True
            return True
    return False


def _read_handler(mw: Middleware) -> None:
    args = _named(mw.call.child_by_field_name("arguments"))
    if not args:
        return
    first = _unwrap(args[0])
    for _ in range(_MAX_RESOLVE):
        if first is not None and first.type == "identifier":
            target = mw.consts.get(text(first))
            if target is None:
                mw._unknown_reason = (f"the clerkMiddleware handler {text(first)} is defined in another module", args[0])
                return
            first = _unwrap(target)
            continue
        break
    if first is None:
        return
    if first.type in _FUNCTIONS:
        mw.handler = first
        mw._handler = _Handler(mw, first)
        mw.protect_call_info = mw._handler.protect_calls()
        mw.protect_calls = [(c.node, c.awaited) for c in mw.protect_call_info]
        if mw._handler.auth_name is None and _param_names(first):
            mw._unknown_reason = ("the clerkMiddleware handler destructures its auth parameter", first)
        return
    if first.type == "object":
        return  # clerkMiddleware(options): no handler
    mw._unknown_reason = (f"the clerkMiddleware handler {_snippet(first, 40)} cannot be followed", first)


def _read_auth_middleware(mw: Middleware) -> None:
    args = _named(mw.call.child_by_field_name("arguments")) if mw.call.type == "call_expression" else []
    options = _unwrap(args[0]) if args else None
    for _ in range(_MAX_RESOLVE):
        if options is not None and options.type == "identifier" and options.text is not None:
            target = mw.consts.get(text(options))
            if target is None:
                break
            options = _unwrap(target)
            continue
        break
    default_ignored = RouteMatcher("default ignoredRoutes", mw.call, [PatternEntry(_DEFAULT_IGNORED_ROUTES, mw.call, compile_pattern(_DEFAULT_IGNORED_ROUTES))])
    mw._ignored = default_ignored
    if options is None:
        return
    if options.type != "object":
        mw._unknown_reason = ("the authMiddleware options are not an object literal", options)
        return
    props, hidden = _object_props(options)
    if hidden:
        mw._unknown_reason = ("the authMiddleware options contain a spread or computed key", hidden[0])
        return
    for hook in ("afterAuth", "beforeAuth"):
        if hook in props:
            mw._unknown_reason = (f"authMiddleware {hook} decides access in code clerk-lint does not follow", props[hook][0])
    for key in ("publicRoutes", "ignoredRoutes"):
        if key not in props:
            continue
        prop, value = props[key]
        if value is None:  # a method: a function
            entries = [PatternEntry(key, prop, None, "a function entry")]
        else:
            entries = _pattern_entries(value, mw.consts, mw.facts, sensitive=False)
        matcher = RouteMatcher(key, prop, entries)
        if key == "publicRoutes":
            mw._public = matcher
        else:
            mw._ignored = matcher
        for entry in entries:
            if entry.pattern is not None or entry.node.type in _STRINGS:
                mw.public_patterns.append((entry.source, mw._loc(entry.node, f"{key} entry")))
                mw.public_entries.append(entry)


def _read_config(mw: Middleware, root: Node) -> None:
    config: Node | None = None
    for statement in _named(root):
        if statement.type != "export_statement" or any(c.type == "default" for c in statement.children):
            continue
        declaration = statement.child_by_field_name("declaration")
        if declaration is not None and declaration.type in ("lexical_declaration", "variable_declaration"):
            for declarator in _named(declaration):
                name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                if name is not None and text(name) == "config":
                    config = declarator.child_by_field_name("value")
        elif declaration is None and statement.child_by_field_name("source") is None:
            for clause in _named(statement):
                for spec in _named(clause) if clause.type == "export_clause" else []:
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias") or name
                    if alias is not None and _key_name(alias) == "config" and name is not None:
                        config = name
    if config is None:
        return

    def opaque(node: Node, problem: str) -> None:
        mw._matcher_state, mw._matcher_node, mw._matcher_problem = "opaque", node, problem

    value = _unwrap(config)
    for _ in range(_MAX_RESOLVE):
        if value is not None and value.type == "identifier" and text(value) in mw.consts:
            value = _unwrap(mw.consts[text(value)])
            continue
        break
    if value is None or value.type != "object":
        opaque(config, "the exported config is not an object literal, so where the middleware runs is unknown")
        return
    matcher: Node | None = None
    hidden_after = False
    for child in _named(value):
        if child.type == "pair" and _key_name(child.child_by_field_name("key")) == "matcher":
            matcher, hidden_after = child.child_by_field_name("value"), False
        elif child.type == "shorthand_property_identifier" and text(child) == "matcher":
            matcher, hidden_after = child, False
        elif child.type in ("spread_element",) or (child.type == "pair" and _key_name(child.child_by_field_name("key")) is None):
            hidden_after = True
    if matcher is None:
        if hidden_after:
            opaque(value, "config is built with a spread, so where the middleware runs is unknown")
        return
    if hidden_after:
        opaque(value, "config.matcher may be overridden by a spread")
        return
    mw._matcher_node = matcher
    node = _unwrap(matcher)
    for _ in range(_MAX_RESOLVE):
        if node is not None and node.type in ("identifier", "shorthand_property_identifier") and text(node) in mw.consts:
            node = _unwrap(mw.consts[text(node)])
            continue
        break
    if node is None or (node.type not in _STRINGS and node.type != "array"):
        opaque(matcher, "config.matcher is not a literal, so where the middleware runs is unknown")
        return
    mw._matcher_state = "entries"
    stack: list[tuple[Node, int]] = [(node, 0)]
    entries: list[PatternEntry] = []
    while stack:
        current, depth = stack.pop()
        raw = current
        current = _unwrap(current)
        if current is None:
            continue
        if current.type == "array" and depth == 0:
            for element in reversed(_named(current)):
                stack.append((element, depth + 1))
            continue
        if current.type == "spread_element" and depth < _MAX_RESOLVE:
            inner = _unwrap((_named(current) or [None])[0])
            if inner is not None and inner.type == "identifier" and text(inner) in mw.consts:
                target = _unwrap(mw.consts[text(inner)])
                if target is not None and target.type == "array":
                    for element in reversed(_named(target)):
                        stack.append((element, depth + 1))
                    continue
        if current.type == "identifier" and text(current) in mw.consts and depth < _MAX_RESOLVE:
            stack.append((mw.consts[text(current)], depth + 1))
            continue
        entries.append(_matcher_entry(current if current is not None else raw, raw))
    mw._matcher_list = entries
    for entry in entries:
        mw.matcher_entries.append((entry.source, mw._loc(entry.node, "config.matcher entry")))


def _matcher_entry(node: Node, raw: Node) -> PatternEntry:
    conditional = False
    source_node = node
    if node.type == "object":
        props, hidden = _object_props(node)
        if "source" not in props or props["source"][1] is None:
            return PatternEntry(_snippet(raw, 80), raw, None, "an object without a literal source")
        source_node = props["source"][1]
        conditional = "has" in props or "missing" in props or bool(hidden)
    value = _js_string(source_node)
    if value is None:
        return PatternEntry(_snippet(raw, 80), raw, None, "a value clerk-lint cannot evaluate")
    if not value.startswith("/"):
        return PatternEntry(value, source_node, None, "a matcher that does not start with /", conditional)
    pattern = compile_pattern(value, sensitive=True)
    return PatternEntry(value, source_node, pattern, "" if pattern is not None else "invalid or unsafe pattern", conditional)


def _classify_public_matchers(mw: Middleware) -> None:
    """Route matchers used as allow-lists (``if (!isPublic(req)) protect`` / ``if (isPublic(req)) return``):
    their entries go to ``public_patterns``."""
    handler = mw._handler
    if handler is None or handler.body is None:
        return
    public: list[RouteMatcher] = []
    for node in _descendants(handler.body):
        if node.type not in ("if_statement", "binary_expression", "ternary_expression"):
            continue
        if node.type == "binary_expression" and _operator(node) not in ("&&", "||"):
            continue
        if node.type == "if_statement":
            condition = node.child_by_field_name("condition")
            consequence = node.child_by_field_name("consequence")
            negate = False
        elif node.type == "ternary_expression":
            condition = node.child_by_field_name("condition")
            consequence = node.child_by_field_name("consequence")
            negate = False
        else:
            condition = node.child_by_field_name("left")
            consequence = node.child_by_field_name("right")
            negate = _operator(node) == "||"
        if condition is None or consequence is None:
            continue
        calls = [(call, negated, handler.matcher(call.child_by_field_name("function"))) for call, negated in _matcher_calls(condition)]
        calls = [(call, negated, matcher) for call, negated, matcher in calls if matcher is not None]
        if not calls:
            continue  # only conditions on route matchers matter; skipping the rest keeps this linear
        protects = handler.denies(consequence)
        returns_early = consequence.type == "return_statement" or (
            consequence.type == "statement_block" and any(c.type == "return_statement" for c in _named(consequence))
        )
        for call, negated, matcher in calls:
            polarity = negated != negate
            if (protects and polarity) or (returns_early and not protects and not polarity):
                if all(matcher is not m for m in public):
                    public.append(matcher)
    for matcher in public:
        for entry in matcher.entries:
            mw.public_patterns.append((entry.source, mw._loc(entry.node, "public route matcher entry")))
            mw.public_entries.append(entry)


def _matcher_calls(condition: Node) -> list[tuple[Node, bool]]:
    """Calls inside a condition with their polarity (odd number of ``!`` above them)."""
    found = []
    stack: list[tuple[Node, bool, int]] = [(condition, False, 0)]
    while stack:
        node, negated, depth = stack.pop()
        if depth > _MAX_COND_DEPTH:
            continue
        node = _unwrap(node)
        if node is None:
            continue
        if node.type == "unary_expression" and _operator(node) == "!":
            stack.append((node.child_by_field_name("argument"), not negated, depth + 1))
        elif node.type == "binary_expression" and _operator(node) in ("&&", "||"):
            stack.append((node.child_by_field_name("left"), negated, depth + 1))
            stack.append((node.child_by_field_name("right"), negated, depth + 1))
        elif node.type == "call_expression":
            found.append((node, negated))
    return found


# =================================================================================================
# 4. Which middleware file Next.js loads
# =================================================================================================

#: Next.js builds middleware/proxy file names from ``pageExtensions`` (default below), so ``middleware.mjs``
#: or ``middleware.mts`` are not loaded unless next.config adds those extensions.
DEFAULT_PAGE_EXTENSIONS = ("tsx", "ts", "jsx", "js")
_SCRIPT_EXTENSIONS = ("tsx", "ts", "jsx", "js", "mjs", "mts", "cjs", "cts")
_STEMS = ("middleware", "proxy")
_LOOK_IN = ("", "src", "app", "src/app", "pages", "src/pages")


@dataclass(frozen=True)
class MiddlewareLocation:
    """Which middleware/proxy file Next.js loads for an app, and which files it ignores."""

    expected_dir: str  # "" (project root) or "src"
    loaded: str | None  # the file Next.js runs, relative to the app root
    candidates: tuple[str, ...]  # correctly placed files (several = a conflict)
    misplaced: tuple[tuple[str, str], ...]  # (file, why Next.js ignores it)
    conflict: str | None = None  # why several candidates are a problem
    deprecated: tuple[tuple[str, str], ...] = ()  # (file, note): middleware.* on Next.js 16+


def _split_name(name: str, extensions: Iterable[str]) -> tuple[str, str] | None:
    for stem in _STEMS:
        for ext in sorted(extensions, key=len, reverse=True):
            if name == f"{stem}.{ext}":
                return stem, ext
    return None


def locate_middleware(
    present: Iterable[str | PurePosixPath],
    *,
    app_dir_in_src: bool,
    next_major: int | None,
    page_extensions: Sequence[str] = DEFAULT_PAGE_EXTENSIONS,
) -> MiddlewareLocation:
    """Given middleware/proxy files present (paths relative to the app root, ``/``-separated), say which one
    Next.js loads. Next looks beside the ``app``/``pages`` folder: the project root, or ``src/`` when the app
    lives in ``src/app`` or ``src/pages``; ``proxy.*`` only on Next.js 16+ (an unknown ``next_major`` is taken
    as the newest); both ``middleware`` and ``proxy`` fail the build on 16+."""
    expected = "src" if app_dir_in_src else ""
    extensions = tuple(page_extensions)
    proxy_ok = next_major is None or next_major >= 16
    candidates: list[tuple[str, str, str]] = []  # (path, stem, ext)
    misplaced: list[tuple[str, str]] = []
    deprecated: list[tuple[str, str]] = []
    for item in present:
        path = PurePosixPath(str(item))
        split = _split_name(path.name, set(_SCRIPT_EXTENSIONS) | set(extensions))
        if split is None:
            continue
        stem, ext = split
        directory = "" if str(path.parent) == "." else path.parent.as_posix()
        rel = path.as_posix()
        want = f"{expected}/{stem}.ts" if expected else f"{stem}.ts"
        if directory not in _LOOK_IN:
            continue  # some other module named middleware (lib/, server/, ...)
        if directory != expected:
            if directory in ("app", "src/app", "pages", "src/pages"):
                why = f"Next.js does not load {stem} files from inside {directory}/; move it to {want}"
            elif directory == "" and expected == "src":
                why = f"the app lives in src/, so Next.js loads src/{path.name}, not {rel}"
            else:
                why = f"the app lives at the project root, so Next.js loads {path.name}, not {rel}"
            misplaced.append((rel, why))
            continue
        if ext not in extensions:
            misplaced.append((rel, f"Next.js only loads {stem} files with the page extensions ({', '.join(extensions)}); {rel} is never run"))
            continue
        if stem == "proxy" and not proxy_ok:
            misplaced.append((rel, f"proxy files are only loaded by Next.js 16 and later (this app uses next {next_major}); rename it to middleware.{ext}"))
            continue
        candidates.append((rel, stem, ext))
        if stem == "middleware" and next_major is not None and next_major >= 16:
            deprecated.append((rel, "the middleware file convention is deprecated on Next.js 16; rename it to proxy"))
    conflict = None
    loaded = None
    if candidates:
        stems = {stem for _, stem, _ in candidates}
        if len(stems) > 1:
            conflict = "Next.js 16 refuses to build with both a middleware and a proxy file"
        else:
            ordered = sorted(candidates, key=lambda c: extensions.index(c[2]))
            loaded = ordered[0][0]
            if len(candidates) > 1:
                names = ", ".join(c[0] for c in ordered)
                conflict = f"several {ordered[0][1]} files ({names}); Next.js runs only one of them"
    return MiddlewareLocation(
        expected_dir=expected,
        loaded=loaded,
        candidates=tuple(c[0] for c in candidates),
        misplaced=tuple(misplaced),
        conflict=conflict,
        deprecated=tuple(deprecated),
    )


def middleware_candidates(
    app_root: Path,
    app_dir_in_src: bool,
    next_major: int | None,
    page_extensions: Sequence[str] = DEFAULT_PAGE_EXTENSIONS,
) -> MiddlewareLocation:
    """:func:`locate_middleware` over the middleware/proxy files found in the places Next.js (or a confused
    developer) puts them: the app root, ``src/``, ``app/``, ``src/app/``, ``pages/``, ``src/pages/``."""
    present: list[str] = []
    names = {f"{stem}.{ext}" for stem in _STEMS for ext in set(_SCRIPT_EXTENSIONS) | set(page_extensions)}
    for directory in _LOOK_IN:
        folder = app_root / directory if directory else app_root
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name in names and entry.is_file():
                        present.append(f"{directory}/{entry.name}" if directory else entry.name)
        except OSError:
            continue
    return locate_middleware(sorted(present), app_dir_in_src=app_dir_in_src, next_major=next_major, page_extensions=page_extensions)
