package catalog

// OAuth 2.0 Form Post Response Mode: the authorization response POSTed by
// a form to the redirect URI, as the real browser sends it. The checks of
// suites/formpost.go; they run where the metadata advertises form_post.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// formPostMethod is the Form Post Response Mode's requirement of the form.
const formPostMethod = "OAuth Form Post §2: The method of the form attribute MUST be POST."

var (
	// FormPostCode: a code request with response_mode=form_post gets its
	// code in a form POSTed to the redirect URI.
	FormPostCode = register(Check{
		ID: "OP-18", Title: "response_mode=form_post delivers the code in a form POSTed to the redirect URI, not in its URL",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OAuth Form Post §2"}, Fault: fault.FormPostIgnored,
		Quote:  formPostMethod,
		Threat: "a client that asked for form_post to keep the code out of URLs (history, logs, Referer) gets it in the query", Severity: verdict.Medium,
		OIDF: []string{"oidcc-server@form_post"},
	})

	// FormPostState: the form carries the request's state.
	FormPostState = register(Check{
		ID: "OP-19", Title: "the form_post response carries state exactly",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 6749 §4.1.2", "OAuth Form Post §2"}, Fault: fault.FormPostStateDropped,
		Quote:  "RFC 6749 §4.1.2: state REQUIRED if the \"state\" parameter was present in the client authorization request. The exact value received from the client.",
		Threat: "RFC 9700 §4.7 cross-site request forgery: a client that checks state rejects the response, one that does not accepts a forged one", Severity: verdict.Medium,
		OIDF: []string{"oidcc-server@form_post"},
	})

	// FormPostNoStore: the page carrying the response is not to be stored.
	FormPostNoStore = register(Check{
		ID: "OP-20", Title: "the form_post page is sent with Cache-Control: no-store",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OAuth Form Post §2"}, Fault: fault.FormPostCacheable,
		Quote:  "OAuth Form Post §2: Because the Authorization Response is intended to be used only once, the Authorization Server MUST instruct the User Agent (and any intermediaries) not to store or reuse the content of the response.",
		Threat: "the code (or tokens) kept in the browser's cache or a shared proxy, readable later by another user of the machine or the proxy", Severity: verdict.Medium,
	})

	// FormPostImplicit: an implicit response with response_mode=form_post
	// is POSTed too.
	FormPostImplicit = register(Check{
		ID: "OP-21", Title: "response_mode=form_post delivers an id_token token response in a form POST, not in the fragment",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowImplicit}, Level: Must,
		Spec: []string{"OAuth Form Post §2"}, Fault: fault.FormPostImplicitIgnored,
		Quote:  formPostMethod,
		Threat: "tokens the client asked to receive by POST land in the fragment, where every script of the client's page reads them", Severity: verdict.Medium,
		OIDF: []string{"oidcc-server@form_post_implicit"},
	})

	// FormPostHybrid: a code id_token response with response_mode=form_post
	// is POSTed too.
	FormPostHybrid = register(Check{
		ID: "OP-23", Title: "response_mode=form_post delivers a code id_token response in a form POST, not in the fragment",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OAuth Form Post §2", "OIDC Core §3.3.2.5"}, Fault: fault.FormPostHybridIgnored,
		Quote:  formPostMethod,
		Threat: "a code and an ID Token the client asked to receive by POST land in the fragment, where every script of the client's page reads them", Severity: verdict.Medium,
		OIDF: []string{"oidcc-server@form_post_hybrid"},
	})

	// FormPostError: an error response to a form_post request is POSTed.
	FormPostError = register(Check{
		ID: "OP-22", Title: "an error response to a form_post request (prompt=none without a session) comes in a form POST",
		Area: "OpenID Connect authentication request", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"OAuth Form Post §2", "OIDC Core §3.1.2.6"}, Fault: fault.FormPostErrorRedirected,
		Quote:  formPostMethod,
		Threat: "none: interoperability, a form_post client listens for a POST and never sees the error", Severity: verdict.Low,
		OIDF: []string{"oidcc-prompt-none-not-logged-in@form_post"},
	})
)
