package suites

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// logoutRun is the session the RP-initiated logout checks share: the
// reauthentication session of the prompt and max_age checks (reauthRun),
// so that no sign-in is spent on logging out. Steps 1 to 3 run while that
// run waits for its first sign-in to age (reauthRun step 5, meanwhile),
// the logout itself once it is done with the session. In order:
//
//  1. the session, an ID Token of the user and the session's cookies;
//  2. the requests that must not be redirected, over plain HTTP with no
//     session (an unregistered post_logout_redirect_uri, LO-02; no
//     id_token_hint, LO-03; a tampered hint, LO-06), continued in a
//     browser only when the answer is a page;
//  3. a logout request without id_token_hint from the signed-in browser,
//     which nobody confirms, then prompt=none: the session must live (LO-05);
//  4. the logout itself in the browser, with the hint, the registered
//     post_logout_redirect_uri and state (the control of step 2; LO-04);
//  5. prompt=none with the cookies the session had: login_required (LO-01).
type logoutRun struct {
	mu   sync.Mutex
	done int
	err  error

	sess       *driver.Session
	idToken    string
	cookies    []*http.Cookie
	bent       string
	badURI     *landing
	noHint     *landing
	tampered   *landing
	unasked    *landing // step 3's request
	stillAlive *liveness
	state      string
	logout     *landing
	after      *liveness
}

var logoutChecks logoutRun

// endSession is the advertised end_session_endpoint, or a skip.
func endSession() string {
	GinkgoHelper()
	needMetadata()
	ep, _ := env.Metadata["end_session_endpoint"].(string)
	harness.SkipUnless(ep != "", "the provider does not advertise end_session_endpoint (OpenID Connect RP-Initiated Logout)")
	harness.SkipUnless(env.Profile.PostLogoutRedirectURI != "", "the profile declares no post_logout_redirect_uri registered for the confidential client")
	harness.SkipUnless(env.Profile.Clients.Confidential != nil, "the profile has no confidential client")
	return ep
}

func logoutURL(ep string, params url.Values) string {
	return harness.AuthorizationURL(ep, params)
}

func (r *logoutRun) upTo(ctx context.Context, n int) *logoutRun {
	GinkgoHelper()
	ep := endSession()
	// The reauthentication run first (it runs steps 1 to 3 meanwhile),
	// outside r.mu: reauthRun takes r.mu inside its own lock.
	rr := reauth.upTo(ctx, 6)
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.err == nil && r.done < n {
		r.err = r.step(ctx, ep, rr, r.done+1)
		if r.err == nil {
			r.done++
		}
	}
	if r.done < n {
		harness.Undecided(env, fmt.Errorf("the logout session's step %d failed: %w", r.done+1, r.err))
	}
	return r
}

// meanwhile runs steps 1 to 3 with the reauthentication session rr while
// it waits (its step 5, whose sign-ins show the login form whatever these
// steps did to the session), when the provider advertises the logout and
// the profile declares the post_logout_redirect_uri.
func (r *logoutRun) meanwhile(ctx context.Context, rr *reauthRun) {
	ep, _ := env.Metadata["end_session_endpoint"].(string)
	if ep == "" || env.Profile.PostLogoutRedirectURI == "" || rr.first.idToken == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.err == nil && r.done < 3 {
		r.err = r.step(ctx, ep, rr, r.done+1)
		if r.err == nil {
			r.done++
		}
	}
}

// step runs step i. Caller holds r.mu.
func (r *logoutRun) step(ctx context.Context, ep string, rr *reauthRun, i int) error {
	client := env.Profile.Clients.Confidential
	registered := env.Profile.PostLogoutRedirectURI
	var err error
	switch i {
	case 1:
		// The latest sign-in's ID Token: the first's while step 5 of rr
		// waits, the prompt=login one's after.
		r.sess, r.idToken = rr.sess, rr.first.idToken
		if rr.login != nil {
			r.idToken = rr.login.idToken
		}
		if r.idToken == "" {
			return errors.New("the token response carries no id_token: no hint to log out with")
		}
		r.cookies, err = r.sess.Cookies(ctx)
		return err
	case 2:
		u, err := url.Parse(registered)
		if err != nil {
			return err
		}
		u.Path = strings.TrimSuffix(u.Path, "/") + "/" + probeMarker
		r.bent = u.String()
		if r.badURI, err = r.refusal(ctx, ep, url.Values{"id_token_hint": {r.idToken}, "post_logout_redirect_uri": {r.bent}, "state": {harness.Random()}}); err != nil {
			return err
		}
		if r.noHint, err = r.refusal(ctx, ep, url.Values{"post_logout_redirect_uri": {registered}, "state": {harness.Random()}}); err != nil {
			return err
		}
		tampered := tamper(r.idToken)
		env.Redactor.Add(tampered)
		r.tampered, err = r.refusal(ctx, ep, url.Values{"id_token_hint": {tampered}, "post_logout_redirect_uri": {registered}, "state": {harness.Random()}})
		return err
	case 3:
		// As the signed-in browser, with no step: a confirmation page is
		// where it must stop.
		target := logoutURL(ep, url.Values{"client_id": {client.ID}})
		p, err := env.ProbeURL(ctx, target, r.cookies)
		if err != nil {
			return err
		}
		r.unasked = &landing{probe: p, who: "with no step"}
		if !final(p) {
			r.unasked.res, r.unasked.deadEnd, err = r.browse(ctx, r.sess, target, nil)
			if err != nil {
				return err
			}
		}
		r.stillAlive, err = sessionLives(ctx, r.cookies)
		return err
	case 4:
		// The session as it is now, after rr's last sign-in.
		if rr.login != nil && rr.login.idToken != "" {
			r.idToken = rr.login.idToken
		}
		if r.cookies, err = r.sess.Cookies(ctx); err != nil {
			return err
		}
		r.state = harness.Random()
		target := logoutURL(ep, url.Values{"id_token_hint": {r.idToken}, "post_logout_redirect_uri": {registered}, "state": {r.state}})
		r.logout = &landing{who: "as the signed-in user"}
		r.logout.res, r.logout.deadEnd, err = r.browse(ctx, r.sess, target, env.Profile.Logout)
		return err
	case 5:
		r.after, err = sessionLives(ctx, r.cookies)
		return err
	}
	return fmt.Errorf("no step %d", i)
}

// refusal sends a logout request that must not be redirected, with no
// session: over plain HTTP and, when the answer is a page, in a browser
// of its own that runs the profile's logout steps and stops at a dead end.
func (r *logoutRun) refusal(ctx context.Context, ep string, params url.Values) (*landing, error) {
	target := logoutURL(ep, params)
	p, err := env.ProbeURL(ctx, target, nil)
	if err != nil {
		return nil, err
	}
	ld := &landing{probe: p, who: "with no session"}
	if final(p) {
		return ld, nil
	}
	sess, err := env.NewSession(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = sess.Close() }()
	ld.res, ld.deadEnd, err = r.browse(ctx, sess, target, env.Profile.Logout)
	return ld, err
}

// browse runs a logout request in sess, ending at the post-logout URI (or
// the bent one) or at a dead end.
func (r *logoutRun) browse(ctx context.Context, sess *driver.Session, target string, steps []profile.Step) (*driver.Result, *driver.DeadEndError, error) {
	also := []string{}
	if r.bent != "" {
		also = append(also, r.bent)
	}
	res, err := sess.Authorize(ctx, driver.Request{URL: target, RedirectURI: env.Profile.PostLogoutRedirectURI, Also: also, Login: steps, StopAtDeadEnd: true})
	var de *driver.DeadEndError
	if errors.As(err, &de) {
		return nil, de, nil
	}
	return res, nil, err
}

// tamper changes the last characters of a JWS's signature.
func tamper(jws string) string {
	if len(jws) < 8 {
		return jws + "x"
	}
	tail := "AAAA"
	if strings.HasSuffix(jws, tail) {
		tail = "BBBB"
	}
	return jws[:len(jws)-4] + tail
}

// liveness is whether a session still signs its user in, with the answers
// that tell (evidence).
type liveness struct {
	alive, decided bool
	evidence       string
}

// sessionLives asks whether the session behind cookies still signs the
// user in, over plain HTTP: prompt=none delivering a code, or asking for
// consent only, says yes, and so does a request without prompt delivering
// a code (a provider whose prompt=none is wrong, OP-02, is not taken for
// one that logs out); prompt=none's login_required, or the login form (or a
// login app elsewhere) for the request without prompt, says no. Anything
// else leaves it undecided.
func sessionLives(ctx context.Context, cookies []*http.Cookie) (*liveness, error) {
	client := env.Profile.Clients.Confidential
	p, err := env.ProbeAuthorize(ctx, codeParams(client, url.Values{"prompt": {"none"}}), cookies)
	if err != nil {
		return nil, err
	}
	l := &liveness{evidence: "prompt=none: " + p.String(), decided: true}
	if p.Outcome == harness.OutcomeCodeDelivered || (p.Redirected() && p.Params.Get("error") == "consent_required") {
		l.alive = true
		return l, nil
	}
	q, err := env.ProbeAuthorize(ctx, codeParams(client, nil), cookies)
	if err != nil {
		return nil, err
	}
	l.evidence += "\nwithout prompt: " + q.String()
	switch {
	case q.Outcome == harness.OutcomeCodeDelivered:
		l.alive = true
	case p.Redirected() && p.Params.Get("error") == "login_required",
		q.Outcome == harness.OutcomeLoginPage, q.Outcome == harness.OutcomeOtherRedirect:
	default:
		l.decided = false
	}
	return l, nil
}

// expectNotRedirected fails when a refused logout request reached the
// post-logout URI (or the bent one), and needs the control: the logout
// with the hint and the registered URI did reach it.
func expectNotRedirected(ctx context.Context, r *logoutRun, ld *landing, what string) {
	GinkgoHelper()
	ld.attach(what)
	if ld.sentTo(env.Profile.PostLogoutRedirectURI) || (r.bent != "" && ld.sentTo(r.bent)) {
		harness.Broken("the provider redirected %s: %s", what, ld)
	}
	r = r.upTo(ctx, 4)
	if !r.logout.sentTo(env.Profile.PostLogoutRedirectURI) {
		harness.Undecided(env, fmt.Errorf("the control (a logout with the id_token_hint and the registered post_logout_redirect_uri) was not redirected either: %s", r.logout))
	}
	env.Attach("control: the logout with the id_token_hint and the registered post_logout_redirect_uri was redirected there\n" + r.logout.String())
}

var _ = Describe("OpenID Connect RP-Initiated Logout", Label("flow:authorization_code"), func() {
	harness.It(env, catalog.LogoutRedirectRegistered, func(ctx SpecContext) {
		r := logoutChecks.upTo(ctx, 2)
		expectNotRedirected(ctx, r, r.badURI, "a logout with an unregistered post_logout_redirect_uri")
	})

	harness.It(env, catalog.LogoutRedirectNeedsClient, func(ctx SpecContext) {
		r := logoutChecks.upTo(ctx, 2)
		expectNotRedirected(ctx, r, r.noHint, "a logout with post_logout_redirect_uri and no id_token_hint nor client_id")
	})

	harness.It(env, catalog.LogoutHintVerified, func(ctx SpecContext) {
		r := logoutChecks.upTo(ctx, 2)
		expectNotRedirected(ctx, r, r.tampered, "a logout with a tampered id_token_hint")
	})

	harness.It(env, catalog.LogoutAsksWithoutHint, func(ctx SpecContext) {
		needLoginUI()
		r := logoutChecks.upTo(ctx, 3)
		r.unasked.attach("a logout request without id_token_hint from the signed-in browser, nobody confirming")
		env.Attach("then, with the session's cookies:\n" + r.stillAlive.evidence)
		if !r.stillAlive.decided {
			harness.Undecided(env, errors.New("whether the session lives could not be told"))
		}
		if !r.stillAlive.alive {
			harness.Broken("the session ended without the user being asked:\n%s", r.stillAlive.evidence)
		}
	})

	harness.It(env, catalog.LogoutState, func(ctx SpecContext) {
		r := logoutChecks.upTo(ctx, 4)
		r.logout.attach("the logout with id_token_hint, the registered post_logout_redirect_uri and state")
		harness.SkipUnless(r.logout.sentTo(env.Profile.PostLogoutRedirectURI), "the logout was not redirected to the post_logout_redirect_uri: no state to judge")
		if got := r.logout.params().Get("state"); got != r.state {
			harness.Broken("the post-logout redirect carries state %q, not the request's", got)
		}
	})

	harness.It(env, catalog.LogoutEndsSession, func(ctx SpecContext) {
		needLoginUI()
		r := logoutChecks.upTo(ctx, 5)
		r.logout.attach("the logout with id_token_hint")
		env.Attach("then, with the cookies the session had:\n" + r.after.evidence)
		if !r.after.decided {
			harness.Undecided(env, errors.New("whether the session lives could not be told"))
		}
		if r.after.alive {
			harness.Broken("the session outlived the logout:\n%s", r.after.evidence)
		}
	})
})
