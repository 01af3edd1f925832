package catalog

// Authorization server metadata (RFC 8414) and the JWKS (RFC 7517).
// The checks of suites/discovery.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// MetadataIssuerIdentical: RFC 8414 §3.3 "The issuer value returned MUST be
	// identical to the authorization server's issuer identifier value".
	MetadataIssuerIdentical = register(Check{
		ID: "DSC-01", Title: "metadata issuer is identical to the configured issuer",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 8414 §3.3"}, Fault: fault.MetadataIssuerMismatch,
		Quote:  "RFC 8414 §3.3: The \"issuer\" value returned MUST be identical to the authorization server's issuer identifier value into which the well-known URI string was inserted to create the URL used to retrieve the metadata.",
		Threat: "RFC 9700 §4.4 mix-up attacks: a client sends a code to the wrong server", Severity: verdict.High,
		OIDF: []string{"oidcc-discovery-endpoint-verification"},
	})

	// MetadataIsJSON: RFC 8414 §3.2 "A successful response MUST use the 200
	// OK HTTP status code and return a JSON object using the application/json content type".
	MetadataIsJSON = register(Check{
		ID: "DSC-02", Title: "the metadata is served 200 with Content-Type application/json",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 8414 §3.2"}, Fault: fault.MetadataWrongContentType,
		Quote:  "RFC 8414 §3.2: A successful response MUST use the 200 OK HTTP status code and return a JSON object using the \"application/json\" content type that contains a set of claims as its members that are a subset of the metadata values defined in Section 2.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// MetadataRequiredFields: RFC 8414 §2 issuer, authorization_endpoint,
	// token_endpoint and response_types_supported are REQUIRED (the endpoints
	// unless no grant uses them).
	MetadataRequiredFields = register(Check{
		ID: "DSC-03", Title: "the metadata has issuer, authorization_endpoint, token_endpoint and response_types_supported",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 8414 §2"}, Fault: fault.MetadataMissingResponseTypes,
		Quote:  "RFC 8414 §2: response_types_supported REQUIRED. JSON array containing a list of the OAuth 2.0 \"response_type\" values that this authorization server supports.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
		OIDF: []string{"oidcc-discovery-endpoint-verification"},
	})

	// MetadataPKCEMethods: RFC 9700 §2.1.1 "It is RECOMMENDED for
	// authorization servers to publish the element code_challenge_methods_supported".
	MetadataPKCEMethods = register(Check{
		ID: "DSC-04", Title: "the metadata lists S256 in code_challenge_methods_supported",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Should,
		Spec: []string{"RFC 9700 §2.1.1", "RFC 8414 §2"}, Fault: fault.MetadataNoPKCEMethods,
		Quote:  "RFC 9700 §2.1.1: It is RECOMMENDED for authorization servers to publish the element code_challenge_methods_supported in their Authorization Server Metadata [RFC8414] containing the supported PKCE challenge methods (which can be used by the client to detect PKCE support).",
		Threat: "RFC 9700 §4.8 PKCE downgrade: PKCE switched off for a code that had it (a client cannot tell that the server enforces PKCE)", Severity: verdict.Low,
	})

	// JWKSKidsUnique: RFC 7517 §4.5, kid is OPTIONAL, and keys that carry
	// one SHOULD carry distinct values (a token's kid must name one key).
	JWKSKidsUnique = register(Check{
		ID: "DSC-06", Title: "no two JWKS keys share a kid",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Should,
		Spec: []string{"RFC 7517 §4.5", "RFC 8414 §2"}, Fault: fault.JWKSDuplicateKid,
		Quote:  "RFC 7517 §4.5: When \"kid\" values are used within a JWK Set, different keys within the JWK Set SHOULD use distinct \"kid\" values.",
		Threat: "key confusion: a verifier picks the wrong key for a kid and rejects valid tokens or trusts the wrong key", Severity: verdict.Medium,
	})

	// PasswordGrantRefused: RFC 9700 §2.4 "The resource owner password
	// credentials grant MUST NOT be used."
	PasswordGrantRefused = register(Check{
		ID: "DSC-07", Title: "the password grant is neither advertised nor accepted",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 9700 §2.4"}, Fault: fault.PasswordGrantEnabled,
		Quote:  "RFC 9700 §2.4: The resource owner password credentials grant [RFC6749] MUST NOT be used.",
		Threat: "RFC 9700 §2.4 / RFC 6749 §10.7 the user's password handed to the client, no phishing-resistant or multi-factor login", Severity: verdict.Medium,
	})
)
