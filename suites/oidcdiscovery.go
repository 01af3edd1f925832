package suites

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/oauthconform/oauthconform/internal/catalog"
	"github.com/oauthconform/oauthconform/internal/harness"
)

// openidConfig is the OpenID Provider configuration, read once.
var openidConfig struct {
	mu  sync.Mutex
	url string
	doc map[string]any
	x   *harness.Exchange
	err error
}

// openIDConfiguration GETs the issuer's /.well-known/openid-configuration
// (OIDC Discovery §4: the suffix appended to the issuer) and returns its
// URL and members: a skip when it is not there (a plain OAuth 2.0 server),
// undecided when it cannot be read.
func openIDConfiguration(ctx context.Context) (string, map[string]any) {
	GinkgoHelper()
	harness.SkipUnless(env.Endpoints.Issuer != "", "the profile names no issuer")
	openidConfig.mu.Lock()
	defer openidConfig.mu.Unlock()
	if openidConfig.url == "" {
		openidConfig.url = strings.TrimSuffix(env.Endpoints.Issuer, "/") + "/.well-known/openid-configuration"
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, openidConfig.url, nil)
		if err == nil {
			rec := &harness.Recorder{}
			var resp *http.Response
			if resp, err = env.HTTPClient(rec).Do(req); err == nil {
				_ = resp.Body.Close()
				openidConfig.x = rec.Last()
			}
		}
		openidConfig.err = err
		if x := openidConfig.x; x != nil && x.Status == http.StatusOK {
			if json.Unmarshal(x.Body, &openidConfig.doc) != nil {
				openidConfig.doc = nil
			}
		}
	}
	if openidConfig.err != nil {
		harness.Undecided(env, fmt.Errorf("GET %s: %w", openidConfig.url, openidConfig.err))
	}
	x := openidConfig.x
	harness.SkipUnless(x.Status != http.StatusNotFound, "the provider publishes no OpenID Provider configuration at %s (404): not an OpenID Provider", openidConfig.url)
	if x.Status != http.StatusOK || openidConfig.doc == nil {
		harness.Undecided(env, fmt.Errorf("the OpenID Provider configuration could not be read:\n%s", env.Evidence(x)))
	}
	return openidConfig.url, openidConfig.doc
}

var _ = Describe("OpenID Connect Discovery", Label("flow:discovery"), func() {
	harness.It(env, catalog.OpenIDConfigRequired, func(ctx SpecContext) {
		_, doc := openIDConfiguration(ctx)
		required := []string{"issuer", "authorization_endpoint", "jwks_uri", "response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported"}
		// token_endpoint: "REQUIRED unless only the Implicit Flow is used".
		types, _ := doc["response_types_supported"].([]any)
		for _, t := range types {
			if slices.Contains(strings.Fields(fmt.Sprint(t)), "code") {
				required = append(required, "token_endpoint")
				break
			}
		}
		var missing []string
		for _, m := range required {
			switch v := doc[m].(type) {
			case string:
				if v == "" {
					missing = append(missing, m)
				}
			case []any:
				if len(v) == 0 {
					missing = append(missing, m)
				}
			default:
				missing = append(missing, m)
			}
		}
		Expect(missing).To(BeEmpty(), "the OpenID Provider configuration lacks REQUIRED members (or has them empty)")
	})

	harness.It(env, catalog.OpenIDConfigJWKS, func(ctx SpecContext) {
		_, doc := openIDConfiguration(ctx)
		uri, _ := doc["jwks_uri"].(string)
		Expect(uri).NotTo(BeEmpty(), "the OpenID Provider configuration has no jwks_uri")
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
		harness.Require(env, err)
		rec := &harness.Recorder{}
		resp, err := env.HTTPClient(rec).Do(req)
		harness.Require(env, err)
		_ = resp.Body.Close()
		x := rec.Last()
		env.Attach(env.Evidence(x))
		Expect(x.Status).To(Equal(http.StatusOK), "jwks_uri answered %d", x.Status)
		var set struct {
			Keys []map[string]any `json:"keys"`
		}
		Expect(json.Unmarshal(x.Body, &set)).To(Succeed(), "jwks_uri does not answer a JWK Set: a JSON object whose keys member is an array of keys (RFC 7517 §5)")
		Expect(set.Keys).NotTo(BeEmpty(), "the JWK Set has no key to validate signatures with")
		for i, k := range set.Keys {
			Expect(k["kty"]).NotTo(BeNil(), "key %d of the JWK Set has no kty (RFC 7517 §4.1)", i)
		}
	})

	harness.It(env, catalog.OpenIDConfigScopes, func(ctx SpecContext) {
		_, doc := openIDConfiguration(ctx)
		scopes, has := doc["scopes_supported"].([]any)
		harness.SkipUnless(has, "the OpenID Provider configuration has no scopes_supported (RECOMMENDED)")
		Expect(scopes).To(ContainElement("openid"), "scopes_supported")
	})

	harness.It(env, catalog.OpenIDConfigUserinfo, func(ctx SpecContext) {
		_, doc := openIDConfiguration(ctx)
		ep, _ := doc["userinfo_endpoint"].(string)
		Expect(ep).NotTo(BeEmpty(), "the OpenID Provider configuration does not advertise userinfo_endpoint")
	})

	harness.It(env, catalog.OpenIDConfigIssuer, func(ctx SpecContext) {
		u, doc := openIDConfiguration(ctx)
		env.Attach("fetched " + u)
		// The Issuer URL is the one given, before OIDC Discovery §4 removes
		// a terminating "/" to append the suffix: "http://op/" stays itself.
		want := strings.TrimSuffix(u, "/.well-known/openid-configuration")
		if given := env.Profile.Issuer; strings.HasSuffix(given, "/") && strings.TrimSuffix(given, "/") == want {
			want = given
		}
		Expect(doc["issuer"]).To(Equal(want), "issuer of the OpenID Provider configuration")
	})
	harness.It(env, catalog.JWKSKeyUse, func(ctx SpecContext) {
		harness.SkipUnless(env.Endpoints.JWKS != "", "the target names no jwks_uri")
		jwks, err := env.FetchJWKS(ctx)
		harness.Require(env, err)
		var enc []string
		for i, k := range jwks.Raw {
			if encryptionKey(k) {
				enc = append(enc, fmt.Sprintf("key %d (kid %v, alg %v)", i, k["kid"], k["alg"]))
			}
		}
		env.Attach(fmt.Sprintf("%d keys at %s; encryption keys: %v", len(jwks.Raw), jwks.From, enc))
		if len(enc) == 0 {
			return // signing keys only: use is OPTIONAL (RFC 7517 §4.2)
		}
		for i, k := range jwks.Raw {
			Expect(k["use"]).NotTo(BeNil(), "the JWKS holds encryption keys (%v), and key %d (kid %v) has no use", enc, i, k["kid"])
		}
	})
})

// encryptionKey tells a JWK made available for encryption: use enc, an
// encryption key operation, or a JWE key management algorithm (RFC 7518 §4.1).
func encryptionKey(k map[string]any) bool {
	if k["use"] == "enc" {
		return true
	}
	if ops, ok := k["key_ops"].([]any); ok {
		for _, op := range ops {
			if op == "encrypt" || op == "wrapKey" || op == "deriveKey" {
				return true
			}
		}
	}
	alg := fmt.Sprint(k["alg"])
	return strings.HasPrefix(alg, "RSA-OAEP") || alg == "RSA1_5" || strings.HasPrefix(alg, "ECDH-ES")
}
