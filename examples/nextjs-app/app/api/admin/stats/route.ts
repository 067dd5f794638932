import { auth } from '@clerk/nextjs/server'
import { clerk } from '@/lib/clerk'

// Safe twin of components/admin-stats.tsx: the Backend API is called from the server.
export async function GET() {
  await auth.protect({ role: 'org:admin' })
  const userCount = await clerk.users.getCount()
  return Response.json({ userCount })
}
