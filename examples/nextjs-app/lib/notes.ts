import 'server-only'
import { Redis } from '@upstash/redis'

export type Note = { id: string; ownerId: string; title: string; body: string; pinned: boolean; createdAt: string }

// Notes live in Upstash Redis: one hash per note, one set of note ids per user.
// Redis.fromEnv() reads UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN.
const redis = Redis.fromEnv()

const noteKey = (id: string) => `note:${id}`
const ownerKey = (ownerId: string) => `user:${ownerId}:notes`

/** Any note by id, whoever owns it: only for code that has already checked who is asking. */
export async function getNoteById(id: string): Promise<Note | null> {
  return redis.hgetall<Note>(noteKey(id))
}

export async function getNote(ownerId: string, id: string): Promise<Note | null> {
  const note = await getNoteById(id)
  return note?.ownerId === ownerId ? note : null
}

export async function listNotes(ownerId: string): Promise<Note[]> {
  const ids = await redis.smembers(ownerKey(ownerId))
  const notes = await Promise.all(ids.map(getNoteById))
  return notes.filter((note): note is Note => note !== null)
}

/** Every note of every user (the admin export). */
export async function listAllNotes(): Promise<Note[]> {
  const [, keys] = await redis.scan(0, { match: 'note:*', count: 1000 })
  const notes = await Promise.all(keys.map((key) => redis.hgetall<Note>(key)))
  return notes.filter((note): note is Note => note !== null)
}

export async function createNote(ownerId: string, input: { title: string; body: string }): Promise<Note> {
  const note: Note = { id: crypto.randomUUID(), ownerId, pinned: false, createdAt: new Date().toISOString(), ...input }
  await redis.hset(noteKey(note.id), note)
  await redis.sadd(ownerKey(ownerId), note.id)
  return note
}

export async function updateNote(ownerId: string, id: string, input: { title?: string; body?: string }): Promise<Note | null> {
  const note = await getNote(ownerId, id)
  if (!note) return null
  await redis.hset(noteKey(id), input)
  return { ...note, ...input }
}

export async function setPinned(id: string, pinned: boolean): Promise<void> {
  await redis.hset(noteKey(id), { pinned })
}

export async function deleteNote(ownerId: string, id: string): Promise<boolean> {
  const note = await getNote(ownerId, id)
  if (!note) return false
  await redis.del(noteKey(id))
  await redis.srem(ownerKey(ownerId), id)
  return true
}

export async function deleteNotesOf(ownerId: string): Promise<void> {
  const ids = await redis.smembers(ownerKey(ownerId))
  if (ids.length > 0) await redis.del(...ids.map(noteKey))
  await redis.del(ownerKey(ownerId))
}
