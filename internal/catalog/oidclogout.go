package catalog

// OpenID Connect RP-Initiated Logout 1.0: the end_session_endpoint, judged
// in the real browser where the provider advertises it and the profile
// declares the client's post_logout_redirect_uri. The checks of
// suites/oidclogout.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// LogoutEndsSession: after the logout the browser's session is gone.
	LogoutEndsSession = register(Check{
		ID: "LO-01", Title: "after an RP-initiated logout the session is gone: prompt=none with its cookies answers login_required",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC RP-Initiated Logout §2"}, Fault: fault.LogoutKeepsSession,
		Quote:  "OIDC RP-Initiated Logout §2: If the End-User says \"yes\", then the OP MUST log out the End-User.",
		Threat: "a user who signed out of a shared computer is still signed in: the next person at it (or whoever holds the old session cookie) acts as them", Severity: verdict.High,
		OIDF: []string{"oidcc-rp-initiated-logout"},
	})

	// LogoutRedirectRegistered: an unregistered post_logout_redirect_uri
	// is not redirected to.
	LogoutRedirectRegistered = register(Check{
		ID: "LO-02", Title: "a post_logout_redirect_uri the client did not register is never redirected to",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC RP-Initiated Logout §3"}, Fault: fault.LogoutRedirectAny,
		Quote:  "OIDC RP-Initiated Logout §3: The OP also MUST NOT perform post-logout redirection if the post_logout_redirect_uri value supplied does not exactly match one of the previously registered post_logout_redirect_uris values.",
		Threat: "an open redirector on the provider's origin: phishing pages reached through a trusted link", Severity: verdict.Medium,
		OIDF: []string{"oidcc-rp-initiated-logout-bad-post-logout-redirect-uri"},
	})

	// LogoutRedirectNeedsClient: no redirect when the request names no client.
	LogoutRedirectNeedsClient = register(Check{
		ID: "LO-03", Title: "a logout request with post_logout_redirect_uri but no id_token_hint (nor client_id) is not redirected",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC RP-Initiated Logout §3"}, Fault: fault.LogoutRedirectWithoutHint,
		Quote:  "OIDC RP-Initiated Logout §3: … if it is not supplied with post_logout_redirect_uri, the OP MUST NOT perform post-logout redirection unless the OP has other means of confirming the legitimacy of the post-logout redirection target.",
		Threat: "a redirect nobody vouched for: any site can send users through the provider's logout to a client page", Severity: verdict.Low,
		OIDF: []string{"oidcc-rp-initiated-logout-no-id-token-hint"},
	})

	// LogoutState: state comes back on the post-logout redirect.
	LogoutState = register(Check{
		ID: "LO-04", Title: "the post-logout redirect carries state exactly",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC RP-Initiated Logout §2"}, Fault: fault.LogoutStateDropped,
		Quote: "OIDC RP-Initiated Logout §2: If included in the logout request, the OP passes this value back to the RP using the state parameter when redirecting the User Agent back to the RP.",
		Binds: BindsPractice, Why: "The sentence describes what the OP does, without a key word; the RP relies on state to tie the redirect to the logout it started.",
		Threat: "none: interoperability, the RP cannot tie the redirect to its logout request", Severity: verdict.Low,
		OIDF: []string{"oidcc-rp-initiated-logout"},
	})

	// LogoutAsksWithoutHint: a logout request without id_token_hint does
	// not end the session until the user confirms.
	LogoutAsksWithoutHint = register(Check{
		ID: "LO-05", Title: "a logout request without id_token_hint does not end the session unless the user confirms",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC RP-Initiated Logout §2"}, Fault: fault.LogoutWithoutConfirmation,
		Quote:  "OIDC RP-Initiated Logout §2: Furthermore, the OP MUST ask the End-User this question if an id_token_hint was not provided or if the supplied ID Token does not belong to the current OP session with the RP and/or currently logged in End-User.",
		Threat: "logout CSRF: any page the user visits signs them out of the provider (denial of service, or a step of a login-CSRF attack)", Severity: verdict.Low,
		OIDF: []string{"oidcc-rp-initiated-logout-no-id-token-hint"},
	})

	// LogoutHintVerified: a tampered id_token_hint is not used.
	LogoutHintVerified = register(Check{
		ID: "LO-06", Title: "a logout request with a tampered id_token_hint is not redirected",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC RP-Initiated Logout §4", "OIDC RP-Initiated Logout §2"}, Fault: fault.LogoutHintNotVerified,
		Quote:  "OIDC RP-Initiated Logout §4: If any of the validation procedures defined in this specification fail, any operations requiring the information that failed to correctly validate MUST be aborted and the information that failed to validate MUST NOT be used.",
		Threat: "a forged hint vouches for a redirect (or a silent logout) in the name of a client", Severity: verdict.Low,
		OIDF: []string{"oidcc-rp-initiated-logout-modified-id-token-hint"},
	})
)
