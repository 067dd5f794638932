import { auth } from '@clerk/nextjs/server'
import { deleteNote } from '@/lib/notes'

export async function DELETE(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { userId } = await auth()
  if (!userId) return Response.json({ error: 'Unauthorized' }, { status: 401 })

  const { id } = await params
  const deleted = await deleteNote(userId, id)
  return deleted ? new Response(null, { status: 204 }) : Response.json({ error: 'Not found' }, { status: 404 })
}
