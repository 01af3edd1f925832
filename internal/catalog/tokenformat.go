package catalog

// JWT access tokens (RFC 9068) and the format of tokens and codes (RFC 6749
// §10.10; RFC 6750 §2.1).
// The checks of suites/tokenformat.go.

import "github.com/oauthconform/oauthconform/mockserver/fault"

var (
	// JWTAccessTokenType: RFC 9068 §2.1 "Resource servers ... MUST verify
	// that the typ header value is at+jwt" — issuers set it.
	JWTAccessTokenType = register(Check{
		ID: "TF-01", Title: "a JWT access token has typ at+jwt",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9068 §2.1", "RFC 9068 §4"}, Fault: fault.AtTypJWT,
	})

	// JWTAccessTokenClaims: RFC 9068 §2.2, iss, exp, aud, sub, client_id, iat
	// and jti are REQUIRED.
	JWTAccessTokenClaims = register(Check{
		ID: "TF-02", Title: "a JWT access token has iss, exp, aud, sub, client_id, iat and jti",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9068 §2.2"}, Fault: fault.AtMissingJTI,
	})

	// JWTAccessTokenIssuer: RFC 9068 §4 — iss "MUST exactly match" the issuer.
	JWTAccessTokenIssuer = register(Check{
		ID: "TF-03", Title: "a JWT access token's iss is the issuer",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9068 §2.2", "RFC 9068 §4"}, Fault: fault.AtWrongIss,
	})

	// JWTAccessTokenSigned: RFC 9068 §4, validated "using the keys published
	// by the authorization server" (jwks_uri).
	JWTAccessTokenSigned = register(Check{
		ID: "TF-04", Title: "a JWT access token verifies against a key in the JWKS, by kid",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9068 §4", "RFC 8414 §2"}, Fault: fault.AtSignedWithUnpublishedKey,
	})

	// JWTAccessTokenNotUnsigned: RFC 9068 §2.1 "JWT access tokens MUST be
	// signed"; alg none is never acceptable.
	JWTAccessTokenNotUnsigned = register(Check{
		ID: "TF-05", Title: "a JWT access token is not unsigned (alg none)",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9068 §2.1"}, Fault: fault.AtAlgNone,
	})

	// JWKSNoPrivateKeys: RFC 7517 §8.1 / RFC 8414 §2 jwks_uri publishes
	// public keys; private parameters there hand out the signing key.
	JWKSNoPrivateKeys = register(Check{
		ID: "TF-06", Title: "the JWKS publishes no private key material",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7517 §9.2", "RFC 8414 §2"}, Fault: fault.JWKSPrivateKey,
	})

	// JWKSNoSymmetricKeys: a symmetric key in a public JWKS lets anyone
	// forge tokens (RFC 7517 §6.4 "oct" keys are secrets).
	JWKSNoSymmetricKeys = register(Check{
		ID: "TF-07", Title: "the JWKS publishes no symmetric (oct) key",
		Area: "token format", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7517 §6.4", "RFC 8414 §2"}, Fault: fault.JWKSSymmetricKey,
	})
)
