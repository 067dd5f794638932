import { auth } from '@clerk/nextjs/server'
import { AdminStats } from '@/components/admin-stats'
import { UserCount } from '@/components/user-count'

export default async function AdminPage() {
  await auth.protect({ role: 'org:admin' })
  return (
    <>
      <h1>Admin</h1>
      <UserCount />
      <AdminStats />
    </>
  )
}
