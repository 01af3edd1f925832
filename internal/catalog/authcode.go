package catalog

// The authorization code grant end to end: the authorization response (RFC
// 6749 §4.1.2, RFC 9207), the code itself (RFC 6749 §4.1.2, §4.1.3,
// §10.5, §10.10), PKCE (RFC 7636; RFC 9700 §2.1.1) and the token response
// it yields (RFC 6749 §5.1).
// The checks of suites/authcode.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// CodeInQuery: RFC 6749 §4.1.2, the code is added "to the query component
	// of the redirection URI".
	CodeInQuery = register(Check{
		ID: "AE-01", Title: "authorization code is delivered in the query of the redirect URI",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2"}, Fault: fault.CodeInFragment,
		Quote:  "RFC 6749 §4.1.2: If the resource owner grants the access request, the authorization server issues an authorization code and delivers it to the client by adding the following parameters to the query component of the redirection URI … code REQUIRED.",
		Threat: "none: interoperability, a client reads the code from the query and a code in the fragment never reaches its server", Severity: verdict.Low,
		OIDF: []string{"oidcc-server"},
	})

	// CodeResponseStateEchoed: RFC 6749 §4.1.2, state is REQUIRED in the
	// response when it was in the request: "the exact value received from the client".
	CodeResponseStateEchoed = register(Check{
		ID: "AE-02", Title: "state is echoed exactly in the authorization response",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2"}, Fault: fault.StateDropped,
		Quote:  "RFC 6749 §4.1.2: state REQUIRED if the \"state\" parameter was present in the client authorization request. The exact value received from the client.",
		Threat: "RFC 9700 §4.7 cross-site request forgery: the client binds a response to its request by state", Severity: verdict.Medium,
		OIDF: []string{"oidcc-server"},
	})

	// IssuerInAuthorizationResponse: RFC 9207 §2, when the server advertises
	// authorization_response_iss_parameter_supported, iss is its issuer identifier.
	IssuerInAuthorizationResponse = register(Check{
		ID: "AE-03", Title: "iss in the authorization response equals the issuer",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9207 §2", "RFC 9700 §4.4.2"}, Fault: fault.IssWrong,
		Quote:  "RFC 9207 §2: In authorization responses to the client, including error responses, an authorization server supporting this specification MUST indicate its identity by including the iss parameter in the response.",
		Threat: "RFC 9700 §4.4 mix-up attacks: a client sends a code to the wrong server", Severity: verdict.High,
	})

	// NoLoginRedirect307: RFC 9700 §4.12 "the AS MUST NOT use the HTTP 307
	// status code" when redirecting after a POST carrying credentials.
	NoLoginRedirect307 = register(Check{
		ID: "AE-12", Title: "the redirect after the login POST is not a 307",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §4.12"}, Fault: fault.LoginRedirect307,
		Quote:  "RFC 9700 §4.12: Authorization servers that redirect a request that potentially contains the user's credentials therefore MUST NOT use the HTTP 307 status code for redirection.",
		Threat: "RFC 9700 §4.12 307 redirect: the user's password re-posted to the client", Severity: verdict.High,
	})

	// CodeSingleUse: RFC 6749 §4.1.2 "If an authorization code is used more
	// than once, the authorization server MUST deny the request".
	CodeSingleUse = register(Check{
		ID: "CODE-01", Title: "an authorization code can be redeemed only once",
		Area: "authorization code", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2", "RFC 6749 §10.5"}, Fault: fault.CodeReuse,
		Quote:  "RFC 6749 §4.1.2: If an authorization code is used more than once, the authorization server MUST deny the request …",
		Threat: "RFC 6819 §4.4.1.1 eavesdropping or leaking authorization codes: a leaked code redeemed", Severity: verdict.High,
		OIDF: []string{"oidcc-codereuse"},
	})

	// CodeBoundToClient: RFC 6749 §4.1.3 "ensure that the authorization code
	// was issued to the authenticated confidential client".
	CodeBoundToClient = register(Check{
		ID: "CODE-02", Title: "another client cannot redeem the authorization code",
		Area: "authorization code", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.3"}, Fault: fault.CodeNotClientBound,
		Quote:  "RFC 6749 §4.1.3: The authorization server MUST: … ensure that the authorization code was issued to the authenticated confidential client, or if the client is public, ensure that the code was issued to \"client_id\" in the request",
		Threat: "RFC 9700 §4.5 authorization code injection: a stolen code redeemed by another client or at another redirect URI", Severity: verdict.Critical,
	})

	// CodeOtherClientInvalidGrant: RFC 6749 §5.2, the refusal of a code issued
	// to another client (CODE-02) carries invalid_grant.
	CodeOtherClientInvalidGrant = register(Check{
		ID: "CODE-07", Title: "a code redeemed by another client is refused with invalid_grant",
		Area: "authorization code", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §5.2"}, Fault: fault.CodeOtherClientWrongError,
		Quote:  "RFC 6749 §5.2: error REQUIRED. A single ASCII [USASCII] error code from the following: … invalid_grant The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
		Threat: "none: interoperability, the request is refused, but a client cannot tell why (a refusal with another code is no security flaw)", Severity: verdict.Low,
	})

	// CodeBoundToRedirectURI: RFC 6749 §4.1.3 "ensure that the redirect_uri
	// parameter is present ... and if included ensure that their values are identical".
	CodeBoundToRedirectURI = register(Check{
		ID: "CODE-03", Title: "the token request's redirect_uri must equal the authorization request's",
		Area: "authorization code", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.3"}, Fault: fault.RedirectURINotCheckedAtToken,
		Quote:  "RFC 6749 §4.1.3: The authorization server MUST: … ensure that the \"redirect_uri\" parameter is present if the \"redirect_uri\" parameter was included in the initial authorization request as described in Section 4.1.1, and if included ensure that their values are identical.",
		Threat: "RFC 9700 §4.5 authorization code injection: a stolen code redeemed by another client or at another redirect URI", Severity: verdict.High,
	})

	// CodeRedirectMismatchInvalidGrant: RFC 6749 §5.2, the refusal of a
	// redirect_uri that differs from the authorization request's (CODE-03)
	// carries invalid_grant.
	CodeRedirectMismatchInvalidGrant = register(Check{
		ID: "CODE-08", Title: "a redirect_uri mismatch at the token endpoint is refused with invalid_grant",
		Area: "authorization code", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §5.2"}, Fault: fault.RedirectMismatchWrongError,
		Quote:  "RFC 6749 §5.2: error REQUIRED. A single ASCII [USASCII] error code from the following: … invalid_grant The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
		Threat: "none: interoperability, the request is refused, but a client cannot tell why (a refusal with another code is no security flaw)", Severity: verdict.Low,
	})

	// CodeReuseRevokesTokens: RFC 6749 §4.1.2 "If an authorization code is
	// used more than once, the authorization server ... SHOULD revoke (when
	// possible) all tokens previously issued based on that authorization code."
	CodeReuseRevokesTokens = register(Check{
		ID: "CODE-04", Title: "reusing a code revokes the tokens issued from it",
		Area: "authorization code", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §4.1.2", "RFC 6749 §10.5"}, Fault: fault.CodeReuseKeepsTokens,
		Quote:  "RFC 6749 §4.1.2: If an authorization code is used more than once, the authorization server … SHOULD revoke (when possible) all tokens previously issued based on that authorization code.",
		Threat: "RFC 6819 §4.4.1.1 eavesdropping or leaking authorization codes: a leaked code redeemed", Severity: verdict.Medium,
		OIDF: []string{"oidcc-codereuse-30seconds"},
	})

	// CodeExpires: RFC 6749 §4.1.2 "The authorization code MUST expire
	// shortly after it is issued"; the profile declares the lifetime.
	CodeExpires = register(Check{
		ID: "CODE-05", Title: "a code is refused after its declared lifetime",
		Area: "authorization code", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2", "RFC 6749 §10.5"}, Fault: fault.CodeLongLived,
		Quote:  "RFC 6749 §4.1.2: The authorization code MUST expire shortly after it is issued to mitigate the risk of leaks.",
		Threat: "RFC 6819 §4.4.1.1 eavesdropping or leaking authorization codes: a leaked code redeemed", Severity: verdict.Medium,
	})

	// CodeEntropy: RFC 6749 §10.10 "The probability of an attacker guessing
	// generated tokens (and other credentials not intended for handling by
	// end-users) MUST be less than or equal to 2^(-128)".
	CodeEntropy = register(Check{
		ID: "CODE-06", Title: "codes carry at least 128 bits of entropy (estimated from a sample)",
		Area: "authorization code", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §10.10", "RFC 6749 §10.5"}, Fault: fault.WeakCodes,
		Quote:  "RFC 6749 §10.10: The probability of an attacker guessing generated tokens (and other credentials not intended for handling by end-users) MUST be less than or equal to 2^(-128) …",
		Threat: "RFC 6819 §4.4.1.3 online guessing of authorization codes", Severity: verdict.High,
	})

	// PKCES256Accepted: RFC 7636 §4.6, the server verifies code_verifier by
	// the method of the stored challenge; a correct S256 verifier succeeds.
	PKCES256Accepted = register(Check{
		ID: "PK-01", Title: "code redeemed with a correct S256 code_verifier",
		Area: "pkce", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 7636 §4.6", "RFC 9700 §2.1.1"}, Fault: fault.PKCEMethodIgnored,
		Quote:  "RFC 7636 §4.6: If the values are equal, the token endpoint MUST continue processing as normal (as defined by OAuth 2.0 [RFC6749]).",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
		OIDF: []string{"oidcc-ensure-request-with-valid-pkce-succeeds"},
	})

	// PKCEWrongVerifierRejected: RFC 7636 §4.6 "If the values are not equal,
	// an error response indicating invalid_grant ... MUST be returned".
	PKCEWrongVerifierRejected = register(Check{
		ID: "PK-02", Title: "a wrong code_verifier is rejected with invalid_grant",
		Area: "pkce", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 7636 §4.6"}, Fault: fault.PKCENotVerified,
		Quote:  "RFC 7636 §4.6: If the values are not equal, an error response indicating \"invalid_grant\" as described in Section 4.4.1 MUST be returned.",
		Threat: "RFC 9700 §4.5 authorization code injection: a stolen code redeemed by another client or at another redirect URI (PKCE does not bind the code)", Severity: verdict.High,
	})

	// PKCEMissingVerifierRejected: RFC 7636 §4.6 and RFC 9700 §2.1.1 "the
	// authorization server MUST enforce the correct usage of code_verifier".
	PKCEMissingVerifierRejected = register(Check{
		ID: "PK-03", Title: "a missing code_verifier is rejected when a challenge was sent",
		Area: "pkce", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 7636 §4.6", "RFC 9700 §2.1.1"}, Fault: fault.PKCEVerifierOptional,
		Quote:  "RFC 9700 §2.1.1: If a client sends a valid PKCE code_challenge parameter in the authorization request, the authorization server MUST enforce the correct usage of code_verifier at the token endpoint.",
		Threat: "RFC 9700 §4.5 authorization code injection: a stolen code redeemed by another client or at another redirect URI (PKCE does not bind the code)", Severity: verdict.High,
	})

	// PKCEDowngradeRejected: RFC 9700 §2.1.1 "ensuring that a token request
	// containing a code_verifier parameter is accepted only if a
	// code_challenge parameter was present in the authorization request".
	PKCEDowngradeRejected = register(Check{
		ID: "PK-04", Title: "a code_verifier for a code issued without a challenge is rejected (downgrade)",
		Area: "pkce", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.1.1", "RFC 9700 §4.8.2"}, Fault: fault.PKCEDowngradeAccepted,
		Quote:  "RFC 9700 §2.1.1: Authorization servers MUST mitigate PKCE downgrade attacks by ensuring that a token request containing a code_verifier parameter is accepted only if a code_challenge parameter was present in the authorization request; see Section 4.8.2 for details.",
		Threat: "RFC 9700 §4.8 PKCE downgrade: PKCE switched off for a code that had it", Severity: verdict.High,
	})

	// PKCEPlainVerifierForS256Rejected: RFC 7636 §4.6, an S256 challenge is
	// verified by hashing; sending the challenge itself must fail.
	PKCEPlainVerifierForS256Rejected = register(Check{
		ID: "PK-05", Title: "the challenge itself sent as verifier for an S256 challenge is rejected",
		Area: "pkce", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 7636 §4.6"}, Fault: fault.PKCEMethodIgnored,
		Quote:  "RFC 7636 §4.6: If the values are not equal, an error response indicating \"invalid_grant\" as described in Section 4.4.1 MUST be returned.",
		Threat: "RFC 9700 §4.5 authorization code injection: a stolen code redeemed by another client or at another redirect URI (the challenge, visible in the authorization request, redeems the code)", Severity: verdict.High,
	})

	// PKCEPlainRefused: RFC 9700 §2.1.1 recommends challenge methods that do
	// not expose the verifier; RFC 7636 §7.2 plain offers no protection
	// against an observed request.
	PKCEPlainRefused = register(Check{
		ID: "PK-06", Title: "the plain challenge method is refused",
		Area: "pkce", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 9700 §2.1.1", "RFC 7636 §7.2"}, Fault: fault.PKCEPlainAllowed,
		Quote: "RFC 9700 §2.1.1: When using PKCE, clients SHOULD use PKCE code challenge methods that do not expose the PKCE verifier in the authorization request.",
		Binds: BindsClient, Why: "The sentence binds the client; a server that refuses plain keeps the verifier out of authorization requests, where an attacker who reads them (RFC 9700 attacker A4) would learn it.",
		Threat: "RFC 9700 §4.5 authorization code injection: a stolen code redeemed by another client or at another redirect URI (a plain verifier read from the authorization request)", Severity: verdict.Low,
	})

	// PKCERequiredForPublic: RFC 9700 §2.1.1 "public clients MUST use PKCE";
	// a server that enforces it protects clients that forget.
	PKCERequiredForPublic = register(Check{
		ID: "PK-07", Title: "a public client's request without code_challenge is refused",
		Area: "pkce", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 9700 §2.1.1"}, Fault: fault.PKCENotRequiredPublic,
		Quote: "RFC 9700 §2.1.1: Clients MUST prevent authorization code injection attacks (see Section 4.5) and misuse of authorization codes using one of the following options:",
		Binds: BindsClient, Why: "The sentence binds clients, and for a public client the option is PKCE; a server that refuses a public client's request without code_challenge enforces it for every one of them.",
		Threat: "RFC 9700 §4.5 authorization code injection: a stolen code redeemed by another client or at another redirect URI", Severity: verdict.Medium,
	})

	// PKCEShortVerifierRejected: RFC 7636 §4.1, code_verifier has "a minimum
	// length of 43 characters and a maximum length of 128".
	PKCEShortVerifierRejected = register(Check{
		ID: "PK-08", Title: "a code_verifier shorter than 43 characters is rejected",
		Area: "pkce", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 7636 §4.1", "RFC 7636 §4.6"}, Fault: fault.PKCEShortVerifierAccepted,
		Quote: "RFC 7636 §4.1: code-verifier = 43*128unreserved",
		Binds: BindsClient, Why: "The grammar binds the client that makes the verifier (at least 43 characters); a server that refuses a shorter one refuses a verifier too weak to protect the code.",
		Threat: "RFC 7636 §7.1 guessing a low-entropy code_verifier", Severity: verdict.Low,
	})

	// PKCEPublicClient: RFC 7636 §4.5–4.6, a public client redeems its code
	// with the verifier and no secret.
	PKCEPublicClient = register(Check{
		ID: "PK-09", Title: "a public client redeems its code with an S256 verifier and no secret",
		Area: "pkce", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 7636 §4.6", "RFC 6749 §4.1.3"}, Fault: fault.PKCEMethodIgnored,
		Quote:  "RFC 7636 §4.6: If the values are equal, the token endpoint MUST continue processing as normal (as defined by OAuth 2.0 [RFC6749]).",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// PKCEUnknownMethodRefused: RFC 7636 §4.4.1 "If the server supporting
	// PKCE does not support the requested transformation, the authorization
	// endpoint MUST return the authorization error response with error value
	// set to invalid_request."
	PKCEUnknownMethodRefused = register(Check{
		ID: "PK-10", Title: "an unsupported code_challenge_method gets invalid_request",
		Area: "pkce", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 7636 §4.4.1"}, Fault: fault.PKCEUnknownMethodAsPlain,
		Quote:  "RFC 7636 §4.4.1: If the server supporting PKCE does not support the requested transformation, the authorization endpoint MUST return the authorization error response with \"error\" value set to \"invalid_request\".",
		Threat: "RFC 9700 §4.8 PKCE downgrade: PKCE switched off for a code that had it (an unknown method silently treated as another)", Severity: verdict.Low,
	})

	// TokenResponseShape: RFC 6749 §5.1, access_token and token_type are
	// REQUIRED; a bearer token's type is "Bearer" (RFC 6750 §4), compared case-insensitively.
	TokenResponseShape = register(Check{
		ID: "TE-01", Title: "token response carries access_token and token_type Bearer",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §5.1", "RFC 6750 §4"}, Fault: fault.TokenTypeWrong,
		Quote:  "RFC 6749 §5.1: access_token REQUIRED. The access token issued by the authorization server.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
		OIDF: []string{"oidcc-server"},
	})

	// TokenResponseExpiresIn: RFC 6749 §5.1, expires_in is RECOMMENDED.
	TokenResponseExpiresIn = register(Check{
		ID: "TE-02", Title: "token response carries expires_in",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §5.1"}, Fault: fault.NoExpiresIn,
		Quote:  "RFC 6749 §5.1: expires_in RECOMMENDED. The lifetime in seconds of the access token.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// TokenResponseNoStore: RFC 6749 §5.1 "The authorization server MUST
	// include ... Cache-Control ... no-store" (Pragma is TE-14).
	TokenResponseNoStore = register(Check{
		ID: "TE-03", Title: "token response has Cache-Control: no-store",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §5.1"}, Fault: fault.NoCacheHeaders,
		Quote:  "RFC 6749 §5.1: The authorization server MUST include the HTTP \"Cache-Control\" response header field [RFC2616] with a value of \"no-store\" in any response containing tokens, credentials, or other sensitive information …",
		Threat: "RFC 6819 §4.6.6 leak of confidential data in HTTP proxies and caches", Severity: verdict.Medium,
	})

	// TokenResponsePragma: RFC 6749 §5.1 asks for Pragma: no-cache beside
	// Cache-Control: no-store; RFC 9111 §5.4 deprecates Pragma and the OAuth 2.1
	// draft drops it, so its absence is a hardening warning for HTTP/1.0 caches.
	TokenResponsePragma = register(Check{
		ID: "TE-14", Title: "token response has Pragma: no-cache (for HTTP/1.0 caches)",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §5.1", "RFC 9111 §5.4"}, Fault: fault.TokenPragmaMissing,
		Quote: "RFC 6749 §5.1: … as well as the \"Pragma\" response header field [RFC2616] with a value of \"no-cache\".",
		Binds: BindsPractice, Why: "RFC 6749 §5.1 asks for Pragma beside Cache-Control (its MUST is TE-03), but RFC 9111 §5.4 deprecates Pragma, which was never defined for responses, and the OAuth 2.1 draft drops it: caches obey Cache-Control: no-store, so a missing Pragma is a warning for HTTP/1.0 caches only.",
		Threat: "RFC 6819 §4.6.6 leak of confidential data in HTTP proxies and caches (HTTP/1.0 caches only)", Severity: verdict.None,
	})

	// IDTokenSubStable: OIDC Core §5.7, iss and sub are the stable
	// identifier of the user: two sign-ins of the same user, one sub. Run
	// in the code flow's ordered container after the replay checks, whose
	// logins of their own are the second sign-in (no extra login).
	IDTokenSubStable = register(Check{
		ID: "TF-16", Title: "two sign-ins of the same user get id_tokens with the same sub",
		Area: "token format", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §5.7", "OIDC Core §2"}, Fault: fault.IDTokenSubPerLogin,
		Quote:  "OIDC Core §5.7: The sub (subject) and iss (issuer) Claims from the ID Token, used together, are the only Claims that an RP can rely upon as a stable identifier for the End-User, since the sub Claim MUST be locally unique and never reassigned within the Issuer for a particular End-User, as described in Section 2.",
		Threat: "account confusion: a client keyed on iss and sub sees the same user as a new account at each sign-in", Severity: verdict.Low,
	})
)
