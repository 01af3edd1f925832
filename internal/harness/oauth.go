package harness

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/internal/profile"
)

// Exchange is one HTTP request and its response, kept as evidence.
type Exchange struct {
	Method, URL string
	ReqHeader   http.Header
	ReqBody     string
	Status      int
	Header      http.Header
	Body        []byte
}

// JSON decodes the response body as a JSON object (nil if it is not one).
func (x *Exchange) JSON() map[string]any {
	var m map[string]any
	if json.Unmarshal(x.Body, &m) != nil {
		return nil
	}
	return m
}

// Recorder is an http.RoundTripper that keeps every exchange it carries.
type Recorder struct {
	next      http.RoundTripper
	mu        sync.Mutex
	exchanges []*Exchange
}

// RoundTrip implements http.RoundTripper.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	x := &Exchange{Method: req.Method, URL: req.URL.String(), ReqHeader: req.Header.Clone()}
	if req.Body != nil {
		body, err := io.ReadAll(io.LimitReader(req.Body, maxBody))
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		x.ReqBody = string(body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := readBody(resp)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	x.Status, x.Header, x.Body = resp.StatusCode, resp.Header.Clone(), body
	r.mu.Lock()
	r.exchanges = append(r.exchanges, x)
	r.mu.Unlock()
	return resp, nil
}

// readBody reads and closes a response body of at most maxBody bytes; a
// larger one is an error (a *TargetError), never silently cut.
func readBody(resp *http.Response) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if len(body) > maxBody {
		what := "the target"
		if resp.Request != nil && resp.Request.URL != nil {
			what = endpointOf(resp.Request.URL)
		}
		return nil, &TargetError{What: what, Cause: ErrBodyTooLarge.Error()}
	}
	return body, nil
}

// Last is the most recent exchange, or nil.
func (r *Recorder) Last() *Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.exchanges) == 0 {
		return nil
	}
	return r.exchanges[len(r.exchanges)-1]
}

// Evidence renders an exchange for a report, with secrets redacted.
func (env *Env) Evidence(x *Exchange) string {
	if x == nil {
		return "(no HTTP exchange recorded)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", x.Method, x.URL)
	for _, k := range []string{"Authorization", "DPoP", "Content-Type"} {
		if v := x.ReqHeader.Get(k); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	if x.ReqBody != "" {
		fmt.Fprintf(&b, "\n%s\n", x.ReqBody)
	}
	fmt.Fprintf(&b, "\n→ %d\n", x.Status)
	for _, k := range []string{"Content-Type", "Cache-Control", "Pragma", "WWW-Authenticate", "DPoP-Nonce", "Location"} {
		for _, v := range x.Header.Values(k) {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	if len(x.Body) > 0 {
		// Redacted before it is cut: a secret split at the cut would no
		// longer be recognised, and its first part would escape.
		fmt.Fprintf(&b, "\n%s\n", cutEvidence(env.redact(string(x.Body)), maxEvidenceBody))
	}
	return env.redact(b.String())
}

// maxEvidenceBody is how much of a response body evidence keeps, in characters.
const maxEvidenceBody = 2000

// cutEvidence keeps the first max characters of s (never half of one), with "…" when it cut.
func cutEvidence(s string, max int) string {
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// OAuth2Config is a well-behaved golang.org/x/oauth2 client for a role.
func (env *Env) OAuth2Config(c *profile.Client) *oauth2.Config {
	style := oauth2.AuthStyleInHeader
	if c.UsesPost() || c.Secret == "" {
		style = oauth2.AuthStyleInParams
	}
	return &oauth2.Config{
		ClientID:     c.ID,
		ClientSecret: c.Secret,
		Endpoint:     oauth2.Endpoint{AuthURL: env.Endpoints.Authorization, TokenURL: env.Endpoints.Token, AuthStyle: style},
		RedirectURL:  env.Profile.RedirectURI,
		Scopes:       c.Scopes,
	}
}

// ClientContext makes golang.org/x/oauth2 use a recording, bounded client.
func (env *Env) ClientContext(ctx context.Context, rec *Recorder) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, env.HTTPClient(rec))
}

// Random returns a fresh URL-safe value for state and nonce (128 bits).
func Random() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// PostForm sends a hand-built form POST to the token endpoint (or another),
// for the requests a well-behaved client library would refuse to make.
func (env *Env) PostForm(ctx context.Context, endpoint string, form url.Values, basicUser, basicPass string) (*Exchange, error) {
	rec := &Recorder{}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicUser != "" {
		// RFC 6749 §2.3.1: form-urlencode each part before Basic encoding.
		req.SetBasicAuth(url.QueryEscape(basicUser), url.QueryEscape(basicPass))
	}
	resp, err := env.HTTPClient(rec).Do(req)
	if err != nil {
		return nil, err
	}
	_ = resp.Body.Close()
	return rec.Last(), nil
}
