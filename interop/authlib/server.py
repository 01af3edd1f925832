"""An OAuth 2.0 / OpenID Connect provider built from Authlib's documented
server components, behind Flask, on 127.0.0.1, for the oauthconform interop
run (make interop).

    /usr/bin/python3 -I interop/authlib/server.py URL_FILE

It listens on a free loopback port, writes its issuer (http://127.0.0.1:PORT)
to URL_FILE once it serves, and reads its secrets from the environment:
AUTHLIB_WEB_SECRET, AUTHLIB_WEB2_SECRET, AUTHLIB_SVC_SECRET and
AUTHLIB_ALICE_PASSWORD.

What is Authlib's and what is ours: the authorization and token endpoints,
client authentication, every grant (authorization code with CodeChallenge and
OpenIDCode, implicit, OpenID implicit and hybrid, client credentials, refresh
token), the token generator, RFC 7009 revocation, RFC 7662 introspection, the
resource's Bearer validation and the ID Tokens are the library's, with its
defaults. Ours are what Authlib leaves to the integrator: storage (in memory,
shaped like the library's own SQLAlchemy mixins and the examples in its
docstrings), the login and consent pages, what OpenID Connect asks of the
authorization endpoint beyond the library's util.validate_request_prompt
(prompt=none answered without a page, prompt=login and max_age showing the
login form again, the sign-in time as auth_time, requests sent by POST), the
userinfo view, the discovery documents and the JWKS. Configuration beyond
the defaults, each said where it is made: refresh tokens on
(OAUTH2_REFRESH_TOKEN_GENERATOR, off by default), public clients ("none")
allowed at the token endpoint for the code and refresh grants, and a
two-second token lifetime for the svc-short client (the expiry checks).
"""

import html
import logging
import os
import secrets
import signal
import sys
import threading
import time
import urllib.parse

from flask import Flask, Response, jsonify, redirect, request, session
from werkzeug.serving import make_server

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector, current_token
from authlib.jose import JsonWebKey, JoseError, jwt
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, AuthorizationCodeMixin, TokenMixin, grants
from authlib.oauth2.rfc6749.util import list_to_scope, scope_to_list
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from authlib.oidc.core import UserInfo
from authlib.oidc.core.errors import ConsentRequiredError, LoginRequiredError
from authlib.oidc.core.grants import OpenIDCode, OpenIDHybridGrant, OpenIDImplicitGrant


def env(name):
    value = os.environ.get(name)
    if not value:
        print(f"authlib-op: environment variable {name} is not set", file=sys.stderr)
        sys.exit(2)
    return value


# Authlib refuses every OAuth request on a plain-http URL
# (authlib/common/security.py is_secure_transport, checked by
# authlib/oauth2/rfc6749/wrappers.py OAuth2Request through
# InsecureTransportError.check) unless this is set; make interop serves plain
# http on loopback, as it does the other providers.
os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"

if len(sys.argv) != 2:
    print("usage: python3 -I server.py URL_FILE", file=sys.stderr)
    sys.exit(2)
URL_FILE = sys.argv[1]
SECRETS = {
    "web": env("AUTHLIB_WEB_SECRET"),
    "web2": env("AUTHLIB_WEB2_SECRET"),
    "svc": env("AUTHLIB_SVC_SECRET"),
    "alice": env("AUTHLIB_ALICE_PASSWORD"),
}

# Nothing listens at the redirect URIs: the harness intercepts them in the
# browser. web2 registers a second one (RU-21).
REDIRECT = "https://client.example.test/callback"
REDIRECT2 = "https://client.example.test/callback2"

# One lock around the in-memory store, as a database would serialise writes;
# the library's own sequence of reads and writes is left as it is.
LOCK = threading.RLock()


# --- storage: in memory, with the fields and methods of the library's
# SQLAlchemy mixins (authlib/integrations/sqla_oauth2) ----------------------


class User:
    def __init__(self, user_id, username):
        self.id = user_id
        self.username = username

    def get_user_id(self):
        return self.id


USERS = {"alice": User("alice-1", "alice")}
USERS_BY_ID = {u.id: u for u in USERS.values()}


class Client(ClientMixin):
    """The client model, with the semantics of OAuth2ClientMixin."""

    def __init__(self, client_id, client_secret="", **metadata):
        self.client_id = client_id
        self.client_secret = client_secret
        self.metadata = metadata

    @property
    def redirect_uris(self):
        return self.metadata.get("redirect_uris", [])

    @property
    def scope(self):
        return self.metadata.get("scope", "")

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        if self.redirect_uris:
            return self.redirect_uris[0]
        return None

    def get_allowed_scope(self, scope):
        if not scope:
            return ""
        allowed = set(self.scope.split())
        return list_to_scope([s for s in scope_to_list(scope) if s in allowed])

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def has_client_secret(self):
        return bool(self.client_secret)

    def check_client_secret(self, client_secret):
        return bool(self.client_secret) and secrets.compare_digest(self.client_secret, client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        if endpoint == "token":
            return self.metadata.get("token_endpoint_auth_method", "client_secret_basic") == method
        return True

    def check_response_type(self, response_type):
        return response_type in self.metadata.get("response_types", [])

    def check_grant_type(self, grant_type):
        return grant_type in self.metadata.get("grant_types", [])


CLIENTS = {
    c.client_id: c
    for c in [
        Client(
            # Every OpenID Connect response type the server registers a
            # grant for (OpenIDImplicitGrant, OpenIDHybridGrant), so that the
            # Implicit, Hybrid and Form Post families (IM-, HB-, FP-, FI-,
            # FH-) and the hybrid checks (HY-, TF-21) run with it; the
            # hybrid codes are redeemed like any code.
            "web", SECRETS["web"], redirect_uris=[REDIRECT], scope="openid profile",
            grant_types=["authorization_code", "refresh_token", "implicit"],
            response_types=["code", "code id_token", "id_token", "id_token token", "code token", "code id_token token"],
            token_endpoint_auth_method="client_secret_basic",
        ),
        # client_secret_post, so that each method the token endpoint
        # advertises has a client of the profile (DSC-09).
        Client(
            "web2", SECRETS["web2"], redirect_uris=[REDIRECT, REDIRECT2], scope="openid profile",
            grant_types=["authorization_code", "refresh_token"], response_types=["code"],
            token_endpoint_auth_method="client_secret_post",
        ),
        Client(
            "spa", redirect_uris=[REDIRECT], scope="openid profile",
            grant_types=["authorization_code", "refresh_token"], response_types=["code"],
            token_endpoint_auth_method="none",
        ),
        # The implicit client: RFC 6749's "token" and OpenID's "id_token
        # token" / "id_token", and the hybrid response types, so that every
        # grant the server registers has a client.
        Client(
            "legacy-spa", redirect_uris=[REDIRECT], scope="openid profile",
            grant_types=["implicit", "authorization_code"],
            response_types=["token", "id_token token", "id_token", "code id_token", "code token", "code id_token token"],
            token_endpoint_auth_method="none",
        ),
        Client(
            "svc", SECRETS["svc"], scope="api.read", grant_types=["client_credentials"],
            token_endpoint_auth_method="client_secret_basic",
        ),
        # Tokens that expire within two seconds (expires_in below), for the
        # expiry checks; it shares svc's secret.
        Client(
            "svc-short", SECRETS["svc"], scope="api.read", grant_types=["client_credentials"],
            token_endpoint_auth_method="client_secret_basic",
        ),
    ]
}


class AuthorizationCode(AuthorizationCodeMixin):
    """With the fields of OAuth2AuthorizationCodeMixin; a code lives 300 s
    (its is_expired)."""

    def __init__(self, code, client_id, redirect_uri, response_type, scope, user_id, nonce,
                 code_challenge, code_challenge_method, auth_time):
        self.code = code
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.response_type = response_type
        self.scope = scope
        self.user_id = user_id
        self.nonce = nonce
        self.code_challenge = code_challenge
        self.code_challenge_method = code_challenge_method
        # When the user signed in (the ID Token's auth_time, which
        # OpenIDCode.process_token reads with get_auth_time), not when the
        # code was issued, which the SQLAlchemy mixin's auth_time column
        # defaults to (authlib/integrations/sqla_oauth2/tokens_mixins.py).
        self.auth_time = auth_time
        self.issued_at = int(time.time())

    def is_expired(self):
        return self.issued_at + 300 < time.time()

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_auth_time(self):
        return self.auth_time

    def get_nonce(self):
        return self.nonce


class Token(TokenMixin):
    """With the fields and methods of OAuth2TokenMixin."""

    def __init__(self, client_id, user_id, token_type, access_token, scope="", expires_in=0,
                 refresh_token=None, **_):
        self.client_id = client_id
        self.user_id = user_id
        self.token_type = token_type
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.scope = scope
        self.expires_in = expires_in
        self.issued_at = int(time.time())
        self.access_token_revoked_at = 0
        self.refresh_token_revoked_at = 0

    def check_client(self, client):
        return self.client_id == client.get_client_id()

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_revoked(self):
        return self.access_token_revoked_at or self.refresh_token_revoked_at

    def is_expired(self):
        if not self.expires_in:
            return False
        return self.issued_at + self.expires_in < time.time()


CODES = {}
TOKENS = []


def query_client(client_id):
    return CLIENTS.get(client_id)


def save_token(token, req):
    """As create_save_token_func does."""
    with LOCK:
        user_id = req.user.get_user_id() if req.user else None
        TOKENS.append(Token(client_id=req.client.client_id, user_id=user_id, **token))


def query_token(token_string, token_type_hint):
    """As create_query_token_func (and the RevocationEndpoint.query_token
    docstring) does: the hint selects the one column searched."""
    with LOCK:
        if token_type_hint == "access_token":
            return next((t for t in TOKENS if t.access_token == token_string), None)
        if token_type_hint == "refresh_token":
            return next((t for t in TOKENS if t.refresh_token == token_string), None)
        return next((t for t in TOKENS if t.access_token == token_string), None) or next(
            (t for t in TOKENS if t.refresh_token and t.refresh_token == token_string), None
        )


# --- the OpenID Connect pieces ---------------------------------------------

SIGNING_KEY = JsonWebKey.generate_key("RSA", 2048, is_private=True, options={"kid": secrets.token_hex(8)})
PRIVATE_JWK = SIGNING_KEY.as_dict(is_private=True, use="sig", alg="RS256")
PUBLIC_JWK = SIGNING_KEY.as_dict(is_private=False, use="sig", alg="RS256")
ISSUER = None  # set once the listener has its port


def jwt_config(auth_time=None):
    config = {"key": PRIVATE_JWK, "alg": "RS256", "iss": ISSUER, "exp": 3600}
    if auth_time is not None:
        # generate_id_token (authlib/oidc/core/grants/util.py) takes it;
        # the implicit and hybrid grants pass it only through this config.
        config["auth_time"] = auth_time
    return config


def session_auth_time():
    """When the signed-in user of this browser signed in (set by /login)."""
    return session.get("auth_time") or int(time.time())


def user_info(user, scope):
    info = UserInfo(sub=user.id)
    if "profile" in scope_to_list(scope or ""):
        info["preferred_username"] = user.username
    return info


def nonce_exists(nonce, req):
    with LOCK:
        return any(c.nonce == nonce and c.client_id == req.client_id for c in CODES.values())


class OIDCCode(OpenIDCode):
    def exists_nonce(self, nonce, req):
        return nonce_exists(nonce, req)

    def get_jwt_config(self, grant):
        return jwt_config()

    def generate_user_info(self, user, scope):
        return user_info(user, scope)


def save_code(code, req):
    with LOCK:
        CODES[code] = AuthorizationCode(
            code=code,
            client_id=req.client.client_id,
            redirect_uri=req.redirect_uri,
            response_type=req.response_type,
            scope=req.scope,
            user_id=req.user.id,
            nonce=req.data.get("nonce"),
            code_challenge=req.data.get("code_challenge"),
            code_challenge_method=req.data.get("code_challenge_method"),
            auth_time=session_auth_time(),
        )


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    # The library's default is Basic and post; "none" lets the public client
    # redeem its code with PKCE, as the Authlib docs show.
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def save_authorization_code(self, code, req):
        save_code(code, req)

    def query_authorization_code(self, code, client):
        with LOCK:
            item = CODES.get(code)
            if item and item.client_id == client.client_id and not item.is_expired():
                return item
            return None

    def delete_authorization_code(self, authorization_code):
        with LOCK:
            CODES.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return USERS_BY_ID.get(authorization_code.user_id)


class ImplicitGrant(grants.ImplicitGrant):
    pass


class OIDCImplicitGrant(OpenIDImplicitGrant):
    def exists_nonce(self, nonce, req):
        return nonce_exists(nonce, req)

    def get_jwt_config(self):
        return jwt_config(session_auth_time())

    def generate_user_info(self, user, scope):
        return user_info(user, scope)


class OIDCHybridGrant(OpenIDHybridGrant):
    def save_authorization_code(self, code, req):
        save_code(code, req)

    def exists_nonce(self, nonce, req):
        return nonce_exists(nonce, req)

    def get_jwt_config(self):
        return jwt_config(session_auth_time())

    def generate_user_info(self, user, scope):
        return user_info(user, scope)


class RefreshTokenGrant(grants.RefreshTokenGrant):
    # The library's default is Basic only; the public client refreshes with
    # its client_id ("none") and web may use post, like the code grant above.
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def authenticate_refresh_token(self, refresh_token):
        token = query_token(refresh_token, "refresh_token")
        if token and not token.refresh_token_revoked_at and not token.is_expired():
            return token
        return None

    def authenticate_user(self, credential):
        return USERS_BY_ID.get(credential.user_id)

    def revoke_old_credential(self, credential):
        with LOCK:
            now = int(time.time())
            credential.access_token_revoked_at = now
            credential.refresh_token_revoked_at = now


class Revocation(RevocationEndpoint):
    def query_token(self, token_string, token_type_hint):
        return query_token(token_string, token_type_hint)

    def revoke_token(self, token, req):
        """As create_revocation_endpoint does: a hint of access_token revokes
        only the access token."""
        with LOCK:
            now = int(time.time())
            token.access_token_revoked_at = now
            if req.form.get("token_type_hint") != "access_token":
                token.refresh_token_revoked_at = now


class Introspection(IntrospectionEndpoint):
    def query_token(self, token_string, token_type_hint):
        return query_token(token_string, token_type_hint)

    def check_permission(self, token, client, req):
        # Any authenticated client may introspect any token (the endpoint
        # authenticates the caller, CLIENT_AUTH_METHODS, first).
        return True

    def introspect_token(self, token):
        """The fields of the IntrospectionEndpoint.introspect_token docstring."""
        user = USERS_BY_ID.get(token.user_id)
        out = {
            "active": True,
            "client_id": token.client_id,
            "token_type": token.token_type,
            "scope": token.get_scope(),
            "aud": token.client_id,
            "iss": ISSUER,
            "exp": token.issued_at + token.expires_in,
            "iat": token.issued_at,
        }
        if user:
            out["username"] = user.username
            out["sub"] = user.id
        return out


class BearerValidator(BearerTokenValidator):
    def authenticate_token(self, token_string):
        with LOCK:
            return next((t for t in TOKENS if t.access_token == token_string), None)


# --- the Flask app -----------------------------------------------------------

app = Flask(__name__)
app.config.update(
    SECRET_KEY=secrets.token_bytes(32),
    # Our login session cookie: SameSite=Lax (Flask's default sets none).
    SESSION_COOKIE_SAMESITE="Lax",
    # The one configuration of the token generator beyond its defaults.
    OAUTH2_REFRESH_TOKEN_GENERATOR=True,
)

server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
# svc-short's tokens live two seconds; every other lifetime is the library's
# (BearerTokenGenerator.GRANT_TYPES_EXPIRES_IN, DEFAULT_EXPIRES_IN).
_default = server.create_bearer_token_generator(app.config)


def _expires_in(client, grant_type):
    if client.client_id == "svc-short":
        return 2
    return BearerTokenGenerator.GRANT_TYPES_EXPIRES_IN.get(grant_type, BearerTokenGenerator.DEFAULT_EXPIRES_IN)


server.register_token_generator(
    "default",
    BearerTokenGenerator(_default.access_token_generator, _default.refresh_token_generator, _expires_in),
)
server.register_grant(AuthorizationCodeGrant, [CodeChallenge(), OIDCCode()])
server.register_grant(ImplicitGrant)
server.register_grant(OIDCImplicitGrant)
server.register_grant(OIDCHybridGrant)
server.register_grant(grants.ClientCredentialsGrant)
server.register_grant(RefreshTokenGrant)
server.register_endpoint(Revocation)
server.register_endpoint(Introspection)

require_oauth = ResourceProtector()
require_oauth.register_token_validator(BearerValidator())


def page(title, body):
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>' + html.escape(title) + "</title>"
        "<style>body{font-family:sans-serif;max-width:24rem;margin:2rem auto}"
        "label,input,button{display:block;margin:.4rem 0}#error{color:#b00}</style>"
        "</head><body><h1>" + html.escape(title) + "</h1>" + body + "</body></html>"
    )


@app.after_request
def page_headers(resp):
    # Our pages (login, consent, errors of ours) get the headers a deployment
    # should send, so that the page checks judge the library, not our gaps.
    if resp.mimetype == "text/html":
        resp.headers.setdefault("Cache-Control", "no-store")
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


def current_user():
    uid = session.get("uid")
    return USERS_BY_ID.get(uid) if uid else None


def csrf_token():
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def login_page(next_url, error=None):
    err = f'<p id="error">{html.escape(error)}</p>' if error else ""
    return page(
        "Sign in",
        err
        + '<form method="post" action="/login" autocomplete="off">'
        + f'<input type="hidden" name="next" value="{html.escape(next_url)}">'
        + f'<input type="hidden" name="csrf" value="{html.escape(csrf_token())}">'
        + '<label>Username <input id="username" name="username" required autofocus></label>'
        + '<label>Password <input id="password" name="password" type="password" required></label>'
        + '<button id="signin" type="submit">Sign in</button></form>',
    )


def safe_next(value):
    # Only a path on this server (the authorization endpoint), never elsewhere.
    parsed = urllib.parse.urlsplit(value or "")
    if parsed.scheme or parsed.netloc or not parsed.path.startswith("/oauth/authorize"):
        return "/"
    return value


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return page_response(login_page(safe_next(request.args.get("next"))))
    next_url = safe_next(request.form.get("next"))
    if not secrets.compare_digest(request.form.get("csrf", ""), session.get("csrf", "")):
        return page_response(login_page(next_url, "The form expired; sign in again."), 400)
    user = USERS.get(request.form.get("username", ""))
    if user is None or not secrets.compare_digest(request.form.get("password", ""), SECRETS["alice"]):
        return page_response(login_page(next_url, "Invalid username or password."))
    session.clear()
    session["uid"] = user.id
    # The sign-in's time is the ID Token's auth_time (OIDC Core §2), and
    # the authorization request the form returns to was answered by this
    # sign-in (prompt=login, max_age: see reauthentication_needed).
    session["auth_time"] = int(time.time())
    session["fresh_login"] = True
    return redirect(next_url)


def page_response(body, status=200):
    return Response(body, status=status, mimetype="text/html")


def login_url(next_url):
    return "/login?" + urllib.parse.urlencode({"next": next_url})


def is_consent_submission():
    """The consent form's POST (its csrf and confirm fields), as opposed to
    an authorization request sent by POST (OIDC Core §3.1.2.1: the
    authorization endpoint MUST support GET and POST)."""
    return request.method == "POST" and "csrf" in request.form and "confirm" in request.form


def request_url():
    """This authorization request as a GET URL of this endpoint, for the
    login form to come back to and the consent form to post to. Authlib
    reads a POSTed request from the form (authlib/integrations/flask_helpers.py
    create_oauth_request), so both forms carry the same request."""
    if request.method == "GET":
        return request.full_path
    return "/oauth/authorize?" + urllib.parse.urlencode(list(request.form.items(multi=True)))


def reauthentication_needed(params):
    """OIDC Core §3.1.2.1, which Authlib 1.2.0 leaves to the application:
    prompt=login asks for a new sign-in (util.validate_request_prompt sets
    grant.prompt to "login" only when nobody is signed in), and so does a
    sign-in older than max_age (no max_age anywhere in authlib/)."""
    if "login" in (params.get("prompt") or "").split():
        return True
    max_age = params.get("max_age")
    if max_age is not None and max_age.isdigit():
        return time.time() - session_auth_time() > int(max_age)
    return False


def hint_matches(user, hint):
    """An id_token_hint names the signed-in user: one of our ID Tokens (its
    signature checked with our key; it may have expired) whose sub is hers."""
    try:
        claims = jwt.decode(hint, PUBLIC_JWK)
    except (JoseError, ValueError):
        return False
    return claims.get("sub") == user.id


def consented(grant):
    """Whether the signed-in user consented in this session to the client
    and every scope now asked for (the consent form records it)."""
    granted = session.get("consents", {}).get(grant.client.client_id, [])
    return set(scope_to_list(grant.request.scope or "")) <= set(granted)


def silent_error(grant, error_cls):
    """An OpenID error of prompt=none, redirected as Authlib's own
    (LoginRequiredError from util.validate_request_prompt) are."""
    fragment = grant.request.response_type != "code"
    error = error_cls(state=grant.request.state, redirect_uri=grant.redirect_uri, redirect_fragment=fragment)
    return server.handle_error_response(request, error)


@app.route("/oauth/authorize", methods=["GET", "POST"])
def authorize():
    """The authorization endpoint as the Authlib docs show it: validate the
    request with get_consent_grant, ask for login, then consent, then
    create_authorization_response. An OpenID request's prompt and max_age
    are honoured here (OIDC Core §3.1.2.1): prompt=none answers at once,
    with a code when the user is signed in and consented in this session
    to this client and scope, else with Authlib's login_required or
    consent_required; prompt=login and an older sign-in than max_age show
    the login form again."""
    if is_consent_submission():
        return consent_submitted()
    user = current_user()
    params = request.values
    here = request_url()
    fresh = "fresh_login" in session and session.pop("fresh_login")
    try:
        # Raises login_required for prompt=none without a signed-in user.
        grant = server.get_consent_grant(end_user=user)
    except OAuth2Error as error:
        # Redirects when the library attached a redirect URI to the
        # error, else its JSON error body.
        return server.handle_error_response(request, error)
    silent = "none" in (params.get("prompt") or "").split()
    if user is not None and not fresh and reauthentication_needed(params):
        if silent:
            return silent_error(grant, LoginRequiredError)
        return redirect(login_url(here))
    if user is None:
        return redirect(login_url(here))
    if silent:
        hint = params.get("id_token_hint")
        if hint and not hint_matches(user, hint):
            return silent_error(grant, LoginRequiredError)
        if not consented(grant):
            return silent_error(grant, ConsentRequiredError)
        return server.create_authorization_response(grant_user=user)
    client = grant.client
    scope = client.get_allowed_scope(grant.request.scope)
    action = html.escape(here)
    token = html.escape(csrf_token())
    return page_response(page(
        "Authorize",
        f"<p>The application <strong>{html.escape(client.client_id)}</strong> asks for: "
        f"{html.escape(scope or '(no scopes)')}</p>"
        f'<form method="post" action="{action}"><input type="hidden" name="csrf" value="{token}">'
        '<button id="approve" name="confirm" value="yes" type="submit">Allow</button>'
        '<button id="deny" name="confirm" value="no" type="submit">Deny</button></form>',
    ))


def consent_submitted():
    """The consent form: the request is in its action's query."""
    user = current_user()
    if user is None:
        return redirect(login_url(request.full_path))
    if not secrets.compare_digest(request.form.get("csrf", ""), session.get("csrf", "")):
        return page_response(page("Error", '<p id="error">The form expired.</p>'), 400)
    if request.form.get("confirm") != "yes":
        return server.create_authorization_response(grant_user=None)
    client_id = request.args.get("client_id", "")
    if client_id in CLIENTS:
        consents = dict(session.get("consents", {}))
        scopes = set(consents.get(client_id, []))
        scopes.update(scope_to_list(CLIENTS[client_id].get_allowed_scope(request.args.get("scope", ""))))
        consents[client_id] = sorted(scopes)
        session["consents"] = consents
    return server.create_authorization_response(grant_user=user)


@app.route("/oauth/token", methods=["POST"])
def issue_token():
    return server.create_token_response()


@app.route("/oauth/revoke", methods=["POST"])
def revoke_token():
    return server.create_endpoint_response(Revocation.ENDPOINT_NAME)


@app.route("/oauth/introspect", methods=["POST"])
def introspect_token():
    return server.create_endpoint_response(Introspection.ENDPOINT_NAME)


@app.route("/api/me")
@require_oauth()
def api_me():
    tok = current_token
    return jsonify(sub=tok.user_id or tok.client_id, client_id=tok.client_id, scope=tok.scope)


# OIDC Core §5.3: GET and POST.
@app.route("/oauth/userinfo", methods=["GET", "POST"])
@require_oauth("openid")
def userinfo():
    return jsonify(user_info(USERS_BY_ID[current_token.user_id], current_token.scope))


@app.route("/oauth/jwks")
def jwks():
    return jsonify(keys=[PUBLIC_JWK])


def metadata():
    """RFC 8414 / OpenID discovery: what the registered grants and endpoints
    support, in the library's words (their RESPONSE_TYPES, GRANT_TYPE,
    TOKEN_ENDPOINT_AUTH_METHODS, CLIENT_AUTH_METHODS and CodeChallenge's
    SUPPORTED_CODE_CHALLENGE_METHOD)."""
    response_types = ["code"] + sorted(ImplicitGrant.RESPONSE_TYPES | OIDCImplicitGrant.RESPONSE_TYPES
                                       | OIDCHybridGrant.RESPONSE_TYPES)
    auth_methods = []
    for g in (AuthorizationCodeGrant, RefreshTokenGrant, grants.ClientCredentialsGrant):
        for m in g.TOKEN_ENDPOINT_AUTH_METHODS:
            if m not in auth_methods:
                auth_methods.append(m)
    return {
        "issuer": ISSUER,
        "authorization_endpoint": ISSUER + "/oauth/authorize",
        "token_endpoint": ISSUER + "/oauth/token",
        "userinfo_endpoint": ISSUER + "/oauth/userinfo",
        "jwks_uri": ISSUER + "/oauth/jwks",
        "revocation_endpoint": ISSUER + "/oauth/revoke",
        "revocation_endpoint_auth_methods_supported": list(Revocation.CLIENT_AUTH_METHODS),
        "introspection_endpoint": ISSUER + "/oauth/introspect",
        "introspection_endpoint_auth_methods_supported": list(Introspection.CLIENT_AUTH_METHODS),
        "scopes_supported": ["openid", "profile", "api.read"],
        "response_types_supported": response_types,
        "response_modes_supported": ["query", "fragment", "form_post"],
        "grant_types_supported": ["authorization_code", "implicit", "refresh_token", "client_credentials"],
        "token_endpoint_auth_methods_supported": auth_methods,
        "code_challenge_methods_supported": list(CodeChallenge.SUPPORTED_CODE_CHALLENGE_METHOD),
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }


@app.route("/.well-known/openid-configuration")
@app.route("/.well-known/oauth-authorization-server")
def discovery():
    return jsonify(metadata())


def main():
    global ISSUER
    # No access log: its request lines would carry the codes, tokens and
    # secrets some checks send in URLs into reports/interop/authlib/server.log.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    ISSUER = f"http://127.0.0.1:{srv.server_port}"

    def stop(*_):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    tmp = URL_FILE + ".tmp"
    with open(tmp, "w") as f:
        f.write(ISSUER)
    os.replace(tmp, URL_FILE)
    print(f"authlib-op {ISSUER}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
