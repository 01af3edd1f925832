package catalog

// The browser-facing protections of the authorization pages: framing,
// referrer, CORS (RFC 9700 §4.16, §4.2.4, §2.6; RFC 6749 §10.13).
// The checks of suites/browsersecurity.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	// FramingBlocked: RFC 9700 §4.16 "Authorization servers MUST prevent
	// clickjacking attacks"; RFC 6749 §10.13 — tested in Chromium from another origin.
	FramingBlocked = register(Check{
		ID: "HS-01", Title: "the login page does not render inside a frame from another origin",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §4.16", "RFC 6749 §10.13"}, Fault: fault.FrameProtectionMissing,
		Quote:  "RFC 9700 §4.16: Authorization servers MUST prevent clickjacking attacks.",
		Threat: "RFC 9700 §4.16 clickjacking: the consent page framed under a decoy", Severity: verdict.High,
	})

	// FrameAncestorsCSP: RFC 9700 §4.16 "X-Frame-Options ... CSP level 2 or
	// greater ... frame-ancestors ... SHOULD be used".
	FrameAncestorsCSP = register(Check{
		ID: "HS-02", Title: "the authorization page sends Content-Security-Policy frame-ancestors",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 9700 §4.16"}, Fault: fault.CSPFrameAncestorsMissing,
		Quote:  "RFC 9700 §4.16: In addition to those, authorization servers SHOULD also use Content Security Policy (CSP) level 2 [W3C.CSP-2] or greater.",
		Threat: "RFC 9700 §4.16 clickjacking: the consent page framed under a decoy", Severity: verdict.Low,
	})

	// XFrameOptions: RFC 6749 §10.13, X-Frame-Options for older browsers.
	XFrameOptions = register(Check{
		ID: "HS-03", Title: "the authorization page sends X-Frame-Options",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §10.13", "RFC 9700 §4.16"}, Fault: fault.XFrameOptionsMissing,
		Quote: "RFC 9700 §4.16: Multiple countermeasures are described in [RFC6819], including the use of the X-Frame-Options HTTP response header field and frame-busting JavaScript.",
		Binds: BindsPractice, Why: "The sentence names X-Frame-Options as one way to meet the MUST that HS-01 tests in the browser; CSP frame-ancestors (HS-02) supersedes it, so lacking it alone only weakens the defence in browsers without CSP level 2.",
		Threat: "RFC 9700 §4.16 clickjacking: the consent page framed under a decoy", Severity: verdict.Low,
	})

	// ReferrerPolicy: RFC 9700 §4.2.4 — a Referrer-Policy keeps the
	// authorization request's state and challenge out of Referer headers.
	ReferrerPolicy = register(Check{
		ID: "HS-04", Title: "the authorization page sends a restrictive Referrer-Policy",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 9700 §4.2.4"}, Fault: fault.ReferrerPolicyMissing,
		Quote: "RFC 9700 §4.2.4: Suppress the Referer header by applying an appropriate Referrer Policy [W3C.webappsec-referrer-policy] to the document (either as part of the \"referrer\" meta attribute or by setting a Referrer-Policy header).",
		Binds: BindsPractice, Why: "RFC 9700 §4.2.4 lists a referrer policy among the measures that \"further reduce the chances of a successful attack\", beside the SHOULD NOT that HS-10 tests: a hardening practice.",
		Threat: "RFC 9700 §4.2 credential leakage via Referer headers: state, codes or challenges reach other origins", Severity: verdict.Low,
	})

	// AuthorizationNoCORS: RFC 9700 §2.6, the authorization endpoint MUST NOT
	// support CORS — it is navigated to, never read cross-origin by script.
	AuthorizationNoCORS = register(Check{
		ID: "HS-05", Title: "the authorization endpoint grants no cross-origin read (no CORS)",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.6"}, Fault: fault.AuthorizeCORS,
		Quote:  "RFC 9700 §2.6: However, CORS MUST NOT be supported at the authorization endpoint, as the client does not access this endpoint directly; instead, the client redirects the user agent to it.",
		Threat: "cross-origin reads of the authorization endpoint's answers by any web site (RFC 9700 §2.6)", Severity: verdict.Medium,
	})
)
