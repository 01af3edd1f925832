package catalog

// The OpenID Connect flows (oidcflows.go), numbers 10..12: prompt=none,
// prompt=login and max_age, id_token_hint — the Basic plan's OP-01..OP-08
// asked with each family's response types and response mode. Their
// requests ride on the reauthentication session of OP-01..OP-07 (its steps
// send every family's request at the same moment: suites/oidcflowreauth.go)
// and, for id_token_hint, on the shared login as OP-08 does.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	ImplicitPromptNone         = register(flowPromptNone(ImplicitPlan, Check{ID: "IM-10"}))
	HybridPromptNone           = register(flowPromptNone(HybridPlan, Check{ID: "HB-10"}))
	FormPostPromptNone         = register(flowPromptNone(FormPostPlan, Check{ID: "FP-10"}))
	FormPostImplicitPromptNone = register(flowPromptNone(FormPostImplicitPlan, Check{ID: "FI-10"}))
	FormPostHybridPromptNone   = register(flowPromptNone(FormPostHybridPlan, Check{ID: "FH-10"}))

	ImplicitReauthentication         = register(flowReauthentication(ImplicitPlan, Check{ID: "IM-11"}))
	HybridReauthentication           = register(flowReauthentication(HybridPlan, Check{ID: "HB-11"}))
	FormPostReauthentication         = register(flowReauthentication(FormPostPlan, Check{ID: "FP-11"}))
	FormPostImplicitReauthentication = register(flowReauthentication(FormPostImplicitPlan, Check{ID: "FI-11"}))
	FormPostHybridReauthentication   = register(flowReauthentication(FormPostHybridPlan, Check{ID: "FH-11"}))

	ImplicitIDTokenHint         = register(flowIDTokenHint(ImplicitPlan, Check{ID: "IM-12"}))
	HybridIDTokenHint           = register(flowIDTokenHint(HybridPlan, Check{ID: "HB-12"}))
	FormPostIDTokenHint         = register(flowIDTokenHint(FormPostPlan, Check{ID: "FP-12"}))
	FormPostImplicitIDTokenHint = register(flowIDTokenHint(FormPostImplicitPlan, Check{ID: "FI-12"}))
	FormPostHybridIDTokenHint   = register(flowIDTokenHint(FormPostHybridPlan, Check{ID: "FH-12"}))
)

// flowPromptNone is number 10: prompt=none never shows a page; without a
// session it is answered with an error at the redirect URI, the response
// type's way (fragment or form_post), and with one by the type's response
// (OP-01 and OP-02).
func flowPromptNone(p FlowPlan, c Check) Check {
	c.Title = "prompt=none is answered at the redirect URI without any page: an error without a session, the response with one"
	c.Level = Must
	c.Spec = []string{"OIDC Core §3.1.2.1", "OIDC Core §3.1.2.6", "OIDC Core §15.1"}
	c.Quote = "OIDC Core §3.1.2.1: none The Authorization Server MUST NOT display any authentication or consent user interface pages. An error is returned if an End-User is not already authenticated or the Client does not have pre-configured consent for the requested Claims or does not fulfill other conditions for processing the request."
	c.Threat = "none directly: a silent request (in a hidden iframe or a background redirect) that shows a login page leaves the client hanging and teaches users to sign in on pages they did not ask for; one whose answer does not come back the response type's way is lost to the client"
	c.Severity = verdict.Low
	c.Fault = fault.FlowPromptNoneLoginPage
	c.OIDF = p.Refs("oidcc-prompt-none-not-logged-in", "oidcc-prompt-none-logged-in")
	return p.titled(c)
}

// flowReauthentication is number 11: prompt=login and max_age=1 (on a
// sign-in more than a second old) bring the login form back, and the ID
// Token of max_age=10000 carries auth_time (OP-03, OP-05, OP-06; whether
// max_age=10000 spares a fresh session the login form, OP-07's SHOULD, is
// evidence here, not a failure of this MUST).
func flowReauthentication(p FlowPlan, c Check) Check {
	c.Title = "prompt=login and max_age=1 show the login form again to a signed-in user, and the ID Token of max_age=10000 carries auth_time"
	c.Level = Must
	c.Spec = []string{"OIDC Core §3.1.2.1", "OIDC Core §15.1"}
	c.Quote = "OIDC Core §3.1.2.1: If the elapsed time is greater than this value, the OP MUST attempt to actively re-authenticate the End-User. … When max_age is used, the ID Token returned MUST include an auth_time Claim Value."
	c.Threat = "a client that asks for a fresh sign-in before a sensitive action (a payment, a settings change) gets the old session: someone at an unattended, signed-in browser passes for the user"
	c.Severity = verdict.Medium
	c.Fault = fault.FlowPromptLoginIgnored
	c.OIDF = p.Refs("oidcc-prompt-login", "oidcc-max-age-1", "oidcc-max-age-10000")
	return p.titled(c)
}

// flowIDTokenHint is number 12: prompt=none with the signed-in user's ID
// Token as id_token_hint gets the response (OP-08).
func flowIDTokenHint(p FlowPlan, c Check) Check {
	c.Title = "prompt=none with an id_token_hint of the signed-in user gets the response"
	c.Level = Should
	c.Spec = []string{"OIDC Core §3.1.2.1"}
	c.Quote = "OIDC Core §3.1.2.1: If the End-User identified by the ID Token is logged in or is logged in by the request, then the Authorization Server returns a positive response; otherwise, it SHOULD return an error, such as login_required."
	c.Threat = "none: interoperability, silent re-authentication with a hint fails"
	c.Severity = verdict.None
	c.Fault = fault.FlowIDTokenHintRejected
	c.OIDF = p.Refs("oidcc-id-token-hint")
	return p.titled(c)
}
