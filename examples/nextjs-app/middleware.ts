// Safe twin of lib/auth/legacy-middleware.ts: the v6 middleware, with the protection spelled out.
import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server' // ok: CLK201

const isPublicRoute = createRouteMatcher([
  '/',
  '/sign-in(.*)',
  '/sign-up(.*)',
  '/api/webhooks(.*)', // ok: CLK112
  // The print view is rendered by a headless browser that has no session cookie.
  '/notes/:id/print', // ok: CLK112
  // Deliberate mistake (CLK112): added so the Zapier export could get through without a session.
  // It makes every API route public: from now on only the routes' own checks protect them.
  '/api(.*)', // expect: CLK112
])

export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) {
    await auth.protect()
  }
})

export const config = {
  matcher: [
    '/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)',
    '/(api|trpc)(.*)',
  ],
}
