package mockserver

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// pushParams is a code request for clientID as the PAR endpoint takes it.
func pushParams(clientID string, kv ...string) url.Values {
	p := url.Values{
		"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {DefaultRedirectURI},
		"scope": {"openid api.read"}, "state": {"pushed-" + clientID},
	}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	return p
}

// push sends params to the PAR endpoint as clientID (HTTP Basic).
func (e *env) push(clientID string, params url.Values) (*http.Response, map[string]any) {
	e.t.Helper()
	return e.post(parPath, clientID, e.secretOf(clientID), params)
}

// requestURI pushes params for clientID and returns the request_uri.
func (e *env) requestURI(clientID string, params url.Values) string {
	e.t.Helper()
	resp, m := e.push(clientID, params)
	uri, _ := m["request_uri"].(string)
	if resp.StatusCode/100 != 2 || uri == "" {
		e.t.Fatalf("push: %d %v", resp.StatusCode, m)
	}
	return uri
}

// usePushed sends the browser (signed in, with consent: see signIn) to the
// authorization endpoint with client_id and request_uri (and extra); it
// returns the callback parameters of a redirect, nil for an error page.
func (e *env) usePushed(clientID, requestURI string, extra url.Values) url.Values {
	e.t.Helper()
	q := url.Values{"client_id": {clientID}, "request_uri": {requestURI}}
	for k, v := range extra {
		q[k] = v
	}
	resp, _ := e.get(e.authorizeURL(q))
	if resp.StatusCode != http.StatusFound {
		return nil
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), DefaultRedirectURI) {
		return nil
	}
	return loc.Query()
}

// signIn gives the browser a session with web's and web-par's consent.
func (e *env) signIn() {
	e.t.Helper()
	e.codeFlow("web", nil)
	// web-par's consent, through a pushed request.
	q, _ := callbackParams(e.browse(e.authorizeURL(url.Values{"client_id": {ParRequiredClientID},
		"request_uri": {e.requestURI(ParRequiredClientID, pushParams(ParRequiredClientID))}})))
	if q.Get("code") == "" {
		e.t.Fatalf("web-par's pushed request: %v", q)
	}
}

func init() {
	par := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.PARUnauthenticated: func(t *testing.T, e *env) bool {
			resp, _ := e.post(parPath, "", "", pushParams("web"))
			return resp.StatusCode == http.StatusUnauthorized
		},
		fault.PARStatus200: func(t *testing.T, e *env) bool {
			resp, m := e.push("web", pushParams("web"))
			return resp.StatusCode == http.StatusCreated && m["request_uri"] != nil && m["expires_in"] != nil
		},
		fault.PARAssertionAudTokenOnly: func(t *testing.T, e *env) bool {
			for _, aud := range []string{e.url, e.url + parPath} {
				a := e.pkjAssertion(nil, "", func(c *jwt.Claims) { c.Audience = jwt.Audience{aud} })
				if resp, _ := e.post(parPath, "", "", withAssertion(pushParams("web"), a)); resp.StatusCode != http.StatusCreated {
					return false
				}
			}
			return true
		},
		fault.PARRequestURIIgnored: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			got := e.usePushed("web", e.requestURI("web", pushParams("web")), nil)
			return got.Get("code") != "" && got.Get("state") == "pushed-web"
		},
		fault.PARRequestURIReusable: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			uri := e.requestURI("web", pushParams("web"))
			if e.usePushed("web", uri, nil).Get("code") == "" {
				t.Fatal("first use delivered no code")
			}
			return e.usePushed("web", uri, nil).Get("code") == ""
		},
		fault.PARRequestURINeverExpires: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			uri := e.requestURI("web", pushParams("web"))
			e.clock.Advance(defaultPushedLifetime + time.Second)
			return e.usePushed("web", uri, nil).Get("code") == ""
		},
		fault.PARRequestURIInPushAccepted: func(t *testing.T, e *env) bool {
			resp, m := e.push("web", pushParams("web", "request_uri", requestURIPrefix+"made-up"))
			return resp.StatusCode == http.StatusBadRequest && m["error"] == "invalid_request"
		},
		fault.PARRedirectURIUnchecked: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			resp, m := e.push("web", pushParams("web", "redirect_uri", "https://attacker.example.test/cb"))
			if resp.StatusCode/100 != 2 {
				return true
			}
			uri, _ := m["request_uri"].(string)
			r, _ := e.get(e.authorizeURL(url.Values{"client_id": {"web"}, "request_uri": {uri}}))
			return !strings.HasPrefix(r.Header.Get("Location"), "https://attacker.example.test/")
		},
		fault.PAROutsideParamsUsed: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			got := e.usePushed("web", e.requestURI("web", pushParams("web")), url.Values{"state": {"outside"}})
			return got.Get("code") != "" && got.Get("state") == "pushed-web"
		},
		fault.PARRequirementIgnored: func(t *testing.T, e *env) bool {
			e.signIn()
			loc := e.browse(e.authorizeURL(pushParams(ParRequiredClientID)))
			q, _ := callbackParams(loc)
			return q.Get("code") == "" && q.Get("error") == "invalid_request"
		},
		fault.PARWeakRequestURI: func(t *testing.T, e *env) bool {
			a, b := e.requestURI("web", pushParams("web")), e.requestURI("web", pushParams("web"))
			// 128 bits at least (RFC 6749 §10.10): 22 base64url characters after the prefix.
			return a != b && len(a) >= len(requestURIPrefix)+22 && len(b) >= len(requestURIPrefix)+22
		},
		fault.PARRequestURIAnyClient: func(t *testing.T, e *env) bool {
			e.codeFlow("web", nil)
			e.codeFlow("web2", nil)
			return e.usePushed("web2", e.requestURI("web", pushParams("web")), nil) == nil
		},
	}
	for n, p := range par {
		conformanceProbes[n] = p
	}
}

func TestPushedAuthorizationRequests(t *testing.T) {
	e := newEnv(t)
	md := e.metadata()
	if md["pushed_authorization_request_endpoint"] != e.url+parPath || md["require_pushed_authorization_requests"] != false {
		t.Fatalf("metadata: %v %v", md["pushed_authorization_request_endpoint"], md["require_pushed_authorization_requests"])
	}
	resp, m := e.push("web", pushParams("web"))
	if resp.StatusCode != http.StatusCreated || m["expires_in"] != float64(60) || !strings.HasPrefix(m["request_uri"].(string), requestURIPrefix) {
		t.Fatalf("push: %d %v", resp.StatusCode, m)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	// client_id must name the authenticated client.
	if resp, _ := e.push("web", pushParams("web2")); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("another client_id: %d", resp.StatusCode)
	}
	// A public client pushes with its client_id alone.
	if resp, m := e.post(parPath, "", "", pushParams("spa", "code_challenge", s256(strings.Repeat("v", 43)), "code_challenge_method", "S256")); resp.StatusCode != http.StatusCreated {
		t.Errorf("public client: %d %v", resp.StatusCode, m)
	}
	// private_key_jwt at the PAR endpoint, aud the token endpoint.
	if resp, m := e.post(parPath, "", "", withAssertion(pushParams("web"), e.pkjAssertion(nil, "", nil))); resp.StatusCode != http.StatusCreated {
		t.Errorf("private_key_jwt: %d %v", resp.StatusCode, m)
	}
	// The pushed request is redeemed like any other code.
	e.codeFlow("web", nil)
	got := e.usePushed("web", e.requestURI("web", pushParams("web")), nil)
	if got.Get("code") == "" || got.Get("state") != "pushed-web" {
		t.Fatalf("pushed request: %v", got)
	}
	if resp, m := e.redeem(got.Get("code")); resp.StatusCode != http.StatusOK {
		t.Fatalf("redeem: %v", m)
	}
	// web-par: pushed requests only.
	e.signIn()
	if q, _ := callbackParams(e.browse(e.authorizeURL(pushParams(ParRequiredClientID)))); q.Get("error") != "invalid_request" {
		t.Errorf("plain request of web-par: %v", q)
	}
}

func TestPushedLifetimeOption(t *testing.T) {
	e := newEnvOpts(t, Options{PushedRequestLifetime: 5 * time.Second})
	if _, m := e.push("web", pushParams("web")); m["expires_in"] != float64(5) {
		t.Fatalf("expires_in %v", m["expires_in"])
	}
}
