package catalog

// The implicit grant's restrictions (RFC 6749 §4.2), the token endpoint
// (RFC 6749 §3.2, §5), client authentication (§2.3), client credentials
// (§4.4), JWT access tokens (RFC 9068) and bearer token use (RFC 6750).

func check(id, title, area string, flow Flow, level Level, fault string, spec ...string) Check {
	return register(Check{ID: id, Title: title, Area: area, Flows: []Flow{flow}, Level: level, Spec: spec, Fault: fault})
}

var (
	// ImplicitOnlyForRegisteredClients: RFC 6749 §4.2.2.1 unauthorized_client
	// "The client is not authorized to request an access token using this
	// method"; RFC 9700 §2.1.2 discourages the grant altogether.
	ImplicitOnlyForRegisteredClients = check("IMP-06", "a client not registered for the implicit grant gets no token",
		"implicit", FlowImplicit, Must, "implicit_any_client", "RFC 6749 §4.2.2.1", "RFC 9700 §2.1.2")
	// ImplicitErrorInFragment: RFC 6749 §4.2.2.1, an implicit error response
	// adds its parameters "to the fragment component of the redirection URI".
	ImplicitErrorInFragment = check("IMP-07", "a refused implicit request carries its error in the fragment",
		"implicit", FlowImplicit, Must, "implicit_error_in_query", "RFC 6749 §4.2.2.1")
	// ImplicitNotOffered: RFC 9700 §2.1.2 "clients SHOULD NOT use the
	// implicit grant (response type "token") or other response types issuing
	// access tokens in the authorization response" — a SHOULD NOT on
	// clients that a server honours by refusing those response types
	// (unsupported_response_type or unauthorized_client, RFC 6749
	// §4.2.2.1). OAuth 2.1 drops the grant.
	ImplicitNotOffered = check("IMP-09", "the implicit grant is not offered",
		"implicit", FlowImplicit, Should, "implicit_offered", "RFC 9700 §2.1.2", "RFC 6749 §4.2.2.1")
	// HybridTokenNotOffered: the same RFC 9700 §2.1.2 SHOULD NOT ("or other
	// response types issuing access tokens in the authorization response"),
	// for the OpenID Connect hybrid response types that put an access token
	// in the authorization response next to the code: "code token" and
	// "code id_token token" (OIDC Core §3.3, §3.3.2.5). IMP-09 judges
	// "token" and "id_token token". A SHOULD NOT, so Should; a refusal of
	// either kind (unsupported_response_type, or unauthorized_client for a
	// client not registered for it) issues nothing and passes.
	HybridTokenNotOffered = check("IMP-10", "hybrid response types that return an access token are not offered",
		"implicit", FlowImplicit, Should, "hybrid_token_offered", "RFC 9700 §2.1.2", "OIDC Core §3.3")

	// TokenErrorIs400JSON: RFC 6749 §5.2 "The authorization server responds
	// with an HTTP 400 (Bad Request) status code ... and includes the
	// following parameters with the response".
	TokenErrorIs400JSON = check("TE-04", "a bad code gets 400 with a JSON invalid_grant error",
		"token endpoint", FlowAuthorizationCode, Must, "token_error_status_200", "RFC 6749 §5.2")
	// UnsupportedGrantType: RFC 6749 §5.2 unsupported_grant_type.
	UnsupportedGrantType = check("TE-05", "an unknown grant_type gets unsupported_grant_type",
		"token endpoint", FlowAuthorizationCode, Must, "unsupported_grant_as_invalid_request", "RFC 6749 §5.2")
	// MissingParameterInvalidRequest: RFC 6749 §5.2 invalid_request "The
	// request is missing a required parameter".
	MissingParameterInvalidRequest = check("TE-06", "a token request without code gets invalid_request",
		"token endpoint", FlowAuthorizationCode, Must, "missing_param_wrong_error", "RFC 6749 §5.2", "RFC 6749 §4.1.3")
	// TokenGetRefused: RFC 6749 §3.2 "The client MUST use the HTTP POST
	// method when making access token requests"; a server that answers GET
	// invites credentials and codes into URLs and logs.
	TokenGetRefused = check("TE-07", "a token request by GET is refused",
		"token endpoint", FlowAuthorizationCode, Must, "token_get_allowed", "RFC 6749 §3.2")
	// TokenUnknownParameterIgnored: RFC 6749 §3.2 "The authorization server
	// MUST ignore unrecognized request parameters."
	TokenUnknownParameterIgnored = check("TE-08", "an unknown token request parameter is ignored",
		"token endpoint", FlowAuthorizationCode, Must, "token_unknown_param_rejected", "RFC 6749 §3.2")
	// TokenDuplicateParameterRefused: RFC 6749 §3.2 "Request and response
	// parameters MUST NOT be included more than once"; §5.2 invalid_request.
	TokenDuplicateParameterRefused = check("TE-09", "a duplicated token request parameter gets invalid_request",
		"token endpoint", FlowAuthorizationCode, Must, "token_duplicate_params_accepted", "RFC 6749 §3.2", "RFC 6749 §5.2")
	// AccessTokenCharset: RFC 6749 Appendix A.12, access-token = 1*VSCHAR.
	AccessTokenCharset = check("TE-10", "access tokens use only VSCHAR characters",
		"token endpoint", FlowClientCredentials, Must, "token_non_vschar", "RFC 6749 §A.12")
	// AccessTokenEntropy: RFC 6749 §10.10, guessing a token MUST have
	// probability ≤ 2^-128 (RFC 6750 §5.2 for bearer tokens).
	AccessTokenEntropy = check("TE-11", "access tokens carry at least 128 bits of entropy (estimated from a sample)",
		"token endpoint", FlowClientCredentials, Must, "weak_access_tokens", "RFC 6749 §10.10", "RFC 6750 §5.2")
	// AccessTokenShortLived: RFC 6750 §5.3 "Issue short-lived bearer tokens";
	// RFC 9700 §4.10 — one hour or less.
	AccessTokenShortLived = check("TE-12", "access tokens live one hour or less",
		"token endpoint", FlowClientCredentials, Should, "long_lived_access_tokens", "RFC 6750 §5.3", "RFC 9700 §4.10")
	// PublicClientIDRequired: RFC 6749 §4.1.3, client_id is REQUIRED "if
	// the client is not authenticating with the authorization server".
	PublicClientIDRequired = check("TE-13", "a public client's code redemption without client_id is refused",
		"token endpoint", FlowAuthorizationCode, Must, "public_client_id_optional", "RFC 6749 §4.1.3", "RFC 6749 §3.2.1")

	// BasicAuthWorks: RFC 6749 §2.3.1 "The authorization server MUST support
	// the HTTP Basic authentication scheme for authenticating clients that
	// were issued a client password."
	BasicAuthWorks = check("CA-01", "client_secret_basic authenticates a confidential client",
		"client authentication", FlowClientCredentials, Must, "basic_auth_rejected", "RFC 6749 §2.3.1")
	// PostAuthWorks: RFC 6749 §2.3.1 client_secret_post (MAY), and RFC 8414
	// §2: a method the metadata advertises must work.
	PostAuthWorks = check("CA-02", "client_secret_post works when the metadata advertises it",
		"client authentication", FlowClientCredentials, Must, "post_auth_rejected", "RFC 6749 §2.3.1", "RFC 8414 §2")
	// MissingSecretRefused: RFC 6749 §3.2.1 "Confidential clients ... MUST
	// authenticate with the authorization server".
	MissingSecretRefused = check("CA-03", "a confidential client that sends no secret gets invalid_client",
		"client authentication", FlowClientCredentials, Must, "missing_secret_accepted", "RFC 6749 §3.2.1", "RFC 6749 §5.2")
	// QueryCredentialsRefused: RFC 6749 §2.3.1 "The parameters can only be
	// transmitted in the request-body and MUST NOT be included in the request URI."
	QueryCredentialsRefused = check("CA-04", "client credentials in the request URI are refused",
		"client authentication", FlowClientCredentials, Must, "query_credentials_accepted", "RFC 6749 §2.3.1")
	// SingleAuthMethod: RFC 6749 §2.3 "The client MUST NOT use more than one
	// authentication method in each request"; §5.2 invalid_request.
	SingleAuthMethod = check("CA-05", "a request using two client authentication methods is refused",
		"client authentication", FlowClientCredentials, Must, "multiple_auth_methods_accepted", "RFC 6749 §2.3", "RFC 6749 §5.2")

	// ClientCredentialsConfidentialOnly: RFC 6749 §4.4 "The client
	// credentials grant type MUST only be used by confidential clients."
	ClientCredentialsConfidentialOnly = check("CC-05", "a public client cannot use the client credentials grant",
		"client credentials", FlowClientCredentials, Must, "cc_public_allowed", "RFC 6749 §4.4")
	// ClientCredentialsScopeChecked: RFC 6749 §3.3, an unknown scope is
	// refused (invalid_scope) or ignored — and then "the authorization server
	// MUST include the scope response parameter" naming what was granted.
	ClientCredentialsScopeChecked = check("CC-06", "an unregistered scope is refused or narrowed, never silently granted",
		"client credentials", FlowClientCredentials, Must, "cc_scope_unchecked", "RFC 6749 §3.3", "RFC 6749 §5.2")

	// JWTAccessTokenType: RFC 9068 §2.1 "Resource servers ... MUST verify
	// that the typ header value is at+jwt" — issuers set it.
	JWTAccessTokenType = check("TF-01", "a JWT access token has typ at+jwt",
		"token format", FlowClientCredentials, Must, "at_typ_jwt", "RFC 9068 §2.1", "RFC 9068 §4")
	// JWTAccessTokenClaims: RFC 9068 §2.2, iss, exp, aud, sub, client_id, iat
	// and jti are REQUIRED.
	JWTAccessTokenClaims = check("TF-02", "a JWT access token has iss, exp, aud, sub, client_id, iat and jti",
		"token format", FlowClientCredentials, Must, "at_missing_jti", "RFC 9068 §2.2")
	// JWTAccessTokenIssuer: RFC 9068 §4 — iss "MUST exactly match" the issuer.
	JWTAccessTokenIssuer = check("TF-03", "a JWT access token's iss is the issuer",
		"token format", FlowClientCredentials, Must, "at_wrong_iss", "RFC 9068 §2.2", "RFC 9068 §4")
	// JWTAccessTokenSigned: RFC 9068 §4, validated "using the keys published
	// by the authorization server" (jwks_uri).
	JWTAccessTokenSigned = check("TF-04", "a JWT access token verifies against a key in the JWKS, by kid",
		"token format", FlowClientCredentials, Must, "at_signed_with_unpublished_key", "RFC 9068 §4", "RFC 8414 §2")
	// JWTAccessTokenNotUnsigned: RFC 9068 §2.1 "JWT access tokens MUST be
	// signed"; alg none is never acceptable.
	JWTAccessTokenNotUnsigned = check("TF-05", "a JWT access token is not unsigned (alg none)",
		"token format", FlowClientCredentials, Must, "at_alg_none", "RFC 9068 §2.1")
	// JWKSNoPrivateKeys: RFC 7517 §8.1 / RFC 8414 §2 jwks_uri publishes
	// public keys; private parameters there hand out the signing key.
	JWKSNoPrivateKeys = check("TF-06", "the JWKS publishes no private key material",
		"token format", FlowClientCredentials, Must, "jwks_private_key", "RFC 7517 §9.2", "RFC 8414 §2")
	// JWKSNoSymmetricKeys: a symmetric key in a public JWKS lets anyone
	// forge tokens (RFC 7517 §6.4 "oct" keys are secrets).
	JWKSNoSymmetricKeys = check("TF-07", "the JWKS publishes no symmetric (oct) key",
		"token format", FlowClientCredentials, Must, "jwks_symmetric_key", "RFC 7517 §6.4", "RFC 8414 §2")

	// BearerHeaderAccepted: RFC 6750 §2.1, resource servers "MUST support
	// this method" (the Authorization request header field).
	BearerHeaderAccepted = check("BR-01", "the resource accepts the token in the Authorization header",
		"bearer use", FlowClientCredentials, Must, "resource_rejects_header", "RFC 6750 §2.1")
	// BearerQueryRefused: RFC 6750 §2.3 the URI query method "SHOULD NOT be
	// used" — a resource that accepts it invites tokens into logs.
	BearerQueryRefused = check("BR-02", "the resource refuses a token in the query string",
		"bearer use", FlowClientCredentials, Should, "resource_query_token_accepted", "RFC 6750 §2.3", "RFC 9700 §4.3.2")
	// BearerInvalidTokenChallenge: RFC 6750 §3 and §3.1, invalid_token with
	// 401 and a WWW-Authenticate Bearer challenge.
	BearerInvalidTokenChallenge = check("BR-03", "an invalid token gets 401 with WWW-Authenticate: Bearer error=\"invalid_token\"",
		"bearer use", FlowClientCredentials, Must, "resource_no_www_authenticate", "RFC 6750 §3", "RFC 6750 §3.1")
	// BearerTamperedRefused: RFC 6750 §5.2 token integrity; RFC 9068 §4.
	BearerTamperedRefused = check("BR-04", "a token with a tampered payload is refused",
		"bearer use", FlowClientCredentials, Must, "resource_signature_unchecked", "RFC 6750 §5.2", "RFC 9068 §4")
	// BearerAlgNoneRefused: RFC 9068 §4 signature validation; RFC 8725 §3.1.
	BearerAlgNoneRefused = check("BR-05", "a token re-issued with alg none is refused",
		"bearer use", FlowClientCredentials, Must, "resource_accepts_alg_none", "RFC 9068 §4", "RFC 8725 §3.1")
	// BearerRevokedRefused: RFC 7009 §2 "the token is invalidated"; the
	// resource must see it (RFC 6750 §3.1 invalid_token "revoked").
	BearerRevokedRefused = check("BR-06", "a revoked token is refused at the resource",
		"bearer use", FlowClientCredentials, Must, "resource_ignores_revocation", "RFC 7009 §2", "RFC 6750 §3.1")
	// BearerEmbeddedKeyRefused: RFC 8725 §3.10 — keys come from the issuer's
	// JWKS, never from the token itself.
	BearerEmbeddedKeyRefused = check("BR-07", "a token signed with its own embedded jwk is refused",
		"bearer use", FlowClientCredentials, Must, "resource_trusts_embedded_jwk", "RFC 8725 §3.10", "RFC 9068 §4")
	// BearerExpiredRefused: RFC 6750 §3.1 invalid_token "The access token
	// provided is expired, revoked, malformed, or invalid"; RFC 9068 §4 the
	// resource "MUST check that the token is not expired".
	BearerExpiredRefused = check("BR-08", "an expired token is refused at the resource with invalid_token",
		"bearer use", FlowClientCredentials, Must, "resource_accepts_expired", "RFC 6750 §3.1", "RFC 9068 §4")
	// BearerQueryResponsePrivate: RFC 6750 §2.3 "Server success (2XX
	// status) responses to these requests [an access token in the URI
	// query] SHOULD contain a Cache-Control header with the "private"
	// option" — a SHOULD, so Should. "no-store" passes too: it is stronger
	// than "private" (no cache, shared or private, may store the response,
	// RFC 9111 §5.2.2.5), and it is what many resources send with every
	// answer. Only a resource that accepts query tokens (BR-02 warns) has
	// such responses; the others skip.
	BearerQueryResponsePrivate = check("BR-09", "a success response to a query-token request has Cache-Control: private (or no-store)",
		"bearer use", FlowClientCredentials, Should, "resource_query_response_cacheable", "RFC 6750 §2.3")
)
