"""Single sign-on: OpenID Connect tokens checked against a provider's JWKS served on loopback
(discovery, caching, rotation, rate limit), each bad token refused with 401 and its reason."""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi.testclient import TestClient
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from runservice_fixtures import NOTEBOOKS

from holocron_lib.errors import SettingsError, TokenError
from holocron_lib.service.api import create_app
from holocron_lib.service.oidc import OidcVerifier
from holocron_lib.settings import load_settings

AUDIENCE = "holocron-api"


class Provider:
    """A tiny identity provider on loopback: discovery document and key set, counted."""

    def __init__(self):
        self.keys: list[dict] = []
        self.hits = {"discovery": 0, "jwks": 0}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                if self.path == "/realms/team/.well-known/openid-configuration":
                    provider.hits["discovery"] += 1
                    body = {"issuer": provider.issuer, "jwks_uri": provider.jwks_url}
                elif self.path == "/realms/team/protocol/openid-connect/certs":
                    provider.hits["jwks"] += 1
                    body = {"keys": provider.keys}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        port = self.server.server_address[1]
        self.issuer = f"http://127.0.0.1:{port}/realms/team"
        self.jwks_url = f"{self.issuer}/protocol/openid-connect/certs"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def add_rsa(self, kid: str):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
        self.keys.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})
        return key


@pytest.fixture(scope="module")
def provider():
    p = Provider()
    p.thread.start()
    p.key = p.add_rsa("k1")
    ec_key = ec.generate_private_key(ec.SECP256R1())
    p.keys.append({**ECAlgorithm.to_jwk(ec_key.public_key(), as_dict=True), "kid": "e1",
                   "alg": "ES256", "use": "sig"})
    p.ec_key = ec_key
    yield p
    p.server.shutdown()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _claims(provider, **over):
    now = int(time.time())
    claims = {"iss": provider.issuer, "aud": AUDIENCE, "sub": "u-1", "iat": now,
              "exp": now + 300, "preferred_username": "ana",
              "realm_access": {"roles": ["runner", "offline_access"]}}
    claims.update(over)
    return {k: v for k, v in claims.items() if v is not None}


def _token(provider, key=None, kid="k1", alg="RS256", **over) -> str:
    return jwt.encode(_claims(provider, **over), key or provider.key, algorithm=alg,
                      headers={"kid": kid})


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.fixture
def app_client(provider, clean_env):
    provider.hits.update(discovery=0, jwks=0)
    settings = load_settings(env={
        "HOLOCRON_HOME": str(clean_env),
        "HOLOCRON_STORE_URL": f"sqlite:///{clean_env}/runs.sqlite",
        "HOLOCRON_API_TOKENS": "tok-bob-0123456789ab=bob", "HOLOCRON_OIDC_ISSUER": provider.issuer,
        "HOLOCRON_OIDC_AUDIENCE": AUDIENCE}, dotenv=False)
    app = create_app(settings, notebooks_root=NOTEBOOKS, run_worker=False, run_scheduler=False)
    clock = Clock()
    app.state.oidc.clock = clock
    with TestClient(app) as client:
        yield client, clock


def _get(client, token):
    return client.get("/runs", headers={"Authorization": f"Bearer {token}"})


def test_a_good_token_is_the_user_it_names_and_the_keys_are_fetched_once(app_client, provider):
    client, _ = app_client
    for _ in range(3):
        assert _get(client, _token(provider)).status_code == 200
    r = client.post("/notebooks/simple_params/runs", json={},
                    headers={"Authorization": f"Bearer {_token(provider)}"})
    assert r.status_code == 202 and r.json()["user"] == "ana"
    reader = _token(provider, realm_access={"roles": ["offline_access"]})  # no service role
    assert _get(client, reader).status_code == 200
    refused = client.post("/notebooks/simple_params/runs", json={},
                          headers={"Authorization": f"Bearer {reader}"})
    assert refused.status_code == 403
    assert refused.json()["error"]["details"] == {"needed_role": "runner", "role": "viewer"}
    es = _token(provider, key=provider.ec_key, kid="e1", alg="ES256")
    assert _get(client, es).status_code == 200
    assert provider.hits == {"discovery": 1, "jwks": 1}  # discovered once, cached
    assert _get(client, "tok-bob-0123456789ab").status_code == 200  # configured tokens still work


def _bad_tokens(provider) -> dict[str, tuple[str, str]]:
    now = int(time.time())
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    good = _token(provider)
    header, _, signature = good.split(".")
    forged = _b64(_claims(provider, preferred_username="admin"))
    public_pem = provider.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input = f"{_b64({'alg': 'HS256', 'kid': 'k1'})}.{_b64(_claims(provider))}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    confused = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    return {
        "expired": (_token(provider, exp=now - 120), "it has expired"),
        "not yet valid": (_token(provider, nbf=now + 600), "it is not valid yet"),
        "wrong issuer": (_token(provider, iss="http://127.0.0.1:1/realms/evil"),
                         f"it was not issued by {provider.issuer}"),
        "wrong audience": (_token(provider, aud="another-app"),
                           "it is not meant for this service"),
        "unknown key": (_token(provider, key=stranger, kid="stranger"),
                        "its key id 'stranger' is not one of the provider's keys"),
        "alg none": (f"{_b64({'alg': 'none', 'kid': 'k1'})}.{_b64(_claims(provider))}.",
                     "its algorithm 'none' is not accepted"),
        # the key-confusion attack: an HMAC keyed with the provider's public key
        "hs256 with the public key": (confused, "its algorithm 'HS256' is not accepted"),
        "tampered": (f"{header}.{forged}.{signature}", "its signature does not verify"),
        "no expiry": (_token(provider, exp=None), "it lacks the 'exp' claim"),
        "no user": (_token(provider, preferred_username=None),
                    "it has no user name in its 'preferred_username' claim"),
        "garbage": ("a.b.c", "it is not a well-formed JWT"),
    }


def test_every_bad_token_is_refused_with_401_and_its_reason(app_client, provider):
    client, _ = app_client
    for case, (token, reason) in _bad_tokens(provider).items():
        r = _get(client, token)
        assert r.status_code == 401, case
        error = r.json()["error"]
        assert error["code"] == "unauthorized"
        assert error["message"].startswith(f"the bearer token is not valid: {reason}"), case
        assert error["details"]["reason"] == error["message"].split(": ", 1)[1]
        assert r.headers["www-authenticate"] == 'Bearer error="invalid_token"'
        assert "admin" not in r.text and token not in r.text  # nothing of the token echoed


def test_a_token_just_past_expiry_passes_within_the_leeway(app_client, provider):
    client, _ = app_client
    assert _get(client, _token(provider, exp=int(time.time()) - 10)).status_code == 200


def test_unknown_key_ids_refetch_the_keys_at_most_once_per_interval(app_client, provider):
    client, clock = app_client
    assert _get(client, _token(provider)).status_code == 200
    assert provider.hits["jwks"] == 1
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for kid in ("x1", "x2", "x3"):  # made-up key ids at the same moment: no new fetch
        assert _get(client, _token(provider, key=stranger, kid=kid)).status_code == 401
    assert provider.hits["jwks"] == 1

    rotated = provider.add_rsa("k2")  # the provider rotates its key
    try:
        token = _token(provider, key=rotated, kid="k2")
        assert _get(client, token).status_code == 401  # still within the interval
        clock.now += 61
        assert _get(client, token).status_code == 200  # fetched again, the new key is known
        assert provider.hits["jwks"] == 2
        clock.now += 3601
        assert _get(client, _token(provider)).status_code == 200  # an old set is refreshed
        assert provider.hits["jwks"] == 3
    finally:
        provider.keys[:] = [k for k in provider.keys if k["kid"] != "k2"]


def test_user_and_roles_come_from_configurable_claims(provider):
    nested = OidcVerifier(provider.issuer, AUDIENCE, jwks_url=provider.jwks_url)
    who = nested.verify(_token(provider))
    assert (who.user, who.roles, who.role) == ("ana", ("runner", "offline_access"), "runner")
    boss = nested.verify(_token(provider, realm_access={"roles": ["admin", "runner"]}))
    assert boss.role == "admin"
    flat = OidcVerifier(provider.issuer, AUDIENCE, jwks_url=provider.jwks_url,
                        user_claim="email", role_claim="groups")
    who = flat.verify(_token(provider, email="ana@example.org", groups="runners, readers"))
    assert (who.user, who.roles, who.role) == ("ana@example.org", ("runners", "readers"),
                                               "viewer")
    assert flat.verify(_token(provider, email="x@y", groups="operator")).role == "operator"
    assert flat.verify(_token(provider, email="x@y")).roles == ()
    with pytest.raises(TokenError, match="user name in 'email' is not letters"):
        flat.verify(_token(provider, email="ana <ana@example.org>"))


def test_a_discovery_document_for_another_issuer_is_refused(provider):
    other = OidcVerifier(provider.issuer + "-not", AUDIENCE)
    with pytest.raises(TokenError, match="did not answer|names another issuer"):
        other.verify(_token(provider))
    with pytest.raises(TokenError, match="'HS256' is not accepted"):
        OidcVerifier(provider.issuer, AUDIENCE, algorithms=("HS256", "RS256")).verify(
            f"{_b64({'alg': 'HS256', 'kid': 'k1'})}.{_b64(_claims(provider))}.c2ln")


def test_single_sign_on_settings_are_checked_where_used(clean_env):
    no_audience = load_settings(env={"HOLOCRON_HOME": str(clean_env),
                                     "HOLOCRON_OIDC_ISSUER": "https://sso.example/realms/team"},
                                dotenv=False)
    with pytest.raises(SettingsError, match="HOLOCRON_OIDC_AUDIENCE.*required"):
        OidcVerifier.from_settings(no_audience)
    not_a_url = load_settings(env={"HOLOCRON_HOME": str(clean_env),
                                   "HOLOCRON_OIDC_ISSUER": "sso", "HOLOCRON_OIDC_AUDIENCE": "x"},
                              dotenv=False)
    with pytest.raises(SettingsError, match="HOLOCRON_OIDC_ISSUER"):
        OidcVerifier.from_settings(not_a_url)
    off = load_settings(env={"HOLOCRON_HOME": str(clean_env)}, dotenv=False)
    assert OidcVerifier.from_settings(off) is None
