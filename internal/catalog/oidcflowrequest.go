package catalog

// The OpenID Connect flow families' requests (see oidcflows.go): the
// registered redirect URI (06), the request parameters a provider accepts
// (07), request objects (08), essential claims (09), and, for the plans
// whose response types issue a code, its single use (13), its exchange
// (14) and, for Form Post Basic, the request sent by POST (15) — each the
// Basic plan's check of the same modules (RU-01, OP-09..13 and AE-08,
// JAR-01/03/06, OP-16, CODE-01/04, CA-02/PK-01/RT-01, OP-17) run with the
// plan's response types and response mode.
// The checks of suites/oidcflowrequest.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	ImplicitRegisteredRedirect         = register(flowRegisteredRedirect(ImplicitPlan, Check{ID: "IM-06"}))
	HybridRegisteredRedirect           = register(flowRegisteredRedirect(HybridPlan, Check{ID: "HB-06"}))
	FormPostRegisteredRedirect         = register(flowRegisteredRedirect(FormPostPlan, Check{ID: "FP-06"}))
	FormPostImplicitRegisteredRedirect = register(flowRegisteredRedirect(FormPostImplicitPlan, Check{ID: "FI-06"}))
	FormPostHybridRegisteredRedirect   = register(flowRegisteredRedirect(FormPostHybridPlan, Check{ID: "FH-06"}))

	ImplicitRequestParams         = register(flowRequestParams(ImplicitPlan, Check{ID: "IM-07"}))
	HybridRequestParams           = register(flowRequestParams(HybridPlan, Check{ID: "HB-07"}))
	FormPostRequestParams         = register(flowRequestParams(FormPostPlan, Check{ID: "FP-07"}))
	FormPostImplicitRequestParams = register(flowRequestParams(FormPostImplicitPlan, Check{ID: "FI-07"}))
	FormPostHybridRequestParams   = register(flowRequestParams(FormPostHybridPlan, Check{ID: "FH-07"}))

	ImplicitRequestObjects         = register(flowRequestObjects(ImplicitPlan, Check{ID: "IM-08"}))
	HybridRequestObjects           = register(flowRequestObjects(HybridPlan, Check{ID: "HB-08"}))
	FormPostRequestObjects         = register(flowRequestObjects(FormPostPlan, Check{ID: "FP-08"}))
	FormPostImplicitRequestObjects = register(flowRequestObjects(FormPostImplicitPlan, Check{ID: "FI-08"}))
	FormPostHybridRequestObjects   = register(flowRequestObjects(FormPostHybridPlan, Check{ID: "FH-08"}))

	ImplicitEssentialClaims         = register(flowEssentialClaims(ImplicitPlan, Check{ID: "IM-09"}))
	HybridEssentialClaims           = register(flowEssentialClaims(HybridPlan, Check{ID: "HB-09"}))
	FormPostEssentialClaims         = register(flowEssentialClaims(FormPostPlan, Check{ID: "FP-09"}))
	FormPostImplicitEssentialClaims = register(flowEssentialClaims(FormPostImplicitPlan, Check{ID: "FI-09"}))
	FormPostHybridEssentialClaims   = register(flowEssentialClaims(FormPostHybridPlan, Check{ID: "FH-09"}))

	HybridCodeReuse         = register(flowCodeReuse(HybridPlan, Check{ID: "HB-13"}))
	FormPostCodeReuse       = register(flowCodeReuse(FormPostPlan, Check{ID: "FP-13"}))
	FormPostHybridCodeReuse = register(flowCodeReuse(FormPostHybridPlan, Check{ID: "FH-13"}))

	HybridCodeExchange         = register(flowCodeExchange(HybridPlan, Check{ID: "HB-14"}))
	FormPostCodeExchange       = register(flowCodeExchange(FormPostPlan, Check{ID: "FP-14"}))
	FormPostHybridCodeExchange = register(flowCodeExchange(FormPostHybridPlan, Check{ID: "FH-14"}))

	FormPostAuthorizePost = register(flowAuthorizePost(FormPostPlan, Check{ID: "FP-15"}))
)

// flowRegisteredRedirect (06): RU-01 with the plan's requests.
func flowRegisteredRedirect(p FlowPlan, c Check) Check {
	c.Title = "an unregistered redirect URI gets no code, token or ID Token"
	c.Level, c.Spec = Must, []string{"RFC 6749 §3.1.2.4", "RFC 9700 §2.1", "OIDC Core §3.1.2.1"}
	c.Quote = "RFC 6749 §3.1.2.4: If an authorization request fails validation due to a missing, invalid, or mismatching redirection URI, the authorization server … MUST NOT automatically redirect the user-agent to the invalid redirection URI."
	c.Threat = "RFC 9700 §4.1 insufficient redirect URI validation: codes and tokens sent to an attacker's URI"
	c.Severity, c.Fault = verdict.Critical, fault.FlowRedirectURIUnchecked
	c.OIDF = p.Refs("oidcc-ensure-registered-redirect-uri")
	return p.titled(c)
}

// flowRequestParams (07): OP-09..13 and AE-08 with the plan's requests.
func flowRequestParams(p FlowPlan, c Check) Check {
	c.Title = "requests with display, login_hint, ui_locales, claims_locales, acr_values or an unknown parameter succeed"
	c.Level, c.Spec = Must, []string{"RFC 6749 §3.1", "OIDC Core §3.1.2.1", "OIDC Core §5.2", "OIDC Core §15.1"}
	c.Quote = "RFC 6749 §3.1: The authorization server MUST ignore unrecognized request parameters."
	c.Threat = "none: interoperability, a conforming client fails against the server"
	c.Severity, c.Fault = verdict.None, fault.FlowParamsRejected
	c.OIDF = p.Refs("oidcc-display-page", "oidcc-display-popup", "oidcc-ensure-request-with-unknown-parameter-succeeds",
		"oidcc-login-hint", "oidcc-ui-locales", "oidcc-claims-locales", "oidcc-ensure-request-with-acr-values-succeeds")
	return p.titled(c)
}

// flowRequestObjects (08): JAR-03, JAR-06 and JAR-01 with the plan's requests.
func flowRequestObjects(p FlowPlan, c Check) Check {
	c.Title = "unsigned request objects (by value and by reference) are used as the metadata says or refused, and one carrying redirect_uri works"
	c.Level, c.Spec = Should, []string{"OIDC Discovery §3", "OIDC Core §6.1", "OIDC Core §6.2", "RFC 9101 §10.5"}
	c.Quote = "OIDC Discovery §3: request_object_signing_alg_values_supported OPTIONAL. JSON array containing a list of the JWS signing algorithms (alg values) supported by the OP for Request Objects, which are described in Section 6.1 of OpenID Connect Core 1.0 [OpenID.Core]."
	c.Binds = BindsPractice
	c.Why = "The metadata is the provider's word on request objects: one it says it does not support must be refused (or, request objects not supported at all, ignored as an unknown parameter), never taken unsigned; one it supports must be used as the request."
	c.Threat = threatTampering
	c.Severity, c.Fault = verdict.Medium, fault.FlowRequestObjectUnsignedAccepted
	c.OIDF = p.Refs("oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported",
		"oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported", "oidcc-ensure-request-object-with-redirect-uri")
	return p.titled(c)
}

// flowEssentialClaims (09): OP-16 with the plan's requests.
func flowEssentialClaims(p FlowPlan, c Check) Check {
	c.Title = "a claims request with an essential claim succeeds"
	c.Level, c.Spec = Must, []string{"OIDC Core §5.5.1", "OIDC Core §5.5"}
	c.Quote = "OIDC Core §5.5.1: Note that even if the Claims are not available because the End-User did not authorize their release or they are not present, the Authorization Server MUST NOT generate an error when Claims are not returned, whether they are Essential or Voluntary, unless otherwise specified in the description of the specific claim."
	c.Threat = "none: interoperability"
	c.Severity, c.Fault = verdict.None, fault.ClaimsEssentialError
	c.OIDF = p.Refs("oidcc-claims-essential")
	return p.titled(c)
}

// flowCodeReuse (13): CODE-01 (and CODE-04's revocation, as information)
// with the plan's code.
func flowCodeReuse(p FlowPlan, c Check) Check {
	c.Title = "the code of the response can be redeemed only once"
	c.Level, c.Spec = Must, []string{"RFC 6749 §4.1.2", "RFC 6749 §10.5"}
	c.Quote = "RFC 6749 §4.1.2: If an authorization code is used more than once, the authorization server MUST deny the request …"
	c.Threat = "RFC 6819 §4.4.1.1 eavesdropping or leaking authorization codes: a leaked code redeemed"
	c.Severity, c.Fault = verdict.High, fault.CodeReuse
	c.OIDF = p.Refs("oidcc-codereuse", "oidcc-codereuse-30seconds")
	return p.titled(c)
}

// flowCodeExchange (14): PK-01, CA-02 and RT-01 with the plan's code.
func flowCodeExchange(p FlowPlan, c Check) Check {
	c.Title = "the code of the response redeems with its PKCE verifier (by client_secret_post when advertised) and its refresh token refreshes"
	c.Level, c.Spec = Must, []string{"RFC 7636 §4.6", "RFC 6749 §2.3.1", "RFC 6749 §6", "RFC 8414 §2"}
	c.Quote = "RFC 7636 §4.6: If the values are equal, the token endpoint MUST continue processing as normal (as defined by OAuth 2.0 [RFC6749])."
	c.Threat = "none: interoperability, a conforming client fails against the server"
	c.Severity, c.Fault = verdict.None, fault.PKCEMethodIgnored
	c.OIDF = p.Refs("oidcc-ensure-request-with-valid-pkce-succeeds", "oidcc-server-client-secret-post", "oidcc-refresh-token")
	return p.titled(c)
}

// flowAuthorizePost (15): OP-17 with the plan's request.
func flowAuthorizePost(p FlowPlan, c Check) Check {
	c.Title = "the authorization request POSTed by a browser form succeeds"
	c.Level, c.Spec = Must, []string{"OIDC Core §3.1.2.1"}
	c.Quote = "OIDC Core §3.1.2.1: Authorization Servers MUST support the use of the HTTP GET and POST methods defined in RFC 2616 [RFC2616] at the Authorization Endpoint."
	c.Threat = "none: interoperability"
	c.Severity, c.Fault = verdict.None, fault.AuthorizePostRefused
	c.OIDF = p.Refs("oidcc-ensure-post-request-succeeds")
	return p.titled(c)
}
