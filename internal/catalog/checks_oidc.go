package catalog

// ID Tokens, for providers that are OpenID Providers (OpenID Connect Core
// 1.0). They run when a token or authorization response carries an id_token
// and are skipped otherwise: a plain OAuth 2.0 server has none.

var (
	// IDTokenSigned: OIDC Core §3.1.3.7 step 6, validate the signature with
	// the key the issuer publishes (jwks_uri), chosen by kid.
	IDTokenSigned = check("TF-08", "an id_token verifies against a key in the JWKS, by kid",
		"token format", FlowAuthorizationCode, Must, "id_token_unpublished_key", "OIDC Core §3.1.3.7", "OIDC Core §10.1")
	// IDTokenIssuer: OIDC Core §2 iss REQUIRED; §3.1.3.7 step 2 "MUST exactly match" the issuer.
	IDTokenIssuer = check("TF-09", "an id_token's iss is the issuer",
		"token format", FlowAuthorizationCode, Must, "id_token_wrong_iss", "OIDC Core §2", "OIDC Core §3.1.3.7")
	// IDTokenAudience: OIDC Core §2 aud "MUST contain the OAuth 2.0 client_id".
	IDTokenAudience = check("TF-10", "an id_token's aud contains the client_id",
		"token format", FlowAuthorizationCode, Must, "id_token_wrong_aud", "OIDC Core §2", "OIDC Core §3.1.3.7")
	// IDTokenNotExpired: OIDC Core §2 exp REQUIRED; a fresh token is not yet expired.
	IDTokenNotExpired = check("TF-11", "a fresh id_token is not expired (exp after iat, in the future)",
		"token format", FlowAuthorizationCode, Must, "id_token_expired", "OIDC Core §2", "OIDC Core §3.1.3.7")
	// IDTokenNonce: OIDC Core §2 "If present in the Authentication Request,
	// Authorization Servers MUST include a nonce Claim ... with the Claim
	// Value being the nonce value sent".
	IDTokenNonce = check("TF-12", "an id_token carries the nonce the request sent",
		"token format", FlowAuthorizationCode, Must, "id_token_nonce_dropped", "OIDC Core §2", "OIDC Core §3.1.2.1")
	// IDTokenAtHash: OIDC Core §3.2.2.10, at_hash is REQUIRED in an id_token
	// issued with an access token from the authorization endpoint, and
	// §3.2.2.9 defines its value.
	IDTokenAtHash = check("TF-13", "an implicit id_token's at_hash matches the access token",
		"token format", FlowImplicit, Must, "id_token_no_at_hash", "OIDC Core §3.2.2.10", "OIDC Core §3.2.2.9")
	// ImplicitNonceRequired: OIDC Core §3.2.2.1 nonce is REQUIRED for the
	// implicit flow.
	ImplicitNonceRequired = check("IMP-08", "an implicit id_token request without nonce is refused",
		"implicit", FlowImplicit, Must, "implicit_nonce_optional", "OIDC Core §3.2.2.1", "OIDC Core §3.2.2.11")
)
