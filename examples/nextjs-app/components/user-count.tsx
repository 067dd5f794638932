'use client'

import { useEffect, useState } from 'react'

// Safe twin of admin-stats.tsx: the browser asks our own route, which holds the key server-side.
export function UserCount() {
  const [count, setCount] = useState<number | null>(null)

  useEffect(() => {
    fetch('/api/admin/stats')
      .then((res) => res.json())
      .then((body) => setCount(body.userCount))
  }, [])

  return <p>Users: {count ?? '…'}</p>
}
