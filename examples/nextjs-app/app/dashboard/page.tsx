import { auth } from '@clerk/nextjs/server'
import { redirect } from 'next/navigation'
import { listNotes } from '@/lib/notes'

export default async function Dashboard() {
  const { userId } = await auth()
  if (!userId) redirect('/sign-in')

  const notes = await listNotes(userId)
  return (
    <>
      <h1>Your notes</h1>
      {notes.length === 0 ? (
        <p>No notes yet.</p>
      ) : (
        <ul>
          {notes.map((note) => (
            <li key={note.id}>
              <strong>{note.title}</strong> — {note.body}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
