package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/mockserver"
)

// floor measures bare browser authorizations against a mock of its own,
// with go-rod directly and none of the harness: for each, a fresh incognito
// context and page, the authorization URL, the login form filled and
// submitted, the consent approved when the mock asks, and the navigation to
// the redirect URI captured by interception. The clock runs from opening
// the page to the captured redirect, as driver.Authorize's does. The first
// authorization of the browser is returned apart (cold: Chromium starts its
// renderer and network service lazily); the rest are warm.
func floor(ctx context.Context, n int) (cold time.Duration, warm []time.Duration, err error) {
	secrets := mockserver.RandomSecrets()
	mock, err := mockserver.Start(mockserver.Options{
		Clients: mockserver.DefaultClients(&secrets),
		Users:   []mockserver.User{mockserver.DefaultUser(&secrets)},
	}, "127.0.0.1:0")
	if err != nil {
		return 0, nil, fmt.Errorf("floor: mock: %w", err)
	}
	defer mock.Close()

	bin, err := driver.FindBrowser("")
	if err != nil {
		return 0, nil, err
	}
	// The same flags as driver.Launch, trusting the mock's certificate as the harness does.
	l := launcher.New().Context(ctx).Bin(bin).Headless(true).NoSandbox(os.Geteuid() == 0).
		Set("disable-background-networking").Set("disable-component-update").
		Set("no-first-run").Set("disable-gpu").Set("disable-sync").
		Set("ignore-certificate-errors-spki-list", driver.SPKIHash(mock.Certificate))
	u, err := l.Launch()
	if err != nil {
		return 0, nil, fmt.Errorf("floor: launch %s: %w", bin, err)
	}
	defer l.Cleanup()
	defer l.Kill()
	b := rod.New().Context(ctx).ControlURL(u)
	if err := b.Connect(); err != nil {
		return 0, nil, fmt.Errorf("floor: connect: %w", err)
	}
	defer b.Close()

	for i := 0; i <= n; i++ {
		d, err := bareAuthorization(ctx, b, mock.URL, secrets.AlicePassword)
		if err != nil {
			return 0, nil, fmt.Errorf("floor: authorization %d: %w", i+1, err)
		}
		if i == 0 {
			cold = d
		} else {
			warm = append(warm, d)
		}
	}
	return cold, warm, nil
}

func bareAuthorization(ctx context.Context, b *rod.Browser, issuer, password string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	inc, err := b.Context(ctx).Incognito()
	if err != nil {
		return 0, err
	}
	defer inc.Close()

	state := make([]byte, 16)
	_, _ = rand.Read(state)
	authURL := issuer + "/authorize?" + url.Values{
		"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {mockserver.DefaultRedirectURI},
		"scope": {"openid profile"}, "state": {hex.EncodeToString(state)},
	}.Encode()

	start := time.Now()
	page, err := inc.Page(proto.TargetCreateTarget{})
	if err != nil {
		return 0, err
	}
	captured := make(chan string, 1)
	router := page.HijackRequests()
	if err := router.Add(mockserver.DefaultRedirectURI+"*", "", func(h *rod.Hijack) {
		h.Response.SetBody("captured")
		select {
		case captured <- h.Request.URL().String():
		default:
		}
	}); err != nil {
		return 0, err
	}
	go router.Run()
	defer func() { _ = router.Stop() }()

	// Navigate returns once the document's response came; wait for its load.
	wait := page.WaitNavigation(proto.PageLifecycleEventNameLoad)
	if err := page.Navigate(authURL); err != nil {
		return 0, err
	}
	wait()
	for _, f := range []struct{ sel, val string }{{"#username", "alice"}, {"#password", password}} {
		el, err := page.Element(f.sel)
		if err != nil {
			return 0, err
		}
		if err := el.Input(f.val); err != nil {
			return 0, err
		}
	}
	submit, err := page.Element("button[type=submit]")
	if err != nil {
		return 0, err
	}
	wait = page.WaitNavigation(proto.PageLifecycleEventNameLoad)
	if err := submit.Click(proto.InputMouseButtonLeft, 1); err != nil {
		return 0, err
	}
	loaded := make(chan struct{})
	go func() { wait(); close(loaded) }()
	var cb string
	select {
	case cb = <-captured:
	case <-loaded:
		// The captured page loads too: look for the capture before the consent page.
		select {
		case cb = <-captured:
		default:
			if cb, err = approve(ctx, page, captured); err != nil {
				return 0, err
			}
		}
	case <-ctx.Done():
		return 0, errors.New("the redirect URI was not reached after the login")
	}
	d := time.Since(start)
	cbURL, err := url.Parse(cb)
	if err != nil || cbURL.Query().Get("code") == "" {
		return 0, fmt.Errorf("no code at the redirect URI")
	}
	_ = page.Close()
	return d, nil
}

// approve clicks the mock's consent button and waits for the redirect.
func approve(ctx context.Context, page *rod.Page, captured <-chan string) (string, error) {
	el, err := page.Element("#approve")
	if err != nil {
		return "", err
	}
	if err := el.Click(proto.InputMouseButtonLeft, 1); err != nil {
		return "", err
	}
	select {
	case cb := <-captured:
		return cb, nil
	case <-ctx.Done():
		return "", errors.New("the redirect URI was not reached after the consent")
	}
}
