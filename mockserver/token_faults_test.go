package mockserver

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// tamper changes the payload of a compact JWS, keeping its header and
// signature.
func tamper(t *testing.T, tok string, edit func(map[string]any)) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	edit(c)
	raw, _ = json.Marshal(c)
	parts[1] = base64.RawURLEncoding.EncodeToString(raw)
	return strings.Join(parts, ".")
}

func isJSONError(resp *http.Response, m map[string]any) bool {
	return strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") &&
		resp.Header.Get("Cache-Control") == "no-store" && m["error"] != nil
}

func TestTokenEndpointSecureDefaults(t *testing.T) {
	e := newEnv(t)
	t.Run("unknown parameters ignored", func(t *testing.T) {
		if resp, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}, "foo": {"bar"}}); resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		code := e.codeFlow("web", nil).Get("code")
		if resp, m := e.redeem(code, "x-custom", "1"); resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run("credentials in the request URI refused", func(t *testing.T) {
		q := url.Values{"client_id": {"svc"}, "client_secret": {e.sec.Service}}
		resp, m := e.post("/token?"+q.Encode(), "", "", url.Values{"grant_type": {"client_credentials"}})
		if resp.StatusCode != 401 || m["error"] != "invalid_client" || !isJSONError(resp, m) {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		// Also next to valid HTTP Basic credentials.
		resp, m = e.post("/token?client_secret="+url.QueryEscape(e.sec.Service), "svc", e.sec.Service, url.Values{"grant_type": {"client_credentials"}})
		if resp.StatusCode != 401 || m["error"] != "invalid_client" {
			t.Fatalf("with Basic: %d %v", resp.StatusCode, m)
		}
	})
	t.Run("public client must send client_id", func(t *testing.T) {
		code, v := e.spaCode()
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {DefaultRedirectURI}, "code_verifier": {v}}
		resp, m := e.post("/token", "", "", form)
		if resp.StatusCode != 401 || m["error"] != "invalid_client" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		// The refused request did not burn the code.
		form.Set("client_id", "spa")
		if resp, m := e.post("/token", "", "", form); resp.StatusCode != 200 {
			t.Fatalf("with client_id: %d %v", resp.StatusCode, m)
		}
	})
	t.Run("errors are JSON with no-store", func(t *testing.T) {
		for name, req := range map[string]func() (*http.Response, map[string]any){
			"unsupported grant": func() (*http.Response, map[string]any) {
				return e.token("svc", url.Values{"grant_type": {"password"}})
			},
			"missing code": func() (*http.Response, map[string]any) {
				return e.token("web", url.Values{"grant_type": {"authorization_code"}})
			},
			"bad code": func() (*http.Response, map[string]any) { return e.redeem("nope") },
			"invalid client": func() (*http.Response, map[string]any) {
				return e.post("/token", "svc", "wrong", url.Values{"grant_type": {"client_credentials"}})
			},
			"repeated": func() (*http.Response, map[string]any) {
				return e.token("svc", url.Values{"grant_type": {"client_credentials", "x"}})
			},
			"GET": func() (*http.Response, map[string]any) { return e.do(http.MethodGet, "/token", "", "", nil) },
		} {
			if resp, m := req(); resp.StatusCode < 400 || !isJSONError(resp, m) {
				t.Errorf("%s: %d %v %v", name, resp.StatusCode, m, resp.Header)
			}
		}
	})
	t.Run("access tokens are VSCHAR and short-lived", func(t *testing.T) {
		_, cc := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
		tok, err := e.exchange(e.oauthConfig("web"), e.codeFlow("web", nil).Get("code"))
		if err != nil {
			t.Fatal(err)
		}
		_, rt := e.token("web", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
		imp := newEnv(t, fault.ImplicitOffered).implicitToken()
		for _, at := range []string{cc["access_token"].(string), tok.AccessToken, rt["access_token"].(string), imp.Get("access_token")} {
			if !isVSCHAR(at) {
				t.Errorf("token %q", at)
			}
		}
		if cc["expires_in"] != float64(600) || rt["expires_in"] != float64(600) || imp.Get("expires_in") != "600" {
			t.Errorf("expires_in %v %v %v", cc["expires_in"], rt["expires_in"], imp.Get("expires_in"))
		}
	})
	t.Run("client_credentials refusals", func(t *testing.T) {
		resp, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}, "scope": {"oauthconform.not-registered"}})
		if resp.StatusCode != 400 || m["error"] != "invalid_scope" {
			t.Fatalf("scope: %d %v", resp.StatusCode, m)
		}
		resp, m = e.post("/token", "", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"legacy-spa"}})
		if resp.StatusCode != 400 || m["error"] != "unauthorized_client" {
			t.Fatalf("public: %d %v", resp.StatusCode, m)
		}
	})
}

func TestJWKSPublicOnly(t *testing.T) {
	for _, alg := range []string{"RS256", "ES256"} {
		e := newEnvOpts(t, Options{SigningAlg: alg})
		keys, set := e.jwks()
		if len(keys) != 1 || len(set.Keys) != 1 || !set.Keys[0].IsPublic() {
			t.Fatalf("%s: %v", alg, keys)
		}
		for _, p := range []string{"d", "p", "q", "dp", "dq", "qi", "k"} {
			if _, ok := keys[0][p]; ok || keys[0]["kty"] == "oct" {
				t.Errorf("%s: JWKS has %q: %v", alg, p, keys[0])
			}
		}
		// A user's token carries every RFC 9068 claim.
		tok, err := e.exchange(e.oauthConfig("web"), e.codeFlow("web", nil).Get("code"))
		if err != nil {
			t.Fatal(err)
		}
		h, c, ok := decodeJWT(tok.AccessToken)
		if !ok || h.Algorithm != alg || h.ExtraHeaders[jose.HeaderType] != "at+jwt" || h.KeyID != set.Keys[0].KeyID || !e.verifiesWithJWKS(tok.AccessToken) {
			t.Fatalf("%s: header %+v", alg, h)
		}
		for _, k := range []string{"iss", "exp", "aud", "sub", "client_id", "iat", "jti", "scope"} {
			if _, ok := c[k]; !ok {
				t.Errorf("%s: claim %s missing: %v", alg, k, c)
			}
		}
		if c["iss"] != e.url || c["sub"] != "user-alice" || c["client_id"] != "web" {
			t.Errorf("%s: claims %v", alg, c)
		}
	}
}

func TestResourceRejectsBadTokens(t *testing.T) {
	e := newEnv(t)
	other := newEnv(t)
	h, c := e.ownClaims()
	good := e.ccAccess()
	revoked := e.ccAccess()
	if resp, _ := e.post("/revoke", "svc", e.sec.Service, url.Values{"token": {revoked}}); resp.StatusCode != 200 {
		t.Fatal("revoke")
	}
	none, err := unsignedJWT("at+jwt", c)
	if err != nil {
		t.Fatal(err)
	}
	hmacForged := func() string {
		// Signed with HS256 and the server's public key bytes as secret.
		_, set := e.jwks()
		pub, _ := set.Keys[0].MarshalJSON()
		signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: pub}, (&jose.SignerOptions{}).WithType("at+jwt").WithHeader("kid", h.KeyID))
		tok, _ := jwt.Signed(signer).Claims(c).Serialize()
		return tok
	}()
	cases := map[string]string{
		"garbage":          "abc.def.ghi",
		"tampered payload": tamper(t, good, func(m map[string]any) { m["scope"] = "api.read api.write admin" }),
		"alg none":         none,
		"alg none, own":    strings.Join(strings.Split(none, ".")[:2], ".") + "." + strings.Split(good, ".")[2],
		"foreign key":      forgeJWT(t, c, h.KeyID, false),
		"embedded jwk":     forgeJWT(t, c, "", true),
		"HS256 confusion":  hmacForged,
		"other server":     other.ccAccess(),
		"revoked":          revoked,
		"wrong audience":   forgeJWT(t, map[string]any{"iss": e.url, "aud": "x", "exp": time.Now().Add(time.Hour).Unix(), "jti": c["jti"]}, h.KeyID, false),
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			resp, m := e.me(tok)
			if !bearerError(resp) || m["error"] != "invalid_token" {
				t.Fatalf("%d %q %v", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), m)
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		if resp, m := e.me(good); resp.StatusCode != 200 || m["sub"] != "svc" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run("missing", func(t *testing.T) {
		resp, _ := e.me("")
		if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != `Bearer realm="mockserver"` {
			t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	})
	t.Run("query", func(t *testing.T) {
		resp, m := e.do(http.MethodGet, "/api/me?access_token="+url.QueryEscape(good), "", "", nil)
		if resp.StatusCode != 400 || m["error"] != "invalid_request" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run("expired", func(t *testing.T) {
		e.clock.Advance(11 * time.Minute)
		resp, _ := e.me(good)
		if !bearerError(resp) || !strings.Contains(resp.Header.Get("WWW-Authenticate"), "expired") {
			t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	})
}

// Faults that change how access tokens are issued break only that: the
// tokens still work at the resource, introspection and revocation.
func TestFaultyTokensStillUsable(t *testing.T) {
	for _, f := range []fault.Name{fault.TokenNonVschar, fault.WeakAccessTokens, fault.LongLivedAccessTokens, fault.AtTypJWT,
		fault.AtMissingJTI, fault.AtWrongIss, fault.AtSignedWithUnpublishedKey, fault.AtAlgNone, fault.JWKSPrivateKey, fault.JWKSSymmetricKey} {
		t.Run(string(f), func(t *testing.T) {
			e := newEnv(t, f, fault.ImplicitOffered)
			code, err := e.exchange(e.oauthConfig("web"), e.codeFlow("web", nil).Get("code"))
			if err != nil {
				t.Fatal(err)
			}
			_, refreshed := e.token("web", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {code.RefreshToken}})
			ccCfg, err := e.ccConfig().Token(e.ctx())
			if err != nil {
				t.Fatal(err)
			}
			tokens := map[string]string{
				"code": code.AccessToken, "refresh": refreshed["access_token"].(string),
				"cc": ccCfg.AccessToken, "implicit": e.implicitToken().Get("access_token"),
			}
			for name, tok := range tokens {
				if resp, m := e.me(tok); resp.StatusCode != 200 || m["sub"] == nil {
					t.Errorf("%s: /api/me %d %v", name, resp.StatusCode, m)
				}
				if _, m := e.post("/introspect", "svc", e.sec.Service, url.Values{"token": {tok}}); m["active"] != true {
					t.Errorf("%s: introspection %v", name, m)
				}
				// Another client's revocation is refused (RFC 7009 §2.1).
				if name != "cc" {
					if resp, m := e.post("/revoke", "svc", e.sec.Service, url.Values{"token": {tok}}); resp.StatusCode != 400 || m["error"] != "unauthorized_client" {
						t.Errorf("%s: revoke by svc %d %v", name, resp.StatusCode, m)
					}
				}
			}
			// Revocation by the owner works. (With at_missing_jti, the code
			// and refresh access tokens can be the same string.)
			owners := map[string]string{"code": "web", "refresh": "web", "cc": "svc", "implicit": "legacy-spa"}
			for name, tok := range tokens {
				if resp, _ := e.clientPost("/revoke", owners[name], url.Values{"token": {tok}}); resp.StatusCode != 200 {
					t.Errorf("%s: revoke %d", name, resp.StatusCode)
				}
			}
			for name, tok := range tokens {
				if resp, _ := e.me(tok); resp.StatusCode != 401 {
					t.Errorf("%s: revoked token works: %d", name, resp.StatusCode)
				}
			}
		})
	}
}

func TestAccessTokenFaults(t *testing.T) {
	t.Run("token_non_vschar reaches the client", func(t *testing.T) {
		e := newEnv(t, fault.TokenNonVschar, fault.ImplicitOffered)
		tok, err := e.ccConfig().Token(e.ctx())
		if err != nil || !strings.HasSuffix(tok.AccessToken, "é") || !e.verifiesWithJWKS(strings.TrimSuffix(tok.AccessToken, "é")) {
			t.Fatalf("%v %q", err, tok.AccessToken)
		}
		if f := e.implicitToken(); !strings.HasSuffix(f.Get("access_token"), "é") {
			t.Fatalf("implicit %q", f.Get("access_token"))
		}
	})
	t.Run("weak_access_tokens are predictable", func(t *testing.T) {
		e := newEnv(t, fault.WeakAccessTokens)
		re := regexp.MustCompile(`^[0-9a-f]{8}$`)
		for n := uint32(1); n <= 3; n++ {
			tok := e.ccAccess()
			if want := fmt.Sprintf("%08x", n*2246822519); tok != want || !re.MatchString(tok) {
				t.Fatalf("token %d = %q, want %q", n, tok, want)
			}
		}
		tok := e.ccAccess()
		e.clock.Advance(11 * time.Minute)
		if resp, _ := e.me(tok); !bearerError(resp) {
			t.Fatalf("expired: %d", resp.StatusCode)
		}
		if resp, _ := e.me("00000000"); !bearerError(resp) {
			t.Fatalf("unissued: %d", resp.StatusCode)
		}
	})
	t.Run(string(fault.LongLivedAccessTokens), func(t *testing.T) {
		e := newEnv(t, fault.LongLivedAccessTokens, fault.ImplicitOffered)
		_, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
		_, c, _ := decodeJWT(m["access_token"].(string))
		if m["expires_in"] != float64(86400) || c["exp"].(float64)-c["iat"].(float64) != 86400 || e.implicitToken().Get("expires_in") != "86400" {
			t.Fatalf("%v %v", m, c)
		}
		e.clock.Advance(23 * time.Hour)
		if resp, _ := e.me(m["access_token"].(string)); resp.StatusCode != 200 {
			t.Fatalf("after 23h: %d", resp.StatusCode)
		}
		e.clock.Advance(time.Hour)
		if resp, _ := e.me(m["access_token"].(string)); resp.StatusCode != 401 {
			t.Fatalf("after 24h: %d", resp.StatusCode)
		}
	})
	t.Run("at_alg_none: forged unsigned tokens still refused", func(t *testing.T) {
		e := newEnv(t, fault.AtAlgNone)
		_, c := e.ownClaims()
		c["jti"], c["sub"] = "forged-jti", "mallory"
		forged, _ := unsignedJWT("at+jwt", c)
		if resp, _ := e.me(forged); !bearerError(resp) {
			t.Fatalf("%d", resp.StatusCode)
		}
	})
	t.Run("at_signed_with_unpublished_key: kid not in JWKS, other keys refused", func(t *testing.T) {
		e := newEnv(t, fault.AtSignedWithUnpublishedKey)
		h, c := e.ownClaims()
		_, set := e.jwks()
		if len(set.Keys) != 1 || h.KeyID == "" || len(set.Key(h.KeyID)) != 0 {
			t.Fatalf("kid %q, jwks %v", h.KeyID, set.Keys)
		}
		if resp, _ := e.me(forgeJWT(t, c, h.KeyID, false)); !bearerError(resp) {
			t.Fatalf("%d", resp.StatusCode)
		}
	})
	t.Run(string(fault.JWKSPrivateKey), func(t *testing.T) {
		e := newEnv(t, fault.JWKSPrivateKey)
		keys, set := e.jwks()
		if len(keys) != 1 || keys[0]["d"] == nil || set.Keys[0].IsPublic() {
			t.Fatalf("%v", keys)
		}
	})
	t.Run("jwks_symmetric_key: the resource still refuses HS256", func(t *testing.T) {
		e := newEnv(t, fault.JWKSSymmetricKey)
		keys, set := e.jwks()
		var oct *jose.JSONWebKey
		for i := range set.Keys {
			if keys[i]["kty"] == "oct" {
				oct = &set.Keys[i]
			}
		}
		if len(keys) != 2 || oct == nil {
			t.Fatalf("%v", keys)
		}
		_, c := e.ownClaims()
		signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: *oct}, (&jose.SignerOptions{}).WithType("at+jwt"))
		tok, _ := jwt.Signed(signer).Claims(c).Serialize()
		if resp, _ := e.me(tok); !bearerError(resp) {
			t.Fatalf("%d", resp.StatusCode)
		}
	})
}

func TestTokenRequestFaults(t *testing.T) {
	t.Run(string(fault.TokenErrorStatus200), func(t *testing.T) {
		e := newEnv(t, fault.TokenErrorStatus200)
		for _, req := range []func() (*http.Response, map[string]any){
			func() (*http.Response, map[string]any) { return e.redeem("nope") },
			func() (*http.Response, map[string]any) {
				return e.post("/token", "svc", "wrong", url.Values{"grant_type": {"client_credentials"}})
			},
		} {
			if resp, m := req(); resp.StatusCode != 200 || !isJSONError(resp, m) || m["access_token"] != nil {
				t.Fatalf("%d %v", resp.StatusCode, m)
			}
		}
		if resp, _ := e.do(http.MethodGet, "/token", "", "", nil); resp.StatusCode != 405 {
			t.Fatalf("GET %d", resp.StatusCode)
		}
	})
	t.Run(string(fault.UnsupportedGrantAsInvalidRequest), func(t *testing.T) {
		e := newEnv(t, fault.UnsupportedGrantAsInvalidRequest)
		if resp, m := e.token("svc", url.Values{"grant_type": {"password"}}); resp.StatusCode != 400 || m["error"] != "invalid_request" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run(string(fault.MissingParamWrongError), func(t *testing.T) {
		e := newEnv(t, fault.MissingParamWrongError)
		for _, f := range []url.Values{{"grant_type": {"authorization_code"}}, {"grant_type": {"refresh_token"}}, {}} {
			if resp, m := e.token("web", f); resp.StatusCode != 400 || m["error"] != "invalid_grant" {
				t.Fatalf("%v: %d %v", f, resp.StatusCode, m)
			}
		}
	})
	t.Run(string(fault.TokenGetAllowed), func(t *testing.T) {
		e := newEnv(t, fault.TokenGetAllowed)
		if resp, m := e.do(http.MethodGet, "/token?grant_type=client_credentials", "svc", e.sec.Service, nil); resp.StatusCode != 200 || m["access_token"] == nil {
			t.Fatalf("GET: %d %v", resp.StatusCode, m)
		}
		q := url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {e.sec.Service}}
		if resp, m := e.do(http.MethodGet, "/token?"+q.Encode(), "", "", nil); resp.StatusCode != 401 || m["error"] != "invalid_client" {
			t.Fatalf("GET with secret in URI: %d %v", resp.StatusCode, m)
		}
		if resp, m := e.do(http.MethodGet, "/token?grant_type=client_credentials&grant_type=x", "svc", e.sec.Service, nil); resp.StatusCode != 400 {
			t.Fatalf("GET repeated: %d %v", resp.StatusCode, m)
		}
	})
	t.Run("token_unknown_param_rejected spares known parameters", func(t *testing.T) {
		e := newEnv(t, fault.TokenUnknownParamRejected)
		code, v := e.spaCode()
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {DefaultRedirectURI}, "code_verifier": {v}, "client_id": {"spa"}, "resource": {e.url + "/api"}}
		if resp, m := e.post("/token", "", "", form); resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run("token_duplicate_params_accepted uses the first value", func(t *testing.T) {
		e := newEnv(t, fault.TokenDuplicateParamsAccepted)
		resp, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}, "scope": {"api.read", "api.write"}})
		if resp.StatusCode != 200 || m["scope"] != "api.read" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		// Revocation and introspection stay strict.
		if resp, _ := e.post("/introspect", "svc", e.sec.Service, url.Values{"token": {"a", "b"}}); resp.StatusCode != 400 {
			t.Fatalf("introspect: %d", resp.StatusCode)
		}
	})
}

func TestClientAuthFaults(t *testing.T) {
	cc := url.Values{"grant_type": {"client_credentials"}}
	withPost := func(id, secret string) url.Values {
		f := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}}
		if secret != "" {
			f.Set("client_secret", secret)
		}
		return f
	}
	t.Run(string(fault.PublicClientIDOptional), func(t *testing.T) {
		e := newEnv(t, fault.PublicClientIDOptional)
		code, v := e.spaCode()
		resp, m := e.post("/token", "", "", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {DefaultRedirectURI}, "code_verifier": {v}})
		if resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		if r, me := e.me(m["access_token"].(string)); r.StatusCode != 200 || me["client_id"] != "spa" {
			t.Fatalf("/api/me %d %v", r.StatusCode, me)
		}
		// A confidential client's code still needs client authentication.
		webCode := e.codeFlow("web", nil).Get("code")
		if resp, m := e.post("/token", "", "", url.Values{"grant_type": {"authorization_code"}, "code": {webCode}, "redirect_uri": {DefaultRedirectURI}}); resp.StatusCode != 401 {
			t.Fatalf("web: %d %v", resp.StatusCode, m)
		}
	})
	for _, f := range []fault.Name{fault.BasicAuthRejected, fault.PostAuthRejected} {
		t.Run(string(f), func(t *testing.T) {
			e := newEnv(t, f)
			basic, _ := e.token("svc", cc)
			post, _ := e.post("/token", "", "", withPost("svc", e.sec.Service))
			if (basic.StatusCode == 200) == (f == fault.BasicAuthRejected) || (post.StatusCode == 200) == (f == fault.PostAuthRejected) {
				t.Fatalf("basic %d post %d", basic.StatusCode, post.StatusCode)
			}
			methods, _ := e.metadata()["token_endpoint_auth_methods_supported"].([]any)
			if len(methods) != 7 || methods[0] != "client_secret_basic" || methods[1] != "client_secret_post" {
				t.Fatalf("metadata %v", methods)
			}
			// Revocation is not affected.
			if resp, _ := e.post("/revoke", "svc", e.sec.Service, url.Values{"token": {"x"}}); resp.StatusCode != 200 {
				t.Fatalf("revoke %d", resp.StatusCode)
			}
		})
	}
	t.Run(string(fault.MissingSecretAccepted), func(t *testing.T) {
		e := newEnv(t, fault.MissingSecretAccepted)
		if resp, m := e.post("/token", "", "", withPost("svc", "")); resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		if resp, _ := e.post("/token", "", "", withPost("svc", "wrong")); resp.StatusCode != 401 {
			t.Fatalf("wrong secret %d", resp.StatusCode)
		}
		if resp, _ := e.post("/introspect", "", "", url.Values{"client_id": {"svc"}, "token": {"x"}}); resp.StatusCode != 401 {
			t.Fatalf("introspect %d", resp.StatusCode)
		}
	})
	t.Run(string(fault.QueryCredentialsAccepted), func(t *testing.T) {
		e := newEnv(t, fault.QueryCredentialsAccepted)
		q := url.Values{"client_id": {"svc"}, "client_secret": {e.sec.Service}}
		if resp, m := e.post("/token?"+q.Encode(), "", "", cc); resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		q.Set("client_secret", "wrong")
		if resp, _ := e.post("/token?"+q.Encode(), "", "", cc); resp.StatusCode != 401 {
			t.Fatalf("wrong secret %d", resp.StatusCode)
		}
	})
	t.Run("multiple_auth_methods_accepted: Basic wins", func(t *testing.T) {
		e := newEnv(t, fault.MultipleAuthMethodsAccepted)
		if resp, m := e.post("/token", "svc", e.sec.Service, withPost("svc", "wrong")); resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		if resp, _ := e.post("/token", "svc", "wrong", withPost("svc", e.sec.Service)); resp.StatusCode != 401 {
			t.Fatalf("wrong Basic %d", resp.StatusCode)
		}
	})
	t.Run(string(fault.CCPublicAllowed), func(t *testing.T) {
		e := newEnv(t, fault.CCPublicAllowed)
		resp, m := e.post("/token", "", "", withPost("spa", ""))
		if resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		if r, me := e.me(m["access_token"].(string)); r.StatusCode != 200 || me["sub"] != "spa" {
			t.Fatalf("/api/me %d %v", r.StatusCode, me)
		}
		if resp, _ := e.token("web", cc); resp.StatusCode != 400 {
			t.Fatalf("web %d", resp.StatusCode)
		}
	})
	t.Run("cc_scope_unchecked echoes the scope", func(t *testing.T) {
		e := newEnv(t, fault.CCScopeUnchecked)
		resp, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}, "scope": {"oauthconform.not-registered api.read"}})
		if resp.StatusCode != 200 || m["scope"] != "api.read oauthconform.not-registered" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
}

func TestImplicitFaults(t *testing.T) {
	t.Run(string(fault.ImplicitAnyClient), func(t *testing.T) {
		e := newEnv(t, fault.ImplicitAnyClient)
		_, f := callbackParams(e.browse(e.authorizeURL(webAuthz("response_type", "token"))))
		if f.Get("access_token") == "" || f.Get("state") != "xyz" {
			t.Fatalf("%v", f)
		}
		if resp, m := e.me(f.Get("access_token")); resp.StatusCode != 200 || m["client_id"] != "web" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run(string(fault.ImplicitErrorInQuery), func(t *testing.T) {
		e := newEnv(t, fault.ImplicitErrorInQuery, fault.ImplicitOffered)
		resp, _ := e.get(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"legacy-spa"}, "scope": {"admin"}, "state": {"s"}}))
		loc, _ := url.Parse(resp.Header.Get("Location"))
		q, f := callbackParams(loc)
		if q.Get("error") != "invalid_scope" || q.Get("state") != "s" || q.Get("iss") != e.url || len(f) != 0 {
			t.Fatalf("%s", loc)
		}
		if f := e.implicitToken(); f.Get("state") != "s" {
			t.Fatalf("success %v", f)
		}
	})
}

func TestResourceFaults(t *testing.T) {
	query := func(e *env, tok string) *http.Response {
		resp, _ := e.do(http.MethodGet, "/api/me?access_token="+url.QueryEscape(tok), "", "", nil)
		return resp
	}
	t.Run("resource_rejects_header takes the query", func(t *testing.T) {
		e := newEnv(t, fault.ResourceRejectsHeader)
		tok := e.ccAccess()
		if resp, _ := e.me(tok); !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), `Bearer realm="mockserver"`) || resp.StatusCode != 401 {
			t.Fatalf("header %d", resp.StatusCode)
		}
		if resp := query(e, tok); resp.StatusCode != 200 {
			t.Fatalf("query %d", resp.StatusCode)
		}
	})
	t.Run(string(fault.ResourceQueryTokenAccepted), func(t *testing.T) {
		e := newEnv(t, fault.ResourceQueryTokenAccepted)
		tok := e.ccAccess()
		if resp := query(e, tok); resp.StatusCode != 200 {
			t.Fatalf("query %d", resp.StatusCode)
		}
		if resp := query(e, "bad"); !bearerError(resp) {
			t.Fatalf("bad query token %d", resp.StatusCode)
		}
		req, _ := http.NewRequest(http.MethodGet, e.url+"/api/me?access_token="+url.QueryEscape(tok), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := e.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Fatalf("two methods %d", resp.StatusCode)
		}
	})
	t.Run(string(fault.ResourceNoWWWAuthenticate), func(t *testing.T) {
		e := newEnv(t, fault.ResourceNoWWWAuthenticate)
		for _, tok := range []string{"", "bad"} {
			if resp, _ := e.me(tok); resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != "" {
				t.Fatalf("%q: %d %q", tok, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
			}
		}
		if resp, _ := e.me(e.ccAccess()); resp.StatusCode != 200 {
			t.Fatal("valid token refused")
		}
	})
	t.Run("resource_signature_unchecked still checks exp, iss, aud and alg", func(t *testing.T) {
		e := newEnv(t, fault.ResourceSignatureUnchecked)
		h, c := e.ownClaims()
		c["jti"], c["sub"] = "made-up", "mallory"
		if resp, m := e.me(forgeJWT(t, c, h.KeyID, false)); resp.StatusCode != 200 || m["sub"] != "mallory" {
			t.Fatalf("forged %d %v", resp.StatusCode, m)
		}
		for name, edit := range map[string]func(map[string]any){
			"expired": func(m map[string]any) { m["exp"] = time.Now().Add(-time.Hour).Unix() },
			"iss":     func(m map[string]any) { m["iss"] = "https://attacker.example" },
			"aud":     func(m map[string]any) { m["aud"] = "https://attacker.example" },
		} {
			cc := map[string]any{}
			for k, v := range c {
				cc[k] = v
			}
			edit(cc)
			if resp, _ := e.me(forgeJWT(t, cc, h.KeyID, false)); !bearerError(resp) {
				t.Errorf("%s: %d", name, resp.StatusCode)
			}
		}
		none, _ := unsignedJWT("at+jwt", c)
		if resp, _ := e.me(none); !bearerError(resp) {
			t.Errorf("alg none: %d", resp.StatusCode)
		}
	})
	t.Run("resource_accepts_alg_none only", func(t *testing.T) {
		e := newEnv(t, fault.ResourceAcceptsAlgNone)
		h, c := e.ownClaims()
		c["jti"], c["sub"] = "made-up", "mallory"
		none, _ := unsignedJWT("at+jwt", c)
		if resp, m := e.me(none); resp.StatusCode != 200 || m["sub"] != "mallory" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		if resp, _ := e.me(forgeJWT(t, c, h.KeyID, false)); !bearerError(resp) {
			t.Errorf("foreign key: %d", resp.StatusCode)
		}
	})
	t.Run("resource_ignores_revocation still checks expiry", func(t *testing.T) {
		e := newEnv(t, fault.ResourceIgnoresRevocation)
		tok := e.ccAccess()
		e.post("/revoke", "svc", e.sec.Service, url.Values{"token": {tok}})
		if resp, _ := e.me(tok); resp.StatusCode != 200 {
			t.Fatalf("revoked %d", resp.StatusCode)
		}
		e.clock.Advance(11 * time.Minute)
		if resp, _ := e.me(tok); !bearerError(resp) {
			t.Fatalf("expired %d", resp.StatusCode)
		}
	})
	t.Run("resource_trusts_embedded_jwk only", func(t *testing.T) {
		e := newEnv(t, fault.ResourceTrustsEmbeddedJWK)
		h, c := e.ownClaims()
		c["jti"], c["sub"] = "made-up", "mallory"
		if resp, m := e.me(forgeJWT(t, c, "", true)); resp.StatusCode != 200 || m["sub"] != "mallory" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		if resp, _ := e.me(forgeJWT(t, c, h.KeyID, false)); !bearerError(resp) {
			t.Errorf("foreign key without jwk: %d", resp.StatusCode)
		}
	})
}
