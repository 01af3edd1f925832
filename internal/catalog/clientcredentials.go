package catalog

// The client credentials grant (RFC 6749 §4.4).
// The checks of suites/clientcredentials.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// ClientCredentialsIssued: RFC 6749 §4.4.2–4.4.3 with client_secret_basic,
	// whose id and secret are form-urlencoded before base64 (RFC 6749 §2.3.1).
	ClientCredentialsIssued = register(Check{
		ID: "CC-01", Title: "client credentials grant issues a token to an authenticated client",
		Area: "client credentials", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §4.4.3", "RFC 6749 §2.3.1", "RFC 6749 §5.1"}, Fault: fault.BasicAuthNotFormDecoded,
		Quote:  "RFC 6749 §5.1: access_token REQUIRED. The access token issued by the authorization server.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// WrongSecretRefused: RFC 6749 §3.2.1 and §2.3.1, the server authenticates
	// the client; §5.2 names the error invalid_client.
	WrongSecretRefused = register(Check{
		ID: "CC-02", Title: "a wrong client secret is refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §3.2.1", "RFC 6749 §5.2", "RFC 6749 §4.4.2"}, Fault: fault.AcceptWrongSecret,
		Quote:  "RFC 6749 §4.4.2: The authorization server MUST authenticate the client.",
		Threat: "client impersonation (RFC 6749 §10.2): someone other than the client authenticates as it", Severity: verdict.Critical,
	})

	// WrongSecretInvalidClient: RFC 6749 §5.2, the refusal of a wrong secret
	// (CC-02) carries invalid_client.
	WrongSecretInvalidClient = register(Check{
		ID: "CC-07", Title: "a wrong client secret is refused with invalid_client",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §5.2"}, Fault: fault.WrongSecretWrongError,
		Quote:  "RFC 6749 §5.2: error REQUIRED. A single ASCII [USASCII] error code from the following: … invalid_client Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).",
		Threat: "none: interoperability, the request is refused, but a client cannot tell why (a refusal with another code is no security flaw)", Severity: verdict.Low,
	})

	// InvalidClientIs401: RFC 6749 §5.2 "If the client attempted to
	// authenticate via the Authorization request header field, the
	// authorization server MUST respond with an HTTP 401 ... and include the
	// WWW-Authenticate response header field".
	InvalidClientIs401 = register(Check{
		ID: "CC-03", Title: "invalid_client after Basic authentication is a 401 with WWW-Authenticate",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §5.2"}, Fault: fault.InvalidClientStatus400,
		Quote:  "RFC 6749 §5.2: If the client attempted to authenticate via the \"Authorization\" request header field, the authorization server MUST respond with an HTTP 401 (Unauthorized) status code and include the \"WWW-Authenticate\" response header field matching the authentication scheme used by the client.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// ClientCredentialsNoRefreshToken: RFC 6749 §4.4.3 "A refresh token SHOULD
	// NOT be included."
	ClientCredentialsNoRefreshToken = register(Check{
		ID: "CC-04", Title: "client credentials response carries no refresh token",
		Area: "client credentials", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 6749 §4.4.3"}, Fault: fault.CCRefreshToken,
		Quote:  "RFC 6749 §4.4.3: A refresh token SHOULD NOT be included.",
		Threat: "RFC 6819 §4.5 a long-lived credential issued where the client can simply authenticate again", Severity: verdict.Low,
	})

	// ClientCredentialsConfidentialOnly: RFC 6749 §4.4 "The client
	// credentials grant type MUST only be used by confidential clients."
	ClientCredentialsConfidentialOnly = register(Check{
		ID: "CC-05", Title: "a public client cannot use the client credentials grant",
		Area: "client credentials", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §4.4", "RFC 6749 §4.4.2"}, Fault: fault.CCPublicAllowed,
		Quote:  "RFC 6749 §4.4.2: The authorization server MUST authenticate the client.",
		Threat: "client impersonation: anyone who knows a public client_id obtains tokens as that client", Severity: verdict.Critical,
	})

	// ClientCredentialsRegisteredOnly: RFC 6749 §5.2 unauthorized_client,
	// "The authenticated client is not authorized to use this
	// authorization grant type": a confidential client the profile declares
	// registered without client_credentials gets no token with it.
	ClientCredentialsRegisteredOnly = register(Check{
		ID: "CC-08", Title: "a confidential client not registered for the client credentials grant gets no token with it",
		Area: "client credentials", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §5.2", "RFC 6749 §4.4"}, Fault: fault.CCAnyConfidentialClient,
		Quote:  "RFC 6749 §5.2: error REQUIRED. A single ASCII [USASCII] error code from the following: … unauthorized_client The authenticated client is not authorized to use this authorization grant type.",
		Threat: "a client obtaining a grant type its registration does not allow (RFC 6819 §5.2.3.1): tokens with no user behind them for a browser client", Severity: verdict.Medium,
	})

	// ClientCredentialsScopeChecked: RFC 6749 §3.3, an unknown scope is
	// refused (invalid_scope) or ignored — and then "the authorization server
	// MUST include the scope response parameter" naming what was granted.
	ClientCredentialsScopeChecked = register(Check{
		ID: "CC-06", Title: "an unregistered scope is refused or narrowed, never silently granted",
		Area: "client credentials", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 6749 §3.3", "RFC 6749 §5.2", "RFC 6749 §10.3"}, Fault: fault.CCScopeUnchecked,
		Quote:  "RFC 6749 §10.3: The authorization server SHOULD take the client identity into account when choosing how to honor the requested scope …",
		Threat: "privilege escalation: a token carries scope the resource owner or the client registration never allowed", Severity: verdict.High,
	})
)
