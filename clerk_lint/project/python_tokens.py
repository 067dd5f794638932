"""Token handling in Python: how JWTs are decoded and how Clerk's verification results are used.

Shared by CLK503 (unverified-jwt), CLK504 (missing-authorized-parties), CLK505
(unenforced-auth-result) and the Python form of CLK205 (unawaited-guard: ``authenticate_request_async``
without ``await``).
Each function takes one file and returns :class:`TokenIssue` s; names are resolved through
:class:`~clerk_lint.project.python.PyModel` (aliases, ``from jose import jwt``, re-exports).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tree_sitter import Node

from clerk_lint.findings import Confidence, Level
from clerk_lint.parsing import captures, string_value, text
from clerk_lint.project.python import CLASS, FUNCTION, dotted_parts, keyword, positional
from clerk_lint.project.python_guards import _parameter, _short, unverified_decode
from clerk_lint.source import SourceFile

if TYPE_CHECKING:
    from clerk_lint.project import Project


@dataclass(frozen=True)
class TokenIssue:
    node: Node
    message: str
    level: Level | None = None
    confidence: Confidence | None = None


CALL_QUERY = "(call function: (_) @fn arguments: (argument_list) @args) @call"
#: calls by name (the last part of the callee), so only the calls a check cares about are visited
NAMED_CALL_QUERY = """
(call
  function: [(identifier) @name (attribute attribute: (identifier) @name)] @fn
  arguments: (argument_list) @args
  (#any-of? @name {names})) @call
"""
IDENT_QUERY = "(identifier) @id"
FUNCTION_QUERY = "(function_definition) @fn"

#: what a decoded token's identity is read as
IDENTITY_KEYS = frozenset({"sub", "user_id", "userId", "uid", "org_id", "orgId", "sid", "id"})
#: a verification earlier in the same function: an unverified decode after it reads a checked token
VERIFIED_BEFORE = re.compile(rb"authenticate_request|verify_token|is_signed_in|is_authenticated|\.verify\(|algorithms\s*=")
LOG_ROOTS = frozenset({"print", "logger", "logging", "log", "_logger", "LOGGER", "console", "structlog", "warnings"})
CHECK_ATTRS = frozenset({"is_signed_in", "is_authenticated", "status", "reason", "message", "is_signed_out"})
PYJWT_DECODES = ("jwt.decode", "jwt.decode_complete", "jwt.api_jwt.decode", "jwt.api_jwt.decode_complete")
JOSE_DECODES = ("jose.jwt.decode",)
UNVERIFIED_CLAIMS = ("jose.jwt.get_unverified_claims", "jwt.get_unverified_claims")
ALG_FROM_HEADER = re.compile(r"""\[\s*['"]alg['"]\s*\]|\.get\(\s*['"]alg['"]""")


def _calls(file: SourceFile, *names: str):
    """(pattern, captures) of the calls of ``file`` whose callee's last name is one of ``names``."""
    from clerk_lint.parsing import matches

    query = NAMED_CALL_QUERY.replace("{names}", " ".join(f'"{n}"' for n in sorted(names)))
    return matches(file.grammar, query, file.root)


def _qualified(project: "Project", file: SourceFile, callee: Node) -> str:
    return project.python.facts(file).qualified(callee) or ""


def _enclosing_function(node: Node) -> Node | None:
    current = node.parent
    for _ in range(1024):
        if current is None:
            return None
        if current.type in ("function_definition", "lambda"):
            return current
        current = current.parent
    return None


def _statement_of(node: Node) -> Node:
    current = node
    for _ in range(256):
        parent = current.parent
        if parent is None or parent.type in ("block", "module"):
            return current
        current = parent
    return current


# -- CLK503 unverified-jwt -------------------------------------------------------------------------


def unverified_jwt(project: "Project", file: SourceFile) -> list[TokenIssue]:
    data = file.data
    if b"decode" not in data and b"unverified" not in data and b"ClerkConfig" not in data:
        return []
    issues: list[TokenIssue] = []
    pyjwt_major = _pyjwt_major(project, file)
    for _, match in _calls(file, "decode", "decode_complete", "get_unverified_claims", "ClerkConfig"):
        call, callee, args = match["call"][0], match["fn"][0], match["args"][0]
        qualified = _qualified(project, file, callee)
        parts = dotted_parts(callee)
        if qualified in PYJWT_DECODES or qualified in JOSE_DECODES:
            jose = qualified in JOSE_DECODES
            why = unverified_decode(call)
            if why:
                use = _identity_use(file, call)
                if use and not _verified_before(call):
                    issues.append(TokenIssue(call, f"`{_short(callee)}()` with {why} accepts any token, forged ones included, and {use}; verify it (a Clerk SDK `authenticate_request()`, or `jwt.decode(token, key, algorithms=[\"RS256\"])` with Clerk's JWKS)"))
                continue
            algorithms = keyword(args, "algorithms")
            if algorithms is not None and ALG_FROM_HEADER.search(text(algorithms)):
                issues.append(TokenIssue(algorithms, "`algorithms` is taken from the token's own header, so the token picks how it is checked (an `HS256` token signed with the public key passes); pin `algorithms=[\"RS256\"]`"))
            elif algorithms is None and len(positional(args)) < 3 and (jose or pyjwt_major is not None and pyjwt_major < 2):
                lib = "python-jose" if jose else f"PyJWT {pyjwt_major}.x"
                issues.append(TokenIssue(call, f"`{_short(callee)}()` without `algorithms`: {lib} then accepts whatever algorithm the token names; pin `algorithms=[\"RS256\"]`", Level.WARNING))
            options = keyword(args, "options")
            if options is not None and options.type == "dictionary":
                for pair in options.named_children:
                    if pair.type == "pair" and string_value(pair.child_by_field_name("key")) in ("verify_exp", "verify_nbf") and text(pair.child_by_field_name("value")) == "False":
                        claim = string_value(pair.child_by_field_name("key"))[7:]
                        issues.append(TokenIssue(pair, f"`{string_value(pair.child_by_field_name('key'))}: False` accepts {'expired' if claim == 'exp' else 'not-yet-valid'} tokens forever: a leaked session token never stops working; keep the `{claim}` check (Clerk session tokens live about a minute)"))
        elif qualified in UNVERIFIED_CLAIMS or parts[-1:] == ["get_unverified_claims"]:
            use = _identity_use(file, call)
            if use:
                issues.append(TokenIssue(call, f"`{_short(callee)}()` reads the claims without checking the signature, and {use}; anyone can write those claims; verify the token first"))
        elif parts[-1:] == ["ClerkConfig"]:
            verify_exp = keyword(args, "verify_exp")
            if verify_exp is not None and text(verify_exp) == "False":
                issues.append(TokenIssue(verify_exp.parent, "`ClerkConfig(verify_exp=False)` makes fastapi-clerk-auth accept expired session tokens forever; remove it"))
    return issues


def _verified_before(call: Node) -> bool:
    """The same function verified the request before decoding without verification (it reads the
    claims of a token that was already checked)."""
    function = _enclosing_function(call)
    if function is None:
        return False
    body = function.child_by_field_name("body")
    if body is None:
        return False
    return VERIFIED_BEFORE.search((function.text or b"")[: call.start_byte - function.start_byte]) is not None


def _pyjwt_major(project: "Project", file: SourceFile) -> int | None:
    sdk = project.sdk(file, "pyjwt")
    return sdk.major if sdk.known else None


def _identity_use(file: SourceFile, call: Node) -> str:
    """How a decoded (unverified) token's claims are used for identity: "" when they are only logged
    or read for their expiry."""
    node = call
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "await"):
        node, parent = parent, parent.parent
    if parent is None:
        return ""
    if parent.type == "subscript" and parent.child_by_field_name("value") == node:
        key = string_value(parent.child_by_field_name("subscript"))
        return f"its `{key}` claim is used" if key not in ("exp", "iat", "nbf") else ""
    if parent.type == "attribute" and text(parent.child_by_field_name("attribute")) == "get":
        return "its claims are used"
    if parent.type == "return_statement":
        return "the claims are returned to the caller as the identity"
    if parent.type == "assignment":
        left = parent.child_by_field_name("left")
        if left is None or left.type != "identifier":
            return "the claims are stored"
        return _variable_identity_use(file, text(left), parent)
    if parent.type in ("argument_list", "keyword_argument"):
        return "the claims are passed on"
    return ""


def _variable_identity_use(file: SourceFile, name: str, assignment: Node) -> str:
    function = _enclosing_function(assignment)
    scope = function.child_by_field_name("body") if function is not None else file.root
    if scope is None:
        return ""
    for ident in captures(file.grammar, IDENT_QUERY, scope).get("id", ()):
        if ident.start_byte <= assignment.start_byte or text(ident) != name:
            continue
        parent = ident.parent
        if parent is None:
            continue
        if parent.type == "subscript" and parent.child_by_field_name("value") == ident:
            key = string_value(parent.child_by_field_name("subscript"))
            if key in IDENTITY_KEYS or key is None:
                return f"its `{key or '…'}` claim is used as the identity"
            continue
        if parent.type == "attribute" and parent.child_by_field_name("object") == ident:
            if text(parent.child_by_field_name("attribute")) == "get" and parent.parent is not None and parent.parent.type == "call":
                first = positional(parent.parent.child_by_field_name("arguments"))
                key = string_value(first[0]) if first else None
                if key in IDENTITY_KEYS:
                    return f"its `{key}` claim is used as the identity"
            continue
        if parent.type == "return_statement":
            return "the claims are returned to the caller as the identity"
        if parent.type in ("argument_list",):
            if _inside_log(parent):
                continue
            return "the claims are passed on"
    return ""


def _inside_log(node: Node) -> bool:
    """Whether ``node`` is (nested) in the arguments of a logging call: ``print(json.dumps(claims))``."""
    current = node
    for _ in range(16):
        if current is None or current.type in ("block", "module", "expression_statement", "assignment", "return_statement"):
            return False
        if current.type == "call":
            root = dotted_parts(current.child_by_field_name("function"))[:1]
            if root and root[0] in LOG_ROOTS:
                return True
        current = current.parent
    return False


# -- CLK504 missing-authorized-parties -------------------------------------------------------------


def missing_authorized_parties(project: "Project", file: SourceFile) -> list[TokenIssue]:
    data = file.data
    if b"Options" not in data and b"decode" not in data:
        return []
    issues: list[TokenIssue] = []
    manual = None
    for _, match in _calls(file, "AuthenticateRequestOptions", "VerifyTokenOptions", "decode", "decode_complete"):
        call, callee, args = match["call"][0], match["fn"][0], match["args"][0]
        parts = dotted_parts(callee)
        name = parts[-1] if parts else ""
        if name in ("AuthenticateRequestOptions", "VerifyTokenOptions"):
            if any(a.type == "dictionary_splat" for a in args.named_children):
                continue
            parties = keyword(args, "authorized_parties")
            if parties is None:
                issues.append(TokenIssue(call, f"`{name}()` without `authorized_parties`: Clerk then accepts a session token minted for any origin (the `azp` claim is not checked); list your front end's origins"))
            elif text(parties) == "None":
                issues.append(TokenIssue(parties.parent, "`authorized_parties=None` turns the `azp` check off; list your front end's origins"))
            continue
        if name in ("decode", "decode_complete"):
            qualified = _qualified(project, file, callee)
            if qualified not in PYJWT_DECODES and qualified not in JOSE_DECODES or unverified_decode(call):
                continue
            audience = keyword(args, "audience")
            if audience is not None and text(audience) != "None":
                continue  # a JWT-template token bound to this API by its audience
            if manual is None:
                manual = _clerk_token_file(project, file)
            if not manual:
                continue
            function = _enclosing_function(call)
            scope = function if function is not None else file.root
            if b"azp" in (scope.text or b"") or b"authorized_part" in (scope.text or b"").lower():
                continue
            issues.append(TokenIssue(call, "Clerk session token verified by hand without checking its `azp` (authorized party) claim: a token minted for another origin is accepted; compare `claims[\"azp\"]` with your front end's origins", Level.WARNING, Confidence.MEDIUM))
    return issues


def _clerk_token_file(project: "Project", file: SourceFile) -> bool:
    """A file that verifies Clerk tokens by hand: it names Clerk (a JWKS URL, a ``CLERK_`` setting)."""
    return re.search(rb"clerk", file.data, re.I) is not None and project.python.uses_clerk(file)


# -- CLK505 unenforced-auth-result -----------------------------------------------------------------


def unenforced_results(project: "Project", file: SourceFile) -> list[TokenIssue]:
    issues: list[TokenIssue] = []
    data = file.data
    if b"authenticate_request" in data:
        for _, match in _calls(file, "authenticate_request", "authenticate_request_async"):
            call, callee = match["call"][0], match["fn"][0]
            parts = dotted_parts(callee)
            if parts[-1:] not in (["authenticate_request"], ["authenticate_request_async"]):
                continue
            if parts[-1] == "authenticate_request_async" and (call.parent is None or call.parent.type != "await"):
                continue  # CLK205
            problem = _result_problem(file, call)
            if problem:
                issues.append(TokenIssue(call, problem))
    if b"Depends" in data or b"Security" in data:
        issues.extend(_lenient_bearers(project, file))
    return issues


def _result_problem(file: SourceFile, call: Node) -> str:
    node = call
    parent = node.parent
    while parent is not None and parent.type in ("await", "parenthesized_expression"):
        node, parent = parent, parent.parent
    if parent is None:
        return ""
    if parent.type == "expression_statement":
        return "the result of `authenticate_request()` is thrown away: it never refuses a request by itself; check `if not state.is_signed_in:` and answer 401"
    if parent.type != "assignment" or parent.child_by_field_name("left") is None or parent.child_by_field_name("left").type != "identifier":
        return ""
    name = text(parent.child_by_field_name("left"))
    function = _enclosing_function(parent)
    scope = function.child_by_field_name("body") if function is not None else file.root
    if scope is None:
        return ""
    used = False
    for ident in captures(file.grammar, IDENT_QUERY, scope).get("id", ()):
        if ident.start_byte <= parent.start_byte or text(ident) != name:
            continue
        kind = _use_kind(ident)
        if kind == "logged":
            used = used or False
            continue
        return ""  # tested, returned, passed on, or read (a signed-out state has no payload: fails closed)
    _ = used
    return f"`{name}` holds the result of `authenticate_request()` but is never checked (only logged, or not used): signed-out requests go through; check `if not {name}.is_signed_in:` and answer 401"


def _use_kind(ident: Node) -> str:
    """How one mention of a name is used: "logged" (an argument of print/logger) or "used"."""
    node = ident
    for _ in range(64):
        parent = node.parent
        if parent is None or parent.type in ("block", "module", "expression_statement"):
            return "used"
        if parent.type == "argument_list":
            call = parent.parent
            root = dotted_parts(call.child_by_field_name("function"))[:1] if call is not None else []
            if root and root[0] in LOG_ROOTS:
                return "logged"
            return "used"
        if parent.type in ("if_statement", "while_statement", "assert_statement", "return_statement", "comparison_operator", "not_operator", "boolean_operator", "conditional_expression", "assignment"):
            return "used"
        node = parent
    return "used"


def _lenient_bearers(project: "Project", file: SourceFile) -> list[TokenIssue]:
    """Functions that depend on ``ClerkHTTPBearer(auto_error=False)`` and never look at
    ``credentials.decoded``: an invalid or forged token still yields a credentials object."""
    issues = []
    guards = project.python.guards
    for function in captures(file.grammar, FUNCTION_QUERY, file.root).get("fn", ()):
        params = function.child_by_field_name("parameters")
        if params is None or (b"Depends" not in (params.text or b"") and b"Security" not in (params.text or b"")):
            continue
        for param in params.named_children:
            name, annotation, default = _parameter(param)
            lenient = [(f, d) for f, d in guards.param_depends(file, param) if guards.depends(f, d).lenient] if name is not None else []
            if not lenient:
                continue
            default = lenient[0][1] if lenient[0][0] is file else (default or name)
            body = function.child_by_field_name("body")
            if body is None:
                continue
            param_name = text(name)
            mentions = [i for i in captures(file.grammar, IDENT_QUERY, body).get("id", ()) if text(i) == param_name]
            if not mentions:
                continue
            if any(i.parent is not None and i.parent.type == "attribute" and text(i.parent.child_by_field_name("attribute")) == "decoded" for i in mentions):
                continue
            issues.append(TokenIssue(default, f"`{param_name}` comes from a `ClerkHTTPBearer(auto_error=False)`, which returns credentials even for an invalid or forged token (with `decoded=None`); checking `{param_name}` for None lets those through: check `{param_name}.decoded` and use its claims"))
    return issues


# -- CLK205 (Python): authenticate_request_async without await --------------------------------------


ASYNC_AUTH = frozenset({"authenticate_request_async", "verify_token_async"})
HANDLERS = frozenset({"gather", "create_task", "wait_for", "run", "run_until_complete", "ensure_future", "shield", "wait", "as_completed"})


def unawaited_async_auth(project: "Project", file: SourceFile) -> list[TokenIssue]:
    if b"_async" not in file.data:
        return []
    issues = []
    model = project.python
    for _, match in _calls(file, *ASYNC_AUTH):
        call, callee = match["call"][0], match["fn"][0]
        parts = dotted_parts(callee)
        if not parts or parts[-1] not in ASYNC_AUTH:
            continue
        symbol = model.symbol(file, callee)
        if symbol.kind in (FUNCTION, CLASS) and symbol.node is not None and not any(c.type == "async" for c in symbol.node.children):
            continue  # a project function of that name that is not a coroutine
        message = _unawaited(file, call, parts[-1])
        if message:
            issues.append(TokenIssue(call, message))
    return issues


def _unawaited(file: SourceFile, call: Node, name: str) -> str:
    node = call
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        node, parent = parent, parent.parent
    if parent is None or parent.type == "await":
        return ""
    if parent.type == "return_statement":
        function = _enclosing_function(parent)
        if function is not None and any(c.type == "async" for c in function.children):
            return ""  # the caller awaits the coroutine
    if parent.type == "argument_list":
        outer = parent.parent
        parts = dotted_parts(outer.child_by_field_name("function")) if outer is not None else []
        if parts and parts[-1] in HANDLERS:
            return ""
    if parent.type == "expression_statement":
        return f"`{name}()` is not awaited: the coroutine never runs, so nothing is checked and the code after it serves the request; use `await`"
    if parent.type == "assignment" and parent.child_by_field_name("left") is not None and parent.child_by_field_name("left").type == "identifier":
        target = text(parent.child_by_field_name("left"))
        function = _enclosing_function(parent)
        scope = function.child_by_field_name("body") if function is not None else file.root
        for ident in captures(file.grammar, IDENT_QUERY, scope).get("id", ()) if scope is not None else ():
            if ident.start_byte <= parent.start_byte or text(ident) != target or ident.parent is None:
                continue
            if ident.parent.type in ("attribute", "not_operator", "if_statement", "boolean_operator", "comparison_operator", "subscript"):
                break  # read or tested before it is awaited
            if ident.parent.type in ("await", "return_statement"):
                return ""
            if ident.parent.type == "argument_list" and ident.parent.parent is not None:
                parts = dotted_parts(ident.parent.parent.child_by_field_name("function"))
                if parts and parts[-1] in HANDLERS:
                    return ""
        return (
            f"`{target}` holds the coroutine of `{name}()`, not its result, because it is not awaited: "
            f"a test such as `if not {target}:` is never true (a coroutine is truthy) and `{target}.is_signed_in` raises; use `await {name}(...)`"
        )
    return f"`{name}()` is not awaited: its value is a coroutine, not the request state; use `await`"


__all__ = [
    "TokenIssue", "unverified_jwt", "missing_authorized_parties", "unenforced_results", "unawaited_async_auth",
]
