package mockserver

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// assertion builds a client_secret_jwt assertion (RFC 7523 §2.2) for
// clientID, keyed with secret; edit changes the claims before signing.
func (e *env) assertion(clientID, secret string, edit func(*jwt.Claims)) string {
	e.t.Helper()
	now := time.Now()
	claims := jwt.Claims{
		Issuer: clientID, Subject: clientID, Audience: jwt.Audience{e.url + "/token"},
		Expiry: jwt.NewNumericDate(now.Add(2 * time.Minute)), IssuedAt: jwt.NewNumericDate(now), ID: randomToken(16),
	}
	if edit != nil {
		edit(&claims)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte(secret)}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		e.t.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		e.t.Fatal(err)
	}
	return raw
}

// unsignedAssertion is an unsecured JWT (RFC 7519 §6: alg none, an empty
// signature) with the claims of a valid assertion for clientID, written by
// hand because go-jose will not make one.
func (e *env) unsignedAssertion(clientID string) string {
	e.t.Helper()
	now := time.Now()
	payload, err := json.Marshal(jwt.Claims{
		Issuer: clientID, Subject: clientID, Audience: jwt.Audience{e.url + "/token"},
		Expiry: jwt.NewNumericDate(now.Add(2 * time.Minute)), IssuedAt: jwt.NewNumericDate(now), ID: randomToken(16),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc(payload) + "."
}

// withAssertion adds a client assertion to form.
func withAssertion(form url.Values, assertion string) url.Values {
	form.Set("client_assertion_type", assertionTypeJWTBearer)
	form.Set("client_assertion", assertion)
	return form
}

func TestClientSecretJWT(t *testing.T) {
	e := newEnv(t)
	cc := func() url.Values { return url.Values{"grant_type": {"client_credentials"}} }
	ok := func(t *testing.T, resp *http.Response, m map[string]any) {
		t.Helper()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	}
	refused := func(t *testing.T, resp *http.Response, m map[string]any, code string) {
		t.Helper()
		if m["error"] != code {
			t.Fatalf("%d %v, want %s", resp.StatusCode, m, code)
		}
	}
	t.Run("valid, then replayed", func(t *testing.T) {
		a := e.assertion("svc", e.sec.Service, nil)
		resp, m := e.post("/token", "", "", withAssertion(cc(), a))
		ok(t, resp, m)
		resp, m = e.post("/token", "", "", withAssertion(cc(), a))
		refused(t, resp, m, "invalid_client")
	})
	t.Run("issuer as aud, with client_id", func(t *testing.T) {
		a := e.assertion("svc", e.sec.Service, func(c *jwt.Claims) { c.Audience = jwt.Audience{e.url} })
		form := withAssertion(cc(), a)
		form.Set("client_id", "svc")
		resp, m := e.post("/token", "", "", form)
		ok(t, resp, m)
	})
	for name, edit := range map[string]func(*jwt.Claims){
		"wrong aud":     func(c *jwt.Claims) { c.Audience = jwt.Audience{"https://elsewhere.example/token"} },
		"wrong iss":     func(c *jwt.Claims) { c.Issuer = "web" },
		"expired":       func(c *jwt.Claims) { c.Expiry = jwt.NewNumericDate(time.Now().Add(-time.Hour)) },
		"no exp":        func(c *jwt.Claims) { c.Expiry = nil },
		"no jti":        func(c *jwt.Claims) { c.ID = "" },
		"not yet valid": func(c *jwt.Claims) { c.NotBefore = jwt.NewNumericDate(time.Now().Add(time.Hour)) },
	} {
		t.Run(name, func(t *testing.T) {
			resp, m := e.post("/token", "", "", withAssertion(cc(), e.assertion("svc", e.sec.Service, edit)))
			refused(t, resp, m, "invalid_client")
		})
	}
	t.Run("wrong secret", func(t *testing.T) {
		resp, m := e.post("/token", "", "", withAssertion(cc(), e.assertion("svc", e.sec.Web, nil)))
		refused(t, resp, m, "invalid_client")
	})
	t.Run("unsigned (alg none)", func(t *testing.T) {
		resp, m := e.post("/token", "", "", withAssertion(cc(), e.unsignedAssertion("svc")))
		refused(t, resp, m, "invalid_client")
	})
	t.Run("names another client, keyed and client_id for this one", func(t *testing.T) {
		form := withAssertion(cc(), e.assertion("web", e.sec.Service, nil))
		form.Set("client_id", "svc")
		resp, m := e.post("/token", "", "", form)
		refused(t, resp, m, "invalid_client")
	})
	t.Run("another client's client_id", func(t *testing.T) {
		form := withAssertion(cc(), e.assertion("svc", e.sec.Service, nil))
		form.Set("client_id", "web")
		resp, m := e.post("/token", "", "", form)
		refused(t, resp, m, "invalid_client")
	})
	t.Run("with Basic too", func(t *testing.T) {
		resp, m := e.post("/token", "svc", e.sec.Service, withAssertion(cc(), e.assertion("svc", e.sec.Service, nil)))
		refused(t, resp, m, "invalid_request")
	})
	t.Run("with client_secret too", func(t *testing.T) {
		form := withAssertion(cc(), e.assertion("svc", e.sec.Service, nil))
		form.Set("client_id", "svc")
		form.Set("client_secret", e.sec.Service)
		resp, m := e.post("/token", "", "", form)
		refused(t, resp, m, "invalid_request")
	})
	t.Run("not at introspection", func(t *testing.T) {
		resp, m := e.post("/introspect", "", "", withAssertion(url.Values{"token": {"x"}}, e.assertion("svc", e.sec.Service, func(c *jwt.Claims) {
			c.Audience = jwt.Audience{e.url}
		})))
		refused(t, resp, m, "invalid_client")
	})
	t.Run("advertised with its algorithm", func(t *testing.T) {
		md := e.metadata()
		if !listHas(md["token_endpoint_auth_methods_supported"], "client_secret_jwt") || !listHas(md["token_endpoint_auth_signing_alg_values_supported"], "HS256") {
			t.Fatalf("metadata %v %v", md["token_endpoint_auth_methods_supported"], md["token_endpoint_auth_signing_alg_values_supported"])
		}
	})
}
