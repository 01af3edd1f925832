package catalog

// OpenID Connect Discovery 1.0: the OpenID Provider configuration at the
// issuer's /.well-known/openid-configuration (§4), read as the RP reads it,
// whatever RFC 8414 document the other discovery checks were given.
// Skipped for a provider that publishes none.
// The checks of suites/oidcdiscovery.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// OpenIDConfigRequired: OIDC Discovery §3, the REQUIRED members of an
	// OpenID Provider configuration.
	OpenIDConfigRequired = register(Check{
		ID: "DSC-11", Title: "the OpenID Provider configuration has its required members (issuer, endpoints, jwks_uri, response, subject and ID Token algorithm types)",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"OIDC Discovery §3"}, Fault: fault.MetadataNoSubjectTypes,
		Quote:  "OIDC Discovery §3: subject_types_supported REQUIRED. JSON array containing a list of the Subject Identifier types that this OP supports.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
		OIDF: []string{"oidcc-discovery-endpoint-verification"},
	})

	// OpenIDConfigJWKS: OIDC Discovery §3 jwks_uri REQUIRED, the JWK Set
	// (RFC 7517 §5) the RP validates signatures with.
	OpenIDConfigJWKS = register(Check{
		ID: "DSC-12", Title: "jwks_uri answers a JWK Set",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"OIDC Discovery §3", "RFC 7517 §5"}, Fault: fault.JWKSNotAKeySet,
		Quote:  "OIDC Discovery §3: jwks_uri REQUIRED. URL of the OP's JSON Web Key Set [JWK] document.",
		Threat: "forged ID Tokens: a client cannot verify the provider's signatures", Severity: verdict.Low,
		OIDF: []string{"oidcc-discovery-endpoint-verification"},
	})

	// OpenIDConfigScopes: OIDC Discovery §3, scopes_supported (when
	// present) lists the scopes of OpenID Connect Core the OP supports,
	// openid first of all.
	OpenIDConfigScopes = register(Check{
		ID: "DSC-13", Title: "scopes_supported, when present, contains openid",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Should,
		Spec: []string{"OIDC Discovery §3"}, Fault: fault.MetadataScopesWithoutOpenID,
		Quote:  "OIDC Discovery §3: scopes_supported … those defined in [OpenID.Core] SHOULD be listed, if supported.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
		OIDF: []string{"oidcc-discovery-endpoint-verification"},
	})

	// OpenIDConfigUserinfo: OIDC Discovery §3, userinfo_endpoint RECOMMENDED.
	OpenIDConfigUserinfo = register(Check{
		ID: "DSC-14", Title: "the OpenID Provider configuration advertises userinfo_endpoint",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Should,
		Spec: []string{"OIDC Discovery §3", "OIDC Core §5.3"}, Fault: fault.MetadataNoUserinfoEndpoint,
		Quote:  "OIDC Discovery §3: userinfo_endpoint RECOMMENDED. URL of the OP's UserInfo Endpoint [OpenID.Core].",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
		OIDF: []string{"oidcc-discovery-endpoint-verification"},
	})

	// OpenIDConfigIssuer: OIDC Discovery §4.3, the configuration's issuer
	// is the URL it was fetched with, less the well-known suffix.
	OpenIDConfigIssuer = register(Check{
		ID: "DSC-15", Title: "the OpenID Provider configuration's issuer is the issuer its URL was made from",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"OIDC Discovery §4.3", "OIDC Discovery §4"}, Fault: fault.OpenIDConfigurationIssuerMismatch,
		Quote:  "OIDC Discovery §4.3: The issuer value returned MUST be identical to the Issuer URL that was used as the prefix to /.well-known/openid-configuration to retrieve the configuration information.",
		Threat: "RFC 9700 §4.4 mix-up attacks: a client sends a code to the wrong server", Severity: verdict.High,
		OIDF: []string{"oidcc-discovery-endpoint-verification"},
	})
	// JWKSKeyUse: RFC 8414 §2 and OIDC Discovery §3 jwks_uri, a JWK Set
	// that holds encryption keys beside signing keys labels every key
	// with use.
	JWKSKeyUse = register(Check{
		ID: "DSC-16", Title: "a JWKS with encryption keys gives every key its use",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 8414 §2", "OIDC Discovery §3", "RFC 7517 §4.2"}, Fault: fault.JWKSEncKeyWithoutUse,
		Quote:  "OIDC Discovery §3: jwks_uri … When both signing and encryption keys are made available, a use (Key Use) parameter value is REQUIRED for all keys in the referenced JWK Set to indicate each key's intended usage.",
		Threat: "forged ID Tokens: a client that picks a key by kty alone verifies with the encryption key, or encrypts to the signing key", Severity: verdict.Low,
		OIDF: []string{"oidcc-discovery-endpoint-verification"},
	})
)
