package suites

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// signIn is one authorization of the reauthentication session: where it
// landed (in the browser or over HTTP), the ID Token's claims of its code
// exchange, and when it ended by the harness's clock.
type signIn struct {
	ld      *landing
	idToken string         // the ID Token, "" when none came
	claims  map[string]any // nil when no ID Token came
	at      time.Time
	err     error // the authorization or its exchange failed
}

// reauthRun is the browser session that the prompt and max_age checks
// share (issue 16): its own incognito context, so that signing in again
// never disturbs the shared login. Its authorizations run in this order,
// each check asking for the step it judges (and so the steps before it):
//
//  1. prompt=none before any sign-in (OP-01);
//  2. the first sign-in, through a form POST to the authorization endpoint
//     (OP-17), or by GET when the POST fails;
//  3. a request without prompt (the control of sessionKept), then
//     prompt=none with the session (OP-02);
//  4. max_age=10000 (OP-05, OP-07);
//  5. max_age=1 with prompt=consent in the browser, once the sign-in of
//     step 2 is more than a second old by any clock (OP-06, OP-04);
//  6. prompt=login in the browser (OP-03), whose auth_time must then be
//     later than step 2's.
//
// Steps 3 and 4 are plain HTTP with the session's cookies, continued in
// the browser only when the provider shows a page. Only step 5 waits: for
// the rest of the two seconds since step 2 ended (a timer bound to the
// check's context, see waitUntil), which covers a provider that counts
// the session's age in whole seconds; whatever the run did since (steps 3
// and 4, the logout checks' first steps — logoutRun.meanwhile —, other
// checks) shortens it.
type reauthRun struct {
	mu   sync.Mutex
	done int
	err  error // the error that stopped the steps; later ones are undecided
	sess *driver.Session

	noneFresh, noneSession *landing
	plain                  *landing // a request without prompt from the signed-in browser (sessionKept)
	post, get              *signIn  // step 2: the POST, and the GET when the POST delivered no code
	first, maxAgeLong      *signIn
	login, maxAgeShort     *signIn
	loginStarted           time.Time
	shortStarted           time.Time // when step 6's request was sent

	// flows are the OpenID Connect flows' requests of steps 1, 3 and 5
	// (suites/oidcflowreauth.go), by flowKey.
	flows map[string]*flowReauth
}

var reauth reauthRun

// closeReauth closes the session's incognito context (AfterSuite).
func closeReauth() {
	reauth.mu.Lock()
	defer reauth.mu.Unlock()
	if reauth.sess != nil {
		_ = reauth.sess.Close()
	}
}

// needOpenIDRequest skips a check of an OpenID Connect request when the
// profile's confidential client does not ask for the openid scope: its
// requests are plain OAuth 2.0 ones, whose server ignores prompt, max_age
// and the rest as unknown parameters (RFC 6749 §3.1).
func needOpenIDRequest() {
	GinkgoHelper()
	client := env.Profile.Clients.Confidential
	harness.SkipUnless(client != nil, "the profile has no confidential client")
	harness.SkipUnless(containsString(client.Scopes, "openid"), "the profile's confidential client does not ask for the openid scope: its requests are not OpenID Connect requests (OIDC Core §3.1.2.1: OpenID Connect requests MUST contain the openid scope value)")
}

// upTo runs the steps up to n (those not run yet) and returns the run;
// undecided when a step the check needs failed.
func (r *reauthRun) upTo(ctx context.Context, n int) *reauthRun {
	GinkgoHelper()
	needOpenIDRequest()
	if done, err := r.advance(ctx, n); done < n {
		harness.Undecided(env, fmt.Errorf("the reauthentication session's step %d failed: %w", done+1, err))
	}
	return r
}

// advance runs the steps up to n not run yet, and returns how many are
// done and the error that stopped them. It judges nothing: the suite's
// start runs it in the background (early.go).
func (r *reauthRun) advance(ctx context.Context, n int) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.err == nil && r.done < n {
		r.err = r.step(ctx, r.done+1)
		if r.err == nil {
			r.done++
		}
	}
	return r.done, r.err
}

// sessionKept is the control of the checks that rely on the provider
// keeping a sign-in session (OP-02, OP-07, OP-08): a request without prompt
// from the browser signed in at step 2. A provider that keeps no session
// asks for the login every time, and then prompt=none's login_required (or
// a login form for max_age) is the right answer, not a failure.
//
// The control is sent at step 3, right after the sign-in and before
// anything else the run does with the session (a logout, later, would make
// it say that no session is kept).
func (r *reauthRun) sessionKept(ctx context.Context) (bool, *landing) {
	GinkgoHelper()
	r.upTo(ctx, 3)
	return !loginShown(r.plain), r.plain
}

// requireSessionKept skips a check whose request needs the session when
// the provider keeps none (see sessionKept), naming the control.
func requireSessionKept(ctx context.Context) {
	GinkgoHelper()
	kept, plain := reauth.sessionKept(ctx)
	plain.attach("control: a request without prompt from the same signed-in browser")
	harness.SkipUnless(kept, "the provider keeps no sign-in session: a request without prompt from the signed-in browser shows the login form again, so the user is not signed in for this request")
}

// step runs step i of the run. Caller holds r.mu.
func (r *reauthRun) step(ctx context.Context, i int) error {
	client := env.Profile.Clients.Confidential
	var err error
	switch i {
	case 1:
		if r.sess, err = env.NewSession(ctx); err != nil {
			return err
		}
		r.noneFresh, err = silently(ctx, r.sess, nil, codeParams(client, url.Values{"prompt": {"none"}}))
		r.flowStep(ctx, 1, nil)
		return err
	case 2:
		params := codeParams(client, nil)
		r.post = r.authorize(ctx, postFormURL(env.Endpoints.Authorization, params), params)
		r.first = r.post
		if !r.post.ld.delivered() {
			params = codeParams(client, nil)
			r.get = r.authorize(ctx, harness.AuthorizationURL(env.Endpoints.Authorization, params), params)
			r.first = r.get
		}
		return r.first.err
	case 3:
		cookies, err := r.sess.Cookies(ctx)
		if err != nil {
			return err
		}
		// The control of sessionKept, first.
		if r.plain, err = authorizeAs(ctx, &loggedIn{sess: r.sess, cookies: cookies}, codeParams(client, nil)); err != nil {
			return err
		}
		r.noneSession, err = silently(ctx, r.sess, cookies, codeParams(client, url.Values{"prompt": {"none"}}))
		r.flowStep(ctx, 3, cookies)
		return err
	case 4:
		cookies, err := r.sess.Cookies(ctx)
		if err != nil {
			return err
		}
		params := codeParams(client, url.Values{"max_age": {"10000"}})
		ld, err := authorizeAs(ctx, &loggedIn{sess: r.sess, cookies: cookies}, params)
		if err != nil {
			return err
		}
		r.maxAgeLong = r.redeem(ctx, ld, params)
		return nil
	case 5:
		// The logout checks' first steps fill part of the wait.
		logoutChecks.meanwhile(ctx, r)
		if err := waitUntil(ctx, r.first.at.Add(2*time.Second)); err != nil {
			return err
		}
		r.shortStarted = time.Now()
		// The families' max_age=1 first: they stop at the login form, so
		// the session stays as old for OP-06's request.
		if cookies, err := r.sess.Cookies(ctx); err == nil {
			r.flowStep(ctx, 5, cookies)
		}
		params := codeParams(client, url.Values{"max_age": {"1"}, "prompt": {"consent"}})
		r.maxAgeShort = r.authorize(ctx, harness.AuthorizationURL(env.Endpoints.Authorization, params), params)
		return r.maxAgeShort.err
	case 6:
		r.loginStarted = time.Now()
		params := codeParams(client, url.Values{"prompt": {"login"}})
		r.login = r.authorize(ctx, harness.AuthorizationURL(env.Endpoints.Authorization, params), params)
		return r.login.err
	}
	return fmt.Errorf("no step %d", i)
}

// authorize runs an authorization in the session's browser with the
// profile's login steps, stopping at a dead end, and redeems its code.
func (r *reauthRun) authorize(ctx context.Context, authURL string, params url.Values) *signIn {
	ld := &landing{}
	res, err := r.sess.Authorize(ctx, driver.Request{URL: authURL, RedirectURI: env.Profile.RedirectURI, Login: env.Profile.Login, StopAtDeadEnd: true})
	var de *driver.DeadEndError
	switch {
	case errors.As(err, &de):
		ld.deadEnd = de
	case err != nil:
		return &signIn{ld: ld, err: err, at: time.Now()}
	default:
		ld.res = res
		env.Redactor.Add(ld.params().Get("code"))
	}
	return r.redeem(ctx, ld, params)
}

// redeem exchanges the code of ld, if any, and reads its ID Token.
func (r *reauthRun) redeem(ctx context.Context, ld *landing, params url.Values) *signIn {
	s := &signIn{ld: ld, at: time.Now()}
	code := ld.params().Get("code")
	if code == "" {
		s.err = fmt.Errorf("no code: %s", ld)
		return s
	}
	tok, x, err := exchange(ctx, env.Profile.Clients.Confidential, code, verifierOpts(params)...)
	if err != nil {
		s.err = fmt.Errorf("the code exchange failed:\n%s", env.Evidence(x))
		return s
	}
	if raw, _ := tok.Extra("id_token").(string); raw != "" {
		s.idToken = raw
		if _, claims, ok := harness.JWTParts(raw); ok {
			s.claims = claims
		}
	}
	return s
}

// waitUntil waits, bounded by ctx, until t (at most the 2 s step 5 of
// reauthRun needs, of which the run's own work since has used some).
func waitUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// silently sends a prompt=none request as the owner of cookies (nil: a
// browser with no session): over plain HTTP and, when that answer is not
// final, in the browser with no login step at all, so that any page the
// provider shows is a dead end, seen as the user would see it.
func silently(ctx context.Context, sess *driver.Session, cookies []*http.Cookie, params url.Values) (*landing, error) {
	p, err := env.ProbeAuthorize(ctx, params, cookies)
	if err != nil {
		return nil, err
	}
	ld := &landing{probe: p, who: "with no login step"}
	if final(p) {
		return ld, nil
	}
	res, err := sess.Authorize(ctx, driver.Request{
		URL: harness.AuthorizationURL(env.Endpoints.Authorization, params), RedirectURI: env.Profile.RedirectURI, StopAtDeadEnd: true,
	})
	var de *driver.DeadEndError
	switch {
	case errors.As(err, &de):
		ld.deadEnd = de
	case err != nil:
		return ld, err
	default:
		ld.res = res
		env.Redactor.Add(ld.params().Get("code"))
	}
	return ld, nil
}

// postFormPage is a page that POSTs an authorization request as soon as it loads.
var postFormPage = template.Must(template.New("post").Parse(`<!doctype html><html><head><meta charset="utf-8"><title>POST</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="{{.Action}}">{{range $k, $vs := .Fields}}{{range $vs}}<input type="hidden" name="{{$k}}" value="{{.}}">{{end}}{{end}}</form></body></html>`))

// postFormURL is a data: URL of a page that POSTs params to endpoint (OIDC
// Core §3.1.2.1: form serialization), as a client's page would.
func postFormURL(endpoint string, params url.Values) string {
	var b strings.Builder
	_ = postFormPage.Execute(&b, struct {
		Action string
		Fields url.Values
	}{endpoint, params})
	return "data:text/html;base64," + base64.StdEncoding.EncodeToString([]byte(b.String()))
}

// firstLoginStep is the index of the profile's first step that is not
// optional (the login form's), -1 when there is none.
func firstLoginStep() int {
	for i, s := range env.Profile.Login {
		if !s.Optional {
			return i
		}
	}
	return -1
}

// consentStepIndex is the index of consentStep in the login steps, -1 for none.
func consentStepIndex() int {
	for i := len(env.Profile.Login) - 1; i >= 0; i-- {
		if s := env.Profile.Login[i]; s.Optional && s.Click != "" {
			return i
		}
	}
	return -1
}

// loginShown reports whether the browser showed the login form on the way
// (its first step ran), or the plain-HTTP answer was the login page.
func loginShown(ld *landing) bool {
	if ld.probe != nil && ld.probe.Outcome == harness.OutcomeLoginPage {
		return true
	}
	var ran []int
	switch {
	case ld.res != nil:
		ran = ld.res.Ran
	case ld.deadEnd != nil:
		return ld.deadEnd.LoginSteps > 0
	}
	return slices.Contains(ran, firstLoginStep())
}

// consentShown reports whether the browser showed the consent page on the
// way: the profile's consent step ran or, with no login form shown, some
// step ran all the same (an earlier step's selector, a login form's submit
// button, say, matches the consent page's approval too).
func consentShown(ld *landing) bool {
	if ld.res == nil {
		return false
	}
	return slices.Contains(ld.res.Ran, consentStepIndex()) || (!loginShown(ld) && len(ld.res.Ran) > 0)
}

// needLoginUI skips a check that watches the login form come back when the
// profile has none.
func needLoginUI() {
	GinkgoHelper()
	harness.SkipUnless(firstLoginStep() >= 0, "the profile has no login steps: the provider signs users in without a login UI, so there is no login form to see (or not see) come back")
}

// authTime reads auth_time from ID Token claims.
func authTime(claims map[string]any) (float64, bool) {
	t, ok := claims["auth_time"].(float64)
	return t, ok
}

// silentErrorSkips are the errors of a prompt=none request with a live
// session that are no failure: consent or interaction the provider asks
// for every time, or a hint it requires (OIDC Core §3.1.2.1: "an
// invalid_request error MAY be returned if it is not").
var silentErrorSkips = map[string]string{
	"consent_required":     "the provider asks for consent on every authorization, so prompt=none cannot succeed without a page",
	"interaction_required": "the provider requires an interaction on every authorization, so prompt=none cannot succeed without a page",
	"invalid_request":      "the provider refuses prompt=none without an id_token_hint (OIDC Core §3.1.2.1 allows it)",
}

// acceptedWith judges a request that must succeed: the shared login's
// request with extra parameters delivers a code; when it does not, the
// same request without them must (else the run cannot tell).
func acceptedWith(ctx context.Context, what string, extra url.Values) {
	GinkgoHelper()
	needOpenIDRequest()
	client := env.Profile.Clients.Confidential
	l, err := sharedLogin(ctx)
	harness.Require(env, err)
	ld, err := authorizeAs(ctx, l, codeParams(client, extra))
	harness.Require(env, err)
	ld.attach("with " + what)
	if ld.delivered() {
		return
	}
	requireControl(ctx, l, "no OpenID Connect request parameter", codeParams(client, nil))
	harness.Broken("the request with %s was refused: %s", what, ld)
}

var _ = Describe("OpenID Connect authentication request", Label("flow:authorization_code"), runsLate, func() {
	harness.It(env, catalog.PromptNoneNotLoggedIn, func(ctx SpecContext) {
		needLoginUI()
		ld := reauth.upTo(ctx, 1).noneFresh
		ld.attach("prompt=none from a browser with no session")
		switch {
		case ld.deadEnd != nil:
			harness.Broken("the provider showed a page to a prompt=none request: %s", ld)
		case ld.delivered():
			harness.Broken("a code or token was delivered to a browser with no session: %s", ld)
		case !ld.sentTo(env.Profile.RedirectURI):
			harness.Broken("the browser was sent elsewhere than the redirect URI (a login page?): %s", ld)
		case ld.params().Get("error") == "":
			harness.Broken("the redirect carries no error: %s", ld)
		}
	})

	harness.It(env, catalog.PromptNoneLoggedIn, func(ctx SpecContext) {
		ld := reauth.upTo(ctx, 3).noneSession
		ld.attach("prompt=none from the browser of a signed-in user who consented")
		switch e := ld.params().Get("error"); {
		case ld.deadEnd != nil:
			harness.Broken("the provider showed a page to a prompt=none request: %s", ld)
		case ld.delivered():
		case !ld.sentTo(env.Profile.RedirectURI):
			harness.Broken("the browser was sent elsewhere than the redirect URI (a login page?): %s", ld)
		case silentErrorSkips[e] != "":
			harness.SkipUnless(false, "%s (error %s)", silentErrorSkips[e], e)
		default:
			requireSessionKept(ctx)
			harness.Broken("prompt=none was answered with %q although the browser has a live session: %s", e, ld)
		}
	})

	harness.It(env, catalog.MaxAgeAuthTime, func(ctx SpecContext) {
		r := reauth.upTo(ctx, 4)
		r.maxAgeLong.ld.attach("max_age=10000")
		if r.maxAgeLong.err != nil {
			harness.Undecided(env, r.maxAgeLong.err)
		}
		harness.SkipUnless(r.maxAgeLong.claims != nil, "the token response carries no id_token (not an OpenID Provider, or no openid scope requested)")
		if _, ok := authTime(r.maxAgeLong.claims); !ok {
			harness.Broken("the ID Token of the request with max_age has no numeric auth_time: %v", r.maxAgeLong.claims["auth_time"])
		}
	})

	harness.It(env, catalog.MaxAgeRecentSession, func(ctx SpecContext) {
		r := reauth.upTo(ctx, 4)
		r.maxAgeLong.ld.attach("max_age=10000 right after the sign-in")
		if loginShown(r.maxAgeLong.ld) {
			requireSessionKept(ctx)
			harness.Broken("the login form came back for max_age=10000 on a fresh session: %s", r.maxAgeLong.ld)
		}
		if !r.maxAgeLong.ld.delivered() {
			harness.Undecided(env, fmt.Errorf("the request with max_age=10000 delivered no code: %s", r.maxAgeLong.ld))
		}
	})

	harness.It(env, catalog.AuthorizePost, func(ctx SpecContext) {
		r := reauth.upTo(ctx, 2)
		r.post.ld.attach("the first sign-in, by a form POST to the authorization endpoint")
		if r.post.ld.delivered() {
			return
		}
		r.get.ld.attach("control: the same request by GET")
		if !r.get.ld.delivered() {
			harness.Undecided(env, fmt.Errorf("the request by GET delivered no code either: %s", r.get.ld))
		}
		harness.Broken("the authorization request by POST delivered no code, by GET it did: %s", r.post.ld)
	})

	harness.It(env, catalog.IDTokenHint, func(ctx SpecContext) {
		raw, _, _ := sharedIDToken(ctx)
		l, _ := sharedLogin(ctx)
		client := env.Profile.Clients.Confidential
		// The browser's cookies now, not those of the sign-in: a provider
		// may have renewed its session cookie since (a later sign-in in
		// the same browser replaces the session on oidc-provider).
		cookies, err := l.sess.Cookies(ctx)
		harness.Require(env, err)
		ld, err := silently(ctx, l.sess, cookies, codeParams(client, url.Values{"prompt": {"none"}, "id_token_hint": {raw}}))
		harness.Require(env, err)
		ld.attach("prompt=none with the signed-in user's ID Token as id_token_hint")
		switch e := ld.params().Get("error"); {
		case ld.delivered():
		case e == "consent_required" || e == "interaction_required":
			harness.SkipUnless(false, "%s (error %s)", silentErrorSkips[e], e)
		default:
			requireSessionKept(ctx)
			harness.Broken("prompt=none with the signed-in user's id_token_hint delivered no code: %s", ld)
		}
	})

	harness.It(env, catalog.LoginHint, func(ctx SpecContext) {
		acceptedWith(ctx, "login_hint", url.Values{"login_hint": {env.Profile.User.Username}})
	})

	harness.It(env, catalog.UILocales, func(ctx SpecContext) {
		acceptedWith(ctx, "ui_locales=se-FI tlh", url.Values{"ui_locales": {"se-FI tlh"}})
	})

	harness.It(env, catalog.ClaimsLocales, func(ctx SpecContext) {
		acceptedWith(ctx, "claims_locales=se-FI tlh", url.Values{"claims_locales": {"se-FI tlh"}})
	})

	harness.It(env, catalog.Display, func(ctx SpecContext) {
		acceptedWith(ctx, "display=page", url.Values{"display": {"page"}})
		acceptedWith(ctx, "display=popup", url.Values{"display": {"popup"}})
	})

	harness.It(env, catalog.AcrValues, func(ctx SpecContext) {
		acceptedWith(ctx, "acr_values", url.Values{"acr_values": {"urn:oauthconform:loa:1 urn:oauthconform:loa:2"}})
	})

	harness.It(env, catalog.ScopeOrder, func(ctx SpecContext) {
		client := env.Profile.Clients.Confidential
		harness.SkipUnless(client != nil && len(client.Scopes) > 1 && containsString(client.Scopes, "openid"),
			"the profile's confidential client has no scope besides openid to put first")
		scopes := slices.Clone(client.Scopes)
		slices.Reverse(scopes)
		if scopes[0] == "openid" {
			scopes[0], scopes[len(scopes)-1] = scopes[len(scopes)-1], scopes[0]
		}
		acceptedWith(ctx, "scope="+strings.Join(scopes, " "), url.Values{"scope": {strings.Join(scopes, " ")}})
	})

	harness.It(env, catalog.CodeWithoutNonce, func(ctx SpecContext) {
		acceptedWith(ctx, "no nonce", url.Values{"nonce": nil})
	})

	harness.It(env, catalog.ClaimsEssential, func(ctx SpecContext) {
		acceptedWith(ctx, `claims={"id_token":{"email":{"essential":true}}}`, url.Values{"claims": {`{"id_token":{"email":{"essential":true}}}`}})
	})

	harness.It(env, catalog.MaxAgeReauthenticates, func(ctx SpecContext) {
		needLoginUI()
		r := reauth.upTo(ctx, 5)
		r.maxAgeShort.ld.attach(fmt.Sprintf("max_age=1, %s after the first sign-in ended", r.shortStarted.Sub(r.first.at).Round(100*time.Millisecond)))
		if !loginShown(r.maxAgeShort.ld) {
			harness.Broken("the login form did not come back for max_age=1 on a session more than a second old (login steps that ran: %v)", r.maxAgeShort.ld.res.Ran)
		}
	})

	harness.It(env, catalog.PromptConsent, func(ctx SpecContext) {
		harness.SkipUnless(consentStepIndex() >= 0, "the profile has no consent step (an optional click among the login steps): the provider shows no consent page to see")
		r := reauth.upTo(ctx, 5)
		r.maxAgeShort.ld.attach("prompt=consent (with max_age=1) from a user who consented before")
		if !consentShown(r.maxAgeShort.ld) {
			harness.Broken("the consent page did not show for prompt=consent (login steps that ran: %v)", r.maxAgeShort.ld.res.Ran)
		}
	})

	harness.It(env, catalog.PromptLogin, func(ctx SpecContext) {
		needLoginUI()
		r := reauth.upTo(ctx, 6)
		r.login.ld.attach("prompt=login in the browser of a signed-in user")
		if !loginShown(r.login.ld) {
			harness.Broken("the login form did not come back for prompt=login (login steps that ran: %v)", r.login.ld.res.Ran)
		}
		t1, ok1 := authTime(r.first.claims)
		t2, ok2 := authTime(r.login.claims)
		env.Attach(fmt.Sprintf("auth_time: %v at the first sign-in, %v after prompt=login (%s apart by the harness's clock)", r.first.claims["auth_time"], r.login.claims["auth_time"], r.loginStarted.Sub(r.first.at).Round(time.Millisecond)))
		// The first sign-in ended at least two seconds before (step 5's wait).
		if ok1 && ok2 && t2 <= t1 && r.loginStarted.Sub(r.first.at) >= time.Second {
			harness.Broken("auth_time did not advance after the new sign-in: %v, was %v", t2, t1)
		}
	})
})
