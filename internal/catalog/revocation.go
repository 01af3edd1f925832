package catalog

// Token revocation (RFC 7009).
// The checks of suites/revocation.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// RevokedRefreshTokenDead: RFC 7009 §2 "Implementations MUST support the
	// revocation of refresh tokens"; §2.2 the token is invalidated.
	RevokedRefreshTokenDead = register(Check{
		ID: "RV-01", Title: "a revoked refresh token stops working",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7009 §2", "RFC 7009 §2.2"}, Fault: fault.RevocationIgnoredRefresh,
		Quote:  "RFC 7009 §2: Implementations MUST support the revocation of refresh tokens …",
		Threat: "RFC 9700 §4.14 refresh token protection: a stolen refresh token keeps minting access tokens", Severity: verdict.High,
	})

	// RevokedAccessTokenDead: RFC 7009 §2 "SHOULD support the revocation of access tokens".
	RevokedAccessTokenDead = register(Check{
		ID: "RV-02", Title: "a revoked access token shows inactive at introspection",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7009 §2", "RFC 7662 §2.2"}, Fault: fault.RevocationIgnoredAccess,
		Quote:  "RFC 7009 §2: Implementations … SHOULD support the revocation of access tokens (see Implementation Note).",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a token keeps working after it should not", Severity: verdict.Medium,
	})

	// RevokingRefreshKillsAccess: RFC 7009 §2.1 "the authorization server
	// SHOULD also invalidate all access tokens based on the same authorization grant".
	RevokingRefreshKillsAccess = register(Check{
		ID: "RV-03", Title: "revoking a refresh token also revokes the grant's access tokens",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7009 §2.1"}, Fault: fault.RevocationKeepsAccessTokens,
		Quote:  "RFC 7009 §2.1: If the token passed to the request is a refresh token and the authorization server supports the revocation of access tokens, then the authorization server SHOULD also invalidate all access tokens based on the same authorization grant (see Implementation Note).",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a token keeps working after it should not", Severity: verdict.Medium,
	})

	// RevocationAuthenticated: RFC 7009 §2.1 "The authorization server first
	// validates the client credentials (in case of a confidential client)".
	RevocationAuthenticated = register(Check{
		ID: "RV-04", Title: "revocation without client authentication is refused and revokes nothing",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7009 §2.1", "RFC 7009 §5"}, Fault: fault.RevocationUnauthenticated,
		Quote: "RFC 7009 §2.1: The authorization server first validates the client credentials (in case of a confidential client) and then verifies whether the token was issued to the client making the revocation request.",
		Binds: BindsPractice, Why: "The sentence describes the check without a key word of its own; a revocation anyone can send lets whoever holds a token log its user out, a hardening warning.",
		Threat: "denial of service: tokens revoked by someone other than their client", Severity: verdict.Low,
	})

	// RevocationBoundToClient: RFC 7009 §2.1 "verifies whether the token was
	// issued to the client making the revocation request. If this validation
	// fails, the request is refused".
	RevocationBoundToClient = register(Check{
		ID: "RV-05", Title: "another client cannot revoke the token",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7009 §2.1"}, Fault: fault.RevocationAnyClient,
		Quote: "RFC 7009 §2.1: The authorization server first validates the client credentials (in case of a confidential client) and then verifies whether the token was issued to the client making the revocation request.",
		Binds: BindsPractice, Why: "The sentence describes the check without a key word of its own; a client that can revoke another client's tokens can log that client's users out, a hardening warning.",
		Threat: "denial of service: tokens revoked by someone other than their client", Severity: verdict.Low,
	})

	// RevocationUnknownToken: RFC 7009 §2.2 "invalid tokens do not cause an
	// error response ... the authorization server responds with HTTP status code 200".
	RevocationUnknownToken = register(Check{
		ID: "RV-06", Title: "revoking an unknown token answers 200",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7009 §2.2"}, Fault: fault.RevocationUnknownTokenError,
		Quote: "RFC 7009 §2.2: The authorization server responds with HTTP status code 200 if the token has been revoked successfully or if the client submitted an invalid token.",
		Binds: BindsPractice, Why: "The answer is specified without a key word; a server that answers an unknown token with an error tells callers which tokens exist and breaks clients that retry, an interoperability warning.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// RevocationHintNotBinding: RFC 7009 §2.1 "If the server is unable to
	// locate the token using the given hint, it MUST extend its search
	// across all of its supported token types."
	RevocationHintNotBinding = register(Check{
		ID: "RV-07", Title: "a wrong token_type_hint still revokes the token",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 7009 §2.1"}, Fault: fault.RevocationHintStrict,
		Quote:  "RFC 7009 §2.1: If the server is unable to locate the token using the given hint, it MUST extend its search across all of its supported token types.",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a token keeps working after it should not (a revocation that silently did nothing)", Severity: verdict.Medium,
	})

	// RevocationPostOnly: RFC 7009 §2.1, the client sends an HTTP POST; a
	// server answering GET puts tokens into URLs and logs.
	RevocationPostOnly = register(Check{
		ID: "RV-08", Title: "revocation by GET is refused",
		Area: "revocation", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 7009 §2.1"}, Fault: fault.RevocationGetAllowed,
		Quote: "RFC 7009 §2.1: The client requests the revocation of a particular token by making an HTTP POST request to the token revocation endpoint URL.",
		Binds: BindsPractice, Why: "The request is defined as a POST, a duty of the client; a server that refuses a GET keeps tokens out of URLs, where logs and Referer headers keep them.",
		Threat: "RFC 9700 §4.3 credential leakage via browser history and logs: tokens in URLs", Severity: verdict.Low,
	})
)
