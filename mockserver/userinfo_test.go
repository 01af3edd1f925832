package mockserver

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// userinfoGrant is an access token of web for the user, with the scopes
// given, and the sub of its ID Token.
func (e *env) userinfoGrant(scope string) (at, sub string) {
	e.t.Helper()
	return e.userinfoGrantOf("web", scope)
}

// userinfoGrantOf is userinfoGrant for another client.
func (e *env) userinfoGrantOf(clientID, scope string) (at, sub string) {
	e.t.Helper()
	code := e.codeFlow(clientID, url.Values{"scope": {scope}, "nonce": {"n-ui"}}).Get("code")
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {DefaultRedirectURI}}
	resp, m := e.token(clientID, form)
	at, _ = m["access_token"].(string)
	idt, _ := m["id_token"].(string)
	if resp.StatusCode != http.StatusOK || at == "" || idt == "" {
		e.t.Fatalf("code exchange: %d %v", resp.StatusCode, m)
	}
	sub, _ = idClaims(e.t, idt)["sub"].(string)
	return at, sub
}

// userinfo calls the UserInfo Endpoint: method GET or POST, the token in
// the Authorization header or (inBody) the form body; it returns the
// response and its claims (a signed response's payload, unverified).
func (e *env) userinfo(method, token string, inBody bool) (*http.Response, map[string]any) {
	e.t.Helper()
	var body *strings.Reader
	if inBody {
		body = strings.NewReader(url.Values{"access_token": {token}}.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, e.url+userinfoPath, body)
	if inBody {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	raw := readBody(e.t, resp)
	var m map[string]any
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/jwt") {
		_, m, _ = decodeJWT(raw)
	} else {
		_ = json.Unmarshal([]byte(raw), &m)
	}
	return resp, m
}

func (e *env) userinfoOK(method string, inBody bool) bool {
	at, sub := e.userinfoGrant("openid")
	resp, m := e.userinfo(method, at, inBody)
	return resp.StatusCode == http.StatusOK && m["sub"] == sub
}

// scopeReleased reports whether a token for scope gets the scope's claims.
func (e *env) scopeReleased(scope string) bool {
	at, _ := e.userinfoGrant("openid " + scope)
	resp, m := e.userinfo(http.MethodGet, at, false)
	if resp.StatusCode != http.StatusOK {
		return false
	}
	for _, c := range scopeClaims[scope] {
		if _, ok := m[c]; !ok {
			return false
		}
	}
	return true
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.UserinfoGetRefused:       func(t *testing.T, e *env) bool { return e.userinfoOK(http.MethodGet, false) },
		fault.UserinfoPostRefused:      func(t *testing.T, e *env) bool { return e.userinfoOK(http.MethodPost, false) },
		fault.UserinfoBodyTokenIgnored: func(t *testing.T, e *env) bool { return e.userinfoOK(http.MethodPost, true) },
		fault.UserinfoNoSub: func(t *testing.T, e *env) bool {
			at, _ := e.userinfoGrant("openid")
			_, m := e.userinfo(http.MethodGet, at, false)
			_, has := m["sub"]
			return has
		},
		fault.UserinfoWrongSub:     func(t *testing.T, e *env) bool { return e.userinfoOK(http.MethodGet, false) },
		fault.UserinfoDropsProfile: func(t *testing.T, e *env) bool { return e.scopeReleased("profile") },
		fault.UserinfoDropsEmail:   func(t *testing.T, e *env) bool { return e.scopeReleased("email") },
		fault.UserinfoDropsAddress: func(t *testing.T, e *env) bool { return e.scopeReleased("address") },
		fault.UserinfoDropsPhone:   func(t *testing.T, e *env) bool { return e.scopeReleased("phone") },
		fault.UserinfoTokenUnchecked: func(t *testing.T, e *env) bool {
			e.userinfoGrant("openid")
			resp, _ := e.userinfo(http.MethodGet, "not-a-token", false)
			return resp.StatusCode == http.StatusUnauthorized
		},
		fault.UserinfoIgnoresRevocation: func(t *testing.T, e *env) bool {
			at, _ := e.userinfoGrant("openid")
			if resp, _ := e.revoke("web", at); resp.StatusCode != http.StatusOK {
				t.Fatalf("revoke: %d", resp.StatusCode)
			}
			resp, _ := e.userinfo(http.MethodGet, at, false)
			return resp.StatusCode == http.StatusUnauthorized
		},
		fault.UserinfoNoWWWAuthenticate: func(t *testing.T, e *env) bool {
			resp, _ := e.userinfo(http.MethodGet, "not-a-token", false)
			return resp.StatusCode == http.StatusUnauthorized && strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer")
		},
		fault.UserinfoSignedNoIssAud: func(t *testing.T, e *env) bool {
			// web2 is registered for signed responses: iss and aud.
			at, _ := e.userinfoGrantOf("web2", "openid")
			resp, m := e.userinfo(http.MethodGet, at, false)
			return strings.HasPrefix(resp.Header.Get("Content-Type"), "application/jwt") && m["iss"] == e.url && m["aud"] == "web2"
		},
	}
	for name, p := range probes {
		conformanceProbes[name] = p
	}
}

// The metadata advertises the endpoint; scopes release their claims and no
// more; web2, registered for signed responses, gets them signed with the
// published key; web gets JSON.
func TestUserinfoEndpoint(t *testing.T) {
	e := newEnv(t)
	if e.metadata()["userinfo_endpoint"] != e.url+userinfoPath {
		t.Errorf("userinfo_endpoint %v", e.metadata()["userinfo_endpoint"])
	}
	at, _ := e.userinfoGrant("openid profile email address phone")
	resp, m := e.userinfo(http.MethodGet, at, false)
	if resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("web's UserInfo Response is %s", resp.Header.Get("Content-Type"))
	}
	for _, sc := range []string{"profile", "email", "address", "phone"} {
		for _, c := range scopeClaims[sc] {
			if _, ok := m[c]; !ok {
				t.Errorf("claim %s of scope %s missing: %v", c, sc, m)
			}
		}
	}
	at, _ = e.userinfoGrant("openid")
	if _, m := e.userinfo(http.MethodGet, at, false); m["email"] != nil {
		t.Errorf("email released without the email scope: %v", m)
	}

	s := e
	if algs, _ := s.metadata()["userinfo_signing_alg_values_supported"].([]any); len(algs) != 1 {
		t.Errorf("userinfo_signing_alg_values_supported %v", algs)
	}
	at, sub := s.userinfoGrantOf("web2", "openid")
	req, _ := http.NewRequest(http.MethodGet, s.url+userinfoPath, nil)
	req.Header.Set("Authorization", "Bearer "+at)
	r, err := s.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	jwt := readBody(t, r)
	if r.Header.Get("Content-Type") != "application/jwt" || !s.verifiesWithJWKS(jwt) {
		t.Fatalf("signed userinfo: %s %q", r.Header.Get("Content-Type"), jwt)
	}
	if _, c, _ := decodeJWT(jwt); c["sub"] != sub || c["iss"] != s.url || c["aud"] != "web2" {
		t.Errorf("signed userinfo claims %v", c)
	}
}
