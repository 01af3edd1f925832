package driver_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/driver"
	"github.com/oauthconform/oauthconform/internal/profile"
)

// EndAfterSteps: no redirect URI; the flow ends on the page the last step
// led to, with its URL and text.
func TestEndAfterSteps(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /device", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><form method="post" action="/device"><p><label for="code">Code</label> <input id="code" name="code" value="WXYZ-WXYZ" autocomplete="off"></p><button id="go" type="submit">Go</button></form>`))
	})
	mux.HandleFunc("POST /device", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><h1 id="done">Connected ` + r.PostFormValue("code") + `</h1>`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	s, err := browser.NewSession(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Authorize(context.Background(), driver.Request{URL: srv.URL + "/device", EndAfterSteps: true,
		Login: []profile.Step{{Fill: "#code", Value: "abcd"}, {Click: "#go"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.PageText, "Connected abcd") || !strings.HasSuffix(res.Page, "/device") || res.LoginSteps != 2 {
		t.Errorf("rests on %q (%q) after %d steps", res.Page, res.PageText, res.LoginSteps)
	}
}
