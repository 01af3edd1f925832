package driver_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/launcher"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// One browser for the package, as in the suites.
var browser *driver.Browser

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	b, err := driver.Launch(ctx, driver.Options{Headless: true, StepTimeout: 3 * time.Second, FlowTimeout: 5 * time.Second})
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	browser = b
	code := m.Run()
	_ = b.Close()
	os.Exit(code)
}

const productionRedirect = "https://app.example.com/cb"

// loginServer is a minimal provider: a login form, an optional consent page,
// then a 302 to the redirect URI carrying the given query or fragment.
func loginServer(t *testing.T, consent bool, response string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("sid"); err == nil && c.Value == "ok" {
			http.Redirect(w, r, productionRedirect+response, http.StatusFound)
			return
		}
		fmt.Fprint(w, `<!doctype html><form method="post" action="/login">
<input id="username" name="username"><input id="password" name="password" type="password">
<button type="submit">Sign in</button></form>`)
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("password") != "pw" {
			fmt.Fprint(w, `<!doctype html><p id="error">Invalid username or password</p>`)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "ok", Path: "/"})
		if consent {
			http.Redirect(w, r, "/consent", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, productionRedirect+response, http.StatusFound)
	})
	mux.HandleFunc("GET /consent", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><form method="post" action="/approve"><button id="approve" type="submit">Allow</button></form>`)
	})
	mux.HandleFunc("POST /approve", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, productionRedirect+response, http.StatusFound)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(mux)
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func steps(password string) []profile.Step {
	return []profile.Step{
		{Fill: "#username", Value: "alice"},
		{Fill: "#password", Value: password},
		{Click: "button[type=submit]"},
		{Click: "#approve", Optional: true},
	}
}

func session(t *testing.T) *driver.Session {
	t.Helper()
	s, err := browser.NewSession(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestAuthorizeCapturesQueryAndFragment(t *testing.T) {
	cases := []struct {
		name, response   string
		consent          bool
		wantQ, wantF     string
		wantCallbackTail string
	}{
		{name: "code in query, consent page", response: "?code=abc&state=s1", consent: true, wantQ: "abc", wantCallbackTail: "?code=abc&state=s1"},
		{name: "token in fragment, no consent page", response: "#access_token=tok&state=s2", wantF: "tok", wantCallbackTail: "#access_token=tok&state=s2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := loginServer(t, tc.consent, tc.response)
			res, err := session(t).Authorize(context.Background(), driver.Request{
				URL: srv.URL + "/authorize", RedirectURI: productionRedirect, Login: steps("pw"),
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Query.Get("code"); got != tc.wantQ {
				t.Errorf("query code = %q, want %q", got, tc.wantQ)
			}
			if got := res.Fragment.Get("access_token"); got != tc.wantF {
				t.Errorf("fragment access_token = %q, want %q", got, tc.wantF)
			}
			if !strings.HasSuffix(res.Callback.String(), tc.wantCallbackTail) {
				t.Errorf("callback = %s, want suffix %s", res.Callback, tc.wantCallbackTail)
			}
			var sawRedirect bool
			for _, h := range res.Hops {
				if h.Status == http.StatusFound && strings.HasPrefix(h.Location, productionRedirect) {
					sawRedirect = true
				}
			}
			if !sawRedirect {
				t.Errorf("no 302 hop to the redirect URI recorded in %+v", res.Hops)
			}
		})
	}
}

func TestSessionReuseSkipsLogin(t *testing.T) {
	srv := loginServer(t, false, "?code=again")
	s := session(t)
	for i, wantSteps := range []int{3, 0} {
		res, err := s.Authorize(context.Background(), driver.Request{URL: srv.URL + "/authorize", RedirectURI: productionRedirect, Login: steps("pw")})
		if err != nil {
			t.Fatalf("authorization %d: %v", i, err)
		}
		if res.LoginSteps != wantSteps {
			t.Errorf("authorization %d ran %d login steps, want %d", i, res.LoginSteps, wantSteps)
		}
	}
}

func TestMissingElementIsAStepErrorWithScreenshot(t *testing.T) {
	srv := loginServer(t, false, "?code=x")
	_, err := session(t).Authorize(context.Background(), driver.Request{
		URL: srv.URL + "/authorize", RedirectURI: productionRedirect,
		Login: []profile.Step{{Fill: "#no-such-field", Value: "x"}},
	})
	var se *driver.StepError
	if !errors.As(err, &se) {
		t.Fatalf("want a StepError, got %v", err)
	}
	if se.Step != "fill #no-such-field" || !strings.Contains(se.PageURL, "/authorize") || len(se.Screenshot) == 0 {
		t.Errorf("step %q url %q screenshot %d bytes", se.Step, se.PageURL, len(se.Screenshot))
	}
}

func TestWrongPasswordNeverReachesRedirect(t *testing.T) {
	srv := loginServer(t, false, "?code=x")
	_, err := session(t).Authorize(context.Background(), driver.Request{
		URL: srv.URL + "/authorize", RedirectURI: productionRedirect, Login: steps("wrong"),
	})
	if !errors.Is(err, driver.ErrRedirectNotReached) {
		t.Fatalf("want ErrRedirectNotReached, got %v", err)
	}
}

func TestFindBrowserNamesWhatToInstall(t *testing.T) {
	_, err := driver.FindBrowser("/nonexistent/chromium")
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/chromium") {
		t.Fatalf("want an error naming the missing binary, got %v", err)
	}
}

// startRemoteBrowser starts a Chromium of its own, as a pool or a sidecar
// would, and returns its DevTools URL; it is killed when the test ends.
func startRemoteBrowser(t *testing.T) string {
	t.Helper()
	bin, err := driver.FindBrowser("")
	if err != nil {
		t.Fatal(err)
	}
	l := launcher.New().Bin(bin).Headless(true).NoSandbox(os.Geteuid() == 0).
		Set("disable-background-networking").Set("disable-component-update").Set("no-first-run").Set("disable-gpu")
	controlURL, err := l.Launch()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Kill(); l.Cleanup() })
	return controlURL
}

// A browser started elsewhere (a pool, a sidecar) is driven through its DevTools URL.
func TestRemoteBrowserByDevToolsURL(t *testing.T) {
	controlURL := startRemoteBrowser(t)

	remote, err := driver.Launch(context.Background(), driver.Options{Remote: controlURL, StepTimeout: 3 * time.Second, FlowTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = remote.Close() })
	sess, err := remote.NewSession(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sess.Close() })
	srv := loginServer(t, false, "?code=remote")
	res, err := sess.Authorize(context.Background(), driver.Request{URL: srv.URL + "/authorize", RedirectURI: productionRedirect, Login: steps("pw")})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Query.Get("code"); got != "remote" {
		t.Errorf("code = %q, want remote", got)
	}
}
