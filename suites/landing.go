package suites

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/harness"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// landing is where an authorization request ended, as the user sees it
// (issue 13, "browser truth"): the plain-HTTP probe's answer when it is
// unambiguous — a redirect, or an HTTP 4xx/5xx page — and otherwise where
// the real browser, as the logged-in user running the profile's login
// steps (consent included), came to rest: a redirect URI reached (res), or
// a provider page no login step acts on (deadEnd, the refusal).
type landing struct {
	probe   *harness.Probe
	res     *driver.Result
	deadEnd *driver.DeadEndError
	// who ran the browser continuation, for the evidence ("" is the signed-in user).
	who string
}

// params are the parameters that reached a redirect URI (query and
// fragment together); empty when none was reached.
func (ld *landing) params() url.Values {
	switch {
	case ld.res != nil:
		got := url.Values{}
		for _, v := range []url.Values{ld.res.Query, ld.res.Fragment, ld.res.Form} {
			for k, vals := range v {
				got[k] = append(got[k], vals...)
			}
		}
		return got
	case ld.probe != nil && ld.probe.Redirected():
		return ld.probe.Params
	}
	return url.Values{}
}

// target is the redirect's destination, nil when the browser stayed on the provider.
func (ld *landing) target() *url.URL {
	switch {
	case ld.res != nil:
		return ld.res.Callback
	case ld.probe != nil && ld.probe.Redirected():
		return ld.probe.Target
	}
	return nil
}

// delivered reports whether a code or a token came back.
func (ld *landing) delivered() bool {
	p := ld.params()
	return p.Get("code") != "" || p.Get("access_token") != "" || p.Get("id_token") != ""
}

// redirected reports whether the browser was sent off the provider.
func (ld *landing) redirected() bool { return ld.target() != nil }

// refused reports whether the provider kept the browser: an error page, by
// status or as the browser showed it.
func (ld *landing) refused() bool { return ld.target() == nil }

// sentTo reports whether the redirect went to exactly uri (scheme, host and
// path; the parameters the server added are not compared).
func (ld *landing) sentTo(uri string) bool {
	u, err := url.Parse(uri)
	t := ld.target()
	return err == nil && t != nil && t.Scheme == u.Scheme && t.Host == u.Host && t.EscapedPath() == u.EscapedPath() && t.User == nil
}

// wentTo reports whether the redirect went to the bent URI: its marker in
// the target's host or path, or the bent URI's own scheme, host and path
// (and, where only its query tells it from the registered URI, that query's
// marker). An error page of the provider on another origin is not it.
func (ld *landing) wentTo(bent string) bool {
	t := ld.target()
	b, err := url.Parse(bent)
	if t == nil || err != nil {
		return false
	}
	if strings.Contains(t.Host+t.EscapedPath(), probeMarker) {
		return true
	}
	same := func(u *url.URL) bool {
		return u != nil && t.Scheme == u.Scheme && t.Host == u.Host && t.EscapedPath() == u.EscapedPath()
	}
	if !same(b) {
		return false
	}
	if r, err := url.Parse(env.Profile.RedirectURI); err == nil && same(r) {
		return strings.Contains(t.RawQuery, probeMarker)
	}
	return true
}

// String says, redacted, what the server did and how it was seen.
func (ld *landing) String() string {
	var b strings.Builder
	if ld.probe != nil {
		b.WriteString("over HTTP: " + ld.probe.String())
	}
	who := ld.who
	if who == "" {
		who = "as the signed-in user"
	}
	switch {
	case ld.res != nil:
		b.WriteString("\nin the browser, " + who + ": reached " + ld.res.Callback.String())
		if ld.res.LoginSteps > 0 {
			fmt.Fprintf(&b, " after %d login step(s)", ld.res.LoginSteps)
		}
	case ld.deadEnd != nil:
		b.WriteString("\nin the browser, " + who + ": " + ld.deadEnd.Error())
		if ld.deadEnd.LoginSteps > 0 {
			fmt.Fprintf(&b, " (after %d login step(s))", ld.deadEnd.LoginSteps)
		}
	}
	return env.Redactor.String(b.String())
}

// attach attaches the landing as evidence, with the screenshot of the page
// the browser rested on.
func (ld *landing) attach(what string) {
	env.Attach(what + "\n" + ld.String())
	if ld.deadEnd != nil {
		env.AttachScreenshot(ld.deadEnd.Screenshot)
	}
}

// final reports whether the plain-HTTP answer decides on its own: a
// redirect (to a redirect URI or anywhere off the provider) or an HTTP
// error page, unless that page POSTs a form (oidc-provider sends a
// form_post error response with status 400): the browser then decides.
func final(p *harness.Probe) bool { return p.Redirected() || p.Status >= 400 && !p.PostsForm }

// refusedBeforeSignIn reports whether a probe with no session decides a
// form_post request on its own: an error page (unless it POSTs a form) or
// an error redirect to the client, which no sign-in would change; a
// redirect elsewhere (a login app on another origin) does not.
func refusedBeforeSignIn(p *harness.Probe) bool {
	return p.Outcome == harness.OutcomeErrorRedirect || p.Outcome == harness.OutcomeCodeDelivered || p.Status >= 400 && !p.PostsForm
}

// authorizeAs sends an authorization request as the logged-in user: over
// plain HTTP with the session's cookies and, when that answer is not
// final, once in the browser (the session's own), which runs the login
// steps until a redirect URI is reached or the browser rests on a page
// where none applies (a form_post request is probed without the session,
// see refusedBeforeSignIn).
// also are URIs besides the registered redirect URI
// whose reaching ends the authorization (a bent redirect URI). Codes and
// tokens are registered with the redactor.
func authorizeAs(ctx context.Context, l *loggedIn, params url.Values, also ...string) (*landing, error) {
	ld := &landing{}
	cookies, decides := l.cookies, final
	if params.Get("response_mode") == "form_post" {
		// A provider answers a signed-in user's form_post request with the
		// response itself, a page that POSTs it: a probe with the session
		// would spend the code (and the nonce, which a provider may refuse
		// to see twice: Authlib's "Replay attack") on an answer nobody
		// posts, before the browser sends the request again. So the probe
		// goes without the session: what it decides on its own is a
		// refusal made before any sign-in (an error page, an error at the
		// redirect URI); anything else is the browser's, with the session.
		cookies, decides = nil, refusedBeforeSignIn
	}
	p, err := env.ProbeAuthorize(ctx, params, cookies)
	if err != nil {
		return nil, err
	}
	ld.probe = p
	if !decides(p) {
		if ld.res, ld.deadEnd, err = continueInBrowser(ctx, l.sess, params, also); err != nil {
			return ld, err
		}
	}
	if c := env.Profile.Clients.Confidential; c != nil && params.Get("client_id") == c.ID {
		l.codes.add(ld.params().Get("code"))
	}
	return ld, nil
}

// continueInBrowser runs the request in sess with the profile's login
// steps, stopping at a dead end.
func continueInBrowser(ctx context.Context, sess *driver.Session, params url.Values, also []string) (*driver.Result, *driver.DeadEndError, error) {
	return browseWith(ctx, sess, params, also, env.Profile.Login)
}

// browseWith is continueInBrowser with other steps (none: the browser
// goes where the provider sends it and no step runs).
func browseWith(ctx context.Context, sess *driver.Session, params url.Values, also []string, steps []profile.Step) (*driver.Result, *driver.DeadEndError, error) {
	res, err := sess.Authorize(ctx, driver.Request{
		URL: harness.AuthorizationURL(env.Endpoints.Authorization, params), RedirectURI: env.Profile.RedirectURI,
		Also: also, Login: steps, StopAtDeadEnd: true,
	})
	var de *driver.DeadEndError
	if errors.As(err, &de) {
		return nil, de, nil
	}
	if err != nil {
		return nil, nil, err
	}
	got := url.Values{}
	for _, v := range []url.Values{res.Query, res.Fragment, res.Form} {
		for k, vals := range v {
			got[k] = append(got[k], vals...)
		}
	}
	env.Redactor.Add(got.Get("code"), got.Get("access_token"), got.Get("id_token"), got.Get("refresh_token"))
	return res, nil, nil
}

// requestAs is authorizeAs returning the parameters that came back.
func requestAs(ctx context.Context, l *loggedIn, params url.Values) (url.Values, *landing, error) {
	ld, err := authorizeAs(ctx, l, params)
	if err != nil {
		return nil, ld, err
	}
	return ld.params(), ld, nil
}

// describe says what came back for a request (evidence).
func describe(got url.Values, ld *landing) string {
	if ld != nil {
		return ld.String()
	}
	return env.Redactor.String("redirect with " + got.Encode())
}

// control runs a negative check's positive control (issue 13): the same
// request with the legitimate value, sent the same way (authorizeAs), must
// deliver a code; key names the request, whose answer is kept for the run
// (every redirect URI variant shares the one with the registered URI).
func (l *loggedIn) control(ctx context.Context, key string, params url.Values) (*landing, error) {
	l.controlMu.Lock()
	defer l.controlMu.Unlock()
	if ld, ok := l.controls[key]; ok {
		return ld, nil
	}
	ld, err := authorizeAs(ctx, l, params)
	if err != nil {
		return nil, err
	}
	if l.controls == nil {
		l.controls = map[string]*landing{}
	}
	l.controls[key] = ld
	return ld, nil
}

// requireControl ends a negative check that saw a refusal: error when the
// control request (what names the legitimate value: "the registered
// redirect URI") delivered no code either — the refusal then says nothing
// about the property — and the control's answer as evidence otherwise.
func requireControl(ctx context.Context, l *loggedIn, what string, params url.Values) {
	GinkgoHelper()
	c, err := l.control(ctx, what+" "+params.Get("client_id"), params)
	if err != nil {
		harness.Undecided(env, fmt.Errorf("the control request with %s failed: %w", what, err))
	}
	if !c.delivered() {
		harness.Undecided(env, fmt.Errorf("the control request with %s did not deliver a code either: %s", what, c))
	}
	env.Attach("control: the same request with " + what + " delivered a code\n" + c.String())
}

// expectRefusedWithControl is the verdict of a negative check whose bad
// request ld must deliver nothing: fail when a code or token came back,
// and otherwise the refusal as evidence, judged against the control.
func expectRefusedWithControl(ctx context.Context, l *loggedIn, ld *landing, sent, what string, control url.Values) {
	GinkgoHelper()
	ld.attach(sent)
	if ld.delivered() {
		harness.Broken("a code or token was delivered for %s: %s", sent, ld)
	}
	requireControl(ctx, l, what, control)
}
