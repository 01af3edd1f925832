package catalog

// Refresh tokens (RFC 6749 §6, §10.4; RFC 9700 §4.14).
// The checks of suites/refresh.go.

import "github.com/oauthconform/oauthconform/mockserver/fault"

var (
	// RefreshWorks: RFC 6749 §6 refresh, answered as in §5.1 (no-store included).
	RefreshWorks = register(Check{
		ID: "RT-01", Title: "a refresh token obtains a new access token, answered with Cache-Control: no-store",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §6", "RFC 6749 §5.1"}, Fault: fault.RefreshNoCacheHeaders,
	})

	// RefreshBoundToClient: RFC 6749 §10.4 "the authorization server MUST
	// maintain the binding between a refresh token and the client to whom it
	// was issued"; §6 "validate the refresh token ... issued to the client".
	RefreshBoundToClient = register(Check{
		ID: "RT-02", Title: "another client cannot use the refresh token",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §10.4", "RFC 6749 §6"}, Fault: fault.RefreshNotClientBound,
	})

	// RefreshRequiresAuthentication: RFC 6749 §6 "require client
	// authentication for confidential clients".
	RefreshRequiresAuthentication = register(Check{
		ID: "RT-03", Title: "a confidential client must authenticate to refresh",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §6"}, Fault: fault.RefreshWithoutAuth,
	})

	// RefreshRotated: RFC 9700 §4.14.2 "refresh tokens for public clients
	// MUST be sender-constrained or use refresh token rotation".
	RefreshRotated = register(Check{
		ID: "RT-04", Title: "a public client's used refresh token stops working (rotation)",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 9700 §4.14.2", "RFC 6749 §6"}, Fault: fault.RefreshNoRotation,
	})

	// RefreshReuseDetected: RFC 9700 §4.14.2, with rotation a replayed old
	// token lets the server "revoke the active refresh token".
	RefreshReuseDetected = register(Check{
		ID: "RT-05", Title: "replaying a rotated-out refresh token revokes the active one",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 9700 §4.14.2"}, Fault: fault.RefreshReuseNotDetected,
	})

	// RefreshScopeNotBroadened: RFC 6749 §6 "The requested scope MUST NOT
	// include any scope not originally granted by the resource owner".
	RefreshScopeNotBroadened = register(Check{
		ID: "RT-06", Title: "a refresh asking for a broader scope is refused",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §6"}, Fault: fault.RefreshScopeBroadened,
	})

	// RefreshRaceSingleWinner: RFC 9700 §4.14.2 rotation — of two requests
	// racing with the same refresh token at most one may succeed.
	RefreshRaceSingleWinner = register(Check{
		ID: "RT-07", Title: "of two refreshes racing with one token at most one succeeds",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 9700 §4.14.2"}, Fault: fault.RefreshGracePeriod,
	})

	// RefreshTokenEntropy: RFC 6749 §10.10 (2^-128 guessing probability).
	RefreshTokenEntropy = register(Check{
		ID: "RT-08", Title: "refresh tokens carry at least 128 bits of entropy (estimated from a sample)",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §10.10", "RFC 6749 §10.4"}, Fault: fault.WeakRefreshTokens,
	})

	// RefreshTokenCharset: RFC 6749 Appendix A.17, refresh-token = 1*VSCHAR.
	RefreshTokenCharset = register(Check{
		ID: "RT-09", Title: "refresh tokens use only VSCHAR characters",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §A.17"}, Fault: fault.RefreshNonVschar,
	})

	// PublicClientRefresh: RFC 6749 §6, a public client refreshes with its
	// client_id and no secret (§3.2.1).
	PublicClientRefresh = register(Check{
		ID: "RT-10", Title: "a public client refreshes with its client_id and no secret",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §6", "RFC 6749 §3.2.1"}, Fault: fault.RefreshPublicRefused,
	})
)
