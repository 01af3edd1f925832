package catalog

// Request objects (RFC 9101, OpenID Connect Core §6): the authorization
// request as a JWT the client signs, by value (request) or by reference
// (request_uri).
// The checks of suites/requestobject.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

const threatTampering = "authorization request tampering: parameters the client never signed taken as its own"

var (
	// RequestObjectWorks: the positive control of the JAR checks, and the
	// metadata's promise (request_parameter_supported): a request object
	// signed with the client's registered key, the redirect URI inside it
	// only, completes and its code redeems.
	RequestObjectWorks = register(Check{
		ID: "JAR-01", Title: "a signed request object (redirect_uri inside it only) completes the authorization and its code redeems",
		Area: "request objects", Flows: []Flow{FlowAuthorizationCode}, Level: May,
		Spec: []string{"OIDC Discovery §3", "RFC 9101 §5.1", "OIDC Core §6.1"}, Fault: fault.JARRequestObjectIgnored,
		Quote:  "OIDC Discovery §3: request_parameter_supported OPTIONAL. Boolean value specifying whether the OP supports use of the request parameter, with true indicating support.",
		Threat: "none: interoperability, a conforming client fails against the server (an advertised feature that does not work)", Severity: verdict.None,
		OIDF: []string{"oidcc-ensure-request-object-with-redirect-uri"},
	})

	// RequestObjectSignatureChecked: a request object signed with a key
	// the client never registered (same kid) must be refused.
	RequestObjectSignatureChecked = register(Check{
		ID: "JAR-02", Title: "a request object signed with a key not registered for the client is refused",
		Area: "request objects", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9101 §6.2"}, Fault: fault.JARSignatureUnchecked,
		Quote:  "RFC 9101 §6.2: The authorization server MUST validate the signature of the JWS-signed [RFC7515] Request Object.",
		Threat: threatTampering + " (anyone signs a request in the client's name)", Severity: verdict.High,
	})

	// RequestObjectUnsignedHandled: an unsigned request object (alg
	// none) is refused when the metadata does not list none among the
	// request object algorithms, and used as a signed one is when it does
	// — the OIDF suite's "supported correctly or rejected as unsupported".
	// No key word binds the server to refuse; a request it accepts
	// unsigned carries nothing the client vouched for.
	RequestObjectUnsignedHandled = register(Check{
		ID: "JAR-03", Title: "an unsigned request object (alg none) is refused unless the metadata lists none, and then used correctly",
		Area: "request objects", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Discovery §3", "OIDC Core §6.1", "RFC 9101 §10.5"}, Fault: fault.JARAlgNoneAccepted,
		Quote: "OIDC Discovery §3: request_object_signing_alg_values_supported OPTIONAL. JSON array containing a list of the JWS signing algorithms (alg values) supported by the OP for Request Objects, which are described in Section 6.1 of OpenID Connect Core 1.0 [OpenID.Core].",
		Binds: BindsPractice, Why: "The list is the server's word on what it accepts; an unsigned request object it accepts without listing none is a request anyone could have written, which a relying party choosing request objects for their integrity does not expect.",
		Threat: threatTampering, Severity: verdict.Medium,
		OIDF: []string{"oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported",
			"oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported", "oidcc-request-uri-unsigned"},
	})

	// RequestObjectOutsideParamsIgnored: RFC 9101 §6.3; the probe sends
	// another state beside the request object.
	RequestObjectOutsideParamsIgnored = register(Check{
		ID: "JAR-04", Title: "parameters sent beside a request object do not replace its own",
		Area: "request objects", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9101 §6.3"}, Fault: fault.JAROutsideParamsUsed,
		Quote:  "RFC 9101 §6.3: The authorization server MUST only use the parameters in the Request Object, even if the same parameter is provided in the query parameter.",
		Threat: threatTampering + " (beside the signed request)", Severity: verdict.High,
	})

	// RequestObjectClientIDMatched: RFC 9101 §6.3; the object names
	// another client, the request this one (signed with this one's key).
	RequestObjectClientIDMatched = register(Check{
		ID: "JAR-05", Title: "a request object whose client_id differs from the client_id parameter is refused",
		Area: "request objects", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9101 §6.3"}, Fault: fault.JARClientIDMismatchAccepted,
		Quote:  "RFC 9101 §6.3: The client ID values in the client_id request parameter and in the Request Object client_id claim MUST be identical.",
		Threat: "confused deputy: a request object made for one client used for another", Severity: verdict.Medium,
	})

	// RequestObjectByReference: request_uri_parameter_supported (OPTIONAL)
	// — the harness serves the object from a loopback listener, which a
	// provider on another host cannot reach (then: information).
	RequestObjectByReference = register(Check{
		ID: "JAR-06", Title: "a signed request object passed by reference (request_uri) completes the authorization",
		Area: "request objects", Flows: []Flow{FlowAuthorizationCode}, Level: May,
		Spec: []string{"OIDC Discovery §3", "RFC 9101 §5.2", "OIDC Core §6.2"}, Fault: fault.JARRequestURIIgnored,
		Quote:  "OIDC Discovery §3: request_uri_parameter_supported OPTIONAL. Boolean value specifying whether the OP supports use of the request_uri parameter, with true indicating support.",
		Threat: "none: interoperability, a conforming client fails against the server (an advertised feature that does not work)", Severity: verdict.None,
		OIDF: []string{"oidcc-request-uri-signed-rs256"},
	})

	// RequestObjectAudienceChecked: RFC 7519 §4.1.3, the object's aud
	// names another server.
	RequestObjectAudienceChecked = register(Check{
		ID: "JAR-07", Title: "a request object whose aud is another server is refused",
		Area: "request objects", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 7519 §4.1.3", "RFC 9101 §4"}, Fault: fault.JARAudUnchecked,
		Quote:  "RFC 7519 §4.1.3: If the principal processing the claim does not identify itself with a value in the \"aud\" claim when this claim is present, then the JWT MUST be rejected.",
		Threat: "request replay: a request object made for another server accepted here", Severity: verdict.Medium,
	})

	// RequestObjectExpiryChecked: RFC 7519 §4.1.4, exp ten minutes past.
	RequestObjectExpiryChecked = register(Check{
		ID: "JAR-08", Title: "an expired request object is refused",
		Area: "request objects", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 7519 §4.1.4"}, Fault: fault.JARExpUnchecked,
		Quote:  "RFC 7519 §4.1.4: The \"exp\" (expiration time) claim identifies the expiration time on or after which the JWT MUST NOT be accepted for processing.",
		Threat: "request replay: a captured request object used after it expired", Severity: verdict.Medium,
	})
)
