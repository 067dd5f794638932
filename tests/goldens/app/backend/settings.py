import os

CLERK_SECRET_KEY = os.environ.get("CLERK_SECRET_KEY", "sk_test_3NwQ8rTz5XcVb2LmKd7PyH1sG6aUe4Jo9iRtfZqB")
