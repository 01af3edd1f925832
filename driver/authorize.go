package driver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
	"github.com/go-rod/rod/lib/utils"

	"github.com/oauthconform/oauthconform/internal/profile"
)

// Request is one authorization request to run in the browser.
type Request struct {
	// URL is the full authorization request URL (RFC 6749 §4.1.1 / §4.2.1).
	URL string
	// RedirectURI is where the provider sends the browser back. Navigations
	// to it are intercepted and answered by the driver.
	RedirectURI string
	// Login are the steps to run on the provider's pages. They stop as soon
	// as the redirect URI is reached (e.g. a reused login session).
	Login []profile.Step
	// LoginError is the CSS selector of the message the provider shows when
	// the login fails (the profile's login_error); while it shows text, the
	// authorization ends with a LoginFailedError instead of timing out.
	// Empty: the selector the profile loader put on the steps, if any.
	LoginError string
	// Also are more URLs where the authorization ends as at the redirect
	// URI: a bent redirect URI a check sent, whose navigation is intercepted
	// and returned as the Callback like the registered one's.
	Also []string
	// StopAtDeadEnd ends the authorization with a *DeadEndError as soon as
	// the browser rests on a page that shows none of the remaining login
	// steps' elements (nor the login error) and navigates nowhere: an error
	// page, told from what the browser shows, recognised once the page has
	// loaded and its network is quiet instead of after a step timeout.
	StopAtDeadEnd bool
	// EndAfterSteps: no redirect URI ends the flow (the device flow's
	// verification page, RFC 8628 §3.3); it ends when the last step is
	// done and the page it led to has settled, and the Result names that
	// page (Page, PageText) instead of a Callback.
	EndAfterSteps bool
}

// Hop is one HTTP response the browser received for a top-level navigation.
type Hop struct {
	URL      string
	Status   int
	Location string // for 3xx, the Location header
	Header   http.Header
}

// Result is what came back to the redirect URI.
type Result struct {
	// Callback is the URL the provider redirected to, fragment included.
	Callback *url.URL
	// Query and Fragment are the parsed parameters of each component
	// (RFC 6749 §4.1.2 uses the query, §4.2.2 the fragment).
	Query, Fragment url.Values
	// Method is the method of the request that reached the redirect URI:
	// GET after a redirect, POST for a form (response_mode=form_post).
	Method string
	// Form is the body of that request when it was a form POST (OAuth 2.0
	// Form Post Response Mode §2), nil otherwise.
	Form url.Values
	// Hops are the top-level navigation responses, in order.
	Hops []Hop
	// LoginSteps is how many login steps ran (0 when a session was reused).
	LoginSteps int
	// Ran are the indices in Request.Login of the steps that ran, in
	// order: which pages the provider showed (the login form, or only the
	// consent page, say).
	Ran []int
	// Requests are all the requests the browser sent, in order, up to and
	// including the one to the redirect URI: navigations and the
	// subresources of every page on the way (requests.go).
	Requests []SentRequest
	// Page and PageText are, with Request.EndAfterSteps, the URL and the
	// visible text of the page the browser rests on after the last step.
	Page, PageText string
}

// StepError says which login step failed, where, and what the page looked like.
type StepError struct {
	Step       string // secret-free description, e.g. "fill #username"
	PageURL    string
	Screenshot []byte // PNG; nil if it could not be taken
	Err        error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("driver: login step %q on %s: %v", e.Step, e.PageURL, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// LoginFailedError is the provider's own message on a failed login (the
// profile's login_error selector showed text). It is wrapped in a StepError,
// which carries the page URL and a screenshot.
type LoginFailedError struct {
	Text string // the message on the page, whitespace collapsed
}

func (e *LoginFailedError) Error() string { return "login failed: " + e.Text }

// ErrRedirectNotReached: the steps ran but the browser never got to the redirect URI.
var ErrRedirectNotReached = errors.New("the browser did not reach the redirect URI")

// DeadEndError: the browser came to rest on a page that is neither the
// redirect URI nor a page any remaining login step acts on (Request.StopAtDeadEnd).
// For a request the provider must refuse, it is the refusal, seen as the user sees it.
type DeadEndError struct {
	PageURL string
	Status  int    // the HTTP status of the page's document, 0 when unknown
	Title   string // the page's title
	Text    string // the page's visible text, whitespace collapsed, cut to 300 characters
	// Screenshot is a PNG of the page; nil if it could not be taken.
	Screenshot []byte
	// LoginSteps is how many login steps ran before it.
	LoginSteps int
	Hops       []Hop
}

func (e *DeadEndError) Error() string {
	s := fmt.Sprintf("the browser rests on %s", e.PageURL)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Title != "" {
		s += fmt.Sprintf(" titled %q", e.Title)
	}
	if e.Text != "" {
		s += fmt.Sprintf(", showing %q", e.Text)
	}
	return s + ", where no login step applies and nothing navigates"
}

// Authorize runs one authorization request in a new page of the session.
func (s *Session) Authorize(ctx context.Context, req Request) (res *Result, err error) {
	defer s.browser.stats.countAuthorization(time.Now(), &res, &err)
	res, _, err = s.authorize(ctx, req, "")
	return res, err
}

// Form is an HTML form as the browser would submit it.
type Form struct {
	// PageURL is the page that shows it.
	PageURL string
	// Action is the absolute URL it is submitted to; Method GET or POST.
	Action, Method string
	// Fields are its successful controls with the button's own name=value.
	Fields url.Values
}

// ErrFormNotShown: the authorization ended (the redirect URI was reached,
// say, because consent was remembered) before the form's button showed.
var ErrFormNotShown = errors.New("the page with the button never showed")

// FormOf runs req's login steps up to the step that clicks button (the
// consent page's approval, say) and returns the form that button submits,
// without clicking it: what a page of another origin would have to forge.
func (s *Session) FormOf(ctx context.Context, req Request, button string) (*Form, error) {
	_, f, err := s.authorize(ctx, req, button)
	if err == nil && f == nil {
		err = fmt.Errorf("driver: %w: %s", ErrFormNotShown, button)
	}
	return f, err
}

// formJS reads the form of a submit button.
const formJS = `function () {
	const f = this.form;
	if (!f) return null;
	const fields = [];
	for (const [k, v] of new FormData(f)) { if (typeof v === 'string') fields.push([k, v]); }
	if (this.name) fields.push([this.name, this.value]);
	return {action: f.action, method: (f.method || 'get').toUpperCase(), fields: fields};
}`

// readForm reads the form button el submits.
func (a *authorization) readForm(ctx context.Context, el *rod.Element) (*Form, error) {
	obj, err := el.Context(ctx).Eval(formJS)
	if err != nil {
		return nil, err
	}
	if obj.Value.Nil() {
		return nil, errors.New("the button submits no form")
	}
	f := &Form{Action: obj.Value.Get("action").Str(), Method: obj.Value.Get("method").Str(), Fields: url.Values{}}
	for _, kv := range obj.Value.Get("fields").Arr() {
		pair := kv.Arr()
		if len(pair) == 2 {
			f.Fields.Add(pair[0].Str(), pair[1].Str())
		}
	}
	if info, err := a.page.Context(ctx).Info(); err == nil {
		f.PageURL = info.URL
	}
	return f, nil
}

// authorize runs an authorization; with formOf, it stops at the step that
// clicks formOf and returns that button's form instead.
func (s *Session) authorize(ctx context.Context, req Request, formOf string) (*Result, *Form, error) {
	ctx, cancel := context.WithTimeout(ctx, s.browser.opts.FlowTimeout)
	defer cancel()

	page, err := s.newPage(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("driver: open page: %w", err)
	}
	defer func() { _ = page.Context(context.Background()).Close() }()

	a := &authorization{page: page, landings: landings(req), captured: make(chan struct{}), formSeen: make(chan struct{}), loginError: req.LoginError}
	if a.loginError == "" && len(req.Login) > 0 {
		a.loginError = req.Login[0].LoginError
	}

	// Without a landing (EndAfterSteps) nothing is intercepted: a router,
	// even with no pattern, pauses every request (Fetch.enable).
	if len(a.landings) > 0 {
		router := page.HijackRequests()
		// Each pattern catches a redirect URI and anything starting with it; a
		// near miss (another path) is still recorded, the checks judge it.
		for _, l := range a.landings {
			if err := router.Add(l+"*", "", func(h *rod.Hijack) {
				if h.Request.Method() == http.MethodPost {
					a.recordForm(h.Request.Body())
				}
				h.Response.SetHeader("Content-Type", "text/html; charset=utf-8")
				h.Response.SetBody("<!doctype html><title>redirect captured</title><p>The harness captured this redirect.</p>")
			}); err != nil {
				return nil, nil, fmt.Errorf("driver: intercept %s: %w", l, err)
			}
		}
		go router.Run()
		defer func() { _ = router.Stop() }()
	}

	stopEvents := a.listen(ctx)
	defer stopEvents()

	if err := page.Navigate(req.URL); err != nil && !a.isCaptured() {
		return nil, nil, a.stepError(ctx, "open authorization URL", err)
	}
	for i := 0; i < len(req.Login) && !a.isCaptured(); {
		if req.StopAtDeadEnd {
			if err := a.deadEnd(ctx, req.Login[i:], quietAfterLoad); err != nil {
				return nil, nil, err
			}
		}
		if formOf != "" && req.Login[i].Click != formOf {
			// The button may show already (a signed-in user's consent page),
			// where an earlier step's selector could match it too.
			if el, ok := a.look(ctx, byJS(visibleJS, formOf)); ok {
				f, err := a.readForm(ctx, el)
				if err != nil {
					return nil, nil, a.stepError(ctx, "read the form of "+formOf, err)
				}
				return nil, f, nil
			}
		}
		if formOf != "" && req.Login[i].Click == formOf {
			stepCtx, cancelStep := context.WithTimeout(ctx, s.browser.opts.StepTimeout)
			_, el, err := a.race(stepCtx, target(req.Login[i]))
			if err == nil {
				var f *Form
				f, err = a.readForm(stepCtx, el)
				cancelStep()
				if err != nil {
					return nil, nil, a.stepError(ctx, "read the form of "+formOf, err)
				}
				return nil, f, nil
			}
			cancelStep()
			if errors.Is(err, errCaptured) {
				return nil, nil, fmt.Errorf("driver: %w: %s (the redirect URI was reached first)", ErrFormNotShown, formOf)
			}
			return nil, nil, a.wrap(ctx, req.Login[i], err)
		}
		skipped, err := a.run(ctx, req.Login[i], req.Login[i+1:], s.browser.opts.StepTimeout)
		if err != nil {
			return nil, nil, err
		}
		if skipped < 0 {
			a.steps++ // this step ran
			a.ran = append(a.ran, i)
			skipped = 0
		}
		i += 1 + skipped
	}
	if req.StopAtDeadEnd {
		// After the last step an XHR login may navigate a while later: the
		// page gets longer to go somewhere (a page no step acted on, such
		// as one that submits itself, gets the ordinary time).
		quiet := quietAfterSteps
		if a.steps == 0 {
			quiet = quietAfterLoad
		}
		// deadEnd returns nil when the redirect URI is reached or the
		// document goes away: a page that submits itself (a cross-site
		// form) navigates while it is looked at, so the page it leads to
		// is looked at in turn, up to maxDeadEndPages pages, instead of
		// waiting out the flow timeout for a redirect that never comes.
		for look := 0; look < maxDeadEndPages && !a.isCaptured() && ctx.Err() == nil; look++ {
			if err := a.deadEnd(ctx, nil, quiet); err != nil {
				return nil, nil, err
			}
		}
	}
	if formOf != "" {
		return nil, nil, nil
	}
	if req.EndAfterSteps {
		return a.restingPage(ctx), nil, nil
	}
	if err := a.awaitRedirect(ctx, s.browser.opts.FlowTimeout); err != nil {
		return nil, nil, err
	}
	if err := a.awaitForm(ctx); err != nil {
		return nil, nil, err
	}
	return a.result(), nil, nil
}

// authorization is the state of one Authorize call.
type authorization struct {
	page *rod.Page
	// landings are the URL prefixes where the authorization ends (landings()).
	landings []string
	// loginError is the CSS selector of the provider's login error message.
	loginError string

	mu       sync.Mutex
	hops     []Hop
	requests []SentRequest
	callback *url.URL
	captured chan struct{} // closed when the redirect URI is requested
	method   string        // the method of the request to the redirect URI
	form     url.Values    // its body, when it was a form POST
	formSeen chan struct{} // closed when the interception has read that body
	steps    int
	ran      []int // indices of the login steps that ran
}

func trimComponents(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		return raw[:i]
	}
	return raw
}

// landings are the URL prefixes whose request ends the authorization: the
// redirect URI and the Also URIs without query and fragment and, for one on
// an origin other than the authorization request's, that whole origin too
// (the browser normalises a path — /a;/../b is /b — and userinfo never
// reaches the request, so a bent URI is caught wherever on its origin it
// lands). The provider's own origin is never caught whole.
func landings(req Request) []string {
	provider := OriginOf(req.URL)
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, raw := range append([]string{req.RedirectURI}, req.Also...) {
		add(trimComponents(raw))
		if o := OriginOf(raw); o != "" && o != provider {
			add(o + "/")
		}
	}
	return out
}

// lands reports whether a request to raw ends the authorization.
func (a *authorization) lands(raw string) bool {
	for _, l := range a.landings {
		if strings.HasPrefix(raw, l) {
			return true
		}
	}
	return false
}

func (a *authorization) isCaptured() bool {
	select {
	case <-a.captured:
		return true
	default:
		return false
	}
}

// listen records every request the page sends (until the redirect URI is
// reached) and the top-level navigation responses, and notices the request
// to the redirect URI. The fragment is only visible here
// (Request.URLFragment, or the Location of the redirect), never to the
// interception itself.
func (a *authorization) listen(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	mainFrame := a.page.FrameID
	wait := a.page.Context(ctx).EachEvent(
		func(e *proto.NetworkRequestWillBeSent) {
			a.mu.Lock()
			defer a.mu.Unlock()
			if a.callback == nil {
				a.requests = append(a.requests, sentRequest(e, mainFrame))
			}
			if e.Type != proto.NetworkResourceTypeDocument {
				return
			}
			if r := e.RedirectResponse; r != nil {
				a.hops = append(a.hops, hop(r))
			}
			// Only the page itself lands: a frame the provider's page
			// loads from the client's origin (a frontchannel_logout_uri,
			// OpenID Connect Front-Channel Logout 1.0) is answered by the
			// interception but ends nothing.
			if a.callback == nil && e.FrameID == mainFrame && a.lands(e.Request.URL) {
				if u, err := url.Parse(e.Request.URL + e.Request.URLFragment); err == nil {
					a.callback = u
					a.method = e.Request.Method
					close(a.captured)
				}
			}
		},
		func(e *proto.NetworkResponseReceived) {
			if e.Type != proto.NetworkResourceTypeDocument || a.lands(e.Response.URL) {
				return
			}
			a.mu.Lock()
			a.hops = append(a.hops, hop(e.Response))
			a.mu.Unlock()
		},
	)
	done := make(chan struct{})
	go func() { wait(); close(done) }()
	return func() { cancel(); <-done }
}

func hop(r *proto.NetworkResponse) Hop {
	h := Hop{URL: r.URL, Status: r.Status, Header: http.Header{}}
	for k, v := range r.Headers {
		h.Header.Set(k, v.String())
	}
	h.Location = h.Header.Get("Location")
	return h
}

func (a *authorization) result() *Result {
	a.mu.Lock()
	defer a.mu.Unlock()
	q, _ := url.ParseQuery(a.callback.RawQuery)
	f, _ := url.ParseQuery(a.callback.Fragment)
	return &Result{Callback: a.callback, Query: q, Fragment: f, Method: a.method, Form: a.form, Hops: append([]Hop(nil), a.hops...), LoginSteps: a.steps,
		Ran: append([]int(nil), a.ran...), Requests: append([]SentRequest(nil), a.requests...)}
}

// recordForm keeps the body of the first form POST to a redirect URI
// (response_mode=form_post), read by the interception.
func (a *authorization) recordForm(body string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.form != nil {
		return
	}
	a.form, _ = url.ParseQuery(body)
	if a.form == nil {
		a.form = url.Values{}
	}
	close(a.formSeen)
}

// awaitForm waits, when the redirect URI was reached by a POST, for the
// interception to have read its body (the browser reports the request
// before the interception sees it).
func (a *authorization) awaitForm(ctx context.Context) error {
	a.mu.Lock()
	post := a.method == http.MethodPost
	a.mu.Unlock()
	if !post {
		return nil
	}
	select {
	case <-a.formSeen:
		return nil
	case <-ctx.Done():
		return a.stepError(context.Background(), "read the form POSTed to the redirect URI", ctx.Err())
	}
}

// run performs one login step, bounded by timeout, and returns early when the
// redirect URI is reached meanwhile. Every wait races the step's own target
// against the profile's login error (reported at once as a LoginFailedError)
// and against the targets of the later steps: when a later step's page is
// already here — the provider remembered the user, or their consent, or an
// optional page did not come — the steps before it are skipped. It returns
// how many later steps to skip besides this one, or -1 when this one ran
// (its own target wins when several show at once).
func (a *authorization) run(ctx context.Context, step profile.Step, later []profile.Step, timeout time.Duration) (int, error) {
	stepCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var conds []cond
	if a.loginError != "" {
		conds = append(conds, errorShown(a.loginError))
	}
	own := len(conds)
	conds = append(conds, target(step))
	for _, l := range later {
		conds = append(conds, target(l))
	}
	i, el, err := a.race(stepCtx, conds...)
	switch {
	case errors.Is(err, errCaptured):
		return 0, nil
	case err != nil && step.Optional && errors.Is(err, context.DeadlineExceeded):
		// The optional page never came: skip it. When the whole flow ran out
		// meanwhile, the wait for the redirect says so.
		return 0, nil
	case err != nil:
		return 0, a.wrap(ctx, step, err)
	case i < own:
		return 0, a.loginFailed(ctx, step.Describe(), el)
	case i > own:
		// The page may still be parsing: look for this step's own target once
		// more, now that a later one showed, before skipping it.
		if mine, ok := a.look(stepCtx, conds[own]); ok {
			el = mine
			break
		}
		return i - own - 1, nil // a later step's page is already here: go there
	}
	switch {
	case step.Fill != "":
		el = el.Context(stepCtx)
		_ = el.SelectAllText() // replace a prefilled value rather than append to it
		err = el.Input(step.Value)
	case step.Click != "":
		err = a.clickAndSettle(stepCtx, el)
	}
	return -1, a.wrap(ctx, step, err)
}

// awaitRedirect waits, after the last step, for the browser to reach the
// redirect URI (an XHR login may navigate long after its click), failing
// at once when the profile's login error shows.
func (a *authorization) awaitRedirect(ctx context.Context, flowTimeout time.Duration) error {
	notReached := func() error {
		return a.stepError(context.Background(), "wait for the redirect URI", fmt.Errorf("%w within %s", ErrRedirectNotReached, flowTimeout))
	}
	if a.loginError == "" {
		select {
		case <-a.captured:
			return nil
		case <-ctx.Done():
			return notReached()
		}
	}
	_, el, err := a.race(ctx, errorShown(a.loginError))
	switch {
	case errors.Is(err, errCaptured):
		return nil
	case err != nil && ctx.Err() != nil:
		if a.isCaptured() {
			return nil
		}
		return notReached()
	case err != nil:
		return a.stepError(ctx, "wait for the redirect URI", err)
	}
	return a.loginFailed(ctx, "wait for the redirect URI", el)
}

// loginFailed reports the login error element's text as a LoginFailedError.
func (a *authorization) loginFailed(ctx context.Context, step string, el *rod.Element) error {
	textCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	text, err := el.Context(textCtx).Text()
	if err != nil {
		text = "(the error text could not be read: " + err.Error() + ")"
	}
	return a.stepError(ctx, step, &LoginFailedError{Text: strings.Join(strings.Fields(text), " ")})
}

// look checks one cond once.
func (a *authorization) look(ctx context.Context, c cond) (*rod.Element, bool) {
	el, err := c(a.page.Context(ctx))
	return el, err == nil && el != nil
}

// errCaptured ends a wait because the redirect URI was reached.
var errCaptured = errors.New("redirect URI reached")

// cond looks at the page once: an element when it holds, nil when not yet.
type cond func(p *rod.Page) (*rod.Element, error)

// Page-side tests. An element counts when it is rendered (has a box) and is
// not visibility:hidden: forms rendered by script, or steps of a single-page
// login that hide the previous step, are matched only once shown.
const (
	visibleJS = `(sel) => {
		for (const e of document.querySelectorAll(sel)) {
			if (e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden') return e;
		}
		return null;
	}`
	errorJS = `(sel) => {
		for (const e of document.querySelectorAll(sel)) {
			if (e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden' && (e.innerText || '').trim()) return e;
		}
		return null;
	}`
	urlJS = `(s) => location.href.includes(s) ? document.documentElement : null`
)

func byJS(js string, arg string) cond {
	return func(p *rod.Page) (*rod.Element, error) {
		el, err := p.Sleeper(rod.NotFoundSleeper).ElementByJS(rod.Eval(js, arg))
		if errors.Is(err, &rod.ElementNotFoundError{}) {
			return nil, nil
		}
		return el, err
	}
}

// target is what a step waits for: its element, shown, or its URL text.
func target(s profile.Step) cond {
	if s.WaitURL != "" {
		return byJS(urlJS, s.WaitURL)
	}
	return byJS(visibleJS, s.Fill+s.Click+s.WaitFor) // exactly one is set
}

// errorShown holds when an element of the login_error selector shows text.
func errorShown(selector string) cond { return byJS(errorJS, selector) }

// pollInterval paces the race's looks at the page (rod's own waits poll too).
func pollSleeper() utils.Sleeper {
	return utils.BackoffSleeper(50*time.Millisecond, 300*time.Millisecond, nil)
}

// race looks at the page until one of conds holds and returns its index and
// element; the first in order wins when several hold at once. It returns
// errCaptured as soon as the redirect URI is reached, and ctx's error when
// ctx ends first.
func (a *authorization) race(ctx context.Context, conds ...cond) (int, *rod.Element, error) {
	type hit struct {
		i   int
		el  *rod.Element
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan hit, 1)
	go func() {
		p := a.page.Context(ctx)
		h := hit{i: -1}
		h.err = utils.Retry(ctx, pollSleeper(), func() (bool, error) {
			for i, c := range conds {
				el, err := c(p)
				if err != nil {
					return true, err
				}
				if el != nil {
					h.i, h.el = i, el
					return true, nil
				}
			}
			return false, nil
		})
		done <- h
	}()
	select {
	case h := <-done:
		if h.err != nil && a.isCaptured() {
			return -1, nil, errCaptured
		}
		return h.i, h.el, h.err
	case <-a.captured:
		return -1, nil, errCaptured
	}
}

// clickAndSettle clicks and, when the click starts a navigation, waits for
// the new document to load (or for the redirect URI). A click that starts
// no navigation within navigationGrace is an in-page action.
func (a *authorization) clickAndSettle(ctx context.Context, el *rod.Element) error {
	const navigationGrace = 750 * time.Millisecond
	started := make(chan struct{}, 1)
	loaded := make(chan struct{}, 1)
	evCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	wait := a.page.Context(evCtx).EachEvent(
		func(e *proto.PageFrameStartedLoading) {
			select {
			case started <- struct{}{}:
			default:
			}
		},
		func(e *proto.PageLoadEventFired) {
			select {
			case loaded <- struct{}{}:
			default:
			}
		},
	)
	go wait()
	if err := el.Context(ctx).Click(proto.InputMouseButtonLeft, 1); err != nil {
		return err
	}
	grace := time.NewTimer(navigationGrace)
	defer grace.Stop()
	select {
	case <-started:
	case <-a.captured:
		return nil
	case <-grace.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-loaded:
		return nil
	case <-a.captured:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("page did not finish loading after the click: %w", ctx.Err())
	}
}

func (a *authorization) wrap(ctx context.Context, step profile.Step, err error) error {
	if err == nil || errors.Is(err, errCaptured) {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("timed out: %w", err)
	}
	return a.stepError(ctx, step.Describe(), err)
}

// stepError captures the page's URL and a screenshot for the failure.
func (a *authorization) stepError(ctx context.Context, step string, err error) error {
	shotCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	p := a.page.Context(shotCtx)
	se := &StepError{Step: step, Err: err}
	if info, ierr := p.Info(); ierr == nil {
		se.PageURL = info.URL
	}
	if png, serr := p.Screenshot(false, nil); serr == nil {
		se.Screenshot = png
	}
	return se
}

// How long a page's network must stay quiet before the browser is taken to
// rest there: after a page loaded (a script-rendered form fetches or renders
// within it), and after the last login step (an XHR login navigates a while
// after its answer).
const (
	quietAfterLoad = 400 * time.Millisecond
	// maxDeadEndPages bounds the pages looked at for a dead end after the
	// last step (each one that navigates away leads to the next).
	maxDeadEndPages = 8
	quietAfterSteps = 1500 * time.Millisecond
)

// deadEnd returns a *DeadEndError when the browser rests on a page where no
// remaining step's element (nor the login error) shows. It looks at once;
// only when nothing is there does it wait for the page's load event, for
// its network to stay quiet for quiet, and then for its document to stay
// unchanged for quiet (a form rendered by script), watching for the
// elements all along. A navigation meanwhile, or reaching a redirect URI,
// is no dead end: the steps go on.
func (a *authorization) deadEnd(ctx context.Context, remaining []profile.Step, quiet time.Duration) error {
	var conds []cond
	w := watch{Quiet: quiet.Milliseconds()}
	if a.loginError != "" {
		conds = append(conds, errorShown(a.loginError))
		w.Errors = append(w.Errors, a.loginError)
	}
	for _, s := range remaining {
		conds = append(conds, target(s))
		if s.WaitURL != "" {
			w.URLs = append(w.URLs, s.WaitURL)
		} else {
			w.Visible = append(w.Visible, s.Fill+s.Click+s.WaitFor)
		}
	}
	for _, c := range conds {
		if _, ok := a.look(ctx, c); ok || a.isCaptured() {
			return nil
		}
	}
	if err := a.settle(ctx, quiet); err != nil {
		if ctx.Err() != nil {
			return a.stepError(ctx, "wait for the page to settle", err)
		}
		return nil // the document went away: a navigation, the steps go on
	}
	if a.isCaptured() {
		return nil
	}
	found, err := a.watchDOM(ctx, w)
	if err != nil || found || a.isCaptured() {
		// An error here is the document going away: a navigation.
		return nil
	}
	return a.deadEndError(ctx)
}

// watch is what watchJS looks for: elements shown, URL text, an error
// message with text; Quiet is how long the document must stay unchanged.
type watch struct {
	Visible []string `json:"visible"`
	URLs    []string `json:"urls"`
	Errors  []string `json:"errors"`
	Quiet   int64    `json:"quiet"`
}

// watchJS resolves true as soon as one of the watched things shows, false
// once the document has not changed for quiet milliseconds.
const watchJS = `(w) => new Promise(resolve => {
	const shown = e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden';
	const any = (sels, test) => sels.some(sel => { try { return [...document.querySelectorAll(sel)].some(test); } catch (_) { return false; } });
	const found = () => any(w.visible || [], shown) || (w.urls || []).some(u => location.href.includes(u)) ||
		any(w.errors || [], e => shown(e) && (e.innerText || '').trim());
	if (found()) return resolve(true);
	let timer = setTimeout(() => { obs.disconnect(); resolve(false); }, w.quiet);
	const obs = new MutationObserver(() => {
		clearTimeout(timer);
		if (found()) { obs.disconnect(); return resolve(true); }
		timer = setTimeout(() => { obs.disconnect(); resolve(false); }, w.quiet);
	});
	obs.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})`

// watchDOM runs watchJS on the page.
func (a *authorization) watchDOM(ctx context.Context, w watch) (bool, error) {
	res, err := a.page.Context(ctx).Evaluate(rod.Eval(watchJS, w).ByPromise())
	if err != nil {
		return false, err
	}
	return res.Value.Bool(), nil
}

// settle waits, bounded by ctx, for the page's load event and then for its
// network to stay quiet for quiet; it returns at once when a redirect URI
// is reached.
func (a *authorization) settle(ctx context.Context, quiet time.Duration) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		p := a.page.Context(ctx)
		idle := p.WaitRequestIdle(quiet, nil, nil, nil)
		if err := p.WaitLoad(); err != nil {
			done <- err
			return
		}
		idle()
		done <- ctx.Err()
	}()
	select {
	case err := <-done:
		return err
	case <-a.captured:
		return nil
	}
}

// restingPage is the Result of an EndAfterSteps flow: the page the last
// step led to, once it has settled.
func (a *authorization) restingPage(ctx context.Context) *Result {
	settleCtx, cancel := context.WithTimeout(ctx, time.Second)
	_ = a.settle(settleCtx, quietAfterSteps)
	cancel()
	a.mu.Lock()
	res := &Result{Hops: append([]Hop(nil), a.hops...), LoginSteps: a.steps, Ran: append([]int(nil), a.ran...),
		Requests: append([]SentRequest(nil), a.requests...)}
	a.mu.Unlock()
	readCtx, cancelRead := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancelRead()
	p := a.page.Context(readCtx)
	if info, err := p.Info(); err == nil {
		res.Page = info.URL
	}
	if obj, err := p.Eval(deadEndJS); err == nil {
		res.PageText = obj.Value.Get("text").String()
	}
	return res
}

// deadEndJS reads what the page shows: its title and visible text.
const deadEndJS = `() => ({title: document.title || "", text: (document.body ? document.body.innerText : "") || ""})`

func (a *authorization) deadEndError(ctx context.Context) error {
	shotCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	p := a.page.Context(shotCtx)
	a.mu.Lock()
	de := &DeadEndError{LoginSteps: a.steps, Hops: append([]Hop(nil), a.hops...)}
	a.mu.Unlock()
	if info, err := p.Info(); err == nil {
		de.PageURL = info.URL
	}
	for i := len(de.Hops) - 1; i >= 0; i-- {
		if de.Hops[i].URL == de.PageURL {
			de.Status = de.Hops[i].Status
			break
		}
	}
	if v, err := p.Eval(deadEndJS); err == nil {
		de.Title = strings.Join(strings.Fields(v.Value.Get("title").Str()), " ")
		text := strings.Join(strings.Fields(v.Value.Get("text").Str()), " ")
		if r := []rune(text); len(r) > 300 {
			text = string(r[:300]) + "…"
		}
		de.Text = text
	}
	if png, err := p.Screenshot(false, nil); err == nil {
		de.Screenshot = png
	}
	return de
}
