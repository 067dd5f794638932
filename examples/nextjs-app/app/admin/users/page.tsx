import { auth } from '@clerk/nextjs/server'
import { clerk } from '@/lib/clerk'

// Deliberate mistake (CLK205): `auth.protect()` without `await`. On v6 it refuses a caller by
// rejecting, and nobody waits for the rejection: any signed-in user, admin or not, gets the list.
// Safe twin: app/admin/page.tsx, which awaits the same call.
export default async function AdminUsers() {
  auth.protect({ role: 'org:admin' }) // expect: CLK205
  const { data: users } = await clerk.users.getUserList({ limit: 50, orderBy: '-created_at' })
  return (
    <ul>
      {users.map((user) => (
        <li key={user.id}>{user.primaryEmailAddress?.emailAddress}</li>
      ))}
    </ul>
  )
}
