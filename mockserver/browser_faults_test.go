package mockserver

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// sessionCookie signs alice in (a fresh authorization of the web client)
// and returns the session cookie as the login response set it, with its
// attributes (a cookie jar would keep only name and value).
func (e *env) sessionCookie() *http.Cookie {
	e.t.Helper()
	_, page := e.get(e.authorizeURL(webAuthz()))
	resp, _ := e.postForm("/login", url.Values{"req": {pendingID(e.t, page)}, "username": {"alice"}, "password": {e.sec.AlicePassword}})
	return findSessionCookie(e.t, resp)
}

func findSessionCookie(t *testing.T, resp *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatalf("the login response (status %d) sets no %s cookie: %v", resp.StatusCode, sessionCookie, resp.Header["Set-Cookie"])
	return nil
}

// httpsSessionCookie is sessionCookie for a server with the given faults
// whose issuer is https — the attribute Secure depends on it — served
// in-process without TLS (the server only reads its issuer).
func httpsSessionCookie(t *testing.T, faults []fault.Name, sec Secrets) *http.Cookie {
	t.Helper()
	s, err := New(Options{Issuer: "https://127.0.0.1:1", Faults: faults, Clients: DefaultClients(&sec), Users: []User{DefaultUser(&sec)}})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "https://127.0.0.1:1/authorize?"+webAuthz().Encode(), nil))
	form := url.Values{"req": {pendingID(t, rec.Body.String())}, "username": {"alice"}, "password": {sec.AlicePassword}}
	req := httptest.NewRequest(http.MethodPost, "https://127.0.0.1:1/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return findSessionCookie(t, rec.Result())
}

// tokenWithOrigin sends a cross-origin request to the token endpoint — a
// CORS preflight for OPTIONS, a token request with an unknown code for
// POST — and returns the response headers.
func (e *env) tokenWithOrigin(method, origin string) http.Header {
	e.t.Helper()
	var body *strings.Reader
	if method == http.MethodPost {
		body = strings.NewReader(url.Values{"grant_type": {"authorization_code"}, "code": {"nope"}, "client_id": {"spa"}, "redirect_uri": {DefaultRedirectURI}}.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, e.url+"/token", body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Origin", origin)
	if method == http.MethodOptions {
		req.Header.Set("Access-Control-Request-Method", http.MethodPost)
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	readBody(e.t, resp)
	return resp.Header
}

// The session cookie's attributes: each fault takes away exactly its own,
// and Secure follows the issuer's scheme (RFC 6265 §8.3).
func TestSessionCookieAttributes(t *testing.T) {
	sec := RandomSecrets()
	cases := []struct {
		fault            fault.Name
		https            bool
		httpOnly, secure bool
		sameSite         http.SameSite
	}{
		{fault: "", https: false, httpOnly: true, secure: false, sameSite: http.SameSiteLaxMode},
		{fault: "", https: true, httpOnly: true, secure: true, sameSite: http.SameSiteLaxMode},
		{fault: fault.SessionCookieNotHttponly, https: true, httpOnly: false, secure: true, sameSite: http.SameSiteLaxMode},
		{fault: fault.SessionCookieNoSamesite, https: true, httpOnly: true, secure: true, sameSite: 0},
		{fault: fault.SessionCookieNotSecure, https: true, httpOnly: true, secure: false, sameSite: http.SameSiteLaxMode},
	}
	for _, tc := range cases {
		name := string(tc.fault)
		if name == "" {
			name = "secure"
		}
		scheme := map[bool]string{true: "https", false: "http"}[tc.https]
		t.Run(name+" "+scheme, func(t *testing.T) {
			var faults []fault.Name
			if tc.fault != "" {
				faults = []fault.Name{tc.fault}
			}
			var c *http.Cookie
			if tc.https {
				c = httpsSessionCookie(t, faults, sec)
			} else {
				c = newEnvOpts(t, Options{Faults: faults, PlainHTTP: true}).sessionCookie()
			}
			if c.HttpOnly != tc.httpOnly || c.Secure != tc.secure || c.SameSite != tc.sameSite {
				t.Errorf("cookie %s: HttpOnly %t Secure %t SameSite %v, want %t %t %v", c, c.HttpOnly, c.Secure, c.SameSite, tc.httpOnly, tc.secure, tc.sameSite)
			}
		})
	}
}

// The leaky login page names an image on the other loopback name of the
// same listener, which the mock serves, and tells the browser to send it
// the full URL.
func TestLoginPageThirdPartyLeak(t *testing.T) {
	e := newEnv(t, fault.LoginPageThirdPartyLeak)
	_, page := e.get(e.authorizeURL(webAuthz()))
	other := strings.Replace(e.url, "127.0.0.1", "localhost", 1)
	for _, want := range []string{`<meta name="referrer" content="unsafe-url">`, `<img src="` + other + pixelPath + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("login page lacks %s:\n%s", want, page)
		}
	}
	resp, body := e.get(other + pixelPath)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/gif" || !strings.HasPrefix(body, "GIF89a") {
		t.Errorf("pixel: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for issuer, want := range map[string]string{
		"http://127.0.0.1:9400":         "http://localhost:9400",
		"https://localhost:8443":        "https://127.0.0.1:8443",
		"https://idp.example.test/base": "https://localhost",
	} {
		if got := thirdPartyOrigin(issuer); got != want {
			t.Errorf("thirdPartyOrigin(%s) = %s, want %s", issuer, got, want)
		}
	}
}
