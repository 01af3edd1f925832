package mockserver

import (
	"crypto/tls"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

func testMTLS(t *testing.T) MTLSCredentials {
	t.Helper()
	c, err := NewMTLSCredentials()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// certClient is an HTTP client that trusts the mock and presents the
// certificate (PEM cert and key; none when empty).
func (e *env) certClient(certPEM, keyPEM string) *http.Client {
	e.t.Helper()
	tr := trustingTransport(e.rs)
	if certPEM != "" {
		pair, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
		if err != nil {
			e.t.Fatal(err)
		}
		tr.TLSClientConfig.Certificates = []tls.Certificate{pair}
	}
	return &http.Client{Transport: tr}
}

// mtlsToken asks for a client credentials token at the mTLS token endpoint
// as clientID with the certificate.
func (e *env) mtlsToken(clientID, certPEM, keyPEM string) (*http.Response, map[string]any) {
	e.t.Helper()
	resp, err := e.certClient(certPEM, keyPEM).PostForm(e.rs.MTLSURL+"/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}})
	if err != nil {
		e.t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal([]byte(readBody(e.t, resp)), &m)
	return resp, m
}

// mtlsMe presents token at the mTLS resource with the certificate.
func (e *env) mtlsMe(token, certPEM, keyPEM string) int {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.rs.MTLSURL+"/api/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := e.certClient(certPEM, keyPEM).Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	readBody(e.t, resp)
	return resp.StatusCode
}

// boundToken is a token of the tls_client_auth client, bound to its certificate.
func (e *env) boundToken() string {
	e.t.Helper()
	resp, m := e.mtlsToken(MTLSClientID, e.sec.MTLS.Cert, e.sec.MTLS.Key)
	tok, _ := m["access_token"].(string)
	if resp.StatusCode != http.StatusOK || tok == "" {
		e.t.Fatalf("no mTLS token: %d %v", resp.StatusCode, m)
	}
	return tok
}

// impostor is a self-signed certificate that names the tls_client_auth
// client's subject.
func impostor(t *testing.T) (string, string) {
	t.Helper()
	cert, key, err := clientCertificate(pkix.Name{Organization: []string{"oauthconform"}, CommonName: "mtls-client"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.MTLSNoCertAccepted: func(t *testing.T, e *env) bool {
			e.boundToken()
			resp, _ := e.mtlsToken(MTLSClientID, "", "")
			return resp.StatusCode == http.StatusUnauthorized
		},
		fault.MTLSChainUnchecked: func(t *testing.T, e *env) bool {
			e.boundToken()
			cert, key := impostor(t)
			resp, _ := e.mtlsToken(MTLSClientID, cert, key)
			return resp.StatusCode == http.StatusUnauthorized
		},
		fault.MTLSSelfSignedUnchecked: func(t *testing.T, e *env) bool {
			own, _ := e.mtlsToken(MTLSSelfClientID, e.sec.MTLS.SelfCert, e.sec.MTLS.SelfKey)
			cert, key := impostor(t)
			other, _ := e.mtlsToken(MTLSSelfClientID, cert, key)
			return own.StatusCode == http.StatusOK && other.StatusCode == http.StatusUnauthorized
		},
		fault.MTLSNoCnf: func(t *testing.T, e *env) bool {
			tok := e.boundToken()
			cert, _ := parseCertificatePEM(e.sec.MTLS.Cert)
			want := certThumbprint(cert)
			b, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
			var claims struct {
				Cnf map[string]string `json:"cnf"`
			}
			_ = json.Unmarshal(b, &claims)
			cnf, _ := e.introspect(tok)["cnf"].(map[string]any)
			return claims.Cnf["x5t#S256"] == want && cnf["x5t#S256"] == want
		},
		fault.MTLSResourceNoCertAccepted: func(t *testing.T, e *env) bool {
			tok := e.boundToken()
			return e.mtlsMe(tok, e.sec.MTLS.Cert, e.sec.MTLS.Key) == http.StatusOK && e.mtlsMe(tok, "", "") == http.StatusUnauthorized
		},
		fault.MTLSResourceOtherCertAccepted: func(t *testing.T, e *env) bool {
			tok := e.boundToken()
			return e.mtlsMe(tok, e.sec.MTLS.SelfCert, e.sec.MTLS.SelfKey) == http.StatusUnauthorized
		},
	}
	for name, p := range probes {
		conformanceProbes[name] = p
	}
}

// The metadata names the mTLS aliases; the main port asks for no
// certificate, so an mTLS client cannot authenticate there.
func TestMTLSAliases(t *testing.T) {
	e := newEnv(t)
	md := e.metadata()
	aliases, _ := md["mtls_endpoint_aliases"].(map[string]any)
	if aliases["token_endpoint"] != e.rs.MTLSURL+"/token" || md["tls_client_certificate_bound_access_tokens"] != true {
		t.Fatalf("metadata: %v %v", aliases, md["tls_client_certificate_bound_access_tokens"])
	}
	resp, err := e.certClient(e.sec.MTLS.Cert, e.sec.MTLS.Key).PostForm(e.url+"/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {MTLSClientID}})
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("mTLS client at the main port: %d", resp.StatusCode)
	}
}
