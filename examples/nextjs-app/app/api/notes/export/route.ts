import { listAllNotes } from '@/lib/notes'

// Deliberate mistake (CLK101): the export for the Zapier integration never checks who is calling,
// and '/api(.*)' in middleware.ts made it public. Anyone can download every user's notes.
// Safe twin: GET in app/api/notes/route.ts, which checks `await auth()` first.
// expect: CLK101
export async function GET() {
  const notes = await listAllNotes()
  return Response.json(notes, { headers: { 'Content-Disposition': 'attachment; filename="notes.json"' } })
}
