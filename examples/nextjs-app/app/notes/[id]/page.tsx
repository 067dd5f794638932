import { auth } from '@clerk/nextjs/server'
import { notFound } from 'next/navigation'
import { getNote } from '@/lib/notes'

// Safe twin of ./print/page.tsx: the same note, loaded for the signed-in owner only.
export default async function NotePage({ params }: { params: Promise<{ id: string }> }) { // ok: CLK104
  const { userId } = await auth.protect()
  const { id } = await params
  const note = await getNote(userId, id)
  if (!note) notFound()
  return (
    <article>
      <h1>{note.title}</h1>
      <p>{note.body}</p>
      <a href={`/notes/${note.id}/print`}>Print</a>
    </article>
  )
}
