package catalog

// JWT access tokens (RFC 9068) and the format of tokens and codes (RFC 6749
// §10.10; RFC 6750 §2.1).
// The checks of suites/tokenformat.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// JWTAccessTokenType: RFC 9068 §2.1, JWT access tokens of the profile
	// carry typ at+jwt. RFC 9068 is a profile a provider opts into: the
	// check applies when the target profile says the provider issues them
	// (access_tokens: rfc9068); any other JWT access token is information.
	JWTAccessTokenType = register(Check{
		ID: "TF-01", Title: "an RFC 9068 JWT access token has typ at+jwt",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9068 §2.1", "RFC 9068 §4"}, Fault: fault.AtTypJWT,
		Quote:  "RFC 9068 §2.1: JWT access tokens MUST include this media type in the \"typ\" header parameter to explicitly declare that the JWT represents an access token complying with this profile.",
		Threat: "token confusion: an ID Token or another JWT taken for an access token (RFC 8725 §3.11)", Severity: verdict.Medium,
	})

	// JWTAccessTokenClaims: RFC 9068 §2.2, iss, exp, aud, sub, client_id, iat
	// and jti are REQUIRED, for a token of the profile (typ at+jwt, or
	// access_tokens: rfc9068); any other JWT access token is information.
	JWTAccessTokenClaims = register(Check{
		ID: "TF-02", Title: "an RFC 9068 JWT access token has iss, exp, aud, sub, client_id, iat and jti",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9068 §2.2"}, Fault: fault.AtMissingJTI,
		Quote:  "RFC 9068 §2.2: iss REQUIRED - as defined in Section 4.1.1 of [RFC7519].",
		Threat: "forged access tokens: a resource cannot check whom, for whom and until when a token was issued", Severity: verdict.Medium,
	})

	// JWTAccessTokenIssuer: RFC 9068 §4 — iss "MUST exactly match" the issuer.
	JWTAccessTokenIssuer = register(Check{
		ID: "TF-03", Title: "a JWT access token's iss is the issuer",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9068 §2.2", "RFC 9068 §4"}, Fault: fault.AtWrongIss,
		Quote:  "RFC 9068 §4: The issuer identifier for the authorization server (which is typically obtained during discovery) MUST exactly match the value of the \"iss\" claim.",
		Threat: "RFC 9700 §4.4 mix-up attacks: a token of another issuer accepted", Severity: verdict.High,
	})

	// JWTAccessTokenSigned: RFC 9068 §4, validated "using the keys published
	// by the authorization server" (jwks_uri); a kid is needed only when the
	// JWKS has several keys (OIDC Core §10.1).
	JWTAccessTokenSigned = register(Check{
		ID: "TF-04", Title: "a JWT access token verifies against a key of the JWKS (its kid, or the only key)",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9068 §4", "RFC 8414 §2", "OIDC Core §10.1"}, Fault: fault.AtSignedWithUnpublishedKey,
		Quote:  "OIDC Core §10.1: If there are multiple keys in the referenced JWK Set document, a kid value MUST be provided in the JOSE Header.",
		Threat: "forged access tokens: a token the authorization server did not issue is accepted (a resource cannot find the key, or trusts one it should not)", Severity: verdict.Medium,
	})

	// JWTAccessTokenNotUnsigned: RFC 9068 §2.1 "JWT access tokens MUST be
	// signed"; alg none is never acceptable.
	JWTAccessTokenNotUnsigned = register(Check{
		ID: "TF-05", Title: "a JWT access token is not unsigned (alg none)",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9068 §2.1"}, Fault: fault.AtAlgNone,
		Quote:  "RFC 9068 §2.1: JWT access tokens MUST NOT use \"none\" as the signing algorithm.",
		Threat: "forged access tokens: a token the authorization server did not issue is accepted", Severity: verdict.Critical,
	})

	// JWKSNoPrivateKeys: RFC 7517 §8.1 / RFC 8414 §2 jwks_uri publishes
	// public keys; private parameters there hand out the signing key.
	JWKSNoPrivateKeys = register(Check{
		ID: "TF-06", Title: "the JWKS publishes no private key material",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7517 §9.2", "RFC 8414 §2", "OIDC Discovery §3"}, Fault: fault.JWKSPrivateKey,
		Quote:  "OIDC Discovery §3: The JWK Set MUST NOT contain private or symmetric key values.",
		Threat: "key disclosure: anyone who fetches the JWKS can sign tokens", Severity: verdict.Critical,
	})

	// JWKSNoSymmetricKeys: a symmetric key in a public JWKS lets anyone
	// forge tokens (RFC 7517 §6.4 "oct" keys are secrets).
	JWKSNoSymmetricKeys = register(Check{
		ID: "TF-07", Title: "the JWKS publishes no symmetric (oct) key",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7517 §6.4", "RFC 8414 §2", "RFC 7517 §9.2", "OIDC Discovery §3"}, Fault: fault.JWKSSymmetricKey,
		Quote:  "OIDC Discovery §3: The JWK Set MUST NOT contain private or symmetric key values.",
		Threat: "key disclosure: a published symmetric key lets anyone sign tokens", Severity: verdict.Critical,
	})
)
