package mockserver

import (
	"crypto/x509"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"
)

func newVariantEnv(t *testing.T, vs ...Variant) *env {
	t.Helper()
	return newEnvOpts(t, Options{Variants: vs})
}

func TestVariantTableIsComplete(t *testing.T) {
	names := map[string]bool{}
	for v := Variant(1); v < variantEnd; v++ {
		info, ok := v.info()
		if !ok || info.Variant != v {
			t.Fatalf("variant %d: table row %+v out of order", v, info)
		}
		if info.Name == "" || info.Description == "" || names[info.Name] {
			t.Errorf("variant %d: empty or duplicate name/description %+v", v, info)
		}
		names[info.Name] = true
		got, err := ParseVariant(info.Name)
		if err != nil || got != v || v.String() != info.Name {
			t.Errorf("ParseVariant(%q) = %v, %v; String %q", info.Name, got, err, v.String())
		}
	}
	if len(AllVariants()) != int(variantEnd)-1 {
		t.Errorf("AllVariants has %d rows, want %d", len(AllVariants()), variantEnd-1)
	}
	if _, err := ParseVariant("consent_evry_time"); err == nil || !strings.Contains(err.Error(), "-list-variants") {
		t.Errorf("a misspelt variant: %v", err)
	}
	if vs, err := ParseVariants([]string{" errors_200", "", "no_implicit "}); err != nil || len(vs) != 2 {
		t.Errorf("ParseVariants = %v, %v", vs, err)
	}
}

func TestVariantCombinationsAreChecked(t *testing.T) {
	for _, bad := range [][]Variant{
		{ConsentEveryTime, ConsentRemembered},
		{NoLoginUI, LoginOtherOrigin},
		{NoLoginUI, LoginTwoPages},
		{Variant(200)},
	} {
		if _, err := New(Options{Issuer: "https://127.0.0.1:1", Variants: bad}); err == nil {
			t.Errorf("New accepted %v", bad)
		}
	}
	if _, err := New(Options{Issuer: "https://127.0.0.1:1", Variants: []Variant{LoginOtherOrigin}}); err == nil || !strings.Contains(err.Error(), "UIOrigin") {
		t.Errorf("login_other_origin without UIOrigin: %v", err)
	}
	if _, err := New(Options{Issuer: "https://127.0.0.1:1", Variants: []Variant{LoginOtherOrigin}, UIOrigin: "https://127.0.0.1:1"}); err == nil {
		t.Error("UIOrigin equal to the issuer's origin was accepted")
	}
	if p, err := VariantsProfile([]Variant{ConsentEveryTime, LoginTwoPages}); err != nil || p != "profiles/mock-two-pages.yaml" {
		t.Errorf("VariantsProfile = %q, %v", p, err)
	}
	if _, err := VariantsProfile([]Variant{LoginTwoPages, NoLoginUI}); err == nil {
		t.Error("two variants with different profiles combined")
	}
}

var (
	actionRe   = regexp.MustCompile(`action="([^"]+)"`)
	dataAttrRe = regexp.MustCompile(`data-([a-z-]+)="([^"]*)"`)
)

// walk drives an authorization request through whatever pages a variant
// shows, as a user would (sign in, approve), across origins, and returns
// the redirect to the client and the URLs of the pages it went through.
func (e *env) walk(authURL string) (*url.URL, []string) {
	e.t.Helper()
	var seen []string
	cur, _ := url.Parse(authURL)
	resp, body := e.get(cur.String())
	for range 12 {
		seen = append(seen, fmt.Sprintf("%d %s", resp.StatusCode, cur))
		if loc := resp.Header.Get("Location"); loc != "" {
			next, err := cur.Parse(loc)
			if err != nil {
				e.t.Fatal(err)
			}
			if strings.HasPrefix(next.String(), DefaultRedirectURI) {
				return next, seen
			}
			cur = next
			resp, body = e.get(cur.String())
			continue
		}
		if resp.StatusCode != http.StatusOK {
			e.t.Fatalf("walk: %d at %s:\n%s", resp.StatusCode, cur, body)
		}
		form := url.Values{}
		var action string
		switch {
		case strings.Contains(body, `id="app"`): // the form a script renders
			attrs := map[string]string{}
			for _, m := range dataAttrRe.FindAllStringSubmatch(body, -1) {
				attrs[m[1]] = html.UnescapeString(m[2])
			}
			action = attrs["action"]
			form.Set("req", attrs["req"])
			form.Set("username", "alice")
			if attrs["ask-password"] == "1" {
				form.Set("password", e.sec.AlicePassword)
			}
		case strings.Contains(body, `name="decision"`):
			action = html.UnescapeString(actionRe.FindStringSubmatch(body)[1])
			form.Set("req", pendingID(e.t, body))
			form.Set("decision", "approve")
		case strings.Contains(body, `name="username"`):
			action = html.UnescapeString(actionRe.FindStringSubmatch(body)[1])
			form.Set("req", pendingID(e.t, body))
			form.Set("username", "alice")
			if strings.Contains(body, `name="password"`) {
				form.Set("password", e.sec.AlicePassword)
			}
		default:
			e.t.Fatalf("walk: nothing to do at %s:\n%s", cur, body)
		}
		next, err := cur.Parse(action)
		if err != nil {
			e.t.Fatal(err)
		}
		cur = next
		r, err := e.browser.PostForm(cur.String(), form)
		if err != nil {
			e.t.Fatalf("POST %s: %v", cur, err)
		}
		resp, body = r, readBody(e.t, r)
	}
	e.t.Fatalf("walk: no redirect to the client after %v", seen)
	return nil, nil
}

// pkceCode runs a code flow (PKCE S256, nonce) for client through the
// variant's pages and redeems the code.
func (e *env) pkceCode(client string, extra url.Values) (*oauth2.Token, []string) {
	e.t.Helper()
	verifier := oauth2.GenerateVerifier()
	p := url.Values{
		"response_type": {"code"}, "client_id": {client}, "redirect_uri": {DefaultRedirectURI},
		"scope": {"openid api.read"}, "state": {"st"}, "nonce": {"n-1"},
		"code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"},
	}
	for k, v := range extra {
		p[k] = v
	}
	cb, seen := e.walk(e.authorizeURL(p))
	code := cb.Query().Get("code")
	if code == "" {
		e.t.Fatalf("no code: %s (pages %v)", cb, seen)
	}
	tok, err := e.exchange(e.oauthConfig(client), code, oauth2.VerifierOption(verifier))
	if err != nil {
		e.t.Fatalf("exchange: %v", err)
	}
	return tok, seen
}

// Every variant is a working server: a client gets a code through its
// pages, redeems it, and the resource takes the access token.
func TestEveryVariantServesTheCodeFlow(t *testing.T) {
	for _, info := range AllVariants() {
		t.Run(info.Name, func(t *testing.T) {
			e := newVariantEnv(t, info.Variant)
			for _, client := range []string{"web", "spa"} {
				tok, seen := e.pkceCode(client, nil)
				if resp, m := e.me(tok.AccessToken); resp.StatusCode != http.StatusOK {
					t.Fatalf("%s: resource: %d %v (pages %v)", client, resp.StatusCode, m, seen)
				}
			}
		})
	}
}

func pagesWith(seen []string, part string) int {
	n := 0
	for _, s := range seen {
		if strings.Contains(s, part) {
			n++
		}
	}
	return n
}

func TestVariantConsentEveryTime(t *testing.T) {
	e := newVariantEnv(t, ConsentEveryTime)
	for i := range 2 {
		_, seen := e.pkceCode("web", nil)
		if pagesWith(seen, "200 "+e.url+"/consent") != 1 {
			t.Fatalf("authorization %d: consent pages %v", i+1, seen)
		}
	}
}

func TestVariantConsentRemembered(t *testing.T) {
	e := newVariantEnv(t, ConsentRemembered)
	if _, seen := e.pkceCode("web", nil); pagesWith(seen, "200 "+e.url+"/consent") != 1 {
		t.Fatalf("first authorization showed no consent page: %v", seen)
	}
	e.browser = newBrowser(t) // a new browser session: signs in again...
	e.browser.Transport = e.hc.Transport
	_, seen := e.pkceCode("web", nil)
	if pagesWith(seen, "200 "+e.url+"/consent") != 0 || pagesWith(seen, "200 "+e.url+"/authorize") != 1 {
		t.Fatalf("...but gets no consent page: %v", seen)
	}
}

func TestVariantLoginOtherOrigin(t *testing.T) {
	e := newVariantEnv(t, LoginOtherOrigin)
	if e.rs.UIURL == "" || e.rs.UIURL == e.url || e.rs.UICertificate == nil || e.rs.UICertificate.Equal(e.rs.Certificate) {
		t.Fatalf("UI app %q, certificate %v", e.rs.UIURL, e.rs.UICertificate)
	}
	pool := x509.NewCertPool()
	pool.AddCert(e.rs.CA)
	if _, err := e.rs.UICertificate.Verify(x509.VerifyOptions{Roots: pool, DNSName: "127.0.0.1"}); err != nil {
		t.Errorf("the UI app's certificate is not from the mock's CA: %v", err)
	}
	resp, _ := e.get(e.authorizeURL(webAuthz("code_challenge", s256(oauth2.GenerateVerifier()), "code_challenge_method", "S256")))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), e.rs.UIURL+"/signin?req=") {
		t.Fatalf("authorize: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, seen := e.pkceCode("web", nil)
	if pagesWith(seen, e.rs.UIURL+"/signin") != 2 || pagesWith(seen, e.url+"/login/callback?ticket=") != 1 {
		t.Fatalf("pages %v", seen)
	}
	// The server's own session: a second authorization goes straight to the client.
	if _, seen := e.pkceCode("web", nil); pagesWith(seen, e.rs.UIURL) != 0 {
		t.Errorf("second authorization went back to the login app: %v", seen)
	}
	// A ticket works once.
	if resp, _ := e.get(e.url + "/login/callback?ticket=nope"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown ticket: %d", resp.StatusCode)
	}
}

func TestVariantLoginJSForm(t *testing.T) {
	e := newVariantEnv(t, LoginJSForm)
	resp, body := e.get(e.authorizeURL(webAuthz("code_challenge", s256(oauth2.GenerateVerifier()), "code_challenge_method", "S256")))
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "<form") || !strings.Contains(body, `<script src="/login.js">`) {
		t.Fatalf("login shell: %d\n%s", resp.StatusCode, body)
	}
	resp, js := e.get("/login.js")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") || !strings.Contains(js, "el('form'") {
		t.Fatalf("script: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	e.pkceCode("web", nil)
	if resp, _ := newEnv(t).get("/login.js"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the secure mock serves the login script too (%d)", resp.StatusCode)
	}
}

func TestVariantLoginTwoPages(t *testing.T) {
	e := newVariantEnv(t, LoginTwoPages)
	_, body := e.get(e.authorizeURL(webAuthz("code_challenge", s256(oauth2.GenerateVerifier()), "code_challenge_method", "S256")))
	if !strings.Contains(body, `id="username"`) || strings.Contains(body, `name="password"`) || !strings.Contains(body, `id="next"`) {
		t.Fatalf("first page:\n%s", body)
	}
	resp, body := e.postForm("/login", url.Values{"req": {pendingID(t, body)}, "username": {"alice"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="password"`) || strings.Contains(body, `id="username"`) {
		t.Fatalf("second page: %d\n%s", resp.StatusCode, body)
	}
	resp, body = e.postForm("/login", url.Values{"req": {pendingID(t, body)}, "username": {"alice"}, "password": {"wrong"}})
	if !strings.Contains(body, "Invalid username or password") {
		t.Fatalf("wrong password: %d\n%s", resp.StatusCode, body)
	}
	e.pkceCode("web", nil)
}

func TestVariantErrorPages(t *testing.T) {
	bad := webAuthz("redirect_uri", "https://attacker.example/cb")
	e := newVariantEnv(t, ErrorsStatus200)
	resp, body := e.get(e.authorizeURL(bad))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="error"`) || resp.Header.Get("Location") != "" {
		t.Errorf("errors_200: %d\n%s", resp.StatusCode, body)
	}
	e = newVariantEnv(t, ErrorsOtherOrigin)
	resp, _ = e.get(e.authorizeURL(bad))
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, e.rs.UIURL+"/error?") {
		t.Fatalf("errors_other_origin: %d → %q", resp.StatusCode, loc)
	}
	resp, body = e.get(loc)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "not registered") {
		t.Errorf("error UI: %d\n%s", resp.StatusCode, body)
	}
}

func TestVariantPKCERequiredAll(t *testing.T) {
	e := newVariantEnv(t, PKCERequiredAll)
	got := e.authzError(webAuthz())
	if got.Get("error") != "invalid_request" || got.Get("code") != "" {
		t.Fatalf("confidential client without PKCE: %v", got)
	}
	e.pkceCode("web", nil)
}

func TestVariantAccessTokenFormats(t *testing.T) {
	t.Run("opaque", func(t *testing.T) {
		e := newVariantEnv(t, OpaqueAccessTokens)
		tok, _ := e.pkceCode("web", nil)
		if strings.Count(tok.AccessToken, ".") != 0 || len(tok.AccessToken) < 43 {
			t.Fatalf("access token %q is not opaque", tok.AccessToken)
		}
		if m := e.introspect(tok.AccessToken); m["active"] != true || m["client_id"] != "web" {
			t.Errorf("introspection: %v", m)
		}
	})
	t.Run("plain JWT", func(t *testing.T) {
		e := newVariantEnv(t, JWTAccessTokensPlain)
		h, claims, ok := decodeJWT(e.ccAccess())
		if !ok || h.ExtraHeaders["typ"] != "JWT" || claims["client_id"] != nil || claims["sub"] == nil {
			t.Fatalf("header %v claims %v", h.ExtraHeaders, claims)
		}
		if resp, m := e.me(e.ccAccess()); resp.StatusCode != http.StatusOK {
			t.Errorf("resource: %d %v", resp.StatusCode, m)
		}
	})
	t.Run("JWKS without kid", func(t *testing.T) {
		e := newVariantEnv(t, JWKSNoKid)
		raw, set := e.jwks()
		if len(raw) != 1 || raw[0]["kid"] != nil {
			t.Fatalf("JWKS %v", raw)
		}
		tok, _ := e.pkceCode("web", nil)
		h, _, ok := decodeJWT(tok.AccessToken)
		if !ok || h.KeyID != "" {
			t.Fatalf("access token header kid %q", h.KeyID)
		}
		idt, _ := tok.Extra("id_token").(string)
		parsed, err := jwt.ParseSigned(idt, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			t.Fatal(err)
		}
		var claims map[string]any
		if err := parsed.Claims(set.Keys[0].Key, &claims); err != nil || claims["nonce"] != "n-1" {
			t.Errorf("ID Token with the JWKS's one key: %v %v", err, claims)
		}
	})
}

func TestVariantRevocationAccessUnsupported(t *testing.T) {
	e := newVariantEnv(t, RevocationAccessUnsupported)
	at, rt := e.webGrant()
	resp, m := e.revoke("web", at)
	if resp.StatusCode != http.StatusBadRequest || m["error"] != "unsupported_token_type" {
		t.Fatalf("access token revocation: %d %v", resp.StatusCode, m)
	}
	if resp, _ := e.me(at); resp.StatusCode != http.StatusOK {
		t.Fatalf("the access token stopped working: %d", resp.StatusCode)
	}
	if resp, m := e.revoke("web", rt); resp.StatusCode != http.StatusOK {
		t.Fatalf("refresh token revocation: %d %v", resp.StatusCode, m)
	}
	if resp, _ := e.me(at); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the grant's access token outlived its refresh token's revocation: %d", resp.StatusCode)
	}
}

func TestVariantRefreshNotRotatedConfidential(t *testing.T) {
	e := newVariantEnv(t, RefreshNotRotatedConfidential)
	_, rt := e.webGrant()
	for i := range 2 {
		resp, m := e.refresh("web", rt)
		if resp.StatusCode != http.StatusOK || m["refresh_token"] != rt {
			t.Fatalf("confidential refresh %d: %d %v", i+1, resp.StatusCode, m)
		}
	}
	_, srt := e.spaGrant()
	resp, m := e.refresh("spa", srt)
	if resp.StatusCode != http.StatusOK || m["refresh_token"] == srt {
		t.Fatalf("public refresh not rotated: %d %v", resp.StatusCode, m)
	}
	if resp, _ := e.refresh("spa", srt); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the public client's old refresh token still works: %d", resp.StatusCode)
	}
}

func TestVariantScopeNarrowed(t *testing.T) {
	e := newVariantEnv(t, ScopeNarrowed)
	tok, _ := e.pkceCode("web", url.Values{"scope": {"openid oauthconform.unknown api.read"}})
	if got, _ := tok.Extra("scope").(string); got != "api.read openid" {
		t.Errorf("granted scope %q", got)
	}
	if got := e.authzError(webAuthz("scope", "oauthconform.unknown", "code_challenge", s256(oauth2.GenerateVerifier()), "code_challenge_method", "S256")); got.Get("error") != "invalid_scope" {
		t.Errorf("nothing left to grant: %v", got)
	}
	resp, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}, "scope": {"api.read oauthconform.unknown"}})
	if resp.StatusCode != http.StatusOK || m["scope"] != "api.read" {
		t.Errorf("client credentials: %d %v", resp.StatusCode, m)
	}
}

func TestVariantLoginGet307(t *testing.T) {
	e := newVariantEnv(t, LoginGet307)
	_, seen := e.pkceCode("web", nil)
	if pagesWith(seen, "307 "+e.url+"/signin?req=") != 1 || pagesWith(seen, "200 "+e.url+"/signin?req=") != 1 {
		t.Fatalf("pages %v", seen)
	}
}

func TestVariantNoImplicit(t *testing.T) {
	e := newVariantEnv(t, NoImplicit)
	resp, _ := e.get(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"legacy-spa"}, "redirect_uri": {DefaultRedirectURI}, "state": {"s"}}))
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Query().Get("error") != "unsupported_response_type" || loc.Query().Get("state") != "s" || loc.Fragment != "" {
		t.Fatalf("implicit request: %d → %v", resp.StatusCode, loc)
	}
}

func TestVariantNonceRequired(t *testing.T) {
	e := newVariantEnv(t, NonceRequired)
	v := s256(oauth2.GenerateVerifier())
	if got := e.authzError(webAuthz("scope", "openid", "code_challenge", v, "code_challenge_method", "S256")); got.Get("error") != "invalid_request" {
		t.Fatalf("openid without nonce: %v", got)
	}
	e.pkceCode("web", nil) // with a nonce
	e.pkceCode("web", url.Values{"scope": {"api.read"}, "nonce": nil})
}

func TestVariantNoLoginUI(t *testing.T) {
	e := newVariantEnv(t, NoLoginUI)
	resp, _ := e.get(e.authorizeURL(webAuthz("code_challenge", s256(oauth2.GenerateVerifier()), "code_challenge_method", "S256")))
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), DefaultRedirectURI+"?code=") || len(resp.Cookies()) != 0 {
		t.Fatalf("authorize: %d → %q, cookies %v", resp.StatusCode, resp.Header.Get("Location"), resp.Cookies())
	}
	tok, seen := e.pkceCode("web", nil)
	if len(seen) != 1 || tok.AccessToken == "" {
		t.Fatalf("pages %v", seen)
	}
}
