package catalog

// TLS: what the target's connections are made of. Every check is skipped,
// with the reason, for a target served over plain http.
// The checks of suites/tls.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// MetadataEndpointsHTTPS: the endpoints of an https issuer require TLS
	// (RFC 6749 §3.1, §3.2); RFC 8414 §2 jwks_uri "This URL MUST use the
	// https scheme". An http:// endpoint in the metadata sends clients
	// there without TLS.
	MetadataEndpointsHTTPS = register(Check{
		ID: "DSC-08", Title: "every endpoint URL in the metadata of an https issuer is https",
		Area: "discovery", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 8414 §2", "RFC 6749 §3.1", "RFC 6749 §3.2", "RFC 6749 §10.9"}, Fault: fault.MetadataHTTPEndpoint,
		Quote:  "RFC 6749 §10.9: In order to prevent man-in-the-middle attacks, the authorization server MUST require the use of TLS with server authentication as defined by [RFC2818] for any request sent to the authorization and token endpoints.",
		Threat: "RFC 6749 §10.9 man-in-the-middle: credentials and tokens read or altered in transit", Severity: verdict.High,
		OIDF: []string{"oidcc-discovery-endpoint-verification", "oidcc-rp-initiated-logout-discovery-endpoint-verification"},
	})

	// TLSLegacyVersionsRefused: RFC 8996 §2 "TLS 1.0 MUST NOT be used", §3
	// the same for TLS 1.1 ("Negotiation of TLS 1.1 from any version of TLS
	// MUST NOT be permitted"); RFC 9325 §3.1.1.
	TLSLegacyVersionsRefused = register(Check{
		ID: "TLS-01", Title: "TLS 1.0 and TLS 1.1 handshakes are refused",
		Area: "tls", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 8996 §2", "RFC 8996 §3", "RFC 9325 §3.1.1"}, Fault: fault.TLSAcceptsTLS10,
		Quote:  "RFC 8996 §2: TLS 1.0 MUST NOT be used.",
		Threat: "RFC 6749 §10.9 man-in-the-middle: credentials and tokens read or altered in transit (through obsolete protocol versions)", Severity: verdict.Medium,
	})

	// TLS13Supported: RFC 9325 §3.1.1 "Implementations SHOULD support TLS 1.3".
	TLS13Supported = register(Check{
		ID: "TLS-02", Title: "TLS 1.3 is supported",
		Area: "tls", Flows: []Flow{FlowDiscovery}, Level: Should,
		Spec: []string{"RFC 9325 §3.1.1"}, Fault: fault.TLSNoTLS13,
		Quote:  "RFC 9325 §3.1.1: Implementations SHOULD support TLS 1.3 [RFC8446] ….",
		Threat: "RFC 6749 §10.9 man-in-the-middle: credentials and tokens read or altered in transit", Severity: verdict.Low,
	})

	// TLSCertificateValid: RFC 6749 §10.9 "The client MUST validate the
	// authorization server's TLS certificate as defined by [RFC6125]";
	// RFC 6125 §6 verifies the host name against the certificate's
	// subjectAltName. Judged strictly, whatever the run's own TLS settings.
	TLSCertificateValid = register(Check{
		ID: "TLS-03", Title: "the certificate chains to a trusted root and is valid for the host name and now",
		Area: "tls", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 6749 §10.9", "RFC 6125 §6"}, Fault: fault.TLSCertWrongHost,
		Quote:  "RFC 6749 §10.9: In order to prevent man-in-the-middle attacks, the authorization server MUST require the use of TLS with server authentication as defined by [RFC2818] for any request sent to the authorization and token endpoints.",
		Threat: "RFC 6749 §10.9 man-in-the-middle: credentials and tokens read or altered in transit", Severity: verdict.Critical,
	})

	// PlainHTTPRefused: RFC 6749 §3.1 "The authorization server MUST require
	// the use of TLS ... when sending requests to the authorization
	// endpoint", §3.2 the same for the token endpoint.
	PlainHTTPRefused = register(Check{
		ID: "TLS-04", Title: "the authorization and token endpoints answer no OAuth request over plain http",
		Area: "tls", Flows: []Flow{FlowDiscovery}, Level: Must,
		Spec: []string{"RFC 6749 §3.1", "RFC 6749 §3.2", "RFC 6749 §10.9"}, Fault: fault.PlainHTTPServed,
		Quote:  "RFC 6749 §10.9: In order to prevent man-in-the-middle attacks, the authorization server MUST require the use of TLS with server authentication as defined by [RFC2818] for any request sent to the authorization and token endpoints.",
		Threat: "RFC 6749 §10.9 man-in-the-middle: credentials and tokens read or altered in transit", Severity: verdict.Critical,
	})
)
