package catalog

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// The checks of suites/consent.go, which the browser makes possible
// (issue 13 item 5): the consent step's protection against cross-site
// request forgery, and a client getting only the response types it is
// registered for, judged past the consent page.
var (
	// ConsentCSRFProtected: RFC 6749 §10.12. The consent form is read twice
	// in the user's browser; the fields whose values differ between the two
	// pages are its anti-forgery values, which a page of another origin
	// cannot know. That page submits the form without them, in the user's
	// browser: no code may come of it.
	ConsentCSRFProtected = register(Check{
		ID: "AE-15", Title: "the consent form submitted from another origin without the page's anti-forgery value issues no code",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec:     []string{"RFC 6749 §10.12", "RFC 9700 §4.7"},
		Fault:    fault.ConsentCSRF,
		Quote:    "RFC 6749 §10.12: The authorization server MUST implement CSRF protection for its authorization endpoint and ensure that a malicious client cannot obtain authorization without the awareness and explicit consent of the resource owner.",
		Threat:   "cross-site request forgery of the consent step (RFC 6819 §4.4.1.8): any page the user visits approves an attacker's client",
		Severity: verdict.High,
	})

	// CodeOnlyForRegisteredClients: RFC 6749 §4.1.2.1 unauthorized_client;
	// a client registered only for the implicit response types asks for a
	// code, as the signed-in user, in the browser past the consent page.
	CodeOnlyForRegisteredClients = register(Check{
		ID: "AE-16", Title: "a client not registered for the code response type gets no code",
		Area: "authorization endpoint", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec:     []string{"RFC 6749 §4.1.2.1", "RFC 6749 §3.1.1"},
		Fault:    fault.CodeAnyClient,
		Quote:    "RFC 6749 §4.1.2.1: error REQUIRED. A single ASCII [USASCII] error code from the following: … unauthorized_client The client is not authorized to request an authorization code using this method.",
		Threat:   "a client obtaining a grant type its registration does not allow (RFC 6819 §5.2.3.1)",
		Severity: verdict.Medium,
	})
)
