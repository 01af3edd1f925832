"""An OAuth 2.0 provider built on oauthlib's all-in-one oauthlib.oauth2.Server
and a RequestValidator, behind Flask, on 127.0.0.1, for the oauthconform
interop run (make interop).

    /usr/bin/python3 -I interop/oauthlib/server.py URL_FILE

It listens on a free loopback port, writes its issuer (http://127.0.0.1:PORT)
to URL_FILE once it serves, and reads its secrets from the environment:
OAUTHLIB_WEB_SECRET, OAUTHLIB_WEB2_SECRET, OAUTHLIB_SVC_SECRET and
OAUTHLIB_ALICE_PASSWORD.

What is oauthlib's and what is ours: request parsing and validation, the
grants (authorization code with PKCE, implicit, password, client credentials,
refresh token, as oauthlib.oauth2.Server registers them), token generation,
the token, revocation, introspection and resource endpoints and the RFC 8414
metadata (MetadataEndpoint) are the library's, with its defaults. oauthlib
leaves storage and every decision about clients, codes and tokens to the
RequestValidator, written here the way its docstrings
(oauthlib/oauth2/rfc6749/request_validator.py) ask: clients authenticated by
their secret (Basic or client_secret_post, never both), codes bound to client, redirect URI, PKCE
challenge and a ten-minute lifetime, tokens in memory. Ours too: Flask glue,
the login and consent pages (an authorization request sent by POST is
validated as the same GET request, RFC 6749 §3.1), the resource's 401
answer, and catching the
OAuth2Error some endpoints raise to their caller. Configuration beyond
the defaults: PKCE required for public clients (is_pkce_required, off by
default) and a two-second token lifetime for svc-short (token_expires_in).
"""

import base64
import binascii
import html
import json
import logging
import os
import secrets
import signal
import sys
import threading
import time
import urllib.parse

# oauthlib refuses every request on a plain-http URL
# (oauthlib/oauth2/rfc6749/utils.py is_secure_transport, checked by
# endpoints/base.py and the MetadataEndpoint issuer) unless this is set;
# make interop serves plain http on loopback, as it does the other providers.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

from flask import Flask, Response, redirect, request, session  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from oauthlib.oauth2 import FatalClientError, OAuth2Error, RequestValidator, Server  # noqa: E402
from oauthlib.oauth2.rfc6749.endpoints.metadata import MetadataEndpoint  # noqa: E402
from oauthlib.oauth2.rfc6749.errors import AccessDeniedError  # noqa: E402


def env(name):
    value = os.environ.get(name)
    if not value:
        print(f"oauthlib-op: environment variable {name} is not set", file=sys.stderr)
        sys.exit(2)
    return value


if len(sys.argv) != 2:
    print("usage: python3 -I server.py URL_FILE", file=sys.stderr)
    sys.exit(2)
URL_FILE = sys.argv[1]
SECRETS = {
    "web": env("OAUTHLIB_WEB_SECRET"),
    "web2": env("OAUTHLIB_WEB2_SECRET"),
    "svc": env("OAUTHLIB_SVC_SECRET"),
    "alice": env("OAUTHLIB_ALICE_PASSWORD"),
}

# Nothing listens at the redirect URIs: the harness intercepts them in the
# browser. web2 registers a second one (RU-21).
REDIRECT = "https://client.example.test/callback"
REDIRECT2 = "https://client.example.test/callback2"
CODE_LIFETIME = 600  # RFC 6749 §4.1.2: "a maximum ... of 10 minutes is RECOMMENDED"

LOCK = threading.RLock()


class Client:
    def __init__(self, client_id, secret=None, redirect_uris=(), grant_types=(), response_types=(), scopes=()):
        self.client_id = client_id
        self.secret = secret
        self.redirect_uris = list(redirect_uris)
        self.grant_types = list(grant_types)
        self.response_types = list(response_types)
        self.scopes = list(scopes)

    @property
    def confidential(self):
        return self.secret is not None


CLIENTS = {
    c.client_id: c
    for c in [
        Client("web", SECRETS["web"], [REDIRECT], ["authorization_code", "refresh_token"], ["code"], ["profile", "email"]),
        Client("web2", SECRETS["web2"], [REDIRECT, REDIRECT2], ["authorization_code", "refresh_token"], ["code"],
               ["profile", "email"]),
        Client("spa", None, [REDIRECT], ["authorization_code", "refresh_token"], ["code"], ["profile", "email"]),
        Client("legacy-spa", None, [REDIRECT], ["implicit"], ["token"], ["profile", "email"]),
        Client("svc", SECRETS["svc"], [], ["client_credentials"], [], ["api.read"]),
        # Tokens that live two seconds (token_expires_in below); shares svc's secret.
        Client("svc-short", SECRETS["svc"], [], ["client_credentials"], [], ["api.read"]),
    ]
}
USERS = {"alice": "alice-1"}

CODES = {}  # code -> dict
TOKENS = []  # dicts: access_token, refresh_token, client_id, user, scopes, expires_at, revoked flags


def basic_credentials(req):
    auth = req.headers.get("Authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        raw = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = raw.partition(":")
    if not sep:
        return None
    return urllib.parse.unquote_plus(client_id), urllib.parse.unquote_plus(secret)


def find_token(value, kind):
    for t in TOKENS:
        if t.get(kind) == value:
            return t
    return None


class Validator(RequestValidator):
    """Every method oauthlib.oauth2.Server's grants and endpoints call, as the
    docstrings in oauthlib/oauth2/rfc6749/request_validator.py describe them."""

    # --- clients -------------------------------------------------------

    def client_authentication_required(self, req, *args, **kwargs):
        # Confidential clients, and any client that sends credentials.
        client = CLIENTS.get(req.client_id or "")
        return bool(basic_credentials(req) or getattr(req, "client_secret", None) or (client and client.confidential))

    def authenticate_client(self, req, *args, **kwargs):
        basic = basic_credentials(req)
        post_secret = getattr(req, "client_secret", None)
        if basic and post_secret:
            return False  # two methods in one request (RFC 6749 §2.3)
        if basic:
            client_id, secret = basic
            if req.client_id and req.client_id != client_id:
                return False
        elif post_secret:
            client_id, secret = req.client_id, post_secret
        else:
            return False
        client = CLIENTS.get(client_id or "")
        if not client or not client.confidential:
            return False
        if not secrets.compare_digest(client.secret.encode(), secret.encode()):
            return False
        req.client = client
        req.client_id = client.client_id
        return True

    def authenticate_client_id(self, client_id, req, *args, **kwargs):
        client = CLIENTS.get(client_id or "")
        if not client or client.confidential:
            return False
        req.client = client
        return True

    def validate_client_id(self, client_id, req, *args, **kwargs):
        return client_id in CLIENTS

    def validate_redirect_uri(self, client_id, redirect_uri, req, *args, **kwargs):
        return redirect_uri in CLIENTS[client_id].redirect_uris

    def get_default_redirect_uri(self, client_id, req, *args, **kwargs):
        uris = CLIENTS[client_id].redirect_uris
        return uris[0] if len(uris) == 1 else None

    def validate_response_type(self, client_id, response_type, client, req, *args, **kwargs):
        return response_type in CLIENTS[client_id].response_types

    def validate_grant_type(self, client_id, grant_type, client, req, *args, **kwargs):
        return grant_type in CLIENTS[client_id].grant_types

    def validate_scopes(self, client_id, scopes, client, req, *args, **kwargs):
        return all(s in CLIENTS[client_id].scopes for s in scopes)

    def get_default_scopes(self, client_id, req, *args, **kwargs):
        return list(CLIENTS[client_id].scopes)

    def is_pkce_required(self, client_id, req):
        client = CLIENTS.get(client_id or "")
        return bool(client and not client.confidential)

    # --- authorization codes ---------------------------------------------

    def save_authorization_code(self, client_id, code, req, *args, **kwargs):
        with LOCK:
            CODES[code["code"]] = {
                "client_id": client_id,
                "redirect_uri": req.redirect_uri,
                "user": req.user,
                "scopes": list(req.scopes or []),
                "challenge": req.code_challenge,
                "method": req.code_challenge_method,
                "expires_at": time.time() + CODE_LIFETIME,
                "tokens": [],
            }

    def validate_code(self, client_id, code, client, req, *args, **kwargs):
        with LOCK:
            item = CODES.get(code)
            if not item or item["client_id"] != client_id or item["expires_at"] < time.time():
                return False
            req.user = item["user"]
            req.scopes = item["scopes"]
            req.code_challenge = item["challenge"]
            req.code_challenge_method = item["method"]
            req.code_record = item
            return True

    def confirm_redirect_uri(self, client_id, code, redirect_uri, client, req, *args, **kwargs):
        with LOCK:
            item = CODES.get(code)
            return bool(item) and item["redirect_uri"] == redirect_uri

    def invalidate_authorization_code(self, client_id, code, req, *args, **kwargs):
        with LOCK:
            CODES.pop(code, None)

    def get_code_challenge(self, code, req):
        with LOCK:
            item = CODES.get(code)
            return item["challenge"] if item else None

    def get_code_challenge_method(self, code, req):
        with LOCK:
            item = CODES.get(code)
            return item["method"] if item else None

    # --- tokens --------------------------------------------------------------

    def save_bearer_token(self, token, req, *args, **kwargs):
        with LOCK:
            client_id = req.client.client_id if getattr(req, "client", None) else req.client_id
            TOKENS.append({
                "access_token": token["access_token"],
                "refresh_token": token.get("refresh_token"),
                "client_id": client_id,
                "user": req.user,
                "scopes": token.get("scope", "").split(),
                "expires_at": time.time() + token.get("expires_in", 3600),
                "issued_at": int(time.time()),
                "access_revoked": False,
                "refresh_revoked": False,
            })

    def validate_bearer_token(self, token, scopes, req):
        with LOCK:
            t = find_token(token, "access_token") if token else None
            if not t or t["access_revoked"] or t["expires_at"] < time.time():
                return False
            if not all(s in t["scopes"] for s in scopes):
                return False
            req.client_id = t["client_id"]
            req.user = t["user"]
            req.scopes = t["scopes"]
            req.access_token_record = t
            return True

    def validate_refresh_token(self, refresh_token, client, req, *args, **kwargs):
        with LOCK:
            t = find_token(refresh_token, "refresh_token")
            if not t or t["refresh_revoked"] or t["client_id"] != client.client_id:
                return False
            if self.rotate_refresh_token(req):
                # Claimed here, under the lock, so that two refreshes racing
                # with one token cannot both pass (a database would do this
                # with a conditional update).
                t["refresh_revoked"] = True
            req.user = t["user"]
            return True

    def get_original_scopes(self, refresh_token, req, *args, **kwargs):
        with LOCK:
            t = find_token(refresh_token, "refresh_token")
            return list(t["scopes"]) if t else []

    def revoke_token(self, token, token_type_hint, req, *args, **kwargs):
        # The hint only orders the search (RFC 7009 §2.1).
        with LOCK:
            kinds = ["access_token", "refresh_token"]
            if token_type_hint == "refresh_token":
                kinds.reverse()
            for kind in kinds:
                t = find_token(token, kind)
                if t and t["client_id"] == req.client_id:
                    t["access_revoked"] = True
                    if kind == "refresh_token":
                        t["refresh_revoked"] = True
                    return

    def introspect_token(self, token, token_type_hint, req, *args, **kwargs):
        with LOCK:
            for kind in ("access_token", "refresh_token"):
                t = find_token(token, kind)
                if not t:
                    continue
                if t["client_id"] != req.client_id:
                    return None  # only the token's own client learns about it
                if kind == "access_token" and (t["access_revoked"] or t["expires_at"] < time.time()):
                    return None
                if kind == "refresh_token" and t["refresh_revoked"]:
                    return None
                claims = {"client_id": t["client_id"], "scope": " ".join(t["scopes"]), "token_type": "Bearer",
                          "iat": t["issued_at"]}
                if kind == "access_token":
                    claims["exp"] = int(t["expires_at"])
                if t["user"]:
                    claims["sub"] = t["user"]
                    claims["username"] = "alice"
                return claims
            return None

    # --- the password grant, which oauthlib.oauth2.Server registers ----------

    def validate_user(self, username, password, client, req, *args, **kwargs):
        if username in USERS and secrets.compare_digest(password.encode(), SECRETS["alice"].encode()):
            req.user = USERS[username]
            return True
        return False


def token_expires_in(req):
    client = getattr(req, "client", None)
    return 2 if client is not None and client.client_id == "svc-short" else 3600


validator = Validator()
oauth = Server(validator, token_expires_in=token_expires_in)
ISSUER = None
METADATA = None  # built once the port is known

app = Flask(__name__)
app.config.update(SECRET_KEY=secrets.token_bytes(32), SESSION_COOKIE_SAMESITE="Lax")


def extract():
    """The (uri, http_method, body, headers) oauthlib's endpoints take."""
    return request.url, request.method, request.get_data(as_text=True) or None, dict(request.headers)


def respond(headers, body, status):
    resp = Response(body or "", status=status)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def page(title, body, status=200):
    return Response(
        '<!doctype html><html><head><meta charset="utf-8"><title>' + html.escape(title) + "</title>"
        "<style>body{font-family:sans-serif;max-width:24rem;margin:2rem auto}"
        "label,input,button{display:block;margin:.4rem 0}#error{color:#b00}</style>"
        "</head><body><h1>" + html.escape(title) + "</h1>" + body + "</body></html>",
        status=status, mimetype="text/html",
    )


@app.after_request
def page_headers(resp):
    # Our pages get the headers a deployment should send, so that the page
    # checks judge the library, not our gaps.
    if resp.mimetype == "text/html":
        resp.headers.setdefault("Cache-Control", "no-store")
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


def csrf_token():
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def csrf_ok():
    return secrets.compare_digest(request.form.get("csrf", ""), session.get("csrf", ""))


def safe_next(value):
    parsed = urllib.parse.urlsplit(value or "")
    if parsed.scheme or parsed.netloc or not parsed.path.startswith("/authorize"):
        return "/"
    return value


def login_form(next_url, error=None):
    err = f'<p id="error">{html.escape(error)}</p>' if error else ""
    return page("Sign in", err
                + '<form method="post" action="/login" autocomplete="off">'
                + f'<input type="hidden" name="next" value="{html.escape(next_url)}">'
                + f'<input type="hidden" name="csrf" value="{html.escape(csrf_token())}">'
                + '<label>Username <input id="username" name="username" required autofocus></label>'
                + '<label>Password <input id="password" name="password" type="password" required></label>'
                + '<button id="signin" type="submit">Sign in</button></form>')


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return login_form(safe_next(request.args.get("next")))
    next_url = safe_next(request.form.get("next"))
    if not csrf_ok():
        return login_form(next_url, "The form expired; sign in again.")
    username = request.form.get("username", "")
    if username not in USERS or not secrets.compare_digest(request.form.get("password", "").encode(),
                                                           SECRETS["alice"].encode()):
        return login_form(next_url, "Invalid username or password.")
    session.clear()
    session["user"] = USERS[username]
    return redirect(next_url)


def is_consent_submission():
    """The consent form's POST (its csrf and confirm fields), as opposed to
    an authorization request sent by POST."""
    return request.method == "POST" and "csrf" in request.form and "confirm" in request.form


@app.route("/authorize", methods=["GET", "POST"])
def authorize():
    """As oauthlib's provider documentation shows it: validate_authorization_request
    for the consent page, create_authorization_response once the user
    decides; a FatalClientError is shown, never redirected, any other
    OAuth2Error goes back to the client (error.in_uri)."""
    uri, _, _, headers = extract()
    here = request.full_path
    if request.method == "POST" and not is_consent_submission():
        # An authorization request sent by POST (RFC 6749 §3.1: the
        # endpoint MAY support it; OIDC Core §3.1.2.1 requires it): the
        # same request as a GET URL of this endpoint, for the validation
        # below, the login form to come back to and the consent form.
        here = "/authorize?" + urllib.parse.urlencode(list(request.form.items(multi=True)))
        uri = request.host_url.rstrip("/") + here
    try:
        scopes, credentials = oauth.validate_authorization_request(uri, "GET", None, headers)
    except FatalClientError as e:
        return page("Error", f'<p id="error">{html.escape(e.error)}: {html.escape(e.description or "")}</p>',
                    e.status_code)
    except OAuth2Error as e:
        return redirect(e.in_uri(e.redirect_uri))
    user = session.get("user")
    if not user:
        return redirect("/login?" + urllib.parse.urlencode({"next": here}))
    if not is_consent_submission():
        action = html.escape(here)
        return page(
            "Authorize",
            f"<p>The application <strong>{html.escape(credentials['client_id'])}</strong> asks for: "
            f"{html.escape(' '.join(scopes) or '(no scopes)')}</p>"
            f'<form method="post" action="{action}">'
            f'<input type="hidden" name="csrf" value="{html.escape(csrf_token())}">'
            '<button id="approve" name="confirm" value="yes" type="submit">Allow</button>'
            '<button id="deny" name="confirm" value="no" type="submit">Deny</button></form>',
        )
    if not csrf_ok():
        return page("Error", '<p id="error">The form expired.</p>', 400)
    if request.form.get("confirm") != "yes":
        err = AccessDeniedError(state=credentials.get("state"), request=credentials.get("request"))
        return redirect(err.in_uri(credentials["redirect_uri"]))
    credentials = {k: v for k, v in credentials.items() if k != "request"}
    credentials["user"] = user
    try:
        h, b, s = oauth.create_authorization_response(uri, "GET", None, headers, scopes=scopes,
                                                      credentials=credentials)
    except FatalClientError as e:
        return page("Error", f'<p id="error">{html.escape(e.error)}</p>', e.status_code)
    return respond(h, b, s)


def endpoint(create):
    """Calls an oauthlib endpoint. Some of its checks (endpoints/base.py
    _raise_on_bad_method, _raise_on_bad_post_request) run before the
    endpoint's own error handling and raise the OAuth2Error to the caller; it
    is answered here the way the endpoints answer their other errors."""
    try:
        return respond(*create(*extract()))
    except OAuth2Error as e:
        headers = {"Content-Type": "application/json", "Cache-Control": "no-store", "Pragma": "no-cache"}
        headers.update(e.headers)
        return respond(headers, e.json, e.status_code)


@app.route("/token", methods=["GET", "POST"])
def token():
    return endpoint(oauth.create_token_response)


@app.route("/revoke", methods=["GET", "POST"])
def revoke():
    return endpoint(oauth.create_revocation_response)


@app.route("/introspect", methods=["GET", "POST"])
def introspect():
    return endpoint(oauth.create_introspect_response)


@app.route("/api/me", methods=["GET", "POST"])
def api_me():
    valid, req = oauth.verify_request(*extract(), scopes=[])
    if not valid:
        # RFC 6750 §3: the resource's own challenge (verify_request says only
        # valid or not).
        resp = Response(json.dumps({"error": "invalid_token"}), status=401, mimetype="application/json")
        resp.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        resp.headers["Cache-Control"] = "no-store"
        return resp
    resp = Response(json.dumps({"sub": req.user or req.client_id, "client_id": req.client_id,
                                "scope": " ".join(req.scopes or [])}), mimetype="application/json")
    resp.headers["Cache-Control"] = "no-store"
    return resp


@app.route("/.well-known/oauth-authorization-server")
def metadata():
    return respond(*METADATA.create_metadata_response(request.url, "GET"))


def main():
    global ISSUER, METADATA
    # No access log: its request lines would carry the codes, tokens and
    # secrets some checks send in URLs into reports/interop/oauthlib/server.log.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    ISSUER = f"http://127.0.0.1:{srv.server_port}"
    # The library builds the document from the Server's grants and endpoints.
    METADATA = MetadataEndpoint([oauth], {
        "issuer": ISSUER,
        "authorization_endpoint": ISSUER + "/authorize",
        "token_endpoint": ISSUER + "/token",
        "revocation_endpoint": ISSUER + "/revoke",
        "introspection_endpoint": ISSUER + "/introspect",
        "scopes_supported": ["profile", "email", "api.read"],
    })

    def stop(*_):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    tmp = URL_FILE + ".tmp"
    with open(tmp, "w") as f:
        f.write(ISSUER)
    os.replace(tmp, URL_FILE)
    print(f"oauthlib-op {ISSUER}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
