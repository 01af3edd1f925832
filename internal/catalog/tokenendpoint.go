package catalog

// The token endpoint (RFC 6749 §3.2, §5) and client authentication (RFC
// 6749 §2.3).
// The checks of suites/tokenendpoint.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// BasicAuthWorks: RFC 6749 §2.3.1 "The authorization server MUST support
	// the HTTP Basic authentication scheme for authenticating clients that
	// were issued a client password."
	BasicAuthWorks = register(Check{
		ID: "CA-01", Title: "client_secret_basic authenticates a confidential client",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §2.3.1"}, Fault: fault.BasicAuthRejected,
		Quote:  "RFC 6749 §2.3.1: The authorization server MUST support the HTTP Basic authentication scheme for authenticating clients that were issued a client password.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
		OIDF: []string{"oidcc-server"},
	})

	// PostAuthWorks: RFC 6749 §2.3.1 client_secret_post (MAY), and RFC 8414
	// §2: a method the metadata advertises must work.
	PostAuthWorks = register(Check{
		ID: "CA-02", Title: "client_secret_post works when the metadata advertises it",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: May,
		Spec: []string{"RFC 6749 §2.3.1", "RFC 8414 §2"}, Fault: fault.PostAuthRejected,
		Quote:  "RFC 6749 §2.3.1: Alternatively, the authorization server MAY support including the client credentials in the request-body using the following parameters:",
		Threat: "none: interoperability, a conforming client fails against the server (an advertised method that does not work)", Severity: verdict.None,
		OIDF: []string{"oidcc-server-client-secret-post"},
	})

	// MissingSecretRefused: RFC 6749 §3.2.1 "Confidential clients ... MUST
	// authenticate with the authorization server".
	MissingSecretRefused = register(Check{
		ID: "CA-03", Title: "a confidential client that sends no secret is refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §3.2.1", "RFC 6749 §5.2", "RFC 6749 §4.1.3", "RFC 6749 §4.4.2"}, Fault: fault.MissingSecretAccepted,
		Quote:  "RFC 6749 §4.4.2: The authorization server MUST authenticate the client.",
		Threat: "client impersonation (RFC 6749 §10.2): someone other than the client authenticates as it", Severity: verdict.Critical,
	})

	// MissingSecretInvalidClient: RFC 6749 §5.2, the refusal of a
	// confidential client that sent no secret (CA-03) carries invalid_client.
	MissingSecretInvalidClient = register(Check{
		ID: "CA-11", Title: "a confidential client that sends no secret is refused with invalid_client",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §5.2"}, Fault: fault.MissingSecretWrongError,
		Quote:  "RFC 6749 §5.2: error REQUIRED. A single ASCII [USASCII] error code from the following: … invalid_client Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).",
		Threat: "none: interoperability, the request is refused, but a client cannot tell why (a refusal with another code is no security flaw)", Severity: verdict.Low,
	})

	// QueryCredentialsRefused: RFC 6749 §2.3.1 "The parameters can only be
	// transmitted in the request-body and MUST NOT be included in the request URI."
	QueryCredentialsRefused = register(Check{
		ID: "CA-04", Title: "client credentials in the request URI are refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 6749 §2.3.1"}, Fault: fault.QueryCredentialsAccepted,
		Quote: "RFC 6749 §2.3.1: The parameters can only be transmitted in the request-body and MUST NOT be included in the request URI.",
		Binds: BindsClient, Why: "The sentence binds the client that sends the credentials; a server that refuses them in the URI keeps client secrets out of logs and Referer headers.",
		Threat: "RFC 6819 §4.3.3 disclosure of client credentials during transmission (URLs are logged)", Severity: verdict.Medium,
	})

	// SingleAuthMethod: RFC 6749 §2.3 "The client MUST NOT use more than one
	// authentication method in each request"; §5.2 invalid_request.
	SingleAuthMethod = register(Check{
		ID: "CA-05", Title: "a request using two client authentication methods is refused",
		Area: "client authentication", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 6749 §2.3", "RFC 6749 §5.2"}, Fault: fault.MultipleAuthMethodsAccepted,
		Quote: "RFC 6749 §2.3: The client MUST NOT use more than one authentication method in each request.",
		Binds: BindsClient, Why: "The sentence binds the client; a server that refuses two methods at once leaves no doubt about which credential it checked.",
		Threat: "client authentication confusion: a server and an intermediary judging different credentials", Severity: verdict.Low,
	})

	// TokenErrorIs400JSON: RFC 6749 §5.2 "The authorization server responds
	// with an HTTP 400 (Bad Request) status code ... and includes the
	// following parameters with the response".
	TokenErrorIs400JSON = register(Check{
		ID: "TE-04", Title: "a bad code gets 400 with a JSON invalid_grant error",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §5.2"}, Fault: fault.TokenErrorStatus200,
		Quote:  "RFC 6749 §5.2: error REQUIRED. A single ASCII [USASCII] error code from the following:",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// UnsupportedGrantType: RFC 6749 §5.2 unsupported_grant_type.
	UnsupportedGrantType = register(Check{
		ID: "TE-05", Title: "an unknown grant_type gets unsupported_grant_type",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §5.2"}, Fault: fault.UnsupportedGrantAsInvalidRequest,
		Quote:  "RFC 6749 §5.2: error REQUIRED. A single ASCII [USASCII] error code from the following:",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.Low,
	})

	// MissingParameterInvalidRequest: RFC 6749 §5.2 invalid_request "The
	// request is missing a required parameter".
	MissingParameterInvalidRequest = register(Check{
		ID: "TE-06", Title: "a token request without code gets invalid_request",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §5.2", "RFC 6749 §4.1.3"}, Fault: fault.MissingParamWrongError,
		Quote:  "RFC 6749 §5.2: error REQUIRED. A single ASCII [USASCII] error code from the following:",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.Low,
	})

	// TokenGetRefused: RFC 6749 §3.2 "The client MUST use the HTTP POST
	// method when making access token requests"; a server that answers GET
	// invites credentials and codes into URLs and logs.
	TokenGetRefused = register(Check{
		ID: "TE-07", Title: "a token request by GET is refused",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §3.2"}, Fault: fault.TokenGetAllowed,
		Quote: "RFC 6749 §3.2: The client MUST use the HTTP \"POST\" method when making access token requests.",
		Binds: BindsClient, Why: "The sentence binds the client; a server that refuses a GET keeps codes, refresh tokens and secrets out of URLs, where logs and Referer headers keep them.",
		Threat: "RFC 9700 §4.3 credential leakage via browser history and logs: tokens in URLs", Severity: verdict.Low,
	})

	// TokenUnknownParameterIgnored: RFC 6749 §3.2 "The authorization server
	// MUST ignore unrecognized request parameters."
	TokenUnknownParameterIgnored = register(Check{
		ID: "TE-08", Title: "an unknown token request parameter is ignored",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §3.2"}, Fault: fault.TokenUnknownParamRejected,
		Quote:  "RFC 6749 §3.2: The authorization server MUST ignore unrecognized request parameters.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// TokenDuplicateParameterRefused: RFC 6749 §3.2 "Request and response
	// parameters MUST NOT be included more than once"; §5.2 invalid_request.
	TokenDuplicateParameterRefused = register(Check{
		ID: "TE-09", Title: "a duplicated token request parameter gets invalid_request",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §3.2", "RFC 6749 §5.2"}, Fault: fault.TokenDuplicateParamsAccepted,
		Quote: "RFC 6749 §3.2: Request and response parameters MUST NOT be included more than once.",
		Binds: BindsClient, Why: "The sentence binds the client that builds the request; a server that refuses a repeated parameter leaves no doubt about which copy it used.",
		Threat: "parameter pollution: components that read different copies of a repeated parameter", Severity: verdict.Low,
	})

	// AccessTokenCharset: RFC 6749 Appendix A.12, access-token = 1*VSCHAR.
	AccessTokenCharset = register(Check{
		ID: "TE-10", Title: "access tokens use only VSCHAR characters",
		Area: "token endpoint", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §A.12"}, Fault: fault.TokenNonVschar,
		Quote: "RFC 6749 §A.12: The \"access_token\" element is defined in Sections 4.2.2 and 5.1: access-token = 1*VSCHAR",
		Binds: BindsSyntax, Why: "An access token outside the grammar is not an access token of the protocol: clients and resources may refuse or mangle it.",
		Threat: "none: interoperability, a conforming client fails against the server", Severity: verdict.None,
	})

	// AccessTokenEntropy: RFC 6749 §10.10, guessing a token MUST have
	// probability ≤ 2^-128 (RFC 6750 §5.2 for bearer tokens).
	AccessTokenEntropy = register(Check{
		ID: "TE-11", Title: "access tokens carry at least 128 bits of entropy (estimated from a sample)",
		Area: "token endpoint", Flows: []Flow{FlowClientCredentials}, Level: Must,
		Spec: []string{"RFC 6749 §10.10", "RFC 6750 §5.2"}, Fault: fault.WeakAccessTokens,
		Quote:  "RFC 6749 §10.10: The probability of an attacker guessing generated tokens (and other credentials not intended for handling by end-users) MUST be less than or equal to 2^(-128) …",
		Threat: "RFC 6819 §4.6.3 guessing access tokens", Severity: verdict.High,
	})

	// AccessTokenShortLived: RFC 6750 §5.3 "Issue short-lived bearer tokens";
	// RFC 9700 §4.10 — one hour or less.
	AccessTokenShortLived = register(Check{
		ID: "TE-12", Title: "access tokens live one hour or less",
		Area: "token endpoint", Flows: []Flow{FlowClientCredentials}, Level: Should,
		Spec: []string{"RFC 6750 §5.3", "RFC 9700 §4.10"}, Fault: fault.LongLivedAccessTokens,
		Quote:  "RFC 6750 §5.3: Token servers SHOULD issue short-lived (one hour or less) bearer tokens, particularly when issuing tokens to clients that run within a web browser or other environments where information leakage may occur.",
		Threat: "RFC 9700 §4.10 misuse of stolen access tokens: a token keeps working after it should not", Severity: verdict.Low,
	})

	// PublicClientIDRequired: RFC 6749 §4.1.3, client_id is REQUIRED "if
	// the client is not authenticating with the authorization server".
	PublicClientIDRequired = register(Check{
		ID: "TE-13", Title: "a public client's code redemption without client_id is refused",
		Area: "token endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.3", "RFC 6749 §3.2.1"}, Fault: fault.PublicClientIDOptional,
		Quote:  "RFC 6749 §4.1.3: The authorization server MUST: … ensure that the authorization code was issued to the authenticated confidential client, or if the client is public, ensure that the code was issued to \"client_id\" in the request",
		Threat: "RFC 9700 §4.5 authorization code injection: a stolen code redeemed by another client or at another redirect URI", Severity: verdict.High,
	})
)
