package harness

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Every request the harness sends to the target goes through one guarded
// transport (docs/robustness.md):
//
//   - TLS is verified against the system's roots plus tls.ca_file, or not at
//     all with tls.insecure_skip_verify (then every report says so); the
//     bundled mock's connections must present exactly its own certificate
//     (pin);
//   - connecting, the TLS handshake, the response header and the whole
//     exchange are each bounded by timeouts.http, response headers by 64 KiB
//     and every response body by 1 MiB (maxBody): a larger body is an error,
//     never silently cut;
//   - a failure that is the target's, not the request's (connection refused,
//     a DNS failure, a TLS error, no answer in time, a connection closed
//     mid-response) is a *TargetError naming the endpoint and the cause. It
//     is remembered: later requests to the same origin (or, for a timeout,
//     the same endpoint) fail at once with the same cause and the check that
//     first saw it, so a dead endpoint costs one timeout, not one per check,
//     and its reason is said once;
//   - after timeouts.run from the start of the run nothing more is sent.

// maxHeaderBytes bounds the response header the harness accepts.
const maxHeaderBytes = 64 << 10

// errTargetTimeout is the cause of an exchange's context ending at timeouts.http.
var errTargetTimeout = errors.New("timeouts.http passed")

// guard is the run's transport state: the breaker and the run deadline.
type guard struct {
	env      *Env
	base     *http.Transport
	timeout  time.Duration // timeouts.http: one whole exchange
	deadline time.Time     // zero: none

	mu      sync.Mutex
	tripped map[string]*TargetError // by origin or endpoint URL
	metBy   map[string]*TargetError // the last target failure each check met, by check ID
	// withCert are base's clones that present a client certificate
	// (mutual TLS, RFC 8705), by certificate.
	withCert map[*tls.Certificate]*http.Transport
}

// clientCertKey carries the client certificate of a request (WithClientCertificate).
type clientCertKey struct{}

// WithClientCertificate makes the requests sent with ctx through the
// run's clients present cert in the TLS handshake (mutual TLS, RFC 8705);
// nil presents none.
func WithClientCertificate(ctx context.Context, cert *tls.Certificate) context.Context {
	return context.WithValue(ctx, clientCertKey{}, cert)
}

// transportFor is base, or its clone presenting the request's client certificate.
func (g *guard) transportFor(req *http.Request) *http.Transport {
	cert, _ := req.Context().Value(clientCertKey{}).(*tls.Certificate)
	if cert == nil {
		return g.base
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if t := g.withCert[cert]; t != nil {
		return t
	}
	t := g.base.Clone()
	cfg := &tls.Config{}
	if g.base.TLSClientConfig != nil {
		cfg = g.base.TLSClientConfig.Clone()
	}
	cfg.Certificates = []tls.Certificate{*cert}
	t.TLSClientConfig = cfg
	if g.withCert == nil {
		g.withCert = map[*tls.Certificate]*http.Transport{}
	}
	g.withCert[cert] = t
	return t
}

// met records a target failure for the running check (It turns the check's
// failure into an error when it met one) and returns err.
func (g *guard) met(err error) error {
	var te *TargetError
	if !errors.As(err, &te) {
		return err
	}
	if id := currentCheck(); id != "" {
		g.mu.Lock()
		g.metBy[id] = te
		g.mu.Unlock()
	}
	return err
}

// metTargetError is the target failure the check met during its run, if any.
func (env *Env) metTargetError(id string) *TargetError {
	g := env.transport()
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.metBy[id]
}

// forgetMet clears what a check met, before it runs.
func (env *Env) forgetMet(id string) {
	if g := env.transport(); g != nil {
		g.mu.Lock()
		delete(g.metBy, id)
		g.mu.Unlock()
	}
}

// newGuard builds the run's transport from the run profile.
func newGuard(env *Env) (*guard, error) {
	cfg := env.Config
	pool, err := cfg.CertPool()
	if err != nil {
		return nil, fmt.Errorf("run profile %s: tls.ca_file: %w", cfg.Dir, err)
	}
	httpTimeout := cfg.Timeout.HTTP
	if httpTimeout <= 0 {
		httpTimeout = 10 * time.Second
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.DialContext = (&net.Dialer{Timeout: httpTimeout, KeepAlive: 30 * time.Second}).DialContext
	base.TLSHandshakeTimeout = httpTimeout
	base.ResponseHeaderTimeout = httpTimeout
	base.MaxResponseHeaderBytes = maxHeaderBytes
	base.TLSClientConfig = &tls.Config{RootCAs: pool, InsecureSkipVerify: cfg.TLS.InsecureSkipVerify} //nolint:gosec // an explicit, reported option
	g := &guard{env: env, base: base, timeout: httpTimeout, tripped: map[string]*TargetError{}, metBy: map[string]*TargetError{}}
	if cfg.Timeout.Run > 0 {
		g.deadline = time.Now().Add(cfg.Timeout.Run)
	}
	return g, nil
}

// pin makes the transport trust exactly one server certificate, whatever
// host it names: the bundled mock's own, made fresh for the run. Pinning
// instead of trusting the mock's CA keeps the rest of the run working with
// the fault tls_cert_wrong_host, which only TLS-03 is to notice.
//
// leaves are the mock's own certificate and, for the variants with a UI app
// on another port, that app's (nil entries are ignored).
func (g *guard) pin(leaves ...*x509.Certificate) {
	var pinned []*x509.Certificate
	for _, l := range leaves {
		if l != nil {
			pinned = append(pinned, l)
		}
	}
	if g == nil || len(pinned) == 0 {
		return
	}
	g.base.TLSClientConfig = &tls.Config{
		InsecureSkipVerify: true, //nolint:gosec // replaced by the exact comparison below
		VerifyConnection: func(cs tls.ConnectionState) error {
			for _, leaf := range pinned {
				if len(cs.PeerCertificates) > 0 && cs.PeerCertificates[0].Equal(leaf) {
					return nil
				}
			}
			return errors.New("tls: the server presented a certificate other than the bundled mock's own")
		},
	}
}

// transport is the guarded transport, built on first use for an Env made
// without Load (tests).
func (env *Env) transport() *guard {
	env.guardOnce.Do(func() {
		if env.guard == nil {
			env.guard, _ = newGuard(env)
		}
	})
	return env.guard
}

// RoundTrip implements http.RoundTripper.
func (g *guard) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := g.closed(); err != nil {
		closeBody(req)
		return nil, err
	}
	what := g.env.endpointName(req.URL)
	origin, endpoint := originOf(req.URL), endpointOf(req.URL)
	if te := g.trippedFor(origin, endpoint); te != nil {
		closeBody(req)
		if te.What != what {
			te.Cause = "unreachable, like " + te.What + ": " + te.Cause
			te.What = what
		}
		return nil, g.met(te)
	}
	// The exchange's own deadline, so that a timeout is known to be the
	// target's (the client's Timeout is a later backstop, and a check's
	// context may end for reasons of its own).
	ctx, cancel := context.WithTimeoutCause(req.Context(), g.timeout, errTargetTimeout)
	req = req.WithContext(ctx)
	resp, err := g.transportFor(req).RoundTrip(req)
	if err != nil {
		err = g.met(g.fail(ctx, what, origin, endpoint, err))
		cancel()
		return nil, err
	}
	resp.Body = &boundedBody{rc: resp.Body, g: g, ctx: ctx, cancel: cancel, what: what, endpoint: endpoint}
	// A CORS preflight (OPTIONS) is answered by the server's CORS layer or
	// web framework, not by the endpoint: its body is no token, introspection
	// or metadata response (RFC 6749 §3.2 allows only POST at the token
	// endpoint), so it is left to the check that sent it.
	if req.Method == http.MethodOptions || !g.env.expectsJSON(req.URL) {
		return resp, nil
	}
	body, err := readBody(resp)
	if err != nil {
		return nil, g.met(err)
	}
	if cause := notJSON(resp.StatusCode, resp.Header.Get("Content-Type"), body); cause != "" {
		return nil, g.met(&TargetError{What: what, Cause: cause})
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// notJSON says why a response of an endpoint that answers only JSON cannot
// be judged ("" when it can): malformed JSON, or an HTML page (a login
// page at a wrong URL, a gateway's error page) as a success or a server
// error. A 4xx HTML page and other formats (a form-encoded token response)
// are left to the checks, which judge them.
func notJSON(status int, contentType string, body []byte) string {
	snippet := strings.Join(strings.Fields(string(body[:min(len(body), 200)])), " ")
	trimmed := bytes.TrimSpace(body)
	ct := strings.ToLower(contentType)
	switch {
	case strings.Contains(ct, "json") && len(trimmed) > 0 && !json.Valid(trimmed):
		return fmt.Sprintf("answered HTTP %d with malformed JSON: %s", status, snippet)
	case strings.Contains(ct, "json") && len(trimmed) > 0 && trimmed[0] != '{':
		return fmt.Sprintf("answered HTTP %d with JSON that is not an object: %s", status, snippet)
	case strings.Contains(ct, "json") && len(trimmed) > 0 && json.Unmarshal(trimmed, new(map[string]any)) != nil:
		err := json.Unmarshal(trimmed, new(map[string]any))
		return fmt.Sprintf("answered HTTP %d with JSON the harness cannot decode (%v): %s", status, err, snippet)
	case (status < 300 || status >= 500) && (strings.Contains(ct, "html") || bytes.HasPrefix(trimmed, []byte("<"))):
		return fmt.Sprintf("answered HTTP %d with an HTML page (Content-Type %q) where JSON is expected — a wrong endpoint URL, or a failing provider: %s", status, contentType, snippet)
	}
	return ""
}

// expectsJSON: the endpoints whose every answer is JSON (RFC 6749 §5,
// RFC 7662 §2.2, RFC 8414 §3.2, RFC 7517 §5).
func (env *Env) expectsJSON(u *url.URL) bool {
	e := endpointOf(u)
	for _, ep := range []string{env.Endpoints.Token, env.Endpoints.Introspection, env.Endpoints.JWKS} {
		if pu, err := url.Parse(ep); err == nil && ep != "" && endpointOf(pu) == e {
			return true
		}
	}
	return strings.Contains(u.Path, "/.well-known/")
}

// closed is the error for a request after the run's deadline.
func (g *guard) closed() error {
	if !g.deadline.IsZero() && time.Now().After(g.deadline) {
		return &TargetError{What: "the run", Cause: fmt.Sprintf("its overall deadline (timeouts.run, %s) has passed; nothing more is sent", g.env.Config.Timeout.Run)}
	}
	return nil
}

func (g *guard) trippedFor(keys ...string) *TargetError {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, k := range keys {
		if te := g.tripped[k]; te != nil {
			repeat := *te
			repeat.FirstIn = te.FirstIn
			if repeat.FirstIn == "" {
				repeat.FirstIn = "the run's set-up"
			}
			return &repeat
		}
	}
	return nil
}

// fail turns a transport error into a *TargetError and remembers it, unless
// the request was cancelled by the check itself (its own timeout, an
// interrupt): that says nothing about the target.
func (g *guard) fail(ctx context.Context, what, origin, endpoint string, err error) error {
	cause, scope := g.describe(err)
	switch {
	case errors.Is(context.Cause(ctx), errTargetTimeout):
		cause, scope = fmt.Sprintf("no complete answer within %s (timeouts.http): the endpoint accepts connections but does not respond", g.timeout), scopeEndpoint
	case ctx.Err() != nil:
		return err // the check's own context ended: nothing about the target
	}
	if scope == scopeNone {
		return err
	}
	te := &TargetError{What: what, Cause: cause}
	key := origin
	if scope == scopeEndpoint {
		key = endpoint
	}
	g.mu.Lock()
	if g.tripped[key] == nil {
		first := *te
		first.FirstIn = currentCheck()
		g.tripped[key] = &first
	}
	g.mu.Unlock()
	return te
}

// boundedBody is a response body read with the run's limits: at most
// maxBody bytes (more is an error), and a body that stops or drips past
// the request's deadline is a target failure of the endpoint.
type boundedBody struct {
	rc       io.ReadCloser
	g        *guard
	ctx      context.Context
	cancel   context.CancelFunc
	what     string
	endpoint string
	n        int64
	err      error
}

// ErrBodyTooLarge is returned when a response body exceeds the limit.
var ErrBodyTooLarge = fmt.Errorf("response body larger than %d MiB (the harness reads no more)", maxBody>>20)

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if room := maxBody + 1 - b.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := b.rc.Read(p)
	b.n += int64(n)
	if b.n > maxBody {
		b.err = b.g.met(&TargetError{What: b.what, Cause: ErrBodyTooLarge.Error()})
		return n - int(b.n-maxBody), b.err
	}
	if err != nil && err != io.EOF {
		b.err = b.g.fail(b.ctx, b.what, "", b.endpoint, err)
		if te, ok := b.err.(*TargetError); ok && (isTimeout(err) || errors.Is(context.Cause(b.ctx), errTargetTimeout)) {
			te.Cause = fmt.Sprintf("the response body did not end within %s (timeouts.http): it stalls or drips", b.g.env.Config.Timeout.HTTP)
			b.g.mu.Lock()
			if first := b.g.tripped[b.endpoint]; first != nil {
				first.Cause = te.Cause
			}
			b.g.mu.Unlock()
		}
		b.g.met(b.err)
		return n, b.err
	}
	return n, err
}

func (b *boundedBody) Close() error {
	err := b.rc.Close()
	if b.cancel != nil {
		b.cancel()
	}
	return err
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

func originOf(u *url.URL) string { return u.Scheme + "://" + u.Host }

func endpointOf(u *url.URL) string { return u.Scheme + "://" + u.Host + u.EscapedPath() }

// endpointName names the endpoint a URL belongs to, for messages.
func (env *Env) endpointName(u *url.URL) string {
	e := endpointOf(u)
	for _, ep := range []struct{ name, url string }{
		{"authorization endpoint", env.Endpoints.Authorization}, {"token endpoint", env.Endpoints.Token},
		{"revocation endpoint", env.Endpoints.Revocation}, {"introspection endpoint", env.Endpoints.Introspection},
		{"jwks_uri", env.Endpoints.JWKS},
	} {
		if pu, err := url.Parse(ep.url); err == nil && ep.url != "" && endpointOf(pu) == e {
			return ep.name + " " + e
		}
	}
	if env.Profile != nil && env.Profile.Resource != "" {
		if pu, err := url.Parse(env.Profile.Resource); err == nil && endpointOf(pu) == e {
			return "protected resource " + e
		}
	}
	if strings.Contains(u.Path, "/.well-known/") {
		return "metadata " + e
	}
	return e
}

// reachable fails fast when the origin of rawURL is known to be down, or
// the run's deadline has passed (browser flows check it before starting).
func (env *Env) reachable(rawURL string) error {
	g := env.transport()
	if g == nil {
		return nil
	}
	if err := g.closed(); err != nil {
		return err
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil
	}
	if te := g.trippedFor(originOf(u), endpointOf(u)); te != nil {
		return te
	}
	return nil
}
