package driver

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// FrameRenders opens framerURL — a page of another origin that frames the
// provider in <iframe id="target"> — and reports whether selector (the
// provider's login form, say) rendered inside the frame. A provider that
// forbids framing (X-Frame-Options, CSP frame-ancestors; RFC 9700 §4.16)
// leaves the frame on Chromium's error page, where the selector never shows.
// settle bounds how long the frame gets to render after the framer loaded.
func (s *Session) FrameRenders(ctx context.Context, framerURL, selector string, settle time.Duration) (rendered bool, err error) {
	// rod dereferences a frame's content document that a browser may not
	// report (an out-of-process frame seen through a remote browser): that
	// is the harness failing to look, said as an error, not a crash.
	defer func() {
		if r := recover(); r != nil {
			rendered, err = false, fmt.Errorf("driver: cannot look into the frame of %s: %v", framerURL, r)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, s.browser.opts.FlowTimeout)
	defer cancel()
	s.browser.stats.countFramePage()
	page, err := s.newPage(ctx)
	if err != nil {
		return false, fmt.Errorf("driver: open page: %w", err)
	}
	defer func() { _ = page.Context(context.Background()).Close() }()
	if err := page.Navigate(framerURL); err != nil {
		return false, fmt.Errorf("driver: open the framing page: %w", err)
	}
	if err := page.WaitLoad(); err != nil {
		return false, fmt.Errorf("driver: load the framing page: %w", err)
	}
	el, err := page.Element("iframe#target")
	if err != nil {
		return false, fmt.Errorf("driver: the framing page has no frame: %w", err)
	}
	frame, err := el.Frame()
	if err != nil {
		return false, nil // no document in the frame: nothing rendered
	}
	// A refused frame holds Chromium's error page: no need to wait for the form.
	if href, err := frame.Context(ctx).Eval(`() => location.href`); err == nil && strings.HasPrefix(href.Value.Str(), "chrome-error:") {
		return false, nil
	}
	// The framer's load event waits for its frames, so the frame has either
	// rendered the provider's page or Chromium's refusal by now; a
	// script-rendered form gets settle to appear.
	frameCtx, cancelFrame := context.WithTimeout(ctx, settle)
	defer cancelFrame()
	if _, err := frame.Context(frameCtx).Element(selector); err != nil {
		if ctx.Err() != nil {
			return false, fmt.Errorf("driver: %w", ctx.Err())
		}
		return false, nil
	}
	return true, nil
}

// PageShows opens pageURL top-level in a new page of the session and
// reports whether selector rendered there within settle after the load: the
// control of FrameRenders (the page itself loads; only the frame is
// refused). A navigation that fails (the host does not answer, Chromium's
// error page) is an error, not a false.
func (s *Session) PageShows(ctx context.Context, pageURL, selector string, settle time.Duration) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, s.browser.opts.FlowTimeout)
	defer cancel()
	page, err := s.newPage(ctx)
	if err != nil {
		return false, fmt.Errorf("driver: open page: %w", err)
	}
	defer func() { _ = page.Context(context.Background()).Close() }()
	if err := page.Navigate(pageURL); err != nil {
		return false, fmt.Errorf("driver: open %s: %w", pageURL, err)
	}
	if err := page.WaitLoad(); err != nil {
		return false, fmt.Errorf("driver: load %s: %w", pageURL, err)
	}
	if href, err := page.Eval(`() => location.href`); err == nil && strings.HasPrefix(href.Value.Str(), "chrome-error:") {
		return false, fmt.Errorf("driver: %s did not load (Chromium's error page)", pageURL)
	}
	waitCtx, cancelWait := context.WithTimeout(ctx, settle)
	defer cancelWait()
	if _, err := page.Context(waitCtx).Element(selector); err != nil {
		if ctx.Err() != nil {
			return false, fmt.Errorf("driver: %w", ctx.Err())
		}
		return false, nil
	}
	return true, nil
}
