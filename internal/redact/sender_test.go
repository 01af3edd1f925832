package redact_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/internal/redact"
)

// The secrets of DPoP, the device flow and private keys are redacted where
// they stand, registered or not.
func TestSenderConstrainedSecrets(t *testing.T) {
	var r redact.Redactor
	fp := redact.Fingerprint
	enc := base64.RawURLEncoding.EncodeToString
	proof := "eyJ" + enc([]byte(`"typ":"dpop+jwt","alg":"ES256"}`))[3:] + "." + enc([]byte(`{"htm":"POST"}`)) + ".c2lnbmF0dXJl"
	pem := "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB0Ahw\n-----END EC PRIVATE KEY-----"
	tests := []struct {
		name, in, want, gone string
	}{
		{"device_code in a form body", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=dc-123456",
			"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=" + fp("dc-123456"), "dc-123456"},
		{"device_code and user_code in JSON", `{"device_code":"dc-abcdef","user_code":"WDJB-MJHT"}`,
			`{"device_code":"` + fp("dc-abcdef") + `","user_code":"` + fp("WDJB-MJHT") + `"}`, "WDJB-MJHT"},
		{"user_code in a verification_uri_complete", "https://as.example.test/device?user_code=WDJBMJHT",
			"https://as.example.test/device?user_code=" + fp("WDJBMJHT"), "WDJBMJHT"},
		{"DPoP authorization scheme", "Authorization: DPoP at-value-123", "Authorization: DPoP " + fp("at-value-123"), "at-value-123"},
		{"DPoP header line", "DPoP: abcdefgh.ijklmnop.qrstuv\nContent-Type: x", "DPoP: " + fp("abcdefgh.ijklmnop.qrstuv") + "\nContent-Type: x", "ijklmnop"},
		{"DPoP header in a Go map", "map[Dpop:[abcdefgh.ijklmnop.qrstuv]]", "map[Dpop:[" + fp("abcdefgh.ijklmnop.qrstuv") + "]]", "ijklmnop"},
		{"a DPoP proof anywhere", "sent " + proof + " then", "sent " + fp(proof) + " then", proof},
		{"the DPoP-Nonce header is not a proof", "DPoP-Nonce: nonce-1234", "DPoP-Nonce: nonce-1234", ""},
		{"a private JWK", `{"kty":"EC","crv":"P-256","x":"xx","y":"yy","d":"private-d-value"}`,
			`{"kty":"EC","crv":"P-256","x":"xx","y":"yy","d":"` + fp("private-d-value") + `"}`, "private-d-value"},
		{"a symmetric JWK", `{"kty":"oct","k":"c2VjcmV0LWtleQ"}`, `{"kty":"oct","k":"` + fp("c2VjcmV0LWtleQ") + `"}`, "c2VjcmV0LWtleQ"},
		{"a PEM private key", "key:\n" + pem + "\nend", "key:\n" + fp(pem) + "\nend", "MHcCAQEEIB0Ahw"},
		{"a public JWK stays", `{"kty":"EC","x":"xx","y":"yy"}`, `{"kty":"EC","x":"xx","y":"yy"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.String(tt.in)
			if got != tt.want {
				t.Errorf("String(%q) =\n  %q\nwant\n  %q", tt.in, got, tt.want)
			}
			if tt.gone != "" && strings.Contains(got, tt.gone) {
				t.Errorf("output %q still contains %q", got, tt.gone)
			}
			if again := r.String(got); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}
