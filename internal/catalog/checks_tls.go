package catalog

// TLS: what the target's connections are made of. Every check is skipped,
// with the reason, for a target served over plain http.

var (
	// TLSLegacyVersionsRefused: RFC 8996 §2 "TLS 1.0 MUST NOT be used", §3
	// the same for TLS 1.1 ("Negotiation of TLS 1.1 from any version of TLS
	// MUST NOT be permitted"); RFC 9325 §3.1.1.
	TLSLegacyVersionsRefused = check("TLS-01", "TLS 1.0 and TLS 1.1 handshakes are refused",
		"tls", FlowDiscovery, Must, "tls_accepts_tls10", "RFC 8996 §2", "RFC 8996 §3", "RFC 9325 §3.1.1")
	// TLS13Supported: RFC 9325 §3.1.1 "Implementations SHOULD support TLS 1.3".
	TLS13Supported = check("TLS-02", "TLS 1.3 is supported",
		"tls", FlowDiscovery, Should, "tls_no_tls13", "RFC 9325 §3.1.1")
	// TLSCertificateValid: RFC 6749 §10.9 "The client MUST validate the
	// authorization server's TLS certificate as defined by [RFC6125]";
	// RFC 6125 §6 verifies the host name against the certificate's
	// subjectAltName. Judged strictly, whatever the run's own TLS settings.
	TLSCertificateValid = check("TLS-03", "the certificate chains to a trusted root and is valid for the host name and now",
		"tls", FlowDiscovery, Must, "tls_cert_wrong_host", "RFC 6749 §10.9", "RFC 6125 §6")
	// PlainHTTPRefused: RFC 6749 §3.1 "The authorization server MUST require
	// the use of TLS ... when sending requests to the authorization
	// endpoint", §3.2 the same for the token endpoint.
	PlainHTTPRefused = check("TLS-04", "the authorization and token endpoints answer no OAuth request over plain http",
		"tls", FlowDiscovery, Must, "plain_http_served", "RFC 6749 §3.1", "RFC 6749 §3.2", "RFC 6749 §10.9")

	// MetadataEndpointsHTTPS: the endpoints of an https issuer require TLS
	// (RFC 6749 §3.1, §3.2); RFC 8414 §2 jwks_uri "This URL MUST use the
	// https scheme". An http:// endpoint in the metadata sends clients
	// there without TLS.
	MetadataEndpointsHTTPS = check("DSC-08", "every endpoint URL in the metadata of an https issuer is https",
		"discovery", FlowDiscovery, Must, "metadata_http_endpoint", "RFC 8414 §2", "RFC 6749 §3.1", "RFC 6749 §3.2")
)
