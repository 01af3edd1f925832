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

	// UIURL is the origin of the login and error UI app on its own port
	// (variants LoginOtherOrigin, ErrorsOtherOrigin), "" without one; and
	// UICertificate the certificate it presents (same CA).
	UIURL         string
	UICertificate *x509.Certificate

	// MTLSURL is the origin of the port that asks for client certificates
	// (RFC 8705 mtls_endpoint_aliases), "" for a plain HTTP server.
	MTLSURL string

	certs    *Certificates
	srv      *http.Server
	done     chan struct{}
	ui       *http.Server
	uiDone   chan struct{}
	mtls     *http.Server
	mtlsDone chan struct{}
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
	// The UI app of the variants that put the login or error pages on
	// another origin: a second loopback port of its own.
	var uiLn net.Listener
	if NeedsUIOrigin(opts.Variants) {
		if uiLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			ln.Close()
			return nil, err
		}
		opts.UIOrigin = scheme + "://" + uiLn.Addr().String()
	}
	// The mutual-TLS port (RFC 8705 §5): the same server, asking for
	// client certificates.
	var mtlsLn net.Listener
	if !opts.PlainHTTP {
		if mtlsLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			ln.Close()
			if uiLn != nil {
				uiLn.Close()
			}
			return nil, err
		}
		opts.MTLSOrigin = scheme + "://" + mtlsLn.Addr().String()
	}
	closeAll := func() {
		ln.Close()
		if uiLn != nil {
			uiLn.Close()
		}
		if mtlsLn != nil {
			mtlsLn.Close()
		}
	}
	s, err := New(opts)
	if err != nil {
		closeAll()
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
			closeAll()
			return nil, err
		}
		rs.CACertPEM, rs.CA, rs.Certificate = rs.certs.CAPEM, rs.certs.CA, rs.certs.Leaf
		ln = s.Listener(ln, rs.certs)
		if uiLn != nil {
			uiCerts, err := rs.certs.Sibling()
			if err != nil {
				closeAll()
				return nil, err
			}
			rs.UICertificate = uiCerts.Leaf
			uiLn = s.Listener(uiLn, uiCerts)
		}
	}
	go func() {
		defer close(rs.done)
		_ = rs.srv.Serve(ln)
	}()
	if mtlsLn != nil {
		rs.MTLSURL = opts.MTLSOrigin
		rs.mtls = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
		rs.mtlsDone = make(chan struct{})
		mtlsTLS := s.MTLSListener(mtlsLn, rs.certs)
		go func() {
			defer close(rs.mtlsDone)
			_ = rs.mtls.Serve(mtlsTLS)
		}()
	}
	if uiLn != nil {
		rs.UIURL = opts.UIOrigin
		rs.ui = &http.Server{Handler: s.UIApp(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
		rs.uiDone = make(chan struct{})
		go func() {
			defer close(rs.uiDone)
			_ = rs.ui.Serve(uiLn)
		}()
	}
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
	err := shutdown(r.srv, r.done)
	if r.ui != nil {
		err = errors.Join(err, shutdown(r.ui, r.uiDone))
	}
	if r.mtls != nil {
		err = errors.Join(err, shutdown(r.mtls, r.mtlsDone))
	}
	return err
}

func shutdown(srv *http.Server, done chan struct{}) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = srv.Close()
	}
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
