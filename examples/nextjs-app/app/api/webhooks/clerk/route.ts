import { verifyWebhook } from '@clerk/nextjs/webhooks'
import type { NextRequest } from 'next/server'
import { deleteNotesOf } from '@/lib/notes'

// verifyWebhook() reads CLERK_WEBHOOK_SIGNING_SECRET from the environment.
export async function POST(req: NextRequest) {
  try {
    const evt = await verifyWebhook(req)
    if (evt.type === 'user.deleted' && evt.data.id) {
      await deleteNotesOf(evt.data.id)
    }
    return new Response('ok')
  } catch {
    return new Response('Invalid signature', { status: 400 })
  }
}
