package mockserver

// Mutual TLS (RFC 8705): client authentication by tls_client_auth (a
// certificate of a client CA the server trusts, with the registered subject)
// and self_signed_tls_client_auth (the registered certificate itself), and
// access tokens bound to the certificate (cnf x5t#S256). The mTLS endpoint
// aliases live on a port of their own that asks for a client certificate
// (Start serves it; mtls_endpoint_aliases names it).

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// The mTLS client authentication methods (RFC 8705 §2.1, §2.2).
const (
	TLSClientAuth           = "tls_client_auth"
	SelfSignedTLSClientAuth = "self_signed_tls_client_auth"
)

// MTLSClientID is the default tls_client_auth client, MTLSSelfClientID the
// self_signed_tls_client_auth one; MTLSSubject the subject DN registered
// for the first.
const (
	MTLSClientID     = "mtls"
	MTLSSelfClientID = "mtls-self"
	MTLSSubject      = "CN=mtls-client,O=oauthconform"
)

// MTLSCredentials are the client certificates of the default mTLS clients,
// PEM-encoded: a client CA the server trusts, a certificate it issued for
// MTLSSubject and its key, and a self-signed certificate and its key.
type MTLSCredentials struct {
	CA, Cert, Key, SelfCert, SelfKey string
}

// NewMTLSCredentials makes fresh mTLS client credentials (ECDSA P-256).
func NewMTLSCredentials() (MTLSCredentials, error) {
	var out MTLSCredentials
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return out, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{Organization: []string{"oauthconform"}, CommonName: "oauthconform mock client CA"},
		NotBefore: now.Add(-time.Minute), NotAfter: now.Add(certLifetime),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true, MaxPathLenZero: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return out, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return out, err
	}
	out.CA = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
	if out.Cert, out.Key, err = clientCertificate(pkix.Name{Organization: []string{"oauthconform"}, CommonName: "mtls-client"}, ca, caKey); err != nil {
		return out, err
	}
	out.SelfCert, out.SelfKey, err = clientCertificate(pkix.Name{CommonName: "mtls-self-signed"}, nil, nil)
	return out, err
}

// clientCertificate issues a client certificate for subject, signed by ca
// (self-signed when ca is nil), and returns it and its key as PEM.
func clientCertificate(subject pkix.Name, ca *x509.Certificate, caKey *ecdsa.PrivateKey) (string, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: subject, NotBefore: now.Add(-time.Minute), NotAfter: now.Add(certLifetime),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	parent, signer := tmpl, any(key)
	if ca != nil {
		parent, signer = ca, caKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return "", "", err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})), nil
}

// parseCertificatePEM reads the first certificate of a PEM text.
func parseCertificatePEM(s string) (*x509.Certificate, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("mockserver: no PEM certificate")
	}
	return x509.ParseCertificate(block.Bytes)
}

// mtlsClient reports whether the client authenticates by mutual TLS.
func (c *Client) mtlsClient() bool {
	return c.AuthMethod == TLSClientAuth || c.AuthMethod == SelfSignedTLSClientAuth
}

// peerCertificate is the client certificate of the request's TLS
// connection, nil for none.
func peerCertificate(r *http.Request) *x509.Certificate {
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return nil
	}
	return r.TLS.PeerCertificates[0]
}

// certThumbprint is a certificate's x5t#S256 (RFC 8705 §3.1).
func certThumbprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// mtlsAuthenticated reports whether the request's client certificate
// authenticates c (RFC 8705 §2: the binding between client and certificate).
func (s *Server) mtlsAuthenticated(r *http.Request, c *Client) bool {
	cert := peerCertificate(r)
	if cert == nil {
		// The flaw: the client_id alone is believed.
		return s.has(fault.MTLSNoCertAccepted)
	}
	switch c.AuthMethod {
	case TLSClientAuth:
		if !s.has(fault.MTLSChainUnchecked) {
			// RFC 8705 §2.1: a validated chain to a trusted CA.
			if s.clientCAs == nil {
				return false
			}
			if _, err := cert.Verify(x509.VerifyOptions{Roots: s.clientCAs, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, CurrentTime: s.now()}); err != nil {
				return false
			}
		}
		return cert.Subject.String() == c.TLSSubject
	case SelfSignedTLSClientAuth:
		if s.has(fault.MTLSSelfSignedUnchecked) {
			return true // the flaw: any certificate will do
		}
		// RFC 8705 §2.2: the registered certificate itself.
		for _, reg := range c.TLSCertificates {
			if reg.Equal(cert) {
				return true
			}
		}
	}
	return false
}

// MTLSListener serves TLS on ln as Listener does, and asks the client for
// a certificate, which it does not verify: the application judges it
// (tls_client_auth, self_signed_tls_client_auth, certificate-bound tokens).
func (s *Server) MTLSListener(ln net.Listener, c *Certificates) net.Listener {
	cfg := s.tlsConfig(c)
	cfg.ClientAuth = tls.RequestClientCert
	return tls.NewListener(ln, cfg)
}

// mtlsAliases are the mtls_endpoint_aliases (RFC 8705 §5), nil without a
// mutual-TLS port.
func (s *Server) mtlsAliases() map[string]string {
	if s.mtlsOrigin == "" {
		return nil
	}
	return map[string]string{
		"token_endpoint":         s.mtlsOrigin + s.basePath + "/token",
		"introspection_endpoint": s.mtlsOrigin + s.basePath + "/introspect",
		"revocation_endpoint":    s.mtlsOrigin + s.basePath + "/revoke",
	}
}

// clientCAPool reads the client CA of opts, nil without one.
func clientCAPool(pemCA string) (*x509.CertPool, error) {
	if pemCA == "" {
		return nil, nil
	}
	ca, err := parseCertificatePEM(pemCA)
	if err != nil {
		return nil, fmt.Errorf("mockserver: Options.MTLSClientCA: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return pool, nil
}
