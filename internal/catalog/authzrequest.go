package catalog

// The authorization request and its error responses (RFC 6749 §3.1,
// §3.1.1, §4.1.2.1; RFC 9700 §4.12).
// The checks of suites/authzrequest.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// LongStateEchoed: RFC 6749 §4.1.2 "the exact value received", for a
	// 1,500-character state: echoed whole or refused with an error, never cut.
	LongStateEchoed = register(Check{
		ID: "AE-04", Title: "a long state (1,500 characters) is echoed exactly or refused, never truncated",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2"}, Fault: fault.StateTruncated,
		Quote:  "RFC 6749 §4.1.2: state REQUIRED if the \"state\" parameter was present in the client authorization request. The exact value received from the client.",
		Threat: "RFC 9700 §4.7 cross-site request forgery: the client binds a response to its request by state (a cut state no longer matches, so the client must reject the response)", Severity: verdict.Low,
	})

	// IssuerAdvertised: RFC 9700 §4.4.2 recommends the RFC 9207 iss parameter
	// against mix-up; RFC 9207 §3 advertises it in metadata.
	IssuerAdvertised = register(Check{
		ID: "AE-05", Title: "the metadata advertises authorization_response_iss_parameter_supported",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 9207 §3", "RFC 9700 §4.4.2", "RFC 9207 §2.4"}, Fault: fault.IssNotAdvertised,
		Quote: "RFC 9207 §2.4: Clients SHOULD discard authorization responses with the iss parameter from authorization servers that do not indicate their support for the parameter.",
		Binds: BindsClient, Why: "A conforming client discards responses carrying iss from a server that does not advertise it, and can reject responses lacking iss only from one that does: the advertisement is what lets clients use the mix-up defence.",
		Threat: "RFC 9700 §4.4 mix-up attacks: a client sends a code to the wrong server", Severity: verdict.Low,
	})

	// MissingResponseTypeRefused: RFC 6749 §3.1.1 response_type is REQUIRED;
	// §4.1.2.1 invalid_request for a missing required parameter.
	MissingResponseTypeRefused = register(Check{
		ID: "AE-06", Title: "a request without response_type gets an error and no code",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1.1", "RFC 6749 §4.1.2.1"}, Fault: fault.ResponseTypeLenient,
		Quote:  "RFC 6749 §3.1.1: If an authorization request is missing the \"response_type\" parameter, or if the response type is not understood, the authorization server MUST return an error response as described in Section 4.1.2.1.",
		Threat: "none: a request the server did not understand must not yield a code", Severity: verdict.Low,
		OIDF: []string{"oidcc-response-type-missing"},
	})

	// UnknownResponseTypeRefused: RFC 6749 §4.1.2.1 unsupported_response_type.
	UnknownResponseTypeRefused = register(Check{
		ID: "AE-07", Title: "an unknown response_type gets an error and no code",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1.1", "RFC 6749 §4.1.2.1"}, Fault: fault.ResponseTypeLenient,
		Quote:  "RFC 6749 §3.1.1: If an authorization request is missing the \"response_type\" parameter, or if the response type is not understood, the authorization server MUST return an error response as described in Section 4.1.2.1.",
		Threat: "none: a request the server did not understand must not yield a code", Severity: verdict.Low,
	})

	// UnknownResponseTypeError: RFC 6749 §4.1.2.1, the refusal of an unknown
	// response_type (AE-07) carries unsupported_response_type.
	UnknownResponseTypeError = register(Check{
		ID: "AE-17", Title: "an unknown response_type is refused with unsupported_response_type",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2.1"}, Fault: fault.UnknownResponseTypeWrongError,
		Quote:  "RFC 6749 §4.1.2.1: error REQUIRED. A single ASCII [USASCII] error code from the following: … unsupported_response_type The authorization server does not support obtaining an authorization code using this method.",
		Threat: "none: interoperability, the request is refused, but a client cannot tell why (a refusal with another code is no security flaw)", Severity: verdict.Low,
	})

	// UnknownParameterIgnored: RFC 6749 §3.1 "The authorization server MUST
	// ignore unrecognized request parameters."
	UnknownParameterIgnored = register(Check{
		ID: "AE-08", Title: "an unknown authorization request parameter is ignored",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1"}, Fault: fault.UnknownParamRejected,
		Quote:  "RFC 6749 §3.1: The authorization server MUST ignore unrecognized request parameters.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
		OIDF: []string{"oidcc-ensure-request-with-unknown-parameter-succeeds"},
	})

	// DuplicateParameterRefused: RFC 6749 §3.1 "Request and response
	// parameters MUST NOT be included more than once"; §4.1.2.1 invalid_request.
	DuplicateParameterRefused = register(Check{
		ID: "AE-09", Title: "a duplicated authorization request parameter gets an error and no code",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §3.1", "RFC 6749 §4.1.2.1"}, Fault: fault.DuplicateParamsAccepted,
		Quote: "RFC 6749 §3.1: Request and response parameters MUST NOT be included more than once.",
		Binds: BindsClient, Why: "The sentence binds the client that builds the request; a server that refuses a repeated parameter leaves no doubt about which copy (of redirect_uri, say) it validated and which it used.",
		Threat: "parameter pollution: components that read different copies of a repeated parameter", Severity: verdict.Low,
	})

	// NoCodeInErrorResponse: an error response carries error, description,
	// uri, state (RFC 6749 §4.1.2.1) — a code beside an error confuses clients.
	NoCodeInErrorResponse = register(Check{
		ID: "AE-10", Title: "an error response carries no code",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2.1"}, Fault: fault.CodeInErrorResponse,
		Quote:  "RFC 6749 §4.1.2.1: If the resource owner denies the access request or if the request fails for reasons other than a missing or invalid redirection URI, the authorization server informs the client by adding the following parameters to the query component of the redirection URI … error REQUIRED.",
		Threat: "none: a client that reads code before error redeems a code from a refused request", Severity: verdict.Low,
	})

	// ConsentDeniedIsAccessDenied: RFC 6749 §4.1.2.1 access_denied "The
	// resource owner or authorization server denied the request."
	ConsentDeniedIsAccessDenied = register(Check{
		ID: "AE-11", Title: "a user who denies consent is sent back with access_denied",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2.1"}, Fault: fault.DenyWrongError,
		Quote:  "RFC 6749 §4.1.2.1: error REQUIRED. A single ASCII [USASCII] error code from the following: … access_denied The resource owner or authorization server denied the request.",
		Threat: "none: interoperability, a conforming client fails against the server (it cannot tell a refusal from a failure)", Severity: verdict.Low,
	})

	// ErrorResponseStateEchoed: RFC 6749 §4.1.2.1, state is REQUIRED in an
	// error response when it was in the request.
	ErrorResponseStateEchoed = register(Check{
		ID: "AE-13", Title: "an error response echoes state exactly",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2.1"}, Fault: fault.ErrorStateDropped,
		Quote:  "RFC 6749 §4.1.2.1: state REQUIRED if a \"state\" parameter was present in the client authorization request. The exact value received from the client.",
		Threat: "RFC 9700 §4.7 cross-site request forgery: the client binds a response to its request by state", Severity: verdict.Low,
	})

	// ErrorCodeRegistered: RFC 6749 §4.1.2.1, error is one of the listed
	// ASCII codes (or registered per §11.4).
	ErrorCodeRegistered = register(Check{
		ID: "AE-14", Title: "an error response uses a registered error code",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2.1", "RFC 6749 §11.4"}, Fault: fault.ErrorCodeUnregistered,
		Quote:  "RFC 6749 §4.1.2.1: error REQUIRED. A single ASCII [USASCII] error code from the following:",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})
)
