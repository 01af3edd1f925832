package hostile

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"time"
)

// CertKind is a certificate problem.
type CertKind string

// Certificates for the TLS cases; each is self-signed, so it verifies only
// when given to the harness as its CA bundle (tls.ca_file).
const (
	CertGood      CertKind = "good"       // for 127.0.0.1, valid now
	CertExpired   CertKind = "expired"    // for 127.0.0.1, expired a day ago
	CertWrongHost CertKind = "wrong_host" // valid now, for other.example only
)

// Certificate makes a self-signed certificate of kind and returns it with
// its PEM (to use as a CA bundle).
func Certificate(kind CertKind) (*tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{CommonName: "oauthconform hostile " + string(kind)},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	switch kind {
	case CertExpired:
		tmpl.NotBefore, tmpl.NotAfter = now.Add(-48*time.Hour), now.Add(-24*time.Hour)
	case CertWrongHost:
		tmpl.IPAddresses, tmpl.DNSNames = nil, []string{"other.example"}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}
