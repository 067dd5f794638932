"""clerk-lint's rules: one module per rule, named after the rule's slug (imported as clerk_lint.rules)."""
