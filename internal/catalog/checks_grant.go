package catalog

// Refresh tokens (RFC 6749 §6, §10.4; RFC 9700 §4.14), revocation (RFC
// 7009), introspection (RFC 7662), discovery metadata (RFC 8414) and the
// browser-facing protections of the authorization pages (RFC 9700 §4.16,
// §4.2.4; RFC 6749 §10.13).

var (
	// RefreshWorks: RFC 6749 §6 refresh, answered as in §5.1 (no-store included).
	RefreshWorks = check("RT-01", "a refresh token obtains a new access token, answered with Cache-Control: no-store",
		"refresh", FlowRefresh, Must, "refresh_no_cache_headers", "RFC 6749 §6", "RFC 6749 §5.1")
	// RefreshBoundToClient: RFC 6749 §10.4 "the authorization server MUST
	// maintain the binding between a refresh token and the client to whom it
	// was issued"; §6 "validate the refresh token ... issued to the client".
	RefreshBoundToClient = check("RT-02", "another client cannot use the refresh token",
		"refresh", FlowRefresh, Must, "refresh_not_client_bound", "RFC 6749 §10.4", "RFC 6749 §6")
	// RefreshRequiresAuthentication: RFC 6749 §6 "require client
	// authentication for confidential clients".
	RefreshRequiresAuthentication = check("RT-03", "a confidential client must authenticate to refresh",
		"refresh", FlowRefresh, Must, "refresh_without_auth", "RFC 6749 §6")
	// RefreshRotated: RFC 9700 §4.14.2 "refresh tokens for public clients
	// MUST be sender-constrained or use refresh token rotation".
	RefreshRotated = check("RT-04", "a public client's used refresh token stops working (rotation)",
		"refresh", FlowRefresh, Must, "refresh_no_rotation", "RFC 9700 §4.14.2", "RFC 6749 §6")
	// RefreshReuseDetected: RFC 9700 §4.14.2, with rotation a replayed old
	// token lets the server "revoke the active refresh token".
	RefreshReuseDetected = check("RT-05", "replaying a rotated-out refresh token revokes the active one",
		"refresh", FlowRefresh, Should, "refresh_reuse_not_detected", "RFC 9700 §4.14.2")
	// RefreshScopeNotBroadened: RFC 6749 §6 "The requested scope MUST NOT
	// include any scope not originally granted by the resource owner".
	RefreshScopeNotBroadened = check("RT-06", "a refresh asking for a broader scope is refused",
		"refresh", FlowRefresh, Must, "refresh_scope_broadened", "RFC 6749 §6")
	// RefreshRaceSingleWinner: RFC 9700 §4.14.2 rotation — of two requests
	// racing with the same refresh token at most one may succeed.
	RefreshRaceSingleWinner = check("RT-07", "of two refreshes racing with one token at most one succeeds",
		"refresh", FlowRefresh, Should, "refresh_grace_period", "RFC 9700 §4.14.2")
	// RefreshTokenEntropy: RFC 6749 §10.10 (2^-128 guessing probability).
	RefreshTokenEntropy = check("RT-08", "refresh tokens carry at least 128 bits of entropy (estimated from a sample)",
		"refresh", FlowRefresh, Must, "weak_refresh_tokens", "RFC 6749 §10.10", "RFC 6749 §10.4")
	// RefreshTokenCharset: RFC 6749 Appendix A.17, refresh-token = 1*VSCHAR.
	RefreshTokenCharset = check("RT-09", "refresh tokens use only VSCHAR characters",
		"refresh", FlowRefresh, Must, "refresh_non_vschar", "RFC 6749 §A.17")
	// PublicClientRefresh: RFC 6749 §6, a public client refreshes with its
	// client_id and no secret (§3.2.1).
	PublicClientRefresh = check("RT-10", "a public client refreshes with its client_id and no secret",
		"refresh", FlowRefresh, Must, "refresh_public_refused", "RFC 6749 §6", "RFC 6749 §3.2.1")

	// RevokedRefreshTokenDead: RFC 7009 §2 "Implementations MUST support the
	// revocation of refresh tokens"; §2.2 the token is invalidated.
	RevokedRefreshTokenDead = check("RV-01", "a revoked refresh token stops working",
		"revocation", FlowRefresh, Must, "revocation_ignored_refresh", "RFC 7009 §2", "RFC 7009 §2.2")
	// RevokedAccessTokenDead: RFC 7009 §2 "SHOULD support the revocation of access tokens".
	RevokedAccessTokenDead = check("RV-02", "a revoked access token shows inactive at introspection",
		"revocation", FlowRefresh, Should, "revocation_ignored_access", "RFC 7009 §2", "RFC 7662 §2.2")
	// RevokingRefreshKillsAccess: RFC 7009 §2.1 "the authorization server
	// SHOULD also invalidate all access tokens based on the same authorization grant".
	RevokingRefreshKillsAccess = check("RV-03", "revoking a refresh token also revokes the grant's access tokens",
		"revocation", FlowRefresh, Should, "revocation_keeps_access_tokens", "RFC 7009 §2.1")
	// RevocationAuthenticated: RFC 7009 §2.1 "The authorization server first
	// validates the client credentials (in case of a confidential client)".
	RevocationAuthenticated = check("RV-04", "revocation without client authentication is refused and revokes nothing",
		"revocation", FlowRefresh, Must, "revocation_unauthenticated", "RFC 7009 §2.1", "RFC 7009 §5")
	// RevocationBoundToClient: RFC 7009 §2.1 "verifies whether the token was
	// issued to the client making the revocation request. If this validation
	// fails, the request is refused".
	RevocationBoundToClient = check("RV-05", "another client cannot revoke the token",
		"revocation", FlowRefresh, Must, "revocation_any_client", "RFC 7009 §2.1")
	// RevocationUnknownToken: RFC 7009 §2.2 "invalid tokens do not cause an
	// error response ... the authorization server responds with HTTP status code 200".
	RevocationUnknownToken = check("RV-06", "revoking an unknown token answers 200",
		"revocation", FlowRefresh, Must, "revocation_unknown_token_error", "RFC 7009 §2.2")
	// RevocationHintNotBinding: RFC 7009 §2.1 "If the server is unable to
	// locate the token using the given hint, it MUST extend its search
	// across all of its supported token types."
	RevocationHintNotBinding = check("RV-07", "a wrong token_type_hint still revokes the token",
		"revocation", FlowRefresh, Must, "revocation_hint_strict", "RFC 7009 §2.1")
	// RevocationPostOnly: RFC 7009 §2.1, the client sends an HTTP POST; a
	// server answering GET puts tokens into URLs and logs.
	RevocationPostOnly = check("RV-08", "revocation by GET is refused",
		"revocation", FlowRefresh, Should, "revocation_get_allowed", "RFC 7009 §2.1")

	// IntrospectionActiveBoolean: RFC 7662 §2.2 "active REQUIRED. Boolean indicator".
	IntrospectionActiveBoolean = check("IN-01", "introspection answers JSON with a boolean active",
		"introspection", FlowRefresh, Must, "introspection_active_string", "RFC 7662 §2.2")
	// IntrospectionAuthenticated: RFC 7662 §2.1 "the endpoint MUST also
	// require some form of authorization to access this endpoint".
	IntrospectionAuthenticated = check("IN-02", "an unauthenticated introspection request is refused",
		"introspection", FlowRefresh, Must, "introspection_unauthenticated", "RFC 7662 §2.1", "RFC 7662 §4")
	// IntrospectionInactiveOnly: RFC 7662 §2.2 for an inactive token "the
	// authorization server SHOULD NOT include any additional information".
	IntrospectionInactiveOnly = check("IN-03", "an unknown token introspects as {\"active\": false} and nothing more",
		"introspection", FlowRefresh, Must, "introspection_inactive_leaks", "RFC 7662 §2.2")
	// IntrospectionSeesRevocation: RFC 7662 §2.2 a revoked token is not active.
	IntrospectionSeesRevocation = check("IN-04", "a revoked refresh token introspects as inactive",
		"introspection", FlowRefresh, Must, "introspection_ignores_revocation", "RFC 7662 §2.2", "RFC 7009 §2")
	// IntrospectionClaimsMatch: RFC 7662 §2.2 client_id, scope, exp, sub
	// describe the token as issued.
	IntrospectionClaimsMatch = check("IN-05", "an active token's client_id, scope, exp and sub match what was issued",
		"introspection", FlowRefresh, Must, "introspection_wrong_client_id", "RFC 7662 §2.2")
	// IntrospectionRefreshToken: RFC 7662 §2.1, token is "the string value of
	// the token", access or refresh (token_type_hint refresh_token).
	IntrospectionRefreshToken = check("IN-06", "an active refresh token introspects as active",
		"introspection", FlowRefresh, Must, "introspection_refresh_unsupported", "RFC 7662 §2.1", "RFC 7662 §2.2")
	// IntrospectionPostOnly: RFC 7662 §2.1 "The protected resource calls the
	// introspection endpoint using an HTTP POST request"; GET leaks tokens to logs.
	IntrospectionPostOnly = check("IN-07", "introspection by GET is refused",
		"introspection", FlowRefresh, Should, "introspection_get_allowed", "RFC 7662 §2.1", "RFC 7662 §4")
	// IntrospectionSeesExpiry: RFC 7662 §2.2 active is true only if the token
	// "has not expired"; an expired token gets nothing but active false.
	IntrospectionSeesExpiry = check("IN-09", "an expired access token introspects as {\"active\": false}",
		"introspection", FlowClientCredentials, Must, "introspection_ignores_expiry", "RFC 7662 §2.2")

	// MetadataIsJSON: RFC 8414 §3.2 "A successful response MUST use the 200
	// OK HTTP status code and return a JSON object using the application/json content type".
	MetadataIsJSON = check("DSC-02", "the metadata is served 200 with Content-Type application/json",
		"discovery", FlowDiscovery, Must, "metadata_wrong_content_type", "RFC 8414 §3.2")
	// MetadataRequiredFields: RFC 8414 §2 issuer, authorization_endpoint,
	// token_endpoint and response_types_supported are REQUIRED (the endpoints
	// unless no grant uses them).
	MetadataRequiredFields = check("DSC-03", "the metadata has issuer, authorization_endpoint, token_endpoint and response_types_supported",
		"discovery", FlowDiscovery, Must, "metadata_missing_response_types", "RFC 8414 §2")
	// MetadataPKCEMethods: RFC 9700 §2.1.1 "It is RECOMMENDED for
	// authorization servers to publish the element code_challenge_methods_supported".
	MetadataPKCEMethods = check("DSC-04", "the metadata lists S256 in code_challenge_methods_supported",
		"discovery", FlowDiscovery, Should, "metadata_no_pkce_methods", "RFC 9700 §2.1.1", "RFC 8414 §2")
	// MetadataResponseTypesTrue: RFC 8414 §2 response_types_supported lists
	// "the OAuth 2.0 response_type values that this authorization server supports".
	MetadataResponseTypesTrue = check("DSC-05", "response_types_supported matches what the implicit client gets",
		"discovery", FlowDiscovery, Must, "metadata_omits_token_response_type", "RFC 8414 §2")
	// JWKSKidsUnique: RFC 7517 §4.5, kid chooses among keys; RFC 9068 §4
	// picks the key by kid — so every key needs a distinct one.
	JWKSKidsUnique = check("DSC-06", "every JWKS key has a kid, and no two share one",
		"discovery", FlowDiscovery, Must, "jwks_duplicate_kid", "RFC 7517 §4.5", "RFC 8414 §2")
	// PasswordGrantRefused: RFC 9700 §2.4 "The resource owner password
	// credentials grant MUST NOT be used."
	PasswordGrantRefused = check("DSC-07", "the password grant is neither advertised nor accepted",
		"discovery", FlowDiscovery, Must, "password_grant_enabled", "RFC 9700 §2.4")

	// FramingBlocked: RFC 9700 §4.16 "Authorization servers MUST prevent
	// clickjacking attacks"; RFC 6749 §10.13 — tested in Chromium from another origin.
	FramingBlocked = check("HS-01", "the login page does not render inside a frame from another origin",
		"browser security", FlowAuthorizationCode, Must, "frame_protection_missing", "RFC 9700 §4.16", "RFC 6749 §10.13")
	// FrameAncestorsCSP: RFC 9700 §4.16 "X-Frame-Options ... CSP level 2 or
	// greater ... frame-ancestors ... SHOULD be used".
	FrameAncestorsCSP = check("HS-02", "the authorization page sends Content-Security-Policy frame-ancestors",
		"browser security", FlowAuthorizationCode, Should, "csp_frame_ancestors_missing", "RFC 9700 §4.16")
	// XFrameOptions: RFC 6749 §10.13, X-Frame-Options for older browsers.
	XFrameOptions = check("HS-03", "the authorization page sends X-Frame-Options",
		"browser security", FlowAuthorizationCode, Should, "x_frame_options_missing", "RFC 6749 §10.13", "RFC 9700 §4.16")
	// ReferrerPolicy: RFC 9700 §4.2.4 — a Referrer-Policy keeps the
	// authorization request's state and challenge out of Referer headers.
	ReferrerPolicy = check("HS-04", "the authorization page sends a restrictive Referrer-Policy",
		"browser security", FlowAuthorizationCode, Should, "referrer_policy_missing", "RFC 9700 §4.2.4")
	// AuthorizationNoCORS: RFC 9700 §2.6, the authorization endpoint MUST NOT
	// support CORS — it is navigated to, never read cross-origin by script.
	AuthorizationNoCORS = check("HS-05", "the authorization endpoint grants no cross-origin read (no CORS)",
		"browser security", FlowAuthorizationCode, Must, "authorize_cors", "RFC 9700 §2.6")
)
