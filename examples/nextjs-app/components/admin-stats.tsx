'use client'

import { useEffect, useState } from 'react'

// Deliberate mistake (CLK502): the browser calls Clerk's Backend API with the secret key, read through
// a NEXT_PUBLIC_ variable, so the key is shipped in the JavaScript bundle to every visitor.
export function AdminStats() {
  const [count, setCount] = useState<number | null>(null)

  useEffect(() => {
    fetch('https://api.clerk.com/v1/users/count', {
      headers: { Authorization: `Bearer ${process.env.NEXT_PUBLIC_CLERK_SECRET_KEY}` }, // expect: CLK502
    })
      .then((res) => res.json())
      .then((body) => setCount(body.total_count))
  }, [])

  return <p>Users (direct): {count ?? '…'}</p>
}
