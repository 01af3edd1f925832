package catalog

// The provider's login session in the browser: cookie attributes, CORS at
// the endpoints a client calls directly, and what the provider's pages hand
// to other origins while they serve an authorization request (RFC 6265; RFC
// 9700 §2.6, §4.2.4). Each is judged in the real browser or with plain
// HTTP, never from a page's source.
// The checks of suites/browsersession.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// SessionCookieHTTPOnly: RFC 6265 §4.1.2.6, HttpOnly keeps a cookie away
	// from script ("non-HTTP" APIs), so that script injected into any page
	// of the provider cannot read the login session and run authorizations
	// as the user elsewhere. RFC 6265 only defines the attribute and asks no
	// server to set it, and RFC 6749 / RFC 9700 say nothing about session
	// cookies, so the check is SHOULD: every cookie the provider set during
	// login and consent is judged.
	SessionCookieHTTPOnly = register(Check{
		ID: "HS-06", Title: "every cookie the provider sets during login and consent is HttpOnly",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6265 §4.1.2.6"}, Fault: fault.SessionCookieNotHttponly,
		Quote: "RFC 6265 §4.1.2.6: The HttpOnly attribute limits the scope of the cookie to HTTP requests.",
		Binds: BindsPractice, Why: "No RFC 2119 sentence requires HttpOnly; the quoted one says what it protects: a login session cookie that script cannot read survives a cross-site scripting flaw on the provider's pages.",
		Threat: "session hijacking: the provider's login session cookie stolen or ridden", Severity: verdict.Medium,
	})

	// SessionCookieSameSite: RFC 6265 §8.2 (ambient authority) — the
	// browser attaches the login session to requests other sites start,
	// which is how a login or consent CSRF works; SameSite Lax or Strict
	// (RFC 6265bis §4.1.2.7, still a draft) stops that for cross-site POSTs
	// and subresources. RFC 6749 §10.12 makes CSRF protection of the
	// authorization endpoint a MUST but leaves the means open (tokens in
	// the forms serve too), so the attribute is SHOULD.
	SessionCookieSameSite = register(Check{
		ID: "HS-07", Title: "every cookie the provider sets during login and consent is SameSite Lax or Strict",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6265 §8.2", "RFC 6749 §10.12"}, Fault: fault.SessionCookieNoSamesite,
		Quote: "RFC 6749 §10.12: The authorization server MUST implement CSRF protection for its authorization endpoint and ensure that a malicious client cannot obtain authorization without the awareness and explicit consent of the resource owner.",
		Binds: BindsPractice, Why: "SameSite is one way to meet the quoted MUST, not the only one (a per-form token is another), so a cookie without it is a hardening warning, not a broken MUST.",
		Threat: "RFC 9700 §4.7 cross-site request forgery: other sites ride the user's login session", Severity: verdict.Medium,
	})

	// SessionCookieSecure: RFC 6265 §8.3 "When using cookies over a secure
	// channel, servers SHOULD set the Secure attribute (see Section 4.1.2.5)
	// for every cookie" — SHOULD as written. Without it the login session
	// also travels over plain http to the same host, to any network
	// attacker. Judged for an https provider only (an http one cannot
	// protect its cookies at all).
	SessionCookieSecure = register(Check{
		ID: "HS-08", Title: "every cookie an https provider sets during login and consent is Secure",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6265 §8.3", "RFC 6265 §4.1.2.5"}, Fault: fault.SessionCookieNotSecure,
		Quote: "RFC 6265 §4.1.2.5: The Secure attribute limits the scope of the cookie to \"secure\" channels (where \"secure\" is defined by the user agent).",
		Binds: BindsPractice, Why: "No RFC 2119 sentence requires Secure; the quoted one says what it protects: an https provider's login cookie that never travels over plain http.",
		Threat: "session hijacking: the provider's login session cookie stolen or ridden", Severity: verdict.Medium,
	})

	// BackChannelNoCredentialedCORS: RFC 9700 §2.6 lets the token endpoint
	// (and RFC 7009 §2.3 the revocation endpoint) support CORS "to support
	// browser-based clients", which authenticate with request parameters,
	// never with the user's cookies. Answering any Origin with itself and
	// Access-Control-Allow-Credentials: true goes beyond that: every web
	// site may then send the browser's credentials (cookies, a TLS client
	// certificate) there and read the answer. Neither RFC limits CORS in
	// words, so the check is SHOULD; a wildcard without credentials passes.
	BackChannelNoCredentialedCORS = register(Check{
		ID: "HS-09", Title: "token, revocation and introspection endpoints do not grant credentialed CORS to any origin",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 9700 §2.6", "RFC 7009 §2.3"}, Fault: fault.TokenCORSReflectsOrigin,
		Quote: "RFC 9700 §2.6: To support browser-based clients, endpoints directly accessed by such clients including the Token Endpoint, Authorization Server Metadata Endpoint, jwks_uri Endpoint, and Dynamic Client Registration Endpoint MAY support the use of Cross-Origin Resource Sharing (CORS) [WHATWG.CORS].",
		Binds: BindsPractice, Why: "CORS is allowed at these endpoints, but none of them needs the user's cookies: granting credentialed reads to any origin exposes whatever the cookies unlock, a hardening warning.",
		Threat: "cross-origin reads with the user's cookies by any web site", Severity: verdict.Low,
	})

	// AuthorizationRequestNotLeaked: RFC 9700 §4.2.4 "The page rendered as
	// a result of the OAuth authorization response and the authorization
	// endpoint SHOULD NOT include third-party resources or links to
	// external sites" — §4.2.2: the authorization request URL, with its
	// state (and PKCE challenge), leaks through the Referer of what such a
	// page loads. Judged in Chromium on every request the provider's pages
	// sent during the login: one to another origin carrying state or
	// code_challenge in its URL or Referer is the leak. SHOULD NOT as written.
	AuthorizationRequestNotLeaked = register(Check{
		ID: "HS-10", Title: "the authorization and login pages send no other origin the request's state or code_challenge",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 9700 §4.2.4", "RFC 9700 §4.2.2"}, Fault: fault.LoginPageThirdPartyLeak,
		Quote:  "RFC 9700 §4.2.4: The page rendered as a result of the OAuth authorization response and the authorization endpoint SHOULD NOT include third-party resources or links to external sites.",
		Threat: "RFC 9700 §4.2 credential leakage via Referer headers: state, codes or challenges reach other origins", Severity: verdict.Medium,
	})
)
