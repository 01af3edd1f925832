package driver_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/driver"
)

// Pages a provider may show a logged-in user for a request it refuses or
// accepts: a 200 error page, a consent page that sends the code wherever
// the request said, a login page on another origin, a form rendered by
// script.

const bentRedirect = "https://app.example.com/cbx"

func refusingProvider(t *testing.T) (provider, loginApp string) {
	t.Helper()
	mux := http.NewServeMux()
	app := http.NewServeMux()
	appSrv := serve(t, app)
	mux.HandleFunc("GET /error200", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>Oops</title><h1>Something went wrong</h1><p>The redirect_uri is not registered.</p>`)
	})
	mux.HandleFunc("GET /consent", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><form method="post" action="/approve"><input type="hidden" name="to" value=%q><button id="approve" type="submit">Allow</button></form>`, r.URL.Query().Get("redirect_uri"))
	})
	mux.HandleFunc("POST /approve", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.FormValue("to")+"?code=c&state=s", http.StatusFound)
	})
	mux.HandleFunc("GET /offsite", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, appSrv.URL+"/login?back="+r.URL.Query().Get("redirect_uri"), http.StatusFound)
	})
	app.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><div id="root"></div><script>setTimeout(() => {
document.getElementById("root").innerHTML = '<form method="post" action="/login"><input type="hidden" name="back" value=%q><input id="username" name="u"><input id="password" name="p" type="password"><button type="submit">Sign in</button></form>';
}, 300)</script>`, r.URL.Query().Get("back"))
	})
	app.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.FormValue("back")+"?code=c&state=s", http.StatusFound)
	})
	mux.HandleFunc("GET /slowerror", func(w http.ResponseWriter, r *http.Request) {
		// An error page whose text a script writes after a fetch.
		fmt.Fprint(w, `<!doctype html><div id="m">…</div><script>fetch("/msg").then(r => r.text()).then(t => { document.getElementById("m").textContent = t; });</script>`)
	})
	mux.HandleFunc("GET /msg", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "invalid_request: redirect_uri mismatch")
	})
	return serve(t, mux).URL, appSrv.URL
}

func TestDeadEndIsRecognisedWithoutAStepTimeout(t *testing.T) {
	provider, _ := refusingProvider(t)
	for _, path := range []string{"/error200", "/slowerror"} {
		start := time.Now()
		_, err := session(t).Authorize(context.Background(), driver.Request{
			URL: provider + path, RedirectURI: productionRedirect, Also: []string{bentRedirect},
			Login: steps("pw"), StopAtDeadEnd: true,
		})
		var de *driver.DeadEndError
		if !errors.As(err, &de) {
			t.Fatalf("%s: want a DeadEndError, got %v", path, err)
		}
		if !strings.HasSuffix(de.PageURL, path) || de.Status != 200 || len(de.Screenshot) == 0 || de.Text == "" {
			t.Errorf("%s: page %q, status %d, text %q, screenshot %d bytes", path, de.PageURL, de.Status, de.Text, len(de.Screenshot))
		}
		if path == "/slowerror" && !strings.Contains(de.Text, "redirect_uri mismatch") {
			t.Errorf("the text written by script after load is missing: %q", de.Text)
		}
		// Under the 3 s step timeout of these tests (a dead end costs the page load
		// and twice quietAfterLoad; the first page of a browser is slower).
		if d := time.Since(start); d > 2900*time.Millisecond {
			t.Errorf("%s: took %s", path, d)
		}
	}
}

func TestConsentPageSendingTheCodeToABentURIIsCaught(t *testing.T) {
	provider, _ := refusingProvider(t)
	res, err := session(t).Authorize(context.Background(), driver.Request{
		URL: provider + "/consent?redirect_uri=" + bentRedirect, RedirectURI: productionRedirect, Also: []string{bentRedirect},
		Login: steps("pw"), StopAtDeadEnd: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Callback.Path != "/cbx" || res.Query.Get("code") != "c" {
		t.Errorf("callback %s", res.Callback)
	}
}

func TestBentURIOnAnotherOriginIsCaughtWhereverItLands(t *testing.T) {
	provider, _ := refusingProvider(t)
	// The browser removes the dot segment: the request goes to /elsewhere on the bent origin.
	bent := "https://attacker.example/cb;/../elsewhere"
	res, err := session(t).Authorize(context.Background(), driver.Request{
		URL: provider + "/consent?redirect_uri=" + url.QueryEscape(bent), RedirectURI: productionRedirect, Also: []string{bent},
		Login: steps("pw"), StopAtDeadEnd: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Callback.Host != "attacker.example" || res.Query.Get("code") != "c" {
		t.Errorf("callback %s", res.Callback)
	}
}

func TestLoginOnAnotherOriginRenderedByScriptIsNoDeadEnd(t *testing.T) {
	provider, _ := refusingProvider(t)
	res, err := session(t).Authorize(context.Background(), driver.Request{
		URL: provider + "/offsite?redirect_uri=" + bentRedirect, RedirectURI: productionRedirect, Also: []string{bentRedirect},
		Login: steps("pw"), StopAtDeadEnd: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Callback.Path != "/cbx" || res.LoginSteps != 3 {
		t.Errorf("callback %s after %d steps", res.Callback, res.LoginSteps)
	}
}

func TestStopAtDeadEndKeepsSlowLogins(t *testing.T) {
	// The XHR login navigates 1.2 s after its answer, the form renders 300 ms after load.
	srv := newSPAServer(t)
	res, err := session(t).Authorize(context.Background(), driver.Request{
		URL: srv.URL + "/spa/authorize", RedirectURI: productionRedirect,
		Login: spaSteps("pw"), LoginError: "#error, .alert-danger", StopAtDeadEnd: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Query.Get("code") != "spa" {
		t.Errorf("callback %s", res.Callback)
	}
	ms := newMultiStep(t)
	if _, err := session(t).Authorize(context.Background(), driver.Request{
		URL: ms.URL + "/ms/authorize", RedirectURI: productionRedirect, Login: multiSteps("pw"), StopAtDeadEnd: true,
	}); err != nil {
		t.Fatal(err)
	}
}

func TestFormOfReadsTheConsentFormWithoutSubmittingIt(t *testing.T) {
	provider, _ := refusingProvider(t)
	f, err := session(t).FormOf(context.Background(), driver.Request{
		URL: provider + "/consent?redirect_uri=" + bentRedirect, RedirectURI: productionRedirect, Login: steps("pw"),
	}, "#approve")
	if err != nil {
		t.Fatal(err)
	}
	if f.Action != provider+"/approve" || f.Method != "POST" || f.Fields.Get("to") != bentRedirect || !strings.HasSuffix(f.PageURL, "/consent?redirect_uri="+bentRedirect) {
		t.Errorf("form %+v", f)
	}
	// Consent already given (the server redirects at once): the form never shows.
	srv := loginServer(t, false, "?code=x")
	_, err = session(t).FormOf(context.Background(), driver.Request{URL: srv.URL + "/authorize", RedirectURI: productionRedirect, Login: steps("pw")}, "#approve")
	if !errors.Is(err, driver.ErrFormNotShown) {
		t.Errorf("want ErrFormNotShown, got %v", err)
	}
}
