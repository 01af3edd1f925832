package redact_test

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/oauthconform/oauthconform/internal/redact"
)

var fingerprintRE = regexp.MustCompile(`^\[redacted:[0-9a-f]{8}\]$`)

func TestFingerprint(t *testing.T) {
	a, b := redact.Fingerprint("secret-one"), redact.Fingerprint("secret-two")
	if !fingerprintRE.MatchString(a) {
		t.Errorf("Fingerprint = %q, want [redacted:<8 hex>]", a)
	}
	if a != redact.Fingerprint("secret-one") {
		t.Error("same input gives different fingerprints")
	}
	if a == b {
		t.Errorf("different inputs give the same fingerprint %q", a)
	}
	if strings.Contains(a, "secret-one") {
		t.Errorf("fingerprint %q contains the secret", a)
	}
}

func TestZeroValueRedactor(t *testing.T) {
	var r redact.Redactor
	if got := r.String("nothing secret here"); got != "nothing secret here" {
		t.Errorf("String = %q", got)
	}
	if got := r.String(""); got != "" {
		t.Errorf("String(\"\") = %q", got)
	}
}

func TestRegisteredSecrets(t *testing.T) {
	const (
		secret = "s3cr3t-value"
		longer = "s3cr3t-value-plus-more"
		short  = "abc12"
	)
	var r redact.Redactor
	r.Add(secret, longer, short)
	tests := []struct {
		name, in, want string
	}{
		{"alone", secret, redact.Fingerprint(secret)},
		{"inside a longer string", "xx" + secret + "yy", "xx" + redact.Fingerprint(secret) + "yy"},
		{"every occurrence", secret + " and " + secret, redact.Fingerprint(secret) + " and " + redact.Fingerprint(secret)},
		{"longest first: a secret containing another is replaced whole", "got " + longer, "got " + redact.Fingerprint(longer)},
		{"both in one string", longer + "|" + secret, redact.Fingerprint(longer) + "|" + redact.Fingerprint(secret)},
		{"in a URL path", "https://as.example.test/x/" + secret + "/y", "https://as.example.test/x/" + redact.Fingerprint(secret) + "/y"},
		{"values shorter than 6 characters are not registered", "id " + short, "id " + short},
		{"unrelated text is untouched", "scope=openid profile", "scope=openid profile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMinimumLengthBoundary(t *testing.T) {
	var r redact.Redactor
	r.Add("12345", "123456", "")
	if got := r.String("a 12345 b"); got != "a 12345 b" {
		t.Errorf("5-character value was redacted: %q", got)
	}
	if got := r.String("a 123456 b"); got != "a "+redact.Fingerprint("123456")+" b" {
		t.Errorf("6-character value was not redacted: %q", got)
	}
}

func TestUnregisteredValuesInParameterPositions(t *testing.T) {
	var r redact.Redactor // nothing registered
	fp := redact.Fingerprint
	tests := []struct {
		name, in, want string
		gone           string // must not appear in the output
	}{
		{"code in a query", "https://client.example.test/cb?code=abcdefgh123&state=xyz",
			"https://client.example.test/cb?code=" + fp("abcdefgh123") + "&state=xyz", "abcdefgh123"},
		{"code at the start of a form body", "code=abcdefgh123&grant_type=authorization_code",
			"code=" + fp("abcdefgh123") + "&grant_type=authorization_code", "abcdefgh123"},
		{"access_token in a fragment", "https://client.example.test/cb#access_token=tok.en-1&token_type=Bearer",
			"https://client.example.test/cb#access_token=" + fp("tok.en-1") + "&token_type=Bearer", "tok.en-1"},
		{"refresh_token in a form body", "grant_type=refresh_token&refresh_token=rt_9876",
			"grant_type=refresh_token&refresh_token=" + fp("rt_9876"), "rt_9876"},
		{"client_secret in a form body", "client_id=web&client_secret=hunter22",
			"client_id=web&client_secret=" + fp("hunter22"), "hunter22"},
		{"client_assertion in a form body", "client_assertion_type=urn%3Aietf&client_assertion=eyJh.eyJp.mac",
			"client_assertion_type=urn%3Aietf&client_assertion=" + fp("eyJh.eyJp.mac"), "eyJh.eyJp.mac"},
		{"assertion grant in a form body", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJh.eyJq.sig",
			"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + fp("eyJh.eyJq.sig"), "eyJh.eyJq.sig"},
		{"logout_token in a form body", "logout_token=eyJh.eyJs.sig",
			"logout_token=" + fp("eyJh.eyJs.sig"), "eyJh.eyJs.sig"},
		{"logout_token JSON field", `{"logout_token": "eyJh.eyJt.sig"}`,
			`{"logout_token": "` + fp("eyJh.eyJt.sig") + `"}`, "eyJh.eyJt.sig"},
		{"request object in a query", "/authorize?client_id=web&request=eyJh.eyJr.sig&scope=openid",
			"/authorize?client_id=web&request=" + fp("eyJh.eyJr.sig") + "&scope=openid", "eyJh.eyJr.sig"},
		{"request_uri in a query", "/authorize?client_id=web&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc123",
			"/authorize?client_id=web&request_uri=" + fp("urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc123"), "abc123"},
		{"request_uri JSON field", `{"request_uri": "urn:ietf:params:oauth:request_uri:abc123", "expires_in": 60}`,
			`{"request_uri": "` + fp("urn:ietf:params:oauth:request_uri:abc123") + `", "expires_in": 60}`, "abc123"},
		{"PEM private key", "key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY----- end",
			"key: " + fp("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----") + " end", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"},
		{"PKCS #1 key, JSON-escaped", `"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"`,
			`"` + fp(`-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----`) + `"`, "MIIEpAIBAAKCAQEA"},
		{"code_verifier after whitespace", "sent code_verifier=vvvvvvvvv now",
			"sent code_verifier=" + fp("vvvvvvvvv") + " now", "vvvvvvvvv"},
		{"access_token JSON field", `{"access_token": "at-value-1", "token_type": "Bearer"}`,
			`{"access_token": "` + fp("at-value-1") + `", "token_type": "Bearer"}`, "at-value-1"},
		{"refresh_token JSON field without space", `{"refresh_token":"rt-value-2"}`,
			`{"refresh_token":"` + fp("rt-value-2") + `"}`, "rt-value-2"},
		{"id_token JSON field", `{"id_token": "eyJh.eyJz.sig"}`,
			`{"id_token": "` + fp("eyJh.eyJz.sig") + `"}`, "eyJh.eyJz.sig"},
		{"Bearer authorization header", "Authorization: Bearer xyz",
			"Authorization: Bearer " + fp("xyz"), "xyz"},
		{"Basic authorization header", "Authorization: Basic d2ViOnNlY3JldA==",
			"Authorization: Basic " + fp("d2ViOnNlY3JldA=="), "d2ViOnNlY3JldA=="},
		{"lower-case header and scheme", "authorization: bearer abc.def",
			"authorization: bearer " + fp("abc.def"), "abc.def"},
		{"header in a multi-line dump", "POST /token HTTP/1.1\nAuthorization: Basic Zm9vOmJhcg==\nContent-Type: x",
			"POST /token HTTP/1.1\nAuthorization: Basic " + fp("Zm9vOmJhcg==") + "\nContent-Type: x", "Zm9vOmJhcg=="},
		{"a parameter name inside another word is not a position", "barcode=1234567 state=ok",
			"barcode=1234567 state=ok", ""},
		{"state and scope are not secrets", "?state=abcdef&scope=openid",
			"?state=abcdef&scope=openid", ""},
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
		})
	}
}

func TestFingerprintIsStableAcrossRegisteredAndPositional(t *testing.T) {
	// A code seen by the harness (registered) and the same code in a URL
	// (positional) end up as the same fingerprint, so evidence lines up.
	var registered, fresh redact.Redactor
	registered.Add("abcdefgh123")
	in := "https://client.example.test/cb?code=abcdefgh123"
	if a, b := registered.String(in), fresh.String(in); a != b {
		t.Errorf("registered %q != positional %q", a, b)
	}
	// Different values, different fingerprints.
	if a, b := fresh.String("?code=aaaaaaaa"), fresh.String("?code=bbbbbbbb"); strings.TrimPrefix(a, "?code=") == strings.TrimPrefix(b, "?code=") {
		t.Errorf("different codes share a fingerprint: %q %q", a, b)
	}
}

func TestRedactionIsIdempotent(t *testing.T) {
	var r redact.Redactor
	r.Add("client-secret-1", "alice-password", "tok-registered-9")
	inputs := []string{
		"plain text",
		"client-secret-1 and alice-password",
		"https://client.example.test/cb?code=abcdefgh123&state=s#access_token=tok-registered-9",
		`{"access_token": "at-value-1", "refresh_token": "client-secret-1"}`,
		"Authorization: Bearer xyz\nauthorization: Basic d2ViOnNlY3JldA==",
		"code=" + redact.Fingerprint("already"),
	}
	for i, in := range inputs {
		t.Run(fmt.Sprintf("input %d", i), func(t *testing.T) {
			once := r.String(in)
			if twice := r.String(once); twice != once {
				t.Errorf("String(String(x)) = %q, String(x) = %q", twice, once)
			}
		})
	}
}

func TestConcurrentAddAndString(t *testing.T) {
	var r redact.Redactor
	const workers, rounds = 8, 50
	var wg sync.WaitGroup
	errs := make(chan string, workers*rounds)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				secret := fmt.Sprintf("secret-%d-%d", w, i)
				r.Add(secret)
				if got := r.String("x " + secret + " y"); got != "x "+redact.Fingerprint(secret)+" y" {
					errs <- fmt.Sprintf("worker %d round %d: %q", w, i, got)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// Every value added by any goroutine is registered at the end.
	for w := range workers {
		s := fmt.Sprintf("secret-%d-%d", w, rounds-1)
		if got := r.String(s); got != redact.Fingerprint(s) {
			t.Errorf("String(%q) = %q after all Adds", s, got)
		}
	}
}
