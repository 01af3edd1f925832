package catalog

// Authorization server metadata (RFC 8414) and the JWKS (RFC 7517).
// The checks of suites/discovery.go.

import "github.com/oauthconform/oauthconform/mockserver/fault"

var (
	// MetadataIssuerIdentical: RFC 8414 §3.3 "The issuer value returned MUST be
	// identical to the authorization server's issuer identifier value".
	MetadataIssuerIdentical = register(Check{
		ID: "DSC-01", Title: "metadata issuer is identical to the configured issuer",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 8414 §3.3"}, Fault: fault.MetadataIssuerMismatch,
	})

	// MetadataIsJSON: RFC 8414 §3.2 "A successful response MUST use the 200
	// OK HTTP status code and return a JSON object using the application/json content type".
	MetadataIsJSON = register(Check{
		ID: "DSC-02", Title: "the metadata is served 200 with Content-Type application/json",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 8414 §3.2"}, Fault: fault.MetadataWrongContentType,
	})

	// MetadataRequiredFields: RFC 8414 §2 issuer, authorization_endpoint,
	// token_endpoint and response_types_supported are REQUIRED (the endpoints
	// unless no grant uses them).
	MetadataRequiredFields = register(Check{
		ID: "DSC-03", Title: "the metadata has issuer, authorization_endpoint, token_endpoint and response_types_supported",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 8414 §2"}, Fault: fault.MetadataMissingResponseTypes,
	})

	// MetadataPKCEMethods: RFC 9700 §2.1.1 "It is RECOMMENDED for
	// authorization servers to publish the element code_challenge_methods_supported".
	MetadataPKCEMethods = register(Check{
		ID: "DSC-04", Title: "the metadata lists S256 in code_challenge_methods_supported",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Should,
		Spec: []string{"RFC 9700 §2.1.1", "RFC 8414 §2"}, Fault: fault.MetadataNoPKCEMethods,
	})

	// JWKSKidsUnique: RFC 7517 §4.5, kid chooses among keys; RFC 9068 §4
	// picks the key by kid — so every key needs a distinct one.
	JWKSKidsUnique = register(Check{
		ID: "DSC-06", Title: "every JWKS key has a kid, and no two share one",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 7517 §4.5", "RFC 8414 §2"}, Fault: fault.JWKSDuplicateKid,
	})

	// PasswordGrantRefused: RFC 9700 §2.4 "The resource owner password
	// credentials grant MUST NOT be used."
	PasswordGrantRefused = register(Check{
		ID: "DSC-07", Title: "the password grant is neither advertised nor accepted",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 9700 §2.4"}, Fault: fault.PasswordGrantEnabled,
	})
)
