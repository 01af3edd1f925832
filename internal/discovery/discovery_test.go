package discovery_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/internal/discovery"
)

func TestCandidates(t *testing.T) {
	cases := []struct {
		issuer string
		want   []string
	}{
		{"https://as.example.test", []string{
			"https://as.example.test/.well-known/oauth-authorization-server",
			"https://as.example.test/.well-known/openid-configuration",
		}},
		{"https://as.example.test/", []string{
			"https://as.example.test/.well-known/oauth-authorization-server",
			"https://as.example.test/.well-known/openid-configuration",
		}},
		// RFC 8414 §3.1's own example: issuer https://example.com/issuer1.
		{"https://example.com/issuer1", []string{
			"https://example.com/.well-known/oauth-authorization-server/issuer1",
			"https://example.com/issuer1/.well-known/openid-configuration",
			"https://example.com/.well-known/openid-configuration/issuer1",
			"https://example.com/issuer1/.well-known/oauth-authorization-server",
		}},
		// A terminating "/" is removed before inserting or appending.
		{"https://example.com:8443/realms/demo/", []string{
			"https://example.com:8443/.well-known/oauth-authorization-server/realms/demo",
			"https://example.com:8443/realms/demo/.well-known/openid-configuration",
			"https://example.com:8443/.well-known/openid-configuration/realms/demo",
			"https://example.com:8443/realms/demo/.well-known/oauth-authorization-server",
		}},
	}
	for _, tc := range cases {
		got, err := discovery.Candidates(tc.issuer)
		if err != nil {
			t.Errorf("%s: %v", tc.issuer, err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.issuer, got, tc.want)
		}
	}
	for _, bad := range []string{"as.example.test", "ftp://as.example.test", "https://as.example.test/?x=1", "https://as.example.test/#f"} {
		if _, err := discovery.Candidates(bad); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
}

// server serves metadata at exactly the given paths (others 404); a path
// mapped to "" answers 200 with an HTML page, as a login-walled server might.
func server(t *testing.T, docs map[string]string) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := docs[r.URL.Path]
		switch {
		case !ok:
			http.NotFound(w, r)
		case body == "":
			fmt.Fprint(w, "<!doctype html><p>Sign in</p>")
		default:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, body)
		}
	}))
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchOrder(t *testing.T) {
	oauth := `{"from": "rfc8414"}`
	openid := `{"from": "openid"}`
	cases := []struct {
		name, path string
		docs       map[string]string
		wantPath   string
	}{
		{"RFC 8414 wins over OpenID", "", map[string]string{
			"/.well-known/oauth-authorization-server": oauth, "/.well-known/openid-configuration": openid,
		}, "/.well-known/oauth-authorization-server"},
		{"OpenID when there is no RFC 8414 document", "", map[string]string{
			"/.well-known/openid-configuration": openid,
		}, "/.well-known/openid-configuration"},
		{"a 200 that is not JSON is passed over", "", map[string]string{
			"/.well-known/oauth-authorization-server": "", "/.well-known/openid-configuration": openid,
		}, "/.well-known/openid-configuration"},
		{"issuer with a path: RFC 8414 inserted form", "/tenant1", map[string]string{
			"/.well-known/oauth-authorization-server/tenant1": oauth, "/tenant1/.well-known/openid-configuration": openid,
		}, "/.well-known/oauth-authorization-server/tenant1"},
		{"issuer with a path and a trailing slash", "/tenant1/", map[string]string{
			"/.well-known/oauth-authorization-server/tenant1": oauth,
		}, "/.well-known/oauth-authorization-server/tenant1"},
		{"issuer with a path: OpenID appended form", "/realms/demo/", map[string]string{
			"/realms/demo/.well-known/openid-configuration": openid,
		}, "/realms/demo/.well-known/openid-configuration"},
		{"issuer with a path: OpenID inserted form", "/tenant1", map[string]string{
			"/.well-known/openid-configuration/tenant1": openid,
		}, "/.well-known/openid-configuration/tenant1"},
		{"issuer with a path: RFC 8414 suffix appended, as some servers do", "/oauth2/default", map[string]string{
			"/oauth2/default/.well-known/oauth-authorization-server": oauth,
		}, "/oauth2/default/.well-known/oauth-authorization-server"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := server(t, tc.docs)
			doc, err := discovery.Fetch(context.Background(), srv.Client(), srv.URL+tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if doc.URL != srv.URL+tc.wantPath {
				t.Errorf("found at %s, want %s", doc.URL, srv.URL+tc.wantPath)
			}
			if doc.Metadata["from"] == nil {
				t.Errorf("metadata %v", doc.Metadata)
			}
		})
	}
}

func TestFetchNoneNamesEveryURL(t *testing.T) {
	srv := server(t, map[string]string{})
	_, err := discovery.Fetch(context.Background(), srv.Client(), srv.URL+"/t")
	if err == nil {
		t.Fatal("want an error")
	}
	for _, p := range []string{"/.well-known/oauth-authorization-server/t", "/t/.well-known/openid-configuration", "status 404"} {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not mention %s", err, p)
		}
	}
}

func TestFetchStopsWhenTheContextEnds(t *testing.T) {
	block := make(chan struct{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(block) })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := discovery.Fetch(ctx, srv.Client(), srv.URL); err == nil {
		t.Fatal("want an error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s: each candidate waited on its own", d)
	}
}

func TestProfileEndpointsWin(t *testing.T) {
	meta := map[string]any{"token_endpoint": "https://as.example.test/token", "jwks_uri": 42}
	if got := discovery.Endpoint("https://other.example.test/t", meta, "token_endpoint"); got != "https://other.example.test/t" {
		t.Errorf("profile endpoint lost: %s", got)
	}
	if got := discovery.Endpoint("", meta, "token_endpoint"); got != "https://as.example.test/token" {
		t.Errorf("discovered endpoint: %s", got)
	}
	if got := discovery.Endpoint("", meta, "jwks_uri"); got != "" {
		t.Errorf("a non-string value: %q", got)
	}
	if got := discovery.Endpoint("", nil, "token_endpoint"); got != "" {
		t.Errorf("no metadata: %q", got)
	}
}

func TestNotPublishedOnlyWhenEveryCandidateIsMissing(t *testing.T) {
	missing := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }
	}
	for _, c := range []struct {
		name    string
		handler http.HandlerFunc
		want    bool
	}{
		{"404 everywhere", missing(http.StatusNotFound), true},
		{"410 everywhere", missing(http.StatusGone), true},
		{"503", missing(http.StatusServiceUnavailable), false},
		{"HTML", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>login</html>")) }, false},
	} {
		srv := httptest.NewServer(c.handler)
		_, err := discovery.Fetch(context.Background(), srv.Client(), srv.URL)
		srv.Close()
		if err == nil {
			t.Fatalf("%s: no error", c.name)
		}
		if got := discovery.NotPublished(err); got != c.want {
			t.Errorf("%s: NotPublished = %t, want %t (%v)", c.name, got, c.want, err)
		}
	}
}
