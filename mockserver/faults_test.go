package mockserver

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"testing"

	"golang.org/x/oauth2"
)

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// conformanceProbes maps every fault to a check that returns true when the
// server behaves correctly for the requirement that fault breaks. Each probe
// runs twice: against a secure server (must pass) and against a server with
// only that fault enabled (must fail).
var conformanceProbes = map[string]func(t *testing.T, e *env) bool{
	"state_dropped": func(t *testing.T, e *env) bool {
		cb := e.codeFlow("web", url.Values{"state": {"keep-me"}})
		return cb.Get("state") == "keep-me"
	},
	"iss_wrong": func(t *testing.T, e *env) bool {
		return e.codeFlow("web", nil).Get("iss") == e.url
	},
	"code_in_fragment": func(t *testing.T, e *env) bool {
		loc := e.browse(e.authorizeURL(url.Values{"response_type": {"code"}, "client_id": {"web"}, "state": {"s"}}))
		q, f := callbackParams(loc)
		return q.Get("code") != "" && !f.Has("code")
	},
	"pkce_method_ignored": func(t *testing.T, e *env) bool {
		v := oauth2.GenerateVerifier()
		cfg := e.oauthConfig("web", "openid")
		loc := e.browse(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)))
		_, err := e.exchange(cfg, loc.Query().Get("code"), oauth2.VerifierOption(v))
		return err == nil
	},
	"pkce_not_verified": func(t *testing.T, e *env) bool {
		v := oauth2.GenerateVerifier()
		cfg := e.oauthConfig("spa", "openid")
		loc := e.browse(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)))
		_, err := e.exchange(cfg, loc.Query().Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier()))
		return errCode(err) == "invalid_grant"
	},
	"code_reuse": func(t *testing.T, e *env) bool {
		cfg := e.oauthConfig("web")
		code := e.codeFlow("web", nil).Get("code")
		if _, err := e.exchange(cfg, code); err != nil {
			t.Fatalf("first exchange: %v", err)
		}
		_, err := e.exchange(cfg, code)
		return errCode(err) == "invalid_grant"
	},
	"code_not_client_bound": func(t *testing.T, e *env) bool {
		code := e.codeFlow("web", nil).Get("code")
		_, err := e.exchange(e.oauthConfig("web2"), code)
		return errCode(err) == "invalid_grant"
	},
	"redirect_uri_not_checked_at_token": func(t *testing.T, e *env) bool {
		code := e.codeFlow("web", nil).Get("code")
		cfg := e.oauthConfig("web")
		cfg.RedirectURL = "https://attacker.example.test/callback"
		_, err := e.exchange(cfg, code)
		return errCode(err) == "invalid_grant"
	},
	"token_type_wrong": func(t *testing.T, e *env) bool {
		_, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
		return m["token_type"] == "Bearer"
	},
	"no_expires_in": func(t *testing.T, e *env) bool {
		_, m := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
		n, ok := m["expires_in"].(float64)
		return ok && n > 0
	},
	"no_cache_headers": func(t *testing.T, e *env) bool {
		resp, _ := e.token("svc", url.Values{"grant_type": {"client_credentials"}})
		bad, _ := e.token("svc", url.Values{"grant_type": {"nope"}})
		return resp.Header.Get("Cache-Control") == "no-store" && resp.Header.Get("Pragma") == "no-cache" &&
			bad.Header.Get("Cache-Control") == "no-store" && bad.Header.Get("Pragma") == "no-cache"
	},
	"token_in_query": func(t *testing.T, e *env) bool {
		loc := e.browse(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"legacy-spa"}, "state": {"s"}}))
		q, f := callbackParams(loc)
		return f.Get("access_token") != "" && !q.Has("access_token")
	},
	"implicit_refresh_token": func(t *testing.T, e *env) bool {
		loc := e.browse(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"legacy-spa"}, "state": {"s"}}))
		_, f := callbackParams(loc)
		if f.Get("access_token") == "" {
			t.Fatalf("no access token: %v", f)
		}
		return !f.Has("refresh_token")
	},
	"basic_auth_not_form_decoded": func(t *testing.T, e *env) bool {
		_, err := e.ccConfig().Token(context.Background())
		return err == nil
	},
	"accept_wrong_secret": func(t *testing.T, e *env) bool {
		resp, _ := e.post("/token", "svc", e.sec.Service+"x", url.Values{"grant_type": {"client_credentials"}})
		post, _ := e.post("/token", "", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {"wrong"}})
		return resp.StatusCode == 401 && post.StatusCode == 401
	},
	"invalid_client_status_400": func(t *testing.T, e *env) bool {
		resp, m := e.post("/token", "svc", "wrong", url.Values{"grant_type": {"client_credentials"}})
		if m["error"] != "invalid_client" {
			t.Fatalf("error %v", m["error"])
		}
		return resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == `Basic realm="mockserver"`
	},
	"cc_refresh_token": func(t *testing.T, e *env) bool {
		tok, err := e.ccConfig("api.read").Token(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return tok.RefreshToken == ""
	},
	"metadata_issuer_mismatch": func(t *testing.T, e *env) bool {
		_, body := e.get("/.well-known/oauth-authorization-server")
		var md struct {
			Issuer string `json:"issuer"`
		}
		if err := json.Unmarshal([]byte(body), &md); err != nil {
			t.Fatal(err)
		}
		return md.Issuer == e.url
	},
}

func TestEveryFaultIsObservable(t *testing.T) {
	for _, f := range AllFaults() {
		t.Run(f.Name, func(t *testing.T) {
			probe, ok := conformanceProbes[f.Name]
			if !ok {
				t.Fatalf("no probe for fault %s", f.Name)
			}
			if !probe(t, newEnv(t)) {
				t.Errorf("secure server fails the %s probe", f.Name)
			}
			if probe(t, newEnv(t, f.Name)) {
				t.Errorf("server with fault %s still passes the probe", f.Name)
			}
		})
	}
	if len(conformanceProbes) != len(AllFaults()) {
		t.Errorf("%d probes for %d faults", len(conformanceProbes), len(AllFaults()))
	}
}

// Extra checks for the implicit variants of faults that affect both response
// types, and for the side effects of code reuse detection.
func TestFaultsAffectImplicitToo(t *testing.T) {
	implicit := func(e *env) url.Values {
		_, f := callbackParams(e.browse(e.authorizeURL(url.Values{"response_type": {"token"}, "client_id": {"legacy-spa"}, "state": {"s"}})))
		return f
	}
	cases := []struct {
		fault string
		ok    func(e *env, f url.Values) bool
	}{
		{"state_dropped", func(e *env, f url.Values) bool { return f.Get("state") == "s" }},
		{"iss_wrong", func(e *env, f url.Values) bool { return f.Get("iss") == e.url }},
		{"token_type_wrong", func(e *env, f url.Values) bool { return f.Get("token_type") == "Bearer" }},
		{"no_expires_in", func(e *env, f url.Values) bool { return f.Get("expires_in") != "" }},
	}
	for _, c := range cases {
		t.Run(c.fault, func(t *testing.T) {
			if e := newEnv(t); !c.ok(e, implicit(e)) {
				t.Error("secure server fails")
			}
			if e := newEnv(t, c.fault); c.ok(e, implicit(e)) {
				t.Error("faulty server passes")
			}
		})
	}
}
