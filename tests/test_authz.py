"""The authorization model's plug-in points: handlers from other models (Express, Fastify, Hono) are
read by the same JavaScript analysis, and issue sources for other grammars are dispatched by file."""

from __future__ import annotations

from pathlib import Path

from harness import write_files

from clerk_lint.parsing import captures, text
from clerk_lint.project import Project
from clerk_lint.project import authz
from clerk_lint.project.authz import EXPRESS_INPUT, Handler

ROUTES = "(call_expression function: (member_expression property: (property_identifier) @verb) arguments: (arguments (string) @path (arrow_function) @fn))"


def express_handlers(project, file):
    """A stand-in for the Express model: every ``app.<verb>('/path', (req, res) => ...)``."""
    if file.grammar not in ("javascript", "typescript"):
        return []
    found = captures(file.grammar, ROUTES, file.root)
    return [
        Handler(file, fn, EXPRESS_INPUT, f"{text(verb).upper()} {text(path)[1:-1]}", session=True)
        for verb, path, fn in zip(found.get("verb", ()), found.get("path", ()), found.get("fn", ()))
    ]


def _issues(root: Path, rel: str, rule: str):
    project = Project(root, lambda notification: None)
    file = project.load(root / rel)
    return project.authz.issues(file, rule)


def test_handlers_from_another_model_are_analysed(tmp_path, monkeypatch):
    monkeypatch.setattr(authz, "HANDLER_SOURCES", ["test_authz:express_handlers"])
    write_files(tmp_path, {
        "package.json": '{"dependencies": {"@clerk/express": "^1.4.0", "express": "^4.21.0", "@prisma/client": "^6.5.0"}}',
        "server.js": (
            "const express = require('express')\n"
            "const { clerkMiddleware, getAuth } = require('@clerk/express')\n"
            "const { PrismaClient } = require('@prisma/client')\n"
            "const prisma = new PrismaClient()\n"
            "const app = express()\n"
            "app.use(clerkMiddleware())\n"
            "app.get('/notes/:id', async (req, res) => {\n"
            "  const { userId } = getAuth(req)\n"
            "  if (!userId) return res.status(401).end()\n"
            "  const note = await prisma.note.findUnique({ where: { id: req.params.id } })\n"
            "  res.json(note)\n"
            "})\n"
            "app.post('/notes', async (req, res) => {\n"
            "  const { userId } = getAuth(req)\n"
            "  if (!userId) return res.status(401).end()\n"
            "  await prisma.note.create({ data: { userId: req.body.userId, text: req.body.text } })\n"
            "  res.status(201).end()\n"
            "})\n"
            "app.delete('/notes/:id', async (req, res) => {\n"
            "  const { userId } = getAuth(req)\n"
            "  if (!userId) return res.status(401).end()\n"
            "  await prisma.note.deleteMany({ where: { id: req.params.id, userId } })\n"
            "  res.status(204).end()\n"
            "})\n"
        ),
    })
    ownership = _issues(tmp_path, "server.js", "CLK301")
    assert [(i.file.line_of(i.node.start_byte), i.message.split(": ")[0]) for i in ownership] == [(10, "GET /notes/:id")]
    assert "`id` from the route params" in ownership[0].message
    identity = _issues(tmp_path, "server.js", "CLK302")
    assert [i.file.line_of(i.node.start_byte) for i in identity] == [16]
    assert "`userId` from the request body" in identity[0].message


def test_issue_sources_are_dispatched_by_grammar(tmp_path, monkeypatch):
    calls = []

    def source(project, file):
        calls.append(file.rel)
        return [authz.Issue("CLK301", file, file.root, "from the plugged-in source")]

    monkeypatch.setattr(authz, "SOURCES", {"python": ["test_authz:_plugged"]})
    monkeypatch.setattr(__import__("test_authz"), "_plugged", source, raising=False)
    write_files(tmp_path, {"app.py": "x = 1\n", "lib/x.ts": "export const x = 1\n"})
    assert [i.message for i in _issues(tmp_path, "app.py", "CLK301")] == ["from the plugged-in source"]
    assert _issues(tmp_path, "lib/x.ts", "CLK301") == []
    assert calls == ["app.py"]


def test_register_is_append_only_and_idempotent(monkeypatch):
    monkeypatch.setattr(authz, "SOURCES", {})
    authz.register(["python"], "a:b")
    authz.register(["python", "typescript"], "a:b")
    assert authz.SOURCES == {"python": ["a:b"], "typescript": ["a:b"]}


def test_client_supplied_identity_names_the_source_and_the_client_component():
    from harness import scan

    root = Path(__file__).resolve().parent / "fixtures" / "authz-prisma-next15"
    _, document = scan(root, "--select", "CLK302")
    findings = {f["location"]["line"]: f for f in document["findings"] if f["location"]["path"].endswith("app/notes/actions.ts")}
    create = findings[12]
    assert "`userId` from the Server Action's arguments" in create["message"]
    assert "written as `authorId`" in create["message"]
    related = [(r["path"].rsplit("/", 1)[-1], r["line"]) for r in create["related"]]
    assert ("new-note-form.tsx", 10) in related
    assert "scopes `db.note.findMany()`" in findings[22]["message"]
