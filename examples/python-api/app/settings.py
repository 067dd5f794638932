"""Settings, read once at start-up."""

import os

# Safe twin: the secret key is read from the environment.
CLERK_SECRET_KEY = os.environ.get("CLERK_SECRET_KEY", "")  # ok: CLK501

if not CLERK_SECRET_KEY:
    # Deliberate mistake (CLK501): a "temporary" fallback to the production secret key, hard-coded in
    # source. The key is made up for the clerk-lint demo.
    CLERK_SECRET_KEY = "sk_live_wTCg12UBIjnsmQx8bSYoDSeXLf4wLSpwiD8sQnz6rUh"  # expect: CLK501

# Origins allowed to send session tokens (the Next.js front end).
AUTHORIZED_PARTIES = [
    origin.strip()
    for origin in os.environ.get("AUTHORIZED_PARTIES", "http://localhost:3000").split(",")
    if origin.strip()
]
