export const label = 'Schlüssel für Clerk'; export const fallback = 'sk_test_9fKd2LmQ7rTz4XcVb8NwP1yHs6Ga3Ue5Jo0iRtqW'
