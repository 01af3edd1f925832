package catalog

// Token revocation (RFC 7009).
// The checks of suites/revocation.go.

import "github.com/oauthconform/oauthconform/mockserver/fault"

var (
	// RevokedRefreshTokenDead: RFC 7009 §2 "Implementations MUST support the
	// revocation of refresh tokens"; §2.2 the token is invalidated.
	RevokedRefreshTokenDead = register(Check{
		ID: "RV-01", Title: "a revoked refresh token stops working",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7009 §2", "RFC 7009 §2.2"}, Fault: fault.RevocationIgnoredRefresh,
	})

	// RevokedAccessTokenDead: RFC 7009 §2 "SHOULD support the revocation of access tokens".
	RevokedAccessTokenDead = register(Check{
		ID: "RV-02", Title: "a revoked access token shows inactive at introspection",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7009 §2", "RFC 7662 §2.2"}, Fault: fault.RevocationIgnoredAccess,
	})

	// RevokingRefreshKillsAccess: RFC 7009 §2.1 "the authorization server
	// SHOULD also invalidate all access tokens based on the same authorization grant".
	RevokingRefreshKillsAccess = register(Check{
		ID: "RV-03", Title: "revoking a refresh token also revokes the grant's access tokens",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7009 §2.1"}, Fault: fault.RevocationKeepsAccessTokens,
	})

	// RevocationAuthenticated: RFC 7009 §2.1 "The authorization server first
	// validates the client credentials (in case of a confidential client)".
	RevocationAuthenticated = register(Check{
		ID: "RV-04", Title: "revocation without client authentication is refused and revokes nothing",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7009 §2.1", "RFC 7009 §5"}, Fault: fault.RevocationUnauthenticated,
	})

	// RevocationBoundToClient: RFC 7009 §2.1 "verifies whether the token was
	// issued to the client making the revocation request. If this validation
	// fails, the request is refused".
	RevocationBoundToClient = register(Check{
		ID: "RV-05", Title: "another client cannot revoke the token",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7009 §2.1"}, Fault: fault.RevocationAnyClient,
	})

	// RevocationUnknownToken: RFC 7009 §2.2 "invalid tokens do not cause an
	// error response ... the authorization server responds with HTTP status code 200".
	RevocationUnknownToken = register(Check{
		ID: "RV-06", Title: "revoking an unknown token answers 200",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7009 §2.2"}, Fault: fault.RevocationUnknownTokenError,
	})

	// RevocationHintNotBinding: RFC 7009 §2.1 "If the server is unable to
	// locate the token using the given hint, it MUST extend its search
	// across all of its supported token types."
	RevocationHintNotBinding = register(Check{
		ID: "RV-07", Title: "a wrong token_type_hint still revokes the token",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7009 §2.1"}, Fault: fault.RevocationHintStrict,
	})

	// RevocationPostOnly: RFC 7009 §2.1, the client sends an HTTP POST; a
	// server answering GET puts tokens into URLs and logs.
	RevocationPostOnly = register(Check{
		ID: "RV-08", Title: "revocation by GET is refused",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7009 §2.1"}, Fault: fault.RevocationGetAllowed,
	})
)
