package catalog

// The implicit grant's restrictions (RFC 6749 §4.2; RFC 9700 §2.1.2).
// The checks of suites/implicit.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// MetadataResponseTypesTrue: RFC 8414 §2 response_types_supported lists
	// "the OAuth 2.0 response_type values that this authorization server supports".
	MetadataResponseTypesTrue = register(Check{
		ID: "DSC-05", Title: "response_types_supported matches what the implicit client gets",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 8414 §2"}, Fault: fault.MetadataOmitsTokenResponseType,
		Quote:  "RFC 8414 §2: response_types_supported REQUIRED. JSON array containing a list of the OAuth 2.0 \"response_type\" values that this authorization server supports.",
		Threat: "none: interoperability, a conforming client fails against the server (a client trusting the metadata misjudges which flows exist)", Severity: verdict.Low,
	})

	// ImplicitTokenInFragment: RFC 6749 §4.2.2, parameters are added "to the
	// fragment component"; a token in the query leaks to servers and logs (RFC 9700 §2.1.2).
	ImplicitTokenInFragment = register(Check{
		ID: "IMP-01", Title: "implicit access token is in the fragment and never in the query",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"RFC 6749 §4.2.2", "RFC 9700 §2.1.2"}, Fault: fault.TokenInQuery,
		Quote:  "RFC 6749 §4.2.2: If the resource owner grants the access request, the authorization server issues an access token and delivers it to the client by adding the following parameters to the fragment component of the redirection URI … access_token REQUIRED.",
		Threat: "RFC 9700 §4.3 credential leakage via browser history and logs: tokens in URLs", Severity: verdict.High,
		OIDF: []string{"oidcc-server@implicit"},
	})

	// ImplicitStateEchoed: RFC 6749 §4.2.2, state REQUIRED when present in the request.
	ImplicitStateEchoed = register(Check{
		ID: "IMP-02", Title: "state is echoed exactly in the implicit response",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"RFC 6749 §4.2.2"}, Fault: fault.ImplicitStateDropped,
		Quote:  "RFC 6749 §4.2.2: state REQUIRED if the \"state\" parameter was present in the client authorization request. The exact value received from the client.",
		Threat: "RFC 9700 §4.7 cross-site request forgery: the client binds a response to its request by state", Severity: verdict.Medium,
		OIDF: []string{"oidcc-server@implicit"},
	})

	// ImplicitNoRefreshToken: RFC 6749 §4.2.2 "The authorization server MUST
	// NOT issue a refresh token."
	ImplicitNoRefreshToken = register(Check{
		ID: "IMP-03", Title: "implicit response carries no refresh token",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"RFC 6749 §4.2.2"}, Fault: fault.ImplicitRefreshToken,
		Quote:  "RFC 6749 §4.2.2: The authorization server MUST NOT issue a refresh token.",
		Threat: "RFC 9700 §4.14 refresh token protection: a stolen refresh token keeps minting access tokens (a long-lived credential in a browser fragment)", Severity: verdict.High,
	})

	// ImplicitTokenType: RFC 6749 §4.2.2, token_type is REQUIRED.
	ImplicitTokenType = register(Check{
		ID: "IMP-04", Title: "implicit response carries token_type Bearer",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"RFC 6749 §4.2.2", "RFC 6750 §4"}, Fault: fault.ImplicitTokenTypeWrong,
		Quote:  "RFC 6749 §4.2.2: token_type REQUIRED. The type of the token issued as described in Section 7.1.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// ImplicitExpiresIn: RFC 6749 §4.2.2, expires_in is RECOMMENDED.
	ImplicitExpiresIn = register(Check{
		ID: "IMP-05", Title: "implicit response carries expires_in",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Should,
		Spec: []string{"RFC 6749 §4.2.2"}, Fault: fault.ImplicitNoExpiresIn,
		Quote:  "RFC 6749 §4.2.2: expires_in RECOMMENDED. The lifetime in seconds of the access token.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// ImplicitOnlyForRegisteredClients: RFC 6749 §4.2.2.1 unauthorized_client
	// "The client is not authorized to request an access token using this
	// method"; RFC 9700 §2.1.2 discourages the grant altogether.
	ImplicitOnlyForRegisteredClients = register(Check{
		ID: "IMP-06", Title: "a client not registered for the implicit grant gets no token",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"RFC 6749 §4.2.2.1", "RFC 9700 §2.1.2"}, Fault: fault.ImplicitAnyClient,
		Quote:  "RFC 6749 §4.2.2.1: error REQUIRED. A single ASCII [USASCII] error code from the following: … unauthorized_client The client is not authorized to request an access token using this method.",
		Threat: "RFC 9700 §4.6 access token injection and §2.1.2 token leakage in the authorization response", Severity: verdict.High,
	})

	// ImplicitErrorInFragment: RFC 6749 §4.2.2.1, an implicit error response
	// adds its parameters "to the fragment component of the redirection URI".
	ImplicitErrorInFragment = register(Check{
		ID: "IMP-07", Title: "a refused implicit request carries its error in the fragment",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"RFC 6749 §4.2.2.1"}, Fault: fault.ImplicitErrorInQuery,
		Quote:  "RFC 6749 §4.2.2.1: If the resource owner denies the access request or if the request fails for reasons other than a missing or invalid redirection URI, the authorization server informs the client by adding the following parameters to the fragment component of the redirection URI … error REQUIRED.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.Low,
	})

	// ImplicitNonceRequired: OIDC Core §3.2.2.1 nonce is REQUIRED for the
	// implicit flow.
	ImplicitNonceRequired = register(Check{
		ID: "IMP-08", Title: "an implicit id_token request without nonce is refused",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"OIDC Core §3.2.2.1", "OIDC Core §3.2.2.11", "OIDC Core §3.1.2.2"}, Fault: fault.ImplicitNonceOptional,
		Quote:  "OIDC Core §3.1.2.2: The Authorization Server MUST verify that all the REQUIRED parameters are present and their usage conforms to this specification.",
		Threat: "ID Token replay and injection (OIDC Core §15.5.2): a token from another flow accepted by the client", Severity: verdict.High,
		OIDF: []string{"oidcc-ensure-request-without-nonce-fails@implicit"},
	})

	// ImplicitNotOffered: RFC 9700 §2.1.2 "clients SHOULD NOT use the
	// implicit grant (response type "token") or other response types issuing
	// access tokens in the authorization response" — a SHOULD NOT on
	// clients that a server honours by refusing those response types
	// (unsupported_response_type or unauthorized_client, RFC 6749
	// §4.2.2.1). OAuth 2.1 drops the grant.
	ImplicitNotOffered = register(Check{
		ID: "IMP-09", Title: "the implicit grant is not offered",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Should,
		Spec: []string{"RFC 9700 §2.1.2", "RFC 6749 §4.2.2.1"}, Fault: fault.ImplicitOffered,
		Quote: "RFC 9700 §2.1.2: In order to avoid these issues, clients SHOULD NOT use the implicit grant (response type token) or other response types issuing access tokens in the authorization response, unless access token injection in the authorization response is prevented and the aforementioned token leakage vectors are mitigated.",
		Binds: BindsClient, Why: "The sentence binds clients; a server that does not offer the implicit grant keeps every client off it.",
		Threat: "RFC 9700 §4.6 access token injection and §2.1.2 token leakage in the authorization response", Severity: verdict.Medium,
	})

	// HybridTokenNotOffered: the same RFC 9700 §2.1.2 SHOULD NOT ("or other
	// response types issuing access tokens in the authorization response"),
	// for the OpenID Connect hybrid response types that put an access token
	// in the authorization response next to the code: "code token" and
	// "code id_token token" (OIDC Core §3.3, §3.3.2.5). IMP-09 judges
	// "token" and "id_token token". A SHOULD NOT, so Should; a refusal of
	// either kind (unsupported_response_type, or unauthorized_client for a
	// client not registered for it) issues nothing and passes.
	HybridTokenNotOffered = register(Check{
		ID: "IMP-10", Title: "hybrid response types that return an access token are not offered",
		Area: "implicit", Flows: []Flow{FlowImplicit}, Level: Should,
		Spec: []string{"RFC 9700 §2.1.2", "OIDC Core §3.3"}, Fault: fault.HybridTokenOffered,
		Quote: "RFC 9700 §2.1.2: In order to avoid these issues, clients SHOULD NOT use the implicit grant (response type token) or other response types issuing access tokens in the authorization response, unless access token injection in the authorization response is prevented and the aforementioned token leakage vectors are mitigated.",
		Binds: BindsClient, Why: "The sentence binds clients; a server that does not offer the hybrid types that return an access token keeps every client off them.",
		Threat: "RFC 9700 §4.6 access token injection and §2.1.2 token leakage in the authorization response", Severity: verdict.Medium,
	})

	// IDTokenAtHash: OIDC Core §3.2.2.10, at_hash is REQUIRED in an id_token
	// issued with an access token from the authorization endpoint, and
	// §3.2.2.9 defines its value.
	IDTokenAtHash = register(Check{
		ID: "TF-13", Title: "an implicit id_token's at_hash matches the access token",
		Area: "token format", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"OIDC Core §3.2.2.10", "OIDC Core §3.2.2.9"}, Fault: fault.IDTokenNoAtHash,
		Quote:  "OIDC Core §3.2.2.10: at_hash Access Token hash value. … If the ID Token is issued from the Authorization Endpoint with an access_token value, which is the case for the response_type value id_token token, this is REQUIRED …",
		Threat: "RFC 9700 §4.6 access token injection and §2.1.2 token leakage in the authorization response", Severity: verdict.High,
		OIDF: []string{"oidcc-server@implicit"},
	})
)
