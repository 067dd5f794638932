import { auth } from '@clerk/nextjs/server'
import { AdminStats } from '@/components/admin-stats'
import { UserCount } from '@/components/user-count'

// Safe twin of app/admin/users/page.tsx: the role check is awaited.
export default async function AdminPage() {
  await auth.protect({ role: 'org:admin' }) // ok: CLK205
  return (
    <>
      <h1>Admin</h1>
      <UserCount />
      <AdminStats />
    </>
  )
}
