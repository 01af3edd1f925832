package catalog

// ID Tokens, for providers that are OpenID Providers (OpenID Connect Core
// 1.0). They run when a token or authorization response carries an id_token
// and are skipped otherwise: a plain OAuth 2.0 server has none.
// The checks of suites/idtoken.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// IDTokenSigned: OIDC Core §3.1.3.7 step 6, validate the signature with
	// the key the issuer publishes (jwks_uri), chosen by kid; §10.1 requires
	// the kid only when the JWKS has several keys.
	IDTokenSigned = register(Check{
		ID: "TF-08", Title: "an id_token verifies against a key of the JWKS (its kid, or the only key)",
		Area: "token format", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §3.1.3.7", "OIDC Core §10.1"}, Fault: fault.IDTokenUnpublishedKey,
		Quote:  "OIDC Core §10.1: If there are multiple keys in the referenced JWK Set document, a kid value MUST be provided in the JOSE Header.",
		Threat: "forged ID Tokens: a client cannot find the key that signed the ID Token", Severity: verdict.Medium,
		OIDF: []string{"oidcc-server", "oidcc-idtoken-signature"},
	})

	// IDTokenIssuer: OIDC Core §2 iss REQUIRED; §3.1.3.7 step 2 "MUST exactly match" the issuer.
	IDTokenIssuer = register(Check{
		ID: "TF-09", Title: "an id_token's iss is the issuer",
		Area: "token format", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §2", "OIDC Core §3.1.3.7"}, Fault: fault.IDTokenWrongIss,
		Quote:  "OIDC Core §2: iss REQUIRED. Issuer Identifier for the Issuer of the response.",
		Threat: "RFC 9700 §4.4 mix-up attacks: an ID Token of another issuer accepted", Severity: verdict.High,
		OIDF: []string{"oidcc-server"},
	})

	// IDTokenAudience: OIDC Core §2 aud "MUST contain the OAuth 2.0 client_id".
	IDTokenAudience = register(Check{
		ID: "TF-10", Title: "an id_token's aud contains the client_id",
		Area: "token format", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §2", "OIDC Core §3.1.3.7"}, Fault: fault.IDTokenWrongAud,
		Quote:  "OIDC Core §2: aud REQUIRED. Audience(s) that this ID Token is intended for.",
		Threat: "ID Token replay and injection (OIDC Core §15.5.2): a token from another flow accepted by the client", Severity: verdict.High,
		OIDF: []string{"oidcc-server"},
	})

	// IDTokenNotExpired: OIDC Core §2 exp REQUIRED; a fresh token is not yet expired.
	IDTokenNotExpired = register(Check{
		ID: "TF-11", Title: "a fresh id_token is not expired (exp after iat, in the future)",
		Area: "token format", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §2", "OIDC Core §3.1.3.7"}, Fault: fault.IDTokenExpired,
		Quote:  "OIDC Core §2: exp REQUIRED. Expiration time on or after which the ID Token MUST NOT be accepted for processing.",
		Threat: "ID Token replay and injection (OIDC Core §15.5.2): a token from another flow accepted by the client", Severity: verdict.Medium,
		OIDF: []string{"oidcc-server"},
	})

	// IDTokenNonce: OIDC Core §2 "If present in the Authentication Request,
	// Authorization Servers MUST include a nonce Claim ... with the Claim
	// Value being the nonce value sent".
	IDTokenNonce = register(Check{
		ID: "TF-12", Title: "an id_token carries the nonce the request sent",
		Area: "token format", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §2", "OIDC Core §3.1.2.1"}, Fault: fault.IDTokenNonceDropped,
		Quote:  "OIDC Core §2: If present in the Authentication Request, Authorization Servers MUST include a nonce Claim in the ID Token with the Claim Value being the nonce value sent in the Authentication Request.",
		Threat: "ID Token replay and injection (OIDC Core §15.5.2): a token from another flow accepted by the client", Severity: verdict.High,
		OIDF: []string{"oidcc-server"},
	})
)
