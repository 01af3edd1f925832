package catalog

// What happens when codes and tokens expire (RFC 6749 §4.1.2, §5.1; RFC
// 6750 §3.1; RFC 7662 §2.2).
// The checks of suites/expiry.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// BearerExpiredRefused: RFC 6749 §7, the resource server MUST ensure the
	// token has not expired: an expired token is refused (how it is
	// answered is BR-11).
	BearerExpiredRefused = register(Check{
		ID: "BR-08", Title: "an expired token is refused at the resource",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6750 §3.1", "RFC 9068 §4", "RFC 6749 §7"}, Fault: fault.ResourceAcceptsExpired,
		Quote:  "RFC 6749 §7: The resource server MUST validate the access token and ensure that it has not expired and that its scope covers the requested resource.",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a token keeps working after it should not", Severity: verdict.High,
	})

	// BearerExpiredInvalidToken: RFC 6750 §3.1, an expired token the resource
	// refused SHOULD be answered 401 with error="invalid_token" (BR-08 judges the refusal).
	BearerExpiredInvalidToken = register(Check{
		ID: "BR-11", Title: "an expired token is answered 401 with error=\"invalid_token\"",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 6750 §3.1"}, Fault: fault.ResourceInvalidTokenWrongError,
		Quote:  "RFC 6750 §3.1: invalid_token The access token provided is expired, revoked, malformed, or invalid for other reasons. The resource SHOULD respond with the HTTP 401 (Unauthorized) status code.",
		Threat: "none: interoperability, a conforming client fails against the server (the client is not told that a new token would help)", Severity: verdict.Low,
	})

	// IntrospectionSeesExpiry: RFC 7662 §2.2 active is true only if the token
	// "has not expired": an expired token introspects as active false.
	IntrospectionSeesExpiry = register(Check{
		ID: "IN-09", Title: "an expired access token introspects as active false",
		Area: "introspection", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7662 §2.2"}, Fault: fault.IntrospectionIgnoresExpiry,
		Quote:  "RFC 7662 §2.2: If the introspection call is properly authorized but the token is not active, does not exist on this server, or the protected resource is not allowed to introspect this particular token, then the authorization server MUST return an introspection response with the \"active\" field set to \"false\".",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a token keeps working after it should not", Severity: verdict.High,
	})
)
