package catalog

// Pushed authorization requests (RFC 9126): the client pushes its
// authorization request to the PAR endpoint and sends the browser with the
// request_uri it got back.
// The checks of suites/par.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// PARClientAuthenticated: RFC 9126 §2.1 step 1. A confidential client
	// that sends its client_id and no credentials must be refused, or
	// anyone can push requests in its name (and choose its redirect URI,
	// scopes and PKCE challenge ahead of the user).
	PARClientAuthenticated = register(Check{
		ID: "PAR-01", Title: "a pushed authorization request of a confidential client without client authentication is refused",
		Area: "pushed authorization requests", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9126 §2.1", "RFC 6749 §2.3"}, Fault: fault.PARUnauthenticated,
		Quote:  "RFC 9126 §2.1: The authorization server MUST process the request as follows: … Authenticate the client in the same way as at the token endpoint (Section 2.3 of [RFC6749]).",
		Threat: threatImpersonation + " (pushed requests in its name)", Severity: verdict.High,
	})

	// PARCreated: RFC 9126 §2.2, a successful push is answered 201 with
	// request_uri and expires_in (a positive integer).
	PARCreated = register(Check{
		ID: "PAR-02", Title: "a successful pushed authorization request is answered 201 with request_uri and expires_in",
		Area: "pushed authorization requests", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9126 §2.2"}, Fault: fault.PARStatus200,
		Quote:  "RFC 9126 §2.2: If the verification is successful, the server MUST generate a request URI and provide it in the response with a 201 HTTP status code.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// PARRequestURIWorks: the positive control of the PAR checks in the
	// browser — client_id and request_uri alone complete the authorization
	// and the code redeems — and RFC 9126 §4: the pushed request is the
	// request the authorization endpoint validates (and, valid, grants).
	PARRequestURIWorks = register(Check{
		ID: "PAR-03", Title: "an authorization request of client_id and a pushed request_uri alone completes in the browser and its code redeems",
		Area: "pushed authorization requests", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9126 §4"}, Fault: fault.PARRequestURIIgnored,
		Quote:  "RFC 9126 §4: The authorization server MUST validate authorization requests arising from a pushed request as it would any other authorization request.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// PARRequestURISingleUse: RFC 9126 §4 (SHOULD; a reload MAY be
	// allowed, which the browser check does not do: the second use comes
	// after the first completed).
	PARRequestURISingleUse = register(Check{
		ID: "PAR-04", Title: "a request_uri already used for a completed authorization is refused",
		Area: "pushed authorization requests", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 9126 §4", "RFC 9126 §2.2"}, Fault: fault.PARRequestURIReusable,
		Quote:  "RFC 9126 §4: Authorization servers SHOULD treat request_uri values as one-time use …",
		Threat: "replay of an authorization request: a leaked request_uri starts the client's request again", Severity: verdict.Low,
	})

	// PARRequestURIExpires: RFC 9126 §4. The request is pushed when the
	// suite starts and used after its expires_in, while the other checks
	// ran (no longer than the harness waits).
	PARRequestURIExpires = register(Check{
		ID: "PAR-05", Title: "a request_uri used after its expires_in is refused",
		Area: "pushed authorization requests", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9126 §4", "RFC 9126 §2.2"}, Fault: fault.PARRequestURINeverExpires,
		Quote:  "RFC 9126 §4: An expired request_uri MUST be rejected as invalid.",
		Threat: "replay of an authorization request: a leaked request_uri usable without end", Severity: verdict.Medium,
	})

	// PARRequestURINotPushed: RFC 9126 §2.1 step 2.
	PARRequestURINotPushed = register(Check{
		ID: "PAR-06", Title: "a pushed authorization request that itself carries a request_uri is refused",
		Area: "pushed authorization requests", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9126 §2.1"}, Fault: fault.PARRequestURIInPushAccepted,
		Quote:  "RFC 9126 §2.1: The authorization server MUST process the request as follows: … Reject the request if the request_uri authorization request parameter is provided.",
		Threat: "request confusion: a pushed request that points at another request (a chain the server may resolve in unintended ways)", Severity: verdict.Low,
	})

	// PARRedirectURIValidated: RFC 9126 §2.1 step 3. A pushed request with
	// a redirect URI never registered for the client is refused at the PAR
	// endpoint or, at the latest, at the authorization endpoint: no code
	// may reach that URI (judged in the browser, with PAR-03's control).
	PARRedirectURIValidated = register(Check{
		ID: "PAR-07", Title: "a pushed request with an unregistered redirect_uri delivers no code there",
		Area: "pushed authorization requests", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9126 §2.1", "RFC 6749 §3.1.2.3"}, Fault: fault.PARRedirectURIUnchecked,
		Quote:  "RFC 9126 §2.1: The authorization server MUST process the request as follows: … Validate the pushed request as it would an authorization request sent to the authorization endpoint.",
		Threat: "RFC 9700 §4.1 insufficient redirect URI validation: codes sent to the attacker", Severity: verdict.Critical,
	})

	// PAROutsideParamsIgnored: RFC 9126 §4 builds the request as RFC 9101
	// does; RFC 9101 §6.3 uses only the parameters of the request, not
	// those beside it. The probe sends another state beside the
	// request_uri: the response must carry the pushed state.
	PAROutsideParamsIgnored = register(Check{
		ID: "PAR-08", Title: "parameters sent beside a request_uri do not replace the pushed ones",
		Area: "pushed authorization requests", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9101 §6.3", "RFC 9126 §4"}, Fault: fault.PAROutsideParamsUsed,
		Quote:  "RFC 9101 §6.3: The authorization server MUST only use the parameters in the Request Object, even if the same parameter is provided in the query parameter.",
		Threat: "authorization request tampering in the front channel, which PAR exists to prevent (RFC 9126 §1)", Severity: verdict.High,
	})

	// PARRequired: RFC 9126 §4 and §6 — a client registered with
	// require_pushed_authorization_requests (or every client, when the
	// metadata says so) is refused a plain authorization request. No key
	// word requires the refusal: the policy is the server's (MAY), and
	// refusing is what the policy means.
	PARRequired = register(Check{
		ID: "PAR-09", Title: "a plain authorization request of a client required to use PAR is refused",
		Area: "pushed authorization requests", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 9126 §4", "RFC 9126 §6", "RFC 9126 §5"}, Fault: fault.PARRequirementIgnored,
		Quote: "RFC 9126 §4: Authorization server policy MAY dictate, either globally or on a per-client basis, that PAR be the only means for a client to pass authorization request data.",
		Binds: BindsPractice, Why: "The server chose the policy and says so (require_pushed_authorization_requests): a plain request it answers anyway makes that promise false and lets anyone build, in the front channel, a request the client never pushed.",
		Threat: "authorization request tampering in the front channel (RFC 9126 §1)", Severity: verdict.Medium,
	})

	// PARRequestURIUnguessable: RFC 9126 §2.2, estimated from a sample of
	// pushes as CODE-06 estimates codes (a sample can refute high entropy,
	// not prove it).
	PARRequestURIUnguessable = register(Check{
		ID: "PAR-11", Title: "request_uri values carry at least 128 bits of entropy (estimated from a sample)",
		Area: "pushed authorization requests", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9126 §2.2", "RFC 6749 §10.10"}, Fault: fault.PARWeakRequestURI,
		Quote:  "RFC 9126 §2.2: The format of the request_uri value is at the discretion of the authorization server, but it MUST contain some part generated using a cryptographically strong pseudorandom algorithm such that it is computationally infeasible to predict or guess a valid value (see Section 10.10 of [RFC6749] for specifics).",
		Threat: "request_uri guessing: a pushed request started by someone who guessed its reference", Severity: verdict.Medium,
	})

	// PARRequestURIClientBound: RFC 9126 §2.2.
	PARRequestURIClientBound = register(Check{
		ID: "PAR-10", Title: "a request_uri pushed by one client is refused with another client's client_id",
		Area: "pushed authorization requests", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9126 §2.2"}, Fault: fault.PARRequestURIAnyClient,
		Quote:  "RFC 9126 §2.2: The request_uri value MUST be bound to the client that posted the authorization request.",
		Threat: "confused deputy: a request pushed by one client completed for another", Severity: verdict.High,
	})
)
