import { auth } from '@clerk/nextjs/server'
import { z } from 'zod'
import { deleteNote, updateNote } from '@/lib/notes'

type Params = { params: Promise<{ id: string }> }

const NoteUpdate = z.object({ title: z.string().min(1).max(120).optional(), body: z.string().max(10_000).optional() })

// Deliberate mistake (CLK203): v5 code, `auth()` without `await`. On v6 it returns a Promise, so
// `userId` is always undefined: every request gets a 401 and editing is broken.
export async function PATCH(req: Request, { params }: Params) {
  const { userId } = auth() // expect: CLK203
  if (!userId) return Response.json({ error: 'Unauthorized' }, { status: 401 })

  const parsed = NoteUpdate.safeParse(await req.json())
  if (!parsed.success) return Response.json({ error: parsed.error.flatten() }, { status: 400 })
  const { id } = await params
  const note = await updateNote(userId, id, parsed.data)
  return note ? Response.json(note) : Response.json({ error: 'Not found' }, { status: 404 })
}

// Safe twin of PATCH: the same check, with `await`.
export async function DELETE(_req: Request, { params }: Params) {
  const { userId } = await auth() // ok: CLK203
  if (!userId) return Response.json({ error: 'Unauthorized' }, { status: 401 })

  const { id } = await params
  const deleted = await deleteNote(userId, id)
  return deleted ? new Response(null, { status: 204 }) : Response.json({ error: 'Not found' }, { status: 404 })
}
