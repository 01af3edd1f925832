package suites

// The OpenID Connect flows' numbers 10..12 (internal/catalog/oidcflowreauth.go):
// prompt=none, prompt=login and max_age, id_token_hint, asked with each
// family's response types and response mode.
//
// Speed: no session of their own. The families' requests ride on the
// reauthentication session of OP-01..OP-07 (reauthRun, oidcrequest.go),
// whose steps send every family's requests at the same moment as their own
// and concurrently (flowStep):
//
//	step 1  prompt=none before any sign-in;
//	step 3  after the session control, with the browser's current cookies:
//	        prompt=none; prompt=none with the session's ID Token (that of
//	        the sign-in of step 2) as id_token_hint; max_age=10000, its ID
//	        Token read (the front-channel one, else the code's exchange);
//	        prompt=login, taken up to the login form only (loginForm);
//	step 5  after the run's one wait, before OP-06's own re-login:
//	        max_age=1, taken up to the login form only, so that no family's
//	        request signs in again and the session stays older than a
//	        second for the next.
//
// The login form coming back is what the browser observes; the families do
// not sign in again (auth_time advancing after a new sign-in is OP-03's,
// for the code flow).

import (
	"context"
	"fmt"
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
	"github.com/oauthconform/oauthconform/internal/profile"
)

// flowReauth are one family's requests of one response type in the
// reauthentication session.
type flowReauth struct {
	noneFresh   *landing    // step 1: prompt=none, no session
	noneSession *landing    // step 3: prompt=none, with the session
	hint        *landing    // step 3: the same with id_token_hint
	login       *landing    // step 3: prompt=login, up to the login form
	maxAgeLong  *flowAnswer // step 3: max_age=10000
	maxAgeShort *landing    // step 5: max_age=1, up to the login form
	err         error       // the first of its requests that failed
}

// flowKey names a family's response type ("FI id_token").
func flowKey(f oidcFlow, rt string) string { return f.plan.Prefix + " " + rt }

// advertisedQuietly is offered without skipping: the plan's response types
// the provider advertises, none when the plan's form_post is not.
func (f oidcFlow) advertisedQuietly() []string {
	if env.Metadata == nil || f.plan.FormPost && !containsString(metadataList("response_modes_supported"), "form_post") {
		return nil
	}
	advertised := metadataList("response_types_supported")
	var out []string
	for _, rt := range f.plan.ResponseTypes {
		if slices.ContainsFunc(advertised, func(a string) bool { return sameResponseType(a, rt) }) {
			out = append(out, rt)
		}
	}
	return out
}

// flowTask is one family request of a step.
type flowTask struct {
	f  oidcFlow
	rt string
}

// flowTasks are every family's advertised response types.
func flowTasks() []flowTask {
	var out []flowTask
	for _, f := range oidcFlows() {
		for _, rt := range f.advertisedQuietly() {
			out = append(out, flowTask{f, rt})
		}
	}
	return out
}

// concurrently runs each of fs at once and waits for all.
func concurrently(fs []func()) {
	var wg sync.WaitGroup
	for _, fn := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn()
		}()
	}
	wg.Wait()
}

// flowStep sends the families' requests of step i (see the file's comment),
// concurrently, with the session's cookies (nil before the sign-in). A
// request that fails is kept as its type's error; the run goes on. The
// requests with the session are sent only when the provider keeps one (the
// control of sessionKept): otherwise the checks skip by that control and a
// provider that asks for the login every time would be signed in again.
// Caller holds r.mu.
func (r *reauthRun) flowStep(ctx context.Context, i int, cookies []*http.Cookie) {
	if i > 1 && loginShown(r.plain) {
		return
	}
	if r.flows == nil {
		r.flows = map[string]*flowReauth{}
	}
	// jobs run concurrently; after, one by one once they are done: a code
	// alone must be exchanged within its short lifetime (the mock's: 2 s),
	// which a browser busy with the other requests may use up.
	var jobs, after []func()
	for _, t := range flowTasks() {
		fr := r.flows[flowKey(t.f, t.rt)]
		if fr == nil {
			fr = &flowReauth{}
			r.flows[flowKey(t.f, t.rt)] = fr
		}
		var mu sync.Mutex
		fail := func(err error) {
			mu.Lock()
			defer mu.Unlock()
			if err != nil && fr.err == nil {
				fr.err = err
			}
		}
		params := func(k, v string) url.Values { return t.f.params(t.rt, url.Values{k: {v}}) }
		switch i {
		case 1:
			jobs = append(jobs, func() {
				var err error
				fr.noneFresh, err = t.f.silently(ctx, r.sess, nil, params("prompt", "none"))
				fail(err)
			})
		case 3:
			jobs = append(jobs, func() {
				var err error
				fr.noneSession, err = t.f.silently(ctx, r.sess, cookies, params("prompt", "none"))
				fail(err)
			}, func() {
				var err error
				fr.login, err = loginForm(ctx, r.sess, cookies, params("prompt", "login"))
				fail(err)
			}, func() {
				if r.first.idToken == "" {
					return
				}
				var err error
				fr.hint, err = t.f.silently(ctx, r.sess, cookies, t.f.params(t.rt, url.Values{"prompt": {"none"}, "id_token_hint": {r.first.idToken}}))
				if fr.hint != nil {
					got := fr.hint.params()
					env.Redactor.Add(got.Get("id_token"), got.Get("access_token"))
				}
				fail(err)
			})
			maxAgeLong := func() {
				a := &flowAnswer{flow: t.f, rt: t.rt, sent: params("max_age", "10000")}
				ld, err := t.f.authorizeAs(ctx, &loggedIn{sess: r.sess, cookies: cookies}, a.sent)
				if err == nil {
					a.ld, a.got = ld, ld.params()
					env.Redactor.Add(a.got.Get("code"), a.got.Get("id_token"), a.got.Get("access_token"))
					// The ID Token to read is the front-channel one when
					// the type returns it, else the code's exchange, at
					// once: codes are short-lived, and the check may run
					// after step 5's wait.
					if a.got.Get("id_token") == "" {
						a.redeemed(ctx)
					}
					fr.maxAgeLong = a
				}
				fail(err)
			}
			if hasResponse(t.rt, "id_token") {
				jobs = append(jobs, maxAgeLong)
			} else {
				after = append(after, maxAgeLong)
			}
		case 5:
			jobs = append(jobs, func() {
				var err error
				fr.maxAgeShort, err = loginForm(ctx, r.sess, cookies, params("max_age", "1"))
				fail(err)
			})
		}
	}
	concurrently(jobs)
	for _, job := range after {
		job()
	}
}

// silently is silently (oidcrequest.go) the flow's way: a form_post
// request goes straight to the browser, whose cookies the probe would
// send. Over plain HTTP first, a provider that answers at once would give
// the probe its response and the browser, sending the same request again
// (the same nonce and state), a refusal: Authlib answers "Replay attack"
// to a nonce it has seen.
func (f oidcFlow) silently(ctx context.Context, sess *driver.Session, cookies []*http.Cookie, params url.Values) (*landing, error) {
	if !f.plan.FormPost {
		return silently(ctx, sess, cookies, params)
	}
	ld := &landing{who: "with no login step"}
	var err error
	ld.res, ld.deadEnd, err = browseWith(ctx, sess, params, nil, nil)
	return ld, err
}

// authorizeAs is authorizeAs (landing.go) the flow's way: a form_post
// request straight in the browser, as the signed-in user (see silently).
func (f oidcFlow) authorizeAs(ctx context.Context, l *loggedIn, params url.Values) (*landing, error) {
	if !f.plan.FormPost {
		return authorizeAs(ctx, l, params)
	}
	ld := &landing{}
	var err error
	ld.res, ld.deadEnd, err = continueInBrowser(ctx, l.sess, params, nil)
	return ld, err
}

// loginFormSteps are the profile's login steps up to the login form's
// first one, which only waits for its element: the browser goes as far as
// showing the login form and signs nobody in.
func loginFormSteps() []profile.Step {
	i := firstLoginStep()
	if i < 0 {
		return nil
	}
	steps := slices.Clone(env.Profile.Login[:i+1])
	s := steps[i]
	if s.WaitURL == "" {
		steps[i] = profile.Step{WaitFor: cmpOr(s.WaitFor, s.Fill, s.Click), LoginError: s.LoginError}
	}
	return steps
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// loginForm sends a request as the owner of cookies and sees whether the
// login form comes (loginShown): over plain HTTP when that answer decides
// (a redirect to the redirect URI, an error page, a page with a password
// field) and otherwise
// in the browser, up to the login form and no further (loginFormSteps), so
// that the session is not renewed.
func loginForm(ctx context.Context, sess *driver.Session, cookies []*http.Cookie, params url.Values) (*landing, error) {
	p, err := env.ProbeAuthorize(ctx, params, cookies)
	if err != nil {
		return nil, err
	}
	ld := &landing{probe: p, who: "up to the login form"}
	// A redirect elsewhere than the redirect URI may be the way to a login
	// on another origin: the browser follows it.
	if p.Outcome == harness.OutcomeLoginPage || p.SentTo(env.Profile.RedirectURI) || final(p) && !p.Redirected() {
		return ld, nil
	}
	ld.res, ld.deadEnd, err = browseWith(ctx, sess, params, nil, loginFormSteps())
	return ld, err
}

// flowReauthOf returns the family's requests of rt once the run has done
// step n; undecided when one of them failed.
func flowReauthOf(ctx context.Context, f oidcFlow, rt string, n int) *flowReauth {
	GinkgoHelper()
	r := reauth.upTo(ctx, n)
	fr := r.flows[flowKey(f, rt)]
	if fr == nil {
		harness.Undecided(env, fmt.Errorf("the reauthentication session sent no %s request", rt))
	}
	if fr.err != nil {
		harness.Undecided(env, fmt.Errorf("a %s request of the reauthentication session failed: %w", rt, fr.err))
	}
	return fr
}

// responseWay is where a response of response type rt comes, and where
// ld's came: "form" (form_post), "fragment" or "query".
func responseWay(f oidcFlow, rt string) string {
	switch {
	case f.plan.FormPost:
		return "form"
	case rt == "code":
		return "query"
	}
	return "fragment"
}

func cameIn(ld *landing, name string) string {
	if ld.res != nil {
		switch {
		case ld.res.Form.Get(name) != "":
			return "form"
		case ld.res.Fragment.Get(name) != "":
			return "fragment"
		case ld.res.Query.Get(name) != "":
			return "query"
		}
		return ""
	}
	if t := ld.target(); t != nil {
		if frag, err := url.ParseQuery(t.Fragment); err == nil && frag.Get(name) != "" {
			return "fragment"
		}
		if t.Query().Get(name) != "" {
			return "query"
		}
	}
	return ""
}

// way says the response mode for evidence.
func way(f oidcFlow, rt string) string {
	if f.plan.FormPost {
		return "response_type=" + rt + ", response_mode=form_post"
	}
	return "response_type=" + rt
}

// flowPromptNone is number 10 for f.
func flowPromptNone(ctx context.Context, f oidcFlow) {
	var skipped []string
	judged := 0
	types := f.answers(ctx)
	if firstLoginStep() < 0 {
		skipped = append(skipped, "without a session: the profile has no login steps, the provider signs users in without a login UI")
	} else {
		for _, a := range types {
			ld := flowReauthOf(ctx, f, a.rt, 1).noneFresh
			ld.attach("prompt=none from a browser with no session (" + way(f, a.rt) + ")")
			switch e := ld.params().Get("error"); {
			case ld.deadEnd != nil:
				harness.Broken("the provider showed a page to a prompt=none request (%s): %s", way(f, a.rt), ld)
			case ld.delivered():
				harness.Broken("a code or token was delivered to a browser with no session (%s): %s", way(f, a.rt), ld)
			case !ld.sentTo(env.Profile.RedirectURI):
				harness.Broken("the browser was sent elsewhere than the redirect URI (a login page?) (%s): %s", way(f, a.rt), ld)
			case e == "":
				harness.Broken("the redirect carries no error (%s): %s", way(f, a.rt), ld)
			case cameIn(ld, "error") != responseWay(f, a.rt):
				harness.Broken("the error came in the %s, not in the %s as %s asks (OIDC Core §3.1.2.6, §3.2.2.6; OAuth 2.0 Form Post Response Mode §2): %s",
					cameIn(ld, "error"), responseWay(f, a.rt), way(f, a.rt), ld)
			}
			judged++
		}
	}
	r := reauth.upTo(ctx, 3)
	if loginShown(r.plain) {
		r.plain.attach("control: a request without prompt from the same signed-in browser")
		skipped = append(skipped, "with a session: the provider keeps no sign-in session (the control request without prompt from the signed-in browser showed the login form again)")
	} else {
		for _, a := range types {
			ld := flowReauthOf(ctx, f, a.rt, 3).noneSession
			ld.attach("prompt=none from the browser of a signed-in user who consented (" + way(f, a.rt) + ")")
			got := &flowAnswer{flow: f, rt: a.rt, ld: ld, got: ld.params()}
			switch e := ld.params().Get("error"); {
			case ld.deadEnd != nil:
				harness.Broken("the provider showed a page to a prompt=none request (%s): %s", way(f, a.rt), ld)
			case got.complete():
				judged++
			case ld.delivered():
				harness.Broken("prompt=none with a live session delivered only part of what %s asks for: %s", way(f, a.rt), ld)
			case !ld.sentTo(env.Profile.RedirectURI):
				harness.Broken("the browser was sent elsewhere than the redirect URI (a login page?) (%s): %s", way(f, a.rt), ld)
			case silentErrorSkips[e] != "":
				skipped = append(skipped, fmt.Sprintf("with a session, %s: %s (error %s)", a.rt, silentErrorSkips[e], e))
			default:
				harness.Broken("prompt=none (%s) was answered with %q although the browser has a live session: %s", way(f, a.rt), e, ld)
			}
		}
	}
	if len(skipped) > 0 {
		env.Attach("not judged: " + strings.Join(skipped, "; "))
	}
	harness.SkipUnless(judged > 0, "%s", strings.Join(skipped, "; "))
}

// flowReauthentication is number 11 for f.
func flowReauthentication(ctx context.Context, f oidcFlow) {
	needLoginUI()
	types := f.answers(ctx)
	r := reauth.upTo(ctx, 5)
	requireSessionKept(ctx)
	for _, a := range types {
		fr := flowReauthOf(ctx, f, a.rt, 5)
		if fr.login == nil || fr.maxAgeShort == nil || fr.maxAgeLong == nil {
			harness.Undecided(env, fmt.Errorf("the reauthentication session did not send every %s request", way(f, a.rt)))
		}
		fr.login.attach("prompt=login from the browser of a signed-in user (" + way(f, a.rt) + ")")
		if !loginShown(fr.login) {
			harness.Broken("the login form did not come back for prompt=login (%s): %s", way(f, a.rt), fr.login)
		}
		fr.maxAgeShort.attach(fmt.Sprintf("max_age=1, %s after the first sign-in ended (%s)", r.shortStarted.Sub(r.first.at).Round(100*time.Millisecond), way(f, a.rt)))
		if !loginShown(fr.maxAgeShort) {
			harness.Broken("the login form did not come back for max_age=1 on a session more than a second old (%s): %s", way(f, a.rt), fr.maxAgeShort)
		}
		long := fr.maxAgeLong
		long.attach("max_age=10000 right after the sign-in")
		if !long.complete() {
			harness.Undecided(env, fmt.Errorf("the request with max_age=10000 (%s) delivered not everything it asks for: %s", way(f, a.rt), long.ld))
		}
		if loginShown(long.ld) {
			env.Attach("the login form came back for max_age=10000 on a fresh session (OP-07 judges this for the code flow)")
		}
		raw := long.got.Get("id_token")
		if raw == "" {
			t := long.redeemed(ctx)
			if t.exchanged && t.err != nil {
				harness.Undecided(env, fmt.Errorf("the exchange of the code of the request with max_age=10000 (%s) failed: %w\n%s", way(f, a.rt), t.err, env.Evidence(t.x)))
			}
			raw = t.idToken()
		}
		if raw == "" {
			env.Attach(fmt.Sprintf("not judged: no ID Token came with the request with max_age=10000 (%s)", way(f, a.rt)))
			continue
		}
		_, claims, ok := harness.JWTParts(raw)
		if !ok {
			harness.Undecided(env, fmt.Errorf("the ID Token of the request with max_age=10000 (%s) could not be read as a JWS", way(f, a.rt)))
		}
		if _, ok := authTime(claims); !ok {
			harness.Broken("the ID Token of the request with max_age=10000 (%s) has no numeric auth_time: %v", way(f, a.rt), claims["auth_time"])
		}
	}
}

// flowIDTokenHint is number 12 for f.
func flowIDTokenHint(ctx context.Context, f oidcFlow) {
	var skipped []string
	types := f.answers(ctx)
	r := reauth.upTo(ctx, 3)
	harness.SkipUnless(r.first.idToken != "", "the sign-in of the reauthentication session brought no ID Token to send as id_token_hint")
	requireSessionKept(ctx)
	_, hintClaims, _ := harness.JWTParts(r.first.idToken)
	for _, plain := range types {
		ld := flowReauthOf(ctx, f, plain.rt, 3).hint
		if ld == nil {
			harness.Undecided(env, fmt.Errorf("the reauthentication session sent no %s request with id_token_hint", way(f, plain.rt)))
		}
		ld.attach("prompt=none with the signed-in user's ID Token as id_token_hint (" + way(f, plain.rt) + ")")
		a := &flowAnswer{flow: f, rt: plain.rt, ld: ld, got: ld.params()}
		switch e := ld.params().Get("error"); {
		case a.complete():
		case e == "consent_required" || e == "interaction_required":
			skipped = append(skipped, fmt.Sprintf("%s: %s (error %s)", plain.rt, silentErrorSkips[e], e))
			continue
		default:
			harness.Broken("prompt=none with the signed-in user's id_token_hint (%s) delivered not everything it asks for: %s", way(f, plain.rt), ld)
		}
		if raw := ld.params().Get("id_token"); raw != "" {
			_, claims, _ := harness.JWTParts(raw)
			if sub, _ := claims["sub"].(string); sub != "" && sub != hintClaims["sub"] {
				harness.Broken("the ID Token of the hinted request (%s) is for sub %q, not the hint's %v", way(f, plain.rt), sub, hintClaims["sub"])
			}
		}
	}
	if len(skipped) > 0 {
		env.Attach("not judged: " + strings.Join(skipped, "; "))
	}
	harness.SkipUnless(len(skipped) < len(types), "%s", strings.Join(skipped, "; "))
}

var _ = Describe("OpenID Connect flows: prompt, max_age and id_token_hint", Label("oidc"), runsLate, func() {
	for _, c := range []struct {
		none, reauth, hint catalog.Check
		plan               catalog.FlowPlan
	}{
		{catalog.ImplicitPromptNone, catalog.ImplicitReauthentication, catalog.ImplicitIDTokenHint, catalog.ImplicitPlan},
		{catalog.HybridPromptNone, catalog.HybridReauthentication, catalog.HybridIDTokenHint, catalog.HybridPlan},
		{catalog.FormPostPromptNone, catalog.FormPostReauthentication, catalog.FormPostIDTokenHint, catalog.FormPostPlan},
		{catalog.FormPostImplicitPromptNone, catalog.FormPostImplicitReauthentication, catalog.FormPostImplicitIDTokenHint, catalog.FormPostImplicitPlan},
		{catalog.FormPostHybridPromptNone, catalog.FormPostHybridReauthentication, catalog.FormPostHybridIDTokenHint, catalog.FormPostHybridPlan},
	} {
		f := oidcFlow{plan: c.plan}
		harness.It(env, c.none, func(ctx SpecContext) { flowPromptNone(ctx, f) })
		harness.It(env, c.reauth, func(ctx SpecContext) { flowReauthentication(ctx, f) })
		harness.It(env, c.hint, func(ctx SpecContext) { flowIDTokenHint(ctx, f) })
	}
})
