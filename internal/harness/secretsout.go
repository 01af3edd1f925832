package harness

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/oauthconform/oauthconform/mockserver"
)

// SecretsOutEnv names a test-only environment variable: when set (to a file
// path outside the reports directory) and the bundled mock runs, the harness
// serves the mock behind a loopback recorder that notes every authorization
// code and token the mock sends, and at the end of the run writes them, with
// the profile's secrets, to that file, one a line. A test then scans the
// reports for every line (reports/e2e). Never set it for real targets: the
// file holds live secrets.
const SecretsOutEnv = "OAUTHCONFORM_TEST_SECRETS_OUT"

// issuedNames are the parameters that carry codes and tokens (and the
// request_uri of a pushed request, which stands for it until used).
var issuedNames = map[string]bool{"code": true, "access_token": true, "refresh_token": true, "id_token": true, "device_code": true, "user_code": true, "request_uri": true}

// sentNames are the parameters of a request to the mock that carry a
// credential of the client or a request it signed: client assertions (RFC
// 7521), request objects and their references (RFC 9101, RFC 9126).
var sentNames = map[string]bool{"client_assertion": true, "assertion": true, "request": true, "request_uri": true}

// hiddenInput finds codes and tokens in HTML forms (response_mode=form_post).
var hiddenInput = regexp.MustCompile(`name="(code|access_token|refresh_token|id_token)"\s+value="([^"]+)"`)

// mockTap is a server in front of the mock that records what it issues. It
// serves HTTPS with the mock's own certificate (mockserver.Running.Listener),
// so that the run sees the same TLS as without it.
type mockTap struct {
	path string
	url  string
	ln   net.Listener
	srv  *http.Server
	done chan struct{}

	mu     sync.Mutex
	issued map[string]bool
}

func newMockTap(path, reportsDir string) (*mockTap, error) {
	if path == "" {
		return nil, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	reports, err := filepath.Abs(reportsDir)
	if err != nil {
		return nil, err
	}
	if rel, err := filepath.Rel(reports, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return nil, fmt.Errorf("%s=%s: the file holds secrets and must be outside the reports directory %s", SecretsOutEnv, path, reportsDir)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return &mockTap{path: abs, url: "https://" + ln.Addr().String(), ln: ln, issued: map[string]bool{}, done: make(chan struct{})}, nil
}

func (t *mockTap) serve(mock *mockserver.Running) {
	ln := mock.Listener(t.ln)
	t.srv = &http.Server{ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0), Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &tapWriter{ResponseWriter: w}
		t.recordSent(r)
		mock.ServeHTTP(rec, r)
		t.record(w.Header().Get("Location"), rec.body.Bytes())
	})}
	go func() {
		defer close(t.done)
		_ = t.srv.Serve(ln)
	}()
}

func (t *mockTap) close() {
	if t.srv == nil {
		_ = t.ln.Close()
		return
	}
	_ = t.srv.Close()
	<-t.done
}

// recordSent notes the assertions and request objects a request carries,
// in its query or its form body (which it reads and puts back).
func (t *mockTap) recordSent(r *http.Request) {
	vals := r.URL.Query()
	if r.Body != nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err == nil {
			if form, err := url.ParseQuery(string(body)); err == nil {
				for k, vs := range form {
					vals[k] = append(vals[k], vs...)
				}
			}
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	// DPoP proofs (RFC 9449 §4): a secret of the client, like an assertion.
	for _, p := range r.Header.Values("DPoP") {
		if len(p) >= 16 {
			t.issued[p] = true
		}
	}
	for k, vs := range vals {
		if !sentNames[k] {
			continue
		}
		for _, v := range vs {
			if len(v) >= 16 {
				t.issued[v] = true
			}
		}
	}
}

// record notes the codes and tokens in a redirect's Location and a body.
func (t *mockTap) record(location string, body []byte) {
	var found []string
	if u, err := url.Parse(location); err == nil && location != "" {
		for _, raw := range []string{u.RawQuery, u.Fragment} {
			vals, _ := url.ParseQuery(raw)
			for k, vs := range vals {
				if issuedNames[k] {
					found = append(found, vs...)
				}
			}
		}
	}
	var doc any
	if json.Unmarshal(body, &doc) == nil {
		found = append(found, jsonValues(doc)...)
	}
	for _, m := range hiddenInput.FindAllSubmatch(body, -1) {
		found = append(found, string(m[2]))
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, v := range found {
		if v != "" {
			t.issued[v] = true
		}
	}
}

func jsonValues(doc any) []string {
	var out []string
	switch d := doc.(type) {
	case map[string]any:
		for k, v := range d {
			if s, ok := v.(string); ok && issuedNames[k] {
				out = append(out, s)
			} else {
				out = append(out, jsonValues(v)...)
			}
		}
	case []any:
		for _, v := range d {
			out = append(out, jsonValues(v)...)
		}
	}
	return out
}

// write saves the profile's secrets and every issued code and token.
func (t *mockTap) write(secrets []string) error {
	t.mu.Lock()
	all := append([]string(nil), secrets...)
	for v := range t.issued {
		all = append(all, v)
	}
	t.mu.Unlock()
	sort.Strings(all)
	var b bytes.Buffer
	for _, v := range all {
		b.WriteString(v + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(t.path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(t.path, b.Bytes(), 0o600)
}

// tapWriter keeps a copy of the response body (bounded by maxBody).
type tapWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *tapWriter) Write(p []byte) (int, error) {
	if room := maxBody - w.body.Len(); room > 0 {
		w.body.Write(p[:min(len(p), room)])
	}
	return w.ResponseWriter.Write(p)
}
