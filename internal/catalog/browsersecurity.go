package catalog

// The browser-facing protections of the authorization pages: framing,
// referrer, CORS (RFC 9700 §4.16, §4.2.4, §2.6; RFC 6749 §10.13).
// The checks of suites/browsersecurity.go.

import "github.com/oauthconform/oauthconform/mockserver/fault"

var (
	// FramingBlocked: RFC 9700 §4.16 "Authorization servers MUST prevent
	// clickjacking attacks"; RFC 6749 §10.13 — tested in Chromium from another origin.
	FramingBlocked = register(Check{
		ID: "HS-01", Title: "the login page does not render inside a frame from another origin",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §4.16", "RFC 6749 §10.13"}, Fault: fault.FrameProtectionMissing,
	})

	// FrameAncestorsCSP: RFC 9700 §4.16 "X-Frame-Options ... CSP level 2 or
	// greater ... frame-ancestors ... SHOULD be used".
	FrameAncestorsCSP = register(Check{
		ID: "HS-02", Title: "the authorization page sends Content-Security-Policy frame-ancestors",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 9700 §4.16"}, Fault: fault.CSPFrameAncestorsMissing,
	})

	// XFrameOptions: RFC 6749 §10.13, X-Frame-Options for older browsers.
	XFrameOptions = register(Check{
		ID: "HS-03", Title: "the authorization page sends X-Frame-Options",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 6749 §10.13", "RFC 9700 §4.16"}, Fault: fault.XFrameOptionsMissing,
	})

	// ReferrerPolicy: RFC 9700 §4.2.4 — a Referrer-Policy keeps the
	// authorization request's state and challenge out of Referer headers.
	ReferrerPolicy = register(Check{
		ID: "HS-04", Title: "the authorization page sends a restrictive Referrer-Policy",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Should,
		Spec: []string{"RFC 9700 §4.2.4"}, Fault: fault.ReferrerPolicyMissing,
	})

	// AuthorizationNoCORS: RFC 9700 §2.6, the authorization endpoint MUST NOT
	// support CORS — it is navigated to, never read cross-origin by script.
	AuthorizationNoCORS = register(Check{
		ID: "HS-05", Title: "the authorization endpoint grants no cross-origin read (no CORS)",
		Area: "browser security", Flows: []Flow{FlowAuthorizationCode}, Level: Must,
		Spec: []string{"RFC 9700 §2.6"}, Fault: fault.AuthorizeCORS,
	})
)
