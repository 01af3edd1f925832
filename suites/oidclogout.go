package suites

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"golang.org/x/oauth2"

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
//  5. prompt=none with the cookies the session had: login_required (LO-01);
//  6. the OP iframe asked again about the session's session_state (LO-12).
//
// Around step 4's logout, where the provider advertises them: the OP iframe
// (check_session_iframe) is asked about the session's session_state from a
// page of the client's origin in the same browser (LO-11); the logout's
// browser run records the frames the provider's page loads (the
// frontchannel_logout_uri, LO-13, LO-14); a listener at the profile's
// backchannel_logout_uri catches the provider's logout_token (LO-15..LO-17).
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

	// sessionState is the session's session_state (the last sign-in's),
	// iframe the advertised check_session_iframe; before and afterLogout
	// are its answers (or the errors of asking) before the logout and at
	// step 6.
	sessionState, iframe string
	before, afterLogout  *driver.FrameAnswer
	beforeErr, afterErr  error
	// sid is the sid of the session's ID Token ("" when it has none).
	sid string
	// backchannel is the provider's back-channel logout request, nil when
	// none came (or none was listened for: listened says).
	backchannel *backchannelPost
	listened    bool

	// Step 2's requests without one of their parameters (the OIDF plan's
	// only-state, no-params and no-state modules: LO-18, LO-19, LO-21).
	onlyState, noParams, noState *landing
	// hintOnly is a logout with id_token_hint alone in a second session
	// of the user (LO-20): run once, in the wait of meanwhile or by LO-20.
	hintOnly hintOnlyLogout
}

// hintOnlyLogout is a sign-in of its own logged out by a request with
// id_token_hint and no post_logout_redirect_uri, and whether its session
// lived after.
type hintOnlyLogout struct {
	once  sync.Once
	ld    *landing
	after *liveness
	err   error
	// browseErr: the browser did not come to rest on the logout's page in
	// time (the session still decides; a live one is then undecided).
	browseErr error
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
	if done, err := r.advance(ctx, ep, rr, n); done < n {
		harness.Undecided(env, fmt.Errorf("the logout session's step %d failed: %w", done+1, err))
	}
	return r
}

// advance runs the steps up to n not run yet with the reauthentication
// session rr (done with its steps), and returns how many are done and the
// error that stopped them. It judges nothing (early.go runs it too).
func (r *logoutRun) advance(ctx context.Context, ep string, rr *reauthRun, n int) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.err == nil && r.done < n {
		r.err = r.step(ctx, ep, rr, r.done+1)
		if r.err == nil {
			r.done++
		}
	}
	return r.done, r.err
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
	r.hintOnly.run(ctx, ep)
}

// run signs the user in once more, in a session of its own, and logs that
// session out with a request carrying the session's ID Token as
// id_token_hint and no post_logout_redirect_uri, in the browser with the
// profile's logout steps; then asks whether the session lives.
func (h *hintOnlyLogout) run(ctx context.Context, ep string) {
	h.once.Do(func() {
		client := env.Profile.Clients.Confidential
		sess, err := env.NewSession(ctx)
		if err != nil {
			h.err = err
			return
		}
		defer func() { _ = sess.Close() }()
		g, err := authorizeCode(ctx, sess, client, true)
		if err != nil {
			h.err = fmt.Errorf("the second sign-in: %w", err)
			return
		}
		tok, x, err := exchange(ctx, client, g.code, oauth2.VerifierOption(g.verifier))
		if err != nil {
			h.err = fmt.Errorf("the second sign-in's code exchange failed:\n%s", env.Evidence(x))
			return
		}
		raw, _ := tok.Extra("id_token").(string)
		if raw == "" {
			h.err = errors.New("the token response carries no id_token: no hint to log out with")
			return
		}
		cookies, err := sess.Cookies(ctx)
		if err != nil {
			h.err = err
			return
		}
		target := logoutURL(ep, url.Values{"id_token_hint": {raw}, "state": {harness.Random()}})
		h.ld = &landing{who: "as the signed-in user of a second session"}
		// Bounded on its own: a page that stays (no post-logout redirect)
		// may keep a frame loading; what the check judges is the session.
		bctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		h.ld.res, h.ld.deadEnd, h.browseErr = logoutChecks.browse(bctx, sess, target, env.Profile.Logout)
		cancel()
		h.after, h.err = sessionLives(ctx, cookies)
	})
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
		if r.tampered, err = r.refusal(ctx, ep, url.Values{"id_token_hint": {tampered}, "post_logout_redirect_uri": {registered}, "state": {harness.Random()}}); err != nil {
			return err
		}
		if r.onlyState, err = r.refusal(ctx, ep, url.Values{"state": {harness.Random()}}); err != nil {
			return err
		}
		if r.noParams, err = r.refusal(ctx, ep, url.Values{}); err != nil {
			return err
		}
		// Not a refusal: the hint and the registered URI, without state
		// (no session: a provider may redirect it or not, LO-21 judges a
		// redirect).
		r.noState, err = r.refusal(ctx, ep, url.Values{"id_token_hint": {r.idToken}, "post_logout_redirect_uri": {registered}})
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
		r.watchBefore(ctx, rr)
		var bc *backchannelListener
		if advertisedTrue("backchannel_logout_supported") && env.Profile.BackchannelLogoutURI != "" {
			if bc, err = listenBackchannel(ctx, env.Profile.BackchannelLogoutURI); err != nil {
				return err
			}
			defer bc.close()
		}
		r.state = harness.Random()
		target := logoutURL(ep, url.Values{"id_token_hint": {r.idToken}, "post_logout_redirect_uri": {registered}, "state": {r.state}})
		r.logout = &landing{who: "as the signed-in user"}
		r.logout.res, r.logout.deadEnd, err = r.browse(ctx, r.sess, target, env.Profile.Logout)
		if err == nil && bc != nil {
			r.listened, r.backchannel = true, bc.wait(ctx)
		}
		return err
	case 5:
		r.after, err = sessionLives(ctx, r.cookies)
		return err
	case 6:
		if r.iframe != "" && r.sessionState != "" {
			r.afterLogout, r.afterErr = askCheckSession(ctx, r.sess, r.iframe, client.ID, r.sessionState)
		}
		return nil
	}
	return fmt.Errorf("no step %d", i)
}

// watchBefore notes, before the logout, the last sign-in's session_state
// and sid, and asks the OP iframe about that session_state while the
// session lives. Caller holds r.mu.
func (r *logoutRun) watchBefore(ctx context.Context, rr *reauthRun) {
	last := rr.first
	if rr.login != nil && rr.login.err == nil {
		last = rr.login
	}
	if last != nil && last.ld != nil {
		r.sessionState = last.ld.params().Get("session_state")
	}
	if last != nil {
		r.sid, _ = last.claims["sid"].(string)
	}
	r.iframe, _ = env.Metadata["check_session_iframe"].(string)
	if r.iframe != "" && r.sessionState != "" {
		r.before, r.beforeErr = askCheckSession(ctx, r.sess, r.iframe, env.Profile.Clients.Confidential.ID, r.sessionState)
	}
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

var _ = Describe("OpenID Connect RP-Initiated Logout", Label("flow:authorization_code"), runsLate, func() {
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

	harness.It(env, catalog.LogoutOnlyStateNotRedirected, func(ctx SpecContext) {
		r := logoutChecks.upTo(ctx, 2)
		expectNotRedirected(ctx, r, r.onlyState, "a logout with state alone")
	})

	harness.It(env, catalog.LogoutNoParamsNotRedirected, func(ctx SpecContext) {
		r := logoutChecks.upTo(ctx, 2)
		expectNotRedirected(ctx, r, r.noParams, "a logout without any parameter")
	})

	harness.It(env, catalog.LogoutHintOnlyEndsSession, func(ctx SpecContext) {
		needLoginUI()
		ep := endSession()
		h := &logoutChecks.hintOnly
		h.run(ctx, ep)
		if h.err != nil {
			harness.Undecided(env, fmt.Errorf("the logout with id_token_hint alone: %w", h.err))
		}
		h.ld.attach("a logout with id_token_hint and no post_logout_redirect_uri")
		if h.ld.sentTo(env.Profile.PostLogoutRedirectURI) {
			env.Attach("the provider redirected it to the registered post_logout_redirect_uri, which the request did not name")
		}
		env.Attach("then, with the cookies the session had:\n" + h.after.evidence)
		if !h.after.decided {
			harness.Undecided(env, errors.New("whether the session lives could not be told"))
		}
		if h.after.alive && h.browseErr != nil {
			harness.Undecided(env, fmt.Errorf("the browser did not finish the logout (the user's part, such as a confirmation, may not have run): %w", h.browseErr))
		}
		if h.after.alive {
			harness.Broken("the session outlived the logout:\n%s", h.after.evidence)
		}
	})

	harness.It(env, catalog.LogoutNoStateInvented, func(ctx SpecContext) {
		r := logoutChecks.upTo(ctx, 2)
		r.noState.attach("a logout with id_token_hint and the registered post_logout_redirect_uri, without state, with no session")
		harness.SkipUnless(r.noState.sentTo(env.Profile.PostLogoutRedirectURI), "the provider did not redirect the logout request without state (made with no session): no redirect to judge")
		if got := r.noState.params(); got.Has("state") {
			harness.Broken("the post-logout redirect carries state %q, which the request did not send", got.Get("state"))
		}
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

	harness.It(env, catalog.CheckSessionIframeHTTPS, func(ctx SpecContext) {
		needMetadata()
		raw, ok := env.Metadata["check_session_iframe"]
		harness.SkipUnless(ok, "the provider does not advertise check_session_iframe (OpenID Connect Session Management)")
		s, _ := raw.(string)
		env.Attach(fmt.Sprintf("check_session_iframe: %v", raw))
		u, err := url.Parse(s)
		if s == "" || err != nil || !u.IsAbs() || u.Host == "" {
			harness.Broken("check_session_iframe %v is not an absolute URL", raw)
		}
		if u.Scheme != "https" {
			harness.Broken("check_session_iframe %s does not use the https scheme", s)
		}
	})

	harness.It(env, catalog.FrontchannelMetadataBoolean, func(ctx SpecContext) {
		expectBooleanMetadata("frontchannel_logout_supported", "frontchannel_logout_session_supported")
	})

	harness.It(env, catalog.BackchannelMetadataBoolean, func(ctx SpecContext) {
		expectBooleanMetadata("backchannel_logout_supported", "backchannel_logout_session_supported")
	})

	harness.It(env, catalog.SessionStateReturned, func(ctx SpecContext) {
		needMetadata()
		harness.SkipUnless(env.Metadata["check_session_iframe"] != nil, "the provider does not advertise check_session_iframe: it does not claim session management")
		rr := reauth.upTo(ctx, 2)
		rr.first.ld.attach("the first sign-in's authentication response")
		got := rr.first.ld.params()
		if !got.Has("session_state") {
			harness.Broken("the authentication response carries no session_state (parameters: %s)", strings.Join(paramNames(got), ", "))
		}
		if ss := got.Get("session_state"); ss == "" || strings.Contains(ss, " ") {
			harness.Broken("the session_state %q is empty or contains a space", ss)
		}
	})

	harness.It(env, catalog.CheckSessionUnchanged, func(ctx SpecContext) {
		needLoginUI()
		r := logoutChecks.sessionManaged(ctx, 4)
		if r.beforeErr != nil {
			harness.Undecided(env, fmt.Errorf("the OP iframe did not answer: %w", r.beforeErr))
		}
		env.Attach(fmt.Sprintf("asked %s about the live session's session_state from a page of %s: %q (the frame had its cookies: %t)", r.iframe, driver.OriginOf(env.Profile.RedirectURI), r.before.Answer, r.before.StorageAccess))
		skipWithoutStorageAccess(r.before, "unchanged")
		if r.before.Answer != "unchanged" {
			harness.Broken("the OP iframe answered %q, not \"unchanged\", to the session_state it issued to the live session", r.before.Answer)
		}
	})

	harness.It(env, catalog.CheckSessionChangedAfterLogout, func(ctx SpecContext) {
		needLoginUI()
		r := logoutChecks.sessionManaged(ctx, 6)
		r.logout.attach("the logout with id_token_hint")
		if r.beforeErr != nil || r.afterErr != nil {
			harness.Undecided(env, fmt.Errorf("the OP iframe did not answer: before the logout %v, after it %v", r.beforeErr, r.afterErr))
		}
		env.Attach(fmt.Sprintf("the OP iframe %s on the session's session_state: before the logout %q, after it %q (the frame had its cookies: %t, %t)", r.iframe, r.before.Answer, r.afterLogout.Answer, r.before.StorageAccess, r.afterLogout.StorageAccess))
		skipWithoutStorageAccess(r.before, "unchanged")
		if r.before.Answer != "unchanged" {
			harness.Undecided(env, fmt.Errorf("the control failed: before the logout the OP iframe answered %q, not \"unchanged\" (LO-11)", r.before.Answer))
		}
		if r.afterLogout.Answer != "changed" {
			harness.Broken("after the logout the OP iframe still answered %q to the signed-out session's session_state", r.afterLogout.Answer)
		}
	})

	harness.It(env, catalog.FrontchannelRendered, func(ctx SpecContext) {
		needLoginUI()
		r := logoutChecks.frontchannelRun(ctx)
		if len(frontchannelLoads(r.logout.res, env.Profile.FrontchannelLogoutURI)) == 0 {
			harness.Broken("the provider's pages loaded no frame of the frontchannel_logout_uri %s during the logout", env.Profile.FrontchannelLogoutURI)
		}
	})

	harness.It(env, catalog.FrontchannelIssAndSid, func(ctx SpecContext) {
		needLoginUI()
		r := logoutChecks.frontchannelRun(ctx)
		loads := frontchannelLoads(r.logout.res, env.Profile.FrontchannelLogoutURI)
		harness.SkipUnless(len(loads) > 0, "the provider loaded no frontchannel_logout_uri (LO-13 judges that)")
		for _, l := range loads {
			u, err := url.Parse(l.URL)
			harness.Require(env, err)
			q := u.Query()
			iss, sid := q.Get("iss"), q.Get("sid")
			switch {
			case q.Has("iss") != q.Has("sid"):
				harness.Broken("the frontchannel_logout_uri was loaded with only one of iss and sid: %s", l.URL)
			case !q.Has("iss"):
				continue
			case iss != env.Endpoints.Issuer:
				harness.Broken("the frontchannel_logout_uri was loaded with iss %q, not the issuer %q", iss, env.Endpoints.Issuer)
			case r.sid != "" && sid != r.sid:
				harness.Broken("the frontchannel_logout_uri was loaded with sid %q, not the session's ID Token's %q", sid, r.sid)
			}
		}
	})

	harness.It(env, catalog.BackchannelDelivered, func(ctx SpecContext) {
		needLoginUI()
		r := logoutChecks.backchannelRun(ctx)
		if r.backchannel == nil {
			harness.Broken("no request reached the backchannel_logout_uri %s within %s of the logout", env.Profile.BackchannelLogoutURI, backchannelWait)
		}
		env.Attach("the back-channel logout request: " + r.backchannel.String())
		if r.backchannel.method != http.MethodPost || !formEncoded(r.backchannel.contentType) || r.backchannel.form.Get("logout_token") == "" {
			harness.Broken("the back-channel logout request is not a form-encoded POST with logout_token: %s", r.backchannel)
		}
	})

	harness.It(env, catalog.LogoutTokenValid, func(ctx SpecContext) {
		needLoginUI()
		tok := logoutChecks.logoutToken(ctx)
		problems, claims, err := logoutTokenProblems(ctx, tok, env.Profile.Clients.Confidential.ID, logoutChecks.sid)
		harness.Require(env, err)
		env.Attach(fmt.Sprintf("logout_token claims: %v", claims))
		if len(problems) > 0 {
			harness.Broken("the logout_token is not a valid Logout Token: %s", strings.Join(problems, "; "))
		}
	})

	harness.It(env, catalog.LogoutTokenNoNonce, func(ctx SpecContext) {
		needLoginUI()
		tok := logoutChecks.logoutToken(ctx)
		_, claims, ok := harness.JWTParts(tok)
		harness.SkipUnless(ok, "the logout_token is not a JWT (LO-16 judges it)")
		if _, has := claims["nonce"]; has {
			harness.Broken("the logout_token carries a nonce claim (%v)", claims["nonce"])
		}
	})
})

// expectBooleanMetadata fails when an advertised metadata value of names
// is not a JSON boolean; skips when none is advertised.
func expectBooleanMetadata(names ...string) {
	GinkgoHelper()
	needMetadata()
	seen := false
	for _, n := range names {
		v, ok := env.Metadata[n]
		if !ok {
			continue
		}
		seen = true
		env.Attach(fmt.Sprintf("%s: %#v", n, v))
		if _, isBool := v.(bool); !isBool {
			harness.Broken("%s is %#v, not a JSON boolean", n, v)
		}
	}
	harness.SkipUnless(seen, "the provider advertises none of %s", strings.Join(names, ", "))
}

// paramNames are the names of v, sorted.
func paramNames(v url.Values) []string {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// sessionManaged runs the logout session up to step n for the OP iframe
// checks, skipping when the provider advertises no check_session_iframe or
// the sign-in brought no session_state (LO-10 judges that).
func (r *logoutRun) sessionManaged(ctx context.Context, n int) *logoutRun {
	GinkgoHelper()
	needMetadata()
	harness.SkipUnless(env.Metadata["check_session_iframe"] != nil, "the provider does not advertise check_session_iframe (OpenID Connect Session Management)")
	r = r.upTo(ctx, n)
	harness.SkipUnless(r.sessionState != "", "the sign-in's authentication response carries no session_state to ask the OP iframe about (LO-10 judges that)")
	return r
}

// frontchannelRun runs the logout for the front-channel checks, skipping
// when the provider does not advertise front-channel logout or the profile
// registers no frontchannel_logout_uri; undecided when the logout did not
// complete in the browser.
func (r *logoutRun) frontchannelRun(ctx context.Context) *logoutRun {
	GinkgoHelper()
	needMetadata()
	harness.SkipUnless(advertisedTrue("frontchannel_logout_supported"), "the provider does not advertise frontchannel_logout_supported: true (OpenID Connect Front-Channel Logout)")
	harness.SkipUnless(env.Profile.FrontchannelLogoutURI != "", "the profile declares no frontchannel_logout_uri registered for the confidential client")
	r = r.upTo(ctx, 4)
	r.logout.attach("the logout with id_token_hint, whose pages should load the frontchannel_logout_uri")
	if r.logout.res == nil {
		harness.Undecided(env, fmt.Errorf("the logout did not complete in the browser: %s", r.logout))
	}
	var loads []string
	for _, l := range frontchannelLoads(r.logout.res, env.Profile.FrontchannelLogoutURI) {
		loads = append(loads, l.URL)
	}
	env.Attach(fmt.Sprintf("frames of %s the logout's pages loaded: %v (the ID Token's sid: %q)", env.Profile.FrontchannelLogoutURI, loads, r.sid))
	return r
}

// backchannelRun runs the logout for the back-channel checks, skipping when
// the provider does not advertise back-channel logout or the profile
// registers no backchannel_logout_uri.
func (r *logoutRun) backchannelRun(ctx context.Context) *logoutRun {
	GinkgoHelper()
	needMetadata()
	harness.SkipUnless(advertisedTrue("backchannel_logout_supported"), "the provider does not advertise backchannel_logout_supported: true (OpenID Connect Back-Channel Logout)")
	harness.SkipUnless(env.Profile.BackchannelLogoutURI != "", "the profile declares no backchannel_logout_uri registered for the confidential client")
	r = r.upTo(ctx, 4)
	if !r.listened {
		harness.Undecided(env, errors.New("the harness did not listen at the backchannel_logout_uri during the logout"))
	}
	return r
}

// logoutToken is the logout_token of the back-channel logout request;
// skips when none came (LO-15 judges that).
func (r *logoutRun) logoutToken(ctx context.Context) string {
	GinkgoHelper()
	r = r.backchannelRun(ctx)
	harness.SkipUnless(r.backchannel != nil && r.backchannel.form.Get("logout_token") != "", "no logout_token reached the backchannel_logout_uri (LO-15 judges that)")
	return r.backchannel.form.Get("logout_token")
}
