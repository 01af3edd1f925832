package catalog

// The OpenID Connect authentication request (OIDC Core §3.1.2.1): prompt,
// max_age, hints, locales, display, acr_values, claims, POST. The checks of
// suites/oidcrequest.go, judged in the real browser where the provider
// shows (or must not show) a page.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// promptMTI is OIDC Core §15.1's requirement of prompt none and login.
const promptMTI = "OIDC Core §15.1: OPs MUST support the prompt parameter, as defined in Section 3.1.2, including the specified user interface behaviors such as none and login."

var (
	// PromptNoneNotLoggedIn: prompt=none from a browser with no session.
	PromptNoneNotLoggedIn = register(Check{
		ID: "OP-01", Title: "prompt=none without a session redirects back with an error and shows no page",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §3.1.2.1", "OIDC Core §3.1.2.6"}, Fault: fault.PromptNoneLoginPage,
		Quote:  "OIDC Core §3.1.2.1: none The Authorization Server MUST NOT display any authentication or consent user interface pages. An error is returned if an End-User is not already authenticated or the Client does not have pre-configured consent for the requested Claims or does not fulfill other conditions for processing the request.",
		Threat: "none directly: a silent request (in a hidden iframe or a background redirect) that shows a login page leaves the client hanging and teaches users to sign in on pages they did not ask for", Severity: verdict.Low,
		OIDF: []string{"oidcc-prompt-none-not-logged-in"},
	})

	// PromptNoneLoggedIn: prompt=none from a browser with a session.
	PromptNoneLoggedIn = register(Check{
		ID: "OP-02", Title: "prompt=none with a session delivers a code without showing a page",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §15.1", "OIDC Core §3.1.2.1"}, Fault: fault.PromptNoneSessionIgnored,
		Quote:  promptMTI,
		Threat: "none: interoperability, silent re-authentication of a signed-in user fails", Severity: verdict.None,
		OIDF: []string{"oidcc-prompt-none-logged-in"},
	})

	// PromptLogin: prompt=login shows the login form to a signed-in user.
	PromptLogin = register(Check{
		ID: "OP-03", Title: "prompt=login shows the login form again to a signed-in user, and auth_time advances",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §15.1", "OIDC Core §3.1.2.1"}, Fault: fault.PromptLoginIgnored,
		Quote:  promptMTI,
		Threat: "a client that asks for a fresh sign-in before a sensitive action (a payment, a settings change) gets the old session: someone at an unattended, signed-in browser passes for the user", Severity: verdict.Medium,
		OIDF: []string{"oidcc-prompt-login"},
	})

	// PromptConsent: prompt=consent shows the consent page although the
	// user consented already.
	PromptConsent = register(Check{
		ID: "OP-04", Title: "prompt=consent shows the consent page to a user who already consented",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Core §3.1.2.1"}, Fault: fault.PromptConsentIgnored,
		Quote:  "OIDC Core §3.1.2.1: consent The Authorization Server SHOULD prompt the End-User for consent before returning information to the Client.",
		Threat: "none directly: a client that asks the user to confirm a release again gets a silent grant", Severity: verdict.Low,
	})

	// MaxAgeAuthTime: auth_time is in the ID Token when max_age was sent.
	MaxAgeAuthTime = register(Check{
		ID: "OP-05", Title: "the ID Token of a request with max_age carries auth_time",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §3.1.2.1", "OIDC Core §2"}, Fault: fault.MaxAgeAuthTimeMissing,
		Quote:  "OIDC Core §3.1.2.1: When max_age is used, the ID Token returned MUST include an auth_time Claim Value.",
		Threat: "a client cannot verify that the sign-in is as recent as it asked: an old session passes for a fresh authentication", Severity: verdict.Medium,
		OIDF: []string{"oidcc-max-age-10000", "oidcc-max-age-1"},
	})

	// MaxAgeReauthenticates: max_age=1 after more than a second asks the
	// user to sign in again, as the browser sees.
	MaxAgeReauthenticates = register(Check{
		ID: "OP-06", Title: "max_age=1 on a session older than a second shows the login form again",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §3.1.2.1"}, Fault: fault.MaxAgeIgnored,
		Quote:  "OIDC Core §3.1.2.1: If the elapsed time is greater than this value, the OP MUST attempt to actively re-authenticate the End-User.",
		Threat: "a client that requires a recent sign-in before a sensitive action gets an old session: someone at an unattended, signed-in browser passes for the user", Severity: verdict.Medium,
		OIDF: []string{"oidcc-max-age-1"},
	})

	// MaxAgeRecentSession: max_age=10000 on a fresh session needs no login.
	MaxAgeRecentSession = register(Check{
		ID: "OP-07", Title: "max_age=10000 on a fresh session does not ask the user to sign in again",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Core §3.1.2.1"}, Fault: fault.MaxAgeAlwaysReauthenticates,
		Quote: "OIDC Core §3.1.2.1: max_age OPTIONAL. Maximum Authentication Age. Specifies the allowable elapsed time in seconds since the last time the End-User was actively authenticated by the OP.",
		Binds: BindsPractice, Why: "A sign-in younger than max_age is within the allowable elapsed time: asking for the password again burdens the user for nothing and teaches them to type it whenever asked.",
		Threat: "none: usability, needless sign-ins", Severity: verdict.None,
		OIDF: []string{"oidcc-max-age-10000"},
	})

	// IDTokenHint: prompt=none with the signed-in user's ID Token as hint.
	IDTokenHint = register(Check{
		ID: "OP-08", Title: "prompt=none with an id_token_hint of the signed-in user delivers a code",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Core §3.1.2.1"}, Fault: fault.IDTokenHintRejected,
		Quote:  "OIDC Core §3.1.2.1: If the End-User identified by the ID Token is logged in or is logged in by the request, then the Authorization Server returns a positive response; otherwise, it SHOULD return an error, such as login_required.",
		Threat: "none: interoperability, silent re-authentication with a hint fails", Severity: verdict.None,
		OIDF: []string{"oidcc-id-token-hint"},
	})

	// LoginHint: a request with login_hint succeeds.
	LoginHint = register(Check{
		ID: "OP-09", Title: "a request with login_hint succeeds",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Core §3.1.2.1"}, Fault: fault.LoginHintRejected,
		Quote: "OIDC Core §3.1.2.1: login_hint OPTIONAL. Hint to the Authorization Server about the login identifier the End-User might use to log in (if necessary).",
		Binds: BindsPractice, Why: "A hint is the client's suggestion, to use or to ignore: a provider that refuses the request fails every client that pre-fills the login (the spec leaves its use to the OP's discretion, not the request's fate).",
		Threat: "none: interoperability", Severity: verdict.None,
		OIDF: []string{"oidcc-login-hint"},
	})

	// UILocales: ui_locales the provider does not support are no error.
	UILocales = register(Check{
		ID: "OP-10", Title: "a request with ui_locales the provider may not support succeeds",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Core §3.1.2.1"}, Fault: fault.UILocalesRejected,
		Quote:  "OIDC Core §3.1.2.1: An error SHOULD NOT result if some or all of the requested locales are not supported by the OpenID Provider.",
		Threat: "none: interoperability", Severity: verdict.None,
		OIDF: []string{"oidcc-ui-locales"},
	})

	// ClaimsLocales: claims_locales the provider does not support are no error.
	ClaimsLocales = register(Check{
		ID: "OP-11", Title: "a request with claims_locales the provider may not support succeeds",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Core §5.2"}, Fault: fault.ClaimsLocalesRejected,
		Quote:  "OIDC Core §5.2: An error SHOULD NOT result if some or all of the requested locales are not supported by the OpenID Provider.",
		Threat: "none: interoperability", Severity: verdict.None,
		OIDF: []string{"oidcc-claims-locales"},
	})

	// Display: display=page and display=popup succeed.
	Display = register(Check{
		ID: "OP-12", Title: "requests with display=page and display=popup succeed",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Core §3.1.2.1"}, Fault: fault.DisplayRejected,
		Quote:  "OIDC Core §3.1.2.1: page The Authorization Server SHOULD display the authentication and consent UI consistent with a full User Agent page view. … popup The Authorization Server SHOULD display the authentication and consent UI consistent with a popup User Agent window.",
		Threat: "none: interoperability", Severity: verdict.None,
		OIDF: []string{"oidcc-display-page", "oidcc-display-popup"},
	})

	// AcrValues: a request with acr_values succeeds.
	AcrValues = register(Check{
		ID: "OP-13", Title: "a request with acr_values succeeds",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §15.1", "OIDC Core §3.1.2.1"}, Fault: fault.AcrValuesRejected,
		Quote:  "OIDC Core §15.1: OPs MUST support requests for specific Authentication Context Class Reference values via the acr_values parameter, as defined in Section 3.1.2. (Note that the minimum level of support required for this parameter is simply to have its use not result in an error.)",
		Threat: "none: interoperability", Severity: verdict.None,
		OIDF: []string{"oidcc-ensure-request-with-acr-values-succeeds"},
	})

	// ScopeOrder: the order of the scope values does not matter.
	ScopeOrder = register(Check{
		ID: "OP-14", Title: "a request listing openid after another scope succeeds",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §3.3"}, Fault: fault.ScopeOrderSensitive,
		Quote: "RFC 6749 §3.3: If the value contains multiple space-delimited strings, their order does not matter, and each string adds an additional access range to the requested scope.",
		Binds: BindsPractice, Why: "The scope is a set: a server that reads its order refuses (or misreads) conforming clients, whose libraries order scopes as they please.",
		Threat: "none: interoperability", Severity: verdict.None,
		OIDF: []string{"oidcc-ensure-other-scope-order-succeeds"},
	})

	// CodeWithoutNonce: nonce is optional in the code flow.
	CodeWithoutNonce = register(Check{
		ID: "OP-15", Title: "an OpenID Connect code request without nonce succeeds",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Core §3.1.2.1"}, Fault: fault.CodeNonceRequired,
		Quote: "OIDC Core §3.1.2.1: nonce OPTIONAL. String value used to associate a Client session with an ID Token, and to mitigate replay attacks.",
		Binds: BindsPractice, Why: "In the code flow the nonce is the client's choice (the ID Token comes from the token endpoint, over the client's own connection): a provider that requires it refuses conforming clients. A provider may require it as hardening; the warning says it departs from the specification.",
		Threat: "none: interoperability", Severity: verdict.None,
		OIDF: []string{"oidcc-ensure-request-without-nonce-succeeds-for-code-flow"},
	})

	// ClaimsEssential: an essential claim requested with claims is no error.
	ClaimsEssential = register(Check{
		ID: "OP-16", Title: "a claims request with an essential claim succeeds",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §5.5.1", "OIDC Core §5.5"}, Fault: fault.ClaimsEssentialError,
		Quote:  "OIDC Core §5.5.1: Note that even if the Claims are not available because the End-User did not authorize their release or they are not present, the Authorization Server MUST NOT generate an error when Claims are not returned, whether they are Essential or Voluntary, unless otherwise specified in the description of the specific claim.",
		Threat: "none: interoperability", Severity: verdict.None,
		OIDF: []string{"oidcc-claims-essential"},
	})

	// AuthorizePost: the authorization endpoint takes a form POST.
	AuthorizePost = register(Check{
		ID: "OP-17", Title: "an authorization request POSTed by a browser form succeeds",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Core §3.1.2.1"}, Fault: fault.AuthorizePostRefused,
		Quote:  "OIDC Core §3.1.2.1: Authorization Servers MUST support the use of the HTTP GET and POST methods defined in RFC 2616 [RFC2616] at the Authorization Endpoint.",
		Threat: "none: interoperability", Severity: verdict.None,
		OIDF: []string{"oidcc-ensure-post-request-succeeds"},
	})
)
