package mockserver

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

func TestNewValidation(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"missing issuer", Options{}, "Issuer is required"},
		{"trailing slash", Options{Issuer: "http://127.0.0.1:1/"}, "invalid issuer"},
		{"query", Options{Issuer: "http://127.0.0.1:1?x=1"}, "invalid issuer"},
		{"unknown fault", Options{Issuer: "http://127.0.0.1:1", Faults: []fault.Name{"nope"}}, `unknown fault "nope"`},
		{"bad alg", Options{Issuer: "http://127.0.0.1:1", SigningAlg: "HS256"}, "SigningAlg"},
		{"duplicate client", Options{Issuer: "http://127.0.0.1:1", Clients: []Client{{ID: "a"}, {ID: "a"}}}, "duplicate client"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want containing %q", err, c.want)
			}
		})
	}
	s, err := New(Options{Issuer: "http://127.0.0.1:1", Faults: []fault.Name{fault.CodeReuse, fault.StateDropped}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Faults(), ","); got != "code_reuse,state_dropped" {
		t.Fatalf("Faults() = %q", got)
	}
	if s.Issuer() != "http://127.0.0.1:1" {
		t.Fatalf("Issuer() = %q", s.Issuer())
	}
}

func TestRandomSecretsNeedFormEncoding(t *testing.T) {
	s := RandomSecrets()
	for _, v := range []string{s.Web, s.Web2, s.Service, s.AlicePassword} {
		if url.QueryEscape(v) == v || !strings.ContainsAny(v, "+") || !strings.ContainsAny(v, "!") || !strings.ContainsAny(v, "$") {
			t.Fatalf("secret %q is not changed by form encoding", v)
		}
		if len(v) < 24 {
			t.Fatalf("secret %q too short", v)
		}
	}
	if s.Web == s.Web2 || s.Web == RandomSecrets().Web {
		t.Fatal("secrets are not random")
	}
}

func TestAllFaultsSorted(t *testing.T) {
	fs := AllFaults()
	if len(fs) != len(fault.All()) {
		t.Fatalf("got %d faults, package fault names %d", len(fs), len(fault.All()))
	}
	for i, f := range fs {
		if f.Description == "" {
			t.Errorf("%s has no description", f.Name)
		}
		if i > 0 && fs[i-1].Name >= f.Name {
			t.Errorf("not sorted at %s", f.Name)
		}
	}
}

func TestMetadata(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"} {
		t.Run(path, func(t *testing.T) {
			resp, body := e.get(path)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("status %d, content-type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			var md map[string]any
			if err := json.Unmarshal([]byte(body), &md); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{
				"issuer":                 e.url,
				"authorization_endpoint": e.url + "/authorize",
				"token_endpoint":         e.url + "/token",
				"revocation_endpoint":    e.url + "/revoke",
				"introspection_endpoint": e.url + "/introspect",
				"jwks_uri":               e.url + "/jwks",
			}
			for k, v := range want {
				if md[k] != v {
					t.Errorf("%s = %v, want %v", k, md[k], v)
				}
			}
			if md["authorization_response_iss_parameter_supported"] != true {
				t.Error("authorization_response_iss_parameter_supported not true")
			}
			for _, k := range []string{"response_types_supported", "grant_types_supported", "token_endpoint_auth_methods_supported",
				"code_challenge_methods_supported", "scopes_supported", "revocation_endpoint_auth_methods_supported",
				"introspection_endpoint_auth_methods_supported"} {
				if _, ok := md[k].([]any); !ok {
					t.Errorf("%s missing", k)
				}
			}
			if !strings.Contains(body, `"S256"`) || !strings.Contains(body, `"client_secret_basic"`) {
				t.Error("S256 / client_secret_basic not advertised")
			}
			if m, _ := md["code_challenge_methods_supported"].([]any); len(m) != 1 || m[0] != "S256" {
				t.Errorf("code_challenge_methods_supported = %v, want [S256]", md["code_challenge_methods_supported"])
			}
		})
	}
}

func TestJWKSAndAccessTokenFormat(t *testing.T) {
	for _, alg := range []string{"RS256", "ES256"} {
		t.Run(alg, func(t *testing.T) {
			e := newEnvOpts(t, Options{SigningAlg: alg})
			_, body := e.get("/jwks")
			var set jose.JSONWebKeySet
			if err := json.Unmarshal([]byte(body), &set); err != nil {
				t.Fatal(err)
			}
			if len(set.Keys) != 1 || !set.Keys[0].IsPublic() || set.Keys[0].KeyID == "" ||
				set.Keys[0].Use != "sig" || set.Keys[0].Algorithm != alg {
				t.Fatalf("bad JWKS: %s", body)
			}
			tok, err := e.ccConfig().Token(e.ctx())
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := jwt.ParseSigned(tok.AccessToken, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
			if err != nil {
				t.Fatal(err)
			}
			h := parsed.Headers[0]
			if h.KeyID != set.Keys[0].KeyID || h.ExtraHeaders[jose.HeaderType] != "at+jwt" {
				t.Fatalf("header kid=%q typ=%v", h.KeyID, h.ExtraHeaders[jose.HeaderType])
			}
			var c struct {
				jwt.Claims
				ClientID string `json:"client_id"`
				Scope    string `json:"scope"`
			}
			if err := parsed.Claims(set.Keys[0].Key, &c); err != nil {
				t.Fatal(err)
			}
			if err := c.ValidateWithLeeway(jwt.Expected{Issuer: e.url, AnyAudience: jwt.Audience{e.url + "/api"}, Subject: "svc", Time: e.clock.Now()}, 0); err != nil {
				t.Fatal(err)
			}
			if c.ClientID != "svc" || c.Scope != "api.read api.write" || len(c.ID) < 22 || c.IssuedAt == nil {
				t.Fatalf("claims %+v", c)
			}
		})
	}
}

func TestCodeFlow(t *testing.T) {
	cases := []struct {
		name     string
		client   string
		method   string // "", "S256", "plain", "plain-implicit" (challenge without method)
		wantRT   bool
		wantSubj string
		faults   []fault.Name
	}{
		{"web S256", "web", "S256", true, "user-alice", nil},
		{"web without PKCE", "web", "", true, "user-alice", nil},
		{"spa S256 public", "spa", "S256", true, "user-alice", nil},
		// plain is refused unless the pkce_plain_allowed fault is on.
		{"web plain (fault)", "web", "plain", true, "user-alice", []fault.Name{fault.PKCEPlainAllowed}},
		{"web plain default method (fault)", "web", "plain-implicit", true, "user-alice", []fault.Name{fault.PKCEPlainAllowed}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, c.faults...)
			verifier := oauth2.GenerateVerifier()
			extra := url.Values{}
			switch c.method {
			case "S256":
				sum := sha256.Sum256([]byte(verifier))
				extra.Set("code_challenge", base64.RawURLEncoding.EncodeToString(sum[:]))
				extra.Set("code_challenge_method", "S256")
			case "plain":
				extra.Set("code_challenge", verifier)
				extra.Set("code_challenge_method", "plain")
			case "plain-implicit":
				extra.Set("code_challenge", verifier)
			}
			cb := e.codeFlow(c.client, extra)
			if cb.Get("state") != "st-"+c.client || cb.Get("iss") != e.url {
				t.Fatalf("callback %v", cb)
			}
			var opts []oauth2.AuthCodeOption
			if c.method != "" {
				opts = append(opts, oauth2.VerifierOption(verifier))
			}
			tok, err := e.exchange(e.oauthConfig(c.client), cb.Get("code"), opts...)
			if err != nil {
				t.Fatalf("exchange: %v", err)
			}
			if tok.TokenType != "Bearer" || tok.Expiry.IsZero() || (tok.RefreshToken != "") != c.wantRT {
				t.Fatalf("token %+v", tok)
			}
			if tok.Extra("scope") != "api.read openid" {
				t.Fatalf("scope %v", tok.Extra("scope"))
			}
			resp, me := e.me(tok.AccessToken)
			if resp.StatusCode != 200 || me["sub"] != c.wantSubj || me["client_id"] != c.client || me["scope"] != "api.read openid" {
				t.Fatalf("/api/me %d %v", resp.StatusCode, me)
			}
		})
	}
}

func TestCodeExchangeFailures(t *testing.T) {
	cases := []struct {
		name   string
		extra  url.Values // authorization request extras
		client string     // redeeming client
		form   func(form url.Values, verifier string)
		want   string
	}{
		{"wrong verifier S256", nil, "web", func(f url.Values, v string) { f.Set("code_verifier", oauth2.GenerateVerifier()) }, "invalid_grant"},
		{"missing verifier", nil, "web", func(f url.Values, v string) { f.Del("code_verifier") }, "invalid_grant"},
		{"verifier without challenge", url.Values{"code_challenge": nil, "code_challenge_method": nil}, "web", nil, "invalid_grant"},
		// Verifiers that match their challenge but break RFC 7636 §4.1 syntax.
		{"verifier too short", url.Values{"code_challenge": {s256(strings.Repeat("a", 42))}}, "web", func(f url.Values, v string) { f.Set("code_verifier", strings.Repeat("a", 42)) }, "invalid_grant"},
		{"verifier too long", url.Values{"code_challenge": {s256(strings.Repeat("a", 129))}}, "web", func(f url.Values, v string) { f.Set("code_verifier", strings.Repeat("a", 129)) }, "invalid_grant"},
		{"verifier bad character", url.Values{"code_challenge": {s256(strings.Repeat("a", 43) + "/")}}, "web", func(f url.Values, v string) { f.Set("code_verifier", strings.Repeat("a", 43)+"/") }, "invalid_grant"},
		{"verifier empty", nil, "web", func(f url.Values, v string) { f.Set("code_verifier", "") }, "invalid_grant"},
		{"other client", nil, "web2", nil, "invalid_grant"},
		{"missing redirect_uri", nil, "web", func(f url.Values, v string) { f.Del("redirect_uri") }, "invalid_grant"},
		{"missing code", nil, "web", func(f url.Values, v string) { f.Del("code") }, "invalid_request"},
		{"unknown code", nil, "web", func(f url.Values, v string) { f.Set("code", "nope") }, "invalid_grant"},
		{"svc not allowed", nil, "svc", nil, "unauthorized_client"},
		{"unknown grant", nil, "web", func(f url.Values, v string) { f.Set("grant_type", "password") }, "unsupported_grant_type"},
		{"missing grant", nil, "web", func(f url.Values, v string) { f.Del("grant_type") }, "invalid_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			verifier := oauth2.GenerateVerifier()
			sum := sha256.Sum256([]byte(verifier))
			extra := url.Values{"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
			for k, v := range c.extra {
				if v == nil {
					delete(extra, k)
				} else {
					extra[k] = v
				}
			}
			cb := e.codeFlow("web", extra)
			form := url.Values{"grant_type": {"authorization_code"}, "code": {cb.Get("code")},
				"redirect_uri": {DefaultRedirectURI}, "code_verifier": {verifier}}
			if c.form != nil {
				c.form(form, verifier)
			}
			resp, m := e.token(c.client, form)
			if resp.StatusCode != 400 || m["error"] != c.want {
				t.Fatalf("status %d body %v, want 400 %s", resp.StatusCode, m, c.want)
			}
			if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Pragma") != "no-cache" ||
				!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("headers %v", resp.Header)
			}
		})
	}
}

func TestCodeExpires(t *testing.T) {
	e := newEnv(t)
	cb := e.codeFlow("web", nil)
	e.clock.Advance(61 * time.Second)
	_, err := e.exchange(e.oauthConfig("web"), cb.Get("code"))
	if errCode(err) != "invalid_grant" {
		t.Fatalf("err %v", err)
	}
}

func TestCodeLifetimeOption(t *testing.T) {
	t.Run("test clock", func(t *testing.T) {
		e := newEnvOpts(t, Options{CodeLifetime: 2 * time.Second})
		early := e.codeFlow("web", nil).Get("code")
		late := e.codeFlow("web", nil).Get("code")
		e.clock.Advance(2*time.Second - time.Millisecond)
		if _, err := e.exchange(e.oauthConfig("web"), early); err != nil {
			t.Fatalf("just before expiry: %v", err)
		}
		e.clock.Advance(time.Millisecond)
		if _, err := e.exchange(e.oauthConfig("web"), late); errCode(err) != "invalid_grant" {
			t.Fatalf("at expiry: %v", err)
		}
	})
	t.Run("real clock", func(t *testing.T) {
		// As the harness runs it: 2s, redeemed after expiry.
		e := newEnvOpts(t, Options{CodeLifetime: 2 * time.Second, Now: time.Now})
		code := e.codeFlow("web", nil).Get("code")
		time.Sleep(2100 * time.Millisecond)
		if _, err := e.exchange(e.oauthConfig("web"), code); errCode(err) != "invalid_grant" {
			t.Fatalf("after expiry: %v", err)
		}
	})
}

func TestCodeReplayRevokesTokens(t *testing.T) {
	e := newEnv(t)
	cb := e.codeFlow("web", nil)
	cfg := e.oauthConfig("web")
	tok, err := e.exchange(cfg, cb.Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := e.me(tok.AccessToken); resp.StatusCode != 200 {
		t.Fatalf("/api/me %d", resp.StatusCode)
	}
	if _, err := e.exchange(cfg, cb.Get("code")); errCode(err) != "invalid_grant" {
		t.Fatalf("second exchange: %v", err)
	}
	if resp, _ := e.me(tok.AccessToken); resp.StatusCode != 401 {
		t.Fatalf("access token still valid after code replay: %d", resp.StatusCode)
	}
	resp, m := e.token("web", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
	if resp.StatusCode != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("refresh after replay: %d %v", resp.StatusCode, m)
	}
}

func TestCodeSingleUseUnderConcurrency(t *testing.T) {
	e := newEnv(t)
	cb := e.codeFlow("web", nil)
	form := url.Values{"grant_type": {"authorization_code"}, "code": {cb.Get("code")}, "redirect_uri": {DefaultRedirectURI}}
	const n = 12
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := e.token("web", form)
			if resp.StatusCode == 200 {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d successful redemptions, want 1", ok)
	}
}

// The implicit grant, with the grant offered (implicit_offered).
func TestImplicit(t *testing.T) {
	e := newEnv(t, fault.ImplicitOffered)
	loc := e.browse(e.authorizeURL(url.Values{
		"response_type": {"token"}, "client_id": {"legacy-spa"}, "redirect_uri": {DefaultRedirectURI},
		"scope": {"api.read"}, "state": {"s1"},
	}))
	q, f := callbackParams(loc)
	if len(q) != 0 {
		t.Fatalf("query not empty: %v", q)
	}
	if f.Get("access_token") == "" || f.Get("token_type") != "Bearer" || f.Get("expires_in") != "600" ||
		f.Get("scope") != "api.read" || f.Get("state") != "s1" || f.Get("iss") != e.url || f.Has("refresh_token") {
		t.Fatalf("fragment %v", f)
	}
	if resp, me := e.me(f.Get("access_token")); resp.StatusCode != 200 || me["client_id"] != "legacy-spa" {
		t.Fatalf("/api/me %d %v", resp.StatusCode, me)
	}
}

// The secure server does not offer the implicit grant (RFC 9700 §2.1.2):
// the client registered for it is refused with unsupported_response_type in
// the fragment (RFC 6749 §4.2.2.1), also as a signed-in user, and the
// metadata claims neither the response types nor the grant type; with
// implicit_offered it claims both.
func TestImplicitNotOffered(t *testing.T) {
	e := newEnv(t)
	e.codeFlow("web", nil) // alice signs in
	for _, rt := range []string{"token", "id_token token", "token id_token"} {
		q, f := callbackParams(e.browse(e.authorizeURL(url.Values{"response_type": {rt}, "client_id": {"legacy-spa"},
			"scope": {"openid"}, "nonce": {"n"}, "state": {"s"}})))
		if len(q) != 0 || f.Get("error") != "unsupported_response_type" || f.Get("state") != "s" || f.Has("access_token") || f.Has("id_token") {
			t.Errorf("%s: query %v fragment %v", rt, q, f)
		}
	}
	md := e.metadata()
	if listHas(md["response_types_supported"], "token") || listHas(md["response_types_supported"], "id_token token") || listHas(md["grant_types_supported"], "implicit") {
		t.Errorf("metadata %v %v", md["response_types_supported"], md["grant_types_supported"])
	}
	md = newEnv(t, fault.ImplicitOffered).metadata()
	if !listHas(md["response_types_supported"], "token") || !listHas(md["response_types_supported"], "id_token token") || !listHas(md["grant_types_supported"], "implicit") {
		t.Errorf("implicit_offered: metadata %v %v", md["response_types_supported"], md["grant_types_supported"])
	}
}

func TestClientCredentials(t *testing.T) {
	cases := []struct {
		name, client, scope string
		post                bool
		status              int
		err, gotScope       string
	}{
		{"default scopes", "svc", "", false, 200, "", "api.read api.write"},
		{"narrowed", "svc", "api.write", false, 200, "", "api.write"},
		{"client_secret_post", "svc", "api.read", true, 200, "", "api.read"},
		{"unknown scope", "svc", "api.read admin", false, 400, "invalid_scope", ""},
		{"web not allowed", "web", "", false, 400, "unauthorized_client", ""},
		{"public not allowed", "spa", "", true, 400, "unauthorized_client", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			form := url.Values{"grant_type": {"client_credentials"}}
			if c.scope != "" {
				form.Set("scope", c.scope)
			}
			var resp *http.Response
			var m map[string]any
			if c.post {
				form.Set("client_id", c.client)
				if s := e.secretOf(c.client); s != "" {
					form.Set("client_secret", s)
				}
				resp, m = e.post("/token", "", "", form)
			} else {
				resp, m = e.token(c.client, form)
			}
			if resp.StatusCode != c.status || (c.err != "" && m["error"] != c.err) {
				t.Fatalf("status %d body %v", resp.StatusCode, m)
			}
			if c.status == 200 {
				if m["scope"] != c.gotScope || m["refresh_token"] != nil || m["token_type"] != "Bearer" {
					t.Fatalf("body %v", m)
				}
				if r, me := e.me(m["access_token"].(string)); r.StatusCode != 200 || me["sub"] != "svc" {
					t.Fatalf("/api/me %d %v", r.StatusCode, me)
				}
			}
		})
	}
}

func TestTokenEndpointProtocol(t *testing.T) {
	e := newEnv(t)
	t.Run("GET is 405", func(t *testing.T) {
		resp, _ := e.get("/token")
		if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
			t.Fatalf("status %d allow %q", resp.StatusCode, resp.Header.Get("Allow"))
		}
	})
	t.Run("two auth methods", func(t *testing.T) {
		resp, m := e.post("/token", "svc", e.sec.Service, url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {e.sec.Service}})
		if resp.StatusCode != 400 || m["error"] != "invalid_request" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run("no client auth", func(t *testing.T) {
		resp, m := e.post("/token", "", "", url.Values{"grant_type": {"client_credentials"}})
		if resp.StatusCode != 401 || m["error"] != "invalid_client" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run("confidential client without secret", func(t *testing.T) {
		resp, m := e.post("/token", "", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}})
		if resp.StatusCode != 401 || m["error"] != "invalid_client" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run("wrong secret basic", func(t *testing.T) {
		resp, m := e.post("/token", "svc", "wrong", url.Values{"grant_type": {"client_credentials"}})
		if resp.StatusCode != 401 || m["error"] != "invalid_client" || resp.Header.Get("WWW-Authenticate") != `Basic realm="mockserver"` {
			t.Fatalf("%d %v %v", resp.StatusCode, m, resp.Header)
		}
	})
	t.Run("repeated parameter", func(t *testing.T) {
		resp, m := e.post("/token", "svc", e.sec.Service, url.Values{"grant_type": {"client_credentials"}, "scope": {"api.read", "api.write"}})
		if resp.StatusCode != 400 || m["error"] != "invalid_request" {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
	})
}

func TestRefreshRotation(t *testing.T) {
	e := newEnv(t)
	cfg := e.oauthConfig("web")
	tok, err := e.exchange(cfg, e.codeFlow("web", url.Values{"scope": {"openid api.read offline_access"}}).Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	rt1 := tok.RefreshToken
	refresh := func(client, rt, scope string) (*http.Response, map[string]any) {
		f := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}
		if scope != "" {
			f.Set("scope", scope)
		}
		return e.token(client, f)
	}
	// Another client cannot use it (and must not burn it).
	if resp, m := refresh("web2", rt1, ""); resp.StatusCode != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("web2: %d %v", resp.StatusCode, m)
	}
	// Broadening is refused.
	if resp, m := refresh("web", rt1, "openid api.read email"); resp.StatusCode != 400 || m["error"] != "invalid_scope" {
		t.Fatalf("broaden: %d %v", resp.StatusCode, m)
	}
	// Narrowing works and rotates.
	resp, m := refresh("web", rt1, "api.read")
	if resp.StatusCode != 200 || m["scope"] != "api.read" || m["refresh_token"] == nil || m["refresh_token"] == rt1 {
		t.Fatalf("narrow: %d %v", resp.StatusCode, m)
	}
	rt2 := m["refresh_token"].(string)
	at2 := m["access_token"].(string)
	// The new refresh token keeps the originally granted scope.
	resp, m = refresh("web", rt2, "offline_access openid")
	if resp.StatusCode != 200 {
		t.Fatalf("rt2: %d %v", resp.StatusCode, m)
	}
	rt3 := m["refresh_token"].(string)
	// Replaying a rotated-out token revokes the whole grant.
	if resp, m := refresh("web", rt1, ""); resp.StatusCode != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("replay: %d %v", resp.StatusCode, m)
	}
	if resp, m := refresh("web", rt3, ""); resp.StatusCode != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("rt3 after replay: %d %v", resp.StatusCode, m)
	}
	if resp, _ := e.me(at2); resp.StatusCode != 401 {
		t.Fatalf("access token alive after grant revocation: %d", resp.StatusCode)
	}
}

func TestRevocation(t *testing.T) {
	type tokens struct{ at, rt string }
	issue := func(e *env) tokens {
		tok, err := e.exchange(e.oauthConfig("web"), e.codeFlow("web", nil).Get("code"))
		if err != nil {
			t.Fatal(err)
		}
		return tokens{tok.AccessToken, tok.RefreshToken}
	}
	cases := []struct {
		name        string
		client      string
		token       func(tokens) string
		hint        string
		wantStatus  int
		atAlive     bool
		rtAlive     bool
		secretWrong bool
	}{
		{"access token", "web", func(k tokens) string { return k.at }, "access_token", 200, false, true, false},
		{"access token wrong hint", "web", func(k tokens) string { return k.at }, "refresh_token", 200, false, true, false},
		{"refresh token revokes grant", "web", func(k tokens) string { return k.rt }, "", 200, false, false, false},
		{"other client's token", "web2", func(k tokens) string { return k.rt }, "", 400, true, true, false},
		{"other client's access token", "web2", func(k tokens) string { return k.at }, "", 400, true, true, false},
		{"unknown token", "web", func(tokens) string { return "nope" }, "", 200, true, true, false},
		{"bad client auth", "web", func(k tokens) string { return k.at }, "", 401, true, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			k := issue(e)
			form := url.Values{"token": {c.token(k)}}
			if c.hint != "" {
				form.Set("token_type_hint", c.hint)
			}
			secret := e.secretOf(c.client)
			if c.secretWrong {
				secret = "wrong"
			}
			resp, _ := e.post("/revoke", c.client, secret, form)
			if resp.StatusCode != c.wantStatus {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if r, _ := e.me(k.at); (r.StatusCode == 200) != c.atAlive {
				t.Errorf("access token alive=%v, want %v", r.StatusCode == 200, c.atAlive)
			}
			r, m := e.post("/introspect", "web", e.sec.Web, url.Values{"token": {k.rt}})
			if r.StatusCode != 200 || m["active"] != c.rtAlive {
				t.Errorf("refresh token active=%v, want %v", m["active"], c.rtAlive)
			}
		})
	}
	t.Run("public client revokes own token", func(t *testing.T) {
		e := newEnv(t)
		verifier := oauth2.GenerateVerifier()
		sum := sha256.Sum256([]byte(verifier))
		cb := e.codeFlow("spa", url.Values{"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}})
		tok, err := e.exchange(e.oauthConfig("spa"), cb.Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatal(err)
		}
		resp, _ := e.post("/revoke", "", "", url.Values{"client_id": {"spa"}, "token": {tok.AccessToken}})
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if r, _ := e.me(tok.AccessToken); r.StatusCode != 401 {
			t.Fatal("not revoked")
		}
	})
}

func TestIntrospection(t *testing.T) {
	e := newEnv(t)
	tok, err := e.exchange(e.oauthConfig("web"), e.codeFlow("web", nil).Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	resp, m := e.post("/introspect", "svc", e.sec.Service, url.Values{"token": {tok.AccessToken}})
	if resp.StatusCode != 200 || m["active"] != true || m["client_id"] != "web" || m["sub"] != "user-alice" ||
		m["scope"] != "api.read openid" || m["iss"] != e.url || m["aud"] != e.url+"/api" || m["token_type"] != "Bearer" ||
		m["exp"] == nil || m["iat"] == nil {
		t.Fatalf("%d %v", resp.StatusCode, m)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Error("no Cache-Control")
	}
	for name, f := range map[string]url.Values{
		"unknown": {"token": {"nope"}},
	} {
		if _, m := e.post("/introspect", "svc", e.sec.Service, f); len(m) != 1 || m["active"] != false {
			t.Errorf("%s: %v", name, m)
		}
	}
	if resp, _ := e.post("/introspect", "", "", url.Values{"token": {tok.AccessToken}}); resp.StatusCode != 401 {
		t.Errorf("unauthenticated: %d", resp.StatusCode)
	}
	if resp, _ := e.post("/introspect", "", "", url.Values{"token": {tok.AccessToken}, "client_id": {"spa"}}); resp.StatusCode != 401 {
		t.Errorf("public client: %d", resp.StatusCode)
	}
	e.clock.Advance(11 * time.Minute)
	if _, m := e.post("/introspect", "svc", e.sec.Service, url.Values{"token": {tok.AccessToken}}); len(m) != 1 || m["active"] != false {
		t.Errorf("expired: %v", m)
	}
}

func TestProtectedResource(t *testing.T) {
	e := newEnv(t)
	tok, err := e.ccConfig().Token(e.ctx())
	if err != nil {
		t.Fatal(err)
	}
	other := newEnv(t)
	foreign, err := other.ccConfig().Token(other.ctx())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		req     func() *http.Request
		status  int
		wwwAuth string
	}{
		{"valid", func() *http.Request {
			r, _ := http.NewRequest("GET", e.url+"/api/me", nil)
			r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			return r
		}, 200, ""},
		{"missing", func() *http.Request { r, _ := http.NewRequest("GET", e.url+"/api/me", nil); return r }, 401, `Bearer realm="mockserver"`},
		{"query token refused", func() *http.Request {
			r, _ := http.NewRequest("GET", e.url+"/api/me?access_token="+url.QueryEscape(tok.AccessToken), nil)
			return r
		}, 400, `error="invalid_request"`},
		{"garbage", func() *http.Request {
			r, _ := http.NewRequest("GET", e.url+"/api/me", nil)
			r.Header.Set("Authorization", "Bearer abc.def.ghi")
			return r
		}, 401, `error="invalid_token"`},
		{"foreign signature", func() *http.Request {
			r, _ := http.NewRequest("GET", e.url+"/api/me", nil)
			r.Header.Set("Authorization", "Bearer "+foreign.AccessToken)
			return r
		}, 401, `error="invalid_token"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := e.hc.Do(c.req())
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.status || !strings.Contains(resp.Header.Get("WWW-Authenticate"), c.wwwAuth) {
				t.Fatalf("status %d www-auth %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
			}
			if c.status == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), `Bearer realm="mockserver"`) {
				t.Fatalf("www-auth %q", resp.Header.Get("WWW-Authenticate"))
			}
		})
	}
	t.Run("expired", func(t *testing.T) {
		e.clock.Advance(10*time.Minute + time.Second)
		resp, _ := e.me(tok.AccessToken)
		if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), "expired") {
			t.Fatalf("status %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	})
}

func TestAuthorizeErrorPages(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name   string
		params url.Values
	}{
		{"unknown client", url.Values{"response_type": {"code"}, "client_id": {"nope"}, "redirect_uri": {DefaultRedirectURI}}},
		{"missing client", url.Values{"response_type": {"code"}, "redirect_uri": {DefaultRedirectURI}}},
		{"unregistered redirect", url.Values{"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {"https://evil.example/cb"}}},
		{"redirect prefix", url.Values{"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {DefaultRedirectURI + "/x"}}},
		{"redirect with extra query", url.Values{"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {DefaultRedirectURI + "?a=b"}}},
		{"repeated redirect", url.Values{"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {DefaultRedirectURI, DefaultRedirectURI}}},
		{"svc has no redirect", url.Values{"response_type": {"code"}, "client_id": {"svc"}}},
		{"repeated client_id", url.Values{"response_type": {"code"}, "client_id": {"web", "web"}, "redirect_uri": {DefaultRedirectURI}}},
		{"empty redirect", url.Values{"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {""}}},
		// Checked before anything else: a bad response_type or scope must
		// not turn a bad redirect URI into a redirect.
		{"bad redirect and bad response_type", url.Values{"response_type": {"bogus"}, "client_id": {"web"}, "redirect_uri": {"https://evil.example/cb"}, "state": {"s"}}},
		{"bad redirect and missing response_type", url.Values{"client_id": {"web"}, "redirect_uri": {"https://evil.example/cb"}}},
		{"bad redirect and bad scope", url.Values{"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {"https://evil.example/cb"}, "scope": {"admin"}}},
		{"unknown client and bad response_type", url.Values{"response_type": {"bogus"}, "client_id": {"nope"}, "redirect_uri": {DefaultRedirectURI}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := e.get(e.authorizeURL(c.params))
			if !isErrorPage(resp, body) {
				t.Fatalf("status %d location %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
			}
			checkPageHeaders(t, resp)
		})
	}
	// Every URI a lenient matcher would accept is refused, also with a
	// session (no login page first, no redirect afterwards).
	e.browse(e.authorizeURL(url.Values{"response_type": {"code"}, "client_id": {"web"}}))
	for name, uris := range lenientRedirects {
		for _, u := range append(append([]string(nil), uris.accept...), uris.reject...) {
			if !e.redirectURIsRejected(u) {
				t.Errorf("%s: %s accepted", name, u)
			}
		}
	}
	// POST requests are validated the same way.
	resp, err := e.browser.PostForm(e.url+"/authorize", url.Values{"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {DefaultRedirectURI + "/x"}})
	if err != nil {
		t.Fatal(err)
	}
	if body := readBody(t, resp); !isErrorPage(resp, body) {
		t.Fatalf("POST: %d", resp.StatusCode)
	}
}

func checkPageHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	h := resp.Header
	if h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
		h.Get("Referrer-Policy") != "no-referrer" || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("page headers %v", h)
	}
}

func TestAuthorizeErrorRedirects(t *testing.T) {
	base := func(kv ...string) url.Values {
		v := url.Values{"client_id": {"web"}, "redirect_uri": {DefaultRedirectURI}, "state": {"xyz"}}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
		return v
	}
	dup := func(name string, vals ...string) url.Values {
		v := base("response_type", "code")
		v[name] = vals
		return v
	}
	v43 := strings.Repeat("a", 43)
	cases := []struct {
		name     string
		params   url.Values
		want     string
		fragment bool
	}{
		{"missing response_type", base(), "invalid_request", false},
		{"plain challenge", base("response_type", "code", "code_challenge", v43, "code_challenge_method", "plain"), "invalid_request", false},
		{"challenge without method (plain)", base("response_type", "code", "code_challenge", v43), "invalid_request", false},
		{"plain challenge, public client", base("response_type", "code", "client_id", "spa", "code_challenge", v43, "code_challenge_method", "plain"), "invalid_request", false},
		{"lowercase s256", base("response_type", "code", "code_challenge", v43, "code_challenge_method", "s256"), "invalid_request", false},
		{"repeated state", dup("state", "xyz", "xyz"), "invalid_request", false},
		{"repeated scope", dup("scope", "openid", "openid"), "invalid_request", false},
		{"repeated response_type", dup("response_type", "code", "code"), "invalid_request", false},
		{"repeated code_challenge", dup("code_challenge", v43, v43), "invalid_request", false},
		{"repeated unknown parameter", dup("foo", "1", "2"), "invalid_request", false},
		{"implicit: unknown scope", base("response_type", "token", "client_id", "legacy-spa", "scope", "admin"), "invalid_scope", true},
		{"implicit: repeated scope", func() url.Values {
			v := base("response_type", "token", "client_id", "legacy-spa")
			v["scope"] = []string{"api.read", "api.read"}
			return v
		}(), "invalid_request", true},
		{"unsupported response_type", base("response_type", "code id_token token"), "unsupported_response_type", false},
		{"token not allowed for web", base("response_type", "token"), "unsupported_response_type", true},
		{"implicit not offered", base("response_type", "token", "client_id", "legacy-spa"), "unsupported_response_type", true},
		{"implicit not offered: id_token token", base("response_type", "id_token token", "client_id", "legacy-spa", "scope", "openid", "nonce", "n"), "unsupported_response_type", true},
		{"unknown scope", base("response_type", "code", "scope", "openid admin"), "invalid_scope", false},
		{"bad challenge method", base("response_type", "code", "code_challenge", strings.Repeat("a", 43), "code_challenge_method", "S512"), "invalid_request", false},
		{"method without challenge", base("response_type", "code", "code_challenge_method", "S256"), "invalid_request", false},
		{"short challenge", base("response_type", "code", "code_challenge", "abc", "code_challenge_method", "S256"), "invalid_request", false},
		{"public client without PKCE", base("response_type", "code", "client_id", "spa"), "invalid_request", false},
		{"redirect_uri omitted, single registered", base("response_type", "code", "redirect_uri", "", "scope", "bogus"), "invalid_scope", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var faults []fault.Name
			if strings.HasPrefix(c.name, "implicit:") {
				// The grant offered, so that what follows is what is refused.
				faults = []fault.Name{fault.ImplicitOffered}
			}
			e := newEnv(t, faults...)
			resp, _ := e.get(e.authorizeURL(c.params))
			if resp.StatusCode != 302 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			loc, _ := url.Parse(resp.Header.Get("Location"))
			if !strings.HasPrefix(loc.String(), DefaultRedirectURI) {
				t.Fatalf("location %s", loc)
			}
			q, f := callbackParams(loc)
			got := q
			if c.fragment {
				got = f
			}
			if got.Get("error") != c.want || got.Get("state") != "xyz" || got.Get("iss") != e.url || got.Has("code") || got.Has("access_token") {
				t.Fatalf("query %v fragment %v", q, f)
			}
			other := q
			if !c.fragment {
				other = f
			}
			if len(other) != 0 {
				t.Fatalf("parameters in the wrong component: query %v fragment %v", q, f)
			}
		})
	}
	t.Run("no state sent, none returned", func(t *testing.T) {
		e := newEnv(t)
		got := e.authzError(base("response_type", "code", "scope", "admin", "state", ""))
		if got.Get("error") != "invalid_scope" || got.Has("state") || got.Get("iss") != e.url {
			t.Fatalf("%v", got)
		}
	})
}

func TestAuthorizeUnknownParametersIgnored(t *testing.T) {
	e := newEnv(t)
	cb := e.codeFlow("web", url.Values{"foo": {"bar"}, "x-custom": {"1"}, "nonce": {"n"}})
	if cb.Get("state") != "st-web" || cb.Has("foo") {
		t.Fatalf("%v", cb)
	}
}

func TestLongStateEchoedExactly(t *testing.T) {
	e := newEnv(t, fault.ImplicitOffered)
	long := strings.Repeat("Az09-._~+/ =&%", 160) // 2240 characters, several needing encoding
	if got := e.codeFlow("web", url.Values{"state": {long}}).Get("state"); got != long {
		t.Fatalf("code flow: state of %d characters", len(got))
	}
	if got := e.authzError(webAuthz("state", long, "scope", "admin")).Get("state"); got != long {
		t.Fatalf("error: state of %d characters", len(got))
	}
	_, f := callbackParams(e.browse(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"legacy-spa"}, "state": {long}})))
	if f.Get("state") != long {
		t.Fatalf("implicit: state of %d characters", len(f.Get("state")))
	}
	loc := e.browseDecision(e.authorizeURL(webAuthz("state", long, "scope", "email")), "deny")
	if loc.Query().Get("state") != long {
		t.Fatal("deny: state changed")
	}
}

func TestLoginConsentPages(t *testing.T) {
	e := newEnv(t)
	authURL := e.authorizeURL(url.Values{"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {DefaultRedirectURI}, "scope": {"openid profile"}, "state": {"a"}})
	resp, body := e.get(authURL)
	checkPageHeaders(t, resp)
	for _, want := range []string{`<input id="username" name="username"`, `<input id="password" name="password" type="password"`, `<button type="submit">Sign in</button>`, `action="/login"`} {
		if !strings.Contains(body, want) {
			t.Fatalf("login page lacks %q:\n%s", want, body)
		}
	}
	id := pendingID(t, body)
	resp, body = e.postForm("/login", url.Values{"req": {id}, "username": {"alice"}, "password": {"wrong"}})
	if resp.StatusCode != 200 || !strings.Contains(body, `<p id="error" class="error">Invalid username or password</p>`) {
		t.Fatalf("bad login: %d\n%s", resp.StatusCode, body)
	}
	checkPageHeaders(t, resp)
	// A forged pending id is refused.
	if resp, _ := e.postForm("/login", url.Values{"req": {"forged"}, "username": {"alice"}, "password": {e.sec.AlicePassword}}); resp.StatusCode != 400 {
		t.Fatalf("forged req: %d", resp.StatusCode)
	}
	resp, _ = e.postForm("/login", url.Values{"req": {id}, "username": {"alice"}, "password": {e.sec.AlicePassword}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/consent?req="+url.QueryEscape(id) {
		t.Fatalf("login: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var sc *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			sc = c
		}
	}
	if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" {
		t.Fatalf("session cookie %+v", sc)
	}
	// Another browser cannot open or approve this consent.
	stranger := newBrowser(t)
	stranger.Transport = e.hc.Transport
	r2, err := stranger.PostForm(e.url+"/consent", url.Values{"req": {id}, "decision": {"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != 400 {
		t.Fatalf("stranger consent: %d", r2.StatusCode)
	}
	resp, body = e.get(resp.Header.Get("Location"))
	checkPageHeaders(t, resp)
	for _, want := range []string{"web", "openid", "profile", `<button id="approve" name="decision" value="approve" type="submit">Allow</button>`, `<button id="deny" name="decision" value="deny" type="submit">Deny</button>`} {
		if !strings.Contains(body, want) {
			t.Fatalf("consent page lacks %q:\n%s", want, body)
		}
	}
	resp, _ = e.postForm("/consent", url.Values{"req": {id}, "decision": {"approve"}})
	if resp.StatusCode != 302 {
		t.Fatalf("approve: %d", resp.StatusCode)
	}
	// Same session, same client and scopes: direct 302, no pages.
	resp, _ = e.get(authURL)
	if resp.StatusCode != 302 || !strings.HasPrefix(resp.Header.Get("Location"), DefaultRedirectURI+"?") {
		t.Fatalf("remembered consent: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// A broader request needs consent again.
	resp, _ = e.get(e.authorizeURL(url.Values{"response_type": {"code"}, "client_id": {"web"}, "scope": {"openid email"}}))
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/consent?req=") {
		t.Fatalf("broader scope: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestConsentDenied(t *testing.T) {
	e := newEnv(t)
	loc := e.browseDecision(e.authorizeURL(url.Values{"response_type": {"code"}, "client_id": {"web"}, "state": {"d"}}), "deny")
	q := loc.Query()
	if q.Get("error") != "access_denied" || q.Get("state") != "d" || q.Get("iss") != e.url || q.Has("code") {
		t.Fatalf("%v", q)
	}
}

func TestRedirectURIWithQuery(t *testing.T) {
	const ru = "https://client.example.test/cb?tenant=1"
	clients := DefaultClients(nil)
	clients[0].RedirectURIs = []string{ru}
	e := newEnvOpts(t, Options{Clients: clients})
	loc := e.browse(e.authorizeURL(url.Values{"response_type": {"code"}, "client_id": {"web"}, "redirect_uri": {ru}, "state": {"s"}}))
	if loc.Query().Get("tenant") != "1" || loc.Query().Get("code") == "" || !strings.HasPrefix(loc.String(), ru+"&") {
		t.Fatalf("location %s", loc)
	}
}

func TestIssuerWithPath(t *testing.T) {
	s, err := New(Options{Issuer: "http://example.test/tenant"})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]int{
		"/.well-known/oauth-authorization-server/tenant": 200,
		"/tenant/.well-known/oauth-authorization-server": 200,
		"/tenant/jwks": 200,
		"/jwks":        404,
	}
	for p, want := range cases {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "http://example.test"+p, nil))
		if rec.Code != want {
			t.Errorf("%s: %d, want %d", p, rec.Code, want)
		}
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "http://example.test/tenant/authorize?response_type=code&client_id=web&scope=openid", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `action="/tenant/login"`) {
		t.Fatalf("login page under path: %d\n%s", rec.Code, rec.Body.String())
	}
}
