"""Tests for clerk_lint.project.middleware: path patterns, URL samples, middleware analysis, file location."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from clerk_lint.project.js import js_facts
from clerk_lint.project.middleware import (
    PROTECTED,
    PUBLIC,
    RUNS,
    SKIPPED,
    UNKNOWN,
    analyse,
    compile_pattern,
    compile_regexp,
    coverage,
    locate_middleware,
    middleware_candidates,
    samples,
)
from clerk_lint.source import SourceFile

NEXT_MATCHER = (
    "/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)"
)
#: the same matcher as it is written inside a TS string literal
NEXT_MATCHER_TS = NEXT_MATCHER.replace("\\", "\\\\")
LEGACY_MATCHER = "/((?!.+\\.[\\w]+$|_next).*)"


# =================================================================================================
# 1. path patterns
# =================================================================================================

PATTERN_CASES = [
    # Clerk docs' examples
    ("/dashboard(.*)", "/dashboard", True),
    ("/dashboard(.*)", "/dashboard/", True),
    ("/dashboard(.*)", "/dashboard/settings/billing", True),
    ("/dashboard(.*)", "/dashboardxyz", True),  # the sibling match Clerk warns about (7.5.13)
    ("/dashboard(.*)", "/dash", False),
    ("/dashboard(.*)", "/x/dashboard", False),
    ("/forum(.*)", "/forum/thread/1", True),
    ("/forum(.*)", "/forums", True),
    ("/sign-in(.*)", "/sign-in", True),
    ("/sign-in(.*)", "/sign-in/sso-callback", True),
    ("/sign-in(.*)", "/sign-up", False),
    ("/api/:path*", "/api", True),
    ("/api/:path*", "/api/", True),
    ("/api/:path*", "/api/a", True),
    ("/api/:path*", "/api/a/b", True),
    ("/api/:path*", "/apix", False),
    ("/api/:path*", "/app/a", False),
    ("/api/:path+", "/api", False),
    ("/api/:path+", "/api/a/b", True),
    ("/api/:id", "/api/1", True),
    ("/api/:id", "/api", False),
    ("/api/:id", "/api/1/2", False),
    ("/api/:id?", "/api", True),
    ("/api/:id?", "/api/1", True),
    ("/api/:id(\\d+)", "/api/12", True),
    ("/api/:id(\\d+)", "/api/abc", False),
    ("/(api|trpc)(.*)", "/api", True),
    ("/(api|trpc)(.*)", "/api/users", True),
    ("/(api|trpc)(.*)", "/trpc/post.list", True),
    ("/(api|trpc)(.*)", "/apps", False),
    ("/(api|trpc)(.*)", "/", False),
    ("/__clerk/(.*)", "/__clerk/v1/client", True),
    ("/", "/", True),
    ("/", "/x", False),
    ("/(.*)", "/anything/at/all", True),
    ("/(.*)", "/", True),
    ("(.*)", "/x", True),
    # Next's recommended negative-lookahead matcher
    (NEXT_MATCHER, "/", True),
    (NEXT_MATCHER, "/dashboard", True),
    (NEXT_MATCHER, "/api/users", True),
    (NEXT_MATCHER, "/data.json", True),  # js(?!on): json is not a static file
    (NEXT_MATCHER, "/_next/static/chunk.js", False),
    (NEXT_MATCHER, "/logo.png", False),
    (NEXT_MATCHER, "/report.csv", False),
    (NEXT_MATCHER, "/fonts/a.woff2", False),
    (LEGACY_MATCHER, "/dashboard", True),
    (LEGACY_MATCHER, "/favicon.ico", False),
    (LEGACY_MATCHER, "/_next/image", False),
    # case and trailing slash (Clerk: sensitive false, strict false)
    ("/dashboard(.*)", "/DASHBOARD", True),
    ("/admin", "/Admin", True),
    ("/admin", "/admin/", True),
    ("/admin", "/admin//", False),
    # braces, escapes, prefixes
    ("/a{/:b}?", "/a", True),
    ("/a{/:b}?", "/a/x", True),
    ("/a{-:b}*", "/a-x-y", True),
    ("/files/:name.:ext", "/files/report.pdf", True),
    ("/files/:name.:ext", "/files/report", False),
    ("/a\\(b\\)", "/a(b)", True),
    ("/a\\(b\\)", "/ab", False),
    ("/:a-:b", "/x-y", True),
]


@pytest.mark.parametrize(("source", "url", "expected"), PATTERN_CASES)
def test_pattern_matches(source, url, expected):
    pattern = compile_pattern(source)
    assert pattern is not None, source
    assert pattern.matches(url) is expected


@pytest.mark.parametrize(
    ("source", "regex"),
    [
        ("/dashboard(.*)", "^\\/dashboard(.*)[\\/#\\?]?$"),
        ("/api/:path*", "^\\/api(?:\\/((?:[^\\/#\\?]+?)(?:\\/(?:[^\\/#\\?]+?))*))?[\\/#\\?]?$"),
        ("/(api|trpc)(.*)", "^(?:\\/(api|trpc))(.*)[\\/#\\?]?$"),
        ("/", "^\\/[\\/#\\?]?$"),
        ("/:a-:b", "^(?:\\/([^\\/#\\?]+?))-((?:(?!-)[^\\/#\\?])+?)[\\/#\\?]?$"),
    ],
)
def test_pattern_regex_source_is_path_to_regexp_v6(source, regex):
    # the regular expressions path-to-regexp 6.3 (bundled by Clerk) generates for these patterns
    assert compile_pattern(source).regex == regex


def test_next_matcher_is_case_sensitive_but_clerk_is_not():
    assert compile_pattern("/Admin(.*)").matches("/admin/x")
    assert not compile_pattern("/Admin(.*)", sensitive=True).matches("/admin/x")
    assert compile_pattern("/Admin(.*)", sensitive=True).matches("/Admin/x")


def test_strict_refuses_trailing_slash():
    assert not compile_pattern("/admin", strict=True).matches("/admin/")
    assert compile_pattern("/admin", strict=True).matches("/admin")


@pytest.mark.parametrize(
    "source",
    [
        "/a?",  # a modifier after plain text: path-to-regexp throws
        "/:a:b",  # two parameters without text between them
        "/(?x)",  # a pattern cannot start with "?"
        "/api/(?:v1|v2)/(.*)",  # likewise: Clerk's createRouteMatcher throws on it
        "/a(b(c))",  # capturing groups inside a pattern
        "/a(",  # unbalanced
        "/a{b",  # unclosed brace
        "/:",  # missing parameter name
        "/()",  # empty pattern
        "/(.*)*",  # nested quantifier
        "/:path(.*)+",  # nested quantifier
        "/((?:a+)+)",  # nested quantifier
        "/((?:a*)*)x",
        "/((?:\\d?)+)",
        "/(\\1)",  # backreference
        "/((?<n>a)\\k<n>)",
        "/a" * 501,  # longer than 1,000 characters
    ],
)
def test_invalid_or_unsafe_patterns_are_unknown(source):
    assert compile_pattern(source) is None


def test_catastrophic_looking_patterns_are_answered_quickly():
    subject = "/" + "a" * 290
    start = time.perf_counter()
    # accepted (no nested quantifier) but exponential for a backtracking engine: linear here
    assert compile_pattern("/((?:a|aa|a)*)!").matches(subject) is False
    assert compile_pattern("/(.*)(.*)(.*)(.*)(.*)(.*)(.*)(.*)(.*)(.*)!").matches(subject) is False
    assert compile_pattern("/((?:\\w|\\d|[a-z])*)!").matches(subject) is False
    assert compile_regexp("^(a|a?)+$") is None  # nested quantifier
    assert compile_regexp("^(?:a|a)*!$").matches("a" * 290) is False
    assert compile_pattern(NEXT_MATCHER).matches("/" + "a." * 140) is True
    for length in (1000, 1001, 5000):
        start_one = time.perf_counter()
        compile_pattern("/(" + "a|" * (length // 2) + "a)")
        assert time.perf_counter() - start_one < 1.0
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    ("source", "flags", "url", "expected"),
    [
        ("^\\/admin", "", "/admin/users", True),
        ("^\\/admin", "", "/Admin", False),
        ("^\\/admin", "i", "/Admin", True),
        ("admin", "", "/x/admin/y", True),  # RegExp.test searches
        ("^\\/api\\/.*$", "", "/api/x", True),
        ("^\\/(?:a|b)\\d{2,3}$", "", "/a123", True),
        ("^\\/(?:a|b)\\d{2,3}$", "", "/a1", False),
        ("^\\/(?!public).*", "", "/public/x", False),
        ("(?<=\\/)x$", "", "/x", True),
        ("\\bdash", "", "/dashboard", True),
    ],
)
def test_regexp_entries(source, flags, url, expected):
    assert compile_regexp(source, flags).matches(url) is expected


@pytest.mark.parametrize(("source", "flags"), [("a", "g"), ("a", "y"), ("a", "v"), ("a", "ii"), ("(a", ""), ("(x)\\1", ""), ("(a+)+", ""), ("[b-a]", "")])
def test_unusable_regexps_are_unknown(source, flags):
    assert compile_regexp(source, flags) is None


# =================================================================================================
# 2. URL samples
# =================================================================================================


@pytest.mark.parametrize(
    ("segments", "expected"),
    [
        ((), ["/"]),
        ((("static", "api"), ("static", "users")), ["/api/users"]),
        ((("static", "blog"), ("dynamic", "id")), ["/blog/1", "/blog/abc"]),
        ((("static", "docs"), ("catchall", "slug")), ["/docs/1", "/docs/abc/def"]),
        ((("static", "shop"), ("optional_catchall", "slug")), ["/shop/1", "/shop/abc/def", "/shop"]),
        ((("optional_catchall", "slug"),), ["/1", "/abc/def", "/"]),
    ],
)
def test_samples(segments, expected):
    assert samples(segments) == expected


def test_samples_reject_unknown_segments():
    with pytest.raises(ValueError):
        samples((("group", "x"),))


def test_coverage():
    blog = (("static", "blog"), ("dynamic", "id"))
    assert coverage(compile_pattern("/blog(.*)"), blog) == "all"
    assert coverage(compile_pattern("/blog/:id(\\d+)"), blog) == "some"
    assert coverage(compile_pattern("/shop(.*)"), blog) == "none"
    shop = (("static", "shop"), ("optional_catchall", "slug"))
    assert coverage(compile_pattern("/shop/(.*)"), shop) == "some"  # not the bare /shop
    assert coverage(compile_pattern("/shop/:path*"), shop) == "all"


# =================================================================================================
# 3. middleware analysis
# =================================================================================================


def analysed(code: str, major: int = 6, name: str = "middleware.ts"):
    file = SourceFile(Path("/x/" + name), name, "code", code.encode(), "typescript")
    return analyse(file, js_facts(file), major)


DENY_LIST = """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isProtectedRoute = createRouteMatcher(['/dashboard(.*)', '/forum(.*)'])

export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect()
})

export const config = {
  matcher: [
    '%s',
    '/(api|trpc)(.*)',
  ],
}
""" % NEXT_MATCHER_TS


def test_deny_list():
    mw = analysed(DENY_LIST)
    assert mw.kind == "clerkMiddleware"
    v = mw.protects("/dashboard/settings")
    assert (v.state, v.reason) == (PROTECTED, "middleware protects /dashboard(.*)")
    assert [loc.start_line for loc in v.evidence] == [4, 7]
    assert v.evidence[1].message == "auth.protect()"
    v = mw.protects("/forum")
    assert (v.state, v.reason) == (PROTECTED, "middleware protects /forum(.*)")
    v = mw.protects("/api/users")
    assert (v.state, v.reason) == (PUBLIC, "the middleware protects only /dashboard(.*), /forum(.*) (isProtectedRoute), not /api/users")
    assert [(p, awaited) for p, awaited in [(n.type, a) for n, a in mw.protect_calls]] == [("call_expression", True)]
    assert mw.public_patterns == []
    assert [s for s, _ in mw.matcher_entries] == [NEXT_MATCHER, "/(api|trpc)(.*)"]


def test_deny_list_route_verdicts():
    mw = analysed(DENY_LIST)
    v = mw.route_verdict((("static", "dashboard"), ("dynamic", "id")))
    assert (v.state, v.reason) == (PROTECTED, "middleware protects /dashboard(.*)")
    v = mw.route_verdict((("static", "api"), ("static", "invoices")))
    assert (v.state, v.reason) == (PUBLIC, "the middleware protects only /dashboard(.*), /forum(.*) (isProtectedRoute), not /api/invoices")
    v = mw.route_verdict(())
    assert v.state == PUBLIC


def test_runs_on_with_recommended_matcher():
    mw = analysed(DENY_LIST)
    assert mw.runs_on("/dashboard").state == RUNS
    assert mw.runs_on("/api/x").state == RUNS
    v = mw.runs_on("/logo.png")
    assert (v.state, v.reason) == (SKIPPED, "matcher excludes /logo.png")
    assert v.evidence[0].start_line == 11  # the matcher array


def test_matcher_excluding_api():
    mw = analysed(
        """
import { clerkMiddleware } from '@clerk/nextjs/server'
export default clerkMiddleware(async (auth) => { await auth.protect() })
export const config = { matcher: ['/((?!api|_next/static|_next/image|favicon.ico).*)'] }
"""
    )
    v = mw.runs_on("/api/users")
    assert (v.state, v.reason) == (SKIPPED, "matcher excludes /api/users")
    assert mw.runs_on("/dashboard").state == RUNS
    v = mw.route_verdict((("static", "api"), ("static", "users")))
    assert (v.state, v.reason) == (PUBLIC, "matcher excludes /api/users")
    v = mw.route_verdict((("static", "dashboard"),))
    assert (v.state, v.reason) == (PROTECTED, "middleware calls auth.protect() on every request")


def test_matcher_string_and_case_sensitivity():
    mw = analysed(
        """
import { clerkMiddleware } from '@clerk/nextjs/server'
export default clerkMiddleware()
export const config = { matcher: '/Admin/:path*' }
"""
    )
    assert mw.runs_on("/Admin/x").state == RUNS
    assert mw.runs_on("/admin/x").state == SKIPPED  # Next.js matchers are case-sensitive


def test_no_config_runs_everywhere():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n")
    v = mw.runs_on("/anything.png")
    assert (v.state, v.reason) == (RUNS, "no config.matcher: the middleware runs on every path")
    assert not mw.has_matcher


def test_config_without_matcher_runs_everywhere():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\nexport const config = { runtime: 'nodejs' }\n")
    assert mw.runs_on("/x").state == RUNS


def test_no_handler_protects_nothing():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n")
    v = mw.protects("/dashboard")
    assert (v.state, v.reason) == (PUBLIC, "clerkMiddleware() has no handler, so it protects no route")
    assert v.evidence[0].start_line == 2


def test_options_only_protects_nothing():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware({ debug: true })\n")
    assert mw.protects("/dashboard").state == PUBLIC


def test_bare_reference_is_clerk_middleware_without_handler():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware\n")
    assert mw.kind == "clerkMiddleware"
    assert mw.protects("/x").state == PUBLIC


@pytest.mark.parametrize(
    "matcher",
    [
        "[{ source: '/api/(.*)', has: [{ type: 'header', key: 'x-user' }] }]",
        "[{ source: '/api/(.*)', missing: [{ type: 'cookie', key: 'session' }] }]",
    ],
)
def test_matcher_objects_with_has_or_missing_are_unknown(matcher):
    mw = analysed(f"import {{ clerkMiddleware }} from '@clerk/nextjs/server'\nexport default clerkMiddleware()\nexport const config = {{ matcher: {matcher} }}\n")
    v = mw.runs_on("/api/x")
    assert v.state == UNKNOWN
    assert v.reason == "config.matcher entry /api/(.*) (has/missing conditions) decides whether the middleware runs on /api/x"
    assert mw.runs_on("/dashboard").state == SKIPPED


def test_matcher_object_without_conditions():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\nexport const config = { matcher: [{ source: '/api/(.*)', locale: false }] }\n")
    assert mw.runs_on("/api/x").state == RUNS
    assert mw.matcher_entries[0][0] == "/api/(.*)"


def test_matcher_not_literal_is_unknown():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nimport { m } from './m'\nexport default clerkMiddleware()\nexport const config = { matcher: m }\n")
    v = mw.runs_on("/x")
    assert (v.state, v.reason) == (UNKNOWN, "config.matcher is not a literal, so where the middleware runs is unknown")


def test_matcher_through_constants():
    mw = analysed(
        """
import { clerkMiddleware } from '@clerk/nextjs/server'
const API = '/(api|trpc)(.*)'
const PAGES = ['/dashboard/:path*']
export default clerkMiddleware()
export const config = { matcher: [...PAGES, API] }
"""
    )
    assert mw.runs_on("/api/x").state == RUNS
    assert mw.runs_on("/dashboard/a").state == RUNS
    assert mw.runs_on("/about").state == SKIPPED


def test_allow_list():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
const isPublicRoute = createRouteMatcher(['/', '/sign-in(.*)', '/sign-up(.*)', '/api/webhooks(.*)'])
export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) {
    await auth.protect()
  }
})
"""
    )
    v = mw.protects("/dashboard")
    assert (v.state, v.reason) == (PROTECTED, "middleware protects every route not matched by isPublicRoute")
    v = mw.protects("/sign-in/factor-one")
    assert (v.state, v.reason) == (PUBLIC, "public route matcher lists /sign-in(.*)")
    assert v.evidence[0].start_line == 3
    assert mw.protects("/").state == PUBLIC
    assert [p for p, _ in mw.public_patterns] == ["/", "/sign-in(.*)", "/sign-up(.*)", "/api/webhooks(.*)"]
    assert mw.public_patterns[1][1].message == "public route matcher entry"


@pytest.mark.parametrize(
    "body",
    [
        "if (isPublicRoute(req)) return\n  await auth.protect()",
        "if (isPublicRoute(req)) return NextResponse.next()\n  await auth.protect()",
        "if (isPublicRoute(req)) { return NextResponse.next() }\n  await auth.protect()",
        "if (!isPublicRoute(req)) return auth.protect()",
        "if (!isPublicRoute(req)) await auth.protect({ role: 'org:member' })",
        "isPublicRoute(req) || (await auth.protect())",
        "if (isPublicRoute(req)) return\n  const { userId } = await auth()\n  if (!userId) return (await auth()).redirectToSignIn()",
        "const { userId, redirectToSignIn } = await auth()\n  if (!userId && !isPublicRoute(req)) return redirectToSignIn()",
        "const { isAuthenticated } = await auth()\n  if (!isAuthenticated && !isPublicRoute(req)) { return NextResponse.redirect(new URL('/sign-in', req.url)) }",
        "if (!isPublicRoute(req)) { const { userId } = await auth(); if (userId === null) return new Response('no', { status: 401 }) }",
    ],
)
def test_allow_list_forms(body):
    mw = analysed(
        f"""
import {{ clerkMiddleware, createRouteMatcher }} from '@clerk/nextjs/server'
import {{ NextResponse }} from 'next/server'
const isPublicRoute = createRouteMatcher(['/sign-in(.*)'])
export default clerkMiddleware(async (auth, req) => {{
  {body}
}})
"""
    )
    assert mw.protects("/dashboard").state == PROTECTED
    assert mw.protects("/sign-in").state == PUBLIC
    assert [p for p, _ in mw.public_patterns] == ["/sign-in(.*)"]


@pytest.mark.parametrize(
    "body",
    [
        "if (isProtected(req)) await auth.protect()",
        "if (isProtected(req)) { await auth.protect() }",
        "if (isProtected(req)) await auth.protect((has) => has({ role: 'org:admin' }))",
        "if (isProtected(req)) return auth.protect()",
        "isProtected(req) && (await auth.protect())",
        "if (isProtected(req)) { const { userId } = await auth(); if (!userId) return (await auth()).redirectToSignIn() }",
        "if (isProtected(req)) { const { userId } = await auth.protect() }",
        "const { userId, redirectToSignIn } = await auth()\n  if (!userId && isProtected(req)) return redirectToSignIn()",
        "const a = await auth()\n  if (isProtected(req) && !a.userId) { a.redirectToSignIn() }",
        "if (isProtected(req)) throw new Error('signed out')",
    ],
)
def test_deny_list_forms(body):
    mw = analysed(
        f"""
import {{ clerkMiddleware, createRouteMatcher }} from '@clerk/nextjs/server'
const isProtected = createRouteMatcher(['/admin(.*)'])
export default clerkMiddleware(async (auth, req) => {{
  {body}
}})
"""
    )
    v = mw.protects("/admin/users")
    assert (v.state, v.reason) == (PROTECTED, "middleware protects /admin(.*)")
    v = mw.protects("/blog")
    assert (v.state, v.reason) == (PUBLIC, "the middleware protects only /admin(.*) (isProtected), not /blog")
    assert mw.public_patterns == []


def test_unconditional_protect():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware(async (auth) => { await auth.protect() })\n")
    v = mw.protects("/anything")
    assert (v.state, v.reason) == (PROTECTED, "middleware calls auth.protect() on every request")


def test_concise_arrow_returns_protect():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware((auth) => auth.protect())\n")
    assert mw.protects("/x").state == PROTECTED
    assert mw.protect_calls[0][1] is True


def test_unawaited_protect_on_v6_does_not_protect():
    code = """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
const isProtected = createRouteMatcher(['/admin(.*)'])
export default clerkMiddleware((auth, req) => {
  if (isProtected(req)) auth.protect()
})
"""
    mw = analysed(code, major=6)
    assert [awaited for _, awaited in mw.protect_calls] == [False]
    assert mw.protect_call_info[0].form == "auth.protect"
    v = mw.protects("/admin")
    assert (v.state, v.reason) == (PUBLIC, "auth.protect() is not awaited or returned, so the request continues (Clerk v6+)")
    assert v.evidence[-1].message == "auth.protect() not awaited"
    # on v5 auth.protect does not exist: the TypeError fails closed
    assert analysed(code, major=5).protects("/admin").state == PROTECTED


def test_v5_sync_protect():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
const isProtectedRoute = createRouteMatcher(['/dashboard(.*)'])
export default clerkMiddleware((auth, req) => {
  if (isProtectedRoute(req)) auth().protect()
})
""",
        major=5,
    )
    assert mw.protect_call_info[0].form == "auth().protect"
    assert mw.protect_calls[0][1] is False
    v = mw.protects("/dashboard")
    assert (v.state, v.reason) == (PROTECTED, "middleware protects /dashboard(.*)")
    assert mw.protects("/").state == PUBLIC


def test_v5_destructured_protect():
    mw = analysed(
        """
import { clerkMiddleware } from '@clerk/nextjs/server'
export default clerkMiddleware((auth, req) => {
  const { protect } = auth()
  protect()
})
""",
        major=5,
    )
    assert mw.protects("/x").state == PROTECTED


def test_inline_route_matcher_and_regexp_entries():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
export default clerkMiddleware(async (auth, req) => {
  if (createRouteMatcher([/^\\/admin/i, '/settings(.*)'])(req)) await auth.protect()
})
"""
    )
    v = mw.protects("/ADMIN/users")
    assert (v.state, v.reason) == (PROTECTED, "middleware protects /^\\/admin/i")
    assert mw.protects("/settings").state == PROTECTED
    assert mw.protects("/home").state == PUBLIC


def test_route_list_in_a_constant():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
const publicRoutes = ['/', '/pricing']
const isPublic = createRouteMatcher([...publicRoutes, '/sign-in(.*)'] as const)
export default clerkMiddleware(async (auth, req) => {
  if (!isPublic(req)) await auth.protect()
})
"""
    )
    assert mw.protects("/pricing").reason == "public route matcher lists /pricing"
    assert mw.protects("/app").state == PROTECTED
    assert [p for p, _ in mw.public_patterns] == ["/", "/pricing", "/sign-in(.*)"]


def test_function_entry_is_unknown_unless_a_literal_matches():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
const isProtected = createRouteMatcher(['/admin(.*)', (req) => req.nextUrl.pathname.startsWith('/x')])
export default clerkMiddleware(async (auth, req) => {
  if (isProtected(req)) await auth.protect()
})
"""
    )
    assert mw.protects("/admin").state == PROTECTED  # a literal entry matches: the function does not matter
    v = mw.protects("/blog")
    assert v.state == UNKNOWN
    assert v.reason.startswith("whether the middleware protects /blog depends on")


def test_function_matcher_is_unknown():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
const isProtected = createRouteMatcher((req) => req.nextUrl.pathname.startsWith('/admin'))
export default clerkMiddleware(async (auth, req) => {
  if (isProtected(req)) await auth.protect()
})
"""
    )
    assert mw.protects("/admin").state == UNKNOWN
    assert mw.protects("/blog").state == UNKNOWN


def test_unsafe_pattern_is_unknown():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
const isProtected = createRouteMatcher(['/admin(.*)*'])
export default clerkMiddleware(async (auth, req) => {
  if (isProtected(req)) await auth.protect()
})
"""
    )
    assert mw.protects("/admin").state == UNKNOWN


def test_pathname_conditions_are_evaluated():
    mw = analysed(
        """
import { clerkMiddleware } from '@clerk/nextjs/server'
export default clerkMiddleware(async (auth, req) => {
  const { pathname } = req.nextUrl
  if (pathname.startsWith('/admin') || req.nextUrl.pathname === '/settings') await auth.protect()
})
"""
    )
    assert mw.protects("/admin/x").state == PROTECTED
    assert mw.protects("/settings").state == PROTECTED
    v = mw.protects("/blog")
    assert (v.state, v.reason) == (PUBLIC, "the middleware handler never protects the request")


def test_unknown_condition_is_unknown_unless_both_branches_agree():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { flags } from './flags'
const isProtected = createRouteMatcher(['/admin(.*)'])
export default clerkMiddleware(async (auth, req) => {
  if (flags.strict && isProtected(req)) await auth.protect()
})
"""
    )
    v = mw.protects("/admin")
    assert v.state == UNKNOWN
    assert v.reason == "whether the middleware protects /admin depends on flags.strict"
    assert v.evidence[0].start_line == 6
    assert mw.protects("/blog").state == PUBLIC  # false either way


def test_unclassified_return_is_unknown():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import createIntlMiddleware from 'next-intl/middleware'
const intl = createIntlMiddleware({ locales: ['en'] })
const isProtected = createRouteMatcher(['/admin(.*)'])
export default clerkMiddleware(async (auth, req) => {
  if (isProtected(req)) await auth.protect()
  return intl(req)
})
"""
    )
    assert mw.protects("/admin").state == PROTECTED
    v = mw.protects("/blog")
    assert (v.state, v.reason) == (UNKNOWN, "the middleware returns intl(req), which clerk-lint cannot classify")


def test_swallowing_try_is_unknown():
    mw = analysed(
        """
import { clerkMiddleware } from '@clerk/nextjs/server'
export default clerkMiddleware(async (auth, req) => {
  try { await auth.protect() } catch (e) { console.error(e) }
})
"""
    )
    assert mw.protects("/x").state == UNKNOWN


def test_handler_in_a_constant_and_named_function():
    for code in (
        "const handler = async (auth, req) => { await auth.protect() }\nexport default clerkMiddleware(handler)",
        "async function handler(auth, req) { await auth.protect() }\nexport default clerkMiddleware(handler)",
        "export default clerkMiddleware(async function (auth, req) { await auth.protect() })",
    ):
        mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\n" + code)
        assert mw.protects("/x").state == PROTECTED, code


def test_handler_from_another_module_is_unknown():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nimport { handler } from './h'\nexport default clerkMiddleware(handler)\n")
    v = mw.protects("/x")
    assert (v.state, v.reason) == (UNKNOWN, "the clerkMiddleware handler handler is defined in another module")


@pytest.mark.parametrize(
    "code",
    [
        "import { clerkMiddleware as cm } from '@clerk/nextjs/server'\nexport default cm(async (auth) => { await auth.protect() })",
        "import * as clerk from '@clerk/nextjs/server'\nexport default clerk.clerkMiddleware(async (auth) => { await auth.protect() })",
        "const { clerkMiddleware } = require('@clerk/nextjs/server')\nexport default clerkMiddleware(async (auth) => { await auth.protect() })",
        "import { clerkMiddleware } from '@clerk/nextjs/server'\nconst m = clerkMiddleware(async (auth) => { await auth.protect() })\nexport default m",
        "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport const middleware = clerkMiddleware(async (auth) => { await auth.protect() })",
        "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport const proxy = clerkMiddleware(async (auth) => { await auth.protect() })",
        "import { clerkMiddleware } from '@clerk/nextjs/server'\nconst m = clerkMiddleware(async (auth) => { await auth.protect() })\nexport { m as default }",
        "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport function middleware(req, ev) { return clerkMiddleware(async (auth) => { await auth.protect() })(req, ev) }",
        "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default (req, ev) => clerkMiddleware(async (a) => { await a.protect() })(req, ev)",
    ],
)
def test_export_forms_and_aliases(code):
    mw = analysed(code)
    assert mw.kind == "clerkMiddleware"
    assert not mw.wrapped
    assert mw.protects("/x").state == PROTECTED


def test_imported_auth_protect_counts():
    mw = analysed("import { clerkMiddleware, auth } from '@clerk/nextjs/server'\nexport default clerkMiddleware(async () => { await auth.protect() })\n")
    assert mw.protects("/x").state == PROTECTED


def test_wrapped_middleware_is_unknown():
    mw = analysed(
        """
import { clerkMiddleware } from '@clerk/nextjs/server'
import { intl } from './intl'
const clerk = clerkMiddleware(async (auth) => { await auth.protect() })
export default function middleware(req, ev) {
  if (req.nextUrl.pathname.startsWith('/en')) return intl(req)
  return clerk(req, ev)
}
"""
    )
    assert mw.kind == "clerkMiddleware"
    assert mw.wrapped
    v = mw.protects("/x")
    assert (v.state, v.reason) == (UNKNOWN, "the clerkMiddleware is composed with custom code clerk-lint does not follow")


def test_chained_middleware_is_unknown():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nimport { chain } from './chain'\nexport default chain([clerkMiddleware()])\n")
    assert (mw.kind, mw.wrapped) == ("clerkMiddleware", True)
    assert mw.protects("/x").state == UNKNOWN


def test_non_clerk_middleware():
    mw = analysed(
        """
import { NextResponse } from 'next/server'
export function middleware(req) { return NextResponse.next() }
export const config = { matcher: '/about/:path*' }
"""
    )
    assert mw.kind == "none"
    v = mw.protects("/about")
    assert (v.state, v.reason) == (PUBLIC, "middleware.ts has no Clerk middleware")
    assert mw.runs_on("/about/x").state == RUNS
    assert mw.runs_on("/x").state == SKIPPED


def test_custom_middleware_using_clerk_backend_is_unknown():
    mw = analysed(
        """
import { createClerkClient } from '@clerk/backend'
export async function middleware(req) { await createClerkClient({}).authenticateRequest(req) }
"""
    )
    assert mw.kind == "none"
    assert mw.protects("/x").state == UNKNOWN


def test_clerk_middleware_from_root_package_does_not_count():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs'\nexport default clerkMiddleware()\n", major=6)
    assert mw.kind == "none"


AUTH_MIDDLEWARE = """
import { authMiddleware } from '@clerk/nextjs/server'
export default authMiddleware({
  publicRoutes: ['/', '/api/public(.*)', /^\\/blog/],
  ignoredRoutes: ['/api/webhooks(.*)'],
})
export const config = { matcher: ['/((?!.+\\\\.[\\\\w]+$|_next).*)', '/', '/(api|trpc)(.*)'] }
"""


def test_auth_middleware_public_and_ignored_routes():
    mw = analysed(AUTH_MIDDLEWARE, major=5)
    assert mw.kind == "authMiddleware"
    v = mw.protects("/dashboard")
    assert (v.state, v.reason) == (PROTECTED, "authMiddleware protects every route not in publicRoutes")
    v = mw.protects("/api/public/x")
    assert (v.state, v.reason) == (PUBLIC, "publicRoutes lists /api/public(.*)")
    assert v.evidence[0].message == "publicRoutes entry"
    v = mw.protects("/blog/post")
    assert (v.state, v.reason) == (PUBLIC, "publicRoutes lists /^\\/blog/")
    v = mw.protects("/api/webhooks/clerk")
    assert (v.state, v.reason) == (PUBLIC, "ignoredRoutes lists /api/webhooks(.*)")
    assert [p for p, _ in mw.public_patterns] == ["/", "/api/public(.*)", "/^\\/blog/", "/api/webhooks(.*)"]
    assert mw.route_verdict((("static", "settings"),)).state == PROTECTED
    assert mw.runs_on("/favicon.ico").state == SKIPPED


def test_auth_middleware_v4_root_import_and_defaults():
    mw = analysed("import { authMiddleware } from '@clerk/nextjs'\nexport default authMiddleware()\n", major=4)
    assert mw.kind == "authMiddleware"
    assert mw.protects("/dashboard").state == PROTECTED
    v = mw.protects("/favicon.ico")
    assert (v.state, v.reason) == (PUBLIC, "authMiddleware ignores /favicon.ico by default (static files and _next)")
    assert mw.protects("/api/data.json").state == PROTECTED  # the default ignore list spares /api
    assert analysed("import { authMiddleware } from '@clerk/nextjs'\nexport default authMiddleware()\n", major=5).kind == "none"


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ("{ publicRoutes: ['/'], afterAuth(auth, req) { } }", "authMiddleware afterAuth decides access in code clerk-lint does not follow"),
        ("{ beforeAuth: (req) => false }", "authMiddleware beforeAuth decides access in code clerk-lint does not follow"),
        ("{ ...shared }", "the authMiddleware options contain a spread or computed key"),
    ],
)
def test_auth_middleware_hooks_are_unknown(options, reason):
    mw = analysed(f"import {{ authMiddleware }} from '@clerk/nextjs/server'\nimport {{ shared }} from './s'\nexport default authMiddleware({options})\n", major=5)
    v = mw.protects("/dashboard")
    assert (v.state, v.reason) == (UNKNOWN, reason)


def test_auth_middleware_function_public_routes_are_unknown():
    mw = analysed("import { authMiddleware } from '@clerk/nextjs/server'\nexport default authMiddleware({ publicRoutes: (req) => true })\n", major=5)
    v = mw.protects("/dashboard")
    assert v.state == UNKNOWN
    assert "a function entry" in v.reason


def test_auth_middleware_public_routes_in_constant():
    mw = analysed(
        "import { authMiddleware } from '@clerk/nextjs/server'\nconst publicRoutes = ['/api(.*)']\nexport default authMiddleware({ publicRoutes })\n",
        major=5,
    )
    assert mw.protects("/api/x").reason == "publicRoutes lists /api(.*)"
    assert [p for p, _ in mw.public_patterns] == ["/api(.*)"]


def test_with_clerk_middleware_protects_nothing():
    mw = analysed("import { withClerkMiddleware } from '@clerk/nextjs/server'\nimport { NextResponse } from 'next/server'\nexport default withClerkMiddleware((req) => NextResponse.next())\n", major=4)
    assert mw.kind == "withClerkMiddleware"
    v = mw.protects("/dashboard")
    assert (v.state, v.reason) == (PUBLIC, "withClerkMiddleware() only attaches auth; it protects no route")


def test_route_verdict_combines_samples():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
const isProtected = createRouteMatcher(['/shop/:path+'])
export default clerkMiddleware(async (auth, req) => { if (isProtected(req)) await auth.protect() })
"""
    )
    # /shop/[[...slug]]: /shop/1 and /shop/abc/def are protected, the bare /shop is not
    v = mw.route_verdict((("static", "shop"), ("optional_catchall", "slug")))
    assert (v.state, v.reason) == (PUBLIC, "the middleware protects only /shop/:path+ (isProtected), not /shop")
    assert mw.route_verdict((("static", "shop"), ("catchall", "slug"))).state == PROTECTED


def test_route_verdict_unknown_when_runs_on_unknown():
    mw = analysed(
        """
import { clerkMiddleware } from '@clerk/nextjs/server'
export default clerkMiddleware(async (auth) => { await auth.protect() })
export const config = { matcher: [{ source: '/(.*)', has: [{ type: 'header', key: 'x' }] }] }
"""
    )
    assert mw.route_verdict((("static", "a"),)).state == UNKNOWN


def test_proxy_file_name():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n", name="proxy.ts")
    assert mw.kind == "clerkMiddleware"
    v = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n", name="proxy.ts").protects("/x")
    assert v.reason == "clerkMiddleware() has no handler, so it protects no route"


def test_broken_source_does_not_crash():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware(async (auth, req) => { if (((( })\n")
    assert mw.kind == "clerkMiddleware"
    assert mw.protects("/x").state in (PROTECTED, PUBLIC, UNKNOWN)


def test_deeply_nested_conditions_do_not_recurse_without_bound():
    condition = "!" * 5000 + "isProtected(req)"
    mw = analysed(
        f"""
import {{ clerkMiddleware, createRouteMatcher }} from '@clerk/nextjs/server'
const isProtected = createRouteMatcher(['/a(.*)'])
export default clerkMiddleware(async (auth, req) => {{ if ({condition}) await auth.protect() }})
"""
    )
    assert mw.protects("/a").state == UNKNOWN


# =================================================================================================
# 4. which middleware file Next.js loads
# =================================================================================================


def test_locate_root_middleware():
    found = locate_middleware(["middleware.ts"], app_dir_in_src=False, next_major=15)
    assert (found.loaded, found.misplaced, found.conflict) == ("middleware.ts", (), None)


def test_locate_src_middleware():
    found = locate_middleware(["src/middleware.ts"], app_dir_in_src=True, next_major=15)
    assert found.loaded == "src/middleware.ts"


def test_root_file_while_app_in_src_is_misplaced():
    found = locate_middleware(["middleware.ts"], app_dir_in_src=True, next_major=15)
    assert found.loaded is None
    assert found.misplaced == (("middleware.ts", "the app lives in src/, so Next.js loads src/middleware.ts, not middleware.ts"),)


def test_src_file_while_app_at_root_is_misplaced():
    found = locate_middleware(["src/middleware.ts"], app_dir_in_src=False, next_major=15)
    assert found.loaded is None
    assert found.misplaced[0][0] == "src/middleware.ts"


def test_middleware_inside_app_is_misplaced():
    found = locate_middleware(["app/middleware.ts", "src/app/proxy.ts"], app_dir_in_src=False, next_major=16)
    assert found.loaded is None
    assert [m[0] for m in found.misplaced] == ["app/middleware.ts", "src/app/proxy.ts"]
    assert found.misplaced[0][1] == "Next.js does not load middleware files from inside app/; move it to middleware.ts"


def test_proxy_before_next_16_is_not_loaded():
    found = locate_middleware(["proxy.ts"], app_dir_in_src=False, next_major=15)
    assert found.loaded is None
    assert found.misplaced == (
        ("proxy.ts", "proxy files are only loaded by Next.js 16 and later (this app uses next 15); rename it to middleware.ts"),
    )
    assert locate_middleware(["proxy.ts"], app_dir_in_src=False, next_major=16).loaded == "proxy.ts"
    assert locate_middleware(["proxy.ts"], app_dir_in_src=False, next_major=None).loaded == "proxy.ts"


def test_both_middleware_and_proxy_on_16_conflict():
    found = locate_middleware(["middleware.ts", "proxy.ts"], app_dir_in_src=False, next_major=16)
    assert found.loaded is None
    assert found.conflict == "Next.js 16 refuses to build with both a middleware and a proxy file"
    # on Next 15 the proxy file is simply ignored
    found = locate_middleware(["middleware.ts", "proxy.ts"], app_dir_in_src=False, next_major=15)
    assert (found.loaded, found.conflict) == ("middleware.ts", None)


def test_two_middleware_files_conflict():
    found = locate_middleware(["middleware.js", "middleware.ts"], app_dir_in_src=False, next_major=14)
    assert found.conflict == "several middleware files (middleware.ts, middleware.js); Next.js runs only one of them"
    assert found.candidates == ("middleware.js", "middleware.ts")


def test_middleware_on_16_is_deprecated():
    found = locate_middleware(["src/middleware.ts"], app_dir_in_src=True, next_major=16)
    assert found.loaded == "src/middleware.ts"
    assert found.deprecated == (("src/middleware.ts", "the middleware file convention is deprecated on Next.js 16; rename it to proxy"),)


def test_extensions_follow_page_extensions():
    found = locate_middleware(["middleware.mjs"], app_dir_in_src=False, next_major=15)
    assert found.loaded is None
    assert "page extensions" in found.misplaced[0][1]
    found = locate_middleware(["middleware.page.ts"], app_dir_in_src=False, next_major=15, page_extensions=("page.tsx", "page.ts"))
    assert found.loaded == "middleware.page.ts"


def test_unrelated_files_are_ignored():
    found = locate_middleware(["lib/middleware.ts", "middleware.test.ts", "server/proxy.ts"], app_dir_in_src=False, next_major=16)
    assert (found.loaded, found.misplaced, found.candidates) == (None, (), ())


def test_middleware_candidates_reads_the_file_system(tmp_path):
    (tmp_path / "src" / "app").mkdir(parents=True)
    (tmp_path / "middleware.ts").write_text("export default function m() {}")
    (tmp_path / "src" / "proxy.ts").write_text("export default function m() {}")
    (tmp_path / "src" / "app" / "middleware.ts").write_text("")
    found = middleware_candidates(tmp_path, True, 16)
    assert found.loaded == "src/proxy.ts"
    assert sorted(m[0] for m in found.misplaced) == ["middleware.ts", "src/app/middleware.ts"]


def test_javascript_middleware():
    code = """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
const isProtectedRoute = createRouteMatcher(['/dashboard(.*)'])
export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect()
})
export const config = { matcher: ['/((?!_next).*)'] }
"""
    file = SourceFile(Path("/x/middleware.js"), "middleware.js", "code", code.encode(), "javascript")
    mw = analyse(file, js_facts(file), 6)
    assert mw.protects("/dashboard").reason == "middleware protects /dashboard(.*)"
    assert mw.runs_on("/_next/static/x").state == SKIPPED


def test_else_if_chain():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
const isPublic = createRouteMatcher(['/sign-in(.*)'])
const isAdmin = createRouteMatcher(['/admin(.*)'])
export default clerkMiddleware(async (auth, req) => {
  if (isPublic(req)) {
    return
  } else if (isAdmin(req)) {
    await auth.protect({ role: 'org:admin' })
  } else {
    await auth.protect()
  }
})
"""
    )
    assert mw.protects("/sign-in").reason == "public route matcher lists /sign-in(.*)"
    assert mw.protects("/admin/x").reason == "middleware protects /admin(.*)"
    v = mw.protects("/settings")
    assert (v.state, v.reason) == (PROTECTED, "middleware protects every route not matched by isPublic or isAdmin")
    assert [p for p, _ in mw.public_patterns] == ["/sign-in(.*)"]


def test_ternary_return():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'
const isProtected = createRouteMatcher(['/app(.*)'])
export default clerkMiddleware((auth, req) => isProtected(req) ? auth.protect() : NextResponse.next())
"""
    )
    assert mw.protects("/app").state == PROTECTED
    assert mw.protects("/").state == PUBLIC


def test_void_protect_is_not_awaited():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware(async (auth) => { void auth.protect() })\n", major=7)
    assert mw.protect_calls[0][1] is False
    assert mw.protects("/x").state == PUBLIC


def test_reason_names_the_deciding_pattern():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
const isApi = createRouteMatcher(['/api(.*)'])
const isProtected = createRouteMatcher(['/api/admin(.*)'])
export default clerkMiddleware(async (auth, req) => {
  if (isApi(req)) { console.log('api') }
  if (isProtected(req)) await auth.protect()
})
"""
    )
    assert mw.protects("/api/admin/users").reason == "middleware protects /api/admin(.*)"


def test_protect_inside_optional_call_arguments_is_unknown():
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware(async (auth, req) => { log?.(await auth.protect()) })\n")
    assert mw.protects("/x").state == UNKNOWN


SNIPPETS = [
    "if (isP(req)) await auth.protect()",
    "if (!isP(req)) { return }",
    "await auth.protect()",
    "auth.protect()",
    "return NextResponse.next()",
    "const { userId } = await auth()",
    "if (!userId) return redirectToSignIn()",
    "try { await auth.protect() } catch {}",
    "for (const x of y) { if (x) return }",
    "switch (a) { case 1: return }",
    "isP(req) && auth.protect()",
    "return isP(req) ? auth.protect() : undefined",
    "throw new Error('x')",
    "{ {",
    "} }",
    "if (",
    "req.nextUrl.pathname.startsWith('/a') || (await auth()).userId",
    "const f = () => auth.protect()",
    "return new Response(null, { status: 401 })",
]


def test_random_handlers_never_crash():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(SNIPPETS), max_size=8), st.integers(min_value=4, max_value=7))
    def check(body, major):
        code = (
            "import { clerkMiddleware, createRouteMatcher, redirectToSignIn } from '@clerk/nextjs/server'\n"
            "import { NextResponse } from 'next/server'\n"
            "const isP = createRouteMatcher(['/a(.*)', '/b/:id'])\n"
            "export default clerkMiddleware(async (auth, req) => {\n  " + "\n  ".join(body) + "\n})\n"
            "export const config = { matcher: ['/((?!_next).*)'] }\n"
        )
        mw = analysed(code, major=major)
        for url in ("/", "/a", "/b/1", "/c"):
            assert mw.protects(url).state in (PROTECTED, PUBLIC, UNKNOWN)
            assert mw.runs_on(url).state in (RUNS, SKIPPED, UNKNOWN)
            assert mw.verdict(url).state in (PROTECTED, PUBLIC, UNKNOWN)

    check()


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (
            "async function guard(auth, req) { await auth.protect() }\nexport default clerkMiddleware(async (auth, req) => { await guard(auth, req) })",
            "the middleware passes auth to guard, which clerk-lint does not follow",
        ),
        (
            "export default clerkMiddleware(async (auth, req) => {\n  const check = async () => { await auth.protect() }\n  await check()\n})",
            "the middleware calls check, which protects in code clerk-lint does not follow",
        ),
    ],
)
def test_helpers_that_may_protect_are_unknown(code, reason):
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\n" + code)
    v = mw.protects("/x")
    assert (v.state, v.reason) == (UNKNOWN, reason)


def test_unrelated_calls_do_not_hide_protection():
    mw = analysed(
        """
import { clerkMiddleware } from '@clerk/nextjs/server'
import { rateLimit } from './rate-limit'
export default clerkMiddleware(async (auth, req) => {
  await rateLimit(req)
  for (const h of ['a']) { if (h) break }
})
"""
    )
    assert mw.protects("/x").state == PUBLIC


def test_const_flags_and_manual_checks():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'
const isWebhook = createRouteMatcher(['/api/webhooks(.*)'])
const isAdmin = createRouteMatcher(['/admin(.*)'])
export default clerkMiddleware(async (auth, req) => {
  const { pathname } = req.nextUrl
  const adminPage = isAdmin(req)
  if (isWebhook(req)) return NextResponse.next()
  if (adminPage) {
    const { userId } = await auth()
    if (!userId) {
      const signIn = new URL('/sign-in', req.url)
      return NextResponse.redirect(signIn)
    }
    return NextResponse.next()
  }
  if (pathname.startsWith('/api/')) {
    const { userId } = await auth()
    if (!userId) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 })
  }
  return NextResponse.next()
})
"""
    )
    assert mw.protects("/admin/users").reason == "middleware protects /admin(.*)"
    v = mw.protects("/api/orders")
    assert (v.state, v.reason) == (PROTECTED, "middleware protects every route not matched by isWebhook or isAdmin")
    assert v.evidence[-1].message == "returns an error response"
    assert mw.protects("/api/webhooks/stripe").reason == "public route matcher lists /api/webhooks(.*)"
    assert mw.protects("/about").state == PUBLIC
    assert [p for p, _ in mw.public_patterns] == ["/api/webhooks(.*)"]


def test_redirect_without_auth_condition_is_unknown():
    mw = analysed(
        """
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'
const isOld = createRouteMatcher(['/old(.*)'])
export default clerkMiddleware(async (auth, req) => {
  if (isOld(req)) return NextResponse.redirect(new URL('/new', req.url))
})
"""
    )
    assert mw.protects("/old/x").state == UNKNOWN
    assert mw.protects("/x").state == PUBLIC


@pytest.mark.parametrize(
    "config",
    [
        "export const config = { matcher: ['/api/:path*'] } satisfies MiddlewareConfig",
        "export const config: MiddlewareConfig = { matcher: ['/api/:path*'] as const }",
        "const config = { matcher: '/api/:path*' }\nexport { config }",
    ],
)
def test_config_forms(config):
    mw = analysed("import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n" + config + "\n")
    assert mw.runs_on("/api/a/b").state == RUNS
    assert mw.runs_on("/home").state == SKIPPED
    assert [s for s, _ in mw.matcher_entries] == ["/api/:path*"]
