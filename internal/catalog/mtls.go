package catalog

// Mutual TLS (RFC 8705): client authentication by certificate and
// certificate-bound access tokens. The checks of suites/mtls.go. They run
// against a provider that advertises the methods (and, for the binding,
// tls_client_certificate_bound_access_tokens), with the profile's mtls and
// mtls_self_signed clients; requests go to mtls_endpoint_aliases when the
// metadata names them.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// mtlsBinding is RFC 8705 §2's duty of the server for both methods.
const mtlsBinding = "RFC 8705 §2: The authorization server MUST enforce the binding between client and certificate, as described in either Section 2.1 or 2.2 below."

// mtlsResource is RFC 8705 §3's duty of the protected resource.
const mtlsResource = "RFC 8705 §3: The protected resource MUST obtain, from its TLS implementation layer, the client certificate used for mutual TLS and MUST verify that the certificate matches the certificate associated with the access token."

var (
	MTLSCertRequired = register(Check{
		ID: "MTLS-01", Title: "a tls_client_auth client that presents no certificate is not authenticated",
		Area: "mtls", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 8705 §2"}, Fault: fault.MTLSNoCertAccepted,
		Quote:  mtlsBinding,
		Threat: "RFC 6819 §4.4.1.4 client impersonation: the client_id alone stands for the client", Severity: verdict.Critical,
	})

	MTLSChainValidated = register(Check{
		ID: "MTLS-02", Title: "a self-signed certificate naming a tls_client_auth client's subject does not authenticate it",
		Area: "mtls", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 8705 §2", "RFC 8705 §2.1"}, Fault: fault.MTLSChainUnchecked,
		Quote:  mtlsBinding,
		Threat: "RFC 6819 §4.4.1.4 client impersonation: anyone mints a certificate with the client's subject", Severity: verdict.Critical,
	})

	MTLSSelfSignedRegistered = register(Check{
		ID: "MTLS-03", Title: "a self_signed_tls_client_auth client is not authenticated by another self-signed certificate",
		Area: "mtls", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 8705 §2", "RFC 8705 §2.2"}, Fault: fault.MTLSSelfSignedUnchecked,
		Quote:  mtlsBinding,
		Threat: "RFC 6819 §4.4.1.4 client impersonation: any certificate stands for the client", Severity: verdict.Critical,
	})

	MTLSTokenBound = register(Check{
		ID: "MTLS-04", Title: "an access token obtained over mutual TLS carries cnf x5t#S256, the certificate's thumbprint (in the JWT or its introspection)",
		Area: "mtls", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 8705 §3.1", "RFC 8705 §3.2"}, Fault: fault.MTLSNoCnf,
		Quote:  `RFC 8705 §3.1: When access tokens are represented as JSON Web Tokens (JWT) [RFC7519], the certificate hash information SHOULD be represented using the "x5t#S256" confirmation method member defined herein.`,
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a resource that cannot see the binding accepts the token from anyone", Severity: verdict.Medium,
	})

	MTLSResourceNoCert = register(Check{
		ID: "MTLS-05", Title: "the resource refuses a certificate-bound token on a connection without a client certificate",
		Area: "mtls", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 8705 §3"}, Fault: fault.MTLSResourceNoCertAccepted,
		Quote:  mtlsResource,
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a stolen bound token works as a bearer token", Severity: verdict.High,
	})

	MTLSResourceOtherCert = register(Check{
		ID: "MTLS-06", Title: "the resource refuses a certificate-bound token presented with another client certificate",
		Area: "mtls", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 8705 §3"}, Fault: fault.MTLSResourceOtherCertAccepted,
		Quote:  mtlsResource,
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a stolen bound token works with the thief's own certificate", Severity: verdict.High,
	})
)
