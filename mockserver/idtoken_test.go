package mockserver

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// leftHalfSHA256 is the at_hash of an access token for RS256 and ES256
// (OIDC Core §3.1.3.6).
func leftHalfSHA256(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// codeIDToken runs a code flow for web with scope "openid api.read" and,
// unless nonce is "", a nonce, redeems the code and returns the access token
// and the ID Token.
func (e *env) codeIDToken(nonce string) (at, idt string) {
	e.t.Helper()
	extra := url.Values{}
	if nonce != "" {
		extra.Set("nonce", nonce)
	}
	resp, m := e.redeem(e.codeFlow("web", extra).Get("code"))
	at, _ = m["access_token"].(string)
	idt, _ = m["id_token"].(string)
	if resp.StatusCode != http.StatusOK || at == "" || idt == "" {
		e.t.Fatalf("code exchange: %d %v", resp.StatusCode, m)
	}
	return at, idt
}

// implicitIDToken runs response_type "id_token token" for legacy-spa (scope
// openid, state s) with the extra parameters and returns the fragment.
func (e *env) implicitIDToken(extra url.Values) url.Values {
	e.t.Helper()
	p := url.Values{"response_type": {"id_token token"}, "client_id": {"legacy-spa"}, "scope": {"openid"}, "state": {"s"}}
	for k, v := range extra {
		p[k] = v
	}
	q, f := callbackParams(e.browse(e.authorizeURL(p)))
	if len(q) != 0 || f.Get("access_token") == "" || f.Get("id_token") == "" {
		e.t.Fatalf("implicit id_token token: query %v fragment %v", q, f)
	}
	return f
}

// idClaims decodes the claims of an ID Token without verifying it.
func idClaims(t *testing.T, idt string) map[string]any {
	t.Helper()
	_, c, ok := decodeJWT(idt)
	if !ok {
		t.Fatalf("the id_token is not a JWS: %q", idt)
	}
	return c
}

// checkIDToken verifies an ID Token as a relying party does (OIDC Core
// §3.1.3.7, §3.2.2.11) and returns its claims.
func (e *env) checkIDToken(idt, clientID, nonce, accessToken string) map[string]any {
	e.t.Helper()
	t := e.t
	h, c, ok := decodeJWT(idt)
	if !ok {
		t.Fatalf("the id_token is not a JWS: %q", idt)
	}
	_, set := e.jwks()
	if h.KeyID == "" || len(set.Key(h.KeyID)) != 1 || h.Algorithm != set.Key(h.KeyID)[0].Algorithm ||
		h.ExtraHeaders[jose.HeaderType] != "JWT" {
		t.Errorf("header kid %q alg %q typ %v", h.KeyID, h.Algorithm, h.ExtraHeaders[jose.HeaderType])
	}
	if !e.verifiesWithJWKS(idt) {
		t.Error("the id_token does not verify with the JWKS")
	}
	now := float64(e.clock.Now().Unix())
	iat, _ := c["iat"].(float64)
	exp, _ := c["exp"].(float64)
	authTime, hasAuthTime := c["auth_time"].(float64)
	if c["iss"] != e.url || c["sub"] != "user-alice" || c["aud"] != clientID {
		t.Errorf("iss %v sub %v aud %v", c["iss"], c["sub"], c["aud"])
	}
	if iat != now || exp != now+600 || !hasAuthTime || authTime > iat || authTime < now-60 {
		t.Errorf("now %v: iat %v exp %v auth_time %v", now, c["iat"], c["exp"], c["auth_time"])
	}
	if got, has := c["nonce"]; (nonce == "" && has) || (nonce != "" && got != nonce) {
		t.Errorf("nonce %v, want %q", got, nonce)
	}
	if c["at_hash"] != leftHalfSHA256(accessToken) {
		t.Errorf("at_hash %v, want %s", c["at_hash"], leftHalfSHA256(accessToken))
	}
	return c
}

func TestIDTokenCodeFlow(t *testing.T) {
	for _, alg := range []string{"RS256", "ES256"} {
		t.Run(alg, func(t *testing.T) {
			e := newEnvOpts(t, Options{SigningAlg: alg})
			at, idt := e.codeIDToken("n-0S6_WzA2Mj")
			e.checkIDToken(idt, "web", "n-0S6_WzA2Mj", at)
			// An ID Token is no access token at the protected resource.
			if resp, _ := e.me(idt); !bearerError(resp) {
				t.Errorf("/api/me accepts the id_token: %d", resp.StatusCode)
			}
			if resp, _ := e.me(at); resp.StatusCode != http.StatusOK {
				t.Errorf("/api/me: %d", resp.StatusCode)
			}
		})
	}
	t.Run("no nonce sent, none in the token", func(t *testing.T) {
		e := newEnv(t)
		at, idt := e.codeIDToken("")
		e.checkIDToken(idt, "web", "", at)
	})
	t.Run("public client with PKCE", func(t *testing.T) {
		e := newEnv(t)
		code, verifier := e.spaCode()
		resp, m := e.clientPost("/token", "spa", url.Values{"grant_type": {"authorization_code"}, "code": {code},
			"redirect_uri": {DefaultRedirectURI}, "code_verifier": {verifier}})
		idt, _ := m["id_token"].(string)
		at, _ := m["access_token"].(string)
		if resp.StatusCode != http.StatusOK || idt == "" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		e.checkIDToken(idt, "spa", "", at)
	})
	t.Run("no openid scope, no id_token", func(t *testing.T) {
		e := newEnv(t)
		resp, m := e.redeem(e.codeFlow("web", url.Values{"scope": {"api.read"}, "nonce": {"n"}}).Get("code"))
		if resp.StatusCode != http.StatusOK || m["access_token"] == nil || m["id_token"] != nil {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run("refresh response has no id_token", func(t *testing.T) {
		e := newEnv(t)
		_, rt := e.webGrant()
		resp, m := e.refresh("web", rt)
		if resp.StatusCode != http.StatusOK || m["access_token"] == nil || m["id_token"] != nil {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run("auth_time is the sign-in time", func(t *testing.T) {
		e := newEnv(t)
		signIn := e.clock.Now().Unix()
		e.codeIDToken("a")
		e.clock.Advance(5 * time.Minute)
		// Same session and consent: no new sign-in.
		_, idt := e.codeIDToken("b")
		c := idClaims(t, idt)
		if c["auth_time"] != float64(signIn) || c["iat"] != float64(e.clock.Now().Unix()) {
			t.Fatalf("auth_time %v iat %v, signed in at %d", c["auth_time"], c["iat"], signIn)
		}
	})
}

// The OpenID Connect implicit flow, with the grant offered (implicit_offered).
func TestIDTokenImplicit(t *testing.T) {
	for _, alg := range []string{"RS256", "ES256"} {
		t.Run(alg, func(t *testing.T) {
			e := newEnvOpts(t, Options{SigningAlg: alg, Faults: []fault.Name{fault.ImplicitOffered}})
			f := e.implicitIDToken(url.Values{"nonce": {"n-imp"}, "scope": {"openid api.read"}, "state": {"st-1"}})
			if f.Get("token_type") != "Bearer" || f.Get("expires_in") != "600" || f.Get("state") != "st-1" ||
				f.Get("iss") != e.url || f.Get("scope") != "api.read openid" || f.Has("refresh_token") {
				t.Fatalf("fragment %v", f)
			}
			e.checkIDToken(f.Get("id_token"), "legacy-spa", "n-imp", f.Get("access_token"))
			if resp, me := e.me(f.Get("access_token")); resp.StatusCode != http.StatusOK || me["client_id"] != "legacy-spa" {
				t.Fatalf("/api/me %d %v", resp.StatusCode, me)
			}
		})
	}
	t.Run("token id_token, default scope", func(t *testing.T) {
		e := newEnv(t, fault.ImplicitOffered)
		f := e.implicitIDToken(url.Values{"response_type": {"token id_token"}, "scope": nil, "nonce": {"n"}})
		e.checkIDToken(f.Get("id_token"), "legacy-spa", "n", f.Get("access_token"))
	})
	t.Run("response_type token stays OAuth", func(t *testing.T) {
		e := newEnv(t, fault.ImplicitOffered)
		e.implicitIDToken(url.Values{"nonce": {"n"}}) // signs in and consents
		_, f := callbackParams(e.browse(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"legacy-spa"},
			"scope": {"openid"}, "nonce": {"n"}, "state": {"s"}})))
		if f.Get("access_token") == "" || f.Has("id_token") {
			t.Fatalf("%v", f)
		}
	})
	errCases := []struct {
		name   string
		params url.Values
		want   string
	}{
		{"missing nonce", url.Values{"response_type": {"id_token token"}, "client_id": {"legacy-spa"}, "scope": {"openid"}}, "invalid_request"},
		{"empty nonce", url.Values{"response_type": {"id_token token"}, "client_id": {"legacy-spa"}, "scope": {"openid"}, "nonce": {""}}, "invalid_request"},
		{"no openid scope", url.Values{"response_type": {"id_token token"}, "client_id": {"legacy-spa"}, "scope": {"api.read"}, "nonce": {"n"}}, "invalid_request"},
		{"client not registered for it", url.Values{"response_type": {"id_token token"}, "client_id": {"web2"}, "scope": {"openid"}, "nonce": {"n"}}, "unsupported_response_type"},
		{"id_token alone, client not registered for it", url.Values{"response_type": {"id_token"}, "client_id": {"legacy-spa"}, "scope": {"openid"}, "nonce": {"n"}}, "unsupported_response_type"},
	}
	for _, c := range errCases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, fault.ImplicitOffered)
			c.params.Set("state", "st")
			c.params.Set("redirect_uri", DefaultRedirectURI)
			resp, _ := e.get(e.authorizeURL(c.params))
			loc, _ := url.Parse(resp.Header.Get("Location"))
			q, f := callbackParams(loc)
			wantFragment := true // the implicit types' errors, id_token alone's too (OIDC Core §3.2.2.5)
			got := f
			if resp.StatusCode != http.StatusFound || got.Get("error") != c.want || got.Get("state") != "st" ||
				got.Get("iss") != e.url || got.Has("access_token") || got.Has("id_token") {
				t.Fatalf("%d %s", resp.StatusCode, loc)
			}
			if wantFragment && len(q) != 0 {
				t.Fatalf("query %v", q)
			}
		})
	}
}

func TestOIDCMetadata(t *testing.T) {
	for _, alg := range []string{"RS256", "ES256"} {
		t.Run(alg, func(t *testing.T) {
			e := newEnvOpts(t, Options{SigningAlg: alg, Faults: []fault.Name{fault.ImplicitOffered}})
			for _, path := range []string{"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"} {
				_, body := e.get(path)
				var md map[string]any
				if err := json.Unmarshal([]byte(body), &md); err != nil {
					t.Fatal(err)
				}
				if !listHas(md["response_types_supported"], "id_token token") || !listHas(md["scopes_supported"], "openid") {
					t.Errorf("%s: response_types_supported %v scopes_supported %v", path, md["response_types_supported"], md["scopes_supported"])
				}
				if a, _ := md["id_token_signing_alg_values_supported"].([]any); len(a) != 1 || a[0] != alg {
					t.Errorf("%s: id_token_signing_alg_values_supported %v", path, md["id_token_signing_alg_values_supported"])
				}
				if st, _ := md["subject_types_supported"].([]any); len(st) != 1 || st[0] != "public" {
					t.Errorf("%s: subject_types_supported %v", path, md["subject_types_supported"])
				}
			}
		})
	}
	t.Run("openid advertised for clients without it", func(t *testing.T) {
		e := newEnvOpts(t, Options{Clients: []Client{{ID: "svc", Secret: "s", GrantTypes: []string{"client_credentials"}, Scopes: []string{"b", "a"}}}})
		if sc, _ := e.metadata()["scopes_supported"].([]any); len(sc) != 3 || sc[0] != "a" || sc[1] != "b" || sc[2] != "openid" {
			t.Fatalf("%v", sc)
		}
	})
	t.Run(string(fault.MetadataOmitsTokenResponseType), func(t *testing.T) {
		e := newEnv(t, fault.MetadataOmitsTokenResponseType)
		if rt, _ := e.metadata()["response_types_supported"].([]any); len(rt) != 3 || rt[0] != "code" || rt[1] != "code id_token" || rt[2] != "id_token" {
			t.Fatalf("%v", rt)
		}
		e.implicitIDToken(url.Values{"nonce": {"n"}})
	})
}

// Each ID Token fault breaks its one claim and leaves the rest valid.
func TestIDTokenFaults(t *testing.T) {
	t.Run(string(fault.IDTokenWrongAud), func(t *testing.T) {
		e := newEnv(t, fault.IDTokenWrongAud, fault.ImplicitOffered)
		_, idt := e.codeIDToken("n")
		f := e.implicitIDToken(url.Values{"nonce": {"n"}})
		if a, b := idClaims(t, idt)["aud"], idClaims(t, f.Get("id_token"))["aud"]; a != "web-other" || b != "legacy-spa-other" {
			t.Fatalf("aud %v %v", a, b)
		}
		if !e.verifiesWithJWKS(idt) {
			t.Fatal("does not verify")
		}
	})
	t.Run(string(fault.IDTokenWrongIss), func(t *testing.T) {
		e := newEnv(t, fault.IDTokenWrongIss)
		at, idt := e.codeIDToken("n")
		if c := idClaims(t, idt); c["iss"] != e.url+"/other" || c["aud"] != "web" {
			t.Fatalf("%v", c)
		}
		// Access tokens and the authorization response keep the issuer.
		if _, c, _ := decodeJWT(at); c["iss"] != e.url || e.codeFlow("web", nil).Get("iss") != e.url {
			t.Fatalf("access token iss %v", c["iss"])
		}
	})
	t.Run(string(fault.IDTokenNonceDropped), func(t *testing.T) {
		e := newEnv(t, fault.IDTokenNonceDropped, fault.ImplicitOffered)
		at, idt := e.codeIDToken("n")
		if c := idClaims(t, idt); c["nonce"] != nil || c["at_hash"] != leftHalfSHA256(at) {
			t.Fatalf("%v", c)
		}
		// The implicit request still needs a nonce, which is then dropped.
		if got := e.authzError(url.Values{"response_type": {"id_token token"}, "client_id": {"legacy-spa"}, "scope": {"openid"}}); got.Get("error") != "invalid_request" {
			t.Fatalf("%v", got)
		}
		if c := idClaims(t, e.implicitIDToken(url.Values{"nonce": {"n"}}).Get("id_token")); c["nonce"] != nil {
			t.Fatalf("%v", c)
		}
	})
	t.Run(string(fault.IDTokenExpired), func(t *testing.T) {
		e := newEnv(t, fault.IDTokenExpired)
		_, idt := e.codeIDToken("n")
		c := idClaims(t, idt)
		now := float64(e.clock.Now().Unix())
		if c["iat"] != now-3600 || c["exp"] != now-1800 || c["nonce"] != "n" || !e.verifiesWithJWKS(idt) {
			t.Fatalf("now %v: %v", now, c)
		}
		var claims jwt.Claims
		parsed, _ := jwt.ParseSigned(idt, []jose.SignatureAlgorithm{jose.RS256})
		if parsed.UnsafeClaimsWithoutVerification(&claims) != nil ||
			claims.ValidateWithLeeway(jwt.Expected{Time: e.clock.Now()}, time.Minute) == nil {
			t.Fatal("a relying party accepts it")
		}
	})
	t.Run(string(fault.IDTokenUnpublishedKey), func(t *testing.T) {
		for _, alg := range []string{"RS256", "ES256"} {
			e := newEnvOpts(t, Options{SigningAlg: alg, Faults: []fault.Name{fault.IDTokenUnpublishedKey}})
			at, idt := e.codeIDToken("n")
			h, c, _ := decodeJWT(idt)
			_, set := e.jwks()
			if h.KeyID == "" || len(set.Key(h.KeyID)) != 0 || h.Algorithm != alg || c["iss"] != e.url || c["aud"] != "web" {
				t.Fatalf("%s: kid %q alg %s claims %v", alg, h.KeyID, h.Algorithm, c)
			}
			if e.verifiesWithJWKS(idt) || !e.verifiesWithJWKS(at) {
				t.Fatalf("%s: JWKS verification", alg)
			}
		}
	})
	t.Run(string(fault.IDTokenNoAtHash), func(t *testing.T) {
		e := newEnv(t, fault.IDTokenNoAtHash)
		f := e.implicitIDToken(url.Values{"nonce": {"n"}})
		if c := idClaims(t, f.Get("id_token")); c["at_hash"] != nil || c["nonce"] != "n" {
			t.Fatalf("%v", c)
		}
		// Only the implicit ID Token, where at_hash is REQUIRED, loses it.
		at, idt := e.codeIDToken("n")
		if c := idClaims(t, idt); c["at_hash"] != leftHalfSHA256(at) {
			t.Fatalf("code flow: %v", c)
		}
	})
	t.Run(string(fault.ImplicitNonceOptional), func(t *testing.T) {
		e := newEnv(t, fault.ImplicitNonceOptional)
		f := e.implicitIDToken(nil)
		c := e.checkIDToken(f.Get("id_token"), "legacy-spa", "", f.Get("access_token"))
		if _, has := c["nonce"]; has {
			t.Fatalf("%v", c)
		}
		// The openid scope is still required.
		if got := e.authzError(url.Values{"response_type": {"id_token token"}, "client_id": {"legacy-spa"}, "scope": {"api.read"}}); got.Get("error") != "invalid_request" {
			t.Fatalf("%v", got)
		}
		f = e.implicitIDToken(url.Values{"nonce": {"kept"}})
		if idClaims(t, f.Get("id_token"))["nonce"] != "kept" {
			t.Fatal("nonce lost")
		}
	})
	t.Run("implicit_error_in_query applies to id_token token", func(t *testing.T) {
		e := newEnv(t, fault.ImplicitErrorInQuery, fault.ImplicitOffered)
		resp, _ := e.get(e.authorizeURL(url.Values{"response_type": {"id_token token"}, "client_id": {"legacy-spa"}, "scope": {"openid"}, "state": {"s"}}))
		loc, _ := url.Parse(resp.Header.Get("Location"))
		q, f := callbackParams(loc)
		if resp.StatusCode != http.StatusFound || q.Get("error") != "invalid_request" || len(f) != 0 {
			t.Fatalf("%d %s", resp.StatusCode, loc)
		}
	})
	t.Run("token_in_query applies to id_token token", func(t *testing.T) {
		e := newEnv(t, fault.TokenInQuery)
		q, f := callbackParams(e.browse(e.authorizeURL(url.Values{"response_type": {"id_token token"}, "client_id": {"legacy-spa"},
			"scope": {"openid"}, "nonce": {"n"}, "state": {"s"}})))
		if q.Get("id_token") == "" || q.Get("access_token") == "" || len(f) != 0 {
			t.Fatalf("query %v fragment %v", q, f)
		}
	})
}
