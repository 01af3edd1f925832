package catalog

// The responses of the OpenID Connect flows of the Implicit, Hybrid and
// Form Post plans (oidcflows.go), numbers 01..05 of each family: the
// response and its ID Token, the nonce, the claims of the scopes, UserInfo
// with the flow's access token, and a request without response_type. The
// checks of suites/oidcflowresponse.go.

import (
	"github.com/oauthconform/oauthconform/internal/verdict"
	"github.com/oauthconform/oauthconform/mockserver/fault"
)

var (
	ImplicitResponse         = register(flowResponse(ImplicitPlan, Check{ID: "IM-01", Fault: fault.IDTokenNonceDropped}))
	HybridResponse           = register(flowResponse(HybridPlan, Check{ID: "HB-01", Fault: fault.HybridIDTokenNonceDropped}))
	FormPostResponse         = register(flowResponse(FormPostPlan, Check{ID: "FP-01", Fault: fault.FormPostStateDropped}))
	FormPostImplicitResponse = register(flowResponse(FormPostImplicitPlan, Check{ID: "FI-01", Fault: fault.FormPostStateDropped}))
	FormPostHybridResponse   = register(flowResponse(FormPostHybridPlan, Check{ID: "FH-01", Fault: fault.FormPostHybridIgnored}))

	ImplicitNonce         = register(flowNonce(ImplicitPlan, Check{ID: "IM-02", Fault: fault.IDTokenOnlyNonceOptional}))
	HybridNonce           = register(flowNonce(HybridPlan, Check{ID: "HB-02", Fault: fault.HybridNonceOptional}))
	FormPostNonce         = register(flowNonce(FormPostPlan, Check{ID: "FP-02", Fault: fault.CodeNonceRequired}))
	FormPostImplicitNonce = register(flowNonce(FormPostImplicitPlan, Check{ID: "FI-02", Fault: fault.IDTokenOnlyNonceOptional}))
	FormPostHybridNonce   = register(flowNonce(FormPostHybridPlan, Check{ID: "FH-02", Fault: fault.HybridNonceOptional}))

	// 16: the Hybrid plans run oidcc-ensure-request-without-nonce-succeeds-for-code-flow with code token.
	HybridCodeTokenWithoutNonce         = register(flowCodeTokenWithoutNonce(HybridPlan, Check{ID: "HB-16"}))
	FormPostHybridCodeTokenWithoutNonce = register(flowCodeTokenWithoutNonce(FormPostHybridPlan, Check{ID: "FH-16"}))

	ImplicitScopeClaims         = register(flowScopeClaims(ImplicitPlan, Check{ID: "IM-03", Fault: fault.IDTokenOnlyScopeClaimsDropped}))
	HybridScopeClaims           = register(flowScopeClaims(HybridPlan, Check{ID: "HB-03", Fault: fault.UserinfoDropsEmail}))
	FormPostScopeClaims         = register(flowScopeClaims(FormPostPlan, Check{ID: "FP-03", Fault: fault.UserinfoDropsEmail}))
	FormPostImplicitScopeClaims = register(flowScopeClaims(FormPostImplicitPlan, Check{ID: "FI-03", Fault: fault.IDTokenOnlyScopeClaimsDropped}))
	FormPostHybridScopeClaims   = register(flowScopeClaims(FormPostHybridPlan, Check{ID: "FH-03", Fault: fault.UserinfoDropsEmail}))

	ImplicitUserinfo         = register(flowUserinfo(ImplicitPlan, Check{ID: "IM-04", Fault: fault.ImplicitAccessTokenNoOpenID}))
	HybridUserinfo           = register(flowUserinfo(HybridPlan, Check{ID: "HB-04", Fault: fault.UserinfoPostRefused}))
	FormPostUserinfo         = register(flowUserinfo(FormPostPlan, Check{ID: "FP-04", Fault: fault.UserinfoPostRefused}))
	FormPostImplicitUserinfo = register(flowUserinfo(FormPostImplicitPlan, Check{ID: "FI-04", Fault: fault.ImplicitAccessTokenNoOpenID}))
	FormPostHybridUserinfo   = register(flowUserinfo(FormPostHybridPlan, Check{ID: "FH-04", Fault: fault.UserinfoPostRefused}))

	ImplicitResponseTypeMissing         = register(flowResponseTypeMissing(ImplicitPlan, Check{ID: "IM-05"}))
	HybridResponseTypeMissing           = register(flowResponseTypeMissing(HybridPlan, Check{ID: "HB-05"}))
	FormPostResponseTypeMissing         = register(flowResponseTypeMissing(FormPostPlan, Check{ID: "FP-05"}))
	FormPostImplicitResponseTypeMissing = register(flowResponseTypeMissing(FormPostImplicitPlan, Check{ID: "FI-05"}))
	FormPostHybridResponseTypeMissing   = register(flowResponseTypeMissing(FormPostHybridPlan, Check{ID: "FH-05"}))
)

// flowResponse (01): every part the response type asks for comes back
// where the plan's response mode puts it (the fragment, or the form
// POSTed to the redirect URI; never the query but for code), state echoed,
// and every ID Token of the flow (the front channel's, and the token
// endpoint's when a code came) verifies with the provider's JWKS and
// carries iss, aud, exp, iat, the nonce sent and the hashes the type
// requires: at_hash with an access token from the authorization endpoint
// (OIDC Core §3.2.2.10, §3.3.2.11), c_hash with a code (§3.3.2.11).
func flowResponse(p FlowPlan, c Check) Check {
	c.Title = "the response carries every part asked for where the response mode puts it, state echoed, and ID Tokens that verify with the JWKS and carry iss, aud, exp, iat, the nonce and the hashes the type requires"
	c.Level = Must
	c.Spec = []string{"OIDC Core §2", "OIDC Core §3.1.3.7", "OIDC Core §3.2.2.5", "OIDC Core §3.2.2.10", "OIDC Core §3.3.2.5", "OIDC Core §3.3.2.11", "OAuth Form Post §2"}
	c.Quote = "OIDC Core §2: If present in the Authentication Request, Authorization Servers MUST include a nonce Claim in the ID Token with the Claim Value being the nonce value sent in the Authentication Request."
	c.Threat = "ID Token replay and injection (OIDC Core §15.5.2), code and token injection (RFC 9700 §4.5, §4.6): a response a client cannot bind to its request"
	c.Severity = verdict.High
	c.OIDF = p.Refs("oidcc-server", "oidcc-idtoken-signature")
	return p.titled(c)
}

// flowNonce (02): in the plans whose response types return an ID Token
// from the authorization endpoint, a request without nonce is refused
// (OIDC Core §3.2.2.1 and §3.3.2.11: nonce REQUIRED; §3.1.2.2: the server
// verifies the REQUIRED parameters); in the Form Post Basic plan (code),
// where nonce is OPTIONAL (§3.1.2.1), one without nonce succeeds.
func flowNonce(p FlowPlan, c Check) Check {
	if p.Qualifier == OIDFFormPost {
		c.Title = "an OpenID Connect code request without nonce succeeds"
		c.Level = Should
		c.Spec = []string{"OIDC Core §3.1.2.1"}
		c.Quote = "OIDC Core §3.1.2.1: nonce OPTIONAL. String value used to associate a Client session with an ID Token, and to mitigate replay attacks."
		c.Binds, c.Why = BindsPractice, "In the code flow the nonce is the client's choice (the ID Token comes from the token endpoint, over the client's own connection): a provider that requires it refuses conforming clients. A provider may require it as hardening; the warning says it departs from the specification."
		c.Threat = "none: interoperability"
		c.Severity = verdict.None
		c.OIDF = p.Refs("oidcc-ensure-request-without-nonce-succeeds-for-code-flow")
		return p.titled(c)
	}
	c.Title = "a request without nonce for a response type that returns an ID Token from the authorization endpoint is refused"
	c.Level = Must
	c.Spec = []string{"OIDC Core §3.1.2.2", "OIDC Core §3.2.2.1", "OIDC Core §3.3.2.11"}
	c.Quote = "OIDC Core §3.1.2.2: The Authorization Server MUST verify that all the REQUIRED parameters are present and their usage conforms to this specification."
	c.Threat = "ID Token replay and injection (OIDC Core §15.5.2): a token from another flow accepted by the client"
	c.Severity = verdict.High
	c.OIDF = p.Refs("oidcc-ensure-request-without-nonce-fails")
	return p.titled(c)
}

// flowScopeClaims (03): the claims of the profile, email, address and
// phone scopes come back: in the ID Token when no access token is issued
// (response_type id_token), else from the UserInfo Endpoint with the
// flow's access token (OIDC Core §5.4); they are Voluntary Claims that a
// user may lack, so what comes back is information, as for UI-06..09. A
// request with its scopes in another order is answered too.
func flowScopeClaims(p FlowPlan, c Check) Check {
	c.Title = "the claims of the profile, email, address and phone scopes come back (in the ID Token when no access token is issued, else from the UserInfo Endpoint), the scopes in any order"
	c.Level = May
	c.Spec = []string{"OIDC Core §5.4", "OIDC Core §5.1", "RFC 6749 §3.3"}
	c.Quote = "OIDC Core §5.4: profile OPTIONAL. … The Claims requested by the profile, email, address, and phone scope values are returned from the UserInfo Endpoint, as described in Section 5.3.2, when a response_type value is used that results in an Access Token being issued. However, when no Access Token is issued (which is the case for the response_type value id_token), the resulting Claims are returned in the ID Token."
	c.Threat = "none: interoperability, a conforming client does not get the claims it asked for"
	c.Severity = verdict.None
	c.OIDF = p.Refs("oidcc-scope-profile", "oidcc-scope-email", "oidcc-scope-address", "oidcc-scope-phone", "oidcc-scope-all", "oidcc-ensure-other-scope-order-succeeds")
	return p.titled(c)
}

// flowUserinfo (04): the flow's access token (from the authorization
// endpoint, or from the code's exchange) gets the user's claims from the
// UserInfo Endpoint by GET and POST with the Authorization header and (a
// MAY of RFC 6750 §2.2, information only) in a POST's body, with the ID
// Token's sub.
func flowUserinfo(p FlowPlan, c Check) Check {
	c.Title = "the flow's access token gets the user's claims from the UserInfo Endpoint by GET and POST, with the ID Token's sub"
	c.Level = Must
	c.Spec = []string{"OIDC Core §5.3.1", "OIDC Core §5.3.2", "RFC 6750 §2.1", "RFC 6750 §2.2"}
	c.Quote = "OIDC Core §5.3.1: The UserInfo Endpoint MUST support the use of the HTTP GET and HTTP POST methods …"
	c.Threat = "none: interoperability, a conforming client fails against the server"
	c.Severity = verdict.None
	c.OIDF = p.Refs("oidcc-userinfo-get", "oidcc-userinfo-post-header", "oidcc-userinfo-post-body")
	return p.titled(c)
}

// flowResponseTypeMissing (05): the plan's request (its response mode,
// nonce, PKCE) without response_type gets an error and nothing issued
// (RFC 6749 §3.1.1), with the plan's request as positive control.
func flowResponseTypeMissing(p FlowPlan, c Check) Check {
	c.Title = "the plan's request without response_type gets an error and no code or token"
	c.Level = Must
	c.Spec = []string{"RFC 6749 §3.1.1", "RFC 6749 §4.1.2.1"}
	c.Fault = fault.ResponseTypeLenient
	c.Quote = "RFC 6749 §3.1.1: If an authorization request is missing the \"response_type\" parameter, or if the response type is not understood, the authorization server MUST return an error response as described in Section 4.1.2.1."
	c.Threat = "none: a request the server did not understand must not yield a code"
	c.Severity = verdict.Low
	c.OIDF = p.Refs("oidcc-response-type-missing")
	return p.titled(c)
}

// flowCodeTokenWithoutNonce (16): the hybrid code token returns no ID Token
// from the authorization endpoint, so its nonce is OPTIONAL as in the code
// flow (OIDC Core §3.3.2.11 requires it for code id_token and code id_token
// token only): a code token request without nonce succeeds. The OIDF
// Hybrid plans run oidcc-ensure-request-without-nonce-succeeds-for-code-flow
// with code token (OIDCCEnsureRequestWithoutNonceSucceedsForCodeFlow is not
// applicable to the types with id_token).
func flowCodeTokenWithoutNonce(p FlowPlan, c Check) Check {
	c.Title = "a code token request without nonce succeeds"
	c.Level = Should
	c.Spec = []string{"OIDC Core §3.3.2.11", "OIDC Core §3.1.2.1"}
	c.Fault = fault.CodeTokenNonceRequired
	c.Quote = "OIDC Core §3.1.2.1: nonce OPTIONAL. String value used to associate a Client session with an ID Token, and to mitigate replay attacks."
	c.Binds, c.Why = BindsPractice, "With code token the ID Token comes from the token endpoint, as in the code flow, where the nonce is the client's choice: a provider that requires it refuses conforming clients. A provider may require it as hardening; the warning says it departs from the specification."
	c.Threat = "none: interoperability"
	c.Severity = verdict.None
	c.OIDF = p.Refs("oidcc-ensure-request-without-nonce-succeeds-for-code-flow")
	return p.titled(c)
}

// flowIDs are the IDs of number n ("01") in the families of the given
// prefixes, or in every family when none is given (collateral.go).
func flowIDs(n string, prefixes ...string) []string {
	if len(prefixes) == 0 {
		for _, p := range FlowPlans() {
			prefixes = append(prefixes, p.Prefix)
		}
	}
	out := make([]string, len(prefixes))
	for i, p := range prefixes {
		out[i] = p + "-" + n
	}
	return out
}
