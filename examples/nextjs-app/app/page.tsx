import Link from 'next/link'

export default function Home() {
  return (
    <>
      <h1>Notes that stay yours</h1>
      <p>
        Sign in to write notes. <Link href="/dashboard">Go to your dashboard</Link>.
      </p>
    </>
  )
}
