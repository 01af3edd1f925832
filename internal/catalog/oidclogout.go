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
		OIDF: []string{"oidcc-rp-initiated-logout", "oidcc-rp-initiated-logout-discovery-endpoint-verification"},
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

	// CheckSessionIframeHTTPS: the advertised OP iframe is served over TLS.
	CheckSessionIframeHTTPS = register(Check{
		ID: "LO-07", Title: "an advertised check_session_iframe is an https URL",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Session Management §3.3"}, Fault: fault.CheckSessionIframeHTTP,
		Quote:  "OIDC Session Management §3.3: check_session_iframe REQUIRED. URL of an OP iframe that supports cross-origin communications for session state information with the RP Client, using the HTML5 postMessage API. This URL MUST use the https scheme …",
		Threat: "a network attacker answers for the OP iframe: the RP hears \"unchanged\" for a session that ended, or \"changed\" for one that lives", Severity: verdict.Low,
		OIDF: []string{"oidcc-session-management-discovery-endpoint-verification"},
	})

	// FrontchannelMetadataBoolean: the front-channel logout metadata are
	// JSON booleans.
	FrontchannelMetadataBoolean = register(Check{
		ID: "LO-08", Title: "frontchannel_logout_supported and frontchannel_logout_session_supported, when advertised, are JSON booleans",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: May,
		Spec: []string{"OIDC Front-Channel Logout §3"}, Fault: fault.FrontchannelMetadataNotBoolean,
		Quote:  "OIDC Front-Channel Logout §3: frontchannel_logout_supported OPTIONAL. Boolean value specifying whether the OP supports HTTP-based logout, with true indicating support.",
		Threat: "none: interoperability, an RP reading the metadata takes the provider for one without front-channel logout (or fails to parse it)", Severity: verdict.None,
		OIDF: []string{"oidcc-frontchannel-logout-discovery-endpoint-verification"},
	})

	// BackchannelMetadataBoolean: the back-channel logout metadata are JSON
	// booleans.
	BackchannelMetadataBoolean = register(Check{
		ID: "LO-09", Title: "backchannel_logout_supported and backchannel_logout_session_supported, when advertised, are JSON booleans",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: May,
		Spec: []string{"OIDC Back-Channel Logout §2.1"}, Fault: fault.BackchannelMetadataNotBoolean,
		Quote:  "OIDC Back-Channel Logout §2.1: backchannel_logout_supported OPTIONAL. Boolean value specifying whether the OP supports back-channel logout, with true indicating support.",
		Threat: "none: interoperability, an RP reading the metadata takes the provider for one without back-channel logout (or fails to parse it)", Severity: verdict.None,
		OIDF: []string{"oidcc-backchannel-logout-discovery-endpoint-verification"},
	})

	// SessionStateReturned: a provider with session management returns
	// session_state in its authentication responses.
	SessionStateReturned = register(Check{
		ID: "LO-10", Title: "a provider advertising check_session_iframe returns session_state (without spaces) in its authentication response",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Session Management §2"}, Fault: fault.SessionStateMissing,
		Quote:  "OIDC Session Management §2: When the OP supports session management, it MUST also return the Session State as an additional session_state parameter in the Authentication Response …",
		Threat: "the RP cannot watch the session: a user who signed out at the provider stays signed in at the RP", Severity: verdict.Low,
		OIDF: []string{"oidcc-session-management-rp-initiated-logout"},
	})

	// CheckSessionUnchanged: the OP iframe recognises the session_state it
	// issued, posted from the RP's origin.
	CheckSessionUnchanged = register(Check{
		ID: "LO-11", Title: "the check_session_iframe, framed by a page of the RP's origin in the browser, answers \"unchanged\" to the session_state of the live session",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Session Management §3.2"}, Fault: fault.SessionStateUnverifiable,
		Quote:  "OIDC Session Management §3.2: If the received value and the calculated value do not match, then the OP iframe MUST postMessage the string changed back to the source. If it matched, then it MUST postMessage the string unchanged.",
		Threat: "none: the RP hears \"changed\" for a live session and re-authenticates with prompt=none at every poll (a traffic loop), or gives session management up", Severity: verdict.Low,
		OIDF: []string{"oidcc-session-management-rp-initiated-logout"},
	})

	// CheckSessionChangedAfterLogout: after the logout the OP iframe
	// answers changed.
	CheckSessionChangedAfterLogout = register(Check{
		ID: "LO-12", Title: "after an RP-initiated logout the check_session_iframe answers \"changed\" to the session's session_state",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Session Management §3.2"}, Fault: fault.LogoutKeepsBrowserState,
		Quote:  "OIDC Session Management §3.2: Thus, the OP SHOULD update the value of the User Agent state in response to such meaningful events.",
		Threat: "an RP watching the session with the OP iframe never learns of the logout: the user stays signed in there on a shared computer", Severity: verdict.Medium,
		OIDF: []string{"oidcc-session-management-rp-initiated-logout"},
	})

	// FrontchannelRendered: the logout page loads the RP's
	// frontchannel_logout_uri in an iframe.
	FrontchannelRendered = register(Check{
		ID: "LO-13", Title: "after an RP-initiated logout the provider's page loads the client's registered frontchannel_logout_uri in an iframe",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC Front-Channel Logout §3"}, Fault: fault.FrontchannelNotRendered,
		Quote: "OIDC Front-Channel Logout §3: OPs contact them in parallel using a dynamically constructed page with HTML <iframe src=\"frontchannel_logout_uri\"> tags rendering each logged-in RP's logout URI.",
		Binds: BindsPractice, Why: "The sentence describes how an OP advertising frontchannel_logout_supported tells the RPs, without a key word; an RP never told keeps the session the user ended.",
		Threat: "the RP keeps the session the user ended at the provider: the next person at a shared computer is still signed in there", Severity: verdict.Medium,
		OIDF: []string{"oidcc-frontchannel-rp-initiated-logout"},
	})

	// FrontchannelIssAndSid: iss and sid come together, and name the
	// issuer and the ID Token's session.
	FrontchannelIssAndSid = register(Check{
		ID: "LO-14", Title: "the frontchannel_logout_uri is loaded with both iss and sid or neither: the issuer and the sid of the session's ID Token",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Front-Channel Logout §2"}, Fault: fault.FrontchannelIssWithoutSid,
		Quote:  "OIDC Front-Channel Logout §2: … if either is included, both MUST be.",
		Threat: "the RP cannot tell which session the logout is for (or whose it is): it ignores the request, or ends the wrong session", Severity: verdict.Low,
		OIDF: []string{"oidcc-frontchannel-rp-initiated-logout"},
	})

	// BackchannelDelivered: a logout_token reaches the RP's
	// backchannel_logout_uri.
	BackchannelDelivered = register(Check{
		ID: "LO-15", Title: "after an RP-initiated logout the provider POSTs a logout_token (form-encoded) to the client's backchannel_logout_uri",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Back-Channel Logout §2.5"}, Fault: fault.BackchannelNotSent,
		Quote:  "OIDC Back-Channel Logout §2.5: logout_token REQUIRED. Logout Token from the OP for the RP identifying the End-User to be logged out.",
		Threat: "the RP keeps the session the user ended at the provider: the next person at a shared computer (or a stolen RP session cookie) is still signed in there", Severity: verdict.Medium,
		OIDF: []string{"oidcc-backchannel-rp-initiated-logout"},
	})

	// LogoutTokenValid: the logout_token is signed with a published key
	// and carries the claims of a Logout Token.
	LogoutTokenValid = register(Check{
		ID: "LO-16", Title: "the logout_token is signed with a key of jwks_uri and carries iss, aud (the client), iat, jti, sub or sid (the ID Token's) and the backchannel-logout event",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Back-Channel Logout §2.4"}, Fault: fault.LogoutTokenNoEvents,
		Quote:  "OIDC Back-Channel Logout §2.4: events REQUIRED. Claim whose value is a JSON object containing the member name http://schemas.openid.net/event/backchannel-logout. This declares that the JWT is a Logout Token. The corresponding member value MUST be a JSON object …",
		Threat: "an RP that validates the token rejects it and keeps the session; one that does not is open to other JWTs of the provider replayed as logout tokens", Severity: verdict.Medium,
		OIDF: []string{"oidcc-backchannel-rp-initiated-logout"},
	})

	// LogoutTokenNoNonce: no nonce in a Logout Token.
	LogoutTokenNoNonce = register(Check{
		ID: "LO-17", Title: "the logout_token carries no nonce claim",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC Back-Channel Logout §2.4"}, Fault: fault.LogoutTokenNonce,
		Quote:  "OIDC Back-Channel Logout §2.4: nonce PROHIBITED. A nonce Claim MUST NOT be present.",
		Threat: "a Logout Token that passes for an ID Token: an attacker who receives one puts it in a forged authentication response", Severity: verdict.Medium,
		OIDF: []string{"oidcc-backchannel-rp-initiated-logout"},
	})
	// LogoutOnlyStateNotRedirected: a logout request with state alone
	// names no client and no target: nothing to redirect to.
	LogoutOnlyStateNotRedirected = register(Check{
		ID: "LO-18", Title: "a logout request with state alone is not redirected",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC RP-Initiated Logout §3"}, Fault: fault.LogoutRedirectWithoutURI,
		Quote:  "OIDC RP-Initiated Logout §3: … if it is not supplied with post_logout_redirect_uri, the OP MUST NOT perform post-logout redirection unless the OP has other means of confirming the legitimacy of the post-logout redirection target.",
		Threat: "a redirect nobody vouched for: any site can send users through the provider's logout to a client page", Severity: verdict.Low,
		OIDF: []string{"oidcc-rp-initiated-logout-only-state"},
	})

	// LogoutNoParamsNotRedirected: a logout request with no parameter at
	// all is not redirected either.
	LogoutNoParamsNotRedirected = register(Check{
		ID: "LO-19", Title: "a logout request without any parameter is not redirected",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC RP-Initiated Logout §3"}, Fault: fault.LogoutRedirectWithoutURI,
		Quote:  "OIDC RP-Initiated Logout §3: … if it is not supplied with post_logout_redirect_uri, the OP MUST NOT perform post-logout redirection unless the OP has other means of confirming the legitimacy of the post-logout redirection target.",
		Threat: "a redirect nobody vouched for: any site can send users through the provider's logout to a client page", Severity: verdict.Low,
		OIDF: []string{"oidcc-rp-initiated-logout-no-params"},
	})

	// LogoutHintOnlyEndsSession: a logout with the hint alone (no
	// post_logout_redirect_uri) still logs the user out.
	LogoutHintOnlyEndsSession = register(Check{
		ID: "LO-20", Title: "a logout request with id_token_hint and no post_logout_redirect_uri ends the session",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OIDC RP-Initiated Logout §2"}, Fault: fault.LogoutKeepsSessionWithoutRedirect,
		Quote:  "OIDC RP-Initiated Logout §2: If the End-User says \"yes\", then the OP MUST log out the End-User.",
		Threat: "a user who signed out of a shared computer is still signed in: the next person at it (or whoever holds the old session cookie) acts as them", Severity: verdict.High,
		OIDF: []string{"oidcc-rp-initiated-logout-no-post-logout-redirect-uri"},
	})

	// LogoutNoStateInvented: a post-logout redirect of a request without
	// state carries none.
	LogoutNoStateInvented = register(Check{
		ID: "LO-21", Title: "the post-logout redirect of a logout request without state carries no state",
		Area: "OpenID Connect logout", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"OIDC RP-Initiated Logout §2"}, Fault: fault.LogoutStateInvented,
		Quote: "OIDC RP-Initiated Logout §2: If included in the logout request, the OP passes this value back to the RP using the state parameter when redirecting the User Agent back to the RP.",
		Binds: BindsPractice, Why: "The sentence describes what the OP does, without a key word: state is the RP's value, passed back when the RP sent one; a state the RP never sent is one it cannot tie to any request of its own.",
		Threat: "none: interoperability, the RP sees a state it did not send", Severity: verdict.Low,
		OIDF: []string{"oidcc-rp-initiated-logout-no-state"},
	})
)
