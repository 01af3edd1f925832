package driver_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// The pages below imitate what real providers do, served on 127.0.0.1 by the
// test itself: a form rendered by script after load with an XHR login that
// navigates later (single-page apps), and a username page, then a password
// page, a consent page shown only the first time and a "continue" page.

func serve(t *testing.T, mux *http.ServeMux) *httptest.Server {
	t.Helper()
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

// spaPage renders its form 300 ms after load from script state, as React
// does: the inputs' values live in a JS object updated on input events, the
// button is type=button and logs in with fetch; on success the page says so
// and navigates 1.2 s later (longer than the driver's click grace), on
// failure it renders the error. An empty #error and a hidden .alert-danger
// are there from the start and must not count as a login error.
const spaPage = `<!doctype html><title>Sign in</title>
<div id="error"></div><div class="alert-danger" style="display:none">hidden template text</div>
<div id="root">Loading…</div>
<script>
const state = {email: "", pw: ""};
function render() {
  const root = document.getElementById("root");
  root.innerHTML = '<label>Email <input id="email" type="email"></label>' +
    '<label>Password <input id="pw" type="password"></label>' +
    '<button id="signin" type="button">Sign in</button><div id="msg"></div>';
  for (const [id, key] of [["email", "email"], ["pw", "pw"]]) {
    document.getElementById(id).addEventListener("input", e => { state[key] = e.target.value; });
  }
  document.getElementById("signin").addEventListener("click", async () => {
    const r = await fetch("/spa/login", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(state)});
    const body = await r.json();
    if (!r.ok) {
      const e = document.createElement("div");
      e.className = "alert-danger"; e.setAttribute("role", "alert"); e.textContent = body.message;
      root.prepend(e);
      return;
    }
    document.getElementById("msg").textContent = "Signing you in…";
    setTimeout(() => location.assign(body.next), 1200);
  });
}
setTimeout(render, 300);
</script>`

type spaServer struct {
	*httptest.Server
	mu  sync.Mutex
	got []string // "email/pw" as the server received them
}

func newSPAServer(t *testing.T) *spaServer {
	s := &spaServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /spa/authorize", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, spaPage)
	})
	mux.HandleFunc("POST /spa/login", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Email, Pw string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		s.mu.Lock()
		s.got = append(s.got, in.Email+"/"+in.Pw)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if in.Email != "alice@example.test" || in.Pw != "pw" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message": "Wrong email or password."}`)
			return
		}
		fmt.Fprintf(w, `{"next": %q}`, s.URL+"/spa/done")
	})
	mux.HandleFunc("GET /spa/done", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, productionRedirect+"?code=spa&state=s", http.StatusFound)
	})
	s.Server = serve(t, mux)
	return s
}

func spaSteps(password string) []profile.Step {
	return []profile.Step{
		{Fill: "#email", Value: "alice@example.test"},
		{Fill: "#pw", Value: password},
		{Click: "#signin"},
	}
}

func TestJSRenderedFormWithXHRLoginThatNavigatesLater(t *testing.T) {
	srv := newSPAServer(t)
	res, err := session(t).Authorize(context.Background(), driver.Request{
		URL: srv.URL + "/spa/authorize", RedirectURI: productionRedirect,
		Login: spaSteps("pw"), LoginError: "#error, .alert-danger",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Query.Get("code"); got != "spa" {
		t.Errorf("code = %q, want spa", got)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.got) != 1 || srv.got[0] != "alice@example.test/pw" {
		t.Errorf("the script state the server received = %q, want the typed values once", srv.got)
	}
}

func TestXHRLoginErrorIsReportedWithItsText(t *testing.T) {
	srv := newSPAServer(t)
	start := time.Now()
	_, err := session(t).Authorize(context.Background(), driver.Request{
		URL: srv.URL + "/spa/authorize", RedirectURI: productionRedirect,
		Login: spaSteps("wrong"), LoginError: "#error, .alert-danger",
	})
	var se *driver.StepError
	var lf *driver.LoginFailedError
	if !errors.As(err, &se) || !errors.As(err, &lf) {
		t.Fatalf("want a StepError wrapping a LoginFailedError, got %v", err)
	}
	if lf.Text != "Wrong email or password." {
		t.Errorf("text = %q", lf.Text)
	}
	if !strings.Contains(err.Error(), "login failed: Wrong email or password.") || len(se.Screenshot) == 0 {
		t.Errorf("error %q, screenshot %d bytes", err, len(se.Screenshot))
	}
	// Detected, not timed out: well within the 5 s flow timeout.
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("took %s: the error was not raced against the redirect", d)
	}
}

// multiStep serves a username page, a password page (with an error on a bad
// password), a consent page that only the first authorization of a user sees
// (remembered by the server, across browser sessions, as providers do) and
// rendered by script 500 ms after load, then a "continue" page.
type multiStep struct {
	*httptest.Server
	mu        sync.Mutex
	consented bool
	consents  int
}

func newMultiStep(t *testing.T) *multiStep {
	m := &multiStep{}
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, body string) {
		fmt.Fprint(w, "<!doctype html><title>Provider</title>"+body)
	}
	mux.HandleFunc("GET /ms/authorize", func(w http.ResponseWriter, r *http.Request) {
		page(w, `<form method="post" action="/ms/identifier"><input id="identifier" name="username"><button id="next" type="submit">Next</button></form>`)
	})
	mux.HandleFunc("POST /ms/identifier", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/ms/password?u="+r.FormValue("username"), http.StatusSeeOther)
	})
	passwordPage := func(w http.ResponseWriter, user, errText string) {
		errHTML := ""
		if errText != "" {
			errHTML = `<p id="error">` + html.EscapeString(errText) + `</p>`
		}
		page(w, `<p>Welcome `+html.EscapeString(user)+`</p>`+errHTML+`<form method="post" action="/ms/password">
<input type="hidden" name="u" value="`+html.EscapeString(user)+`"><input id="password" name="password" type="password">
<button type="submit">Sign in</button></form>`)
	}
	mux.HandleFunc("GET /ms/password", func(w http.ResponseWriter, r *http.Request) {
		passwordPage(w, r.FormValue("u"), "")
	})
	mux.HandleFunc("POST /ms/password", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("u") != "alice" || r.FormValue("password") != "pw" {
			passwordPage(w, r.FormValue("u"), "Wrong password. Try again.")
			return
		}
		m.mu.Lock()
		consented := m.consented
		m.mu.Unlock()
		if !consented {
			http.Redirect(w, r, "/ms/consent", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/ms/continue", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /ms/consent", func(w http.ResponseWriter, r *http.Request) {
		page(w, `<div id="app"></div><script>setTimeout(() => {
document.getElementById("app").innerHTML = '<form method="post" action="/ms/consent"><p>Allow the app?</p><button id="approve" type="submit">Allow</button></form>';
}, 500)</script>`)
	})
	mux.HandleFunc("POST /ms/consent", func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		m.consented = true
		m.consents++
		m.mu.Unlock()
		http.Redirect(w, r, "/ms/continue", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /ms/continue", func(w http.ResponseWriter, r *http.Request) {
		page(w, `<p>You are signed in.</p><a id="continue" href="`+productionRedirect+`?code=ms&amp;state=s">Continue</a>`)
	})
	m.Server = serve(t, mux)
	return m
}

func multiSteps(password string) []profile.Step {
	steps := []profile.Step{
		{Fill: "#identifier", Value: "alice"},
		{Click: "#next"},
		{WaitURL: "/ms/password"},
		{Fill: "#password", Value: password},
		{Click: "button[type=submit]"},
		{Click: "#approve", Optional: true},
		{Click: "#continue"},
	}
	for i := range steps {
		steps[i].LoginError = "#error" // as the profile loader sets login_error
	}
	return steps
}

func TestUsernamePasswordConsentOnceAndContinue(t *testing.T) {
	srv := newMultiStep(t)
	// Two sessions: the second logs in again, and its consent page does not come.
	for i := range 2 {
		res, err := session(t).Authorize(context.Background(), driver.Request{
			URL: srv.URL + "/ms/authorize", RedirectURI: productionRedirect, Login: multiSteps("pw"),
		})
		if err != nil {
			t.Fatalf("authorization %d: %v", i, err)
		}
		if got := res.Query.Get("code"); got != "ms" {
			t.Errorf("authorization %d: code = %q, want ms", i, got)
		}
		// The second time the consent page does not come: its step is skipped.
		if want := 7 - i; res.LoginSteps != want {
			t.Errorf("authorization %d: %d steps ran, want %d", i, res.LoginSteps, want)
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	// The consent page renders 500 ms after load: it was waited for, not skipped.
	if srv.consents != 1 {
		t.Errorf("consent given %d times, want 1", srv.consents)
	}
}

func TestBadPasswordOnASecondPageIsALoginFailure(t *testing.T) {
	srv := newMultiStep(t)
	_, err := session(t).Authorize(context.Background(), driver.Request{
		URL: srv.URL + "/ms/authorize", RedirectURI: productionRedirect, Login: multiSteps("wrong"),
	})
	var se *driver.StepError
	var lf *driver.LoginFailedError
	if !errors.As(err, &se) || !errors.As(err, &lf) {
		t.Fatalf("want a StepError wrapping a LoginFailedError, got %v", err)
	}
	if lf.Text != "Wrong password. Try again." || !strings.Contains(se.PageURL, "/ms/password") || len(se.Screenshot) == 0 {
		t.Errorf("text %q, page %q, screenshot %d bytes", lf.Text, se.PageURL, len(se.Screenshot))
	}
}

func TestOptionalStepAtTheEndDoesNotDelayTheRedirect(t *testing.T) {
	srv := loginServer(t, false, "?code=x")
	start := time.Now()
	if _, err := session(t).Authorize(context.Background(), driver.Request{
		URL: srv.URL + "/authorize", RedirectURI: productionRedirect, Login: steps("pw"),
	}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %s, the step timeout: the optional consent step waited instead of racing the redirect", d)
	}
}

// A provider that remembers the user skips the login form and shows the
// consent page at once: the harness jumps to the step whose page is there,
// instead of waiting out the username step.
func TestRememberedUserSkipsAheadToConsent(t *testing.T) {
	srv := newMultiStep(t)
	consentFirst := srv.URL + "/ms/consent"
	start := time.Now()
	res, err := session(t).Authorize(context.Background(), driver.Request{
		URL: consentFirst, RedirectURI: productionRedirect, Login: multiSteps("pw"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Query.Get("code"); got != "ms" {
		t.Errorf("code = %q, want ms", got)
	}
	if res.LoginSteps != 2 { // approve, continue
		t.Errorf("%d steps ran, want 2", res.LoginSteps)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("took %s: the username step was waited out instead of skipped", d)
	}
}
