package profile_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/oauthconform/oauthconform/internal/profile"
)

// testKeyPEM is a fresh P-256 private key in PKCS #8 PEM.
func testKeyPEM(t *testing.T) string {
	t.Helper()
	k, err := newKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newKeyPEM() (string, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// dummyKey is one P-256 key for the templates' ${..._KEY} variables.
var dummyKey = sync.OnceValue(func() string {
	k, _ := newKeyPEM()
	return k
})

const keyedProfile = `name: keyed
issuer: https://as.example.test
redirect_uri: https://client.example.test/cb
clients:
  confidential: {id: web, secret: s3cret-web, private_key: %s, also_registered: [private_key_jwt]%s}
login: []
`

func parseKeyed(t *testing.T, dir, key, extra string) (*profile.Profile, error) {
	t.Helper()
	text := strings.Replace(strings.Replace(keyedProfile, "%s", key, 1), "%s", extra, 1)
	return profile.Parse(filepath.Join(dir, "p.yaml"), []byte(text), func(k string) (string, bool) {
		if k == "KEY" {
			return testKeyPEM(t), true
		}
		return "", false
	})
}

func TestPrivateKey(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "client.pem"), []byte(testKeyPEM(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"${KEY}"`, "client.pem", filepath.Join(dir, "client.pem")} {
		p, err := parseKeyed(t, dir, key, ", key_id: k1, key_alg: ES256")
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		c := p.Clients.Confidential
		if c.Signer() == nil || c.KeyID != "k1" || strings.Join(c.KeyAlgs(), ",") != "ES256" || !c.RegisteredFor("private_key_jwt") {
			t.Errorf("%s: signer %v, kid %q, algs %v", key, c.Signer() != nil, c.KeyID, c.KeyAlgs())
		}
	}
	// An inline key is a secret, line by line too.
	p, err := parseKeyed(t, dir, `"${KEY}"`, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Secrets()) < 3 {
		t.Errorf("Secrets() = %d values, want the secret and the key's lines", len(p.Secrets()))
	}
	for _, s := range p.Secrets() {
		if strings.Contains(s, "-----") {
			t.Errorf("Secrets() has a PEM armour line: %q", s)
		}
	}
	for _, bad := range []struct{ key, extra, field string }{
		{"missing.pem", "", "clients.confidential.private_key"},
		{`"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"`, "", "clients.confidential.private_key"},
		{`"${KEY}"`, ", key_alg: PS256", "clients.confidential.key_alg"},
	} {
		_, err := parseKeyed(t, dir, bad.key, bad.extra)
		if err == nil || !strings.Contains(err.Error(), bad.field) {
			t.Errorf("%s%s: %v, want an error on %s", bad.key, bad.extra, err, bad.field)
		}
	}
}

func TestPrivateKeyJWTRole(t *testing.T) {
	text := "name: k\nissuer: https://as.example.test\nclients:\n  private_key_jwt: {id: web-pkj, private_key: \"${KEY}\"}\n"
	lookup := func(k string) (string, bool) { return testKeyPEM(t), k == "KEY" }
	p, err := profile.Parse("p.yaml", []byte(text), lookup)
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Clients.KeyOnly; c == nil || !c.RegisteredFor("private_key_jwt") || c.Signer() == nil {
		t.Fatalf("role: %+v", c)
	}
	if _, err := profile.Parse("p.yaml", []byte(strings.Replace(text, `, private_key: "${KEY}"`, "", 1)), lookup); err == nil || !strings.Contains(err.Error(), "private_key") {
		t.Errorf("without a key: %v", err)
	}
}
