package catalog

// Bearer token use at the resource (RFC 6750).
// The checks of suites/bearer.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// BearerHeaderAccepted: RFC 6750 §2.1, resource servers "MUST support
	// this method" (the Authorization request header field).
	BearerHeaderAccepted = register(Check{
		ID: "BR-01", Title: "the resource accepts the token in the Authorization header",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6750 §2.1"}, Fault: fault.ResourceRejectsHeader,
		Quote:  "RFC 6750 §2.1: Resource servers MUST support this method.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// BearerQueryRefused: RFC 6750 §2.3 the URI query method "SHOULD NOT be
	// used" — a resource that accepts it invites tokens into logs.
	BearerQueryRefused = register(Check{
		ID: "BR-02", Title: "the resource refuses a token in the query string",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 6750 §2.3", "RFC 9700 §4.3.2"}, Fault: fault.ResourceQueryTokenAccepted,
		Quote: "RFC 6750 §2.3: Because of the security weaknesses associated with the URI method (see Section 5), including the high likelihood that the URL containing the access token will be logged, it SHOULD NOT be used unless it is impossible to transport the access token in the \"Authorization\" request header field or the HTTP request entity-body.",
		Binds: BindsClient, Why: "The sentence binds the client that sends the token; a resource that refuses tokens in the query keeps them out of URLs, logs and Referer headers for every client.",
		Threat: "RFC 9700 §4.3 credential leakage via browser history and logs: tokens in URLs", Severity: verdict.Medium,
	})

	// BearerInvalidTokenChallenge: RFC 6750 §3, a request whose token does not
	// give access is refused with a WWW-Authenticate Bearer challenge (the
	// status and error code, SHOULDs of §3.1, are BR-10).
	BearerInvalidTokenChallenge = register(Check{
		ID: "BR-03", Title: "an invalid token is refused with a WWW-Authenticate: Bearer challenge",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6750 §3", "RFC 6750 §3.1"}, Fault: fault.ResourceNoWWWAuthenticate,
		Quote:  "RFC 6750 §3: If the protected resource request does not include authentication credentials or does not contain an access token that enables access to the protected resource, the resource server MUST include the HTTP \"WWW-Authenticate\" response header field …",
		Threat: "none: interoperability, a conforming client fails against the server (the client is not told how to authenticate)", Severity: verdict.Low,
	})

	// BearerInvalidTokenError: RFC 6750 §3.1, a refused invalid token SHOULD be
	// answered 401 with error="invalid_token" (BR-03 judges the refusal and its challenge).
	BearerInvalidTokenError = register(Check{
		ID: "BR-10", Title: "an invalid token is answered 401 with error=\"invalid_token\"",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 6750 §3.1"}, Fault: fault.ResourceInvalidTokenWrongError,
		Quote:  "RFC 6750 §3.1: invalid_token The access token provided is expired, revoked, malformed, or invalid for other reasons. The resource SHOULD respond with the HTTP 401 (Unauthorized) status code.",
		Threat: "none: interoperability, a conforming client fails against the server (the client is not told that a new token would help)", Severity: verdict.Low,
	})

	// BearerTamperedRefused: RFC 6750 §5.2 token integrity; RFC 9068 §4.
	BearerTamperedRefused = register(Check{
		ID: "BR-04", Title: "a token with a tampered payload is refused",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6750 §5.2", "RFC 9068 §4", "RFC 6749 §10.3"}, Fault: fault.ResourceSignatureUnchecked,
		Quote:  "RFC 6749 §10.3: The authorization server MUST ensure that access tokens cannot be generated, modified, or guessed to produce valid access tokens by unauthorized parties.",
		Threat: "forged access tokens: a token the authorization server did not issue is accepted", Severity: verdict.Critical,
	})

	// BearerAlgNoneRefused: RFC 9068 §4 signature validation; RFC 8725 §3.1.
	BearerAlgNoneRefused = register(Check{
		ID: "BR-05", Title: "a token re-issued with alg none is refused",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9068 §4", "RFC 8725 §3.1"}, Fault: fault.ResourceAcceptsAlgNone,
		Quote:  "RFC 9068 §4: The resource server MUST reject any JWT in which the value of \"alg\" is \"none\".",
		Threat: "forged access tokens: a token the authorization server did not issue is accepted", Severity: verdict.Critical,
	})

	// BearerRevokedRefused: RFC 7009 §2 "the token is invalidated"; the
	// resource must see it (RFC 6750 §3.1 invalid_token "revoked").
	BearerRevokedRefused = register(Check{
		ID: "BR-06", Title: "a revoked token is refused at the resource",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 7009 §2", "RFC 6750 §3.1"}, Fault: fault.ResourceIgnoresRevocation,
		Quote:  "RFC 7009 §2: Implementations … SHOULD support the revocation of access tokens (see Implementation Note).",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a token keeps working after it should not", Severity: verdict.Medium,
	})

	// BearerEmbeddedKeyRefused: RFC 8725 §3.10 — keys come from the issuer's
	// JWKS, never from the token itself.
	BearerEmbeddedKeyRefused = register(Check{
		ID: "BR-07", Title: "a token signed with its own embedded jwk is refused",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 8725 §3.10", "RFC 9068 §4"}, Fault: fault.ResourceTrustsEmbeddedJWK,
		Quote:  "RFC 9068 §4: The resource server MUST use the keys provided by the authorization server.",
		Threat: "forged access tokens: a token the authorization server did not issue is accepted", Severity: verdict.Critical,
	})

	// BearerQueryResponsePrivate: RFC 6750 §2.3 "Server success (2XX
	// status) responses to these requests [an access token in the URI
	// query] SHOULD contain a Cache-Control header with the "private"
	// option" — a SHOULD, so Should. "no-store" passes too: it is stronger
	// than "private" (no cache, shared or private, may store the response,
	// RFC 9111 §5.2.2.5), and it is what many resources send with every
	// answer. Only a resource that accepts query tokens (BR-02 warns) has
	// such responses; the others skip.
	BearerQueryResponsePrivate = register(Check{
		ID: "BR-09", Title: "a success response to a query-token request has Cache-Control: private (or no-store)",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 6750 §2.3"}, Fault: fault.ResourceQueryResponseCacheable,
		Quote:  "RFC 6750 §2.3: Server success (2XX status) responses to these requests SHOULD contain a Cache-Control header with the \"private\" option.",
		Threat: "RFC 6819 §4.6.6 leak of confidential data in HTTP proxies and caches", Severity: verdict.Medium,
	})
)
