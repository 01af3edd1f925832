package mockserver

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// oidcAuthz are webAuthz parameters of an OpenID Connect request for the
// scopes codeFlow consents to; kv pairs override them ("" deletes).
func oidcAuthz(kv ...string) url.Values {
	return webAuthz(append([]string{"scope", "openid api.read"}, kv...)...)
}

// signedIn signs alice in and consents for the web client (codeFlow's scopes).
func (e *env) signedIn() {
	e.t.Helper()
	e.codeFlow("web", url.Values{"nonce": {"n-0"}})
}

// signedInIDToken signs alice in and returns the ID Token of the code
// exchange of an authorization with the extra parameters.
func (e *env) signedInIDToken(extra url.Values) map[string]any {
	e.t.Helper()
	code := e.codeFlow("web", extra).Get("code")
	tok, err := e.exchange(e.oauthConfig("web"), code)
	if err != nil {
		e.t.Fatalf("exchange: %v", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	_, claims, ok := decodeJWT(raw)
	if !ok {
		e.t.Fatalf("no ID Token: %q", raw)
	}
	claims["raw"] = raw
	return claims
}

// showsLogin reports whether an authorization request (from e.browser, with
// its session) answers with the login form.
func (e *env) showsLogin(params url.Values) bool {
	e.t.Helper()
	resp, body := e.get(e.authorizeURL(params))
	return resp.StatusCode == http.StatusOK && strings.Contains(body, `action="/login"`)
}

// acceptedSignedIn reports whether a signed-in user's request with the
// extra parameters gets a code at once.
func (e *env) acceptedSignedIn(kv ...string) bool {
	e.t.Helper()
	e.signedIn()
	return e.authzError(oidcAuthz(kv...)).Get("code") != ""
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.PromptNoneLoginPage: func(t *testing.T, e *env) bool {
			return e.authzError(oidcAuthz("prompt", "none")).Get("error") == "login_required"
		},
		fault.PromptNoneSessionIgnored: func(t *testing.T, e *env) bool {
			return e.acceptedSignedIn("prompt", "none")
		},
		fault.PromptLoginIgnored: func(t *testing.T, e *env) bool {
			e.signedIn()
			return e.showsLogin(oidcAuthz("prompt", "login"))
		},
		fault.PromptConsentIgnored: func(t *testing.T, e *env) bool {
			e.signedIn()
			resp, _ := e.get(e.authorizeURL(oidcAuthz("prompt", "consent")))
			if resp.StatusCode != http.StatusSeeOther {
				return false
			}
			resp, body := e.get(resp.Header.Get("Location"))
			return resp.StatusCode == http.StatusOK && strings.Contains(body, `name="decision"`)
		},
		fault.MaxAgeAuthTimeMissing: func(t *testing.T, e *env) bool {
			_, ok := e.signedInIDToken(url.Values{"max_age": {"10000"}})["auth_time"]
			return ok
		},
		fault.MaxAgeIgnored: func(t *testing.T, e *env) bool {
			e.signedIn()
			e.clock.Advance(5 * time.Second)
			return e.showsLogin(oidcAuthz("max_age", "1"))
		},
		fault.MaxAgeAlwaysReauthenticates: func(t *testing.T, e *env) bool {
			return e.acceptedSignedIn("max_age", "10000")
		},
		fault.IDTokenHintRejected: func(t *testing.T, e *env) bool {
			raw := e.signedInIDToken(nil)["raw"].(string)
			return e.authzError(oidcAuthz("prompt", "none", "id_token_hint", raw)).Get("code") != ""
		},
		fault.LoginHintRejected: func(t *testing.T, e *env) bool {
			return e.acceptedSignedIn("login_hint", "alice")
		},
		fault.UILocalesRejected: func(t *testing.T, e *env) bool {
			return e.acceptedSignedIn("ui_locales", "se-FI tlh")
		},
		fault.ClaimsLocalesRejected: func(t *testing.T, e *env) bool {
			return e.acceptedSignedIn("claims_locales", "se-FI tlh")
		},
		fault.DisplayRejected: func(t *testing.T, e *env) bool {
			return e.acceptedSignedIn("display", "page") && e.authzError(oidcAuthz("display", "popup")).Get("code") != ""
		},
		fault.AcrValuesRejected: func(t *testing.T, e *env) bool {
			return e.acceptedSignedIn("acr_values", "urn:example:loa:4")
		},
		fault.ScopeOrderSensitive: func(t *testing.T, e *env) bool {
			return e.acceptedSignedIn("scope", "api.read openid")
		},
		fault.CodeNonceRequired: func(t *testing.T, e *env) bool {
			return e.acceptedSignedIn("nonce", "")
		},
		fault.ClaimsEssentialError: func(t *testing.T, e *env) bool {
			return e.acceptedSignedIn("claims", `{"id_token":{"email":{"essential":true}}}`)
		},
		fault.AuthorizePostRefused: func(t *testing.T, e *env) bool {
			e.signedIn()
			resp, err := e.browser.PostForm(e.url+"/authorize", oidcAuthz())
			if err != nil {
				t.Fatal(err)
			}
			readBody(t, resp)
			loc, err := url.Parse(resp.Header.Get("Location"))
			return err == nil && resp.StatusCode == http.StatusFound && loc.Query().Get("code") != ""
		},
	}
	for name, probe := range probes {
		conformanceProbes[name] = probe
	}
}

// prompt=login and max_age sign the user in again: a new auth_time, the
// consent kept; prompt=none never shows a page and names the user's state.
func TestOIDCRequestSecure(t *testing.T) {
	e := newEnv(t)
	if got := e.authzError(oidcAuthz("prompt", "none")).Get("error"); got != "login_required" {
		t.Fatalf("prompt=none without a session: error %q", got)
	}
	first := e.signedInIDToken(nil)
	e.clock.Advance(3 * time.Second)
	resp, body := e.get(e.authorizeURL(oidcAuthz("prompt", "login")))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `action="/login"`) {
		t.Fatalf("prompt=login: status %d, no login form", resp.StatusCode)
	}
	resp, _ = e.postForm("/login", url.Values{"req": {pendingID(t, body)}, "username": {"alice"}, "password": {e.sec.AlicePassword}})
	resp, _ = e.get(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("after the new sign-in: status %d, want the redirect (consent kept)", resp.StatusCode)
	}
	second := e.signedInIDToken(nil)
	if second["auth_time"].(float64) <= first["auth_time"].(float64) {
		t.Errorf("auth_time %v after prompt=login, was %v", second["auth_time"], first["auth_time"])
	}
	if got := e.authzError(oidcAuthz("prompt", "none", "max_age", "1")); got.Get("code") == "" {
		t.Errorf("prompt=none with max_age=1 right after the sign-in: %v", got)
	}
	e.clock.Advance(2 * time.Second)
	if got := e.authzError(oidcAuthz("prompt", "none", "max_age", "1")).Get("error"); got != "login_required" {
		t.Errorf("prompt=none with a sign-in older than max_age: error %q", got)
	}
	if got := e.authzError(oidcAuthz("prompt", "none login")).Get("error"); got != "invalid_request" {
		t.Errorf("prompt=none login: error %q", got)
	}
	forged := forgeJWT(t, map[string]any{"iss": e.url, "aud": "web", "sub": "someone-else"}, "k", false)
	if got := e.authzError(oidcAuthz("prompt", "none", "id_token_hint", forged)).Get("error"); got != "invalid_request" {
		t.Errorf("prompt=none with a forged hint: error %q", got)
	}
}

// formPostFlow signs alice in for the web client, then sends params (with
// response_mode=form_post) and walks the consent page if one shows; it
// returns the final answer.
func (e *env) formPostFlow(params url.Values) (*http.Response, string) {
	e.t.Helper()
	e.signedIn()
	params.Set("response_mode", "form_post")
	resp, body := e.get(e.authorizeURL(params))
	if resp.StatusCode == http.StatusSeeOther {
		resp, body = e.get(resp.Header.Get("Location"))
	}
	if resp.StatusCode == http.StatusOK && strings.Contains(body, `name="decision"`) {
		resp, body = e.postForm("/consent", url.Values{"req": {pendingID(e.t, body)}, "decision": {"approve"}})
	}
	return resp, body
}

// postsForm reports whether an answer is the form_post page: a form POSTed
// to the redirect URI carrying the named fields.
func postsForm(resp *http.Response, body string, fields ...string) bool {
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<form method="post" action="`+DefaultRedirectURI+`">`) {
		return false
	}
	for _, f := range fields {
		if !strings.Contains(body, `name="`+f+`"`) {
			return false
		}
	}
	return true
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.FormPostIgnored: func(t *testing.T, e *env) bool {
			return postsForm(e.formPostFlow(oidcAuthz()))
		},
		fault.FormPostStateDropped: func(t *testing.T, e *env) bool {
			_, body := e.formPostFlow(oidcAuthz())
			return strings.Contains(body, `name="state" value="xyz"`)
		},
		fault.FormPostCacheable: func(t *testing.T, e *env) bool {
			resp, body := e.formPostFlow(oidcAuthz())
			return postsForm(resp, body, "code") && strings.Contains(resp.Header.Get("Cache-Control"), "no-store")
		},
		fault.FormPostImplicitIgnored: func(t *testing.T, e *env) bool {
			resp, body := e.formPostFlow(webAuthz("client_id", "legacy-spa", "response_type", "id_token token", "scope", "openid", "nonce", "n-1"))
			return postsForm(resp, body, "access_token", "id_token")
		},
		fault.FormPostHybridIgnored: func(t *testing.T, e *env) bool {
			resp, body := e.formPostFlow(oidcAuthz("response_type", "code id_token", "nonce", "n-2"))
			return postsForm(resp, body, "code", "id_token")
		},
		fault.FormPostErrorRedirected: func(t *testing.T, e *env) bool {
			resp, body := e.formPostFlow(oidcAuthz("scope", "admin"))
			return postsForm(resp, body, "error")
		},
	}
	for name, probe := range probes {
		conformanceProbes[name] = probe
	}
}

// logout sends a logout request from e.browser (kv pairs are its parameters).
func (e *env) logout(kv ...string) (*http.Response, string) {
	e.t.Helper()
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return e.get(e.url + logoutPath + "?" + v.Encode())
}

// sessionAlive reports whether e.browser's session still signs the user
// in silently.
func (e *env) sessionAlive() bool {
	e.t.Helper()
	return e.authzError(oidcAuthz("prompt", "none")).Get("code") != ""
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.LogoutRedirectAny: func(t *testing.T, e *env) bool {
			raw := e.signedInIDToken(nil)["raw"].(string)
			resp, body := e.logout("id_token_hint", raw, "post_logout_redirect_uri", "https://attacker.example/logged-out")
			return postLogoutTarget(resp, body) == ""
		},
		fault.LogoutRedirectWithoutHint: func(t *testing.T, e *env) bool {
			resp, body := e.logout("post_logout_redirect_uri", DefaultPostLogoutRedirectURI)
			return postLogoutTarget(resp, body) == ""
		},
		fault.LogoutStateDropped: func(t *testing.T, e *env) bool {
			raw := e.signedInIDToken(nil)["raw"].(string)
			resp, body := e.logout("id_token_hint", raw, "post_logout_redirect_uri", DefaultPostLogoutRedirectURI, "state", "s-1")
			return postLogoutTarget(resp, body) == DefaultPostLogoutRedirectURI+"?state=s-1"
		},
		fault.LogoutKeepsSession: func(t *testing.T, e *env) bool {
			raw := e.signedInIDToken(nil)["raw"].(string)
			u, _ := url.Parse(e.url)
			before := e.browser.Jar.Cookies(u)
			e.logout("id_token_hint", raw)
			// The cookie the browser had: the session behind it must be gone.
			e.browser.Jar.SetCookies(u, before)
			return !e.sessionAlive()
		},
		fault.LogoutHintNotVerified: func(t *testing.T, e *env) bool {
			raw := e.signedInIDToken(nil)["raw"].(string)
			tampered := raw[:len(raw)-4] + "AAAA"
			if strings.HasSuffix(raw, "AAAA") {
				tampered = raw[:len(raw)-4] + "BBBB"
			}
			resp, body := e.logout("id_token_hint", tampered, "post_logout_redirect_uri", DefaultPostLogoutRedirectURI)
			return postLogoutTarget(resp, body) == ""
		},
		fault.LogoutWithoutConfirmation: func(t *testing.T, e *env) bool {
			e.signedIn()
			resp, body := e.logout("client_id", "web", "post_logout_redirect_uri", DefaultPostLogoutRedirectURI)
			return resp.StatusCode == http.StatusOK && strings.Contains(body, `id="logout-confirm"`) && e.sessionAlive()
		},
	}
	for name, probe := range probes {
		conformanceProbes[name] = probe
	}
}

// A confirmed logout ends the session and redirects only where the client
// registered; a POST from the confirmation page carries the request on.
func TestLogoutSecure(t *testing.T) {
	e := newEnv(t)
	e.signedIn()
	resp, body := e.logout("client_id", "web", "post_logout_redirect_uri", DefaultPostLogoutRedirectURI, "state", "s-2")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="logout-confirm"`) {
		t.Fatalf("logout without hint: status %d, no confirmation", resp.StatusCode)
	}
	form := url.Values{"client_id": {"web"}, "post_logout_redirect_uri": {DefaultPostLogoutRedirectURI}, "state": {"s-2"}, "confirm": {"yes"}}
	resp, body = e.postForm(logoutPath, form)
	if got := postLogoutTarget(resp, body); got != DefaultPostLogoutRedirectURI+"?state=s-2" {
		t.Errorf("confirmed logout: status %d, sent to %q", resp.StatusCode, got)
	}
	if e.sessionAlive() {
		t.Error("the session survived the confirmed logout")
	}
}
