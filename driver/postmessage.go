package driver

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// opFramePage is the RP page of AskFrame: it frames the OP's page, posts
// the message to it once loaded and keeps the first answer from the OP's
// origin (OpenID Connect Session Management 1.0 §3.1, the RP iframe).
const opFramePage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>RP</title></head><body><script>
window.opAnswer = new Promise(function (resolve) {
  var frameURL = %s, opOrigin = %s, message = %s;
  window.addEventListener('message', function (e) {
    if (e.origin === opOrigin) { resolve(String(e.data)); }
  }, false);
  var f = document.createElement('iframe');
  f.id = 'op';
  f.onload = function () { f.contentWindow.postMessage(message, opOrigin); };
  f.src = frameURL;
  document.body.appendChild(f);
});
</script></body></html>`

// FrameAnswer is what AskFrame saw.
type FrameAnswer struct {
	// Answer is the first message the frame posted back.
	Answer string
	// StorageAccess is whether the frame had its cookies when it answered
	// (document.hasStorageAccess()): Chromium keeps third-party cookies
	// from a frame in an incognito context unless the frame asks for them
	// with the Storage Access API, which the session allows.
	StorageAccess bool
}

// AskFrame opens pageURL — a page of the client's origin, whose navigation
// is intercepted and answered by the driver, as a real RP page would be —
// in a new page of the session; that page frames frameURL (the OP's
// check_session_iframe), postMessages message to it and returns the first
// answer posted back from frameURL's origin, waiting at most wait.
//
// Two permissions a person's browser would have are given to the page's
// origin in the session: access to the loopback or local network (the
// page, answered by the driver, has no address, so Chromium takes it for a
// public page, whose frames of a test deployment's provider Local Network
// Access blocks), and the frame's access to its own cookies when it asks
// (the Storage Access API; an incognito context blocks third-party cookies).
func (s *Session) AskFrame(ctx context.Context, pageURL, frameURL, message string, wait time.Duration) (*FrameAnswer, error) {
	ctx, cancel := context.WithTimeout(ctx, s.browser.opts.FlowTimeout)
	defer cancel()
	s.browser.stats.countFramePage()
	page, err := s.newPage(ctx)
	if err != nil {
		return nil, fmt.Errorf("driver: open page: %w", err)
	}
	defer func() { _ = page.Context(context.Background()).Close() }()
	rp, op, browserContext := OriginOf(pageURL), OriginOf(frameURL), page.Browser().BrowserContextID
	// Each name is one Chromium has had for the permission; a browser that
	// knows none of them has no such block.
	for _, perm := range []proto.BrowserPermissionType{"localNetworkAccess", "localNetwork", "loopbackNetwork"} {
		_ = proto.BrowserGrantPermissions{Permissions: []proto.BrowserPermissionType{perm}, Origin: rp, BrowserContextID: browserContext}.Call(page)
	}
	_, _ = page.Browser().Call(ctx, "", "Browser.setPermission", map[string]any{
		"permission": map[string]any{"name": "storage-access"}, "setting": "granted",
		"origin": rp, "embeddedOrigin": op, "browserContextId": browserContext})
	quote := func(v string) string { b, _ := json.Marshal(v); return string(b) }
	body := fmt.Sprintf(opFramePage, quote(frameURL), quote(op), quote(message))
	router := page.HijackRequests()
	if err := router.Add(pageURL, "", func(h *rod.Hijack) {
		h.Response.SetHeader("Content-Type", "text/html; charset=utf-8")
		h.Response.SetBody(body)
	}); err != nil {
		return nil, fmt.Errorf("driver: intercept %s: %w", pageURL, err)
	}
	go router.Run()
	defer func() { _ = router.Stop() }()
	if err := page.Navigate(pageURL); err != nil {
		return nil, fmt.Errorf("driver: open %s: %w", pageURL, err)
	}
	waitCtx, cancelWait := context.WithTimeout(ctx, wait)
	defer cancelWait()
	// The page's script first (Navigate returns once the navigation
	// commits, maybe before it ran; its load event waits for the frame),
	// then its answer. Without the script's promise, no answer is read
	// as one.
	err = page.Context(waitCtx).WaitLoad()
	var res *proto.RuntimeRemoteObject
	if err == nil {
		res, err = page.Context(waitCtx).Eval(`() => window.opAnswer === undefined ? Promise.reject(new Error("the RP page's script did not run")) : window.opAnswer`)
	}
	if err != nil {
		if waitCtx.Err() != nil {
			return nil, fmt.Errorf("driver: no answer from %s within %s", frameURL, wait)
		}
		return nil, fmt.Errorf("driver: ask %s: %w", frameURL, err)
	}
	a := &FrameAnswer{Answer: res.Value.Str()}
	a.StorageAccess = frameHasStorageAccess(ctx, page)
	return a, nil
}

// frameHasStorageAccess asks the frame #op whether it has its cookies;
// false when it cannot be told.
func frameHasStorageAccess(ctx context.Context, page *rod.Page) (has bool) {
	defer func() {
		if recover() != nil {
			has = false
		}
	}()
	el, err := page.Context(ctx).Element("iframe#op")
	if err != nil {
		return false
	}
	frame, err := el.Frame()
	if err != nil {
		return false
	}
	v, err := frame.Context(ctx).Eval(`() => document.hasStorageAccess ? document.hasStorageAccess() : true`)
	return err == nil && v.Value.Bool()
}
