import { auth } from '@clerk/nextjs/server'
import { z } from 'zod'
import { createNote, listNotes } from '@/lib/notes'

const NewNote = z.object({ title: z.string().min(1).max(120), body: z.string().max(10_000) })

export async function GET() {
  const { userId } = await auth()
  if (!userId) return Response.json({ error: 'Unauthorized' }, { status: 401 })
  return Response.json(await listNotes(userId))
}

export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return Response.json({ error: 'Unauthorized' }, { status: 401 })

  const parsed = NewNote.safeParse(await req.json())
  if (!parsed.success) return Response.json({ error: parsed.error.flatten() }, { status: 400 })
  return Response.json(await createNote(userId, parsed.data), { status: 201 })
}
