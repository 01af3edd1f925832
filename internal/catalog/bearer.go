package catalog

// Bearer token use at the resource (RFC 6750).
// The checks of suites/bearer.go.

import "github.com/oauthconform/oauthconform/mockserver/fault"

var (
	// BearerHeaderAccepted: RFC 6750 §2.1, resource servers "MUST support
	// this method" (the Authorization request header field).
	BearerHeaderAccepted = register(Check{
		ID: "BR-01", Title: "the resource accepts the token in the Authorization header",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6750 §2.1"}, Fault: fault.ResourceRejectsHeader,
	})

	// BearerQueryRefused: RFC 6750 §2.3 the URI query method "SHOULD NOT be
	// used" — a resource that accepts it invites tokens into logs.
	BearerQueryRefused = register(Check{
		ID: "BR-02", Title: "the resource refuses a token in the query string",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 6750 §2.3", "RFC 9700 §4.3.2"}, Fault: fault.ResourceQueryTokenAccepted,
	})

	// BearerInvalidTokenChallenge: RFC 6750 §3 and §3.1, invalid_token with
	// 401 and a WWW-Authenticate Bearer challenge.
	BearerInvalidTokenChallenge = register(Check{
		ID: "BR-03", Title: "an invalid token gets 401 with WWW-Authenticate: Bearer error=\"invalid_token\"",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6750 §3", "RFC 6750 §3.1"}, Fault: fault.ResourceNoWWWAuthenticate,
	})

	// BearerTamperedRefused: RFC 6750 §5.2 token integrity; RFC 9068 §4.
	BearerTamperedRefused = register(Check{
		ID: "BR-04", Title: "a token with a tampered payload is refused",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6750 §5.2", "RFC 9068 §4"}, Fault: fault.ResourceSignatureUnchecked,
	})

	// BearerAlgNoneRefused: RFC 9068 §4 signature validation; RFC 8725 §3.1.
	BearerAlgNoneRefused = register(Check{
		ID: "BR-05", Title: "a token re-issued with alg none is refused",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 9068 §4", "RFC 8725 §3.1"}, Fault: fault.ResourceAcceptsAlgNone,
	})

	// BearerRevokedRefused: RFC 7009 §2 "the token is invalidated"; the
	// resource must see it (RFC 6750 §3.1 invalid_token "revoked").
	BearerRevokedRefused = register(Check{
		ID: "BR-06", Title: "a revoked token is refused at the resource",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 7009 §2", "RFC 6750 §3.1"}, Fault: fault.ResourceIgnoresRevocation,
	})

	// BearerEmbeddedKeyRefused: RFC 8725 §3.10 — keys come from the issuer's
	// JWKS, never from the token itself.
	BearerEmbeddedKeyRefused = register(Check{
		ID: "BR-07", Title: "a token signed with its own embedded jwk is refused",
		Area: "bearer use", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 8725 §3.10", "RFC 9068 §4"}, Fault: fault.ResourceTrustsEmbeddedJWK,
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
	})
)
