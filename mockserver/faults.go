package mockserver

import (
	"fmt"
	"sort"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// Fault describes a named, deliberate flaw. Faults are data: one table
// (faultTable), and the behaviours some of them need switched on with them
// (faultImplies).
type Fault struct {
	Name        fault.Name
	Description string
	// Implies names the faults switched on with this one (New expands them):
	// the behaviour without which its flaw cannot be observed. Every flaw of
	// the implicit grant implies implicit_offered, because the secure mock
	// does not offer the grant (RFC 9700 §2.1.2). The fault breaks exactly
	// one requirement beyond those of the faults it implies.
	Implies []fault.Name
}

// faultRow is a row of faultTable: a fault without its implied faults.
type faultRow struct {
	Name        fault.Name
	Description string
}

// faultTable is the single source of truth for the supported faults. Each
// fault breaks exactly one requirement; the code checks it with s.has(name)
// at the exact point where the correct behaviour is implemented.
var faultTable = []faultRow{
	{fault.StateDropped, "omits state from successful authorization responses (breaks RFC 6749 §4.1.2 and §4.2.2)"},
	{fault.IssWrong, "sends a different issuer in the iss authorization response parameter (breaks RFC 9207 §2)"},
	{fault.CodeInFragment, "delivers the authorization code in the fragment instead of the query (breaks RFC 6749 §4.1.2)"},
	{fault.PKCEMethodIgnored, "ignores code_challenge_method and always compares the verifier as plain, so correct S256 exchanges fail (breaks RFC 7636 §4.6)"},
	{fault.PKCENotVerified, "accepts any or no code_verifier when a code_challenge was stored (breaks RFC 7636 §4.6)"},
	{fault.CodeReuse, "does not mark authorization codes as used, so a second redemption succeeds (breaks RFC 6749 §4.1.2)"},
	{fault.CodeNotClientBound, "lets any authenticated client redeem an authorization code issued to another client (breaks RFC 6749 §4.1.3)"},
	{fault.CodeOtherClientWrongError, "refuses an authorization code redeemed by another client with 500 server_error instead of invalid_grant (breaks RFC 6749 §5.2; the code stays bound)"},
	{fault.RedirectURINotCheckedAtToken, "ignores redirect_uri at the token endpoint (breaks RFC 6749 §4.1.3)"},
	{fault.RedirectMismatchWrongError, "refuses a token request whose redirect_uri differs from the authorization request's with invalid_request instead of invalid_grant (breaks RFC 6749 §5.2; the request is still refused)"},
	{fault.TokenTypeWrong, "answers token_type \"mac\" instead of \"Bearer\" in token responses (breaks RFC 6749 §5.1 / RFC 6750)"},
	{fault.NoExpiresIn, "omits expires_in from token responses (breaks RFC 6749 §5.1 RECOMMENDED / §4.2.2)"},
	{fault.NoCacheHeaders, "omits Cache-Control: no-store and Pragma: no-cache from token endpoint responses (breaks RFC 6749 §5.1)"},
	{fault.TokenPragmaMissing, "omits Pragma: no-cache from successful token responses, keeping Cache-Control: no-store (breaks RFC 6749 §5.1's Pragma, which RFC 9111 §5.4 deprecates)"},
	{fault.TokenInQuery, "delivers the implicit grant access token in the query instead of the fragment (breaks RFC 6749 §4.2.2)"},
	{fault.ImplicitRefreshToken, "includes a refresh_token in implicit grant responses (breaks RFC 6749 §4.2.2)"},
	{fault.BasicAuthNotFormDecoded, "compares HTTP Basic client credentials without form-url-decoding them (breaks RFC 6749 §2.3.1)"},
	{fault.AcceptWrongSecret, "accepts any client secret for a known client id (breaks RFC 6749 §2.3.1 / §3.2.1)"},
	{fault.WrongSecretWrongError, "refuses a wrong client secret with 400 unauthorized_client instead of invalid_client (breaks RFC 6749 §5.2; the client is still not authenticated)"},
	{fault.InvalidClientStatus400, "answers invalid_client with status 400 and no WWW-Authenticate header (breaks RFC 6749 §5.2)"},
	{fault.CCRefreshToken, "includes a refresh_token in client_credentials responses (breaks RFC 6749 §4.4.3)"},
	{fault.RedirectURIDefaultFirst, "picks the first registered redirect URI when a client with several omits redirect_uri (breaks RFC 6749 §3.1.2.3)"},
	{fault.MetadataIssuerMismatch, "publishes a metadata issuer value that differs from the issuer identifier (breaks RFC 8414 §3.3)"},

	// Redirect URI matching at the authorization endpoint. The secure rule is
	// simple string comparison with a registered URI; each fault replaces it
	// with a lenient matcher found in real servers (see redirectURIAllowed).
	{fault.RedirectURIAny, "accepts any redirect_uri for a known client, ignoring the registered list (breaks RFC 6749 §3.1.2.3 and RFC 9700 §2.1)"},
	{fault.RedirectURICheckedAfterLogin, "shows the login page for an unregistered redirect_uri and rejects it only once the user has a session (breaks RFC 6749 §4.1.1: the request is validated before the resource owner is authenticated)"},
	{fault.RedirectURIPrefixMatch, "accepts a redirect_uri that merely starts with a registered one (breaks RFC 9700 §4.1.3 exact matching)"},
	{fault.RedirectURIIgnorePort, "compares scheme, host and path of redirect_uri but ignores the port (breaks RFC 9700 §4.1.3 exact matching)"},
	{fault.RedirectURISubdomainMatch, "accepts a redirect_uri whose host is any subdomain of the registered host (breaks RFC 9700 §4.1.3 exact matching)"},
	{fault.RedirectURIHostIgnored, "compares scheme, port and path of redirect_uri but ignores the host (breaks RFC 9700 §4.1.3 exact matching)"},
	{fault.RedirectURISchemeIgnored, "ignores the scheme of redirect_uri, accepting http for a registered https URI and vice versa (breaks RFC 9700 §4.1.3 exact matching)"},
	{fault.RedirectURICaseInsensitive, "compares redirect_uri with the registered URIs case-insensitively (breaks RFC 6749 §3.1.2.3 simple string comparison)"},
	{fault.RedirectURIDecodedBeforeCompare, "percent-decodes (repeatedly) and dot-segment-cleans the path of redirect_uri before comparing, so path traversal matches (breaks RFC 9700 §4.1.3 exact matching)"},
	{fault.RedirectURIUserinfoIgnored, "parses the redirect_uri authority naively, taking the userinfo before '@' as the host, so https://client@attacker/ matches (breaks RFC 9700 §4.1.3 exact matching)"},
	{fault.RedirectURIOpenOnError, "validates response_type before redirect_uri and redirects that error to the unvalidated redirect_uri, an open redirector (breaks RFC 6749 §4.1.2.1 / RFC 9700 §4.11.2)"},

	// Authorization responses.
	{fault.StateTruncated, "truncates state to 255 characters in authorization responses (breaks RFC 6749 §4.1.2: the exact value received)"},
	{fault.IssNotAdvertised, "omits authorization_response_iss_parameter_supported from the metadata although iss is sent (breaks RFC 9207 §3)"},
	{fault.ResponseTypeLenient, "treats a missing or unknown response_type as \"code\" instead of answering an error (breaks RFC 6749 §3.1.1 / §4.1.2.1)"},
	{fault.UnknownResponseTypeWrongError, "refuses an unknown response_type with invalid_request instead of unsupported_response_type (breaks RFC 6749 §4.1.2.1; no code is issued)"},
	// OpenID Connect UserInfo (OIDC Core §5.3).
	{fault.UserinfoGetRefused, "refuses GET at the UserInfo Endpoint with 405 (breaks OIDC Core §5.3.1: GET and POST MUST be supported)"},
	{fault.UserinfoPostRefused, "refuses POST at the UserInfo Endpoint with 405 (breaks OIDC Core §5.3.1: GET and POST MUST be supported)"},
	{fault.UserinfoBodyTokenIgnored, "ignores an access_token in the form body of a POST to the UserInfo Endpoint (RFC 6750 §2.2, a MAY: the endpoint answers 401)"},
	{fault.UserinfoNoSub, "omits sub from UserInfo Responses (breaks OIDC Core §5.3.2: sub MUST always be returned)"},
	{fault.UserinfoWrongSub, "answers a sub in UserInfo Responses that differs from the ID Token's (breaks OIDC Core §5.3.2: the client MUST then discard the response)"},
	{fault.UserinfoDropsProfile, "withholds the profile scope's claims from UserInfo Responses (OIDC Core §5.4 profile, OPTIONAL)"},
	{fault.UserinfoDropsEmail, "withholds the email scope's claims from UserInfo Responses (OIDC Core §5.4 email, OPTIONAL)"},
	{fault.UserinfoDropsAddress, "withholds the address scope's claim from UserInfo Responses (OIDC Core §5.4 address, OPTIONAL)"},
	{fault.UserinfoDropsPhone, "withholds the phone scope's claims from UserInfo Responses (OIDC Core §5.4 phone, OPTIONAL)"},
	{fault.UserinfoTokenUnchecked, "answers the UserInfo Endpoint for any bearer string, as the latest token issued (breaks RFC 6749 §10.3)"},
	{fault.UserinfoIgnoresRevocation, "honours revoked access tokens at the UserInfo Endpoint (breaks RFC 7009 §2 / RFC 6750 §3.1 invalid_token)"},
	{fault.UserinfoNoWWWAuthenticate, "refuses an invalid token at the UserInfo Endpoint without a WWW-Authenticate header (breaks RFC 6750 §3, OIDC Core §5.3.3)"},
	{fault.UserinfoSignedNoIssAud, "signs the UserInfo Responses of clients registered for signed ones (web2) without iss and aud (breaks OIDC Core §5.3.2 SHOULD)"},

	// private_key_jwt client authentication (RFC 7523 §3, OIDC Core §9).
	{fault.PrivateKeyJWTAdvertisedUnsupported, "advertises private_key_jwt in token_endpoint_auth_methods_supported but refuses every such client assertion with invalid_client (breaks RFC 8414 §2)"},
	{fault.PrivateKeyJWTSignatureUnchecked, "accepts a private_key_jwt assertion without verifying its signature, so a key never registered for the client signs it (breaks RFC 7523 §3)"},
	{fault.PrivateKeyJWTAudUnchecked, "accepts a private_key_jwt assertion whose aud names another server (breaks RFC 7523 §3 item 3)"},
	{fault.PrivateKeyJWTExpOptional, "accepts a private_key_jwt assertion that has no exp claim, valid for ever (breaks RFC 7523 §3 item 4)"},
	{fault.PrivateKeyJWTExpUnchecked, "accepts an expired private_key_jwt assertion (breaks RFC 7523 §3 item 4)"},
	{fault.PrivateKeyJWTReplayAccepted, "accepts a private_key_jwt assertion again with a jti already used (breaks OIDC Core §9 jti: the tokens MUST only be used once)"},
	{fault.PrivateKeyJWTSubUnchecked, "takes the client of a private_key_jwt assertion from the client_id parameter and never compares the assertion's iss and sub with it (breaks RFC 7523 §3 items 1-2)"},
	{fault.PrivateKeyJWTAlgUnchecked, "accepts a private_key_jwt assertion signed with RS256, which token_endpoint_auth_signing_alg_values_supported does not list (breaks RFC 8725 §3.1)"},
	{fault.PrivateKeyJWTAlgNone, "accepts an unsigned client assertion (alg none) for a client with a registered key and takes its claims as given (breaks RFC 7523 §3 item 9)"},
	{fault.PrivateKeyJWTWrongError, "refuses a broken private_key_jwt assertion with 400 invalid_request instead of invalid_client (breaks RFC 7523 §3.2)"},
	// OpenID Connect ID Token claims and algorithms.
	{fault.IDTokenNoIat, "omits iat from ID Tokens (breaks OIDC Core §2: iat REQUIRED)"},
	{fault.IDTokenLongSub, "gives users subject identifiers of more than 255 characters (breaks OIDC Core §2: sub MUST NOT exceed 255 ASCII characters)"},
	{fault.IDTokenSubPerLogin, "puts a sub in ID Tokens that changes with each sign-in of the same user (breaks OIDC Core §5.7: sub never reassigned, the stable identifier)"},
	{fault.IDTokenWrongAzp, "puts another client's id in the ID Token's azp (breaks OIDC Core §2: azp, if present, MUST contain the client's id)"},
	{fault.IDTokenAlgNotAdvertised, "signs ID Tokens PS256 while id_token_signing_alg_values_supported lists RS256 only (breaks OIDC Discovery §3)"},
	{fault.MetadataNoRS256, "signs with ES256 and advertises id_token_signing_alg_values_supported without RS256 (breaks OIDC Discovery §3: RS256 MUST be included)"},
	{fault.IDTokenAlgNone, "issues unsecured ID Tokens (alg none) to clients that never registered for none (breaks OIDC Core §2)"},
	// OpenID Connect Discovery.
	{fault.MetadataNoSubjectTypes, "omits subject_types_supported from the metadata (breaks OIDC Discovery §3: REQUIRED)"},
	{fault.JWKSNotAKeySet, "answers jwks_uri with a JSON object whose keys member is not an array of keys (breaks OIDC Discovery §3 jwks_uri / RFC 7517 §5)"},
	{fault.MetadataScopesWithoutOpenID, "lists scopes_supported without openid, which it supports (breaks OIDC Discovery §3: the scopes of OpenID Connect Core SHOULD be listed)"},
	{fault.MetadataNoUserinfoEndpoint, "does not advertise its UserInfo Endpoint (breaks OIDC Discovery §3: userinfo_endpoint RECOMMENDED)"},
	{fault.OpenIDConfigurationIssuerMismatch, "names another issuer in /.well-known/openid-configuration than the URL it came from (breaks OIDC Discovery §4.3)"},
	{fault.UserinfoWrongContentType, "serves unsigned UserInfo Responses as text/plain (breaks OIDC Core §5.3.2: application/json)"},

	// Pushed authorization requests (RFC 9126).
	{fault.PARUnauthenticated, "accepts a pushed authorization request of a confidential client that sends its client_id and no credentials (breaks RFC 9126 §2.1: the client authenticates as at the token endpoint)"},
	{fault.PARStatus200, "answers a successful pushed authorization request with 200 instead of 201 Created (breaks RFC 9126 §2.2)"},
	{fault.PARAssertionAudTokenOnly, "refuses at the PAR endpoint a client assertion whose aud is the issuer or the PAR endpoint URL, taking only the token endpoint URL (breaks RFC 9126 §2)"},
	{fault.PARRequestURIIgnored, "ignores the request_uri of a pushed request at the authorization endpoint and judges the bare request (client_id alone), refusing it (breaks RFC 9126 §4)"},
	{fault.PARRequestURIReusable, "accepts a request_uri of the PAR endpoint again after it was used (breaks RFC 9126 §4: one-time use, SHOULD)"},
	{fault.PARRequestURINeverExpires, "accepts a request_uri of the PAR endpoint after its expires_in has passed (breaks RFC 9126 §4: an expired request_uri MUST be rejected)"},
	{fault.PARRequestURIInPushAccepted, "accepts a pushed authorization request that itself carries a request_uri (breaks RFC 9126 §2.1)"},
	{fault.PARRedirectURIUnchecked, "accepts any redirect_uri in a pushed request and trusts it at the authorization endpoint (breaks RFC 9126 §2.1: validated as an authorization request)"},
	{fault.PAROutsideParamsUsed, "lets parameters sent beside a request_uri override the pushed ones (breaks RFC 9101 §6.3)"},
	{fault.PARRequirementIgnored, "answers plain authorization requests of a client registered to use pushed requests only (web-par) (breaks RFC 9126 §4 / §6 require_pushed_authorization_requests)"},
	{fault.PARWeakRequestURI, "issues request_uri values from a counter through a multiplicative hash, 32 bits (breaks RFC 9126 §2.2: computationally infeasible to guess)"},
	{fault.PARRequestURIAnyClient, "accepts a request_uri with the client_id of a client other than the one that pushed it (breaks RFC 9126 §2.2: bound to the client)"},

	// OpenID Connect hybrid flow.
	{fault.IDTokenNoCHash, "omits c_hash from the ID Token of a code id_token response (breaks OIDC Core §3.3.2.11: REQUIRED)"},
	{fault.HybridNonceOptional, "answers a code id_token request without nonce (OIDC Core §3.3.2.11: the nonce is REQUIRED; the client's duty, which the secure mock enforces)"},
	{fault.HybridIDTokenNonceDropped, "omits the nonce from the ID Token of a code id_token response (breaks OIDC Core §2 nonce / §3.3.2.11)"},
	// Request objects (RFC 9101, OIDC Core §6).
	{fault.JARRequestObjectIgnored, "ignores the request parameter (a request object by value) and answers the parameters beside it, although the metadata says request_parameter_supported (breaks RFC 9101 §6.3 / OpenID Connect Discovery §3)"},
	{fault.JARSignatureUnchecked, "takes a request object's claims without verifying its signature (breaks RFC 9101 §6.2)"},
	{fault.JARAlgNoneAccepted, "accepts an unsigned request object (alg none) although request_object_signing_alg_values_supported does not list none (breaks OpenID Connect Discovery §3)"},
	{fault.JAROutsideParamsUsed, "lets parameters sent beside a request object override its own (breaks RFC 9101 §6.3)"},
	{fault.JARClientIDMismatchAccepted, "accepts a request object whose client_id claim differs from the client_id parameter (breaks RFC 9101 §6.3)"},
	{fault.JARRequestURIIgnored, "advertises request_uri_parameter_supported but never fetches a request object by reference, answering the parameters beside it (breaks OpenID Connect Discovery §3 / RFC 9101 §5.2)"},
	{fault.JARAudUnchecked, "accepts a request object whose aud names another server (breaks RFC 7519 §4.1.3)"},
	{fault.JARExpUnchecked, "accepts an expired request object (breaks RFC 7519 §4.1.4)"},

	{fault.JWKSEncKeyWithoutUse, "publishes an RSA-OAEP-256 encryption key beside the signing key, neither with use (breaks RFC 8414 §2 / OIDC Discovery §3 jwks_uri: use REQUIRED for all keys then)"},
	{fault.UnknownParamRejected, "answers invalid_request to an authorization request with an unrecognised parameter instead of ignoring it (breaks RFC 6749 §3.1)"},

	// OpenID Connect authentication request parameters (OIDC Core §3.1.2.1).
	{fault.PromptNoneLoginPage, "shows the login page to a prompt=none request from a browser with no session instead of redirecting back with login_required (breaks OIDC Core §3.1.2.1 prompt none: MUST NOT display any authentication or consent user interface pages)"},
	{fault.PromptNoneSessionIgnored, "answers prompt=none with login_required although the browser has a live session and the client the user's consent (breaks OIDC Core §3.1.2.1 prompt none / §15.1: the silent authentication of a signed-in user)"},
	{fault.PromptLoginIgnored, "reuses the browser's session for a prompt=login request instead of asking the user to sign in again (breaks OIDC Core §15.1 / §3.1.2.1 prompt login)"},
	{fault.PromptConsentIgnored, "skips the consent page for a prompt=consent request when the user already consented (breaks OIDC Core §3.1.2.1 prompt consent SHOULD)"},
	{fault.MaxAgeAuthTimeMissing, "leaves auth_time out of the ID Token of a request that carried max_age (breaks OIDC Core §3.1.2.1 max_age: the ID Token MUST include auth_time)"},
	{fault.MaxAgeIgnored, "ignores max_age: a session older than max_age seconds is reused without a new sign-in (breaks OIDC Core §3.1.2.1 max_age MUST attempt to actively re-authenticate)"},
	{fault.MaxAgeAlwaysReauthenticates, "asks the user to sign in again for any max_age, however recent the session (max_age=10000 after a fresh login; a login the request did not need)"},
	{fault.IDTokenHintRejected, "answers login_required to a prompt=none request carrying an id_token_hint of the signed-in user (breaks OIDC Core §3.1.2.1 id_token_hint: a positive response for the user who is logged in)"},
	{fault.LoginHintRejected, "refuses an authorization request carrying login_hint with invalid_request (a hint the OP may use or ignore, OIDC Core §3.1.2.1)"},
	{fault.UILocalesRejected, "refuses an authorization request whose ui_locales it does not support with invalid_request (breaks OIDC Core §3.1.2.1 ui_locales: an error SHOULD NOT result)"},
	{fault.ClaimsLocalesRejected, "refuses an authorization request whose claims_locales it does not support with invalid_request (breaks OIDC Core §5.2: an error SHOULD NOT result)"},
	{fault.DisplayRejected, "refuses an authorization request carrying display (page, popup) with invalid_request (breaks OIDC Core §3.1.2.1 display)"},
	{fault.AcrValuesRejected, "refuses an authorization request carrying acr_values it does not satisfy with invalid_request (breaks OIDC Core §15.1: its use must not result in an error)"},
	{fault.ScopeOrderSensitive, "refuses an OpenID Connect request whose scope does not list openid first with invalid_scope (breaks RFC 6749 §3.3: the order of scope values does not matter)"},
	{fault.CodeNonceRequired, "refuses an OpenID Connect code request without nonce with invalid_request (nonce is OPTIONAL in the code flow, OIDC Core §3.1.2.1)"},
	{fault.ClaimsEssentialError, "refuses a claims request parameter with an essential claim it cannot return with invalid_request (breaks OIDC Core §5.5.1: the OP MUST NOT generate an error when claims are not returned)"},
	{fault.AuthorizePostRefused, "answers a POST to the authorization endpoint with 405 instead of processing it as a GET (breaks OIDC Core §3.1.2.1: MUST support GET and POST)"},

	// OAuth 2.0 Form Post Response Mode.
	{fault.FormPostIgnored, "answers a code request with response_mode=form_post by a redirect with the code in the query instead of a form POSTed to the redirect URI (breaks OAuth 2.0 Form Post Response Mode §2: the method of the form MUST be POST)"},
	{fault.FormPostStateDropped, "leaves state out of the form POSTed to the redirect URI (breaks RFC 6749 §4.1.2 state, in the form_post response)"},
	{fault.FormPostCacheable, "serves the form_post page with Cache-Control: public, max-age=600 (breaks OAuth 2.0 Form Post Response Mode §2: MUST instruct the user agent not to store the response)"},
	{fault.FormPostImplicitIgnored, "answers an id_token token request with response_mode=form_post by a redirect with the tokens in the fragment (breaks OAuth 2.0 Form Post Response Mode §2)"},
	{fault.FormPostErrorRedirected, "answers a refused request with response_mode=form_post by a redirect with the error in the query instead of the form (breaks OAuth 2.0 Form Post Response Mode §2: the error is an authorization response too)"},
	{fault.FormPostHybridIgnored, "answers a code id_token request with response_mode=form_post by a redirect with the code and ID Token in the fragment (breaks OAuth 2.0 Form Post Response Mode §2)"},

	// OpenID Connect RP-Initiated Logout 1.0.
	{fault.LogoutRedirectAny, "redirects a logout request that names its client (id_token_hint, client_id) to any post_logout_redirect_uri, registered or not (breaks RP-Initiated Logout §3: MUST NOT redirect unless it exactly matches a registered one)"},
	{fault.LogoutRedirectWithoutHint, "redirects after logout to a registered post_logout_redirect_uri of any client when the request names no client (no id_token_hint, no client_id) (breaks RP-Initiated Logout §3)"},
	{fault.LogoutStateDropped, "leaves state out of the post-logout redirect (breaks RP-Initiated Logout §2 state: the OP passes it back)"},
	{fault.LogoutKeepsSession, "answers a logout request without ending the browser's session (breaks RP-Initiated Logout §2: the OP MUST log out the End-User)"},
	{fault.LogoutWithoutConfirmation, "ends the session of a logout request without id_token_hint at once, without asking the user (breaks RP-Initiated Logout §2: the OP MUST ask; a cross-site link logs users out)"},
	{fault.LogoutHintNotVerified, "takes the id_token_hint of a logout request without verifying its signature, so a tampered hint names the client to redirect to (breaks RP-Initiated Logout §4: information that failed to validate MUST NOT be used)"},
	// OpenID Connect Session Management, Front-Channel and Back-Channel Logout 1.0.
	{fault.CheckSessionIframeHTTP, "advertises its check_session_iframe at an http:// URL (breaks Session Management §2.1: the URL MUST use the https scheme)"},
	{fault.FrontchannelMetadataNotBoolean, "advertises frontchannel_logout_supported and frontchannel_logout_session_supported as the strings \"true\" (breaks Front-Channel Logout §3: Boolean values)"},
	{fault.BackchannelMetadataNotBoolean, "advertises backchannel_logout_supported and backchannel_logout_session_supported as the strings \"true\" (breaks Back-Channel Logout §2.1: Boolean values)"},
	{fault.SessionStateMissing, "leaves session_state out of its authentication responses while it advertises check_session_iframe (breaks Session Management §3: the OP MUST return session_state)"},
	{fault.FrontchannelNotRendered, "renders no iframe of the clients' frontchannel_logout_uri after a logout while it advertises frontchannel_logout_supported (breaks Front-Channel Logout §3: the OP renders the logged-in RPs' logout URIs)"},
	{fault.FrontchannelIssWithoutSid, "adds iss but not sid to the frontchannel_logout_uri it renders (breaks Front-Channel Logout §2: if either is included, both MUST be)"},
	{fault.BackchannelNotSent, "POSTs no logout_token to the clients' backchannel_logout_uri after a logout while it advertises backchannel_logout_supported (breaks Back-Channel Logout §2.5)"},
	{fault.LogoutTokenNoEvents, "sends Logout Tokens without the events claim (breaks Back-Channel Logout §2.4: events REQUIRED, with the backchannel-logout member)"},
	{fault.LogoutTokenNonce, "puts a nonce claim in its Logout Tokens (breaks Back-Channel Logout §2.4: a nonce Claim MUST NOT be present; the token could pass for an ID Token)"},
	{fault.SessionStateUnverifiable, "computes the session_state of its authentication responses over its own origin instead of the RP's, so its check_session_iframe never recognises it (breaks Session Management §3.2: if it matched, the OP iframe MUST postMessage unchanged)"},
	{fault.LogoutKeepsBrowserState, "keeps the OP browser state cookie on logout, so the check_session_iframe still answers unchanged for the signed-out session (breaks Session Management §3.2: the OP SHOULD update the User Agent state on logins and logouts)"},
	{fault.LogoutRedirectWithoutURI, "redirects a logout request that names no post_logout_redirect_uri to one the client registered (the client the id_token_hint names, or any client) (breaks RP-Initiated Logout §3: without an id_token_hint the OP MUST NOT perform post-logout redirection)"},
	{fault.LogoutStateInvented, "puts a state of its own in a post-logout redirect whose logout request sent none (breaks RP-Initiated Logout §2: state is the RP's value, passed back when the request included it)"},
	{fault.LogoutKeepsSessionWithoutRedirect, "ends the session of a logout request only when it names a post_logout_redirect_uri: a logout with id_token_hint alone keeps the user signed in (breaks RP-Initiated Logout §2: the OP MUST log out the End-User)"},
	{fault.DuplicateParamsAccepted, "accepts repeated authorization request parameters, using the first value (breaks RFC 6749 §3.1)"},
	{fault.CodeInErrorResponse, "adds a code parameter to authorization error responses (breaks RFC 6749 §4.1.2.1)"},
	{fault.ErrorStateDropped, "omits state from authorization error responses (breaks RFC 6749 §4.1.2.1)"},
	{fault.ErrorCodeUnregistered, "answers authorization errors with error=bad_request instead of a registered error code (breaks RFC 6749 §4.1.2.1)"},
	{fault.DenyWrongError, "answers a denied consent with error=server_error instead of access_denied (breaks RFC 6749 §4.1.2.1)"},
	{fault.ConsentCSRF, "applies a consent decision posted without the request's anti-forgery value to the session's latest pending request, so a page of another origin can approve it (breaks RFC 6749 §10.12)"},
	{fault.CodeAnyClient, "lets any client use response_type=code, whatever response types it registered (breaks RFC 6749 §4.1.2.1 unauthorized_client)"},
	{fault.LoginRedirect307, "answers the successful login POST with 307, so the browser re-POSTs the credentials to the next page (breaks RFC 9700 §4.12)"},

	// Authorization codes.
	{fault.CodeReuseKeepsTokens, "refuses a reused authorization code but leaves the tokens from its first redemption valid (breaks RFC 6749 §4.1.2 SHOULD revoke)"},
	{fault.CodeLongLived, "issues authorization codes that never expire, ignoring the code lifetime (breaks RFC 6749 §4.1.2)"},
	{fault.WeakCodes, "issues predictable 8-hex-digit authorization codes from a counter (breaks RFC 6749 §10.10)"},

	// PKCE.
	{fault.PKCEVerifierOptional, "accepts a token request without code_verifier for a code issued with a code_challenge (breaks RFC 7636 §4.6)"},
	{fault.PKCEDowngradeAccepted, "accepts a code_verifier for a code issued without a code_challenge (breaks RFC 9700 §2.1.1 downgrade protection)"},
	{fault.PKCEPlainAllowed, "accepts and advertises the plain code_challenge_method, also when the method is omitted (breaks RFC 9700 §2.1.1)"},
	{fault.PKCENotRequiredPublic, "lets public clients use the authorization code grant without code_challenge (breaks RFC 9700 §2.1.1)"},
	{fault.PKCEShortVerifierAccepted, "skips the code_verifier length and character set check (breaks RFC 7636 §4.1)"},
	{fault.PKCEUnknownMethodAsPlain, "treats an unknown code_challenge_method as plain instead of refusing it (breaks RFC 7636 §4.4.1)"},

	// Implicit grant. The secure mock does not offer it: every flaw of an
	// implicit response implies implicit_offered (see faultImplies).
	{fault.ImplicitOffered, "offers the implicit grant (response_type token and id_token token) to clients registered for it and advertises it in the metadata, although RFC 9700 §2.1.2 says clients SHOULD NOT use it (breaks RFC 9700 §2.1.2)"},
	{fault.ImplicitStateDropped, "omits state from successful implicit responses, keeping it in code responses (breaks RFC 6749 §4.2.2)"},
	{fault.ImplicitTokenTypeWrong, "answers token_type \"mac\" instead of \"Bearer\" in implicit responses, keeping it in token endpoint responses (breaks RFC 6749 §4.2.2 / RFC 6750 §4)"},
	{fault.ImplicitNoExpiresIn, "omits expires_in from implicit responses, keeping it in token endpoint responses (breaks RFC 6749 §4.2.2 RECOMMENDED)"},
	{fault.ImplicitAnyClient, "lets any client use response_type=token, whatever response types it registered (breaks RFC 6749 §4.2.2.1 unauthorized_client / §3.1.1)"},
	{fault.ImplicitErrorInQuery, "sends error responses to response_type=token requests in the query instead of the fragment (breaks RFC 6749 §4.2.2.1)"},
	{fault.HybridTokenOffered, "answers the hybrid response_type \"code token\" for confidential clients registered for the code flow with a code and an access token in the fragment (OIDC Core §3.3.2.5), although RFC 9700 §2.1.2 says clients SHOULD NOT use response types issuing access tokens in the authorization response (breaks RFC 9700 §2.1.2)"},

	// Token endpoint protocol.
	{fault.TokenErrorStatus200, "answers token endpoint errors with HTTP 200 (the JSON body still carries error) (breaks RFC 6749 §5.2)"},
	{fault.UnsupportedGrantAsInvalidRequest, "answers an unknown grant_type with invalid_request instead of unsupported_grant_type (breaks RFC 6749 §5.2)"},
	{fault.MissingParamWrongError, "answers a missing required token request parameter (code, refresh_token, grant_type) with invalid_grant instead of invalid_request (breaks RFC 6749 §5.2)"},
	{fault.TokenGetAllowed, "also accepts GET at the token endpoint, with the parameters in the query string (breaks RFC 6749 §3.2: the client MUST use POST)"},
	{fault.TokenUnknownParamRejected, "answers invalid_request to a token request with an unrecognised parameter instead of ignoring it (breaks RFC 6749 §3.2)"},
	{fault.TokenDuplicateParamsAccepted, "accepts repeated token request parameters, using the first value (breaks RFC 6749 §3.2)"},

	// Access tokens.
	{fault.TokenNonVschar, "appends \"é\", a character outside VSCHAR, to every access token it issues (breaks RFC 6749 Appendix A.12)"},
	{fault.WeakAccessTokens, "issues opaque access tokens of 8 lowercase hex digits from a counter (breaks RFC 6749 §10.10 / RFC 6750 §5.2)"},
	{fault.LongLivedAccessTokens, "issues access tokens that live 24 hours (breaks RFC 9700 §4.10 / RFC 6819 §5.1.5.3 short-lived access tokens)"},

	// Client authentication at the token endpoint.
	{fault.PublicClientIDOptional, "accepts a public client's code redemption without client_id, inferring the client from the code (breaks RFC 6749 §4.1.3)"},
	{fault.BasicAuthRejected, "refuses client_secret_basic at the token endpoint although the metadata advertises it (breaks RFC 6749 §2.3.1 MUST support HTTP Basic)"},
	{fault.PostAuthRejected, "refuses client_secret_post at the token endpoint although the metadata advertises it (breaks RFC 8414 §2 token_endpoint_auth_methods_supported)"},
	{fault.MissingSecretAccepted, "authenticates a confidential client that sends only its client_id (breaks RFC 6749 §3.2.1)"},
	{fault.MissingSecretWrongError, "refuses a confidential client that sends no secret with invalid_request instead of invalid_client (breaks RFC 6749 §5.2; the client is still refused)"},
	{fault.QueryCredentialsAccepted, "authenticates a client with client_id and client_secret in the token endpoint's URL query string (breaks RFC 6749 §2.3.1)"},
	{fault.MultipleAuthMethodsAccepted, "accepts HTTP Basic and client_secret_post in the same token request, using Basic (breaks RFC 6749 §2.3)"},

	// Client credentials grant.
	{fault.CCPublicAllowed, "lets a public client use the client_credentials grant (breaks RFC 6749 §4.4)"},
	{fault.CCAnyConfidentialClient, "lets every confidential client use the client_credentials grant, registered for it or not (breaks RFC 6749 §5.2 unauthorized_client)"},
	{fault.CCScopeUnchecked, "grants any scope requested with client_credentials and echoes it in scope (breaks RFC 6749 §3.3 / §5.2 invalid_scope)"},

	// JWT access tokens and the JWKS.
	{fault.AtTypJWT, "signs JWT access tokens with typ \"JWT\" instead of \"at+jwt\" (breaks RFC 9068 §2.1)"},
	{fault.AtMissingJTI, "omits the jti claim from JWT access tokens (breaks RFC 9068 §2.2)"},
	{fault.AtWrongIss, "puts issuer + \"/other\" in the iss claim of JWT access tokens (breaks RFC 9068 §2.2)"},
	{fault.AtSignedWithUnpublishedKey, "signs JWT access tokens with a key that is not in the JWKS (breaks RFC 9068 §4 / RFC 8414 §2 jwks_uri)"},
	{fault.AtAlgNone, "issues unsigned JWT access tokens with alg \"none\" (breaks RFC 9068 §2.1)"},
	{fault.JWKSPrivateKey, "publishes the private key parameters of the signing key in the JWKS (breaks RFC 7517 §9.2 / RFC 8414 §2 jwks_uri)"},
	{fault.JWKSSymmetricKey, "publishes a symmetric (kty \"oct\") key in the JWKS (breaks RFC 8414 §2 jwks_uri: public keys only)"},

	// Protected resource.
	{fault.ResourceRejectsHeader, "ignores the Authorization request header at the protected resource and only takes tokens from the query (breaks RFC 6750 §2.1)"},
	{fault.ResourceQueryTokenAccepted, "accepts an access token in the access_token query parameter at the protected resource (breaks RFC 9700 §2.4.1 / RFC 6750 §2.3)"},
	{fault.ResourceQueryResponseCacheable, "sends its success response to a request with the access token in the query without Cache-Control (neither private nor no-store), so caches may store it (breaks RFC 6750 §2.3 SHOULD private)"},
	{fault.ResourceNoWWWAuthenticate, "sends 401 responses from the protected resource without a WWW-Authenticate header (breaks RFC 6750 §3)"},
	{fault.ResourceSignatureUnchecked, "does not verify the access token signature at the protected resource, checking only exp, iss and aud (breaks RFC 9068 §4)"},
	{fault.ResourceAcceptsAlgNone, "accepts unsigned (alg \"none\") access tokens at the protected resource (breaks RFC 9068 §4 / RFC 8725 §3.1)"},
	{fault.ResourceIgnoresRevocation, "does not check whether an access token was revoked at the protected resource (breaks RFC 7009 §2 / RFC 6750 §3.1 invalid_token)"},
	{fault.ResourceAcceptsExpired, "accepts expired access tokens at the protected resource (breaks RFC 6750 §3.1 invalid_token: the token is expired)"},
	{fault.ResourceInvalidTokenWrongError, "answers an invalid or expired access token at the protected resource with 400 and error=\"invalid_request\" instead of 401 invalid_token, still refusing it (breaks RFC 6750 §3.1 SHOULD)"},
	{fault.ResourceTrustsEmbeddedJWK, "verifies an access token with the key in its own \"jwk\" header when there is one (breaks RFC 9068 §4 / RFC 8725 §3.1)"},

	// Refresh tokens.
	{fault.RefreshNoCacheHeaders, "omits Cache-Control: no-store and Pragma: no-cache from refresh_token grant responses, keeping them for the other grants (breaks RFC 6749 §5.1 as required by §6)"},
	{fault.RefreshNotClientBound, "lets any authenticated client use a refresh token issued to another client (breaks RFC 6749 §10.4 / §6)"},
	{fault.RefreshWithoutAuth, "lets a confidential client refresh with only its client_id, without authenticating (breaks RFC 6749 §6)"},
	{fault.RefreshNoRotation, "returns the same refresh token on refresh, which stays valid (breaks RFC 9700 §4.14.2 refresh token rotation)"},
	{fault.RefreshReuseNotDetected, "refuses a replayed rotated-out refresh token but leaves the grant's active refresh token valid (breaks RFC 9700 §4.14.2 reuse detection)"},
	{fault.RefreshScopeBroadened, "grants a refresh request scopes beyond those of the grant and echoes them in scope (breaks RFC 6749 §6)"},
	{fault.RefreshGracePeriod, "keeps a rotated-out refresh token working for 10 seconds, so two racing refreshes both succeed (breaks RFC 9700 §4.14.2)"},
	{fault.WeakRefreshTokens, "issues predictable refresh tokens of 8 lowercase hex digits from a counter (breaks RFC 6749 §10.10)"},
	{fault.RefreshNonVschar, "appends \"é\", a character outside VSCHAR, to every refresh token it issues (breaks RFC 6749 Appendix A.17)"},
	{fault.RefreshPublicRefused, "refuses refresh requests of public clients with invalid_client, demanding an authentication they cannot perform (breaks RFC 6749 §6 / §3.2.1)"},

	// Revocation.
	{fault.RevocationIgnoredRefresh, "answers 200 to the revocation of a refresh token but leaves it valid (breaks RFC 7009 §2 / §2.2)"},
	{fault.RevocationIgnoredAccess, "answers 200 to the revocation of an access token but leaves it active at introspection and at the resource (breaks RFC 7009 §2 / §2.2)"},
	{fault.RevocationKeepsAccessTokens, "revokes a refresh token but not the access tokens of its grant (breaks RFC 7009 §2.1)"},
	{fault.RevocationUnauthenticated, "revokes a confidential client's token for a request without client authentication, with only a client_id or none (breaks RFC 7009 §2.1)"},
	{fault.RevocationAnyClient, "lets any authenticated client revoke a token issued to another client (breaks RFC 7009 §2.1)"},
	{fault.RevocationUnknownTokenError, "answers the revocation of an unknown token with 400 invalid_request instead of 200 (breaks RFC 7009 §2.2)"},
	{fault.RevocationHintStrict, "refuses a revocation whose token_type_hint does not match the token with 400 unsupported_token_type instead of searching all token types (breaks RFC 7009 §2.1)"},
	{fault.RevocationGetAllowed, "also accepts GET at the revocation endpoint, with the token in the query string, and revokes it (breaks RFC 7009 §2.1: the client uses POST)"},

	// Introspection.
	{fault.IntrospectionActiveString, "answers active as the string \"true\" or \"false\" instead of a JSON boolean (breaks RFC 7662 §2.2)"},
	{fault.IntrospectionUnauthenticated, "answers introspection requests that carry no client authentication (breaks RFC 7662 §2.1)"},
	{fault.IntrospectionInactiveLeaks, "adds client_id and scope guesses to the {\"active\": false} answer for unknown, revoked or expired tokens (breaks RFC 7662 §2.2 SHOULD NOT include additional information)"},
	{fault.IntrospectionUnknownTokenError, "answers introspection of a token it does not know with 400 invalid_request instead of {\"active\": false} (breaks RFC 7662 §2.2 and §2.3: an inactive or unknown token is not an error)"},
	{fault.IntrospectionIgnoresRevocation, "introspects revoked tokens, and the tokens of revoked grants, as active (breaks RFC 7662 §2.2)"},
	{fault.IntrospectionIgnoresExpiry, "introspects expired access tokens as active (breaks RFC 7662 §2.2: active means, among others, not expired)"},
	{fault.IntrospectionWrongClientID, "names another client_id (the client id reversed) in active introspection responses (breaks RFC 7662 §2.2)"},
	{fault.IntrospectionRefreshUnsupported, "introspects every refresh token as {\"active\": false} (breaks RFC 7662 §2.1 / §2.2)"},
	{fault.IntrospectionGetAllowed, "also accepts GET at the introspection endpoint, with the token in the query string (breaks RFC 7662 §2.1: the protected resource uses POST)"},

	// OpenID Connect ID Tokens.
	{fault.IDTokenWrongAud, "issues ID Tokens whose aud is another value (the client_id + \"-other\") instead of the client_id (breaks OIDC Core §2 aud)"},
	{fault.IDTokenWrongIss, "issues ID Tokens whose iss is issuer + \"/other\" instead of the issuer identifier (breaks OIDC Core §2 iss / §3.1.3.7)"},
	{fault.IDTokenNonceDropped, "omits the nonce claim from ID Tokens even when the authentication request carried a nonce (breaks OIDC Core §2 nonce / §3.1.2.1)"},
	{fault.IDTokenExpired, "issues ID Tokens that are already expired: iat an hour ago, exp half an hour ago (breaks OIDC Core §2 exp / §3.1.3.7)"},
	{fault.IDTokenUnpublishedKey, "signs ID Tokens with a key whose kid is not in the JWKS (breaks OIDC Core §10.1 / §3.1.3.7 signature validation)"},
	{fault.IDTokenNoAtHash, "omits at_hash from the ID Token issued with an access token by the authorization endpoint (response_type id_token token) (breaks OIDC Core §3.2.2.10)"},
	{fault.ImplicitNonceOptional, "accepts an authentication request with response_type id_token token and no nonce (breaks OIDC Core §3.2.2.1: nonce is REQUIRED)"},

	// Discovery.
	{fault.MetadataWrongContentType, "serves the authorization server metadata as text/plain (breaks RFC 8414 §3.2)"},
	{fault.MetadataMissingResponseTypes, "omits the REQUIRED response_types_supported from the metadata (breaks RFC 8414 §2)"},
	{fault.MetadataNoPKCEMethods, "omits code_challenge_methods_supported from the metadata (breaks RFC 9700 §2.1.1 / RFC 8414 §2)"},
	{fault.MetadataOmitsTokenResponseType, "lists only \"code\" in response_types_supported although the implicit grant still works (breaks RFC 8414 §2)"},

	// Advertised capabilities that do not work, and introspection by a client
	// other than the token's own.
	{fault.ClientSecretJWTAdvertisedUnsupported, "advertises client_secret_jwt in token_endpoint_auth_methods_supported but refuses such client assertions with invalid_client (breaks RFC 8414 §2)"},
	{fault.ClientSecretJWTSignatureUnchecked, "accepts a client_secret_jwt assertion without verifying its HMAC, so any secret signs it (breaks RFC 7523 §3)"},

	// Client assertions whose claims or signature are not checked.
	{fault.ClientAssertionAudUnchecked, "accepts a client_secret_jwt assertion whose aud names another server (breaks RFC 7523 §3 item 3)"},
	{fault.ClientAssertionSubUnchecked, "takes the client of a client_secret_jwt assertion from the client_id parameter and never compares the assertion's iss and sub with it, so an assertion naming another client authenticates (breaks RFC 7523 §3 items 1-2)"},
	{fault.ClientAssertionExpUnchecked, "accepts an expired client_secret_jwt assertion (breaks RFC 7523 §3 item 4)"},
	{fault.ClientAssertionAlgNone, "accepts an unsigned client assertion (alg none) and takes its claims as given (breaks RFC 7523 §3 item 9)"},

	// Advertised capabilities (continued).
	{fault.MetadataAdvertisesUnsupportedGrant, "lists urn:ietf:params:oauth:grant-type:saml2-bearer in grant_types_supported, which the token endpoint answers with unsupported_grant_type (breaks RFC 8414 §2)"},
	{fault.IntrospectionForeignClientClaims, "answers another client's active token with active true and the caller's client_id instead of the token's (breaks RFC 7662 §2.2)"},
	{fault.JWKSDuplicateKid, "publishes a second, different public key under the kid of the signing key in the JWKS (breaks RFC 7517 §4.5)"},
	{fault.PasswordGrantEnabled, "advertises and accepts the resource owner password credentials grant for confidential clients (breaks RFC 9700 §2.4)"},

	// Browser-level protections of the authorization pages.
	{fault.FrameProtectionMissing, "sends neither X-Frame-Options nor CSP frame-ancestors with the authorization pages, so they can be framed (breaks RFC 9700 §4.16 / RFC 6749 §10.13)"},
	{fault.CSPFrameAncestorsMissing, "sends X-Frame-Options but no CSP frame-ancestors with the authorization pages (breaks RFC 9700 §4.16)"},
	{fault.XFrameOptionsMissing, "sends CSP frame-ancestors but no X-Frame-Options with the authorization pages (breaks RFC 6749 §10.13)"},
	{fault.ReferrerPolicyMissing, "sends no Referrer-Policy with the authorization pages (breaks RFC 9700 §4.2.4)"},
	{fault.AuthorizeCORS, "answers any Origin at the authorization endpoint with Access-Control-Allow-Origin: <that origin> and Access-Control-Allow-Credentials: true (breaks RFC 9700 §2.6)"},

	// Browser-level security: the login session's cookie, CORS at the
	// token endpoint, the authorization request leaking to other origins.
	{fault.SessionCookieNotHttponly, "sets the login session cookie without HttpOnly, so script on the provider's pages can read it (breaks RFC 6265 §4.1.2.6)"},
	{fault.SessionCookieNoSamesite, "sets the login session cookie without a SameSite attribute, so other sites' requests carry it (breaks RFC 6265 §8.2 / RFC 6749 §10.12 CSRF defence)"},
	{fault.SessionCookieNotSecure, "sets the login session cookie without Secure although the issuer is https (breaks RFC 6265 §8.3)"},
	{fault.TokenCORSReflectsOrigin, "answers any Origin at the token endpoint, preflight included, with Access-Control-Allow-Origin: <that origin> and Access-Control-Allow-Credentials: true (breaks RFC 9700 §2.6)"},
	{fault.LoginPageThirdPartyLeak, "loads an image from another origin (the issuer's host swapped between 127.0.0.1 and localhost) on the login page, whose <meta name=\"referrer\" content=\"unsafe-url\"> sends it the full authorization URL with state and code_challenge (breaks RFC 9700 §4.2.4)"},
	// TLS.
	{fault.TLSAcceptsTLS10, "completes TLS 1.0 and TLS 1.1 handshakes (MinVersion TLS 1.0) (breaks RFC 8996 §2, §3 / RFC 9325 §3.1.1)"},
	{fault.TLSNoTLS13, "does not offer TLS 1.3 (MaxVersion TLS 1.2) (breaks RFC 9325 §3.1.1 SHOULD support TLS 1.3)"},
	{fault.TLSCertWrongHost, "serves a certificate of its own CA issued for wrong-host.example.test, not for 127.0.0.1 (breaks RFC 6749 §10.9 / RFC 6125 §6)"},
	{fault.PlainHTTPServed, "also answers plain HTTP on its HTTPS port, so the endpoints work without TLS (breaks RFC 6749 §3.1 and §3.2: the server MUST require TLS)"},
	{fault.MetadataHTTPEndpoint, "advertises its revocation_endpoint with an http:// URL in the metadata of an https issuer (breaks RFC 6749 §3.1, §3.2 / RFC 8414 §2)"},
	// DPoP (RFC 9449): dpop.go.
	{fault.DPoPTokenTypeBearer, "answers token_type Bearer to a token request with a valid DPoP proof, though the token is bound (breaks RFC 9449 §5: a token_type of DPoP MUST be included)"},
	{fault.DPoPNoCnf, "binds DPoP tokens but says so nowhere: no cnf.jkt in the JWT access token or the introspection answer (breaks RFC 9449 §6.1 / §6.2)"},
	{fault.DPoPSignatureUnchecked, "accepts a DPoP proof whose signature does not verify with its jwk (breaks RFC 9449 §4.3 check 6)"},
	{fault.DPoPTypUnchecked, "accepts a DPoP proof whose typ is not dpop+jwt (breaks RFC 9449 §4.3 check 4 / §11.5)"},
	{fault.DPoPAlgNoneAccepted, "accepts an unsigned DPoP proof (alg none) (breaks RFC 9449 §11.6)"},
	{fault.DPoPSymmetricAlgAccepted, "accepts a DPoP proof MACed with HS256 under a symmetric jwk it carries (breaks RFC 9449 §11.6: asymmetric algorithms only)"},
	{fault.DPoPHtmUnchecked, "accepts a DPoP proof whose htm is not the request's method (breaks RFC 9449 §4.3 check 8)"},
	{fault.DPoPHtuUnchecked, "accepts a DPoP proof whose htu is another URI (breaks RFC 9449 §4.3 check 9)"},
	{fault.DPoPIatUnchecked, "accepts a DPoP proof created hours ago (breaks RFC 9449 §11.1: proofs only for a limited time after their creation)"},
	{fault.DPoPJtiReplayAccepted, "accepts the same DPoP proof (same jti) again at the same URI (breaks RFC 9449 §11.1's single-use protection)"},
	{fault.DPoPPrivateJWKAccepted, "accepts a DPoP proof whose jwk header carries the private key (breaks RFC 9449 §4.3 check 7)"},
	{fault.DPoPProofWrongError, "refuses an invalid DPoP proof at the token endpoint with invalid_request instead of invalid_dpop_proof (breaks RFC 9449 §5; the proof is still refused)"},
	{fault.DPoPResourceKeyUnchecked, "lets the resource accept a DPoP-bound token with a valid proof of another key (breaks RFC 9449 §7.1 / §4.3 check 12)"},
	{fault.DPoPBearerDowngrade, "lets the resource accept a DPoP-bound access token sent as a Bearer token (breaks RFC 9449 §7.2)"},
	{fault.DPoPAthOptional, "lets the resource accept a DPoP proof without ath for an access token (breaks RFC 9449 §4.3 checks 3 and 12)"},
	{fault.DPoPAthUnchecked, "lets the resource accept a DPoP proof whose ath is the hash of another token (breaks RFC 9449 §4.3 check 12)"},
	{fault.DPoPNoChallenge, "answers a refused DPoP request at the resource with a Bearer challenge only: no DPoP challenge, no algs (breaks RFC 9449 §7.1 SHOULD algs)"},
	{fault.DPoPRefreshNotBound, "does not bind the refresh tokens of public clients to their DPoP key: another key refreshes them (breaks RFC 9449 §5)"},
	{fault.DPoPNonceUnchecked, "accepts any nonce value in a DPoP proof where it demands its own: at the resource (RFC 9449 §9), and at the token endpoint under dpop_nonce_required (breaks RFC 9449 §4.3 check 10 / §8)"},
	{fault.DPoPJktIgnored, "ignores dpop_jkt: a code requested with one key's thumbprint is redeemed with a proof of another key (breaks RFC 9449 §10)"},
	// The device authorization grant (RFC 8628): device.go.
	{fault.DeviceNoExpiresIn, "omits expires_in from the device authorization response (breaks RFC 8628 §3.2 REQUIRED)"},
	{fault.DevicePendingWrongError, "answers a poll before the user decided with invalid_grant instead of authorization_pending, so a device stops polling (breaks RFC 8628 §3.5)"},
	{fault.DeviceNoSlowDown, "never answers slow_down: a device polling faster than the interval gets authorization_pending every time (breaks RFC 8628 §3.5's slow_down)"},
	{fault.DeviceExpiryUnchecked, "never expires device codes: a poll after expires_in is answered authorization_pending, not expired_token (breaks RFC 8628 §3.2 / §3.5)"},
	{fault.DeviceDenyIgnored, "does not record the user's denial on the verification page: the device keeps polling authorization_pending instead of access_denied (breaks RFC 8628 §3.5)"},
	{fault.DeviceCodeReuse, "does not mark a redeemed device code as used: it yields tokens again (breaks the single use of RFC 8628's device code, as RFC 6749 §4.1.2's code)"},
	{fault.DeviceWeakUserCode, "issues four-digit user codes, about 13 bits (breaks RFC 8628 §5.1 SHOULD have enough entropy)"},
	{fault.DeviceUserCodeStrict, "accepts the user code only as shown, case and dash included (breaks RFC 8628 §6.1's case-insensitive entry)"},
	// Mutual TLS (RFC 8705): mtls.go.
	{fault.MTLSNoCertAccepted, "authenticates a tls_client_auth client that presents no certificate, by its client_id alone (breaks RFC 8705 §2)"},
	{fault.MTLSChainUnchecked, "accepts a tls_client_auth certificate with the registered subject whatever CA signed it, a self-signed one included (breaks RFC 8705 §2, §2.1)"},
	{fault.MTLSSelfSignedUnchecked, "accepts any certificate for a self_signed_tls_client_auth client, not only the registered one (breaks RFC 8705 §2, §2.2)"},
	{fault.MTLSNoCnf, "binds tokens to the client certificate but says so nowhere: no cnf x5t#S256 in the JWT access token or its introspection (breaks RFC 8705 §3.1 SHOULD / §3.2)"},
	{fault.MTLSResourceNoCertAccepted, "lets the resource accept a certificate-bound token on a connection without a client certificate (breaks RFC 8705 §3)"},
	{fault.MTLSResourceOtherCertAccepted, "lets the resource accept a certificate-bound token with another client certificate (breaks RFC 8705 §3)"},
	{fault.DeviceClientUnauthenticated, "accepts a confidential client's device authorization request with a wrong secret (breaks RFC 8628 §3.1 / RFC 6749 §3.2.1)"},

	// The OpenID Connect flows of the Implicit, Hybrid and Form Post plans
	// (IM-, HB-, FP-, FI-, FH-): the response, nonce, claims, userinfo,
	// response_type (01..05).
	{fault.IDTokenOnlyNonceOptional, "answers a response_type id_token request without nonce with an ID Token (breaks OIDC Core §3.2.2.1: nonce is REQUIRED for the implicit flow)"},
	{fault.IDTokenOnlyScopeClaimsDropped, "leaves the claims of the profile, email, address and phone scopes out of the ID Token of a response_type id_token response, where no access token reaches the UserInfo Endpoint (breaks OIDC Core §5.4: the claims are then returned in the ID Token)"},
	{fault.CodeTokenNonceRequired, "refuses a code token request without nonce with invalid_request (with code token the ID Token comes from the token endpoint: nonce is OPTIONAL, OIDC Core §3.1.2.1, §3.3.2.11)"},
	{fault.ImplicitAccessTokenNoOpenID, "issues the access token of an id_token token response without the openid scope , so the UserInfo Endpoint refuses it (breaks OIDC Core §5.3: the flow's access token obtains the user's claims)"},

	// The same: the request's parameters, request objects, claims, the code (06..09, 13..15).
	{fault.FlowRedirectURIUnchecked, "matches the redirect URI only for response_type=code answered in the query: a request of another response type, or with response_mode=form_post, is answered at any redirect_uri (breaks RFC 6749 §3.1.2.4 / RFC 9700 §2.1 for the Implicit, Hybrid and Form Post flows)"},
	{fault.FlowParamsRejected, "refuses display with invalid_request in every request but response_type=code answered in the query (breaks OIDC Core §3.1.2.1 display and RFC 6749 §3.1 for the Implicit, Hybrid and Form Post flows)"},
	{fault.FlowRequestObjectUnsignedAccepted, "takes an unsigned request object (alg none), which request_object_signing_alg_values_supported does not list, as the request when it asks for a response type other than code or for response_mode=form_post (breaks OIDC Discovery §3 request_object_signing_alg_values_supported for the Implicit, Hybrid and Form Post flows)"},

	// The same: prompt, max_age, id_token_hint (10..12).
	{fault.FlowPromptNoneLoginPage, "shows the login page to a prompt=none request from a browser with no session when the response is not a code in the query (response_type id_token, code id_token..., or response_mode=form_post) instead of sending login_required back (breaks OIDC Core §3.1.2.1 prompt none: MUST NOT display any authentication or consent user interface pages)"},
	{fault.FlowPromptLoginIgnored, "reuses the browser's session for a prompt=login request whose response is not a code in the query (fragment or form_post) instead of asking the user to sign in again (breaks OIDC Core §15.1 / §3.1.2.1 prompt login)"},
	{fault.FlowIDTokenHintRejected, "answers login_required to a prompt=none request carrying an id_token_hint of the signed-in user when the response is not a code in the query (fragment or form_post) (breaks OIDC Core §3.1.2.1 id_token_hint: a positive response for the user who is logged in)"},

	// Logout: session management, front- and back-channel logout.
}

// faultImplies maps a fault to the faults it switches on with it: the flaws
// of an implicit response (or of a claim about one) are observable only
// when the grant is offered, and the caching of a resource's answer to a
// token in the query only when the resource accepts one.
// implicit_error_in_query is here too: a server that neither offers nor
// advertises the implicit grant may answer response_type=token by the
// rules of the code flow, in the query (the no_implicit variant); the flaw
// is an error in the query from a server that offers it. hybrid_token_offered
// is not, its refusal being the secure behaviour it breaks.
var faultImplies = map[fault.Name][]fault.Name{
	fault.ImplicitStateDropped:           {fault.ImplicitOffered},
	fault.ImplicitTokenTypeWrong:         {fault.ImplicitOffered},
	fault.ImplicitNoExpiresIn:            {fault.ImplicitOffered},
	fault.TokenInQuery:                   {fault.ImplicitOffered},
	fault.ImplicitRefreshToken:           {fault.ImplicitOffered},
	fault.ImplicitAnyClient:              {fault.ImplicitOffered}, // any client: only when some client may use the grant at all
	fault.IDTokenNoAtHash:                {fault.ImplicitOffered},
	fault.ImplicitNonceOptional:          {fault.ImplicitOffered},
	fault.ImplicitErrorInQuery:           {fault.ImplicitOffered}, // an error in the query is the code flow's rule for a server without the grant
	fault.FormPostImplicitIgnored:        {fault.ImplicitOffered},
	fault.MetadataOmitsTokenResponseType: {fault.ImplicitOffered}, // omitting "token" is truthful when it is not offered
	// The secure resource refuses query tokens (BR-02): only an answer to
	// one can lack Cache-Control: private.
	fault.ResourceQueryResponseCacheable: {fault.ResourceQueryTokenAccepted},

	// The OpenID Connect flows (01..05).
	fault.ImplicitAccessTokenNoOpenID: {fault.ImplicitOffered},    // its access token comes from id_token token only
	fault.CodeTokenNonceRequired:      {fault.HybridTokenOffered}, // code token is answered only then

	// The OpenID Connect flows (06..09, 13..15).

	// The OpenID Connect flows (10..12).
}

// AllFaults returns every supported fault, sorted by name.
func AllFaults() []Fault {
	out := make([]Fault, len(faultTable))
	for i, r := range faultTable {
		out[i] = Fault{Name: r.Name, Description: r.Description, Implies: append([]fault.Name(nil), faultImplies[r.Name]...)}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func knownFault(name fault.Name) bool {
	for _, f := range faultTable {
		if f.Name == name {
			return true
		}
	}
	return false
}

// parseFaults validates fault names and returns the enabled set, with the
// faults they imply (transitively).
func parseFaults(names []fault.Name) (map[fault.Name]bool, error) {
	set := make(map[fault.Name]bool, len(names))
	queue := append([]fault.Name(nil), names...)
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
func (s *Server) has(name fault.Name) bool {
	if !knownFault(name) {
		panic("mockserver: unknown fault name in code: " + string(name))
	}
	return s.faults[name]
}

// Faults returns the names of the enabled faults, sorted.
func (s *Server) Faults() []string {
	out := make([]string, 0, len(s.faults))
	for n := range s.faults {
		out = append(out, string(n))
	}
	sort.Strings(out)
	return out
}
