package harness

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The TLS checks (suites/tls.go) look at the target's TLS itself: which
// versions it agrees to, which certificate it presents. They make their own
// connections, outside the guarded transport, whose verification would stop
// them before there is anything to judge.

// TLSRoots are the roots a certificate is verified against, strictly, even
// when the run verifies nothing (tls.insecure_skip_verify): the bundled
// mock's own CA for the mock; the system's roots plus tls.ca_file otherwise
// (nil: the system's roots alone).
func (env *Env) TLSRoots() (*x509.CertPool, error) {
	if env.Mock != nil && env.Mock.CA != nil {
		pool := x509.NewCertPool()
		pool.AddCert(env.Mock.CA)
		return pool, nil
	}
	return env.Config.CertPool()
}

// Handshake opens a TCP connection to the host of rawURL (port 443 unless
// given) and completes one TLS handshake with cfg, within timeouts.http; the
// certificate is not verified (the caller judges it), nothing is sent after
// the handshake. A failure to connect at all is a *TargetError (the check
// cannot decide); a handshake the server refuses is a plain error.
func (env *Env) Handshake(ctx context.Context, rawURL string, cfg *tls.Config) (tls.ConnectionState, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	if g := env.transport(); g != nil {
		if err := g.closed(); err != nil {
			return tls.ConnectionState{}, err
		}
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "443")
	}
	timeout := env.httpTimeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	raw, err := (&net.Dialer{Timeout: timeout}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return tls.ConnectionState{}, &TargetError{What: "TLS endpoint " + addr, Cause: "cannot connect: " + err.Error()}
	}
	defer raw.Close()
	cfg = cfg.Clone()
	cfg.ServerName = u.Hostname()
	cfg.InsecureSkipVerify = true //nolint:gosec // the caller verifies the certificate itself, strictly
	c := tls.Client(raw, cfg)
	if err := c.HandshakeContext(ctx); err != nil {
		if ctx.Err() != nil {
			return tls.ConnectionState{}, &TargetError{What: "TLS endpoint " + addr, Cause: fmt.Sprintf("no complete TLS handshake within %s (timeouts.http)", timeout)}
		}
		return tls.ConnectionState{}, err
	}
	return c.ConnectionState(), nil
}

// LegacyTLSConfig is a client of exactly version v offering every cipher
// suite Go implements, the insecure ones too: a probe for an old version
// offers the widest set a server might accept.
func LegacyTLSConfig(v uint16) *tls.Config {
	var ids []uint16
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		ids = append(ids, s.ID)
	}
	return &tls.Config{MinVersion: v, MaxVersion: v, CipherSuites: ids}
}

// DescribeCertificate is a certificate's evidence: subject, names, issuer, validity.
func DescribeCertificate(c *x509.Certificate) string {
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	for _, u := range c.URIs {
		names = append(names, u.String())
	}
	return fmt.Sprintf("subject: %s\nsubjectAltName: %s\nissuer: %s\nvalid: %s to %s",
		c.Subject, strings.Join(names, ", "), c.Issuer,
		c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
}

// PlainHTTPClient is a client for requests that a secure target must not
// answer (plain http:// to its endpoints): bounded by timeouts.http, no
// redirects followed, recording into rec when given, and outside the
// guarded transport, since a refused connection there is the expected
// answer, not a failure of the target.
func (env *Env) PlainHTTPClient(rec *Recorder) *http.Client {
	timeout := env.httpTimeout()
	tr := &http.Transport{
		DialContext:            (&net.Dialer{Timeout: timeout}).DialContext,
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: maxHeaderBytes,
		DisableKeepAlives:      true,
	}
	var rt http.RoundTripper = tr
	if rec != nil {
		rec.next = rt
		rt = rec
	}
	return &http.Client{
		Transport:     rt,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func (env *Env) httpTimeout() time.Duration {
	if t := env.Config.Timeout.HTTP; t > 0 {
		return t
	}
	return 10 * time.Second
}
