"""Single sign-on: OpenID Connect bearer tokens (JWT) from a provider such as Keycloak.

`OidcVerifier.verify()` checks a token with PyJWT: an accepted asymmetric algorithm (never
``none`` or a shared-secret one), a key id found in the provider's JWKS, the signature, the
issuer, the audience, expiry and not-before (with a small leeway). The JWKS address comes
from the issuer's ``/.well-known/openid-configuration`` unless configured; the key set is
cached, fetched again when a token names an unknown key id, but at most once per refresh
interval, so made-up key ids cannot make the server hammer the provider. The user name and
the roles come from configurable claims (``preferred_username``, ``realm_access.roles``);
the highest of the service's roles (viewer, runner, operator, admin) among them is the
user's role, viewer when none is.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from holocron_lib.errors import TokenError
from holocron_lib.settings import ROLES, Settings

DISCOVERY_PATH = "/.well-known/openid-configuration"
SYMMETRIC = ("HS256", "HS384", "HS512")
_USER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}")  # as HOLOCRON_API_TOKENS allows


@dataclass(frozen=True)
class Identity:
    """Who a verified token speaks for: the user, the roles the provider gives, and the
    service role they amount to (the highest of `settings.ROLES` among them, else viewer)."""

    user: str
    roles: tuple[str, ...]
    claims: dict[str, Any]

    @property
    def role(self) -> str:
        held = [r for r in ROLES if r in self.roles]
        return held[-1] if held else ROLES[0]


def looks_like_jwt(token: str) -> bool:
    # header.payload.signature; an unsigned (alg none) token has an empty signature, and is
    # read as a JWT so that its refusal can say why
    return token.count(".") == 2 and all(token.split(".")[:2])


def claim(claims: dict[str, Any], path: str) -> Any:
    """The value at a dotted claim path (``realm_access.roles``), or None."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _get_json(url: str, timeout: float) -> Any:
    if not url.startswith(("https://", "http://")):
        raise TokenError(f"the provider address {url!r} is not http(s)")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 - http(s) only
            return json.loads(reply.read(1_000_000))
    except (OSError, ValueError) as exc:
        raise TokenError(f"the identity provider did not answer at {url} "
                         f"({type(exc).__name__})") from None


class OidcVerifier:
    """Verifies OIDC access tokens of one issuer and audience; thread-safe."""

    def __init__(self, issuer: str, audience: str, *, jwks_url: str | None = None,
                 user_claim: str = "preferred_username",
                 role_claim: str = "realm_access.roles",
                 algorithms: tuple[str, ...] = ("RS256", "ES256", "PS256"),
                 leeway: float = 30, refresh_every: float = 60, cache_for: float = 3600,
                 timeout: float = 5, clock: Callable[[], float] = time.monotonic):
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self.jwks_url = jwks_url
        self.user_claim, self.role_claim = user_claim, role_claim
        self.algorithms = tuple(a for a in algorithms if a not in SYMMETRIC and a != "none")
        self.leeway, self.refresh_every, self.cache_for = leeway, refresh_every, cache_for
        self.timeout = timeout
        self.clock = clock
        self.fetches = 0  # JWKS downloads so far (the tests count them)
        self._keys: dict[str, Any] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> OidcVerifier | None:
        """The verifier the settings describe, or None when single sign-on is off."""
        if not settings.oidc_issuer:
            return None
        return cls(settings.oidc_issuer, settings.oidc_audience,
                   jwks_url=settings.oidc_jwks_url, user_claim=settings.oidc_user_claim,
                   role_claim=settings.oidc_role_claim, algorithms=settings.oidc_algorithms,
                   leeway=settings.oidc_leeway, refresh_every=settings.oidc_jwks_refresh)

    # ------------------------------------------------------------ keys

    def _jwks_address(self) -> str:
        if self.jwks_url is None:
            config = _get_json(self.issuer + DISCOVERY_PATH, self.timeout)
            if not isinstance(config, dict) or config.get("issuer", "").rstrip("/") != self.issuer:
                raise TokenError("the provider's discovery document names another issuer")
            if not isinstance(config.get("jwks_uri"), str):
                raise TokenError("the provider's discovery document has no jwks_uri")
            self.jwks_url = config["jwks_uri"]
        return self.jwks_url

    def _fetch(self) -> None:
        from jwt import PyJWKClient
        from jwt.exceptions import PyJWKClientError

        client = PyJWKClient(self._jwks_address(), cache_jwk_set=False, timeout=self.timeout)
        self._fetched_at = self.clock()  # a failed fetch also waits out the interval
        self.fetches += 1
        try:
            key_set = client.get_jwk_set()
        except PyJWKClientError as exc:
            raise TokenError(f"the provider's key set could not be read ({exc})") from None
        self._keys = {k.key_id: k for k in key_set.keys if k.key_id}

    def signing_key(self, kid: str):
        """The provider's key ``kid``; the set is fetched again when it is unknown or old."""
        with self._lock:
            now = self.clock()
            old = self._fetched_at is None or now - self._fetched_at >= self.cache_for
            may_refresh = self._fetched_at is None or now - self._fetched_at >= self.refresh_every
            if old or (kid not in self._keys and may_refresh):
                self._fetch()
            if kid not in self._keys:
                raise TokenError(f"its key id {kid[:64]!r} is not one of the provider's keys")
            return self._keys[kid]

    # ------------------------------------------------------------ tokens

    def verify(self, token: str) -> Identity:
        """The identity a valid token speaks for; `TokenError` says why another is refused."""
        import jwt
        from jwt import exceptions as e

        try:
            header = jwt.get_unverified_header(token)
        except e.DecodeError:
            raise TokenError("it is not a well-formed JWT") from None
        alg = header.get("alg")
        if alg not in self.algorithms:
            raise TokenError(f"its algorithm {str(alg)[:20]!r} is not accepted (accepted: "
                             f"{', '.join(self.algorithms)})")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenError("it names no key id (kid)")
        key = self.signing_key(kid)
        try:
            claims = jwt.decode(token, key.key, algorithms=[alg], audience=self.audience,
                                issuer=self.issuer, leeway=self.leeway,
                                options={"require": ["exp", "iss", "aud"]})
        except e.ExpiredSignatureError:
            raise TokenError("it has expired") from None
        except e.ImmatureSignatureError:
            raise TokenError("it is not valid yet (nbf or iat in the future)") from None
        except e.InvalidAudienceError:
            raise TokenError(f"it is not meant for this service (audience {self.audience!r} "
                             "expected)") from None
        except e.InvalidIssuerError:
            raise TokenError(f"it was not issued by {self.issuer}") from None
        except e.InvalidSignatureError:
            raise TokenError("its signature does not verify") from None
        except e.MissingRequiredClaimError as exc:
            raise TokenError(f"it lacks the {exc.claim!r} claim") from None
        except e.PyJWTError as exc:
            raise TokenError(f"it is not valid ({type(exc).__name__})") from None
        user = claim(claims, self.user_claim)
        if not isinstance(user, str) or not user:
            raise TokenError(f"it has no user name in its {self.user_claim!r} claim")
        if not _USER.fullmatch(user):
            raise TokenError(f"its user name in {self.user_claim!r} is not letters, digits "
                             "and . _ @ - (up to 100)")
        roles = claim(claims, self.role_claim)
        if isinstance(roles, str):
            roles = roles.replace(",", " ").split()
        roles = tuple(r for r in roles if isinstance(r, str)) if isinstance(roles, list) else ()
        return Identity(user=user, roles=roles, claims=claims)
