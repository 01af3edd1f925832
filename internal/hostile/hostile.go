// Package hostile is an OAuth 2.0 authorization server that misbehaves in
// one named way, for the harness's robustness tests (docs/robustness.md):
// every behaviour a broken, half-up or hostile target shows — a hang, a
// drip, an endless body, malformed JSON, HTML where JSON belongs, redirect
// loops, a login page without the expected fields, bad certificates, a
// crash mid-run — is one Behaviour, and e2e_test.go runs the compiled suite
// against each and asserts the verdicts are "error" with a readable reason,
// in bounded time.
//
// Apart from its behaviour the server is minimal but real: RFC 8414
// metadata, a client credentials token endpoint (client "svc", secret
// "svc-secret", HTTP Basic or form), a JWKS, and an authorization endpoint
// whose login page has #username, #password and a submit button. It listens
// on 127.0.0.1 only.
package hostile

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Behaviour is one way of misbehaving.
type Behaviour string

// The behaviours. Those named Token… concern the token endpoint only; the
// metadata, the JWKS and the authorization endpoint stay well-behaved.
const (
	Good             Behaviour = "good"               // no misbehaviour (a control)
	TokenHang        Behaviour = "token_hang"         // accepts the request, never answers
	TokenDrip        Behaviour = "token_drip"         // answers 200 and drips the body a byte at a time, forever
	TokenHuge        Behaviour = "token_huge"         // answers 200 application/json with an endless body
	TokenMalformed   Behaviour = "token_malformed"    // answers 200 application/json with broken JSON
	TokenWrongShape  Behaviour = "token_wrong_shape"  // answers 200 with a JSON array instead of an object
	TokenHTML        Behaviour = "token_html"         // answers 502 with a proxy's HTML error page
	TokenHTML200     Behaviour = "token_html_200"     // answers 200 with an HTML page (a login page at the wrong URL)
	TokenWrongType   Behaviour = "token_wrong_type"   // a valid token response served as text/plain
	TokenHugeHeader  Behaviour = "token_huge_header"  // answers with a header larger than any sane limit
	TokenReset       Behaviour = "token_reset"        // closes the connection without answering
	MetadataHTML     Behaviour = "metadata_html"      // the metadata is an HTML page
	MetadataHang     Behaviour = "metadata_hang"      // the metadata never answers
	RedirectLoop     Behaviour = "redirect_loop"      // /authorize redirects to itself
	RedirectChain    Behaviour = "redirect_chain"     // /authorize redirects through 30 pages of the provider
	LoginNoSelectors Behaviour = "login_no_selectors" // the login page has none of the profile's fields
	CrashAfter       Behaviour = "crash_after"        // serves CrashAfterN token requests, then stops listening
)

// CrashAfterN is how many token requests CrashAfter answers before it stops.
const CrashAfterN = 2

// Client credentials the server accepts.
const (
	ClientID     = "svc"
	ClientSecret = "svc-secret"
)

// Server is a running hostile server.
type Server struct {
	URL       string
	Behaviour Behaviour
	srv       *http.Server
	ln        net.Listener
	served    atomic.Int64 // token requests answered
	stop      chan struct{}
	stopOnce  sync.Once
	crashOnce sync.Once
}

// Start serves b on a free port of 127.0.0.1; with cert, over TLS.
func Start(b Behaviour, cert *tls.Certificate) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{Behaviour: b, ln: ln, stop: make(chan struct{})}
	scheme := "http"
	if cert != nil {
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{*cert}})
		scheme = "https"
	}
	s.URL = scheme + "://" + s.ln.Addr().String()
	s.srv = &http.Server{Handler: s.handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server and every response it still drips or holds.
func (s *Server) Close() error {
	s.stopOnce.Do(func() { close(s.stop) })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		return s.srv.Close()
	}
	return nil
}

// crash stops listening and drops every connection, as a dying process would.
func (s *Server) crash() {
	s.crashOnce.Do(func() {
		s.stopOnce.Do(func() { close(s.stop) })
		_ = s.srv.Close()
	})
}

func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/oauth-authorization-server", s.metadata)
	mux.HandleFunc("/.well-known/openid-configuration", s.metadata)
	mux.HandleFunc("/token", s.token)
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"keys": []any{}})
	})
	mux.HandleFunc("/authorize", s.authorize)
	mux.HandleFunc("/hop/", s.hop)
	return mux
}

func (s *Server) metadata(w http.ResponseWriter, r *http.Request) {
	switch s.Behaviour {
	case MetadataHTML:
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><title>Welcome</title><h1>It works!</h1>")
		return
	case MetadataHang:
		s.hang(r)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                s.URL,
		"authorization_endpoint":                s.URL + "/authorize",
		"token_endpoint":                        s.URL + "/token",
		"jwks_uri":                              s.URL + "/jwks",
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code", "client_credentials"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"code_challenge_methods_supported":      []string{"S256"},
	})
}

// hang holds the request until the client gives up or the server stops.
func (s *Server) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.stop:
	}
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": "invalid_request", "error_description": "POST only"})
		return
	}
	switch s.Behaviour {
	case TokenHang:
		s.hang(r)
		return
	case TokenDrip:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		fl, _ := w.(http.Flusher)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			if fl != nil {
				fl.Flush()
			}
			select {
			case <-t.C:
			case <-r.Context().Done():
				return
			case <-s.stop:
				return
			}
		}
	case TokenHuge:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		chunk := []byte(`{"padding":"` + strings.Repeat("x", 64<<10))
		for i := 0; i < 1024; i++ { // 64 MiB at most: bounded even if the client read it all
			if _, err := w.Write(chunk); err != nil {
				return
			}
			select {
			case <-s.stop:
				return
			default:
			}
		}
		return
	case TokenMalformed:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token": "abc", "token_type": `)
		return
	case TokenWrongShape:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `["access_token", "abc"]`)
		return
	case TokenHTML:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")
		return
	case TokenHTML200:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><html><head><title>Sign in</title></head><body><div id=app></div><script src=/app.js></script></body></html>")
		return
	case TokenHugeHeader:
		w.Header().Set("X-Padding", strings.Repeat("x", 1<<20))
		writeJSON(w, http.StatusOK, map[string]any{"access_token": random(), "token_type": "Bearer"})
		return
	case TokenReset:
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				_ = c.Close()
			}
		}
		return
	case CrashAfter:
		if s.served.Add(1) > CrashAfterN {
			s.crash()
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request"})
		return
	}
	id, secret, basic := r.BasicAuth()
	if basic && r.PostForm.Get("client_secret") != "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "one client authentication method only"})
		return
	}
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != ClientID || secret != ClientSecret {
		w.Header().Set("WWW-Authenticate", `Basic realm="hostile"`)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client"})
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "unsupported_grant_type"})
		return
	}
	if scope := r.PostForm.Get("scope"); scope != "" && scope != "api.read" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_scope"})
		return
	}
	body := map[string]any{"access_token": random(), "token_type": "Bearer", "expires_in": 300, "scope": "api.read"}
	if s.Behaviour == TokenWrongType {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
		_ = json.NewEncoder(w).Encode(body)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	switch s.Behaviour {
	case RedirectLoop:
		http.Redirect(w, r, "/authorize?"+r.URL.RawQuery, http.StatusFound)
		return
	case RedirectChain:
		http.Redirect(w, r, "/hop/1?"+r.URL.RawQuery, http.StatusFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if s.Behaviour == LoginNoSelectors {
		fmt.Fprint(w, `<!doctype html><title>Sign in</title><form method=post><input name=login_name><input name=secret type=text><button>Go</button></form>`)
		return
	}
	fmt.Fprint(w, `<!doctype html><title>Sign in</title><form method=post><input id=username name=username><input id=password name=password type=password><button type=submit>Sign in</button></form>`)
}

// hop is one page of RedirectChain: /hop/N redirects to /hop/N+1, up to 30.
func (s *Server) hop(w http.ResponseWriter, r *http.Request) {
	var n int
	_, _ = fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/hop/"), "%d", &n)
	if n >= 30 {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><title>end of the chain</title>")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/hop/%d?%s", n+1, r.URL.RawQuery), http.StatusFound)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
