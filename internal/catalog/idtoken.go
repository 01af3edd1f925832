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
	// IDTokenIat: OIDC Core §2 iat REQUIRED.
	IDTokenIat = register(Check{
		ID: "TF-14", Title: "an id_token carries iat, a number",
		Area: "token format", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §2"}, Fault: fault.IDTokenNoIat,
		Quote:  "OIDC Core §2: iat REQUIRED. Time at which the JWT was issued.",
		Threat: "ID Token replay and injection (OIDC Core §15.5.2): a client cannot bound how old a token is", Severity: verdict.Low,
		OIDF: []string{"oidcc-server"},
	})

	// IDTokenSubSyntax: OIDC Core §2 sub REQUIRED, at most 255 ASCII characters.
	IDTokenSubSyntax = register(Check{
		ID: "TF-15", Title: "an id_token carries sub, at most 255 ASCII characters",
		Area: "token format", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §2"}, Fault: fault.IDTokenLongSub,
		Quote:  "OIDC Core §2: sub REQUIRED. Subject Identifier. … It MUST NOT exceed 255 ASCII … characters in length.",
		Threat: "none: interoperability, a conforming client cannot store the user's identifier", Severity: verdict.None,
		OIDF: []string{"oidcc-server"},
	})

	// IDTokenAzp: OIDC Core §2 azp, if present, is the client's id.
	IDTokenAzp = register(Check{
		ID: "TF-17", Title: "an id_token's azp, when present, is the client_id",
		Area: "token format", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §2", "OIDC Core §3.1.3.7"}, Fault: fault.IDTokenWrongAzp,
		Quote:  "OIDC Core §2: azp … Authorized party - the party to which the ID Token was issued. If present, it MUST contain the OAuth 2.0 Client ID of this party.",
		Threat: "ID Token replay and injection (OIDC Core §15.5.2): a token issued to another party accepted by the client", Severity: verdict.Medium,
		OIDF: []string{"oidcc-server"},
	})

	// IDTokenAlgAdvertised: OIDC Discovery §3, the ID Token's alg is one
	// of id_token_signing_alg_values_supported.
	IDTokenAlgAdvertised = register(Check{
		ID: "TF-18", Title: "an id_token's alg is listed in id_token_signing_alg_values_supported",
		Area: "token format", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Discovery §3", "OIDC Core §3.1.3.7"}, Fault: fault.IDTokenAlgNotAdvertised,
		Quote:  "OIDC Discovery §3: id_token_signing_alg_values_supported REQUIRED. JSON array containing a list of the JWS signing algorithms (alg values) supported by the OP for the ID Token to encode the Claims in a JWT …",
		Threat: "none: interoperability, a client that accepts only the advertised algorithms refuses the ID Token", Severity: verdict.None,
		OIDF: []string{"oidcc-idtoken-signature", "oidcc-discovery-endpoint-verification"},
	})

	// IDTokenRS256Advertised: OIDC Discovery §3, RS256 MUST be included.
	IDTokenRS256Advertised = register(Check{
		ID: "TF-19", Title: "id_token_signing_alg_values_supported includes RS256",
		Area: "token format", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"OIDC Discovery §3", "OIDC Core §15.1"}, Fault: fault.MetadataNoRS256,
		Quote:  "OIDC Discovery §3: … The algorithm RS256 MUST be included.",
		Threat: "none: interoperability, a client that implements only RS256 cannot verify the ID Token", Severity: verdict.None,
		OIDF: []string{"oidcc-idtoken-rs256", "oidcc-discovery-endpoint-verification"},
	})

	// IDTokenNotUnsigned: OIDC Core §2, alg none only for a client that
	// registered for it and an ID Token from the token endpoint; the
	// profile's clients never do.
	IDTokenNotUnsigned = register(Check{
		ID: "TF-20", Title: "an id_token is signed (not alg none)",
		Area: "token format", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §2", "OIDC Core §10.1"}, Fault: fault.IDTokenAlgNone,
		Quote:  "OIDC Core §2: The ID Token MUST NOT use none as the alg value unless the Response Type used returns no ID Token from the Authorization Endpoint (such as when using the Authorization Code Flow) and the Client explicitly requested the use of none at Registration time.",
		Threat: "forged ID Tokens: a token anyone can write is accepted as the provider's", Severity: verdict.Critical,
		OIDF: []string{"oidcc-server", "oidcc-idtoken-signature"},
	})
)
