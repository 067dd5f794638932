import type { Metadata } from 'next'
import { ClerkProvider, SignedIn, SignedOut, SignInButton, UserButton } from '@clerk/nextjs'
import Link from 'next/link'
import './globals.css'

export const metadata: Metadata = {
  title: 'Acme Notes',
  description: 'A small Next.js 15 + Clerk app, with deliberate mistakes for clerk-lint to find',
}

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <ClerkProvider> {/* ok: CLK202 */}
      <html lang="en">
        <body>
          <header className="header">
            <Link href="/">Acme Notes</Link>
            <SignedOut>
              <SignInButton />
            </SignedOut>
            <SignedIn>
              <Link href="/dashboard">Dashboard</Link>
              <UserButton />
            </SignedIn>
          </header>
          <main className="main">{children}</main>
        </body>
      </html>
    </ClerkProvider>
  )
}
