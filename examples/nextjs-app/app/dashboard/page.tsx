import { auth } from '@clerk/nextjs/server'
import { redirect } from 'next/navigation'
import { listNotes } from '@/lib/notes'
import { addNote, togglePin } from './actions'

export default async function Dashboard() {
  const { userId } = await auth()
  if (!userId) redirect('/sign-in')

  const notes = await listNotes(userId)
  return (
    <>
      <h1>Your notes</h1>
      <form action={addNote}>
        <input name="title" placeholder="Title" required />
        <textarea name="body" placeholder="Write something…" />
        <button>Add note</button>
      </form>
      {notes.length === 0 ? (
        <p>No notes yet.</p>
      ) : (
        <ul>
          {notes.map((note) => (
            <li key={note.id}>
              <a href={`/notes/${note.id}`}>
                <strong>{note.title}</strong>
              </a>{' '}
              — {note.body}
              <form action={togglePin.bind(null, note.id, !note.pinned)}>
                <button>{note.pinned ? 'Unpin' : 'Pin'}</button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
