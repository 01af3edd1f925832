package oauthconform

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/oauthconform/oauthconform/internal/profile"
	"github.com/oauthconform/oauthconform/internal/runconfig"
	"github.com/oauthconform/oauthconform/mockserver"
)

// The built-in defaults are the committed files, and they load.
func TestDefaults(t *testing.T) {
	cfg, err := runconfig.LoadEmbedded(Defaults, "ginkgo.yaml", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Embedded == nil || cfg.Target != "" {
		t.Fatalf("built-in run profile: embedded %v, target %q", cfg.Embedded != nil, cfg.Target)
	}
	data, err := Defaults.ReadFile(cfg.Mock.Profile)
	if err != nil {
		t.Fatalf("mock.profile %s is not built in: %v", cfg.Mock.Profile, err)
	}
	mtls, err := mockserver.NewMTLSCredentials()
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"MOCK_ISSUER": "https://127.0.0.1:1", "MOCK_WEB_SECRET": "a", "MOCK_WEB2_SECRET": "b", "MOCK_SVC_SECRET": "c", "MOCK_ALICE_PASSWORD": "d", "MOCK_ACCESS_TOKENS": "rfc9068", "MOCK_WEB_KEY": ecKeyPEM(t),
		"MOCK_MTLS_URL": "https://127.0.0.1:2", "MOCK_BACKCHANNEL_URI": "http://127.0.0.1:3/backchannel-logout", "MOCK_MTLS_CERT": mtls.Cert, "MOCK_MTLS_KEY": mtls.Key, "MOCK_MTLS_SELF_CERT": mtls.SelfCert, "MOCK_MTLS_SELF_KEY": mtls.SelfKey}
	if _, err := profile.Parse(cfg.Mock.Profile, data, func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob("profiles/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("profiles/*.yaml: %v %v", names, err)
	}
	for _, name := range append(names, "ginkgo.yaml") {
		disk, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		built, _ := Defaults.ReadFile(name)
		if string(disk) != string(built) {
			t.Errorf("%s: the built-in copy differs from the file", name)
		}
	}
}

// ecKeyPEM is a fresh P-256 private key in PKCS #8 PEM (MOCK_WEB_KEY).
func ecKeyPEM(t *testing.T) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}
