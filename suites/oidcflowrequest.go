package suites

// The OpenID Connect flow families' requests (internal/catalog/
// oidcflowrequest.go): 06 the registered redirect URI, 07 the request
// parameters a provider accepts, 08 request objects, 09 essential claims,
// 13 code reuse, 14 the code's exchange, 15 the request by POST — each
// judged as the Basic plan's check of the same modules, per response type
// of the plan that the provider offers and delivers for the client (the
// plain answers of f.answers are the positive controls).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// controlled attaches the plain answers (every one delivered the type's
// response) as the positive control of a check whose pass is a refusal.
func controlled(answers []*flowAnswer) {
	var types []string
	for _, a := range answers {
		types = append(types, a.rt)
	}
	env.Attach("control: the plain request delivered the full response for " + strings.Join(types, ", ") + " (see the plain answers of the family's 01 check)")
}

// --- 06: the registered redirect URI (RU-01) ---

// flowUnregisteredRedirect sends each delivered type's request naming an
// unregistered redirect URI: nothing may reach it, nor the registered URI
// (judged where the browser lands, expectNotRedirectedTo's rules).
func flowUnregisteredRedirect(ctx context.Context, f oidcFlow) {
	GinkgoHelper()
	answers := f.answers(ctx)
	l, err := sharedLogin(ctx)
	harness.Require(env, err)
	bent := "https://" + probeMarker + ".example/unregistered"
	for _, a := range answers {
		ld, err := authorizeAs(ctx, l, f.params(a.rt, url.Values{"redirect_uri": {bent}}), bent)
		harness.Require(env, err)
		ld.attach(fmt.Sprintf("response_type=%s with redirect_uri=%s", a.rt, bent))
		if ld.delivered() {
			harness.Broken("the server delivered a code or token for response_type=%s naming the unregistered redirect URI %s: %s", a.rt, bent, ld)
		}
		if ld.wentTo(bent) {
			harness.Broken("the server redirected response_type=%s to the unregistered redirect URI %s: %s", a.rt, bent, ld)
		}
	}
	controlled(answers)
}

// --- 07 and 09: request parameters, essential claims ---

// flowParam is one parameter the OIDF plans' modules add to the request.
type flowParam struct {
	name  string // as the evidence names it
	extra url.Values
}

// essentialClaims is the claims parameter of oidcc-claims-essential (OP-16).
const essentialClaims = `{"id_token":{"email":{"essential":true}},"userinfo":{"email":{"essential":true}}}`

// flowParamGroups are the parameters of 07 (and 09's claims), in two
// requests (display takes one value per request); a request refused is
// split into one request per parameter, to name the one refused.
func flowParamGroups() [][]flowParam {
	return [][]flowParam{{
		{"display=page", url.Values{"display": {"page"}}},
		{"an unknown parameter", url.Values{"oauthconform_unknown": {"ignored"}}},
		{"login_hint", url.Values{"login_hint": {env.Profile.User.Username}}},
		{"ui_locales=se-FI tlh", url.Values{"ui_locales": {"se-FI tlh"}}},
		{"claims (email essential)", url.Values{"claims": {essentialClaims}}},
	}, {
		{"display=popup", url.Values{"display": {"popup"}}},
		{"claims_locales=se-FI tlh", url.Values{"claims_locales": {"se-FI tlh"}}},
		{"acr_values", url.Values{"acr_values": {"urn:oauthconform:loa:1 urn:oauthconform:loa:2"}}},
	}}
}

// flowExtraAnswers keeps, for the run, the answers of requests with extra
// parameters (by family, response type and parameters), which 07 and 09 share.
var flowExtraAnswers runValues[*flowAnswer]

// with returns the answer of rt's request with params, sent once per run.
func (f oidcFlow) with(ctx context.Context, rt string, params []flowParam) *flowAnswer {
	GinkgoHelper()
	extra := url.Values{}
	var names []string
	for _, p := range params {
		names = append(names, p.name)
		for k, v := range p.extra {
			extra[k] = v
		}
	}
	key := f.plan.Prefix + " " + rt + " " + strings.Join(names, ", ")
	return flowExtraAnswers.get(key, func() *flowAnswer { return f.send(ctx, rt, extra) })
}

// paramAnswers says, for each parameter of the groups, whether rt's
// request with it delivered the full response, and the answer that says so.
func (f oidcFlow) paramAnswers(ctx context.Context, rt string, only func(flowParam) bool) (ok map[string]bool, by map[string]*flowAnswer) {
	GinkgoHelper()
	ok, by = map[string]bool{}, map[string]*flowAnswer{}
	for i, g := range flowParamGroups() {
		a := f.with(ctx, rt, g)
		if i == 0 && hasResponse(rt, "code") {
			// The code of the first request is 13's and 14's: redeemed
			// now, before it expires (the mock's live 2 s).
			f.codeRun(ctx, rt)
		}
		for _, p := range g {
			if !only(p) {
				continue
			}
			by[p.name], ok[p.name] = a, a.complete()
			if !a.complete() {
				alone := f.with(ctx, rt, []flowParam{p})
				by[p.name], ok[p.name] = alone, alone.complete()
			}
		}
	}
	return ok, by
}

// flowParamsAccepted (07): every parameter's request delivers the type's response.
func flowParamsAccepted(ctx context.Context, f oidcFlow) {
	GinkgoHelper()
	answers := f.answers(ctx)
	var refused []string
	for _, a := range answers {
		ok, by := f.paramAnswers(ctx, a.rt, func(p flowParam) bool { return !strings.HasPrefix(p.name, "claims ") })
		var lines []string
		for _, g := range flowParamGroups() {
			for _, p := range g {
				if _, judged := ok[p.name]; !judged {
					continue
				}
				verdict := "delivered the full response"
				if !ok[p.name] {
					verdict = "refused or incomplete"
					refused = append(refused, fmt.Sprintf("%s with response_type=%s: %s", p.name, a.rt, by[p.name].ld))
				}
				lines = append(lines, fmt.Sprintf("  %s: %s (request with %s)", p.name, verdict, by[p.name].sentNames()))
			}
		}
		env.Attach(fmt.Sprintf("response_type=%s:\n%s", a.rt, strings.Join(lines, "\n")))
	}
	if len(refused) > 0 {
		controlled(answers)
		harness.Broken("requests with these parameters did not deliver the response (the plain request did):\n%s", strings.Join(refused, "\n"))
	}
}

// sentNames names the parameters the request added to the plain one (evidence).
func (a *flowAnswer) sentNames() string {
	var names []string
	for _, g := range flowParamGroups() {
		for _, p := range g {
			for k, v := range p.extra {
				if a.sent.Get(k) == v[0] {
					names = append(names, p.name)
				}
			}
		}
	}
	return strings.Join(names, ", ")
}

// flowClaimsEssential (09): OP-16's request with an essential claim delivers.
func flowClaimsEssential(ctx context.Context, f oidcFlow) {
	GinkgoHelper()
	answers := f.answers(ctx)
	for _, a := range answers {
		ok, by := f.paramAnswers(ctx, a.rt, func(p flowParam) bool { return strings.HasPrefix(p.name, "claims ") })
		for name, delivered := range ok {
			got := by[name]
			got.attach("with claims=" + essentialClaims)
			if !delivered {
				controlled(answers)
				harness.Broken("the request with an essential claim (response_type=%s) did not deliver the response: %s", a.rt, got.ld)
			}
			if raw := got.got.Get("id_token"); raw != "" {
				if _, claims, parsed := harness.JWTParts(raw); parsed {
					_, has := claims["email"]
					env.Attach(fmt.Sprintf("the front-channel ID Token (response_type=%s) carries email: %t (an essential claim is the client's wish: OIDC Core §5.5.1 forbids the error, not the omission)", a.rt, has))
				}
			}
		}
	}
}

// --- 08: request objects (JAR-03, JAR-06, JAR-01) ---

// flowObjectServer serves request objects by reference from a loopback
// listener (as the JAR checks' objectServer) and says which were fetched.
type flowObjectServer struct {
	*objectServer
	fetchedMu sync.Mutex
	fetched   map[string]bool
}

// flowObjects is the run's server, started by the first check that needs it.
type flowObjectsRun struct {
	mu  sync.Mutex
	srv *flowObjectServer
	err error
}

var flowObjects flowObjectsRun

func (r *flowObjectsRun) get() (*flowObjectServer, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv == nil && r.err == nil {
		var o *objectServer
		if o, r.err = newObjectServer(); r.err == nil {
			s := &flowObjectServer{objectServer: o, fetched: map[string]bool{}}
			o.srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				s.fetchedMu.Lock()
				s.fetched[req.URL.Path] = true
				s.fetchedMu.Unlock()
				o.ServeHTTP(w, req)
			})
			r.srv = s
		}
	}
	return r.srv, r.err
}

// closeFlowObjects stops the server (AfterSuite).
func closeFlowObjects() {
	flowObjects.mu.Lock()
	defer flowObjects.mu.Unlock()
	if flowObjects.srv != nil {
		_ = flowObjects.srv.srv.Close()
	}
}

// wasFetched reports whether the provider fetched the object at uri.
func (s *flowObjectServer) wasFetched(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil {
		return false
	}
	s.fetchedMu.Lock()
	defer s.fetchedMu.Unlock()
	return s.fetched[u.Path]
}

// objectJudgement is how one request object probe is judged.
type objectJudgement struct {
	what string
	// supported: the metadata says the provider takes the object as sent
	// (the parameter advertised, and for an unsigned one none listed).
	supported bool
	// advertised: the metadata advertises the parameter at all.
	advertised bool
}

// judgeObject judges ld, the answer to a request object made of params:
// used as the request (its state came back with the response) where the
// metadata supports it; else refused or — the parameter not advertised at
// all — ignored as an unknown parameter (RFC 6749 §3.1), never taken.
// It returns whether the verdict rests on a refusal (needs the control).
func judgeObject(a *flowAnswer, j objectJudgement, params url.Values, ld *landing) bool {
	GinkgoHelper()
	ld.attach(fmt.Sprintf("%s (response_type=%s)", j.what, a.rt))
	delivered := ld.delivered()
	used := delivered && ld.params().Get("state") == params.Get("state")
	switch {
	case j.supported:
		if !used {
			harness.Broken("%s, which the metadata supports, was not used as the request (response_type=%s): %s", j.what, a.rt, ld)
		}
		return false
	case used:
		harness.Broken("%s, which the metadata does not support, was taken as the request (response_type=%s): %s", j.what, a.rt, ld)
	case delivered && j.advertised:
		harness.Broken("%s was silently dropped, the parameters beside it answered (response_type=%s), although the metadata advertises the parameter: %s", j.what, a.rt, ld)
	case delivered:
		env.Attach(fmt.Sprintf("%s was ignored as an unknown parameter (RFC 6749 §3.1; the metadata does not advertise it)", j.what))
	}
	return !delivered
}

// flowRequestObjects (08): an unsigned request object by value and by
// reference, and one carrying redirect_uri (signed when the client can).
func flowRequestObjects(ctx context.Context, f oidcFlow) {
	GinkgoHelper()
	answers := f.answers(ctx)
	client := env.Profile.Clients.Confidential
	l, err := sharedLogin(ctx)
	harness.Require(env, err)
	algs := metadataList("request_object_signing_alg_values_supported")
	noneListed := containsString(algs, "none")
	byValue, _ := env.Metadata["request_parameter_supported"].(bool)
	byRef, _ := env.Metadata["request_uri_parameter_supported"].(bool)
	registration, _ := env.Metadata["require_request_uri_registration"].(bool)
	signAlg := ""
	if client.Signer() != nil {
		for _, alg := range client.KeyAlgs() {
			if containsString(algs, alg) {
				signAlg = alg
				break
			}
		}
	}
	env.Attach(fmt.Sprintf("metadata: request_parameter_supported %t, request_uri_parameter_supported %t, require_request_uri_registration %t, request_object_signing_alg_values_supported %s",
		byValue, byRef, registration, listOrNone(algs)))
	needControl := false
	for _, a := range answers {
		// Unsigned, by value.
		params := f.params(a.rt, nil)
		obj, err := requestObject(client, "none", params, objectUnsigned())
		harness.Require(env, err)
		ld, err := authorizeAs(ctx, l, byValueParams(client, params, obj))
		harness.Require(env, err)
		needControl = judgeObject(a, objectJudgement{what: "an unsigned request object by value", supported: byValue && noneListed, advertised: byValue}, params, ld) || needControl

		// Unsigned, by reference, served on the harness's loopback.
		if registration {
			env.Attach("the unsigned request object by reference was not sent: the provider requires request_uri values to be registered beforehand (require_request_uri_registration)")
		} else {
			srv, err := flowObjects.get()
			harness.Require(env, err)
			params = f.params(a.rt, nil)
			obj, err = requestObject(client, "none", params, objectUnsigned())
			harness.Require(env, err)
			uri := srv.add(obj)
			env.Redactor.Add(uri)
			outside := byValueParams(client, params, "")
			outside.Del("request")
			outside.Set("request_uri", uri)
			ld, err = authorizeAs(ctx, l, outside)
			harness.Require(env, err)
			j := objectJudgement{what: "an unsigned request object by reference (request_uri served by the harness on loopback)", supported: byRef && noneListed, advertised: byRef}
			if j.supported && !ld.delivered() && !srv.wasFetched(uri) {
				ld.attach(j.what)
				harness.Undecided(env, fmt.Errorf("the provider never fetched the request_uri %s (it may not reach the harness's loopback listener): %s", uri, ld))
			}
			needControl = judgeObject(a, j, params, ld) || needControl
		}

		// A request object carrying redirect_uri (inside it only).
		switch {
		case !byValue:
			env.Attach("no request object carrying redirect_uri was sent: the metadata does not advertise request_parameter_supported")
		case signAlg == "" && !noneListed:
			env.Attach(fmt.Sprintf("no request object carrying redirect_uri was sent: the profile gives the confidential client no key signing with an algorithm of request_object_signing_alg_values_supported (%s), which does not list none", listOrNone(algs)))
		default:
			params = f.params(a.rt, nil)
			var opts []objectOption
			what := "a request object signed with " + signAlg + " carrying redirect_uri (not sent beside it)"
			if signAlg == "" {
				opts, what = append(opts, objectUnsigned()), "an unsigned request object (none listed) carrying redirect_uri (not sent beside it)"
			}
			obj, err = requestObject(client, signAlg, params, opts...)
			harness.Require(env, err)
			ld, err = authorizeAs(ctx, l, byValueParams(client, params, obj))
			harness.Require(env, err)
			judgeObject(a, objectJudgement{what: what, supported: true, advertised: true}, params, ld)
			if !ld.sentTo(env.Profile.RedirectURI) {
				harness.Broken("the response to %s did not go to the registered redirect URI it names: %s", what, ld)
			}
		}
	}
	if needControl {
		controlled(answers)
	}
}

// byValueParams is byValue with nothing extra.
func byValueParams(c *profile.Client, params url.Values, obj string) url.Values {
	return byValue(c, params, obj, nil)
}

// --- 13, 14: the code of the response ---

// flowCodeRun is one response's code (never redeemed before), redeemed (14) and then redeemed
// again (13), shared by the two checks of a family.
type flowCodeRun struct {
	a *flowAnswer
	// The exchange: by client_secret_post first when the metadata
	// advertises it and the client authenticates otherwise (postRefused
	// when the provider refused the client that way), else as the client does.
	postTried   bool
	postRefused *harness.Exchange
	token       *oauth2.Token
	x           *harness.Exchange
	err         error
	refreshX    *harness.Exchange // nil when no refresh token came
	// The second redemption, and whether the first's tokens still work.
	secondX         *harness.Exchange
	secondErr       error
	stillAlive      string // what of the first redemption still works, "" when nothing
	aliveObservable string // how revocation was observed, "" when it cannot be
}

// flowCodes keeps, for the run, each flow's code run per response type.
var flowCodes runValues[*flowCodeRun]

// codeRun returns the run of rt's code for the flow, made once.
func (f oidcFlow) codeRun(ctx context.Context, rt string) *flowCodeRun {
	GinkgoHelper()
	return flowCodes.get(f.plan.Prefix+" "+rt, func() *flowCodeRun { return f.newCodeRun(ctx, rt) })
}

// newCodeRun redeems rt's code: the code of 07's first request (an OpenID
// request with display=page, login_hint, ui_locales, claims and an unknown
// parameter) when it delivered; else a fresh plain request's. paramAnswers
// asks for the run as soon as that request is answered, so the code is
// fresh.
func (f oidcFlow) newCodeRun(ctx context.Context, rt string) *flowCodeRun {
	GinkgoHelper()
	a := f.with(ctx, rt, flowParamGroups()[0])
	if !a.complete() {
		a = f.send(ctx, rt, nil)
	}
	r := &flowCodeRun{a: a}
	if !r.a.complete() {
		return r
	}
	client := env.Profile.Clients.Confidential
	code := r.a.got.Get("code")
	opts := verifierOpts(r.a.sent)
	methods, _ := env.Metadata["token_endpoint_auth_methods_supported"].([]any)
	if containsAny(methods, "client_secret_post") && !client.UsesPost() && client.Secret != "" {
		r.postTried = true
		r.token, r.x, r.err = exchangeStyle(ctx, client, code, oauth2.AuthStyleInParams, opts...)
		var re *oauth2.RetrieveError
		if errors.As(r.err, &re) && (re.ErrorCode == "invalid_client" || re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized) {
			r.postRefused = r.x
			r.token, r.x, r.err = exchange(ctx, client, code, opts...)
		}
	} else {
		r.token, r.x, r.err = exchange(ctx, client, code, opts...)
	}
	if r.err != nil {
		return r
	}
	refreshToken := r.token.RefreshToken
	if refreshToken != "" {
		r.refreshX = refresh(ctx, client, refreshToken, nil)
		registerTokens(r.refreshX)
		if rt := stringField(r.refreshX.JSON(), "refresh_token"); rt != "" {
			refreshToken = rt
		}
	}
	_, r.secondX, r.secondErr = exchange(ctx, client, code, opts...)
	if r.secondErr == nil {
		return r
	}
	ep, _ := env.Metadata["userinfo_endpoint"].(string)
	switch {
	case refreshToken != "":
		r.aliveObservable = "the refresh token of the first redemption"
		if x, err := postAs(ctx, env.Endpoints.Token, client, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}}); err == nil {
			registerTokens(x)
			if x.Status == http.StatusOK {
				r.stillAlive = "the refresh token of the first redemption still refreshes:\n" + env.Evidence(x)
			}
		}
	case ep != "":
		r.aliveObservable = "the access token of the first redemption at the UserInfo Endpoint"
		if userinfoAlive(ctx, ep, r.token.AccessToken) {
			r.stillAlive = "the access token of the first redemption still works at the UserInfo Endpoint"
		}
	}
	return r
}

// exchangeStyle is exchange with the client authenticating by style.
func exchangeStyle(ctx context.Context, client *profile.Client, code string, style oauth2.AuthStyle, opts ...oauth2.AuthCodeOption) (*oauth2.Token, *harness.Exchange, error) {
	rec := &harness.Recorder{}
	cfg := env.OAuth2Config(client)
	cfg.Endpoint.AuthStyle = style
	tok, err := cfg.Exchange(env.ClientContext(ctx, rec), code, opts...)
	if tok != nil {
		idToken, _ := tok.Extra("id_token").(string)
		env.Redactor.Add(tok.AccessToken, tok.RefreshToken, idToken)
	}
	return tok, rec.Last(), err
}

// codeRuns are the code runs of the plan's delivered types (all issue a code).
func (f oidcFlow) codeRuns(ctx context.Context) []*flowCodeRun {
	GinkgoHelper()
	var out []*flowCodeRun
	for _, a := range f.answers(ctx) {
		r := f.codeRun(ctx, a.rt)
		r.a.attach("the request whose code is redeemed")
		if !r.a.complete() {
			harness.Undecided(env, fmt.Errorf("the %s request for a code did not deliver the full response (the plain one did): %s", a.rt, r.a.ld))
		}
		out = append(out, r)
	}
	return out
}

// flowCodeExchange (14): the code redeems with its verifier (by
// client_secret_post when advertised), its refresh token refreshes.
func flowCodeExchange(ctx context.Context, f oidcFlow) {
	GinkgoHelper()
	for _, r := range f.codeRuns(ctx) {
		if r.postRefused != nil {
			env.Attach("client_secret_post is advertised, but the provider refused the client authenticating that way (invalid_client: the client is registered for another method, the operator's choice); redeemed as the client authenticates instead:\n" + env.Evidence(r.postRefused))
		}
		how := "as the client authenticates"
		if r.postTried && r.postRefused == nil {
			how = "by client_secret_post"
		}
		env.Attach(fmt.Sprintf("the %s code redeemed with its PKCE verifier, %s:\n%s", r.a.rt, how, env.Evidence(r.x)))
		if r.err != nil {
			harness.Broken("the code of response_type=%s could not be redeemed with its PKCE verifier (%s): %v", r.a.rt, how, r.err)
		}
		if r.refreshX == nil {
			env.Attach("no refresh token was issued: its refresh is not judged (as RT-01)")
			continue
		}
		env.Attach("its refresh token refreshed:\n" + env.Evidence(r.refreshX))
		if r.refreshX.Status != http.StatusOK || stringField(r.refreshX.JSON(), "access_token") == "" {
			harness.Broken("the refresh token of the %s code's exchange did not obtain a new access token: HTTP %d", r.a.rt, r.refreshX.Status)
		}
	}
}

// flowCodeReuse (13): the second redemption is refused; tokens the first
// gave that still work are information (RFC 6749 §4.1.2 SHOULD revoke, CODE-04).
func flowCodeReuse(ctx context.Context, f oidcFlow) {
	GinkgoHelper()
	var alive []string
	for _, r := range f.codeRuns(ctx) {
		if r.err != nil {
			harness.Undecided(env, fmt.Errorf("the first redemption of the %s code failed:\n%s", r.a.rt, env.Evidence(r.x)))
		}
		env.Attach(fmt.Sprintf("the %s code redeemed a second time:\n%s", r.a.rt, env.Evidence(r.secondX)))
		if r.secondErr == nil {
			harness.Broken("the code of response_type=%s was redeemed a second time", r.a.rt)
		}
		var re *oauth2.RetrieveError
		if !errors.As(r.secondErr, &re) {
			harness.Undecided(env, r.secondErr)
		}
		requireClientAccepted(r.secondErr, r.secondX, "the client's")
		switch {
		case r.stillAlive != "":
			alive = append(alive, fmt.Sprintf("%s: %s", r.a.rt, r.stillAlive))
		case r.aliveObservable == "":
			env.Attach("no refresh token was issued and the provider advertises no userinfo_endpoint: the revocation of the first redemption's tokens cannot be observed")
		default:
			env.Attach(fmt.Sprintf("%s no longer works (revoked, RFC 6749 §4.1.2 SHOULD)", r.aliveObservable))
		}
	}
	if len(alive) > 0 {
		harness.Info(env, "the second redemption was refused, but the tokens of the first were not revoked (RFC 6749 §4.1.2: the server SHOULD revoke them, CODE-04): "+strings.Join(alive, "\n"))
	}
}

// --- 15: the request by POST (OP-17) ---

// flowAuthorizePost sends each delivered type's request as a browser form
// POST to the authorization endpoint, as the shared login's user.
func flowAuthorizePost(ctx context.Context, f oidcFlow) {
	GinkgoHelper()
	answers := f.answers(ctx)
	l, err := sharedLogin(ctx)
	harness.Require(env, err)
	for _, a := range answers {
		params := f.params(a.rt, nil)
		ld := &landing{}
		res, err := l.sess.Authorize(ctx, driver.Request{
			URL: postFormURL(env.Endpoints.Authorization, params), RedirectURI: env.Profile.RedirectURI,
			Login: env.Profile.Login, StopAtDeadEnd: true,
		})
		var de *driver.DeadEndError
		switch {
		case errors.As(err, &de):
			ld.deadEnd = de
		case err != nil:
			harness.Undecided(env, err)
		default:
			ld.res = res
		}
		post := &flowAnswer{flow: f, rt: a.rt, sent: params, ld: ld, got: ld.params()}
		env.Redactor.Add(post.got.Get("code"), post.got.Get("id_token"), post.got.Get("access_token"))
		post.attach("the request POSTed by a form of the browser")
		if !post.complete() {
			controlled(answers)
			harness.Broken("the %s request POSTed to the authorization endpoint did not deliver the response (by GET it did): %s", a.rt, ld)
		}
	}
}

var _ = Describe("OpenID Connect flows: the request", Label("oidc"), func() {
	each := func(checks []flowCheck, judge func(context.Context, oidcFlow)) {
		for _, c := range checks {
			f := oidcFlow{plan: c.plan}
			harness.It(env, c.check, func(ctx SpecContext) { judge(ctx, f) })
		}
	}
	each([]flowCheck{
		{catalog.ImplicitRegisteredRedirect, catalog.ImplicitPlan},
		{catalog.HybridRegisteredRedirect, catalog.HybridPlan},
		{catalog.FormPostRegisteredRedirect, catalog.FormPostPlan},
		{catalog.FormPostImplicitRegisteredRedirect, catalog.FormPostImplicitPlan},
		{catalog.FormPostHybridRegisteredRedirect, catalog.FormPostHybridPlan},
	}, flowUnregisteredRedirect)
	each([]flowCheck{
		{catalog.ImplicitRequestParams, catalog.ImplicitPlan},
		{catalog.HybridRequestParams, catalog.HybridPlan},
		{catalog.FormPostRequestParams, catalog.FormPostPlan},
		{catalog.FormPostImplicitRequestParams, catalog.FormPostImplicitPlan},
		{catalog.FormPostHybridRequestParams, catalog.FormPostHybridPlan},
	}, flowParamsAccepted)
	each([]flowCheck{
		{catalog.ImplicitRequestObjects, catalog.ImplicitPlan},
		{catalog.HybridRequestObjects, catalog.HybridPlan},
		{catalog.FormPostRequestObjects, catalog.FormPostPlan},
		{catalog.FormPostImplicitRequestObjects, catalog.FormPostImplicitPlan},
		{catalog.FormPostHybridRequestObjects, catalog.FormPostHybridPlan},
	}, flowRequestObjects)
	each([]flowCheck{
		{catalog.ImplicitEssentialClaims, catalog.ImplicitPlan},
		{catalog.HybridEssentialClaims, catalog.HybridPlan},
		{catalog.FormPostEssentialClaims, catalog.FormPostPlan},
		{catalog.FormPostImplicitEssentialClaims, catalog.FormPostImplicitPlan},
		{catalog.FormPostHybridEssentialClaims, catalog.FormPostHybridPlan},
	}, flowClaimsEssential)
	each([]flowCheck{
		{catalog.HybridCodeReuse, catalog.HybridPlan},
		{catalog.FormPostCodeReuse, catalog.FormPostPlan},
		{catalog.FormPostHybridCodeReuse, catalog.FormPostHybridPlan},
	}, flowCodeReuse)
	each([]flowCheck{
		{catalog.HybridCodeExchange, catalog.HybridPlan},
		{catalog.FormPostCodeExchange, catalog.FormPostPlan},
		{catalog.FormPostHybridCodeExchange, catalog.FormPostHybridPlan},
	}, flowCodeExchange)
	each([]flowCheck{{catalog.FormPostAuthorizePost, catalog.FormPostPlan}}, flowAuthorizePost)
})
