package mockserver

import (
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// webKeyPEM is the test run's key of the web client: one RSA key for
// every test (generating one takes a while).
var webKeyPEM = sync.OnceValues(NewClientKey)

func testClientKey(t *testing.T) string {
	t.Helper()
	k, err := webKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// signerKey parses a PEM client key.
func signerKey(t *testing.T, pemText string) crypto.Signer {
	t.Helper()
	block, _ := pem.Decode([]byte(pemText))
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(crypto.Signer)
}

// pkjAssertion is a private_key_jwt assertion for web (RFC 7523 §2.2),
// signed with key by alg (web's registered key and PS256 when nil and
// ""); edit changes the claims before signing.
func (e *env) pkjAssertion(key crypto.Signer, alg jose.SignatureAlgorithm, edit func(*jwt.Claims)) string {
	e.t.Helper()
	if key == nil {
		key = signerKey(e.t, e.sec.WebKey)
	}
	if alg == "" {
		alg = jose.PS256
	}
	now := time.Now()
	claims := jwt.Claims{
		Issuer: "web", Subject: "web", Audience: jwt.Audience{e.url + "/token"},
		Expiry: jwt.NewNumericDate(now.Add(2 * time.Minute)), IssuedAt: jwt.NewNumericDate(now), ID: randomToken(16),
	}
	if edit != nil {
		edit(&claims)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		e.t.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		e.t.Fatal(err)
	}
	return raw
}

// unsignedFor is an unsecured JWT (alg none) with claims, written by hand.
func unsignedFor(t *testing.T, claims jwt.Claims) string {
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc(payload) + "."
}

// madeUpCode sends a token request no server grants (a made-up code)
// authenticated by the assertion a: an authenticated client gets
// invalid_grant, an unauthenticated one invalid_client.
func (e *env) madeUpCode(a string, extra ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	form := withAssertion(url.Values{"grant_type": {"authorization_code"}, "code": {"made-up"}, "redirect_uri": {DefaultRedirectURI}}, a)
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	return e.post("/token", "", "", form)
}

func authenticated(m map[string]any) bool { return m["error"] == "invalid_grant" }

func refusedClient(resp *http.Response, m map[string]any) bool {
	return resp.StatusCode == http.StatusUnauthorized && m["error"] == "invalid_client"
}

func init() {
	pkj := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.PrivateKeyJWTAdvertisedUnsupported: func(t *testing.T, e *env) bool {
			if !listHas(e.metadata()["token_endpoint_auth_methods_supported"], "private_key_jwt") {
				t.Fatal("private_key_jwt is not advertised")
			}
			_, m := e.madeUpCode(e.pkjAssertion(nil, "", nil))
			return authenticated(m)
		},
		fault.PrivateKeyJWTSignatureUnchecked: func(t *testing.T, e *env) bool {
			other := signerKey(t, mustKey(t))
			return refusedClient(e.madeUpCode(e.pkjAssertion(other, "", nil)))
		},
		fault.PrivateKeyJWTAudUnchecked: func(t *testing.T, e *env) bool {
			a := e.pkjAssertion(nil, "", func(c *jwt.Claims) { c.Audience = jwt.Audience{"https://attacker.example.test/token"} })
			return refusedClient(e.madeUpCode(a))
		},
		fault.PrivateKeyJWTExpOptional: func(t *testing.T, e *env) bool {
			return refusedClient(e.madeUpCode(e.pkjAssertion(nil, "", func(c *jwt.Claims) { c.Expiry = nil })))
		},
		fault.PrivateKeyJWTExpUnchecked: func(t *testing.T, e *env) bool {
			a := e.pkjAssertion(nil, "", func(c *jwt.Claims) {
				c.IssuedAt = jwt.NewNumericDate(time.Now().Add(-15 * time.Minute))
				c.Expiry = jwt.NewNumericDate(time.Now().Add(-10 * time.Minute))
			})
			return refusedClient(e.madeUpCode(a))
		},
		fault.PrivateKeyJWTReplayAccepted: func(t *testing.T, e *env) bool {
			a := e.pkjAssertion(nil, "", nil)
			if _, m := e.madeUpCode(a); !authenticated(m) {
				t.Fatalf("first use: %v", m)
			}
			return refusedClient(e.madeUpCode(a))
		},
		fault.PrivateKeyJWTSubUnchecked: func(t *testing.T, e *env) bool {
			a := e.pkjAssertion(nil, "", func(c *jwt.Claims) { c.Issuer, c.Subject = "web2", "web2" })
			return refusedClient(e.madeUpCode(a, "client_id", "web"))
		},
		fault.PrivateKeyJWTAlgUnchecked: func(t *testing.T, e *env) bool {
			if listHas(e.metadata()["token_endpoint_auth_signing_alg_values_supported"], "RS256") {
				t.Fatal("RS256 is advertised")
			}
			return refusedClient(e.madeUpCode(e.pkjAssertion(nil, jose.RS256, nil)))
		},
		fault.PrivateKeyJWTAlgNone: func(t *testing.T, e *env) bool {
			now := time.Now()
			a := unsignedFor(t, jwt.Claims{Issuer: "web", Subject: "web", Audience: jwt.Audience{e.url + "/token"},
				Expiry: jwt.NewNumericDate(now.Add(time.Minute)), ID: randomToken(16)})
			return refusedClient(e.madeUpCode(a))
		},
		fault.PrivateKeyJWTWrongError: func(t *testing.T, e *env) bool {
			other := signerKey(t, mustKey(t))
			_, m := e.madeUpCode(e.pkjAssertion(other, "", nil))
			return m["error"] == "invalid_client"
		},
	}
	for n, p := range pkj {
		conformanceProbes[n] = p
	}
}

func mustKey(t *testing.T) string {
	t.Helper()
	k, err := NewClientKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestPrivateKeyJWT(t *testing.T) {
	e := newEnv(t)
	ok := func(t *testing.T, what string, m map[string]any) {
		t.Helper()
		if !authenticated(m) {
			t.Errorf("%s: %v, want the client authenticated (invalid_grant for the made-up code)", what, m)
		}
	}
	ok(t, "aud token endpoint", mapOf(e.madeUpCode(e.pkjAssertion(nil, "", nil))))
	ok(t, "aud issuer", mapOf(e.madeUpCode(e.pkjAssertion(nil, "", func(c *jwt.Claims) { c.Audience = jwt.Audience{e.url} }))))
	ok(t, "aud PAR endpoint", mapOf(e.madeUpCode(e.pkjAssertion(nil, "", func(c *jwt.Claims) { c.Audience = jwt.Audience{e.url + parPath} }))))
	ok(t, "client_id sent", mapOf(e.madeUpCode(e.pkjAssertion(nil, "", nil), "client_id", "web")))
	if resp, m := e.madeUpCode(e.pkjAssertion(nil, "", nil), "client_id", "web2"); !refusedClient(resp, m) {
		t.Errorf("another client_id: %v", m)
	}
	// A client without registered keys cannot use private_key_jwt.
	if resp, m := e.madeUpCode(e.pkjAssertion(nil, "", func(c *jwt.Claims) { c.Issuer, c.Subject = "svc", "svc" })); !refusedClient(resp, m) {
		t.Errorf("svc has no key: %v", m)
	}
	// ES256 is advertised, but web's key is RSA.
	if !listHas(e.metadata()["token_endpoint_auth_signing_alg_values_supported"], "ES256") {
		t.Error("ES256 is not advertised")
	}
}

func mapOf(_ *http.Response, m map[string]any) map[string]any { return m }
