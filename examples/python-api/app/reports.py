"""Acme Notes reports: a second small service next to the notes API (`uvicorn app.reports:app`).

It reads users from Clerk's Backend API, so every route must know who is calling.
"""

from fastapi import Depends, FastAPI

from .auth import clerk, require_user

app = FastAPI(title="Acme Notes reports")


@app.get("/reports/users")
def list_users():  # expect: CLK105
    # Deliberate mistake (CLK105): no dependency checks the session, so anyone can list every user.
    return [{"id": u.id, "email": u.email_addresses[0].email_address} for u in clerk.users.list()]


@app.get("/reports/users/count", dependencies=[Depends(require_user)])
def count_users() -> dict:  # ok: CLK105
    # Safe twin: the route-level dependency refuses signed-out callers before Clerk is called.
    return {"users": clerk.users.count()}


@app.delete("/accounts/me", status_code=204)
def delete_my_account(user_id: str = Depends(require_user)) -> None:
    # Safe twin: the id comes from the verified session token. (Declared before the route below:
    # FastAPI matches routes in order, and `/accounts/{user_id}` would take `/accounts/me` too.)
    clerk.users.delete(user_id=user_id)  # ok: CLK302


@app.delete("/accounts/{user_id}", status_code=204)
def delete_account(user_id: str, caller: str = Depends(require_user)) -> None:
    # Deliberate mistake (CLK302): the account to delete comes from the URL, not from the session,
    # so any signed-in user can delete anyone's account.
    clerk.users.delete(user_id=user_id)  # expect: CLK302
