package catalog

// The OpenID Connect hybrid flow's code id_token (OIDC Core §3.3): a code
// and an ID Token from the authorization endpoint, no access token. Run as
// the shared login's user when the provider advertises the response type,
// skipped otherwise. The checks of suites/hybrid.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// HybridCHash: OIDC Core §3.3.2.11, c_hash is REQUIRED in an ID Token
	// issued with a code from the authorization endpoint; its value is
	// the left half of the hash of the code (§3.3.2.11, as at_hash).
	HybridCHash = register(Check{
		ID: "TF-21", Title: "a code id_token response's id_token carries the c_hash of its code",
		Area: "token format", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §3.3.2.11", "OIDC Core §3.3.2.10"}, Fault: fault.IDTokenNoCHash,
		Quote:  "OIDC Core §3.3.2.11: c_hash Code hash value. … If the ID Token is issued from the Authorization Endpoint with a code, which is the case for the response_type values code id_token and code id_token token, this is REQUIRED …",
		Threat: "RFC 9700 §4.5 authorization code injection: a code swapped into the response is not bound to the ID Token", Severity: verdict.High,
		OIDF: []string{"oidcc-server@hybrid"},
	})

	// HybridNonceRequired: OIDC Core §3.3.2.11, nonce is REQUIRED in the
	// hybrid flow; the server verifies the REQUIRED parameters (§3.1.2.2,
	// which §3.3.2.2 applies), so a request without one gets no ID Token.
	HybridNonceRequired = register(Check{
		ID: "HY-01", Title: "a code id_token request without nonce is refused",
		Area: "hybrid", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §3.3.2.11", "OIDC Core §3.3.2.2", "OIDC Core §3.1.2.2"}, Fault: fault.HybridNonceOptional,
		Quote:  "OIDC Core §3.1.2.2: The Authorization Server MUST verify that all the REQUIRED parameters are present and their usage conforms to this specification.",
		Threat: "ID Token replay and injection (OIDC Core §15.5.2): a token from another flow accepted by the client", Severity: verdict.High,
		OIDF: []string{"oidcc-ensure-request-without-nonce-fails@hybrid"},
	})
	// HybridIDTokenNonce: OIDC Core §2, the nonce of the request is in
	// the ID Token the authorization endpoint returns (§3.3.2.11), the
	// RP's defence against a replayed front-channel ID Token.
	HybridIDTokenNonce = register(Check{
		ID: "HY-02", Title: "a code id_token response's id_token carries the nonce the request sent",
		Area: "hybrid", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §2", "OIDC Core §3.3.2.11"}, Fault: fault.HybridIDTokenNonceDropped,
		Quote:  "OIDC Core §2: If present in the Authentication Request, Authorization Servers MUST include a nonce Claim in the ID Token with the Claim Value being the nonce value sent in the Authentication Request.",
		Threat: "ID Token replay and injection (OIDC Core §15.5.2): a token from another flow accepted by the client", Severity: verdict.High,
		OIDF: []string{"oidcc-server@hybrid"},
	})
)
