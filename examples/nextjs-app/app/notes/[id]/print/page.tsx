import { notFound } from 'next/navigation'
import { getNoteById } from '@/lib/notes'

// Deliberate mistake (CLK104): middleware.ts lists '/notes/:id/print' as public (for the PDF
// renderer), and this page loads the note by id without checking anything: any note id prints.
// Safe twin: ../page.tsx, which calls `await auth.protect()` and loads only the caller's note.
// expect: CLK104
export default async function PrintNote({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  const note = await getNoteById(id)
  if (!note) notFound()
  return (
    <article className="print">
      <h1>{note.title}</h1>
      <p>{note.body}</p>
    </article>
  )
}
