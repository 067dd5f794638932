'use server'

import { auth } from '@clerk/nextjs/server'
import { revalidatePath } from 'next/cache'
import { createNote, setPinned } from '@/lib/notes'

// Safe twin of togglePin: the action checks the session itself.
export async function addNote(formData: FormData) { // ok: CLK102
  const { userId } = await auth.protect()
  const title = String(formData.get('title') ?? '').slice(0, 120)
  const body = String(formData.get('body') ?? '').slice(0, 10_000)
  if (title) await createNote(userId, { title, body })
  revalidatePath('/dashboard')
}

// Deliberate mistake (CLK102): no check. The dashboard that uses it is behind the middleware,
// but a Server Action is called by its id, with a POST from any page: anyone can pin or unpin
// any note.
// expect: CLK102
export async function togglePin(noteId: string, pinned: boolean) {
  await setPinned(noteId, pinned)
  revalidatePath('/dashboard')
}
