package suites

// The responses of the OpenID Connect flows of the Implicit, Hybrid and
// Form Post plans (internal/catalog/oidcflowresponse.go, 01..05 of each
// family). They judge the flows' plain answers (oidcFlow.plain, sent once
// per run) and send only what they must: the request without nonce, with
// its scopes in another order, without response_type.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// flowCheck is one family's check with its plan.
type flowCheck struct {
	check catalog.Check
	plan  catalog.FlowPlan
}

// flowChecks pairs the five families' checks of one number, in the order
// of catalog.FlowPlans.
func flowChecks(checks ...catalog.Check) []flowCheck {
	plans := catalog.FlowPlans()
	out := make([]flowCheck, len(checks))
	for i, c := range checks {
		out[i] = flowCheck{check: c, plan: plans[i]}
	}
	return out
}

// place says where a response parameter came back: "form" (POSTed to the
// redirect URI), "fragment", "query", or "" when it did not.
func (ld *landing) place(name string) string {
	switch {
	case ld.res != nil:
		switch {
		case ld.res.Form.Has(name):
			return "form"
		case ld.res.Fragment.Has(name):
			return "fragment"
		case ld.res.Query.Has(name):
			return "query"
		}
	case ld.probe != nil && ld.probe.Redirected() && ld.probe.Target != nil:
		if f, err := url.ParseQuery(ld.probe.Target.Fragment); err == nil && f.Has(name) {
			return "fragment"
		}
		if ld.probe.Target.Query().Has(name) {
			return "query"
		}
	}
	return ""
}

// wantPlace is where the plan's response mode puts a successful response
// of response type rt: the form POSTed to the redirect URI for form_post
// (OAuth Form Post §2), the query for code (RFC 6749 §4.1.2), the
// fragment for every other type (OIDC Core §3.2.2.5, §3.3.2.5).
func (f oidcFlow) wantPlace(rt string) string {
	switch {
	case f.plan.FormPost:
		return "form"
	case rt == "code":
		return "query"
	}
	return "fragment"
}

// parts are the response parameters response type rt asks for.
func parts(rt string) []string {
	var out []string
	for _, p := range []struct{ word, param string }{{"code", "code"}, {"id_token", "id_token"}, {"token", "access_token"}} {
		if hasResponse(rt, p.word) {
			out = append(out, p.param)
		}
	}
	return out
}

// expectFlowIDToken verifies an ID Token of the flow: its signature with
// the JWKS, iss, aud, exp, iat and the nonce sent (OIDC Core §2, §3.1.3.7).
func expectFlowIDToken(ctx context.Context, raw, nonce, what string) map[string]any {
	GinkgoHelper()
	header, claims := idToken(raw)
	expectVerifiesWithJWKS(ctx, raw, header, what)
	Expect(claims["iss"]).To(Equal(env.Endpoints.Issuer), "iss of the %s", what)
	Expect(audience(claims)).To(ContainElement(env.Profile.Clients.Confidential.ID), "aud of the %s", what)
	exp, ok := claims["exp"].(float64)
	Expect(ok).To(BeTrue(), "the %s has no numeric exp", what)
	Expect(time.Unix(int64(exp), 0).After(time.Now())).To(BeTrue(), "the %s has expired (exp %v)", what, claims["exp"])
	_, ok = claims["iat"].(float64)
	Expect(ok).To(BeTrue(), "the %s has no numeric iat", what)
	Expect(claims["nonce"]).To(Equal(nonce), "the nonce of the %s is not the one the request sent", what)
	return claims
}

// expectTokenHash asserts claim (at_hash, c_hash) of an ID Token is the
// hash of value (OIDC Core §3.2.2.10, §3.3.2.11).
func expectTokenHash(raw, claim, value, what string) {
	GinkgoHelper()
	header, claims, _ := harness.JWTParts(raw)
	want, ok := harness.TokenHash(value, fmt.Sprint(header["alg"]))
	if !ok {
		env.Attach(fmt.Sprintf("the %s's alg %v has no defined hash: %s not compared", what, header["alg"], claim))
		return
	}
	Expect(claims[claim]).To(Equal(want), "%s of the %s does not match", claim, what)
}

// flowResponse is the 01 check of one plain answer.
func flowResponse(ctx context.Context, a *flowAnswer) {
	GinkgoHelper()
	a.attach("the plain request")
	want := a.flow.wantPlace(a.rt)
	for _, p := range parts(a.rt) {
		if got := a.ld.place(p); got != want {
			harness.Broken("%s came back in the %s, not in the %s (response_type=%s): %s", p, got, want, a.rt, a.ld)
		}
	}
	Expect(a.got.Get("state")).To(Equal(a.sent.Get("state")), "the state was not echoed (response_type=%s)", a.rt)
	nonce := a.sent.Get("nonce")
	if raw := a.got.Get("id_token"); raw != "" {
		expectFlowIDToken(ctx, raw, nonce, "ID Token of the authorization response")
		if at := a.got.Get("access_token"); at != "" {
			expectTokenHash(raw, "at_hash", at, "ID Token of the authorization response")
		}
		if code := a.got.Get("code"); code != "" {
			expectTokenHash(raw, "c_hash", code, "ID Token of the authorization response")
		}
	}
	t := a.redeemed(ctx)
	if !t.exchanged {
		return
	}
	t.requireExchanged()
	raw, _ := t.token.Extra("id_token").(string)
	Expect(raw).NotTo(BeEmpty(), "the token response to the code of a response_type=%s answer carries no id_token", a.rt)
	expectFlowIDToken(ctx, raw, nonce, "ID Token of the token response")
}

// withoutNonce is the 02 check: a request without nonce is refused for
// every offered type that returns an ID Token from the authorization
// endpoint, and (Form Post Basic) succeeds for code. The type's plain
// answer is the positive control.
func withoutNonce(ctx context.Context, f oidcFlow) {
	GinkgoHelper()
	judged := 0
	for _, a := range f.answers(ctx) {
		if f.plan.Qualifier == catalog.OIDFFormPost {
			b := f.send(ctx, a.rt, url.Values{"nonce": nil})
			b.attach("without nonce")
			if b.complete() {
				return
			}
			env.Attach("control: the same request with a nonce delivered\n" + a.ld.String())
			harness.Broken("the request without nonce was refused: %s", b.ld)
		}
		if !hasResponse(a.rt, "id_token") {
			continue // code token: the ID Token comes from the token endpoint (oidcc-ensure-request-without-nonce-succeeds-for-code-flow)
		}
		b := f.send(ctx, a.rt, url.Values{"nonce": nil})
		b.attach("without nonce")
		if b.ld.delivered() {
			harness.Broken("a code or token was delivered for a response_type=%s request without nonce: %s", a.rt, b.ld)
		}
		env.Attach(fmt.Sprintf("control: the same request (response_type=%s) with a nonce delivered\n%s", a.rt, a.ld))
		judged++
	}
	harness.SkipUnless(judged > 0, "no response type the provider answers for the plan returns an ID Token from the authorization endpoint")
}

// codeTokenWithoutNonce is the 16 check: the plan's code token request
// without nonce succeeds; its plain answer is the control.
func codeTokenWithoutNonce(ctx context.Context, f oidcFlow) {
	GinkgoHelper()
	const rt = "code token"
	var plain *flowAnswer
	for _, a := range f.answers(ctx) {
		if a.rt == rt {
			plain = a
		}
	}
	harness.SkipUnless(plain != nil, "the provider does not answer response_type=code token for the confidential client (not advertised, or refused)")
	b := f.send(ctx, rt, url.Values{"nonce": nil})
	b.attach("without nonce")
	if b.complete() {
		return
	}
	env.Attach("control: the same request with a nonce delivered\n" + plain.ld.String())
	harness.Broken("the code token request without nonce was refused: %s", b.ld)
}

// scopeClaimScopes are the scopes whose claims OIDC Core §5.4 defines.
var scopeClaimScopes = []string{"profile", "email", "address", "phone"}

// missingScopeClaims returns the scopes of want none of whose claims is in claims.
func missingScopeClaims(want []string, claims map[string]any) []string {
	var missing []string
	for _, sc := range want {
		if !slices.ContainsFunc(scopeClaimNames[sc], func(c string) bool { _, ok := claims[c]; return ok }) {
			missing = append(missing, sc)
		}
	}
	return missing
}

// scopeClaims is the 03 check: each answer's claims of the scopes asked
// for, from the ID Token when no access token came (response_type
// id_token) and from the UserInfo Endpoint otherwise; then the first
// type's request with its scopes in another order.
func scopeClaims(ctx context.Context, f oidcFlow) {
	GinkgoHelper()
	client := env.Profile.Clients.Confidential
	var asked []string
	if client != nil {
		for _, sc := range scopeClaimScopes {
			if slices.Contains(client.Scopes, sc) {
				asked = append(asked, sc)
			}
		}
	}
	answers := f.answers(ctx)
	harness.SkipUnless(len(asked) > 0, "the profile's confidential client asks for none of the scopes %s (clients.confidential.scopes: %v)", strings.Join(scopeClaimScopes, ", "), client.Scopes)
	var failures []string
	for _, a := range answers {
		t := a.redeemed(ctx)
		t.requireExchanged()
		granted := strings.Fields(a.sent.Get("scope"))
		var claims map[string]any
		where := ""
		if at := t.accessToken(); at == "" {
			_, claims = idToken(t.idToken())
			where = "the ID Token (no access token was issued)"
			if s := a.got.Get("scope"); s != "" {
				granted = strings.Fields(s)
			}
		} else {
			ep, _ := env.Metadata["userinfo_endpoint"].(string)
			if ep == "" {
				env.Attach(fmt.Sprintf("response_type=%s: the provider advertises no userinfo_endpoint to read the claims from", a.rt))
				continue
			}
			if t.token != nil && t.frontAccessToken == "" {
				if s, ok := t.token.Extra("scope").(string); ok && s != "" {
					granted = strings.Fields(s)
				}
			} else if s := a.got.Get("scope"); s != "" {
				granted = strings.Fields(s)
			}
			x := userinfoCall(ctx, ep, http.MethodGet, at, false)
			if x.Status != http.StatusOK {
				harness.Undecided(env, fmt.Errorf("the UserInfo Endpoint refuses the flow's access token (response_type=%s; see 04):\n%s", a.rt, env.Evidence(x)))
			}
			claims = userinfoClaims(x)
			where = "the UserInfo Response"
		}
		var want []string
		for _, sc := range asked {
			if slices.Contains(granted, sc) {
				want = append(want, sc)
			}
		}
		env.Attach(fmt.Sprintf("response_type=%s: scopes asked for and granted %v; %s has %s", a.rt, want, where, claimNames(claims)))
		if m := missingScopeClaims(want, claims); len(m) > 0 {
			failures = append(failures, fmt.Sprintf("response_type=%s: %s has none of the claims of the scope(s) %s", a.rt, where, strings.Join(m, ", ")))
		}
	}
	// oidcc-ensure-other-scope-order-succeeds: the first type, its scopes reversed (openid not first).
	if len(client.Scopes) > 1 {
		scopes := slices.Clone(client.Scopes)
		slices.Reverse(scopes)
		if scopes[0] == "openid" {
			scopes[0], scopes[len(scopes)-1] = scopes[len(scopes)-1], scopes[0]
		}
		b := f.send(ctx, answers[0].rt, url.Values{"scope": {strings.Join(scopes, " ")}})
		b.attach("with scope=" + strings.Join(scopes, " "))
		if !b.complete() {
			failures = append(failures, fmt.Sprintf("the request with scope=%s was not answered with every part it asks for (response_type=%s): %s", strings.Join(scopes, " "), b.rt, b.ld))
		}
	}
	if len(failures) > 0 {
		harness.Broken("%s", strings.Join(failures, "\n"))
	}
}

// flowUserinfo is the 04 check: every answer's access token (from the
// authorization endpoint, or the code's exchange) at the UserInfo
// Endpoint: GET and POST with the Authorization header, the POST body
// (RFC 6750 §2.2, a MAY: noted), and sub, the ID Token's.
func flowUserinfo(ctx context.Context, f oidcFlow) {
	GinkgoHelper()
	ep := userinfoEndpoint()
	judged := 0
	var withoutToken []string
	for _, a := range f.answers(ctx) {
		t := a.redeemed(ctx)
		t.requireExchanged()
		at := t.accessToken()
		if at == "" {
			withoutToken = append(withoutToken, a.rt)
			continue
		}
		judged++
		claims := expectUserinfoAnswered(userinfoCall(ctx, ep, http.MethodGet, at, false), fmt.Sprintf("a GET with the response_type=%s flow's access token in the Authorization header", a.rt))
		expectUserinfoAnswered(userinfoCall(ctx, ep, http.MethodPost, at, false), fmt.Sprintf("a POST with the response_type=%s flow's access token in the Authorization header", a.rt))
		if x := userinfoCall(ctx, ep, http.MethodPost, at, true); x.Status != http.StatusOK {
			env.Attach(fmt.Sprintf("the POST with the token in the form body was answered %d: RFC 6750 §2.2 lets a resource server decline it (UI-03 reports it)", x.Status))
		}
		sub := stringField(claims, "sub")
		Expect(sub).NotTo(BeEmpty(), "the UserInfo Response to the response_type=%s flow's access token has no sub; claims: %v", a.rt, claimNames(claims))
		if raw := t.idToken(); raw != "" {
			if _, idc, ok := harness.JWTParts(raw); ok && stringField(idc, "sub") != sub {
				env.Attach(fmt.Sprintf("the UserInfo Response's sub is not the ID Token's (response_type=%s): a client discards its claims (OIDC Core §5.3.2; UI-05 warns of it)", a.rt))
			}
		}
	}
	harness.SkipUnless(judged > 0, "no response type the provider answers for the plan issues an access token (%s: an ID Token only)", strings.Join(withoutToken, ", "))
}

// responseTypeMissing is the 05 check: the plan's request of its first
// answered type without response_type; the type's plain answer is the
// positive control.
func responseTypeMissing(ctx context.Context, f oidcFlow) {
	GinkgoHelper()
	a := f.answers(ctx)[0]
	b := f.send(ctx, a.rt, url.Values{"response_type": nil})
	b.attach("without response_type")
	if b.ld.delivered() {
		harness.Broken("a code or token was delivered for a request without response_type: %s", b.ld)
	}
	Expect(b.got.Has("error") || b.ld.refused()).To(BeTrue(), "no error for a request without response_type: %s", b.ld)
	env.Attach(fmt.Sprintf("control: the same request with response_type=%s delivered\n%s", a.rt, a.ld))
}

var _ = Describe("OpenID Connect flows: responses", Label("oidc"), func() {
	for _, c := range flowChecks(catalog.ImplicitResponse, catalog.HybridResponse, catalog.FormPostResponse,
		catalog.FormPostImplicitResponse, catalog.FormPostHybridResponse) {
		f := oidcFlow{plan: c.plan}
		harness.It(env, c.check, func(ctx SpecContext) {
			for _, a := range f.answers(ctx) {
				flowResponse(ctx, a)
			}
		})
	}
	for _, c := range flowChecks(catalog.ImplicitNonce, catalog.HybridNonce, catalog.FormPostNonce,
		catalog.FormPostImplicitNonce, catalog.FormPostHybridNonce) {
		f := oidcFlow{plan: c.plan}
		harness.It(env, c.check, func(ctx SpecContext) { withoutNonce(ctx, f) })
	}
	for _, c := range []flowCheck{{catalog.HybridCodeTokenWithoutNonce, catalog.HybridPlan}, {catalog.FormPostHybridCodeTokenWithoutNonce, catalog.FormPostHybridPlan}} {
		f := oidcFlow{plan: c.plan}
		harness.It(env, c.check, func(ctx SpecContext) { codeTokenWithoutNonce(ctx, f) })
	}
	for _, c := range flowChecks(catalog.ImplicitScopeClaims, catalog.HybridScopeClaims, catalog.FormPostScopeClaims,
		catalog.FormPostImplicitScopeClaims, catalog.FormPostHybridScopeClaims) {
		f := oidcFlow{plan: c.plan}
		harness.It(env, c.check, func(ctx SpecContext) { scopeClaims(ctx, f) })
	}
	for _, c := range flowChecks(catalog.ImplicitUserinfo, catalog.HybridUserinfo, catalog.FormPostUserinfo,
		catalog.FormPostImplicitUserinfo, catalog.FormPostHybridUserinfo) {
		f := oidcFlow{plan: c.plan}
		harness.It(env, c.check, func(ctx SpecContext) { flowUserinfo(ctx, f) })
	}
	for _, c := range flowChecks(catalog.ImplicitResponseTypeMissing, catalog.HybridResponseTypeMissing, catalog.FormPostResponseTypeMissing,
		catalog.FormPostImplicitResponseTypeMissing, catalog.FormPostHybridResponseTypeMissing) {
		f := oidcFlow{plan: c.plan}
		harness.It(env, c.check, func(ctx SpecContext) { responseTypeMissing(ctx, f) })
	}
})
