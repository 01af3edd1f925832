package mockserver

import (
	"fmt"
	"sort"
)

// Fault describes a named, deliberate flaw. Faults are data: one table
// (faultTable), and the behaviours some of them need switched on with them
// (faultImplies).
type Fault struct {
	Name, Description string
	// Implies names the faults switched on with this one (New expands them):
	// the behaviour without which its flaw cannot be observed. Every flaw of
	// the implicit grant implies implicit_offered, because the secure mock
	// does not offer the grant (RFC 9700 §2.1.2). The fault breaks exactly
	// one requirement beyond those of the faults it implies.
	Implies []string
}

// faultRow is a row of faultTable: a fault without its implied faults.
type faultRow struct{ Name, Description string }

// faultTable is the single source of truth for the supported faults. Each
// fault breaks exactly one requirement; the code checks it with s.has(name)
// at the exact point where the correct behaviour is implemented.
var faultTable = []faultRow{
	{"state_dropped", "omits state from successful authorization responses (breaks RFC 6749 §4.1.2 and §4.2.2)"},
	{"iss_wrong", "sends a different issuer in the iss authorization response parameter (breaks RFC 9207 §2)"},
	{"code_in_fragment", "delivers the authorization code in the fragment instead of the query (breaks RFC 6749 §4.1.2)"},
	{"pkce_method_ignored", "ignores code_challenge_method and always compares the verifier as plain, so correct S256 exchanges fail (breaks RFC 7636 §4.6)"},
	{"pkce_not_verified", "accepts any or no code_verifier when a code_challenge was stored (breaks RFC 7636 §4.6)"},
	{"code_reuse", "does not mark authorization codes as used, so a second redemption succeeds (breaks RFC 6749 §4.1.2)"},
	{"code_not_client_bound", "lets any authenticated client redeem an authorization code issued to another client (breaks RFC 6749 §4.1.3)"},
	{"redirect_uri_not_checked_at_token", "ignores redirect_uri at the token endpoint (breaks RFC 6749 §4.1.3)"},
	{"token_type_wrong", "answers token_type \"mac\" instead of \"Bearer\" in token responses (breaks RFC 6749 §5.1 / RFC 6750)"},
	{"no_expires_in", "omits expires_in from token responses (breaks RFC 6749 §5.1 RECOMMENDED / §4.2.2)"},
	{"no_cache_headers", "omits Cache-Control: no-store and Pragma: no-cache from token endpoint responses (breaks RFC 6749 §5.1)"},
	{"token_in_query", "delivers the implicit grant access token in the query instead of the fragment (breaks RFC 6749 §4.2.2)"},
	{"implicit_refresh_token", "includes a refresh_token in implicit grant responses (breaks RFC 6749 §4.2.2)"},
	{"basic_auth_not_form_decoded", "compares HTTP Basic client credentials without form-url-decoding them (breaks RFC 6749 §2.3.1)"},
	{"accept_wrong_secret", "accepts any client secret for a known client id (breaks RFC 6749 §2.3.1 / §3.2.1)"},
	{"invalid_client_status_400", "answers invalid_client with status 400 and no WWW-Authenticate header (breaks RFC 6749 §5.2)"},
	{"cc_refresh_token", "includes a refresh_token in client_credentials responses (breaks RFC 6749 §4.4.3)"},
	{"redirect_uri_default_first", "picks the first registered redirect URI when a client with several omits redirect_uri (breaks RFC 6749 §3.1.2.3)"},
	{"metadata_issuer_mismatch", "publishes a metadata issuer value that differs from the issuer identifier (breaks RFC 8414 §3.3)"},

	// Redirect URI matching at the authorization endpoint. The secure rule is
	// simple string comparison with a registered URI; each fault replaces it
	// with a lenient matcher found in real servers (see redirectURIAllowed).
	{"redirect_uri_any", "accepts any redirect_uri for a known client, ignoring the registered list (breaks RFC 6749 §3.1.2.3 and RFC 9700 §2.1)"},
	{"redirect_uri_checked_after_login", "shows the login page for an unregistered redirect_uri and rejects it only once the user has a session (breaks RFC 6749 §4.1.1: the request is validated before the resource owner is authenticated)"},
	{"redirect_uri_prefix_match", "accepts a redirect_uri that merely starts with a registered one (breaks RFC 9700 §4.1.3 exact matching)"},
	{"redirect_uri_ignore_port", "compares scheme, host and path of redirect_uri but ignores the port (breaks RFC 9700 §4.1.3 exact matching)"},
	{"redirect_uri_subdomain_match", "accepts a redirect_uri whose host is any subdomain of the registered host (breaks RFC 9700 §4.1.3 exact matching)"},
	{"redirect_uri_host_ignored", "compares scheme, port and path of redirect_uri but ignores the host (breaks RFC 9700 §4.1.3 exact matching)"},
	{"redirect_uri_scheme_ignored", "ignores the scheme of redirect_uri, accepting http for a registered https URI and vice versa (breaks RFC 9700 §4.1.3 exact matching)"},
	{"redirect_uri_case_insensitive", "compares redirect_uri with the registered URIs case-insensitively (breaks RFC 6749 §3.1.2.3 simple string comparison)"},
	{"redirect_uri_decoded_before_compare", "percent-decodes (repeatedly) and dot-segment-cleans the path of redirect_uri before comparing, so path traversal matches (breaks RFC 9700 §4.1.3 exact matching)"},
	{"redirect_uri_userinfo_ignored", "parses the redirect_uri authority naively, taking the userinfo before '@' as the host, so https://client@attacker/ matches (breaks RFC 9700 §4.1.3 exact matching)"},
	{"redirect_uri_open_on_error", "validates response_type before redirect_uri and redirects that error to the unvalidated redirect_uri, an open redirector (breaks RFC 6749 §4.1.2.1 / RFC 9700 §4.11.2)"},

	// Authorization responses.
	{"state_truncated", "truncates state to 255 characters in authorization responses (breaks RFC 6749 §4.1.2: the exact value received)"},
	{"iss_not_advertised", "omits authorization_response_iss_parameter_supported from the metadata although iss is sent (breaks RFC 9207 §3)"},
	{"response_type_lenient", "treats a missing or unknown response_type as \"code\" instead of answering an error (breaks RFC 6749 §3.1.1 / §4.1.2.1)"},
	{"unknown_param_rejected", "answers invalid_request to an authorization request with an unrecognised parameter instead of ignoring it (breaks RFC 6749 §3.1)"},
	{"duplicate_params_accepted", "accepts repeated authorization request parameters, using the first value (breaks RFC 6749 §3.1)"},
	{"code_in_error_response", "adds a code parameter to authorization error responses (breaks RFC 6749 §4.1.2.1)"},
	{"error_state_dropped", "omits state from authorization error responses (breaks RFC 6749 §4.1.2.1)"},
	{"error_code_unregistered", "answers authorization errors with error=bad_request instead of a registered error code (breaks RFC 6749 §4.1.2.1)"},
	{"deny_wrong_error", "answers a denied consent with error=server_error instead of access_denied (breaks RFC 6749 §4.1.2.1)"},
	{"login_redirect_307", "answers the successful login POST with 307, so the browser re-POSTs the credentials to the next page (breaks RFC 9700 §4.12)"},

	// Authorization codes.
	{"code_reuse_keeps_tokens", "refuses a reused authorization code but leaves the tokens from its first redemption valid (breaks RFC 6749 §4.1.2 SHOULD revoke)"},
	{"code_long_lived", "issues authorization codes that never expire, ignoring the code lifetime (breaks RFC 6749 §4.1.2)"},
	{"weak_codes", "issues predictable 8-hex-digit authorization codes from a counter (breaks RFC 6749 §10.10)"},

	// PKCE.
	{"pkce_verifier_optional", "accepts a token request without code_verifier for a code issued with a code_challenge (breaks RFC 7636 §4.6)"},
	{"pkce_downgrade_accepted", "accepts a code_verifier for a code issued without a code_challenge (breaks RFC 9700 §2.1.1 downgrade protection)"},
	{"pkce_plain_allowed", "accepts and advertises the plain code_challenge_method, also when the method is omitted (breaks RFC 9700 §2.1.1)"},
	{"pkce_not_required_public", "lets public clients use the authorization code grant without code_challenge (breaks RFC 9700 §2.1.1)"},
	{"pkce_short_verifier_accepted", "skips the code_verifier length and character set check (breaks RFC 7636 §4.1)"},
	{"pkce_unknown_method_as_plain", "treats an unknown code_challenge_method as plain instead of refusing it (breaks RFC 7636 §4.4.1)"},

	// Implicit grant. The secure mock does not offer it: every flaw of an
	// implicit response implies implicit_offered (see faultImplies).
	{"implicit_offered", "offers the implicit grant (response_type token and id_token token) to clients registered for it and advertises it in the metadata, although RFC 9700 §2.1.2 says clients SHOULD NOT use it (breaks RFC 9700 §2.1.2)"},
	{"implicit_state_dropped", "omits state from successful implicit responses, keeping it in code responses (breaks RFC 6749 §4.2.2)"},
	{"implicit_token_type_wrong", "answers token_type \"mac\" instead of \"Bearer\" in implicit responses, keeping it in token endpoint responses (breaks RFC 6749 §4.2.2 / RFC 6750 §4)"},
	{"implicit_no_expires_in", "omits expires_in from implicit responses, keeping it in token endpoint responses (breaks RFC 6749 §4.2.2 RECOMMENDED)"},
	{"implicit_any_client", "lets any client use response_type=token, whatever response types it registered (breaks RFC 6749 §4.2.2.1 unauthorized_client / §3.1.1)"},
	{"implicit_error_in_query", "sends error responses to response_type=token requests in the query instead of the fragment (breaks RFC 6749 §4.2.2.1)"},
	{"hybrid_token_offered", "answers the hybrid response_type \"code token\" for confidential clients registered for the code flow with a code and an access token in the fragment (OIDC Core §3.3.2.5), although RFC 9700 §2.1.2 says clients SHOULD NOT use response types issuing access tokens in the authorization response (breaks RFC 9700 §2.1.2)"},

	// Token endpoint protocol.
	{"token_error_status_200", "answers token endpoint errors with HTTP 200 (the JSON body still carries error) (breaks RFC 6749 §5.2)"},
	{"unsupported_grant_as_invalid_request", "answers an unknown grant_type with invalid_request instead of unsupported_grant_type (breaks RFC 6749 §5.2)"},
	{"missing_param_wrong_error", "answers a missing required token request parameter (code, refresh_token, grant_type) with invalid_grant instead of invalid_request (breaks RFC 6749 §5.2)"},
	{"token_get_allowed", "also accepts GET at the token endpoint, with the parameters in the query string (breaks RFC 6749 §3.2: the client MUST use POST)"},
	{"token_unknown_param_rejected", "answers invalid_request to a token request with an unrecognised parameter instead of ignoring it (breaks RFC 6749 §3.2)"},
	{"token_duplicate_params_accepted", "accepts repeated token request parameters, using the first value (breaks RFC 6749 §3.2)"},

	// Access tokens.
	{"token_non_vschar", "appends \"é\", a character outside VSCHAR, to every access token it issues (breaks RFC 6749 Appendix A.12)"},
	{"weak_access_tokens", "issues opaque access tokens of 8 lowercase hex digits from a counter (breaks RFC 6749 §10.10 / RFC 6750 §5.2)"},
	{"long_lived_access_tokens", "issues access tokens that live 24 hours (breaks RFC 9700 §4.10 / RFC 6819 §5.1.5.3 short-lived access tokens)"},

	// Client authentication at the token endpoint.
	{"public_client_id_optional", "accepts a public client's code redemption without client_id, inferring the client from the code (breaks RFC 6749 §4.1.3)"},
	{"basic_auth_rejected", "refuses client_secret_basic at the token endpoint although the metadata advertises it (breaks RFC 6749 §2.3.1 MUST support HTTP Basic)"},
	{"post_auth_rejected", "refuses client_secret_post at the token endpoint although the metadata advertises it (breaks RFC 8414 §2 token_endpoint_auth_methods_supported)"},
	{"missing_secret_accepted", "authenticates a confidential client that sends only its client_id (breaks RFC 6749 §3.2.1)"},
	{"query_credentials_accepted", "authenticates a client with client_id and client_secret in the token endpoint's URL query string (breaks RFC 6749 §2.3.1)"},
	{"multiple_auth_methods_accepted", "accepts HTTP Basic and client_secret_post in the same token request, using Basic (breaks RFC 6749 §2.3)"},

	// Client credentials grant.
	{"cc_public_allowed", "lets a public client use the client_credentials grant (breaks RFC 6749 §4.4)"},
	{"cc_scope_unchecked", "grants any scope requested with client_credentials and echoes it in scope (breaks RFC 6749 §3.3 / §5.2 invalid_scope)"},

	// JWT access tokens and the JWKS.
	{"at_typ_jwt", "signs JWT access tokens with typ \"JWT\" instead of \"at+jwt\" (breaks RFC 9068 §2.1)"},
	{"at_missing_jti", "omits the jti claim from JWT access tokens (breaks RFC 9068 §2.2)"},
	{"at_wrong_iss", "puts issuer + \"/other\" in the iss claim of JWT access tokens (breaks RFC 9068 §2.2)"},
	{"at_signed_with_unpublished_key", "signs JWT access tokens with a key that is not in the JWKS (breaks RFC 9068 §4 / RFC 8414 §2 jwks_uri)"},
	{"at_alg_none", "issues unsigned JWT access tokens with alg \"none\" (breaks RFC 9068 §2.1)"},
	{"jwks_private_key", "publishes the private key parameters of the signing key in the JWKS (breaks RFC 7517 §9.2 / RFC 8414 §2 jwks_uri)"},
	{"jwks_symmetric_key", "publishes a symmetric (kty \"oct\") key in the JWKS (breaks RFC 8414 §2 jwks_uri: public keys only)"},

	// Protected resource.
	{"resource_rejects_header", "ignores the Authorization request header at the protected resource and only takes tokens from the query (breaks RFC 6750 §2.1)"},
	{"resource_query_token_accepted", "accepts an access token in the access_token query parameter at the protected resource (breaks RFC 9700 §2.4.1 / RFC 6750 §2.3)"},
	{"resource_query_response_cacheable", "sends its success response to a request with the access token in the query without Cache-Control (neither private nor no-store), so caches may store it (breaks RFC 6750 §2.3 SHOULD private)"},
	{"resource_no_www_authenticate", "sends 401 responses from the protected resource without a WWW-Authenticate header (breaks RFC 6750 §3)"},
	{"resource_signature_unchecked", "does not verify the access token signature at the protected resource, checking only exp, iss and aud (breaks RFC 9068 §4)"},
	{"resource_accepts_alg_none", "accepts unsigned (alg \"none\") access tokens at the protected resource (breaks RFC 9068 §4 / RFC 8725 §3.1)"},
	{"resource_ignores_revocation", "does not check whether an access token was revoked at the protected resource (breaks RFC 7009 §2 / RFC 6750 §3.1 invalid_token)"},
	{"resource_accepts_expired", "accepts expired access tokens at the protected resource (breaks RFC 6750 §3.1 invalid_token: the token is expired)"},
	{"resource_trusts_embedded_jwk", "verifies an access token with the key in its own \"jwk\" header when there is one (breaks RFC 9068 §4 / RFC 8725 §3.1)"},

	// Refresh tokens.
	{"refresh_no_cache_headers", "omits Cache-Control: no-store and Pragma: no-cache from refresh_token grant responses, keeping them for the other grants (breaks RFC 6749 §5.1 as required by §6)"},
	{"refresh_not_client_bound", "lets any authenticated client use a refresh token issued to another client (breaks RFC 6749 §10.4 / §6)"},
	{"refresh_without_auth", "lets a confidential client refresh with only its client_id, without authenticating (breaks RFC 6749 §6)"},
	{"refresh_no_rotation", "returns the same refresh token on refresh, which stays valid (breaks RFC 9700 §4.14.2 refresh token rotation)"},
	{"refresh_reuse_not_detected", "refuses a replayed rotated-out refresh token but leaves the grant's active refresh token valid (breaks RFC 9700 §4.14.2 reuse detection)"},
	{"refresh_scope_broadened", "grants a refresh request scopes beyond those of the grant and echoes them in scope (breaks RFC 6749 §6)"},
	{"refresh_grace_period", "keeps a rotated-out refresh token working for 10 seconds, so two racing refreshes both succeed (breaks RFC 9700 §4.14.2)"},
	{"weak_refresh_tokens", "issues predictable refresh tokens of 8 lowercase hex digits from a counter (breaks RFC 6749 §10.10)"},
	{"refresh_non_vschar", "appends \"é\", a character outside VSCHAR, to every refresh token it issues (breaks RFC 6749 Appendix A.17)"},
	{"refresh_public_refused", "refuses refresh requests of public clients with invalid_client, demanding an authentication they cannot perform (breaks RFC 6749 §6 / §3.2.1)"},

	// Revocation.
	{"revocation_ignored_refresh", "answers 200 to the revocation of a refresh token but leaves it valid (breaks RFC 7009 §2 / §2.2)"},
	{"revocation_ignored_access", "answers 200 to the revocation of an access token but leaves it active at introspection and at the resource (breaks RFC 7009 §2 / §2.2)"},
	{"revocation_keeps_access_tokens", "revokes a refresh token but not the access tokens of its grant (breaks RFC 7009 §2.1)"},
	{"revocation_unauthenticated", "revokes a confidential client's token for a request without client authentication, with only a client_id or none (breaks RFC 7009 §2.1)"},
	{"revocation_any_client", "lets any authenticated client revoke a token issued to another client (breaks RFC 7009 §2.1)"},
	{"revocation_unknown_token_error", "answers the revocation of an unknown token with 400 invalid_request instead of 200 (breaks RFC 7009 §2.2)"},
	{"revocation_hint_strict", "refuses a revocation whose token_type_hint does not match the token with 400 unsupported_token_type instead of searching all token types (breaks RFC 7009 §2.1)"},
	{"revocation_get_allowed", "also accepts GET at the revocation endpoint, with the token in the query string, and revokes it (breaks RFC 7009 §2.1: the client uses POST)"},

	// Introspection.
	{"introspection_active_string", "answers active as the string \"true\" or \"false\" instead of a JSON boolean (breaks RFC 7662 §2.2)"},
	{"introspection_unauthenticated", "answers introspection requests that carry no client authentication (breaks RFC 7662 §2.1)"},
	{"introspection_inactive_leaks", "adds client_id and scope guesses to the {\"active\": false} answer for unknown, revoked or expired tokens (breaks RFC 7662 §2.2 SHOULD NOT include additional information)"},
	{"introspection_ignores_revocation", "introspects revoked tokens, and the tokens of revoked grants, as active (breaks RFC 7662 §2.2)"},
	{"introspection_ignores_expiry", "introspects expired access tokens as active (breaks RFC 7662 §2.2: active means, among others, not expired)"},
	{"introspection_wrong_client_id", "names another client_id (the client id reversed) in active introspection responses (breaks RFC 7662 §2.2)"},
	{"introspection_refresh_unsupported", "introspects every refresh token as {\"active\": false} (breaks RFC 7662 §2.1 / §2.2)"},
	{"introspection_get_allowed", "also accepts GET at the introspection endpoint, with the token in the query string (breaks RFC 7662 §2.1: the protected resource uses POST)"},

	// OpenID Connect ID Tokens.
	{"id_token_wrong_aud", "issues ID Tokens whose aud is another value (the client_id + \"-other\") instead of the client_id (breaks OIDC Core §2 aud)"},
	{"id_token_wrong_iss", "issues ID Tokens whose iss is issuer + \"/other\" instead of the issuer identifier (breaks OIDC Core §2 iss / §3.1.3.7)"},
	{"id_token_nonce_dropped", "omits the nonce claim from ID Tokens even when the authentication request carried a nonce (breaks OIDC Core §2 nonce / §3.1.2.1)"},
	{"id_token_expired", "issues ID Tokens that are already expired: iat an hour ago, exp half an hour ago (breaks OIDC Core §2 exp / §3.1.3.7)"},
	{"id_token_unpublished_key", "signs ID Tokens with a key whose kid is not in the JWKS (breaks OIDC Core §10.1 / §3.1.3.7 signature validation)"},
	{"id_token_no_at_hash", "omits at_hash from the ID Token issued with an access token by the authorization endpoint (response_type id_token token) (breaks OIDC Core §3.2.2.10)"},
	{"implicit_nonce_optional", "accepts an authentication request with response_type id_token token and no nonce (breaks OIDC Core §3.2.2.1: nonce is REQUIRED)"},

	// Discovery.
	{"metadata_wrong_content_type", "serves the authorization server metadata as text/plain (breaks RFC 8414 §3.2)"},
	{"metadata_missing_response_types", "omits the REQUIRED response_types_supported from the metadata (breaks RFC 8414 §2)"},
	{"metadata_no_pkce_methods", "omits code_challenge_methods_supported from the metadata (breaks RFC 9700 §2.1.1 / RFC 8414 §2)"},
	{"metadata_omits_token_response_type", "lists only \"code\" in response_types_supported although the implicit grant still works (breaks RFC 8414 §2)"},

	// Advertised capabilities that do not work, and introspection by a client
	// other than the token's own.
	{"client_secret_jwt_advertised_unsupported", "advertises client_secret_jwt in token_endpoint_auth_methods_supported but refuses such client assertions with invalid_client (breaks RFC 8414 §2)"},
	{"client_secret_jwt_signature_unchecked", "accepts a client_secret_jwt assertion without verifying its HMAC, so any secret signs it (breaks RFC 7523 §3)"},

	// Client assertions whose claims or signature are not checked.
	{"client_assertion_aud_unchecked", "accepts a client_secret_jwt assertion whose aud names another server (breaks RFC 7523 §3 item 3)"},
	{"client_assertion_sub_unchecked", "takes the client of a client_secret_jwt assertion from the client_id parameter and never compares the assertion's iss and sub with it, so an assertion naming another client authenticates (breaks RFC 7523 §3 items 1-2)"},
	{"client_assertion_exp_unchecked", "accepts an expired client_secret_jwt assertion (breaks RFC 7523 §3 item 4)"},
	{"client_assertion_alg_none", "accepts an unsigned client assertion (alg none) and takes its claims as given (breaks RFC 7523 §3 item 9)"},

	// Advertised capabilities (continued).
	{"metadata_advertises_unsupported_grant", "lists urn:ietf:params:oauth:grant-type:device_code in grant_types_supported, which the token endpoint answers with unsupported_grant_type (breaks RFC 8414 §2)"},
	{"introspection_foreign_client_claims", "answers another client's active token with active true and the caller's client_id instead of the token's (breaks RFC 7662 §2.2)"},
	{"jwks_duplicate_kid", "publishes a second, different public key under the kid of the signing key in the JWKS (breaks RFC 7517 §4.5)"},
	{"password_grant_enabled", "advertises and accepts the resource owner password credentials grant for confidential clients (breaks RFC 9700 §2.4)"},

	// Browser-level protections of the authorization pages.
	{"frame_protection_missing", "sends neither X-Frame-Options nor CSP frame-ancestors with the authorization pages, so they can be framed (breaks RFC 9700 §4.16 / RFC 6749 §10.13)"},
	{"csp_frame_ancestors_missing", "sends X-Frame-Options but no CSP frame-ancestors with the authorization pages (breaks RFC 9700 §4.16)"},
	{"x_frame_options_missing", "sends CSP frame-ancestors but no X-Frame-Options with the authorization pages (breaks RFC 6749 §10.13)"},
	{"referrer_policy_missing", "sends no Referrer-Policy with the authorization pages (breaks RFC 9700 §4.2.4)"},
	{"authorize_cors", "answers any Origin at the authorization endpoint with Access-Control-Allow-Origin: <that origin> and Access-Control-Allow-Credentials: true (breaks RFC 9700 §2.6)"},

	// Browser-level security: the login session's cookie, CORS at the
	// token endpoint, the authorization request leaking to other origins.
	{"session_cookie_not_httponly", "sets the login session cookie without HttpOnly, so script on the provider's pages can read it (breaks RFC 6265 §4.1.2.6)"},
	{"session_cookie_no_samesite", "sets the login session cookie without a SameSite attribute, so other sites' requests carry it (breaks RFC 6265 §8.2 / RFC 6749 §10.12 CSRF defence)"},
	{"session_cookie_not_secure", "sets the login session cookie without Secure although the issuer is https (breaks RFC 6265 §8.3)"},
	{"token_cors_reflects_origin", "answers any Origin at the token endpoint, preflight included, with Access-Control-Allow-Origin: <that origin> and Access-Control-Allow-Credentials: true (breaks RFC 9700 §2.6)"},
	{"login_page_third_party_leak", "loads an image from another origin (the issuer's host swapped between 127.0.0.1 and localhost) on the login page, whose <meta name=\"referrer\" content=\"unsafe-url\"> sends it the full authorization URL with state and code_challenge (breaks RFC 9700 §4.2.4)"},
	// TLS.
	{"tls_accepts_tls10", "completes TLS 1.0 and TLS 1.1 handshakes (MinVersion TLS 1.0) (breaks RFC 8996 §2, §3 / RFC 9325 §3.1.1)"},
	{"tls_no_tls13", "does not offer TLS 1.3 (MaxVersion TLS 1.2) (breaks RFC 9325 §3.1.1 SHOULD support TLS 1.3)"},
	{"tls_cert_wrong_host", "serves a certificate of its own CA issued for wrong-host.example.test, not for 127.0.0.1 (breaks RFC 6749 §10.9 / RFC 6125 §6)"},
	{"plain_http_served", "also answers plain HTTP on its HTTPS port, so the endpoints work without TLS (breaks RFC 6749 §3.1 and §3.2: the server MUST require TLS)"},
	{"metadata_http_endpoint", "advertises its revocation_endpoint with an http:// URL in the metadata of an https issuer (breaks RFC 6749 §3.1, §3.2 / RFC 8414 §2)"},
}

// faultImplies maps a fault to the faults it switches on with it: the flaws
// of an implicit response (or of a claim about one) are observable only
// when the grant is offered, and the caching of a resource's answer to a
// token in the query only when the resource accepts one.
// implicit_error_in_query is not here: the secure mock refuses
// response_type=token for every client, and that refusal already shows
// where the error goes; nor is hybrid_token_offered, whose refusal is the
// secure behaviour it breaks.
var faultImplies = map[string][]string{
	"implicit_state_dropped":             {"implicit_offered"},
	"implicit_token_type_wrong":          {"implicit_offered"},
	"implicit_no_expires_in":             {"implicit_offered"},
	"token_in_query":                     {"implicit_offered"},
	"implicit_refresh_token":             {"implicit_offered"},
	"implicit_any_client":                {"implicit_offered"}, // any client: only when some client may use the grant at all
	"id_token_no_at_hash":                {"implicit_offered"},
	"implicit_nonce_optional":            {"implicit_offered"},
	"metadata_omits_token_response_type": {"implicit_offered"}, // omitting "token" is truthful when it is not offered
	// The secure resource refuses query tokens (BR-02): only an answer to
	// one can lack Cache-Control: private.
	"resource_query_response_cacheable": {"resource_query_token_accepted"},
}

// AllFaults returns every supported fault, sorted by name.
func AllFaults() []Fault {
	out := make([]Fault, len(faultTable))
	for i, r := range faultTable {
		out[i] = Fault{Name: r.Name, Description: r.Description, Implies: append([]string(nil), faultImplies[r.Name]...)}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func knownFault(name string) bool {
	for _, f := range faultTable {
		if f.Name == name {
			return true
		}
	}
	return false
}

// parseFaults validates fault names and returns the enabled set, with the
// faults they imply (transitively).
func parseFaults(names []string) (map[string]bool, error) {
	set := make(map[string]bool, len(names))
	queue := append([]string(nil), names...)
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if !knownFault(n) {
			return nil, fmt.Errorf("mockserver: unknown fault %q", n)
		}
		if !set[n] {
			set[n] = true
			queue = append(queue, faultImplies[n]...)
		}
	}
	return set, nil
}

// has reports whether the named fault is enabled. It panics on a name that
// is not in the table, so a typo in the server code cannot silently disable
// a check.
func (s *Server) has(name string) bool {
	if !knownFault(name) {
		panic("mockserver: unknown fault name in code: " + name)
	}
	return s.faults[name]
}

// Faults returns the names of the enabled faults, sorted.
func (s *Server) Faults() []string {
	out := make([]string, 0, len(s.faults))
	for n := range s.faults {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
