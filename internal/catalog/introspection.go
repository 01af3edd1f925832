package catalog

// Token introspection (RFC 7662).
// The checks of suites/introspection.go.

import "github.com/oauthconform/oauthconform/mockserver/fault"

var (
	// IntrospectionActiveBoolean: RFC 7662 §2.2 "active REQUIRED. Boolean indicator".
	IntrospectionActiveBoolean = register(Check{
		ID: "IN-01", Title: "introspection answers JSON with a boolean active",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7662 §2.2"}, Fault: fault.IntrospectionActiveString,
	})

	// IntrospectionAuthenticated: RFC 7662 §2.1 "the endpoint MUST also
	// require some form of authorization to access this endpoint".
	IntrospectionAuthenticated = register(Check{
		ID: "IN-02", Title: "an unauthenticated introspection request is refused",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7662 §2.1", "RFC 7662 §4"}, Fault: fault.IntrospectionUnauthenticated,
	})

	// IntrospectionInactiveOnly: RFC 7662 §2.2 for an inactive token "the
	// authorization server SHOULD NOT include any additional information".
	IntrospectionInactiveOnly = register(Check{
		ID: "IN-03", Title: "an unknown token introspects as {\"active\": false} and nothing more",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7662 §2.2"}, Fault: fault.IntrospectionInactiveLeaks,
	})

	// IntrospectionSeesRevocation: RFC 7662 §2.2 a revoked token is not active.
	IntrospectionSeesRevocation = register(Check{
		ID: "IN-04", Title: "a revoked refresh token introspects as inactive",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7662 §2.2", "RFC 7009 §2"}, Fault: fault.IntrospectionIgnoresRevocation,
	})

	// IntrospectionClaimsMatch: RFC 7662 §2.2 client_id, scope, exp, sub
	// describe the token as issued.
	IntrospectionClaimsMatch = register(Check{
		ID: "IN-05", Title: "an active token's client_id, scope, exp and sub match what was issued",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7662 §2.2"}, Fault: fault.IntrospectionWrongClientID,
	})

	// IntrospectionRefreshToken: RFC 7662 §2.1, token is "the string value of
	// the token", access or refresh (token_type_hint refresh_token).
	IntrospectionRefreshToken = register(Check{
		ID: "IN-06", Title: "an active refresh token introspects as active",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7662 §2.1", "RFC 7662 §2.2"}, Fault: fault.IntrospectionRefreshUnsupported,
	})

	// IntrospectionPostOnly: RFC 7662 §2.1 "The protected resource calls the
	// introspection endpoint using an HTTP POST request"; GET leaks tokens to logs.
	IntrospectionPostOnly = register(Check{
		ID: "IN-07", Title: "introspection by GET is refused",
		Area: "introspection", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7662 §2.1", "RFC 7662 §4"}, Fault: fault.IntrospectionGetAllowed,
	})
)
