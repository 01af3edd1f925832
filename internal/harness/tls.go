package harness

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"

	"github.com/oauthconform/oauthconform/driver"
)

// TLSVerificationDisabled reports whether the run verifies no TLS
// certificate (tls.insecure_skip_verify); the reports show a banner then.
func (env *Env) TLSVerificationDisabled() bool { return env.Config.TLS.InsecureSkipVerify }

// browserTrust are the public keys Chromium is told to trust (driver
// Options.TrustSPKI): the mock's certificate and CA, or every certificate
// of tls.ca_file, which the system's trust store in the browser lacks.
func (env *Env) browserTrust() ([]string, error) {
	var certs []*x509.Certificate
	switch {
	case env.Mock != nil && env.Mock.Certificate != nil:
		certs = []*x509.Certificate{env.Mock.Certificate, env.Mock.CA}
		if env.Mock.UICertificate != nil {
			certs = append(certs, env.Mock.UICertificate)
		}
	case env.Config.TLS.CAFile != "":
		path := env.Config.Resolve(env.Config.TLS.CAFile)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("run profile %s: tls.ca_file: %w", env.Config.Dir, err)
		}
		for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
			if block.Type != "CERTIFICATE" {
				continue
			}
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("tls.ca_file %s: %w", path, err)
			}
			certs = append(certs, c)
		}
	}
	var hashes []string
	for _, c := range certs {
		hashes = append(hashes, driver.SPKIHash(c))
	}
	return hashes, nil
}
