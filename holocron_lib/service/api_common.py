"""What the API's route modules share: the one error answer, bearer tokens as users with
roles (configured tokens, or OpenID Connect access tokens when single sign-on is on), and the
limit on request bodies.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from holocron_lib.errors import PresetError, TokenError, UnknownObjectError
from holocron_lib.service import auth, presets
from holocron_lib.service.oidc import looks_like_jwt
from holocron_lib.service.params import check_values
from holocron_lib.service.store import Run
from holocron_lib.settings import ApiToken

NoNul = r"^[^\x00]*$"
MAX_BODY_BYTES = 64 * 1024
_bearer = HTTPBearer(auto_error=False, description="A token from HOLOCRON_API_TOKENS, or an "
                                                    "OpenID Connect access token (JWT) of the "
                                                    "configured provider.")


class ApiError(Exception):
    """An error answer: HTTP status, machine code, human message, optional details."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or {}
        self.headers = headers


def error_response(status: int, code: str, message: str, details: dict | None = None,
                    headers: dict | None = None) -> JSONResponse:
    body = {"error": {"status": status, "code": code, "message": message,
                      "details": details or {}}}
    return JSONResponse(body, status_code=status, headers=headers)


async def current_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiToken:
    """The token entry (user and role) the bearer token stands for; 401 otherwise."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "unauthorized", "a bearer token is required",
                       headers={"WWW-Authenticate": "Bearer"})
    return await identify(request.app.state, credentials.credentials)


async def identify(state, given: str) -> ApiToken:
    """Who ``given`` is: a token of HOLOCRON_API_TOKENS, or, with single sign-on on, an
    access token (JWT) of the configured OpenID Connect provider, whose claims give the user
    and the role. ``state`` is the application's state; 401 (`ApiError`) otherwise."""
    found = auth.authenticate(state.tokens, given)
    if found is not None:
        return found
    verifier = state.oidc
    if verifier is not None and looks_like_jwt(given):
        try:
            identity = await run_in_threadpool(verifier.verify, given)
        except TokenError as exc:
            raise ApiError(401, "unauthorized", str(exc), {"reason": exc.reason}, headers={
                "WWW-Authenticate": 'Bearer error="invalid_token"'}) from None
        return ApiToken(identity.user, identity.role, b"")
    raise ApiError(401, "unauthorized", "the bearer token is not valid",
                   headers={"WWW-Authenticate": "Bearer"})


def forbidden(token: ApiToken, needed: str, what: str) -> ApiError:
    return ApiError(403, "forbidden", f"{what} needs the role {needed}; this token has the "
                    f"role {token.role}", {"needed_role": needed, "role": token.role})


# async: checks this small run on the event loop, not in a thread of the pool
async def _viewer(token: Annotated[ApiToken, Depends(current_token)]) -> ApiToken:
    return token  # every role may read


async def _runner(token: Annotated[ApiToken, Depends(current_token)]) -> ApiToken:
    if not auth.may(token.role, "runner"):
        raise forbidden(token, "runner", "requesting a run")
    return token


Viewer = Annotated[ApiToken, Depends(_viewer)]
Runner = Annotated[ApiToken, Depends(_runner)]


def utc(when: datetime | None) -> datetime | None:
    return when.replace(tzinfo=UTC) if when is not None else None


def sees_all_of(token: ApiToken, run: Run) -> bool:
    """A run's owner and admins see it in full; others see a summary."""
    return run.user == token.user or auth.may(token.role, "admin")


def manages(token: ApiToken, owner: str) -> bool:
    """Who may cancel a run or pause, resume and delete a schedule: its owner, or an operator."""
    return token.user == owner or auth.may(token.role, "operator")


def parameter_error(problems: list) -> ApiError:
    """The 422 of a request with bad values: the first problem, and every one in details."""
    return ApiError(422, "invalid_parameters", str(problems[0]), {"problems": [
        {"field": p.parameter, "reason": p.reason,
         "allowed": [a if isinstance(a, str | int | float | bool) else str(a)
                     for a in p.allowed]} for p in problems]})


def check_role_and_values(store, info, token: ApiToken, parameters: dict, preset: str | None,
                          doing: str) -> list:
    """Before a run or a schedule is made: the problems of the values (a preset's under the
    request's own), or 403 when the values need a higher role than the token's (``doing``
    names the act in the message). A bad preset is left for the caller to refuse."""
    try:
        base = presets.preset_values(store, info, preset) if preset else {}
    except (PresetError, UnknownObjectError):
        base = None
    checked, problems = check_values(info.name, info.parameters, {**(base or {}), **parameters})
    if not problems and base is not None:
        needed, why = auth.role_needed(info, checked)
        if not auth.may(token.role, needed):
            raise forbidden(token, needed, f"{doing} {info.name}: {why},")
    return problems


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes (413), declared or streamed."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_big = error_response(413, "body_too_large",
                                  f"request bodies are limited to {self.limit} bytes")
        for key, value in scope.get("headers", []):
            if key == b"content-length" and value.isdigit() and int(value) > self.limit:
                return await too_big(scope, receive, send)
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        # read the whole (small) body first, so a streamed body over the limit is refused too
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, receive, send)
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                return await too_big(scope, receive, send)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)
