package mockserver

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"sync"
	"time"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// certLifetime is the validity of the mock's certificate authority and
// server certificate: a run, or a day of manual use, never longer.
const certLifetime = 24 * time.Hour

// WrongHost is the only name in the server certificate with the fault
// tls_cert_wrong_host.
const WrongHost = "wrong-host.example.test"

// Certificates are the mock's own certificate authority and the server
// certificate it signed, made fresh in memory for each server (nothing is
// written to disk unless a caller does it).
type Certificates struct {
	// CA is the certificate authority; CAPEM the same, PEM-encoded, for a
	// run profile's tls.ca_file.
	CA    *x509.Certificate
	CAPEM []byte
	// Leaf is the server certificate: valid for 127.0.0.1, ::1 and
	// localhost (for WrongHost alone with tls_cert_wrong_host).
	Leaf *x509.Certificate
	// tlsCert is Leaf with its private key and the CA as its chain.
	tlsCert tls.Certificate
	// caKey signs Sibling's certificates.
	caKey *ecdsa.PrivateKey
	caDER []byte
}

// NewCertificates makes a certificate authority (ECDSA P-256) and a server
// certificate signed by it, valid for certLifetime.
func (s *Server) NewCertificates() (*Certificates, error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("mockserver: CA key: %w", err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{Organization: []string{"oauthconform"}, CommonName: "oauthconform mock CA " + randomToken(6)},
		NotBefore:             now.Add(-time.Minute),
		NotAfter:              now.Add(certLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return nil, fmt.Errorf("mockserver: CA certificate: %w", err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	c := &Certificates{
		CA:    ca,
		CAPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		caKey: caKey,
		caDER: caDER,
	}
	wrongHost := s.has(fault.TLSCertWrongHost)
	if err := c.issueLeaf(wrongHost); err != nil {
		return nil, err
	}
	return c, nil
}

// Sibling is a certificate of its own, from the same certificate authority,
// for another listener of the same mock (the UI app of LoginOtherOrigin):
// valid for 127.0.0.1, ::1 and localhost.
func (c *Certificates) Sibling() (*Certificates, error) {
	sib := &Certificates{CA: c.CA, CAPEM: c.CAPEM, caKey: c.caKey, caDER: c.caDER}
	if err := sib.issueLeaf(false); err != nil {
		return nil, err
	}
	return sib, nil
}

// issueLeaf makes the server certificate, signed by the CA.
func (c *Certificates) issueLeaf(wrongHost bool) error {
	now := time.Now()
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("mockserver: server key: %w", err)
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{Organization: []string{"oauthconform"}, CommonName: "oauthconform mock"},
		NotBefore:    now.Add(-time.Minute),
		NotAfter:     now.Add(certLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		// RFC 6125 §6.4: the reference identity is matched against the
		// subjectAltName entries, never the common name.
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if wrongHost {
		// The flaw: a certificate of the right CA for another name, so a
		// client that checks the host name refuses it (RFC 6749 §10.9, RFC 6125 §6).
		leafTmpl.Subject.CommonName = WrongHost
		leafTmpl.DNSNames, leafTmpl.IPAddresses = []string{WrongHost}, nil
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, c.CA, leafKey.Public(), c.caKey)
	if err != nil {
		return fmt.Errorf("mockserver: server certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(leafDER)
	if err != nil {
		return err
	}
	c.Leaf = leaf
	c.tlsCert = tls.Certificate{Certificate: [][]byte{leafDER, c.caDER}, PrivateKey: leafKey, Leaf: leaf}
	return nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic("mockserver: crypto/rand failed: " + err.Error())
	}
	return n
}

// tlsConfig is how the mock speaks TLS: 1.2 and 1.3 only (RFC 8996 §2, §3;
// RFC 9325 §3.1.1: TLS 1.2 MUST be supported, 1.3 SHOULD; 1.0 and 1.1 MUST
// NOT be used).
func (s *Server) tlsConfig(c *Certificates) *tls.Config {
	cfg := &tls.Config{
		Certificates: []tls.Certificate{c.tlsCert},
		MinVersion:   tls.VersionTLS12,
		MaxVersion:   tls.VersionTLS13,
	}
	if s.has(fault.TLSAcceptsTLS10) {
		// The flaw: TLS 1.0 and 1.1 handshakes succeed (an explicit
		// MinVersion needs no GODEBUG tls10server=1). With the ECDSA
		// certificate they negotiate TLS_ECDHE_ECDSA_WITH_AES_*_CBC_SHA,
		// which Go's default suites still include.
		cfg.MinVersion = tls.VersionTLS10
	}
	if s.has(fault.TLSNoTLS13) {
		// The flaw: no TLS 1.3 (RFC 9325 §3.1.1 SHOULD support it).
		cfg.MaxVersion = tls.VersionTLS12
	}
	return cfg
}

// Listener serves TLS on ln with the certificate c, as the mock's own port
// does: with plain_http_served, plain HTTP on the same port too.
func (s *Server) Listener(ln net.Listener, c *Certificates) net.Listener {
	cfg := s.tlsConfig(c)
	if !s.has(fault.PlainHTTPServed) {
		return tls.NewListener(ln, cfg)
	}
	// The flaw: the port also answers plain HTTP (breaks RFC 6749 §3.1,
	// §3.2: the server MUST require TLS at its endpoints).
	return newSniffListener(ln, cfg)
}

// sniffListener hands each accepted connection on as a *tls.Conn when it
// starts with a TLS handshake record (content type 0x16) and as is
// otherwise; http.Server.Serve does the TLS handshake of a *tls.Conn itself.
type sniffListener struct {
	net.Listener
	cfg   *tls.Config
	conns chan net.Conn
	errc  chan error
	done  chan struct{}
	once  sync.Once
}

// sniffTimeout bounds the wait for a connection's first byte.
const sniffTimeout = 10 * time.Second

func newSniffListener(ln net.Listener, cfg *tls.Config) *sniffListener {
	l := &sniffListener{Listener: ln, cfg: cfg, conns: make(chan net.Conn), errc: make(chan error, 1), done: make(chan struct{})}
	go l.acceptLoop()
	return l
}

func (l *sniffListener) acceptLoop() {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			l.errc <- err
			return
		}
		// Sniffed apart, so that a client that never sends blocks no other.
		go l.sniff(c)
	}
}

func (l *sniffListener) sniff(c net.Conn) {
	_ = c.SetReadDeadline(time.Now().Add(sniffTimeout))
	br := bufio.NewReaderSize(c, 1)
	first, err := br.Peek(1)
	_ = c.SetReadDeadline(time.Time{})
	if err != nil {
		_ = c.Close()
		return
	}
	var out net.Conn = &peekedConn{Conn: c, r: br}
	if first[0] == 0x16 { // TLS record type handshake (RFC 8446 §5.1)
		out = tls.Server(out, l.cfg)
	}
	select {
	case l.conns <- out:
	case <-l.done:
		_ = c.Close()
	}
}

func (l *sniffListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case err := <-l.errc:
		l.errc <- err // every later Accept fails the same way
		return nil, err
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *sniffListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// peekedConn reads the sniffed byte before the rest of the connection.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// errPlainIssuer is returned by Start when the issuer's scheme and the
// served protocol disagree.
var errPlainIssuer = errors.New("mockserver: the issuer's scheme must match what Start serves (https, or http with Options.PlainHTTP)")
