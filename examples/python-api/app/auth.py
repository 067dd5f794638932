"""The FastAPI dependency that turns a Clerk session token into a user id, or a 401."""

import httpx
from clerk_backend_api import Clerk
from clerk_backend_api.security.types import AuthenticateRequestOptions
from fastapi import HTTPException, Request, status

from . import settings

clerk = Clerk(bearer_auth=settings.CLERK_SECRET_KEY)


def require_user(request: Request) -> str:
    state = clerk.authenticate_request(
        httpx.Request(request.method, str(request.url), headers=dict(request.headers)),
        AuthenticateRequestOptions(authorized_parties=settings.AUTHORIZED_PARTIES),
    )
    if not state.is_signed_in or state.payload is None:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail=state.message or "Signed out")
    return state.payload["sub"]
