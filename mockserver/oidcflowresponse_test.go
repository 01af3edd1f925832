package mockserver

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oauthconform/oauthconform/mockserver/fault"
)

// The responses of the OpenID Connect flows (IM-, HB-, FP-, FI-, FH-01..05).

// formFields are the hidden fields of a form_post page.
func formFields(body string) url.Values {
	out := url.Values{}
	for _, in := range strings.Split(body, "<input ")[1:] {
		name, value := attr(in, "name"), attr(in, "value")
		if name != "" {
			out.Add(name, value)
		}
	}
	return out
}

func attr(tag, name string) string {
	_, rest, ok := strings.Cut(tag, name+`="`)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, `"`)
	return strings.NewReplacer("&#43;", "+", "&#34;", `"`, "&amp;", "&").Replace(v)
}

// The id_token and code id_token responses with response_mode=form_post
// are forms POSTed to the redirect URI, never a redirect with a fragment.
func TestFlowFormPostResponses(t *testing.T) {
	for _, rt := range []string{"id_token", "code id_token"} {
		t.Run(rt, func(t *testing.T) {
			e := newEnv(t)
			resp, body := e.formPostFlow(oidcAuthz("response_type", rt, "nonce", "n-fp", "scope", "openid email"))
			if loc := resp.Header.Get("Location"); loc != "" {
				t.Fatalf("redirected to %s, want the form", loc)
			}
			want := []string{"id_token", "state"}
			if strings.HasPrefix(rt, "code") {
				want = append(want, "code")
			}
			if !postsForm(resp, body, want...) {
				t.Fatalf("status %d, no form POSTing %v to the redirect URI:\n%s", resp.StatusCode, want, body)
			}
			f := formFields(body)
			if f.Get("state") != "xyz" {
				t.Errorf("state %q", f.Get("state"))
			}
			if !e.verifiesWithJWKS(f.Get("id_token")) {
				t.Fatal("the id_token does not verify with the JWKS")
			}
			c := idClaims(t, f.Get("id_token"))
			if c["nonce"] != "n-fp" {
				t.Errorf("nonce %v", c["nonce"])
			}
			if rt == "id_token" && c["email"] != "alice@example.test" {
				t.Errorf("the id_token response's ID Token lacks the email scope's claims: %v", c)
			}
			if rt == "code id_token" && c["email"] != nil {
				t.Errorf("the code id_token response's ID Token carries the scope's claims, which the UserInfo Endpoint serves: %v", c)
			}
		})
	}
}

// idTokenOnly runs response_type id_token for web with the extra pairs and
// returns the fragment (nil when the answer is no redirect with one).
func (e *env) idTokenOnly(kv ...string) url.Values {
	e.t.Helper()
	_, f := callbackParams(e.browse(e.authorizeURL(oidcAuthz(append([]string{"response_type", "id_token", "nonce", "n-io"}, kv...)...))))
	return f
}

func init() {
	probes := map[fault.Name]func(t *testing.T, e *env) bool{
		fault.IDTokenOnlyNonceOptional: func(t *testing.T, e *env) bool {
			f := e.idTokenOnly("nonce", "")
			return f != nil && f.Get("id_token") == "" && f.Get("error") == "invalid_request"
		},
		fault.IDTokenOnlyScopeClaimsDropped: func(t *testing.T, e *env) bool {
			f := e.idTokenOnly("scope", "openid profile email address phone")
			if f == nil || f.Get("id_token") == "" {
				t.Fatalf("no id_token: %v", f)
			}
			c := idClaims(t, f.Get("id_token"))
			return c["email"] != nil && c["name"] != nil && c["address"] != nil && c["phone_number"] != nil
		},
		fault.CodeTokenNonceRequired: func(t *testing.T, e *env) bool {
			_, f := callbackParams(e.browse(e.authorizeURL(oidcAuthz("response_type", "code token", "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method", "S256"))))
			return f.Get("code") != "" && f.Get("access_token") != ""
		},
		fault.ImplicitAccessTokenNoOpenID: func(t *testing.T, e *env) bool {
			_, f := callbackParams(e.browse(e.authorizeURL(oidcAuthz("response_type", "id_token token", "nonce", "n-it", "scope", "openid email"))))
			if f.Get("access_token") == "" {
				// The secure server does not let the web client use the type.
				return f.Get("error") == "unsupported_response_type"
			}
			r, claims := e.userinfo(http.MethodGet, f.Get("access_token"), false)
			return r.StatusCode == http.StatusOK && claims["sub"] != nil
		},
	}
	for name, probe := range probes {
		conformanceProbes[name] = probe
	}
}
