package mockserver

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"
)

// Running is a Server listening on a local address.
type Running struct {
	*Server
	URL string // the issuer, e.g. https://127.0.0.1:43123

	// CACertPEM is the PEM of the certificate authority that signed the
	// server certificate, and Certificate that certificate (the one the
	// port presents); both nil for a plain HTTP server.
	CACertPEM   []byte
	CA          *x509.Certificate
	Certificate *x509.Certificate

	certs *Certificates
	srv   *http.Server
	done  chan struct{}
}

// Start listens on 127.0.0.1:0 (or addr if non-empty), serves in a
// goroutine, and returns the running server; Close shuts it down. It serves
// HTTPS (TLS 1.2 and 1.3) with a certificate for 127.0.0.1, ::1 and
// localhost signed by a certificate authority made for this server alone,
// and sets Issuer to https://<that addr> when opts.Issuer is empty. With
// opts.PlainHTTP it serves plain HTTP and the issuer is http://<addr>.
func Start(opts Options, addr string) (*Running, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	scheme := "https"
	if opts.PlainHTTP {
		scheme = "http"
	}
	if opts.Issuer != "" && !strings.HasPrefix(opts.Issuer, scheme+"://") {
		return nil, fmt.Errorf("%w: issuer %s", errPlainIssuer, opts.Issuer)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if opts.Issuer == "" {
		opts.Issuer = scheme + "://" + ln.Addr().String()
	}
	s, err := New(opts)
	if err != nil {
		ln.Close()
		return nil, err
	}
	rs := &Running{
		Server: s,
		URL:    s.Issuer(),
		// Failed handshakes are what TLS probes cause on purpose; they
		// are not logged.
		srv:  &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)},
		done: make(chan struct{}),
	}
	if !opts.PlainHTTP {
		if rs.certs, err = s.NewCertificates(); err != nil {
			ln.Close()
			return nil, err
		}
		rs.CACertPEM, rs.CA, rs.Certificate = rs.certs.CAPEM, rs.certs.CA, rs.certs.Leaf
		ln = s.Listener(ln, rs.certs)
	}
	go func() {
		defer close(rs.done)
		_ = rs.srv.Serve(ln)
	}()
	return rs, nil
}

// Listener wraps ln the way the server's own port is served: TLS with the
// same certificate (and the same TLS faults), or ln itself for a plain
// HTTP server. It lets another front end (a recording proxy in tests)
// serve the mock's handler on a port of its own.
func (r *Running) Listener(ln net.Listener) net.Listener {
	if r.certs == nil {
		return ln
	}
	return r.Server.Listener(ln, r.certs)
}

// Close shuts the server down. In-flight requests get a short grace period;
// connections still open after it (e.g. idle client connections that never
// sent a request) are closed forcibly.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := r.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = r.srv.Close()
	}
	<-r.done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
