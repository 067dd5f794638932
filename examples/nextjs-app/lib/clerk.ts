import 'server-only'
import { createClerkClient } from '@clerk/nextjs/server'

// Safe twin of the committed key in .env.production: the key is read from the environment, on the server.
export const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY }) // ok: CLK501, CLK502
