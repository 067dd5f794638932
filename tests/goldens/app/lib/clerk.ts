import { createClerkClient } from '@clerk/backend'

// clerk-lint-ignore CLK501 -- rotated development key, kept for the demo
export const demo = createClerkClient({ secretKey: 'sk_test_7HqL2xVb9NcR4tKm8WzP3dYf6JsG1aUe5Qo0rTiE' })

export const staging = createClerkClient({ secretKey: 'sk_test_4MpX8vLq2RzN7bKt9WcY3hJf6DsG1aUe5Ko0iQwE' })
