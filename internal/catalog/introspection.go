package catalog

// Token introspection (RFC 7662).
// The checks of suites/introspection.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// IntrospectionActiveBoolean: RFC 7662 §2.2 "active REQUIRED. Boolean indicator".
	IntrospectionActiveBoolean = register(Check{
		ID: "IN-01", Title: "introspection answers JSON with a boolean active",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7662 §2.2"}, Fault: fault.IntrospectionActiveString,
		Quote:  "RFC 7662 §2.2: active REQUIRED. Boolean indicator of whether or not the presented token is currently active.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.Low,
	})

	// IntrospectionAuthenticated: RFC 7662 §2.1 "the endpoint MUST also
	// require some form of authorization to access this endpoint".
	IntrospectionAuthenticated = register(Check{
		ID: "IN-02", Title: "an unauthenticated introspection request is refused",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7662 §2.1", "RFC 7662 §4"}, Fault: fault.IntrospectionUnauthenticated,
		Quote:  "RFC 7662 §2.1: To prevent token scanning attacks, the endpoint MUST also require some form of authorization to access this endpoint, such as client authentication as described in OAuth 2.0 [RFC6749] or a separate OAuth 2.0 access token such as the bearer token described in OAuth 2.0 Bearer Token Usage [RFC6750].",
		Threat: "RFC 7662 §4 token scanning and disclosure of token metadata", Severity: verdict.High,
	})

	// IntrospectionInactiveOnly: RFC 7662 §2.2, a token the server does not
	// know introspects as active false (§2.3: not an error).
	IntrospectionInactiveOnly = register(Check{
		ID: "IN-03", Title: "an unknown token introspects as active false, not as an error",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7662 §2.2", "RFC 7662 §2.3"}, Fault: fault.IntrospectionUnknownTokenError,
		Quote:  "RFC 7662 §2.2: If the introspection call is properly authorized but the token is not active, does not exist on this server, or the protected resource is not allowed to introspect this particular token, then the authorization server MUST return an introspection response with the \"active\" field set to \"false\".",
		Threat: "forged or guessed tokens: a resource server takes a token the server never issued for an active one (an error answer instead breaks conforming resource servers)", Severity: verdict.High,
	})

	// IntrospectionInactiveNothingMore: RFC 7662 §2.2, the answer for an
	// inactive token SHOULD NOT include any additional information.
	IntrospectionInactiveNothingMore = register(Check{
		ID: "IN-10", Title: "an unknown token's introspection answer carries nothing but active",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7662 §2.2"}, Fault: fault.IntrospectionInactiveLeaks,
		Quote:  "RFC 7662 §2.2: Note that to avoid disclosing too much of the authorization server's state to a third party, the authorization server SHOULD NOT include any additional information about an inactive token, including why the token is inactive.",
		Threat: "RFC 7662 §4 token scanning and disclosure of token metadata", Severity: verdict.Low,
	})

	// IntrospectionSeesRevocation: RFC 7662 §2.2 a revoked token is not active.
	IntrospectionSeesRevocation = register(Check{
		ID: "IN-04", Title: "a revoked refresh token introspects as inactive",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7662 §2.2", "RFC 7009 §2"}, Fault: fault.IntrospectionIgnoresRevocation,
		Quote:  "RFC 7662 §2.2: If the introspection call is properly authorized but the token is not active, does not exist on this server, or the protected resource is not allowed to introspect this particular token, then the authorization server MUST return an introspection response with the \"active\" field set to \"false\".",
		Threat: "RFC 9700 §4.14 refresh token protection: a stolen refresh token keeps minting access tokens", Severity: verdict.High,
	})

	// IntrospectionClaimsMatch: RFC 7662 §2.2 client_id, scope, exp, sub
	// are OPTIONAL; those present describe the token as issued (what a
	// server does under OPTIONAL is information).
	IntrospectionClaimsMatch = register(Check{
		ID: "IN-05", Title: "an active token's client_id, scope, exp and sub, when present, match what was issued",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: May,
		Spec: []string{"RFC 7662 §2.2"}, Fault: fault.IntrospectionWrongClientID,
		Quote:  "RFC 7662 §2.2: client_id OPTIONAL. Client identifier for the OAuth 2.0 client that requested this token.",
		Threat: "confused deputy: a resource server authorizes by introspected members that describe another token", Severity: verdict.Low,
	})

	// IntrospectionRefreshToken: RFC 7662 §2.1, token is "the string value of
	// the token", access or refresh (token_type_hint refresh_token).
	IntrospectionRefreshToken = register(Check{
		ID: "IN-06", Title: "an active refresh token introspects as active",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: May,
		Spec: []string{"RFC 7662 §2.1", "RFC 7662 §2.2"}, Fault: fault.IntrospectionRefreshUnsupported,
		Quote:  "RFC 7662 §2.2: The authorization server MAY respond differently to different protected resources making the same request.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// IntrospectionPostOnly: RFC 7662 §2.1 "The protected resource calls the
	// introspection endpoint using an HTTP POST request"; GET leaks tokens to logs.
	IntrospectionPostOnly = register(Check{
		ID: "IN-07", Title: "introspection by GET is refused",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7662 §2.1", "RFC 7662 §4"}, Fault: fault.IntrospectionGetAllowed,
		Quote: "RFC 7662 §2.1: The protected resource calls the introspection endpoint using an HTTP POST [RFC7231] request with parameters sent as \"application/x-www-form-urlencoded\" data as defined in [W3C.REC-html5-20141028].",
		Binds: BindsPractice, Why: "The request is defined as a POST, a duty of the protected resource; a server that refuses a GET keeps tokens out of URLs, where logs and Referer headers keep them.",
		Threat: "RFC 9700 §4.3 credential leakage via browser history and logs: tokens in URLs", Severity: verdict.Low,
	})
)
