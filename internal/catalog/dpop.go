package catalog

// DPoP: sender-constrained tokens by proof of possession (RFC 9449).
// The checks of suites/dpop.go. They run only against a provider that
// advertises dpop_signing_alg_values_supported; the harness makes an ES256
// key for the run (and a second one where a check needs another key).

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// dpopChecks quotes RFC 9449 §4.3's list of what a receiving server MUST
// ensure; each check quotes its item.
const dpopChecks = "RFC 9449 §4.3: To validate a DPoP proof, the receiving server MUST ensure the following: … "

var (
	// DPoPTokenType is the positive control of every DPoP check: a valid
	// proof gets a DPoP-bound token.
	DPoPTokenType = register(Check{
		ID: "DP-01", Title: "a token request with a valid DPoP proof gets token_type DPoP",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §5"}, Fault: fault.DPoPTokenTypeBearer,
		Quote:  "RFC 9449 §5: A token_type of DPoP MUST be included in the access token response to signal to the client that the access token was bound to its DPoP key and can be used as described in Section 7.1.",
		Threat: "none: interoperability, a DPoP client discards the response or sends the token the wrong way", Severity: verdict.Low,
	})

	DPoPBindingExpressed = register(Check{
		ID: "DP-02", Title: "a DPoP-bound access token carries cnf.jkt, the thumbprint of the proof's key (in the JWT or its introspection)",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §6.1", "RFC 9449 §6.2"}, Fault: fault.DPoPNoCnf,
		Quote:  "RFC 9449 §6.1: The value of the jkt member MUST be the base64url encoding (as defined in [RFC7515]) of the JWK SHA-256 Thumbprint (according to [RFC7638]) of the DPoP public key (in JWK format) to which the access token is bound.",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a resource that cannot see the binding accepts the token from anyone", Severity: verdict.Medium,
	})

	DPoPBadSignatureRefused = register(Check{
		ID: "DP-03", Title: "a DPoP proof whose signature does not verify is refused",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §4.3"}, Fault: fault.DPoPSignatureUnchecked,
		Quote:  dpopChecks + "6. The JWT signature verifies with the public key contained in the jwk JOSE Header Parameter.",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: proofs are forged for a key the attacker does not hold", Severity: verdict.High,
	})

	DPoPTypRefused = register(Check{
		ID: "DP-04", Title: "a DPoP proof whose typ is not dpop+jwt is refused",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §4.3", "RFC 9449 §11.5"}, Fault: fault.DPoPTypUnchecked,
		Quote:  dpopChecks + "4. The typ JOSE Header Parameter has the value dpop+jwt.",
		Threat: "RFC 9449 §11.5 signed JWT swapping: a JWT signed for another purpose passes as a proof", Severity: verdict.Medium,
	})

	DPoPAlgNoneRefused = register(Check{
		ID: "DP-05", Title: "an unsigned DPoP proof (alg none) is refused",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §11.6", "RFC 9449 §4.3"}, Fault: fault.DPoPAlgNoneAccepted,
		Quote:  "RFC 9449 §11.6: In particular, the algorithm none MUST NOT be allowed.",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: anyone writes a proof for any key", Severity: verdict.High,
	})

	DPoPSymmetricRefused = register(Check{
		ID: "DP-06", Title: "a DPoP proof MACed with a symmetric algorithm (HS256) is refused",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §11.6", "RFC 9449 §4.3"}, Fault: fault.DPoPSymmetricAlgAccepted,
		Quote:  "RFC 9449 §11.6: Implementers MUST ensure that only asymmetric digital signature algorithms (such as ES256) that are deemed secure can be used for signing DPoP proofs.",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a proof carries its own secret, so it proves nothing", Severity: verdict.High,
	})

	DPoPHtmRefused = register(Check{
		ID: "DP-07", Title: "a DPoP proof whose htm is not the request's method is refused",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §4.3"}, Fault: fault.DPoPHtmUnchecked,
		Quote:  dpopChecks + "8. The htm claim matches the HTTP method of the current request.",
		Threat: "RFC 9449 §11.1 DPoP proof replay: a captured proof is used for another request", Severity: verdict.Medium,
	})

	DPoPHtuRefused = register(Check{
		ID: "DP-08", Title: "a DPoP proof whose htu is another URI is refused",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §4.3"}, Fault: fault.DPoPHtuUnchecked,
		Quote:  dpopChecks + "9. The htu claim matches the HTTP URI value for the HTTP request in which the JWT was received, ignoring any query and fragment parts.",
		Threat: "RFC 9449 §11.1 DPoP proof replay: a proof captured at another endpoint (or server) is used here", Severity: verdict.Medium,
	})

	DPoPIatWindow = register(Check{
		ID: "DP-09", Title: "a DPoP proof created two hours ago is refused",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §11.1", "RFC 9449 §4.3"}, Fault: fault.DPoPIatUnchecked,
		Quote:  "RFC 9449 §11.1: To limit this, servers MUST only accept DPoP proofs for a limited time after their creation (preferably only for a relatively brief period on the order of seconds or minutes).",
		Threat: "RFC 9449 §11.1 DPoP proof replay: an old captured proof keeps working", Severity: verdict.Medium,
	})

	DPoPJtiReplay = register(Check{
		ID: "DP-10", Title: "the same DPoP proof (same jti) is refused the second time",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 9449 §11.1"}, Fault: fault.DPoPJtiReplayAccepted,
		Quote: "RFC 9449 §11.1: In the context of the target URI, servers can store the jti value of each DPoP proof for the time window in which the respective DPoP proof JWT would be accepted to prevent multiple uses of the same DPoP proof.",
		Binds: BindsPractice, Why: "No key word requires single use: §11.1 describes it as the strong protection against proof replay, where the server can keep the state; a server without it accepts a captured proof again within its time window.",
		Threat: "RFC 9449 §11.1 DPoP proof replay: a captured proof is replayed within its time window", Severity: verdict.Medium,
	})

	DPoPPrivateJWKRefused = register(Check{
		ID: "DP-11", Title: "a DPoP proof whose jwk header contains the private key is refused",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §4.3"}, Fault: fault.DPoPPrivateJWKAccepted,
		Quote:  dpopChecks + "7. The jwk JOSE Header Parameter does not contain a private key.",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a client that leaks its key in every proof is not told, and its proofs can be made by anyone who sees one", Severity: verdict.Low,
	})

	DPoPProofError = register(Check{
		ID: "DP-12", Title: "an invalid DPoP proof at the token endpoint is answered invalid_dpop_proof",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 9449 §5"}, Fault: fault.DPoPProofWrongError,
		Quote: "RFC 9449 §5: If the DPoP proof is invalid, the authorization server issues an error response per Section 5.2 of [RFC6749] with invalid_dpop_proof as the value of the error parameter.",
		Binds: BindsPractice, Why: "The sentence states the error without a key word (the refusal itself is DP-03); a client told invalid_dpop_proof knows to fix its proof, not its grant.",
		Threat: "none: interoperability, a client cannot tell a bad proof from a bad grant", Severity: verdict.Low,
	})

	DPoPResourceOtherKey = register(Check{
		ID: "DP-13", Title: "the resource refuses a DPoP-bound token with a valid proof of another key",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §7.1", "RFC 9449 §4.3"}, Fault: fault.DPoPResourceKeyUnchecked,
		Quote:  "RFC 9449 §7.1: For such an access token, a resource server MUST check that a DPoP proof was also received in the DPoP header field of the HTTP request, check the DPoP proof according to the rules in Section 4.3, and check that the public key of the DPoP proof matches the public key to which the access token is bound per Section 6.",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a stolen bound token works with the thief's own key", Severity: verdict.High,
	})

	DPoPBearerDowngrade = register(Check{
		ID: "DP-14", Title: "the resource refuses a DPoP-bound token sent as a Bearer token",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §7.2"}, Fault: fault.DPoPBearerDowngrade,
		Quote:  "RFC 9449 §7.2: Specifically, such a protected resource MUST reject a DPoP-bound access token received as a bearer token per [RFC6750].",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a stolen bound token works without any proof", Severity: verdict.High,
	})

	DPoPAthMissing = register(Check{
		ID: "DP-15", Title: "the resource refuses a DPoP proof without ath for the access token",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §4.3", "RFC 9449 §7"}, Fault: fault.DPoPAthOptional,
		Quote:  dpopChecks + "3. All required claims per Section 4.2 are contained in the JWT.",
		Threat: "RFC 9449 §11.2 DPoP proof pre-generation: a proof not tied to a token serves with any token of the key", Severity: verdict.Medium,
	})

	DPoPAthWrong = register(Check{
		ID: "DP-16", Title: "the resource refuses a DPoP proof whose ath is the hash of another token",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §4.3", "RFC 9449 §7"}, Fault: fault.DPoPAthUnchecked,
		Quote:  dpopChecks + "12. If presented to a protected resource in conjunction with an access token, … ensure that the value of the ath claim equals the hash of that access token",
		Threat: "RFC 9449 §7 token swapping: a proof captured with one token is replayed with another", Severity: verdict.Medium,
	})

	DPoPChallenge = register(Check{
		ID: "DP-17", Title: "the resource answers a refused DPoP request with a WWW-Authenticate: DPoP challenge naming its algs",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 9449 §7.1"}, Fault: fault.DPoPNoChallenge,
		Quote:  "RFC 9449 §7.1: An algs parameter SHOULD be included to signal to the client the JWS algorithms that are acceptable for the DPoP proof JWT.",
		Threat: "none: interoperability, a client is not told how to authenticate", Severity: verdict.None,
	})

	DPoPRefreshBound = register(Check{
		ID: "DP-18", Title: "a public client's refresh token obtained with DPoP cannot be refreshed with another key",
		Area: "dpop", Flows: []Flow{FlowRefresh, FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9449 §5"}, Fault: fault.DPoPRefreshNotBound,
		Quote:  "RFC 9449 §5: When an authorization server supporting DPoP issues a refresh token to a public client that presents a valid DPoP proof at the token endpoint, the refresh token MUST be bound to the respective public key.",
		Threat: "RFC 9700 §4.14 refresh token protection: a stolen refresh token of a public client keeps minting tokens for the thief", Severity: verdict.High,
	})

	DPoPNonceHonoured = register(Check{
		ID: "DP-19", Title: "where the server demands DPoP nonces (use_dpop_nonce), at the token endpoint or the resource, a proof with a nonce it never gave is refused",
		Area: "dpop", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9449 §4.3", "RFC 9449 §8", "RFC 9449 §9"}, Fault: fault.DPoPNonceUnchecked,
		Quote:  dpopChecks + "10. If the server provided a nonce value to the client, the nonce claim matches the server-provided nonce value.",
		Threat: "RFC 9449 §11.2 DPoP proof pre-generation: proofs made in advance keep working", Severity: verdict.Medium,
	})

	DPoPJktBinding = register(Check{
		ID: "DP-20", Title: "a code requested with dpop_jkt is not redeemed with a proof of another key",
		Area: "dpop", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9449 §10"}, Fault: fault.DPoPJktIgnored,
		Quote:  "RFC 9449 §10: When a token request is received, the authorization server computes the JWK Thumbprint of the proof-of-possession public key in the DPoP proof and verifies that it matches the dpop_jkt parameter value in the authorization request. If they do not match, it MUST reject the request.",
		Threat: "RFC 9700 §4.5 authorization code injection: a stolen code is redeemed, and its tokens bound, to the attacker's key", Severity: verdict.High,
	})
)
