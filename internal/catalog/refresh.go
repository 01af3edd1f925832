package catalog

// Refresh tokens (RFC 6749 §6, §10.4; RFC 9700 §4.14).
// The checks of suites/refresh.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// RefreshWorks: RFC 6749 §6 refresh, answered as in §5.1 (no-store included).
	RefreshWorks = register(Check{
		ID: "RT-01", Title: "a refresh token obtains a new access token, answered with Cache-Control: no-store",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §6", "RFC 6749 §5.1"}, Fault: fault.RefreshNoCacheHeaders,
		Quote:  "RFC 6749 §5.1: The authorization server MUST include the HTTP \"Cache-Control\" response header field [RFC2616] with a value of \"no-store\" in any response containing tokens, credentials, or other sensitive information …",
		Threat: "RFC 6819 §4.6.6 leak of confidential data in HTTP proxies and caches", Severity: verdict.Medium,
		OIDF: []string{"oidcc-refresh-token"},
	})

	// RefreshBoundToClient: RFC 6749 §10.4 "the authorization server MUST
	// maintain the binding between a refresh token and the client to whom it
	// was issued"; §6 "validate the refresh token ... issued to the client".
	RefreshBoundToClient = register(Check{
		ID: "RT-02", Title: "another client cannot use the refresh token",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §10.4", "RFC 6749 §6"}, Fault: fault.RefreshNotClientBound,
		Quote:  "RFC 6749 §10.4: The authorization server MUST verify the binding between the refresh token and client identity whenever the client identity can be authenticated.",
		Threat: "RFC 9700 §4.14 refresh token protection: a stolen refresh token keeps minting access tokens", Severity: verdict.Critical,
	})

	// RefreshRequiresAuthentication: RFC 6749 §6 "require client
	// authentication for confidential clients".
	RefreshRequiresAuthentication = register(Check{
		ID: "RT-03", Title: "a confidential client must authenticate to refresh",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §6"}, Fault: fault.RefreshWithoutAuth,
		Quote:  "RFC 6749 §6: The authorization server MUST: o require client authentication for confidential clients or for any client that was issued client credentials (or with other authentication requirements),",
		Threat: "RFC 9700 §4.14 refresh token protection: a stolen refresh token keeps minting access tokens", Severity: verdict.High,
	})

	// RefreshRotated: RFC 9700 §4.14.2 "refresh tokens for public clients
	// MUST be sender-constrained or use refresh token rotation".
	RefreshRotated = register(Check{
		ID: "RT-04", Title: "a public client's used refresh token stops working (rotation)",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 9700 §4.14.2", "RFC 6749 §6", "RFC 9700 §2.2.2"}, Fault: fault.RefreshNoRotation,
		Quote:  "RFC 9700 §2.2.2: Refresh tokens for public clients MUST be sender-constrained or use refresh token rotation as described in Section 4.14.",
		Threat: "RFC 9700 §4.14 refresh token protection: a stolen refresh token keeps minting access tokens", Severity: verdict.High,
	})

	// RefreshReuseDetected: RFC 9700 §4.14.2, with rotation a replayed old
	// token lets the server "revoke the active refresh token".
	RefreshReuseDetected = register(Check{
		ID: "RT-05", Title: "replaying a rotated-out refresh token revokes the active one",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 9700 §4.14.2"}, Fault: fault.RefreshReuseNotDetected,
		Quote: "RFC 9700 §4.14.2: The authorization server cannot determine which party submitted the invalid refresh token, but it will revoke the active refresh token.",
		Binds: BindsPractice, Why: "The sentence describes what rotation does when a rotated-out token comes back, without a key word of its own: a server that rotates but does not revoke on reuse keeps the attacker's copy alive, a hardening warning.",
		Threat: "RFC 9700 §4.14 refresh token protection: a stolen refresh token keeps minting access tokens", Severity: verdict.Medium,
	})

	// RefreshScopeNotBroadened: RFC 9700 §4.14.2, refresh tokens "MUST be
	// bound to the scope ... as consented by the resource owner": a refresh
	// asking for another of the client's scopes, one the grant left out, is
	// refused or narrowed (RFC 6749 §3.3), never granted.
	RefreshScopeNotBroadened = register(Check{
		ID: "RT-06", Title: "a refresh cannot widen the scope of its grant (refused, or narrowed with scope in the answer)",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §6", "RFC 9700 §4.14.2"}, Fault: fault.RefreshScopeBroadened,
		Quote:  "RFC 9700 §4.14.2: If refresh tokens are issued, those refresh tokens MUST be bound to the scope and resource servers as consented by the resource owner.",
		Threat: "privilege escalation: a token carries scope the resource owner or the client registration never allowed", Severity: verdict.High,
	})

	// RefreshRaceSingleWinner: RFC 9700 §4.14.2 rotation — of two requests
	// racing with the same refresh token at most one may succeed.
	RefreshRaceSingleWinner = register(Check{
		ID: "RT-07", Title: "of two refreshes racing with one token at most one succeeds",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Should,
		Spec: []string{"RFC 9700 §4.14.2"}, Fault: fault.RefreshGracePeriod,
		Quote: "RFC 9700 §4.14.2: If a refresh token is compromised and subsequently used by both the attacker and the legitimate client, one of them will present an invalidated refresh token, which will inform the authorization server of the breach.",
		Binds: BindsPractice, Why: "Rotation only detects a stolen refresh token if a token redeemed once cannot be redeemed again, even by two requests racing; the sentence gives no key word of its own.",
		Threat: "RFC 9700 §4.14 refresh token protection: a stolen refresh token keeps minting access tokens", Severity: verdict.Medium,
	})

	// RefreshTokenEntropy: RFC 6749 §10.10 (2^-128 guessing probability).
	RefreshTokenEntropy = register(Check{
		ID: "RT-08", Title: "refresh tokens carry at least 128 bits of entropy (estimated from a sample)",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §10.10", "RFC 6749 §10.4"}, Fault: fault.WeakRefreshTokens,
		Quote:  "RFC 6749 §10.10: The probability of an attacker guessing generated tokens (and other credentials not intended for handling by end-users) MUST be less than or equal to 2^(-128) …",
		Threat: "RFC 6819 §4.5.3 obtaining refresh tokens by online guessing", Severity: verdict.High,
	})

	// RefreshTokenCharset: RFC 6749 Appendix A.17, refresh-token = 1*VSCHAR.
	RefreshTokenCharset = register(Check{
		ID: "RT-09", Title: "refresh tokens use only VSCHAR characters",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: Must,
		Spec: []string{"RFC 6749 §A.17"}, Fault: fault.RefreshNonVschar,
		Quote: "RFC 6749 §A.17: The \"refresh_token\" element is defined in Sections 5.1 and 6: refresh-token = 1*VSCHAR",
		Binds: BindsSyntax, Why: "A refresh token outside the grammar is not a refresh token of the protocol: clients may refuse or mangle it.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// PublicClientRefresh: RFC 6749 §6, a public client refreshes with its
	// client_id and no secret (§3.2.1).
	PublicClientRefresh = register(Check{
		ID: "RT-10", Title: "a public client refreshes with its client_id and no secret",
		Area: "refresh", Flows: []Flow{FlowRefresh}, Level: May,
		Spec: []string{"RFC 6749 §6", "RFC 6749 §3.2.1", "RFC 6749 §10.4"}, Fault: fault.RefreshPublicRefused,
		Quote:  "RFC 6749 §10.4: Authorization servers MAY issue refresh tokens to web application clients and native application clients.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})
)
