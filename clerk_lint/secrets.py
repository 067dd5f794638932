"""What a Clerk secret looks like, what a placeholder looks like, and how to never print one.

Shared by the secret rules (CLK501, CLK502) and by every reporter that shows source text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

#: prefix -> (kind, whether it is only recognised with Clerk context on the line)
PREFIXES = {
    "sk_live_": ("production secret key", False),
    "sk_test_": ("development secret key", False),
    "whsec_": ("webhook signing secret", False),
    "ak_": ("machine API key", True),
    "mt_": ("machine token", True),
}

SECRET_RE = re.compile(
    r"(?<![A-Za-z0-9_])(?P<prefix>sk_live_|sk_test_|whsec_|ak_|mt_)(?P<body>[A-Za-z0-9+/=_-]{20,200})(?![A-Za-z0-9+/=_-])"
)
#: words that show a value is an example, not a key
PLACEHOLDER_WORDS = (
    "xxx", "your", "example", "placeholder", "dummy", "fake", "sample", "changeme", "change_me",
    "redacted", "replace", "insert", "here", "secret", "key", "test123", "0000", "1234", "abcd",
    "todo", "mock", "foobar", "lorem",
)
#: other services that use the same prefixes (Stripe's and Paystack's sk_live_, Svix-based whsec_
#: of Resend and others): not Clerk's business unless the line names Clerk too
OTHER_PROVIDERS = re.compile(r"stripe|paystack|lemon|paddle|resend|flutterwave|razorpay|svix_app|square|mollie|openai|anthropic", re.I)
#: Clerk secret keys are base62 of mixed case; Stripe's are much longer, Paystack's are hex
MAX_CLERK_KEY_BODY = 64
CLERK_CONTEXT = re.compile(r"clerk", re.I)


@dataclass(frozen=True)
class SecretMatch:
    start: int  # character offsets in the scanned text
    end: int
    prefix: str
    kind: str

    @property
    def live(self) -> bool:
        return self.prefix != "sk_test_"


def entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def is_placeholder(body: str) -> bool:
    lowered = body.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return True
    if not (re.search(r"[0-9]", body) and re.search(r"[A-Za-z]", body)):
        return True
    return entropy(body) < 3.5


def _looks_like_clerk_key(body: str) -> bool:
    return (
        re.fullmatch(r"[A-Za-z0-9]+", body) is not None
        and len(body) <= MAX_CLERK_KEY_BODY
        and re.search(r"[a-z]", body) is not None
        and re.search(r"[A-Z]", body) is not None
    )


def find_secrets(line: str) -> list[SecretMatch]:
    """Real-looking Clerk secrets in one line of text (placeholders and other providers' keys left out)."""
    if "_" not in line:
        return []
    found = []
    for match in SECRET_RE.finditer(line):
        prefix, body = match.group("prefix"), match.group("body")
        kind, needs_context = PREFIXES[prefix]
        if prefix.startswith("sk_") and not _looks_like_clerk_key(body):
            continue
        if is_placeholder(body):
            continue
        if OTHER_PROVIDERS.search(line) and not CLERK_CONTEXT.search(line):
            continue
        if needs_context and not CLERK_CONTEXT.search(line):
            continue
        found.append(SecretMatch(match.start(), match.end(), prefix, kind))
    return found


def redact(line: str) -> str:
    """``line`` with every secret-looking value (placeholders too) cut to its prefix."""
    if "_" not in line:
        return line
    return SECRET_RE.sub(lambda m: m.group("prefix") + "…" + "[redacted]", line)


# -- environment variable names ---------------------------------------------------------------------

PUBLIC_PREFIXES = ("NEXT_PUBLIC_", "VITE_", "PUBLIC_", "EXPO_PUBLIC_", "NUXT_PUBLIC_", "REACT_APP_", "GATSBY_")
_SECRET_WORDS = ("SECRET", "SIGNING", "ENCRYPTION", "API_KEY", "MACHINE")
_PUBLIC_WORDS = ("PUBLISHABLE", "JWT_KEY", "PEM_PUBLIC", "FRONTEND_API", "_URL", "PROXY", "DOMAIN", "SIGN_IN", "SIGN_UP")


def public_prefix(name: str) -> str | None:
    return next((p for p in PUBLIC_PREFIXES if name.startswith(p)), None)


def is_clerk_secret_name(name: str) -> bool:
    """``CLERK_SECRET_KEY``, ``NEXT_PUBLIC_CLERK_WEBHOOK_SIGNING_SECRET``... (public prefix ignored).
    Publishable keys and the JWT public key are public by design and never match."""
    upper = name.upper()
    if "CLERK" not in upper:
        return False
    if any(word in upper for word in _PUBLIC_WORDS):
        return False
    return any(word in upper for word in _SECRET_WORDS)
