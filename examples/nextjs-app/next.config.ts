import type { NextConfig } from 'next'

// Safe twin of a next.config `env` leak: only public values are inlined into the client bundle.
const nextConfig: NextConfig = {
  env: { // ok: CLK502
    NEXT_PUBLIC_APP_NAME: 'Acme Notes',
  },
  images: {
    remotePatterns: [{ protocol: 'https', hostname: 'img.clerk.com' }],
  },
}

export default nextConfig
