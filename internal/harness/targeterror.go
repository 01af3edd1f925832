package harness

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
)

// TargetError is a failure of the target's transport: the harness could not
// talk to it, so no check that needed the exchange can be decided.
type TargetError struct {
	// What names the endpoint ("token endpoint https://…/token").
	What string
	// Cause says what happened ("connection refused").
	Cause string
	// FirstIn is the check that first met this failure when this request
	// was not sent because of it; "" for the request that met it.
	FirstIn string
}

func (e *TargetError) Error() string {
	s := e.What + ": " + e.Cause
	if e.FirstIn != "" {
		s += " (first seen in " + e.FirstIn + "; not tried again)"
	}
	return s
}

// Trip scopes: a failure of the whole origin (nothing there answers), of
// one endpoint (it hangs or crashes), or none (not the target's fault).
const (
	scopeNone = iota
	scopeOrigin
	scopeEndpoint
)

// describe says in words what a transport error means, and how far it reaches.
func (g *guard) describe(err error) (string, int) {
	var (
		dnsErr     *net.DNSError
		unknownCA  x509.UnknownAuthorityError
		invalid    x509.CertificateInvalidError
		hostname   x509.HostnameError
		recordErr  tls.RecordHeaderError
		verifyErr  *tls.CertificateVerificationError
		alertErr   tls.AlertError
		maxHeaders = "server response headers exceeded"
	)
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("DNS lookup of %s failed (%s)", dnsErr.Name, dnsErr.Err), scopeOrigin
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused (is the provider running?)", scopeOrigin
	case errors.As(err, &unknownCA):
		return "TLS: the certificate is signed by an unknown authority (self-signed, or a private CA: give it in ginkgo.yaml tls.ca_file)", scopeOrigin
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "TLS: the certificate has expired or is not yet valid (" + invalid.Detail + ")", scopeOrigin
	case errors.As(err, &invalid):
		return "TLS: the certificate is invalid: " + invalid.Error(), scopeOrigin
	case errors.As(err, &hostname):
		return "TLS: the certificate is not valid for this host: " + hostname.Error(), scopeOrigin
	case errors.As(err, &verifyErr):
		return "TLS: certificate verification failed: " + verifyErr.Err.Error(), scopeOrigin
	case errors.As(err, &recordErr):
		return "TLS handshake failed: the server does not speak TLS on this port", scopeOrigin
	case errors.As(err, &alertErr):
		return "TLS handshake failed: " + alertErr.Error(), scopeOrigin
	case strings.Contains(err.Error(), maxHeaders):
		return fmt.Sprintf("response headers larger than %d KiB", maxHeaderBytes>>10), scopeEndpoint
	case isTimeout(err):
		return fmt.Sprintf("no complete answer within %s (timeouts.http): the endpoint accepts connections but does not respond", g.env.Config.Timeout.HTTP), scopeEndpoint
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET):
		return "the connection closed without a complete response (the provider crashed or reset it)", scopeEndpoint
	case errors.Is(err, context.Canceled):
		return "", scopeNone
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Err.Error(), scopeOrigin
	}
	return "", scopeNone
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
