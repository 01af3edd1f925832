package catalog

// The checks. Levels follow the RFC wording of each requirement: MUST / MUST NOT
// / REQUIRED are Must, SHOULD / SHOULD NOT / RECOMMENDED are Should.
// A new check is a value here, a fault in mockserver/faults.go and a spec in suites/.

var (
	// MetadataIssuerIdentical: RFC 8414 §3.3 "The issuer value returned MUST be
	// identical to the authorization server's issuer identifier value".
	MetadataIssuerIdentical = register(Check{
		ID: "DSC-01", Title: "metadata issuer is identical to the configured issuer",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 8414 §3.3"}, Fault: "metadata_issuer_mismatch",
	})

	// CodeInQuery: RFC 6749 §4.1.2, the code is added "to the query component
	// of the redirection URI".
	CodeInQuery = register(Check{
		ID: "AE-01", Title: "authorization code is delivered in the query of the redirect URI",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2"}, Fault: "code_in_fragment",
	})

	// CodeResponseStateEchoed: RFC 6749 §4.1.2, state is REQUIRED in the
	// response when it was in the request: "the exact value received from the client".
	CodeResponseStateEchoed = register(Check{
		ID: "AE-02", Title: "state is echoed exactly in the authorization response",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2"}, Fault: "state_dropped",
	})

	// IssuerInAuthorizationResponse: RFC 9207 §2, when the server advertises
	// authorization_response_iss_parameter_supported, iss is its issuer identifier.
	IssuerInAuthorizationResponse = register(Check{
		ID: "AE-03", Title: "iss in the authorization response equals the issuer",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9207 §2", "RFC 9700 §4.4.2"}, Fault: "iss_wrong",
	})

	// PKCES256Accepted: RFC 7636 §4.6, the server verifies code_verifier by
	// the method of the stored challenge; a correct S256 verifier succeeds.
	PKCES256Accepted = register(Check{
		ID: "PK-01", Title: "code redeemed with a correct S256 code_verifier",
		Area: "pkce", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 7636 §4.6", "RFC 9700 §2.1.1"}, Fault: "pkce_method_ignored",
	})

	// PKCEWrongVerifierRejected: RFC 7636 §4.6 "If the values are not equal,
	// an error response indicating invalid_grant ... MUST be returned".
	PKCEWrongVerifierRejected = register(Check{
		ID: "PK-02", Title: "a wrong code_verifier is rejected with invalid_grant",
		Area: "pkce", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 7636 §4.6"}, Fault: "pkce_not_verified",
	})

	// CodeSingleUse: RFC 6749 §4.1.2 "If an authorization code is used more
	// than once, the authorization server MUST deny the request".
	CodeSingleUse = register(Check{
		ID: "CODE-01", Title: "an authorization code can be redeemed only once",
		Area: "authorization code", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2", "RFC 6749 §10.5"}, Fault: "code_reuse",
	})

	// CodeBoundToClient: RFC 6749 §4.1.3 "ensure that the authorization code
	// was issued to the authenticated confidential client".
	CodeBoundToClient = register(Check{
		ID: "CODE-02", Title: "another client cannot redeem the authorization code",
		Area: "authorization code", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.3"}, Fault: "code_not_client_bound",
	})

	// CodeBoundToRedirectURI: RFC 6749 §4.1.3 "ensure that the redirect_uri
	// parameter is present ... and if included ensure that their values are identical".
	CodeBoundToRedirectURI = register(Check{
		ID: "CODE-03", Title: "the token request's redirect_uri must equal the authorization request's",
		Area: "authorization code", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.3"}, Fault: "redirect_uri_not_checked_at_token",
	})

	// TokenResponseShape: RFC 6749 §5.1, access_token and token_type are
	// REQUIRED; a bearer token's type is "Bearer" (RFC 6750 §4), compared case-insensitively.
	TokenResponseShape = register(Check{
		ID: "TE-01", Title: "token response carries access_token and token_type Bearer",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §5.1", "RFC 6750 §4"}, Fault: "token_type_wrong",
	})

	// TokenResponseExpiresIn: RFC 6749 §5.1, expires_in is RECOMMENDED.
	TokenResponseExpiresIn = register(Check{
		ID: "TE-02", Title: "token response carries expires_in",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §5.1"}, Fault: "no_expires_in",
	})

	// TokenResponseNoStore: RFC 6749 §5.1 "The authorization server MUST
	// include ... Cache-Control ... no-store ... as well as ... Pragma ... no-cache".
	TokenResponseNoStore = register(Check{
		ID: "TE-03", Title: "token response has Cache-Control: no-store and Pragma: no-cache",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §5.1"}, Fault: "no_cache_headers",
	})

	// ImplicitTokenInFragment: RFC 6749 §4.2.2, parameters are added "to the
	// fragment component"; a token in the query leaks to servers and logs (RFC 9700 §2.1.2).
	ImplicitTokenInFragment = register(Check{
		ID: "IMP-01", Title: "implicit access token is in the fragment and never in the query",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"RFC 6749 §4.2.2", "RFC 9700 §2.1.2"}, Fault: "token_in_query",
	})

	// ImplicitStateEchoed: RFC 6749 §4.2.2, state REQUIRED when present in the request.
	ImplicitStateEchoed = register(Check{
		ID: "IMP-02", Title: "state is echoed exactly in the implicit response",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"RFC 6749 §4.2.2"}, Fault: "implicit_state_dropped",
	})

	// ImplicitNoRefreshToken: RFC 6749 §4.2.2 "The authorization server MUST
	// NOT issue a refresh token."
	ImplicitNoRefreshToken = register(Check{
		ID: "IMP-03", Title: "implicit response carries no refresh token",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"RFC 6749 §4.2.2"}, Fault: "implicit_refresh_token",
	})

	// ImplicitTokenType: RFC 6749 §4.2.2, token_type is REQUIRED.
	ImplicitTokenType = register(Check{
		ID: "IMP-04", Title: "implicit response carries token_type Bearer",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"RFC 6749 §4.2.2", "RFC 6750 §4"}, Fault: "implicit_token_type_wrong",
	})

	// ImplicitExpiresIn: RFC 6749 §4.2.2, expires_in is RECOMMENDED.
	ImplicitExpiresIn = register(Check{
		ID: "IMP-05", Title: "implicit response carries expires_in",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Should,
		Spec: []string{"RFC 6749 §4.2.2"}, Fault: "implicit_no_expires_in",
	})

	// ClientCredentialsIssued: RFC 6749 §4.4.2–4.4.3 with client_secret_basic,
	// whose id and secret are form-urlencoded before base64 (RFC 6749 §2.3.1).
	ClientCredentialsIssued = register(Check{
		ID: "CC-01", Title: "client credentials grant issues a token to an authenticated client",
		Area: "client credentials", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §4.4.3", "RFC 6749 §2.3.1"}, Fault: "basic_auth_not_form_decoded",
	})

	// WrongSecretRefused: RFC 6749 §3.2.1 and §2.3.1, the server authenticates
	// the client; §5.2 names the error invalid_client.
	WrongSecretRefused = register(Check{
		ID: "CC-02", Title: "a wrong client secret is refused with invalid_client",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §3.2.1", "RFC 6749 §5.2"}, Fault: "accept_wrong_secret",
	})

	// InvalidClientIs401: RFC 6749 §5.2 "If the client attempted to
	// authenticate via the Authorization request header field, the
	// authorization server MUST respond with an HTTP 401 ... and include the
	// WWW-Authenticate response header field".
	InvalidClientIs401 = register(Check{
		ID: "CC-03", Title: "invalid_client after Basic authentication is a 401 with WWW-Authenticate",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §5.2"}, Fault: "invalid_client_status_400",
	})

	// ClientCredentialsNoRefreshToken: RFC 6749 §4.4.3 "A refresh token SHOULD
	// NOT be included."
	ClientCredentialsNoRefreshToken = register(Check{
		ID: "CC-04", Title: "client credentials response carries no refresh token",
		Area: "client credentials", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 6749 §4.4.3"}, Fault: "cc_refresh_token",
	})
)
