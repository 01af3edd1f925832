package main

import (
	"crypto/x509"
	"encoding/pem"

	"github.com/oauthconform/oauthconform/driver"
)

// spkiOfPEM are the SPKI hashes of the certificates in a PEM bundle, for
// Chromium's list of certificates to accept (driver.Options.TrustSPKI).
func spkiOfPEM(data []byte) []string {
	var out []string
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return out
		}
		if cert, err := x509.ParseCertificate(block.Bytes); err == nil {
			out = append(out, driver.SPKIHash(cert))
		}
	}
}
