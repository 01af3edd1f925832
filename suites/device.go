package suites

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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

// deviceGrant is the device_code grant type (RFC 8628 §3.4).
const deviceGrant = "urn:ietf:params:oauth:grant-type:device_code"

// minUserCodeBits is RFC 8628 §5.1's example: 8 characters of a base 20
// set, log2(20^8) ≈ 34.5 bits (with rate limiting to 5 attempts).
const minUserCodeBits = 34

// userCodeSamples is how many user codes DEV-07 asks for.
const userCodeSamples = 8

// deviceEndpoint is the advertised device authorization endpoint, or a skip.
func deviceEndpoint() string {
	GinkgoHelper()
	ep, _ := env.Metadata["device_authorization_endpoint"].(string)
	harness.SkipUnless(ep != "", "the provider does not advertise device_authorization_endpoint (RFC 8628 §4)")
	return ep
}

// deviceClient is the profile's device client, or a skip.
func deviceClient() *profile.Client {
	GinkgoHelper()
	deviceEndpoint()
	c := env.Profile.Clients.Device
	harness.SkipUnless(c != nil, "the profile has no device client (clients.device)")
	return c
}

// deviceAuthorization is a device authorization response (RFC 8628 §3.2)
// and the exchange it came in.
type deviceAuthorization struct {
	x        *harness.Exchange
	code     string
	userCode string
	uri      string // verification_uri
	complete string // verification_uri_complete, "" without one
	interval time.Duration
	expires  time.Duration // 0 without expires_in
	at       time.Time     // when the response came
}

// authorizeDevice asks for a device authorization as c (hand-built, with
// the client's authentication: golang.org/x/oauth2's DeviceAuth sends the
// client_id alone). Its codes are registered with the redactor.
func authorizeDevice(ctx context.Context, c *profile.Client) (*deviceAuthorization, error) {
	form := url.Values{}
	if len(c.Scopes) > 0 {
		form.Set("scope", strings.Join(c.Scopes, " "))
	}
	x, err := postAs(ctx, env.Metadata["device_authorization_endpoint"].(string), c, form)
	if err != nil {
		return nil, err
	}
	m := x.JSON()
	d := &deviceAuthorization{x: x, code: stringField(m, "device_code"), userCode: stringField(m, "user_code"),
		uri: stringField(m, "verification_uri"), complete: stringField(m, "verification_uri_complete"), interval: 5 * time.Second, at: time.Now()}
	env.Redactor.Add(d.code, d.userCode)
	if n, ok := m["interval"].(float64); ok && n > 0 {
		d.interval = time.Duration(n) * time.Second
	}
	if n, ok := m["expires_in"].(float64); ok && n > 0 {
		d.expires = time.Duration(n) * time.Second
	}
	if x.Status != http.StatusOK || d.code == "" || d.userCode == "" {
		return d, fmt.Errorf("no device authorization for %s:\n%s", c.ID, env.Evidence(x))
	}
	return d, nil
}

// needDevice is authorizeDevice for a check: undecided when it fails.
func needDevice(ctx context.Context, c *profile.Client) *deviceAuthorization {
	GinkgoHelper()
	d, err := authorizeDevice(ctx, c)
	if err != nil {
		harness.Undecided(env, err)
	}
	return d
}

// pollDevice sends one device_code token request (RFC 8628 §3.4) as c.
func pollDevice(ctx context.Context, c *profile.Client, code string) *harness.Exchange {
	GinkgoHelper()
	return tokenRequest(ctx, c, url.Values{"grant_type": {deviceGrant}, "device_code": {code}})
}

// waitFor waits d, or ends the check undecided when ctx ends first.
func waitFor(ctx context.Context, d time.Duration, what string) {
	GinkgoHelper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
		harness.Undecided(env, fmt.Errorf("waiting %s %s: %w", d, what, ctx.Err()))
	}
}

// deviceSteps are the steps at the verification URI: the login steps,
// then device_flow's, with the user code as typed; deny replaces the last
// step that is not optional (the approval) with a click on device_flow.deny
// and drops the steps after it.
func deviceSteps(typed string, deny bool) []profile.Step {
	GinkgoHelper()
	df := env.Profile.DeviceFlow
	harness.SkipUnless(df != nil && len(df.Steps) > 0, "the profile describes no device_flow steps for the verification page")
	steps := append([]profile.Step(nil), env.Profile.Login...)
	for _, s := range df.Steps {
		s.Value = strings.ReplaceAll(s.Value, profile.UserCodePlaceholder, typed)
		steps = append(steps, s)
	}
	if deny {
		harness.SkipUnless(df.Deny != "", "the profile names no deny button for the device flow (device_flow.deny)")
		i := len(steps) - 1
		for i > 0 && steps[i].Optional {
			i--
		}
		steps = append(steps[:i], profile.Step{Click: df.Deny, LoginError: steps[i].LoginError})
	}
	return steps
}

// userAtDevice is the user's part in the browser, as the signed-in user of
// the shared login: open uri, run the steps with the code typed, and rest
// on the page the last step led to.
func userAtDevice(ctx context.Context, uri, typed string, deny bool) (*driver.Result, error) {
	GinkgoHelper()
	steps := deviceSteps(typed, deny)
	l, err := sharedLogin(ctx)
	if err != nil && !errors.Is(err, errNoConfidential) {
		return nil, err
	}
	sess := (*driver.Session)(nil)
	if l != nil {
		sess = l.sess
	} else {
		s, err := env.NewSession(ctx)
		if err != nil {
			return nil, err
		}
		DeferCleanup(func() { _ = s.Close() })
		sess = s
	}
	env.Redactor.Add(typed)
	return sess.Authorize(ctx, driver.Request{URL: uri, Login: steps, EndAfterSteps: true})
}

// deviceApproved is the positive control of the device checks: a device
// authorization approved in the browser with the code as shown (through
// verification_uri_complete when there is one), then redeemed by
// golang.org/x/oauth2's DeviceAccessToken. Made once per process.
type deviceApproved struct {
	d     *deviceAuthorization
	tok   *oauth2.Token
	x     *harness.Exchange
	err   error
	where string
}

var deviceControlOnce struct {
	sync.Mutex
	done *deviceApproved
}

func deviceControl(ctx context.Context) *deviceApproved {
	GinkgoHelper()
	c := deviceClient()
	deviceSteps("", false) // skips without device_flow, before anything is asked
	deviceControlOnce.Lock()
	defer deviceControlOnce.Unlock()
	if a := deviceControlOnce.done; a != nil {
		return a
	}
	a := &deviceApproved{}
	a.d, a.err = authorizeDevice(ctx, c)
	if a.err == nil {
		uri, typed := a.d.uri, a.d.userCode
		if a.d.complete != "" {
			uri = a.d.complete
		}
		a.where = uri
		var res *driver.Result
		if res, a.err = userAtDevice(ctx, uri, typed, false); a.err == nil {
			a.where += " → " + res.Page
			rec := &harness.Recorder{}
			cfg := env.OAuth2Config(c)
			cfg.Endpoint.DeviceAuthURL = deviceEndpoint()
			da := &oauth2.DeviceAuthResponse{DeviceCode: a.d.code, UserCode: a.d.userCode, VerificationURI: a.d.uri,
				Interval: int64(a.d.interval / time.Second)}
			pollCtx, cancel := context.WithTimeout(ctx, 4*a.d.interval+10*time.Second)
			a.tok, a.err = cfg.DeviceAccessToken(env.ClientContext(pollCtx, rec), da)
			cancel()
			a.x = rec.Last()
			if a.tok != nil {
				env.Redactor.Add(a.tok.AccessToken, a.tok.RefreshToken)
			}
		}
	}
	deviceControlOnce.done = a
	return a
}

// requireDeviceControl ends the check undecided unless the control flow
// got a token.
func requireDeviceControl(ctx context.Context) *deviceApproved {
	GinkgoHelper()
	a := deviceControl(ctx)
	if a.err != nil || a.tok == nil {
		harness.Undecided(env, fmt.Errorf("the positive control failed: a device approved in the browser (%s) got no token: %v\n%s", a.where, a.err, env.Evidence(a.x)))
	}
	env.Attach("control: a device approved in the browser at " + env.Redactor.String(a.where) + " got a token")
	return a
}

// expiringDevice is a device authorization of the short-lived device
// client, asked for when the suite starts so that it expires while other
// checks run (DEV-04).
var expiringDevice struct {
	d       *deviceAuthorization
	at      time.Time // when it expires, margin included
	skip    string
	err     error
	started bool
	// The poll at that moment (expiredPoll), made once: early.go makes
	// it on time when DEV-04 comes later (a provider may forget a code
	// some time after it expired, and answer invalid_grant then).
	pollOnce sync.Once
	poll     *harness.Exchange
	pollErr  error
	polledAt time.Time
}

// expiredPoll waits until the short-lived device code has expired
// (margin included) and polls with it, once; it judges nothing.
func expiredPoll(ctx context.Context) {
	e := &expiringDevice
	e.pollOnce.Do(func() {
		if e.pollErr = waitUntil(ctx, e.at); e.pollErr != nil {
			return
		}
		e.polledAt = time.Now()
		e.poll, e.pollErr = postAs(ctx, env.Endpoints.Token, env.Profile.Clients.DeviceShortLived,
			url.Values{"grant_type": {deviceGrant}, "device_code": {e.d.code}})
	})
}

// requestExpiringDevice runs in BeforeSuite: it decides nothing.
func requestExpiringDevice(ctx context.Context) {
	c := env.Profile.Clients.DeviceShortLived
	ep, _ := env.Metadata["device_authorization_endpoint"].(string)
	switch {
	case ep == "":
		expiringDevice.skip = "the provider does not advertise device_authorization_endpoint (RFC 8628 §4)"
		return
	case c == nil:
		expiringDevice.skip = "the profile declares no short-lived device client (clients.device_short_lived): waiting out an ordinary device code is not worth a check"
		return
	}
	d, err := authorizeDevice(ctx, c)
	expiringDevice.d, expiringDevice.err = d, err
	switch {
	case err != nil:
		return
	case d.expires == 0:
		expiringDevice.skip = "the short-lived device client's device authorization has no expires_in (DEV-01)"
	case d.expires > maxExpiryWait:
		expiringDevice.skip = fmt.Sprintf("the short-lived device client's codes live %s, longer than the %s a check waits", d.expires, maxExpiryWait)
	}
	expiringDevice.at = time.Now().Add(d.expires + expiryMargin)
}

// isDeviceError reports whether x is an error answer with code.
func isDeviceError(x *harness.Exchange, code string) bool {
	return x.Status >= 400 && stringField(x.JSON(), "error") == code
}

// expectNoDeviceToken fails the check when x carries an access token.
func expectNoDeviceToken(x *harness.Exchange, when string) {
	GinkgoHelper()
	env.Attach(env.Evidence(x))
	if x.Status < 400 || stringField(x.JSON(), "access_token") != "" {
		harness.Broken("a token was issued %s (status %d)", when, x.Status)
	}
}

// lenientlyTyped is a user code as a hurried user types it: lower case,
// without dashes or spaces; "" when that changes nothing.
func lenientlyTyped(code string) string {
	typed := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(code))
	if typed == code {
		return ""
	}
	return typed
}

var _ = Describe("Device authorization grant", Label("flow:device_code"), runsLate, func() {
	harness.It(env, catalog.DeviceResponseFields, func(ctx SpecContext) {
		d := needDevice(ctx, deviceClient())
		env.Attach(env.Evidence(d.x))
		m := d.x.JSON()
		var missing []string
		for _, f := range []string{"device_code", "user_code", "verification_uri"} {
			if stringField(m, f) == "" {
				missing = append(missing, f)
			}
		}
		if n, ok := m["expires_in"].(float64); !ok || n <= 0 {
			missing = append(missing, "expires_in")
		}
		if len(missing) > 0 {
			harness.Broken("the device authorization response lacks %s (RFC 8628 §3.2: REQUIRED)", strings.Join(missing, ", "))
		}
	})

	harness.It(env, catalog.DevicePending, func(ctx SpecContext) {
		c := deviceClient()
		d := needDevice(ctx, c)
		x := pollDevice(ctx, c, d.code)
		expectNoDeviceToken(x, "before the user approved")
		if !isDeviceError(x, "authorization_pending") {
			harness.Broken("a poll before the user decided got error %q, not authorization_pending (RFC 8628 §3.5)", stringField(x.JSON(), "error"))
		}
	})

	harness.It(env, catalog.DeviceSlowDown, func(ctx SpecContext) {
		c := deviceClient()
		d := needDevice(ctx, c)
		first := pollDevice(ctx, c, d.code)
		harness.SkipUnless(isDeviceError(first, "authorization_pending"), "the first poll was not answered authorization_pending (DEV-02): %s", stringField(first.JSON(), "error"))
		again := pollDevice(ctx, c, d.code) // at once, well within the interval
		expectNoDeviceToken(again, "before the user approved")
		if !isDeviceError(again, "slow_down") {
			harness.Broken("a second poll at once, within the %s interval, got %q, not slow_down", d.interval, stringField(again.JSON(), "error"))
		}
	})

	harness.It(env, catalog.DeviceExpiredToken, func(ctx SpecContext) {
		deviceEndpoint()
		harness.SkipUnless(expiringDevice.skip == "", "%s", expiringDevice.skip)
		if expiringDevice.err != nil {
			harness.Undecided(env, expiringDevice.err)
		}
		expiredPoll(ctx)
		harness.Require(env, expiringDevice.pollErr)
		x := expiringDevice.poll
		env.Attach(env.Evidence(x))
		after := expiringDevice.polledAt.Sub(expiringDevice.at.Add(-expiryMargin)).Round(100 * time.Millisecond)
		expectNoDeviceToken(x, "for an expired device code")
		if !isDeviceError(x, "expired_token") {
			harness.Broken("a poll %s after the device code's expires_in got %q, not expired_token (RFC 8628 §3.5)", after, stringField(x.JSON(), "error"))
		}
	})

	harness.It(env, catalog.DeviceDenied, func(ctx SpecContext) {
		c := deviceClient()
		requireDeviceControl(ctx)
		d := needDevice(ctx, c)
		res, err := userAtDevice(ctx, d.uri, d.userCode, true)
		if err != nil {
			harness.Undecided(env, fmt.Errorf("the user could not deny the device at %s: %w", d.uri, err))
		}
		env.Attach("the user denied at " + d.uri + "; the browser rests on " + res.Page + ": " + env.Redactor.String(res.PageText))
		x := pollDevice(ctx, c, d.code)
		expectNoDeviceToken(x, "after the user denied the device")
		if !isDeviceError(x, "access_denied") {
			harness.Broken("after the user denied, the device's poll got %q, not access_denied (RFC 8628 §3.5)", stringField(x.JSON(), "error"))
		}
	})

	harness.It(env, catalog.DeviceCodeSingleUse, func(ctx SpecContext) {
		a := requireDeviceControl(ctx)
		x := pollDevice(ctx, deviceClient(), a.d.code)
		expectNoDeviceToken(x, "for a device code already redeemed")
	})

	harness.It(env, catalog.DeviceUserCodeEntropy, func(ctx SpecContext) {
		c := deviceClient()
		var codes []string
		for range userCodeSamples {
			codes = append(codes, needDevice(ctx, c).userCode)
		}
		bits, how := harness.EstimateEntropy(codes)
		env.Attach(fmt.Sprintf("%d user codes: about %.1f bits (%s); RFC 8628 §5.1's example, 8 characters of a base 20 set, is 34.5", len(codes), bits, how))
		if bits < minUserCodeBits {
			harness.Broken("user codes carry about %.1f bits, below the %d bits of RFC 8628's example (8 characters of a base 20 set, §5.1)", bits, minUserCodeBits)
		}
	})

	harness.It(env, catalog.DeviceUserCodeLenient, func(ctx SpecContext) {
		c := deviceClient()
		requireDeviceControl(ctx)
		d := needDevice(ctx, c)
		typed := lenientlyTyped(d.userCode)
		harness.SkipUnless(typed != "", "the user code %s has no letters or dashes a user could type otherwise", d.userCode)
		res, err := userAtDevice(ctx, d.uri, typed, false)
		var se *driver.StepError
		if errors.As(err, &se) {
			// The approval never came: the page refused the code as typed.
			harness.Broken("the user code typed in lower case without its dash was not accepted at %s: %v", d.uri, env.Redactor.String(err.Error()))
		}
		if err != nil {
			harness.Undecided(env, err)
		}
		env.Attach("typed in lower case without dash at " + d.uri + "; the browser rests on " + res.Page)
		// The interval since the device authorization (RFC 8628 §3.5), most
		// of it spent in the browser already.
		if wait := time.Until(d.at.Add(d.interval)); wait > 0 {
			waitFor(ctx, wait, "the polling interval")
		}
		x := pollDevice(ctx, c, d.code)
		env.Attach(env.Evidence(x))
		if stringField(x.JSON(), "access_token") == "" {
			harness.Broken("the device approved with the code typed in lower case without dash got no token (status %d, error %q)", x.Status, stringField(x.JSON(), "error"))
		}
	})

	harness.It(env, catalog.DeviceClientAuthenticated, func(ctx SpecContext) {
		ep := deviceEndpoint()
		var c *profile.Client
		switch dev, conf := env.Profile.Clients.Device, env.Profile.Clients.Confidential; {
		case dev != nil && dev.Secret != "":
			c = dev
		case conf != nil && containsString(conf.GrantTypes, deviceGrant):
			c = conf
		}
		harness.SkipUnless(c != nil, "the profile has no confidential device client (clients.device with a secret, or a confidential client whose grant_types list %s)", deviceGrant)
		if _, err := authorizeDevice(ctx, c); err != nil {
			harness.Undecided(env, fmt.Errorf("the positive control failed: %w", err))
		}
		wrong := *c
		wrong.Secret = c.Secret + "-wrong"
		x, err := postAs(ctx, ep, &wrong, url.Values{})
		harness.Require(env, err)
		env.Attach(env.Evidence(x))
		if x.Status < 400 || stringField(x.JSON(), "device_code") != "" {
			harness.Broken("a device authorization request of %s with a wrong secret was answered %d with a device code", c.ID, x.Status)
		}
	})
})
