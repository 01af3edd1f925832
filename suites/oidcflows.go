package suites

// How the check families of the OIDF Implicit, Hybrid and Form Post plans
// (internal/catalog/oidcflows.go) send their requests: an oidcFlow is one
// plan's way of asking (its response types, form_post or not), run as the
// shared login's user with the confidential client, which an OpenID
// Provider may register for several response types (OIDC Registration §2
// response_types). The suites of the families are oidcflowresponse.go,
// oidcflowrequest.go and oidcflowreauth.go.

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// oidcFlow sends one plan's requests.
type oidcFlow struct{ plan catalog.FlowPlan }

// oidcFlows are the five plans' flows, in catalog.FlowPlans' order.
func oidcFlows() []oidcFlow {
	var out []oidcFlow
	for _, p := range catalog.FlowPlans() {
		out = append(out, oidcFlow{plan: p})
	}
	return out
}

// String names the flow's way of asking, for evidence.
func (f oidcFlow) String() string { return f.plan.Runs }

// sameResponseType reports whether two response types are the same set of
// words (OAuth 2.0 Multiple Response Types §2: the order does not matter).
func sameResponseType(a, b string) bool {
	x, y := strings.Fields(a), strings.Fields(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// hasResponse reports whether response type rt asks for part ("code",
// "id_token", "token").
func hasResponse(rt, part string) bool { return slices.Contains(strings.Fields(rt), part) }

// offered returns the plan's response types that the provider advertises
// (response_types_supported), and skips the check when there is none, when
// the plan's form_post is not advertised, or when the confidential client
// does not make OpenID Connect requests.
func (f oidcFlow) offered() []string {
	GinkgoHelper()
	needMetadata()
	needOpenIDRequest()
	if f.plan.FormPost {
		needFormPost()
	}
	advertised := metadataList("response_types_supported")
	var out []string
	for _, rt := range f.plan.ResponseTypes {
		if slices.ContainsFunc(advertised, func(a string) bool { return sameResponseType(a, rt) }) {
			out = append(out, rt)
		}
	}
	harness.SkipUnless(len(out) > 0, "the provider advertises none of the response types %s (response_types_supported: %s)",
		strings.Join(f.plan.ResponseTypes, ", "), listOrNone(advertised))
	return out
}

// params is the confidential client's request for response type rt, with
// the plan's response mode, state, a nonce (openid) and, when a code is
// asked for, PKCE S256; extra adds or (with nil) removes parameters.
func (f oidcFlow) params(rt string, extra url.Values) url.Values {
	v := url.Values{"response_type": {rt}}
	if f.plan.FormPost {
		v.Set("response_mode", "form_post")
	}
	for k, vals := range extra {
		v[k] = vals
	}
	p := codeParams(env.Profile.Clients.Confidential, v)
	if _, named := extra["code_challenge"]; !named && hasResponse(rt, "code") && p.Get("code_challenge") == "" {
		p.Set("code_challenge", s256(verifierOf(p.Get("state"))))
		p.Set("code_challenge_method", "S256")
	}
	return p
}

// flowAnswer is one authorization request of a flow and where it landed.
type flowAnswer struct {
	flow oidcFlow
	rt   string
	sent url.Values
	ld   *landing
	got  url.Values

	once   sync.Once
	tokens *flowTokens
}

// send sends the request of response type rt (see params) as the shared
// login's user; an error of the harness is undecided.
func (f oidcFlow) send(ctx context.Context, rt string, extra url.Values) *flowAnswer {
	GinkgoHelper()
	l, err := sharedLogin(ctx)
	harness.Require(env, err)
	return f.sendAs(ctx, l, rt, extra)
}

// sendAs is send as the user of l.
func (f oidcFlow) sendAs(ctx context.Context, l *loggedIn, rt string, extra url.Values) *flowAnswer {
	GinkgoHelper()
	a := &flowAnswer{flow: f, rt: rt, sent: f.params(rt, extra)}
	ld, err := authorizeAs(ctx, l, a.sent)
	harness.Require(env, err)
	a.ld, a.got = ld, ld.params()
	env.Redactor.Add(a.got.Get("code"), a.got.Get("id_token"), a.got.Get("access_token"))
	return a
}

// complete reports whether every part the response type asks for came back.
func (a *flowAnswer) complete() bool {
	for _, part := range []string{"code", "id_token"} {
		if hasResponse(a.rt, part) && a.got.Get(part) == "" {
			return false
		}
	}
	return !hasResponse(a.rt, "token") || a.got.Get("access_token") != ""
}

// typeRefused reports whether the provider refused the response type for
// the client (unsupported_response_type, unauthorized_client): the client
// may not be registered for it, which is the operator's choice. An error
// page saying invalid_client counts too: the client's code requests
// succeed, so the provider does not let this (confidential) client use the
// type (Authlib's implicit grant authenticates its client as a public one,
// authlib/oauth2/rfc6749/grants/implicit.py).
func (a *flowAnswer) typeRefused() bool {
	switch a.refusal() {
	case "unsupported_response_type", "unauthorized_client":
		return true
	case "invalid_client":
		return a.ld.refused()
	}
	return false
}

// refusal is the error code of the answer: the redirect's, else that of an
// error page whose body says it.
func (a *flowAnswer) refusal() string {
	if e := a.got.Get("error"); e != "" || a.ld.probe == nil || a.ld.redirected() {
		return e
	}
	return a.ld.probe.PageError
}

// attach attaches the answer as evidence.
func (a *flowAnswer) attach(what string) {
	a.ld.attach(fmt.Sprintf("%s (response_type=%s%s)", what, a.rt, map[bool]string{true: ", response_mode=form_post"}[a.flow.plan.FormPost]))
}

// flowTokens are the tokens of one answer: those of the authorization
// response and, when it carried a code, those of its exchange.
type flowTokens struct {
	frontIDToken, frontAccessToken string
	// The code's exchange, when a code came.
	exchanged bool
	token     *oauth2.Token
	x         *harness.Exchange
	err       error
}

// idToken is the ID Token of the authorization response, else that of the
// token response ("" when none came).
func (t *flowTokens) idToken() string {
	if t.frontIDToken != "" {
		return t.frontIDToken
	}
	if t.token != nil {
		raw, _ := t.token.Extra("id_token").(string)
		return raw
	}
	return ""
}

// accessToken is the access token of the authorization response, else that
// of the token response ("" when none came).
func (t *flowTokens) accessToken() string {
	if t.frontAccessToken != "" {
		return t.frontAccessToken
	}
	if t.token != nil {
		return t.token.AccessToken
	}
	return ""
}

// redeemed returns the answer's tokens, exchanging its code (once) with the
// client's secret and PKCE verifier; an exchange that fails is undecided
// for a check that needs it (requireExchanged).
func (a *flowAnswer) redeemed(ctx context.Context) *flowTokens {
	a.once.Do(func() {
		t := &flowTokens{frontIDToken: a.got.Get("id_token"), frontAccessToken: a.got.Get("access_token")}
		if code := a.got.Get("code"); code != "" {
			t.exchanged = true
			t.token, t.x, t.err = exchange(ctx, env.Profile.Clients.Confidential, code, verifierOpts(a.sent)...)
			if t.token != nil {
				raw, _ := t.token.Extra("id_token").(string)
				env.Redactor.Add(t.token.AccessToken, t.token.RefreshToken, raw)
			}
		}
		a.tokens = t
	})
	return a.tokens
}

// requireExchanged is undecided when the answer's code could not be
// exchanged.
func (t *flowTokens) requireExchanged() {
	GinkgoHelper()
	if t.exchanged && t.err != nil {
		harness.Undecided(env, fmt.Errorf("the code exchange failed:\n%s", env.Evidence(t.x)))
	}
}

// runValues keeps, for the run, one value per key, each made once on
// first use under the cache's lock (a make that ends the check, a skip
// say, stores nothing).
type runValues[V any] struct {
	mu     sync.Mutex
	values map[string]V
}

// get returns key's value, made by make when there is none yet.
func (c *runValues[V]) get(key string, build func() V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.values[key]; ok {
		return v
	}
	v := build()
	if c.values == nil {
		c.values = map[string]V{}
	}
	c.values[key] = v
	return v
}

// flowAnswers keeps, for the run, each flow's plain answer per response
// type (the request with nothing extra), which several checks judge.
var flowAnswers runValues[*flowAnswer]

// plain returns the flow's plain answer for rt, sent once per run.
func (f oidcFlow) plain(ctx context.Context, rt string) *flowAnswer {
	GinkgoHelper()
	return flowAnswers.get(f.plan.Prefix+" "+rt, func() *flowAnswer {
		a := f.send(ctx, rt, nil)
		if a.got.Get("code") != "" {
			// Redeemed at once: codes are short-lived (the mock's live 2 s),
			// and the checks that read this answer come at any time later.
			a.redeemed(ctx)
		}
		return a
	})
}

// answers are the plain answers of every response type the provider
// offers and delivers for the client. A type refused for the client is
// left out (named in the evidence), and the check skipped when every type
// was; an answer that is neither complete nor such a refusal is undecided.
func (f oidcFlow) answers(ctx context.Context) []*flowAnswer {
	GinkgoHelper()
	var out []*flowAnswer
	var refused []string
	for _, rt := range f.offered() {
		a := f.plain(ctx, rt)
		switch {
		case a.complete():
			out = append(out, a)
		case a.typeRefused():
			refused = append(refused, fmt.Sprintf("%s (error=%s)", rt, a.refusal()))
		default:
			a.attach("the plain request")
			harness.Undecided(env, fmt.Errorf("the plain %s request delivered neither every part it asks for nor an error saying the client may not use it: %s", rt, a.ld))
		}
	}
	if len(refused) > 0 {
		env.Attach("response types the provider refused for the confidential client (it may not be registered for them): " + strings.Join(refused, "; "))
	}
	harness.SkipUnless(len(out) > 0, "the provider refused every response type of the plan it advertises for the confidential client: %s", strings.Join(refused, "; "))
	return out
}
