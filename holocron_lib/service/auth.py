"""Who may do what over the API: tokens to users and roles, and the role a run needs.

Roles are ordered, each allowed what the ones before it are: ``viewer`` reads notebooks,
runs and outputs; ``runner`` also requests runs; ``operator`` also requests runs that write
or take free-form SQL; ``admin`` also runs free-form code and reads other users' runs in
full. Everyone else sees another user's run as a summary: notebook, user, status and times,
without its parameters, error text or output.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from typing import Any

from holocron_lib.settings import ROLES, ApiToken, token_digest

# What setting a marked parameter needs (service.params MARKS).
MARK_ROLES = {"writes": "operator", "sql": "operator", "code": "admin"}
_MARK_WORDS = {"writes": "makes the run write", "sql": "is free-form SQL",
               "code": "is free-form code"}


def rank(role: str) -> int:
    return ROLES.index(role)


def may(role: str, needed: str) -> bool:
    """True when ``role`` is ``needed`` or above it."""
    return rank(role) >= rank(needed)


def authenticate(tokens: Iterable[ApiToken], given: str) -> ApiToken | None:
    """The entry whose digest matches ``given``; every entry is compared, in constant time."""
    digest = token_digest(given)
    found = None
    for entry in tokens:
        if hmac.compare_digest(entry.digest, digest):
            found = entry
    return found


def is_set(value: Any) -> bool:
    """Whether a marked parameter's value asks for what the mark guards."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, bool | list | dict):
        return bool(value)
    return value is not None


def role_needed(info, values: Mapping[str, Any]) -> tuple[str, str | None]:
    """(the role a run of ``info`` with checked ``values`` needs, why; None: any runner)."""
    needed, why = "runner", None
    for p in info.parameters:
        for mark in p.marks:
            role = MARK_ROLES[mark]
            if is_set(values.get(p.name)) and rank(role) > rank(needed):
                needed, why = role, f"parameter {p.name} {_MARK_WORDS[mark]}"
    return needed, why
