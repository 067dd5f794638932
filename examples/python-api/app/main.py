"""Acme Notes API: the same notes as the Next.js example, served by FastAPI."""

from datetime import datetime, timezone
from uuid import uuid4

from fastapi import Depends, FastAPI, HTTPException, Response, status
from pydantic import BaseModel, Field

from .auth import clerk, require_user

app = FastAPI(title="Acme Notes API")

# In-memory store keyed by Clerk user id; swap in your database.
NOTES: dict[str, dict[str, dict]] = {}


class NewNote(BaseModel):
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(default="", max_length=10_000)


@app.get("/health")
def health() -> dict:
    return {"ok": True}


@app.get("/me")
def me(user_id: str = Depends(require_user)) -> dict:
    user = clerk.users.get(user_id=user_id)
    email = user.email_addresses[0].email_address if user.email_addresses else None
    return {"id": user.id, "email": email}


@app.get("/notes")
def list_notes(user_id: str = Depends(require_user)) -> list[dict]:
    return list(NOTES.get(user_id, {}).values())


@app.post("/notes", status_code=status.HTTP_201_CREATED)
def create_note(note: NewNote, user_id: str = Depends(require_user)) -> dict:
    created = {
        "id": str(uuid4()),
        "title": note.title,
        "body": note.body,
        "created_at": datetime.now(timezone.utc).isoformat(),
    }
    NOTES.setdefault(user_id, {})[created["id"]] = created
    return created


@app.delete("/notes/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_note(note_id: str, user_id: str = Depends(require_user)) -> Response:
    if NOTES.get(user_id, {}).pop(note_id, None) is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Note not found")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
