package catalog

// Authorization request and response (RFC 6749 §3.1, §4.1.1–4.1.2.1; RFC
// 9207; RFC 9700 §4.12), authorization codes (RFC 6749 §4.1.2, §10.5,
// §10.10) and PKCE (RFC 7636; RFC 9700 §2.1.1).

func authzCheck(id, title string, level Level, fault string, spec ...string) Check {
	return register(Check{ID: id, Title: title, Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode},
		Level: level, Spec: spec, Fault: fault})
}

func codeCheck(id, title string, level Level, fault string, spec ...string) Check {
	return register(Check{ID: id, Title: title, Area: "authorization code", Flows: []Flow{FlowAuthorizationCode},
		Level: level, Spec: spec, Fault: fault})
}

func pkceCheck(id, title string, level Level, fault string, spec ...string) Check {
	return register(Check{ID: id, Title: title, Area: "pkce", Flows: []Flow{FlowAuthorizationCode},
		Level: level, Spec: spec, Fault: fault})
}

var (
	// LongStateEchoed: RFC 6749 §4.1.2 "the exact value received", for a
	// 1,500-character state: echoed whole or refused with an error, never cut.
	LongStateEchoed = authzCheck("AE-04", "a long state (1,500 characters) is echoed exactly or refused, never truncated",
		Must, "state_truncated", "RFC 6749 §4.1.2")
	// IssuerAdvertised: RFC 9700 §4.4.2 recommends the RFC 9207 iss parameter
	// against mix-up; RFC 9207 §3 advertises it in metadata.
	IssuerAdvertised = authzCheck("AE-05", "the metadata advertises authorization_response_iss_parameter_supported",
		Should, "iss_not_advertised", "RFC 9207 §3", "RFC 9700 §4.4.2")
	// MissingResponseTypeRefused: RFC 6749 §3.1.1 response_type is REQUIRED;
	// §4.1.2.1 invalid_request for a missing required parameter.
	MissingResponseTypeRefused = authzCheck("AE-06", "a request without response_type gets an error and no code",
		Must, "response_type_lenient", "RFC 6749 §3.1.1", "RFC 6749 §4.1.2.1")
	// UnknownResponseTypeRefused: RFC 6749 §4.1.2.1 unsupported_response_type.
	UnknownResponseTypeRefused = authzCheck("AE-07", "an unknown response_type gets an error and no code",
		Must, "response_type_lenient", "RFC 6749 §3.1.1", "RFC 6749 §4.1.2.1")
	// UnknownParameterIgnored: RFC 6749 §3.1 "The authorization server MUST
	// ignore unrecognized request parameters."
	UnknownParameterIgnored = authzCheck("AE-08", "an unknown authorization request parameter is ignored",
		Must, "unknown_param_rejected", "RFC 6749 §3.1")
	// DuplicateParameterRefused: RFC 6749 §3.1 "Request and response
	// parameters MUST NOT be included more than once"; §4.1.2.1 invalid_request.
	DuplicateParameterRefused = authzCheck("AE-09", "a duplicated authorization request parameter gets an error and no code",
		Must, "duplicate_params_accepted", "RFC 6749 §3.1", "RFC 6749 §4.1.2.1")
	// NoCodeInErrorResponse: an error response carries error, description,
	// uri, state (RFC 6749 §4.1.2.1) — a code beside an error confuses clients.
	NoCodeInErrorResponse = authzCheck("AE-10", "an error response carries no code",
		Must, "code_in_error_response", "RFC 6749 §4.1.2.1")
	// ConsentDeniedIsAccessDenied: RFC 6749 §4.1.2.1 access_denied "The
	// resource owner or authorization server denied the request."
	ConsentDeniedIsAccessDenied = authzCheck("AE-11", "a user who denies consent is sent back with access_denied",
		Must, "deny_wrong_error", "RFC 6749 §4.1.2.1")
	// NoLoginRedirect307: RFC 9700 §4.12 "the AS MUST NOT use the HTTP 307
	// status code" when redirecting after a POST carrying credentials.
	NoLoginRedirect307 = authzCheck("AE-12", "the redirect after the login POST is not a 307",
		Must, "login_redirect_307", "RFC 9700 §4.12")
	// ErrorResponseStateEchoed: RFC 6749 §4.1.2.1, state is REQUIRED in an
	// error response when it was in the request.
	ErrorResponseStateEchoed = authzCheck("AE-13", "an error response echoes state exactly",
		Must, "error_state_dropped", "RFC 6749 §4.1.2.1")
	// ErrorCodeRegistered: RFC 6749 §4.1.2.1, error is one of the listed
	// ASCII codes (or registered per §11.4).
	ErrorCodeRegistered = authzCheck("AE-14", "an error response uses a registered error code",
		Must, "error_code_unregistered", "RFC 6749 §4.1.2.1", "RFC 6749 §11.4")

	// CodeReuseRevokesTokens: RFC 6749 §4.1.2 "If an authorization code is
	// used more than once, the authorization server ... SHOULD revoke (when
	// possible) all tokens previously issued based on that authorization code."
	CodeReuseRevokesTokens = codeCheck("CODE-04", "reusing a code revokes the tokens issued from it",
		Should, "code_reuse_keeps_tokens", "RFC 6749 §4.1.2", "RFC 6749 §10.5")
	// CodeExpires: RFC 6749 §4.1.2 "The authorization code MUST expire
	// shortly after it is issued"; the profile declares the lifetime.
	CodeExpires = codeCheck("CODE-05", "a code is refused after its declared lifetime",
		Must, "code_long_lived", "RFC 6749 §4.1.2", "RFC 6749 §10.5")
	// CodeEntropy: RFC 6749 §10.10 "The probability of an attacker guessing
	// generated tokens (and other credentials not intended for handling by
	// end-users) MUST be less than or equal to 2^(-128)".
	CodeEntropy = codeCheck("CODE-06", "codes carry at least 128 bits of entropy (estimated from a sample)",
		Must, "weak_codes", "RFC 6749 §10.10", "RFC 6749 §10.5")

	// PKCEMissingVerifierRejected: RFC 7636 §4.6 and RFC 9700 §2.1.1 "the
	// authorization server MUST enforce the correct usage of code_verifier".
	PKCEMissingVerifierRejected = pkceCheck("PK-03", "a missing code_verifier is rejected when a challenge was sent",
		Must, "pkce_verifier_optional", "RFC 7636 §4.6", "RFC 9700 §2.1.1")
	// PKCEDowngradeRejected: RFC 9700 §2.1.1 "ensuring that a token request
	// containing a code_verifier parameter is accepted only if a
	// code_challenge parameter was present in the authorization request".
	PKCEDowngradeRejected = pkceCheck("PK-04", "a code_verifier for a code issued without a challenge is rejected (downgrade)",
		Must, "pkce_downgrade_accepted", "RFC 9700 §2.1.1", "RFC 9700 §4.8.2")
	// PKCEPlainVerifierForS256Rejected: RFC 7636 §4.6, an S256 challenge is
	// verified by hashing; sending the challenge itself must fail.
	PKCEPlainVerifierForS256Rejected = pkceCheck("PK-05", "the challenge itself sent as verifier for an S256 challenge is rejected",
		Must, "pkce_method_ignored", "RFC 7636 §4.6")
	// PKCEPlainRefused: RFC 9700 §2.1.1 recommends challenge methods that do
	// not expose the verifier; RFC 7636 §7.2 plain offers no protection
	// against an observed request.
	PKCEPlainRefused = pkceCheck("PK-06", "the plain challenge method is refused",
		Should, "pkce_plain_allowed", "RFC 9700 §2.1.1", "RFC 7636 §7.2")
	// PKCERequiredForPublic: RFC 9700 §2.1.1 "public clients MUST use PKCE";
	// a server that enforces it protects clients that forget.
	PKCERequiredForPublic = pkceCheck("PK-07", "a public client's request without code_challenge is refused",
		Should, "pkce_not_required_public", "RFC 9700 §2.1.1")
	// PKCEShortVerifierRejected: RFC 7636 §4.1, code_verifier has "a minimum
	// length of 43 characters and a maximum length of 128".
	PKCEShortVerifierRejected = pkceCheck("PK-08", "a code_verifier shorter than 43 characters is rejected",
		Must, "pkce_short_verifier_accepted", "RFC 7636 §4.1", "RFC 7636 §4.6")
	// PKCEPublicClient: RFC 7636 §4.5–4.6, a public client redeems its code
	// with the verifier and no secret.
	PKCEPublicClient = pkceCheck("PK-09", "a public client redeems its code with an S256 verifier and no secret",
		Must, "pkce_method_ignored", "RFC 7636 §4.6", "RFC 6749 §4.1.3")
	// PKCEUnknownMethodRefused: RFC 7636 §4.4.1 "If the server supporting
	// PKCE does not support the requested transformation, the authorization
	// endpoint MUST return the authorization error response with error value
	// set to invalid_request."
	PKCEUnknownMethodRefused = pkceCheck("PK-10", "an unsupported code_challenge_method gets invalid_request",
		Must, "pkce_unknown_method_as_plain", "RFC 7636 §4.4.1")
)
