package mockserver

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The mock under load (make test runs it with the race detector): 1,000+
// requests across authorize, token, introspect and revoke, 32 at a time on
// loopback, bounded in count and time. No request errs, every token issued
// is distinct, nothing is lost, and an authorization code is single-use
// even when two redemptions race.
const (
	loadWorkers   = 32  // requests in flight at once
	loadCodes     = 240 // codes obtained through /authorize and redeemed once
	loadRaces     = 60  // codes redeemed twice at the same instant
	loadCC        = 200 // client_credentials grants
	loadRevokes   = 120 // of the redeemed access tokens, revoked then introspected
	loadTimeLimit = 90 * time.Second
)

// loadClient is a goroutine-safe HTTP client that reports errors instead of
// failing the test from a goroutine.
type loadClient struct {
	base   string
	secret string
	http   *http.Client
	sent   atomic.Int64
}

func (c *loadClient) do(ctx context.Context, method, path string, form url.Values, basic bool) (int, http.Header, []byte, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	target := path
	if !strings.HasPrefix(path, "http") {
		target = c.base + path
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return 0, nil, nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if basic {
		req.SetBasicAuth("web", url.QueryEscape(c.secret))
	}
	c.sent.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, resp.Header, data, err
}

// session is one user agent: a cookie jar signed in and consented once.
func (c *loadClient) session(ctx context.Context, password string) (*loadClient, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	s := &loadClient{base: c.base, secret: c.secret, http: &http.Client{
		Jar: jar, Timeout: 10 * time.Second, Transport: c.http.Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	status, h, body, err := s.do(ctx, http.MethodGet, authorizePath("warmup"), nil, false)
	if err != nil {
		return nil, err
	}
	if status == http.StatusOK {
		m := reqIDRe.FindSubmatch(body)
		if m == nil {
			return nil, fmt.Errorf("login page without a request id: %s", body)
		}
		status, h, body, err = s.do(ctx, http.MethodPost, "/login", url.Values{"req": {string(m[1])}, "username": {"alice"}, "password": {password}}, false)
		if err != nil || status != http.StatusSeeOther {
			return nil, fmt.Errorf("login: %d %v %s", status, err, body)
		}
		status, h, body, err = s.do(ctx, http.MethodGet, h.Get("Location"), nil, false)
		if err != nil {
			return nil, err
		}
		if status == http.StatusOK {
			m := reqIDRe.FindSubmatch(body)
			if m == nil {
				return nil, fmt.Errorf("consent page without a request id: %s", body)
			}
			status, h, _, err = s.do(ctx, http.MethodPost, "/consent", url.Values{"req": {string(m[1])}, "decision": {"approve"}}, false)
			if err != nil {
				return nil, err
			}
		}
	}
	if status != http.StatusFound || !strings.Contains(h.Get("Location"), "code=") {
		return nil, fmt.Errorf("sign-in ended with %d %s", status, h.Get("Location"))
	}
	return s, nil
}

func authorizePath(state string) string {
	return "/authorize?" + url.Values{
		"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {DefaultRedirectURI},
		"scope": {"openid api.read"}, "state": {state},
	}.Encode()
}

// code gets one authorization code as a signed-in session.
func (s *loadClient) code(ctx context.Context, state string) (string, error) {
	status, h, body, err := s.do(ctx, http.MethodGet, authorizePath(state), nil, false)
	if err != nil {
		return "", err
	}
	loc, perr := url.Parse(h.Get("Location"))
	if status != http.StatusFound || perr != nil || loc.Query().Get("code") == "" || loc.Query().Get("state") != state {
		return "", fmt.Errorf("authorize: %d %s %s", status, h.Get("Location"), body)
	}
	return loc.Query().Get("code"), nil
}

func (c *loadClient) redeem(ctx context.Context, code string) (int, map[string]any, error) {
	status, _, body, err := c.do(ctx, http.MethodPost, "/token", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {DefaultRedirectURI},
	}, true)
	if err != nil {
		return 0, nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return status, nil, fmt.Errorf("token: status %d, not JSON: %s", status, body)
	}
	return status, m, nil
}

// parallel runs f(i) for i in [0, n) with loadWorkers at a time and
// collects the errors.
func parallel(n int, f func(i int) error) []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, loadWorkers)
	)
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			if err := f(i); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	return errs
}

func TestMockUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeLimit)
	defer cancel()
	transport := trustingTransport(e.rs)
	transport.MaxIdleConns, transport.MaxIdleConnsPerHost, transport.IdleConnTimeout = 2*loadWorkers, 2*loadWorkers, 5*time.Second
	defer transport.CloseIdleConnections()
	c := &loadClient{base: e.url, secret: e.sec.Web, http: &http.Client{Transport: transport, Timeout: 10 * time.Second}}
	start := time.Now()
	fail := func(stage string, errs []error) {
		t.Helper()
		if len(errs) > 0 {
			t.Fatalf("%s: %d errors, the first: %v", stage, len(errs), errs[0])
		}
	}

	// Sessions: one signed-in user agent per worker.
	sessions := make([]*loadClient, loadWorkers)
	fail("sign-in", parallel(loadWorkers, func(i int) error {
		s, err := c.session(ctx, e.sec.AlicePassword)
		sessions[i] = s
		if s != nil {
			defer func() { c.sent.Add(s.sent.Load()); s.sent.Store(0) }()
		}
		return err
	}))

	// Codes, concurrently, for single redemption and for races.
	total := loadCodes + loadRaces
	codes := make([]string, total)
	fail("authorize", parallel(total, func(i int) error {
		s := sessions[i%loadWorkers]
		code, err := s.code(ctx, fmt.Sprintf("st-%d", i))
		codes[i] = code
		return err
	}))
	for _, s := range sessions {
		c.sent.Add(s.sent.Load())
	}
	seen := map[string]bool{}
	for _, code := range codes {
		if seen[code] {
			t.Fatalf("the same code was issued twice: %s", code)
		}
		seen[code] = true
	}

	// Redemptions, concurrently, mixed with client_credentials grants.
	access := make([]string, loadCodes)
	refresh := make([]string, loadCodes)
	ccTokens := make([]string, loadCC)
	fail("token", parallel(loadCodes+loadCC, func(i int) error {
		if i >= loadCodes {
			status, _, body, err := c.do(ctx, http.MethodPost, "/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {e.sec.Service}}, false)
			if err != nil || status != http.StatusOK {
				return fmt.Errorf("client_credentials: %d %v %s", status, err, body)
			}
			var m map[string]any
			_ = json.Unmarshal(body, &m)
			ccTokens[i-loadCodes], _ = m["access_token"].(string)
			return nil
		}
		status, m, err := c.redeem(ctx, codes[i])
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("redeem: %d %v %v", status, err, m)
		}
		access[i], _ = m["access_token"].(string)
		refresh[i], _ = m["refresh_token"].(string)
		return nil
	}))
	issued := map[string]bool{}
	for _, tok := range append(append(append([]string{}, access...), refresh...), ccTokens...) {
		if tok == "" {
			t.Fatal("a grant answered 200 without its token")
		}
		if issued[tok] {
			t.Fatalf("the same token was issued twice: %.12s…", tok)
		}
		issued[tok] = true
	}

	// Races: each of these codes redeemed twice at the same instant.
	type result struct {
		status int
		m      map[string]any
	}
	outcomes := make([][2]result, loadRaces)
	fail("race", parallel(loadRaces, func(i int) error {
		code := codes[loadCodes+i]
		var wg sync.WaitGroup
		gate := make(chan struct{})
		var errs [2]error
		for k := 0; k < 2; k++ {
			wg.Add(1)
			go func(k int) {
				defer wg.Done()
				<-gate
				outcomes[i][k].status, outcomes[i][k].m, errs[k] = c.redeem(ctx, code)
			}(k)
		}
		close(gate)
		wg.Wait()
		if errs[0] != nil {
			return errs[0]
		}
		return errs[1]
	}))
	for i, pair := range outcomes {
		wins := 0
		for _, r := range pair {
			switch {
			case r.status == http.StatusOK:
				wins++
				if tok, _ := r.m["access_token"].(string); tok == "" || issued[tok] {
					t.Errorf("race %d: the winner's access token is empty or not fresh", i)
				}
			case r.status != http.StatusBadRequest || r.m["error"] != "invalid_grant":
				t.Errorf("race %d: the loser answered %d %v, want 400 invalid_grant", i, r.status, r.m)
			}
		}
		if wins != 1 {
			t.Errorf("race %d: %d redemptions of one code succeeded, want exactly 1", i, wins)
		}
	}

	// Introspection of every redeemed token (active), revocation of some,
	// then introspection of those (inactive): nothing lost, nothing leaked.
	fail("introspect", parallel(loadCodes, func(i int) error {
		status, _, body, err := c.do(ctx, http.MethodPost, "/introspect", url.Values{"token": {access[i]}}, true)
		if err != nil || status != http.StatusOK || !strings.Contains(string(body), `"active":true`) {
			return fmt.Errorf("introspect %d: %d %v %s", i, status, err, body)
		}
		return nil
	}))
	fail("revoke", parallel(loadRevokes, func(i int) error {
		status, _, body, err := c.do(ctx, http.MethodPost, "/revoke", url.Values{"token": {access[i]}}, true)
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("revoke %d: %d %v %s", i, status, err, body)
		}
		status, _, body, err = c.do(ctx, http.MethodPost, "/introspect", url.Values{"token": {access[i]}}, true)
		if err != nil || status != http.StatusOK || !strings.Contains(string(body), `"active":false`) {
			return fmt.Errorf("introspect after revoke %d: %d %v %s", i, status, err, body)
		}
		return nil
	}))

	sent := c.sent.Load()
	t.Logf("%d requests, %d at a time, in %s", sent, loadWorkers, time.Since(start).Round(time.Millisecond))
	if sent < 1000 {
		t.Errorf("only %d requests were sent, want at least 1,000", sent)
	}
	if ctx.Err() != nil {
		t.Errorf("the load test ran past its %s limit", loadTimeLimit)
	}
}
