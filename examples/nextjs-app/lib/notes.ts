import 'server-only'

export type Note = { id: string; ownerId: string; title: string; body: string; createdAt: string }

// An in-memory store keeps the example self-contained; swap in your database.
const notes = new Map<string, Note>()

export async function listNotes(ownerId: string): Promise<Note[]> {
  return [...notes.values()].filter((note) => note.ownerId === ownerId)
}

export async function createNote(ownerId: string, input: { title: string; body: string }): Promise<Note> {
  const note: Note = { id: crypto.randomUUID(), ownerId, createdAt: new Date().toISOString(), ...input }
  notes.set(note.id, note)
  return note
}

export async function deleteNote(ownerId: string, id: string): Promise<boolean> {
  const note = notes.get(id)
  if (!note || note.ownerId !== ownerId) return false
  return notes.delete(id)
}

export async function deleteNotesOf(ownerId: string): Promise<void> {
  for (const note of await listNotes(ownerId)) notes.delete(note.id)
}
