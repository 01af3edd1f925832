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
	// Hops are the top-level navigation responses, in order.
	Hops []Hop
	// LoginSteps is how many login steps ran (0 when a session was reused).
	LoginSteps int
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

// ErrRedirectNotReached: the steps ran but the browser never got to the redirect URI.
var ErrRedirectNotReached = errors.New("the browser did not reach the redirect URI")

// Authorize runs one authorization request in a new page of the session.
func (s *Session) Authorize(ctx context.Context, req Request) (*Result, error) {
	ctx, cancel := context.WithTimeout(ctx, s.browser.opts.FlowTimeout)
	defer cancel()

	page, err := s.rod.Context(ctx).Page(proto.TargetCreateTarget{})
	if err != nil {
		return nil, fmt.Errorf("driver: open page: %w", err)
	}
	defer func() { _ = page.Context(context.Background()).Close() }()

	a := &authorization{page: page, redirect: trimComponents(req.RedirectURI), captured: make(chan struct{})}

	router := page.HijackRequests()
	// The pattern catches the redirect URI and anything starting with it; a
	// near miss (another path) is still recorded, the checks judge it.
	if err := router.Add(a.redirect+"*", "", func(h *rod.Hijack) {
		h.Response.SetHeader("Content-Type", "text/html; charset=utf-8")
		h.Response.SetBody("<!doctype html><title>redirect captured</title><p>The harness captured this redirect.</p>")
	}); err != nil {
		return nil, fmt.Errorf("driver: intercept %s: %w", a.redirect, err)
	}
	go router.Run()
	defer func() { _ = router.Stop() }()

	stopEvents := a.listen(ctx)
	defer stopEvents()

	if err := page.Navigate(req.URL); err != nil && !a.isCaptured() {
		return nil, a.stepError(ctx, "open authorization URL", err)
	}
	for _, step := range req.Login {
		if a.isCaptured() {
			break
		}
		if err := a.run(ctx, step, s.browser.opts.StepTimeout); err != nil {
			return nil, err
		}
		a.steps++
	}
	select {
	case <-a.captured:
	case <-ctx.Done():
		return nil, a.stepError(context.Background(), "wait for the redirect URI", fmt.Errorf("%w within %s", ErrRedirectNotReached, s.browser.opts.FlowTimeout))
	}
	return a.result(), nil
}

// authorization is the state of one Authorize call.
type authorization struct {
	page     *rod.Page
	redirect string // redirect URI without query and fragment

	mu       sync.Mutex
	hops     []Hop
	callback *url.URL
	captured chan struct{} // closed when the redirect URI is requested
	steps    int
}

func trimComponents(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		return raw[:i]
	}
	return raw
}

func (a *authorization) isCaptured() bool {
	select {
	case <-a.captured:
		return true
	default:
		return false
	}
}

// listen records top-level navigation responses and notices the request to
// the redirect URI. The fragment is only visible here (Request.URLFragment,
// or the Location of the redirect), never to the interception itself.
func (a *authorization) listen(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	wait := a.page.Context(ctx).EachEvent(
		func(e *proto.NetworkRequestWillBeSent) {
			if e.Type != proto.NetworkResourceTypeDocument {
				return
			}
			a.mu.Lock()
			defer a.mu.Unlock()
			if r := e.RedirectResponse; r != nil {
				a.hops = append(a.hops, hop(r))
			}
			if a.callback == nil && strings.HasPrefix(e.Request.URL, a.redirect) {
				if u, err := url.Parse(e.Request.URL + e.Request.URLFragment); err == nil {
					a.callback = u
					close(a.captured)
				}
			}
		},
		func(e *proto.NetworkResponseReceived) {
			if e.Type != proto.NetworkResourceTypeDocument || strings.HasPrefix(e.Response.URL, a.redirect) {
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
	return &Result{Callback: a.callback, Query: q, Fragment: f, Hops: append([]Hop(nil), a.hops...), LoginSteps: a.steps}
}

// run performs one login step, bounded by timeout, and returns early when the
// redirect URI is reached meanwhile.
func (a *authorization) run(ctx context.Context, step profile.Step, timeout time.Duration) error {
	stepCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if step.WaitURL != "" {
		err := a.until(stepCtx, func(p *rod.Page) error {
			return p.Wait(rod.Eval(`(s) => location.href.includes(s)`, step.WaitURL))
		})
		return a.wrap(ctx, step, err)
	}
	selector := step.Fill + step.Click + step.WaitFor // exactly one is set
	var el *rod.Element
	var err error
	if step.Optional {
		el, err = a.optionalElement(stepCtx, selector)
		if err == nil && el == nil {
			return nil // not on this page: skip
		}
	} else {
		err = a.until(stepCtx, func(p *rod.Page) error {
			found, ferr := p.Element(selector)
			el = found
			return ferr
		})
	}
	if err != nil || el == nil {
		return a.wrap(ctx, step, err)
	}
	switch {
	case step.Fill != "":
		err = el.Context(stepCtx).Input(step.Value)
	case step.Click != "":
		err = a.clickAndSettle(stepCtx, el)
	}
	return a.wrap(ctx, step, err)
}

// errCaptured ends a wait because the redirect URI was reached.
var errCaptured = errors.New("redirect URI reached")

// until runs fn on the page and gives up when the redirect URI is reached or the context ends.
func (a *authorization) until(ctx context.Context, fn func(*rod.Page) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(a.page.Context(ctx)) }()
	select {
	case err := <-done:
		return err
	case <-a.captured:
		return errCaptured
	}
}

// optionalElement waits for the current document to finish loading, then
// looks once: an optional element that is not there is skipped at once.
func (a *authorization) optionalElement(ctx context.Context, selector string) (*rod.Element, error) {
	var el *rod.Element
	err := a.until(ctx, func(p *rod.Page) error {
		if err := p.WaitLoad(); err != nil {
			return err
		}
		has, found, err := p.Has(selector)
		if has {
			el = found
		}
		return err
	})
	return el, err
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
