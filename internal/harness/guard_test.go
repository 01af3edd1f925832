package harness

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A CORS preflight to the token endpoint answered by the web framework (200,
// an empty text/html body, as Flask's automatic OPTIONS does) is not a token
// response; a POST answered the same way still is an HTML page where JSON
// belongs.
func TestGuardLeavesPreflightToTheCheck(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Allow", "OPTIONS, POST")
	}))
	defer srv.Close()
	env := &Env{}
	env.Endpoints.Token = srv.URL + "/oauth/token"

	req, err := http.NewRequest(http.MethodOptions, env.Endpoints.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", "https://attacker.example")
	req.Header.Set("Access-Control-Request-Method", http.MethodPost)
	resp, err := env.HTTPClient(nil).Do(req)
	if err != nil {
		t.Fatalf("preflight: %v, want the response for the check to judge", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preflight: status %d", resp.StatusCode)
	}

	resp, err = env.HTTPClient(nil).Post(env.Endpoints.Token, "application/x-www-form-urlencoded", strings.NewReader("grant_type=x"))
	if err == nil {
		_ = resp.Body.Close()
		t.Fatal("POST answered 200 text/html: no error, want the HTML-where-JSON-belongs target error")
	}
	if !strings.Contains(err.Error(), "HTML page") {
		t.Fatalf("POST: %v, want the HTML-where-JSON-belongs target error", err)
	}
}
