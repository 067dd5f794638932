// Deliberate mistake (CLK201): the pre-v6 middleware, left behind when middleware.ts moved to
// clerkMiddleware(). authMiddleware was removed in @clerk/nextjs v6, so this import breaks the build,
// and "fixing" it with a bare clerkMiddleware() would make every route public.
import { authMiddleware } from '@clerk/nextjs/server' // expect: CLK201

export const legacyMiddleware = authMiddleware({
  publicRoutes: ['/', '/sign-in(.*)', '/sign-up(.*)', '/api/webhooks(.*)'],
})
