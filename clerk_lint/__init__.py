"""clerk-lint: a security linter for codebases that use Clerk for authentication."""

__version__ = "0.1.0"
