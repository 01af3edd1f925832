package catalog

// The authorization request and its error responses (RFC 6749 §3.1,
// §3.1.1, §4.1.2.1; RFC 9700 §4.12).
// The checks of suites/authzrequest.go.

import "github.com/oauthconform/oauthconform/mockserver/fault"

var (
	// LongStateEchoed: RFC 6749 §4.1.2 "the exact value received", for a
	// 1,500-character state: echoed whole or refused with an error, never cut.
	LongStateEchoed = register(Check{
		ID: "AE-04", Title: "a long state (1,500 characters) is echoed exactly or refused, never truncated",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2"}, Fault: fault.StateTruncated,
	})

	// IssuerAdvertised: RFC 9700 §4.4.2 recommends the RFC 9207 iss parameter
	// against mix-up; RFC 9207 §3 advertises it in metadata.
	IssuerAdvertised = register(Check{
		ID: "AE-05", Title: "the metadata advertises authorization_response_iss_parameter_supported",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 9207 §3", "RFC 9700 §4.4.2"}, Fault: fault.IssNotAdvertised,
	})

	// MissingResponseTypeRefused: RFC 6749 §3.1.1 response_type is REQUIRED;
	// §4.1.2.1 invalid_request for a missing required parameter.
	MissingResponseTypeRefused = register(Check{
		ID: "AE-06", Title: "a request without response_type gets an error and no code",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1.1", "RFC 6749 §4.1.2.1"}, Fault: fault.ResponseTypeLenient,
	})

	// UnknownResponseTypeRefused: RFC 6749 §4.1.2.1 unsupported_response_type.
	UnknownResponseTypeRefused = register(Check{
		ID: "AE-07", Title: "an unknown response_type gets an error and no code",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1.1", "RFC 6749 §4.1.2.1"}, Fault: fault.ResponseTypeLenient,
	})

	// UnknownParameterIgnored: RFC 6749 §3.1 "The authorization server MUST
	// ignore unrecognized request parameters."
	UnknownParameterIgnored = register(Check{
		ID: "AE-08", Title: "an unknown authorization request parameter is ignored",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1"}, Fault: fault.UnknownParamRejected,
	})

	// DuplicateParameterRefused: RFC 6749 §3.1 "Request and response
	// parameters MUST NOT be included more than once"; §4.1.2.1 invalid_request.
	DuplicateParameterRefused = register(Check{
		ID: "AE-09", Title: "a duplicated authorization request parameter gets an error and no code",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.1", "RFC 6749 §4.1.2.1"}, Fault: fault.DuplicateParamsAccepted,
	})

	// NoCodeInErrorResponse: an error response carries error, description,
	// uri, state (RFC 6749 §4.1.2.1) — a code beside an error confuses clients.
	NoCodeInErrorResponse = register(Check{
		ID: "AE-10", Title: "an error response carries no code",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2.1"}, Fault: fault.CodeInErrorResponse,
	})

	// ConsentDeniedIsAccessDenied: RFC 6749 §4.1.2.1 access_denied "The
	// resource owner or authorization server denied the request."
	ConsentDeniedIsAccessDenied = register(Check{
		ID: "AE-11", Title: "a user who denies consent is sent back with access_denied",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2.1"}, Fault: fault.DenyWrongError,
	})

	// ErrorResponseStateEchoed: RFC 6749 §4.1.2.1, state is REQUIRED in an
	// error response when it was in the request.
	ErrorResponseStateEchoed = register(Check{
		ID: "AE-13", Title: "an error response echoes state exactly",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2.1"}, Fault: fault.ErrorStateDropped,
	})

	// ErrorCodeRegistered: RFC 6749 §4.1.2.1, error is one of the listed
	// ASCII codes (or registered per §11.4).
	ErrorCodeRegistered = register(Check{
		ID: "AE-14", Title: "an error response uses a registered error code",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2.1", "RFC 6749 §11.4"}, Fault: fault.ErrorCodeUnregistered,
	})
)
